"""The web UI: server-rendered pages (Jinja2), enhanced with htmx where it helps.

Every page works without JavaScript (forms post and the server answers with a whole page);
with htmx, results and progress update in place. Login takes an API key and keeps it in an
HttpOnly, SameSite=Strict cookie; every form that changes something carries a CSRF token.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import (
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from tradeguard.matching import DEFAULT_THRESHOLD
from tradeguard.model import SCHEMAS, Entity
from tradeguard.screening.parties import match_dict
from tradeguard.service import jobs as jobs_mod
from tradeguard.service import screening
from tradeguard.service.auth import (
    COOKIE,
    check_key,
    check_session_async,
    csrf_ok,
    csrf_token,
    state_of,
)
from tradeguard.service.routes_api import (
    MAX_UPLOAD,
    alert_detail_data,
    decide_data,
    diff_data,
    list_versions_data,
    lists_status_data,
    register_data,
    verify_data,
)
from tradeguard.service.state import ServiceState
from tradeguard.sources.base import SourceError
from tradeguard.store import audit as audit_store
from tradeguard.store.alerts import ACTIVE_STATUSES, STATUSES, count_alerts, list_alerts
from tradeguard.store.db import version_entities
from tradeguard.store.jobs import Job
from tradeguard.store.keys import SESSION_HOURS, KeyInfo, close_session, has_role, open_session
from tradeguard.store.parties import KINDS, list_parties, party_from_record, read_party_file

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(prefix="/ui", include_in_schema=False)

AUDIT_ACTIONS = ("match", "search", "screen_batch", "orders_screen", "payments_screen", "shipments_screen", "party_register", "party_update", "party_remove",
                 "decision", "payment_decision", "rescreen", "rescreen_alerts", "list_load", "key_create", "key_revoke",
                 "key_rotate", "export")


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class UiUser:
    def __init__(self, key: KeyInfo, session_id: str) -> None:
        self.key = key
        self.session_id = session_id
        self.csrf = csrf_token(session_id)

    @property
    def is_reviewer(self) -> bool:
        return has_role(self.key, "reviewer")

    @property
    def is_admin(self) -> bool:
        return has_role(self.key, "admin")

    def check_csrf(self, token: str | None) -> None:
        if not csrf_ok(self.session_id, token):
            raise HTTPException(403, detail="the form's CSRF token is missing or wrong: reload the page and try again")


async def ui_user(request: Request) -> UiUser:
    session_id = request.cookies.get(COOKIE)
    info = await check_session_async(state_of(request), session_id)
    if info is None or session_id is None:
        raise LoginRequired(str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""))
    return UiUser(info, session_id)


def render(request: Request, name: str, user: UiUser | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.update(user=user, page=context.get("page", ""))
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def need_role(user: UiUser, role: str) -> None:
    if not has_role(user.key, role):
        raise HTTPException(403, detail=f"your key has role '{user.key.role}': this page needs '{role}' or higher")


def _float(value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError as exc:
        raise HTTPException(400, detail=f"threshold {value!r} is not a number") from exc
    if not 0.0 <= number <= 1.0:
        raise HTTPException(400, detail="threshold must be between 0 and 1")
    return number


# --- login ------------------------------------------------------------------------------


def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/ui") and not value.startswith("//") else "/ui/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = Query(None)) -> HTMLResponse:  # noqa: A002
    return render(request, "login.html", None, next=_safe_next(next), error=None, page="login")


@router.post("/login")
def login(request: Request, key: str = Form(""), next: str = Form("/ui/")) -> Response:  # noqa: A002
    state = state_of(request)
    client = request.client.host if request.client else "unknown"
    wait = state.login_throttle.retry_after(client)
    if wait is not None:
        refused = render(request, "login.html", None, status_code=429, next=_safe_next(next), page="login",
                         error=f"Too many failed logins from your address: try again in {wait} seconds.")
        refused.headers["Retry-After"] = str(wait)
        return refused
    plaintext = key.strip()
    info = check_key(state, plaintext)
    if info is None:
        state.login_throttle.failed(client)
        return render(request, "login.html", None, status_code=401, next=_safe_next(next),
                      error="That key is not valid (or it was revoked).", page="login")
    state.login_throttle.succeeded(client)
    with state.engine.begin() as conn:
        session_id = open_session(conn, info.id)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, session_id, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        path="/", max_age=int(SESSION_HOURS * 3600))
    return response


@router.post("/logout")
def logout(request: Request, user: UiUser = Depends(ui_user), csrf: str = Form("")) -> Response:
    user.check_csrf(csrf)
    with state_of(request).engine.begin() as conn:
        close_session(conn, user.session_id)
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


# --- screen one name --------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def screen_page(request: Request, user: UiUser = Depends(ui_user)) -> HTMLResponse:
    return render(request, "screen.html", user, page="screen", schemas=SCHEMAS, form={}, result=None,
                  default_threshold=DEFAULT_THRESHOLD)


@router.post("/screen", response_class=HTMLResponse)
def screen_name(
    request: Request,
    user: UiUser = Depends(ui_user),
    csrf: str = Form(""),
    name: str = Form(""),
    schema_: str = Form("", alias="schema"),
    birth_date: str = Form(""),
    country: str = Form(""),
    identifiers: str = Form(""),
    threshold: str = Form(""),
) -> HTMLResponse:
    user.check_csrf(csrf)
    form = {"name": name, "schema": schema_, "birth_date": birth_date, "country": country,
            "identifiers": identifiers, "threshold": threshold}
    result: dict[str, Any]
    if not name.strip():
        result = {"error": "Enter a name to screen."}
    else:
        record = {"name": name.strip(), "schema": schema_ or None, "birth_date": birth_date.strip() or None,
                  "country": country.strip() or None, "identifiers": identifiers}
        state = state_of(request)
        found, versions = screening.match_one(state, user.key.id, record,
                                              threshold=_float(threshold), endpoint="/ui/screen")
        # Every listing of the party behind each match, for the regime badges.
        parties = state.screener().parties([*found.matches, *found.below_threshold])
        result = {"matches": [dict(match_dict(m, parties=parties), text=_explain(m.explanation))
                              for m in found.matches],
                  "below": [dict(match_dict(m, below_threshold=True, parties=parties), text=_explain(m.explanation))
                            for m in found.below_threshold],
                  "versions": versions, "threshold": found.threshold, "name": name.strip()}
    template = "_screen_results.html" if is_htmx(request) else "screen.html"
    return render(request, template, user, page="screen", schemas=SCHEMAS, form=form, result=result,
                  default_threshold=DEFAULT_THRESHOLD)


def _explain(explanation: Any) -> str:
    try:
        from tradeguard.matching import explain_text

        return str(explain_text(explanation))
    except Exception:  # the raw explanation is shown as well
        return ""


# --- batch upload -----------------------------------------------------------------------


def _job_page(request: Request, user: UiUser, job: Job | None, error: str | None = None,
              status_code: int = 200) -> HTMLResponse:
    """The batch page (or, for htmx, just the job part): the job with its first problem rows
    and hits once it has ended, and the user's recent jobs."""
    state = state_of(request)
    problems, hits = jobs_mod.shown_rows(state, job) if job is not None and job.status != "running" else ([], [])
    if is_htmx(request):
        return render(request, "_job.html", user, page="batch", job=job, error=error, problems=problems, hits=hits,
                      status_code=status_code)
    recent = jobs_mod.recent(state, user.key.id)
    return render(request, "batch.html", user, page="batch", job=job, error=error, problems=problems, hits=hits,
                  jobs=recent, status_code=status_code)


