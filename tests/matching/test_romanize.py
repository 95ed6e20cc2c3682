"""Romanisation of Hangul, kana, Burmese and Thai names, and the cross-spelling keys."""

from __future__ import annotations

import itertools

import pytest

from tradeguard.matching import romanize as rz
from tradeguard.matching.romanize import (
    burmese_key,
    burmese_syllable_key,
    hangul_syllable_key,
    japanese_key,
    korean_key,
    romanize,
    romanize_burmese_syllable,
    romanize_hangul_syllable,
    script_family,
)

# --- script detection ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("김정은", "hangul"),
        ("たなか", "kana"),
        ("ヤマダ", "kana"),
        ("မင်းအောင်လှိုင်", "burmese"),
        ("ประยุทธ์", "thai"),
        ("Kim Jong Un", None),
        ("山田", "han"),
        ("Путин", None),
        ("ー", None),
        ("", None),
    ],
)
def test_script_family(text: str, family: str | None) -> None:
    assert script_family(text) == family


def test_romanize_returns_none_without_these_scripts() -> None:
    assert romanize("Kim Jong Un") is None
    assert romanize("Владимир Путин") is None
    assert romanize("Ελένη") is None


def test_no_letter_below_the_first_romanised_one_is_romanised() -> None:
    """``romanize`` and ``script_family`` return at once for text below Thai (Latin,
    Cyrillic, Arabic ...): no code point there belongs to a script they romanise, and the
    lowest one does."""
    assert all(rz._family_of(chr(code)) is None for code in range(ord(rz._FIRST_ROMANISED)))
    assert rz._family_of(rz._FIRST_ROMANISED) == "thai"
    assert romanize("สมชาย") is not None


# --- Hangul ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        ("최룡해", "choe ryong hae"),
        ("김정은", "kim jong un"),
        ("리병철", "ri pyong chol"),
        ("박봉주", "pak pong ju"),
        ("이재용", "i jae yong"),
        ("태영호", "thae yong ho"),
        # not in any table as names
        ("김여정", "kim yo jong"),
        ("현송월", "hyon song wol"),
        ("박근혜", "pak kun hye"),
        ("문재인", "mun jae in"),
        ("쌍용", "ssang yong"),
    ],
)
def test_hangul_dprk_convention(hangul: str, latin: str) -> None:
    assert romanize(hangul) == latin


def test_hangul_keeps_other_characters_and_separates_runs() -> None:
    assert romanize("김 정은 (Kim)") == "kim jong un (Kim)"
    assert romanize("ABC김정은") == "ABC kim jong un"
    assert romanize("조선광선은행 JSC") == "jo son kwang son un haeng JSC"


def test_every_hangul_syllable_round_trips_through_its_key() -> None:
    keys = set()
    for code in range(0xAC00, 0xD7A4):
        syllable = chr(code)
        latin = romanize_hangul_syllable(syllable)
        assert latin.isascii() and latin.isalpha(), syllable
        assert romanize(syllable) == latin
        key = hangul_syllable_key(syllable)
        assert korean_key(latin) == key, (syllable, latin)
        keys.add(key)
    # The key is coarse but still tells most syllables apart.
    assert len(keys) > 700


@pytest.mark.parametrize(
    ("spellings", "syllable"),
    [
        (["jeong", "jong", "chong", "jung", "chung", "ch'ŏng"], "정"),
        (["choi", "choe", "ch'oe", "chwe"], "최"),
        (["park", "pak", "bak"], "박"),
        (["lee", "ri", "yi", "i", "rhee", "li"], "이"),
        (["ryong", "yong", "young", "yeong", "ryeong"], "룡"),
        (["kim", "gim"], "김"),
        (["un", "eun", "ŭn"], "은"),
        (["hee", "hui", "heui"], "희"),
        (["myung", "myong", "myeong"], "명"),
        (["ahn", "an"], "안"),
        (["roh", "no", "ro", "noh"], "노"),
        (["suh", "seo", "so"], "서"),
        (["moon", "mun"], "문"),
        (["paik", "baek", "paek"], "백"),
        (["thae", "tae", "tai"], "태"),
        (["shin", "sin"], "신"),
        (["kwon", "gwon"], "권"),
        (["hyun", "hyon", "hyeon"], "현"),
    ],
)
def test_korean_key_folds_variant_spellings(spellings: list[str], syllable: str) -> None:
    want = hangul_syllable_key(syllable)
    assert {korean_key(s) for s in spellings} == {want}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("kim", "pak"),
        ("jong", "un"),
        ("chol", "chun"),
        ("ri", "ra"),
        ("nam", "am"),
        ("kim", "kum"),
        ("song", "son"),
        ("jong", "chon"),
        ("hae", "ha"),
    ],
)
def test_korean_key_tells_different_syllables_apart(a: str, b: str) -> None:
    assert korean_key(a) is not None and korean_key(b) is not None
    assert korean_key(a) != korean_key(b)


