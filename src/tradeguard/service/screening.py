"""Screening as the API and the UI do it: yente-style queries in, FtM-shaped results out,
every request written to the audit trail.

Routes stay thin: they parse the request, call one function here, and return its result.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from tradeguard.ftm import to_ftm_dict
from tradeguard.matching import DEFAULT_THRESHOLD, Match, Query
from tradeguard.matching.explain import feature_results
from tradeguard.model import SCHEMAS, Entity
from tradeguard.screening.parties import (
    NEAREST_FLOOR,
    MatchResult,
    Screener,
    match_dict,
    one_per_party,
    query_from_record,
)
from tradeguard.screening.records import RowError, iter_records
from tradeguard.service.filters import DEFAULT_FACETS, ResultFilter, facet_counts
from tradeguard.service.state import DEFAULT_DATASET, ServiceState
from tradeguard.sources.base import SourceError
from tradeguard.store.audit import engine_version
from tradeguard.store.db import entity_records, version_entities

ALGORITHM = "tradeguard-v1"
# yente's algorithm names: accepted so that clients pinned to one keep working; the
# response's ``algorithm`` field says which engine actually scored.
ALGORITHM_ALIASES = ("best", "default", "logic-v1", "logic-v2", "name-based", "name-qualified",
                     "regression-v1", "regression-v2", "regression-v3")
MAX_QUERIES = 100
MAX_NAMES_PER_QUERY = 20
MAX_LIMIT = 500
SEARCH_CUTOFF = NEAREST_FLOOR  # /search is loose: every candidate with a meaningful score
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".jsonl", ".ndjson", ".json")

NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
NAME_PART_PROPS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
DATE_PROPS = ("birthDate", "incorporationDate", "buildDate")
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "birthCountry", "flag")
SKIP_IDENTIFIERS = {"programId", "wikidataId"}

FEATURE_DOCS: dict[str, dict[str, Any]] = {
    "name": {"description": "Similarity of the best-matching name pair (tokens aligned order-free; typos, "
                            "transliteration, phonetics, initials and legal forms considered; rare tokens weigh more)."},
    "birth_date_exact": {"description": "The birth dates agree exactly (agrees strongly)."},
    "birth_date_year": {"description": "The birth years agree (or day and month are swapped)."},
    "birth_date_one_year": {"description": "The birth dates are one year apart (tolerated with a small cost)."},
    "birth_date_near": {"description": "The birth dates are a few years apart (lowers the score)."},
    "birth_date_far": {"description": "The birth dates are far apart (lowers the score; a strong name match still comes back)."},
    "country_agree": {"description": "Country or nationality agrees (lifts the score)."},
    "country_differ": {"description": "Country or nationality differs (lowers the score)."},
    "identifier_match": {"description": "An identifier matches exactly once normalised ('IMO 9929429' = '9929429'): strong evidence."},
    "identifier_conflict": {"description": "An identifier of the same type differs (lowers the score)."},
    "schema_conflict": {"description": "The kinds of entity conflict (a person is not a vessel)."},
    "score": {"description": "The final calibrated score in 0..1 (see docs/matching.md)."},
}
# yente's FeatureDoc shape: description, coefficient, url.
for _doc in FEATURE_DOCS.values():
    _doc.setdefault("coefficient", 1.0)
    _doc.setdefault("url", "")


class BadRequest(ValueError):
    """A query the service cannot run (HTTP 400), with a message for the client."""


class UnknownAlgorithm(BadRequest):
    pass


def check_algorithm(name: str | None) -> str:
    if name is None or name == ALGORITHM or name in ALGORITHM_ALIASES:
        return ALGORITHM
    raise UnknownAlgorithm(f"Invalid algorithm: {name!r}; use {ALGORITHM} (yente names {', '.join(ALGORITHM_ALIASES)} are accepted as aliases)")


ALGORITHM_DESCRIPTION = (
    "tradeguard's matching engine: candidates from an index over every name, scored by order-free "
    "token alignment with transliteration, phonetic and typo tolerance, then adjusted by birth date, "
    "country and identifiers. Scores are calibrated."
)


def algorithms_doc() -> dict[str, Any]:
    """yente's /algorithms: ``features`` for older clients, ``docs`` (nomenklatura's
    AlgorithmDocs) for current ones. The engine takes no per-request configuration."""
    return {
        "algorithms": [{
            "name": ALGORITHM,
            "description": ALGORITHM_DESCRIPTION,
            "features": FEATURE_DOCS,
            "docs": {"name": ALGORITHM, "description": ALGORITHM_DESCRIPTION, "config": {}, "features": FEATURE_DOCS},
            "aliases": list(ALGORITHM_ALIASES),
        }],
        "default": ALGORITHM,
        "best": ALGORITHM,
    }


# --- queries ----------------------------------------------------------------------------


@dataclass
class ParsedExample:
    echo: dict[str, Any]  # the query as cleaned by FtM (yente returns it)
    queries: list[Query]  # one per name variant


def _values(value: str | list[str]) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    return [str(v) for v in items if v is not None and str(v).strip()]


def _our_schema(schema_name: str) -> str | None:
    schema = model.get(schema_name)
    if schema is None:
        raise BadRequest(f"Cannot parse example entity: invalid schema {schema_name!r}")
    if schema.name in SCHEMAS:
        return schema.name
    for ours in ("Person", "Company", "Organization", "Vessel", "Airplane", "LegalEntity"):
        parent = model.get(ours)
        if parent is not None and schema.is_a(parent):
            return ours
    return None  # Thing and other schemata: match any kind of entity


def _names(proxy: EntityProxy) -> list[str]:
    names: list[str] = []
    for prop in NAME_PROPS:
        if prop in proxy.schema.properties:
            names.extend(proxy.get(prop))
    if not names:
        parts = {p: proxy.get(p) for p in NAME_PART_PROPS if p in proxy.schema.properties}
        last = parts.get("lastName") or [""]
        for family in last:
            tokens = [vals[0] for p, vals in parts.items() if p != "lastName" and vals]
            tokens.append(family)
            text = " ".join(t for t in tokens if t)
            if text:
                names.append(text)
    seen: set[str] = set()
    unique = []
    for name in names:
        key = name.strip().lower()
        if key and key not in seen:
            seen.add(key)
            unique.append(name.strip())
    return unique[:MAX_NAMES_PER_QUERY]


def _first(proxy: EntityProxy, props: Iterable[str]) -> str | None:
    for prop in props:
        if prop in proxy.schema.properties:
            values = proxy.get(prop)
            if values:
                return str(values[0])
    return None


def parse_example(example_id: str | None, schema_name: str, properties: dict[str, str | list[str]]) -> ParsedExample:
    """A yente query entity as tradeguard queries (one per name it gives)."""
    schema = _our_schema(schema_name)
    proxy = model.make_entity(schema_name)
    proxy.id = example_id
    for prop, value in properties.items():
        if prop not in proxy.schema.properties:
            continue  # yente ignores properties the schema does not have; so do we
        for item in _values(value):
            proxy.add(prop, item, cleaned=False, quiet=True, fuzzy=True)
    names = _names(proxy)
    if not names:
        raise BadRequest("Cannot parse example entity: it has no name (give 'name', or 'firstName'/'lastName')")
    identifiers = [
        v for prop in proxy.schema.properties.values()
        if prop.type == registry.identifier and prop.name not in SKIP_IDENTIFIERS
        for v in proxy.get(prop)
    ]
    address = _first(proxy, ("address",))
    birth_date = _first(proxy, DATE_PROPS)
    country = _first(proxy, COUNTRY_PROPS)
    queries = [
        Query(name=name, schema=schema, birth_date=birth_date, country=country,
              identifiers=list(identifiers), address=address)
        for name in names
    ]
    echo = proxy.to_dict()
    echo = {"id": echo.get("id"), "schema": echo["schema"], "properties": echo.get("properties", {})}
    return ParsedExample(echo, queries)


# --- results ----------------------------------------------------------------------------


def features_of(match: Match) -> dict[str, float]:
    """yente's ``features``: named numeric parts of the score, from the explanation."""
    out: dict[str, float] = {}
    expl = getattr(match, "explanation", None)
    if isinstance(expl, dict):
        features = expl.get("features")
        source: dict[str, Any] = features if isinstance(features, dict) else expl
        for key, value in source.items():
            if isinstance(value, bool):
                continue
            if isinstance(value, (int, float)):
                out[str(key)] = round(float(value), 4)
            elif isinstance(value, dict) and isinstance(value.get("score"), (int, float)) and not isinstance(value.get("score"), bool):
                out[str(key)] = round(float(value["score"]), 4)
    out.setdefault("score", round(float(match.score), 4))
    return out


