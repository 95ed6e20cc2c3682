"""A Russian name as another language romanises it (national.py, docs/matching.md 1a).

Public figures' names, written here by each language's system; none is taken from a list.
"""

from __future__ import annotations

import pytest

from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query, compare
from tradeguard.matching.national import (
    name_reading,
    national_readings,
    typo_readings,
    written_reading,
)
from tradeguard.model import Entity, Name

T = DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Jewgeni Tschernyschow", "Yevgeniy CHERNYSHOV"),  # German: j, w, tsch for ч, sch for ш
        ("Dmitrij Tschernyschenko", "Dmitriy CHERNYSHENKO"),  # German tsch
        ("Boris Jelzin", "Boris YELTSIN"),  # German z for ц
        ("Sergej Tschemesow", "Sergei CHEMEZOV"),  # German s between vowels for з
        ("Marija Sacharowa", "Mariya ZAKHAROVA"),  # German initial s for з
        ("Wiktor Medwedtschuk", "Viktor MEDVEDCHUK"),
        ("Borys Jelcyn", "Boris YELTSIN"),  # Polish c
        ("Nikita Chruszczow", "Nikita KHRUSHCHEV"),  # Polish szcz, ch
        ("Giennadij Timczenko", "Gennady TIMCHENKO"),  # Polish ie, cz
        ("Igor Setsjin", "Igor SECHIN"),  # Dutch tsj
        ("Georgi Zjoekov", "Georgy ZHUKOV"),  # Dutch zj, oe
        ("Vladimir Poetin", "Vladimir PUTIN"),  # Dutch oe
        ("Dmitrij Tjernysjenko", "Dmitriy CHERNYSHENKO"),  # Swedish tj, sj
        ("Michail Chodorkovskij", "Mikhail KHODORKOVSKY"),  # Czech ch, j
        ("Nikita Khrouchtchev", "Nikita KHRUSHCHEV"),  # French chtch, ou
        ("Vladimir Jirinovski", "Vladimir ZHIRINOVSKY"),  # French j for ж
        ("Evgueni Prigojine", "Yevgeniy PRIGOZHIN"),  # ... and -ine for -in
        ("Boris Jelcin", "Boris YELTSIN"),  # Czech c for ц
        ("Andrej Vorobjov", "Andrei VOROBEV"),  # Swedish jo, which English writes e
        ("Jevgenij Fjodorov", "Yevgeny FEDOROV"),
        ("Siarhei Tsikhanouski", "Sergei TIKHANOVSKY"),  # Belarusian ць for a soft т, -oŭski
        ("Sviatlana Tsikhanouskaya", "Svetlana TIKHANOVSKAYA"),
        ("Ihar Makarau", "Igor MAKAROV"),  # Belarusian -aŭ for -ov
    ],
)
def test_another_languages_romanisation_meets_the_english_one(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, (query, listed, s)
    assert any(t["how"] == "romanisation" for t in explanation["name"]["tokens"]), explanation
    # Either side may hold the other language's spelling (the EU's list keeps such aliases).
    assert compare(listed, query, "Person")[0] >= T


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Jurij Schewtschuk", "Yuri SHEVCHENKO"),  # Shevchuk, Shevchenko: two family names
        ("Alexander Schukow", "Alexander ZHUKOVSKY"),
        ("Boris Jelzin", "Boris YELTSOV"),
        ("Wladimir Putin", "Vladimir PUTILIN"),
        ("Jelena Sacharowa", "Yelena ZAKHARCHENKO"),
    ],
)
def test_a_reading_makes_no_other_family_name_the_same(query: str, listed: str) -> None:
    assert compare(query, listed, "Person")[0] < T


def test_readings_only_where_the_spelling_shows_a_system() -> None:
    assert "yeltsin" in national_readings("jelzin")  # German
    assert "yeltsin" in national_readings("jelcin")  # Czech c
    # The jo of ё, also read e, where it was the only mark (Vorobjov: Vorobev, Fjodorov:
    # Fedorov).
    assert "vorobev" in national_readings("vorobjov")
    assert "fedorov" in national_readings("fjodorov")
    assert "khrushchov" in national_readings("chruszczow")  # Polish
    assert national_readings("chroesjtsjov") == ("khrushchov",)  # Dutch
    assert "zakharova" in national_readings("sacharowa")  # German s, read both ways
    # A z alone is no German (Rezai, Aziz); a French -ine, ou or gu no French (Marine,
    # Louis).
    for token in ("rezai", "aziz", "marine", "louis", "smith"):
        assert national_readings(token) == (), token
    # An English j is no Spanish kh: Spanish is not read at all (Jason is read as German
    # writes Язон, which meets no Khason).
    assert not any(r.startswith("kh") for r in national_readings("jason"))
    # French reads a j as ж only before a consonant or an i: before another vowel it is
    # the other systems' й or е (Kirijenko is no Kirizhenko).
    assert not any("zh" in r for r in national_readings("kirijenko"))
    # A reading the skeleton already folds adds nothing (w is v, j is i there).
    assert national_readings("william") == ()


