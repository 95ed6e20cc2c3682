"""Alerts raised by monitored parties matching listed entities, and reviewers' decisions.

Statuses: ``open`` (new), ``escalated`` (decided true match), ``cleared`` (decided false
positive), ``closed`` (the entity was delisted), ``reopened`` (a cleared alert came back
because the party's data or the entity's record changed).

One alert per monitored party and listed party: the listings of one listed party (linked
across lists and within one, see :mod:`tradeguard.store.links`) are covered by one alert,
the best match as its ``entity_id``, every listing in ``listings``. A match on a listing of
a party that already has an active alert adds the listing to that alert; a decision covers
every listing of the alert.

Suppression: a cleared alert raises no new one while the party's data hash and the record
hash of every matched listing equal those the alert was cleared on. When either changes,
or a listing it did not cover appears (a new regime listing the same party), a new alert is
raised with status ``reopened`` and the change recorded in it.

Delisting: a listing removed from its list is marked removed on the alerts that cover it;
an active alert is closed when every listing it covers is removed.

Four-eyes (off by default; ``four_eyes: true`` in the config file, ``TRADEGUARD_FOUR_EYES=1`` or ``four_eyes=True``): clearing an
alert that was escalated as a true match takes false-positive decisions from two
different reviewers; the first is recorded as ``pending_second_review``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import bindparam, func, select, union, update
from sqlalchemy.engine import Connection

from tradeguard.model import Entity
from tradeguard.screening.links import list_regime, regime_rank
from tradeguard.store import audit
from tradeguard.store.db import entity_records, facts_cache, lock_rows, version_entities
from tradeguard.store.links import Listing, parties_of
from tradeguard.store.links import Party as ListedParty
from tradeguard.store.lists import VersionInfo, active_version_ids, changed_fields
from tradeguard.store.parties import Party, PartyInput, upsert_parties
from tradeguard.store.service_tables import alert_decisions, alert_listings, alerts
from tradeguard.store.service_tables import parties as party_table

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
class AlertListing:
    """One listing an alert covers: matched (with its score) or linked to a matched one."""

    entity_id: str
    list_key: str
    source_id: str
    name: str
    version_id: int
    entity_hash: str
    score: float | None
    matched_name: str | None
    added_at: str
    removed_by_version: int | None = None

    @property
    def regime(self) -> str:
        return list_regime(self.list_key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "list": self.list_key,
            "regime": self.regime,
            "source_id": self.source_id,
            "name": self.name,
            "version": self.version_id,
            "entity_hash": self.entity_hash,
            "score": round(self.score, 4) if self.score is not None else None,
            "matched_name": self.matched_name,
            "added_at": self.added_at,
            "removed_by_version": self.removed_by_version,
        }


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
    # The JSON columns as stored, decoded on first use (``explanation``, ``party_data``,
    # ``changes``): raising alerts reads many alerts only for their status and listings.
    explanation_json: str
    party_hash: str
    party_data_json: str
    entity_hash: str
    status: str
    previous_alert_id: int | None
    changes_json: str | None
    created_at: str
    updated_at: str
    closed_by_version: int | None
    closed_reason: str | None
    listings: list[AlertListing] = field(default_factory=list)

    @cached_property
    def explanation(self) -> Any:
        return json.loads(self.explanation_json)

    @cached_property
    def party_data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.party_data_json)
        return data

    @cached_property
    def changes(self) -> dict[str, Any] | None:
        data: dict[str, Any] | None = json.loads(self.changes_json) if self.changes_json else None
        return data

    @property
    def regimes(self) -> list[str]:
        """The regimes of the listings still in force, strongest first (UN, US, EU, UK, ...)."""
        ranked = sorted((x for x in self.listings if x.removed_by_version is None), key=lambda x: regime_rank(x.list_key))
        return list(dict.fromkeys(x.regime for x in ranked))

    def covers(self) -> set[str]:
        return {x.entity_id for x in self.listings} or {self.entity_id}

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
            "regimes": self.regimes,
            "listings": [x.to_dict() for x in self.listings],
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
    extended: list[tuple[int, list[str]]] = field(default_factory=list)  # active alert, listings added
    # (monitored party id, matched entity id) -> the alert raised, reopened or found active for it
    alert_of: dict[tuple[str, str], int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "raised": [a.id for a in self.raised],
            "reopened": [a.id for a in self.reopened],
            "suppressed": [{"party": p, "entity": e, "cleared_alert": a} for p, e, a in self.suppressed],
            "already_open": self.existing,
            "listings_added": [{"alert": a, "entities": ids} for a, ids in self.extended],
        }


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _alert(row: Any) -> Alert:
    return _alert_from(row._mapping)


def _alert_from(values: Mapping[str, Any]) -> Alert:
    """An alert from its row's columns (as read, or as just inserted), listings to add."""
    return Alert(
        id=values["id"],
        party_id=values["party_id"],
        entity_id=values["entity_id"],
        list_key=values["list_key"],
        version_id=values["version_id"],
        score=values["score"],
        matched_name=values["matched_name"],
        name_kind=values["name_kind"],
        explanation_json=values["explanation"],
        party_hash=values["party_hash"],
        party_data_json=values["party_data"],
        entity_hash=values["entity_hash"],
        status=values["status"],
        previous_alert_id=values["previous_alert_id"],
        changes_json=values["changes"],
        created_at=values["created_at"],
        updated_at=values["updated_at"],
        closed_by_version=values["closed_by_version"],
        closed_reason=values["closed_reason"],
    )


