"""Goods checks: HS code normalisation, the Common High Priority List (read from ../shared,
never copied), user controlled-goods lists, ECCNs toward sensitive destinations."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tradeguard.screening.goods import (
    CHPL_ENV,
    Finding,
    GoodsError,
    check_eccn,
    check_hs,
    default_chpl_path,
    hs_digits,
    load_chpl,
    load_goods_list,
    normalize_eccn,
    normalize_hs,
    worst_severity,
)
from tradeguard.sources.base import SourceError

CHPL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "goods" / "chpl_hs_codes.csv"
SENSITIVE = {"ru": "block", "by": "block", "ir": "block", "ua-cri": "block", "ua-23": "review"}


@pytest.fixture(scope="module")
def chpl_path() -> Path:
    if not CHPL.is_file():
        pytest.skip(f"Common High Priority List not found at {CHPL} (the ../shared folder is absent)")
    return CHPL


# --- HS codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "hs6", "digits"),
    [
        ("8542.31.0000", "854231", "8542310000"),
        ("8542 31", "854231", "854231"),
        ("854231", "854231", "854231"),
        ("8542-31-00", "854231", "85423100"),
        ("8542.31.00.00", "854231", "8542310000"),
        (" 8542.31 ", "854231", "854231"),
        ("0101.21", "010121", "010121"),
        ("8542/31/0015", "854231", "8542310015"),
        (854231, "854231", "854231"),
    ],
)
def test_normalize_hs(code: object, hs6: str, digits: str) -> None:
    assert normalize_hs(code) == hs6
    assert hs_digits(code) == digits


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("8542", "4 digits; at least 6"),
        ("10121", "5 digits; at least 6"),  # 0101.21 after a spreadsheet dropped the 0
        ("85A231", "characters other than digits"),
        ("12345678901", "at most 10"),
        ("", "empty"),
        (None, "empty"),
        ("８５４２３１", "characters other than digits"),  # full-width digits
    ],
)
def test_normalize_hs_errors(code: object, message: str) -> None:
    with pytest.raises(GoodsError, match=message):
        normalize_hs(code)


# --- the Common High Priority List (real file) ------------------------------------------------


def test_load_chpl(chpl_path: Path) -> None:
    chpl = load_chpl(chpl_path)
    with open(chpl_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(chpl.entries) == len(rows) == 50
    assert chpl.version == "2024-02-23"
    assert chpl.source == "BIS Common High Priority List (chpl_hs_codes.csv, 2024-02-23)"
    assert {e.tier for e in chpl.entries} == {"1", "2", "3.A", "3.B", "4.A", "4.B"}
    assert all(len(e.code) == 6 for e in chpl.entries)


@pytest.mark.parametrize(
    ("code", "tier", "description"),
    [
        ("8542.31.0000", "1", "Processors and controllers"),
        ("8542 32", "1", "Memories"),
        ("852691", "2", "Radio navigational aid apparatus"),
        ("8482.10.5044", "3.B", "Ball bearings"),
        ("8807.30.0060", "3.B", "unmanned aircraft"),
        ("9030.20", "4.A", "Oscilloscopes"),
        ("8548.00.0000", "2", "Electrical parts"),
    ],
)
def test_chpl_lookup(chpl_path: Path, code: str, tier: str, description: str) -> None:
    matches = load_chpl(chpl_path).lookup(code)
    assert len(matches) == 1
    assert matches[0].entry.tier == tier
    assert description in (matches[0].entry.description or "")
    assert not matches[0].possible


def test_chpl_miss(chpl_path: Path) -> None:
    chpl = load_chpl(chpl_path)
    assert chpl.lookup("6109.10.0012") == []  # cotton T-shirts
    assert chpl.lookup("8542.90") == []  # parts of ICs: not on the list


def test_check_hs_chpl_severity_by_destination(chpl_path: Path) -> None:
    chpl = load_chpl(chpl_path)

    def one(dest: str | None) -> Finding:
        [f] = check_hs("8542.31.0000", [chpl], dest, SENSITIVE, {"kz", "ae"})
        assert f.rule == "goods.chpl" and f.source == chpl.source
        assert "tier 1" in f.detail
        return f

    assert one("ru").severity == "block"
    assert one("ua-23").severity == "review"  # the destination's own severity
    assert one("kz").severity == "review" and "transshipment" in one("kz").detail
    assert one(None).severity == "review" and "unknown destination" in one(None).detail
    assert one("de").severity == "info"
    assert check_hs("6109.10", [chpl], "ru", SENSITIVE) == []
    assert check_hs("", [chpl], "ru", SENSITIVE) == []


def test_check_hs_bad_code_is_a_finding_not_an_error(chpl_path: Path) -> None:
    [f] = check_hs("8542", [load_chpl(chpl_path)], "ru", SENSITIVE)
    assert f.rule == "goods.hs_invalid" and f.severity == "review"
    assert "4 digits" in f.detail


def test_default_chpl_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CHPL_ENV, raising=False)
    assert default_chpl_path() == CHPL
    monkeypatch.setenv(CHPL_ENV, str(tmp_path / "x.csv"))
    assert default_chpl_path() == tmp_path / "x.csv"
    with pytest.raises(SourceError, match="not found"):
        load_chpl()


def test_chpl_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "chpl.csv"
    path.write_text("hs_code,description,tier,source\n8542.31,ICs,1,x\n85,Bad,1,x\n8542.3X,Bad,1,x\n")
    with pytest.raises(SourceError) as err:
        load_chpl(path)
    assert err.value.path == str(path) and err.value.where == "line 4"
    assert "characters other than digits" in err.value.problem


# --- user controlled-goods lists ------------------------------------------------------------


@pytest.fixture
def us_list(tmp_path: Path) -> Path:
    path = tmp_path / "us_hts6_licence.csv"
    path.write_text(
        "hs_code,description,destinations\n"
        "8471.30,Portable computers,IR;RU;BY;Crimea\n"
        "8542.31.00,Processors (8-digit HTS entry),\"RU, BY\"\n"
        "88,Aircraft and parts (chapter),\n"
        "\n"
        "9013.10,Telescopic sights,IR RU BY\n",
        encoding="utf-8",
    )
    return path


def test_load_goods_list(us_list: Path) -> None:
    lst = load_goods_list(us_list, version="2024-05-01")
    assert lst.name == "us_hts6_licence" and lst.version == "2024-05-01"
    assert lst.source == "us_hts6_licence (us_hts6_licence.csv, 2024-05-01)"
    assert [e.code for e in lst.entries] == ["847130", "85423100", "88", "901310"]
    assert lst.entries[0].destinations == frozenset({"ir", "ru", "by", "ua-cri"})
    assert lst.entries[1].destinations == frozenset({"ru", "by"})
    assert lst.entries[2].destinations == frozenset()
    assert lst.entries[3].destinations == frozenset({"ir", "ru", "by"})
    assert load_goods_list(us_list).version.startswith("file date ")


def test_controlled_list_matches(us_list: Path) -> None:
    lst = load_goods_list(us_list, name="US HTS-6 licence list", version="v1")
    [f] = check_hs("8471.30.0100", [lst], "ru", SENSITIVE)
    assert (f.rule, f.severity, f.source) == ("goods.controlled", "block", lst.source)
    assert check_hs("8471.30.0100", [lst], "de", SENSITIVE) == []  # control not for Germany
    [f] = check_hs("8471.30", [lst], "ua-cri", SENSITIVE)
    assert f.severity == "block"
    [f] = check_hs("8471.30", [lst], None, SENSITIVE)
    assert f.severity == "review" and "destination unknown" in f.detail
    # A chapter entry with no destinations applies to every destination.
    [f] = check_hs("8807.30.0060", [lst], "de", SENSITIVE)
    assert f.severity == "block" and "entry 88" in f.detail
    # 8-digit entry: a 10-digit order code under it matches; an HS-6 order code may.
    [f] = check_hs("8542.31.0015", [lst], "ru", SENSITIVE)
    assert f.severity == "block"
    [f] = check_hs("8542.31", [lst], "ru", SENSITIVE)
    assert f.severity == "review" and "possible" in f.detail
    assert check_hs("8542.39.0000", [lst], "ru", SENSITIVE) == []


def test_controlled_list_review_severity(us_list: Path) -> None:
    lst = load_goods_list(us_list, severity="review")
    [f] = check_hs("8471.30", [lst], "ru", SENSITIVE)
    assert f.severity == "review"


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("hs_code,description\n8471.30,ok\n84A1,bad\n", "line 3", "characters other than digits"),
        ("hs_code,description\n8,too short\n", "line 2", "2 to 10"),
        ("hs_code,destinations\n8471.30,Atlantis\n", "line 2", "unknown country 'Atlantis'"),
        ("description,tier\nfoo,1\n", "line 1", "no HS code column"),
        ("hs_code,description\n,empty\n", "line 2", "empty HS code"),
    ],
)
def test_goods_list_errors(tmp_path: Path, text: str, where: str, problem: str) -> None:
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_goods_list(path)
    assert err.value.path == str(path) and err.value.where == where
    assert problem in err.value.problem


def test_goods_list_empty(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("hs_code,description\n", encoding="utf-8")
    with pytest.raises(SourceError, match="no HS codes"):
        load_goods_list(path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match="empty file"):
        load_goods_list(path)


# --- ECCN ---------------------------------------------------------------------------------------


def test_normalize_eccn() -> None:
    assert normalize_eccn(" 3a001.A.7 ") == "3A001.a.7"
    assert normalize_eccn("ear99") == "EAR99"
    assert normalize_eccn("") is None


def test_check_eccn() -> None:
    assert check_eccn("EAR99", "ru", SENSITIVE, "s") == []
    assert check_eccn("ear99", "ru", SENSITIVE, "s") == []
    assert check_eccn("", "ru", SENSITIVE, "s") == []
    assert check_eccn(None, "ru", SENSITIVE, "s") == []
    [f] = check_eccn("3A001.a.7", "ru", SENSITIVE, "destinations.yml")
    assert (f.rule, f.severity, f.source) == ("goods.eccn_sensitive_destination", "block", "destinations.yml")
    assert "3A001.a.7" in f.detail
    [f] = check_eccn("5A992.c", "ua-23", SENSITIVE, "s")
    assert f.severity == "review"
    assert check_eccn("5A992.c", "de", SENSITIVE, "s") == []
    [f] = check_eccn("0Y521", None, SENSITIVE, "s")
    assert f.rule == "goods.eccn_unknown_destination" and f.severity == "review"
    [f] = check_eccn("3A0X1", "de", SENSITIVE, "s")
    assert f.rule == "goods.eccn_invalid" and f.severity == "review"


def test_finding_reason_and_worst() -> None:
    fs = [Finding("a", "d", "s", "info"), Finding("b", "d", "s", "block"), Finding("c", "d", "s", "review")]
    assert fs[1].reason() == {"rule": "b", "detail": "d", "source": "s"}
    assert worst_severity(fs) == "block"
    assert worst_severity(fs[::2]) == "review"
    assert worst_severity([]) is None
