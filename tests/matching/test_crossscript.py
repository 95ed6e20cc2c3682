"""Names across scripts, annotated names and business words (docs/matching.md, section 1b).

Every name here is invented or a public figure's; none is taken from a list file.
"""

from __future__ import annotations

import pytest

from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query, compare, explain_text
from tradeguard.matching.abjad import (
    abjad_classes,
    class_distance,
    cross_sim,
    latin_classes,
    prosthesis_free,
    split_words,
    voiced_s_free,
)
from tradeguard.matching.annotations import split_annotated
from tradeguard.matching.heard import SCHWA, heard_keys, heard_sim, sound_readings, written_key
from tradeguard.matching.normalize import INITIAL, LEGAL, NAME, PARTICLE, TITLE, analyse
from tradeguard.matching.score import left_to_syllables, native_words
from tradeguard.matching.symbols import word_symbols
from tradeguard.model import Entity, Name

T = DEFAULT_THRESHOLD


def score(query: str, listed: str, schema: str | None = "Person") -> float:
    return compare(query, listed, schema)[0]


# --- the issue's examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("محمد علي", "Mohamed Ali"),
        ("أحمد حسن", "Ahmed Hassan"),
        ("صدام حسين التكريتي", "SADDAM HUSSEIN AL-TIKRITI"),
        ("عبد الرحمن يوسف", "Abdurrahman Youssef"),
        ("عبد الله", "Abdullah"),  # two words, one in Latin
        ("نصرالله", "Nasr Allah"),  # one word, two in Latin
        ("محمود احمدی نژاد", "Mahmoud Ahmadinejad"),  # Persian letters, two words as one
        ("علی حسن زاده", "Ali Hassanzadeh"),  # a Persian family name and its suffix word
        ("رضا علی پور", "Reza Alipour"),
        ("최룡해", "CHOE Ryong Hae"),
        ("이재용", "Lee Jae-yong"),  # Revised Romanization, family name Lee
        ("박근혜", "Park Geun-hye"),
        ("משה כהן", "Moshe Cohen"),
        ("מיכאל פרידמן", "Michael Friedman"),
        ("မင်းအောင်လှိုင်", "Min Aung Hlaing"),
        ("ဦးသန်းရွှေ", "Than Shwe"),  # the honorific U is not part of the name
        ("タナカ タロウ", "Tanaka Taro"),
        ("毛澤東", "MAO Tse-tung"),  # Wade–Giles, hyphenated given name
        ("蔣經國", "CHIANG Ching-kuo"),
        ("习近平", "HSI Chin-ping"),
        ("李登輝", "LEE Teng-hui"),  # customary surname spelling Lee
        ("黄磊", "Wong Lei"),  # Cantonese surname spelling
    ],
)
def test_other_scripts_against_latin_names(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


def test_issue_scores_were_near_zero_and_now_say_how() -> None:
    s, explanation = compare("محمد علي", "Mohamed Ali", "Person")
    hows = {t["how"] for t in explanation["name"]["tokens"]}
    assert s >= T and hows == {"cross_script"}


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("אלביט בע״מ", "Elbit Ltd"),  # Hebrew legal form with gershayim
        ("ရွှေ မြန်မာ ကုမ္ပဏီလီမိတက်", "Shwe Myanmar Co., Ltd."),  # Burmese "company limited"
        ("شركة النور للتجارة المحدودة", "Al Noor Trading Co. Ltd"),
        ("مؤسسة بهينه التجارية", "BEHINEH TRADING"),
    ],
)
def test_legal_forms_and_business_words_in_other_scripts(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Company")
    assert s >= T, explain_text(explanation)


def test_a_glossary_word_typed_with_a_space_for_the_non_joiner() -> None:
    """Persian writes بین‌المللی (international) with a zero-width non-joiner, which many
    records type as a space: the two written words are the one word of the glossary, in an
    organisation's name; a person's name is not read by the glossary at all."""
    with_joiner = score("شرکت بین‌المللی نفت", "International Oil Company", "Company")
    assert score("شرکت بین المللی نفت", "International Oil Company", "Company") == with_joiner >= T
    assert score("محمد بین المللی", "Mohammad International") < T
    form = analyse("شرکت بین المللی نفت", "Company")
    assert "international" in form.glosses[form.tokens.index("bynalmlly")]


def test_one_word_that_english_writes_as_two() -> None:
    """خاورمیانه is one Persian word for "Middle East" (a two-word gloss): it meets the two
    words in that order, and neither alone."""
    assert score("شرکت تایدواتر خاورمیانه", "TIDEWATER MIDDLE EAST CO.", "Company") >= T
    assert score("شرکت تایدواتر خاور میانه", "TIDEWATER MIDDLE EAST CO.", "Company") >= T  # a space for the ZWNJ
    how = compare("شرکت تایدواتر خاورمیانه", "TIDEWATER MIDDLE EAST CO.", "Company")[1]["name"]["tokens"]
    assert {"query": "khawrmyanh", "list": "middle east", "how": "translation", "sim": 0.9} in how
    assert score("شرکت تایدواتر خاورمیانه", "TIDEWATER EAST CO.", "Company") < T
    assert score("شرکت تایدواتر خاورمیانه", "TIDEWATER EAST MIDDLE CO.", "Company") < T
    matcher = Matcher([Entity(list="t", source_id=str(k), schema="Company", names=[Name(n, "primary")])
                       for k, n in enumerate(["ZAGROS MIDDLE EAST TRADING", "TIDEWATER MIDDLE EAST CO.", "TIDEWATER ASIA CO."])])
    found = matcher.match(Query("شرکت تایدواتر خاورمیانه", "Company"))
    assert [m.entity.source_id for m in found] == ["1"], [(m.entity.source_id, m.score) for m in found]


def test_legal_form_roles_in_other_scripts() -> None:
    form = analyse("אלביט בע״מ", "Company")
    assert form.roles[-1] == LEGAL and form.legal == ("ltd",)
    burmese = analyse("ရွှေ ကုမ္ပဏီလီမိတက်", "Company")
    assert burmese.legal == ("ltd",)
    assert analyse("الشيخ محمد", "Person").roles[0] == TITLE


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("فتحي حسن", "Fathi Hassan"),  # t + h written "th": Latin's digraph, two letters here
        ("أدهم خليل", "Adham Khalil"),  # d + h
        ("اسحاق يوسف", "Ishaq Youssef"),  # s + h
        ("عماد بويحي", "Imad Bouyahia"),  # y between two vowels: the ya the abjad writes
        ("كريم زرقاوي", "Karim Zarkaoui"),  # French "ou" between two vowels: waw
    ],
)
def test_latin_digraphs_and_glides(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


def test_a_digraph_pair_is_read_only_as_the_latin_digraph() -> None:
    # فتحي read as "fTJ" meets Fathi; it must not go on to meet Fasi through tha's "s".
    assert score("فتحي حسن", "Fasi Hassan") < 0.5
    assert cross_sim(abjad_classes("فتحي"), latin_classes("fathi")) > 0
    assert cross_sim(abjad_classes("فتحي"), latin_classes("fasi")) == 0.0


def test_chinese_syllables_read_as_pinyin_and_wade_giles() -> None:
    from tradeguard.matching.chinese import chinese_keys, han_syllable_key

    assert han_syllable_key("dong") == "tung" and han_syllable_key("zhi") == "chih"
    assert han_syllable_key("xue") == "hsueh" and han_syllable_key("zi") == "tzu"
    # "chi" spells 池 chi (pinyin) and 吉 ji / 齊 qi (Wade–Giles without its apostrophe).
    assert set(chinese_keys("chi")) == {han_syllable_key("chi"), han_syllable_key("ji"), han_syllable_key("qi")}
    # Pinyin "zhao" is only 赵 (Wade–Giles chao), never 超 chao (ch'ao).
    assert han_syllable_key("chao") not in chinese_keys("zhao")
    assert chinese_keys("lee") == (han_syllable_key("li"),) and chinese_keys("smith") == ()


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("深圳市明远电子科技有限公司", "Shenzhen Mingyuan Electronic Technology Co., Ltd."),
        ("深圳市明远电子科技有限公司", "Mingyuan Electronic Technology Co., Ltd."),  # city left out
        ("广东省佳华半导体有限公司", "Jiahua Semiconductor Co Ltd"),  # province left out
        ("明远电子科技有限公司", "Mingyuan Dianzi Keji Youxian Gongsi"),  # pinyin registration
        ("長風電子技術有限公司", "Changfeng Electronic Technology Co., Ltd."),  # traditional characters
        ("北京星河航天研究所", "Beijing Xinghe Aerospace Institute"),
        ("蓝海物流集团", "Lanhai Logistics Group"),
    ],
)
def test_chinese_company_words_read_as_their_english(query: str, listed: str) -> None:
    assert score(query, listed, "Company") >= T


def test_chinese_company_words_alone_make_no_match() -> None:
    assert score("明远电子科技有限公司", "Tianyu Electronic Technology Co., Ltd.", "Company") < 0.5
    assert score("深圳市明远电子科技有限公司", "Shenzhen Tianyu Electronic Technology Co Ltd", "Company") < 0.6
    assert score("蓝海物流集团", "Lanhai Shipping Group", "Company") < T
    # A person's name is never translated: 建设 Jianshe is a given name, not "construction".
    person = analyse("王建设", "Person")
    assert person.tokens == ("wang", "jian", "she") and not person.glosses


def test_chinese_syllables_joined_are_not_typos() -> None:
    """Joined syllables must spell the Latin word: 飞鹰 fei ying is not Feiyang."""
    assert score("王飞鹰", "Wang Feiying") >= T
    assert score("王飞鹰", "Wang Feiyang") < T
    assert score("飞鹰无人机技术有限公司", "Feiyang UAV Technology Co Ltd", "Company") < T


def test_index_finds_chinese_company_names_by_their_english_words() -> None:
    listed = ["Shenzhen Mingyuan Electronic Technology Co., Ltd.", "Tianyu Electronic Technology Co Ltd",
              "Mingyuan Trading Co", "Jiahua Semiconductor Co Ltd"]
    m = Matcher([Entity(list="t", source_id=str(i), schema="Company", names=[Name(n, "primary")])
                 for i, n in enumerate(listed)])
    assert [x.entity.source_id for x in m.match(Query("深圳市明远电子科技有限公司", "Company"))] == ["0"]
    assert [x.entity.source_id for x in m.match(Query("广东省佳华半导体有限公司", "Company"))] == ["3"]
    assert [x.entity.source_id for x in m.match(Query("明远贸易有限公司", "Company"))] == ["2"]


def test_hebrew_tsade_and_initial_yod() -> None:
    assert latin_classes("kats") == latin_classes("katz")  # ts and tz: one letter, tsade
    assert cross_sim(abjad_classes("כץ"), latin_classes("kats")) > 0
    # An initial yod before a consonant is "Yi" or "I": Yitzhak and Itzhak alike.
    assert cross_sim(abjad_classes("יצחק"), latin_classes("itzhak")) >= 0.9
    assert cross_sim(abjad_classes("יצחק"), latin_classes("yitzhak")) >= 0.9


def test_hebrew_het_and_qof_as_israeli_spellings_write_them() -> None:
    """Het is h in Israeli spellings (Haim, Yitzhak), ch or kh in others; qof is k: the
    same letter, not a cheap difference."""
    for latin in ("haim", "chaim", "khaim"):
        assert cross_sim(abjad_classes("חיים"), latin_classes(latin)) == cross_sim(abjad_classes("חיים"), "hIm")
    assert cross_sim(abjad_classes("יצחק"), latin_classes("yitzhak")) >= 0.95
    assert cross_sim(abjad_classes("רבקה"), latin_classes("rivka")) >= 0.95
    assert score("יצחק אוחיון", "Yitzhak Ohayon") >= T
    assert score("חיים כהן", "Hakim Cohen") < T  # (a het is not a k)


def test_hebrew_geresh_writes_the_sounds_hebrew_has_not() -> None:
    """ג' is the j of George, ז' the zh of Jean, ח' the kh of Khaled, ת' the th of Smith:
    the letter with its geresh (an apostrophe or the Hebrew sign) is that sound, not the
    plain letter, and the geresh does not cut the word in two."""
    assert abjad_classes("ג׳ורג׳") == "jUrj"
    assert abjad_classes("ח׳אלד") == "xld"  # (a plain het would be "Q", an initial ayin a vowel)
    assert abjad_classes("ע׳זה") == "gzH" and abjad_classes("עזה") == "VzH"
    assert [t for t in analyse("ג'ורג' סמית'", "Person").tokens] == ["gwrg", "smyt"]
    assert cross_sim(abjad_classes("סמית׳"), latin_classes("smith")) >= 0.95
    assert score("ג'ורג' וושינגטון", "George Washington") >= 0.9
    assert score("ג׳יימס ג׳ויס", "James Joyce") >= T
    assert score("דייוויד סמית'", "David Smith") >= T
    # Gershayim and a geresh after any other letter are still an abbreviation's: בע"מ is Ltd.
    assert analyse('אלון שיווק בע"מ', "Company").roles[-1] == LEGAL


def test_hebrew_writes_the_arabic_article_and_particles() -> None:
    """Hebrew writes an Arab's name with the article אל- and the particles אבו and בן:
    they are the Latin name's al, abu and bin, not short words spelt like them."""
    assert score("בשאר אל-אסד", "Bashar AL-ASAD") >= 0.85
    assert score("אבו בכר אל-בגדאדי", "Abu Bakr AL-BAGHDADI") >= 0.9
    assert score("בשאר אל-אסד", "Bashar AL-ASSI") < 0.5
    assert score("דוד בן גוריון", "David BEN-GURION") >= T  # (the Hebrew "son of")
    # An initial ayin with a yod or vav is a vowel, as an initial alef with one is.
    assert abjad_classes("עימאד") == "Vmd" and abjad_classes("עודד") == "Vdd"
    assert score("מרואן עיסא", "Marwan ISSA") >= T


def test_hebrew_words_of_firm_names_are_translated_with_their_prefixes_read_off() -> None:
    """A Hebrew firm's name is often listed by its English name: its common words are
    glossed (abjad_glosses.yml), the article and a one-letter preposition written into a
    word read off first (התעשייה, the industry; לישראל, of Israel)."""
    assert score("התעשייה האווירית לישראל", "ISRAEL AEROSPACE INDUSTRIES", "Company") >= T
    assert score('אלביט מערכות בע"מ', "ELBIT SYSTEMS LTD", "Company") >= 0.85
    assert score('צים שירותי ספנות משולבים בע"מ', "ZIM INTEGRATED SHIPPING SERVICES LTD", "Company") >= T
    # The common words alone make no match: the distinctive word must meet too.
    assert score('אלביט מערכות בע"מ', "ELTA SYSTEMS LTD", "Company") < 0.5
    assert score('שירותי ספנות בע"מ', "ZIM INTEGRATED SHIPPING SERVICES LTD", "Company") < T


def test_hebrew_doubled_vav_and_yod_are_a_consonant_and_a_diphthong() -> None:
    """Hebrew without points writes a consonant vav twice (דייוויס Davis) and a yod twice
    inside a word for the diphthong or the consonant y (מייקל Michael, ג'יימס James)."""
    assert abjad_classes("דייוויס") == "dYUIs" and abjad_classes("וושינגטון")[:2] == "wX"
    assert cross_sim(abjad_classes("דייוויס"), latin_classes("davis")) >= 0.88
    assert cross_sim(abjad_classes("מייקל"), latin_classes("michael")) >= 0.9
    assert cross_sim(abjad_classes("שניידר"), latin_classes("schneider")) >= 0.95
    assert score("מייקל דייוויס", "Michael Davies") >= T
    assert score("מייקל דייוויס", "Michael Dawson") < T