def _own_listing(alert: Alert) -> AlertListing:
    """The listing of an alert raised before alerts covered listed parties: its entity."""
    source_id = alert.entity_id.split("-", 1)[1] if alert.entity_id.startswith(alert.list_key + "-") else alert.entity_id
    return AlertListing(
        alert.entity_id, alert.list_key, source_id, alert.matched_name, alert.version_id, alert.entity_hash,
        alert.score, alert.matched_name, alert.created_at,
        alert.closed_by_version if alert.status == "closed" else None,
    )


def _with_listings(conn: Connection, found: list[Alert]) -> list[Alert]:
    """Fill in the listings of each alert (one query per 500 alerts)."""
    by_id = {a.id: a for a in found}
    ids = sorted(by_id)
    for start in range(0, len(ids), 500):
        rows = conn.execute(
            select(alert_listings).where(alert_listings.c.alert_id.in_(ids[start:start + 500]))
        )
        for r in rows:
            by_id[r.alert_id].listings.append(_listing_of(r._mapping))
    for a in found:
        _order_listings(a)
    return found


def _listing_of(row: Mapping[Any, Any]) -> AlertListing:
    return AlertListing(
        row["entity_id"], row["list_key"], row["source_id"], row["name"], row["version_id"], row["entity_hash"],
        row["score"], row["matched_name"], row["added_at"], row["removed_by_version"],
    )


def _order_listings(alert: Alert) -> None:
    """An alert's listings strongest first (its own entity when it has no listing rows)."""
    if not alert.listings:
        alert.listings.append(_own_listing(alert))
    alert.listings.sort(key=lambda x: (x.score is None, regime_rank(x.list_key), -(x.score or 0.0), x.source_id))


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


def _alerts_covering(conn: Connection, entity_ids: Iterable[str], party_id: str | None = None) -> list[int]:
    """Ids of the alerts that cover any of ``entity_ids`` (of one party, if given)."""
    ids = sorted(set(entity_ids))
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        own = select(alerts.c.id).where(alerts.c.entity_id.in_(chunk))
        listed = select(alert_listings.c.alert_id).where(alert_listings.c.entity_id.in_(chunk))
        if party_id is not None:
            own = own.where(alerts.c.party_id == party_id)
            listed = listed.join(alerts, alerts.c.id == alert_listings.c.alert_id).where(alerts.c.party_id == party_id)
        found.update(int(x) for x in conn.execute(union(own, listed)).scalars())
    return sorted(found)


