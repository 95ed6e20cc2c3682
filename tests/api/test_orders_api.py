"""Order screening over HTTP on a live server (real uvicorn, a real SQLite store with the UN list
of 2026-08-01 and OFAC's SDN list of 2024-05-03 from ../shared, the real Common High Priority
List): the sample order file before and after `tradeguard ownership load` of the sample
ownership file, hand-made damaged order files, the stored summaries and evidence reports, the
audit trail and the alerts, and the key checks."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from tests.api.live import BACKENDS, LiveServer, order_server
from tests.conftest import ROOT
from tests.helpers import run_cli

ORDERS = ROOT / "examples" / "orders.csv"
OWNERSHIP = ROOT / "examples" / "ownership.csv"
QODS_PATH = "QODS AERONAUTICS INDUSTRIES (listed) holds 60% of Arvand Aero Parts Trading LLC"


@pytest.fixture(scope="module", params=BACKENDS)
def orders_server(request: pytest.FixtureRequest, lists_dir: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own (on each backend): order screening records parties and raises alerts."""
    with order_server(lists_dir, tmp_path_factory.mktemp(f"orders-server-{request.param}"),
                      backend=request.param) as srv:
        yield srv


def post_orders(server: LiveServer, name: str, body: bytes, **params: Any) -> httpx.Response:
    with server.client() as client:
        return client.post("/orders/screen", params=params, files={"file": (name, body)})


