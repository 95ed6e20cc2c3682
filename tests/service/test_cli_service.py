"""The `keys`, `parties`, `alerts` and `audit` commands, run as a user would (subprocess)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.service.unxml import organisation, person, write_un_xml
from tradeguard.store.db import connect
from tradeguard.store.keys import verify_key
from tradeguard.store.lists import load_file
from tradeguard.store.service_tables import api_keys


def run(*args: str, db: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, COLUMNS="200")
    full_env.pop("TRADEGUARD_DB", None)
    full_env.pop("TRADEGUARD_FOUR_EYES", None)
    full_env.pop("TRADEGUARD_API_KEY", None)
    full_env.update(env or {})
    group, *rest = args
    proc = subprocess.run(
        [sys.executable, "-m", "tradeguard.cli_service", group, *rest[:1], "--db", db, *rest[1:]],
        capture_output=True, text=True, env=full_env, timeout=600,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def run_json(*args: str, db: str) -> Any:
    return json.loads(run(*args, "--json", db=db).stdout)


def test_service_commands(store_url: str, tmp_path: Path) -> None:
    db = store_url
    engine = connect(db)
    load_file(engine, write_un_xml(tmp_path / "un.xml", "2025-01-01", [
        person("2001", "IVAN", "PETROVSKY", dob="1970-05-02"),
        organisation("2002", "BLUE HORIZON TRADING"),
    ]))

    # keys: printed once, never listed, stored hashed
    proc = run("keys", "create", "--role", "reviewer", "--label", "alice", db=db)
    reviewer = proc.stdout.strip().splitlines()[-1]
    assert reviewer.startswith("tg_") and "shown only this once" in proc.stdout
    screener = run_json("keys", "create", "--role", "screener", db=db)["key"]
    listed = run("keys", "list", "--json", db=db).stdout
    assert reviewer not in listed and screener not in listed and "alice" in listed
    with engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(select(api_keys)) for v in row)
    assert reviewer.split("_", 2)[2] not in stored
    bad_role = run("keys", "create", "--role", "root", db=db, check=False)
    assert bad_role.returncode == 1 and "unknown role" in bad_role.stderr
    # Keys can expire and be rotated: the new key is printed once, the old one stops working.
    temp = run_json("keys", "create", "--role", "screener", "--label", "batch", "--expires-in", "7", db=db)
    from datetime import UTC, datetime, timedelta

    in_a_week = datetime.fromisoformat(temp["expires_at"]) - datetime.now(UTC)
    assert timedelta(days=6.9) < in_a_week <= timedelta(days=7)
    rotated = run_json("keys", "rotate", temp["id"], db=db)
    assert rotated["replaces"] == temp["id"] and rotated["key"].startswith("tg_")
    with engine.connect() as conn:
        assert verify_key(conn, temp["key"]) is None and verify_key(conn, rotated["key"]) is not None
    again = run("keys", "rotate", temp["id"], db=db, check=False)
    assert again.returncode == 1 and "no active key" in again.stderr

    # parties: a file with a bad row; the good rows are registered and screened
    sheet = tmp_path / "customers.csv"
    sheet.write_text(
        "id,name,schema,birth_date,kind\n"
        "c-1,Ivan Petrovsky,Person,1970-05-02,customer\n"
        "c-2,,Person,,customer\n"
        "c-3,Blue Horizon Trading,Organization,,supplier\n"
        "c-4,Annelise Vandermeer,Person,,customer\n",
        encoding="utf-8",
    )
    imported = run("parties", "import", str(sheet), db=db, check=False)
    assert imported.returncode == 1
    assert "customers.csv: line 3: party c-2: no name" in " ".join(imported.stderr.split())
    assert "3 created" in imported.stdout and "2 new alert(s)" in imported.stdout
    assert [p["id"] for p in run_json("parties", "list", db=db)] == ["c-1", "c-3", "c-4"]
    added = run_json("parties", "add", "--id", "c-5", "--name", "Maria Kovalenko", "--kind", "consignee", db=db)
    assert added["created"] == 1 and added["alerts"]["raised"] == []

    alerts = run_json("alerts", "list", "--status", "open", db=db)
    by_party = {a["party_id"]: a for a in alerts}
    assert set(by_party) == {"c-1", "c-3"}
    ivan_alert = by_party["c-1"]["id"]
    shown = run("alerts", "show", str(ivan_alert), db=db).stdout
    assert "Ivan Petrovsky" in shown and "IVAN PETROVSKY" in shown and "1970-05-02" in shown

    # decisions: the screener may not decide; the reviewer may, with a reason
    denied = run("alerts", "decide", str(ivan_alert), "--decision", "false_positive", "--reason", "x", "--key", screener, db=db, check=False)
    assert denied.returncode == 1 and "needs 'reviewer'" in denied.stderr
    no_reason = run("alerts", "decide", str(ivan_alert), "--decision", "false_positive", "--reason", " ", "--key", reviewer, db=db, check=False)
    assert no_reason.returncode == 1 and "needs a reason" in no_reason.stderr
    run("alerts", "decide", str(ivan_alert), "--decision", "false_positive", "--reason", "born 1985, passport seen",
        db=db, env={"TRADEGUARD_API_KEY": reviewer})
    assert [a["party_id"] for a in run_json("alerts", "list", "--status", "cleared", db=db)] == ["c-1"]
    assert [a["party_id"] for a in run_json("alerts", "list", "--status", "open", db=db)] == ["c-3"]

    # revoked keys stop working at once
    reviewer_id = reviewer.split("_")[1]
    run("keys", "revoke", reviewer_id, db=db)
    revoked = run("alerts", "decide", str(by_party["c-3"]["id"]), "--decision", "true_match", "--reason", "same",
                  "--key", reviewer, db=db, check=False)
    assert revoked.returncode == 1 and "invalid or revoked key" in revoked.stderr

    # audit: intact, exportable
    verified = run("audit", "verify", db=db)
    assert "chain intact" in verified.stdout
    out = tmp_path / "evidence"
    exported = run_json("audit", "export", "c-1", "-o", str(out), "--no-pdf", db=db)
    html = Path(exported["html"]).read_text(encoding="utf-8")
    assert "Ivan Petrovsky" in html and "born 1985, passport seen" in html and reviewer_id in html
    assert "born 1985, passport seen" in Path(exported["csv"]).read_text(encoding="utf-8")
    missing = run("audit", "export", "nobody", "-o", str(out), db=db, check=False)
    assert missing.returncode == 1 and "no monitored party" in missing.stderr
    entries = run_json("audit", "list", "--party", "c-1", db=db)
    assert [e["action"] for e in entries][:2] == ["export", "decision"]

    if db.startswith("sqlite:///"):
        con = sqlite3.connect(db.removeprefix("sqlite:///"))
        con.execute("UPDATE audit_log SET payload = replace(payload, 'passport seen', 'no check') WHERE action = 'decision'")
        con.commit()
        seq = con.execute("SELECT seq FROM audit_log WHERE action = 'decision'").fetchone()[0]
        con.close()
        broken = run("audit", "verify", db=db, check=False)
        assert broken.returncode == 1
        assert f"BROKEN at row {seq}" in broken.stderr and "edited" in broken.stderr
    engine.dispose()
