"""Models of the Reconciliation Service API (``/reconcile``, what OpenRefine speaks).

Field names, nesting and types follow yente's (``yente/data/freebase.py``), which follow
the W3C Entity Reconciliation community group's API 0.2 (the "Freebase" API), so yente's
own models and OpenRefine read our answers unchanged.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tradeguard.service.screening import MAX_LIMIT

# --- types, properties, entities --------------------------------------------------------


class ReconType(BaseModel):
    """A type: an FtM schema."""

    id: str = Field(..., examples=["Person"])
    name: str = Field(..., examples=["People"])
    description: str | None = None


class ReconProperty(BaseModel):
    """A property, by its qualified FtM name (``Person:birthDate``)."""

    id: str = Field(..., examples=["Person:birthDate"])
    name: str = Field(..., examples=["Birth date"])
    description: str | None = None


class ReconEntity(BaseModel):
    id: str = Field(..., examples=["us_ofac_sdn-8279"])
    name: str = Field(..., examples=["BOUT, Viktor Anatolijevitch"])
    description: str | None = Field(None, examples=["Person; us_ofac_sdn; born 1967-01-13; Russia"])
    type: list[ReconType]


class ReconScoredEntity(ReconEntity):
    score: float | None = Field(..., examples=[0.97])
    match: bool | None = Field(..., examples=[True])


class ReconEntityResult(BaseModel):
    """The candidates for one query, best first."""

    result: list[ReconScoredEntity]


# --- suggest ----------------------------------------------------------------------------


class ReconStatus(BaseModel):
    code: str = "/api/status/ok"
    status: str = "200 OK"


class ReconSuggestResponse(ReconStatus):
    prefix: str


class ReconTypeSuggestResponse(ReconSuggestResponse):
    result: list[ReconType]


class ReconEntitySuggestResponse(ReconSuggestResponse):
    result: list[ReconEntity]


class ReconPropertySuggestResponse(ReconSuggestResponse):
    result: list[ReconProperty]


# --- data extension ---------------------------------------------------------------------


class ReconExtendProperty(BaseModel):
    id: str = Field(..., examples=["birthDate"])
    name: str = Field(..., examples=["Birth date"])


class ReconExtendPropertiesResponse(BaseModel):
    limit: int
    type: str
    properties: list[ReconExtendProperty]


class RenderMethod(StrEnum):
    raw = "raw"
    caption = "caption"


class ReconExtendSettings(BaseModel):
    limit: int = Field(default=0, ge=0, description="Values per row and property (0: all)")
    render: RenderMethod = RenderMethod.caption


class ReconExtendQueryProperty(BaseModel):
    id: str
    settings: ReconExtendSettings = ReconExtendSettings()


class ReconExtendQuery(BaseModel):
    """The ``extend`` form field of ``POST /reconcile/{dataset}``."""

    ids: list[str]
    properties: list[ReconExtendQueryProperty]


class ReconExtendMeta(BaseModel):
    id: str
    name: str


class ReconExtendValue(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    value: str = Field(..., alias="str")


class ReconExtendResponse(BaseModel):
    meta: list[ReconExtendMeta]
    rows: dict[str, dict[str, list[ReconExtendValue]]]


# --- the service manifest ---------------------------------------------------------------


class ManifestView(BaseModel):
    url: str = Field(..., examples=["http://localhost:8000/entities/{{id}}"])


class ManifestPreview(BaseModel):
    url: str
    width: int
    height: int


class ManifestService(BaseModel):
    service_url: str = Field(..., examples=["http://localhost:8000/reconcile/default"])
    service_path: str = Field(..., examples=["/suggest/entity"])


class ManifestSuggest(BaseModel):
    entity: ManifestService
    type: ManifestService
    property: ManifestService


class ManifestSettingChoice(BaseModel):
    id: str
    name: str


class ManifestSetting(BaseModel):
    name: str
    label: str
    type: str
    default: Any
    help_text: str
    choices: list[ManifestSettingChoice] = []


class ManifestExtend(BaseModel):
    propose_properties: ManifestService
    propose_settings: list[ManifestSetting]


class ReconManifest(BaseModel):
    versions: list[str] = Field(..., examples=[["0.2"]])
    name: str
    identifierSpace: str
    schemaSpace: str
    documentation: str
    batchSize: int
    view: ManifestView
    preview: ManifestPreview
    suggest: ManifestSuggest
    extend: ManifestExtend
    defaultTypes: list[ReconType]


# --- reconciliation queries (the ``queries`` form field) --------------------------------


class ReconPropertyFilter(BaseModel):
    pid: str = Field(..., description="An FtM property name, plain (`birthDate`) or qualified (`Person:birthDate`)")
    v: Any = Field(..., description="A value or a list of values (strings; numbers and `{\"id\": ...}` are read as text)")


class ReconQuery(BaseModel):
    query: str | None = Field(None, description="The name to reconcile")
    type: str | list[str] | None = Field(None, description="An FtM schema (of a list: the first); default `Thing` (any kind)")
    limit: int = Field(5, ge=1, le=MAX_LIMIT, description="Number of candidates to return")
    properties: list[ReconPropertyFilter] = []