def test_a_soft_g_is_the_j_an_abjad_writes() -> None:
    """A g before e, i or y is read as j too (George جورج, Luigi), as an abjad writes what
    is said; the hard reading stays (Gerwig גרוויג)."""
    assert score("جورج بوش", "George Bush") >= T
    assert score("לואיג'י פירנדלו", "Luigi Pirandello") >= T
    assert score("גרטה גרוויג", "Greta Gerwig") >= T
    assert latin_classes("matthias") == latin_classes("mathias")  # (a doubled letter before its digraph)


def test_slavic_and_german_letters_that_ascii_or_latin_hide() -> None:
    """A South Slavic -ić written in ASCII ends in -ic, and its c is the ch an abjad writes
    (Mladić ملاديتش, Vučić فوتشيتش); Polish letters have their Polish values (Olszewski
    אולשבסקי); Arabic writes a German tz or z تز (Hertzog هيرتزوغ)."""
    assert score("راتكو ملاديتش", "Ratko MLADIC") >= 0.9
    assert score("ألكسندر فوتشيتش", "Aleksandar VUCIC") >= T
    assert score("سلوبودان ميلوسيفيتش", "Slobodan Milosevic") >= T
    assert score("راتكو ملاديتش", "Ratko MLADENOV") < T
    assert score("יאן אולשבסקי", "Jan Olszewski") >= T
    assert score("مارتن موشكوفيتش", "Martin Moszkowicz") >= T
    assert score("فيرنر هيرتزوغ", "Werner Hertzog") >= T
    # The glide of oi, oy before a consonant is the ya an abjad writes after the waw.
    assert score("סרגיי שויגו", "Sergei SHOIGU") >= T


def test_a_letter_read_its_other_usual_way_is_the_same_letter() -> None:
    """Hebrew kaf is k or kh, shin s or sh: a short name read so scores as written the same
    (two names of two consonants each are common: Sara Katz)."""
    assert cross_sim(abjad_classes("כץ"), latin_classes("katz")) == cross_sim(abjad_classes("גל"), latin_classes("gal"))
    assert score("שרה כץ", "Sara Katz") >= T
    assert score("שרה כץ", "Sarah Kats") >= T
    assert score("שרה כץ", "Sara Kaplan") < 0.6


def test_a_word_of_another_script_is_never_an_initial() -> None:
    """A one-letter romanisation of a word in another script is a name, not an initial:
    طه with an Urdu he (طھ), a Korean syllable 아 or 우."""
    for name in ("طھ ابراھیم", "김연아", "조현우"):
        assert INITIAL not in analyse(name, "Person").roles, name
    assert score("김연아", "KIM Yuna") >= T and score("조현우", "Cho Hyun-woo") >= T
    assert score("طھ ابراھیم", "Taha IBRAHIM") >= T
    # Urdu letters ICU leaves as they are are read as the Arabic ones in the Latin spelling.
    assert analyse("ذوالفقار علی بھٹو", "Person").tokens[-1] == "bhtw"


def test_a_final_alif_is_a_final_a() -> None:
    assert score("نیما کریمی", "Nima KARIMI") >= T
    assert score("علاء حسن", "Alaa HASSAN") >= T  # a final hamza after it is not written
    assert score("رضا کریمی", "Reza KARIMI") >= T and score("ملا عمر", "Mullah OMAR") >= T
    assert abjad_classes("نیما") == "nImA" and latin_classes("alaa") == "VlH"


def test_a_silent_final_ha_before_a_persian_suffix() -> None:
    """Persian writes the nisba of a name in silent -eh with a zero-width non-joiner after
    the ha (خامنه‌ای Khamenei, of the town Khameneh), often typed as a space: the ha stays
    final (a vowel or h), and the suffix typed apart is the same word."""
    assert abjad_classes("خامنه\u200cای") == "xmnHM"  # (not the consonant h of "xmnhM")
    assert score("علی خامنه\u200cای", "Ali KHAMENEI") >= T
    assert score("فاطمه خامنه ای", "Fatemeh KHAMENEI") >= T
    assert split_words("سید خامنه ای") == [["سید"], ["خامنه\u200cای"]]
    # A non-joiner after another letter is only a joint: one word, as before.
    assert split_words("حسن\u200cزاده") == [["حسنزاده"]]
    assert score("محمد خامنه\u200cای", "Mohammad KHAMISI") < T


def test_kaf_written_for_gaf() -> None:
    """Persian, Pashto and Urdu names are often written with kaf for gaf (an Arabic
    keyboard has no gaf): a short name read so still meets its Latin spelling."""
    assert score("كل محمد", "Gul Mohammad") >= T
    assert score("بيك محمد نورزي", "Baig Mohammad Noorzai") >= T
    assert score("كل محمد", "Wali Mohammad") < T


def test_ben_written_into_a_maghrebi_family_name() -> None:
    """Arabic script may write "Ben" into the family name (بنعلي), Latin writes it apart."""
    assert score("محمد بنعلي", "Mohamed Ben Ali") >= T
    assert score("سيف الله بن عمر بن محمد بنحسين", "Seifallah Ben HASSINE") >= T
    assert score("علي بنحسين", "Ali Ben Hassan") < T  # Hussein is not Hassan
    m = Matcher([Entity(list="t", source_id="1", schema="Person", names=[Name("Seifallah Ben HASSINE", "primary")]),
                 Entity(list="t", source_id="2", schema="Person", names=[Name("Ali Ben HASSAN", "primary")])])
    assert [x.entity.source_id for x in m.match(Query("سيف الله بنحسين", "Person"))] == ["1"]


def test_french_spellings_of_maghrebi_names() -> None:
    """French transliteration writes shin "ch" (Cherif, Achour), and a Maghrebi family name
    "Ben" + a name as one word where Arabic script writes "بن" apart (Benkhedda)."""
    assert score("شريف عاشور", "Cherif ACHOUR") >= T
    assert score("هشام شعبان", "Hichem CHAABANE") >= T
    assert score("يوسف بن خدة", "Youcef BENKHEDDA") >= T
    assert score("محمد بن سعيد", "Mohamed BENSAID") >= T
    assert score("محمد بن سعيد", "Mohamed BENSALEM") < T  # another name after "Ben"
    assert score("كمال شريف", "Kamel CHAKIR") < T  # Sharif is not Shakir
    how = compare("يوسف بن خدة", "Youcef BENKHEDDA", "Person")[1]["name"]["tokens"][-1]
    assert (how["query"], how["list"], how["how"]) == ("bin khdt", "benkhedda", "cross_script_joined")
    matcher = _among_many(["Youcef BENKHALED", "Youcef BENKHEDDA", "Youcef KHEDDA"])
    found = matcher.match(Query("يوسف بن خدة", "Person"))
    assert [m.entity.source_id for m in found][:1] == ["1"], [(m.entity.source_id, m.score) for m in found]


def test_two_words_run_together_after_a_letter_that_joins_nothing() -> None:
    """A space left out after ر (or ا د ذ ز و ة) does not show: "ظاهرعويس" looks like
    "ظاهر عويس", so one abjad word may meet two Latin words, each part its own word."""
    assert score("حسن ظاهرعويس", "Hassan Dahir AWEYS") >= T
    assert score("محمد ناصرعباس", "Mohammed Nasser ABBAS") >= T
    assert score("Mohammed Nasser ABBAS", "محمد ناصرعباس") >= T  # a list written so, too
    how = compare("محمد ناصرعباس", "Mohammed Nasser ABBAS", "Person")[1]["name"]["tokens"][-1]
    assert (how["query"], how["list"], how["how"]) == ("nasrbas", "nasser abbas", "cross_script_joined")
    assert score("محمد ناصرعباس", "Mohammed Nasser") < T  # one part alone meets nothing
    assert score("محمد ناصرعباس", "Mohammed Nasser HAMDAN") < T
    matcher = _among_many(["Mohammed Nasser HAMDAN", "Mohammed Nasser ABBAS", "Hassan ABBAS"])
    found = matcher.match(Query("محمد ناصرعباس", "Person"))
    assert [m.entity.source_id for m in found] == ["1"], [(m.entity.source_id, m.score) for m in found]
    # The second word with its article: "بشارالاسد" against "Bashar al-Assad" (0 before).
    assert score("بشارالاسد", "Bashar AL-ASSAD") >= T
    assert score("ماهرالاسد", "Bashar AL-ASSAD") < T


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ဦးသိန်းစိန်", "Thein Sein"),  # U (Mr) left out of the name ...
        ("ဦး သိန်းစိန်", "Thein Sein"),  # ... written apart or not
        ("ဦးသိန်းစိန်", "Oo Thein Sein"),  # ... and when the list writes it (U, Oo)
        ("ဦးသန့်", "U Thant"),
        ("တင်ဦး", "Tin Oo"),  # ဦး inside a name is a syllable of it, written Oo
        ("ဦးတင်ဦး", "U Tin Oo"),
        ("ဗိုလ်ချုပ်မှူးကြီးမင်းအောင်လှိုင်", "Min Aung Hlaing"),  # a rank run into the name
    ],
)
def test_burmese_honorifics_and_ranks(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


def test_burmese_honorifics_make_no_match_alone() -> None:
    assert score("ဦးသိန်းစိန်", "Oo Tin Oo") < 0.6
    assert score("ဦးတင်ဦး", "Tin Aung") < 0.7


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ロバート・ブラウン", "Robert Brown"),  # r after a vowel unheard, l written r
        ("マイケル・ジャクソン", "Michael Jackson"),
        ("デビッド・ウィルソン", "David Wilson"),  # v written b, a doubled consonant
        ("エリザベス・テイラー", "Elizabeth Taylor"),  # th written s
        ("アンゲラ・メルケル", "Angela Merkel"),  # a German r is heard
    ],
)
def test_foreign_names_in_katakana(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


def test_particles_in_katakana_are_the_latin_particles() -> None:
    """A particle katakana writes as a word of its own (ド de, アル al, ビン bin) is read as
    the Latin particle: by its syllables, ド was a name word "do" no list word met (Charles
    de Gaulle 0.73, Bashar al-Assad 0.74 before)."""
    form = analyse("シャルル・ド・ゴール", "Person")
    assert form.tokens[1] == "de" and form.roles[1] == PARTICLE
    assert score("シャルル・ド・ゴール", "Charles DE GAULLE") >= T
    assert score("バッシャール・アル＝アサド", "Bashar AL-ASSAD") >= T
    assert score("シャルル・ド・ゴール", "Charles GAULTIER") < T
    assert analyse("ド", "Person").tokens == ("do",)  # (a name of that one word is no particle)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("로버트 브라운", "Robert Brown"),
        ("마이클 잭슨", "Michael Jackson"),
        ("엘리자베스 테일러", "Elizabeth Taylor"),  # ㄹㄹ for an l between vowels
        ("블라디미르 푸틴", "Vladimir Putin"),  # v written ㅂ
        ("리처드 로런스 테일러", "Richard Taylor"),  # a middle name the list leaves out
        ("理查德·劳伦斯·泰勒", "Richard Taylor"),
    ],
)
def test_foreign_names_in_hangul(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


def test_hangul_writes_the_kh_of_russian_and_persian_names_h() -> None:
    """Korean writes the kh of Russian, Arabic and Persian names ㅎ, h (하메네이 Khamenei,
    호도르콥스키 Khodorkovsky), an English one ㅋ (칸 Khan): a Latin kh is heard both ways."""
    assert score("알리 하메네이", "Ali KHAMENEI") >= T  # (0.13 before)
    assert score("미하일 호도르콥스키", "Mikhail KHODORKOVSKY") >= T  # (0.78 before)
    assert score("임란 칸", "Imran KHAN") >= T
    assert score("알리 하메네이", "Ali KHAMIS") < T


@pytest.mark.parametrize(
    ("query", "listed"),
    [("스미스", "Smith"), ("잭슨", "Jackson"), ("클린턴", "Clinton"), ("닉슨", "Nixon"),
     ("리처드", "Richard"), ("로버트", "Robert"), ("한스", "Hans")],
)
def test_foreign_name_as_one_hangul_word(query: str, listed: str) -> None:
    # One word that starts with no Korean family name is read as a foreign name too, as is
    # one that does but holds a syllable only a foreign word writes (드, 트, 스).
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("세실리아 멘데스", "Cecilia Mendez"),  # a Spanish z said s
        ("페넬로페 크루스", "Penelope Cruz"),
        ("프란츠 브렌타노", "Franz Brentano"),  # a German z said ts
        ("발렌티나 체르비", "Valentina Cervi"),  # an Italian c before e said ch
        ("베로니카 로스", "Veronica Roth"),  # th written ㅅ
        ("제임스 와트", "James Watt"),  # 트 is no Korean name's syllable: Watt is read by its sound
    ],
)
def test_hangul_writes_the_sounds_a_name_has_in_its_own_language(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("이고르 세친", "Igor Sechin"),  # 이 is the vowel i in a foreign name, not the family name's Yi
        ("이반 이바노프", "Ivan Ivanov"),
        ("오드리 헵번", "Audrey Hepburn"),  # a final ㅂ writes a p ...
        ("조지 필립스", "George Phillips"),
        ("스티브 잡스", "Steve Jobs"),  # ... or a b
        ("미쓰비시", "Mitsubishi"),  # a Japanese name's tsu written 쓰, its fu 후
        ("후지와라 노리카", "Norika Fujiwara"),
        ("아이젠베르거", "Eisenberger"),  # a German final -er unsaid, its r before a consonant said
        ("조니 워커", "Johnnie Walker"),  # the l of -alk unsaid
        ("케이트 모스", "Kate Moss"),  # a long vowel before a final e
        ("팻 로버트슨", "Pat Robertson"),  # t and s two letters; a word of one syllable beside a foreign one
        ("댄 브라운", "Dan Brown"),
        ("헤더 로클리어", "Heather Locklear"),  # th written ㄷ
        ("알리나 카바예바", "Alina Kabaeva"),  # the v of -eva written ㅂ
        ("게르하르트 슈뢰더", "Gerhard Schroeder"),  # an h after r said
        # Kana and Hangul hear the letters German and the Slavic languages say otherwise:
        ("ゴットリープ・ダイムラー", "Gottlieb Daimler"),  # a final b, d, g said p, t, k
        ("ハンス・アイゼンベルク", "Hans Eisenberg"),
        ("フェリックス・ジェルジンスキー", "Felix Dzerzhinsky"),  # dz one sound
        ("ヴィルヘルム・ヴルツ", "Wilhelm Wulz"),  # an initial w said v
        ("리하르트 바그너", "Richard Wagner"),
        ("ハメス・ロドリゲス", "James Rodriguez"),  # ... and a Spanish j said h
        ("훌렌 게레로", "Julen Guerrero"),
    ],
)
def test_hangul_and_kana_loan_readings(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


def test_german_and_slavic_readings_are_readings_of_the_same_letters() -> None:
    assert score("ハンス・アイゼンベルク", "Hans Eisenbeck") < T
    assert score("ゴットリープ・ダイムラー", "Gottfried Daimler") < T
    assert score("ヴィルヘルム・ヴルツ", "Wilhelm Wolf") < T


def test_hangul_loan_reading_traps() -> None:
    # A name that ends in a vowel is written with it; a word of one syllable writes its vowel.
    assert score("마쓰이 히데키", "Hideki Matsuo") < T and score("마쓰이 히데키", "Hideki Matsui") >= T
    assert score("팻 로버트슨", "Pete Robertson") < T and score("댄 브라운", "Don Brown") < T
    assert score("제임스 밀러", "James Miles") < T  # (the s of Miles said long is still there)
    assert score("오드리 헵번", "Audrey Hebborn") < T  # 헵 writes its p


def test_a_hangul_final_p_is_no_initial_p() -> None:
    from tradeguard.matching.loanwords import loan_sim

    # A syllable's final ㅂ writes a p or a b; an initial ㅂ is a b only (ㅍ writes the p).
    assert loan_sim("philriPsu", "phillips", "k") >= 0.9 and loan_sim("jaPsu", "jobs", "k") >= 0.9
    assert loan_sim("philripsu", "phillips", "k") == 0
    assert score("로버트 브라운", "Rupert Brown") < 0.5


def test_a_french_final_consonant_left_unsaid() -> None:
    """Raymond is ريمون, Bernard برنار, Gérard Жерар: the final d or t of -ond, -ont,
    -ard, -ert unsaid; not that of -and (Friedland is no Fridman)."""
    assert score("ريمون رزق", "Raymond RIZQ") >= T  # listed (EU, UK)
    assert score("برنار", "Bernard") >= T and score("אנטרמון", "Entremont") >= T
    assert score("Жерар Депардьё", "Gerard Depardieu") >= T
    assert score("ريتشارد", "Richard") >= T  # (the plain spelling still reads)
    assert score("ميخائيل فريدمان", "Mikhail FRIEDLAND") < T


def test_a_french_final_et_and_ier_said_e() -> None:
    """Monet is مونيه and מונה, Franchet فرانشيه, Thilorier تيلورييه: French says a final
    -et and -ier é, which the abjads write as a vowel; a Turkish -et keeps its t."""
    assert score("كلود مونيه", "Claude Monet") >= T and score("קלוד מונה", "Claude Monet") >= T
    assert score("فرانشيه", "Franchet") >= T and score("تيلورييه", "Thilorier") >= T
    from tradeguard.matching.abjad import other_reading

    assert score("جودت", "Cevdet") >= T  # (read as Turkish: جودت)
    assert other_reading("mehmet") is None  # (Turkish: two consonants before the -et)


def test_a_french_final_consonant_after_o_left_unsaid() -> None:
    """Rimbaud is ランボー, Vernoux Верну, Bardot Бардо: French leaves the final d, t, x of
    -aud, -ault, -aut, -aux, -oux and -ot unsaid; a Maghrebi -oud says its d (محمود)."""
    from tradeguard.matching.abjad import other_reading

    assert score("ランボー", "Rimbaud") >= T and score("Верну", "Vernoux") >= T
    assert other_reading("renault") == "renau" and other_reading("mahmoud") is None


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Франсуа Бозизе", "François BOZIZE"),  # ç lost in ASCII, oi said ua
        ("Лоран Гбагбо", "Laurent GBAGBO"),  # a nasal en, its t unsaid
        ("Жак Ширак", "Jacques CHIRAC"),  # j zh, ch sh, -cques k
        ("Юбер Ведрин", "Hubert VEDRINE"),  # h unsaid, u yu
        ("Гийом Соро", "Guillaume SORO"),  # gu a hard g, ill y
        ("Жюльен Гамбу", "Julien GAMBOU"),  # ien yen, ou u
        ("Шарль Азнавур", "Charles AZNAVOUR"),
        ("Жан Габен", "Jean GABIN"),  # a nasal in
        ("Франсуа Олланд", "Francois HOLLANDE"),  # the d of -nde said
        ("جاك شيراك", "Jacques CHIRAC"),  # Arabic
        ("فرانسوا بوزيزيه", "François BOZIZE"),
        ("لوران غباغبو", "Laurent GBAGBO"),
        ("هوبير فيدرين", "Hubert VEDRINE"),
        ("ז'אק שיראק", "Jacques CHIRAC"),  # Hebrew
        ("ユベール・ヴェドリーヌ", "Hubert VEDRINE"),  # katakana
    ],
)
def test_a_french_name_read_as_french_says_it(query: str, listed: str) -> None:
    """The scripts that write a name by its sound write a French one as French says it
    (spoken.py): Жак Ширак, جاك شيراك are Jacques Chirac."""
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


