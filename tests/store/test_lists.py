"""List versions on the real OFAC and UN history: loads, no-ops, diffs, guards, atomicity."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import cli_json, copy_store, run_cli, shared_store

SDN = "ofac_sdn/history/{}/sdn.csv"


@pytest.fixture(scope="module")
def ofac_history_db(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    days = ("2022-02-24", "2022-02-25", "2024-05-02", "2024-05-03")
    built = shared_store(tmp_path_factory.getbasetemp(), "ofac-history", lambda db: run_cli(
        "lists", "load", *(str(lists_dir / SDN.format(day)) for day in days), db=db))  # loaded in this order
    return copy_store(built, tmp_path_factory.mktemp("store") / "history.db")


def _version_ids(db: Path, key: str) -> dict[str, int]:
    return {v["list_date"]: v["version"] for v in cli_json("lists", "versions", key, db=db)}


def test_ofac_2022_02_24_to_25_is_exactly_91_added(ofac_history_db: Path) -> None:
    ids = _version_ids(ofac_history_db, "us_ofac_sdn")
    diff = cli_json("lists", "diff", "us_ofac_sdn", "--from", str(ids["2022-02-24"]), "--to", str(ids["2022-02-25"]), db=ofac_history_db)
    assert len(diff["added"]) == 91
    assert diff["removed"] == []
    assert all(item["entity_id"].startswith("us_ofac_sdn-") and item["source_id"] for item in diff["added"])
    # The 24 February 2022 Russia designations: VTB among them.
    assert any("VTB" in item["name"] for item in diff["added"])


def test_ofac_2024_05_02_to_03_is_exactly_8_removed(ofac_history_db: Path) -> None:
    ids = _version_ids(ofac_history_db, "us_ofac_sdn")
    diff = cli_json("lists", "diff", "us_ofac_sdn", "--from", str(ids["2024-05-02"]), "--to", str(ids["2024-05-03"]), db=ofac_history_db)
    assert len(diff["removed"]) == 8
    assert diff["added"] == []
    for item in diff["changed"]:
        assert item["fields"], "a changed entity names the fields that changed"


def test_default_diff_is_active_against_previous(ofac_history_db: Path) -> None:
    diff = cli_json("lists", "diff", "us_ofac_sdn", db=ofac_history_db)
    assert diff["to"]["list_date"] == "2024-05-03"
    assert diff["from"]["list_date"] == "2024-05-02"
    text = run_cli("lists", "diff", "us_ofac_sdn", db=ofac_history_db).stdout
    assert "-8 removed" in text


def test_status_and_versions(ofac_history_db: Path) -> None:
    status = cli_json("lists", "status", db=ofac_history_db)
    (sdn,) = [item for item in status["lists"] if item["list"] == "us_ofac_sdn"]
    assert sdn["entity_count"] == 14965
    assert sdn["list_date"] == "2024-05-03"
    assert sdn["versions"] == 4
    assert sdn["stale"] is True  # 2024 is far older than the default 7 days
    text = run_cli("lists", "status", db=ofac_history_db).stdout
    assert "STALE" in text and "us_ofac_sdn" in text
    fresh = cli_json("lists", "status", "--max-age", "100000", db=ofac_history_db)
    assert fresh["lists"][0]["stale"] is False


def test_identical_file_is_a_noop(ofac_history_db: Path, lists_dir: Path) -> None:
    before = cli_json("lists", "versions", "us_ofac_sdn", db=ofac_history_db)
    proc = run_cli("lists", "load", str(lists_dir / SDN.format("2024-05-03")), db=ofac_history_db)
    assert "unchanged" in proc.stdout and "identical" in proc.stdout
    assert cli_json("lists", "versions", "us_ofac_sdn", db=ofac_history_db) == before


def test_un_daily_pair_is_a_noop_for_entities(tmp_path: Path, lists_dir: Path) -> None:
    db = tmp_path / "un.db"
    run_cli("lists", "load", str(lists_dir / "un/2025-12-10_haverisenosku/un.xml"),
            str(lists_dir / "un/2025-12-11_haverisenosku/un.xml"), db=db)
    found = cli_json("lists", "versions", "un_sc", db=db)
    assert len(found) == 2, "different files are two versions"
    diff = cli_json("lists", "diff", "un_sc", db=db)
    assert (diff["added"], diff["removed"], diff["changed"]) == ([], [], [])


def test_empty_download_is_refused_and_active_stays(ofac_history_db: Path, lists_dir: Path) -> None:
    empty = lists_dir / "ofac_sdn/history/2024-05-04_EMPTY_download/sdn.csv"
    before = cli_json("lists", "status", db=ofac_history_db)
    proc = run_cli("lists", "load", str(empty), db=ofac_history_db, check=False)
    assert proc.returncode == 1
    assert str(empty) in proc.stderr and "empty" in proc.stderr
    assert cli_json("lists", "status", db=ofac_history_db)["lists"] == before["lists"]


def test_large_drop_is_refused_unless_forced(tmp_path: Path, lists_dir: Path) -> None:
    db = tmp_path / "drop.db"
    run_cli("lists", "load", str(lists_dir / SDN.format("2024-05-03")), db=db)
    partial = lists_dir / "ofac_sdn/xml_partial_2020-04-22_deriv-com/sdn.xml"
    proc = run_cli("lists", "load", str(partial), "--list-date", "2030-01-01", db=db, check=False)
    assert proc.returncode == 1
    assert "refused" in proc.stderr and "drops" in proc.stderr
    assert len(cli_json("lists", "versions", "us_ofac_sdn", db=db)) == 1
    run_cli("lists", "load", str(partial), "--list-date", "2030-01-01", "--force", db=db)
    status = cli_json("lists", "status", db=db)["lists"][0]
    assert status["entity_count"] == 8


def test_truncated_file_is_refused(tmp_path: Path, lists_dir: Path) -> None:
    db = tmp_path / "trunc.db"
    run_cli("lists", "load", str(lists_dir / SDN.format("2024-05-03")), db=db)
    data = (lists_dir / SDN.format("2024-05-03")).read_bytes()
    cut = tmp_path / "2030-01-01" / "sdn.csv"
    cut.parent.mkdir()
    cut.write_bytes(data[: len(data) // 3])  # a download cut off mid-record
    proc = run_cli("lists", "load", str(cut), db=db, check=False)
    assert proc.returncode == 1
    assert str(cut) in proc.stderr
    assert cli_json("lists", "status", db=db)["lists"][0]["entity_count"] == 14965


def test_unknown_format_names_the_file(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("this is not a sanctions list\n", encoding="utf-8")
    proc = run_cli("lists", "load", str(junk), db=tmp_path / "x.db", check=False)
    assert proc.returncode == 1
    assert str(junk) in proc.stderr and "unknown format" in proc.stderr


def test_killed_load_leaves_store_exactly_as_it_was(tmp_path: Path, lists_dir: Path) -> None:
    db = tmp_path / "kill.db"
    run_cli("lists", "load", str(lists_dir / SDN.format("2022-02-24")), db=db)
    tables = ("list_versions", "version_entities", "entity_records")

    def snapshot() -> dict[str, list[tuple[object, ...]]]:
        with sqlite3.connect(db) as con:
            return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}

    before = snapshot()
    env = dict(os.environ, TRADEGUARD_DB=str(db))
    # A bigger file, so the load is still writing when it is killed.
    proc = subprocess.Popen(
        [sys.executable, "-m", "tradeguard.cli", "lists", "load", str(lists_dir / SDN.format("2024-05-03"))],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    journal = Path(str(db) + "-journal")
    deadline = time.monotonic() + 60
    while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the load finished before it could be killed"
    time.sleep(0.2)
    assert proc.poll() is None, "the load finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert snapshot() == before
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # And the store still takes the load afterwards.
    run_cli("lists", "load", str(lists_dir / SDN.format("2024-05-03")), db=db)
    assert cli_json("lists", "status", db=db)["lists"][0]["entity_count"] == 14965


def test_folder_load_skips_non_list_files(tmp_path: Path, lists_dir: Path) -> None:
    folder = tmp_path / "lists" / "2025-12-11"
    folder.mkdir(parents=True)
    shutil.copy(lists_dir / "un/2025-12-11_haverisenosku/un.xml", folder / "un.xml")
    (folder / "README.txt").write_text("hello", encoding="utf-8")
    proc = run_cli("lists", "load", str(tmp_path / "lists"), db=tmp_path / "f.db")
    assert "1 file(s) in the folders are not official list files" in proc.stdout
    status = cli_json("lists", "status", db=tmp_path / "f.db")
    assert [item["list"] for item in status["lists"]] == ["un_sc"]
    assert json.dumps(status)  # serialisable
