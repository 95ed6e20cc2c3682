"""Party screening: the `Screener` facade used by the CLI, the API and Python callers.

    from tradeguard import Screener
    screener = Screener()                       # active lists from $TRADEGUARD_DB
    screener.match("Viktor Bout", schema="Person")
    screener.match_or_nearest(Query("Alabuga"))  # no match at 0.80: the nearest candidates below it
    for result in screener.screen([{"id": "c1", "name": "Rosneft"}]): ...
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from tradeguard.matching import DEFAULT_THRESHOLD, Match, Matcher, Query
from tradeguard.model import Entity
from tradeguard.screening.index_files import matcher_for
from tradeguard.store.db import connect
from tradeguard.store.lists import VersionInfo, active_versions

# Screening in worker processes pays off only for larger batches.
PARALLEL_MIN = 500
CHUNK = 128

# The lowest score that still means something: the calibration (docs/matching.md, section 6)
# and the index recall are measured down to 0.50, and a candidate below it shares little more
# than a common word with the query. Nearest candidates below the threshold are looked for
# down to here (as is the API's loose /search).
NEAREST_FLOOR: float = 0.5
# How many nearest candidates below the threshold to show when nothing reaches it.
NEAREST_LIMIT: int = 5
PARTY_CACHE = 50_000  # listed parties a screener keeps read


@dataclass
class PartyResult:
    id: str
    matches: list[Match]
    query: Query
    line: int | None = None

    def to_dict(self, parties: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
        return {"id": self.id, "matches": [match_dict(m, parties=parties) for m in self.matches]}


@dataclass
class ListsInForce:
    versions: list[VersionInfo] = field(default_factory=list)

    def to_dict(self) -> list[dict[str, Any]]:
        return [v.ref() for v in self.versions]

    def version_pairs(self) -> list[tuple[str, int]]:
        """(list key, version id) of each version."""
        return [(v.list_key, v.id) for v in self.versions]


def one_per_party(matches: Iterable[Match], parties: Mapping[str, dict[str, Any]]) -> list[Match]:
    """The best match of each listed party (``Screener.parties``), best first: of a party's
    listings, only its first match counts (``matches`` come best first); a match whose
    entity has no party stands for itself."""
    kept: list[Match] = []
    seen: set[str] = set()
    for m in matches:
        party = parties.get(m.entity.entity_id)
        key = party["id"] if party is not None else m.entity.entity_id
        if key not in seen:
            seen.add(key)
            kept.append(m)
    return kept


def match_dict(match: Match, *, below_threshold: bool = False,
               parties: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A match as JSON; a candidate below the threshold says so (``"below_threshold": true``);
    with ``parties`` (``Screener.parties``), the listed party it is one listing of."""
    data = {
        "list": match.entity.list,
        "source_id": match.entity.source_id,
        "entity_id": match.entity.entity_id,
        "name": match.entity.caption,
        "schema": match.entity.schema,
        "matched_name": match.matched_name,
        "name_kind": match.name_kind,
        "score": round(match.score, 4),
        "explanation": match.explanation,
    }
    if below_threshold:
        data["below_threshold"] = True
    if parties is not None and match.entity.entity_id in parties:
        data["party"] = parties[match.entity.entity_id]
    return data


@dataclass
class MatchResult:
    """One query's matches at the threshold or, when there are none, its nearest candidates
    below it (scores in [NEAREST_FLOOR, threshold)), which are not matches."""

    matches: list[Match]
    below_threshold: list[Match]  # empty whenever ``matches`` is not
    threshold: float

    def to_dict(self, parties: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
        return {"threshold": self.threshold, "matches": [match_dict(m, parties=parties) for m in self.matches],
                "below_threshold": [match_dict(m, below_threshold=True, parties=parties)
                                    for m in self.below_threshold]}


def _split_identifiers(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).replace("|", ";").split(";") if part.strip()]


