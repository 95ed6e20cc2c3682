"""The parties behind the listings, kept in the store per set of list versions in force.

:func:`tradeguard.screening.links.link_entities` groups the listings of one party; this
module runs it over every active list version and keeps the result, keyed by the versions
in force (and :data:`RULES_VERSION`): a load that changes what is in force gets new groups
on the next call, a load that changes nothing (identical file, older history) keeps them.

What a load changed is all that is derived again. The costly part of linking is deriving
each entity's blocking keys (its names analysed, its identifiers and references read):
they depend on the entity alone, so they are kept per entity record (``link_keys``, by the
record's content hash, which a new version shares with the last for every entry it did
not change). A new version of one list derives the keys of its new and changed entries
only; the groups are then rebuilt from the keys of everything in force (a fast pass) and
replace the previous set.

Tables (on the shared ``metadata``; created on first use, or by ``db.connect()`` once this
module is imported):

* ``link_runs``: one row per computed set: the versions, counts and what was dropped.
* ``link_members``: the listings of every group of two or more (singletons are not stored),
  with what a result needs to show them: list, source id, name, programmes, listing date.
* ``link_edges``: the links of each group, with their evidence (JSON).
* ``link_keys``: the blocking keys of each entity record (JSON), with the rules version
  that derived them.

Use :func:`party_of` (one listing) or :func:`parties_of` (many, one query per 500).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    delete,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from tradeguard.model import Entity
from tradeguard.screening.links import (
    Evidence,
    Link,
    Linkage,
    StatedKeys,
    entity_keys,
    link_entities,
    list_regime,
    regime_rank,
)
from tradeguard.store.db import (
    entity_records,
    facts_cache,
    insert_ignore,
    metadata,
    version_entities,
)
from tradeguard.store.lists import active_version_ids, active_versions, get_entities

__all__ = [
    "RULES_VERSION",
    "LinkRun",
    "Listing",
    "Party",
    "compute_links",
    "ensure_links",
    "link_edges",
    "link_keys",
    "link_members",
    "link_runs",
    "parties_of",
    "stored_run",
    "party_of",
]

# Part of the key of a stored set: bump it when the rules change, so stores recompute.
RULES_VERSION = "2"
_BATCH = 500

link_runs = Table(
    "link_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("versions_key", String(64), nullable=False, unique=True),
    Column("versions", Text, nullable=False),  # JSON [{list, version}]
    Column("rules_version", String(16), nullable=False),
    Column("computed_at", String(40), nullable=False),
    Column("seconds", Float, nullable=False),
    Column("entity_count", Integer, nullable=False),
    Column("group_count", Integer, nullable=False),
    Column("link_count", Integer, nullable=False),
    Column("notes", Text, nullable=False),  # JSON: dropped keys, refused and kept-apart counts
)

link_members = Table(
    "link_members",
    metadata,
    Column("run_id", Integer, ForeignKey("link_runs.id"), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("group_id", String(220), nullable=False),
    Column("list_key", String(64), nullable=False),
    Column("source_id", String(160), nullable=False),
    Column("schema", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("programs", Text, nullable=False),  # JSON list
    Column("listed_on", String(40)),
)
Index("ix_link_members_group", link_members.c.run_id, link_members.c.group_id)

link_edges = Table(
    "link_edges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("link_runs.id"), nullable=False),
    Column("group_id", String(220), nullable=False),
    Column("entity_a", String(200), nullable=False),
    Column("entity_b", String(200), nullable=False),
    Column("rule", String(32), nullable=False),  # the strongest rule of the evidence
    Column("evidence", Text, nullable=False),  # JSON [Evidence.to_dict()]
)
Index("ix_link_edges_group", link_edges.c.run_id, link_edges.c.group_id)

link_keys = Table(
    "link_keys",
    metadata,
    Column("record_hash", String(64), primary_key=True),  # entity_records.hash
    Column("rules_version", String(16), nullable=False),
    Column("key_json", Text, nullable=False),  # JSON StatedKeys
)

_TABLES = (link_runs, link_members, link_edges, link_keys)
_READY: weakref.WeakSet[Engine] = weakref.WeakSet()  # engines whose store has the tables

@dataclass(frozen=True)
class LinkRun:
    """A stored set of groups: for which versions, when, and what it found."""

    id: int
    versions: list[dict[str, Any]]
    computed_at: str
    seconds: float
    entity_count: int
    group_count: int
    link_count: int
    notes: dict[str, Any]
    computed: bool = False  # computed by this call (not found stored)
    versions_key: str = ""  # the digest of the rules and versions it is for

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.id,
            "versions": self.versions,
            "computed_at": self.computed_at,
            "seconds": round(self.seconds, 2),
            "entities": self.entity_count,
            "groups": self.group_count,
            "links": self.link_count,
            "notes": self.notes,
        }


# ``Listing.list`` (the list key) shadows the builtin inside the class body.
_List = list


@dataclass(frozen=True)
class Listing:
    """One listing of a party, as results show it."""

    entity_id: str
    list: str
    source_id: str
    schema: str
    name: str
    programs: _List[str]
    listed_on: str | None

    @property
    def regime(self) -> str:
        return list_regime(self.list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "list": self.list,
            "regime": self.regime,
            "source_id": self.source_id,
            "schema": self.schema,
            "name": self.name,
            "programs": self.programs,
            "listed_on": self.listed_on,
        }


@dataclass
class Party:
    """A listed party: every listing of it (one, when nothing links it) and the links."""

    id: str
    listings: list[Listing]
    links: list[Link] = field(default_factory=list)

    @property
    def lists(self) -> list[str]:
        return sorted({x.list for x in self.listings})

    @property
    def regimes(self) -> list[str]:
        ranked = sorted(self.listings, key=lambda x: regime_rank(x.list))
        return list(dict.fromkeys(x.regime for x in ranked))

    def summary(self) -> dict[str, Any]:
        """The party as match and screen results carry it (``to_dict`` without the links)."""
        return {
            "id": self.id,
            "lists": self.lists,
            "regimes": self.regimes,
            "listings": [x.to_dict() for x in self.listings],
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "links": [link.to_dict() for link in self.links]}


def _listing(entity: Entity) -> Listing:
    return Listing(
        entity.entity_id, entity.list, entity.source_id, entity.schema, entity.caption,
        list(entity.programs), entity.listed_on,
    )


def _sorted_listings(listings: Iterable[Listing]) -> list[Listing]:
    return sorted(listings, key=lambda x: (regime_rank(x.list), x.source_id))


# --- computing and storing ----------------------------------------------------------------


def _ensure_tables(conn: Connection) -> None:
    """Create the tables on first use, for an engine not made by ``db.connect()`` (which
    creates them)."""
    if conn.engine not in _READY:
        metadata.create_all(conn, tables=list(_TABLES), checkfirst=True)
        _READY.add(conn.engine)


def _versions_in_force(conn: Connection) -> tuple[str, list[dict[str, Any]]]:
    return _versions_key(active_version_ids(conn))


def _versions_key(pairs: Iterable[tuple[str, int]]) -> tuple[str, list[dict[str, Any]]]:
    """The digest a run of these (list key, version id) is stored under, and the versions."""
    versions = [{"list": list_key, "version": version_id} for list_key, version_id in sorted(pairs)]
    basis = json.dumps({"rules": RULES_VERSION, "versions": versions}, sort_keys=True)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest(), versions


def _run_from_row(row: Any, computed: bool = False) -> LinkRun:
    return LinkRun(
        row.id, json.loads(row.versions), row.computed_at, row.seconds, row.entity_count,
        row.group_count, row.link_count, json.loads(row.notes), computed, row.versions_key,
    )


def _stored_run(conn: Connection) -> LinkRun | None:
    key, _ = _versions_in_force(conn)
    return _run_stored_under(conn, key)


def _run_stored_under(conn: Connection, key: str) -> LinkRun | None:
    # Kept once read while the engine lives: the versions in force only move forward (a
    # newer list date, a later load), so the run of a set of versions is never replaced by
    # another run of the same set; only a later set's run replaces it.
    runs: dict[str, LinkRun] = facts_cache(conn, "link_runs")
    found = runs.get(key)
    if found is None:
        row = conn.execute(select(link_runs).where(link_runs.c.versions_key == key)).first()
        if row is None:
            return None
        if len(runs) > 100:
            runs.clear()
        found = runs[key] = _run_from_row(row)
    return found


def stored_run(bind: Engine | Connection, versions: Iterable[tuple[str, int]]) -> LinkRun | None:
    """The stored groups of these versions ((list key, version id) pairs), None when there
    are none: for a caller that knows the versions it screened against (no read of the
    versions in force; none at all once the run was read)."""
    key, _ = _versions_key(versions)
    if isinstance(bind, Engine):
        known = facts_cache(bind, "link_runs").get(key)
        if known is not None:
            return known
        with bind.connect() as conn:
            _ensure_tables(conn)
            return _run_stored_under(conn, key)
    return _run_stored_under(bind, key)


def _notes(linkage: Linkage) -> dict[str, Any]:
    dropped = sorted(linkage.dropped, key=lambda d: (-d.entries, d.rule, d.key))
    return {
        "dropped_keys": len(dropped),
        "dropped": [d.to_dict() for d in dropped[:50]],  # the most widely shared first
        "refused": linkage.refused,
        "kept_apart": linkage.kept_apart,
    }


def _entities_and_keys(conn: Connection) -> tuple[dict[str, Entity], dict[str, StatedKeys], int]:
    """Every entity in force, the blocking keys of each (stored ones reused, the others
    derived and stored), and how many records' keys were derived now."""
    entities: dict[str, Entity] = {}
    keys: dict[str, StatedKeys] = {}
    derived: dict[str, str] = {}  # record hash -> keys JSON
    stale: set[str] = set()
    for version in active_versions(conn):
        rows = conn.execute(
            select(version_entities.c.record_hash, entity_records.c.data, link_keys.c.rules_version,
                   link_keys.c.key_json)
            .join(entity_records, entity_records.c.hash == version_entities.c.record_hash)
            .outerjoin(link_keys, link_keys.c.record_hash == version_entities.c.record_hash)
            .where(version_entities.c.version_id == version.id)
        )
        for row in rows:
            entity = Entity.from_dict(json.loads(row.data))
            entities[entity.entity_id] = entity
            if row.key_json is not None and row.rules_version == RULES_VERSION:
                keys[entity.entity_id] = json.loads(row.key_json)
                continue
            if row.key_json is not None:
                stale.add(row.record_hash)
            found = keys[entity.entity_id] = entity_keys(entity)
            derived[row.record_hash] = json.dumps(found, ensure_ascii=False)  # key order kept: it orders the blocks
    stale_list = sorted(stale)
    for start in range(0, len(stale_list), _BATCH):
        conn.execute(delete(link_keys).where(link_keys.c.record_hash.in_(stale_list[start : start + _BATCH])))
    rows_out = [{"record_hash": h, "rules_version": RULES_VERSION, "key_json": k} for h, k in derived.items()]
    for start in range(0, len(rows_out), 2000):
        insert_ignore(conn, link_keys, rows_out[start : start + 2000])
    return entities, keys, len(derived)


