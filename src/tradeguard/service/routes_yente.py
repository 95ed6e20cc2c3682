"""yente-compatible routes: /match, /search, /entities, /catalog, /algorithms, /healthz, /readyz.

Paths, parameters, request and response shapes follow yente's, so an OpenSanctions/yente
client works by changing its base URL. The dataset ``default`` is every active list; each
list key is a dataset too; any other name is a 404 ("No such dataset."), as in yente.
"""

from __future__ import annotations

import functools
from typing import Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from tradeguard.matching import DEFAULT_THRESHOLD
from tradeguard.service import screening
from tradeguard.service.auth import current_key, get_state, require
from tradeguard.service.filters import DEFAULT_FACETS, FACETS, FilterError, build_filter
from tradeguard.service.models import (
    AlgorithmResponse,
    DataCatalogModel,
    EntityMatchQuery,
    EntityMatchResponse,
    EntityResponse,
    ErrorResponse,
    SearchResponse,
    StatusResponse,
)
from tradeguard.service.state import DEFAULT_DATASET, ServiceState, UnknownDataset
from tradeguard.store.keys import KeyInfo
from tradeguard.store.lists import active_versions, get_entity

# Per route, the query parameters it declares (its own and its dependencies').
_KNOWN: dict[str, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _known_parameters(route: APIRoute) -> frozenset[str]:
    known = _KNOWN.get(route.unique_id)
    if known is None:
        known = _KNOWN[route.unique_id] = frozenset(_query_names(route.dependant))
    return known


async def strict_parameters(request: Request) -> None:
    """yente clients send parameters tradeguard may not know: each one is honoured (it is
    declared by the route) or refused here with a 400, never silently ignored."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    unknown = sorted(set(request.query_params) - _known_parameters(route))
    if unknown:
        raise HTTPException(400, detail=f"tradeguard does not support the parameter(s) {', '.join(unknown)} "
                                        f"on {route.path} (see docs/api.md)")


router = APIRouter(dependencies=[Depends(strict_parameters)])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid query"},
    401: {"model": ErrorResponse, "description": "No or invalid API key"},
    403: {"model": ErrorResponse, "description": "The key's role does not allow this"},
    404: {"model": ErrorResponse, "description": "No such dataset"},
}
PATH_DATASET = Path(description="`default` (every active list) or a list key, e.g. `us_ofac_sdn`.", examples=["default"])
screener_key = require("screener")


def _not_found_dataset() -> HTTPException:
    return HTTPException(404, detail="No such dataset.")


# yente's parameters that tradeguard cannot honour: refused, never silently ignored.
CHANGED_SINCE = Query(None, title="Not supported by tradeguard (400): entities carry no change dates; "
                                  "see /lists/{key}/diff for what changed between list versions")


def unsupported(name: str, why: str) -> str:
    """The refusal of a yente parameter tradeguard cannot honour (a 400's detail)."""
    return f"tradeguard does not support the parameter '{name}': {why}"


CHANGED_SINCE_REFUSAL = unsupported(
    "changed_since", "entities carry no change dates; /lists/{key}/diff gives what changed between list versions")


def _unsupported(name: str, why: str) -> HTTPException:
    return HTTPException(400, detail=unsupported(name, why))


@router.post(
    "/match/{dataset}",
    summary="Query by example matcher",
    tags=["Matching"],
    response_model=EntityMatchResponse,
    responses=ERRORS,
)
async def match(
    body: EntityMatchQuery,
    dataset: str = PATH_DATASET,
    limit: int = Query(5, ge=1, le=screening.MAX_LIMIT, title="Number of results to return"),
    threshold: float = Query(DEFAULT_THRESHOLD, ge=0.0, le=1.0, title="Score threshold for results to be considered matches"),
    cutoff: float | None = Query(None, ge=0.0, le=1.0, title="Lower bound of score for results to be returned at all (default: the threshold)"),
    algorithm: str = Query(screening.ALGORITHM, title="Scoring algorithm (see /algorithms)"),
    include_dataset: list[str] = Query([], title="Only include the given datasets (list keys) in results"),
    exclude_schema: list[str] = Query([], title="Remove the given types of entities (FtM schema names) from results"),
    exclude_dataset: list[str] = Query([], title="Remove the given datasets (list keys) from results"),
    topics: list[str] = Query([], title="Only return results that have any of the given topics (every listed entity has 'sanction')"),
    changed_since: str | None = CHANGED_SINCE,
    exclude_entity_ids: list[str] = Query([], max_length=50, title="Entity ids to leave out of the results (e.g. cleared false positives)"),
    merge: bool = Query(False, title="tradeguard's: one result per listed party (its best listing, with `datasets` "
                                     "naming every list and `referents` its other listings), as yente returns "
                                     "deduplicated entities"),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> Response:
    """Match entities described by example (schema + FtM properties) against the lists.

    Each query is `{"schema": "Person", "properties": {"name": [...], "birthDate": [...],
    "nationality": [...], "idNumber": [...]}}`; the response has, per query key, the
    candidates with `score`, `match` (score >= threshold), `features` and the engine's
    `explanation`. The request and its results are written to the audit trail before the
    response is sent.
    """
    # The hot path runs on the event loop: matching takes about a millisecond, and the
    # wait for the audit commit does not hold a thread.
    if changed_since is not None:
        raise HTTPException(400, detail=CHANGED_SINCE_REFUSAL)
    if body.weights:
        raise _unsupported("weights", "the engine's weights are calibrated, not set per request")
    try:
        keep = build_filter(include_dataset=include_dataset, exclude_dataset=exclude_dataset,
                            exclude_schema=exclude_schema, exclude_entity_ids=exclude_entity_ids, topics=topics)
        algo = screening.check_algorithm(algorithm)
        if body.config:
            raise screening.BadRequest(f"Invalid configuration parameter(s): {', '.join(sorted(body.config))} for algorithm {algo}")
        examples = {name: screening.parse_example(ex.id, ex.schema_, ex.properties) for name, ex in body.queries.items()}
        screener = await screening.screener_for(state, dataset)
    except (screening.BadRequest, FilterError) as exc:
        raise HTTPException(400, detail=str(exc)) from exc
    except UnknownDataset as exc:
        raise _not_found_dataset() from exc
    if merge:  # the store is read (and the groups computed once per set of versions): off the loop
        result, payload = await run_in_threadpool(
            functools.partial(screening.match_examples, screener, dataset, examples, limit=limit, threshold=threshold,
                              cutoff=cutoff, algorithm=algo, keep=keep, merge=True))
    else:
        result, payload = screening.match_examples(screener, dataset, examples, limit=limit, threshold=threshold,
                                                   cutoff=cutoff, algorithm=algo, keep=keep)
    await state.audit.submit_async(key.id, "match", payload)
    return Response(orjson.dumps(result, default=str), media_type="application/json",
                    headers={"x-batch-size": str(len(result["responses"]))})


@router.get(
    "/search/{dataset}",
    summary="Simple entity search",
    tags=["Matching"],
    response_model=SearchResponse,
    # The score fields are there for a name search only: a listing stays in yente's shape.
    response_model_exclude_unset=True,
    responses=ERRORS,
)
def search(
    dataset: str = PATH_DATASET,
    q: str = Query("", max_length=1000, title="Query text (a name)"),
    schema: str | None = Query(None, title="Types of entities that can match the search (an FtM schema)"),
    limit: int = Query(10, ge=0, le=screening.MAX_LIMIT, title="Number of results to return"),
    offset: int = Query(0, ge=0, le=10000, title="Start at result with given offset"),
    include_dataset: list[str] = Query([], title="Only entities of these datasets (list keys)"),
    exclude_dataset: list[str] = Query([], title="Leave out entities of these datasets (list keys)"),
    exclude_schema: list[str] = Query([], title="Leave out entities of these types (FtM schema names)"),
    changed_since: str | None = CHANGED_SINCE,
    countries: list[str] = Query([], title="Filter by country codes (any country-typed property)"),
    topics: list[str] = Query([], title="Filter by entity topics (every listed entity has 'sanction')"),
    datasets: list[str] = Query([], title="Filter by dataset names (respects filter_op)"),
    filter: list[str] = Query([], title="Filter by field:value: countries, topics, datasets, schema, identifiers, "
                                        "genders, target, or an FtM property as properties.birthDate:1967-01-13"),
    sort: list[str] = Query([], title="Not supported by tradeguard (400): results come by score, or by id when q is empty"),
    target: bool | None = Query(None, title="Only targeted entities (every listed entity is a target)"),
    fuzzy: bool = Query(False, title="Accepted: tradeguard's name search is always fuzzy and reads q as plain text"),
    simple: bool = Query(False, title="Accepted: q is always plain text (no query syntax)"),
    facets: list[str] = Query(list(DEFAULT_FACETS), title=f"Facet counts to include: {', '.join(FACETS)}"),
    filter_op: str = Query("OR", title="How several values of one filter field combine: AND or OR"),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> dict[str, Any]:
    """Search the lists by a name (scored by the engine, loosely, down to 0.5); an empty `q`
    lists the dataset's entities in id order.

    A name search's results also carry `score`, `match` (score >= the threshold) and
    `below_threshold`; the response's `below_threshold` is true when candidates were found but
    none reaches the threshold (one word of a longer name, say), `threshold` says which.
    Filters apply to the entities found; facets count every result, not one page."""
    if changed_since is not None:
        raise HTTPException(400, detail=CHANGED_SINCE_REFUSAL)
    if sort:
        raise _unsupported("sort", "results come by score (a name search) or by id (an empty q)")
    unknown = [f for f in facets if f not in FACETS]
    if unknown:
        raise HTTPException(400, detail=f"Invalid facet(s): {', '.join(unknown)} (use {', '.join(FACETS)})")
    try:
        keep = build_filter(include_dataset=include_dataset, exclude_dataset=exclude_dataset,
                            exclude_schema=exclude_schema, countries=countries, topics=topics,
                            datasets=datasets, filters=filter, target=target, filter_op=filter_op)
        return screening.search(state, key.id, dataset, q, schema=schema, limit=limit, offset=offset,
                                keep=keep, facets=facets)
    except (screening.BadRequest, FilterError) as exc:
        raise HTTPException(400, detail=str(exc)) from exc
    except UnknownDataset as exc:
        raise _not_found_dataset() from exc


@router.get(
    "/entities/{entity_id}",
    summary="Fetch an entity",
    tags=["Data access"],
    response_model=EntityResponse,
    responses={**ERRORS, 404: {"model": ErrorResponse, "description": "Entity not found"}},
)
def fetch_entity(
    entity_id: str = Path(description="The entity id: `<list key>-<the list's own id>`", examples=["un_sc-QDi.1"]),
    nested: bool = Query(True, title="Accepted: tradeguard's entities hold their addresses, identifiers and "
                                     "programmes as properties, so nested and flat answers are the same"),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> dict[str, Any]:
    """One entity as it stands in the active version of its list, in FtM form."""
    with state.engine.connect() as conn:
        entity = get_entity(conn, entity_id)
    if entity is None:
        raise HTTPException(404, detail="No such entity!")
    return screening.entity_dict(entity)


@router.get(
    "/catalog",
    summary="Data catalog",
    tags=["Data access"],
    response_model=DataCatalogModel,
    responses={401: ERRORS[401]},
)
def catalog(key: KeyInfo = Depends(current_key), state: ServiceState = Depends(get_state)) -> dict[str, Any]:
    """The datasets: `default` (every active list) and one per list, with the version in force."""
    with state.engine.connect() as conn:
        versions = active_versions(conn)
    built = state.fingerprint
    built_ids = dict(built.active) if built is not None else {}
    datasets: list[dict[str, Any]] = []
    for v in versions:
        version = f"{v.list_date}-v{v.id}"
        indexed = built_ids.get(v.list_key)
        datasets.append({
            "name": v.list_key, "title": v.list_key, "summary": f"{v.format}, {v.entity_count} entities",
            "url": None, "load": True, "entities_url": None, "version": version,
            "index_version": f"{v.list_date}-v{indexed}" if indexed is not None else None,
            "index_current": indexed == v.id, "children": [],
            "entity_count": v.entity_count, "list_date": v.list_date, "published": v.published, "sha256": v.sha256,
        })
    current = [d["name"] for d in datasets if d["index_current"]]
    outdated = [d["name"] for d in datasets if d["index_version"] is not None and not d["index_current"]]
    default_version = "-".join(str(v.id) for v in versions) or "empty"
    datasets.insert(0, {
        "name": DEFAULT_DATASET, "title": "Every active list", "summary": "All lists in force", "url": None,
        "load": True, "entities_url": None, "version": default_version,
        "index_version": default_version if built is not None and not outdated and len(current) == len(versions) else None,
        "index_current": bool(built is not None and not outdated and len(current) == len(versions)),
        "children": [v.list_key for v in versions],
        "entity_count": sum(v.entity_count for v in versions),
    })
    return {"datasets": datasets, "current": current, "outdated": outdated, "index_stale": bool(outdated)}


@router.get(
    "/algorithms",
    summary="Scoring algorithms",
    tags=["System information"],
    response_model=AlgorithmResponse,
    responses={401: ERRORS[401]},
)
def algorithms(key: KeyInfo = Depends(current_key)) -> dict[str, Any]:
    """The matching algorithm (one: tradeguard's engine) and its features."""
    return screening.algorithms_doc()


@router.get("/healthz", summary="Health check", tags=["System information"], response_model=StatusResponse)
async def healthz() -> dict[str, str]:
    """The service is up (no key needed)."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Index readiness check",
    tags=["System information"],
    response_model=StatusResponse,
    responses={401: ERRORS[401], 503: {"model": ErrorResponse, "description": "Index is not ready"}},
)
def readyz(key: KeyInfo = Depends(current_key), state: ServiceState = Depends(get_state)) -> dict[str, str]:
    """Ready when the screening index is built for the list versions in force."""
    if not state.ready:
        detail = "Index not ready." + (f" Last build failed: {state.build_error}" if state.build_error else "")
        raise HTTPException(503, detail=detail)
    return {"status": "ok"}
