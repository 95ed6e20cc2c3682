"""The web UI driven end to end in headless Chromium, as a reviewer would use it: log in
with a key, screen a name, screen a file and download the results, register a party that
hits, open its alert, clear it as a false positive with a reason and see it leave the
queue, then read the lists and the audit trail. Each page is saved as a screenshot in
tests/ui/screenshots/."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.live import BACKENDS, LiveServer, live_server
from tests.ui.conftest import login

expect = pytest.importorskip(
    "playwright.sync_api", reason="UI tests need the playwright package (pip install playwright; never `playwright install`)"
).expect

BOUT = "us_ofac_sdn-8279"


@pytest.fixture(scope="module", params=BACKENDS)
def ui_server(request: pytest.FixtureRequest, lists_dir: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The reviewer's journey on a SQLite store and on a PostgreSQL one."""
    with live_server(lists_dir, tmp_path_factory.mktemp(f"ui-{request.param}"), backend=request.param) as srv:
        yield srv


def shot(page: Any, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000


def test_reviewer_journey(page: Any, ui_server: LiveServer, screenshots: Path, tmp_path: Path) -> None:
    server = ui_server
    # --- log in (a wrong key first) ---
    page.goto(f"{server.url}/ui/")
    expect(page).to_have_url(re.compile(r"/ui/login"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("API key").fill("tg_aaaaaaaaaaaa_" + "x" * 43)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    shot(page, screenshots, "01_login")
    page.get_by_label("API key").fill(server.keys["reviewer"])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Screen a name")).to_be_visible()
    expect(page.locator("header")).to_contain_text(server.key_ids["reviewer"])

    # --- screen one name (htmx swaps the results in) ---
    page.get_by_label("Name", exact=True).fill("Viktor Anatolijevitch Bout")
    page.get_by_label("Type").select_option("Person")
    page.get_by_label("Birth date").fill("1967-01-13")
    page.get_by_role("button", name="Screen", exact=True).click()
    results = page.locator("#results")
    expect(results.get_by_role("heading")).to_contain_text("for “Viktor Anatolijevitch Bout”")
    first = results.locator("tbody tr").first
    expect(first).to_contain_text("BOUT, Viktor Anatolijevitch")
    expect(first).to_contain_text("us_ofac_sdn")
    expect(results).to_contain_text("us_ofac_sdn v")
    expect(page).to_have_url(f"{server.url}/ui/")  # swapped in place, no navigation
    shot(page, screenshots, "02_screen_name")

    # --- screen a file, watch the progress, download the results ---
    upload = tmp_path / "customers.csv"
    upload.write_text(
        "id,name,schema,birth_date\n"
        "u1,Viktor Anatolijevitch Bout,Person,1967-01-13\n"
        "u2,Blue Sky Bakery,Company,\n"
        "u3,,Person,\n"
        + "".join(f"n{i},Clean Customer Number {i},Person,\n" for i in range(40)),
        encoding="utf-8",
    )
    page.get_by_role("link", name="Screen a file").click()
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and screen").click()
    job = page.locator("#job")
    expect(job.locator("progress")).to_be_visible()
    expect(job).to_contain_text("Done:", timeout=60_000)
    expect(job.locator("progress")).to_have_attribute("value", "43")
    expect(job).to_contain_text("1 row could not be read")
    expect(job).to_contain_text("no name")
    shot(page, screenshots, "03_screen_file")
    with page.expect_download() as download_info:
        job.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == "customers_screened.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0]["id"] == "u1" and rows[0]["entity_id"] == BOUT
    assert {r["line"] for r in rows} >= {"2", "3", "4"}
    assert next(r for r in rows if r["line"] == "4")["error"]
    # The job is in the store: the batch page lists it, and its page opens from there.
    page.get_by_role("link", name="Screen a file").click()
    recent = page.locator("#recent-jobs")
    expect(recent.locator("tbody tr").first).to_contain_text("customers.csv")
    expect(recent.locator("tbody tr").first).to_contain_text("43 of 43")
    recent.get_by_role("link", name="customers.csv").first.click()
    expect(page.locator("#job")).to_contain_text("Done:")
    expect(page.locator("#job")).to_contain_text("1 row could not be read")

    # --- register a monitored party that hits ---
    page.get_by_role("link", name="Parties").click()
    page.get_by_label("Your reference").fill("ui-bout")
    page.get_by_label("Name", exact=True).fill("Viktor Bout")
    page.get_by_label("Type").select_option("Person")
    page.get_by_label("Birth date").fill("1967-01-13")
    page.get_by_label("Kind").select_option("consignee")
    page.get_by_role("button", name="Register and screen").click()
    outcome = page.locator("#register-outcome")
    expect(outcome).to_contain_text("1 created")
    expect(outcome).to_contain_text("new alert")
    expect(page.locator("table.data")).to_contain_text("ui-bout")
    shot(page, screenshots, "04_parties")

    # --- open its alert: party and listed entity side by side, the explanation ---
    outcome.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("open")
    alert_id = int(re.search(r"/ui/alerts/(\d+)$", page.url).group(1))  # type: ignore[union-attr]
    side = page.locator("#side-by-side")
    expect(side).to_contain_text("ui-bout")
    expect(side).to_contain_text(BOUT)
    expect(side.locator("tr", has_text="Name")).to_contain_text("Viktor Bout")
    expect(side.locator("tr", has_text="Name")).to_contain_text("BOUT, Viktor Anatolijevitch (primary)")
    expect(side.locator("tr", has_text="Birth")).to_contain_text("1967-01-13")
    expect(page.locator("#explanation")).to_contain_text("hit")
    # The listed party's listings, with the regimes that list it: a decision covers them all.
    expect(page.locator("#listings-h")).to_contain_text("US")
    listings = page.locator("#alert-listings")
    expect(listings.locator("tr", has_text="8279")).to_contain_text("us_ofac_sdn")
    expect(listings.locator("tr", has_text="8279")).to_contain_text("BOUT")
    shot(page, screenshots, "05_alert_detail")

    # --- the queue holds it, with another party's alert (registered through the API) ---
    with server.client("screener") as client:
        other = client.post("/parties", json={"id": "ui-tabatabaei", "name": "Ali Akbar Tabatabaei",
                                               "schema": "Person", "birth_date": "1967"}).json()
    other_id = other["alerts"]["raised"][0]
    page.get_by_role("link", name="Alerts").click()
    queue = page.locator("#alerts-table")
    expect(queue.get_by_role("link", name=f"Alert {alert_id}", exact=True)).to_have_count(1)
    expect(queue.get_by_role("link", name=f"Alert {other_id}", exact=True)).to_have_count(1)
    bout_row = queue.locator("tr", has=page.get_by_role("link", name=f"Alert {alert_id}", exact=True))
    expect(bout_row.locator(".badge.regime").first).to_have_text("US")
    shot(page, screenshots, "06_alert_queue_before")
    queue.get_by_role("link", name=f"Alert {alert_id}", exact=True).click()

    # --- a decision needs a reason; then clear it as a false positive ---
    page.get_by_role("button", name="False positive: clear").click()
    expect(page).to_have_url(re.compile(rf"/ui/alerts/{alert_id}$"))  # the browser refuses an empty reason
    page.get_by_label("Reason (required)").fill("Different person: our consignee was born in Lisbon, Portuguese passport")
    page.get_by_role("button", name="False positive: clear").click()
    expect(page).to_have_url(re.compile(r"/ui/alerts\?notice="))
    expect(page.locator("#notice")).to_have_text(f"Alert {alert_id} is now cleared.")
    expect(queue.get_by_role("link", name=f"Alert {alert_id}", exact=True)).to_have_count(0)
    expect(queue.get_by_role("link", name=f"Alert {other_id}", exact=True)).to_have_count(1)
    shot(page, screenshots, "07_alert_queue_after")
    # the queue's filter finds it among the cleared ones (htmx swaps the table)
    page.get_by_label("Status").select_option("cleared")
    expect(queue.get_by_role("link", name=f"Alert {alert_id}", exact=True)).to_have_count(1)
    page.get_by_role("link", name=f"Alert {alert_id}", exact=True).click()
    expect(page.locator("h1 .badge")).to_have_text("cleared")
    expect(page.get_by_role("table").last).to_contain_text("Different person")
    expect(page.get_by_role("button", name="False positive: clear")).to_have_count(0)

    # --- lists: status, versions with their changes, one version's diff ---
    page.get_by_role("link", name="Lists").click()
    expect(page.locator("table.data")).to_contain_text("un_sc")
    expect(page.locator("tr", has_text="us_ofac_sdn")).to_contain_text("14965")
    shot(page, screenshots, "08_lists")
    page.get_by_role("link", name="us_ofac_sdn").click()
    newest = page.locator("tbody tr").first
    expect(newest).to_contain_text("2024-05-03")
    expect(newest).to_contain_text("active")
    expect(newest).to_contain_text("−8")
    expect(page.locator("tbody tr").last).to_contain_text("first version")
    shot(page, screenshots, "09_list_versions")
    newest.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile(r"Removed \(8\)"))).to_be_visible()
    shot(page, screenshots, "10_list_diff")

    # --- audit: verify the chain, find the decision ---
    page.get_by_role("link", name="Audit").click()
    page.get_by_role("button", name="Verify the chain").click()
    expect(page.locator("#verify")).to_contain_text("Chain intact")
    page.get_by_label("Action").select_option("decision")
    page.get_by_role("button", name="Search").click()
    entries = page.locator("#audit-table tbody tr")
    expect(entries.first).to_contain_text("decision")
    expect(entries.first).to_contain_text("Different person")
    expect(entries.first).to_contain_text(server.key_ids["reviewer"])
    page.get_by_label("Action").select_option("match")
    page.get_by_label("To date").fill(date.today().isoformat())  # a date includes its whole day
    page.get_by_role("button", name="Search").click()
    expect(entries.first).to_contain_text("threshold")
    expect(entries.first).to_contain_text("us_ofac_sdn v")
    shot(page, screenshots, "11_audit")

    # --- log out ---
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/ui/login"))
    page.goto(f"{server.url}/ui/alerts")
    expect(page).to_have_url(re.compile(r"/ui/login"))

    # the decision went through the same library as the API: check it there too
    with server.client("reviewer") as client:
        alert = client.get(f"/alerts/{alert_id}").json()
    assert alert["alert"]["status"] == "cleared"
    assert alert["decisions"][0]["reviewer"] == server.key_ids["reviewer"]
    assert alert["decisions"][0]["decision"] == "false_positive"


def test_screener_cannot_decide_or_read_the_audit(page: Any, ui_server: LiveServer, screenshots: Path) -> None:
    server = ui_server
    with server.client("screener") as client:
        reg = client.post("/parties", json={"id": "ui-qannadi", "name": "Mohammad Qannadi", "schema": "Person",
                                            "birth_date": "1952-10-13"}).json()
    alert_id = reg["alerts"]["raised"][0]
    login(page, server, "screener")
    expect(page.get_by_role("link", name="Audit")).to_have_count(0)
    page.goto(f"{server.url}/ui/alerts/{alert_id}")
    expect(page.locator("#side-by-side")).to_contain_text("MOHAMMAD QANNADI")
    expect(page.get_by_role("button", name="False positive: clear")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Decisions need a reviewer's key")
    page.goto(f"{server.url}/ui/audit")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    shot(page, screenshots, "12_screener_not_allowed")
    # a forged decision without the page's CSRF token is refused, and so is a screener's
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    resp = httpx.post(f"{server.url}/ui/alerts/{alert_id}/decision", cookies=cookies,
                      data={"decision": "false_positive", "reason": "forged"}, follow_redirects=False)
    assert resp.status_code == 403
    with server.client("screener") as client:
        assert client.get(f"/alerts/{alert_id}").json()["alert"]["status"] == "open"
