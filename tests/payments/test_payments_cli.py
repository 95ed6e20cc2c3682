"""`tradeguard payments screen` end to end: a store with a hand-made UN list, a folder of
messages built by the project's builder (ISO 20022 and SWIFT MT, one unreadable), the JSONL
record per transaction and the summary."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import cli_json, run_cli
from tests.service.unxml import organisation, write_un_xml
from tradeguard.payments import builder as b

DEBTOR = b.PartySpec("Harbour Components GmbH", country="DE", town="Hamburg", iban="DE89370400440532013000")
CREDITOR = b.PartySpec("Lisbon Machine Tools Lda", country="PT", town="Lisboa")
BANK_A = b.PartySpec(bic="DEUTDEFF")
BANK_B = b.PartySpec(bic="BCOMPTPL")


def test_payments_screen_writes_one_record_per_transaction(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    un = write_un_xml(tmp_path / "un.xml", "2025-01-01", [organisation("2001", "MAHAN AIR")])
    run_cli("lists", "load", str(un), db=db)
    folder = tmp_path / "in"
    folder.mkdir()
    clean = b.TxSpec("E2E-CLEAN", "100", "EUR", DEBTOR, CREDITOR, BANK_A, BANK_B, remittance=("INV 1 TOOLS",))
    listed = b.TxSpec("E2E-LISTED", "200", "EUR", DEBTOR, CREDITOR, BANK_A, BANK_B,
                      remittance=("INV 2231 SPARE PARTS FOR MAHAN AIR A310 FLEET",))
    (folder / "a_pacs008.xml").write_bytes(b.to_xml(b.pacs008("MSG-1", [clean, listed], instructing_agent=BANK_A)))
    (folder / "b_mt103.txt").write_text(b.mt103(
        b.TxSpec("MT-REF-1", "300", "USD", DEBTOR, b.PartySpec("Mahan Air", address_lines=("TEHRAN",)), BANK_A, BANK_B),
        sender_bic="DEUTDEFF", receiver_bic="BCOMPTPL"), encoding="utf-8")
    (folder / "c_broken.xml").write_bytes(b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'>")
    out = tmp_path / "out.jsonl"
    proc = run_cli("payments", "screen", str(folder), "-o", str(out), db=db)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    verdicts = {(r["message_id"], r["transaction_id"]): r["verdict"] for r in records}
    assert verdicts == {
        ("MSG-1", "E2E-CLEAN"): "release",
        ("MSG-1", "E2E-LISTED"): "hold",
        ("MT-REF-1", "MT-REF-1"): "hold",
        (None, None): "error",
    }
    listed_record = next(r for r in records if r["transaction_id"] == "E2E-LISTED")
    (hit,) = listed_record["hits"]
    assert {k: hit[k] for k in ("kind", "list", "source_id", "value")} == {
        "kind": "text", "list": "un_sc", "source_id": "2001", "value": "MAHAN AIR",
    }
    assert hit["score"] >= 0.86 and "Ustrd" in hit["field"]
    broken = next(r for r in records if r["verdict"] == "error")
    assert "c_broken.xml" in broken["errors"][0]
    assert "4 transaction(s): 2 hold, 1 release, 1 error" in proc.stdout.replace("\n", " ")
    # The held transactions are kept for review, each linked to the alerts its hits raised.
    held = {p["transaction_id"]: p for p in cli_json("payments", "list", db=db)}
    assert set(held) == {"E2E-LISTED", "MT-REF-1"}
    assert all(p["status"] == "held" and p["alerts"] for p in held.values())
    assert {r["payment"] for r in records if r["verdict"] == "hold"} == {p["id"] for p in held.values()}
    alerts = {a["id"]: a for a in cli_json("alerts", "list", db=db)}
    # "MAHAN AIR" in the text and "Mahan Air" paid by the MT103 are one payment party: one alert.
    assert held["E2E-LISTED"]["alerts"] == held["MT-REF-1"]["alerts"]
    (alert_id,) = held["E2E-LISTED"]["alerts"]
    assert (alerts[alert_id]["party_id"], alerts[alert_id]["entity_id"]) == ("payment:xx:mahan-air", "un_sc-2001")
    # A reviewer releases one (audited); a second decision on it is refused, naming the first.
    reviewer = cli_json("keys", "create", "--role", "reviewer", db=db)["key"]
    screener_key = cli_json("keys", "create", "--role", "screener", db=db)["key"]
    listed_id = str(held["E2E-LISTED"]["id"])
    denied = run_cli("payments", "decide", listed_id, "--decision", "release", "--reason", "x", "--key", screener_key,
                     db=db, check=False)
    assert denied.returncode != 0
    done = run_cli("payments", "decide", listed_id, "--decision", "reject", "--reason", "Mahan Air is listed: funds blocked",
                   "--key", reviewer, db=db)
    assert "is now rejected" in done.stdout
    again = run_cli("payments", "decide", listed_id, "--decision", "release", "--reason", "second look", "--key", reviewer,
                    db=db, check=False)
    assert again.returncode != 0 and "was rejected by" in again.stderr
    assert [p["transaction_id"] for p in cli_json("payments", "list", "--status", "rejected", db=db)] == ["E2E-LISTED"]
    entries = cli_json("audit", "list", "--action", "payment_decision", db=db)
    assert [e["payload"]["decision"] for e in entries] == ["reject"]

    # An unknown regime is refused with a clear message.
    bad = run_cli("payments", "screen", str(folder), "-o", str(out), "--regime", "ch", db=db, check=False)
    assert bad.returncode != 0 and "unknown regime 'ch'" in bad.stderr


def test_calls_kept_together_get_their_own_alerts_and_audit_entries(tmp_path: Path) -> None:
    """What a server does with concurrent requests: several calls kept in one transaction,
    their alerts raised together. Each transaction lists only the alerts of its own hits;
    one payment party paid twice has one alert; each call has its audit entry."""
    from tradeguard.screening.parties import Screener
    from tradeguard.screening.payments import (
        PaymentCall,
        PaymentScreener,
        link_listings_for,
        record_payment_calls,
    )
    from tradeguard.store import audit

    db = tmp_path / "store.db"
    un = write_un_xml(tmp_path / "un.xml", "2025-01-01", [organisation("2001", "MAHAN AIR"),
                                                         organisation("2002", "ZENIT FINANCE OOO")])
    run_cli("lists", "load", str(un), db=db)
    screener = Screener(f"sqlite:///{db}")
    payments = PaymentScreener(screener)

    def call(actor: str, *creditors: str) -> PaymentCall:
        txs = [b.TxSpec(f"E2E-{actor}-{i}", "10", "EUR", DEBTOR, b.PartySpec(name, country="IR"), BANK_A, BANK_B)
               for i, name in enumerate(creditors)]
        message = b.to_xml(b.pacs008(f"MSG-{actor}", txs, instructing_agent=BANK_A))
        from tradeguard.payments.read import read_payment_bytes

        results = [r for m in read_payment_bytes(message, actor) for r in payments.screen_message(m)]
        return PaymentCall(results, {actor: message.decode()}, actor, screener.in_force, payments.threshold, None)

    calls = [call("k1", "MAHAN AIR", "Lisbon Machine Tools Lda"), call("k2", "ZENIT FINANCE OOO"),
             call("k3", "MAHAN AIR")]
    assert screener.engine is not None
    for c in calls:
        link_listings_for(screener, c.results)
    with screener.engine.begin() as conn:
        kept = record_payment_calls(conn, calls)
    assert [len(ids) for ids in kept] == [2, 1, 1] and len({i for ids in kept for i in ids}) == 4
    stored = {p["transaction_id"]: p for p in cli_json("payments", "list", "--status", "held", "--status", "passed",
                                                       db=db)}
    mahan, clean, zenit, mahan_again = (stored[t]["alerts"] for t in ("E2E-k1-0", "E2E-k1-1", "E2E-k2-0", "E2E-k3-0"))
    assert mahan and zenit and mahan != zenit and clean == []
    assert mahan_again == mahan  # one payment party, one alert
    alerts = {a["id"]: a for a in cli_json("alerts", "list", db=db)}
    assert {alerts[i]["entity_id"] for i in mahan + zenit} == {"un_sc-2001", "un_sc-2002"}
    with screener.engine.connect() as conn:
        entries = [e for e in audit.entries(conn, limit=50) if e.action == "payments_screen"]
        assert sorted(e.actor for e in entries) == ["k1", "k2", "k3"]
        assert audit.verify(conn).ok
    by_actor = {e.actor: e.payload for e in entries}
    assert [r["alerts"] for r in by_actor["k1"]["results"]] == [mahan, clean]