def _latest_alerts(conn: Connection, wanted: Mapping[tuple[str, str], set[str]]) -> dict[tuple[str, str], Alert]:
    """(party id, key) -> entity ids in; out, for each, the newest alert of the party that
    covers any of the entities (if any), all read in a few queries."""
    party_ids = sorted({party_id for party_id, _key in wanted})
    entity_ids = sorted(set().union(*wanted.values())) if wanted else []
    covering: dict[str, list[tuple[int, str]]] = {}  # party id -> (alert id, entity id covered)
    for p_start in range(0, len(party_ids), 500):
        party_chunk = party_ids[p_start:p_start + 500]
        for e_start in range(0, len(entity_ids), 500):
            entity_chunk = entity_ids[e_start:e_start + 500]
            own = (select(alerts.c.id, alerts.c.party_id, alerts.c.entity_id)
                   .where(alerts.c.party_id.in_(party_chunk)).where(alerts.c.entity_id.in_(entity_chunk)))
            listed = (select(alert_listings.c.alert_id, alerts.c.party_id, alert_listings.c.entity_id)
                      .join(alerts, alerts.c.id == alert_listings.c.alert_id)
                      .where(alerts.c.party_id.in_(party_chunk)).where(alert_listings.c.entity_id.in_(entity_chunk)))
            for alert_id, party_id, entity_id in conn.execute(union(own, listed)):
                covering.setdefault(party_id, []).append((int(alert_id), entity_id))
    newest: dict[tuple[str, str], int] = {}
    for (party_id, key), members in wanted.items():
        ids = [alert_id for alert_id, entity_id in covering.get(party_id, ()) if entity_id in members]
        if ids:
            newest[(party_id, key)] = max(ids)
    found = _get_alerts(conn, sorted(set(newest.values())))
    return {pair: found[alert_id] for pair, alert_id in newest.items()}


def _get_alerts(conn: Connection, ids: Sequence[int]) -> dict[int, Alert]:
    out: list[Alert] = []
    for start in range(0, len(ids), 500):
        out.extend(_alert(r) for r in conn.execute(select(alerts).where(alerts.c.id.in_(ids[start:start + 500]))))
    return {a.id: a for a in _with_listings(conn, out)}


def _current_listings(conn: Connection, listed: Iterable[ListedParty]) -> dict[str, tuple[int, str]]:
    """entity id -> (active version id, record hash) of the listed parties' listings."""
    active = dict(active_version_ids(conn))
    wanted: dict[int, list[str]] = {}
    for party in listed:
        for listing in party.listings:
            if listing.list in active:
                wanted.setdefault(active[listing.list], []).append(listing.entity_id)
    found = record_hashes(conn, wanted)
    return {entity_id: (version_id, record_hash) for (version_id, entity_id), record_hash in found.items()}


@dataclass
class _Group:
    """The matches of one monitored party on the listings of one listed party."""

    party: Party
    listed: ListedParty
    matches: dict[str, Candidate]  # entity id -> best candidate

    @property
    def members(self) -> set[str]:
        """The entities an alert of the group covers: the listed party's and the matched."""
        return {x.entity_id for x in self.listed.listings} | set(self.matches)

    @property
    def best(self) -> Candidate:
        return max(self.matches.values(), key=lambda c: (c.score, -regime_rank(c.list_key)[0], c.entity_id))


def _listing_rows(
    group: _Group, current: Mapping[str, tuple[int, str]], alert_id: int, skip: set[str], now: str
) -> list[dict[str, Any]]:
    """The alert_listings rows for a group's listings not in ``skip``: matched ones with
    their score, the others (linked) as they stand in the versions in force."""
    names = {x.entity_id: x for x in group.listed.listings}
    rows: list[dict[str, Any]] = []
    for entity_id in sorted({*names, *group.matches} - skip):
        cand = group.matches.get(entity_id)
        listing = names.get(entity_id)
        if cand is not None:
            version_id, entity_hash = cand.version_id, cand.entity_hash
        elif entity_id in current:
            version_id, entity_hash = current[entity_id]
        else:
            continue
        list_key = listing.list if listing is not None else cand.list_key if cand is not None else ""
        source_id = listing.source_id if listing is not None else entity_id.split("-", 1)[-1]
        name = listing.name if listing is not None else cand.matched_name if cand is not None else entity_id
        rows.append({
            "alert_id": alert_id, "entity_id": entity_id, "list_key": list_key, "source_id": source_id,
            "name": name, "version_id": version_id, "entity_hash": entity_hash,
            "score": float(cand.score) if cand is not None else None,
            "matched_name": cand.matched_name if cand is not None else None,
            "added_at": now, "removed_by_version": None,
        })
    return rows


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    return {"entity_id": row["entity_id"], "list": row["list_key"], "regime": list_regime(row["list_key"]),
            "source_id": row["source_id"], "name": row["name"], "version": row["version_id"]}


