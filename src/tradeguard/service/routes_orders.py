"""Order and shipment screening over HTTP: screen a file, list the screened files, read
one's summary, its per-line results and its HTML evidence report. The same five routes for each kind, under
``/orders`` and ``/shipments`` (one pipeline; shipments add the vessel and the route).

Role: screener for all of them (a reviewer files the report as evidence; the screener who
uploaded the file reads it too). Every screening is written to the audit trail (action
``orders_screen`` or ``shipments_screen``, with the file's sha256, the list versions in
force, the threshold and the engine version); party matches join the alert queue like any
other.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tradeguard.service.auth import require
from tradeguard.service.models import ErrorResponse
from tradeguard.service.orders import (
    KINDS,
    OrderService,
    ScreenedFile,
    ScreeningKind,
    Unavailable,
    orders_of,
    results_jsonl,
)
from tradeguard.service.routes_api import AUTH, E400, E404, MAX_ID, save_upload
from tradeguard.service.screening import BadRequest
from tradeguard.store.keys import KeyInfo

router = APIRouter()

screener_key = require("screener")
E503 = {"model": ErrorResponse, "description": "Screening cannot run now (no lists loaded, or no CHPL file)"}

# The report is stored HTML with the order file's own text in it (escaped): served with a
# policy that lets it style itself and do nothing else.
REPORT_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
}


class OrderCounts(BaseModel):
    block: int = Field(..., examples=[7])
    review: int = Field(..., examples=[4])
    clear: int = Field(..., examples=[5])
    skipped: int = Field(..., description="Rows that could not be read (not screened)", examples=[0])


class OrderScreeningItem(BaseModel):
    id: int = Field(..., examples=[1])
    file: str = Field(..., examples=["orders.csv"])
    sha256: str = Field(..., description="SHA-256 of the file as uploaded")
    screened_at: str = Field(..., examples=["2026-08-02T09:15:00+00:00"])
    actor: str = Field(..., description="The key id (or cli:<user>) that screened it")
    lines: int = Field(..., description="Lines screened")
    counts: OrderCounts
    report: str = Field(..., examples=["/orders/1/report", "/shipments/2/report"])


async def orders_service(request: Request) -> OrderService:
    return orders_of(request)


def _screen(service: OrderService, actor: str, path: Path, filename: str, threshold: float | None,
            kind: ScreeningKind) -> ScreenedFile:
    try:
        return service.screen_path(actor, path, filename, threshold=threshold, kind=kind)
    except BadRequest as exc:
        raise HTTPException(400, detail=str(exc)) from exc
    except Unavailable as exc:
        raise HTTPException(503, detail=str(exc)) from exc


SCREEN_DOCS = {
    "orders": """Screen every line of an order file: its parties (matching engine, ownership under OFAC,
    EU and UK rules), goods (CHPL, ECCN) and route (sanctioned countries and places,
    transshipment risk, red flags). Each line gets a verdict with every reason that produced
    it. Rows that cannot be read are listed in the summary with their line. The summary and
    the HTML report are stored; the screening is audited; party matches raise alerts.""",
    "shipments": """Screen every shipment (bill of lading or booking) of a file: as an order line (its
    shipper, consignee, notify party and carrier, its goods, its destination) and its voyage:
    the vessel (IMO and MMSI matched exactly against the lists, its name with ex-names through
    the engine, owners and operators the lists link to it), its ports (UN/LOCODE or name,
    resolved to a country: sanctioned countries, occupied regions, the Caspian route,
    transshipment hubs for CHPL goods) and its flag. Each shipment gets a verdict with every
    reason that produced it; the summary and the HTML report are stored; the screening is
    audited (`shipments_screen`); party matches raise alerts.""",
}


def _add_routes(kind: ScreeningKind) -> None:
    """POST /{kind}/screen, GET /{kind}, /{kind}/{id}, /{kind}/{id}/results and /{kind}/{id}/report."""
    tag = kind.title
    screening_id_param = PathParam(ge=1, le=MAX_ID, description=f"The screening's id (see `GET /{kind.name}`)")

    def screen(
        file: UploadFile = File(..., description=f"CSV, XLSX or JSONL, one {kind.line} per row: {kind.columns}"),
        threshold: float | None = Query(None, ge=0.0, le=1.0, description="Party match threshold [default: the engine's]"),
        key: KeyInfo = Depends(screener_key),
        service: OrderService = Depends(orders_service),
    ) -> StreamingResponse:
        with tempfile.TemporaryDirectory(prefix=f"tradeguard-{kind.name}-") as tmp:
            path = save_upload(file, Path(tmp))
            screened = _screen(service, key.id, path, file.filename or path.name, threshold, kind)

        def lines() -> Iterator[bytes]:
            for record in screened.records:
                yield (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
            yield (json.dumps({"summary": screened.summary}, ensure_ascii=False, default=str) + "\n").encode("utf-8")

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    screen.__doc__ = SCREEN_DOCS[kind.name]
    router.add_api_route(
        f"/{kind.name}/screen", screen, methods=["POST"], name=f"{kind.name}_screen",
        summary=f"Screen a{'n' if kind.file[0] in 'aeiou' else ''} {kind.file} (results as JSON lines)", tags=[tag],
        responses={
            200: {"content": {"application/x-ndjson": {}},
                  "description": f"One JSON object per screened {kind.line}, in file order: `{{line, verdict, reasons: "
                                 "[{rule, detail, source}]}` with `verdict` block, review or clear; then one "
                                 "`{summary}` line: verdicts, top reasons, skipped rows with their line, list versions, "
                                 "`screening_id` and the `report` link."},
            400: E400, 503: E503, **AUTH,
        },
        response_class=StreamingResponse,
    )

    def listing(
        limit: int = Query(100, ge=1, le=1000),
        key: KeyInfo = Depends(screener_key),
        service: OrderService = Depends(orders_service),
    ) -> list[dict[str, Any]]:
        """Newest first: file, sha256, when and by whom, lines by verdict, the report link."""
        return service.screenings(limit, kind)

    router.add_api_route(f"/{kind.name}", listing, methods=["GET"], name=f"{kind.name}_list",
                         summary=f"Screened {kind.file}s", tags=[tag], response_model=list[OrderScreeningItem],
                         responses=AUTH)

    def summary(
        screening_id: int = screening_id_param,
        key: KeyInfo = Depends(screener_key),
        service: OrderService = Depends(orders_service),
    ) -> dict[str, Any]:
        """As stored when it was screened: verdicts, top reasons, skipped rows, the list
        versions, goods lists and destination rules (and, for shipments, the port data) in
        force, the threshold, alerts raised."""
        found = service.stored(screening_id, kind)
        if found is None:
            raise HTTPException(404, detail=f"no {kind.word} screening {screening_id}")
        return found[0]

    router.add_api_route(f"/{kind.name}/{{screening_id}}", summary, methods=["GET"], name=f"{kind.name}_summary",
                         summary=f"The summary of a screened {kind.file}", tags=[tag],
                         response_model=dict[str, Any], responses={**AUTH, 404: E404})

    def results(
        screening_id: int = screening_id_param,
        verdict: str | None = Query(None, pattern="^(block|review|clear)$", description="Only lines of this verdict"),
        key: KeyInfo = Depends(screener_key),
        service: OrderService = Depends(orders_service),
    ) -> StreamingResponse:
        """Every line's result as `POST /{kind}/screen` streamed it, read back from the store
        (any server worker, any time after)."""
        screened = service.screened_file(screening_id, kind, verdict)
        if screened is None:
            raise HTTPException(404, detail=f"no {kind.word} screening {screening_id}")
        if screened.lines is None:
            raise HTTPException(404, detail=(f"{kind.word} screening {screening_id} was stored before per-line results "
                                             "were; its report has every line"))
        return StreamingResponse(iter([results_jsonl(screened).encode("utf-8")]), media_type="application/x-ndjson")

    results.__doc__ = (results.__doc__ or "").replace("{kind}", kind.name)
    router.add_api_route(
        f"/{kind.name}/{{screening_id}}/results", results, methods=["GET"], name=f"{kind.name}_results",
        summary=f"The per-line results of a screened {kind.file} (JSON lines)", tags=[tag],
        responses={**AUTH, 404: E404, 200: {"content": {"application/x-ndjson": {}},
                                            "description": "One `{line, verdict, reasons}` per line, in file order"}},
        response_class=StreamingResponse,
    )

    async def report(
        screening_id: int = screening_id_param,
        key: KeyInfo = Depends(screener_key),
        service: OrderService = Depends(orders_service),
    ) -> HTMLResponse:
        """Self-contained HTML: the file's name and sha256, when it was screened, the list
        versions, threshold and engine version, and every line with its verdict and each
        reason with its source (the same as `tradeguard orders report ID`)."""
        found = await run_in_threadpool(service.report, key.id, screening_id, "api", kind)
        if found is None:
            raise HTTPException(404, detail=f"no {kind.word} screening {screening_id}")
        return HTMLResponse(found, headers=REPORT_HEADERS)

    router.add_api_route(
        f"/{kind.name}/{{screening_id}}/report", report, methods=["GET"], name=f"{kind.name}_report",
        summary=f"The evidence report of a screened {kind.file} (HTML)", tags=[tag],
        responses={**AUTH, 404: E404, 200: {"content": {"text/html": {"schema": {"type": "string"}}},
                                            "description": "The report"}},
    )


for _kind in KINDS.values():
    _add_routes(_kind)
