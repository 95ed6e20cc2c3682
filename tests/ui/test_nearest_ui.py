"""Screen a name in headless Chromium: one word of a longer listed name ("Alabuga") is no
match, and the page shows the closest candidates below the threshold in a greyed, labelled
section (audited as such); a name that matches shows no such section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.live import LiveServer
from tests.ui.conftest import login

expect = pytest.importorskip(
    "playwright.sync_api", reason="UI tests need the playwright package (pip install playwright; never `playwright install`)"
).expect

MUTED = "rgb(89, 99, 110)"  # --muted in style.css


def screen(page: Any, server: LiveServer, name: str) -> Any:
    page.goto(f"{server.url}/ui/")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_role("button", name="Screen", exact=True).click()
    results = page.locator("#results")
    expect(results.get_by_role("heading").first).to_contain_text(f"for “{name}”")
    return results


def test_screen_shows_closest_candidates_below_the_threshold(page: Any, ui_server: LiveServer, screenshots: Path) -> None:
    login(page, ui_server, "screener")
    results = screen(page, ui_server, "Alabuga")
    expect(results.get_by_role("heading", level=2)).to_have_text("0 matches for “Alabuga”")
    expect(results).to_contain_text("No match at threshold 0.80")
    section = results.locator("section.below-threshold")
    expect(section.get_by_role("heading", name="Closest candidates below the threshold")).to_be_visible()
    rows = section.locator("tbody tr")
    expect(rows.first).to_contain_text("ALABUGA")
    count = rows.count()
    assert 3 <= count <= 5
    for i in range(count):
        expect(rows.nth(i)).to_contain_text("ALABUGA")
        expect(rows.nth(i)).to_contain_text("below threshold")
        score = float(rows.nth(i).locator("td.num .score").inner_text())
        assert 0.5 <= score < 0.8
    expect(section.locator("table")).to_have_css("color", MUTED)  # greyed, not in alert colours
    page.screenshot(path=str(screenshots / "13_screen_below_threshold.png"), full_page=True)

    # what the analyst was shown is in the audit trail, as candidates that are not matches
    with ui_server.client("reviewer") as reviewer:
        entries = reviewer.get("/audit", params={"action": "match", "actor": ui_server.key_ids["screener"],
                                                 "limit": 50}).json()
    shown = [e["payload"]["queries"]["q"] for e in entries
             if e["payload"].get("endpoint") == "/ui/screen" and e["payload"]["queries"]["q"]["query"]["name"] == "Alabuga"]
    assert shown and shown[0]["results"] == []
    assert len(shown[0]["below_threshold"]) == count
    assert all(c["match"] is False for c in shown[0]["below_threshold"])


def test_screen_with_a_match_shows_no_below_threshold_section(page: Any, ui_server: LiveServer) -> None:
    login(page, ui_server, "screener")
    results = screen(page, ui_server, "ALABUGA DEVELOPMENT OOO")
    expect(results).not_to_contain_text("No match")
    expect(results.locator("tbody tr").first).to_contain_text("45714")
    expect(results.locator("section.below-threshold")).to_have_count(0)
    expect(results).not_to_contain_text("below the threshold")


def test_a_match_shows_the_regimes_that_list_its_party(page: Any, ui_server: LiveServer, screenshots: Path) -> None:
    # QASEM SOLEIMANI is listed by the UN (110408) and by OFAC (10481), which the linker joins
    # (tradeguard.screening.links): each row shows both regimes and the other listing.
    login(page, ui_server, "screener")
    results = screen(page, ui_server, "Qasem Soleimani")
    def row(source_id: str) -> Any:  # the row of that listing (not one naming it as "also")
        return results.locator("tbody tr").filter(has=page.locator("td small:not(.also) > code", has_text=source_id))

    expect(row("110408").locator(".badge.regime")).to_have_text(["UN", "US"])
    expect(row("110408").locator(".also")).to_contain_text("us_ofac_sdn 10481")
    expect(row("10481").locator(".badge.regime")).to_have_text(["UN", "US"])
    expect(row("10481").locator(".also")).to_contain_text("un_sc 110408")
    page.screenshot(path=str(screenshots / "14_screen_regimes.png"), full_page=True)
