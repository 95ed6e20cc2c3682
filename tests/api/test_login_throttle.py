"""Failed logins slowed down per client: the throttle itself, then a live server of its own
(a locked-out 127.0.0.1 must not lock out the other tests' servers)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.live import LiveServer, live_server
from tradeguard.service.throttle import FREE_FAILURES, LoginThrottle


def test_the_throttle_counts_failures_in_a_window_and_forgets_on_success() -> None:
    throttle = LoginThrottle(free=3, window=0.5)
    for _ in range(3):
        assert throttle.retry_after("10.0.0.1") is None
        throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 1
    assert throttle.retry_after("10.0.0.2") is None  # per client
    time.sleep(0.6)
    assert throttle.retry_after("10.0.0.1") is None  # the failures left the window
    throttle.failed("10.0.0.1")
    throttle.succeeded("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") is None


@pytest.fixture(scope="module")
def lonely_server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(lists_dir, tmp_path_factory.mktemp("throttle-server")) as srv:
        yield srv


def test_a_client_that_keeps_failing_is_refused_for_a_while(lonely_server: LiveServer) -> None:
    url = f"{lonely_server.url}/ui/login"
    good = lonely_server.keys["screener"]
    with httpx.Client(follow_redirects=False, timeout=30) as client:
        ok = client.post(url, data={"key": good, "next": "/ui/"})
        assert ok.status_code == 303
        for _ in range(FREE_FAILURES):
            bad = client.post(url, data={"key": "tg_nope_wrong", "next": "/ui/"})
            assert bad.status_code == 401
        refused = client.post(url, data={"key": good, "next": "/ui/"})  # even the right key, for now
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 301
    assert "Too many failed logins" in refused.text
    # The API is not the login form: a key in the Authorization header still works.
    with lonely_server.client() as api:
        assert api.get("/catalog").status_code == 200
