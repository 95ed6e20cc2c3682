"""Alerts raised by monitored parties matching listed entities, and reviewers' decisions.

Statuses: ``open`` (new), ``escalated`` (decided true match), ``cleared`` (decided false
positive), ``closed`` (the entity was delisted), ``reopened`` (a cleared alert came back
because the party's data or the entity's record changed).

Suppression: a cleared (party, entity) pair raises no new alert while both the party's
data hash and the entity's record hash equal those the alert was cleared on. When either
changes, a new alert is raised with status ``reopened`` and the change recorded in it.

Four-eyes (off by default; ``four_eyes: true`` in the config file, ``TRADEGUARD_FOUR_EYES=1`` or ``four_eyes=True``): clearing an
alert that was escalated as a true match takes false-positive decisions from two
different reviewers; the first is recorded as ``pending_second_review``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from tradeguard.model import Entity
from tradeguard.store import audit
from tradeguard.store.db import entity_records
from tradeguard.store.lists import changed_fields
from tradeguard.store.parties import Party
from tradeguard.store.service_tables import alert_decisions, alerts

STATUSES: tuple[str, ...] = ("open", "escalated", "cleared", "closed", "reopened")
ACTIVE_STATUSES: tuple[str, ...] = ("open", "escalated", "reopened")
DECISIONS: tuple[str, ...] = ("true_match", "false_positive")
PENDING = "pending_second_review"
FOUR_EYES_ENV = "TRADEGUARD_FOUR_EYES"


class DecisionError(ValueError):
    """A decision that cannot be recorded (unknown alert, closed alert, no reason, four-eyes)."""


def four_eyes_default() -> bool:
    """$TRADEGUARD_FOUR_EYES where set, else ``four_eyes`` in the config file (default off)."""
    value = os.environ.get(FOUR_EYES_ENV, "").strip().lower()
    if value:
        return value in ("1", "true", "yes", "on")
    from tradeguard.config import ConfigError, load_config

    try:
        return load_config().four_eyes
    except ConfigError:
        return False


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass
class Alert:
    id: int
    party_id: str
    entity_id: str
    list_key: str
    version_id: int
    score: float
    matched_name: str
    name_kind: str | None
    explanation: Any
    party_hash: str
    party_data: dict[str, Any]
    entity_hash: str
    status: str
    previous_alert_id: int | None
    changes: dict[str, Any] | None
    created_at: str
    updated_at: str
    closed_by_version: int | None
    closed_reason: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "party_id": self.party_id,
            "entity_id": self.entity_id,
            "list": self.list_key,
            "version": self.version_id,
            "score": round(self.score, 4),
            "matched_name": self.matched_name,
            "name_kind": self.name_kind,
            "explanation": self.explanation,
            "party_hash": self.party_hash,
            "party": self.party_data,
            "entity_hash": self.entity_hash,
            "status": self.status,
            "previous_alert_id": self.previous_alert_id,
            "changes": self.changes,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "closed_by_version": self.closed_by_version,
            "closed_reason": self.closed_reason,
        }


@dataclass
class Decision:
    id: int
    alert_id: int
    decision: str
    reason: str
    reviewer: str
    at: str
    effect: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "alert_id": self.alert_id, "decision": self.decision, "reason": self.reason,
                "reviewer": self.reviewer, "at": self.at, "effect": self.effect}


@dataclass
class Candidate:
    """A match of a monitored party against an entity of a given list version."""

    party: Party
    entity_id: str
    list_key: str
    version_id: int
    entity_hash: str
    score: float
    matched_name: str
    name_kind: str | None
    explanation: Any


@dataclass
class RaiseResult:
    raised: list[Alert] = field(default_factory=list)  # new "open" alerts
    reopened: list[Alert] = field(default_factory=list)  # cleared alerts that came back
    suppressed: list[tuple[str, str, int]] = field(default_factory=list)  # (party, entity, cleared alert)
    existing: list[int] = field(default_factory=list)  # already active alerts for the pair

    def summary(self) -> dict[str, Any]:
        return {
            "raised": [a.id for a in self.raised],
            "reopened": [a.id for a in self.reopened],
            "suppressed": [{"party": p, "entity": e, "cleared_alert": a} for p, e, a in self.suppressed],
            "already_open": self.existing,
        }


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _alert(row: Any) -> Alert:
    return Alert(
        id=row.id,
        party_id=row.party_id,
        entity_id=row.entity_id,
        list_key=row.list_key,
        version_id=row.version_id,
        score=row.score,
        matched_name=row.matched_name,
        name_kind=row.name_kind,
        explanation=json.loads(row.explanation),
        party_hash=row.party_hash,
        party_data=json.loads(row.party_data),
        entity_hash=row.entity_hash,
        status=row.status,
        previous_alert_id=row.previous_alert_id,
        changes=json.loads(row.changes) if row.changes else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        closed_by_version=row.closed_by_version,
        closed_reason=row.closed_reason,
    )


def _decision(row: Any) -> Decision:
    return Decision(row.id, row.alert_id, row.decision, row.reason, row.reviewer, row.at, row.effect)


def entity_record(conn: Connection, record_hash: str) -> dict[str, Any] | None:
    """A stored entity body by its record hash (bodies are kept for every version)."""
    row = conn.execute(select(entity_records.c.data).where(entity_records.c.hash == record_hash)).first()
    return json.loads(row.data) if row is not None else None


def alert_entity(conn: Connection, alert: Alert) -> Entity | None:
    """The listed entity as it stood when the alert was raised."""
    data = entity_record(conn, alert.entity_hash)
    return Entity.from_dict(data) if data is not None else None


def latest_alert(conn: Connection, party_id: str, entity_id: str) -> Alert | None:
    row = conn.execute(
        select(alerts).where(alerts.c.party_id == party_id).where(alerts.c.entity_id == entity_id)
        .order_by(alerts.c.id.desc()).limit(1)
    ).first()
    return _alert(row) if row is not None else None


def _what_changed(conn: Connection, cleared: Alert, cand: Candidate) -> dict[str, Any]:
    party_now = cand.party.screening_fields()
    party_changed = cleared.party_hash != cand.party.data_hash
    entity_changed = cleared.entity_hash != cand.entity_hash
    entity_fields: dict[str, Any] = {}
    if entity_changed:
        old = entity_record(conn, cleared.entity_hash) or {}
        new = entity_record(conn, cand.entity_hash) or {}
        entity_fields = changed_fields(old, new)
    return {
        "party": {
            "changed": party_changed,
            "from_hash": cleared.party_hash,
            "to_hash": cand.party.data_hash,
            "fields": changed_fields(cleared.party_data, party_now) if party_changed else {},
        },
        "entity": {
            "changed": entity_changed,
            "from_hash": cleared.entity_hash,
            "to_hash": cand.entity_hash,
            "from_version": cleared.version_id,
            "to_version": cand.version_id,
            "fields": entity_fields,
        },
        "cleared_alert": cleared.id,
    }


def raise_alerts(conn: Connection, candidates: Iterable[Candidate]) -> RaiseResult:
    """Raise alerts for matches, respecting suppression (see the module doc)."""
    result = RaiseResult()
    for cand in candidates:
        latest = latest_alert(conn, cand.party.id, cand.entity_id)
        if latest is not None and latest.status in ACTIVE_STATUSES:
            result.existing.append(latest.id)
            continue
        status = "open"
        changes: dict[str, Any] | None = None
        previous: int | None = None
        if latest is not None and latest.status == "cleared":
            if latest.party_hash == cand.party.data_hash and latest.entity_hash == cand.entity_hash:
                result.suppressed.append((cand.party.id, cand.entity_id, latest.id))
                continue
            status = "reopened"
            changes = _what_changed(conn, latest, cand)
            previous = latest.id
        now = _now()
        values = {
            "party_id": cand.party.id,
            "entity_id": cand.entity_id,
            "list_key": cand.list_key,
            "version_id": cand.version_id,
            "score": float(cand.score),
            "matched_name": cand.matched_name,
            "name_kind": cand.name_kind,
            "explanation": json.dumps(cand.explanation, ensure_ascii=False, default=str),
            "party_hash": cand.party.data_hash,
            "party_data": json.dumps(cand.party.screening_fields(), ensure_ascii=False),
            "entity_hash": cand.entity_hash,
            "status": status,
            "previous_alert_id": previous,
            "changes": json.dumps(changes, ensure_ascii=False) if changes is not None else None,
            "created_at": now,
            "updated_at": now,
            "closed_by_version": None,
            "closed_reason": None,
        }
        alert_id = _new_id(conn.execute(alerts.insert().values(**values)))
        alert = _alert(conn.execute(select(alerts).where(alerts.c.id == alert_id)).one())
        (result.reopened if status == "reopened" else result.raised).append(alert)
    return result


def close_delisted(conn: Connection, entity_ids: Iterable[str], version_id: int, list_key: str) -> list[Alert]:
    """Close the active alerts on entities removed from the list in ``version_id``."""
    ids = sorted(set(entity_ids))
    closed: list[Alert] = []
    now = _now()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = list(conn.execute(
            select(alerts).where(alerts.c.entity_id.in_(chunk)).where(alerts.c.status.in_(ACTIVE_STATUSES))
        ))
        if not rows:
            continue
        reason = f"entity delisted: absent from {list_key} version {version_id}"
        conn.execute(
            update(alerts).where(alerts.c.id.in_([r.id for r in rows]))
            .values(status="closed", closed_by_version=version_id, closed_reason=reason, updated_at=now)
        )
        for row in rows:
            alert = _alert(row)
            alert.status, alert.closed_by_version, alert.closed_reason, alert.updated_at = "closed", version_id, reason, now
            closed.append(alert)
    return closed


def get_alert(conn: Connection, alert_id: int) -> Alert | None:
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
    return _alert(row) if row is not None else None


def list_alerts(
    conn: Connection,
    *,
    status: str | Iterable[str] | None = None,
    party_id: str | None = None,
    entity_id: str | None = None,
    list_key: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
    newest_first: bool = False,
) -> list[Alert]:
    q = select(alerts)
    if status is not None:
        wanted = [status] if isinstance(status, str) else list(status)
        for s in wanted:
            if s not in STATUSES:
                raise ValueError(f"unknown alert status '{s}': use one of {', '.join(STATUSES)}")
        q = q.where(alerts.c.status.in_(wanted))
    if party_id is not None:
        q = q.where(alerts.c.party_id == party_id)
    if entity_id is not None:
        q = q.where(alerts.c.entity_id == entity_id)
    if list_key is not None:
        q = q.where(alerts.c.list_key == list_key)
    q = q.order_by(alerts.c.id.desc() if newest_first else alerts.c.id)
    if limit is not None:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    return [_alert(r) for r in conn.execute(q)]


def count_alerts(conn: Connection) -> dict[str, int]:
    """Number of alerts by status."""
    rows = conn.execute(select(alerts.c.status, func.count()).group_by(alerts.c.status))
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({r[0]: int(r[1]) for r in rows})
    return counts


def decisions(conn: Connection, alert_id: int) -> list[Decision]:
    rows = conn.execute(select(alert_decisions).where(alert_decisions.c.alert_id == alert_id).order_by(alert_decisions.c.id))
    return [_decision(r) for r in rows]


def decisions_for_party(conn: Connection, party_id: str) -> list[Decision]:
    rows = conn.execute(
        select(alert_decisions).join(alerts, alerts.c.id == alert_decisions.c.alert_id)
        .where(alerts.c.party_id == party_id).order_by(alert_decisions.c.id)
    )
    return [_decision(r) for r in rows]


@dataclass
class DecisionResult:
    alert: Alert
    decision: Decision
    pending: bool  # four-eyes: a second reviewer must confirm the clearance


def decide(
    conn: Connection,
    alert_id: int,
    decision: str,
    reason: str,
    reviewer: str,
    *,
    four_eyes: bool | None = None,
) -> DecisionResult:
    """Record a reviewer's decision on an alert (and an audit entry), in the caller's
    transaction. ``true_match`` escalates; ``false_positive`` clears (see four-eyes)."""
    if decision not in DECISIONS:
        raise DecisionError(f"unknown decision '{decision}': use one of {', '.join(DECISIONS)}")
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError("a decision needs a reason")
    if not reviewer:
        raise DecisionError("a decision needs a reviewer")
    four_eyes = four_eyes_default() if four_eyes is None else four_eyes
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id).with_for_update()).first()
    if row is None:
        raise DecisionError(f"no alert {alert_id}")
    alert = _alert(row)
    if alert.status not in ACTIVE_STATUSES:
        raise DecisionError(f"alert {alert_id} is {alert.status}: decisions are taken on open, reopened or escalated alerts")
    previous_status = alert.status
    if decision == "true_match":
        effect = "escalated"
    elif alert.status == "escalated" and four_eyes:
        history = decisions(conn, alert_id)
        pending = None
        for d in reversed(history):
            if d.effect == PENDING:
                pending = d
                break
            if d.decision == "true_match":
                break
        if pending is None:
            effect = PENDING
        elif pending.reviewer == reviewer:
            raise DecisionError(
                f"four-eyes: alert {alert_id} was escalated as a true match; its clearance by {reviewer} "
                "needs confirmation by a different reviewer"
            )
        else:
            effect = "cleared"
    else:
        effect = "cleared"
    now = _now()
    decision_id = _new_id(conn.execute(
        alert_decisions.insert().values(alert_id=alert_id, decision=decision, reason=reason, reviewer=reviewer, at=now, effect=effect)
    ))
    if effect != PENDING:
        conn.execute(update(alerts).where(alerts.c.id == alert_id).values(status=effect, updated_at=now))
        alert.status = effect
        alert.updated_at = now
    record = Decision(decision_id, alert_id, decision, reason, reviewer, now, effect)
    audit.append(
        conn, reviewer, "decision",
        {
            "alert": alert_id,
            "party": alert.party_id,
            "entity": alert.entity_id,
            "list": alert.list_key,
            "list_version": alert.version_id,
            "party_hash": alert.party_hash,
            "entity_hash": alert.entity_hash,
            "decision": decision,
            "reason": reason,
            "previous_status": previous_status,
            "effect": effect,
            "four_eyes": four_eyes,
        },
        subject=alert.party_id,
    )
    return DecisionResult(alert, record, effect == PENDING)
