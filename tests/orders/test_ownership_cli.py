"""`tradeguard ownership load` and `ownership blocked`: OFAC's published examples, the EU/UK
differences, boundaries, cycles and unknown shares, computed against who is really listed in
a store holding the UN list (2026-08-01) and the OFAC SDN list (2024-05-03)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.orders.conftest import tg, tg_json

# Listed persons of the UN list (so listed under every regime) as the UN writes them.
X = "QODS AERONAUTICS INDUSTRIES"  # un_sc-110349
SBIG = "SHAHID BAGHERI INDUSTRIAL GROUP (SBIG)"
SHIG = "SHAHID HEMMAT INDUSTRIAL GROUP (SHIG)"

GUIDANCE = f"""owner,owned,share,joint,control,source,date
{X},A1,50,,,OFAC FAQ 401 example 1,
A1,B1,50,,,OFAC FAQ 401 example 1,
{X},A2,50,,,example 2,
{X},B2,50,,,example 2,
A2,C2,25,,,example 2,
B2,C2,25,,,example 2,
{X},A3,50,,,example 3,
{X},B3,10,,,example 3,
A3,B3,40,,,example 3,
{X},A4,25,,,example 4,
{X},B4,25,,,example 4,
A4,C4,50,,,example 4,
B4,C4,50,,,example 4,
"{SBIG}",EU1,30,,,two designees,
"{SHIG}",EU1,25,,,two designees,
"{SBIG}",J1,25,yes,,joint arrangement,
"{SHIG}",J1,26,yes,,joint arrangement,
{X},D1,49.99,,,boundary,
{X},D2,50%,,,boundary,
{X},D3,50.01,,,boundary,
{X},E1,60,,,cycle,
E1,E2,60,,,cycle,
E2,E1,30,,,cycle,
F1,F2,60,,,cycle without a listed owner,
F2,F1,60,,,cycle without a listed owner,
{X},G1,,,,share not stated,
{X},G2,25-60,,,share as a range,
{X},G3,majority,,,share in words,
"{SBIG}",K1,10,,yes,board majority,
un_sc-110349,L1,50,,,owner given as an entity id,
QODS-AERONAUTICS INDUSTRIES,L2,50,,,owner name with other punctuation,
QODS AERONAUTICS,L3,90,,,not the listed name,
"""


def blocked(store: Path, regime: str) -> dict[str, dict[str, Any]]:
    data = tg_json("ownership", "blocked", "--regime", regime, db=store)
    assert isinstance(data, list)
    out: dict[str, dict[str, Any]] = {}
    for item in data:
        assert {"entity", "status", "listed", "paths"} <= set(item)
        assert item["status"] in ("blocked", "not_blocked", "cannot_exclude")
        out[item["entity"]] = item
    return out


@pytest.fixture
def guidance_store(store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "guidance.csv"
    path.write_text(GUIDANCE, encoding="utf-8")
    proc = tg("ownership", "load", str(path), db=store)
    assert "loaded 32 ownership edge(s)" in proc.stdout
    return store


def status(results: dict[str, dict[str, Any]], *names: str) -> list[str]:
    return [results[n]["status"] for n in names]


def test_ofac_guidance_examples(guidance_store: Path) -> None:
    got = blocked(guidance_store, "ofac")
    assert got[X]["listed"] is True and got[X]["status"] == "blocked" and got[X]["paths"] == []
    assert status(got, "A1", "B1") == ["blocked", "blocked"]
    assert status(got, "A2", "B2", "C2") == ["blocked"] * 3
    assert status(got, "A3", "B3") == ["blocked", "blocked"]
    assert status(got, "A4", "B4", "C4") == ["not_blocked"] * 3
    assert not any(got[n]["listed"] for n in ("A1", "B1", "C2", "B3", "C4"))
    # Each derived block shows its path of owners and shares.
    assert got["B1"]["paths"] == [[
        {"owner": X, "owned": "A1", "share": "50", "source": "OFAC FAQ 401 example 1"},
        {"owner": "A1", "owned": "B1", "share": "50", "source": "OFAC FAQ 401 example 1"},
    ]]
    c2 = sorted([step["owner"] for step in path] for path in got["C2"]["paths"])
    assert c2 == [[X, "A2"], [X, "B2"]]
    b3 = sorted(len(path) for path in got["B3"]["paths"])
    assert b3 == [1, 2]  # X's own 10%, and A3's 40% (A3 blocked through X's 50%)
    # Minority stakes of blocked persons at or above 25% are flagged for caution.
    assert [c["kind"] for c in got["A4"]["caution"]] == ["minority_stake"]


def test_eu_and_uk_differ_on_aggregation_and_control(guidance_store: Path) -> None:
    ofac, eu, uk = (blocked(guidance_store, r) for r in ("ofac", "eu", "uk"))
    # 30% + 25% by two different designees: owned under OFAC and EU, not under UK.
    assert status(ofac, "EU1") == status(eu, "EU1") == ["blocked"]
    assert status(uk, "EU1") == ["not_blocked"]
    assert "aggregate_not_counted" in [c["kind"] for c in uk["EU1"]["caution"]]
    # A joint arrangement (25% + 26%) is aggregated under UK rules too.
    assert status(uk, "J1") == ["blocked"]
    # Control (board majority) with a 10% stake: EU and UK count control, OFAC does not.
    assert status(eu, "K1") == status(uk, "K1") == ["blocked"]
    assert status(ofac, "K1") == ["not_blocked"]
    assert "control_not_counted" in [c["kind"] for c in ofac["K1"]["caution"]]
    # The UK needs more than 50%: OFAC's first example does not block under UK rules.
    assert status(uk, "A1", "B1") == ["not_blocked", "not_blocked"]


def test_boundaries_cycles_and_unknown_shares(guidance_store: Path) -> None:
    ofac, uk = blocked(guidance_store, "ofac"), blocked(guidance_store, "uk")
    assert status(ofac, "D1", "D2", "D3") == ["not_blocked", "blocked", "blocked"]
    assert status(uk, "D1", "D2", "D3") == ["not_blocked", "not_blocked", "blocked"]
    assert status(ofac, "E1", "E2") == ["blocked", "blocked"]
    assert status(ofac, "F1", "F2") == ["not_blocked", "not_blocked"]
    assert status(ofac, "G1", "G2", "G3") == ["cannot_exclude", "cannot_exclude", "blocked"]
    assert ofac["G2"]["paths"][0][0]["share"] == "25-60"
    assert ofac["G3"]["paths"][0][0]["share"] == ">50"


def test_listed_by_entity_id_or_normalised_name(guidance_store: Path) -> None:
    got = blocked(guidance_store, "eu")
    assert got["un_sc-110349"]["listed"] is True and got["L1"]["status"] == "blocked"
    assert got["QODS-AERONAUTICS INDUSTRIES"]["listed"] is True and got["L2"]["status"] == "blocked"
    assert got["QODS AERONAUTICS"]["listed"] is False and got["L3"]["status"] == "not_blocked"


def test_sdn_only_owner_counts_for_ofac_only(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text('owner,owned,share\n"SINNO ELECTRONICS CO., LIMITED",Pearl River Components Ltd,60\n', encoding="utf-8")
    tg("ownership", "load", str(path), db=store)
    assert blocked(store, "ofac")["Pearl River Components Ltd"]["status"] == "blocked"
    assert blocked(store, "eu")["Pearl River Components Ltd"]["status"] == "not_blocked"
    assert blocked(store, "uk")["SINNO ELECTRONICS CO., LIMITED"]["listed"] is False


def test_list_relations_are_in_the_graph(store: Path) -> None:
    # sdn.csv of 2024-05-03 names the owners of some listed vessels: those edges are in the
    # graph without any user file; the vessels are listed by their entity id.
    got = blocked(store, "ofac")
    vessels = [e for e, item in got.items() if e.startswith("us_ofac_sdn-") and item["listed"]]
    assert vessels
    assert got["Beratex Group Limited"]["listed"] is True  # an owner listed under that name


def test_load_errors_name_the_line_and_store_nothing(store: Path, tmp_path: Path) -> None:
    bad_share = tmp_path / "bad_share.csv"
    bad_share.write_text("owner,owned,share\nAlpha Holding,Beta Trading,50\nAlpha Holding,Gamma Ltd,fifty\n", encoding="utf-8")
    proc = tg("ownership", "load", str(bad_share), db=store, check=False)
    assert proc.returncode == 1
    assert "bad_share.csv" in proc.stderr and "line 3" in proc.stderr and "column 'share'" in proc.stderr
    bad_header = tmp_path / "bad_header.csv"
    bad_header.write_text("parent,child,share\nAlpha,Beta,50\n", encoding="utf-8")
    proc = tg("ownership", "load", str(bad_header), db=store, check=False)
    assert proc.returncode == 1 and "line 1" in proc.stderr and "owner, owned" in proc.stderr
    bad_flag = tmp_path / "bad_flag.csv"
    bad_flag.write_text("owner,owned,share,joint\nAlpha,Beta,50,perhaps\n", encoding="utf-8")
    proc = tg("ownership", "load", str(bad_flag), db=store, check=False)
    assert proc.returncode == 1 and "line 2" in proc.stderr and "column 'joint'" in proc.stderr
    assert tg_json("ownership", "loads", db=store) == []


def test_reload_replaces_and_a_failed_reload_keeps_the_old_edges(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text(f"owner,owned,share\n{X},Alpha Trading,60\n", encoding="utf-8")
    assert "loaded 1 ownership edge(s)" in tg("ownership", "load", str(path), db=store).stdout
    assert "unchanged" in tg("ownership", "load", str(path), db=store).stdout
    path.write_text(f"owner,owned,share\n{X},Alpha Trading,40\n{X},Beta Trading,70\n", encoding="utf-8")
    out = tg("ownership", "load", str(path), db=store).stdout
    assert "loaded 2 ownership edge(s), replacing 1 edge(s)" in out
    got = blocked(store, "ofac")
    assert status(got, "Alpha Trading", "Beta Trading") == ["not_blocked", "blocked"]
    path.write_text(f"owner,owned,share\n{X},Alpha Trading,80\n,Beta Trading,70\n", encoding="utf-8")
    proc = tg("ownership", "load", str(path), db=store, check=False)
    assert proc.returncode == 1 and "line 3" in proc.stderr and "empty 'owner'" in proc.stderr
    assert status(blocked(store, "ofac"), "Alpha Trading", "Beta Trading") == ["not_blocked", "blocked"]
    loads = tg_json("ownership", "loads", db=store)
    assert len(loads) == 1 and loads[0]["edges"] == 2


def test_blocked_table_and_bad_regime(guidance_store: Path) -> None:
    out = tg("ownership", "blocked", "--regime", "uk", db=guidance_store).stdout
    assert "UK:" in out and "blocked" in out and "J1" in out
    assert "listed under UK: un_sc version" in out
    proc = tg("ownership", "blocked", "--regime", "swiss", db=guidance_store, check=False)
    assert proc.returncode == 1 and "unknown regime 'swiss'" in proc.stderr