def test_a_french_reading_keeps_other_names_apart() -> None:
    """A French reading is one more way a name may sound, never a looser one: John is not
    Жан; German spelling keeps its own sounds (Friedland is no Fridman); the Indic scripts,
    which write foreign names as English says them, take none (Henderson, its h unsaid
    and its en said an, would be an Anderson); an s between vowels stays s (Nasim, no ناظم)."""
    from tradeguard.matching.spoken import spoken_reading

    assert spoken_reading("french", "jacques") == "zhak" and spoken_reading("french", "laurent") == "loran"
    assert spoken_reading("french", "guillaume") == "giyom" and spoken_reading("french", "friedland") is None
    assert score("Жан Габен", "John GABIN") < T
    assert score("जेम्स एंडरसन", "James HENDERSON") < T
    assert score("ناظم", "Nasim") < T


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Хорхе Родригес", "Jorge RODRIGUEZ"),  # j and g before e said kh
        ("Хоакин Гусман", "Joaquin GUZMAN"),  # z said s
        ("Хавьер Солана", "Javier SOLANA"),
        ("Хуан Карлос", "Juan CARLOS"),
        ("Уго Чавес", "Hugo CHAVEZ"),  # h unsaid
    ],
)
def test_a_spanish_name_read_as_spanish_says_it(query: str, listed: str) -> None:
    """Russian writes a Spanish name as Spanish says it (spoken.py): Хорхе is Jorge,
    Хоакин Гусман Joaquín Guzmán; an English word is not read so (Хон is no John)."""
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)
    assert score("Хон Смит", "John SMITH") < T


def test_a_word_of_german_spelling_read_as_german_says_it() -> None:
    """Stresemann is שטרזמן, Seidl זיידל, Rosenberg روزنبرغ: in a word German spelling
    marks (sch, tz, dt, ie, -mann, -berg, -stein, -dl), an s before a vowel is z, an
    initial st sht; elsewhere an s stays s (Samir is not زامر)."""
    from tradeguard.matching.abjad import other_reading

    assert score("גוסטב שטרזמן", "Gustav Stresemann") >= T and score("אולריך זיידל", "Ulrich Seidl") >= T
    assert score("روزنبرغ", "Rosenberg") >= T
    assert other_reading("stresemann") == "shtrezemann" and other_reading("samir") is None


def test_the_vowel_after_an_initial_glide_is_read() -> None:
    """Ayyub and Ayoub start with a vowel and the glide y, and the vowel after it is the u
    an abjad writes with waw (أيوب): read, not lost in the glide."""
    from tradeguard.matching.abjad import latin_classes

    assert latin_classes("ayyub") == "yub" and latin_classes("ayoub") == "yUb"
    assert score("أيوب", "Ayoub") >= T and score("أيوب", "Ayyub") >= T
    assert score("علي عبدالله أيوب", "Ali Abdullah AYYUB") >= T  # an EU listing's Arabic name
    assert score("켈리 에이욧", "Kelly Ayotte") >= T  # (the loan readings keep their own)


def test_two_vowels_said_apart_are_two_vowels_an_abjad_writes() -> None:
    """Antonio, Elpidio, Manuel: two vowels said apart, which an abjad writing a foreign
    name writes as two long vowels (أنطونيو, إلبيديو, مانويل, בהיה) and Latin as one run."""
    from tradeguard.matching.abjad import latin_classes

    assert latin_classes("elpidio") == "VlpidiU" and latin_classes("manuel") == "mnuil"
    assert score("إلبيديو", "Elpidio") >= T and score("أوليمبيو", "Olimpio") >= T
    assert score("شادية", "Shadia") >= T
    assert latin_classes("mahmoud") == "mhmUd" and latin_classes("said") == "sId"  # (long vowels stay one)


def test_a_final_e_said_e_is_the_ya_arabic_writes() -> None:
    """Dante is دانتي, Vicente فيسنتي: Arabic writes the final e Italian and Spanish say
    with a ya; a final e left unsaid (Blake بليك, George جورج) or written ه (Fateme فاطمه)
    still meets the word without it."""
    assert score("دانتي", "Dante") >= T and score("فيسنتي", "Vicente") >= T
    assert score("أحمد ديبي", "Ahmad DIBE") >= T  # (an EU listing's Arabic-script name)
    assert score("بليك", "Blake") >= T and score("جورج", "George") >= T and score("فاطمه", "Fateme") >= T


def test_english_letters_left_unsaid_and_sounds_spelt_two_ways() -> None:
    """kn, wr and igh are said n, r and i (Knox, Wright); Hebrew writes the v of Stephen
    with bet, which Latin spells ph; Korean writes the voiced s of Kingsley with ㅈ."""
    assert score("רוברט נוקס", "Robert Knox") >= T
    assert score("أورفيل رايت", "Orville Wright") >= T
    assert score("Орвилл Райт", "Orville Wright") >= T
    assert score("סטיבן קולינס", "Stephen Collins") >= T
    assert score("벤 킹즐리", "Ben Kingsley") >= T
    from tradeguard.matching.abjad import other_reading

    assert other_reading("kramer") is None and other_reading("maghribi") is None  # (a k before r, an Arabic gh)


def test_the_s_english_says_z_in_a_word_of_english_spelling() -> None:
    """Joseph is جوزيف, ג'וזף, Джозеф: the s between vowels said z. Only where English
    spelling marks the word (ph, a final -ey, -ie, or e after a consonant): an Arabic name
    spelt in Latin letters writes a sin there (Nasim is not ناظم)."""
    assert score("جوزيف كوني", "Joseph Kony") >= T
    assert score("ג'וזף קוני", "Joseph Kony") >= T
    assert score("والت ديزني", "Walt Disney") >= T
    assert score("ناظم", "Nasim") < T and score("موزة", "Musa") < T
    matcher = _among_many(["Joseph KONY", "Joseph STALIN", "Josef NOVAK"])
    found = matcher.match(Query("جوزيف كوني", "Person"), threshold=T)
    assert [m.entity.source_id for m in found] == ["0"], [(m.entity.source_id, m.score) for m in found]


def test_a_loan_reading_keeps_a_names_last_vowel_and_a_cheap_z() -> None:
    """A Latin name that ends in a vowel is written with it (Golani 골라니): 칼론, ending in
    n, is not Golani, though their consonants agree. A z said ts (Franz 프란츠) is a cheap
    letter, not a free one, so two consonants stay apart (우치다, Uchida, is not Azadi)."""
    assert score("모하메드 칼론", "Abu Muhammad AL-GOLANI") < T
    assert score("우치다 아이", "Ali AZADI") < T
    assert score("프란츠 브렌타노", "Franz Brentano") >= T


def test_a_name_of_two_short_foreign_words_in_hangul() -> None:
    """Two consonants heard alike are too little for one word alone, but a name of two such
    words, each met, reaches the threshold; a word that differs keeps it under."""
    assert score("루크 켈리", "Luke Kelly") >= T and score("다이앤 래드", "Diane Ladd") >= T
    assert score("켈리", "Kelly") < T
    assert score("루크 켈리", "Luke Kelso") < T and score("루크 켈리", "Mark Kelly") < T


def test_index_reads_a_hangul_word_with_a_foreign_syllable_by_its_sound() -> None:
    matcher = _among_many(["James WATT", "James WATSON", "Veronica ROTH", "Veronica ROTHMAN"])
    for query, expected in (("제임스 와트", "0"), ("베로니카 로스", "2")):
        found = matcher.match(Query(query, "Person"))
        assert [m.entity.source_id for m in found] == [expected], (query, [(m.entity.source_id, m.score) for m in found])


def test_a_latin_name_that_spells_a_korean_syllable_meets_a_long_hangul_word() -> None:
    """Mark reads as the Korean syllable 막, which leaves it to the syllable keys against a
    short word; 마르크 (three syllables) writes Mark by its sound, and is read so."""
    assert score("마르크 타위터르트", "Mark Tuitert") >= T
    assert score("마르크", "Mark") >= T
    # A word of two syllables may be a Korean name: a Korean-looking Latin word is left
    # to the syllable keys there.
    assert left_to_syllables("k", 2, "mark") and not left_to_syllables("k", 3, "mark")


def test_a_person_name_word_starting_like_a_preposition_and_article_is_one_word() -> None:
    """"بال" (with the), "فال" and "وال" (and the) are written into the article in a firm's
    name; a person's words that start so are names (Belhadj, Baldwin, Valentino)."""
    assert score("محمد بالحاج", "Mohamed Belhadj") >= 0.9
    assert score("بالدوين", "Baldwin") >= T
    assert score("فالنتينو روسي", "Valentino Rossi") >= T
    assert analyse("مؤسسة بالتجارة", "Company").tokens[1:] == ("al", "tjart")  # (a firm's: with the trade)


def test_hangul_traps() -> None:
    assert score("로버트 브라운", "Rupert Brown") < 0.5  # ㅂ (b) and ㅍ (p) are two letters
    assert score("김예지", "Kemz") < T  # a Korean name in one word is read by its syllables
    assert score("김민수", "Kimmins") < T  # (it starts with a family name, 김)
    from tradeguard.matching.romanize import writes_loanword_syllable

    assert writes_loanword_syllable("리처드") and writes_loanword_syllable("한스")
    assert not any(map(writes_loanword_syllable, ("김정은", "이승만", "으뜸", "조지")))
    assert score("김정은", "KIM Jong Un") >= 0.95  # ... as before
    # A syllable of the query's given name that the list name lacks makes another given
    # name, as one the list name holds and the query lacks does (서준 Seo-jun is not Chun).
    assert score("박서준", "Pak Do Chun") < T and score("박서준", "Pak Chun") < T
    assert score("김정은", "KIM Jong") < T
    assert score("박서준", "Pak So Chun") >= 0.95


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ドミトリー・メドベージェフ", "Dmitry Medvedev"),  # the v of a Slavic -ev written fu
        ("タチアナ・シマコワ", "Tatiana Simakova"),  # ... of -ova written wa
        ("アタナソフ", "Atanasov"),
        ("ヴァシリキ", "Vassiliki"),  # si written shi; a Latin v is no Japanese name
        ("ムハレム", "Muharrem"),  # an h between vowels is said
        ("ウッドヴィル", "Woodville"),  # an initial wo written u
        ("アッヘンバッハ", "Achenbach"),  # the German ch written h
        ("シュターデルマン", "Stadelmann"),  # the German st written shut
        ("ジェロック", "Geroch"),  # a soft g (abjad.other_reading) written j
    ],
)
def test_katakana_writes_the_sounds_a_name_has_in_its_own_language(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


def test_a_katakana_word_read_by_its_sound_may_still_meet_its_name_item() -> None:
    """A loan reading is weaker evidence than a name item: イーゴリ (Igor by its sound, 0.85)
    meets Igor by its Wikidata item too, as a Hangul word does."""
    assert score("イーゴリ・セーチン", "Igor Sechin") >= 0.93


def test_katakana_traps() -> None:
    assert score("ニコライ・パトルシェフ", "Nikolai Petrushin") < T  # a last letter off: another name
    assert score("ピーター・シュミット", "Peter Smith") < T  # シュ is sh, not s
    assert score("イワン・イワノフ", "Ivan Ivashov") < T
    assert score("ロバート・スミス", "Rupert Smith") < 0.5  # バ and パ are two letters
    assert score("コンドウ", "Chandy") < T  # an initial ch is not k
    assert score("モリ", "Omar") < T  # kana writes an initial vowel
    assert score("サトウ", "Saito") < T  # a Latin word that reads as Japanese: syllable keys only
    assert score("ミラ", "Miller") < T  # one short word met through its sound alone stays under it


def test_index_finds_cyrillic_names_by_sound_and_without_the_patronymic() -> None:
    """Retrieval reads a Cyrillic word by its sound even where its romanisation is a list
    token too (Артем: Artem, and Artyom as the scorer reads it), and counts a patronymic a
    list name leaves out as the scorer does: the names are found, not dropped by the bound."""
    names = ["ZHOGA Artyom Vladimirovich", "PETROV Artem Ivanovich", "NIKITIN Viktor", "NIKITIN Pavel"]
    matcher = _among_many(names)
    found = matcher.match(Query("ЖОГА Артем Владимирович", "Person"), threshold=T)
    assert [m.entity.source_id for m in found] == ["0"], [(m.entity.source_id, m.score) for m in found]
    found = matcher.match(Query("НИКИТИН Виктор Викторович", "Person"), threshold=T)
    assert [m.entity.source_id for m in found] == ["2"], [(m.entity.source_id, m.score) for m in found]
    # Only names without a patronymic of their own let the query's go cheaper in the bound.
    marks = matcher.index.with_patronymic
    assert marks[0] and marks[1] and not marks[2] and not marks[3]


def test_index_finds_the_cheap_substitutions_the_scorer_reads() -> None:
    """An abjad word is looked up under the other readings of its letters that the scorer
    counts as cheap (Persian qaf as gh, shin as French ch, Hebrew bet as v, shin as s): the
    Latin spellings are reached, not left to a bound that never saw them."""
    matcher = _among_many(["Mohammad Hossein BAGHERI", "Hassan GHABACHE", "Avi SASSON"])
    index = matcher.index
    for word, latin in (("باقری", "bagheri"), ("غباشة", "ghabache"), ("ששון", "sasson"), ("אבי", "avi")):
        form = analyse(word, "Person")
        reached = {index.keys[kid] for kid, _sim in index.cross_lookup(form.xkeys[0])}
        assert analyse(latin, "Person").keys[0] in reached, (word, latin, reached)
    found = matcher.match(Query("محمد حسین باقری", "Person"))
    assert [m.entity.source_id for m in found][:1] == ["0"], [(m.entity.source_id, m.score) for m in found]


def test_index_finds_foreign_names_in_katakana() -> None:
    names = ["Robert BROWN", "Rupert BROWN", "Michael JACKSON", "TANAKA Hiroshi"]
    matcher = _among_many(names)
    found = matcher.match(Query("ロバート・ブラウン", "Person"))
    assert [m.entity.source_id for m in found] == ["0"], [(m.entity.source_id, m.score) for m in found]
    # A Slavic name in katakana, and a Latin word with a v that reads as kana syllables
    # (va, si): retrieval reads them by their sound, as the scorer does.
    matcher = _among_many(["Tatiana SIMAKOVA", "Dmitry MEDVEDEV", "Vassiliki PAPADOPOULOU", "Tatiana SIMAKINA"])
    for query, expected in (("タチアナ・シマコワ", "0"), ("ドミトリー・メドベージェフ", "1"), ("ヴァシリキ・パパドプル", "2")):
        found = matcher.match(Query(query, "Person"))
        assert [m.entity.source_id for m in found] == [expected], (query, [(m.entity.source_id, m.score) for m in found])


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ジョージ・ブッシュ", "George Bush"),  # a sound Japanese changes: ジョージ is George
        ("Ουίλιαμ Μίλερ", "William Miller"),  # an English name written in Greek
        ("माइकल", "Michael"),  # ... in Devanagari
        ("安倍晋三", "Shinzo ABE"),  # a Japanese name in kanji as one run: 安倍 + 晋三
        ("小泉純一郎", "KOIZUMI Junichiro"),  # ... a given name of three
    ],
)
def test_names_across_scripts_by_their_wikidata_name_items(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)
    assert "name_symbol" in {t["how"] for t in explanation["name"]["tokens"]}  # type: ignore[index]


