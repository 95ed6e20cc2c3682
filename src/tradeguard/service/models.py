"""Request and response models of the HTTP API (they make the published OpenAPI document).

The yente-compatible models follow yente's own (``yente/data/common.py``): field names,
nesting and types are the same, so yente clients parse our responses unchanged. Fields we
add (``explanation``, ``list_versions``...) are extra keys that such clients ignore.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# --- yente-compatible -------------------------------------------------------------------


class ErrorResponse(BaseModel):
    detail: Any = Field(..., examples=["Detailed error message"])


class StatusResponse(BaseModel):
    status: str = "ok"


class TotalSpec(BaseModel):
    value: int = Field(..., examples=[42])
    relation: str = Field("eq", examples=["eq"])


class EntityResponse(BaseModel):
    """A listed entity in FollowTheMoney form."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(..., examples=["us_ofac_sdn-7140"])
    caption: str = Field(..., examples=["John Doe"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, list[str]] = Field(..., examples=[{"name": ["John Doe"]}])
    datasets: list[str] = Field([], examples=[["us_ofac_sdn"]])
    referents: list[str] = Field([], examples=[[]])
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class FeatureResult(BaseModel):
    """One scoring feature of a result, as nomenklatura's FeatureResult (yente's shape)."""

    score: float = Field(..., examples=[0.93])
    detail: str | None = Field(None, examples=["hit primary name 'Viktor Anatolyevich BOUT'; tokens: viktor, bout"])
    query: str | None = Field(None, examples=["Viktor Bout"])
    candidate: str | None = Field(None, examples=["Viktor Anatolyevich BOUT"])


class ScoredEntityResponse(EntityResponse):
    score: float = Field(..., examples=[0.93])
    explanations: dict[str, FeatureResult] = Field(
        {}, description="Per feature (the keys of `features`): its score, a one-line detail, and the query "
                        "and candidate values that met (yente's `explanations`).")
    features: dict[str, float] = Field(..., examples=[{"name": 0.93}], description="Older yente clients' form: feature -> score.")
    match: bool = False
    explanation: Any = Field(None, description="The engine's explanation: which tokens met, how, which attributes agreed.")
    matched_name: str | None = None
    name_kind: str | None = None


class EntityExample(BaseModel):
    """A query entity: an FtM schema and properties (values as a list or one string)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, examples=["my-entity-id"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, str | list[str]] = Field(..., examples=[{"name": ["John Doe"], "birthDate": ["1975-04-21"]}])


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field({}, description="Accepted for yente compatibility; tradeguard's engine has no per-request weights.")
    config: dict[str, Any] = Field({}, description="Accepted for yente compatibility; must be empty.")
    queries: dict[str, EntityExample] = Field(
        ...,
        min_length=1,
        max_length=100,
        examples=[{"q1": {"schema": "Person", "properties": {"name": ["John Doe"], "birthDate": ["1975-04-21"]}}}],
    )


class EntityMatches(BaseModel):
    status: int = Field(200, examples=[200])
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str | None = None
    coefficient: float = 1.0
    url: str = ""


class ListVersionRef(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    list_: str = Field(..., alias="list")
    version: int
    list_date: str
    sha256: str


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int = Field(..., examples=[5])
    threshold: float | None = None
    algorithm: str | None = None
    list_versions: list[ListVersionRef] = []


class SearchFacetItem(BaseModel):
    name: str
    label: str
    count: int = 1


class SearchFacet(BaseModel):
    label: str
    values: list[SearchFacetItem]


class SearchResultEntity(EntityResponse):
    """A /search result: yente's EntityResponse; a name search adds the engine's score."""

    score: float | None = Field(None, examples=[0.64], description="Name search only: the engine's score.")
    match: bool | None = Field(None, description="Name search only: the score reaches the threshold.")
    below_threshold: bool | None = Field(None, description="Name search only: the score is below the threshold "
                                                           "(a candidate to look at, not a match).")


class SearchResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[SearchResultEntity]
    facets: dict[str, SearchFacet]
    threshold: float | None = Field(None, description="Name search only: the threshold of `match`.")
    below_threshold: bool | None = Field(None, description="Name search only: candidates were found but none "
                                                           "reaches the threshold (they are shown as `match: false`).")


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = False
    children: list[str]
    entity_count: int | None = None
    list_date: str | None = None
    published: str | None = None
    sha256: str | None = None


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


class AlgorithmDocs(BaseModel):
    """nomenklatura's AlgorithmDocs: the algorithm, its configuration variables (none:
    tradeguard's engine takes no per-request configuration) and its features."""

    name: str
    description: str | None = None
    config: dict[str, Any] = {}
    features: dict[str, FeatureDoc]


class AlgorithmModel(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc] = Field(..., description="Older clients' form; use `docs`.")
    docs: AlgorithmDocs
    aliases: list[str] = []


class AlgorithmResponse(BaseModel):
    algorithms: list[AlgorithmModel]
    default: str
    best: str


# --- lists ------------------------------------------------------------------------------


class VersionModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    version: int
    list_: str = Field(..., alias="list")
    format: str
    published: str | None
    list_date: str
    sha256: str
    source_files: list[str]
    loaded_at: str
    entity_count: int
    counts: dict[str, int]
    notes: list[str]


class ListStatusItem(VersionModel):
    age_days: int | None
    stale: bool
    versions: int


class ListsStatus(BaseModel):
    max_age_days: int
    lists: list[ListStatusItem]


class VersionListItem(VersionModel):
    active: bool


class DiffItem(BaseModel):
    entity_id: str
    source_id: str
    schema_: str = Field(..., alias="schema")
    name: str
    fields: dict[str, Any] | None = None


class DiffModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    list_: str = Field(..., alias="list")
    from_: VersionModel = Field(..., alias="from")
    to: VersionModel
    added: list[DiffItem]
    removed: list[DiffItem]
    changed: list[DiffItem]


# --- parties ----------------------------------------------------------------------------


class JobItem(BaseModel):
    """A batch screening job (``POST /screen`` or the web UI) as the store keeps it."""

    id: str
    origin: Literal["ui", "api"]
    file: str
    sha256: str
    dataset: str
    threshold: float | None = None
    status: Literal["running", "done", "failed", "stopped"]
    failure: str | None = Field(None, description="Why it failed or stopped (also: the server stopped mid-job)")
    rows: int = Field(description="Rows in the file")
    done: int = Field(description="Rows screened (or found unreadable) so far; their results are kept")
    errors: int
    with_matches: int
    created_at: str
    finished_at: str | None = None
    summary: dict[str, Any] | None = None


class PartyIn(BaseModel):
    id: str = Field(..., min_length=1, max_length=200, examples=["C-1001"])
    name: str = Field(..., min_length=1, examples=["Blue Horizon Trading LLC"])
    schema_: str | None = Field(None, alias="schema", examples=["Organization"])
    birth_date: str | None = Field(None, examples=["1970-05-02"])
    country: str | None = Field(None, examples=["ru"])
    identifiers: list[str] = Field([], examples=[["IMO 9929429"]])
    address: str | None = None
    kind: Literal["customer", "supplier", "consignee"] = "customer"

    model_config = ConfigDict(populate_by_name=True)


class PartyModel(BaseModel):
    id: str
    name: str
    schema_: str | None = Field(None, alias="schema")
    birth_date: str | None
    country: str | None
    identifiers: list[str]
    address: str | None
    kind: str
    data_hash: str
    active: bool
    created_at: str
    updated_at: str

    model_config = ConfigDict(populate_by_name=True)


class RowErrorModel(BaseModel):
    line: int
    problem: str


class RegisterResponse(BaseModel):
    created: int
    updated: int
    unchanged: int
    screened: int
    alerts: dict[str, Any]
    list_versions: list[dict[str, Any]]
    matches: dict[str, list[dict[str, Any]]] = {}
    errors: list[RowErrorModel] = []


class PartyDetail(BaseModel):
    party: PartyModel
    alerts: list[dict[str, Any]]
    screenings: list[dict[str, Any]]


# --- alerts -----------------------------------------------------------------------------


class AlertModel(BaseModel):
    id: int
    party_id: str
    entity_id: str
    list: str
    version: int
    score: float
    matched_name: str
    name_kind: str | None
    explanation: Any
    party_hash: str
    party: dict[str, Any]
    entity_hash: str
    status: str
    previous_alert_id: int | None
    changes: dict[str, Any] | None
    created_at: str
    updated_at: str
    closed_by_version: int | None
    closed_reason: str | None


class AlertList(BaseModel):
    counts: dict[str, int]
    alerts: list[AlertModel]


class DecisionModel(BaseModel):
    id: int
    alert_id: int
    decision: str
    reason: str
    reviewer: str
    at: str
    effect: str


class AlertDetail(BaseModel):
    alert: AlertModel
    entity: dict[str, Any] | None = Field(None, description="The listed entity as it stood in the version that raised the alert.")
    entity_ftm: dict[str, Any] | None = None
    party_now: PartyModel | None
    decisions: list[DecisionModel]


class DecisionIn(BaseModel):
    decision: Literal["true_match", "false_positive"]
    reason: str = Field(..., min_length=1, max_length=4000, pattern=r"\S")
    four_eyes: bool | None = Field(None, description="Override the server's four-eyes setting for this decision.")
    seen_decisions: int | None = Field(
        None, ge=0, le=1_000_000,
        description="How many decisions the alert had when you looked at it (`decisions` of GET /alerts/{id}): "
                    "when another reviewer decided since, the decision is refused with 409 naming who decided what.")


class DecisionResponse(BaseModel):
    alert: AlertModel
    decision: DecisionModel
    pending: bool


# --- audit and keys ---------------------------------------------------------------------


class AuditEntryModel(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    subject: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class AuditHead(BaseModel):
    seq: int
    hash: str


class AuditVerifyModel(BaseModel):
    ok: bool
    first_bad_seq: int | None
    reason: str
    head: AuditHead


class KeyModel(BaseModel):
    id: str
    role: str
    label: str
    created_at: str
    revoked_at: str | None


class KeyIn(BaseModel):
    role: Literal["screener", "reviewer", "admin"]
    label: str = Field("", max_length=200)


class KeyCreated(KeyModel):
    key: str = Field(..., description="The key itself: shown only in this response.")


class WhoAmI(BaseModel):
    id: str
    role: str
    label: str
