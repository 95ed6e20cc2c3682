"""tradeguard's own routes: batch screening, lists, monitored parties, alerts, audit, keys.

Roles: screener (screen, read lists, register parties, read alerts) < reviewer (decide
alerts, read and verify the audit trail) < admin (keys, stop monitoring a party).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, StreamingResponse

from tradeguard.config import ConfigError, load_config
from tradeguard.ftm import to_ftm_dict
from tradeguard.screening.monitor import register_parties
from tradeguard.service import jobs, screening
from tradeguard.service.auth import current_key, forget_key, get_state, require
from tradeguard.service.models import (
    AlertDetail,
    AlertList,
    AuditEntryModel,
    AuditVerifyModel,
    DecisionIn,
    DecisionResponse,
    DiffModel,
    ErrorResponse,
    JobItem,
    KeyCreated,
    KeyIn,
    KeyModel,
    ListsStatus,
    PartyDetail,
    PartyIn,
    PartyModel,
    RegisterResponse,
    VersionListItem,
    WhoAmI,
)
from tradeguard.service.state import DEFAULT_DATASET, ServiceState, UnknownDataset
from tradeguard.sources.base import SourceError
from tradeguard.store import audit as audit_store
from tradeguard.store.alerts import (
    DecisionError,
    alert_entity,
    count_alerts,
    decide,
    decisions,
    get_alert,
    list_alerts,
)
from tradeguard.store.jobs import Job
from tradeguard.store.keys import KeyInfo, create_key, get_key, list_keys, revoke_key
from tradeguard.store.lists import (
    active_version,
    diff_versions,
    get_version,
    previous_version,
    status_rows,
    versions,
)
from tradeguard.store.parties import (
    deactivate_party,
    get_party,
    list_parties,
    party_from_record,
    read_party_file,
    screenings_for_party,
)

router = APIRouter()

MAX_ID = 2**31 - 1  # database integer ids
MAX_OFFSET = 10**9
AlertStatus = Literal["open", "escalated", "cleared", "closed", "reopened"]
ALERT_ID = PathParam(ge=1, le=MAX_ID, description="The alert's id")

MAX_UPLOAD = 200 * 1024 * 1024
DEFAULT_MAX_AGE = 7

E401 = {"model": ErrorResponse, "description": "No or invalid API key"}
E403 = {"model": ErrorResponse, "description": "The key's role does not allow this"}
E404 = {"model": ErrorResponse, "description": "Not found"}
E400 = {"model": ErrorResponse, "description": "Invalid request"}
E409 = {"model": ErrorResponse, "description": "Conflict with the alert's state"}
AUTH: dict[int | str, dict[str, Any]] = {401: E401, 403: E403}

screener_key = require("screener")
reviewer_key = require("reviewer")
admin_key = require("admin")


# --- uploads ----------------------------------------------------------------------------


def save_upload(upload: UploadFile, folder: Path) -> Path:
    """Write an upload to ``folder`` (size-capped) under a name with the right suffix."""
    head = upload.file.read(8)
    path = folder / f"upload{screening.suffix_for(upload.filename or '', head)}"
    size = len(head)
    with open(path, "wb") as fh:
        fh.write(head)
        while chunk := upload.file.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD:
                raise HTTPException(413, detail=f"upload larger than {MAX_UPLOAD // (1024 * 1024)} MB")
            fh.write(chunk)
    return path


# --- /screen ----------------------------------------------------------------------------


@router.post(
    "/screen",
    summary="Screen a file of parties (results streamed as JSON lines)",
    tags=["Screening"],
    responses={
        200: {"content": {"application/x-ndjson": {}},
              "description": "One JSON object per input row, in order: `{line, id, name, matches}` or "
                             "`{line, id, error}`; then one `{summary}` line (with the `job` id). The "
                             "`X-Tradeguard-Job` header names the job that keeps these results in the store "
                             "(`GET /jobs/{id}`)."},
        400: E400, 404: E404, **AUTH,
    },
    response_class=StreamingResponse,
)
def screen_file(
    file: UploadFile = File(..., description="CSV, XLSX or JSONL with id, name[, schema, birth_date, country, identifiers, address]"),
    dataset: str = Query(DEFAULT_DATASET, description="`default` or a list key"),
    threshold: float | None = Query(None, ge=0.0, le=1.0),
    limit: int = Query(10, ge=1, le=100, description="At most this many matches per party"),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> StreamingResponse:
    """Screen every row of an uploaded file against the lists in force. Rows that cannot be
    read are reported in the stream with their line number; the batch is audited. The
    results are kept in the store as a job as they are streamed: if the connection or the
    server drops, what was screened is at `GET /jobs/{id}/results`."""
    tmp = tempfile.TemporaryDirectory(prefix="tradeguard-screen-")
    try:
        path = save_upload(file, Path(tmp.name))
        batch = screening.read_batch(path, file.filename or path.name)
        state.screener(dataset)  # 404 now, before the stream starts
        job_id = jobs.create(state, key.id, batch, origin="api", dataset=dataset, threshold=threshold)
    except screening.BadRequest as exc:
        tmp.cleanup()
        raise HTTPException(400, detail=str(exc)) from exc
    except UnknownDataset as exc:
        tmp.cleanup()
        raise HTTPException(404, detail="No such dataset.") from exc
    except BaseException:
        tmp.cleanup()
        raise

    def lines() -> Iterator[bytes]:
        try:
            records = screening.screen_batch(state, key.id, batch, dataset=dataset, threshold=threshold, limit=limit)
            for record in jobs.recorded(state.engine, job_id, records):
                yield (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        finally:
            tmp.cleanup()

    return StreamingResponse(lines(), media_type="application/x-ndjson", headers={"X-Tradeguard-Job": job_id})


# --- /jobs ------------------------------------------------------------------------------


@router.get("/jobs", summary="Your batch screening jobs, newest first", tags=["Screening"],
            response_model=list[JobItem], responses=AUTH)
def jobs_list(
    limit: int = Query(20, ge=1, le=500),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> list[dict[str, Any]]:
    """The files this key screened (`POST /screen` or the web UI), each with its status:
    `running`, `done`, `failed` (with the reason: an error, or the server stopped) or
    `stopped` (the client went away). The results of every row screened are kept."""
    return [job.to_dict() for job in jobs.recent(state, key.id, limit)]


def _own_job(state: ServiceState, job_id: str, key: KeyInfo) -> Job:
    job = jobs.get(state, job_id, key.id)
    if job is None:
        raise HTTPException(404, detail=f"no job {job_id} started by this key")
    return job


@router.get("/jobs/{job_id}", summary="One batch screening job", tags=["Screening"], response_model=JobItem,
            responses={**AUTH, 404: E404})
def job_status(
    job_id: str = PathParam(..., max_length=32),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> dict[str, Any]:
    """Its status, rows done of rows in the file, and (when done) the summary."""
    return _own_job(state, job_id, key).to_dict()


@router.get(
    "/jobs/{job_id}/results", summary="The kept results of a batch screening job", tags=["Screening"],
    responses={**AUTH, 404: E404, 200: {"content": {"application/x-ndjson": {}, "text/csv": {}},
                                        "description": "As `POST /screen` streamed them, without the summary"}},
    response_class=StreamingResponse,
)
def job_results(
    job_id: str = PathParam(..., max_length=32),
    format: str = Query("jsonl", pattern="^(jsonl|csv)$", description="`jsonl` or `csv` (one row per match)"),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> StreamingResponse:
    """Every row screened so far, in file order (also of a running, failed or stopped job)."""
    job = _own_job(state, job_id, key)
    records = jobs.rows(state.engine, job.id)
    if format == "csv":
        return StreamingResponse(jobs.results_csv(records), media_type="text/csv")
    return StreamingResponse(jobs.results_jsonl(records), media_type="application/x-ndjson")


# --- /lists -----------------------------------------------------------------------------


def max_age_days() -> int:
    try:
        return load_config().max_age_days
    except ConfigError:
        return DEFAULT_MAX_AGE


def lists_status_data(state: ServiceState) -> dict[str, Any]:
    limit = max_age_days()
    with state.engine.connect() as conn:
        rows = status_rows(conn, limit)
    return {"max_age_days": limit, "lists": rows}


@router.get("/lists", summary="Lists in force", tags=["Lists"], response_model=ListsStatus, responses=AUTH)
def lists_status(key: KeyInfo = Depends(screener_key), state: ServiceState = Depends(get_state)) -> dict[str, Any]:
    """Every list: its active version, dates, age, counts and a staleness flag (as `tradeguard lists status --json`)."""
    return lists_status_data(state)


def list_versions_data(state: ServiceState, list_key: str) -> list[dict[str, Any]]:
    with state.engine.connect() as conn:
        found = versions(conn, list_key)
        active = active_version(conn, list_key)
    if not found:
        raise HTTPException(404, detail=f"no versions of list '{list_key}' in the store")
    return [dict(v.to_dict(), active=active is not None and v.id == active.id) for v in found]


@router.get(
    "/lists/{list_key}/versions", summary="Versions of a list", tags=["Lists"],
    response_model=list[VersionListItem], responses={**AUTH, 404: E404},
)
def list_versions_route(list_key: str, key: KeyInfo = Depends(screener_key), state: ServiceState = Depends(get_state)) -> list[dict[str, Any]]:
    """Every stored version of one list, oldest first (as `tradeguard lists versions KEY --json`)."""
    return list_versions_data(state, list_key)


def diff_data(state: ServiceState, list_key: str, from_id: int | None, to_id: int | None) -> dict[str, Any]:
    with state.engine.connect() as conn:
        to_v = get_version(conn, to_id) if to_id is not None else active_version(conn, list_key)
        if to_v is None or to_v.list_key != list_key:
            raise HTTPException(404, detail=f"no version {to_id if to_id is not None else '(active)'} of list '{list_key}'")
        from_v = get_version(conn, from_id) if from_id is not None else previous_version(conn, to_v)
        if from_v is None or from_v.list_key != list_key:
            raise HTTPException(404, detail=f"no version to compare with: list '{list_key}' needs 'from' (or two versions)")
        return diff_versions(conn, from_v, to_v).to_dict()


@router.get(
    "/lists/{list_key}/diff", summary="Changes between two versions", tags=["Lists"],
    response_model=DiffModel, responses={**AUTH, 404: E404},
)
def list_diff(
    list_key: str,
    from_id: int | None = Query(None, alias="from", ge=0, le=MAX_ID, description="Older version [default: the one before 'to']"),
    to_id: int | None = Query(None, alias="to", ge=0, le=MAX_ID, description="Newer version [default: the active one]"),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> dict[str, Any]:
    """Entities added, removed and changed, with the changed fields (as `tradeguard lists diff --json`)."""
    return diff_data(state, list_key, from_id, to_id)


# --- /parties ---------------------------------------------------------------------------


def register_data(state: ServiceState, actor: str, inputs: list[Any], threshold: float | None) -> dict[str, Any]:
    result = register_parties(state.engine, inputs, actor=actor, screener=state.screener(DEFAULT_DATASET),
                              threshold=threshold, processes=1)
    data = result.to_dict()
    data["matches"] = result.matches
    return data


@router.get("/parties", summary="Monitored parties", tags=["Parties"], response_model=list[PartyModel], responses=AUTH)
def parties_list(
    kind: str | None = Query(None, description="customer, supplier or consignee"),
    search: str | None = Query(None, max_length=200, description="Name contains this text"),
    include_removed: bool = Query(False, description="Include parties no longer monitored"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> list[dict[str, Any]]:
    with state.engine.connect() as conn:
        found = list_parties(conn, kind=kind, active=None if include_removed else True, search=search,
                             limit=limit, offset=offset)
    return [p.to_dict() for p in found]


@router.post(
    "/parties", summary="Register one party (screened at once)", tags=["Parties"],
    response_model=RegisterResponse, responses={**AUTH, 400: E400},
)
def parties_register(
    body: PartyIn,
    threshold: float | None = Query(None, ge=0.0, le=1.0),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> dict[str, Any]:
    """Register (or update) a monitored party and screen it against the lists in force;
    matches raise alerts (unless suppressed by an earlier false-positive decision)."""
    record = body.model_dump(by_alias=True)
    try:
        party = party_from_record(record)
    except ValueError as exc:
        raise HTTPException(400, detail=str(exc)) from exc
    return register_data(state, key.id, [party], threshold)


@router.post(
    "/parties/import", summary="Register parties from a file", tags=["Parties"],
    response_model=RegisterResponse, responses={**AUTH, 400: E400},
)
def parties_import(
    file: UploadFile = File(..., description="CSV, XLSX or JSONL with id, name, schema, birth_date, country, identifiers, address, kind"),
    threshold: float | None = Query(None, ge=0.0, le=1.0),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> dict[str, Any]:
    """Bulk registration: the rows that can be read are registered and screened; the others
    are returned in `errors` with their line."""
    with tempfile.TemporaryDirectory(prefix="tradeguard-parties-") as tmp:
        path = save_upload(file, Path(tmp))
        try:
            found = read_party_file(path)
        except SourceError as exc:
            raise HTTPException(400, detail=f"{file.filename}: {exc.problem}") from exc
        except Exception as exc:  # a damaged XLSX raises its reader's own errors
            raise HTTPException(400, detail=f"{file.filename}: cannot read the file: {exc}") from exc
    if not found.parties and not found.errors:
        raise HTTPException(400, detail=f"{file.filename}: no parties in the file (a header line with id, name... then one party per line)")
    data = register_data(state, key.id, [p for _line, p in found.parties], threshold)
    data["errors"] = [{"line": e.line, "problem": e.problem} for e in found.errors]
    return data


@router.get(
    "/parties/{party_id}", summary="One party with its alerts and screenings", tags=["Parties"],
    response_model=PartyDetail, responses={**AUTH, 404: E404},
)
def party_detail(party_id: str, key: KeyInfo = Depends(screener_key), state: ServiceState = Depends(get_state)) -> dict[str, Any]:
    with state.engine.connect() as conn:
        party = get_party(conn, party_id)
        if party is None:
            raise HTTPException(404, detail=f"no party '{party_id}'")
        alerts = [a.to_dict() for a in list_alerts(conn, party_id=party_id, limit=None)]
        screenings = screenings_for_party(conn, party)
    return {"party": party.to_dict(), "alerts": alerts, "screenings": screenings}


@router.delete(
    "/parties/{party_id}", summary="Stop monitoring a party", tags=["Parties"],
    response_model=PartyModel, responses={**AUTH, 404: E404},
)
def party_remove(party_id: str, key: KeyInfo = Depends(admin_key), state: ServiceState = Depends(get_state)) -> dict[str, Any]:
    """Stop monitoring (its alerts, decisions and evidence are kept). Needs an admin key."""
    with state.engine.begin() as conn:
        if not deactivate_party(conn, party_id):
            raise HTTPException(404, detail=f"no monitored party '{party_id}'")
        audit_store.append(conn, key.id, "party_remove", {"party": party_id}, subject=party_id)
        party = get_party(conn, party_id)
    assert party is not None
    return party.to_dict()


@router.get(
    "/parties/{party_id}/evidence", summary="Evidence report for one party (HTML)", tags=["Parties"],
    responses={**AUTH, 404: E404, 200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "The report"}},
)
def party_evidence(party_id: str, key: KeyInfo = Depends(reviewer_key), state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """Screenings, alerts, decisions, list versions and audit entries of one party, as a
    self-contained HTML report (the same as `tradeguard audit export PARTY`). Needs a reviewer key."""
    with tempfile.TemporaryDirectory(prefix="tradeguard-evidence-") as tmp:
        try:
            with state.engine.connect() as conn:
                result = audit_store.export_party(conn, party_id, Path(tmp), pdf=False)
        except KeyError as exc:
            raise HTTPException(404, detail=str(exc.args[0])) from exc
        text = result.html_path.read_text(encoding="utf-8")
    state.audit.write(key.id, "export", {"party": party_id, "counts": result.counts, "via": "api"}, subject=party_id)
    return HTMLResponse(text)


# --- /alerts ----------------------------------------------------------------------------


def alert_detail_data(state: ServiceState, alert_id: int) -> dict[str, Any]:
    with state.engine.connect() as conn:
        alert = get_alert(conn, alert_id)
        if alert is None:
            raise HTTPException(404, detail=f"no alert {alert_id}")
        entity = alert_entity(conn, alert)
        party = get_party(conn, alert.party_id)
        history = decisions(conn, alert_id)
    return {
        "alert": alert.to_dict(),
        "entity": entity.to_dict() if entity is not None else None,
        "entity_ftm": to_ftm_dict(entity) if entity is not None else None,
        "party_now": party.to_dict() if party is not None else None,
        "decisions": [d.to_dict() for d in history],
    }


@router.get("/alerts", summary="Alerts", tags=["Alerts"], response_model=AlertList, responses={**AUTH, 400: E400})
def alerts_list(
    status: list[AlertStatus] | None = Query(None, description="Only these statuses"),
    party: str | None = Query(None, description="Only this party"),
    entity: str | None = Query(None, description="Only this listed entity"),
    list_key: str | None = Query(None, alias="list", description="Only this list"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    newest_first: bool = Query(False),
    key: KeyInfo = Depends(screener_key),
    state: ServiceState = Depends(get_state),
) -> dict[str, Any]:
    """Alerts with filters, and the number of alerts in each status."""
    try:
        with state.engine.connect() as conn:
            found = list_alerts(conn, status=status or None, party_id=party, entity_id=entity, list_key=list_key,
                                limit=limit, offset=offset, newest_first=newest_first)
            counts = count_alerts(conn)
    except ValueError as exc:
        raise HTTPException(400, detail=str(exc)) from exc
    return {"counts": counts, "alerts": [a.to_dict() for a in found]}


@router.get(
    "/alerts/{alert_id}", summary="One alert: party and listed entity side by side", tags=["Alerts"],
    response_model=AlertDetail, responses={**AUTH, 404: E404},
)
def alert_detail(alert_id: int = ALERT_ID, key: KeyInfo = Depends(screener_key), state: ServiceState = Depends(get_state)) -> dict[str, Any]:
    return alert_detail_data(state, alert_id)


def decide_data(state: ServiceState, reviewer: str, alert_id: int, decision: str, reason: str,
                seen_decisions: int | None = None) -> dict[str, Any]:
    try:
        with state.engine.begin() as conn:
            if get_alert(conn, alert_id) is None:
                raise HTTPException(404, detail=f"no alert {alert_id}")
            result = decide(conn, alert_id, decision, reason, reviewer, four_eyes=state.four_eyes,
                            seen_decisions=seen_decisions)
    except DecisionError as exc:
        raise HTTPException(409, detail=str(exc)) from exc
    return {"alert": result.alert.to_dict(), "decision": result.decision.to_dict(), "pending": result.pending}


@router.post(
    "/alerts/{alert_id}/decision", summary="Record a reviewer's decision", tags=["Alerts"],
    response_model=DecisionResponse, responses={**AUTH, 400: E400, 404: E404, 409: E409},
)
def alert_decide(
    body: DecisionIn, alert_id: int = ALERT_ID, key: KeyInfo = Depends(reviewer_key), state: ServiceState = Depends(get_state),
) -> dict[str, Any]:
    """`true_match` escalates the alert; `false_positive` clears it (suppressing it while the
    party's data and the entity's record stay the same). A reason is required; the decision
    is written to the audit trail. With four-eyes on, clearing an escalated alert takes two
    different reviewers (the first gets `pending: true`). With `seen_decisions`, a decision
    taken by another reviewer since you looked makes this one a 409 naming it."""
    return decide_data(state, key.id, alert_id, body.decision, body.reason, body.seen_decisions)


# --- /audit -----------------------------------------------------------------------------


@router.get("/audit", summary="Search the audit trail", tags=["Audit"], response_model=list[AuditEntryModel], responses=AUTH)
def audit_search(
    subject: str | None = Query(None, description="Entries about this party"),
    action: str | None = Query(None, description="e.g. match, screen_batch, decision, party_register, rescreen"),
    actor: str | None = Query(None, description="A key id, or cli:<user>"),
    since: str | None = Query(None, description="ISO timestamp (inclusive)"),
    until: str | None = Query(None, description="ISO timestamp (inclusive); a date (YYYY-MM-DD) includes that whole day"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    key: KeyInfo = Depends(reviewer_key),
    state: ServiceState = Depends(get_state),
) -> list[dict[str, Any]]:
    """Entries, newest first. Needs a reviewer key."""
    with state.engine.connect() as conn:
        found = audit_store.entries(conn, subject=subject, action=action, actor=actor, since=since,
                                    until=screening.until_bound(until),
                                    limit=limit, offset=offset, newest_first=True)
    return [e.to_dict() for e in found]


def verify_data(state: ServiceState) -> dict[str, Any]:
    with state.engine.connect() as conn:
        result = audit_store.verify(conn)
        seq, digest = audit_store.head(conn)
    return {"ok": result.ok, "first_bad_seq": result.first_bad_seq, "reason": result.reason,
            "head": {"seq": seq, "hash": digest}}


@router.get("/audit/verify", summary="Verify the hash chain", tags=["Audit"], response_model=AuditVerifyModel, responses=AUTH)
def audit_verify(key: KeyInfo = Depends(reviewer_key), state: ServiceState = Depends(get_state)) -> dict[str, Any]:
    """Check every row's hash and link; say where the chain breaks."""
    return verify_data(state)


