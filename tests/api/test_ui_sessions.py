"""Web UI sessions instead of keys in cookies: the browser holds a random session id (the
store its hash), which ends at logout, when its key is revoked, and when it expires; the
store functions first, then a live server of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from tests.api.live import LiveServer, live_server
from tests.helpers import run_cli
from tradeguard.store.db import connect
from tradeguard.store.keys import close_session, create_key, open_session, revoke_key, session_key
from tradeguard.store.service_tables import ui_sessions


def test_sessions_in_the_store(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'sessions.db'}")
    with engine.begin() as conn:
        key_id, plaintext = create_key(conn, "reviewer", "ui")
        session = open_session(conn, key_id)
        other = open_session(conn, key_id)
    with engine.connect() as conn:
        info = session_key(conn, session)
        assert info is not None and (info.id, info.role) == (key_id, "reviewer")
        assert session != plaintext and plaintext not in session
        stored = set(conn.execute(select(ui_sessions.c.id_hash)).scalars())
        assert session not in stored and len(stored) == 2  # only hashes are kept
        assert session_key(conn, "not-a-session") is None and session_key(conn, None) is None
    with engine.begin() as conn:
        assert close_session(conn, session) is True
        assert close_session(conn, session) is False
    with engine.begin() as conn:
        assert session_key(conn, session) is None and session_key(conn, other) is not None
        conn.execute(update(ui_sessions).values(expires_at="2000-01-01T00:00:00+00:00"))
        assert session_key(conn, other) is None  # expired
    with engine.begin() as conn:
        third = open_session(conn, key_id)
        assert session_key(conn, third) is not None
        revoke_key(conn, key_id)
        assert session_key(conn, third) is None  # the key's sessions end with it
        closed = conn.execute(select(ui_sessions.c.revoked_at).where(ui_sessions.c.expires_at > "2001")).scalars()
        assert all(at is not None for at in closed)
    engine.dispose()


@pytest.fixture(scope="module")
def session_server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(lists_dir, tmp_path_factory.mktemp("sessions-server")) as srv:
        yield srv


@contextmanager
def _login(server: LiveServer, role: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30, follow_redirects=False) as client:
        assert client.post("/ui/login", data={"key": server.keys[role], "next": "/ui/"}).status_code == 303
        yield client


def test_the_browser_holds_a_session_not_the_key(session_server: LiveServer) -> None:
    server = session_server
    with _login(server, "screener") as browser:
        [cookie] = list(browser.cookies.jar)
        assert cookie.name == "tg_session" and cookie.value != server.keys["screener"]
        secret = server.keys["screener"].split("_", 2)[2]  # "tg_<id>_<secret>"; the secret may hold "_"
        assert secret not in (cookie.value or "")
        assert browser.get("/ui/").status_code == 200
        assert browser.get("/catalog").status_code == 200  # GET API routes take the session
        page = browser.get("/ui/")
        token = page.text.split('name="csrf" value="')[1].split('"')[0]
        assert browser.post("/ui/logout", data={"csrf": token}).status_code == 303
        old = cookie.value
    # The session is closed in the store: replaying its cookie is a login page, not the UI.
    with httpx.Client(base_url=server.url, timeout=30, cookies={"tg_session": old or ""}) as replay:
        assert replay.get("/ui/", follow_redirects=False).status_code in (302, 303, 307)
        assert replay.get("/catalog").status_code == 401


def test_revoking_a_key_ends_its_sessions(session_server: LiveServer) -> None:
    server = session_server
    with server.client("admin") as admin, _login(server, "reviewer2") as browser:
        assert browser.get("/ui/alerts").status_code == 200
        run_cli("keys", "revoke", server.key_ids["reviewer2"], db=server.db_url)
        assert browser.get("/ui/alerts").status_code in (302, 303, 307)
        assert admin.get("/catalog").status_code == 200  # other keys go on
