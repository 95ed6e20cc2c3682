"""tradeguard's own routes on a live server: batch screening, lists, parties, alerts and
decisions, the audit trail, keys and roles; on a SQLite store and on a PostgreSQL one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import text

from tests.api.live import (
    BACKENDS,
    SDN_0502_RECORDS,
    SDN_0503_RECORDS,
    UN_ENTITIES,
    LiveServer,
    live_server,
)
from tradeguard.store.db import connect

BOUT = "us_ofac_sdn-8279"
QANNADI = "un_sc-110418"


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, lists_dir: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own, on each backend."""
    with live_server(lists_dir, tmp_path_factory.mktemp(f"service-{request.param}"), backend=request.param) as srv:
        yield srv


def _ndjson(resp: httpx.Response) -> list[dict[str, Any]]:
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in resp.text.splitlines() if line.strip()]


def _screen(server: LiveServer, path: Path, **params: Any) -> httpx.Response:
    with server.client() as client, open(path, "rb") as fh:
        return client.post("/screen", params=params, files={"file": (path.name, fh)})


def _audit(server: LiveServer, **params: Any) -> list[dict[str, Any]]:
    with server.client("reviewer") as client:
        resp = client.get("/audit", params={"limit": 200, **params})
    assert resp.status_code == 200, resp.text
    return list(resp.json())


def test_screen_csv_streams_one_line_per_row(server: LiveServer, tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text(
        "id,name,schema,birth_date,country\n"
        "c1,Viktor Anatolijevitch Bout,Person,1967-01-13,ru\n"
        "c2,Northwind Logistics Ltd,Company,,gb\n"
        "c3,,Person,,\n"  # line 4: no name
        "c4,Mohammad Qannadi,Person,1952-10-13,ir,surplus,cells\n"  # line 5: too many cells
        ",Nameless Id Missing,Person,,\n"  # line 6: no id
        "c5,Mohammad Qannadi,Person,1952-10-13,ir\n",
        encoding="utf-8",
    )
    lines = _ndjson(_screen(server, path))
    rows, summary = lines[:-1], lines[-1]["summary"]
    assert [r["line"] for r in rows] == [2, 3, 4, 5, 6, 7]
    by_line = {r["line"]: r for r in rows}
    assert by_line[2]["id"] == "c1" and by_line[2]["matches"][0]["entity_id"] == BOUT
    assert by_line[2]["matches"][0]["explanation"] is not None
    assert by_line[3]["matches"] == []
    assert "no name" in by_line[4]["error"]
    assert "cells" in by_line[5]["error"]
    assert by_line[6]["error"] == "no id"
    assert by_line[7]["matches"][0]["entity_id"] == QANNADI
    assert summary["rows"] == 6 and summary["screened"] == 3 and summary["errors"] == 3
    assert summary["with_matches"] == 2
    assert {v["list"] for v in summary["list_versions"]} == {"un_sc", "us_ofac_sdn"}
    entry = next(e for e in _audit(server, action="screen_batch") if e["payload"]["sha256"] == summary["sha256"])
    payload = entry["payload"]
    assert entry["actor"] == server.key_ids["screener"]
    assert payload["complete"] is True
    assert payload["file"] == "parties.csv"
    assert set(payload["results"]) == {"c1", "c5"}
    assert [e["line"] for e in payload["errors"]] == [4, 5, 6]
    assert payload["threshold"] == summary["threshold"]


def test_screen_xlsx_and_jsonl(server: LiveServer, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["ID", "Name", "Schema"])
    ws.append(["x1", "BOUT, Viktor Anatolijevitch", "Person"])
    ws.append(["x2", "Acme Industrial Supplies GmbH", "Company"])
    xlsx = tmp_path / "parties.xlsx"
    wb.save(xlsx)
    lines = _ndjson(_screen(server, xlsx, limit=1))
    assert [r.get("id") for r in lines[:-1]] == ["x1", "x2"]
    assert [r["line"] for r in lines[:-1]] == [2, 3]
    assert len(lines[0]["matches"]) == 1 and lines[0]["matches"][0]["entity_id"] == BOUT

    jsonl = tmp_path / "parties.jsonl"
    jsonl.write_text(
        json.dumps({"id": "j1", "name": "Mohammad Qannadi", "birth_date": "1952-10-13"}) + "\n"
        + '{"id": "j2", "name": broken json}\n'
        + json.dumps(["not", "an", "object"]) + "\n",
        encoding="utf-8",
    )
    lines = _ndjson(_screen(server, jsonl, dataset="un_sc"))
    assert lines[0]["matches"][0]["entity_id"] == QANNADI
    assert lines[1]["line"] == 2 and "invalid JSON" in lines[1]["error"]
    assert lines[2]["line"] == 3 and "JSON object" in lines[2]["error"]
    assert lines[3]["summary"]["list_versions"][0]["list"] == "un_sc"


def test_screen_rejects_unreadable_files(server: LiveServer, tmp_path: Path) -> None:
    fake = tmp_path / "damaged.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is not really a workbook")
    resp = _screen(server, fake)
    assert resp.status_code == 400
    assert "damaged.xlsx" in resp.json()["detail"]
    good = tmp_path / "ok.csv"
    good.write_text("id,name\n1,Someone\n", encoding="utf-8")
    assert _screen(server, good, dataset="nope").status_code == 404
    assert _screen(server, good, threshold=2).status_code == 422


