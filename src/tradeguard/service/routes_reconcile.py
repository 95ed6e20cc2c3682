"""yente's Reconciliation Service API (``/reconcile``, what OpenRefine speaks) on tradeguard's engine.

Paths, parameters and response shapes follow yente's (``yente/routers/reconcile.py``),
itself the W3C Entity Reconciliation API 0.2: a service manifest, reconciliation queries,
data extension, suggest services and a preview card. Candidates are scored exactly as
``POST /match`` scores the same example (``screening.parse_example`` + ``match_examples``),
and every batch of queries is written to the audit trail as a match (endpoint ``/reconcile``).

OpenRefine cannot send headers, so these routes alone also take the key as ``?api_key=KEY``
(``auth.reconcile_key``); the manifest passes its query string on to the service paths and
the preview URL, so OpenRefine keeps sending the key. ``/reconcile`` is the dataset ``default``.
"""

from __future__ import annotations

import json
import re
import unicodedata
import weakref
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse
from followthemoney import model
from followthemoney.property import Property
from followthemoney.schema import Schema
from followthemoney.types import registry
from jinja2 import Environment
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from tradeguard.ftm import EXTRA_PROPS, IDENTIFIER_PROPS, to_proxy
from tradeguard.ftm import NAME_PROPS as FTM_NAME_PROPS
from tradeguard.matching import DEFAULT_THRESHOLD
from tradeguard.matching import Query as EngineQuery
from tradeguard.model import SCHEMAS, Entity
from tradeguard.screening.parties import Screener
from tradeguard.service import screening
from tradeguard.service.auth import get_state, reconcile_key
from tradeguard.service.models import ErrorResponse
from tradeguard.service.models_reconcile import (
    ManifestExtend,
    ManifestPreview,
    ManifestService,
    ManifestSetting,
    ManifestSettingChoice,
    ManifestSuggest,
    ManifestView,
    ReconEntity,
    ReconEntityResult,
    ReconEntitySuggestResponse,
    ReconExtendPropertiesResponse,
    ReconExtendProperty,
    ReconExtendQuery,
    ReconExtendResponse,
    ReconManifest,
    ReconProperty,
    ReconPropertySuggestResponse,
    ReconQuery,
    ReconType,
    ReconTypeSuggestResponse,
    RenderMethod,
)
from tradeguard.service.routes_yente import CHANGED_SINCE_REFUSAL, PATH_DATASET
from tradeguard.service.state import DEFAULT_DATASET, ServiceState, UnknownDataset
from tradeguard.store.audit import engine_version
from tradeguard.store.keys import KeyInfo
from tradeguard.store.lists import get_entity


def _allow_any_origin(response: Response) -> None:
    """CORS, for reconciliation clients that call from the browser (OpenRefine's suggest
    widgets, as yente allows). ``*`` never lets a browser send the UI cookie cross-origin:
    the key still has to be in the request (header or ``?api_key=``)."""
    response.headers["Access-Control-Allow-Origin"] = "*"


router = APIRouter(tags=["Reconciliation"], dependencies=[Depends(_allow_any_origin)])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid query"},
    401: {"model": ErrorResponse, "description": "No or invalid API key (header or `?api_key=`)"},
    403: {"model": ErrorResponse, "description": "The key's role does not allow this"},
    404: {"model": ErrorResponse, "description": "No such dataset"},
}
CORS = {"Access-Control-Allow-Origin": "*"}

BATCH_SIZE = 20  # queries OpenRefine sends per request (matching is ~1 ms a query)
BASE_SCHEMA = "Thing"  # a query without a type matches any kind of entity (as in yente)
PREVIEW_WIDTH, PREVIEW_HEIGHT = 430, 300
SUGGEST_PAGE = 10
MIN_PREFIX = 2  # characters before suggest/entity scans names by prefix
SCHEMA_SPACE = "https://followthemoney.tech/explorer/schemata/"

# What tradeguard's FtM form fills (tradeguard.ftm.to_proxy): proposed for data extension.
FILLED = {
    *FTM_NAME_PROPS.values(), *IDENTIFIER_PROPS.values(), *EXTRA_PROPS.values(),
    "birthDate", "buildDate", "birthPlace", "nationality", "country", "idNumber", "registrationNumber",
    "address", "programId", "notes", "createdAt", "topics",
}
# What the engine reads from a query (screening.parse_example): proposed as query properties.
MATCHED = {*screening.NAME_PROPS, *screening.NAME_PART_PROPS, *screening.DATE_PROPS,
           *screening.COUNTRY_PROPS, "address"}