@pytest.mark.parametrize(
    ("query", "listed", "schema"),
    [
        ("弗拉基米尔·普京", "Vladimir Putin", "Person"),
        ("弗拉基米尔·普京", "Vladimir Putin", None),  # given without a schema
        ("弗拉基米尔·普京", "Vladimir Putin", "LegalEntity"),
        ("弗拉基米尔·弗拉基米罗维奇·普京", "Vladimir Vladimirovich PUTIN", "Person"),  # 基 ji for di
    ],
)
def test_foreign_names_in_chinese_characters(query: str, listed: str, schema: str | None) -> None:
    s, explanation = compare(query, listed, schema)
    assert s >= T, explain_text(explanation)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("默克尔", "Merkel"),  # read by its sound: mo ke er
        ("斯大林", "Stalin"),
        ("特朗普", "Trump"),  # a final m written ng
        ("普京", "Putin"),  # two characters, met through its name items
        ("伊丽莎白", "Elizabeth"),  # four characters: not a Japanese name of two words
        ("阿卜杜拉", "Abdullah"),  # an Arabic name
        ("吐尔逊", "Tursun"),  # a Uyghur name
        ("穆加贝", "Mugabe"),  # 加 ga, as the tables read it (pinyin jia)
        ("格列奇科", "Grechko"),  # 列 le: the Russian table's characters
        ("叶夫根尼", "Yevgeniy"),  # 叶 ye
        ("切尔诺梅尔金", "Chernomyrdin"),  # six characters
        ("波利特科夫斯卡娅", "Politkovskaya"),  # eight
        ("瓦加诺娃", "Vaganova"),  # 瓦 wa, 娃 wa: a v (w, v and f one letter in a longer word)
        ("沃斯科瓦克", "Voskovec"),
        ("若斯潘", "Jospin"),  # 若 for a French j, a Russian ж
        ("日里诺夫斯基", "Zhirinovsky"),
    ],
)
def test_foreign_name_as_one_word_in_chinese_characters(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("罗伯特·穆加贝", "MUGABE, Robert Gabriel"),
        ("로버트 무가베", "MUGABE, Robert Gabriel"),
        ("叶夫根尼·普里戈任", "PRIGOZHIN, Yevgeniy Viktorovich"),
        ("예브게니 프리고진", "PRIGOZHIN, Yevgeniy Viktorovich"),
    ],
)
def test_a_foreign_name_in_chinese_or_hangul_may_leave_out_a_middle_name(query: str, listed: str) -> None:
    """A list word that spells no Chinese or Korean syllable (Gabriel, a patronymic) is a
    middle name the writing in characters or Hangul leaves out, as a Latin one may; a syllable
    left out is still another given name."""
    matcher = Matcher([_person("p1", listed)])
    found = matcher.match(Query(query, "Person"), threshold=0.5)
    assert [m.entity.source_id for m in found] == ["p1"] and found[0].score >= T, [(m.entity.source_id, m.score) for m in found]
    assert score("김정", "KIM Jong Un") < T and score("최룡", "CHOE Ryong Hae") < T
    assert score("魏雪", "Wei Hsueh Yuan") < T


def test_chinese_transcription_read_by_its_sound() -> None:
    """A word of the transcription tables' characters is read by the consonants it writes,
    heard as Mandarin hears English (loanwords.py), whatever the name items say."""
    from tradeguard.matching.chinese import writes_foreign_name
    from tradeguard.matching.loanwords import loan_sim

    assert loan_sim("mo ke er", "merkel", "c") >= 0.9  # 尔 er: an l alone
    assert loan_sim("ken ni di", "kennedy", "c") >= 0.9  # 迪 di: d, the vowel it adds left out
    assert loan_sim("te lang pu", "trump", "c") >= 0.85  # 朗 lang: a final m written ng
    assert loan_sim("qiao bu si", "jobs", "c") >= 0.85  # q for j
    assert loan_sim("ning li", "nimr", "c") == 0  # three consonants: a looser difference is too many
    assert loan_sim("yue han xun", "jackson", "c") == 0
    assert writes_foreign_name("普京") and writes_foreign_name("馬克龍")  # (traditional characters too)
    assert not writes_foreign_name("习近平")  # 习 and 近 are not the tables'
    assert not writes_foreign_name("马林")  # two characters that start with a family name: Ma Lin
    assert len(set(analyse("伊丽莎白", "Person").native)) == 1  # one word, not 伊丽 + 莎白


def test_a_name_written_with_the_middle_dot_is_a_foreign_name() -> None:
    """Chinese writes the words of a foreign name apart with a middle dot (伊戈尔·谢钦, Igor
    Sechin): a word of two characters there is a transcription even where its first is a
    family name (谢 Xie), which alone reads as a Chinese name (马林 Ma Lin)."""
    from tradeguard.matching.chinese import writes_foreign_name

    assert writes_foreign_name("谢钦", True) and not writes_foreign_name("谢钦")
    assert score("伊戈尔·谢钦", "Igor SECHIN") >= T  # (0.23 before)
    assert score("伊戈尔・谢钦", "Igor SECHIN") >= T  # (the Japanese middle dot)
    assert score("伊戈尔·谢钦", "Igor SHCHEGOLEV") < T
    assert score("马林", "Marlin") < T


def test_a_syllable_before_a_vowel_syllable_says_its_vowel() -> None:
    """穆 mu is m alone where the tables write a consonant with a vowel (布 bu for b), but
    before a syllable of a vowel alone (阿 a) it says its u: 穆阿迈尔 is Muammar, two m's,
    not one."""
    from tradeguard.matching.loanwords import loan_sim, written_loan_classes

    assert loan_sim("mu a mai er", "muammar", "c") >= 0.9  # (0 before)
    assert written_loan_classes("bu lang", "c") == "plN"  # (布 before a consonant: b alone, Braun)
    assert score("穆阿迈尔", "Omar") < T


def test_chinese_names_of_transcription_characters_stay_chinese_names() -> None:
    assert score("马林", "Marlin") < T  # 马 Ma: a Chinese name of two characters
    assert score("宁莉", "Nimr") < T  # ning li: n, l against n, m, r
    assert score("约翰逊", "Johnston") < T and score("詹姆斯", "Jameson") < T
    # A transcription is a person's name: a firm's name of its consonants is not met.
    matcher = Matcher([_company("c1", "MORLAN JSC"), _person("p1", "MORLAN, Jacques")])
    found = matcher.match(Query("马兰英", "Person"), threshold=0.5)
    assert "c1" not in [m.entity.source_id for m in found], [(m.entity.source_id, m.score) for m in found]


@pytest.mark.parametrize(
    ("query", "listed"),
    [("摩托罗拉公司", "Motorola Inc"), ("霍尼韦尔公司", "Honeywell Corporation"), ("摩根公司", "Morgan Company")],
)
def test_a_firms_name_in_transcription_characters(query: str, listed: str) -> None:
    # The start of a firm's name, before its translated words and legal form, read by its sound.
    s, explanation = compare(query, listed, "Company")
    assert s >= T, explain_text(explanation)


def test_a_firms_transcription_meets_firms_only() -> None:
    from tradeguard.matching.score import loan_words

    form = analyse("霍尼韦尔工业贸易有限公司", "Company")
    assert [(language, reading) for language, _positions, reading in loan_words(form)] == [("c", "huo ni wei er")]
    assert loan_words(analyse("华为技术有限公司", "Company")) == []  # 为: not the tables'
    matcher = Matcher([_company("c1", "MOTOROLA INC"), _person("p1", "MOTOROLA, Ivan")])
    found = matcher.match(Query("摩托罗拉公司", "Company"), threshold=0.5)
    assert [m.entity.source_id for m in found] == ["c1"], [(m.entity.source_id, m.score) for m in found]


def test_index_finds_a_foreign_name_in_chinese_characters() -> None:
    matcher = _among_many(["MERKEL", "MERCER", "Joseph STALIN"])
    found = matcher.match(Query("默克尔", "Person"))
    assert [m.entity.source_id for m in found] == ["0"], [(m.entity.source_id, m.score) for m in found]
    found = matcher.match(Query("约瑟夫·斯大林", "Person"))
    assert [m.entity.source_id for m in found] == ["2"], [(m.entity.source_id, m.score) for m in found]


def test_chinese_characters_of_a_firm_or_a_chinese_name_keep_their_syllables() -> None:
    assert score("王小明", "Wang Xiaoling") < T
    form = analyse("华为技术有限公司", None)  # a firm's name: its words are not looked up as name items
    assert native_words(form) == []


def test_name_items_fill_gaps_and_take_no_word_away() -> None:
    # علي is a short name the abjad comparison keeps weak (0.75); its Wikidata item does
    # not lift it (a clean "عدنان ... علي" once met "AL-ALI, Adnan" so).
    _s, explanation = compare("عدنان علي", "Adnan ALI", "Person")
    hows = {t["list"]: (t["how"], t["sim"]) for t in explanation["name"]["tokens"]}  # type: ignore[index]
    assert hows["ali"] == ("cross_script", 0.75)
    # فاروق shares an item with Omar: the spelled pairs are aligned first.
    assert score("عمر فاروق", "Omar Farouk") >= T
    assert score("Τζέιμς Μίλερ", "James Millar") < score("Τζέιμς Μίλερ", "James Miller")
    # Cyrillic, which the spelling rules read well, does not use them (nor load them).
    assert word_symbols("Джеймс") == frozenset()


def test_a_name_item_confirms_a_weak_spelling_of_the_same_token() -> None:
    """אהרון is Aaron by its letters only at 0.78 (an alef for the Latin aa), and by its
    Wikidata item: the two agree on the same token, which counts as the item does."""
    s, explanation = compare("אהרון רוסו", "Aaron Russo", "Person")
    hows = {t["list"]: (t["how"], t["sim"]) for t in explanation["name"]["tokens"]}  # type: ignore[index]
    assert s >= T and hows["aaron"] == ("name_symbol", 0.9)
    assert score("גאי ריצ'י", "Guy Ritchie") >= T and score("אריה לוין", "Aryeh Levin") >= T
    assert score("אהרון רוסו", "Aaron Rosen") < T  # (the item confirms Aaron, not Rosen)