@router.get("/batch", response_class=HTMLResponse)
def batch_page(request: Request, user: UiUser = Depends(ui_user)) -> HTMLResponse:
    return _job_page(request, user, None)


@router.post("/batch", response_class=HTMLResponse)
async def batch_start(
    request: Request,
    user: UiUser = Depends(ui_user),
    csrf: str = Form(""),
    threshold: str = Form(""),
    file: UploadFile = File(...),
) -> HTMLResponse:
    user.check_csrf(csrf)
    data = await file.read(MAX_UPLOAD + 1)
    state = state_of(request)
    error = None
    job = None
    try:
        if len(data) > MAX_UPLOAD:
            raise screening.BadRequest(f"{file.filename}: larger than {MAX_UPLOAD // (1024 * 1024)} MB")
        job = await run_in_threadpool(jobs_mod.start_ui_job, state, user.key.id, data, file.filename or "upload",
                                      _float(threshold))
    except screening.BadRequest as exc:
        error = str(exc)
    return await run_in_threadpool(_job_page, request, user, job, error, 400 if error else 200)


@router.get("/batch/{job_id}", response_class=HTMLResponse)
def batch_status(request: Request, job_id: str, user: UiUser = Depends(ui_user)) -> HTMLResponse:
    job = jobs_mod.get(state_of(request), job_id, user.key.id)
    if job is None:
        raise HTTPException(404, detail="no such job")
    return _job_page(request, user, job)


