"""API-key authentication and roles for the HTTP API and the web UI.

Clients send ``Authorization: ApiKey KEY`` (yente's form) or ``Authorization: Bearer KEY``.
The web UI logs in with a key and then holds a session: a random id in an HttpOnly,
SameSite=Strict cookie, stored hashed with the key it was opened with (expiring, closed at
logout and when the key is revoked); the key itself never sits in the browser. The API
routes accept that cookie for GET requests only, so a browser that is logged in can read
the OpenAPI document, while every state-changing API call needs the header (the UI's own
forms carry a CSRF token derived from the session).

The ``/reconcile`` routes alone (``reconcile_key``) also take the key as the query parameter
``?api_key=KEY``: OpenRefine cannot send headers, so its users put the key in the service URL.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Awaitable, Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader, APIKeyQuery
from starlette.concurrency import run_in_threadpool

from tradeguard.service.state import ServiceState
from tradeguard.store.keys import KeyInfo, has_role, session_key, verify_key

COOKIE = "tg_session"
SCHEMES = ("apikey", "bearer")

# Documents the header in the OpenAPI description (checked by ``current_key`` below).
api_key_header = APIKeyHeader(
    name="Authorization",
    auto_error=False,
    scheme_name="ApiKey",
    description="`ApiKey KEY` (yente's form) or `Bearer KEY`; keys come from `tradeguard keys create --role ROLE`.",
)


# Documents the query parameter of the /reconcile routes (checked by ``reconcile_key``).
api_key_query = APIKeyQuery(
    name="api_key",
    auto_error=False,
    scheme_name="ApiKeyQuery",
    description="The key as `?api_key=KEY`: accepted by the `/reconcile` routes only (OpenRefine's service URL).",
)
RECONCILE_ROLE = "screener"


def state_of(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.tradeguard
    return state


async def get_state(request: Request) -> ServiceState:
    """``state_of`` as an async dependency (no thread hop)."""
    return state_of(request)


def key_from_header(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() in SCHEMES and token.strip():
        return token.strip()
    return None


def check_key(state: ServiceState, plaintext: str | None) -> KeyInfo | None:
    if not plaintext:
        return None
    with state.engine.connect() as conn:
        info = verify_key(conn, plaintext)
    if info is not None:
        with _seen_lock:
            if len(_seen) > 10_000:
                _seen.clear()
            _seen.add(_digest(plaintext))
    return info


# Keys this process has verified once. The store caches a successful scrypt check, so for
# these the check is one primary-key lookup and runs on the event loop; a key not seen
# before pays scrypt (~50 ms) in a worker thread instead. A verified key is re-checked
# against the store at most every RECHECK_SECONDS (so a revocation takes effect within
# that time), which keeps the database off the path of most requests.
RECHECK_SECONDS = 1.0
_seen: set[str] = set()
_seen_lock = threading.Lock()
_fresh: dict[str, tuple[float, KeyInfo]] = {}


def _digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


async def check_key_async(state: ServiceState, plaintext: str | None) -> KeyInfo | None:
    if not plaintext:
        return None
    digest = _digest(plaintext)
    now = time.monotonic()
    with _seen_lock:
        fresh = _fresh.get(digest)
        seen = digest in _seen
    if fresh is not None and now - fresh[0] < RECHECK_SECONDS:
        return fresh[1]
    info = check_key(state, plaintext) if seen else await run_in_threadpool(check_key, state, plaintext)
    with _seen_lock:
        if info is None:
            _fresh.pop(digest, None)
        else:
            if len(_fresh) > 10_000:
                _fresh.clear()
            _fresh[digest] = (now, info)
    return info


def check_session(state: ServiceState, session_id: str | None) -> KeyInfo | None:
    """The key of an open UI session (None: no such session, closed, expired, or its key
    revoked or expired)."""
    if not session_id:
        return None
    with state.engine.connect() as conn:
        return session_key(conn, session_id)


async def check_session_async(state: ServiceState, session_id: str | None) -> KeyInfo | None:
    return await run_in_threadpool(check_session, state, session_id) if session_id else None


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": 'ApiKey realm="tradeguard"'})


def forget_key(key_id: str) -> None:
    """Drop a key from the recheck cache (on revocation through this process: at once)."""
    with _seen_lock:
        for digest, (_at, info) in list(_fresh.items()):
            if info.id == key_id:
                del _fresh[digest]


async def current_key(request: Request, authorization: str | None = Depends(api_key_header)) -> KeyInfo:
    """The caller's key (401 when missing or invalid)."""
    plaintext = key_from_header(authorization)
    if authorization and plaintext is None:
        raise _unauthorized("malformed Authorization header: send 'ApiKey KEY' or 'Bearer KEY'")
    if plaintext is None and request.method in ("GET", "HEAD") and request.cookies.get(COOKIE):
        info = await check_session_async(state_of(request), request.cookies.get(COOKIE))
        if info is None:
            raise _unauthorized("the web UI session has ended: log in again")
        return info
    if plaintext is None:
        raise _unauthorized("an API key is required: send 'Authorization: ApiKey KEY'")
    info = await check_key_async(state_of(request), plaintext)
    if info is None:
        raise _unauthorized("invalid or revoked API key")
    return info


def require(role: str) -> Callable[..., Awaitable[KeyInfo]]:
    """A dependency: the caller's key, which must have ``role`` or a higher one (else 403)."""

    async def dependency(key: KeyInfo = Depends(current_key)) -> KeyInfo:
        return _with_role(key, role)

    dependency.__name__ = f"require_{role}"
    return dependency


def _with_role(key: KeyInfo, role: str) -> KeyInfo:
    if not has_role(key, role):
        raise HTTPException(403, detail=f"key {key.id} has role '{key.role}': this needs '{role}' or higher")
    return key


async def reconcile_key(
    request: Request,
    authorization: str | None = Depends(api_key_header),
    api_key: str | None = Depends(api_key_query),
) -> KeyInfo:
    """The caller's key for the /reconcile routes: as ``current_key`` (the header wins when
    both are given), or else from ``?api_key=KEY``; it needs the screener role (else 403).
    No other route depends on this, so no other route reads ``api_key``."""
    plaintext = (api_key or "").strip()
    if authorization or not plaintext:
        if not authorization and not (request.method in ("GET", "HEAD") and request.cookies.get(COOKIE)):
            raise _unauthorized("an API key is required: send 'Authorization: ApiKey KEY' or add '?api_key=KEY' to the service URL")
        key = await current_key(request, authorization)
    else:
        found = await check_key_async(state_of(request), plaintext)
        if found is None:
            raise _unauthorized("invalid or revoked API key")
        key = found
    return _with_role(key, RECONCILE_ROLE)


def csrf_token(session_id: str) -> str:
    """The UI's per-session CSRF token (a keyed hash of the session id, not the id itself)."""
    return hmac.new(session_id.encode("utf-8"), b"tradeguard-ui-csrf", hashlib.sha256).hexdigest()


def csrf_ok(session_id: str, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(csrf_token(session_id), token or "")