NAME_KIND_RANK = {"primary": 0, "alias": 1, "original_script": 2, "former": 3, "weak_alias": 4}
DATE_WORDS = {"birthDate": "born", "buildDate": "built", "incorporationDate": "incorporated"}
COUNTRY_FIELDS = ("nationality", "citizenship", "country", "jurisdiction", "flag")


def _bad(exc: Exception) -> HTTPException:
    return HTTPException(400, detail=str(exc))


def _no_dataset() -> HTTPException:
    return HTTPException(404, detail="No such dataset.")


def _check_dataset(state: ServiceState, dataset: str) -> None:
    if dataset != DEFAULT_DATASET and dataset not in state.recent_fingerprint().list_keys:
        raise _no_dataset()


async def _screener(state: ServiceState, dataset: str) -> Screener:
    try:
        return await screening.screener_for(state, dataset)
    except UnknownDataset as exc:
        raise _no_dataset() from exc


def _in_dataset(entity_id: str, dataset: str) -> bool:
    return dataset == DEFAULT_DATASET or entity_id.partition("-")[0] == dataset


def _json(data: Any, batch: int) -> Response:
    return Response(orjson.dumps(data, default=str), media_type="application/json",
                    headers={"x-batch-size": str(batch), **CORS})


# --- schemata, properties, entities -----------------------------------------------------

# The schemata each screener's entities use (its entities never change).
_SCHEMATA: weakref.WeakKeyDictionary[Screener, list[Schema]] = weakref.WeakKeyDictionary()


def _schemata(screener: Screener) -> list[Schema]:
    """The FtM schemata the dataset's entities have, in tradeguard's order."""
    found = _SCHEMATA.get(screener)
    if found is None:
        held = {e.schema for e in screener.matcher.entities}
        found = [s for name in SCHEMAS if name in held and (s := model.get(name)) is not None]
        _SCHEMATA[screener] = found
    return found


def _type(schema: Schema) -> ReconType:
    return ReconType(id=schema.name, name=schema.plural, description=(schema.description or schema.label).strip())


def _starts(prefix: str, *labels: str | None) -> bool:
    """yente's prefix rule: case-insensitive, and an empty prefix matches nothing."""
    wanted = prefix.strip().lower()
    return bool(wanted) and any(label is not None and label.strip().lower().startswith(wanted) for label in labels)


def _lookup_property(pid: str) -> Property | None:
    """An FtM property by a plain (``birthDate``) or qualified (``Person:birthDate``) name."""
    pid = pid.strip()
    if ":" in pid:
        found: Property | None = model.get_qname(pid)
        return found
    for name in (*SCHEMAS, BASE_SCHEMA):
        schema = model.get(name)
        if schema is not None and pid in schema.properties:
            return schema.properties[pid]
    return None


def _property_name(pid: str) -> str | None:
    """The property a query's ``pid`` names: qualified names are resolved (unknown ones are
    dropped, as in yente), plain ones are kept for the query's schema to accept or ignore."""
    pid = pid.strip()
    if ":" in pid:
        prop = model.get_qname(pid)
        return prop.name if prop is not None else None
    return pid or None


def _texts(value: Any) -> list[str]:
    """A query property's ``v`` as strings: a string, a number, a list, or an
    ``{"id": ..., "name": ...}`` object (a cell OpenRefine has reconciled already)."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, dict):
        return _texts(value.get("id") or value.get("name"))
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    text = str(value).strip()
    return [text] if text else []


def _countries(properties: dict[str, list[str]]) -> list[str]:
    out: list[str] = []
    for field in COUNTRY_FIELDS:
        for code in properties.get(field, []):
            label = registry.country.caption(code) or code
            if label not in out:
                out.append(label)
    return out


def _describe(schema: Schema, properties: dict[str, list[str]], datasets: list[str]) -> str:
    """One line to tell candidates apart: kind, list, dates, countries."""
    parts = [schema.label, ", ".join(datasets)]
    for field, word in DATE_WORDS.items():
        if properties.get(field):
            parts.append(f"{word} {', '.join(properties[field][:3])}")
            break
    parts.append(", ".join(_countries(properties)[:3]))
    return "; ".join(p for p in parts if p)


def _entity(data: dict[str, Any]) -> ReconEntity:
    """A reconciliation entity from an entity's FtM form (``screening.entity_dict``)."""
    schema = model.get(data["schema"])
    assert schema is not None, data["schema"]
    return ReconEntity(id=data["id"], name=data["caption"], type=[_type(schema)],
                       description=_describe(schema, data.get("properties", {}), data.get("datasets", [])))


def _scored(data: dict[str, Any]) -> dict[str, Any]:
    """A ``ReconScoredEntity`` (as a dict) from one of /match's results."""
    out = _entity(data).model_dump()
    out["score"] = data["score"]
    out["match"] = data["match"]
    return out


# --- the manifest -----------------------------------------------------------------------