@pytest.mark.parametrize(
    "token", ["vladimir", "smith", "alexei", "bakr", "hong-kong", "1990", "김", ""]
)
def test_korean_key_rejects_what_is_not_one_korean_syllable(token: str) -> None:
    assert korean_key(token) is None


def test_hangul_syllable_key_rejects_other_characters() -> None:
    with pytest.raises(ValueError):
        hangul_syllable_key("a")
    with pytest.raises(ValueError):
        hangul_syllable_key("김정")


# --- Japanese kana --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kana", "latin"),
    [
        ("たなか たろう", "tanaka taro"),
        ("ヤマダ", "yamada"),
        ("おおの しょうへい", "ono shohei"),
        ("さとう・けんじ", "sato kenji"),
        ("ｻﾄｳ", "sato"),
        ("ほんだ なんば", "honda namba"),
        ("じゅんいち", "junichi"),
        ("まっちゃ", "matcha"),
        ("ウィリアム", "wiriamu"),
        ("ヴィクトル", "vikutoru"),
        ("トウキョウ", "tokyo"),
        ("コーヒー", "kohi"),
    ],
)
def test_kana_passport_hepburn(kana: str, latin: str) -> None:
    assert romanize(kana) == latin


def test_chinese_characters_become_pinyin_syllables() -> None:
    assert romanize("习近平") == "xi jin ping"
    # Kanji have no reading of their own here: they are read as Chinese, kana as Japanese.
    assert romanize("山田 たろう") == "shan tian taro"


def test_every_kana_romanises_to_a_japanese_word() -> None:
    small = set("ぁぃぅぇぉゃゅょゎっゕゖァィゥェォャュョヮッヵヶ")
    chars = [chr(c) for c in itertools.chain(range(0x3041, 0x3097), range(0x30A1, 0x30FB))]
    chars += [a + b for a in "きしちにひみりぎじびぴキシチニヒミリギジビピ" for b in "ゃゅょ"]
    for kana in chars:
        if kana in small:
            continue
        latin = romanize(kana)
        assert latin is not None and latin.isascii() and latin.isalpha(), kana
        assert japanese_key(latin) is not None, (kana, latin)


@pytest.mark.parametrize(
    "spellings",
    [
        ["taro", "tarou", "taroh", "tarō", "taroo"],
        ["ono", "ohno", "oono", "ōno"],
        ["shohei", "syouhei", "shouhei"],
        ["namba", "nanba"],
        ["tsuchiya", "tutiya"],
        ["fujii", "huzii", "fuji"],
        ["junichi", "jun'ichi", "zyunichi"],
        ["matcha", "maccha", "mattya"],
        ["yuki", "yuuki"],
    ],
)
def test_japanese_key_folds_variant_spellings(spellings: list[str]) -> None:
    assert len({japanese_key(s) for s in spellings}) == 1
    assert japanese_key(spellings[0]) is not None


def test_japanese_key() -> None:
    assert japanese_key("tanaka") != japanese_key("takana")
    for token in ("vladimir", "smith", "kim", "street"):
        assert japanese_key(token) is None


# --- Burmese --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("syllable", "latin"),
    [
        ("မင်း", "min"),
        ("အောင်", "aung"),
        ("လှိုင်", "hlaing"),
        ("ကျော်", "kyaw"),
        ("မြင့်", "myint"),
        ("ထက်", "htet"),
        ("သိန်း", "thein"),
        ("နိုင်", "naing"),
        ("ဦး", "u"),
        ("ဥ\u102eး", "u"),  # the same, decomposed
        ("ဇော်", "zaw"),
        ("စိုး", "soe"),
        ("ဝင်း", "win"),
        ("ထွန်း", "tun"),
        ("သန်း", "than"),
        ("မျိုး", "myo"),
        ("ထွဋ်", "htut"),
        ("ညွန့်", "nyunt"),
        ("ခင်", "khin"),
        ("ချို", "cho"),
        ("ရဲ", "ye"),
        ("သန့်", "thant"),
        ("ရွှေ", "shwe"),
        ("လွင်", "lwin"),
        ("ကြည်", "kyi"),
        ("အေး", "aye"),
        ("ထေး", "htay"),
        ("နွေး", "nwe"),
        ("မောင်", "maung"),
        ("ဗိုလ်", "bo"),
        ("ဖြိုး", "phyo"),
        ("အုန်း", "ohn"),
    ],
)
def test_burmese_syllables(syllable: str, latin: str) -> None:
    assert romanize_burmese_syllable(syllable) == latin


