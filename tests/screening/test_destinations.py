"""Destination checks: sanctioned countries/regions, place names in Latin and Cyrillic inside
address text, transshipment risk, red flags, and user overrides of the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import assert_refused
from tradeguard.screening.destinations import DestinationRules, Party, normalize_text
from tradeguard.sources.base import SourceError


@pytest.fixture(scope="module")
def rules() -> DestinationRules:
    return DestinationRules.load()


def places(rules: DestinationRules, text: str) -> list[tuple[str, str]]:
    return [(m.area.code, m.severity) for m in rules.find_places(text)]


# --- shipped defaults ----------------------------------------------------------------------


def test_defaults_cover_the_issue(rules: DestinationRules) -> None:
    assert set(rules.areas) == {"ir", "kp", "sy", "cu", "by", "ru", "ua-cri", "ua-dpr", "ua-lpr", "ua-23", "ua-65"}
    for area in rules.areas.values():
        assert area.source and area.name
    assert {"am", "ge", "kz", "kg", "tj", "tr", "ae", "uz", "cn", "hk"} <= set(rules.transshipment)
    assert all(rules.transshipment[c] for c in rules.transshipment)
    assert "Tri-Seal" in " ".join(rules.transshipment["hk"])
    assert "FIN-2022-Alert003" in " ".join(rules.transshipment["kz"])
    assert rules.version == "2026-12-03"
    assert rules.sensitive()["ru"] == "block" and rules.sensitive()["ua-23"] == "review"


def test_every_default_area_has_a_source_comment() -> None:
    text = (Path(__file__).resolve().parents[2] / "src/tradeguard/screening/data/destinations.yml").read_text()
    blocks = text.split("\n  - code: ")[1:]
    assert len(blocks) == 11
    preceding = text.split("\n  - code: ")[:-1]
    for before in preceding:
        comment = before.rsplit("\n\n", 1)[-1]
        assert comment.lstrip().startswith("#") and "Sources" in comment, comment


# --- place names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "severity"),
    [
        ("ul. Lenina 12, Sevastopol 299011", "ua-cri", "block"),
        ("г. Севастополь, ул. Ленина, 12", "ua-cri", "block"),
        ("Республика Крым, г. Ялта", "ua-cri", "block"),
        ("Yalta, Crimea", "ua-cri", "block"),
        ("пр. Кирова 1, Симферополь", "ua-cri", "block"),
        ("SIMFEROPOL", "ua-cri", "block"),
        ("Kerch port", "ua-cri", "block"),
        ("в Крыму", "ua-cri", "block"),  # inflected: locative case
        ("г. Донецк, ДНР", "ua-dpr", "block"),
        ("Donetsk, ul. Artema 1", "ua-dpr", "block"),
        ("Mariupol", "ua-dpr", "block"),
        ("Макеевка", "ua-dpr", "block"),
        ("Луганск", "ua-lpr", "block"),
        ("Lugansk", "ua-lpr", "block"),
        ("Luhans'k", "ua-lpr", "block"),
        ("Luhans’k", "ua-lpr", "block"),  # typographic apostrophe
        ("Луганська область", "ua-lpr", "block"),
        ("Melitopol, Zaporizhzhia oblast", "ua-23", "block"),
        ("Мелитополь", "ua-23", "block"),
        ("Berdiansk", "ua-23", "block"),
        ("Enerhodar", "ua-23", "block"),
        ("Zaporizhzhia", "ua-23", "review"),  # the city is government-controlled
        ("Запорожье", "ua-23", "review"),
        ("Kherson", "ua-65", "review"),
        ("Nova Kakhovka", "ua-65", "block"),
        ("Henichesk", "ua-65", "block"),
        ("Tehran, Iran", "ir", "block"),
        ("Islamic Republic of Iran", "ir", "block"),
        ("Pyongyang, DPRK", "kp", "block"),
        ("P'yŏngyang", "kp", "block"),
        ("Democratic People's Republic of Korea", "kp", "block"),
        ("КНДР", "kp", "block"),
        ("Aleppo, Syria", "sy", "review"),
        ("La Habana, Cuba", "cu", "block"),
        ("Minsk, Belarus", "by", "block"),
        ("Минск, Беларусь", "by", "block"),
        ("Москва, Российская Федерация", "ru", "block"),
        ("Russian Federation", "ru", "block"),
        ("Alabuga special economic zone", "ru", "block"),
    ],
)
def test_place_names(rules: DestinationRules, text: str, code: str, severity: str) -> None:
    found = places(rules, text)
    assert (code, severity) in found, found
    # The strongest finding for the text is the expected one.
    assert min(s for c, s in found if c == code) == severity


@pytest.mark.parametrize(
    "text",
    [
        "Bahnhofstrasse 1, 10115 Berlin",
        "1 Main Street, Springfield",
        "Dubai Silicon Oasis, UAE",
        "Kramatorsk",  # government-controlled
        "Odesa, Ukraine",
        "Kyiv, Khreshchatyk 1",
        "Iranian Cultural Centre, London",  # "Iran" only as a whole word
        "Cubano Street",
        "Russiaville, Indiana",
        "Parisian Way",
        "Minsk Mazowiecki, Poland",  # excluded
        "",
    ],
)
def test_no_false_positives(rules: DestinationRules, text: str) -> None:
    assert places(rules, text) == []


def test_longest_match_wins(rules: DestinationRules) -> None:
    # The oblast is partly government-controlled: review. The city of Donetsk: block.
    assert places(rules, "Kramatorsk, Donetsk Oblast, Ukraine") == [("ua-dpr", "review")]
    assert places(rules, "Краматорск, Донецкая обл.") == [("ua-dpr", "review")]
    assert ("ua-dpr", "block") in places(rules, "Donetsk, Donetsk Oblast")


def test_found_keeps_the_original_spelling(rules: DestinationRules) -> None:
    [m] = rules.find_places("ООО Ромашка, Российская Федерация")
    assert m.found == "Российская" and m.place == "Росси*"


def test_normalize_text() -> None:
    assert normalize_text("Luhans'k, SÉVASTOPOL") == ["luhansk", "sevastopol"]
    assert normalize_text("Weißrussland") == ["weissrussland"]
    assert normalize_text("Запоріжжя") == normalize_text("Запорiжжя".replace("i", "і"))


def test_address_country_mismatch_downgrades(rules: DestinationRules) -> None:
    [f] = rules.check_address("Cuba, NY 14727", "US", "consignee")
    assert f.severity == "review" and "United States" in f.detail
    [f] = rules.check_address("Cuba, NY 14727", None, "consignee")
    assert f.severity == "block"
    [f] = rules.check_address("ul. Lenina 1, Sevastopol", "Ukraine", "consignee")
    assert f.severity == "block"  # Ukraine is consistent with Crimea
    [f] = rules.check_address("ul. Lenina 1, Sevastopol", "RU", "consignee")
    assert f.severity == "block"
    [f] = rules.check_address("Sebastopol, CA 95472", "US", "consignee")
    assert f.severity == "review"


def test_check_address_finding(rules: DestinationRules) -> None:
    [f] = rules.check_address("пр. Кирова 1, Симферополь", "UA", "end_user")
    assert f.rule == "destination.sanctioned_place" and f.subject == "end_user"
    assert "Симферополь" in f.detail and "Crimea" in f.detail and "End user" in f.detail
    assert "EO 13685" in f.source and "destinations.yml" in f.source


# --- countries --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code", "severity"),
    [
        ("IR", "ir", "block"),
        ("Iran, Islamic Republic of", "ir", "block"),
        ("North Korea", "kp", "block"),
        ("KP", "kp", "block"),
        ("Syria", "sy", "review"),
        ("cu", "cu", "block"),
        ("Belarus", "by", "block"),
        ("RUS", "ru", "block"),
        ("Россия", "ru", "block"),
        ("Crimea", "ua-cri", "block"),
        ("Sevastopol", "ua-cri", "block"),
        ("Zaporizhzhia", "ua-23", "review"),
    ],
)
def test_check_country(rules: DestinationRules, value: str, code: str, severity: str) -> None:
    [f] = rules.check_country(value, "ship_to")
    assert f.rule == "destination.sanctioned_country" and f.severity == severity
    assert f"({code})" in f.detail and f.source.startswith(rules.areas[code].source)


@pytest.mark.parametrize("value", ["DE", "Germany", "Ukraine", "KZ", "", None])
def test_check_country_clear(rules: DestinationRules, value: str | None) -> None:
    assert rules.check_country(value, "ship_to") == []


def test_country_field_with_a_place_name(rules: DestinationRules) -> None:
    [f] = rules.check_country("Республика Крым", "buyer")
    assert f.severity == "block" and "Crimea" in f.detail
    assert rules.resolve_country("Республика Крым") == "ua-cri"
    assert rules.resolve_country("Kazakhstan") == "kz"
    assert rules.resolve_country("Narnia") is None


def test_destination(rules: DestinationRules) -> None:
    consignee = Party("consignee", "Foo", "ул. Ленина 1, Севастополь", "UA")
    assert rules.destination("UA", [consignee]) == "ua-cri"
    assert rules.destination("Germany", [consignee]) == "de"  # not inside Germany: keep ship-to
    assert rules.destination(None, [Party("end_user", "Bar", None, "KZ")]) == "kz"
    assert rules.destination(None, [Party("consignee", "Baz", "Mariupol", None)]) == "ua-dpr"
    assert rules.destination(None, [Party("consignee", "Qux", "Minsk, pr. Nezavisimosti 1", None)]) == "by"
    # A country-level place inside another stated country does not override it.
    assert rules.destination("PL", [Party("consignee", "Qux", "ul. Minsk 1", "PL")]) == "pl"
    assert rules.destination(None, [Party("consignee", "Baz", "Moscow", None)]) is None  # review-only name
    assert rules.destination(None, []) is None


# --- transshipment ------------------------------------------------------------------------------


def test_transshipment(rules: DestinationRules) -> None:
    [f] = rules.check_transshipment("Kazakhstan", "ship_to", "HS 8542.31 (CHPL tier 1)")
    assert f.rule == "destination.transshipment_risk" and f.severity == "review"
    assert "Kazakhstan" in f.detail and "HS 8542.31" in f.detail
    assert "FIN-2022-Alert003" in f.source
    [f] = rules.check_transshipment("HK", "consignee", "HS 8542.31")
    assert "Tri-Seal" in f.source
    [f] = rules.check_transshipment("Turkey", "ship_to", "x")
    assert "Tri-Seal" in f.source and "FIN-2022-Alert003" in f.source
    assert rules.check_transshipment("DE", "ship_to", "x") == []


def test_check_parties_only_flags_transshipment_for_high_priority_goods(rules: DestinationRules) -> None:
    parties = [Party("buyer", "Acme GmbH", "Berlin", "DE"), Party("consignee", "Foo TOO", "Almaty", "KZ")]
    rules_hit = [f.rule for f in rules.check_parties(parties, "KZ", "HS 8542.31 (CHPL tier 1)")]
    assert rules_hit.count("destination.transshipment_risk") == 1  # KZ once, not per party
    assert "destination.transshipment_risk" not in [f.rule for f in rules.check_parties(parties, "KZ")]


# --- red flags ---------------------------------------------------------------------------------


def test_forwarder_as_end_user(rules: DestinationRules) -> None:
    parties = [
        Party("buyer", "Acme GmbH", None, "DE"),
        Party("end_user", "Silk Road Trading LLC", None, "KZ"),
        Party("forwarder", "SILK ROAD TRADING", None, "KZ"),
    ]
    [f] = [f for f in rules.check_red_flags(parties, "DE")]
    assert f.rule == "redflag.forwarder_is_end_user" and f.severity == "review"
    assert "Supp. No. 3 to 15 CFR Part 732" in f.source


@pytest.mark.parametrize(
    "name",
    ["Alpha Freight Forwarding FZE", "Eurasia Logistics LLP", "ООО Логистик-Центр", "TransCargo Spedition GmbH"],
)
def test_end_user_looks_like_forwarder(rules: DestinationRules, name: str) -> None:
    flags = rules.check_red_flags([Party("end_user", name)], None)
    assert [f.rule for f in flags if f.rule != "redflag.destination_in_free_zone"] == ["redflag.end_user_is_forwarder"]


def test_no_red_flags_for_an_ordinary_order(rules: DestinationRules) -> None:
    parties = [Party("buyer", "Acme Robotics GmbH", None, "DE"), Party("end_user", "Acme Robotics GmbH", None, "DE"),
               Party("forwarder", "DHL Global Forwarding", None, "DE")]
    assert rules.check_red_flags(parties, "Germany") == []


def test_ship_to_differs_from_buyer(rules: DestinationRules) -> None:
    [f] = rules.check_red_flags([Party("buyer", "Acme", None, "DE")], "Kyrgyzstan")
    assert f.rule == "redflag.ship_to_differs_from_buyer"
    assert "Kyrgyzstan" in f.detail and "Germany" in f.detail
    assert rules.check_red_flags([Party("buyer", "Acme", None, "DE")], "Germany") == []
    assert rules.check_red_flags([Party("buyer", "Acme", None, None)], "KG") == []


def test_check_parties_everything(rules: DestinationRules) -> None:
    parties = [
        Party("buyer", "Acme GmbH", "Hauptstr. 1, Berlin", "DE"),
        Party("consignee", "OOO Vector", "ул. Ленина 1, Севастополь", "UA"),
        Party("end_user", "Vector Logistics", None, "UA"),
    ]
    found = {(f.rule, f.subject, f.severity) for f in rules.check_parties(parties, "UA", "HS 8542.31")}
    assert ("destination.sanctioned_place", "consignee", "block") in found
    assert ("redflag.end_user_is_forwarder", "end_user", "review") in found
    assert ("redflag.ship_to_differs_from_buyer", "ship_to", "review") in found


# --- user overrides ------------------------------------------------------------------------------


def test_user_file_merges_over_defaults(tmp_path: Path) -> None:
    path = tmp_path / "mine.yml"
    path.write_text(
        "version: corp-1\n"
        "areas:\n"
        "  - {code: sy, severity: none}\n"
        "  - {code: ru, severity: review}\n"
        "  - code: ve\n"
        "    name: Venezuela\n"
        "    severity: review\n"
        "    source: 'internal policy 2025-01'\n"
        "    places: [Caracas]\n"
        "transshipment:\n"
        "  groups:\n"
        "    - {source: 'internal list', countries: [no, Serbia]}\n",
        encoding="utf-8",
    )
    rules = DestinationRules.load(path)
    assert "sy" not in rules.areas and "ir" in rules.areas
    assert rules.check_country("Syria", "ship_to") == []
    # Russia: only the severity changed; places and source kept.
    assert rules.areas["ru"].severity == "review" and "833/2014" in rules.areas["ru"].source
    assert places(rules, "Москва") == [("ru", "review")]
    [f] = rules.check_country("VE", "ship_to")
    assert f.severity == "review" and f.source.startswith("internal policy")
    assert places(rules, "Av. Urdaneta, Caracas") == [("ve", "review")]
    assert set(rules.transshipment) == {"no", "rs"}  # replaced, `no` read as Norway
    assert rules.version == "2026-12-03+corp-1"
    assert "mine.yml" in rules.source
    assert rules.red_flags  # untouched section kept


def test_user_file_replace(tmp_path: Path) -> None:
    path = tmp_path / "only.yml"
    path.write_text(
        "replace: true\nversion: '1'\nareas:\n  - {code: ir, name: Iran, severity: block, source: s, places: [Iran]}\n",
        encoding="utf-8",
    )
    rules = DestinationRules.load(path)
    assert set(rules.areas) == {"ir"} and rules.transshipment == {} and rules.red_flags == {}
    assert places(rules, "Sevastopol") == []


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("areas:\n  - {code: ir}\n  - {code: xx, name: X, severity: block, places: [X]}\n", "areas[1] (xx)", "missing 'source'"),
        ("areas:\n  - {code: ir, severity: maybe, source: s}\n", "areas[0] (ir)", "severity must be"),
        ("areas:\n  - {code: Atlantis, source: s}\n", "areas[0]", "unknown country 'Atlantis'"),
        ("areas:\n  - {code: ir, source: s, places: ['a*b']}\n", "areas[0] (ir).places", "unusable place name"),
        ("areas:\n  - {code: ir, source: s, places: ['Ir*']}\n", "areas[0] (ir).places", "too short"),
        ("transshipment:\n  groups:\n    - {countries: [kz]}\n", "transshipment.groups[0]", "'source'"),
        ("red_flags:\n  forwarder_as_end_user: {keywords: [freight]}\n", "red_flags.forwarder_as_end_user", "'source'"),
        ("bogus: 1\n", None, "unknown section(s): bogus"),
        ("areas: [\n", "line", "invalid YAML"),
    ],
)
def test_user_file_errors(tmp_path: Path, text: str, where: str | None, problem: str) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    err = assert_refused(lambda: DestinationRules.load(path), path)
    assert err.path == str(path)
    if where is None:
        assert err.where is None
    else:
        assert err.where is not None and err.where.startswith(where)
    assert problem in err.problem


def test_user_file_missing(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read file"):
        DestinationRules.load(tmp_path / "nope.yml")