def test_lists_status_versions_and_diff(server: LiveServer) -> None:
    with server.client() as client:
        status = client.get("/lists").json()
        by_list = {item["list"]: item for item in status["lists"]}
        assert by_list["un_sc"]["entity_count"] == UN_ENTITIES
        assert by_list["un_sc"]["counts"] == {"Person": 736, "Organization": 275}
        assert by_list["us_ofac_sdn"]["entity_count"] == SDN_0503_RECORDS
        assert by_list["us_ofac_sdn"]["versions"] == 2
        assert by_list["us_ofac_sdn"]["stale"] is True  # a 2024 list is older than 7 days
        assert isinstance(status["max_age_days"], int)

        versions = client.get("/lists/us_ofac_sdn/versions").json()
        assert [v["list_date"] for v in versions] == ["2024-05-02", "2024-05-03"]
        assert [v["entity_count"] for v in versions] == [SDN_0502_RECORDS, SDN_0503_RECORDS]
        assert [v["active"] for v in versions] == [False, True]

        diff = client.get("/lists/us_ofac_sdn/diff").json()
        assert diff["from"]["version"] == versions[0]["version"]
        assert diff["to"]["version"] == versions[1]["version"]
        # PROVENANCE.md: 14,973 -> 14,965, 8 removals
        assert len(diff["removed"]) == 8
        assert len(diff["added"]) == 0
        assert all(item["entity_id"].startswith("us_ofac_sdn-") for item in diff["removed"])
        for item in diff["changed"]:
            assert item["fields"]
        explicit = client.get("/lists/us_ofac_sdn/diff", params={"from": versions[0]["version"], "to": versions[1]["version"]}).json()
        assert explicit == diff

        assert client.get("/lists/nope/versions").status_code == 404
        assert client.get("/lists/un_sc/diff").status_code == 404  # one version only


