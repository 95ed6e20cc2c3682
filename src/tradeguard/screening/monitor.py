"""Monitoring: screen parties when they are registered, rescreen them when a list changes.

* :func:`register_parties` stores parties and screens the new or changed ones at once
  against every active list (alerts raised, screening and audit recorded).
* :func:`rescreen_after_load` rescreens every monitored party against the entities that
  were added or changed between two versions of one list (a small index over just those
  entities, which is what makes 100,000 parties fast), raises alerts (respecting
  false-positive suppression) and closes the alerts whose entity was delisted, citing the
  version that caused each.
* :func:`rescreen_loaded` is the hook ``tradeguard lists load`` calls after each load.
"""

from __future__ import annotations

import json
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from tradeguard.matching import DEFAULT_THRESHOLD, Match, Matcher, Query
from tradeguard.model import Entity
from tradeguard.screening.index_files import matcher_for
from tradeguard.screening.parties import Screener, query_from_record
from tradeguard.store import audit
from tradeguard.store.alerts import (
    Alert,
    Candidate,
    RaiseResult,
    close_delisted,
    raise_alerts,
    record_hashes,
)
from tradeguard.store.db import entity_records, version_entities
from tradeguard.store.links import ensure_links
from tradeguard.store.lists import (
    LoadResult,
    VersionInfo,
    active_version,
    active_versions,
    get_version,
    previous_version,
)
from tradeguard.store.parties import (
    Party,
    PartyInput,
    iter_active_parties,
    record_screenings,
    upsert_parties,
)
from tradeguard.store.service_tables import parties as parties_table

DEFAULT_LIMIT = 10


def _match_summary(m: Match, version_id: int | None) -> dict[str, Any]:
    return {
        "entity_id": m.entity.entity_id,
        "list": m.entity.list,
        "version": version_id,
        "name": m.entity.caption,
        "matched_name": m.matched_name,
        "score": round(float(m.score), 4),
    }


# --- registration -----------------------------------------------------------------------


@dataclass
class RegisterResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    screened: int = 0
    matches: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # party id -> matches
    alerts: RaiseResult = field(default_factory=RaiseResult)
    list_versions: list[dict[str, Any]] = field(default_factory=list)
    skipped_matches: int = 0  # matches on entities that are not in the store (custom screeners)

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "screened": self.screened,
            "alerts": self.alerts.summary(),
            "list_versions": self.list_versions,
        }


def active_screener(engine: Engine, threshold: float | None = None) -> Screener:
    """A Screener over every active list of the store behind ``engine``."""
    with engine.connect() as conn:
        in_force = active_versions(conn)
    return Screener.over_versions(engine, in_force, threshold=threshold)


WRITE_ATTEMPTS = 3  # a registration's write, retried when a concurrent writer registered the same parties


