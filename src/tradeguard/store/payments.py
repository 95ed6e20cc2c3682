"""Screened payments, kept: each transaction's verdict and hits, the message it came from,
and the reviewer's release or reject of a held one (audited, decided once).

Tables (on the shared ``metadata``; created by ``db.connect()`` once this module is imported):

* ``payment_messages``: the text of each screened message, once per sha256 (shown with its
  hit fields highlighted).
* ``payment_screenings``: one row per transaction (or unreadable message): verdict, status,
  hits, errors, the list versions, threshold and regime, the alerts raised, the decision.

Statuses: ``held`` (verdict hold, waiting for a reviewer), ``released`` and ``rejected`` (a
reviewer decided), ``passed`` (verdict release: nothing hit), ``error`` (not readable: never
released by itself; a reviewer may reject it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Column, Float, Index, Integer, String, Table, Text, func, select, update
from sqlalchemy.engine import Connection

from tradeguard.store import audit
from tradeguard.store.db import insert_ignore, metadata

STATUSES = ("held", "released", "rejected", "passed", "error")
DECISIONS = {"release": "released", "reject": "rejected"}

payment_messages = Table(
    "payment_messages",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("text", Text, nullable=False),
)

payment_screenings = Table(
    "payment_screenings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("source", Text, nullable=False),  # file name, or "request"
    Column("message_sha256", String(64)),  # payment_messages.sha256
    Column("message_index", Integer, nullable=False),
    Column("message_id", Text),
    Column("transaction_id", Text),
    Column("format", String(40)),
    Column("verdict", String(16), nullable=False),  # hold | release | error
    Column("status", String(16), nullable=False),  # see STATUSES
    Column("hits", Text, nullable=False),  # JSON
    Column("errors", Text, nullable=False),  # JSON
    Column("list_versions", Text, nullable=False),  # JSON
    Column("threshold", Float, nullable=False),
    Column("regime", String(8)),
    Column("alerts", Text, nullable=False),  # JSON: ids of the alerts raised for its hits
    Column("decision", String(16)),
    Column("decided_by", String(200)),
    Column("decided_at", String(40)),
    Column("reason", Text),
)
Index("ix_payment_screenings_status", payment_screenings.c.status, payment_screenings.c.id)


class PaymentDecisionError(ValueError):
    """A decision that cannot be recorded: unknown payment, no reason, or decided already."""

    def __init__(self, message: str, conflict: bool = False, missing: bool = False) -> None:
        super().__init__(message)
        self.conflict = conflict  # decided by someone else first (HTTP 409)
        self.missing = missing  # no such payment (HTTP 404)


@dataclass
class ScreenedPayment:
    id: int
    at: str
    actor: str
    source: str
    message_sha256: str | None
    message_index: int
    message_id: str | None
    transaction_id: str | None
    format: str | None
    verdict: str
    status: str
    hits: list[dict[str, Any]]
    errors: list[str]
    list_versions: list[dict[str, Any]]
    threshold: float
    regime: str | None
    alerts: list[int]
    decision: str | None
    decided_by: str | None
    decided_at: str | None
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _row(row: Any) -> ScreenedPayment:
    return ScreenedPayment(
        row.id, row.at, row.actor, row.source, row.message_sha256, row.message_index, row.message_id,
        row.transaction_id, row.format, row.verdict, row.status, json.loads(row.hits), json.loads(row.errors),
        json.loads(row.list_versions), row.threshold, row.regime, json.loads(row.alerts), row.decision,
        row.decided_by, row.decided_at, row.reason,
    )


def message_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Keep:
    """One screening call's transactions to store with :func:`record`."""

    results: Sequence[dict[str, Any]]  # PaymentResult.to_dict() records, each with an optional ``alerts`` list
    texts: dict[str, str]  # source -> the message text
    actor: str
    list_versions: list[dict[str, Any]]
    threshold: float
    regime: str | None


