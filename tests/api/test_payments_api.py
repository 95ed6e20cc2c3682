"""POST /payments/screen on a live server (real uvicorn, the UN list of 2026-08-01 and OFAC's
SDN list of 2024-05-03 from ../shared): messages built by the project's builder, a verdict
per transaction, fail-closed errors, the request checks and the audit entry."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx

from tests.api.live import LiveServer
from tradeguard.payments import builder as b

DEBTOR = b.PartySpec("Harbour Components GmbH", country="DE", town="Hamburg", iban="DE89370400440532013000")
CREDITOR = b.PartySpec("Lisbon Machine Tools Lda", country="PT", town="Lisboa")
BANK_A = b.PartySpec(bic="DEUTDEFF")
BANK_B = b.PartySpec(bic="BCOMPTPL")


def post(server: LiveServer, body: bytes, role: str = "screener", **params: str) -> httpx.Response:
    with server.client(role) as client:
        return client.post("/payments/screen", content=body, params=params,
                           headers={"Content-Type": "application/xml"})


def test_payments_screen_holds_releases_and_audits(server: LiveServer) -> None:
    clean = b.TxSpec("E2E-CLEAN", "100", "EUR", DEBTOR, CREDITOR, BANK_A, BANK_B, remittance=("INV 7 TOOLS",))
    listed = b.TxSpec("E2E-MAHAN", "200", "EUR", DEBTOR, CREDITOR, BANK_A, BANK_B,
                      remittance=("INV 2231 SPARE PARTS FOR MAHAN AIR A310 FLEET",))
    body = b.to_xml(b.pacs008("MSG-API-1", [clean, listed], instructing_agent=BANK_A))
    resp = post(server, body)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["counts"] == {"hold": 1, "release": 1, "error": 0}
    assert {v["list"] for v in data["list_versions"]} >= {"un_sc", "us_ofac_sdn"}
    verdicts = {r["transaction_id"]: r for r in data["results"]}
    assert verdicts["E2E-CLEAN"]["verdict"] == "release"
    held = verdicts["E2E-MAHAN"]
    assert held["verdict"] == "hold" and held["format"] == "pacs.008.001.08"
    assert [(h["kind"], h["list"], h["value"]) for h in held["hits"]] == [("text", "us_ofac_sdn", "MAHAN AIR")]
    assert held["hits"][0]["explanation"]["span"]["text"] == "MAHAN AIR"
    # The call is in the audit trail with the message's hash and each verdict.
    with server.client("admin") as client:
        entries = client.get("/audit", params={"action": "payments_screen", "limit": 50}).json()
    sha = hashlib.sha256(body).hexdigest()
    entry = next(e for e in entries if e["payload"]["sha256"] == {"request": sha})
    assert [r["verdict"] for r in entry["payload"]["results"]] == ["release", "hold"]

    # Both transactions are kept; the held one waits for a reviewer, with its message.
    payment_id = held["payment"]
    with server.client() as client:
        waiting = client.get("/payments").json()
        detail = client.get(f"/payments/{payment_id}").json()
        screener_try = client.post(f"/payments/{payment_id}/decision", json={"decision": "release", "reason": "ok"})
    assert payment_id in [p["id"] for p in waiting] and verdicts["E2E-CLEAN"]["payment"] not in [p["id"] for p in waiting]
    assert detail["payment"]["status"] == "held" and "MAHAN AIR A310 FLEET" in detail["message"]
    assert detail["payment"]["alerts"] and screener_try.status_code == 403
    with server.client("reviewer") as client:
        no_reason = client.post(f"/payments/{payment_id}/decision", json={"decision": "release", "reason": ""})
        rejected = client.post(f"/payments/{payment_id}/decision",
                               json={"decision": "reject", "reason": "Mahan Air is listed by OFAC: blocked"})
        twice = client.post(f"/payments/{payment_id}/decision", json={"decision": "release", "reason": "again"})
        missing = client.post("/payments/999999/decision", json={"decision": "release", "reason": "x"})
        alert = client.get(f"/alerts/{detail['payment']['alerts'][0]}").json()
    assert no_reason.status_code == 422
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert twice.status_code == 409 and "was rejected by" in twice.json()["detail"]
    assert missing.status_code == 404
    assert alert["alert"]["entity_id"] == "us_ofac_sdn-12927"

    # An MT103 in the body, and a regime that does not list the party.
    mt = b.mt103(b.TxSpec("MT-1", "300", "USD", DEBTOR, b.PartySpec("MAHAN AIR", address_lines=("TEHRAN",)),
                          BANK_A, BANK_B), sender_bic="DEUTDEFF", receiver_bic="BCOMPTPL")
    held_mt = post(server, mt.encode()).json()
    assert held_mt["results"][0]["verdict"] == "hold" and held_mt["results"][0]["format"] == "MT103"
    assert {h["kind"] for h in held_mt["results"][0]["hits"]} == {"name", "place"}  # and Tehran
    # The UK does not list Mahan Air (in this store): under its regime only Tehran holds.
    (under_uk,) = post(server, mt.encode(), regime="uk").json()["results"]
    assert under_uk["verdict"] == "hold" and {h["kind"] for h in under_uk["hits"]} == {"place"}


def test_payments_screen_fails_closed_and_checks_the_request(server: LiveServer) -> None:
    broken = post(server, b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'><FIToFICstmrCdtTrf>")
    assert broken.status_code == 200
    (result,) = broken.json()["results"]
    assert result["verdict"] == "error" and "request, message 1" in result["errors"][0]
    xxe = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    (xxe_result,) = post(server, xxe).json()["results"]
    assert xxe_result["verdict"] == "error" and "root:" not in str(xxe_result)
    empty = post(server, b"  ")
    assert empty.status_code == 400 and "empty body" in empty.json()["detail"]
    assert post(server, b"<x/>", regime="ch").status_code == 422
    no_key = httpx.post(f"{server.url}/payments/screen", content=b"<x/>")
    assert no_key.status_code == 401


def test_concurrent_payments_share_commits_without_a_duplicate_alert(server: LiveServer) -> None:
    """Sixteen payments at once (half of them to Mahan Air): every one kept with its own id,
    the same alerts for the same party whatever the order, and the audit chain intact."""
    from concurrent.futures import ThreadPoolExecutor

    def pay(i: int) -> httpx.Response:
        creditor = b.PartySpec("MAHAN AIR", country="IR") if i % 2 else CREDITOR
        tx = b.TxSpec(f"E2E-CONC-{i}", "10", "EUR", DEBTOR, creditor, BANK_A, BANK_B, remittance=(f"INV {i}",))
        return post(server, b.to_xml(b.pacs008(f"MSG-CONC-{i}", [tx], instructing_agent=BANK_A)))

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(pay, range(16)))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]
    results = [a.json()["results"][0] for a in answers]
    assert [r["verdict"] for r in results] == ["release", "hold"] * 8
    assert len({r["payment"] for r in results}) == 16
    with server.client() as client:
        alerts = [sorted(client.get(f"/payments/{r['payment']}").json()["payment"]["alerts"]) for r in results[1::2]]
    assert alerts[0] and all(a == alerts[0] for a in alerts)  # one party, its alerts raised once
    with server.client("reviewer") as client:
        verified = client.get("/audit/verify").json()
    assert verified["ok"], verified


def _children_of(pid: int) -> list[list[bytes]]:
    """The command lines of the processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            parent = next(line for line in status.read_text().splitlines() if line.startswith("PPid:"))
            if int(parent.split()[1]) == pid:
                found.append((status.parent / "cmdline").read_bytes().split(b"\0"))
        except (OSError, StopIteration, ValueError):
            continue  # a process that ended while read
    return found


def test_a_payment_is_kept_by_the_servers_keeper_process(server: LiveServer) -> None:
    """The server commits in its keeper process (service/keeper.py), beside screening: after
    a held payment, the keeper is the server's child and the payment reads back kept."""
    listed = b.TxSpec("E2E-KEEPER", "300", "EUR", DEBTOR, CREDITOR, BANK_A, BANK_B,
                      remittance=("SPARE PARTS FOR MAHAN AIR",))
    resp = post(server, b.to_xml(b.pacs008("MSG-API-KEEPER", [listed], instructing_agent=BANK_A)))
    assert resp.status_code == 200, resp.text
    assert server.proc is not None
    keepers = [c for c in _children_of(server.proc.pid) if b"tradeguard.service.keeper" in c]
    assert len(keepers) == 1, _children_of(server.proc.pid)
    payment = resp.json()["results"][0]["payment"]
    with server.client() as client:
        kept = client.get(f"/payments/{payment}").json()["payment"]
    assert kept["status"] == "held" and kept["alerts"]
