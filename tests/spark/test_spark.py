"""Batch screening on Spark (local mode): the same results as `tradeguard screen`, from the
saved index shipped to the executors."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_cli

pyspark = pytest.importorskip("pyspark", reason="the spark extra is not installed (make test installs it)")

UN = "un/2026-08-01_zr101/un.xml"


@pytest.fixture(scope="module")
def store(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("spark") / "store.db"
    run_cli("lists", "load", str(lists_dir / UN), db=db)
    return db


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("tradeguard tests")
               .config("spark.ui.enabled", "false").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def parties(eval_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dev suite's queries as a party file (ids, names, schemas, birth dates, countries),
    with one row that has no name."""
    path = tmp_path_factory.mktemp("parties") / "parties.jsonl"
    with (eval_dir / "screen_cases.jsonl").open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for line in src:
            case = json.loads(line)
            q = case["query"]
            row = {"id": case["id"], "name": q["name"], "schema": q.get("schema"),
                   "birth_date": q.get("birth_date"), "country": q.get("country")}
            out.write(json.dumps(row) + "\n")
        out.write(json.dumps({"id": "no-name", "name": ""}) + "\n")
    return path


def _by_id(path: Path) -> dict[str, list[tuple[str, float, str]]]:
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out[row["id"]] = [(m["entity_id"], m["score"], m["matched_name"]) for m in row["matches"]]
    return out


def test_the_dev_suite_screens_the_same_on_spark_as_with_tradeguard_screen(
    store: Path, spark: Any, parties: Path, tmp_path: Path,
) -> None:
    from tradeguard.spark import screen_dataframe

    expected_file = tmp_path / "screen.jsonl"
    run_cli("screen", str(parties), "-o", str(expected_file), db=store)
    expected = _by_id(expected_file)
    df = spark.read.json(str(parties))
    result = screen_dataframe(df, schema_col="schema", birth_date_col="birth_date", country_col="country",
                              store=f"sqlite:///{store}")
    rows = {r["id"]: r for r in (row.asDict(recursive=True) for row in result.collect())}
    assert set(rows) == set(expected) | {"no-name"}  # one row per input row
    assert rows["no-name"]["error"] == "no name" and rows["no-name"]["matches"] == []
    got = {rid: [(m["entity_id"], m["score"], m["matched_name"]) for m in row["matches"]]
           for rid, row in rows.items() if rid != "no-name"}
    assert got == expected
    assert sum(bool(m) for m in got.values()) > 400  # the UN list's share of the suite (420 when written)
    first = next(row for row in rows.values() if row["matches"])["matches"][0]
    assert json.loads(first["explanation"])["name"]["matched"] == first["matched_name"]
    # Written as Parquet (as `tradeguard spark screen OUT.parquet` does) and read back.
    from tradeguard.cli_spark import _write_parquet

    counted = _write_parquet(spark, result, tmp_path / "hits.parquet")
    assert counted == (len(rows), sum(bool(r["matches"]) for r in rows.values()), 1)


def test_spark_screen_cli_writes_jsonl_like_screen(store: Path, parties: Path, tmp_path: Path) -> None:
    csv_in = tmp_path / "parties.csv"
    rows = [json.loads(line) for line in parties.read_text(encoding="utf-8").splitlines()][:100]
    csv_in.write_text("id,name,schema\n" + "".join(
        f"{r['id']},\"{r['name']}\",{r.get('schema') or ''}\n" for r in rows if r["name"]), encoding="utf-8")
    out = tmp_path / "hits.jsonl"
    proc = run_cli("spark", "screen", str(csv_in), str(out), "--master", "local[2]", db=store)
    assert "screened 100 part(ies) on Spark" in proc.stdout
    expected_file = tmp_path / "screen.jsonl"
    run_cli("screen", str(csv_in), "-o", str(expected_file), db=store)
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == \
        [json.loads(line)["id"] for line in expected_file.read_text(encoding="utf-8").splitlines()]
    assert _by_id(out) == _by_id(expected_file)
    with_matches = sum(bool(found) for found in _by_id(expected_file).values())
    assert 0 < with_matches < 100 and f": {with_matches:,} with matches;" in proc.stdout
    # Bad output name, empty input: a clear refusal before Spark starts.
    bad = run_cli("spark", "screen", str(csv_in), str(tmp_path / "hits.txt"), db=store, check=False)
    assert bad.returncode != 0 and ".parquet or .jsonl" in bad.stderr
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    empty = run_cli("spark", "screen", str(tmp_path / "empty.csv"), str(out), db=store, check=False)
    assert empty.returncode != 0 and "empty.csv: empty file" in empty.stderr
