"""Payment screening over HTTP: the raw message in, a verdict per transaction out.

``POST /payments/screen`` takes one payment message, or a file of several, as the request
body (ISO 20022 XML or SWIFT MT text; the format is told from the content) and answers
synchronously. Role: screener. Every transaction is kept (``store.payments``: held ones wait
for a reviewer's release or reject), the hits on listed parties join the alert queue, and the
call is written to the audit trail (action ``payments_screen``: the body's sha256, the list
versions in force, the threshold, the regime and each transaction's verdict, hits and alerts).

``GET /payments`` lists the kept ones (held by default), ``GET /payments/{id}`` shows one with
its message, and ``POST /payments/{id}/decision`` (reviewer) releases or rejects a held one.
"""

from __future__ import annotations

from typing import Any, Literal

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tradeguard.payments.model import MAX_MESSAGE_BYTES
from tradeguard.payments.read import read_payment_bytes
from tradeguard.screening.parties import Screener
from tradeguard.screening.payments import (
    PaymentCall,
    PaymentResult,
    PaymentScreener,
    link_listings_for,
    listings_linked,
    record_payment_calls,
)
from tradeguard.service import screening
from tradeguard.service.auth import require, state_of
from tradeguard.service.models import ErrorResponse
from tradeguard.service.routes_api import AUTH, E400, MAX_ID
from tradeguard.service.state import DEFAULT_DATASET, ServiceState
from tradeguard.store import payments as kept
from tradeguard.store.keys import KeyInfo

router = APIRouter()
screener_key = require("screener")

SOURCE = "request"  # the name of a request body in errors and in the store
MAX_BODY_BYTES = 4 * MAX_MESSAGE_BYTES  # a file of a few messages; batches belong to the CLI
# A body this small (one message of a few transactions) is screened on the event loop, as
# POST /match screens names: screening is Python that holds the interpreter lock wherever it
# runs, and handing each payment to a worker thread and back cost about a fifth of the
# server's CPU under load. A larger body goes to a worker thread, so that the loop keeps
# answering the other requests while it is screened; so does any body while the listings in
# force are not linked yet (the first hit would link them, which takes seconds).
INLINE_MAX_BYTES = 16 * 1024
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
    payment: int = Field(..., description="The screened payment's id (GET /payments/{id}; decisions on held ones)")


class PaymentScreenResponse(BaseModel):
    results: list[PaymentResultModel]
    counts: dict[str, int] = Field(..., examples=[{"hold": 1, "release": 0, "error": 0}])
    list_versions: list[dict[str, Any]] = Field(..., description="The list versions screened against")
    threshold: float
    regime: str | None


async def payment_screener(state: ServiceState, screener: Screener, threshold: float | None) -> PaymentScreener:
    """The service's payment screener for ``screener`` and ``threshold``; one not built yet
    (a threshold of its own, or new list versions) is built off the event loop."""
    found = state.built_payment_screener(screener, threshold)
    return found if found is not None else await run_in_threadpool(state.payment_screener, screener, threshold)


def screen_body(payments: PaymentScreener, body: bytes, regime: str | None) -> list[PaymentResult]:
    """The body's messages screened, a result per transaction, their listings linked into
    parties for the alerts."""
    results = [r for m in read_payment_bytes(body, SOURCE) for r in payments.screen_message(m, regime)]
    link_listings_for(payments.screener, results)
    return results


async def screen_and_keep(state: ServiceState, payments: PaymentScreener, body: bytes, regime: str | None,
                          actor: str) -> list[dict[str, Any]]:
    """Screen the body's messages, keep every transaction (held ones for review), raise the
    alerts of their hits and audit the call; the records, each with its ``payment`` id."""
    if len(body) <= INLINE_MAX_BYTES and listings_linked(payments.screener):
        results = screen_body(payments, body, regime)
    else:
        results = await run_in_threadpool(screen_body, payments, body, regime)
    # Kept in the audit writer's next transaction: concurrent requests share one commit, and
    # their alerts are raised together.
    ids = await state.audit.run_async(record_payment_calls, PaymentCall(
        results, {SOURCE: body.decode("utf-8", errors="replace")}, actor=actor, in_force=payments.screener.in_force,
        threshold=payments.threshold, regime=regime))
    return [{**r.to_dict(), "payment": pid} for r, pid in zip(results, ids, strict=True)]


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
) -> Response:
    body = await request.body()
    if not body.strip():
        raise HTTPException(400, detail="empty body: send the payment message (XML or MT text) as the request body")
    if len(body) > MAX_BODY_BYTES:
        raise HTTPException(413, detail=f"body of {len(body)} bytes, over the limit of {MAX_BODY_BYTES} bytes")
    state = state_of(request)
    screener = await screening.screener_for(state, DEFAULT_DATASET)
    payments = await payment_screener(state, screener, threshold)
    results = await screen_and_keep(state, payments, body, regime, key.id)
    counts = {v: sum(r["verdict"] == v for r in results) for v in ("hold", "release", "error")}
    answer = {"results": results, "counts": counts, "list_versions": screening.version_refs(screener),
              "threshold": payments.threshold, "regime": regime}
    # Serialised here (the model documents the shape): validating every explanation again costs more
    # than screening the payment.
    return Response(orjson.dumps(answer, default=str), media_type="application/json")


