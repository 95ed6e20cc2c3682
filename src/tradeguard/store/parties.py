"""Monitored parties: customers, suppliers and consignees screened on every list change.

A party is keyed by its external reference. Its data hash is the sha256 of its canonical
screening fields (name, schema, birth date, country, identifiers, address): an update that
changes any of them changes the hash, which lifts false-positive suppressions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from tradeguard.model import SCHEMAS
from tradeguard.screening.records import RowError, iter_records
from tradeguard.sources.common import clean, country_or_text, parse_date, split_multi
from tradeguard.store.service_tables import parties, screenings

KINDS: tuple[str, ...] = ("customer", "supplier", "consignee", "order_party", "payment_party")
DEFAULT_KIND = "customer"

_ID_KEYS = ("id", "ref", "party_id", "external_id", "reference", "customer_id")
_SCHEMA_ALIASES = {s.lower(): s for s in SCHEMAS} | {
    "individual": "Person",
    "organisation": "Organization",
    "entity": "LegalEntity",
    "legal_entity": "LegalEntity",
    "aircraft": "Airplane",
    "ship": "Vessel",
}


@dataclass
class PartyInput:
    """A party's data as registered (already validated and normalised)."""

    id: str
    name: str
    schema: str | None = None
    birth_date: str | None = None
    country: str | None = None
    identifiers: list[str] = field(default_factory=list)
    address: str | None = None
    kind: str = DEFAULT_KIND

    def screening_fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "schema": self.schema,
            "birth_date": self.birth_date,
            "country": self.country,
            "identifiers": sorted(self.identifiers),
            "address": self.address,
        }

    def compute_hash(self) -> str:
        body = json.dumps(self.screening_fields(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass
class Party(PartyInput):
    data_hash: str = ""
    active: bool = True
    created_at: str = ""
    updated_at: str = ""

    def as_record(self) -> dict[str, Any]:
        """The record shape ``screening.parties.query_from_record`` takes."""
        return {"id": self.id, **self.screening_fields()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "schema": self.schema,
            "birth_date": self.birth_date,
            "country": self.country,
            "identifiers": self.identifiers,
            "address": self.address,
            "kind": self.kind,
            "data_hash": self.data_hash,
            "active": self.active,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def party_from_record(record: dict[str, Any]) -> PartyInput:
    """Validate and normalise an input record; ValueError says what is wrong."""
    rid = next((clean(record[k]) for k in _ID_KEYS if clean(record.get(k))), None)
    if rid is None:
        raise ValueError(f"no party id (a column named one of: {', '.join(_ID_KEYS)})")
    if len(rid) > 200:
        raise ValueError(f"party id longer than 200 characters: {rid[:40]}...")
    name = clean(record.get("name"))
    if name is None:
        raise ValueError(f"party {rid}: no name")
    schema: str | None = None
    raw_schema = clean(record.get("schema") or record.get("type"))
    if raw_schema is not None:
        schema = _SCHEMA_ALIASES.get(raw_schema.lower().replace(" ", "_"))
        if schema is None:
            raise ValueError(f"party {rid}: unknown schema '{raw_schema}' (use one of {', '.join(SCHEMAS)})")
    birth_date: str | None = None
    raw_date = clean(record.get("birth_date") or record.get("dob") or record.get("date_of_birth"))
    if raw_date is not None:
        birth_date = parse_date(raw_date)
        if birth_date is None:
            raise ValueError(f"party {rid}: birth date '{raw_date}' is not a date (use YYYY-MM-DD)")
    country = country_or_text(clean(record.get("country")))
    raw_ids = record.get("identifiers") or record.get("identifier")
    if isinstance(raw_ids, list):
        identifiers = [t for t in (clean(v) for v in raw_ids) if t]
    else:
        identifiers = split_multi(raw_ids, ";|")
    address = clean(record.get("address"))
    kind = (clean(record.get("kind") or record.get("party_kind")) or DEFAULT_KIND).lower()
    if kind not in KINDS:
        raise ValueError(f"party {rid}: unknown kind '{kind}' (use one of {', '.join(KINDS)})")
    return PartyInput(rid, name, schema, birth_date, country, identifiers, address, kind)


@dataclass
class PartyFile:
    """The parties read from a file, and the rows that could not be read (with line)."""

    path: Path
    parties: list[tuple[int, PartyInput]]
    errors: list[RowError]


def read_party_file(path: Path) -> PartyFile:
    """Read parties from CSV/XLSX/JSONL. Bad rows are returned as errors naming the line;
    a repeated id is an error on its later line. SourceError if the file cannot be read."""
    path = Path(path)
    found: list[tuple[int, PartyInput]] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for line, item in iter_records(path):
        if isinstance(item, RowError):
            errors.append(item)
            continue
        try:
            party = party_from_record(item)
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        if party.id in first_line:
            errors.append(RowError(line, f"party id '{party.id}' repeated (first on line {first_line[party.id]})"))
            continue
        first_line[party.id] = line
        found.append((line, party))
    return PartyFile(path, found, errors)


def _party(row: Any) -> Party:
    return Party(
        id=row.id,
        name=row.name,
        schema=row.schema,
        birth_date=row.birth_date,
        country=row.country,
        identifiers=json.loads(row.identifiers),
        address=row.address,
        kind=row.kind,
        data_hash=row.data_hash,
        active=bool(row.active),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


@dataclass
class UpsertResult:
    created: list[Party] = field(default_factory=list)
    updated: list[Party] = field(default_factory=list)  # screening data changed
    unchanged: list[Party] = field(default_factory=list)  # same data (kind may differ)

    @property
    def to_screen(self) -> list[Party]:
        return self.created + self.updated


def upsert_parties(conn: Connection, inputs: Iterable[PartyInput]) -> UpsertResult:
    """Create or update parties. A party that was removed from monitoring is monitored again
    (and counts as updated, so it is screened again)."""
    result = UpsertResult()
    batch = list(inputs)
    existing: dict[str, Party] = {}
    ids = [p.id for p in batch]
    for start in range(0, len(ids), 500):
        for row in conn.execute(select(parties).where(parties.c.id.in_(ids[start:start + 500]))):
            existing[row.id] = _party(row)
    now = _now()
    new_rows: list[dict[str, Any]] = []
    for p in batch:
        digest = p.compute_hash()
        values = {
            "name": p.name, "schema": p.schema, "birth_date": p.birth_date, "country": p.country,
            "identifiers": json.dumps(p.identifiers, ensure_ascii=False), "address": p.address,
            "kind": p.kind, "data_hash": digest, "active": 1, "updated_at": now,
        }
        old = existing.get(p.id)
        if old is None:
            new_rows.append({"id": p.id, "created_at": now, **values})
            result.created.append(Party(**_fields(p), data_hash=digest, active=True, created_at=now, updated_at=now))
            continue
        if old.data_hash == digest and old.active and old.kind == p.kind:
            result.unchanged.append(old)
            continue
        conn.execute(update(parties).where(parties.c.id == p.id).values(**values))
        party = Party(**_fields(p), data_hash=digest, active=True, created_at=old.created_at, updated_at=now)
        if old.data_hash == digest and old.active:
            result.unchanged.append(party)
        else:
            result.updated.append(party)
    for start in range(0, len(new_rows), 2000):
        conn.execute(parties.insert(), new_rows[start:start + 2000])
    return result


def _fields(p: PartyInput) -> dict[str, Any]:
    return {
        "id": p.id, "name": p.name, "schema": p.schema, "birth_date": p.birth_date, "country": p.country,
        "identifiers": list(p.identifiers), "address": p.address, "kind": p.kind,
    }


def get_party(conn: Connection, party_id: str) -> Party | None:
    row = conn.execute(select(parties).where(parties.c.id == party_id)).first()
    return _party(row) if row is not None else None


def list_parties(
    conn: Connection,
    *,
    kind: str | None = None,
    active: bool | None = True,
    search: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[Party]:
    q = select(parties).order_by(parties.c.id)
    if kind is not None:
        q = q.where(parties.c.kind == kind)
    if active is not None:
        q = q.where(parties.c.active == (1 if active else 0))
    if search:
        q = q.where(func.lower(parties.c.name).contains(search.lower()))
    if limit is not None:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    return [_party(r) for r in conn.execute(q)]


def count_parties(conn: Connection, active: bool = True) -> int:
    return int(conn.execute(
        select(func.count()).select_from(parties).where(parties.c.active == (1 if active else 0))
    ).scalar_one())


def iter_active_parties(conn: Connection, batch: int = 5000) -> Iterator[Party]:
    last: str | None = None
    while True:
        q = select(parties).where(parties.c.active == 1).order_by(parties.c.id).limit(batch)
        if last is not None:
            q = q.where(parties.c.id > last)
        rows = list(conn.execute(q))
        if not rows:
            return
        for row in rows:
            yield _party(row)
        last = rows[-1].id


def deactivate_party(conn: Connection, party_id: str) -> bool:
    """Stop monitoring a party (its history is kept); False if it is unknown or inactive."""
    result = conn.execute(
        update(parties).where(parties.c.id == party_id).where(parties.c.active == 1)
        .values(active=0, updated_at=_now())
    )
    return bool(result.rowcount)


# --- screenings -------------------------------------------------------------------------


def record_screenings(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert screening rows (keys as in the ``screenings`` table; JSON fields as objects)."""
    prepared = []
    for row in rows:
        item = dict(row)
        item["list_versions"] = json.dumps(item["list_versions"], ensure_ascii=False)
        item["summary"] = json.dumps(item["summary"], ensure_ascii=False, sort_keys=True)
        prepared.append(item)
    for start in range(0, len(prepared), 2000):
        conn.execute(screenings.insert(), prepared[start:start + 2000])


def screenings_for_party(conn: Connection, party: Party) -> list[dict[str, Any]]:
    """The party's own screenings, and every rescreening run while it was monitored."""
    q = select(screenings).where(
        (screenings.c.party_id == party.id)
        | (screenings.c.party_id.is_(None) & (screenings.c.at >= party.created_at))
    ).order_by(screenings.c.id)
    out = []
    for row in conn.execute(q):
        if row.party_id is None and not party.active and row.at > party.updated_at:
            continue
        out.append({
            "id": row.id, "party_id": row.party_id, "at": row.at, "trigger": row.trigger, "actor": row.actor,
            "party_hash": row.party_hash, "list_versions": json.loads(row.list_versions),
            "threshold": row.threshold, "engine_version": row.engine_version,
            "parties_screened": row.parties_screened, "summary": json.loads(row.summary),
        })
    return out