def _compute_and_store(conn: Connection) -> LinkRun:
    key, versions = _versions_in_force(conn)
    started = time.perf_counter()
    entities, keys, derived = _entities_and_keys(conn)
    linkage = link_entities(entities.values(), known_keys=keys)
    notes = _notes(linkage)
    notes["keys_derived"] = derived  # entity records whose keys this run derived (the rest were stored)
    notes["seconds_total"] = round(time.perf_counter() - started, 2)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    old_runs = list(conn.execute(select(link_runs.c.id)).scalars())  # one stored set at a time
    if old_runs:
        conn.execute(delete(link_edges).where(link_edges.c.run_id.in_(old_runs)))
        conn.execute(delete(link_members).where(link_members.c.run_id.in_(old_runs)))
        conn.execute(delete(link_runs).where(link_runs.c.id.in_(old_runs)))
    inserted = conn.execute(
        link_runs.insert().values(
            versions_key=key, versions=json.dumps(versions), rules_version=RULES_VERSION,
            computed_at=now, seconds=linkage.seconds, entity_count=linkage.entity_count,
            group_count=len(linkage.groups), link_count=len(linkage.links()), notes=json.dumps(notes),
        )
    ).inserted_primary_key
    assert inserted is not None
    run_id = int(inserted[0])
    members: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for group in linkage.groups:
        for entity_id in group.members:
            e = entities[entity_id]
            members.append({
                "run_id": run_id, "entity_id": entity_id, "group_id": group.id, "list_key": e.list,
                "source_id": e.source_id, "schema": e.schema, "name": e.caption,
                "programs": json.dumps(e.programs, ensure_ascii=False), "listed_on": e.listed_on,
            })
        for link in group.links:
            edges.append({
                "run_id": run_id, "group_id": group.id, "entity_a": link.a, "entity_b": link.b,
                "rule": link.rule,
                "evidence": json.dumps([ev.to_dict() for ev in link.evidence], ensure_ascii=False),
            })
    for start in range(0, len(members), 2000):
        conn.execute(link_members.insert(), members[start : start + 2000])
    for start in range(0, len(edges), 2000):
        conn.execute(link_edges.insert(), edges[start : start + 2000])
    row = conn.execute(select(link_runs).where(link_runs.c.id == run_id)).one()
    return _run_from_row(row, computed=True)