def test_a_japanese_name_in_one_run_is_two_words() -> None:
    """Four or five characters as one run read as Japanese: a family name of two and a
    given name; each must meet its own name. Chinese names keep their syllables."""
    assert score("安倍晋三", "Shinzo KISHIDA") < 0.5
    japanese = analyse("安倍晋三", "Person")
    assert japanese.native == ("安倍", "安倍", "晋三", "晋三")
    chinese = analyse("欧阳修文", "Person")  # a compound surname: Chinese
    assert len(set(chinese.native)) == 1 and score("欧阳修文", "OUYANG Xiuwen") >= T
    assert len(set(analyse("习近平", "Person").native)) == 1


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Джон Смит", "John SMITH"),  # Russian writes an English name by its sound
        ("Майкл Джексон", "Michael JACKSON"),  # Джексон is a typo from Jackson, and heard
        ("Хиллари Клинтон", "Hillary CLINTON"),
        ("Джон Маккейн", "John MCCAIN"),  # Mc- is Mak-
        ("Эндрю Гарфилд", "Andrew GARFIELD"),  # ew is yu
        ("Олаф Шольц", "Olaf SCHOLZ"),  # a German z is ts
        ("Илон Маск", "Elon MUSK"),  # English short u, Russian a
        ("Стивен Кинг", "Stephen KING"),  # ph said v
        ("Роберт Дауни", "Robert DOWNEY"),  # a final ey said i
        ("Джордж Клуни", "George CLOONEY"),  # oo said u
        ("Ντέιβιντ Κάμερον", "David CAMERON"),  # Greek
        ("Ντόναλντ Τραμπ", "Donald TRUMP"),  # Greek writes d ντ
        ("हिलेरी क्लिंटन", "Hillary CLINTON"),  # Devanagari
        ("माइकल जैक्सन", "Michael JACKSON"),  # ... which writes Jackson's unstressed o a
        ("सैमुअल जैक्सन", "Samuel JACKSON"),  # ... and English a ai
        ("जेम्स एंडरसन", "James ANDERSON"),  # ... a first a e; its schwa any English vowel
        ("मार्क ज़करबर्ग", "Mark ZUCKERBERG"),
        ("रॉबर्ट विल्सन", "Robert WILSON"),  # ... a first w v
        ("बिल गेट्स", "Bill GATES"),  # no vowel said after a final s
        ("ஹிலாரி கிளின்டன்", "Hillary CLINTON"),  # Tamil: a vowel before an l cluster too
        ("অ্যাঙ্গেলা মার্কেল", "Angela MERKEL"),  # Bengali অ্যা for English a
        ("স্টিফেন হকিং", "Stephen HAWKING"),  # ... and its anusvara ng
        ("บิล เกตส์", "Bill GATES"),  # Thai: บิล, "bin" in RTGS, is no particle
        ("Джо Байден", "Joe BIDEN"),  # a one-consonant given name said the same
        ("Χίλαρι Κλίντον", "Hillary CLINTON"),  # Greek χ for h
        ("Ουίνστον Τσόρτσιλ", "Winston CHURCHILL"),  # ... and τσ for ch
        ("Թոնի Բլեր", "Tony BLAIR"),  # Armenian
        ("जो बाइडेन", "Joe BIDEN"),
        ("อังเกลา แมร์เคิล", "Angela MERKEL"),
        ("ஸ்டீபன் ஹாக்கிங்", "Stephen HAWKING"),  # ... ங் ng
        ("Ջոն Սմիթ", "John SMITH"),  # Armenian
        ("ჯორჯ ბუში", "George BUSH"),  # Georgian, with its nominative -i
        ("Луций Минуций", "Lucius MINUCIUS"),  # Latin -us left out or written -ий, c as ц
        ("Марк Вителлий", "Marcus VITELLIUS"),
        ("Уолтер Уайт", "Walter WHITE"),  # a w-modified a; i long before a final e
        ("Джордж Уоллес", "George WALLACE"),
        ("Джейн Остин", "Jane AUSTEN"),  # a long before a final e; au said o
        ("Люк Скайуокер", "Luke SKYWALKER"),  # the l of -alk unsaid
    ],
)
def test_foreign_names_written_by_their_sound_in_an_alphabet(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Person")
    assert s >= T, explain_text(explanation)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Иван Бурков", "Ivan BARAKOV"),  # Russian names differ in their vowels
        ("Сергей Сорокин", "Sergei SARKIN"),
        ("Майкл Джексон", "Michael JOHNSON"),
        ("Хиллари Клинтон", "Hillary CLAYTON"),
        ("जॉन स्मिथ", "John SCHMIDT"),
        ("तन्वी गुप्ता", "Tony GUPTA"),  # a v after a consonant is no English w
        ("டோனி பிளேர்", "Tony BLAKE"),
        ("रॉबर्ट विल्सन", "Robert NELSON"),
        ("बिल गेट्स", "Bill YATES"),
        ("मार्क ज़करबर्ग", "Mark ZUCKERMAN"),
        ("โดนัลด์ ทรัมป์", "Ronald TRAMP"),  # Thai read letter by letter
        ("டொனால்ட் டிரம்ப்", "Ronald TRAMP"),  # Tamil read with its stops voiced
        ("பராக் ஒபாமா", "Patrick OBAMA"),
        ("ኢሳያስ አፈወርቂ", "Isaias AFARI"),  # Ethiopic without its unsaid vowels
        ("គន់ គីម", "Kun KAM"),  # Khmer
        ("ທອງລຸນ ສີສຸລິດ", "Thongsing SISOULITH"),  # Lao
        ("ไมเคิล แจ็กสัน", "Michael JOHNSON"),
        ("บิล เกตส์", "Bill YATES"),
        ("Джо Байден", "Jay BIDEN"),
        ("Ουίνστον Τσόρτσιλ", "Winston CHURCH"),
        ("Джо", "JOE"),  # one short word alone stays under the threshold
        ("Иван Петров", "Ivanus PETRUS"),  # (only -us: Petrus, not Petrov)
        ("Джейн Остин", "Jane ALSTON"),
        ("Люк Скайуокер", "Luke SKYLARK"),
        ("Уолтер Уайт", "Walter WEIGHT"),
    ],
)
def test_a_sound_reading_keeps_other_names_apart(query: str, listed: str) -> None:
    assert score(query, listed) < T


def test_heard_readings() -> None:
    assert heard_sim("dzhordzh", "george") >= 0.85  # soft g, a silent final e
    assert heard_sim("maykl", "michael") >= 0.85  # ch as k, -ael said -l
    assert heard_sim("dzhekson", "jackson") > heard_sim("dzhekson", "jacobson") == 0.0
    assert heard_sim("burkov", "barakov") == 0.0  # more than half a vowel apart
    assert heard_keys("george") & {written_key("dzhordzh")}  # the index finds it
    assert sound_readings("Джон", "dzhon") == ("dzhon",)
    # An Indic word's a is its inherent vowel, the schwa, which any one English vowel meets;
    # it is also read with English spellings of the letters Hindi writes for English sounds.
    assert sound_readings("जॉन", "jon") == (SCHWA + "jon",)
    assert sound_readings("वैलेस", "vailes") == (SCHWA + "vailes", SCHWA + "wales")
    assert heard_sim(SCHWA + "endarsan", "anderson") >= 0.82 > heard_sim("endarsan", "anderson")
    assert sound_readings("จอห์น", "chon") == ("chon", "john")  # Thai: also letter by letter
    assert sound_readings("ბუში", "bushi") == ("bushi", "bush")  # Georgian's nominative -i
    assert sound_readings("Ντόναλντ", "donalnt") == ("donalnt", "donald")  # Greek ντ for d
    assert sound_readings("Χίλαρι", "chilari") == ("chilari", "hilari")  # ... χ for h
    assert heard_sim("darvin", "darwin") >= 0.85 > heard_sim("dalvin", "darwin")  # a w after a consonant: v
    # ICU reads ո after an aspirated consonant's apostrophe as a word's first (vo).
    assert analyse("Թոնի Քլինթոն", "Person").tokens == ("toni", "klinton")


def test_index_finds_foreign_names_written_by_their_sound() -> None:
    names = ["Hillary CLINTON", "Hilary CLAYTON", "Clint HILL", "Ivan PETROV"]
    matcher = _among_many(names)
    found = matcher.match(Query("Хиллари Клинтон", "Person"))
    assert [m.entity.source_id for m in found] == ["0"], [(m.entity.source_id, m.score) for m in found]
    assert "cross_script" in {t["how"] for t in found[0].explanation["name"]["tokens"]}
    # Retrieval reaches the Latin spelling by the sound of the word alone.
    reached = {matcher.index.keys[kid] for kid, _sim in matcher.index.heard_lookup("dzheyms")}
    assert reached == set(), reached  # no James listed
    reached = {matcher.index.keys[kid] for kid, _sim in matcher.index.heard_lookup("klinton")}
    assert any("clinton" in key for key in reached), reached


def test_index_finds_names_by_their_wikidata_name_items() -> None:
    names = ["George BUSH", "Yannis PAPADOPOULOS", "Michael JACKSON"]
    matcher = _among_many(names)
    for query, expected in (("ジョージ・ブッシュ", "0"), ("Γιάννης Παπαδόπουλος", "1")):
        found = matcher.match(Query(query, "Person"), threshold=0.6)
        assert found and found[0].entity.source_id == expected, [(m.entity.source_id, m.score) for m in found]


# --- traps -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "listed", "why"),
    [
        ("عباس", "Abbasi", "nisba -i: another family"),
        ("اشرفی", "Ashraf", "nisba -i: another family"),
        ("김정은", "KIM Jong Il", "one syllable differs"),
        ("စိုးဝင်း", "Win Soe", "Burmese names in another order are other names"),
        ("jin yang", "Jang Myong-Jin", "Yang and Jang are two Korean family names"),
        ("サトウ ヒロシ", "Hiroshi Saito", "a kana name is exact: no typo allowance"),
        ("علي", "Ola", "a consonant coincidence of one letter"),
        ("Νικόλαος Γεωργίου", "Georgios Nikolaou", "Greek given name and genitive family name swapped"),
        ("王芳", "WANG Fang-yu", "a Chinese given name without one of its syllables is another name"),
        ("لقاء مهنا", "Luqman", "two words of a person's name read as one only when they are one name"),
        ("מעיין אטיאס", "MENTOS", "a given name and a family name are not one word"),
        ("پارسا", "Fares", "Persian pe is not Latin f"),
        ("محمدامین پارسا", "FARES, Mohammed Manan", "one written word never spans given and family name"),
        ("杨敏", "Yang Ming", "min and ming are two syllables"),
        ("苏超", "ZHAO Su", "pinyin zhao is not chao"),
        ("김광수", "KIM Su-kwang", "a Korean given name's syllables in another order"),
        ("김은영", "KIM Jong Un", "영 yong is not 정 jong, whatever Latin spelling folds"),
        ("مائده موسوی", "Majid MOUSAVI", "a hamza seat is not jim, whatever the transliteration's y/j fold says"),
        ("نیما کریمی", "Naim KARIMI", "a final alif is a written final a: Nima, not Naim"),
    ],
)
def test_traps_stay_below_the_threshold(query: str, listed: str, why: str) -> None:
    assert score(query, listed) < T, why


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("سيرغي لافروف", "Sergey LAVROV"),
        ("إلهام علييف", "Ilham ALIYEV"),
        ("شوكت ميرضيائيف", "Shavkat MIRZIYOYEV"),
        ("יעקב איבנוב", "Yaakov IVANOV"),
    ],
)
def test_a_slavic_surname_ending_is_written_with_fa_or_bet(query: str, listed: str) -> None:
    assert score(query, listed) >= T


def test_persian_writes_an_alif_before_an_s_cluster() -> None:
    """A foreign word that starts with s or sh and a consonant takes an alif in Persian
    (اسکات Scott, اشتاینمایر Steinmeier); before s and a vowel the alif is a vowel the Latin
    name has too (اسد Asad is not Saad)."""
    assert score("اسکات", "SCOTT") >= T and score("استالین", "STALIN") >= T
    assert prosthesis_free("Vskt", "scott") == "skt" and prosthesis_free("Vsd", "saad") is None
    assert score("فرانک والتر اشتاینمایر", "Frank-Walter STEINMEIER") >= T
    assert score("اسد", "SAAD") < T and score("اسد حسینی", "Saad HOSSEINI") < T


def test_arabic_writes_a_foreign_v_with_fa() -> None:
    assert class_distance("f", "v") < class_distance("f", "b")  # (no v in Arabic)
    assert score("ديفيد كاميرون", "David CAMERON") >= T > score("ديفيد كاميرون", "Daniel CAMERON")


def test_a_thai_word_is_a_particle_only_by_its_letters() -> None:
    # RTGS says a final ล as n: บิล (Bill) reads "bin", which its letters do not.
    assert analyse("บิล เกตส์", "Person").roles == (NAME, NAME)
    assert analyse("อุซามะฮ์ บิน ลาดิน", "Person").roles == (NAME, PARTICLE, NAME)


def test_persian_writes_an_english_final_s_said_z_with_ze() -> None:
    assert score("چارلز داروین", "Charles DARWIN") >= T and score("جیمز باند", "James BOND") >= T
    assert voiced_s_free("crlz", "charles") == "crls"
    assert voiced_s_free("fIrUz", "firus") is None  # (after a vowel: Firuz is no Firus)
    assert score("تام جونز", "Tom JONAS") < T


def test_a_slavic_surname_ending_is_no_letter_left_out() -> None:
    """The v of -ov/-ev is a letter the other script writes (fa, bet): a name without it is
    another name, the Latin one made from it (Salim, Salimov)."""
    assert latin_classes("lavrov").endswith("F") and latin_classes("javad") == "jvd"
    assert score("سليم حسن", "Hasan SALIMOV") < T
    assert score("שלמה עאמר", "Umar SULIMOV") < T
    assert score("اسماعيل", "ISMAILOV", None) < T


def test_a_latin_x_is_ks_or_the_letter_somali_writes_with_it() -> None:
    assert score("أليكسي نافالني", "Alexei NAVALNY") >= T  # European x: ks
    assert score("ماكسيم", "Maxim", None) >= T
    assert score("محمد حسن", "Maxamed XASAN") >= T  # Somali x: ha


def test_arabic_writes_ch_as_t_and_sh() -> None:
    assert score("وينستون تشرشل", "Winston CHURCHILL") >= T
    assert score("رومان أبراموفيتش", "Roman ABRAMOVICH") >= T
    assert score("وينستون تشرشل", "Winston CHURCH") < T


def test_a_short_word_is_read_by_its_letter_classes() -> None:
    """معيض (Muayyad) is romanised "myd", which the Latin folds make "mid"; in a word of
    three letters the letter classes alone say whether two names are alike (dad is no d)."""
    assert score("آل معيض LLC", "MID", None) < T
    assert score("معيض", "MID", None) < T


def test_long_vowels_tell_names_apart() -> None:
    # Hasan (حسن) and Husayn (حسين), Muhammad (محمد) and Mahmud (محمود): same consonants.
    assert score("حسين", "Hussein") > score("حسن", "Hussein")
    assert score("محمود", "Mahmoud") > score("محمود", "Muhammad")
    assert score("عباسي", "Abbasi") >= T > score("عباس", "Abbasi")


def test_consonant_classes() -> None:
    assert abjad_classes("محمد") == latin_classes("muhammad").replace("u", "") == "mhmd"
    assert abjad_classes("يوسف") == "yUsf" and latin_classes("youssef") == "yUsif"
    assert latin_classes("abdurrahman") == "Vbdrhmn" == abjad_classes("عبدالرحمن").replace("l", "")  # the article written into the word
    assert abjad_classes("أحمد") == latin_classes("ahmad") == "Vhmd" != latin_classes("hamed")  # an initial vowel
    assert abjad_classes("أيمن") == "Ymn" and latin_classes("ayman") == "ymn"  # ... and a glide: the glide says it
    assert latin_classes("belgacem") == "bilgsim"  # French c before e
    assert abjad_classes("ممدوح")[:2] == "mm"  # two letters, two syllables (no shadda)
    assert class_distance("xld", "hld") < 0.5  # kha written h
    assert cross_sim("mhmd", "mhmd") > cross_sim("mhmd", "mhmUd") > 0
    assert cross_sim("ab", "xyz") == 0.0


def test_distances_computed_together_equal_those_computed_one_by_one() -> None:
    """The scorer computes an abjad word's distances to every Latin word of the names it is
    about to score together (``prepare_cross_sims``); each similarity is the one computed
    pair by pair."""
    from tradeguard.matching import abjad

    words = ["muhammad", "mohamed", "mahmoud", "fathi", "fasi", "ishaq", "khalid", "hassan", "husayn", "abdullah"]
    latins = [latin_classes(w) for w in words]
    readings = [abjad_classes(w) for w in ("محمد", "فتحي", "اسحاق", "خالد", "حسين")]
    one_by_one = {}
    for reading in readings:
        abjad._SIM_CACHE.clear()
        abjad._COST_CACHE.clear()
        one_by_one[reading] = [cross_sim(reading, latin) for latin in latins]
    for reading in readings:
        abjad._SIM_CACHE.clear()
        abjad._COST_CACHE.clear()
        abjad.prepare_cross_sims(reading, latins)
        assert all((reading, latin) in abjad._SIM_CACHE for latin in latins)  # computed, not left to the pairs
        assert [cross_sim(reading, latin) for latin in latins] == one_by_one[reading]
    assert max(one_by_one[abjad_classes("فتحي")]) >= 0.85  # (the pairs are not all zero)


def test_consonants_counted_together_equal_those_counted_one_by_one() -> None:
    from tradeguard.matching import abjad

    latins = [latin_classes(w) for w in ("muhammad", "ali", "oussama", "yaakov", "shafir", "abdullah", "x")]
    latins += [abjad_classes(w) for w in ("علي", "أيوب", "عائشة", "موسی")]
    assert abjad._consonant_counts(latins).tolist() == [abjad.consonants(c) for c in latins]


# --- annotated names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("NORDIC STAR (ex-OCEAN PEARL)", [("NORDIC STAR", "main"), ("OCEAN PEARL", "former")]),
        ("Halden Foods AS (f.k.a. Halden Fisk AS)", [("Halden Foods AS", "main"), ("Halden Fisk AS", "former")]),
        ("J. Smith t/a Smith Haulage", [("J. Smith", "main"), ("Smith Haulage", "alias")]),
        ("Beta Ltd d/b/a Gamma", [("Beta Ltd", "main"), ("Gamma", "alias")]),
        ("ACME LTD formerly known as ROADRUNNER LTD", [("ACME LTD", "main"), ("ROADRUNNER LTD", "former")]),
        ("ALPHA (ex BETA, ex GAMMA 2)", [("ALPHA", "main"), ("BETA", "former"), ("GAMMA 2", "former")]),
        ("ALPHA SHIPPING (EX-BETA) LLC", [("ALPHA SHIPPING LLC", "main"), ("BETA", "former")]),
        ("Exxon Trading", [("Exxon Trading", "main")]),
        ("EX-35011", [("EX-35011", "main")]),
    ],
)
def test_split_annotated(name: str, parts: list[tuple[str, str]]) -> None:
    assert [(p.text, p.label) for p in split_annotated(name)] == parts


