"""Append-only, hash-chained audit trail, and per-party evidence export.

Each row carries ``hash = sha256(prev_hash + canonical row content)``, where the content is
the JSON array [seq, at, actor, action, subject, payload]. A one-row head table records the
last seq and hash; appends lock it (so the chain is written strictly in order on SQLite and
PostgreSQL alike) and :func:`verify` checks the log against it, so editing, deleting or
inserting a row anywhere, or cutting rows off the end, is detected.

The chain proves integrity against edits made directly in the database, not against
someone who rewrites the whole chain and the head: record the head hash that
``tradeguard audit verify`` prints somewhere outside the database to anchor it.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

import tradeguard
from tradeguard.store.db import insert_ignore
from tradeguard.store.service_tables import audit_head, audit_log

GENESIS = "0" * 64
_HEAD_ID = 1


@dataclass
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    subject: str | None
    payload_text: str  # as stored and hashed; ``payload`` decodes it on first use
    prev_hash: str
    hash: str

    @cached_property
    def payload(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self.payload_text)
        except (TypeError, ValueError):
            data = {"unreadable": str(self.payload_text)}
        return data

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


class VerifyResult(NamedTuple):
    ok: bool
    first_bad_seq: int | None
    reason: str


def engine_version() -> str:
    return tradeguard.__version__


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def row_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, subject: str | None, payload_text: str) -> str:
    content = json.dumps([seq, at, actor, action, subject, payload_text], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _lock_head(conn: Connection) -> tuple[int, str]:
    """Lock the chain head (a write on SQLite, a row lock on PostgreSQL); (last seq, hash)."""
    insert_ignore(conn, audit_head, [{"id": _HEAD_ID, "seq": 0, "hash": GENESIS}])
    conn.execute(update(audit_head).where(audit_head.c.id == _HEAD_ID).values(seq=audit_head.c.seq))
    row = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == _HEAD_ID)).one()
    return int(row.seq), str(row.hash)


def append_many(conn: Connection, entries: Iterable[tuple[str, str, str | None, dict[str, Any]]]) -> list[AuditEntry]:
    """Append (actor, action, subject, payload) entries in order, in the caller's transaction."""
    batch = list(entries)
    if not batch:
        return []
    seq, prev = _lock_head(conn)
    rows: list[dict[str, Any]] = []
    out: list[AuditEntry] = []
    for actor, action, subject, payload in batch:
        seq += 1
        at = _now()
        text = canonical_json(payload)
        digest = row_hash(prev, seq, at, actor, action, subject, text)
        rows.append({"seq": seq, "at": at, "actor": actor, "action": action, "subject": subject,
                     "payload": text, "prev_hash": prev, "hash": digest})
        out.append(AuditEntry(seq, at, actor, action, subject, text, prev, digest))
        prev = digest
        if len(rows) >= 2000:
            conn.execute(audit_log.insert(), rows)
            rows = []
    if rows:
        conn.execute(audit_log.insert(), rows)
    conn.execute(update(audit_head).where(audit_head.c.id == _HEAD_ID).values(seq=seq, hash=prev))
    return out


def append(conn: Connection, actor: str, action: str, payload: dict[str, Any], subject: str | None = None) -> AuditEntry:
    """Append one entry to the chain (in the caller's transaction)."""
    return append_many(conn, [(actor, action, subject, payload)])[0]


def record_screening(
    conn: Connection,
    actor: str,
    queries: list[dict[str, Any]],
    list_versions: list[dict[str, Any]],
    threshold: float,
    results: list[dict[str, Any]],
    *,
    action: str = "screen",
    subject: str | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """Audit one screening request (CLI, API, batch): who, the queries, the list versions in
    force, the threshold, the engine version and the results (e.g. ``match_dict`` items)."""
    payload = {
        "queries": queries,
        "list_versions": list_versions,
        "threshold": threshold,
        "engine_version": engine_version(),
        "results": results,
        **(extra or {}),
    }
    return append(conn, actor, action, payload, subject=subject)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(row.seq, row.at, row.actor, row.action, row.subject, row.payload, row.prev_hash, row.hash)


def entries(
    conn: Connection,
    *,
    subject: str | None = None,
    action: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
) -> list[AuditEntry]:
    """Audit entries, filtered (``since``/``until`` compare ISO timestamps)."""
    q = select(audit_log)
    if subject is not None:
        q = q.where(audit_log.c.subject == subject)
    if action is not None:
        q = q.where(audit_log.c.action == action)
    if actor is not None:
        q = q.where(audit_log.c.actor == actor)
    if since is not None:
        q = q.where(audit_log.c.at >= since)
    if until is not None:
        q = q.where(audit_log.c.at <= until)
    q = q.order_by(audit_log.c.seq.desc() if newest_first else audit_log.c.seq)
    if limit is not None:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    return [_entry(r) for r in conn.execute(q)]


def head(conn: Connection) -> tuple[int, str]:
    """(last seq, last hash) as recorded by the chain head."""
    row = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == _HEAD_ID)).first()
    return (int(row.seq), str(row.hash)) if row is not None else (0, GENESIS)