def compute_links(bind: Engine | Connection) -> LinkRun:
    """Compute the groups of the versions in force and store them (replacing any other
    stored set), whether or not they are stored already."""
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            _ensure_tables(conn)
            return _compute_and_store(conn)
    owned = not bind.in_transaction()
    _ensure_tables(bind)
    run = _compute_and_store(bind)
    if owned:
        bind.commit()
    return run


_COMPUTING = threading.Lock()


def ensure_links(bind: Engine | Connection) -> LinkRun:
    """The stored groups of the versions in force, computed and stored first if missing.

    With an Engine, the computation runs in its own transaction. With a Connection, it runs
    in the connection's transaction: committed here when the connection had none open,
    else left to the caller to commit.
    """
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            _ensure_tables(conn)
            conn.commit()
            found = _stored_run(conn)
        if found is not None:
            return found
        # One computation per process at a time: the threads of a server that all need the
        # groups at once wait for it and then read what it stored.
        with _COMPUTING:
            try:
                with bind.begin() as conn:
                    return _stored_run(conn) or _compute_and_store(conn)
            except IntegrityError:  # another process stored the same set meanwhile
                with bind.connect() as conn:
                    found = _stored_run(conn)
                if found is None:
                    raise
                return found
    owned = not bind.in_transaction()
    _ensure_tables(bind)
    found = _stored_run(bind)
    if found is not None:
        return found
    run = _compute_and_store(bind)
    if owned:
        bind.commit()
    return run


