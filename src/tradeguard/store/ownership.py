"""Ownership edges and order-screening history in the store.

Tables (on the shared ``metadata``; ``db.connect()`` creates them once this module is
imported):

* ``ownership_loads`` / ``ownership_edges``: user ownership CSVs loaded with
  ``tradeguard ownership load FILE``. A load is atomic (the whole file is parsed before one
  transaction writes it) and replaces the edges loaded earlier from the same file path;
  loading identical content again is a no-op.
* ``order_screenings``: one row per screened order file (counts, list versions, the HTML
  report), so the service can show and serve the evidence later.
* ``order_party_history``: the first and last time each order party name was seen, for the
  "party first seen recently" red flag.

Ownership per regime (:func:`regime_results`): the graph is the stored user edges plus the
ownership/control relations that the active list versions state
(:func:`tradeguard.screening.ownership.edges_from_entities`). Who counts as *listed* for a
regime (:data:`REGIME_LISTS`):

* ``ofac``: entities of the active ``us_ofac_sdn`` version (the SDN list; the 50 percent
  rule is about blocked persons, so the non-SDN consolidated lists are left out), the
  ``us_csl`` entries whose sub-list is the SDN, and ``un_sc``;
* ``eu``: ``eu_fsf`` and ``un_sc``;
* ``uk``: ``gb_hmt`` (OFSI consolidated list), ``gb_fcdo`` (UK Sanctions List) and ``un_sc``.

UN Security Council listings count for all three: the EU and the UK give effect to them
automatically, and the US designates UN-listed persons as SDNs. A graph node is listed when
it is the id of such an entity (``<list>-<source id>``, as loaded), or a name equal to one
of the entity's primary or alias names after normalisation (:func:`name_key`: the matching
engine's tokens — transliterated, lower case, punctuation dropped — joined by one space; a
casefold-and-whitespace rule if the engine is not installed). Weak aliases do not count.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
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
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection

from tradeguard.model import Entity
from tradeguard.screening.ownership import (
    REGIMES,
    Edge,
    OwnershipGraph,
    OwnershipResult,
    Share,
    compute_blocked,
    edges_from_entities,
    load_edges_csv,
)
from tradeguard.sources.base import SourceError
from tradeguard.store.db import metadata
from tradeguard.store.lists import VersionInfo, active_versions, iter_version_entities

__all__ = [
    "REGIME_LISTS",
    "LoadOutcome",
    "OwnershipContext",
    "OwnershipHit",
    "OwnershipMap",
    "PartyHistory",
    "load_ownership_file",
    "name_key",
    "order_party_history",
    "order_screening_lines",
    "order_screenings",
    "ownership_edges",
    "ownership_loads",
    "stored_edges",
]

ownership_loads = Table(
    "ownership_loads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("loaded_from", Text, nullable=False),  # the file's absolute path
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("loaded_at", String(40), nullable=False),
    Column("edge_count", Integer, nullable=False),
)

ownership_edges = Table(
    "ownership_edges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("load_id", Integer, ForeignKey("ownership_loads.id"), nullable=False, index=True),
    Column("owner", Text, nullable=False),
    Column("owned", Text, nullable=False),
    Column("share", String(200), nullable=False),  # the canonical label ("50", "25-50", ">50")
    Column("share_low", Float, nullable=False),  # percent bounds, as parsed
    Column("share_high", Float, nullable=False),
    Column("joint", Integer, nullable=False),
    Column("control", Integer, nullable=False),
    Column("source", Text),
    Column("date", String(40)),
    Column("loaded_from", Text, nullable=False),
    Column("loaded_at", String(40), nullable=False),
)

order_screenings = Table(
    "order_screenings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("screened_at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("lines", Integer, nullable=False),
    Column("counts", Text, nullable=False),  # JSON {block, review, clear, skipped}
    Column("summary", Text, nullable=False),  # JSON summary (see screening.reports)
    Column("report_html", Text, nullable=False),
    # "orders" or "shipments" (NULL in stores from before shipments: orders).
    Column("kind", String(20), nullable=True),
)

SCREENING_KINDS = ("orders", "shipments")

# The per-line results of a screened order or shipment file, written in the transaction
# that stores the screening (so every server worker can show and download them, for good).
order_screening_lines = Table(
    "order_screening_lines",
    metadata,
    Column("screening_id", Integer, ForeignKey("order_screenings.id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),  # 0-based, in file order
    Column("verdict", String(10), nullable=False),
    Column("result", Text, nullable=False),  # JSON {line, row, verdict, reasons: [finding...]}
)

order_party_history = Table(
    "order_party_history",
    metadata,
    Column("name_key", String(400), primary_key=True),  # name_key(name)[:HISTORY_KEY_LENGTH]
    Column("name", Text, nullable=False),  # as first written
    Column("first_seen", String(40), nullable=False),  # ISO UTC
    Column("last_seen", String(40), nullable=False),
    Column("first_file", String(64), nullable=False),  # sha256 of the order file
    Column("first_file_name", Text, nullable=False),
    Column("times_seen", Integer, nullable=False),  # order files it was seen in
)
Index("ix_order_party_history_first_seen", order_party_history.c.first_seen)

REGIME_LISTS: dict[str, tuple[str, ...]] = {
    "ofac": ("us_ofac_sdn", "us_csl", "un_sc"),
    "eu": ("eu_fsf", "un_sc"),
    "uk": ("gb_hmt", "gb_fcdo", "un_sc"),
}
# us_csl merges many sub-lists: only its SDN entries are blocked persons for OFAC.
_CSL_SDN = "SDN"

BATCH = 2000
HISTORY_KEY_LENGTH = 400


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    try:
        from tradeguard.matching.normalize import tokenize
    except ImportError:  # pragma: no cover - the engine ships with tradeguard
        return None
    return tokenize


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """A name as compared for exact equality: the matching engine's normalised tokens
    (transliterated to Latin, lower case, punctuation dropped) joined by one space."""
    tokenize = _tokenizer()
    if tokenize is not None:
        key = " ".join(tokenize(name))
        if key:
            return key
    return " ".join(name.split()).casefold()


# --- loading user ownership files ---------------------------------------------------------


@dataclass
class LoadOutcome:
    status: str  # "loaded" | "unchanged"
    load_id: int
    edges: int
    replaced: int  # edges of earlier loads of the same file that were removed
    message: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_ownership_file(engine: Engine, path: str | Path) -> LoadOutcome:
    """Load a user ownership CSV (``owner, owned, share, joint, control, source, date``).

    The whole file is read first: any bad row raises SourceError naming the file and line,
    and nothing is stored. The edges replace those of earlier loads from the same path, in
    one transaction. Identical content already loaded from that path is a no-op.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceError(path, None, "no such file")
    edges = load_edges_csv(path)  # SourceError names file + line
    if not edges:
        raise SourceError(path, None, "no ownership rows below the header")
    where = str(path.resolve())
    sha = _sha256(path)
    now = _now()
    with engine.begin() as conn:
        earlier = list(conn.execute(select(ownership_loads).where(ownership_loads.c.loaded_from == where)))
        if earlier and earlier[-1].sha256 == sha:
            last = earlier[-1]
            return LoadOutcome(
                "unchanged", last.id, last.edge_count, 0,
                f"{path}: identical to the load of {last.loaded_at} ({last.edge_count} edges): nothing to load",
            )
        replaced = 0
        for old in earlier:
            replaced += conn.execute(delete(ownership_edges).where(ownership_edges.c.load_id == old.id)).rowcount or 0
            conn.execute(delete(ownership_loads).where(ownership_loads.c.id == old.id))
        inserted = conn.execute(
            ownership_loads.insert().values(
                loaded_from=where, file_name=path.name, sha256=sha, loaded_at=now, edge_count=len(edges)
            )
        ).inserted_primary_key
        assert inserted is not None
        load_id = int(inserted[0])
        rows = [
            {
                "load_id": load_id,
                "owner": e.owner,
                "owned": e.owned,
                "share": e.share.label,
                "share_low": e.share.low,
                "share_high": e.share.high,
                "joint": int(e.joint),
                "control": int(e.control),
                "source": e.source,
                "date": e.date,
                "loaded_from": where,
                "loaded_at": now,
            }
            for e in edges
        ]
        for start in range(0, len(rows), BATCH):
            conn.execute(ownership_edges.insert(), rows[start:start + BATCH])
    note = f", replacing {replaced} edge(s) of the earlier load" if replaced else ""
    return LoadOutcome("loaded", int(load_id), len(edges), replaced,
                       f"{path}: loaded {len(edges)} ownership edge(s){note}")