def test_annotated_names_match_either_name_and_say_which() -> None:
    s, explanation = compare("NORDIC STAR (ex-OCEAN PEARL)", "OCEAN PEARL", "Vessel")
    assert s >= T
    assert explanation["name"]["query_part"] == {"name": "OCEAN PEARL", "label": "former", "marker": "ex-"}
    assert "query former name 'OCEAN PEARL'" in explain_text(explanation)
    assert score("Halden Foods AS (f.k.a. Halden Fisk AS)", "HALDEN FISK AS", "Company") >= T
    assert score("OCEAN PEARL", "LADY SOFIA (previously named OCEAN PEARL)", "Vessel") >= T


def test_a_persons_bracketed_nickname_is_read_without_it_too() -> None:
    """"Ben Zion (Bentzi) Gopstein": a person's name with a nickname in brackets is also
    the name without it, as a list name is indexed; a firm's bracket tells a branch or a
    country apart and stays (AERO CONTINENTE (USA) is not AERO CONTINENTE)."""
    s, explanation = compare("Ben Zion (Bentzi) Gopstein", "Ben Zion GOPSTEIN", "Person")
    assert s >= 0.95
    assert explanation["name"]["query_part"] == {"name": "Ben Zion Gopstein", "label": "reading", "marker": "()"}
    assert score("בן ציון (בנצי) גופשטיין", "Ben Zion GOPSTEIN", "Person") >= T
    assert score("Kestrel Shipping (Dalian) Trading", "KESTREL SHIPPING TRADING", "Company") < 0.95


def test_annotated_traps() -> None:
    # Numbers stay with their own name: an ex-name of another ship of the series.
    assert score("NORDIC STAR (ex-OCEAN PEARL 2)", "OCEAN PEARL 3", "Vessel") < T
    assert score("NORDIC STAR (ex-BLUE WAVE)", "OCEAN PEARL", "Vessel") < T
    assert score("PACIFIC GRACE", "PACIFIC GRACE 2", "Vessel") < T  # a sister ship


# --- business words --------------------------------------------------------------------------


def test_business_words_do_not_block_a_match_nor_make_one() -> None:
    assert score("Mahan Airlines", "MAHAN AIR", "Company") >= T
    assert score("Kestrel Shipping Lines", "KESTREL NAVIGATION", "Company") >= T
    assert score("Orion Holdings", "ORION HOLDING", "Company") >= T
    assert score("Kestrel Trading", "Osprey Trade", "Company") < 0.5
    assert score("Kestrel Industries", "Osprey Industrial", "Company") < 0.5


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("هواپیمایی ماهان", "MAHAN AIR"),  # Persian "airline"
        ("مكتب النور للصرافة", "AL NOOR EXCHANGE OFFICE"),  # office, exchange
        ("فولاد آریا", "ARIA STEEL COMPANY"),
        ("شرکت نفت کاوه", "KAVEH OIL COMPANY"),
        ("شرکت صنعتی کاوه", "KAVEH INDUSTRIAL COMPANY"),  # the Persian adjective
    ],
)
def test_business_words_in_arabic_and_persian(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Company")
    assert s >= T, explain_text(explanation)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Defense Industries Organization of the Islamic Republic of Iran", "DEFENSE INDUSTRIES ORGANIZATION"),
        ("سازمان صنایع دفاع جمهوری اسلامی ایران", "SAZEMANE SANAYE DEFA"),  # (an SDN alias; UN's Persian name)
        ("سازمان صنایع دفاع جمهوری اسلامی ایران", "DEFENSE INDUSTRIES ORGANIZATION"),
        ("Central Bank of Iran", "CENTRAL BANK OF THE ISLAMIC REPUBLIC OF IRAN"),
    ],
)
def test_a_state_an_organisation_name_leaves_out_is_the_same_name(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Organization")
    assert s >= T, explain_text(explanation)


def test_two_states_make_two_state_bodies() -> None:
    """Central Bank of Iran is not Central Bank of Iraq (one letter apart); a country word
    the name does not mark as a state ("of", a state's title) stays a word of the name."""
    s, explanation = compare("Central Bank of Iran", "CENTRAL BANK OF IRAQ", "Organization")
    assert s < T and {"what": "state_conflict", "factor": 0.55} in explanation["name"]["penalties"]  # type: ignore[index]
    assert score("Ministry of Defence of Armenia", "MINISTRY OF DEFENSE OF THE RUSSIAN FEDERATION", "Organization") < 0.6
    assert analyse("Bank of China", "Organization").state == ""  # (the name is its state)
    assert analyse("Bank Melli Iran", "Organization").state == ""
    assert analyse("Ivan of Russia", "Person").state == ""
    # Words of the name the other lacks: the state counts as words of the name again.
    assert score("Central Bank of Venezuela", "CENTRAL REPUBLIC BANK", "Organization") < 0.6
    listed = ["DEFENSE INDUSTRIES ORGANIZATION", "CENTRAL BANK OF IRAQ", "CENTRAL REPUBLIC BANK",
              "IRAN AIRCRAFT INDUSTRIES"]
    m = Matcher([Entity(list="t", source_id=str(i), schema="Organization", names=[Name(n, "primary")])
                 for i, n in enumerate(listed)])
    assert [x.entity.source_id for x in m.match(Query("سازمان صنایع دفاع جمهوری اسلامی ایران", "Organization"))] == ["0"]
    assert m.match(Query("Central Bank of Iran", "Organization")) == []


def test_a_translated_business_word_alone_makes_no_match() -> None:
    assert score("شرکت نفت آریا", "Kestrel Oil Company", "Company") < 0.5
    assert score("فولاد کاوه", "Aria Steel", "Company") < 0.5


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("جمعية النور الخيرية", "AL NOOR CHARITABLE SOCIETY"),  # society, charitable (-ية)
        ("شركة الخليج للصناعات البحرية", "GULF MARINE INDUSTRIES COMPANY"),  # lil- + article
        ("سازمان تحقیقات فضایی آریا", "ARIA SPACE RESEARCH ORGANIZATION"),  # Persian -یی adjective
        ("الجماعة الاسلامية المقاتلة في كاوه", "ISLAMIC FIGHTING GROUP IN KAVEH"),
        ("الجماعة الاسلامية المقاتلة في كاوه", "KAVEH ISLAMIC COMBATANT GROUP"),  # either gloss
    ],
)
def test_organisation_names_translated_into_english(query: str, listed: str) -> None:
    s, explanation = compare(query, listed, "Organization")
    assert s >= T, explain_text(explanation)
    hows = {t["how"] for t in explanation["name"]["tokens"]}  # type: ignore[index]
    assert "translation" in hows


def test_translated_words_alone_make_no_match_and_stay_out_of_person_names() -> None:
    # The generic words agree; the distinctive one does not.
    assert score("جمعية النور الخيرية", "AL HUDA CHARITABLE SOCIETY", "Organization") < 0.5
    assert score("الجماعة الاسلامية المقاتلة في كاوه", "ISLAMIC FIGHTING GROUP IN ARIA", "Organization") < 0.6
    # A word keeps its transliteration: ملی is "National" and "Melli".
    assert score("بانک ملی کاوه", "BANK MELLI KAVEH", "Company") >= T
    assert score("بانک ملی کاوه", "KAVEH NATIONAL BANK", "Company") >= T
    # In a person's name a word is a name, never its meaning (فارس: Faris, not "Persian").
    assert analyse("فارس العراقي", "Person").glosses == ()
    assert analyse("خليج فارس", "Organization").glosses == (("gulf",), ("persian",))


# --- retrieval -----------------------------------------------------------------------------


def _company(sid: str, name: str) -> Entity:
    return Entity(list="test", source_id=sid, schema="Company", names=[Name(name, "primary")])


def _person(sid: str, name: str) -> Entity:
    return Entity(list="test", source_id=sid, schema="Person", names=[Name(name, "primary")])


def _among_many(names: list[str]) -> Matcher:
    """A matcher over ``names`` (source ids "0", "1" ... in order) and 40 other persons, so
    that retrieval has candidates to leave out."""
    return Matcher([_person(str(k), v) for k, v in enumerate([*names, *(f"Muhammad Saleh {n}" for n in range(40))])])


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    entities = [
        _company("c1", "MAHAN AIR"),
        _company("c2", "MAHAN TRADING"),
        _company("c3", "KESTREL NAVIGATION (ex-OSPREY LINES)"),
        _person("p1", "HUSSEIN, Saddam"),
        _person("p2", "Mahmoud AL-TIKRITI"),
        _person("p3", "CHOE Ryong Hae"),
        _person("p4", "Moshe COHEN"),
        _person("p5", "Abdurrahman YOUSSEF"),
        _person("p6", "RABI, Fazl"),
        _person("p7", "Hassan NASR ALLAH"),
        _company("c4", "SAZMANE SANAYE HAVA FAZA"),
        _person("p8", "CHOU Ming-tung"),
        _company("c5", "GULF MARINE INDUSTRIES COMPANY"),
    ]
    # Common names around them, so that weights and candidate limits are exercised.
    for n in range(60):
        entities.append(_person(f"f{n}", f"Muhammad Saleh {['Hassan', 'Karimi', 'Omar'][n % 3]} {n}"))
    return Matcher(entities)


@pytest.mark.parametrize(
    ("query", "schema", "expected"),
    [
        ("Mahan Airlines", "Company", "c1"),
        ("صدام حسين", "Person", "p1"),
        ("محمود التكريتي", "Person", "p2"),
        ("최룡해", "Person", "p3"),
        ("משה כהן", "Person", "p4"),
        ("عبد الرحمن يوسف", "Person", "p5"),
        ("OSPREY LINES", "Company", "c3"),
        ("BLUE SKY (ex-KESTREL NAVIGATION)", "Company", "c3"),
        ("فضل ربيع", "Person", "p6"),  # dad read as z (Persian, Urdu): Fazl
        ("حسن نصرالله", "Person", "p7"),  # one word, two in Latin
        ("سازمان صنایع هوافضا", "Company", "c4"),  # hava faza written as one; waw read as v
        ("周明東", "Person", "p8"),  # Wade–Giles: zhou ming dong
        ("شركة الخليج للصناعات البحرية", "Company", "c5"),  # found through its translation
    ],
)
def test_index_finds_other_scripts_and_annotations(matcher: Matcher, query: str, schema: str, expected: str) -> None:
    found = matcher.match(Query(query, schema))
    assert found and found[0].entity.source_id == expected, [(m.entity.source_id, m.score) for m in found]


# --- Cyrillic beyond Russian, Indic scripts, scripts nothing reads --------------------------


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Ухнаагийн Хүрэлсүх", "Ukhnaagiin Khurelsukh"),  # Mongolian ү; BGN's middle dot
        ("Әлихан Смайылов", "Alikhan Smailov"),  # Kazakh ә
        ("Рүстәм Миңнеханов", "Rustam Minnikhanov"),  # Tatar ү ә ң
        ("Тоҷиддин Ҳасанов", "Tojiddin Hasanov"),  # Tajik ҷ ҳ
        ("Ұлан Қасымов", "Ulan Kasymov"),  # Kazakh ұ қ
        ("Садыр Жапаров", "Sadyr Japarov"),  # Kyrgyz ж written j
    ],
)
def test_cyrillic_letters_of_central_asian_languages(query: str, listed: str) -> None:
    assert score(query, listed) >= T, explain_text(compare(query, listed, "Person")[1])


def test_zh_written_j_is_not_y() -> None:
    assert score("Zhaparov", "Japarov") >= T
    assert score("ZHANG Wei", "YANG Wei") < T and score("ZHOU Li", "YU Li") < T  # j folds to i: not zh


def test_kazakh_i_is_not_read_as_ukrainian() -> None:
    # With a Kazakh letter in the name, і is Kazakh and г stays g (Ukrainian reads it h).
    assert analyse("Ғалым Әбдірахманов", "Person").tokens == ("galym", "abdirakhmanov")
    assert analyse("Гнатюк Іван", "Person").tokens == ("hnatyuk", "ivan")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("अमित शाह", "Amit Shah"),  # final vowel not said; ś as sh
        ("दाऊद इब्राहिम", "Dawood Ibrahim"),
        ("ज़किउर रहमान लखवी", "Zakiur Rehman Lakhvi"),  # the vowel between two single consonants
        ("मसूद अज़हर", "Masood Azhar"),
        ("नरेन्द्र मोदी", "Narendra Modi"),  # kept after a cluster
        ("छोटा राजन", "Chhota Rajan"),  # छ chh
        ("শেখ হাসিনা", "Sheikh Hasina"),  # Bengali
        ("ਅੰਮ੍ਰਿਤਪਾਲ ਸਿੰਘ", "Amritpal Singh"),  # Gurmukhi tippi
        ("ગૌતમ અદાણી", "Gautam Adani"),  # Gujarati
    ],
)
def test_indic_names_as_they_are_written(query: str, listed: str) -> None:
    assert score(query, listed) >= T, explain_text(compare(query, listed, "Person")[1])


def test_indic_vowels_that_are_said_stay() -> None:
    from tradeguard.matching.normalize import to_latin_ascii

    assert to_latin_ascii("कृष्ण राजन कमल") == "krishna rajan kamal"  # a cluster before; one consonant after
    assert to_latin_ascii("रहमान अज़हर") == "rahman azhar"  # between two single consonants: dropped
    assert to_latin_ascii("चंद्रशेखर, Ltd") == "chandrashekhar, Ltd"  # other text untouched
    # A stop after a nasal, r, l or a sibilant ends a word without a vowel; a nasal, a glide
    # or a stop after a stop keeps it.
    assert to_latin_ascii("डोनाल्ड ट्रम्प पार्थ गुप्त आदित्य") == "donald tramp parth gupta aditya"
    # ... and a cluster that ends in a sibilant ends one so.
    assert to_latin_ascii("हर्ष दक्ष जेम्स गेट्स") == "harsh daksh jems gets"
    # Bengali's anusvara is ng (but n before a sibilant, as names write it too), a nasal
    # vowel that ends a word n, and অ্যা (English /æ/) a.
    assert to_latin_ascii("বাংলাদেশ হকিং হিমাংশু মাক্রোঁ मैक्रों অ্যাডাম") == "bangladesh haking himanshu makron maikron adam"
    assert score("अमित शाह", "Amit Sahu") < T  # Shah and Sahu are two names


def test_a_word_nothing_reads_is_a_name_of_its_own() -> None:
    # Tibetan and Mongolian script have no transliteration here (Khmer and Lao had none
    # before they were read); a word in them used to vanish, and "<word> LLC" met every
    # company of that legal form, "<word> and <word>" every "A & S".
    q = analyse("བཀྲ་ཤིས LLC", "Company")
    assert len(q.tokens) == 2 and q.roles[1] == LEGAL and q.tokens[0] != analyse("ᠮᠣᠩᠭᠣᠯ", "Company").tokens[0]
    assert score("བཀྲ་ཤིས LLC", "RENERA LLC", "Company") < 0.5
    assert score("བཀྲ་ཤིས and ᠮᠣᠩᠭᠣᠯ", "A & S CARRIER", "Company") < 0.5
    assert score("ᠮᠣᠩᠭᠣᠯ ᠪᠠᠶᠠᠷ", "ᠮᠣᠩᠭᠣᠯ ᠪᠠᠶᠠᠷ") == 1.0  # the same written name meets itself
    assert score("ᠮᠣᠩᠭᠣᠯ ᠪᠠᠶᠠᠷ", "ᠮᠣᠩᠭᠣᠯ བཀྲ་ཤིས") < T
    # Only a whole word becomes such a token, not letters left inside a word that was read.
    assert analyse("abcᠮᠣᠩ xyz", "Person").tokens == ("abc", "xyz")
    # The explanation shows the word as written, not the token that stands for it.
    explanation = compare("ᠮᠣᠩᠭᠣᠯ LLC", "Hun LLC", "Company")[1]
    assert explanation["name"]["unmatched_query"] == ["ᠮᠣᠩᠭᠣᠯ"]