def _manifest(request: Request, dataset: str, schemata: list[Schema], path: str) -> ReconManifest:
    base = str(request.base_url).rstrip("/")
    service_url = base + path
    # Pass the query string on (OpenRefine keeps sending ``?api_key=`` that way), as yente does.
    query = request.url.query.strip()
    suffix = f"?{query}" if query else ""
    title = "every active list" if dataset == DEFAULT_DATASET else dataset
    return ReconManifest(
        versions=["0.2"],
        name=f"tradeguard ({title})",
        identifierSpace=f"{base}/entities/",
        schemaSpace=SCHEMA_SPACE,
        documentation=f"{base}/docs",
        batchSize=BATCH_SIZE,
        view=ManifestView(url=f"{base}/entities/{{{{id}}}}"),
        preview=ManifestPreview(url=f"{service_url}/preview?id={{{{id}}}}" + (f"&{query}" if query else ""),
                                width=PREVIEW_WIDTH, height=PREVIEW_HEIGHT),
        suggest=ManifestSuggest(
            entity=ManifestService(service_url=service_url, service_path=f"/suggest/entity{suffix}"),
            type=ManifestService(service_url=service_url, service_path=f"/suggest/type{suffix}"),
            property=ManifestService(service_url=service_url, service_path=f"/suggest/property{suffix}"),
        ),
        extend=ManifestExtend(
            propose_properties=ManifestService(service_url=service_url, service_path=f"/extend/property{suffix}"),
            propose_settings=[
                ManifestSetting(name="limit", label="Limit", type="number", default=0,
                                help_text="Maximum number of values to return per row (0 for no limit)."),
                ManifestSetting(
                    name="render", label="Value rendering", type="select", default=RenderMethod.caption.value,
                    choices=[ManifestSettingChoice(id=RenderMethod.caption.value, name="User-readable value"),
                             ManifestSettingChoice(id=RenderMethod.raw.value, name="Machine-readable value")],
                    help_text="Return readable value (e.g. 'Russia') instead of raw value ('ru').",
                ),
            ],
        ),
        defaultTypes=[_type(s) for s in schemata],
    )


PREVIEW_ID = Query(..., min_length=1, max_length=300, description="The entity id, e.g. `us_ofac_sdn-8279`")