def entity_dict(entity: Entity) -> dict[str, Any]:
    """An entity in FtM form with yente's extra keys."""
    data = to_ftm_dict(entity)
    data.setdefault("referents", [])
    data.setdefault("target", True)
    data.setdefault("first_seen", None)
    data.setdefault("last_seen", None)
    data.setdefault("last_change", None)
    return data


# The FtM form of entities already returned, per screener (its entities never change):
# shaping an entity is about a tenth of a /match request's work, and the same listed
# entities come back again and again. Entries are checked against the entity object
# itself, and a screener's cache is dropped with the screener.
_FTM_CACHE: weakref.WeakKeyDictionary[Screener, dict[str, tuple[Entity, dict[str, Any]]]] = weakref.WeakKeyDictionary()
FTM_CACHE_SIZE = 20_000


def _ftm_cache(screener: Screener) -> dict[str, tuple[Entity, dict[str, Any]]]:
    cache = _FTM_CACHE.get(screener)
    if cache is None:
        cache = _FTM_CACHE.setdefault(screener, {})
    return cache


def _cached_entity_dict(entity: Entity, cache: dict[str, tuple[Entity, dict[str, Any]]] | None) -> dict[str, Any]:
    """``entity_dict(entity)``, from ``cache`` when it holds this very entity. The copy is
    shallow: the nested values are shared, and only serialised."""
    if cache is None:
        return entity_dict(entity)
    found = cache.get(entity.entity_id)
    if found is None or found[0] is not entity:
        if len(cache) >= FTM_CACHE_SIZE:
            cache.clear()
        found = (entity, entity_dict(entity))
        cache[entity.entity_id] = found
    return dict(found[1])