def query_from_record(record: dict[str, Any]) -> Query:
    """A Query from an input record with keys name, schema, birth_date, country, identifiers, address."""
    name = str(record.get("name") or "").strip()
    if not name:
        raise ValueError("no name")
    return Query(
        name=name,
        schema=(str(record["schema"]).strip() or None) if record.get("schema") else None,
        birth_date=str(record["birth_date"]).strip() if record.get("birth_date") else None,
        country=str(record["country"]).strip() if record.get("country") else None,
        identifiers=_split_identifiers(record.get("identifiers")),
        address=str(record["address"]).strip() if record.get("address") else None,
    )


# The matcher a forked worker inherits from its parent (set just before the pool starts).
_WORKER_MATCHER: Matcher | None = None


def _worker_match(args: tuple[Query, int, float]) -> list[Match]:
    assert _WORKER_MATCHER is not None
    return _match_with(_WORKER_MATCHER, args)


class Screener:
    """Screens names and party records against the lists in force (or given entities)."""

    def __init__(
        self,
        db: str | None = None,
        *,
        entities: Iterable[Entity] | None = None,
        lists: list[str] | None = None,
        threshold: float | None = None,
    ) -> None:
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self.in_force = ListsInForce()
        self.engine: Engine | None = None  # the store, when the entities come from one
        # entity id -> its listed party's summary (None: none), for the lists in force
        self._parties: dict[str, dict[str, Any] | None] = {}
        if entities is None:
            engine = self.engine = connect(db)
            with engine.connect() as conn:
                self.in_force.versions = [v for v in active_versions(conn) if lists is None or v.list_key in lists]
            # The index saved for these versions (built when they were loaded), opened.
            self.matcher = matcher_for(engine, self.in_force.versions)
        else:
            self.matcher = Matcher(entities)

    @classmethod
    def over_versions(cls, engine: Engine, versions: list[VersionInfo], threshold: float | None = None) -> Screener:
        """A screener over ``versions`` of the store behind ``engine``, from their saved index."""
        screener = cls(entities=[], threshold=threshold)
        screener.engine = engine
        screener.in_force.versions = list(versions)
        screener.matcher = matcher_for(engine, versions)
        return screener

    def __len__(self) -> int:
        return len(self.matcher)

    def parties(self, matches: Iterable[Match]) -> dict[str, dict[str, Any]]:
        """entity id -> the listed party each match is one listing of (every listing of it,
        on every list: ``tradeguard.store.links``); empty for a screener without a store."""
        return self.party_summaries(m.entity.entity_id for m in matches)

    def party_summaries(self, entity_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """entity id -> the summary of the listed party it is one listing of. The parties of
        the lists in force do not change while they are in force: each is read once."""
        if self.engine is None:
            return {}
        wanted = list(dict.fromkeys(entity_ids))
        known = {entity_id: self._parties[entity_id] for entity_id in wanted if entity_id in self._parties}
        missing = [entity_id for entity_id in wanted if entity_id not in known]
        if missing:
            from tradeguard.store.links import party_summaries

            found = party_summaries(self.engine, missing, self.in_force.version_pairs())
            for entity_id in missing:
                known[entity_id] = found.get(entity_id)
            if len(self._parties) > PARTY_CACHE:
                self._parties.clear()  # (this call's answer is in ``known``)
            self._parties.update((entity_id, known[entity_id]) for entity_id in missing)
        return {entity_id: summary for entity_id in wanted if (summary := known[entity_id]) is not None}

    def match(
        self,
        name: str,
        schema: str | None = None,
        birth_date: str | None = None,
        country: str | None = None,
        identifiers: list[str] | None = None,
        address: str | None = None,
        limit: int = 10,
        threshold: float | None = None,
    ) -> list[Match]:
        query = Query(name=name, schema=schema, birth_date=birth_date, country=country,
                      identifiers=list(identifiers or []), address=address)
        return self.match_query(query, limit=limit, threshold=threshold)

    def match_query(self, query: Query, limit: int = 10, threshold: float | None = None) -> list[Match]:
        return self.matcher.match(query, limit=limit, threshold=self.threshold if threshold is None else threshold)

    def match_or_nearest(
        self, query: Query, limit: int = 10, threshold: float | None = None, nearest: int = NEAREST_LIMIT,
    ) -> MatchResult:
        """The matches at the threshold (as ``match_query``); when there are none, up to
        ``nearest`` best candidates scoring at least NEAREST_FLOOR, marked as below the
        threshold: someone searching one word of a longer name ("Alabuga") sees what is listed."""
        threshold = self.threshold if threshold is None else threshold
        matches = self.match_query(query, limit=limit, threshold=threshold)
        below: list[Match] = []
        if not matches and nearest > 0 and threshold > NEAREST_FLOOR:
            # The lower floor widens retrieval, so a candidate the pass at the threshold did
            # not reach could score over it here: only what is really below it is kept (and
            # the search asks for a few more to leave room for those).
            found = self.match_query(query, limit=2 * nearest, threshold=NEAREST_FLOOR)
            below = [m for m in found if m.score < threshold][:nearest]
        return MatchResult(matches, below, threshold)

    def screen(
        self,
        records: Iterable[dict[str, Any]],
        threshold: float | None = None,
        limit: int = 10,
        processes: int | None = None,
    ) -> Iterator[PartyResult]:
        """Screen party records (dicts with id, name, ...), in order, one result each.

        Large batches use every core (worker processes forked with the built index).
        A record without a name raises ValueError naming its id.
        """
        threshold = self.threshold if threshold is None else threshold
        items: list[tuple[str, Query]] = []
        for number, record in enumerate(records, start=1):
            rid = str(record.get("id") or number)
            try:
                items.append((rid, query_from_record(record)))
            except ValueError as exc:
                raise ValueError(f"record {rid}: {exc}") from exc
        yield from self.screen_queries(items, threshold=threshold, limit=limit, processes=processes)

    def screen_queries(
        self,
        items: list[tuple[str, Query]],
        threshold: float | None = None,
        limit: int = 10,
        processes: int | None = None,
    ) -> Iterator[PartyResult]:
        """One result per item, in order. Identical queries in a batch (one party on
        several accounts or order lines) are screened once and share their matches."""
        threshold = self.threshold if threshold is None else threshold
        slot_of: dict[tuple[Any, ...], int] = {}
        slots = [slot_of.setdefault(_query_key(query), len(slot_of)) for _rid, query in items]
        unique: list[Query] = []
        for (_rid, query), slot in zip(items, slots, strict=True):
            if slot == len(unique):
                unique.append(query)
        last_use = {slot: pos for pos, slot in enumerate(slots)}
        results = self._match_each(unique, threshold, limit, processes)
        ready: dict[int, list[Match]] = {}
        computed = 0
        for pos, ((rid, query), slot) in enumerate(zip(items, slots, strict=True)):
            while computed <= slot:  # slots are numbered in order of first use
                ready[computed] = next(results)
                computed += 1
            yield PartyResult(rid, ready[slot], query)
            if last_use[slot] == pos:
                del ready[slot]

    def _match_each(
        self, queries: list[Query], threshold: float, limit: int, processes: int | None,
    ) -> Iterator[list[Match]]:
        """The matches of each query, in order; large batches on every core."""
        procs = processes if processes is not None else (os.cpu_count() or 1)
        args = [(q, limit, threshold) for q in queries]
        if procs <= 1 or len(queries) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
            for arg in args:
                yield _match_with(self.matcher, arg)
            return
        # The first query here: it loads what every query needs once (reference data,
        # transliterators), and the forked workers inherit it instead of each loading it;
        # so do the keys of names in other scripts.
        yield _match_with(self.matcher, args[0])
        self.matcher.prepare_batch(queries)
        global _WORKER_MATCHER
        _WORKER_MATCHER = self.matcher
        # The index is read-only from here: keep the collector from touching (and so
        # copying) its pages in the forked workers.
        gc.freeze()
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(procs) as pool:
            yield from pool.imap(_worker_match, args[1:], chunksize=CHUNK)


def _query_key(query: Query) -> tuple[Any, ...]:
    return (query.name, query.schema, query.birth_date, query.country, tuple(query.identifiers), query.address)


def _match_with(matcher: Matcher, args: tuple[Query, int, float]) -> list[Match]:
    query, limit, threshold = args
    return matcher.match(query, limit=limit, threshold=threshold)