def stored_edges(conn: Connection) -> list[Edge]:
    """Every user-loaded edge, in load order."""
    out: list[Edge] = []
    for row in conn.execute(select(ownership_edges).order_by(ownership_edges.c.id)):
        out.append(Edge(
            owner=row.owner,
            owned=row.owned,
            share=Share(float(row.share_low), float(row.share_high), row.share),
            joint=bool(row.joint),
            control=bool(row.control),
            source=row.source,
            date=row.date,
        ))
    return out


def ownership_loads_info(conn: Connection) -> list[dict[str, Any]]:
    return [
        {"load": r.id, "file": r.loaded_from, "sha256": r.sha256, "loaded_at": r.loaded_at, "edges": r.edge_count}
        for r in conn.execute(select(ownership_loads).order_by(ownership_loads.c.id))
    ]


# --- the graph and who is listed ------------------------------------------------------------


@dataclass
class OwnershipHit:
    """A node of the ownership graph that is blocked, cannot be excluded, or has caution
    flags under one regime (listed nodes are left to name screening)."""

    regime: str
    result: OwnershipResult


def _listed_for(entity: Entity, regime: str) -> bool:
    if entity.list not in REGIME_LISTS[regime]:
        return False
    if entity.list == "us_csl":
        return regime == "ofac" and _CSL_SDN in (entity.extra.get("csl_source") or [])
    return True


