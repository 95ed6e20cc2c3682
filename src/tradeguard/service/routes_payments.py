"""Payment screening over HTTP: the raw message in, a verdict per transaction out.

``POST /payments/screen`` takes one payment message, or a file of several, as the request
body (ISO 20022 XML or SWIFT MT text; the format is told from the content) and answers
synchronously. Role: screener. Every call is written to the audit trail (action
``payments_screen``: the body's sha256, the list versions in force, the threshold, the
regime and each transaction's verdict and hits).
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tradeguard.payments.iso20022 import MAX_MESSAGE_BYTES
from tradeguard.payments.read import read_payment_bytes
from tradeguard.screening.parties import Screener
from tradeguard.screening.payments import PaymentScreener
from tradeguard.service import screening
from tradeguard.service.auth import require, state_of
from tradeguard.service.models import ErrorResponse
from tradeguard.service.routes_api import AUTH, E400
from tradeguard.service.state import DEFAULT_DATASET, ServiceState
from tradeguard.store.keys import KeyInfo

router = APIRouter()
screener_key = require("screener")

MAX_BODY_BYTES = 4 * MAX_MESSAGE_BYTES  # a file of a few messages; batches belong to the CLI
E413 = {"model": ErrorResponse, "description": "The body is larger than the limit"}


class PaymentHitModel(BaseModel):
    field: str = Field(..., description="Path of the field", examples=["CdtTrfTxInf/RmtInf/Ustrd"])
    value: str = Field(..., description="What the field holds (for free text: the span found)", examples=["MAHAN AIR"])
    kind: str = Field(..., examples=["text"],
                      description="name, bic, lei, text, country, place, bic_country or iban_country")
    rule: str = Field(..., examples=["payment.listed_name_in_text"])
    list: str | None = Field(None, examples=["us_ofac_sdn"])
    source_id: str | None = Field(None, examples=["12927"])
    entity_id: str | None = Field(None, examples=["us_ofac_sdn-12927"])
    score: float | None = Field(None, examples=[1.0])
    matched_name: str | None = Field(None, examples=["MAHAN AIR"])
    explanation: Any = Field(None, description="Why: the engine's explanation (with the span), or the rule's detail")
    source: str | None = Field(None, description="The public source of a place or country rule")
    party: dict[str, Any] | None = Field(None, description="The listed party: every listing, its regimes")


class PaymentResultModel(BaseModel):
    message_id: str | None = Field(None, examples=["MSG-2026-0003"])
    transaction_id: str | None = Field(None, examples=["E2E-2026-0003"])
    format: str | None = Field(None, examples=["pacs.008.001.08"])
    verdict: Literal["hold", "release", "error"]
    hits: list[PaymentHitModel]
    errors: list[str] = Field(..., description="What could not be read (verdict error)")
    source: str
    message_index: int


class PaymentScreenResponse(BaseModel):
    results: list[PaymentResultModel]
    counts: dict[str, int] = Field(..., examples=[{"hold": 1, "release": 0, "error": 0}])
    list_versions: list[dict[str, Any]] = Field(..., description="The list versions screened against")
    threshold: float
    regime: str | None


def payment_screener(state: ServiceState, screener: Screener, threshold: float | None) -> PaymentScreener:
    """One PaymentScreener per screener and threshold, kept while the screener is in force
    (its BIC and LEI indexes and caches are built once)."""
    cache = state.payment_screeners
    key = (id(screener), threshold)
    found = cache.get(key)
    if not isinstance(found, PaymentScreener) or found.screener is not screener:
        if len(cache) > 8:
            cache.clear()
        found = cache[key] = PaymentScreener(screener, threshold=threshold)
    return found


def _screen(payments: PaymentScreener, body: bytes, regime: str | None) -> list[dict[str, Any]]:
    return [r.to_dict() for m in read_payment_bytes(body, "request") for r in payments.screen_message(m, regime)]


@router.post(
    "/payments/screen",
    summary="Screen a payment message (ISO 20022 or SWIFT MT): a verdict per transaction",
    tags=["Payments"],
    response_model=PaymentScreenResponse,
    responses={400: E400, 413: E413, **AUTH},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/xml": {"schema": {"type": "string"}},
        "text/plain": {"schema": {"type": "string"}},
    }}},
)
async def payments_screen(
    request: Request,
    threshold: float | None = Query(None, ge=0.0, le=1.0, description="Name match threshold [default: the engine's]"),
    regime: Literal["ofac", "eu", "uk"] | None = Query(None, description="Only parties this regime lists hold"),
    key: KeyInfo = Depends(screener_key),
) -> dict[str, Any]:
    body = await request.body()
    if not body.strip():
        raise HTTPException(400, detail="empty body: send the payment message (XML or MT text) as the request body")
    if len(body) > MAX_BODY_BYTES:
        raise HTTPException(413, detail=f"body of {len(body)} bytes, over the limit of {MAX_BODY_BYTES} bytes")
    state = state_of(request)
    screener = await screening.screener_for(state, DEFAULT_DATASET)
    payments = payment_screener(state, screener, threshold)
    results = await run_in_threadpool(_screen, payments, body, regime)
    counts = {v: sum(r["verdict"] == v for r in results) for v in ("hold", "release", "error")}
    versions = screening.version_refs(screener)
    await state.audit.submit_async(key.id, "payments_screen", {
        "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body), "list_versions": versions,
        "threshold": payments.threshold, "regime": regime, "counts": counts,
        "results": [{k: r[k] for k in ("message_id", "transaction_id", "format", "verdict", "errors")}
                    | {"hits": [{k: h[k] for k in ("field", "kind", "rule", "entity_id", "score")} for h in r["hits"]]}
                    for r in results],
    })
    return {"results": results, "counts": counts, "list_versions": versions, "threshold": payments.threshold,
            "regime": regime}