def test_malayalam_two_part_vowels_and_chillu_letters() -> None:
    from tradeguard.matching.normalize import to_latin_ascii

    assert to_latin_ascii("മോഹൻലാൽ") == "mohanlal"  # ICU: "mēāhaൻlāൽ"
    assert score("പിണറായി വിജയൻ", "Pinarayi Vijayan") >= T


def test_greek_initial_nt_and_gk_are_d_and_g() -> None:
    assert analyse("Ντόρα Γκίκα", "Person").tokens == ("dora", "gika")
    assert analyse("Αντώνης Άγκυρα", "Person").tokens == ("antonis", "ankyra")  # inside a word: nt, nk
    assert score("Ντόρα Μπακογιάννη", "Dora Bakoyannis") >= T


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("මහින්ද රාජපක්ෂ", "Mahinda Rajapaksa"),
        ("සජිත් ප්‍රේමදාස", "Sajith Premadasa"),  # a conjunct with the zero-width joiner
        ("චන්ද්‍රිකා කුමාරතුංග", "Chandrika Kumaratunga"),  # anusvara before g
        ("ශවේන්ද්‍ර සිල්වා", "Shavendra Silva"),  # ව read w, meets v
    ],
)
def test_sinhala_names(query: str, listed: str) -> None:
    assert score(query, listed) >= T, explain_text(compare(query, listed, "Person")[1])


def test_sinhala_traps() -> None:
    assert score("ගෝඨාභය රාජපක්ෂ", "Basil Rajapaksa") < T
    assert score("චන්ද්‍රිකා කුමාරතුංග", "Chandrika Bandaranaike") < T


def test_serbian_and_macedonian_cyrillic_in_their_latin_alphabets() -> None:
    from tradeguard.matching.normalize import to_latin_ascii

    # Their own letters (ђ џ љ њ ћ; ѓ ќ ѕ) choose the system; Russian BGN read ђ as d, љ as l.
    assert to_latin_ascii("Ђорђе Љубиша Џаковић") == "Djordje Ljubisa Dzakovic"
    assert to_latin_ascii("Ѓорѓе Ќерамиџиев") == "Gjorgje Kjeramidziev"
    assert score("Радован Караџић", "Radovan Karadzic") == 1.0
    assert to_latin_ascii("Đặng") == "Dang"  # Latin đ (Vietnamese) stays d


def test_a_south_slavic_name_in_russian_letters_meets_its_latin_spelling_without_hacek() -> None:
    """Russian writes Vučić Вучич, read "vuchich"; the lists write him Vucic, the Latin
    alphabet of Serbia and Croatia with its háček lost to ASCII."""
    assert score("Александар Вучич", "Aleksandar Vucic") >= 0.9
    assert score("Горан Хаджич", "Goran Hadzic") >= 0.9
    assert score("Горан Хаджич", "Goran Hadzi") < T  # (another word, not an ending lost)
    matcher = _among_many(["Aleksandar VUCIC", "Aleksandar VUKIC", "Goran HADZIC", "Goran HADZIMA"])
    for query, expected in (("Александар Вучич", "0"), ("Горан Хаджич", "2")):
        found = matcher.match(Query(query, "Person"), threshold=T)
        assert [m.entity.source_id for m in found] == [expected], (query, [(m.entity.source_id, m.score) for m in found])


def test_persian_final_ayi_is_spelt_aei_ai_or_ayi() -> None:
    assert latin_classes("rezayi") == latin_classes("rezaei") == latin_classes("rezai")
    assert score("بابایی", "Babayi") >= T and score("میرزایی", "Mirzayi") >= T


def test_a_name_in_persian_letters_reads_dad_as_z_and_tha_as_s() -> None:
    # Persian says z and s where Arabic says d/dh and th: Ramazan, Osman, Rezaei.
    assert score("عثمان کریمی", "Osman Karimi") > score("عثمان كريمي", "Osman Karimi")
    assert score("علی رضایی", "Ali Rezaei") > score("علي رضايي", "Ali Rezaei")
    assert score("عثمان کریمی", "Othman Karimi") >= T  # the Arabic spelling still meets it


def test_pashto_of_before_an_owner_is_a_stopword_of_organisations() -> None:
    assert score("د حاجی بصیر او ضرجمیل کمپنی حواله", "HAJI BASIR AND ZARJMIL COMPANY HAWALA", "Company") >= T
    assert score("د افغانستان بانک", "DA AFGHANISTAN BANK", "Company") >= T
    assert analyse("د. محمد علي", "Person").roles[0] != TITLE  # in a person's name it stays a letter


def test_russian_and_ukrainian_forms_of_one_patronymic_share_a_key() -> None:
    """A patronymic is the father's name and a gender ending: its Russian and Ukrainian
    forms share a key where the father's name is in a spelling family; the genders and
    other fathers stay apart, and a surname is no patronymic."""
    from tradeguard.matching.normalize import skeleton

    same = [("nikolaevich", "mykolaiovych"), ("aleksandrovna", "oleksandrivna"), ("sergeevich", "serhiiovych"),
            ("evgenievich", "yevhenovych"), ("grigorievich", "hryhorovych"), ("yakovlevich", "yakovlevich"),
            ("pavlovich", "pavlovych"), ("gennadievich", "hennadiyovych")]
    for russian, ukrainian in same:
        assert skeleton(russian) == skeleton(ukrainian), (russian, ukrainian)
    assert skeleton("aleksandrovich") != skeleton("aleksandrovna")  # another gender
    assert skeleton("nikolaevich") != skeleton("sergeevich")  # another father
    assert skeleton("ivanova") == "ivanova"  # a surname
    assert score("СЄРОВ Петро Миколайович", "SEROV Petr Nikolaevich") >= 0.9


def test_a_patronymic_made_with_ich_alone_and_ukrainian_forms_of_fathers_names() -> None:
    """Yakov's son is Yakovlevich in Russian and Yakovych (-ich added whole) in Ukrainian, as
    Ilya's is Ilyich; Opanas, Khoma, Ihnat are the Ukrainian Afanasy, Foma, Ignat. Only a
    father's name of a spelling family makes a patronymic of -ich: Heinrich stays a name."""
    from tradeguard.matching.normalize import is_patronymic_key, skeleton

    for russian, ukrainian in [("yakovlevich", "yakovych"), ("yakovlevich", "yakovich"), ("afanasyevich", "opanasovych"),
                               ("fomich", "khomych"), ("ignatyevich", "ihnatovych")]:
        assert skeleton(russian) == skeleton(ukrainian), (russian, ukrainian)
    assert not is_patronymic_key(skeleton("heinrich")) and not is_patronymic_key(skeleton("ulrich"))
    assert score("ОВЧИННИКОВ Віктор Якович", "OVCHINNIKOV Viktor Yakovlevich") >= 0.9  # 0.49 before
    assert score("КОКОШИН Андрій Опанасович", "KOKOSHIN Andrey Afanasyevich") >= 0.9  # 0.48 before
    assert score("ОВЧИННИКОВ Віктор Якович", "OVCHINNIKOV Viktor Petrovich") < T


def test_a_russian_e_starting_a_word_is_ye_or_e() -> None:
    """BGN writes a word-initial Russian е as ye, the passports' ICAO system as e: Yermakov
    and Ermakov share a key (a word of six letters or more, ye before a consonant; Yeong,
    a Korean syllable, and Yener stay as they are)."""
    from tradeguard.matching.normalize import skeleton

    assert skeleton("yermakov") == skeleton("ermakov")
    assert skeleton("yemelyanov") == skeleton("emelyanov")
    assert skeleton("yener") != skeleton("ener")
    assert score("ЕРМАКОВ Василий Григорьевич", "ERMAKOV Vasilii") >= T  # 0.79 before


def test_a_family_name_ending_as_a_patronymic_is_no_patronymic_when_it_comes_first() -> None:
    """"KESKEVICH Sergey" holds no patronymic (Belarusian, Serbian and Croatian family names
    end as patronymics do; a patronymic follows a given name), so a query's patronymic it
    leaves out costs a share of its weight, as against any name without one."""
    assert score("КЕСКЕВИЧ Сергей Игоревич", "KESKEVICH Sergey") >= 0.85  # 0.67 before
    assert score("КЕСКЕВИЧ Сергей Игоревич", "KESKEVICH Sergey Petrovich") < T  # another father
    assert score("Ivanovich Petr", "Ivanov Petr") < T


def test_a_cyrillic_word_read_the_ukrainian_way_is_also_read_the_russian_way() -> None:
    """Lists write Russian persons' names in Ukrainian letters (г read h, и read y): the word
    is also read as the Russian name it spells, by sound. Russian ё, which the lists write
    e, is Ukrainian ьо, and о after ж ч ш щ in the surname endings -ов, -ова."""
    assert sound_readings("КОВАЛЬОВА", "kovalova") == ("kovalova", "kovaleva")
    assert sound_readings("ФЬОДОРОВ", "fodorov") == ("fodorov", "fedorov")
    assert sound_readings("ЧЕРНИШОВ", "chernishov") == ("chernishov", "chernishev")
    assert sound_readings("ШОЛОХОВ", "sholokhov") == ("sholokhov",)  # о inside a word stays
    # A reading counts where it meets the list word better than the spelling's typo does.
    assert score("КОВАЛЬОВА Тетяна Федорівна", "KOVALEVA Tatiana") >= T  # 0.79 before
    # Russian е after a vowel is ye to BGN, e on the lists: the glide costs little by sound.
    assert heard_sim("goreyeva", "goreeva") >= 0.85
    assert score("ГОРЄЄВА Анастасія Олексіївна", "GOREEVA Anastasia Alekseevna") >= T  # 0.43 before
    assert sound_readings("ГРИГОР'ЄВ", "hryhoryev") == ("hryhoryev", "grigoryev")
    assert sound_readings("ГОРЛАЧОВ", "horlachov") == ("horlachov", "gorlachev")
    assert sound_readings("ГОРЛАЧЕВ", "gorlachev") == ("gorlachev",)  # read the Russian way already
    assert score("ГРИГОР'ЄВ Євгеній Миколайович", "GRIGORIEV Evgeny Nikolaevich") >= T
    assert score("КОСТЕРІНА Олександра Володимирівна", "KOSTERINA Alexandra Vladimirovna") >= T


def test_persian_titles_and_surname_suffixes() -> None:
    """دکتر (Dr), جناب (His Excellency) and آقای (Mr) are titles, not name words; -khah and
    -fard are Persian surname suffixes written apart or together."""
    form = analyse("جناب آقای دکتر علي حسيني", "Person")
    assert form.roles[:3] == (TITLE, TITLE, TITLE)
    assert score("دکتر سيد محمد حسيني", "Sayyid Mohammad HOSSEINI") >= 0.9
    assert score("علی یزدی خواه", "Ali YAZDIKHAH") > 0.7


def test_latin_lookalikes_inside_a_cyrillic_word_are_read_as_cyrillic() -> None:
    """A word of both scripts ("Cергей" with a Latin C, "ГOBOP" with Latin O and B) is a
    Cyrillic word typed with Latin lookalikes: read as Cyrillic. Latin words stay Latin."""
    from tradeguard.matching.normalize import to_latin_ascii

    assert to_latin_ascii("Cергей ГOBOP") == "Sergey GOVOR"
    assert to_latin_ascii("OOO COCA-COLA Россия").startswith("OOO COCA-COLA")
    assert score("Роман Александрович ГOBOP", "Roman Alexandrovich GOVOR") >= 0.95


def test_belarusian_forms_of_names_and_patronymics() -> None:
    """Belarusian patronymics (-avich, -auna), their Swedish spelling (-vitj) and given names
    (Uladzimir, Siarhei, Ihar) share the keys of the Russian forms."""
    from tradeguard.matching.normalize import skeleton

    assert skeleton("uladzimiravich") == skeleton("vladimirovich") == skeleton("vladimirovitj")
    assert skeleton("aliaksandrauna") == skeleton("aleksandrovna")
    assert score("Віктар Уладзіміравіч СОЙКА", "Viktor Vladimirovich SOYKA") >= 0.9
    assert skeleton("paulavich") == skeleton("pavlovich") and skeleton("paulauna") == skeleton("pavlovna")
    assert score("Yahor IVANOU", "Igor IVANOV", "Person") < DEFAULT_THRESHOLD  # (Yegor is no Igor)
    assert score("Dzianis Paulavich IVANOU", "Denis Petrovich IVANOV", "Person") < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("belarusian", "russian"),
    [
        ("Aliaksandr Ryhoravich LUKASHENKA", "Alexander Grigoryevich LUKASHENKO"),  # Ryhor
        ("Mikalai Mikalaevich STATKEVICH", "Nikolai Nikolaevich STATKEVICH"),  # Mikalai
        ("Henadz Ivanavich KHRENIN", "Gennady Ivanovich KHRENIN"),  # Henadz
        ("Leanid Uladzislavavich IVANOU", "Leonid Vladislavovich IVANOV"),  # Leanid, Uladzislau
        ("Raman Pratasevich", "Roman PROTASEVICH"),
        ("Valiantsin Stefanovich", "Valentin STEFANOVICH"),
        # (stop 50) Anatol, Tsimafei, Dzianis, Yahor, Stsiapan, Hleb, Fiodar, Arkadz; a
        # patronymic's ў, u, for the Russian v before a consonant (Paulavich, Pavlovich).
        ("Anatol Paulavich IVANOU", "Anatoly Pavlovich IVANOV"),
        ("Tsimafei Dzianisavich MAKARAU", "Timofei Denisovich MAKAROV"),
        ("Yahor Stsiapanavich MAKARAU", "Yegor Stepanovich MAKAROV"),
        ("Hleb Fiodaravich IVANOU", "Gleb Fedorovich IVANOV"),
    ],
)
def test_belarusian_given_names_and_their_patronymics_meet_the_russian_forms(belarusian: str, russian: str) -> None:
    """The lists write a Belarusian person's name by BGN/PCGN's Belarusian romanisation
    (OFAC's LUKASHENKA, Aliaksandr Ryhoravich), a customer's record often by the Russian
    form: the Belarusian given names the spelling families lacked met theirs only as a
    typo or not at all (0.49 for Aliaksandr Ryhoravich LUKASHENKA, 0.13 for a Mikalai Mikalaevich
    LUKASHENKA against Nikolai Nikolaevich)."""
    assert score(belarusian, russian, "Person") >= DEFAULT_THRESHOLD
    assert score(russian, belarusian, "Person") >= DEFAULT_THRESHOLD


def test_a_hangul_syllable_is_never_read_as_an_english_number_word() -> None:
    """덴 is romanised "then", which folds to the number word "ten"; a company's number
    words are Latin words only (오사마 빈 라덴 scored 0.32 against Osama bin Laden, its
    last syllable taken for the number 10)."""
    assert score("오사마 빈 라덴", "Osama bin Laden", None) >= DEFAULT_THRESHOLD
    assert "10" not in analyse("라덴", "Company").tokens
    assert analyse("Ten Brothers", "Company").tokens[0] == "10"


@pytest.mark.parametrize(
    ("abjad", "same", "other"),
    [
        ("أحمد سلطاني", "Ahmad Soltani", "Hamed Soltani"),  # alif: the Latin name starts with a vowel
        ("حسن كريمي", "Hasan Karimi", "Ahsan Karimi"),  # ha: it does not
        ("احسان كريمي", "Ehsan Karimi", "Hasan Karimi"),
    ],
)
def test_a_word_starts_with_a_vowel_in_both_scripts_or_in_neither(abjad: str, same: str, other: str) -> None:
    """An abjad writes a word's initial vowel (alif, ayn, hamza); a Latin name that adds or
    drops one is most often another name."""
    assert score(abjad, same) >= score(abjad, other) + 0.1


