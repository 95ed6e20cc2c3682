"""Two real processes writing one store at the same moment, on SQLite and on PostgreSQL:
two imports of the same parties (each screens them and raises their alerts) end with
every party registered once, one alert per party and listed entry, both commands
succeeding, and an intact audit chain."""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import run_cli
from tradeguard.store.db import connect
from tradeguard.store.lists import iter_active_entities, load_file

UN = "un/2026-08-01_zr101/un.xml"


def test_two_imports_of_the_same_parties_at_once(store_url: str, lists_dir: Path, tmp_path: Path) -> None:
    engine = connect(store_url)
    load_file(engine, lists_dir / UN)
    with engine.connect() as conn:
        names = [e.caption for e in iter_active_entities(conn)][:40]
    engine.dispose()
    parties = tmp_path / "parties.csv"
    parties.write_text("id,name\n" + "".join(f'c{i},"{n}"\n' for i, n in enumerate(names)), encoding="utf-8")

    env = dict(os.environ, TRADEGUARD_DB=store_url, COLUMNS="200")
    procs = [subprocess.Popen([sys.executable, "-m", "tradeguard.cli", "parties", "import", str(parties)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    outcomes = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outcomes, strict=True):
        assert proc.returncode == 0, f"stdout:\n{out}\nstderr:\n{err}"
    assert sum("40 created" in out for out, _err in outcomes) >= 1

    listed = json.loads(run_cli("parties", "list", "--json", db=store_url).stdout)
    rows = listed if isinstance(listed, list) else listed["parties"]
    assert sorted(p["id"] for p in rows) == sorted(f"c{i}" for i in range(40))
    alerts = json.loads(run_cli("alerts", "list", "--json", "--limit", "1000", db=store_url).stdout)
    alerts = alerts if isinstance(alerts, list) else alerts["alerts"]
    per_pair = collections.Counter((a["party_id"], a["entity_id"]) for a in alerts)
    assert len(per_pair) == 40 and max(per_pair.values()) == 1
    assert "chain intact" in run_cli("audit", "verify", db=store_url).stdout