@router.get("/batch/{job_id}/results.{fmt}")
def batch_download(request: Request, job_id: str, fmt: str, user: UiUser = Depends(ui_user)) -> Response:
    state = state_of(request)
    job = jobs_mod.get(state, job_id, user.key.id)
    if job is None or not job.has_results:
        raise HTTPException(404, detail="no ended job with results under that id")
    stem = Path(job.filename).stem or "results"
    records = jobs_mod.rows(state.engine, job.id)
    if fmt == "jsonl":
        body, media = jobs_mod.results_jsonl(records), "application/x-ndjson"
    elif fmt == "csv":
        body, media = jobs_mod.results_csv(records), "text/csv"
    else:
        raise HTTPException(404, detail="results come as .jsonl or .csv")
    filename = f"{stem}_screened.{fmt}" if job.status == "done" else f"{stem}_screened_partial.{fmt}"
    return StreamingResponse(body, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"})


# --- parties ----------------------------------------------------------------------------


@router.get("/parties", response_class=HTMLResponse)
def parties_page(request: Request, user: UiUser = Depends(ui_user), search: str = Query("", max_length=200)) -> HTMLResponse:
    with state_of(request).engine.connect() as conn:
        found = list_parties(conn, search=search or None, limit=200)
    return render(request, "parties.html", user, page="parties", parties=found, search=search, kinds=KINDS,
                  schemas=SCHEMAS, outcome=None, form={})


def _outcome(data: dict[str, Any], errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    alerts = data.get("alerts", {})
    return {"data": data, "raised": alerts.get("raised", []), "reopened": alerts.get("reopened", []),
            "suppressed": alerts.get("suppressed", []), "errors": errors or []}


@router.post("/parties", response_class=HTMLResponse)
def parties_register(
    request: Request,
    user: UiUser = Depends(ui_user),
    csrf: str = Form(""),
    id: str = Form(""),  # noqa: A002
    name: str = Form(""),
    schema_: str = Form("", alias="schema"),
    birth_date: str = Form(""),
    country: str = Form(""),
    identifiers: str = Form(""),
    address: str = Form(""),
    kind: str = Form("customer"),
) -> HTMLResponse:
    user.check_csrf(csrf)
    state = state_of(request)
    form = {"id": id, "name": name, "schema": schema_, "birth_date": birth_date, "country": country,
            "identifiers": identifiers, "address": address, "kind": kind}
    outcome: dict[str, Any]
    status = 200
    try:
        party = party_from_record({k: v for k, v in form.items() if v.strip()})
        outcome = _outcome(register_data(state, user.key.id, [party], None))
        form = {}
    except ValueError as exc:
        outcome = {"error": str(exc)}
        status = 400
    with state.engine.connect() as conn:
        found = list_parties(conn, limit=200)
    return render(request, "parties.html", user, status_code=status, page="parties", parties=found, search="",
                  kinds=KINDS, schemas=SCHEMAS, outcome=outcome, form=form)


@router.post("/parties/import", response_class=HTMLResponse)
async def parties_import(
    request: Request,
    user: UiUser = Depends(ui_user),
    csrf: str = Form(""),
    file: UploadFile = File(...),
) -> HTMLResponse:
    user.check_csrf(csrf)
    state = state_of(request)
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        outcome: dict[str, Any] = {"error": f"{file.filename}: larger than {MAX_UPLOAD // (1024 * 1024)} MB"}
    else:
        outcome = await run_in_threadpool(_import, state, user.key.id, data, file.filename or "upload")
    with state.engine.connect() as conn:
        found = list_parties(conn, limit=200)
    return render(request, "parties.html", user, status_code=400 if "error" in outcome else 200, page="parties",
                  parties=found, search="", kinds=KINDS, schemas=SCHEMAS, outcome=outcome, form={})


def _import(state: ServiceState, actor: str, data: bytes, filename: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tradeguard-ui-parties-") as tmp:
        path = Path(tmp) / f"upload{screening.suffix_for(filename, data[:8])}"
        path.write_bytes(data)
        try:
            found = read_party_file(path)
        except SourceError as exc:
            return {"error": f"{filename}: {exc.problem}"}
        except Exception as exc:  # a damaged XLSX raises its reader's own errors
            return {"error": f"{filename}: cannot read the file: {exc}"}
    if not found.parties and not found.errors:
        return {"error": f"{filename}: no parties in the file (a header line with id, name... then one party per line)"}
    errors = [{"line": e.line, "problem": e.problem} for e in found.errors]
    return _outcome(register_data(state, actor, [p for _line, p in found.parties], None), errors)


# --- alerts -----------------------------------------------------------------------------


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    user: UiUser = Depends(ui_user),
    status: str = Query("active"),
    list_key: str = Query("", alias="list"),
    party: str = Query("", max_length=200),
    notice: str = Query("", max_length=300),
) -> HTMLResponse:
    state = state_of(request)
    wanted: list[str] | None
    if status == "active":
        wanted = list(ACTIVE_STATUSES)
    elif status == "all":
        wanted = None
    elif status in STATUSES:
        wanted = [status]
    else:
        raise HTTPException(400, detail=f"unknown status filter {status!r}")
    with state.engine.connect() as conn:
        found = list_alerts(conn, status=wanted, list_key=list_key or None, party_id=party or None, limit=500,
                            newest_first=True)
        counts = count_alerts(conn)
    lists = state.datasets()
    template = "_alerts_table.html" if is_htmx(request) else "alerts.html"
    return render(request, template, user, page="alerts", alerts=found, counts=counts, statuses=STATUSES,
                  status=status, list_key=list_key, party=party, lists=lists, notice=notice)


def _side_by_side(alert: dict[str, Any], entity: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    party = alert["party"]
    ent = Entity.from_dict(entity) if entity else None

    def join(values: Any) -> str:
        return "; ".join(str(v) for v in values if v) if values else ""

    rows = [
        ("Name", party.get("name") or "", join(f"{n.value} ({n.kind.replace('_', ' ')})" for n in (ent.names if ent else []))),
        ("Type", party.get("schema") or "", ent.schema if ent else ""),
        ("Birth / build date", party.get("birth_date") or "", join(ent.birth_dates if ent else [])),
        ("Country", party.get("country") or "", join([*(ent.nationalities if ent else []), *(ent.countries if ent else [])])),
        ("Identifiers", join(party.get("identifiers") or []),
         join(f"{i.type.replace('_', ' ')} {i.value}" for i in (ent.identifiers if ent else []))),
        ("Address", party.get("address") or "", join(a.text for a in (ent.addresses if ent else []))),
        ("Programmes", "", join(ent.programs if ent else [])),
        ("Listed on", "", (ent.listed_on or "") if ent else ""),
        ("Remarks", "", join(ent.remarks if ent else [])),
    ]
    return rows


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, alert_id: int, user: UiUser = Depends(ui_user)) -> HTMLResponse:
    data = alert_detail_data(state_of(request), alert_id)
    alert = data["alert"]
    return render(request, "alert.html", user, page="alerts", data=data, alert=alert,
                  rows=_side_by_side(alert, data["entity"]), text=_explain(alert["explanation"]),
                  explanation_json=json.dumps(alert["explanation"], ensure_ascii=False, indent=2, default=str),
                  changes_json=json.dumps(alert["changes"], ensure_ascii=False, indent=2) if alert["changes"] else None,
                  active=alert["status"] in ACTIVE_STATUSES, error=None)


@router.post("/alerts/{alert_id}/decision")
def alert_decide(
    request: Request,
    alert_id: int,
    user: UiUser = Depends(ui_user),
    csrf: str = Form(""),
    decision: str = Form(""),
    reason: str = Form(""),
    seen_decisions: int | None = Form(None, ge=0),
) -> Response:
    user.check_csrf(csrf)
    need_role(user, "reviewer")
    state = state_of(request)
    error = None
    status = 400
    if decision not in ("true_match", "false_positive"):
        error = "Choose true match or false positive."
    elif not reason.strip():
        error = "A decision needs a reason."
    if error is None:
        try:
            result = decide_data(state, user.key.id, alert_id, decision, reason, seen_decisions)
        except HTTPException as exc:
            if exc.status_code != 409:
                raise
            error, status = str(exc.detail), 409
        else:
            if result["pending"]:
                notice = f"Alert {alert_id}: clearance recorded; a second reviewer must confirm it (four-eyes)."
            else:
                notice = f"Alert {alert_id} is now {result['alert']['status']}."
            return RedirectResponse("/ui/alerts?" + urlencode({"notice": notice}), status_code=303)
    data = alert_detail_data(state, alert_id)
    alert = data["alert"]
    return render(request, "alert.html", user, status_code=status, page="alerts", data=data, alert=alert,
                  rows=_side_by_side(alert, data["entity"]), text=_explain(alert["explanation"]),
                  explanation_json=json.dumps(alert["explanation"], ensure_ascii=False, indent=2, default=str),
                  changes_json=json.dumps(alert["changes"], ensure_ascii=False, indent=2) if alert["changes"] else None,
                  active=alert["status"] in ACTIVE_STATUSES, error=error)


# --- lists ------------------------------------------------------------------------------


def _members(state: ServiceState, version_id: int) -> dict[str, str]:
    with state.engine.connect() as conn:
        rows = conn.execute(select(version_entities.c.entity_id, version_entities.c.record_hash)
                            .where(version_entities.c.version_id == version_id))
        return {r.entity_id: r.record_hash for r in rows}


@router.get("/lists", response_class=HTMLResponse)
def lists_page(request: Request, user: UiUser = Depends(ui_user)) -> HTMLResponse:
    return render(request, "lists.html", user, page="lists", status=lists_status_data(state_of(request)))


@router.get("/lists/{list_key}", response_class=HTMLResponse)
def list_page(request: Request, list_key: str, user: UiUser = Depends(ui_user)) -> HTMLResponse:
    state = state_of(request)
    found = list_versions_data(state, list_key)
    previous: dict[str, str] | None = None
    for item in found:  # oldest first: count the changes from the version before
        members = _members(state, item["version"])
        if previous is None:
            item["changes"] = None
        else:
            item["changes"] = {
                "added": len(members.keys() - previous.keys()),
                "removed": len(previous.keys() - members.keys()),
                "changed": sum(1 for k in members.keys() & previous.keys() if members[k] != previous[k]),
            }
        previous = members
    return render(request, "list.html", user, page="lists", list_key=list_key, versions=list(reversed(found)))


@router.get("/lists/{list_key}/versions/{version_id}", response_class=HTMLResponse)
def version_page(request: Request, list_key: str, version_id: int, user: UiUser = Depends(ui_user)) -> HTMLResponse:
    diff = diff_data(state_of(request), list_key, None, version_id)
    return render(request, "diff.html", user, page="lists", list_key=list_key, diff=diff)


# --- audit ------------------------------------------------------------------------------


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    user: UiUser = Depends(ui_user),
    subject: str = Query("", max_length=200),
    action: str = Query("", max_length=40),
    actor: str = Query("", max_length=200),
    since: str = Query("", max_length=40),
    until: str = Query("", max_length=40),
) -> HTMLResponse:
    need_role(user, "reviewer")
    with state_of(request).engine.connect() as conn:
        found = audit_store.entries(conn, subject=subject or None, action=action or None, actor=actor or None,
                                    since=since or None, until=screening.until_bound(until), limit=200,
                                    newest_first=True)
    entries = [dict(e.to_dict(), payload_json=json.dumps(e.payload, ensure_ascii=False, indent=1, default=str))
               for e in found]
    filters = {"subject": subject, "action": action, "actor": actor, "since": since, "until": until}
    template = "_audit_table.html" if is_htmx(request) else "audit.html"
    return render(request, template, user, page="audit", entries=entries, filters=filters, actions=AUDIT_ACTIONS)


@router.get("/audit/verify", response_class=HTMLResponse)
def audit_verify(request: Request, user: UiUser = Depends(ui_user)) -> HTMLResponse:
    need_role(user, "reviewer")
    return render(request, "_verify.html", user, page="audit", result=verify_data(state_of(request)))