def scored_dict(match: Match, threshold: float,
                cache: dict[str, tuple[Entity, dict[str, Any]]] | None = None) -> dict[str, Any]:
    data = _cached_entity_dict(match.entity, cache)
    data["score"] = round(float(match.score), 4)
    data["features"] = features_of(match)
    data["explanations"] = feature_results(match.explanation) if isinstance(match.explanation, dict) else {}
    data["match"] = float(match.score) >= threshold
    data["explanation"] = match.explanation
    data["matched_name"] = match.matched_name
    data["name_kind"] = match.name_kind
    return data


def _accepts(screener: Screener, entity: Entity, keep: ResultFilter) -> bool:
    ftm = _cached_entity_dict(entity, _ftm_cache(screener)) if keep.needs_ftm else None
    return keep.accepts(entity, ftm)


def _kept(screener: Screener, matches: list[Match], keep: ResultFilter | None) -> list[Match]:
    if keep is None or not keep.active:
        return matches
    return [m for m in matches if _accepts(screener, m.entity, keep)]


def run_queries(screener: Screener, queries: list[Query], limit: int, cutoff: float,
                keep: ResultFilter | None = None) -> list[Match]:
    """Best match per entity over every name variant of one example, best first; with
    ``keep``, only the entities it accepts (the engine is asked for every candidate over
    the cutoff, so that filtering leaves ``limit`` where there are that many)."""
    asked = MAX_LIMIT if keep is not None and keep.active else limit
    best: dict[str, Match] = {}
    for query in queries:
        for m in _kept(screener, screener.match_query(query, limit=asked, threshold=cutoff), keep):
            key = m.entity.entity_id
            if key not in best or m.score > best[key].score:
                best[key] = m
    return sorted(best.values(), key=lambda m: (-m.score, m.entity.entity_id))[:limit]


def version_refs(screener: Screener) -> list[dict[str, Any]]:
    return screener.in_force.to_dict()


def _result_summary(m: Match, threshold: float) -> dict[str, Any]:
    return {"entity_id": m.entity.entity_id, "score": round(float(m.score), 4),
            "matched_name": m.matched_name, "match": float(m.score) >= threshold}