def _iter_rows(conn: Connection) -> Iterator[Any]:
    last: Any = None
    while True:
        q = select(audit_log).order_by(audit_log.c.seq).limit(5000)
        if last is not None:
            q = q.where(audit_log.c.seq > last)
        rows = list(conn.execute(q))
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(conn: Connection) -> VerifyResult:
    """Check the whole chain: (ok, first bad seq, reason)."""
    expected = 1
    prev = GENESIS
    count = 0
    for row in _iter_rows(conn):
        count += 1
        if row.seq != expected:
            if isinstance(row.seq, int) and row.seq > expected:
                missing = f"{expected}" if row.seq == expected + 1 else f"{expected} to {row.seq - 1}"
                return VerifyResult(False, expected, f"row(s) {missing} missing: deleted from the log")
            return VerifyResult(False, expected, f"row with seq {row.seq} where seq {expected} was expected: inserted or renumbered")
        if row.prev_hash != prev:
            return VerifyResult(
                False, row.seq,
                f"row {row.seq} does not link to row {row.seq - 1} (prev_hash differs): a row was edited, deleted or inserted before it",
            )
        computed = row_hash(row.prev_hash, row.seq, row.at, row.actor, row.action, row.subject, row.payload)
        if computed != row.hash:
            return VerifyResult(False, row.seq, f"row {row.seq} was edited: its content does not match its hash")
        prev = row.hash
        expected += 1
    head_seq, head_hash = head(conn)
    last_seq = expected - 1
    if head_seq != last_seq:
        if head_seq > last_seq:
            return VerifyResult(False, last_seq + 1, f"the log ends at row {last_seq} but the chain head records row {head_seq}: rows deleted from the end")
        return VerifyResult(False, head_seq + 1, f"rows {head_seq + 1} to {last_seq} come after the recorded chain head (row {head_seq}): appended outside tradeguard")
    if count and head_hash != prev:
        return VerifyResult(False, last_seq, f"row {last_seq} does not match the hash recorded by the chain head: edited or replaced")
    return VerifyResult(True, None, f"{count} entries, chain intact (head {prev})")


# --- evidence export --------------------------------------------------------------------


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "party"


def _e(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, indent=1)
    return html.escape(str(value))


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.85em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}pre{white-space:pre-wrap;margin:0;font-size:.9em}
.ok{color:#070}.bad{color:#b00}
"""


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head_html = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f"<td><pre>{_e(c)}</pre></td>" if isinstance(c, (dict, list)) else f"<td>{_e(c)}</td>" for c in row
        ) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head_html}</tr></thead><tbody>{body}</tbody></table>"


def _pdf(html_path: Path, pdf_path: Path) -> bool:
    """Print the HTML report to PDF with headless Chromium or LibreOffice, where installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            try:
                subprocess.run(
                    [exe, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf_path}",
                     "--no-pdf-header-footer", html_path.resolve().as_uri()],
                    capture_output=True, timeout=120, check=False,
                )
            except (OSError, subprocess.SubprocessError):
                continue
            if pdf_path.is_file() and pdf_path.stat().st_size > 0:
                return True
    for name in ("libreoffice", "soffice"):
        exe = shutil.which(name)
        if exe:
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    subprocess.run(
                        [exe, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(html_path)],
                        capture_output=True, timeout=180, check=False,
                    )
                except (OSError, subprocess.SubprocessError):
                    continue
                produced = Path(tmp) / (html_path.stem + ".pdf")
                if produced.is_file():
                    shutil.move(str(produced), pdf_path)
                    return True
    return False


@dataclass
class ExportResult:
    party_id: str
    csv_path: Path
    html_path: Path
    pdf_path: Path | None
    counts: dict[str, int]