def _entity_names(entity: Entity) -> list[str]:
    return [n.value for n in entity.names if n.kind != "weak_alias" and n.value]


@dataclass
class OwnershipMap:
    """Order-party name key -> ownership hits, with the sources to cite."""

    hits: dict[str, list[OwnershipHit]]
    source: str  # where the edges come from
    listed_source: dict[str, str]  # regime -> which list versions count as listed
    regimes: tuple[str, ...] = ("ofac", "eu", "uk")


@dataclass
class OwnershipContext:
    """The ownership graph of the store, with who is listed under each regime.

    Build it once (:meth:`from_store`) and query it for every regime and every order line.
    """

    edges: list[Edge]
    user_edges: int
    list_edges: int
    versions: list[VersionInfo]
    listed_ids: dict[str, set[str]]  # regime -> entity ids
    listed_names: dict[str, dict[str, str]]  # regime -> name key -> entity id
    entity_names: dict[str, list[str]]  # entity id -> names (for id nodes)
    loads: list[dict[str, Any]] = field(default_factory=list)
    _graph: OwnershipGraph | None = field(default=None, repr=False)
    _results: dict[tuple[str, float], list[OwnershipResult]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_store(
        cls,
        engine: Engine | Connection,
        entities: Iterable[Entity] | None = None,
        versions: Sequence[VersionInfo] | None = None,
    ) -> OwnershipContext:
        """The graph of the store. Pass ``entities`` and their ``versions`` (e.g. those a
        Screener already read: every active entity) to avoid reading the lists again."""
        if isinstance(engine, Connection):
            return cls._build(engine, entities, versions)
        with engine.connect() as conn:
            return cls._build(conn, entities, versions)

    @classmethod
    def _build(
        cls, conn: Connection, entities: Iterable[Entity] | None, versions: Sequence[VersionInfo] | None
    ) -> OwnershipContext:
        user = stored_edges(conn)
        if entities is None or versions is None:
            versions = active_versions(conn)
            chosen = list(versions)

            def source() -> Iterator[Entity]:
                for version in chosen:
                    yield from iter_version_entities(conn, version.id)

            entities = source()
        wanted = {key for keys in REGIME_LISTS.values() for key in keys}
        listed_ids: dict[str, set[str]] = {r: set() for r in REGIME_LISTS}
        listed_names: dict[str, dict[str, str]] = {r: {} for r in REGIME_LISTS}
        entity_names: dict[str, list[str]] = {}
        with_relations: list[Entity] = []
        for entity in entities:
            if entity.relations:
                with_relations.append(entity)
            if entity.list not in wanted:
                continue
            regimes = [r for r in REGIME_LISTS if _listed_for(entity, r)]
            if not regimes:
                continue
            names = _entity_names(entity)
            entity_names[entity.entity_id] = names
            for regime in regimes:
                listed_ids[regime].add(entity.entity_id)
                table = listed_names[regime]
                for name in names:
                    table.setdefault(name_key(name), entity.entity_id)
        from_lists = edges_from_entities(with_relations)
        with_edges = {e.source for e in from_lists}
        used = [v for v in versions if v.list_key in wanted or v.list_key in with_edges]
        return cls(
            edges=user + from_lists,
            user_edges=len(user),
            list_edges=len(from_lists),
            versions=used,
            listed_ids=listed_ids,
            listed_names=listed_names,
            entity_names=entity_names,
            loads=ownership_loads_info(conn),
        )

    @property
    def graph(self) -> OwnershipGraph:
        if self._graph is None:
            self._graph = OwnershipGraph.build(self.edges)
        return self._graph

    def listed_nodes(self, regime: str) -> list[str]:
        """Graph nodes that are listed under ``regime`` (by id, or by exact normalised name)."""
        ids = self.listed_ids[regime]
        names = self.listed_names[regime]
        return [node for node in self.graph.names if node in ids or name_key(node) in names]

    def listed_as(self, regime: str, node: str) -> str | None:
        """The listed entity id a node stands for under ``regime``, if any."""
        if node in self.listed_ids[regime]:
            return node
        return self.listed_names[regime].get(name_key(node))

    def results(self, regime: str, caution_share: float = 25.0) -> list[OwnershipResult]:
        regime = regime.casefold()
        if regime not in REGIMES or regime not in REGIME_LISTS:
            raise ValueError(f"unknown regime {regime!r}: expected one of {', '.join(REGIME_LISTS)}")
        key = (regime, caution_share)
        found = self._results.get(key)
        if found is None:
            found = compute_blocked(self.graph, self.listed_nodes(regime), regime, caution_share=caution_share)
            self._results[key] = found
        return found

    def sources(self) -> str:
        """Where the graph comes from, for reasons that cite it."""
        parts = [f"ownership file {Path(load['file']).name} (loaded {load['loaded_at']}, sha256 {load['sha256'][:12]})"
                 for load in self.loads]
        if self.list_edges:
            parts.append(f"{self.list_edges} ownership relation(s) stated by the active lists")
        return "; ".join(parts) if parts else "no ownership data"

    def listed_source(self, regime: str) -> str:
        keys = set(REGIME_LISTS[regime])
        refs = [f"{v.list_key} version {v.id} (list date {v.list_date})" for v in self.versions if v.list_key in keys]
        return f"listed under {regime.upper()}: " + (", ".join(refs) if refs else "no list of this regime is loaded")

    def hits(self, regimes: Iterable[str], caution_share: float = 25.0) -> dict[str, list[OwnershipHit]]:
        """Name key -> the regimes under which that node is blocked, cannot be excluded or
        carries caution flags (listed nodes are left out: name screening finds them).

        A node that is an entity id is also reachable by that entity's names."""
        out: dict[str, list[OwnershipHit]] = {}
        for regime in regimes:
            for res in self.results(regime, caution_share):
                if res.listed or (res.status == "not_blocked" and not res.caution):
                    continue
                keys = {name_key(res.entity)}
                keys.update(name_key(n) for n in self.entity_names.get(res.entity, ()))
                for key in keys:
                    out.setdefault(key, []).append(OwnershipHit(regime, res))
        return out

    def order_map(self, regimes: Iterable[str] = ("ofac", "eu", "uk"), caution_share: float = 25.0) -> OwnershipMap:
        """What order screening needs: hits by name key, and the sources to cite."""
        wanted = tuple(r.casefold() for r in regimes)
        return OwnershipMap(
            hits=self.hits(wanted, caution_share),
            source=self.sources(),
            listed_source={r: self.listed_source(r) for r in wanted},
            regimes=wanted,
        )


# --- order screening history ----------------------------------------------------------------


@dataclass
class Sighting:
    name: str
    first_seen: str
    first_file: str  # sha256
    first_file_name: str
    times_seen: int


@dataclass
class PartyHistory:
    """Order parties seen in earlier screened order files (name key -> first sighting)."""

    seen: dict[str, Sighting]
    earliest_other_file: str | None  # first time a *different* order file was screened
    file_sha: str = ""  # the file being screened now

    @classmethod
    def from_store(cls, engine: Engine | Connection, file_sha: str) -> PartyHistory:
        def read(conn: Connection) -> PartyHistory:
            seen = {
                r.name_key: Sighting(r.name, r.first_seen, r.first_file, r.first_file_name, r.times_seen)
                for r in conn.execute(select(order_party_history))
            }
            earliest = conn.execute(
                select(order_screenings.c.screened_at)
                .where(order_screenings.c.sha256 != file_sha)
                .order_by(order_screenings.c.screened_at)
                .limit(1)
            ).scalar()
            return cls(seen, earliest, file_sha)

        if isinstance(engine, Connection):
            return read(engine)
        with engine.connect() as conn:
            return read(conn)


def record_parties(conn: Connection, names: Iterable[str], file_sha: str, file_name: str) -> int:
    """Record the order parties of one screened file (first/last seen). Returns how many
    names were new."""
    now = _now()
    by_key: dict[str, str] = {}
    for name in names:
        key = name_key(name)[:HISTORY_KEY_LENGTH]
        if key and key not in by_key:
            by_key[key] = name
    if not by_key:
        return 0
    keys = sorted(by_key)
    known: dict[str, str] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        for row in conn.execute(
            select(order_party_history.c.name_key, order_party_history.c.first_file)
            .where(order_party_history.c.name_key.in_(chunk))
        ):
            known[row.name_key] = row.first_file
    new_rows = [
        {"name_key": k, "name": by_key[k], "first_seen": now, "last_seen": now, "first_file": file_sha,
         "first_file_name": file_name, "times_seen": 1}
        for k in keys if k not in known
    ]
    for start in range(0, len(new_rows), BATCH):
        conn.execute(order_party_history.insert(), new_rows[start:start + BATCH])
    old = [k for k in keys if k in known]
    for start in range(0, len(old), 500):
        chunk = old[start:start + 500]
        conn.execute(
            update(order_party_history)
            .where(order_party_history.c.name_key.in_(chunk))
            .values(last_seen=now, times_seen=order_party_history.c.times_seen + 1)
        )
    return len(new_rows)


def record_order_screening(
    conn: Connection,
    *,
    file_name: str,
    sha256: str,
    screened_at: str,
    actor: str,
    lines: int,
    counts: dict[str, int],
    summary: dict[str, Any],
    report_html: str,
    kind: str = "orders",
) -> int:
    """Store a screened order or shipment file (``kind``: one of :data:`SCREENING_KINDS`); its id."""
    if kind not in SCREENING_KINDS:
        raise ValueError(f"unknown screening kind {kind!r}: use one of {', '.join(SCREENING_KINDS)}")
    result = conn.execute(order_screenings.insert().values(
        file_name=file_name, sha256=sha256, screened_at=screened_at, actor=actor, lines=lines, kind=kind,
        counts=json.dumps(counts, sort_keys=True),
        summary=json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str),
        report_html=report_html,
    ))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def record_order_lines(conn: Connection, screening_id: int, lines: list[dict[str, Any]]) -> None:
    """Store the per-line results (``OrderResult.to_line()``) of a screening."""
    for start in range(0, len(lines), BATCH):
        conn.execute(order_screening_lines.insert(), [
            {"screening_id": screening_id, "seq": start + i, "verdict": line["verdict"],
             "result": json.dumps(line, ensure_ascii=False, sort_keys=True, default=str)}
            for i, line in enumerate(lines[start:start + BATCH])
        ])