def test_a_c_before_an_east_slavic_ending_is_czech() -> None:
    """A c right before -ev, -ov, -in (and their feminines) is the Czech and Slovak ц in a
    name that shows no other Czech letter: "Boris Nemcov" is Boris NEMTSOV; a c before
    other endings keeps the English reading (Lucas, Monica, Marcel)."""
    assert "nemtsov" in national_readings("nemcov") and "matytsin" in national_readings("matycin")
    assert compare("Boris Nemcov", "Boris Yefimovich NEMTSOV", "Person")[0] >= T
    assert compare("Vladimir Kolokolcev", "Vladimir Alexandrovich KOLOKOLTSEV", "Person")[0] >= T
    for token in ("lucas", "monica", "marcel", "francesca", "vincent"):
        assert national_readings(token) == (), token


def test_retrieval_finds_a_name_by_its_reading() -> None:
    """The index looks a token up by its readings' keys too: "Jelzin" shares no key and no
    one-letter edit with "Yeltsin", so without them nothing is a candidate."""
    people = [Entity(list="t", source_id=str(k), schema="Person", names=[Name(n, "primary")])
              for k, n in enumerate(["YELTSIN, Boris Nikolayevich", "CHEMEZOV, Sergei", "YELTSOV, Boris",
                                     *(f"Boris Ivanov {n}" for n in range(30))])]
    matcher = Matcher(people)
    found = matcher.match(Query("Boris Jelzin", "Person"), threshold=T)
    assert [m.entity.source_id for m in found] == ["0"]
    found = matcher.match(Query("Sergej Tschemesow", "Person"), threshold=T)
    assert [m.entity.source_id for m in found] == ["1"]


def test_retrieval_finds_a_list_name_by_its_reading() -> None:
    """A list name written by another language's system (the EU's list holds such
    aliases) is looked up by its readings' keys: "Kryuchkov" shares no key and no
    one-letter edit with "Krjutjkov", and where another name holds "Kryuchkov" the bound
    of retrieval drops every name that meets only "Oleg"."""
    given = ["Oleg", "Ivan", "Pavel", "Sergei", "Nikolai", "Dmitry", "Andrei", "Yuri", "Boris", "Igor"]
    family = ["Petrov", "Sidorov", "Volkov", "Orlov", "Lebedev", "Kozlov", "Morozov", "Sokolov", "Popov", "Frolov"]
    names = ["Oleg KRJUTJKOV", "Nikolai KRYUCHKOV", *(f"{g} {f}" for g in given for f in family)]
    people = [Entity(list="t", source_id=str(k), schema="Person", names=[Name(n, "primary")])
              for k, n in enumerate(names)]
    found = Matcher(people).match(Query("Oleg KRYUCHKOV", "Person"), threshold=T)
    assert [m.entity.source_id for m in found] == ["0"]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Nikita Chruščov", "Nikita Khrushchov"),  # Czech ch (х) kh, č ch, š sh
        ("Ivan Šimić", "Ivan Shimich"),  # Croatian ć
        ("Alexander ŠOCHIN", "Alexander SHOKHIN"),  # capitals as the word is written
        ("Jewgienij Prigożyn", "Jewgienij Prigozhyn"),  # Polish ż
        ("Ilja BOTŠAROV", "Ilja BOCHAROV"),  # Estonian tš
        ("Valentina Levašovová", "Valentina Levashova"),  # Czech -ová on a Russian -ova
        ("Đorđe Petrović", "Djordje Petrovich"),
        ("Şamil Çelik", "Shamil Chelik"),  # Turkish cedillas
        ("Fayçal Çelik Sadr", None),  # a ç alone may be French, an s: not read
        ("Əli Həsənov", "Ali Hasanov"),  # the Azerbaijani alphabet: ə a
        ("Cəmil Xəlilov", "Jamil Khalilov"),  # ... c j, x kh
        ("Vüqar Səfərli", "Vügar Safarli"),  # ... q g (ü is folded later)
        ("Dmitrij Ševcov", "Dmitrij Shevtsov"),  # the c of the Slavic alphabets: ц
        ("Olga Kuzněcov", "Olga Kuznětsov"),  # (an ě shows the alphabet too)
        ("Alena Kuncevičová", "Alena Kuntsevich"),  # Czech -ová on a name of -ič
        ("Julija Tymošenková", "Julija Tymoshenko"),  # ... and of -enko
        ("Cemal Şahin", "Cemal Shahin"),  # a Turkish c is no ц
        # Without ə, x, q and c are no Azerbaijani letters: only the cedilla is read.
        ("Maxim Qasimov Şahin", "Maxim Qasimov Shahin"),
    ],
)
def test_letters_of_a_caron_or_cedilla_and_azerbaijani_ones_are_read_as_english_writes_them(
        written: str, read: str | None) -> None:
    assert written_reading(written) == read