def register_parties(
    engine: Engine,
    inputs: Iterable[PartyInput],
    *,
    actor: str,
    screener: Screener | None = None,
    threshold: float | None = None,
    limit: int = DEFAULT_LIMIT,
    processes: int | None = None,
) -> RegisterResult:
    """Register (create or update) parties and screen the new or changed ones at once
    against the active lists. ``screener`` defaults to one over every active list of the
    store; pass one to reuse its index across calls."""
    batch = list({p.id: p for p in inputs}.values())  # a repeated id: the last one wins
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    # Which parties need screening: read-only, before the (short) write transaction.
    with engine.connect() as conn:
        known: dict[str, tuple[str, bool]] = {}
        ids = [p.id for p in batch]
        for start in range(0, len(ids), 500):
            for row in conn.execute(
                select(parties_table.c.id, parties_table.c.data_hash, parties_table.c.active)
                .where(parties_table.c.id.in_(ids[start:start + 500]))
            ):
                known[row.id] = (row.data_hash, bool(row.active))
    to_screen = [p for p in batch if known.get(p.id) != (p.compute_hash(), True)]
    matches: dict[str, list[Match]] = {}
    if to_screen:
        if screener is None:
            screener = active_screener(engine, threshold=threshold)
        items = [(p.id, query_from_record({"id": p.id, **p.screening_fields()})) for p in to_screen]
        for res in screener.screen_queries(items, threshold=threshold, limit=limit, processes=processes):
            matches[res.id] = res.matches
    if any(matches.values()):
        ensure_links(engine)  # alerts are per listed party: link the listings outside the write
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            return _write_registration(engine, batch, matches, screener, actor=actor, threshold=threshold,
                                       limit=limit)
        except IntegrityError:
            # Another writer registered some of these parties between the read above and
            # this write, and the store kept one row each: its rows are in now, so the retry
            # updates them, and screens only what is still new or changed for it.
            if attempt == WRITE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _write_registration(
    engine: Engine,
    batch: list[PartyInput],
    matches: dict[str, list[Match]],
    screener: Screener | None,
    *,
    actor: str,
    threshold: float,
    limit: int,
) -> RegisterResult:
    """The write of :func:`register_parties`, in one transaction."""
    result = RegisterResult()
    with engine.begin() as conn:
        in_force: dict[str, VersionInfo] = {}
        if screener is not None and screener.in_force.versions:
            in_force = {v.list_key: v for v in screener.in_force.versions}
        upsert = upsert_parties(conn, batch)
        result.created = [p.id for p in upsert.created]
        result.updated = [p.id for p in upsert.updated]
        result.unchanged = [p.id for p in upsert.unchanged]
        screened = [p for p in upsert.to_screen if p.id in matches]
        result.screened = len(screened)
        # Version and record hash of every matched entity.
        for party in screened:
            for m in matches[party.id]:
                if m.entity.list not in in_force:
                    version = active_version(conn, m.entity.list)
                    if version is not None:
                        in_force[m.entity.list] = version
        wanted: dict[int, set[str]] = defaultdict(set)
        for party in screened:
            for m in matches[party.id]:
                v = in_force.get(m.entity.list)
                if v is not None:
                    wanted[v.id].add(m.entity.entity_id)
        hashes = record_hashes(conn, wanted)
        versions_used = (
            [v.ref() for v in screener.in_force.versions]
            if screener is not None and screener.in_force.versions
            else [v.ref() for v in in_force.values()]
        )
        result.list_versions = versions_used
        created_ids = set(result.created)
        screening_rows: list[dict[str, Any]] = []
        audit_rows: list[tuple[str, str, str | None, dict[str, Any]]] = []
        for party in screened:
            candidates: list[Candidate] = []
            summary: list[dict[str, Any]] = []
            for m in matches[party.id]:
                v = in_force.get(m.entity.list)
                record_hash = hashes.get((v.id, m.entity.entity_id)) if v is not None else None
                summary.append(_match_summary(m, v.id if v is not None else None))
                if v is None or record_hash is None:
                    result.skipped_matches += 1
                    continue
                candidates.append(Candidate(
                    party=party, entity_id=m.entity.entity_id, list_key=m.entity.list, version_id=v.id,
                    entity_hash=record_hash, score=float(m.score), matched_name=m.matched_name,
                    name_kind=m.name_kind, explanation=m.explanation,
                ))
            raised = raise_alerts(conn, candidates)
            _merge(result.alerts, raised)
            result.matches[party.id] = summary
            trigger = "register" if party.id in created_ids else "update"
            alert_summary = raised.summary()
            screening_rows.append({
                "party_id": party.id, "at": audit._now(), "trigger": trigger, "actor": actor,
                "party_hash": party.data_hash, "list_versions": versions_used, "threshold": threshold,
                "engine_version": audit.engine_version(), "parties_screened": 1,
                "summary": {"matches": summary, "alerts": alert_summary},
            })
            audit_rows.append((actor, f"party_{trigger}", party.id, {
                "party": party.to_dict(),
                "query": party.screening_fields(),
                "list_versions": versions_used,
                "threshold": threshold,
                "limit": limit,
                "engine_version": audit.engine_version(),
                "results": summary,
                "alerts": alert_summary,
            }))
        record_screenings(conn, screening_rows)
        # Parties changed by another writer since the read above are stored but not screened
        # here; say so in the trail (the next registration or rescreen covers them).
        for party in upsert.to_screen:
            if party.id not in matches:
                audit_rows.append((actor, "party_update", party.id, {"party": party.to_dict(), "screened": False}))
        audit.append_many(conn, audit_rows)
    return result


def _merge(into: RaiseResult, more: RaiseResult) -> None:
    into.raised.extend(more.raised)
    into.reopened.extend(more.reopened)
    into.suppressed.extend(more.suppressed)
    into.existing.extend(more.existing)


# --- rescreening ------------------------------------------------------------------------


@dataclass
class Delta:
    added: list[str]
    changed: list[str]
    removed: list[str]
    entities: dict[str, Entity]  # the added and changed entities, as in the new version
    hashes: dict[str, str]  # their record hashes in the new version