def order_lines(conn: Connection, screening_id: int, verdict: str | None = None) -> list[dict[str, Any]] | None:
    """The per-line results of a screening in file order (only those of ``verdict`` when
    given); None when the screening has none stored (screened before they were kept)."""
    query = select(order_screening_lines.c.result).where(order_screening_lines.c.screening_id == screening_id)
    if verdict:
        query = query.where(order_screening_lines.c.verdict == verdict)
    found = [json.loads(r.result) for r in conn.execute(query.order_by(order_screening_lines.c.seq))]
    if found or not verdict:
        return found or None
    any_line = conn.execute(select(order_screening_lines.c.seq)
                            .where(order_screening_lines.c.screening_id == screening_id).limit(1)).first()
    return [] if any_line is not None else None


def list_order_screenings(conn: Connection, limit: int = 100, kind: str | None = None) -> list[dict[str, Any]]:
    """Screened order and shipment files, newest first (without the HTML); only those of
    ``kind`` ("orders" or "shipments") when given."""
    query = select(order_screenings.c.id, order_screenings.c.file_name, order_screenings.c.sha256,
                   order_screenings.c.screened_at, order_screenings.c.actor, order_screenings.c.lines,
                   order_screenings.c.counts, order_screenings.c.kind)
    if kind == "orders":
        query = query.where(or_(order_screenings.c.kind.is_(None), order_screenings.c.kind == "orders"))
    elif kind is not None:
        query = query.where(order_screenings.c.kind == kind)
    rows = conn.execute(query.order_by(order_screenings.c.id.desc()).limit(limit))
    return [
        {"id": r.id, "kind": r.kind or "orders", "file": r.file_name, "sha256": r.sha256,
         "screened_at": r.screened_at, "actor": r.actor, "lines": r.lines, "counts": json.loads(r.counts)}
        for r in rows
    ]


def get_order_report(conn: Connection, screening_id: int) -> tuple[dict[str, Any], str] | None:
    """(summary, report HTML) of a screened order file."""
    row = conn.execute(select(order_screenings).where(order_screenings.c.id == screening_id)).first()
    if row is None:
        return None
    return json.loads(row.summary), row.report_html


def iter_history(conn: Connection) -> Iterator[dict[str, Any]]:
    for r in conn.execute(select(order_party_history).order_by(order_party_history.c.first_seen)):
        yield {"name": r.name, "first_seen": r.first_seen, "last_seen": r.last_seen,
               "first_file": r.first_file_name, "times_seen": r.times_seen}