def test_names_without_such_letters_are_not_read() -> None:
    # (Nováková's -ová is on no Russian -ov or -in: a Czech family name, left as it is.)
    for name in ("John Smith", "Hana Nováková", "José Álvarez", "Tomas Berdych"):
        assert written_reading(name) is None, name


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Nikita Chruščov", "Nikita KHRUSHCHEV"),
        ("Ivan Šimić", "Иван Шимич"),  # a Croatian spelling against a Russian one
        ("Petr Čech", "Pyotr CHEKH"),
        ("Valentina Levašovová", "Valentina LEVASHOVA"),
        ("Əli Həsənov", "Ali HASANOV"),
        ("Vüqar Səfərli", "Vugar SAFARLI"),
        ("Julija Tymošenková", "Yulia TYMOSHENKO"),
        ("Světlana Kuzněcovová", "Svetlana KUZNETSOVA"),
    ],
)
def test_a_name_so_written_meets_its_english_and_cyrillic_spellings(query: str, listed: str) -> None:
    found = Matcher([Entity(list="t", source_id="1", schema="Person", names=[Name(listed, "primary")])]).match(
        Query(query, "Person"), threshold=T)
    assert [m.entity.source_id for m in found] == ["1"], (query, listed)
    part = found[0].explanation["name"].get("query_part", {})
    assert part.get("label") == "reading", found[0].explanation


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Nawfal Al-Husayn", "Nofal AL-HUSAYN"),  # an Arabic aw written o
        ("Shawkat Ali", "Shokat ALI"),
        ("Zayd Ahmed", "Zeid AHMED"),  # ... ay written ei
    ],
)
def test_arabic_diphthongs_meet_their_customary_spellings(query: str, listed: str) -> None:
    assert compare(query, listed, "Person")[0] >= T, (query, listed)


def test_belarusian_endings_are_read_only_where_a_slavic_name_ends_so() -> None:
    """-ou and -au end a Belarusian family name (Ivanou, Makarau) and names in other
    languages (Mamadou, Rousseau, Nikolaou): only after the consonants that end such family
    names are they read -ov, and no typo on top. (Mamadou and Mamadov stay a letter apart,
    as any two spellings one typo apart are.)"""
    assert national_readings("ivanou") == ("ivanov",)
    assert set(national_readings("tsikhanouski")) == {"tsikhanovsky", "tikhanovsky"}
    for token in ("mamadou", "rousseau", "nikolaou", "amadou"):
        assert national_readings(token) == (), token
    assert typo_readings("ivanou") == ()


@pytest.mark.parametrize(
    ("written", "read"),
    [
        # A Swedish -vitj: the name's other words read as Swedish writes them (ch is х).
        ("Ruslan Imranovitj Chasbulatov", "Ruslan Imranovitj Khasbulatov"),
        ("Michail Sergejevitj Gorbatjov", "Mikhail Sergejevitj Gorbatjov"),
        # The reading most systems the name shows give: German alone reads an s between
        # vowels з (Chasanov beside a Swedish -vitj and a Czech -ij is Khasanov).
        ("Dmitrij Ruslanovitj CHASANOV", "Dmitrij Ruslanovitj KHASANOV"),
        ("Leonid Ivanovitch PASECHNIK", None),  # -vitch is English too: French reads no name
        ("John Cholin", None),  # an English j shows no system (the skeleton's i)
        ("Walter Zimmermann", None),  # no word of a Slavic ending
        ("José Sánchez Ivanov", None),  # words beyond ASCII are not read
    ],
)
def test_a_name_is_read_throughout_by_the_romanisation_one_of_its_words_shows(written: str, read: str | None) -> None:
    assert name_reading(written) == read


def test_a_name_read_throughout_meets_the_english_spelling() -> None:
    """Chasbulatov shows no system of its own (the ch of English is ch too): read beside
    the name's Swedish -vitj, it is Khasbulatov (0.85 and 0.77 before, as a typo)."""
    assert compare("Ruslan Imranovitj Chasbulatov", "Ruslan Imranovich KHASBULATOV", "Person")[0] >= 0.95
    assert compare("Ruslan KHASBULATOV", "Ruslan Imranovitj Chasbulatov", "Person")[0] >= 0.9


def test_a_diphthong_reading_buys_no_typo() -> None:
    """English aw read o takes a letter away: Dawson, "doson", is one letter from Dodson,
    which Dawson is two from. Such a reading meets only the word it spells."""
    assert national_readings("dawson") == ("doson",)
    assert typo_readings("dawson") == ()
    assert compare("John Dawson", "John DODSON", "Person")[0] < T