def version_delta(conn: Connection, from_id: int | None, to_id: int) -> Delta:
    """Entities added, changed (record hash differs) and removed between two versions."""

    def members(version_id: int) -> dict[str, str]:
        rows = conn.execute(
            select(version_entities.c.entity_id, version_entities.c.record_hash)
            .where(version_entities.c.version_id == version_id)
        )
        return {r.entity_id: r.record_hash for r in rows}

    old = members(from_id) if from_id is not None else {}
    new = members(to_id)
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    changed = sorted(k for k in old.keys() & new.keys() if old[k] != new[k])
    wanted = {k: new[k] for k in (*added, *changed)}
    by_hash: dict[str, str] = {}
    hash_list = sorted(set(wanted.values()))
    for start in range(0, len(hash_list), 500):
        rows = conn.execute(
            select(entity_records.c.hash, entity_records.c.data).where(entity_records.c.hash.in_(hash_list[start:start + 500]))
        )
        by_hash.update({r.hash: r.data for r in rows})
    entities = {k: Entity.from_dict(json.loads(by_hash[h])) for k, h in wanted.items()}
    return Delta(added, changed, removed, entities, wanted)


def _reference_versions(conn: Connection, list_key: str, version: VersionInfo) -> list[VersionInfo]:
    """The versions a full screening would see: every active list, with ``version`` for
    ``list_key`` (usually its active version anyway)."""
    return [*(v for v in active_versions(conn) if v.list_key != list_key), version]


def delta_matcher(changed: list[Entity], full: Matcher) -> Matcher:
    """A Matcher over the ``changed`` entities only that scores exactly like ``full``, the
    matcher over the lists in force (in the monitor, the index saved for them).

    Token weights come from token frequencies across the indexed entities. Over a small
    delta every token looks rare, and a query token the delta lacks counts as unknown, so
    a bare ``Matcher(changed)`` scores differently from full screening (on the real OFAC
    2022-02-25 delta it missed 65 of 455 alerts that full screening raises on name
    variants). Here the small index takes its query and list-name weights from an index
    over ``reference``, so a party alerts on a changed entity exactly when full screening
    would, while retrieval and scoring still touch only the changed entities' names.
    """
    small = Matcher(changed)
    index, ref = small.index, full.index
    try:
        setattr(index, "query_weights", ref.query_weights)  # noqa: B010 (instance override)
        setattr(index, "list_weights", ref.list_weights)  # noqa: B010
        index.name_totals = np.asarray([sum(ref.list_weights(f)) for f in index.forms], dtype=np.float32)
    except AttributeError as exc:  # pragma: no cover - guards against an engine refactoring
        warnings.warn(f"delta rescreening uses the changed entities' own token weights: {exc}", stacklevel=2)
    return small


@dataclass
class RescreenResult:
    list_key: str
    from_version: int | None
    to_version: int
    added: int
    changed: int
    removed: int
    parties: int
    matches: int
    alerts: RaiseResult
    closed: list[Alert]
    seconds: float
    match_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_key,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "delta": {"added": self.added, "changed": self.changed, "removed": self.removed},
            "parties": self.parties,
            "matches": self.matches,
            "alerts": self.alerts.summary(),
            "closed": [{"alert": a.id, "party": a.party_id, "entity": a.entity_id} for a in self.closed],
            "seconds": round(self.seconds, 3),
            "match_seconds": round(self.match_seconds, 3),
        }

    @property
    def message(self) -> str:
        a = self.alerts
        return (
            f"rescreened {self.parties} monitored parties against {self.added} added and {self.changed} changed "
            f"{self.list_key} entities (version {self.from_version} -> {self.to_version}): {len(a.raised)} new alert(s), "
            f"{len(a.reopened)} re-opened, {len(a.suppressed)} suppressed by earlier false-positive decisions, "
            f"{len(self.closed)} closed as delisted ({self.removed} removed), in {self.seconds:.1f} s"
        )


def _version(conn: Connection, value: VersionInfo | int | None) -> VersionInfo | None:
    if value is None or isinstance(value, VersionInfo):
        return value
    found = get_version(conn, int(value))
    if found is None:
        raise ValueError(f"no list version {value}")
    return found


