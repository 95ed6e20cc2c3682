"""The web UI's Orders and Shipments pages: upload an order or shipment file, see each
line's verdict with its reasons, open the stored evidence report, download the results;
earlier screened files. One set of routes per kind (``/ui/orders``, ``/ui/shipments``).

The upload works without JavaScript (the form posts, the server redirects to the
screening's page); with htmx the page shows that the file is being screened and then goes
to the same page.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from tradeguard.service.orders import (
    KINDS,
    ScreenedFile,
    ScreeningKind,
    Unavailable,
    orders_of,
    results_csv,
    results_jsonl,
)
from tradeguard.service.routes_api import MAX_UPLOAD
from tradeguard.service.routes_orders import REPORT_HEADERS
from tradeguard.service.routes_ui import UiUser, is_htmx, render, ui_user
from tradeguard.service.routes_ui import _float as parse_threshold
from tradeguard.service.screening import BadRequest

router = APIRouter(prefix="/ui", include_in_schema=False)

VERDICTS = ("block", "review", "clear")
MAX_SHOWN = 1000  # lines listed on the page (the report and the downloads have them all)
LIST_LIMIT = 100


def _page(request: Request, user: UiUser, kind: ScreeningKind, *, error: str | None = None,
          status_code: int = 200) -> HTMLResponse:
    screenings = orders_of(request).screenings(LIST_LIMIT, kind)
    return render(request, "orders.html", user, status_code=status_code, page=kind.name, kind=kind,
                  screenings=screenings, error=error, limit=LIST_LIMIT)


def _add_routes(kind: ScreeningKind) -> None:
    """GET and POST /ui/{kind}, GET /ui/{kind}/{id}, its report and its downloads."""

    def listing(request: Request, user: UiUser = Depends(ui_user)) -> HTMLResponse:
        return _page(request, user, kind)

    router.add_api_route(f"/{kind.name}", listing, methods=["GET"], response_class=HTMLResponse,
                         name=f"ui_{kind.name}")

    async def upload(
        request: Request,
        user: UiUser = Depends(ui_user),
        csrf: str = Form(""),
        threshold: str = Form(""),
        file: UploadFile = File(...),
    ) -> Response:
        user.check_csrf(csrf)
        data = await file.read(MAX_UPLOAD + 1)
        filename = file.filename or "upload"
        error: str | None = None
        status = 400
        try:
            if len(data) > MAX_UPLOAD:
                raise BadRequest(f"{filename}: larger than {MAX_UPLOAD // (1024 * 1024)} MB")
            screened: ScreenedFile = await run_in_threadpool(
                orders_of(request).screen_bytes, user.key.id, data, filename, threshold=parse_threshold(threshold),
                kind=kind,
            )
        except BadRequest as exc:
            error = str(exc)
        except Unavailable as exc:
            error, status = str(exc), 503
        except HTTPException as exc:  # a threshold that is not a number in 0..1
            error = str(exc.detail)
        if error is not None:
            if is_htmx(request):
                # htmx swaps only 2xx answers in: the message goes in the page's outcome region.
                return render(request, "_order_error.html", user, page=kind.name, error=error)
            return _page(request, user, kind, error=error, status_code=status)
        target = f"/ui/{kind.name}/{screened.id}"
        if is_htmx(request):
            return Response(status_code=200, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    router.add_api_route(f"/{kind.name}", upload, methods=["POST"], name=f"ui_{kind.name}_upload")

    def screening(
        request: Request,
        screening_id: int,
        user: UiUser = Depends(ui_user),
        verdict: str = Query("", max_length=10),
    ) -> HTMLResponse:
        if verdict and verdict not in VERDICTS:
            raise HTTPException(400, detail=f"unknown verdict filter {verdict!r}: use block, review or clear")
        screened = orders_of(request).screened_file(screening_id, kind, verdict or None)
        if screened is None:
            raise HTTPException(404, detail=f"no {kind.word} screening {screening_id}")
        lines = screened.lines
        return render(request, "order.html", user, page=kind.name, kind=kind, id=screening_id,
                      summary=screened.summary, lines=lines[:MAX_SHOWN] if lines is not None else None,
                      total=len(lines) if lines is not None else 0, verdict=verdict, max_shown=MAX_SHOWN)

    router.add_api_route(f"/{kind.name}/{{screening_id}}", screening, methods=["GET"], response_class=HTMLResponse,
                         name=f"ui_{kind.name}_screening")

    def report(request: Request, screening_id: int, user: UiUser = Depends(ui_user)) -> HTMLResponse:
        html = orders_of(request).report(user.key.id, screening_id, "ui", kind)
        if html is None:
            raise HTTPException(404, detail=f"no {kind.word} screening {screening_id}")
        return HTMLResponse(html, headers=REPORT_HEADERS)

    router.add_api_route(f"/{kind.name}/{{screening_id}}/report", report, methods=["GET"],
                         response_class=HTMLResponse, name=f"ui_{kind.name}_report")

    def download(request: Request, screening_id: int, fmt: str, user: UiUser = Depends(ui_user)) -> Response:
        screened = orders_of(request).screened_file(screening_id, kind)
        if screened is None:
            raise HTTPException(404, detail=f"no {kind.word} screening {screening_id}")
        if screened.lines is None:
            raise HTTPException(404, detail=(f"{kind.word} screening {screening_id} was stored before per-line results "
                                             "were; its evidence report has every line"))
        if fmt == "jsonl":
            body, media = results_jsonl(screened), "application/x-ndjson"
        elif fmt == "csv":
            body, media = results_csv(screened), "text/csv"
        else:
            raise HTTPException(404, detail="results come as .jsonl or .csv")
        stem = Path(str(screened.summary.get("file") or kind.name)).stem or kind.name
        filename = f"{stem}_screened.{fmt}"
        return PlainTextResponse(body, media_type=media, headers={
            "Content-Disposition": f"attachment; filename=\"{quote(filename)}\"; filename*=UTF-8''{quote(filename)}"})

    router.add_api_route(f"/{kind.name}/{{screening_id}}/results.{{fmt}}", download, methods=["GET"],
                         name=f"ui_{kind.name}_download")


for _kind in KINDS.values():
    _add_routes(_kind)