def _what_changed(conn: Connection, cleared: Alert, group: _Group, added: list[dict[str, Any]]) -> dict[str, Any]:
    """What separates a group's matches from the cleared alert: the party's data, the
    record of each matched listing the alert covered, and the listings it did not cover."""
    cand = group.best
    party_now = cand.party.screening_fields()
    party_changed = cleared.party_hash != cand.party.data_hash
    before = {x.entity_id: x for x in cleared.listings}
    changed: list[dict[str, Any]] = []
    for c in sorted(group.matches.values(), key=lambda c: c.entity_id):
        old = before.get(c.entity_id)
        if old is None or old.entity_hash == c.entity_hash:
            continue
        changed.append({
            "entity_id": c.entity_id, "list": c.list_key, "from_hash": old.entity_hash, "to_hash": c.entity_hash,
            "from_version": old.version_id, "to_version": c.version_id,
            "fields": changed_fields(entity_record(conn, old.entity_hash) or {}, entity_record(conn, c.entity_hash) or {}),
        })
    primary = next((x for x in changed if x["entity_id"] == cand.entity_id), None)
    old_primary = before.get(cand.entity_id)
    return {
        "party": {
            "changed": party_changed,
            "from_hash": cleared.party_hash,
            "to_hash": cand.party.data_hash,
            "fields": changed_fields(cleared.party_data, party_now) if party_changed else {},
        },
        "entity": {
            "changed": primary is not None or old_primary is None,
            "entity_id": cand.entity_id,
            "from_hash": old_primary.entity_hash if old_primary is not None else None,
            "to_hash": cand.entity_hash,
            "from_version": old_primary.version_id if old_primary is not None else None,
            "to_version": cand.version_id,
            "fields": primary["fields"] if primary is not None else {},
        },
        "listings": {"added": [_brief(r) for r in added], "changed": changed},
        "cleared_alert": cleared.id,
    }


def _groups(conn: Connection, candidates: Iterable[Candidate]) -> list[_Group]:
    """Candidates grouped by (monitored party, listed party), in the order first seen."""
    cands = list(candidates)
    if not cands:
        return []
    listed = parties_of(conn, {c.entity_id for c in cands}, links=False)  # an alert shows the listings only
    groups: dict[tuple[str, str], _Group] = {}
    for c in cands:
        party = listed.get(c.entity_id)
        if party is None:  # not in a version in force: a party of one listing
            party = ListedParty(f"party-{c.entity_id}", [
                Listing(c.entity_id, c.list_key, c.entity_id.split("-", 1)[-1], "", c.matched_name, [], None)
            ])
        group = groups.setdefault((c.party.id, party.id), _Group(c.party, party, {}))
        held = group.matches.get(c.entity_id)
        if held is None or c.score > held.score:
            group.matches[c.entity_id] = c
    return list(groups.values())