@pytest.mark.parametrize(
    ("burmese", "latin"),
    [
        ("မင်းအောင်လှိုင်", "min aung hlaing"),
        ("စိုးဝင်း", "soe win"),
        ("ကျော်မျိုးထွဋ်", "kyaw myo htut"),
        ("သန်းထွန်းဦး", "than tun u"),
        # names not in any table
        ("ဦးသန်းရွှေ", "u than shwe"),
        ("နေဝင်း", "ne win"),
        ("အောင်ဆန်းစုကြည်", "aung san su kyi"),
        ("ခင်ညွန့်", "khin nyunt"),
        ("တင်အောင်မြင့်ဦး", "tin aung myint u"),
        ("ဖြိုးမင်းသိန်း", "phyo min thein"),
        ("အေးအေးခင်", "aye aye khin"),
        ("မန္တလေး", "man ta lay"),  # stacked consonant closes the first syllable
        ("သင်္ချိုင်း", "thin chaing"),  # kinzi
        ("ဇော်ဝင်းနိုင် (Zaw)", "zaw win naing (Zaw)"),
    ],
)
def test_burmese_names(burmese: str, latin: str) -> None:
    assert romanize(burmese) == latin


@pytest.mark.parametrize(
    ("spellings", "syllable"),
    [
        (["u", "oo"], "ဦး"),
        (["tun", "htun"], "ထွန်း"),
        (["san", "hsan", "sann"], "ဆန်း"),
        (["myint", "myin"], "မြင့်"),
        (["thein", "thien"], "သိန်း"),
        (["aung", "aong"], "အောင်"),
        (["kyi", "gyi", "kyee"], "ကြီး"),
        (["maung", "mg"], "မောင်"),
        (["lin", "linn"], "လင်း"),
        (["win", "wynn", "winn"], "ဝင်း"),
        (["soe", "so"], "စိုး"),
        (["aye", "ay", "e"], "အေး"),
        (["htay", "htay", "tay", "hte"], "ထေး"),
        (["ohn", "on", "one"], "အုန်း"),
        (["thant", "than"], "သန့်"),
        (["nyunt", "nyun"], "ညွန့်"),
    ],
)
def test_burmese_key_folds_variant_spellings(spellings: list[str], syllable: str) -> None:
    want = burmese_syllable_key(syllable)
    assert {burmese_key(s) for s in spellings} == {want}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("min", "win"),
        ("aung", "aing"),
        ("kyaw", "kyo"),
        ("than", "thein"),
        ("khin", "kin"),
        ("htet", "htut"),
        ("soe", "zaw"),
    ],
)
def test_burmese_key_tells_different_syllables_apart(a: str, b: str) -> None:
    assert burmese_key(a) is not None and burmese_key(b) is not None
    assert burmese_key(a) != burmese_key(b)


@pytest.mark.parametrize("token", ["vladimir", "smith", "street", "mohammed", "1990", ""])
def test_burmese_key_rejects_what_is_not_one_burmese_syllable(token: str) -> None:
    assert burmese_key(token) is None


def _burmese_syllables() -> list[str]:
    """Every syllable buildable from the tables: consonant x medials x vowel x (a final
    the rhyme table has for that vowel) x tone."""
    tables = rz._burmese()
    medials = ["", "ျ", "ြ", "ွ", "ှ", "ျွ", "ြွ", "ွှ", "ျှ", "ြွှ"]
    vowels = {
        "a": "",
        "aa": "ာ",
        "i": "ိ",
        "ii": "ီ",
        "u": "ု",
        "uu": "ူ",
        "e": "ေ",
        "ai": "ဲ",
        "aw": "ော",
        "o": "ို",
    }
    same = {"ii": "i", "uu": "u"}
    finals = {c: v[1] for c, v in tables.consonants.items() if c != "အ"}
    out: list[str] = []
    for base, medial, (vid, signs) in itertools.product(tables.consonants, medials, vowels.items()):
        for tone in ("", "့", "း"):
            out.append(base + medial + signs + tone)
            for final, final_class in finals.items():
                vowel = same.get(vid, vid)
                if "ွ" in medial and vowel == "a" and final_class in tables.vocalic_wa:
                    vowel = "wu"
                if f"{vowel} {final_class}" in tables.rhymes:
                    creaky = "့" if tone == "့" else ""
                    high = "း" if tone == "း" else ""
                    out.append(base + medial + signs + final + creaky + "်" + high)
            vowel = same.get(vid, vid)
            if "ွ" in medial and vowel == "a":
                vowel = "wu"
            if f"{vowel} m" in tables.rhymes:
                out.append(base + medial + signs + "ံ" + tone)
    return out