def rescreen_after_load(
    engine: Engine,
    list_key: str,
    from_version: VersionInfo | int | None,
    to_version: VersionInfo | int,
    *,
    actor: str = "system",
    threshold: float | None = None,
    limit: int = DEFAULT_LIMIT,
    processes: int | None = None,
) -> RescreenResult:
    """Rescreen every monitored party against the entities added or changed from
    ``from_version`` (None: the list's first version, so every entity) to ``to_version``;
    raise alerts citing ``to_version``; close the active alerts on removed entities."""
    started = time.perf_counter()
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    with engine.connect() as conn:
        old = _version(conn, from_version)
        new = _version(conn, to_version)
        assert new is not None
        for v in (old, new):
            if v is not None and v.list_key != list_key:
                raise ValueError(f"version {v.id} belongs to {v.list_key}, not {list_key}")
        delta = version_delta(conn, old.id if old is not None else None, new.id)
        monitored: list[Party] = list(iter_active_parties(conn)) if delta.entities else []
    match_started = time.perf_counter()
    found: list[tuple[Party, Match]] = []
    if delta.entities and monitored:
        with engine.connect() as conn:
            reference = _reference_versions(conn, list_key, new)
        screener = Screener(entities=[], threshold=threshold)
        screener.matcher = delta_matcher(list(delta.entities.values()), matcher_for(engine, reference))
        items: list[tuple[str, Query]] = []
        by_id: dict[str, Party] = {}
        for party in monitored:
            items.append((party.id, query_from_record(party.as_record())))
            by_id[party.id] = party
        for res in screener.screen_queries(items, threshold=threshold, limit=limit, processes=processes):
            for m in res.matches:
                found.append((by_id[res.id], m))
    match_seconds = time.perf_counter() - match_started
    if found:
        ensure_links(engine)  # alerts are per listed party: link the listings outside the write
    with engine.begin() as conn:
        candidates = [
            Candidate(
                party=party, entity_id=m.entity.entity_id, list_key=list_key, version_id=new.id,
                entity_hash=delta.hashes[m.entity.entity_id], score=float(m.score),
                matched_name=m.matched_name, name_kind=m.name_kind, explanation=m.explanation,
            )
            for party, m in found
        ]
        raised = raise_alerts(conn, candidates)
        closed = close_delisted(conn, delta.removed, new.id, list_key) if delta.removed else []
        seconds = time.perf_counter() - started
        result = RescreenResult(
            list_key, old.id if old is not None else None, new.id, len(delta.added), len(delta.changed),
            len(delta.removed), len(monitored), len(found), raised, closed, seconds, match_seconds,
        )
        versions_used = [{**new.ref(), "from_version": old.id if old is not None else None}]
        record_screenings(conn, [{
            "party_id": None, "at": audit._now(), "trigger": "rescreen", "actor": actor, "party_hash": None,
            "list_versions": versions_used, "threshold": threshold, "engine_version": audit.engine_version(),
            "parties_screened": len(monitored), "summary": result.to_dict(),
        }])
        rows: list[tuple[str, str, str | None, dict[str, Any]]] = [(actor, "rescreen", None, {
            **result.to_dict(), "list_versions": versions_used, "threshold": threshold, "limit": limit,
            "engine_version": audit.engine_version(),
        })]
        # One entry per party concerned, so a party's evidence shows its alerts and closures.
        per_party: dict[str, dict[str, list[Any]]] = defaultdict(
            lambda: {"raised": [], "reopened": [], "suppressed": [], "closed": []}
        )
        for a in raised.raised:
            per_party[a.party_id]["raised"].append({"alert": a.id, "entity": a.entity_id, "score": round(a.score, 4)})
        for a in raised.reopened:
            per_party[a.party_id]["reopened"].append({"alert": a.id, "entity": a.entity_id, "changes": a.changes})
        for party_id, entity_id, cleared_id in raised.suppressed:
            per_party[party_id]["suppressed"].append({"entity": entity_id, "cleared_alert": cleared_id})
        for a in closed:
            per_party[a.party_id]["closed"].append({"alert": a.id, "entity": a.entity_id, "reason": a.closed_reason})
        for party_id, events in sorted(per_party.items()):
            rows.append((actor, "rescreen_alerts", party_id, {
                "list_versions": versions_used, "threshold": threshold,
                "engine_version": audit.engine_version(), **events,
            }))
        audit.append_many(conn, rows)
    return result


def rescreen_loaded(
    engine: Engine,
    load: LoadResult,
    *,
    actor: str = "system",
    threshold: float | None = None,
    processes: int | None = None,
) -> RescreenResult | None:
    """After ``lists.load_file``: record the load in the audit trail and, when the loaded
    version became the active one, rescreen against its changes from the previous version.
    Returns None when nothing was rescreened (unchanged file, or a version kept as history)."""
    if load.status != "loaded":
        return None
    version = load.version
    with engine.begin() as conn:
        active = active_version(conn, version.list_key)
        before = previous_version(conn, version)
        audit.append(conn, actor, "list_load", {
            **version.to_dict(),
            "active": active is not None and active.id == version.id,
            "previous_version": before.id if before is not None else None,
        })
    if active is None or active.id != version.id:
        return None
    return rescreen_after_load(
        engine, version.list_key, before, version, actor=actor, threshold=threshold, processes=processes,
    )