# --- keys and identity ------------------------------------------------------------------


@router.get("/whoami", summary="The caller's key", tags=["Keys"], response_model=WhoAmI, responses={401: E401})
def whoami(key: KeyInfo = Depends(current_key)) -> dict[str, Any]:
    return {"id": key.id, "role": key.role, "label": key.label}


@router.get("/keys", summary="API keys", tags=["Keys"], response_model=list[KeyModel], responses=AUTH)
def keys_list(key: KeyInfo = Depends(admin_key), state: ServiceState = Depends(get_state)) -> list[dict[str, Any]]:
    """Every key (never the key itself). Needs an admin key."""
    with state.engine.connect() as conn:
        return [k.to_dict() for k in list_keys(conn)]


@router.post("/keys", summary="Create an API key", tags=["Keys"], response_model=KeyCreated, status_code=201,
             responses={**AUTH, 400: E400})
def keys_create(body: KeyIn, key: KeyInfo = Depends(admin_key), state: ServiceState = Depends(get_state)) -> dict[str, Any]:
    """Create a key; the response holds it once (only its hash is stored). Needs an admin key."""
    with state.engine.begin() as conn:
        key_id, plaintext = create_key(conn, body.role, body.label)
        audit_store.append(conn, key.id, "key_create", {"key": key_id, "role": body.role, "label": body.label})
        created = get_key(conn, key_id)
    assert created is not None
    return {**created.to_dict(), "key": plaintext}


@router.delete("/keys/{key_id}", summary="Revoke an API key", tags=["Keys"], response_model=KeyModel, responses={**AUTH, 404: E404})
def keys_revoke(key_id: str, key: KeyInfo = Depends(admin_key), state: ServiceState = Depends(get_state)) -> dict[str, Any]:
    """Revoke a key: it stops working at once. Needs an admin key."""
    with state.engine.begin() as conn:
        if not revoke_key(conn, key_id):
            raise HTTPException(404, detail=f"no active key '{key_id}'")
        audit_store.append(conn, key.id, "key_revoke", {"key": key_id})
    forget_key(key_id)
    with state.engine.connect() as conn:
        revoked = get_key(conn, key_id)
    assert revoked is not None
    return revoked.to_dict()
