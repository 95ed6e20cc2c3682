"""The Payments page in real headless Chromium against a live server: paste a payment
message, see it held with the hit field highlighted in the message, reject it as a
reviewer (audited), and the error of an unreadable message."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.api.live import LiveServer
from tests.ui.conftest import login
from tradeguard.payments import builder as b

DEBTOR = b.PartySpec("Harbour Components GmbH", country="DE", town="Hamburg", iban="DE89370400440532013000")
CREDITOR = b.PartySpec("Gulf Aviation Services FZE", country="AE", town="Dubai")


def test_paste_hold_highlight_and_reject(page: Page, ui_server: LiveServer) -> None:
    server = ui_server
    tx = b.TxSpec("E2E-UI-1", "41200.00", "EUR", DEBTOR, CREDITOR, b.PartySpec(bic="DEUTDEFF"),
                  b.PartySpec(bic="EBILAEAD"), remittance=("INV 2231 SPARE PARTS FOR MAHAN AIR A310 FLEET",))
    xml = b.to_xml(b.pacs008("MSG-UI-1", [tx], instructing_agent=b.PartySpec(bic="DEUTDEFF"))).decode()
    login(page, server, "reviewer")
    page.get_by_role("link", name="Payments").click()
    page.get_by_label("Payment message").fill(xml)
    page.get_by_role("button", name="Screen").click()
    expect(page).to_have_url(re.compile(r"/ui/payments/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("held")
    hits = page.locator("#payment-hits")
    expect(hits).to_contain_text("CdtTrfTxInf/RmtInf/Ustrd")
    expect(hits).to_contain_text("us_ofac_sdn 12927")
    mark = page.locator("#payment-message-text mark")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("MAHAN AIR")
    payment_url = page.url

    page.get_by_label("Reason (required)").fill("Mahan Air is listed by OFAC: funds blocked and reported")
    page.get_by_role("button", name="Reject: block the payment").click()
    expect(page.locator("#notice")).to_contain_text("is now rejected")
    page.goto(payment_url)
    expect(page.locator("#payment-decision")).to_contain_text("Mahan Air is listed by OFAC")
    expect(page.get_by_role("button", name="Release: a false positive")).to_have_count(0)

    # An unreadable message is an error, never passed.
    page.goto(f"{server.url}/ui/payments")
    page.get_by_label("Payment message").fill("{1:F01DEUTDEFFAXXX0000000000}{2:I103EBILAEADXXXXN}")
    page.get_by_role("button", name="Screen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("error")
    expect(page.locator("#payment-errors")).to_contain_text("block 4")


def test_the_message_is_escaped_and_only_hit_values_are_marked() -> None:
    from tradeguard.service.routes_ui_payments import highlighted

    text = '<Ustrd>INV 1 FOR Mahan Air <script>alert(1)</script></Ustrd>'
    html = str(highlighted(text, [{"value": "MAHAN AIR", "field": "RmtInf/Ustrd", "rule": "payment.listed_name_in_text"}]))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<mark") == 1 and '<mark title="RmtInf/Ustrd: payment.listed_name_in_text">Mahan Air</mark>' in html
    assert str(highlighted("a < b", [])) == "a &lt; b"
