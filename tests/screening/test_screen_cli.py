"""The matching interfaces as users call them: compare, match, screen, and `Screener`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from python_calamine import CalamineWorkbook

from tests.helpers import run_cli


def test_compare_prints_score_and_explanation(tmp_path: Path) -> None:
    from tradeguard.matching import DEFAULT_THRESHOLD

    out = json.loads(run_cli("compare", "SIS DOO", "SIS d.o.o.", "--json", db=tmp_path / "none.db").stdout)
    assert out["score"] >= DEFAULT_THRESHOLD
    assert out["explanation"]
    text = run_cli("compare", "SIS DOO", "SIS d.o.o.", db=tmp_path / "none.db").stdout
    assert "SIS" in text
    low = json.loads(run_cli("compare", "emma daniels", "EMMA LLC", "--json", db=tmp_path / "none.db").stdout)
    assert low["score"] < DEFAULT_THRESHOLD


def test_compare_pairs_file(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,schema\n"
        "Xi Jinping,习近平,Person\n"
        "Snow Storm 1,Snow Storm 2,Vessel\n"
        ",missing,Person\n"
        "Viktor Bout,BOUT Viktor Anatolyevich,Person\n",
        encoding="utf-8",
    )
    out = tmp_path / "scored.csv"
    proc = run_cli("compare", "--pairs", str(pairs), "--output", str(out), db=tmp_path / "none.db")
    assert "line 4" in proc.stderr  # the empty name is reported with its line
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["name1"] for r in rows] == ["Xi Jinping", "Snow Storm 1", "Viktor Bout"]
    assert set(rows[0]) == {"name1", "name2", "schema", "score"}
    scores = [float(r["score"]) for r in rows]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > scores[1]


def test_match_against_store(store: Path) -> None:
    data = json.loads(run_cli("match", "Sirajuddin Jalaluddin Haqqani", "--schema", "Person", "--json", db=store).stdout)
    assert data["matches"], "a listed name with one romanisation change is found"
    best = data["matches"][0]
    assert best["list"] == "un_sc"
    assert {"list", "source_id", "entity_id", "name", "matched_name", "score", "explanation"} <= set(best)
    assert {v["list"] for v in data["lists"]} == {"un_sc", "us_ofac_sdn"}
    table = run_cli("match", "Igor Ivanovich Sechin", "--birth-date", "1960-09-07", db=store).stdout
    assert "SECHIN" in table


def test_screen_jsonl_csv_xlsx_and_bad_rows(store: Path, tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text(
        "id,name,schema,birth_date,country,identifiers\n"
        "p1,Igor Ivanovich Sechin,Person,1960-09-07,ru,\n"
        "p2,Acme Industrial Supplies GmbH,Company,,de,\n"
        "p3,too,many,cells,in,this,row,here\n"
        "p4,,Person,,,\n"
        "p5,Игорь Сечин,Person,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    proc = run_cli("screen", str(parties), "-o", str(out), db=store)
    assert "line 4" in proc.stderr and "line 5" in proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["p1", "p2", "p5"]
    by_id = {r["id"]: r for r in records}
    assert by_id["p1"]["matches"][0]["source_id"] == "16692"
    assert by_id["p2"]["matches"] == []
    assert any(m["source_id"] == "16692" for m in by_id["p5"]["matches"]), "Cyrillic spelling found"
    scores = [m["score"] for m in by_id["p1"]["matches"]]
    assert scores == sorted(scores, reverse=True)

    out_csv = tmp_path / "out.csv"
    run_cli("screen", str(parties), "-o", str(out_csv), db=store)
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["p1", "p2", "p5"]
    assert json.loads(rows[0]["matches"])[0]["source_id"] == "16692"

    out_xlsx = tmp_path / "out.xlsx"
    run_cli("screen", str(parties), "-o", str(out_xlsx), db=store)
    sheet = CalamineWorkbook.from_path(str(out_xlsx)).get_sheet_by_index(0).to_python()
    assert sheet[0] == ["id", "matches"] and len(sheet) == 4


def test_screener_python_api(store: Path) -> None:
    from tradeguard import Screener

    screener = Screener(f"sqlite:///{store}")
    assert len(screener) > 10000
    matches = screener.match("Igor Sechin", schema="Person")
    assert matches and matches[0].entity.source_id == "16692"
    results = list(screener.screen([{"id": "a", "name": "Mahan Air"}, {"id": "b", "name": "Quiet Harbour Bakery"}]))
    assert [r.id for r in results] == ["a", "b"]
    assert results[0].matches and not results[1].matches