def ndjson(resp: httpx.Response) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The records by line id (checked for shape and order) and the summary."""
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/x-ndjson")
    items = [json.loads(line) for line in resp.text.splitlines() if line.strip()]
    assert set(items[-1]) == {"summary"}
    records: dict[str, dict[str, Any]] = {}
    for item in items[:-1]:
        assert set(item) == {"line", "verdict", "reasons"}, item
        assert item["verdict"] in ("block", "review", "clear")
        for reason in item["reasons"]:
            assert set(reason) == {"rule", "detail", "source"}, reason
            assert reason["rule"] and reason["detail"] and reason["source"], reason
        assert item["line"] not in records
        records[item["line"]] = item
    return records, items[-1]["summary"]


def rules(record: dict[str, Any]) -> set[str]:
    return {r["rule"] for r in record["reasons"]}


def test_sample_order_file_over_http(orders_server: LiveServer) -> None:
    server = orders_server
    body = ORDERS.read_bytes()
    sha = hashlib.sha256(body).hexdigest()

    # Before any ownership data: no ownership reason, Arvand (60% owned by a UN-listed entity) is clear.
    before, first = ndjson(post_orders(server, "orders.csv", body))
    assert not any(r["rule"].startswith("ownership.") for rec in before.values() for r in rec["reasons"])
    assert before["PO-24-0105"]["verdict"] == "clear"

    # `tradeguard ownership load` into the running server's store: the next screening uses it.
    loaded = run_cli("ownership", "load", str(OWNERSHIP), db=server.db_url)
    assert "loaded 8 ownership edge(s)" in loaded.stdout
    got, summary = ndjson(post_orders(server, "orders.csv", body))

    assert list(got) == [f"PO-24-01{n:02d}" for n in range(1, 17)]  # one record per line, in file order
    assert {rec["verdict"] for rec in got.values()} == {"block", "review", "clear"}
    for line in ("PO-24-0101", "PO-24-0102", "PO-24-0112", "PO-24-0113", "PO-24-0114"):
        assert got[line] == {"line": line, "verdict": "clear", "reasons": []}
    assert rules(got["PO-24-0104"]) == {"redflag.forwarder_is_end_user"}
    assert got["PO-24-0104"]["verdict"] == "review"
    arvand = got["PO-24-0105"]
    assert arvand["verdict"] == "block"
    owned = [r for r in arvand["reasons"] if r["rule"] == "ownership.blocked"]
    assert len(owned) == 3 and all(QODS_PATH in r["detail"] for r in owned)
    assert all("ownership file ownership.csv" in r["source"] and "un_sc version" in r["source"] for r in owned)
    sevastopol = got["PO-24-0103"]
    assert sevastopol["verdict"] == "block"
    assert any("Севастополь" in r["detail"] for r in sevastopol["reasons"] if r["rule"] == "destination.sanctioned_place")
    qods = [r for r in got["PO-24-0107"]["reasons"] if r["rule"] == "party.listed_match"]
    assert any("un_sc 110349" in r["detail"] and "list date 2026-08-01" in r["source"] for r in qods)

    counts = summary["verdicts"]
    assert counts == {v: sum(1 for rec in got.values() if rec["verdict"] == v) for v in ("block", "review", "clear")}
    assert counts["clear"] == 5 and sum(counts.values()) == 16
    assert summary["lines_read"] == summary["lines_screened"] == 16 and summary["skipped"] == []
    assert summary["file"] == "orders.csv" and summary["sha256"] == sha
    top = {t["rule"]: t["lines"] for t in summary["top_reasons"]}
    assert top["ownership.blocked"] == 4
    assert {(v["list"], v["list_date"]) for v in summary["lists"]} == {("un_sc", "2026-08-01"), ("us_ofac_sdn", "2024-05-03")}
    sid = summary["screening_id"]
    assert isinstance(sid, int) and sid == first["screening_id"] + 1
    assert summary["report"] == f"/orders/{sid}/report"
    # party matches joined the review queue as alerts on order parties (raised by the first
    # screening; the second finds them open)
    raised = first["alerts"]["raised"]
    assert raised and summary["alerts"]["raised"] == []
    assert sorted(summary["alerts"]["already_open"]) == sorted(raised)

    with server.client() as client:
        listed = client.get("/orders").json()
        assert [item["id"] for item in listed[:2]] == [sid, first["screening_id"]]
        assert listed[0]["sha256"] == sha and listed[0]["file"] == "orders.csv" and listed[0]["lines"] == 16
        assert listed[0]["counts"] == {**counts, "skipped": 0}
        assert listed[0]["actor"] == server.key_ids["screener"]
        stored = client.get(f"/orders/{sid}").json()
        assert stored["verdicts"] == counts and stored["screening_id"] == sid and stored["sha256"] == sha

        report = client.get(summary["report"])
        assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in report.headers["content-security-policy"]
        html = report.text
        assert sha in html and "orders.csv" in html and summary["screened_at"] in html
        assert f"order screening {sid}" in html
        for n in range(1, 17):
            assert f'id="line-PO-24-01{n:02d}"' in html
        assert html.count('class="v block"') == counts["block"]
        assert QODS_PATH in html

        alert = client.get(f"/alerts/{raised[0]}").json()
        assert alert["party_now"]["kind"] == "order_party" and alert["alert"]["party_id"].startswith("order:")

    with server.client("reviewer") as reviewer:
        audited = reviewer.get("/audit", params={"action": "orders_screen", "limit": 10}).json()
        entry = next(e for e in audited if e["payload"]["screening"] == sid)
        assert entry["actor"] == server.key_ids["screener"]
        assert entry["payload"]["sha256"] == sha and entry["payload"]["verdicts"] == counts
        assert {v["list"] for v in entry["payload"]["lists"]} == {"un_sc", "us_ofac_sdn"}
        exports = reviewer.get("/audit", params={"action": "export", "limit": 10}).json()
        assert any(e["payload"].get("order_screening") == sid and e["payload"]["via"] == "api" for e in exports)


HEADER = ORDERS.read_text(encoding="utf-8").splitlines()[0] if ORDERS.is_file() else ""


def test_bad_rows_are_reported_with_their_line(orders_server: LiveServer) -> None:
    cols = HEADER.split(",")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)

    def row(**values: str) -> list[str]:
        return [values.get(c, "") for c in cols]

    writer.writerow(row(line="T-1", buyer_name="Kansai Robotics K.K.", buyer_country="JP", ship_to_country="JP",
                        hs_code="8482.10", eccn="EAR99"))  # line 2
    writer.writerow(row(buyer_name="Nameless Line GmbH", buyer_country="DE", ship_to_country="DE"))  # line 3: no id
    writer.writerow(row(line="T-1", buyer_name="Again GmbH", ship_to_country="DE"))  # line 4: id repeated
    writer.writerow([*row(line="T-3", ship_to_country="DE"), "surplus"])  # line 5: one cell too many
    writer.writerow(row(line="T-4", quantity="3"))  # line 6: nothing to screen
    writer.writerow(row(line="T-5", consignee_name="Tien Shan Trade House LLC", consignee_country="KG",
                        ship_to_country="KG", hs_code="8542.32.0036", eccn="EAR99"))  # line 7
    got, summary = ndjson(post_orders(orders_server, "damaged.csv", out.getvalue().encode("utf-8")))
    assert list(got) == ["T-1", "T-5"]
    assert got["T-1"]["verdict"] == "clear"
    assert got["T-5"]["verdict"] == "review" and "destination.transshipment_risk" in rules(got["T-5"])
    skipped = {s["line"]: s["problem"] for s in summary["skipped"]}
    assert list(skipped) == [3, 4, 5, 6]
    assert "no line id" in skipped[3]
    assert "repeated" in skipped[4] and "first on line 2" in skipped[4]
    assert "cells" in skipped[5]
    assert "no party, destination or goods to screen" in skipped[6]
    assert summary["lines_read"] == 6 and summary["lines_screened"] == 2
    with orders_server.client() as client:
        report = client.get(summary["report"]).text
        assert "Rows skipped (not screened)" in report and "no line id" in report
        assert client.get("/orders").json()[0]["counts"]["skipped"] == 4

    # JSONL and XLSX are read too; an unreadable JSON line is reported with its line
    jsonl = (json.dumps({"line": "J-1", "consignee_name": "Belpromsnab OJSC", "consignee_country": "BY",
                         "ship_to_country": "BY", "hs_code": "9030.20.1000", "eccn": "3A992.a"}) + "\n"
             + '{"line": "J-2", "buyer_name": \n')
    got, summary = ndjson(post_orders(orders_server, "orders.jsonl", jsonl.encode("utf-8")))
    assert got["J-1"]["verdict"] == "block" and "destination.sanctioned_country" in rules(got["J-1"])
    assert [s["line"] for s in summary["skipped"]] == [2] and "invalid JSON" in summary["skipped"][0]["problem"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Line", "Consignee Name", "Consignee Address", "Ship To Country", "HS Code"])
    ws.append(["X-1", "Morskie Sistemy", "ul. Lenina 5, Simferopol", "UA", "8526.91"])
    data = io.BytesIO()
    wb.save(data)
    got, _summary = ndjson(post_orders(orders_server, "orders.xlsx", data.getvalue()))
    assert got["X-1"]["verdict"] == "block" and "destination.sanctioned_place" in rules(got["X-1"])

    # Every row skipped: the screening is stored with no line results, and says so (not
    # "stored before per-line results were kept").
    got, summary = ndjson(post_orders(orders_server, "nothing.csv", b"line,quantity\nN-1,3\n"))
    assert got == {} and summary["lines_screened"] == 0
    with orders_server.client() as client:
        kept = client.get(f"/orders/{summary['screening_id']}/results")
    assert kept.status_code == 200 and kept.text == ""


def test_unreadable_files_and_keys(orders_server: LiveServer) -> None:
    server = orders_server
    with server.client() as client:
        before = len(client.get("/orders").json())
    empty = post_orders(server, "empty.csv", b"line,buyer_name,ship_to_country\n")
    assert empty.status_code == 400 and "empty.csv: no order lines" in empty.json()["detail"]
    broken = post_orders(server, "orders.xlsx", b"PK\x03\x04 not really a workbook")
    assert broken.status_code == 400 and broken.json()["detail"].startswith("orders.xlsx: ")
    assert post_orders(server, "orders.csv", ORDERS.read_bytes(), threshold=1.5).status_code == 422
    with server.client() as client:
        assert len(client.get("/orders").json()) == before  # nothing recorded
        assert client.get("/orders/999999/report").status_code == 404
        assert client.get("/orders/999999").status_code == 404

    # no key, a wrong key: 401 everywhere, before anything is read or screened
    with httpx.Client(base_url=server.url, timeout=30) as anonymous:
        assert anonymous.post("/orders/screen", files={"file": ("orders.csv", ORDERS.read_bytes())}).status_code == 401
        assert anonymous.get("/orders").status_code == 401
        assert anonymous.get("/orders/1/report").status_code == 401
        wrong = {"Authorization": "ApiKey tg_aaaaaaaaaaaa_" + "x" * 43}
        assert anonymous.get("/orders", headers=wrong).status_code == 401
    with server.client() as client:
        assert len(client.get("/orders").json()) == before