def test_every_burmese_syllable_romanises_to_ascii_and_its_key() -> None:
    syllables = _burmese_syllables()
    assert len(syllables) > 100_000
    for syllable in syllables:
        latin = romanize_burmese_syllable(syllable)
        assert latin.isascii() and latin.isalpha(), syllable
        assert burmese_key(latin) == burmese_syllable_key(syllable), (syllable, latin)


def test_burmese_stray_signs_and_digits() -> None:
    assert romanize("ကို ၁၂") == "ko ၁၂"  # digits left for the caller
    assert romanize("\u103a") == ""  # a sign without a letter is dropped


# --- Thai -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("thai", "latin"),
    [
        ("ประยุทธ์ จันทร์โอชา", "prayut chanocha"),
        ("ทักษิณ", "thaksin"),
        ("ยิ่งลักษณ์", "yinglak"),
        ("ประวิตร วงษ์สุวรรณ", "prawit wongsuwan"),
        ("อภิสิทธิ์ เวชชาชีวะ", "aphisit wetchachiwa"),
        ("สุเทพ เทือกสุบรรณ", "suthep thueaksuban"),
        ("สมชาย วงศ์สวัสดิ์", "somchai wongsawat"),
        ("เศรษฐา ทวีสิน", "settha thawisin"),
        ("ภูมิพล อดุลยเดช", "phumiphon adunyadet"),
        ("ชวน หลีกภัย", "chuan likphai"),
        ("ชาติชาย", "chatchai"),
        ("กรุงเทพ", "krungthep"),
        ("แก้ว", "kaeo"),
        ("เปรม", "prem"),
        ("ไทย", "thai"),
    ],
)
def test_thai_rtgs(thai: str, latin: str) -> None:
    assert romanize(thai) == latin


def test_thai_output_is_ascii() -> None:
    text = "ธนาธร จึงรุ่งเรืองกิจ ปิยบุตร แสงกนกกุล บรรหาร ศิลปอาชา เกียรติ ฤทธิ์ ๑๒"
    latin = romanize(text)
    assert latin is not None
    assert all(ch.isascii() for ch in latin.replace("๑๒", ""))


@pytest.mark.parametrize(
    ("thai", "letters"),
    [
        ("ทรัมป์", "tramp"),  # RTGS: "sam" (ทร as s, the marked ป silent)
        ("โดนัลด์", "donald"),  # a leading vowel read after its consonant; RTGS "donan"
        ("จอร์จ", "jorj"),  # จ for j, อ between consonants as o
        ("โอบามา", "obama"),  # อ carrying a vowel
        ("แจ็กสัน", "jaeksan"),  # ก ending a syllable is k
        ("กอร์ดอน", "gordon"),  # ... and g before a vowel
        ("จอห์น", "john"),
        ("แบลร์", "blaer"),  # a leading vowel after a cluster (Blair)
        ("เดวิด", "dewid"),  # ... and after the consonant before a syllable of its own
        ("แมร์เคิล", "maerkeil"),  # a letter under the cancellation mark makes no cluster
        ("มัสก์", "mask"),  # ... and ก under it ends the word as k
    ],
)
def test_thai_read_letter_by_letter_as_a_foreign_name(thai: str, letters: str) -> None:
    assert rz.thai_letters(thai) == letters



# --- Khmer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("khmer", "latin"),
    [
        ("ហ៊ុន សែន", "hun saen"),  # ៊ moves ហ to the second series: ុ is u
        ("គន់ គីម", "kun kim"),  # the bantoc: a short vowel
        ("ទ្រី ភាព", "tri pheap"),  # a cluster; ា after a second-series letter is ea
        ("ហ៊ុន ម៉ាណែត", "hun manaet"),  # ៉ moves ម to the first series: ា is a
        ("ជា ស៊ីម", "chea sim"),
        ("សម រង្ស៊ី", "sam rongsi"),  # ង ends a syllable, the letter below it starts the next
        ("លី យ៉ុងផាត់", "li yongphat"),
    ],
)
def test_khmer_as_cambodian_names_are_spelt(khmer: str, latin: str) -> None:
    assert romanize(khmer) == latin



# --- Lao ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lao", "latin"),
    [
        ("ທອງລຸນ ສີສຸລິດ", "thongloun sisoulit"),  # ອ between consonants is o; ຸ ou
        ("ສອນໄຊ ສີພັນດອນ", "sonxai siphandon"),  # ຊ x; a leading vowel after its consonant
        ("ບຸນຍັງ ວໍລະຈິດ", "bounnhang volachit"),  # ຍ nh
        ("ຫລວງພະບາງ", "luangphabang"),  # ຫ before a sonorant not said; ວ between consonants ua
        ("ຄໍາແພງ", "khamphaeng"),  # ໍ + າ typed for ຳ
    ],
)
def test_lao_as_lao_names_are_spelt(lao: str, latin: str) -> None:
    assert romanize(lao) == latin