# --- reading ------------------------------------------------------------------------------


# Built once (a statement's cache key is computed once per object): a party is read on the
# first hit on each listing, in the request that hits it.
_MEMBERS_OF_GROUPS_OF = select(link_members).where(link_members.c.run_id == bindparam("run")).where(
    link_members.c.group_id.in_(
        select(link_members.c.group_id).where(link_members.c.run_id == bindparam("run"))
        .where(link_members.c.entity_id.in_(bindparam("ids", expanding=True))).scalar_subquery()
    )
)
_EDGES_OF = (select(link_edges).where(link_edges.c.run_id == bindparam("run"))
             .where(link_edges.c.group_id.in_(bindparam("groups", expanding=True)))
             .order_by(link_edges.c.entity_a, link_edges.c.entity_b))


def _read_parties(conn: Connection, run_id: int, entity_ids: Sequence[str], links_too: bool = True) -> dict[str, Party]:
    """The parties of those of ``entity_ids`` that the run links (two queries a batch: the
    members of their groups, then the groups' links, unless not ``links_too``)."""
    listings: dict[str, list[Listing]] = {}
    links: dict[str, list[Link]] = {}
    group_of: dict[str, str] = {}
    wanted = set(entity_ids)
    for start in range(0, len(entity_ids), _BATCH):
        read_before = set(listings)
        for r in conn.execute(_MEMBERS_OF_GROUPS_OF, {"run": run_id, "ids": list(entity_ids[start : start + _BATCH])}):
            if r.entity_id in wanted:
                group_of[r.entity_id] = r.group_id
            if r.group_id not in read_before:
                listings.setdefault(r.group_id, []).append(Listing(
                    r.entity_id, r.list_key, r.source_id, r.schema, r.name, json.loads(r.programs), r.listed_on))
        new_groups = sorted(set(listings) - read_before)
        if not new_groups or not links_too:
            continue
        for g in new_groups:
            links[g] = []
        for r in conn.execute(_EDGES_OF, {"run": run_id, "groups": new_groups}):
            evidence = tuple(Evidence.from_dict(e) for e in json.loads(r.evidence))
            links[r.group_id].append(Link(r.entity_a, r.entity_b, evidence))
    parties = {g: Party(g, _sorted_listings(listings[g]), links.get(g, [])) for g in listings}
    return {entity_id: parties[g] for entity_id, g in group_of.items()}