def _search_result(m: Match, threshold: float) -> dict[str, Any]:
    """A /search result: the entity (yente's EntityResponse) with the engine's score and
    whether it reaches the threshold; extra fields a yente client ignores."""
    data = entity_dict(m.entity)
    data["score"] = round(float(m.score), 4)
    data["match"] = float(m.score) >= threshold
    data["below_threshold"] = not data["match"]
    return data


async def screener_for(state: ServiceState, dataset: str) -> Screener:
    """The dataset's screener; built (in a worker thread) only when the versions changed."""
    found = state.cached(dataset)
    if found is not None:
        return found
    return await run_in_threadpool(state.screener, dataset)


def match_examples(
    screener: Screener,
    dataset: str,
    examples: dict[str, ParsedExample],
    *,
    limit: int,
    threshold: float | None,
    cutoff: float | None,
    algorithm: str,
    endpoint: str = "/match",
    keep: ResultFilter | None = None,
    merge: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """yente's /match: every example screened. Returns the response and the audit payload
    (who, when and the hash chain are added by the audit writer). With ``merge``, one
    result per listed party (``merge_parties``)."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    cutoff = threshold if cutoff is None else min(cutoff, threshold)
    responses: dict[str, Any] = {}
    audited: dict[str, Any] = {}
    cache = _ftm_cache(screener)
    for name, example in examples.items():
        matches = run_queries(screener, example.queries, MAX_LIMIT if merge else limit, cutoff, keep)
        results: list[dict[str, Any]]
        if merge:
            matches, results = merge_parties(screener, matches, threshold, limit)
        else:
            results = [scored_dict(m, threshold, cache) for m in matches]
        responses[name] = {
            "status": 200,
            "results": results,
            "total": {"value": len(matches), "relation": "eq"},
            "query": example.echo,
        }
        audited[name] = {"query": example.echo, "results": [_result_summary(m, threshold) for m in matches]}
    versions = version_refs(screener)
    payload = {
        "endpoint": endpoint, "dataset": dataset, "queries": audited, "list_versions": versions,
        "threshold": threshold, "cutoff": cutoff, "limit": limit, "algorithm": algorithm,
        "engine_version": engine_version(),
    }
    if keep is not None and keep.active:
        payload["filters"] = keep.describe()
    if merge:
        payload["merge"] = "parties"
    result = {
        "responses": responses,
        "matcher": FEATURE_DOCS,
        "limit": limit,
        "threshold": threshold,
        "algorithm": algorithm,
        "list_versions": versions,
    }
    return result, payload


def merge_parties(screener: Screener, matches: list[Match], threshold: float,
                  limit: int) -> tuple[list[Match], list[dict[str, Any]]]:
    """One result per listed party, as yente returns OpenSanctions' deduplicated entities:
    the party's best-scoring listing, with ``datasets`` naming every list that lists the
    party, ``referents`` its other listings and ``party`` all of them (``store.links``).
    Returns the matches kept (best first, at most ``limit``) and their results."""
    parties = screener.parties(matches)
    kept = one_per_party(matches, parties)[:limit]
    cache = _ftm_cache(screener)
    results: list[dict[str, Any]] = []
    for m in kept:
        data = scored_dict(m, threshold, cache)
        party = parties.get(m.entity.entity_id)
        if party is not None:
            data["datasets"] = list(party["lists"])
            data["referents"] = [x["entity_id"] for x in party["listings"] if x["entity_id"] != data["id"]]
            data["party"] = party
        results.append(data)
    return kept, results


def match_one(
    state: ServiceState,
    actor: str,
    record: dict[str, Any],
    *,
    dataset: str = DEFAULT_DATASET,
    threshold: float | None = None,
    limit: int = 10,
    endpoint: str = "/ui/screen",
) -> tuple[MatchResult, list[dict[str, Any]]]:
    """Screen one party record (name, schema, birth_date, country, identifiers): its matches
    or, when there are none, the nearest candidates below the threshold; audited, the
    candidates shown below the threshold too (as ``match: false``)."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    query = query_from_record(record)
    screener = state.screener(dataset)
    result = screener.match_or_nearest(query, limit=limit, threshold=threshold)
    versions = version_refs(screener)
    audited: dict[str, Any] = {"query": {k: v for k, v in record.items() if v},
                               "results": [_result_summary(m, threshold) for m in result.matches]}
    if result.below_threshold:
        audited["below_threshold"] = [_result_summary(m, threshold) for m in result.below_threshold]
    state.audit.write(actor, "match", {
        "endpoint": endpoint, "dataset": dataset, "queries": {"q": audited},
        "list_versions": versions, "threshold": threshold, "limit": limit, "algorithm": ALGORITHM,
        "engine_version": engine_version(),
    })
    return result, versions


# --- search and entities ----------------------------------------------------------------


def search(
    state: ServiceState,
    actor: str,
    dataset: str,
    text: str,
    *,
    schema: str | None,
    limit: int,
    offset: int,
    keep: ResultFilter | None = None,
    facets: Iterable[str] = DEFAULT_FACETS,
) -> dict[str, Any]:
    """yente's /search: a name search (the engine down to SEARCH_CUTOFF); empty text lists
    entities. A name search's results carry ``score``, ``match`` (score >= the screener's
    threshold) and ``below_threshold``; the response says ``below_threshold: true`` when it
    found candidates but none reaches the threshold (e.g. one word of a longer name).
    ``keep`` narrows the results; ``facets`` are counted over every result, not one page."""
    screener = state.screener(dataset)
    our_schema = _our_schema(schema) if schema else None
    if our_schema is not None:
        # As in yente, the schema bounds the results: an entity of that kind or a narrower one.
        keep = replace(keep or ResultFilter(), schema=our_schema)
    filtering = keep is not None and keep.active
    if not text.strip():
        if filtering:
            assert keep is not None
            everything = sorted(screener.matcher.entities, key=lambda e: e.entity_id)
            kept = [e for e in everything if _accepts(screener, e, keep)]
            entities, total = kept[offset:offset + limit], len(kept)
            counted: list[Entity] = kept
        else:
            entities, total = browse(state, dataset, limit, offset)
            counted = list(screener.matcher.entities)
        results = [entity_dict(e) for e in entities]
        return {"limit": limit, "offset": offset, "total": {"value": total, "relation": "eq"},
                "results": results, "facets": facet_counts(counted, facets)}
    query = Query(name=text.strip(), schema=our_schema)
    # Every candidate over the cutoff (scoring them all is the engine's work anyway): the
    # total and the facets count them all, as yente's do, and a filter leaves a full page.
    matches = _kept(screener, screener.match_query(query, limit=MAX_LIMIT, threshold=SEARCH_CUTOFF), keep)
    page = matches[offset:offset + limit]
    threshold = screener.threshold
    results = [_search_result(m, threshold) for m in page]
    audited: dict[str, Any] = {
        "endpoint": "/search", "dataset": dataset, "query": {"q": text, "schema": schema},
        "list_versions": version_refs(screener), "threshold": threshold, "cutoff": SEARCH_CUTOFF,
        "limit": limit, "offset": offset, "algorithm": ALGORITHM, "engine_version": engine_version(),
        "results": [_result_summary(m, threshold) for m in page],
    }
    if filtering:
        assert keep is not None
        audited["filters"] = keep.describe()
    state.audit.write(actor, "search", audited)
    return {"limit": limit, "offset": offset, "total": {"value": len(matches), "relation": "eq"},
            "results": results, "facets": facet_counts((m.entity for m in matches), facets),
            "threshold": threshold, "below_threshold": bool(matches) and matches[0].score < threshold}


def browse(state: ServiceState, dataset: str, limit: int, offset: int) -> tuple[list[Entity], int]:
    """A page of the dataset's entities in id order, and how many it has."""
    fingerprint = state.fingerprint
    assert fingerprint is not None
    ids = [vid for key, vid in fingerprint.active if dataset in (DEFAULT_DATASET, key)]
    with state.engine.connect() as conn:
        total = int(conn.execute(
            select(func.count()).select_from(version_entities).where(version_entities.c.version_id.in_(ids))
        ).scalar_one())
        rows = conn.execute(
            select(entity_records.c.data)
            .join(version_entities, entity_records.c.hash == version_entities.c.record_hash)
            .where(version_entities.c.version_id.in_(ids))
            .order_by(version_entities.c.entity_id)
            .limit(limit).offset(offset)
        )
        return [Entity.from_dict(json.loads(r.data)) for r in rows], total


# --- batch screening of a file ----------------------------------------------------------


@dataclass
class BatchRow:
    line: int
    id: str | None = None
    query: Query | None = None
    error: str | None = None


@dataclass
class BatchFile:
    path: Path
    filename: str
    sha256: str
    rows: list[BatchRow] = field(default_factory=list)

    @property
    def good(self) -> list[BatchRow]:
        return [r for r in self.rows if r.query is not None]


def until_bound(value: str | None) -> str | None:
    """An audit ``until`` bound: a bare date (YYYY-MM-DD) includes that whole day."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    return value + "T24" if len(value) == 10 else value


def suffix_for(filename: str, head: bytes) -> str:
    """The file type from its name, else from its first bytes."""
    suffix = Path(filename or "").suffix.lower()
    if suffix in SUFFIXES:
        return suffix
    if head.startswith(b"PK\x03\x04"):
        return ".xlsx"
    if head.lstrip()[:1] == b"{":
        return ".jsonl"
    return ".csv"


def read_batch(path: Path, filename: str) -> BatchFile:
    """Read parties to screen (CSV, XLSX or JSONL); rows that cannot be read keep their line
    and the problem. BadRequest when the file as a whole cannot be read."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    batch = BatchFile(path, filename, digest)
    try:
        for line, item in iter_records(path):
            if isinstance(item, RowError):
                batch.rows.append(BatchRow(line, error=item.problem))
                continue
            rid = str(item.get("id") or "").strip()
            if not rid:
                batch.rows.append(BatchRow(line, error="no id"))
                continue
            try:
                batch.rows.append(BatchRow(line, rid, query_from_record(item)))
            except ValueError as exc:
                batch.rows.append(BatchRow(line, rid, error=str(exc)))
    except SourceError as exc:
        raise BadRequest(f"{filename}: {exc.problem}" if hasattr(exc, "problem") else f"{filename}: {exc}") from exc
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        raise BadRequest(f"{filename}: cannot read the file: {exc}") from exc
    except Exception as exc:  # a damaged XLSX raises the reader's own errors
        raise BadRequest(f"{filename}: cannot read the file: {type(exc).__name__}: {exc}") from exc
    if not batch.rows:
        raise BadRequest(f"{filename}: no rows to screen (a header line with id, name... then one party per line)")
    return batch


def screen_batch(
    state: ServiceState,
    actor: str,
    batch: BatchFile,
    *,
    dataset: str = DEFAULT_DATASET,
    threshold: float | None = None,
    limit: int = 10,
    endpoint: str = "/screen",
) -> Iterator[dict[str, Any]]:
    """One record per input row, in file order: ``{"line", "id", "name", "matches"}`` or
    ``{"line", "id", "error"}``; then ``{"summary": ...}``. The batch is audited when the
    stream ends (also when the client goes away early, marked incomplete)."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    screener = state.screener(dataset)
    versions = version_refs(screener)
    hits: dict[str, list[dict[str, Any]]] = {}
    screened = 0
    errors: list[dict[str, Any]] = []
    complete = False
    try:
        results = screener.screen_queries(
            [(r.id or str(r.line), r.query) for r in batch.good if r.query is not None],
            threshold=threshold, limit=limit, processes=1,
        )
        for row in batch.rows:
            if row.query is None:
                errors.append({"line": row.line, "id": row.id, "error": row.error})
                yield {"line": row.line, "id": row.id, "error": row.error}
                continue
            result = next(results)
            screened += 1
            matches = [match_dict(m) for m in result.matches]
            if result.matches:
                hits[result.id] = [_result_summary(m, threshold) for m in result.matches]
            yield {"line": row.line, "id": result.id, "name": row.query.name, "matches": matches}
        complete = True
        yield {"summary": {"file": batch.filename, "sha256": batch.sha256, "rows": len(batch.rows),
                           "screened": screened, "errors": len(errors), "with_matches": len(hits),
                           "threshold": threshold, "list_versions": versions, "engine_version": engine_version()}}
    finally:
        state.audit.write(actor, "screen_batch", {
            "endpoint": endpoint, "dataset": dataset, "file": batch.filename, "sha256": batch.sha256,
            "rows": len(batch.rows), "screened": screened, "errors": errors, "complete": complete,
            "list_versions": versions, "threshold": threshold, "limit": limit, "algorithm": ALGORITHM,
            "engine_version": engine_version(), "results": hits,
        })