# Registered before GET /reconcile/{dataset}, which would take "preview" for a dataset.
@router.get("/reconcile/preview", response_class=HTMLResponse, include_in_schema=False)
def preview_default(id: str = PREVIEW_ID, key: KeyInfo = Depends(reconcile_key),
                    state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """The preview card for the dataset ``default`` (where GET /reconcile's manifest points)."""
    return render_preview(state, DEFAULT_DATASET, id)


@router.get("/reconcile/{dataset}", summary="Reconciliation service manifest", response_model=ReconManifest,
            responses=ERRORS)
async def manifest(
    request: Request,
    dataset: str = PATH_DATASET,
    key: KeyInfo = Depends(reconcile_key),
    state: ServiceState = Depends(get_state),
) -> ReconManifest:
    """The Reconciliation Service API manifest (what OpenRefine reads when a service is added):
    suggest, extend and preview services of this server, and the types the dataset holds.

    Add `https://HOST/reconcile/default?api_key=KEY` as a service in OpenRefine: the query
    string is passed on to every service path so OpenRefine keeps sending the key."""
    screener = await _screener(state, dataset)
    return _manifest(request, dataset, _schemata(screener), f"/reconcile/{dataset}")


@router.get("/reconcile", summary="Reconciliation service manifest (dataset default)",
            response_model=ReconManifest, responses=ERRORS)
async def manifest_default(
    request: Request,
    key: KeyInfo = Depends(reconcile_key),
    state: ServiceState = Depends(get_state),
) -> ReconManifest:
    """`GET /reconcile/default`, with every service path under `/reconcile`."""
    screener = await _screener(state, DEFAULT_DATASET)
    return _manifest(request, DEFAULT_DATASET, _schemata(screener), "/reconcile")


# --- reconciliation queries and data extension -------------------------------------------


@dataclass
class ReconcileForm:
    """The parameters of ``POST /reconcile/{dataset}``."""

    queries: str | None
    extend: str | None
    algorithm: str
    changed_since: str | None
    threshold: float
    cutoff: float


def reconcile_form(
    queries: str | None = Form(None, description='JSON: `{"q0": {"query": "name", "type": "Person", "limit": 5, '
                                                  '"properties": [{"pid": "Person:birthDate", "v": "1967-01-13"}]}}`'),
    extend: str | None = Form(None, description='JSON: `{"ids": [...], "properties": [{"id": "birthDate", '
                                                 '"settings": {"limit": 0, "render": "caption"}}]}` (data extension)'),
    algorithm: str = Query(screening.ALGORITHM, title="Scoring algorithm (see /algorithms; yente's names are aliases)"),
    changed_since: str | None = Query(None, title="Not supported by tradeguard (400): entities carry no change dates"),
    threshold: float = Query(DEFAULT_THRESHOLD, ge=0.0, le=1.0, title="Score from which a candidate is a `match`"),
    cutoff: float = Query(screening.SEARCH_CUTOFF, ge=0.0, le=1.0,
                          title="Lowest score of a candidate returned at all (candidates below the threshold "
                                "come back with match=false for the user to judge)"),
) -> ReconcileForm:
    return ReconcileForm(queries, extend, algorithm, changed_since, threshold, cutoff)


_BATCH: TypeAdapter[dict[str, ReconQuery]] = TypeAdapter(dict[str, ReconQuery])


def _errors(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()[:5])


def _decode(field: str, raw: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise screening.BadRequest(f"Cannot decode the '{field}' form field as JSON: {exc}") from exc


def parse_queries(raw: str) -> dict[str, ReconQuery]:
    """The ``queries`` form field (BadRequest, naming the field, when it cannot be used)."""
    data = _decode("queries", raw)
    if not isinstance(data, dict):
        raise screening.BadRequest('The \'queries\' form field must be a JSON object: {"q0": {"query": "a name"}, ...}')
    if len(data) > screening.MAX_QUERIES:
        raise screening.BadRequest(f"Too many queries in one batch: {len(data)} (limit: {screening.MAX_QUERIES})")
    try:
        return _BATCH.validate_python(data)
    except ValidationError as exc:
        raise screening.BadRequest(f"Invalid 'queries' form field: {_errors(exc)}") from exc


def parse_extend(raw: str) -> ReconExtendQuery:
    """The ``extend`` form field (BadRequest, naming the field, when it cannot be used)."""
    data = _decode("extend", raw)
    try:
        query = ReconExtendQuery.model_validate(data)
    except ValidationError as exc:
        raise screening.BadRequest(f"Invalid 'extend' form field: {_errors(exc)}") from exc
    if len(query.ids) > screening.MAX_QUERIES:
        raise screening.BadRequest(f"Too many ids in one batch: {len(query.ids)} (limit: {screening.MAX_QUERIES})")
    return query


@dataclass
class _Prepared:
    """One reconciliation query as a /match example, or None when it gives no name."""

    echo: dict[str, Any]
    example: screening.ParsedExample | None


def prepare_query(name: str, query: ReconQuery) -> _Prepared:
    """A reconciliation query as the /match example it stands for: ``query`` is the name,
    ``type`` the schema (of a list: the first, as in yente), ``properties`` FtM properties."""
    types = [query.type] if isinstance(query.type, str) else list(query.type or [])
    schema_name = (types[0] if types else "").strip() or BASE_SCHEMA
    schema = model.get(schema_name)
    if schema is None:
        raise screening.BadRequest(f"{name}: invalid type {schema_name!r} (give an FtM schema such as Person, "
                                   "Organization, Company, Vessel or Airplane)")
    properties: dict[str, list[str]] = {}
    if query.query is not None and query.query.strip():
        properties["name"] = [query.query.strip()]
    for item in query.properties:
        prop = _property_name(item.pid)
        values = _texts(item.v)
        if prop is not None and values:
            properties.setdefault(prop, []).extend(values)
    echo = {"id": None, "schema": schema.name, "properties": properties}
    named = any(properties.get(p) for p in (*screening.NAME_PROPS, *screening.NAME_PART_PROPS)
                if p in schema.properties)
    if not named:
        return _Prepared(echo, None)  # an empty cell: no candidates (OpenRefine leaves it unmatched)
    try:
        example = screening.parse_example(None, schema.name, dict(properties))
    except screening.BadRequest as exc:
        raise screening.BadRequest(f"{name}: {exc}") from exc
    return _Prepared(example.echo, example)


async def run_reconcile(
    state: ServiceState, key: KeyInfo, dataset: str, batch: dict[str, ReconQuery], threshold: float,
    cutoff: float, algorithm: str,
) -> dict[str, Any]:
    """Every query scored as /match scores its example; the batch audited as one match."""
    prepared = {name: prepare_query(name, q) for name, q in batch.items()}
    examples = {name: p.example for name, p in prepared.items() if p.example is not None}
    screener = await _screener(state, dataset)
    # One engine pass at the largest limit; each query keeps its own top ``limit`` (the
    # best ``limit`` of a longer best-first list are the best ``limit``).
    most = max((q.limit for q in batch.values()), default=1)
    result, payload = screening.match_examples(screener, dataset, examples, limit=most, threshold=threshold,
                                               cutoff=cutoff, algorithm=algorithm, endpoint="/reconcile")
    out: dict[str, Any] = {}
    audited: dict[str, Any] = {}
    for name, query in batch.items():
        found = result["responses"].get(name)
        results = found["results"][:query.limit] if found is not None else []
        out[name] = {"result": [_scored(r) for r in results]}
        entry = payload["queries"].get(name) or {"query": prepared[name].echo, "results": [], "no_name": True}
        entry["results"] = entry["results"][:query.limit]
        entry["limit"] = query.limit
        audited[name] = entry
    payload["queries"] = audited
    await state.audit.submit_async(key.id, "match", payload)
    return out


def run_extend(state: ServiceState, dataset: str, query: ReconExtendQuery) -> dict[str, Any]:
    """yente's data extension: the requested properties of each entity (``rows`` has every id;
    an entity not in the dataset has an empty row). Values are rendered with FtM's captions
    (``Russia`` for ``ru``) unless ``render`` is ``raw``."""
    wanted = [(item, _lookup_property(item.id)) for item in query.properties]
    meta = [{"id": item.id, "name": prop.label if prop is not None else item.id} for item, prop in wanted]
    rows: dict[str, dict[str, list[dict[str, str]]]] = {}
    with state.engine.connect() as conn:
        for entity_id in query.ids:
            entity = get_entity(conn, entity_id) if _in_dataset(entity_id, dataset) else None
            row: dict[str, list[dict[str, str]]] = {}
            if entity is not None:
                proxy = to_proxy(entity)
                for item, prop in wanted:
                    own = proxy.schema.get(prop.name) if prop is not None else None
                    values: list[str] = list(proxy.get(own)) if own is not None else []
                    if item.settings.limit > 0:
                        values = values[:item.settings.limit]
                    if own is not None and item.settings.render == RenderMethod.caption:
                        values = [own.type.caption(v) or v for v in values]
                    row[item.id] = [{"str": v} for v in values]
            rows[entity_id] = row
    return {"meta": meta, "rows": rows}


async def _reconcile_post(state: ServiceState, key: KeyInfo, dataset: str, form: ReconcileForm) -> Response:
    try:
        if form.extend is not None and form.extend.strip():
            extend = parse_extend(form.extend)
            _check_dataset(state, dataset)
            body = await run_in_threadpool(run_extend, state, dataset, extend)
            return _json(body, len(body["rows"]))
        if form.queries is None or not form.queries.strip():
            raise screening.BadRequest("Send a 'queries' form field (reconciliation) or an 'extend' form field "
                                       "(data extension), as JSON")
        if form.changed_since is not None and form.changed_since.strip():
            raise screening.BadRequest(CHANGED_SINCE_REFUSAL)
        algorithm = screening.check_algorithm(form.algorithm)
        batch = parse_queries(form.queries)
        out = await run_reconcile(state, key, dataset, batch, form.threshold, form.cutoff, algorithm)
    except screening.BadRequest as exc:
        raise _bad(exc) from exc
    return _json(out, len(out))


POST_DOC: dict[str, Any] = dict(
    summary="Reconciliation queries and data extension",
    response_model=dict[str, ReconEntityResult] | ReconExtendResponse,
    responses={**ERRORS, 200: {"description": "Candidates per query, or (for `extend`) the values per entity",
                               "headers": {"x-batch-size": {"description": "Queries (or ids) answered",
                                                            "schema": {"type": "string"}}}}},
)


@router.post("/reconcile/{dataset}", **POST_DOC)
async def reconcile(
    dataset: str = PATH_DATASET,
    form: ReconcileForm = Depends(reconcile_form),
    key: KeyInfo = Depends(reconcile_key),
    state: ServiceState = Depends(get_state),
) -> Response:
    """Reconcile a batch of names (form field `queries`), or fetch properties of entities
    (form field `extend`), as yente and the W3C Reconciliation API 0.2 do.

    Each query `{"query": "name", "type": "Person", "limit": 5, "properties": [{"pid":
    "Person:birthDate", "v": "1967-01-13"}]}` is screened as the /match example `{"schema":
    type, "properties": {"name": [query], ...properties}}` would be: the same candidates and
    scores; `match` is score >= `threshold`. Candidates down to `cutoff` are returned so the
    user can judge the near ones. Property ids are FtM property names, plain or qualified;
    unknown ones are ignored. A query with no name gets no candidates. The batch (up to 100
    queries) is written to the audit trail."""
    return await _reconcile_post(state, key, dataset, form)


@router.post("/reconcile", **POST_DOC)
async def reconcile_default(
    form: ReconcileForm = Depends(reconcile_form),
    key: KeyInfo = Depends(reconcile_key),
    state: ServiceState = Depends(get_state),
) -> Response:
    """`POST /reconcile/default`."""
    return await _reconcile_post(state, key, DEFAULT_DATASET, form)


# --- suggest services -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Named:
    folded: str
    tokens: tuple[str, ...]
    entity: int  # position in the screener's entities
    rank: int  # primary names first


_WORD = re.compile(r"\w+")
_PREFIX_INDEX: weakref.WeakKeyDictionary[Screener, list[_Named]] = weakref.WeakKeyDictionary()


def _fold(text: str) -> str:
    """Lower case, no accents, words only: what a typed prefix is compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD.findall(plain))


def _prefix_index(screener: Screener) -> list[_Named]:
    found = _PREFIX_INDEX.get(screener)
    if found is None:
        found = []
        for position, entity in enumerate(screener.matcher.entities):
            for name in entity.names:
                folded = _fold(name.value)
                if folded:
                    found.append(_Named(folded, tuple(folded.split()), position, NAME_KIND_RANK.get(name.kind, 9)))
        _PREFIX_INDEX[screener] = found
    return found


def prefix_hits(screener: Screener, text: str, limit: int) -> list[Entity]:
    """Entities with a name whose words start with the typed words, in any order ("viktor
    bo" finds "BOUT, Viktor"): the engine scores whole words, and a name being typed is not
    one yet. Best covered first (the typed part is most of the word), then primary names."""
    typed = _fold(text).split()
    if sum(len(t) for t in typed) < MIN_PREFIX:
        return []
    longest = max(typed, key=len)
    best: dict[int, tuple[float, int, int]] = {}
    for named in _prefix_index(screener):
        if longest not in named.folded:
            continue
        cover = 0.0
        for part in typed:
            lengths = [len(t) for t in named.tokens if t.startswith(part)]
            if not lengths:
                break
            cover += len(part) / min(lengths)
        else:
            rank = (-cover / len(typed), named.rank, len(named.folded))
            if named.entity not in best or rank < best[named.entity]:
                best[named.entity] = rank
    top = sorted(best.items(), key=lambda item: (item[1], item[0]))[:limit]
    return [screener.matcher.entities[position] for position, _rank in top]


def suggest_entities(state: ServiceState, key: KeyInfo, dataset: str, prefix: str, limit: int) -> list[ReconEntity]:
    """Entities for a name being typed: the engine's matches (over the threshold), then names
    that start with the typed words, then the engine's weaker candidates. Audited as a search."""
    try:
        screener = state.screener(dataset)
    except UnknownDataset as exc:
        raise _no_dataset() from exc
    text = prefix.strip()[:1000]
    if not text:
        return []
    matches = screener.match_query(EngineQuery(name=text), limit=limit, threshold=screening.SEARCH_CUTOFF)
    threshold = screener.threshold
    scores = {m.entity.entity_id: m for m in matches}
    ordered: dict[str, Entity] = {}
    for entity in [*(m.entity for m in matches if m.score >= threshold), *prefix_hits(screener, text, limit),
                   *(m.entity for m in matches if m.score < threshold)]:
        ordered.setdefault(entity.entity_id, entity)
    chosen = list(ordered.values())[:limit]
    audited = []
    for entity in chosen:
        m = scores.get(entity.entity_id)
        audited.append({"entity_id": entity.entity_id, "score": round(float(m.score), 4) if m else None,
                        "matched_name": m.matched_name if m else None,
                        "match": bool(m and m.score >= threshold), "prefix": m is None})
    state.audit.write(key.id, "search", {
        "endpoint": "/reconcile/suggest/entity", "dataset": dataset, "query": {"prefix": prefix},
        "list_versions": screening.version_refs(screener), "threshold": threshold,
        "cutoff": screening.SEARCH_CUTOFF, "limit": limit, "algorithm": screening.ALGORITHM,
        "engine_version": engine_version(), "results": audited,
    })
    return [_entity(screening.entity_dict(e)) for e in chosen]


def matched_properties(schemata: list[Schema], prefix: str) -> list[ReconProperty]:
    """The properties the engine reads from a query (names, name parts, dates, countries,
    identifiers, address) of the dataset's schemata, whose name or label starts with ``prefix``."""
    seen: dict[str, ReconProperty] = {}
    for schema in schemata:
        for prop in schema.properties.values():
            used = prop.name in MATCHED or (prop.type == registry.identifier and prop.name not in screening.SKIP_IDENTIFIERS)
            if prop.hidden or not used or prop.qname in seen or not _starts(prefix, prop.name, prop.label):
                continue
            seen[prop.qname] = ReconProperty(id=prop.qname, name=prop.label, description=(prop.description or "").strip() or None)
    return list(seen.values())[:SUGGEST_PAGE]


def extend_properties(schema: Schema, limit: int) -> list[ReconExtendProperty]:
    """The properties tradeguard fills for entities of ``schema``: the schema's featured ones
    first, then the others by label."""
    usable = [p for p in schema.properties.values() if p.name in FILLED and p.type != registry.entity]
    featured = [p for name in schema.featured for p in usable if p.name == name]
    rest = sorted((p for p in usable if p not in featured), key=lambda p: p.label)
    out = [ReconExtendProperty(id=p.name, name=p.label) for p in [*featured, *rest]]
    return out[:limit] if limit > 0 else out


PREFIX = Query("", max_length=1000, description="What the user has typed")
SUGGEST_LIMIT = Query(SUGGEST_PAGE, ge=1, le=100, description="Number of suggestions to return")
EXTEND_TYPE = Query(BASE_SCHEMA, description="Type (FtM schema) of the entities to propose properties for")
EXTEND_LIMIT = Query(0, ge=0, le=1000, description="Number of properties to propose (0: all)")


@router.get("/reconcile/{dataset}/suggest/entity", summary="Suggest entities",
            response_model=ReconEntitySuggestResponse, responses=ERRORS)
def suggest_entity(
    dataset: str = PATH_DATASET,
    prefix: str = PREFIX,
    limit: int = SUGGEST_LIMIT,
    key: KeyInfo = Depends(reconcile_key),
    state: ServiceState = Depends(get_state),
) -> ReconEntitySuggestResponse:
    """Entities for a (partly typed) name: the engine's name search, then listed names that
    start with the typed words. Written to the audit trail as a search."""
    return ReconEntitySuggestResponse(prefix=prefix, result=suggest_entities(state, key, dataset, prefix, limit))


@router.get("/reconcile/{dataset}/suggest/type", summary="Suggest types (FtM schemata)",
            response_model=ReconTypeSuggestResponse, responses=ERRORS)
async def suggest_type(
    dataset: str = PATH_DATASET,
    prefix: str = PREFIX,
    key: KeyInfo = Depends(reconcile_key),
    state: ServiceState = Depends(get_state),
) -> ReconTypeSuggestResponse:
    """The dataset's types (FtM schemata) whose name or label starts with `prefix`."""
    schemata = _schemata(await _screener(state, dataset))
    result = [_type(s) for s in schemata if _starts(prefix, s.name, s.label, s.plural)]
    return ReconTypeSuggestResponse(prefix=prefix, result=result[:SUGGEST_PAGE])


@router.get("/reconcile/{dataset}/suggest/property", summary="Suggest query properties",
            response_model=ReconPropertySuggestResponse, responses=ERRORS)
async def suggest_property(
    dataset: str = PATH_DATASET,
    prefix: str = PREFIX,
    key: KeyInfo = Depends(reconcile_key),
    state: ServiceState = Depends(get_state),
) -> ReconPropertySuggestResponse:
    """Properties to send with queries (ids are qualified FtM names, `Person:birthDate`):
    those the engine scores on, of the dataset's types, whose name or label starts with `prefix`."""
    schemata = _schemata(await _screener(state, dataset))
    return ReconPropertySuggestResponse(prefix=prefix, result=matched_properties(schemata, prefix))


@router.get("/reconcile/{dataset}/extend/property", summary="Propose properties for data extension",
            response_model=ReconExtendPropertiesResponse, responses=ERRORS)
async def propose_properties(
    dataset: str = PATH_DATASET,
    type: str = EXTEND_TYPE,
    limit: int = EXTEND_LIMIT,
    key: KeyInfo = Depends(reconcile_key),
    state: ServiceState = Depends(get_state),
) -> ReconExtendPropertiesResponse:
    """The properties tradeguard holds for entities of `type` (featured ones first)."""
    return _propose(state, dataset, type, limit)


def _propose(state: ServiceState, dataset: str, type_name: str, limit: int) -> ReconExtendPropertiesResponse:
    _check_dataset(state, dataset)
    schema = model.get(type_name)
    if schema is None:
        raise HTTPException(400, detail=f"Invalid type: {type_name!r} (an FtM schema such as Person)")
    return ReconExtendPropertiesResponse(limit=limit, type=schema.name, properties=extend_properties(schema, limit))


# The dataset ``default`` under /reconcile (where GET /reconcile's manifest points).
@router.get("/reconcile/suggest/entity", response_model=ReconEntitySuggestResponse, include_in_schema=False)
def suggest_entity_default(prefix: str = PREFIX, limit: int = SUGGEST_LIMIT, key: KeyInfo = Depends(reconcile_key),
                           state: ServiceState = Depends(get_state)) -> ReconEntitySuggestResponse:
    return suggest_entity(DEFAULT_DATASET, prefix, limit, key, state)


@router.get("/reconcile/suggest/type", response_model=ReconTypeSuggestResponse, include_in_schema=False)
async def suggest_type_default(prefix: str = PREFIX, key: KeyInfo = Depends(reconcile_key),
                               state: ServiceState = Depends(get_state)) -> ReconTypeSuggestResponse:
    return await suggest_type(DEFAULT_DATASET, prefix, key, state)


@router.get("/reconcile/suggest/property", response_model=ReconPropertySuggestResponse, include_in_schema=False)
async def suggest_property_default(prefix: str = PREFIX, key: KeyInfo = Depends(reconcile_key),
                                   state: ServiceState = Depends(get_state)) -> ReconPropertySuggestResponse:
    return await suggest_property(DEFAULT_DATASET, prefix, key, state)


@router.get("/reconcile/extend/property", response_model=ReconExtendPropertiesResponse, include_in_schema=False)
async def propose_properties_default(type: str = EXTEND_TYPE, limit: int = EXTEND_LIMIT,
                                     key: KeyInfo = Depends(reconcile_key),
                                     state: ServiceState = Depends(get_state)) -> ReconExtendPropertiesResponse:
    return _propose(state, DEFAULT_DATASET, type, limit)


# --- preview ----------------------------------------------------------------------------

_CARD = Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ caption }}</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:8px;color:#222}
h1{font-size:16px;margin:0 0 2px}
.kind{color:#666;margin:0 0 8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:0}
dt{color:#666}dd{margin:0}
code{font-size:12px}
</style></head><body>
<h1>{{ caption }}</h1>
<p class="kind">{{ kind }} &middot; {{ datasets }} &middot; <code>{{ id }}</code></p>
<dl>
{% for label, values in rows %}<dt>{{ label }}</dt><dd>{{ values | join("; ") }}</dd>
{% endfor %}</dl>
</body></html>
""")
PREVIEW_HEADERS = {
    "Cache-Control": "no-store",  # the URL may carry ?api_key=
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    **CORS,
}


def _card_rows(entity: Entity, data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    props: dict[str, list[str]] = data.get("properties", {})
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, values: list[str], most: int = 8) -> None:
        values = [v for v in values if v]
        if values:
            rows.append((label, values[:most] + ([f"… {len(values) - most} more"] if len(values) > most else [])))

    add("Other names", [v for p in ("alias", "weakAlias", "previousName") for v in props.get(p, [])])
    for field, label in (("birthDate", "Born"), ("buildDate", "Built")):
        add(label, props.get(field, []))
    add("Birth place", props.get("birthPlace", []))
    add("Countries", _countries(props))
    add("Programmes", entity.programs)
    add("Identifiers", [f"{i.type}: {i.value}" if i.type else i.value for i in entity.identifiers])
    add("Listed on", [entity.listed_on] if entity.listed_on else [])
    add("Address", [a.text for a in entity.addresses], most=3)
    add("Notes", [r if len(r) <= 300 else r[:300] + "…" for r in entity.remarks], most=2)
    return rows


def render_preview(state: ServiceState, dataset: str, entity_id: str) -> HTMLResponse:
    """A small HTML card (everything escaped) for OpenRefine's preview pane."""
    _check_dataset(state, dataset)
    entity = None
    if _in_dataset(entity_id, dataset):
        with state.engine.connect() as conn:
            entity = get_entity(conn, entity_id)
    if entity is None:
        raise HTTPException(404, detail="No such entity!")
    data = screening.entity_dict(entity)
    schema = model.get(entity.schema)
    html = _CARD.render(caption=entity.caption, kind=schema.label if schema is not None else entity.schema,
                        datasets=", ".join(data.get("datasets", [])), id=entity.entity_id,
                        rows=_card_rows(entity, data))
    return HTMLResponse(html, headers=PREVIEW_HEADERS)



# Errors are JSON, as everywhere; only the card is HTML (a ``model`` would be documented as
# the route's media type, so the schema is referenced by hand).
PREVIEW_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": "No such dataset or entity" if status == 404 else doc["description"],
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}
    for status, doc in ERRORS.items()
}


@router.get("/reconcile/{dataset}/preview", summary="Entity preview card (HTML)", response_class=HTMLResponse,
            responses=PREVIEW_RESPONSES)
def preview(
    dataset: str = PATH_DATASET,
    id: str = PREVIEW_ID,
    key: KeyInfo = Depends(reconcile_key),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """A small HTML card of one entity (name, kind, list, birth date, countries, programmes,
    identifiers) for OpenRefine's preview pane, as sized in the manifest."""
    return render_preview(state, dataset, id)
