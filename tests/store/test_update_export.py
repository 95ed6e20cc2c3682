"""`lists update` against a real local HTTP server, and FtM export read back by followthemoney."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from followthemoney import model

from tests.helpers import cli_json, run_cli, serve_directory


def _config(tmp_path: Path, base: str, sources: list[dict[str, object]]) -> Path:
    path = tmp_path / "tradeguard.yml"
    path.write_text(yaml.safe_dump({"max_age_days": 30, "max_drop_share": 0.2, "sources": sources}), encoding="utf-8")
    return path


def test_update_fetches_validates_and_loads(tmp_path: Path, lists_dir: Path) -> None:
    db = tmp_path / "update.db"
    with serve_directory(lists_dir) as base:
        config = _config(tmp_path, base, [
            {"list": "us_ofac_sdn", "load": "sdn.csv", "files": [
                {"name": "sdn.csv", "url": f"{base}/ofac_sdn/full_set_2021-04_garybogle/sdn.csv"},
                {"name": "alt.csv", "url": f"{base}/ofac_sdn/full_set_2021-04_garybogle/alt.csv"},
                {"name": "add.csv", "url": f"{base}/ofac_sdn/full_set_2021-04_garybogle/add.csv"},
            ]},
            {"list": "un_sc", "load": "consolidated.xml", "files": [
                {"name": "consolidated.xml", "url": f"{base}/un/2026-08-01_zr101/un.xml"},
            ]},
        ])
        # A party monitored before the lists arrive is screened by the update's rescreen.
        run_cli("parties", "add", "--id", "p-qods", "--name", "Qods Aeronautics Industries",
                "--schema", "Organization", db=db)
        proc = run_cli("lists", "update", "--config", str(config), db=db)
        assert "ok us_ofac_sdn" in proc.stdout and "ok un_sc" in proc.stdout
        assert "rescreened 1 monitored parties" in proc.stdout
        assert "linked the listings of one party" in proc.stdout
        alerts = cli_json("alerts", "list", db=db)
        assert [a["party_id"] for a in alerts] == ["p-qods"]
        status = {item["list"]: item for item in cli_json("lists", "status", db=db)["lists"]}
        assert status["us_ofac_sdn"]["entity_count"] == 8890
        assert status["un_sc"]["entity_count"] == 736 + 275
        assert status["un_sc"]["source_files"] == [f"{base}/un/2026-08-01_zr101/un.xml"]
        # The partner files were read with sdn.csv: aliases and addresses are there.
        ftm = [json.loads(line) for line in run_cli("export", "--format", "ftm", "--list", "us_ofac_sdn", db=db).stdout.splitlines()]
        assert any(e["properties"].get("alias") for e in ftm)
        assert any(e["properties"].get("address") for e in ftm)

        # A second run fetches identical files: a no-op that says so.
        again = run_cli("lists", "update", "--config", str(config), db=db)
        assert again.stdout.count("identical") == 2

        # An empty download and a missing file are refused; the active versions stay.
        bad = _config(tmp_path, base, [
            {"list": "us_ofac_sdn", "load": "sdn.csv", "files": [
                {"name": "sdn.csv", "url": f"{base}/ofac_sdn/history/2024-05-04_EMPTY_download/sdn.csv"}]},
            {"list": "un_sc", "load": "un.xml", "files": [{"name": "un.xml", "url": f"{base}/un/missing.xml"}]},
        ])
        proc = run_cli("lists", "update", "--config", str(bad), db=db, check=False)
        assert proc.returncode == 1
        assert "empty" in proc.stderr and "HTTP 404" in proc.stderr
        after = {item["list"]: item for item in cli_json("lists", "status", db=db)["lists"]}
        assert after["us_ofac_sdn"]["version"] == status["us_ofac_sdn"]["version"]
        assert after["un_sc"]["version"] == status["un_sc"]["version"]


def test_bad_config_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "bad.yml"
    config.write_text("sources:\n  - list: x\n    files: []\n    load: nope\n", encoding="utf-8")
    proc = run_cli("lists", "update", "--config", str(config), db=tmp_path / "c.db", check=False)
    assert proc.returncode == 1
    assert str(config) in proc.stderr and "'load' must name one of its files" in proc.stderr


def test_export_ftm_reads_back_with_followthemoney(tmp_path: Path, lists_dir: Path) -> None:
    db = tmp_path / "export.db"
    run_cli("lists", "load", str(lists_dir / "un/2026-08-01_zr101/un.xml"), db=db)
    out = tmp_path / "entities.ftm.json"
    run_cli("export", "--format", "ftm", "-o", str(out), db=db)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 736 + 275
    schemata = set()
    for line in lines:
        data = json.loads(line)
        proxy = model.get_proxy(data)  # followthemoney validates schema and properties
        assert proxy.id == data["id"] and proxy.id.startswith("un_sc-")
        assert proxy.get("name"), f"{proxy.id} has no name"
        schemata.add(proxy.schema.name)
    assert schemata == {"Person", "Organization"}
    persons = [model.get_proxy(json.loads(line)) for line in lines]
    assert any(p.get("birthDate", quiet=True) for p in persons)
    assert any(p.get("weakAlias", quiet=True) or p.get("alias", quiet=True) for p in persons)
