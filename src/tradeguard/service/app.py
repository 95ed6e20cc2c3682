"""The FastAPI application: ``create_app(db_url)``; ``tradeguard serve`` runs it on uvicorn."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import HTTPException as FastAPIHTTPException
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

import tradeguard
from tradeguard.service import (
    routes_api,
    routes_orders,
    routes_payments,
    routes_reconcile,
    routes_ui,
    routes_ui_orders,
    routes_ui_payments,
    routes_yente,
)
from tradeguard.service.auth import current_key
from tradeguard.service.headers import SecurityHeaders
from tradeguard.service.routes_ui import TEMPLATES, LoginRequired
from tradeguard.service.state import ServiceState, UnknownDataset
from tradeguard.store.keys import KeyInfo

STATIC = Path(__file__).parent / "static"
DESCRIPTION = """\
Sanctions and export-control screening with a versioned list store.

* **yente-compatible**: `POST /match/{dataset}`, `GET /search/{dataset}`, `GET /entities/{id}`,
  `GET /catalog`, `GET /algorithms`, `/healthz`, `/readyz`: OpenSanctions/yente clients work by
  changing the base URL. The dataset `default` is every active list; each list key is a dataset.
* **Screening service**: batch screening (`POST /screen`), list versions and diffs (`/lists`),
  monitored parties (`/parties`), alerts and decisions (`/alerts`), the hash-chained audit
  trail (`/audit`), API keys (`/keys`), order screening with goods, destination and
  ownership rules (`POST /orders/screen`, `/orders`, per-file evidence reports), shipment
  screening through the same pipeline with the vessel, ports and route (`POST /shipments/screen`,
  `/shipments`).

Every route but `/healthz` needs an API key: `Authorization: ApiKey KEY` (or `Bearer KEY`).
Roles: screener < reviewer (decisions, audit) < admin (keys). Every screening request and
every decision is written to the audit trail with the list versions in force, the threshold
and the engine version. The web UI is at `/ui/`.
"""


def create_app(db_url: str | None = None, *, four_eyes: bool | None = None, warm: bool = True) -> FastAPI:
    """The service over the store at ``db_url`` (default: $TRADEGUARD_DB, else ./tradeguard.db).

    ``warm`` builds the screening index in a background thread at start-up (``/readyz``
    answers 503 until it is built); requests that need it wait for it either way.
    """
    state = ServiceState(db_url, four_eyes=four_eyes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=state.warm, name="tradeguard-warm", daemon=True).start()
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="tradeguard",
        version=tradeguard.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url=None,  # served below, behind the key check
        docs_url=None,
        redoc_url=None,
    )
    app.state.tradeguard = state
    # A request is matched against the routes in order: the screening calls integrations
    # send at volume (yente's /match, payments) come first.
    app.include_router(routes_yente.router)
    app.include_router(routes_payments.router)
    app.include_router(routes_reconcile.router)
    app.include_router(routes_api.router)
    app.include_router(routes_orders.router)
    app.include_router(routes_ui.router)
    app.include_router(routes_ui_orders.router)
    app.include_router(routes_ui_payments.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(SecurityHeaders)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=307)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(key: KeyInfo = Depends(current_key)) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def docs(key: KeyInfo = Depends(current_key)) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="tradeguard API")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        target = "/ui/login?next=" + exc.next_url if exc.next_url.startswith("/ui") else "/ui/login"
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/ui"):
            return _error_page(request, exc.status_code, str(exc.detail))
        return await http_exception_handler(request, exc)

    @app.exception_handler(UnknownDataset)
    async def unknown_dataset(request: Request, exc: UnknownDataset) -> Response:
        if request.url.path.startswith("/ui"):
            return _error_page(request, 404, f"No such dataset: {exc}")
        return await http_exception_handler(request, FastAPIHTTPException(404, detail="No such dataset."))

    @app.exception_handler(OperationalError)
    async def store_unavailable(request: Request, exc: OperationalError) -> Response:
        """The database cannot be reached (PostgreSQL stopped or restarting, a locked
        SQLite file): 503 with the reason, and the next request tries again (the pool
        checks its connections before use)."""
        reason = str(exc.orig or exc).strip().splitlines()[0][:300]
        detail = f"the store is unavailable, try again shortly: {reason}"
        if request.url.path.startswith("/ui"):
            return _error_page(request, 503, detail)
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "5"})

    return app


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    context: dict[str, Any] = {"user": None, "page": "", "message": message, "status": status}
    return TEMPLATES.TemplateResponse(request, "error.html", context, status_code=status)


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory`` with several workers: the store from $TRADEGUARD_DB."""
    return create_app(os.environ.get("TRADEGUARD_DB"))