def parties_of(
    bind: Engine | Connection, entity_ids: Iterable[str], versions: Iterable[tuple[str, int]] | None = None,
    *, links: bool = True,
) -> dict[str, Party]:
    """The party of each of ``entity_ids`` that is in an active list version (computing
    and storing the groups first if the versions in force have none). ``versions``: the
    (list key, version id) the caller screened against; their stored groups are used when
    there are some, without reading which versions are in force. Not ``links``: the parties
    without the evidence linking their listings (``Party.links`` empty), for a caller that
    needs only the listings (screening a hit, raising its alert): less to read and parse.

    Returns:
        entity id -> :class:`Party`; an entity that nothing links is a party of one
        listing, and an entity id in no active version is left out.

    Example:
        >>> parties_of(engine, ["un_sc-6908033"])["un_sc-6908033"].regimes
        ['UN', 'UK', 'AU']
    """
    wanted = list(dict.fromkeys(entity_ids))
    run = (stored_run(bind, versions) if versions is not None else None) or ensure_links(bind)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return _parties(conn, run, wanted, links)
    return _parties(bind, run, wanted, links)


def party_summaries(
    bind: Engine, entity_ids: Iterable[str], versions: Iterable[tuple[str, int]] | None = None,
) -> dict[str, dict[str, Any]]:
    """:meth:`Party.summary` of the party of each of ``entity_ids`` (as :func:`parties_of`
    finds them, without their links, which a summary leaves out): what screening shows of
    a hit's listed party."""
    return {entity_id: party.summary() for entity_id, party in parties_of(bind, entity_ids, versions, links=False).items()}


PARTY_CACHE_SIZE = 100_000  # (versions key of a run, entity id) -> party, kept per store
_UNREAD: Any = object()


def _parties(conn: Connection, run: LinkRun, wanted: list[str], links_too: bool = True) -> dict[str, Party]:
    """The parties of ``wanted``, whole or (not ``links_too``) without their links: each
    kind read once and kept in its own cache (a whole party serves either)."""
    # The groups of a set of versions are what the rules make of them, whichever run stored
    # them: what was read (an entity's party, or None when it is in none of the versions)
    # holds while the engine lives. The parties are shared: callers only read them.
    whole: dict[tuple[str, str], Party | None] = facts_cache(conn, "parties")
    caches = [whole] if links_too else [whole, facts_cache(conn, "parties_without_links")]
    kept = caches[-1]
    known: dict[str, Party | None] = {}
    missing: list[str] = []
    for entity_id in wanted:  # (get, not `in` then [ ]: another thread may clear the cache between)
        for cache in caches:
            hit = cache.get((run.versions_key, entity_id), _UNREAD)
            if hit is not _UNREAD:
                known[entity_id] = hit
                break
        else:
            missing.append(entity_id)
    if missing:
        found = _read_parties(conn, run.id, missing, links_too)
        in_run = {v["list"]: int(v["version"]) for v in run.versions}
        alone = get_entities(conn, [entity_id for entity_id in missing if entity_id not in found], in_run)
        for entity_id, entity in alone.items():
            found[entity_id] = Party(f"party-{entity_id}", [_listing(entity)], [])
        if len(kept) + len(missing) > PARTY_CACHE_SIZE:
            kept.clear()
        for entity_id in missing:
            known[entity_id] = kept[(run.versions_key, entity_id)] = found.get(entity_id)
    return {entity_id: party for entity_id in wanted if (party := known[entity_id]) is not None}


def party_of(bind: Engine | Connection, entity_id: str) -> Party | None:
    """The party behind one listing: its listings across lists and the evidence linking
    them; None when ``entity_id`` is in no active list version.

    Example:
        >>> party = party_of(engine, "gb_hmt-10892")
        >>> [(x.list, x.source_id) for x in party.listings]
        [('un_sc', '690735'), ('gb_hmt', '10892'), ('au_dfat', '1113')]
    """
    return parties_of(bind, [entity_id]).get(entity_id)