def raise_alerts(conn: Connection, candidates: Iterable[Candidate]) -> RaiseResult:
    """Raise alerts for matches, one per monitored party and listed party, respecting
    suppression (see the module doc)."""
    result = RaiseResult()
    groups = _groups(conn, candidates)
    # "One alert per party and listed party" is checked, then written: lock each monitored
    # party first (in id order), so that a rescreen or screening raising alerts for
    # the same party at the same moment in another process waits, then sees what this wrote.
    lock_rows(conn, party_table.c.id, [g.party.id for g in groups], touch=party_table.c.updated_at)
    # What every group needs, read once: the groups' members are disjoint (one listed party
    # each), so one group's writes never change what another reads here.
    latest = _latest_alerts(conn, {(g.party.id, g.listed.id): g.members for g in groups})
    current = _current_listings(conn, [g.listed for g in groups])
    new: list[tuple[_Group, dict[str, Any]]] = []
    for group in groups:
        values = _raise_group(conn, group, latest.get((group.party.id, group.listed.id)), current, result)
        if values is not None:
            new.append((group, values))
    _insert_alerts(conn, new, current, result)
    return result


def _raise_group(conn: Connection, group: _Group, latest: Alert | None, current: Mapping[str, tuple[int, str]],
                 result: RaiseResult) -> dict[str, Any] | None:
    """Extend the group's active alert or suppress the group; or return the row of the alert
    to raise (or reopen) for it. ``latest`` is the newest alert of the party covering its
    members, ``current`` the versions in force of its listings."""
    cand = group.best
    now = _now()
    if latest is not None and latest.status in ACTIVE_STATUSES:
        added = _listing_rows(group, current, latest.id, latest.covers(), now)
        if added:
            result.extended.append((latest.id, [r["entity_id"] for r in added]))
            if not _has_rows(conn, latest.id):  # raised before alerts covered listed parties
                added.insert(0, _row_of(latest.id, _own_listing(latest)))
            conn.execute(alert_listings.insert(), added)
            conn.execute(update(alerts).where(alerts.c.id == latest.id).values(updated_at=now))
        result.existing.append(latest.id)
        result.alert_of.update(((cand.party.id, entity_id), latest.id) for entity_id in group.matches)
        return None
    status = "open"
    changes: dict[str, Any] | None = None
    previous: int | None = None
    if latest is not None and latest.status == "cleared":
        covered = latest.covers()
        new_rows = _listing_rows(group, current, 0, covered, now)
        held = {x.entity_id: x.entity_hash for x in latest.listings}
        unchanged = (
            latest.party_hash == cand.party.data_hash
            and not new_rows
            and all(held.get(c.entity_id) == c.entity_hash for c in group.matches.values())
        )
        if unchanged:
            result.suppressed.append((cand.party.id, cand.entity_id, latest.id))
            return None
        status = "reopened"
        changes = _what_changed(conn, latest, group, new_rows)
        previous = latest.id
    return {
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


def _insert_alerts(conn: Connection, new: Sequence[tuple[_Group, dict[str, Any]]],
                   current: Mapping[str, tuple[int, str]], result: RaiseResult) -> None:
    """Write the alerts raised (or reopened) for the groups, in their order, with their
    listings: two statements, whatever their number (a server raises many at once)."""
    if not new:
        return
    inserted = conn.execute(alerts.insert().returning(alerts.c.id, sort_by_parameter_order=True),
                            [values for _group, values in new])
    ids = [int(x) for x in inserted.scalars()]
    listing_rows: list[dict[str, Any]] = []
    for (group, values), alert_id in zip(new, ids, strict=True):
        rows = _listing_rows(group, current, alert_id, set(), values["created_at"])
        listing_rows.extend(rows)
        # The alert as a read would give it: no need to read back what was just written.
        alert = _alert_from({**values, "id": alert_id})
        alert.listings.extend(_listing_of(r) for r in rows)
        _order_listings(alert)
        (result.reopened if alert.status == "reopened" else result.raised).append(alert)
        result.alert_of.update(((group.party.id, entity_id), alert_id) for entity_id in group.matches)
    if listing_rows:
        conn.execute(alert_listings.insert(), listing_rows)


def _has_rows(conn: Connection, alert_id: int) -> bool:
    return conn.execute(select(alert_listings.c.alert_id).where(alert_listings.c.alert_id == alert_id).limit(1)).first() is not None


def _row_of(alert_id: int, x: AlertListing) -> dict[str, Any]:
    return {
        "alert_id": alert_id, "entity_id": x.entity_id, "list_key": x.list_key, "source_id": x.source_id,
        "name": x.name, "version_id": x.version_id, "entity_hash": x.entity_hash, "score": x.score,
        "matched_name": x.matched_name, "added_at": x.added_at, "removed_by_version": x.removed_by_version,
    }


@dataclass(frozen=True)
class ListedHit:
    """A match of a party on a listed entity, as order and payment screening report it."""

    entity_id: str
    list_key: str
    score: float
    matched_name: str
    name_kind: str | None
    explanation: Any


def raise_listed_alerts(
    conn: Connection, found: Iterable[tuple[PartyInput, Sequence[ListedHit]]], versions: Mapping[str, VersionInfo]
) -> RaiseResult:
    """Register the parties (created or updated) and raise alerts for their hits on the list
    versions in ``versions`` (list key -> version), with the usual suppression. Hits on a
    list not in ``versions``, or on an entity not in its version, raise nothing."""
    batch = list(found)
    if not batch:
        return RaiseResult()
    upsert = upsert_parties(conn, [party for party, _hits in batch])
    parties = {p.id: p for p in [*upsert.created, *upsert.updated, *upsert.unchanged]}
    wanted: dict[int, set[str]] = {}
    for _party, hits in batch:
        for h in hits:
            v = versions.get(h.list_key)
            if v is not None:
                wanted.setdefault(v.id, set()).add(h.entity_id)
    hashes = record_hashes(conn, wanted)
    candidates: list[Candidate] = []
    for party_input, hits in batch:
        party = parties.get(party_input.id)
        seen: set[str] = set()
        for h in hits:
            v = versions.get(h.list_key)
            record_hash = hashes.get((v.id, h.entity_id)) if v is not None else None
            if party is None or v is None or record_hash is None or h.entity_id in seen:
                continue
            seen.add(h.entity_id)
            candidates.append(Candidate(
                party=party, entity_id=h.entity_id, list_key=h.list_key, version_id=v.id, entity_hash=record_hash,
                score=h.score, matched_name=h.matched_name, name_kind=h.name_kind, explanation=h.explanation,
            ))
    return raise_alerts(conn, candidates)


RECORD_HASH_CACHE_SIZE = 200_000  # (version id, entity id) -> record hash kept per store


_RECORD_HASHES = (select(version_entities.c.entity_id, version_entities.c.record_hash)  # built once
                  .where(version_entities.c.version_id == bindparam("version"))
                  .where(version_entities.c.entity_id.in_(bindparam("ids", expanding=True))))


def record_hashes(conn: Connection, wanted: Mapping[int, Iterable[str]]) -> dict[tuple[int, str], str]:
    """record_hash of each (version id, entity id) asked for (those in the version)."""
    # A loaded version never changes: what was read of it holds while the engine lives.
    cache: dict[tuple[int, str], str] = facts_cache(conn, "record_hashes")
    out: dict[tuple[int, str], str] = {}
    for version_id, ids in wanted.items():
        id_list = []
        for entity_id in sorted(set(ids)):
            known = cache.get((version_id, entity_id))
            if known is None:
                id_list.append(entity_id)
            else:
                out[(version_id, entity_id)] = known
        for start in range(0, len(id_list), 500):
            rows = conn.execute(_RECORD_HASHES, {"version": version_id, "ids": id_list[start:start + 500]})
            for row in rows:
                out[(version_id, row.entity_id)] = row.record_hash
    if len(cache) + len(out) > RECORD_HASH_CACHE_SIZE:
        cache.clear()
    cache.update(out)
    return out


def close_delisted(conn: Connection, entity_ids: Iterable[str], version_id: int, list_key: str) -> list[Alert]:
    """Mark the listings removed from ``list_key`` in ``version_id`` on the active alerts
    that cover them, and close the alerts all of whose listings are now removed."""
    removed = set(entity_ids)
    closed: list[Alert] = []
    now = _now()
    reason = f"entity delisted: absent from {list_key} version {version_id}"
    ids = _alerts_covering(conn, removed)
    for start in range(0, len(ids), 500):
        rows = list(conn.execute(
            select(alerts).where(alerts.c.id.in_(ids[start:start + 500])).where(alerts.c.status.in_(ACTIVE_STATUSES))
        ))
        for alert in _with_listings(conn, [_alert(r) for r in rows]):
            gone = [x.entity_id for x in alert.listings if x.entity_id in removed and x.removed_by_version is None]
            if _has_rows(conn, alert.id) and gone:
                conn.execute(
                    update(alert_listings).where(alert_listings.c.alert_id == alert.id)
                    .where(alert_listings.c.entity_id.in_(gone)).values(removed_by_version=version_id)
                )
            for x in alert.listings:
                if x.entity_id in removed and x.removed_by_version is None:
                    x.removed_by_version = version_id
            if any(x.removed_by_version is None for x in alert.listings):
                continue  # still listed elsewhere: the alert stays
            conn.execute(
                update(alerts).where(alerts.c.id == alert.id)
                .values(status="closed", closed_by_version=version_id, closed_reason=reason, updated_at=now)
            )
            alert.status, alert.closed_by_version, alert.closed_reason, alert.updated_at = "closed", version_id, reason, now
            closed.append(alert)
    return closed


def get_alert(conn: Connection, alert_id: int) -> Alert | None:
    return _get_alerts(conn, [alert_id]).get(alert_id)


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
    """Alerts, filtered; ``entity_id`` and ``list_key`` match any listing an alert covers."""
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
        q = q.where(alerts.c.id.in_(_alerts_covering(conn, [entity_id])))
    if list_key is not None:
        q = q.where(
            (alerts.c.list_key == list_key)
            | alerts.c.id.in_(select(alert_listings.c.alert_id).where(alert_listings.c.list_key == list_key))
        )
    q = q.order_by(alerts.c.id.desc() if newest_first else alerts.c.id)
    if limit is not None:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    return _with_listings(conn, [_alert(r) for r in conn.execute(q)])


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
    seen_decisions: int | None = None,
) -> DecisionResult:
    """Record a reviewer's decision on an alert (and an audit entry), in the caller's
    transaction. ``true_match`` escalates; ``false_positive`` clears (see four-eyes).

    ``seen_decisions``: how many decisions the alert had when the reviewer looked at it.
    When another reviewer decided since, the decision is refused (DecisionError, HTTP
    409) naming who decided what: two people deciding at once never silently overrule
    each other."""
    if decision not in DECISIONS:
        raise DecisionError(f"unknown decision '{decision}': use one of {', '.join(DECISIONS)}")
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError("a decision needs a reason")
    if not reviewer:
        raise DecisionError("a decision needs a reviewer")
    four_eyes = four_eyes_default() if four_eyes is None else four_eyes
    # Lock the alert before reading it: a decision taken at the same moment by another
    # process waits for this one and then reads it.
    lock_rows(conn, alerts.c.id, [alert_id], touch=alerts.c.status)
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        raise DecisionError(f"no alert {alert_id}")
    alert = _with_listings(conn, [_alert(row)])[0]
    if seen_decisions is not None:
        newer = decisions(conn, alert_id)[seen_decisions:]
        if newer:
            taken = "; ".join(f"{d.reviewer} decided {d.decision} ({d.effect}) at {d.at}" for d in newer)
            raise DecisionError(f"alert {alert_id} was decided since you opened it: {taken}. Reload it and "
                                "decide again if you still disagree")
    if alert.status not in ACTIVE_STATUSES:
        history = decisions(conn, alert_id)
        by = f" by {history[-1].reviewer} at {history[-1].at}" if history else ""
        raise DecisionError(f"alert {alert_id} is {alert.status}{by}: decisions are taken on open, reopened or "
                            "escalated alerts")
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
            "listings": [
                {"entity": x.entity_id, "list_version": x.version_id, "entity_hash": x.entity_hash}
                for x in alert.listings
            ],
            "decision": decision,
            "reason": reason,
            "previous_status": previous_status,
            "effect": effect,
            "four_eyes": four_eyes,
        },
        subject=alert.party_id,
    )
    return DecisionResult(alert, record, effect == PENDING)
