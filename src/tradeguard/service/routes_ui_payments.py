"""The web UI's Payments page: paste or upload a payment message and screen it; the held
payments waiting for a reviewer; one payment with its hits and its message, the hit fields
highlighted; release or reject (reviewers).

The same library calls as ``POST /payments/screen`` and ``POST /payments/{id}/decision``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from tradeguard.service import screening
from tradeguard.service.auth import state_of
from tradeguard.service.routes_payments import (
    MAX_BODY_BYTES,
    decide_payment,
    payment_screener,
    screen_and_keep,
)
from tradeguard.service.routes_ui import UiUser, need_role, render, ui_user
from tradeguard.service.state import DEFAULT_DATASET
from tradeguard.store import payments as kept

router = APIRouter(prefix="/ui", include_in_schema=False)

LIST_LIMIT = 200


def highlighted(text: str, hits: list[dict[str, Any]]) -> Markup:
    """The message text, escaped, with every value a hit names marked (``<mark>``, titled
    with the hit's field and rule)."""
    titles: dict[str, str] = {}
    for h in hits:
        value = str(h.get("value") or "").strip()
        if len(value) >= 2:
            titles.setdefault(value.casefold(), f"{h.get('field')}: {h.get('rule')}")
    if not titles:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(v) for v in sorted(titles, key=len, reverse=True)), re.IGNORECASE)
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append(f'<mark title="{escape(titles[m.group(0).casefold()])}">{escape(m.group(0))}</mark>')
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _page(request: Request, user: UiUser, status: str, *, error: str | None = None, notice: str | None = None,
          status_code: int = 200) -> HTMLResponse:
    with state_of(request).engine.connect() as conn:
        wanted = list(kept.STATUSES) if status == "all" else [status]
        found = kept.listing(conn, wanted, limit=LIST_LIMIT)
        counts = kept.counts(conn)
    return render(request, "payments.html", user, status_code=status_code, page="payments", payments=found,
                  counts=counts, statuses=kept.STATUSES, status=status, error=error, notice=notice)


@router.get("/payments", response_class=HTMLResponse)
def payments_page(
    request: Request, user: UiUser = Depends(ui_user), status: str = Query("held", max_length=10),
    notice: str = Query("", max_length=300),
) -> HTMLResponse:
    if status != "all" and status not in kept.STATUSES:
        raise HTTPException(400, detail=f"unknown status {status!r}: use {', '.join(kept.STATUSES)} or all")
    return _page(request, user, status, notice=notice or None)


@router.post("/payments")
async def payments_screen_form(
    request: Request,
    user: UiUser = Depends(ui_user),
    csrf: str = Form(""),
    message: str = Form(""),
    file: UploadFile | None = File(None),
) -> Response:
    user.check_csrf(csrf)
    body = message.encode("utf-8")
    if file is not None and file.filename:
        body = await file.read(MAX_BODY_BYTES + 1)
    if not body.strip():
        return _page(request, user, "held", error="paste a payment message or choose a file", status_code=400)
    if len(body) > MAX_BODY_BYTES:
        return _page(request, user, "held", error=f"larger than {MAX_BODY_BYTES} bytes", status_code=400)
    state = state_of(request)
    screener = await screening.screener_for(state, DEFAULT_DATASET)
    payments = await payment_screener(state, screener, None)
    results = await screen_and_keep(state, payments, body, None, user.key.id)
    if len(results) == 1:
        return RedirectResponse(f"/ui/payments/{results[0]['payment']}", status_code=303)
    counts = {v: sum(r["verdict"] == v for r in results) for v in ("hold", "release", "error")}
    notice = f"{len(results)} transactions screened: {counts['hold']} held, {counts['release']} released, {counts['error']} error"
    return RedirectResponse("/ui/payments?" + urlencode({"status": "all", "notice": notice}), status_code=303)


def _detail(request: Request, user: UiUser, payment_id: int, *, error: str | None = None,
            status_code: int = 200) -> HTMLResponse:
    with state_of(request).engine.connect() as conn:
        found = kept.get(conn, payment_id)
        if found is None:
            raise HTTPException(404, detail=f"no screened payment {payment_id}")
        text = kept.message_text(conn, found.message_sha256)
    return render(request, "payment.html", user, status_code=status_code, page="payments", p=found,
                  message=highlighted(text, found.hits) if text is not None else None, error=error)


@router.get("/payments/{payment_id}", response_class=HTMLResponse)
def payment_page(request: Request, payment_id: int, user: UiUser = Depends(ui_user)) -> HTMLResponse:
    return _detail(request, user, payment_id)


@router.post("/payments/{payment_id}/decision")
def payment_decide(
    request: Request,
    payment_id: int,
    user: UiUser = Depends(ui_user),
    csrf: str = Form(""),
    decision: str = Form(""),
    reason: str = Form(""),
) -> Response:
    user.check_csrf(csrf)
    need_role(user, "reviewer")
    try:
        decided = decide_payment(state_of(request), payment_id, decision, reason, user.key.id)
    except HTTPException as exc:
        if exc.status_code == 404:
            raise
        return _detail(request, user, payment_id, error=str(exc.detail), status_code=exc.status_code)
    notice = f"Payment {payment_id} is now {decided['status']}."
    return RedirectResponse("/ui/payments?" + urlencode({"notice": notice}), status_code=303)