def record(conn: Connection, calls: Sequence[Keep]) -> list[list[int]]:
    """Store the screened transactions of each call and the texts of their messages, in
    one insert for all of them. Returns each call's new ids, in order."""
    texts = {message_sha256(text): text for call in calls for text in call.texts.values()}
    insert_ignore(conn, payment_messages, [{"sha256": sha, "text": text} for sha, text in texts.items()])
    now = _now()
    rows: list[dict[str, Any]] = []
    for call in calls:
        shas = {source: message_sha256(text) for source, text in call.texts.items()}
        versions = json.dumps(call.list_versions)
        for r in call.results:
            rows.append({
                "at": now, "actor": call.actor, "source": r["source"], "message_sha256": shas.get(r["source"]),
                "message_index": r["message_index"], "message_id": r["message_id"],
                "transaction_id": r["transaction_id"], "format": r["format"], "verdict": r["verdict"],
                "status": {"hold": "held", "release": "passed"}.get(r["verdict"], "error"),
                "hits": orjson.dumps(r["hits"], default=str).decode(), "errors": orjson.dumps(r["errors"]).decode(),
                "list_versions": versions, "threshold": call.threshold, "regime": call.regime,
                "alerts": json.dumps(r.get("alerts", [])),
            })
    ids: list[int] = []
    if rows:
        inserted = conn.execute(
            payment_screenings.insert().returning(payment_screenings.c.id, sort_by_parameter_order=True), rows)
        ids = [int(key) for key in inserted.scalars()]
    out: list[list[int]] = []
    for call in calls:
        out.append(ids[:len(call.results)])
        ids = ids[len(call.results):]
    return out


def get(conn: Connection, payment_id: int) -> ScreenedPayment | None:
    row = conn.execute(select(payment_screenings).where(payment_screenings.c.id == payment_id)).first()
    return _row(row) if row is not None else None


def message_text(conn: Connection, sha256: str | None) -> str | None:
    if sha256 is None:
        return None
    return conn.execute(select(payment_messages.c.text).where(payment_messages.c.sha256 == sha256)).scalar()


def listing(conn: Connection, status: str | Sequence[str] | None = None, limit: int = 100) -> list[ScreenedPayment]:
    """Screened payments, newest first; ``status`` one or several of :data:`STATUSES`."""
    q = select(payment_screenings)
    if status is not None:
        wanted = [status] if isinstance(status, str) else list(status)
        unknown = [s for s in wanted if s not in STATUSES]
        if unknown:
            raise ValueError(f"unknown payment status '{unknown[0]}': use one of {', '.join(STATUSES)}")
        q = q.where(payment_screenings.c.status.in_(wanted))
    return [_row(r) for r in conn.execute(q.order_by(payment_screenings.c.id.desc()).limit(limit))]


def counts(conn: Connection) -> dict[str, int]:
    found = dict.fromkeys(STATUSES, 0)
    for status, n in conn.execute(select(payment_screenings.c.status, func.count()).group_by(payment_screenings.c.status)):
        found[status] = int(n)
    return found


def decide(conn: Connection, payment_id: int, decision: str, reason: str, reviewer: str) -> ScreenedPayment:
    """Release or reject a held payment (or reject an unreadable one), with an audit entry,
    in the caller's transaction. A payment is decided once: a second decision is refused,
    naming who decided first."""
    if decision not in DECISIONS:
        raise PaymentDecisionError(f"unknown decision '{decision}': use release or reject")
    reason = (reason or "").strip()
    if not reason:
        raise PaymentDecisionError("a decision needs a reason")
    current = get(conn, payment_id)
    if current is None:
        raise PaymentDecisionError(f"no screened payment {payment_id}", missing=True)
    if current.decision is not None:
        raise PaymentDecisionError(
            f"payment {payment_id} was {current.status} by {current.decided_by} at {current.decided_at}", conflict=True)
    allowed = ("held",) if decision == "release" else ("held", "error")
    if current.status not in allowed:
        raise PaymentDecisionError(f"payment {payment_id} is {current.status}: only a held payment can be "
                                   f"{DECISIONS[decision]}" + ("" if decision == "release" else " (or an unreadable one)"))
    now = _now()
    changed = conn.execute(
        update(payment_screenings)
        .where(payment_screenings.c.id == payment_id)
        .where(payment_screenings.c.decision.is_(None))  # one decision, even with two reviewers at once
        .values(status=DECISIONS[decision], decision=decision, decided_by=reviewer, decided_at=now, reason=reason)
    ).rowcount
    if changed != 1:
        again = get(conn, payment_id)
        raise PaymentDecisionError(
            f"payment {payment_id} was decided by {again.decided_by if again else 'another reviewer'} first", conflict=True)
    audit.append(conn, reviewer, "payment_decision", {
        "payment": payment_id, "message_id": current.message_id, "transaction_id": current.transaction_id,
        "format": current.format, "message_sha256": current.message_sha256, "verdict": current.verdict,
        "hits": [{k: h.get(k) for k in ("field", "kind", "rule", "entity_id", "score")} for h in current.hits],
        "alerts": current.alerts, "decision": decision, "reason": reason, "previous_status": current.status,
    })
    decided = get(conn, payment_id)
    assert decided is not None
    return decided
