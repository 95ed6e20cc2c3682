"""Shipment screening over HTTP on a live server (real uvicorn, a real SQLite store with the UN
list of 2026-08-01 and OFAC's SDN list of 2024-05-03 from ../shared, the real Common High
Priority List): the sample shipments of `make demo` through `POST /shipments/screen`, the
stored summary and evidence report under `/shipments`, kept apart from order screenings, the
audit trail and a file that holds no shipment."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.live import LiveServer, order_server
from tests.api.test_orders_api import ndjson, rules
from tests.conftest import ROOT

SHIPMENTS = ROOT / "examples" / "shipments.csv"
ORDERS = ROOT / "examples" / "orders.csv"


@pytest.fixture(scope="module")
def shipments_server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with order_server(lists_dir, tmp_path_factory.mktemp("shipments-server")) as srv:
        yield srv


def post(server: LiveServer, route: str, name: str, body: bytes, **params: Any) -> httpx.Response:
    with server.client() as client:
        return client.post(route, params=params, files={"file": (name, body)})


def test_sample_shipments_over_http(shipments_server: LiveServer) -> None:
    server = shipments_server
    body = SHIPMENTS.read_bytes()
    got, summary = ndjson(post(server, "/shipments/screen", "shipments.csv", body))

    # The same verdicts as `tradeguard shipments screen` gives on the file (tests/orders/test_shipments.py).
    assert {k: v["verdict"] for k, v in got.items()} == {
        "BL-2025-0001": "block", "BL-2025-0002": "block", "BL-2025-0003": "review", "BL-2025-0004": "clear"}
    assert "port.caspian_route" in rules(got["BL-2025-0001"])
    [imo] = [r for r in got["BL-2025-0002"]["reasons"] if r["rule"] == "vessel.listed_imo"]
    assert "9187629" in imo["detail"] and imo["source"].startswith("us_ofac_sdn")
    assert {"port.transshipment_hub", "goods.chpl"} <= rules(got["BL-2025-0003"])
    assert got["BL-2025-0004"]["reasons"] == []

    assert summary["kind"] == "shipments"
    assert summary["sha256"] == hashlib.sha256(body).hexdigest()
    assert "port_rules.yml" in summary["ports"]["rules"]
    screening_id = summary["screening_id"]
    assert summary["report"] == f"/shipments/{screening_id}/report"

    with server.client() as client:
        listed = client.get("/shipments").json()
        assert [s["id"] for s in listed] == [screening_id]
        assert listed[0]["counts"] == {"block": 2, "review": 1, "clear": 1, "skipped": 0}
        assert listed[0]["report"] == f"/shipments/{screening_id}/report"
        # Orders and shipments share a store of screenings, but each route lists and serves its own kind.
        assert all(s["id"] != screening_id for s in client.get("/orders").json())
        assert client.get(f"/orders/{screening_id}").status_code == 404
        stored = client.get(f"/shipments/{screening_id}")
        assert stored.status_code == 200 and stored.json()["verdicts"] == {"block": 2, "review": 1, "clear": 1}
        report = client.get(f"/shipments/{screening_id}/report")
        assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
        assert "Shipment screening report" in report.text and "BL-2025-0002" in report.text
        assert client.get(f"/orders/{screening_id}/report").status_code == 404
        audit = client.get("/audit", params={"action": "shipments_screen"})
        assert audit.status_code == 403  # the audit trail is a reviewer's

    with server.client("reviewer") as client:
        entries = client.get("/audit", params={"action": "shipments_screen"}).json()
    assert any(e["payload"]["screening"] == screening_id and e["payload"]["file"] == "shipments.csv"
               for e in entries), json.dumps(entries)[:500]

    # An order file screened after it is listed under /orders, not /shipments.
    _orders, order_summary = ndjson(post(server, "/orders/screen", "orders.csv", ORDERS.read_bytes()))
    assert order_summary["kind"] == "orders" and order_summary["report"].startswith("/orders/")
    with server.client() as client:
        assert [s["id"] for s in client.get("/shipments").json()] == [screening_id]
        assert client.get(f"/shipments/{order_summary['screening_id']}").status_code == 404


def test_file_without_shipments_is_refused(shipments_server: LiveServer) -> None:
    resp = post(shipments_server, "/shipments/screen", "empty.csv", b"shipment,vessel_name\n")
    assert resp.status_code == 400
    assert "empty.csv: no shipments (a header line with shipment, " in resp.json()["detail"]
    with shipments_server.client() as client:
        assert client.get("/shipments/999999").status_code == 404
        assert client.get("/shipments/999999").json()["detail"] == "no shipment screening 999999"
    with httpx.Client(base_url=shipments_server.url, timeout=30) as anonymous:
        assert anonymous.post("/shipments/screen", files={"file": ("s.csv", SHIPMENTS.read_bytes())}).status_code == 401