def export_party(conn: Connection, party_id: str, out_dir: Path, *, pdf: bool = True) -> ExportResult:
    """Write one party's evidence (screenings, alerts, decisions, list versions in force and
    audit entries) as CSV and a self-contained HTML report, and as PDF when ``pdf`` and a
    converter is installed. Raises KeyError when the party is unknown."""
    from tradeguard.store.alerts import decisions_for_party, list_alerts
    from tradeguard.store.lists import get_version
    from tradeguard.store.parties import get_party, screenings_for_party

    party = get_party(conn, party_id)
    if party is None:
        raise KeyError(f"no monitored party '{party_id}'")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{_safe_name(party_id)}_evidence"
    csv_path = out_dir / f"{stem}.csv"
    html_path = out_dir / f"{stem}.html"

    screenings = screenings_for_party(conn, party)
    alert_list = list_alerts(conn, party_id=party_id, limit=None)
    decisions = decisions_for_party(conn, party_id)
    audit = entries(conn, subject=party_id)
    chain = verify(conn)
    version_ids: dict[int, dict[str, Any]] = {}
    for s in screenings:
        for v in s["list_versions"]:
            version_ids.setdefault(int(v["version"]), v)
    for a in alert_list:
        for vid in (a.version_id, a.closed_by_version):
            if vid is not None and vid not in version_ids:
                info = get_version(conn, vid)
                if info is not None:
                    version_ids[vid] = {"list": info.list_key, "version": info.id, "list_date": info.list_date, "sha256": info.sha256}
    versions_rows = [version_ids[k] for k in sorted(version_ids)]

    # CSV: one row per piece of evidence.
    columns = ["record", "at", "reference", "status", "actor", "list_versions", "detail"]
    with open(csv_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerow(["party", party.updated_at, party.id, "monitored" if party.active else "not monitored", "",
                         "", canonical_json(party.to_dict())])
        for s in screenings:
            writer.writerow(["screening", s["at"], s["id"], s["trigger"], s["actor"],
                             canonical_json(s["list_versions"]),
                             canonical_json({"threshold": s["threshold"], "engine_version": s["engine_version"],
                                             "summary": s["summary"]})])
        for a in alert_list:
            writer.writerow(["alert", a.created_at, a.id, a.status, "",
                             canonical_json({"raised_by_version": a.version_id, "closed_by_version": a.closed_by_version}),
                             canonical_json({"entity_id": a.entity_id, "matched_name": a.matched_name, "score": a.score,
                                             "listings": [x.to_dict() for x in a.listings],
                                             "explanation": a.explanation, "changes": a.changes,
                                             "closed_reason": a.closed_reason})])
        for d in decisions:
            writer.writerow(["decision", d.at, d.alert_id, d.decision, d.reviewer, "",
                             canonical_json({"reason": d.reason, "effect": d.effect})])
        for v in versions_rows:
            writer.writerow(["list_version", v.get("list_date", ""), v["version"], "", "", canonical_json(v), ""])
        for entry in audit:
            writer.writerow(["audit", entry.at, entry.seq, entry.action, entry.actor, "",
                             canonical_json({"payload": entry.payload, "hash": entry.hash})])

    generated = datetime.now(UTC).isoformat(timespec="seconds")
    chain_html = (f'<p class="ok">Audit chain verified: {_e(chain.reason)}</p>' if chain.ok
                  else f'<p class="bad">AUDIT CHAIN BROKEN at row {_e(chain.first_bad_seq)}: {_e(chain.reason)}</p>')
    party_rows = [[k, v] for k, v in party.to_dict().items()]
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        f"<title>Screening evidence: {_e(party.name)} ({_e(party.id)})</title><style>{_CSS}</style></head><body>",
        f"<h1>Screening evidence for {_e(party.name)} ({_e(party.id)})</h1>",
        f"<p>Generated {generated} by tradeguard {_e(engine_version())}.</p>",
        chain_html,
        "<h2>Party</h2>", _table(["field", "value"], party_rows),
        "<h2>Screenings</h2>",
        _table(["#", "at", "trigger", "actor", "list versions in force", "threshold", "engine", "result"],
               [[s["id"], s["at"], s["trigger"], s["actor"],
                 ", ".join(f"{v['list']} v{v['version']} ({v.get('list_date', '')})" for v in s["list_versions"]),
                 s["threshold"], s["engine_version"], s["summary"]] for s in screenings]),
        "<h2>Alerts</h2>",
        _table(["#", "raised", "status", "entity", "matched name", "score", "listed by", "raised by version",
                "closed by version", "explanation", "what changed"],
               [[a.id, a.created_at, a.status + (f" ({a.closed_reason})" if a.closed_reason else ""),
                 a.entity_id, a.matched_name, round(a.score, 4),
                 "; ".join(f"{x.regime} {x.list_key} {x.source_id}" for x in a.listings),
                 a.version_id, a.closed_by_version or "", a.explanation, a.changes or ""] for a in alert_list]),
        "<h2>Decisions</h2>",
        _table(["alert", "at", "decision", "reviewer", "reason", "effect"],
               [[d.alert_id, d.at, d.decision, d.reviewer, d.reason, d.effect] for d in decisions]),
        "<h2>List versions in force</h2>",
        _table(["list", "version", "list date", "sha256"],
               [[v["list"], v["version"], v.get("list_date", ""), v.get("sha256", "")] for v in versions_rows]),
        "<h2>Audit entries</h2>",
        _table(["seq", "at", "actor", "action", "payload", "hash"],
               [[e.seq, e.at, e.actor, e.action, e.payload, e.hash] for e in audit]),
        "</body></html>",
    ]
    html_path.write_text("\n".join(parts), encoding="utf-8")
    pdf_path: Path | None = None
    if pdf:
        candidate = out_dir / f"{stem}.pdf"
        pdf_path = candidate if _pdf(html_path, candidate) else None
    counts = {"screenings": len(screenings), "alerts": len(alert_list), "decisions": len(decisions),
              "list_versions": len(versions_rows), "audit_entries": len(audit)}
    return ExportResult(party_id, csv_path, html_path, pdf_path, counts)