# --- the kept payments and their decisions --------------------------------------------------


reviewer_key = require("reviewer")
PAYMENT_ID = PathParam(ge=1, le=MAX_ID, description="The screened payment's id")
E404 = {"model": ErrorResponse, "description": "No such screened payment"}
E409 = {"model": ErrorResponse, "description": "The payment was decided already (the detail names who decided)"}


class ScreenedPaymentModel(BaseModel):
    id: int
    at: str = Field(..., description="When it was screened (UTC)")
    actor: str = Field(..., description="The key id (or cli:<user>) that screened it")
    source: str
    message_sha256: str | None
    message_index: int
    message_id: str | None
    transaction_id: str | None
    format: str | None
    verdict: Literal["hold", "release", "error"]
    status: Literal["held", "released", "rejected", "passed", "error"]
    hits: list[PaymentHitModel]
    errors: list[str]
    list_versions: list[dict[str, Any]]
    threshold: float
    regime: str | None
    alerts: list[int] = Field(..., description="The alerts its hits raised (or found open)")
    decision: Literal["release", "reject"] | None
    decided_by: str | None
    decided_at: str | None
    reason: str | None


class ScreenedPaymentDetail(BaseModel):
    payment: ScreenedPaymentModel
    message: str | None = Field(None, description="The message's text as received (None when not kept)")


class PaymentDecisionIn(BaseModel):
    decision: Literal["release", "reject"]
    reason: str = Field(..., min_length=1, max_length=4000)


@router.get("/payments", summary="Screened payments, newest first (held ones by default)", tags=["Payments"],
            response_model=list[ScreenedPaymentModel], responses={400: E400, **AUTH})
def payments_list(
    request: Request,
    status: list[Literal["held", "released", "rejected", "passed", "error"]] = Query(["held"]),
    limit: int = Query(100, ge=1, le=1000),
    key: KeyInfo = Depends(screener_key),
) -> list[dict[str, Any]]:
    with state_of(request).engine.connect() as conn:
        return [p.to_dict() for p in kept.listing(conn, list(status), limit=limit)]


@router.get("/payments/{payment_id}", summary="One screened payment, with its message", tags=["Payments"],
            response_model=ScreenedPaymentDetail, responses={404: E404, **AUTH})
def payment_detail(request: Request, payment_id: int = PAYMENT_ID, key: KeyInfo = Depends(screener_key)) -> dict[str, Any]:
    with state_of(request).engine.connect() as conn:
        found = kept.get(conn, payment_id)
        if found is None:
            raise HTTPException(404, detail=f"no screened payment {payment_id}")
        return {"payment": found.to_dict(), "message": kept.message_text(conn, found.message_sha256)}


@router.post("/payments/{payment_id}/decision", summary="Release or reject a held payment (audited)", tags=["Payments"],
             response_model=ScreenedPaymentModel, responses={400: E400, 404: E404, 409: E409, **AUTH})
def payment_decision(
    request: Request, body: PaymentDecisionIn, payment_id: int = PAYMENT_ID, key: KeyInfo = Depends(reviewer_key),
) -> dict[str, Any]:
    return decide_payment(state_of(request), payment_id, body.decision, body.reason, key.id)


def decide_payment(state: ServiceState, payment_id: int, decision: str, reason: str, reviewer: str) -> dict[str, Any]:
    """Record a decision, as the API and the UI take it: 404, 409 or 400 on refusal."""
    try:
        with state.engine.begin() as conn:
            return kept.decide(conn, payment_id, decision, reason, reviewer).to_dict()
    except kept.PaymentDecisionError as exc:
        status = 409 if exc.conflict else 404 if exc.missing else 400
        raise HTTPException(status, detail=str(exc)) from exc
