"""The Orders page in headless Chromium, as a screener uses it: upload the sample order file
(after `tradeguard ownership load` of the sample ownership file), read each line's verdict
and reasons, filter by verdict, download the results, open the evidence report, find the
file among the earlier ones; an unreadable file is refused with a message. Screenshots go to
tests/ui/screenshots/orders/."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.live import LiveServer, order_server
from tests.conftest import ROOT
from tests.helpers import run_cli
from tests.ui.conftest import SCREENSHOTS

expect = pytest.importorskip(
    "playwright.sync_api", reason="UI tests need the playwright package (pip install playwright; never `playwright install`)"
).expect

ORDERS = ROOT / "examples" / "orders.csv"
OWNERSHIP = ROOT / "examples" / "ownership.csv"
FOLDER = SCREENSHOTS / "orders"
RED = "rgb(180, 35, 24)"
GREEN = "rgb(20, 108, 46)"


@pytest.fixture(scope="module")
def orders_ui_server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own (order screening raises alerts), with the sample ownership loaded."""
    with order_server(lists_dir, tmp_path_factory.mktemp("orders-ui-server")) as srv:
        run_cli("ownership", "load", str(OWNERSHIP), db=srv.db_url)
        yield srv


@pytest.fixture(scope="module")
def shots() -> Path:
    """A folder of its own (the session's `screenshots` fixture clears tests/ui/screenshots/*.png)."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.glob("*.png"):
        old.unlink()
    return FOLDER


def shot(page: Any, folder: Path, name: str, full_page: bool = True) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5000


def test_screener_screens_an_order_file(page: Any, orders_ui_server: LiveServer, shots: Path, tmp_path: Path) -> None:
    server = orders_ui_server
    page.goto(f"{server.url}/ui/orders")
    expect(page).to_have_url(re.compile(r"/ui/login\?next=/ui/orders$"))
    page.get_by_label("API key").fill(server.keys["screener"])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server.url}/ui/orders")
    expect(page.get_by_role("link", name="Orders")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Screen an order file")).to_be_visible()
    expect(page.locator("#order-screenings")).to_contain_text("No order file has been screened yet.")

    # --- an unreadable file is refused, in place, with its name and the problem ---
    empty = tmp_path / "empty.csv"
    empty.write_text("line,buyer_name,ship_to_country\n", encoding="utf-8")
    page.get_by_label("Order file", exact=True).set_input_files(str(empty))
    page.get_by_role("button", name="Upload and screen").click()
    expect(page.locator("#order-outcome").get_by_role("alert")).to_contain_text("empty.csv: no order lines")
    expect(page).to_have_url(f"{server.url}/ui/orders")
    shot(page, shots, "01_orders_refused")

    # --- the sample order file: the page of its screening ---
    page.get_by_label("Order file", exact=True).set_input_files(str(ORDERS))
    page.get_by_role("button", name="Upload and screen").click()
    expect(page).to_have_url(re.compile(r"/ui/orders/\d+$"), timeout=60_000)
    screening_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order screening {screening_id}: orders.csv")
    sha = hashlib.sha256(ORDERS.read_bytes()).hexdigest()
    expect(page.locator("#order-meta")).to_contain_text(sha)
    verdicts = page.locator("#verdicts")
    # Qods Aeronautic(s) and Sinno Electronic(s) differ from the listed names only by a
    # plural: scored over 0.95, they are treated as the listed parties (block).
    expect(verdicts).to_contain_text("block 9")
    expect(verdicts).to_contain_text("review 2")
    expect(verdicts).to_contain_text("clear 5")
    lines = page.locator("#order-lines tbody tr")
    expect(lines).to_have_count(16)
    arvand = page.locator("#line-PO-24-0105")
    expect(arvand.locator(".verdict")).to_have_text("block")
    expect(arvand.locator(".verdict")).to_have_css("background-color", RED)
    expect(arvand).to_contain_text("ownership.blocked")
    expect(arvand).to_contain_text("QODS AERONAUTICS INDUSTRIES (listed) holds 60% of Arvand Aero Parts Trading LLC")
    expect(arvand).to_contain_text("source: ownership file ownership.csv")
    forwarder = page.locator("#line-PO-24-0104")
    expect(forwarder.locator(".verdict")).to_have_text("review")
    expect(forwarder).to_contain_text("redflag.forwarder_is_end_user")
    clean = page.locator("#line-PO-24-0101")
    expect(clean.locator(".verdict")).to_have_text("clear")
    expect(clean.locator(".verdict")).to_have_css("background-color", GREEN)
    expect(page.locator("#top-reasons")).to_contain_text("ownership.blocked")
    expect(page.locator("#order-alerts")).to_contain_text("new alert")
    shot(page, shots, "02_order_results")
    shot(page, shots, "02_order_results_top", full_page=False)

    # --- only the lines to review ---
    verdicts.get_by_role("link", name="review 2").click()
    expect(lines).to_have_count(2)
    expect(page.locator("#order-lines .verdict")).to_have_text(["review"] * 2)
    shot(page, shots, "03_order_results_review")

    # --- the results as CSV, as `tradeguard orders screen -o FILE.csv` writes them ---
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == "orders_screened.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [r["line"] for r in rows] == [f"PO-24-01{n:02d}" for n in range(1, 17)]
    by_line = {r["line"]: r for r in rows}
    assert by_line["PO-24-0105"]["verdict"] == "block"
    assert {x["rule"] for x in json.loads(by_line["PO-24-0105"]["reasons"])} >= {"ownership.blocked"}
    assert json.loads(by_line["PO-24-0101"]["reasons"]) == []

    # --- the evidence report ---
    page.get_by_role("link", name="Open the evidence report").click()
    expect(page).to_have_url(f"{server.url}/ui/orders/{screening_id}/report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Order screening report: orders.csv")
    expect(page.locator("body")).to_contain_text(sha)
    expect(page.locator("#line-PO-24-0105")).to_contain_text("ownership.blocked")
    shot(page, shots, "04_order_report")
    shot(page, shots, "04_order_report_top", full_page=False)

    # --- the earlier screened files, with links to their reports ---
    page.goto(f"{server.url}/ui/orders")
    row = page.locator("#order-screenings tbody tr").first
    expect(row).to_contain_text(f"Screening {screening_id}")
    expect(row).to_contain_text("orders.csv")
    for text in ("block 9", "review 2", "clear 5"):
        expect(row).to_contain_text(text)
    expect(row).to_contain_text(server.key_ids["screener"])
    expect(row.get_by_role("link", name=f"Evidence report of screening {screening_id}")).to_have_attribute(
        "href", f"/ui/orders/{screening_id}/report")
    shot(page, shots, "05_orders_list")


def test_upload_without_javascript(orders_ui_server: LiveServer) -> None:
    """The form works as a plain multipart post: 303 to the screening's page; a form without
    the page's CSRF token is refused."""
    server = orders_ui_server
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert client.post("/ui/login", data={"key": server.keys["screener"]}).status_code == 303
        page = client.get("/ui/orders")
        assert page.status_code == 200
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        assert token is not None
        files = {"file": ("orders.csv", ORDERS.read_bytes(), "text/csv")}
        resp = client.post("/ui/orders", data={"csrf": token.group(1)}, files=files, follow_redirects=False)
        assert resp.status_code == 303
        target = resp.headers["location"]
        assert re.fullmatch(r"/ui/orders/\d+", target)
        shown = client.get(target)
        assert shown.status_code == 200 and 'id="line-PO-24-0116"' in shown.text
        bad = client.post("/ui/orders", data={"csrf": token.group(1)},
                          files={"file": ("empty.csv", b"line,buyer_name\n", "text/csv")}, follow_redirects=False)
        assert bad.status_code == 400 and "empty.csv: no order lines" in bad.text
        forged = client.post("/ui/orders", data={"csrf": "0" * 64}, files=files, follow_redirects=False)
        assert forged.status_code == 403
        jsonl = client.get(target + "/results.jsonl")
        assert jsonl.status_code == 200
        records = [json.loads(line) for line in jsonl.text.splitlines()]
        assert len(records) == 16 and all(set(r) == {"line", "verdict", "reasons"} for r in records)
        assert client.get(target + "/results.xml").status_code == 404
