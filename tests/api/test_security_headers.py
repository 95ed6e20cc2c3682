"""Security headers on every response of a live server: UI pages, the API, static files and
errors carry a Content-Security-Policy without inline script or framing, nosniff, no
referrer and DENY framing; the Swagger page keeps its inline start-up (no policy)."""

from __future__ import annotations

import httpx

from tests.api.live import LiveServer
from tradeguard.service.headers import CSP


def test_every_response_carries_the_security_headers(server: LiveServer) -> None:
    with server.client() as client:
        responses = {
            "api": client.get("/catalog"),
            "ui login": client.get("/ui/login"),
            "static": client.get("/static/style.css"),
            "error": client.get("/entities/no-such-entity"),
        }
    responses["no key"] = httpx.get(f"{server.url}/catalog")
    for what, resp in responses.items():
        assert resp.headers["x-content-type-options"] == "nosniff", what
        assert resp.headers["referrer-policy"] == "no-referrer", what
        assert resp.headers["x-frame-options"] == "DENY", what
        assert resp.headers["content-security-policy"] == CSP, what
    assert "script-src 'self';" in CSP and "unsafe-inline" not in CSP.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in CSP
    with server.client() as client:
        docs = client.get("/docs")
    assert docs.status_code == 200 and "content-security-policy" not in docs.headers
    assert docs.headers["x-content-type-options"] == "nosniff"