def test_parties_alerts_decisions(server: LiveServer, tmp_path: Path) -> None:
    party = {"id": "api-bout", "name": "Viktor Anatolijevitch Bout", "schema": "Person",
             "birth_date": "1967-01-13", "country": "ru", "kind": "consignee"}
    with server.client() as client:
        reg = client.post("/parties", json=party)
        assert reg.status_code == 200, reg.text
        data = reg.json()
        assert data["created"] == 1 and data["screened"] == 1
        raised = data["alerts"]["raised"]
        assert len(raised) >= 1
        assert data["matches"]["api-bout"][0]["entity_id"] == BOUT
        clean = client.post("/parties", json={"id": "api-clean", "name": "Northwind Logistics Ltd", "schema": "Company"}).json()
        assert clean["alerts"]["raised"] == []
        assert client.post("/parties", json={"id": "api-bad", "name": "X", "schema": "Banana"}).status_code == 400
        assert client.post("/parties", json={"id": "api-bad", "name": "X", "birth_date": "yesterday"}).status_code == 400

        listed = {p["id"]: p for p in client.get("/parties", params={"limit": 1000}).json()}
        assert listed["api-bout"]["kind"] == "consignee"
        assert listed["api-bout"]["birth_date"] == "1967-01-13"
        assert "api-clean" in listed
        found = client.get("/parties", params={"search": "anatolijevitch"}).json()
        assert [p["id"] for p in found] == ["api-bout"]

        alerts = client.get("/alerts", params={"party": "api-bout"}).json()
        assert alerts["counts"]["open"] >= 1
        bout_alert = next(a for a in alerts["alerts"] if a["entity_id"] == BOUT)
        assert bout_alert["status"] == "open"
        assert bout_alert["party"]["name"] == "Viktor Anatolijevitch Bout"
        detail = client.get(f"/alerts/{bout_alert['id']}").json()
        assert detail["entity"]["source_id"] == "8279"
        assert detail["entity_ftm"]["id"] == BOUT
        assert detail["party_now"]["id"] == "api-bout"
        assert detail["decisions"] == []
        assert client.get("/alerts/999999").status_code == 404
        assert client.get("/alerts", params={"status": "banana"}).status_code == 422

        # a screener cannot decide
        denied = client.post(f"/alerts/{bout_alert['id']}/decision", json={"decision": "false_positive", "reason": "x"})
        assert denied.status_code == 403

        detail_party = client.get("/parties/api-bout").json()
        assert detail_party["party"]["id"] == "api-bout"
        assert [s["trigger"] for s in detail_party["screenings"]] == ["register"]
        assert client.get("/parties/nobody").status_code == 404

    with server.client("reviewer") as reviewer:
        no_reason = reviewer.post(f"/alerts/{bout_alert['id']}/decision", json={"decision": "false_positive", "reason": "  "})
        assert no_reason.status_code == 422
        decided = reviewer.post(f"/alerts/{bout_alert['id']}/decision",
                                json={"decision": "false_positive", "reason": "different person: customer born in Lisbon"})
        assert decided.status_code == 200, decided.text
        result = decided.json()
        assert result["alert"]["status"] == "cleared"
        assert result["decision"]["reviewer"] == server.key_ids["reviewer"]
        assert result["pending"] is False
        again = reviewer.post(f"/alerts/{bout_alert['id']}/decision", json={"decision": "true_match", "reason": "x"})
        assert again.status_code == 409
        assert reviewer.post("/alerts/999999/decision", json={"decision": "true_match", "reason": "x"}).status_code == 404
        active = reviewer.get("/alerts", params={"status": ["open", "reopened", "escalated"], "party": "api-bout"}).json()
        assert bout_alert["id"] not in [a["id"] for a in active["alerts"]]

    # registering the same data again raises nothing: the clearance holds while nothing changed
    with server.client() as client:
        same = client.post("/parties", json=party).json()
        assert same["unchanged"] == 1 and same["alerts"]["raised"] == []
        # a change to the party's data lifts the suppression: the alert returns, re-opened
        changed = client.post("/parties", json={**party, "birth_date": "1967-01-14"}).json()
        assert changed["updated"] == 1
        assert len(changed["alerts"]["reopened"]) >= 1
        reopened = client.get(f"/alerts/{changed['alerts']['reopened'][0]}").json()["alert"]
        assert reopened["status"] == "reopened"
        assert reopened["changes"]["party"]["changed"] is True
        assert reopened["changes"]["party"]["fields"]["birth_date"] == {"from": "1967-01-13", "to": "1967-01-14"}

    decisions = _audit(server, action="decision", subject="api-bout")
    assert decisions[0]["actor"] == server.key_ids["reviewer"]
    assert decisions[0]["payload"]["decision"] == "false_positive"
    assert decisions[0]["payload"]["reason"] == "different person: customer born in Lisbon"
    registrations = _audit(server, subject="api-bout")
    assert {"party_register", "party_update", "decision"} <= {e["action"] for e in registrations}


def test_two_reviewers_deciding_at_once(server: LiveServer) -> None:
    """Both opened the alert with no decision on it: the first escalates it; the second's
    clearance, taken on what it saw, is refused with 409 naming the first decision."""
    with server.client() as client:
        reg = client.post("/parties", json={"id": "api-bout-2", "name": "Viktor Bout", "schema": "Person",
                                            "birth_date": "1967-01-13"}).json()
        alert_id = reg["alerts"]["raised"][0]
        seen = len(client.get(f"/alerts/{alert_id}").json()["decisions"])
    assert seen == 0
    with server.client("reviewer") as first, server.client("reviewer2") as second:
        escalated = first.post(f"/alerts/{alert_id}/decision", json={
            "decision": "true_match", "reason": "same name and birth date", "seen_decisions": seen})
        assert escalated.status_code == 200 and escalated.json()["alert"]["status"] == "escalated"
        late = second.post(f"/alerts/{alert_id}/decision", json={
            "decision": "false_positive", "reason": "looked different to me", "seen_decisions": seen})
        assert late.status_code == 409
        detail = late.json()["detail"]
        assert f"alert {alert_id} was decided since you opened it" in detail
        assert f"{server.key_ids['reviewer']} decided true_match (escalated)" in detail
        assert first.get(f"/alerts/{alert_id}").json()["alert"]["status"] == "escalated"  # not overruled
        # Having seen it, the second reviewer may still decide.
        informed = second.post(f"/alerts/{alert_id}/decision", json={
            "decision": "true_match", "reason": "agreed after reading the first decision", "seen_decisions": 1})
        assert informed.status_code == 200


