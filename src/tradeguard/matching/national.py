"""A Russian name as another language romanises it, read back to the English spelling.

German writes Чернышенко "Tschernyschenko" and Ельцин "Jelzin", Polish "Jelcyn", Dutch
"Chroesjtsjov" for Хрущёв, French "Khrouchtchev"; the lists write Chernyshenko, Yeltsin,
Khrushchev. ``national_readings`` spells a Latin token by each language's system whose
marks it shows, read back (``data/national_romanisations.yml``): "tschernyschenko" ->
"chernyshenko", "jelzin" -> "yeltsin", "chroesjtsjov" -> "khrushchov". The scorer compares
the readings' skeletons as it compares two romanisations of one name, at ``READING_COST``
below (``score.token_sim``), and retrieval looks them up beside the token's own key
(``index.lookup``). The same file reads the diphthongs of Arabic names as their customary
spellings write them (Nawfal, Nofal), and ``written_reading`` a whole name's letters with a
caron or a cedilla as English digraphs (Chruščov, Khrushchov).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial

from tradeguard.matching.normalize import skeleton
from tradeguard.matching.reference import load_reference
from tradeguard.matching.spoken import SpellingRules

# A reading by another language's system is a sure reading of its letters, but one more
# step from the spelling than a romanisation variant of the skeleton: so much below it.
READING_COST = 0.05


@dataclass(frozen=True, slots=True)
class _System:
    rules: SpellingRules
    # Letters the system writes for two sounds (German s, initial, for с or з), each read
    # the other way too, into a second reading.
    either: tuple[tuple[re.Pattern[str], str], ...]
    # Whether a reading may meet a list token one typo away (False where the reading takes
    # letters away from words of other languages too: Dawson read "doson" is a typo from
    # Dodson, which Dawson is not).
    typos: bool
    # Whether a name's other words are read by the system where one word shows its marks
    # (``name_reading``).
    whole_name: bool


@lru_cache(maxsize=1)
def _systems() -> tuple[_System, ...]:
    return tuple(
        _System(SpellingRules.from_data(data), tuple((re.compile(p), r) for p, r in data.get("either", ())),
                bool(data.get("typos", True)), bool(data.get("whole_name", False)))
        for data in load_reference("national_romanisations.yml")["systems"].values()
    )


_NO_READINGS: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())


@lru_cache(maxsize=200_000)
def _readings(token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``token``'s readings, and those of them that may meet a word one typo away."""
    found: dict[str, bool] = {}
    own = ""
    for system in _systems():
        if not system.rules.shows(token):
            continue
        own = own or skeleton(token)
        read_token = system.rules.read(token)
        seconds = [pattern.sub(other, token) for pattern, other in system.either if pattern.search(token)]
        for spelling, reading in [(token, read_token), *((s, system.rules.read(s)) for s in seconds)]:
            if reading is None and spelling != token and spelling.islower() and read_token is not None:
                reading = spelling  # (a second reading no rule changes further: Vorobjov's ё as e, "vorobev")
            if reading is not None and skeleton(reading) != own:
                found[reading] = found.get(reading, False) or system.typos
    if not found:
        return _NO_READINGS
    return tuple(found), tuple(reading for reading, typos in found.items() if typos)


def national_readings(token: str) -> tuple[str, ...]:
    """The English spellings of a Latin token (lower-case ASCII) read by each system whose
    marks it shows and whose ``not_this`` it does not, where the skeleton differs from the
    token's own: "jelzin" -> ("yeltsin",), "chruschtschow" -> ("khrushchov",); () for most."""
    return _readings(token)[0]


def typo_readings(token: str) -> tuple[str, ...]:
    """Those of ``national_readings`` that may meet a word one typo away (their system's
    ``typos``)."""
    return _readings(token)[1]


@lru_cache(maxsize=1)
def _written_rules() -> tuple[tuple[re.Pattern[str], str, re.Pattern[str] | None], ...]:
    """The ``written`` rules: pattern, replacement, and the letters of which the name must
    hold one for the rule to apply (None: any name)."""
    rules = load_reference("national_romanisations.yml")["written"]
    # (The letters are matched in the lower-cased name, not case-blind: a case-blind ı is
    # any i.)
    return tuple((re.compile(rule[0], re.IGNORECASE), rule[1], re.compile(rule[2]) if len(rule) > 2 else None)
                 for rule in rules)


