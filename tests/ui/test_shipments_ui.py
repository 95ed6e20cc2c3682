"""The Shipments page in headless Chromium, as a screener uses it: upload the sample
shipments of `make demo`, read each shipment's verdict and reasons (the vessel by IMO, the
Caspian route, a transshipment hub with CHPL goods), download the results, open the evidence
report, find the file among the earlier shipment files and not among the order files.
Screenshots go to tests/ui/screenshots/shipments/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.live import LiveServer, order_server
from tests.conftest import ROOT
from tests.ui.conftest import SCREENSHOTS, login
from tests.ui.test_orders_ui import shot

expect = pytest.importorskip(
    "playwright.sync_api", reason="UI tests need the playwright package (pip install playwright; never `playwright install`)"
).expect

SHIPMENTS = ROOT / "examples" / "shipments.csv"
FOLDER = SCREENSHOTS / "shipments"


@pytest.fixture(scope="module")
def shipments_ui_server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with order_server(lists_dir, tmp_path_factory.mktemp("shipments-ui-server")) as srv:
        yield srv


@pytest.fixture(scope="module")
def shots() -> Path:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.glob("*.png"):
        old.unlink()
    return FOLDER


def test_screener_screens_a_shipment_file(page: Any, shipments_ui_server: LiveServer, shots: Path,
                                          tmp_path: Path) -> None:
    server = shipments_ui_server
    login(page, server, "screener")
    page.goto(f"{server.url}/ui/shipments")
    expect(page.get_by_role("link", name="Shipments")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Screen a shipment file")).to_be_visible()
    expect(page.locator("#order-screenings")).to_contain_text("No shipment file has been screened yet.")

    # --- a file with a header and no shipment is refused in place ---
    empty = tmp_path / "empty.csv"
    empty.write_text("shipment,vessel_name\n", encoding="utf-8")
    page.get_by_label("Shipment file", exact=True).set_input_files(str(empty))
    page.get_by_role("button", name="Upload and screen").click()
    expect(page.locator("#order-outcome").get_by_role("alert")).to_contain_text("empty.csv: no shipments")

    # --- the sample shipments ---
    page.get_by_label("Shipment file", exact=True).set_input_files(str(SHIPMENTS))
    page.get_by_role("button", name="Upload and screen").click()
    expect(page).to_have_url(re.compile(r"/ui/shipments/\d+$"), timeout=60_000)
    screening_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Shipment screening {screening_id}: shipments.csv")
    verdicts = page.locator("#verdicts")
    for text in ("block 2", "review 1", "clear 1"):
        expect(verdicts).to_contain_text(text)
    expect(page.locator("#order-lines tbody tr")).to_have_count(4)
    caspian = page.locator("#line-BL-2025-0001")
    expect(caspian.locator(".verdict")).to_have_text("block")
    expect(caspian).to_contain_text("port.caspian_route")
    renamed = page.locator("#line-BL-2025-0002")
    expect(renamed.locator(".verdict")).to_have_text("block")
    expect(renamed).to_contain_text("vessel.listed_imo")
    expect(renamed).to_contain_text("9187629")
    hub = page.locator("#line-BL-2025-0003")
    expect(hub.locator(".verdict")).to_have_text("review")
    expect(hub).to_contain_text("port.transshipment_hub")
    expect(page.locator("#line-BL-2025-0004 .verdict")).to_have_text("clear")
    expect(page.get_by_text(re.compile(r"Ports: .*route rules: .*port_rules\.yml"))).to_be_visible()
    shot(page, shots, "01_shipment_results")

    # --- the results as JSON lines ---
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download JSON lines").click()
    download = download_info.value
    assert download.suggested_filename == "shipments_screened.jsonl"
    records = [json.loads(line) for line in Path(download.path()).read_text(encoding="utf-8").splitlines()]
    assert {r["line"]: r["verdict"] for r in records} == {
        "BL-2025-0001": "block", "BL-2025-0002": "block", "BL-2025-0003": "review", "BL-2025-0004": "clear"}

    # --- the evidence report ---
    page.get_by_role("link", name="Open the evidence report").click()
    expect(page).to_have_url(f"{server.url}/ui/shipments/{screening_id}/report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shipment screening report: shipments.csv")
    shot(page, shots, "02_shipment_report", full_page=False)

    # --- listed among the shipment files, not the order files ---
    page.goto(f"{server.url}/ui/shipments")
    row = page.locator("#order-screenings tbody tr").first
    expect(row).to_contain_text(f"Screening {screening_id}")
    expect(row.get_by_role("link", name=f"Evidence report of screening {screening_id}")).to_have_attribute(
        "href", f"/ui/shipments/{screening_id}/report")
    shot(page, shots, "03_shipments_list")
    page.goto(f"{server.url}/ui/orders")
    expect(page.locator("#order-screenings")).to_contain_text("No order file has been screened yet.")
    page.goto(f"{server.url}/ui/orders/{screening_id}")
    expect(page.locator("body")).to_contain_text(f"no order screening {screening_id}")
