"""A list load into a store on a nearly full disk (a small tmpfs mounted for the test):
a clear error naming the file, and the store as it was (the version in force, an intact
database, a verifying audit chain). Skipped where the test may not mount a tmpfs."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.helpers import run_cli

UN = "un/2026-08-01_zr101/un.xml"
SDN = "ofac_sdn/history/2024-05-03/sdn.csv"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode}): needs root")
    try:
        yield mount
    finally:  # lazily when busy: a mount must never outlive the test
        if subprocess.run(["umount", str(mount)], capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def test_a_load_on_a_full_disk_is_refused_and_changes_nothing(small_disk: Path, lists_dir: Path) -> None:
    db = f"sqlite:///{small_disk / 'store.db'}"
    run_cli("lists", "load", str(lists_dir / UN), db=db)
    before = json.loads(run_cli("lists", "status", "--json", db=db).stdout)["lists"]
    full = run_cli("lists", "load", str(lists_dir / SDN), db=db, check=False)  # ~30 MB in a store: too big
    assert full.returncode == 1
    message = " ".join(full.stderr.split())
    assert f"refused {lists_dir / SDN}: the store could not take this version (database or disk is full)" in message
    assert "nothing of it was stored and the version in force is unchanged" in message
    assert "Traceback" not in full.stderr + full.stdout
    assert json.loads(run_cli("lists", "status", "--json", db=db).stdout)["lists"] == before
    with closing(sqlite3.connect(small_disk / "store.db")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM list_versions").fetchone() == (1,)
    assert json.loads(run_cli("audit", "verify", "--json", db=db).stdout)["ok"] is True