@lru_cache(maxsize=1)
def _written_letters() -> frozenset[str]:
    """The letters beyond ASCII that the ``written`` rules hold, in what they replace or
    in the letters they ask for (Kuzněcov's ě: a Czech name, whose c is ц): a name without
    any is left as it is."""
    return frozenset(ch for pattern, _r, when in _written_rules()
                     for ch in pattern.pattern + (when.pattern if when is not None else "") if not ch.isascii())


def _in_case_of(found: re.Match[str], *, replacement: str) -> str:
    """``replacement`` in the case of the text it replaces, as its word is written:
    "SH" in "ŠOCHIN", "Sh" in "Šimić", "sh" in "Šojgu"'s lower-case form."""
    text = found.group(0)
    if not text[0].isupper():
        return replacement
    after = found.string[found.end() : found.end() + 1]
    word_upper = (text[1:] or after).isupper()
    return replacement.upper() if word_upper else replacement.capitalize()


def written_reading(name: str) -> str | None:
    """``name`` with each letter of a caron or a cedilla written as the English digraph of
    its sound, a Czech woman's -ová taken off and an Azerbaijani name's letters read as
    English writes them (``written`` in the data): "Nikita Chruščov" -> "Nikita
    Khrushchov", "Šimić" -> "Shimich", "Alexander ŠOCHIN" -> "Alexander SHOKHIN",
    "Valentina Levašovová" -> "Valentina Levashova", "Əli Həsənov" -> "Ali Hasanov";
    None for a name these rules leave as it is."""
    lower = name.lower()
    if _written_letters().isdisjoint(lower):
        return None
    read = name
    for pattern, replacement, when in _written_rules():
        if when is None or when.search(lower):
            read = pattern.sub(partial(_in_case_of, replacement=replacement), read)
    return read if read != name else None


# A word of the endings of East Slavic family names and patronymics: only a name that holds
# one is read throughout by a system one of its words shows (``name_reading``).
_SLAVIC_WORD_END = re.compile(r"(?:ov|ev|in|yn|ko|ich|ych|itj|itsch|sky|skiy|skij|ski|ova|eva|ina|yna|ovna|evna)\b")
_WORD = re.compile(r"[^\W\d_]+")


def _reads(system: _System, word: str) -> bool:
    """Whether ``system`` reads ``word`` (its marks show, and its reading is another word
    than the spelling's own: "john" shows no German, as its j is the skeleton's i)."""
    if not system.rules.shows(word):
        return False
    reading = system.rules.read(word)
    return reading is not None and skeleton(reading) != skeleton(word)


def name_reading(name: str) -> str | None:
    """``name`` with each word that shows no system's marks read by the system another of
    its words shows, in a name of a Slavic ending: the EU's "Dmitrij Vladimirovitj CHOLIN"
    (a Swedish -vitj, a Czech -ij) is also "Dmitrij Vladimirovitj KHOLIN", as the Swedish
    and Czech ch is х; "Murat Ruslanovitj CHASANOV" "Murat Ruslanovitj KHASANOV". (Its
    marked words keep their spelling: the scorer reads each by its own systems.) None for
    a name these readings leave as it is."""
    lower = name.lower()
    if _SLAVIC_WORD_END.search(lower) is None:
        return None
    words = [word for word in _WORD.findall(lower) if word.isascii()]
    shown = [system for system in _systems() if system.whole_name and any(_reads(system, word) for word in words)]
    if not shown:
        return None

    def read_word(found: re.Match[str]) -> str:
        word = found.group(0)
        lowered = word.lower()
        if not lowered.isascii() or any(system.rules.shows(lowered) for system in _systems()):
            return word  # (marked: read by its own systems; or in letters these rules do not read)
        # The reading most of the shown systems give (Chasanov beside a -vitj: the Swedish,
        # Czech and German ch are all х, and only German reads the s between vowels з).
        readings = [r for system in shown if (r := system.rules.read(lowered)) is not None]
        if not readings:
            return word
        return _in_case_of(found, replacement=max(dict.fromkeys(readings), key=readings.count))

    read = _WORD.sub(read_word, name)
    return read if read != name else None


__all__ = ["READING_COST", "name_reading", "national_readings", "typo_readings", "written_reading"]