def test_the_alert_page_refuses_a_decision_taken_on_what_another_reviewer_changed(server: LiveServer) -> None:
    """The UI's decision form carries how many decisions the page showed."""
    import re

    with server.client() as client:
        reg = client.post("/parties", json={"id": "ui-bout-3", "name": "Viktor Bout", "schema": "Person",
                                            "birth_date": "1967-01-13", "country": "ru"}).json()
        alert_id = reg["alerts"]["raised"][0]
    with httpx.Client(base_url=server.url, timeout=30, follow_redirects=False) as browser:
        assert browser.post("/ui/login", data={"key": server.keys["reviewer"]}).status_code == 303
        page = browser.get(f"/ui/alerts/{alert_id}").text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        assert csrf is not None and 'name="seen_decisions" value="0"' in page
        with server.client("reviewer2") as other:  # meanwhile, over the API
            assert other.post(f"/alerts/{alert_id}/decision", json={
                "decision": "true_match", "reason": "same person"}).status_code == 200
        refused = browser.post(f"/ui/alerts/{alert_id}/decision", data={
            "csrf": csrf.group(1), "decision": "false_positive", "reason": "not him", "seen_decisions": "0"})
        assert refused.status_code == 409 and "was decided since you opened it" in refused.text
        assert 'name="seen_decisions" value="1"' in refused.text  # the page now shows it


def test_party_import_reports_bad_rows(server: LiveServer, tmp_path: Path) -> None:
    path = tmp_path / "import.csv"
    path.write_text(
        "id,name,schema,birth_date,kind\n"
        "imp-1,Mohammad Qannadi,Person,1952-10-13,supplier\n"
        "imp-2,Blue Sky Bakery,Company,,customer\n"
        "imp-3,Someone,Person,not a date,customer\n"
        "imp-1,Duplicate Row,Person,,customer\n"
        "imp-4,Someone Else,Person,,wholesaler\n",
        encoding="utf-8",
    )
    with server.client() as client, open(path, "rb") as fh:
        resp = client.post("/parties/import", files={"file": ("import.csv", fh, "text/csv")})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["created"] == 2
    assert [e["line"] for e in data["errors"]] == [4, 5, 6]
    assert "not a date" in data["errors"][0]["problem"]
    assert "repeated" in data["errors"][1]["problem"]
    assert "wholesaler" in data["errors"][2]["problem"]
    assert any(m["entity_id"] == QANNADI for m in data["matches"]["imp-1"])
    assert data["matches"]["imp-2"] == []


def test_audit_verify_detects_tampering(server: LiveServer) -> None:
    # An entry of its own: the tests before it may have run on another worker.
    with server.client() as client:
        body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Viktor Bout"]}}}}
        assert client.post("/match/default", json=body).status_code == 200
    with server.client("reviewer") as reviewer:
        ok = reviewer.get("/audit/verify").json()
        assert ok["ok"] is True and ok["first_bad_seq"] is None
        assert ok["head"]["seq"] > 0
        seq = ok["head"]["seq"]
        engine = connect(server.db_url)
        edit = text("UPDATE audit_log SET payload = :payload WHERE seq = :seq")
        try:
            with engine.begin() as conn:
                original = conn.execute(text("SELECT payload FROM audit_log WHERE seq = :seq"), {"seq": seq}).scalar_one()
                conn.execute(edit, {"payload": original.replace("}", ',"x":1}', 1), "seq": seq})
            broken = reviewer.get("/audit/verify").json()
            assert broken["ok"] is False
            assert broken["first_bad_seq"] == seq
            assert "edited" in broken["reason"]
        finally:
            with engine.begin() as conn:
                conn.execute(edit, {"payload": original, "seq": seq})
            engine.dispose()
        assert reviewer.get("/audit/verify").json()["ok"] is True


def test_roles_and_keys(server: LiveServer) -> None:
    with server.client() as screener:
        assert screener.get("/audit").status_code == 403
        assert screener.get("/audit/verify").status_code == 403
        assert screener.get("/keys").status_code == 403
        assert screener.get("/whoami").json() == {"id": server.key_ids["screener"], "role": "screener", "label": "test screener"}
    with server.client("reviewer") as reviewer:
        assert reviewer.get("/keys").status_code == 403
        assert reviewer.delete("/parties/api-clean").status_code == 403
    with server.client("admin") as admin:
        created = admin.post("/keys", json={"role": "screener", "label": "temporary"})
        assert created.status_code == 201
        new = created.json()
        assert new["key"].startswith(f"tg_{new['id']}_")
        listed = {k["id"]: k for k in admin.get("/keys").json()}
        assert listed[new["id"]]["role"] == "screener"
        assert "key" not in listed[new["id"]]
        temp = {"Authorization": f"Bearer {new['key']}"}
        assert httpx.get(f"{server.url}/whoami", headers=temp).json()["label"] == "temporary"
        revoked = admin.delete(f"/keys/{new['id']}")
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        assert httpx.get(f"{server.url}/whoami", headers=temp).status_code == 401
        assert admin.delete(f"/keys/{new['id']}").status_code == 404
        actions = [e["action"] for e in admin.get("/audit", params={"actor": server.key_ids["admin"]}).json()]
        assert "key_create" in actions and "key_revoke" in actions