@pytest.mark.parametrize(
    ("abjad", "latin"),
    [
        ("عبد الله السيد", "Abd Allah al-Sayyid"),  # the word after the article: Allah, Eddine
        ("نور الدين بوزيد", "Nour Eddine Bouzid"),
        ("عز الدين بوزيد", "Ezzedine Bouzid"),
        ("إبراهيم بوزيد", "Brahim Bouzid"),  # a Maghrebi spelling leaves the vowel out
        ("أسامة بوزيد", "Oussama Bouzid"),  # French "ou"
        ("יצחק כהן", "Itzhak Cohen"),  # Hebrew yod read as a vowel
    ],
)
def test_an_initial_vowel_the_spelling_explains_still_matches(abjad: str, latin: str) -> None:
    assert score(abjad, latin) >= T


@pytest.mark.parametrize(
    ("thai", "latin"),
    [("โดนัลด์ ทรัมป์", "Donald TRUMP"), ("จอร์จ บุช", "George BUSH"), ("ไมเคิล แจ็กสัน", "Michael JACKSON"),
     ("ฮิลลารี คลินตัน", "Hillary CLINTON")],
)
def test_a_foreign_name_written_in_thai_meets_its_latin_spelling(thai: str, latin: str) -> None:
    """RTGS reads a word as a Thai one ("donan sam" for Donald Trump); a transcription of a
    foreign name is read by its letters too. (0.00 to 0.23 before.)"""
    assert score(thai, latin) >= T


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        # Tamil: one letter for a stop and its voiced twin; ICU reads them voiceless (0.21-0.24 before).
        ("பராக் ஒபாமா", "Barack OBAMA"),
        ("டொனால்ட் டிரம்ப்", "Donald TRUMP"),  # ... and the vowel Tamil adds to a cluster
        ("ஜார்ஜ் புஷ்", "George BUSH"),
        ("மகிந்த ராஜபக்ச", "Mahinda RAJAPAKSA"),  # a Sanskrit name keeps its voiceless stops
        ("முருகன் செல்வம்", "Murugan SELVAM"),
        # Ethiopic: ICU writes every sixth-order letter with a vowel mostly not said, and
        # the first order as a where Latin spellings write e (0.00-0.25 before).
        ("ኢሳያስ አፈወርቂ", "Isaias AFWERKI"),
        ("ደብረጽዮን ገብረሚካኤል", "Debretsion GEBREMICHAEL"),
        ("ሃይለማርያም ደሳለኝ", "Hailemariam DESALEGN"),
        ("ዶናልድ ትራምፕ", "Donald TRUMP"),
    ],
)
def test_tamil_and_ethiopic_names_meet_their_latin_spellings(written: str, latin: str) -> None:
    s, explanation = compare(written, latin, "Person")
    assert s >= T, explain_text(explanation)



@pytest.mark.parametrize(
    ("khmer", "latin"),
    [("ហ៊ុន សែន", "HUN Sen"), ("គន់ គីម", "KUN Kim"), ("ទ្រី ភាព", "TRY Pheap"), ("លី យ៉ុងផាត់", "LY Yong Phat"),
     ("ហ៊ីង ប៊ុនហៀង", "HING Bun Hieng")],
)
def test_khmer_names_meet_their_latin_spellings(khmer: str, latin: str) -> None:
    """Cambodians designated under Global Magnitsky (ICU has no Khmer transform: 0 before)."""
    assert score(khmer, latin) >= T


def test_a_two_letter_name_ending_in_y_is_its_i() -> None:
    assert score("Li Yong Phat", "LY Yong Phat") >= T  # 0.46 before
    assert score("Ky Nam", "KA Nam") < T


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("ئابدۇللا", "ABDULLA"),  # Uyghur: every vowel written, a doubled letter double (0.82 before)
        ("مەمەت ئەمىن", "Memet EMIN"),  # ... ى the vowel i inside a word
        ("ئىلھام توختى", "Ilham TOHTI"),
        ("نێچیرڤان بارزانی", "Nechirvan BARZANI"),  # Kurdish: ێ ê, ڤ v
        ("دۆڵەت", "DOLET"),  # ۆ o, ڵ a dark l (0 before)
    ],
)
def test_kurdish_and_uyghur_letters_are_read(written: str, latin: str) -> None:
    assert score(written, latin) >= T


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("جميل بايك", "Cemil BAYIK"),  # Turkish c is j (0.25 before)
        ("رجب طيب أردوغان", "Recep Tayyip ERDOGAN"),  # ... and a final b is written p (0.39)
        ("عبد الله أوجلان", "Abdullah OCALAN"),  # (0.32)
    ],
)
def test_turkish_spellings_of_arabic_script_names(written: str, latin: str) -> None:
    assert score(written, latin) >= T


def test_turkish_spellings_are_variants_in_latin_too_but_not_an_acronym() -> None:
    assert score("Cemil Bayik", "Jamil BAYIK") >= T and score("Recep Erdogan", "Rajab ERDOGAN") >= T
    assert score("جذام LLC", "CDM LLC", "Company") < T  # no vowel next to the c: not Turkish


def test_honorifics_that_open_an_arabic_or_persian_name_are_titles() -> None:
    """The forms of address of Arabic and Persian records (السيد Mr, السيدة Mrs, المهندس
    Eng., سرکار خانم Madam) are titles where they open the name; after a name, السيد is
    the family name El-Sayed and المهندس al-Muhandis."""
    assert analyse("السيد رامح بن لادن", "Person").roles[0] == TITLE
    assert analyse("سرکار خانم زهرا احمدی", "Person").roles[:2] == (TITLE, TITLE)
    assert TITLE not in analyse("أحمد السيد", "Person").roles
    assert score("السيد أحمد السيد", "Ahmed EL-SAYED") >= T
    assert score("أبو مهدي المهندس", "Abu Mahdi AL-MUHANDIS") >= T
    assert score("السيد رامح بن لادن", "Sad BIN LADEN") < T  # السيد is no name "Sad" (0.82 before)


def test_a_letter_off_in_a_short_abjad_word_against_another_is_another_name() -> None:
    assert score("مهسا کریمی", "محسن کریمی") < T  # Mahsa, Mohsen (0.80 before)
    assert score("عبدالرحمان کریمی", "عبدالرحمن کریمی") >= T  # a long word still takes a typo


def test_a_kana_word_meets_two_latin_words_it_writes_as_one() -> None:
    """Japanese writes "bin Laden" as one word (ビンラディン); 0.23 before."""
    assert score("オサマ・ビンラディン", "Osama BIN LADEN") >= T
    assert score("ビンラディン", "Bin Laden") >= T


@pytest.mark.parametrize(
    ("lao", "latin"),
    [("ທອງລຸນ ສີສຸລິດ", "Thongloun SISOULITH"), ("ສອນໄຊ ສີພັນດອນ", "Sonexay SIPHANDONE"),
     ("ບຸນຍັງ ວໍລະຈິດ", "Bounnhang VORACHITH"), ("ພັນຄໍາ ວິພາວັນ", "Phankham VIPHAVANH")],
)
def test_lao_names_meet_their_latin_spellings(lao: str, latin: str) -> None:
    """ICU has no transform for Lao (0 before)."""
    assert score(lao, latin) >= T


# --- Chinese names in Russian letters (palladius.py) -------------------------------------


@pytest.mark.parametrize(
    ("cyrillic", "pinyin"),
    [
        ("ЧЖАО Инкуй", "Zhao Yingkui"),  # чж zh; ин ying, уй ui
        ("ЦЗОУ Цзунминь", "Zou Zongmin"),  # цз z, оу ou, ун ong, минь min (нь n)
        ("ЯН Сун", "Yang Song"),  # н ng
        ("Си Цзиньпин", "Xi Jinping"),  # с and цз before i: x, j
        ("Мао Цзэ-дун", "Mao Zedong"),  # a hyphenated given name is one word
        ("Ли Кэцян", "Li Keqiang"),  # ц before ян: q
        ("Го Пин", "Guo Ping"),  # о after g: uo
        ("Оуян Сю", "Ouyang Xiu"),  # syllables without an initial
        ("ЧЖАО Інкуй", "Zhao Yingkui"),  # Ukrainian: і for и ...
        ("Лі Кецян", "Li Keqiang"),  # ... and е for э
    ],
)
def test_a_chinese_name_in_russian_letters_is_read_as_pinyin(cyrillic: str, pinyin: str) -> None:
    from tradeguard.matching.palladius import chinese_reading

    assert chinese_reading(cyrillic) == pinyin


def test_a_russian_name_is_not_read_as_chinese() -> None:
    """Clusters (Петров), endings (-ов, -ий, -ая) and letters no syllable has keep Russian,
    Ukrainian and Korean names in Cyrillic out; one word alone, or three, are never read
    (a Chinese name is a family name and a given name)."""
    from tradeguard.matching.palladius import chinese_reading

    for name in ["Иван Петров", "Анна Иванова", "Сергей Ким", "Ким Чен Ын", "Ольга Ли", "Си", "Дмитрий Ян",
                 "пан Семен Жаліло"]:
        assert chinese_reading(name) is None, name


def test_chinese_names_in_russian_letters_meet_their_pinyin() -> None:
    """Read as Russian, ЧЖАО Инкуй is "Chzhao Inkuy" (0.16 against ZHAO Yingkui before);
    its pinyin reading meets the list's spelling, and the explanation names the reading.
    A list name in Russian letters is indexed under its reading too."""
    assert score("ЧЖАО Инкуй", "ZHAO Yingkui") >= 0.95
    assert score("ЦАО Лянь", "CAO Lian") >= 0.95
    assert score("Си Цзиньпин", "Xi Jin Ping") >= 0.95  # syllables written apart
    assert score("ЧЖАО Инкуй", "ZHAO Yong") < T  # another given name
    _, explanation = compare("ЯН Сун", "YANG Song", "Person")
    assert explanation["name"]["query_part"] == {"name": "Yang Song", "label": "reading", "marker": "Palladius"}
    listed = Entity(list="t", source_id="1", schema="Person", names=[Name(value="ЦЗОУ Цзунминь")])
    other = Entity(list="t", source_id="2", schema="Person", names=[Name(value="ZOU Ming")])
    found = Matcher([listed, other]).match(Query("Zou Zongmin", "Person"))
    assert [m.entity.source_id for m in found] == ["1"]


@pytest.mark.parametrize(
    ("cyrillic", "kana"),
    [
        ("Синдзо Абэ", "シンゾ アベ"),  # си shi, дз z, э e
        ("Сёко Асахара", "ショコ アサハラ"),  # сё sho
        ("Дзюнъитиро Коидзуми", "ジュンイチロ コイズミ"),  # дзю ju, нъ n before a vowel, ти chi
        ("Мацуи Хидэки", "マツイ ヒデキ"),  # цу tsu
        ("Тэйсё", "テイショ"),  # й after a vowel; one word with a marker
        ("Хаттори Хандзо", "ハットリ ハンゾ"),  # a doubled consonant
    ],
)
def test_a_japanese_name_in_russian_letters_is_read_as_katakana(cyrillic: str, kana: str) -> None:
    from tradeguard.matching.polivanov import japanese_reading

    assert japanese_reading(cyrillic) == kana


def test_a_russian_name_is_not_read_as_japanese() -> None:
    """Clusters, endings and letters the system lacks keep Russian names out, and a name
    that parses must still hold something only the system writes (дз, цу, сё ...)."""
    from tradeguard.matching.polivanov import japanese_reading

    for name in ["Иван Петров", "Анна Каримова", "Сергей Ким", "Рэй", "Эдуард Лимонов", "Фумио Кисида"]:
        assert japanese_reading(name) is None, name


def test_japanese_names_in_russian_letters_meet_their_hepburn_spelling() -> None:
    """Read as Russian, Синдзо Абэ is "Sindzo Abe" (0.26 against Shinzo ABE before); its
    kana reading meets the list's Hepburn spelling, and the explanation names it."""
    assert score("Синдзо Абэ", "ABE Shinzo") >= 0.95
    assert score("Сёко Асахара", "Shoko ASAHARA") >= 0.95
    assert score("Кэндзи Ватанабэ", "Kenji WATANABE") >= 0.95
    assert score("Синдзо Абэ", "Shinji ABE") < T  # another given name
    _, explanation = compare("Синдзо Абэ", "Shinzo Abe", "Person")
    assert explanation["name"]["query_part"] == {"name": "シンゾ アベ", "label": "reading", "marker": "Polivanov"}
    found = _among_many(["Shoko ASAHARA", "Shoko ASADA", "Hideki MATSUI"]).match(Query("Сёко Асахара", "Person"))
    assert [m.entity.source_id for m in found] == ["0"], [(m.entity.source_id, m.score) for m in found]


def test_a_name_of_no_stated_kind_is_read_as_a_persons_too() -> None:
    """A party given with no schema, or as LegalEntity (any party), whose name holds no
    legal form and no translated business word: a listed person is compared with it read
    as a person's name (initials; an abjad name's compound عبد الله and nasab), as a
    schema would say."""
    assert score("D. V. SHMELEV", "Dmitry Vladimirovich SHMELEV", None) >= T  # 0: D, V no initials
    for schema in (None, "LegalEntity"):
        assert score("عبد الله بن محمد", "Abdullah bin Mohammed", schema) >= T  # 0.66 read as an org's
        assert score("نصر الله", "Nasrallah", schema) >= T
        assert score("عبد العزيز بن سعود", "Abdulaziz bin Salman", schema) < 0.5  # another father
    assert score("بانک ملت", "Bank Mellat", None) >= T  # a bank stays an organisation's name
    assert score("بانک ملت", "Bank Melli", None) < T
    bank = _company("c", "Bank Mellat")
    matcher = Matcher([_person("p", "Abdullah bin Mohammed"), _person("q", "Abdullah Mohammed"), bank,
                       *(_person(f"x{n}", f"Muhammad Saleh {n}") for n in range(40))])
    for schema in (None, "LegalEntity"):
        found = matcher.match(Query("عبد الله بن محمد", schema))
        assert [m.entity.source_id for m in found][:1] == ["p"], [(m.entity.source_id, m.score) for m in found]
        assert found[0].explanation["name"]["read_as"] == "Person"
        assert "p" in {e.source_id for e in matcher.candidates(Query("عبد الله بن محمد", schema))}
        assert dict(matcher.score_entities(Query("عبد الله بن محمد", schema), [0]))[0] >= T
    bank_found = matcher.match(Query("بانک ملت"))
    assert [m.entity.source_id for m in bank_found] == ["c"] and "read_as" not in bank_found[0].explanation["name"]
    shmelev = Matcher([_person("s", "Dmitry Vladimirovich SHMELEV"), _company("d", "DV SHMELEV TRADING LLC")])
    assert [m.entity.source_id for m in shmelev.match(Query("D. V. SHMELEV", "LegalEntity"))][:1] == ["s"]


@pytest.mark.parametrize(
    ("spelt", "english"),
    [
        ("Leonid Jakovlevitch SIMANOVSKIY", "Leonid Yakovlevich SIMANOVSKY"),  # French, older English -vitch
        ("Ramzan Achmatowitsch KADYROW", "Ramzan Akhmatovich KADYROV"),  # German -owitsch; Akhmat, Ahmad
        ("Julija Sergejewna Petrowa", "Yulia Sergeevna PETROVA"),  # German -ewna; Julija
        ("Dmitrij Jevgenjevič Samojlov", "Dmitry Evgenievich SAMOILOV"),  # Jevgenij, Czech č
    ],
)
def test_patronymics_in_other_spellings_share_the_russian_key(spelt: str, english: str) -> None:
    """A patronymic written -vitch, -owitsch or -ewna, or made from a given name spelt with
    the j of Czech, German or Swedish (Jevgenij, Jelena), has the key of the English form:
    retrieval finds the name by it, and the pair is a transliteration, not two typos."""
    assert score(spelt, english, "Person") >= 0.9
