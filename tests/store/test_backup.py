"""`tradeguard store backup` / `store restore` on a real SQLite file and a real PostgreSQL
database: the copy holds the lists and the audit chain as they were, a restore brings the
store back to it (and `audit verify` passes), and what would lose data or is not a backup
is refused with the reason, the store unchanged."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tradeguard.store import audit
from tradeguard.store.db import connect
from tradeguard.store.lists import active_versions, load_file

UN = "un/2026-08-01_zr101/un.xml"
AU = "australia_dfat/2026-08_zr101/dfat.xlsx"


def _lists(url: str) -> list[str]:
    engine = connect(url)
    try:
        with engine.connect() as conn:
            return sorted(v.list_key for v in active_versions(conn))
    finally:
        engine.dispose()


def test_backup_and_restore(store_url: str, lists_dir: Path, tmp_path: Path) -> None:
    if store_url.startswith("postgresql") and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not installed (Debian package postgresql-client)")
    engine = connect(store_url)
    load_file(engine, lists_dir / UN)
    with engine.begin() as conn:
        for i in range(3):
            audit.append(conn, "test", "note", {"i": i})
    with engine.connect() as conn:
        seq, head = audit.head(conn)
    engine.dispose()

    path = tmp_path / "store.backup"
    made = json.loads(run_cli("store", "backup", str(path), "--json", db=store_url).stdout)
    assert made["list_versions"] == 1 and made["audit_ok"] is True
    assert (made["audit_entries"], made["audit_head"]) == (seq, head) and made["bytes"] == path.stat().st_size > 0
    assert "password" not in made["store"] or "***" in made["store"]
    again = run_cli("store", "backup", str(path), db=store_url, check=False)
    assert again.returncode == 1 and "exists already" in again.stderr

    # The store moves on: another list, more audit entries.
    engine = connect(store_url)
    load_file(engine, lists_dir / AU)
    with engine.begin() as conn:
        audit.append(conn, "test", "note", {"after": "backup"})
    engine.dispose()
    assert _lists(store_url) == ["au_dfat", "un_sc"]

    refused = run_cli("store", "restore", str(path), db=store_url, check=False)
    assert refused.returncode == 1 and "holds data" in refused.stderr
    assert _lists(store_url) == ["au_dfat", "un_sc"]  # unchanged

    restored = json.loads(run_cli("store", "restore", str(path), "--force", "--json", db=store_url).stdout)
    assert (restored["audit_entries"], restored["audit_head"], restored["audit_ok"]) == (seq, head, True)
    assert _lists(store_url) == ["un_sc"]
    assert "ok" in run_cli("audit", "verify", db=store_url).stdout

    # Into an empty store of the same kind: no --force needed.
    if store_url.startswith("sqlite"):
        fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
        run_cli("store", "restore", str(path), db=fresh)
        assert _lists(fresh) == ["un_sc"]


def test_what_is_not_a_good_backup_is_refused(tmp_path: Path, lists_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = connect(url)
    load_file(engine, lists_dir / UN)
    with engine.begin() as conn:
        audit.append(conn, "test", "note", {"i": 1})
    engine.dispose()
    path = tmp_path / "copy.db"
    run_cli("store", "backup", str(path), db=url)

    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n", encoding="utf-8")
    wrong = run_cli("store", "restore", str(text), "--force", db=url, check=False)
    assert wrong.returncode == 1 and "not a tradeguard backup" in wrong.stderr
    missing = run_cli("store", "restore", str(tmp_path / "nope.db"), db=url, check=False)
    assert missing.returncode == 1 and "no such backup file" in missing.stderr

    other = tmp_path / "other.db"  # a SQLite file, but not a tradeguard store
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    foreign = run_cli("store", "restore", str(other), "--force", db=url, check=False)
    assert foreign.returncode == 1 and "not a tradeguard store" in foreign.stderr

    tampered = tmp_path / "tampered.db"  # an audit entry changed after the backup
    shutil.copyfile(path, tampered)
    with sqlite3.connect(tampered) as db:
        db.execute("UPDATE audit_log SET payload = '{\"i\": 2}' WHERE seq = 1")
    broken = run_cli("store", "restore", str(tampered), "--force", db=url, check=False)
    assert broken.returncode == 1 and "audit chain is broken" in broken.stderr
    assert _lists(url) == ["un_sc"]
    assert "ok" in run_cli("audit", "verify", db=url).stdout
