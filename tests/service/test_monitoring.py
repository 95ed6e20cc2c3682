"""Monitoring on hand-made list versions: alerts at registration, rescreening on the
changed entities only, false-positive suppression keyed by both hashes, re-opening with
what changed, closing on delisting, four-eyes, and the evidence export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.service.unxml import organisation, person, write_un_xml
from tradeguard.screening.monitor import register_parties, rescreen_after_load, rescreen_loaded
from tradeguard.store import audit
from tradeguard.store.alerts import (
    DecisionError,
    alert_entity,
    decide,
    decisions,
    get_alert,
    list_alerts,
)
from tradeguard.store.db import version_entities
from tradeguard.store.lists import load_file
from tradeguard.store.parties import party_from_record

IVAN = person("1001", "IVAN", "PETROVSKY", dob="1970-05-02")
BLUE = organisation("1002", "BLUE HORIZON TRADING")
MARIA = person("1003", "MARIA", "KOVALENKO", dob="1981-11-09")
LOTUS = organisation("1004", "GOLDEN LOTUS SHIPPING")
VIKTOR = person("1005", "VIKTOR", "ZHUKOVSKY")


def _parties(*records: dict[str, str]) -> list:
    return [party_from_record(r) for r in records]


def _record_hash(engine: Engine, version_id: int, entity_id: str) -> str:
    with engine.connect() as conn:
        return conn.execute(
            select(version_entities.c.record_hash)
            .where(version_entities.c.version_id == version_id)
            .where(version_entities.c.entity_id == entity_id)
        ).scalar_one()


def _alerts(engine: Engine, party_id: str) -> list:
    with engine.connect() as conn:
        return list_alerts(conn, party_id=party_id)


def test_monitoring_scenario(engine: Engine, tmp_path: Path) -> None:
    v1_load = load_file(engine, write_un_xml(tmp_path / "v1" / "un.xml", "2025-01-01", [IVAN, BLUE, MARIA, LOTUS]))
    v1 = v1_load.version
    assert rescreen_loaded(engine, v1_load) is not None  # first version, no parties yet

    registered = register_parties(engine, _parties(
        {"id": "p-ivan", "name": "Ivan Petrovsky", "schema": "Person", "birth_date": "1970-05-02"},
        {"id": "p-blue", "name": "Blue Horizon Trading", "schema": "Organization", "kind": "supplier"},
        {"id": "p-maria", "name": "Maria Kovalenko", "schema": "Person", "address": "Riga"},
        {"id": "p-anna", "name": "Anna Schmidt", "schema": "Person"},
        {"id": "p-viktor", "name": "Viktor Zhukovsky", "schema": "Person"},
    ), actor="cli:tester")
    assert registered.screened == 5 and len(registered.created) == 5
    raised = {a.party_id: a for a in registered.alerts.raised}
    assert set(raised) == {"p-ivan", "p-blue", "p-maria"}
    for party_id, entity_id in (("p-ivan", "un_sc-1001"), ("p-blue", "un_sc-1002"), ("p-maria", "un_sc-1003")):
        alert = raised[party_id]
        assert (alert.entity_id, alert.status, alert.version_id) == (entity_id, "open", v1.id)
        assert alert.entity_hash == _record_hash(engine, v1.id, entity_id)
        assert alert.explanation
    assert registered.list_versions == [{"list": "un_sc", "version": v1.id, "list_date": "2025-01-01", "sha256": v1.sha256}]

    with engine.begin() as conn:
        decide(conn, raised["p-ivan"].id, "false_positive", "our Ivan was born in 1985, passport checked", "rev1")
        decide(conn, raised["p-maria"].id, "false_positive", "different person: customer since 1960", "rev1")
        decide(conn, raised["p-blue"].id, "true_match", "same company, same address", "rev2")
        with pytest.raises(DecisionError, match="needs a reason"):
            decide(conn, raised["p-blue"].id, "false_positive", "  ", "rev1")
        with pytest.raises(DecisionError, match="is cleared"):
            decide(conn, raised["p-ivan"].id, "true_match", "changed my mind", "rev1")

    # A full rescreen against unchanged data: the cleared pairs stay suppressed.
    full = rescreen_after_load(engine, "un_sc", None, v1, actor="system")
    assert full.parties == 5 and full.added == 4
    assert sorted(p for p, _e, _a in full.alerts.suppressed) == ["p-ivan", "p-maria"]
    assert full.alerts.raised == [] and full.alerts.reopened == []
    assert full.alerts.existing == [raised["p-blue"].id]
    # Registering the same data again screens nothing.
    again = register_parties(engine, _parties({"id": "p-ivan", "name": "Ivan Petrovsky", "schema": "Person",
                                               "birth_date": "1970-05-02"}), actor="cli:tester")
    assert again.screened == 0 and again.unchanged == ["p-ivan"]

    # v2: Ivan's entry changes (a new alias), Viktor is designated; the rest is unchanged.
    ivan2 = person("1001", "IVAN", "PETROVSKY", dob="1970-05-02", aliases=("IVAN PETROVSKI",))
    v2_load = load_file(engine, write_un_xml(tmp_path / "v2" / "un.xml", "2025-01-02", [ivan2, BLUE, MARIA, LOTUS, VIKTOR]))
    v2 = v2_load.version
    result = rescreen_loaded(engine, v2_load, actor="system")
    assert result is not None
    assert (result.from_version, result.to_version, result.added, result.changed, result.removed) == (v1.id, v2.id, 1, 1, 0)
    assert result.parties == 5
    (reopened,) = result.alerts.reopened
    assert (reopened.party_id, reopened.entity_id, reopened.status, reopened.version_id) == ("p-ivan", "un_sc-1001", "reopened", v2.id)
    assert reopened.previous_alert_id == raised["p-ivan"].id
    assert reopened.changes is not None
    assert reopened.changes["entity"]["changed"] is True and reopened.changes["party"]["changed"] is False
    assert "names" in reopened.changes["entity"]["fields"]
    assert reopened.changes["entity"]["from_version"] == v1.id and reopened.changes["entity"]["to_version"] == v2.id
    (new_alert,) = result.alerts.raised
    assert (new_alert.party_id, new_alert.entity_id, new_alert.version_id, new_alert.status) == ("p-viktor", "un_sc-1005", v2.id, "open")
    assert [a.status for a in _alerts(engine, "p-maria")] == ["cleared"]  # unchanged entity: not rescreened

    # Maria's data changes (new address): her cleared alert comes back, showing the party change.
    updated = register_parties(engine, _parties({"id": "p-maria", "name": "Maria Kovalenko", "schema": "Person",
                                                 "address": "Vilnius"}), actor="cli:tester")
    assert updated.updated == ["p-maria"]
    (maria_again,) = updated.alerts.reopened
    assert maria_again.changes is not None
    assert maria_again.changes["party"]["changed"] is True and maria_again.changes["entity"]["changed"] is False
    assert maria_again.changes["party"]["fields"] == {"address": {"from": "Riga", "to": "Vilnius"}}
    with engine.begin() as conn:
        decide(conn, maria_again.id, "false_positive", "still not her, checked the new address too", "rev2")
    full2 = rescreen_after_load(engine, "un_sc", None, v2)
    assert ("p-maria", "un_sc-1003", maria_again.id) in full2.alerts.suppressed

    # v3: Blue Horizon and Viktor are delisted: their active alerts close, citing v3.
    v3_load = load_file(engine, write_un_xml(tmp_path / "v3" / "un.xml", "2025-01-03", [ivan2, MARIA, LOTUS]), force=True)
    v3 = v3_load.version
    result3 = rescreen_loaded(engine, v3_load)
    assert result3 is not None and result3.removed == 2 and result3.changed == 0 and result3.added == 0
    assert sorted((a.party_id, a.entity_id) for a in result3.closed) == [("p-blue", "un_sc-1002"), ("p-viktor", "un_sc-1005")]
    with engine.connect() as conn:
        blue = get_alert(conn, raised["p-blue"].id)
        assert blue is not None and blue.status == "closed" and blue.closed_by_version == v3.id
        assert blue.closed_reason is not None and "delisted" in blue.closed_reason and str(v3.id) in blue.closed_reason
        entity = alert_entity(conn, blue)
        assert entity is not None and entity.caption == "BLUE HORIZON TRADING"  # as listed when raised
        assert [d.decision for d in decisions(conn, blue.id)] == ["true_match"]

    # A version loaded as history (older date) does not trigger a rescreen.
    old_load = load_file(engine, write_un_xml(tmp_path / "v0" / "un.xml", "2024-12-01", [IVAN, LOTUS]), force=True)
    assert old_load.status == "loaded" and rescreen_loaded(engine, old_load) is None

    with engine.connect() as conn:
        ok, bad, reason = audit.verify(conn)
        assert ok, (bad, reason)
        actions = [e.action for e in audit.entries(conn, subject="p-ivan")]
        # registered, cleared, suppressed on the full rescreen, re-opened by v2
        assert actions == ["party_register", "decision", "rescreen_alerts", "rescreen_alerts"]
        suppressed, reopened_entry = audit.entries(conn, subject="p-ivan", action="rescreen_alerts")
        assert suppressed.payload["suppressed"] == [{"entity": "un_sc-1001", "cleared_alert": raised["p-ivan"].id}]
        assert reopened_entry.payload["reopened"][0]["alert"] == reopened.id
        assert [e.action for e in audit.entries(conn, action="list_load")] == ["list_load"] * 4
        rescreens = audit.entries(conn, action="rescreen")
        assert [e.payload["to_version"] for e in rescreens] == [v1.id, v1.id, v2.id, v2.id, v3.id]
        register_entry = audit.entries(conn, subject="p-ivan", action="party_register")[0]
        assert register_entry.payload["threshold"] > 0 and register_entry.payload["engine_version"]
        assert register_entry.payload["list_versions"][0]["version"] == v1.id
        assert register_entry.payload["results"][0]["entity_id"] == "un_sc-1001"

        out = tmp_path / "evidence"
        exported = audit.export_party(conn, "p-ivan", out, pdf=False)
    assert exported.csv_path.is_file() and exported.html_path.is_file()
    html = exported.html_path.read_text(encoding="utf-8")
    for needle in ("Ivan Petrovsky", "p-ivan", "un_sc-1001", "our Ivan was born in 1985, passport checked",
                   "rev1", "reopened", "Audit chain verified"):
        assert needle in html, needle
    assert "<script" not in html and "http://" not in html and "https://" not in html  # self-contained
    rows = list(csv.DictReader(exported.csv_path.open(encoding="utf-8")))
    kinds = [r["record"] for r in rows]
    assert kinds[0] == "party" and "Ivan Petrovsky" in rows[0]["detail"]
    (decision_row,) = [r for r in rows if r["record"] == "decision"]
    assert decision_row["actor"] == "rev1" and "passport checked" in decision_row["detail"]
    assert kinds.count("alert") == 2 and kinds.count("audit") == 4
    screening_rows = [r for r in rows if r["record"] == "screening"]
    assert [r["status"] for r in screening_rows] == ["register", "rescreen", "rescreen", "rescreen", "rescreen"]
    assert {r["reference"] for r in rows if r["record"] == "list_version"} == {str(v1.id), str(v2.id), str(v3.id)}
    with engine.connect() as conn, pytest.raises(KeyError):
        audit.export_party(conn, "nobody", out, pdf=False)


def test_four_eyes(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_file(engine, write_un_xml(tmp_path / "un.xml", "2025-01-01", [BLUE, LOTUS]))
    result = register_parties(engine, _parties(
        {"id": "s1", "name": "Blue Horizon Trading"},
        {"id": "s2", "name": "Golden Lotus Shipping"},
    ), actor="cli:tester")
    alerts = {a.party_id: a.id for a in result.alerts.raised}
    assert set(alerts) == {"s1", "s2"}
    monkeypatch.delenv("TRADEGUARD_FOUR_EYES", raising=False)
    with engine.begin() as conn:
        decide(conn, alerts["s1"], "true_match", "same registry number", "rev1", four_eyes=True)
        first = decide(conn, alerts["s1"], "false_positive", "registry number differs after all", "rev1", four_eyes=True)
        assert first.pending and first.alert.status == "escalated" and first.decision.effect == "pending_second_review"
        with pytest.raises(DecisionError, match="different reviewer"):
            decide(conn, alerts["s1"], "false_positive", "I insist", "rev1", four_eyes=True)
        second = decide(conn, alerts["s1"], "false_positive", "confirmed: different registry number", "rev2", four_eyes=True)
        assert not second.pending and second.alert.status == "cleared"
        # Without four-eyes (the default) one reviewer clears an escalated alert.
        decide(conn, alerts["s2"], "true_match", "same vessel owner", "rev1")
        single = decide(conn, alerts["s2"], "false_positive", "owner changed", "rev1")
        assert single.alert.status == "cleared"
    # The setting can come from the environment.
    load_file(engine, write_un_xml(tmp_path / "b" / "un.xml", "2025-01-02", [BLUE, LOTUS, VIKTOR]))
    viktor = register_parties(engine, _parties({"id": "s3", "name": "Viktor Zhukovsky"}), actor="cli:tester")
    (alert,) = viktor.alerts.raised
    monkeypatch.setenv("TRADEGUARD_FOUR_EYES", "1")
    with engine.begin() as conn:
        decide(conn, alert.id, "true_match", "same person", "rev1")
        assert decide(conn, alert.id, "false_positive", "not the same", "rev2").pending
        # A new true-match decision cancels the pending clearance.
        decide(conn, alert.id, "true_match", "no: same person after all", "rev3")
        assert decide(conn, alert.id, "false_positive", "not the same", "rev1").pending
        assert not decide(conn, alert.id, "false_positive", "agreed", "rev2").pending
        assert [d.effect for d in decisions(conn, alert.id)] == [
            "escalated", "pending_second_review", "escalated", "pending_second_review", "cleared"]
        assert audit.verify(conn).ok
