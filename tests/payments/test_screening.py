"""Payment screening on messages built by the project's builder, against hand-made listed
entities: names of parties and agents, BICs (exact, head office, branch), the BIC's and the
IBAN's country, places in addresses, listed names inside free text, regimes, fail-closed."""

from __future__ import annotations

import pytest

from tradeguard.model import Entity, Identifier, Name
from tradeguard.payments import builder as b
from tradeguard.payments.model import FreeText
from tradeguard.payments.read import read_payment_bytes
from tradeguard.screening.parties import Screener
from tradeguard.screening.payments import PaymentResult, PaymentScreener

MAHAN = Entity(list="us_ofac_sdn", source_id="1", schema="Organization", names=[Name("MAHAN AIR", "primary")])
MELLI = Entity(list="us_ofac_sdn", source_id="2", schema="Organization", names=[Name("BANK MELLI IRAN", "primary")],
               identifiers=[Identifier("bic", "MELIIRTH")])
BRANCH = Entity(list="us_ofac_sdn", source_id="3", schema="Organization",
                names=[Name("EXAMPLE BANK MOSCOW BRANCH", "primary")], identifiers=[Identifier("bic", "EXMPRUMM123")])
ZENIT = Entity(list="gb_hmt", source_id="4", schema="Organization", names=[Name("ZENIT FINANCE OOO", "primary")])
PERSON = Entity(list="un_sc", source_id="5", schema="Person", names=[Name("HAMZA USAMA MUHAMMAD BIN LADEN", "primary")])

DEBTOR = b.PartySpec("Harbour Components GmbH", country="DE", town="Hamburg", iban="DE89370400440532013000")
CREDITOR = b.PartySpec("Lisbon Machine Tools Lda", country="PT", town="Lisboa", iban="PT50000201231234567890154")
BANK_A = b.PartySpec(bic="DEUTDEFF")
BANK_B = b.PartySpec(bic="BCOMPTPL")


@pytest.fixture(scope="module")
def screener() -> PaymentScreener:
    return PaymentScreener(Screener(entities=[MAHAN, MELLI, BRANCH, ZENIT, PERSON]))


def screen(payments: PaymentScreener, data: bytes | str, name: str = "msg") -> list[PaymentResult]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return [r for m in read_payment_bytes(raw, name) for r in payments.screen_message(m)]


def pacs008(*txs: b.TxSpec) -> bytes:
    return b.to_xml(b.pacs008("MSG-1", list(txs), instructing_agent=BANK_A, instructed_agent=BANK_B))


def tx(**changes: object) -> b.TxSpec:
    base = b.TxSpec("E2E-1", "1200.00", "EUR", DEBTOR, CREDITOR, BANK_A, BANK_B,
                    remittance=("INV 2231 MACHINE TOOLS",))
    return b.TxSpec(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def hits(result: PaymentResult) -> list[tuple[str, str, str | None]]:
    return sorted((h.kind, h.field, h.entity_id) for h in result.hits)


def test_a_clean_payment_is_released(screener: PaymentScreener) -> None:
    (result,) = screen(screener, pacs008(tx()))
    assert (result.verdict, result.hits, result.errors) == ("release", [], [])
    assert (result.message_id, result.transaction_id, result.format) == ("MSG-1", "E2E-1", "pacs.008.001.08")


def test_a_listed_bank_by_bic_head_office_and_branch(screener: PaymentScreener) -> None:
    head = b.PartySpec(bic="MELIIRTHXXX")
    (result,) = screen(screener, pacs008(tx(creditor_agent=head)))
    assert result.verdict == "hold"
    bic = [h for h in result.hits if h.kind == "bic"]
    assert [(h.field, h.entity_id, h.score) for h in bic] == [
        ("CdtTrfTxInf/CdtrAgt/FinInstnId/BICFI", "us_ofac_sdn-2", 1.0),
    ]
    # The BIC's country letters (IR) name a comprehensively sanctioned country.
    assert any(h.kind == "bic_country" and h.rule == "destination.sanctioned_country" for h in result.hits)
    # A branch of a listed head office, and the head office of a listed branch.
    (branch,) = screen(screener, pacs008(tx(intermediaries=(b.PartySpec(bic="MELIIRTH123"),))))
    assert [(h.entity_id, h.score) for h in branch.hits if h.kind == "bic"] == [("us_ofac_sdn-2", 0.95)]
    (office,) = screen(screener, pacs008(tx(intermediaries=(b.PartySpec(bic="EXMPRUMMXXX"),))))
    assert [(h.entity_id, h.score) for h in office.hits if h.kind == "bic"] == [("us_ofac_sdn-3", 0.95)]


def test_a_listed_name_inside_the_remittance_text(screener: PaymentScreener) -> None:
    (result,) = screen(screener, pacs008(tx(remittance=("INV 2231 SPARE PARTS FOR MAHAN AIR A310 FLEET",))))
    assert result.verdict == "hold"
    (hit,) = result.hits
    assert (hit.kind, hit.entity_id, hit.value, hit.rule) == ("text", "us_ofac_sdn-1", "MAHAN AIR",
                                                             "payment.listed_name_in_text")
    assert hit.field.endswith("RmtInf/Ustrd") or "Ustrd" in hit.field
    assert hit.explanation["span"]["text"] == "MAHAN AIR"
    # Schema-less text still finds a person whose list name holds a particle.
    found = screener._text_hits(FreeText("70", "SALARY ADVANCE HAMZA BIN LADEN MARCH"))
    assert [h.entity_id for h in found] == ["un_sc-5"]


@pytest.mark.parametrize("text", [
    "INV 2231 SPARE PARTS FOR HARBOUR COMPONENTS GMBH",
    "PAYMENT FOR AIR FREIGHT AND BANK CHARGES",
    "ADVANCE PAYMENT MACHINE TOOLS CONTRACT 5531 LLC",
    "REF MAHANAGAR TELEPHONE NIGAM INVOICE 9",
])
def test_ordinary_remittance_text_does_not_hold(screener: PaymentScreener, text: str) -> None:
    assert screener._text_hits(FreeText("RmtInf/Ustrd", text)) == []


def test_places_and_countries(screener: PaymentScreener) -> None:
    crimea = b.PartySpec("Sevastopol Marine Supply", town="Sevastopol", address_lines=("12 Lenina St",))
    (result,) = screen(screener, pacs008(tx(creditor=crimea)))
    assert result.verdict == "hold"
    assert [h.kind for h in result.hits] == ["place"]
    assert "Sevastopol" in result.hits[0].explanation and result.hits[0].source
    iran_iban = b.PartySpec("Tehran Trading Co", iban="IR062960000000100324200001")
    (iban,) = screen(screener, pacs008(tx(creditor=iran_iban)))
    assert [(h.kind, h.field) for h in iban.hits] == [("iban_country", "CdtTrfTxInf/CdtrAcct/Id/IBAN")]


def test_listed_names_in_party_fields_and_mt103(screener: PaymentScreener) -> None:
    listed = b.PartySpec("Mahan Airlines", country="IR")
    (result,) = screen(screener, pacs008(tx(ultimate_creditor=listed)))
    assert result.verdict == "hold"
    assert ("name", "CdtTrfTxInf/UltmtCdtr/Nm", "us_ofac_sdn-1") in hits(result)
    assert any(h.kind == "country" for h in result.hits)
    mt = b.mt103(tx(creditor=b.PartySpec("MAHAN AIR", address_lines=("TEHRAN",))), sender_bic="DEUTDEFF",
                 receiver_bic="BCOMPTPL")
    (mt_result,) = screen(screener, mt, "mt103.txt")
    assert mt_result.format == "MT103" and mt_result.verdict == "hold"
    assert [(h.field, h.entity_id) for h in mt_result.hits if h.kind == "name"] == [("59", "us_ofac_sdn-1")]


def test_a_regime_keeps_the_parties_it_lists() -> None:
    payments = Screener(entities=[ZENIT, MAHAN])
    message = pacs008(tx(creditor=b.PartySpec("Zenit Finance OOO", town="Moscow")))
    (anywhere,) = screen(PaymentScreener(payments), message)
    assert [h.entity_id for h in anywhere.hits if h.kind == "name"] == ["gb_hmt-4"]
    (under_ofac,) = screen(PaymentScreener(payments, regime="ofac"), message)
    assert [h.entity_id for h in under_ofac.hits if h.kind == "name"] == []
    (under_uk,) = screen(PaymentScreener(payments, regime="uk"), message)
    assert [h.entity_id for h in under_uk.hits if h.kind == "name"] == ["gb_hmt-4"]
    with pytest.raises(ValueError, match="unknown regime"):
        PaymentScreener(payments, regime="ch")


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'><FIToFICstmrCdtTrf>",
    b"{1:F01DEUTDEFFAXXX0000000000}{2:I103BCOMPTPLXXXXN}",
    b"not a payment",
])
def test_what_cannot_be_read_is_an_error_never_a_release(screener: PaymentScreener, data: bytes) -> None:
    results = screen(screener, data, "bad.msg")
    assert results and all(r.verdict == "error" and r.errors for r in results)
    assert all("bad.msg" in e for r in results for e in r.errors)


def test_one_bad_transaction_is_an_error_and_the_others_are_screened(screener: PaymentScreener) -> None:
    good = tx(end_to_end_id="E2E-GOOD", remittance=("FREIGHT FOR MAHAN AIR",))
    clean = tx(end_to_end_id="E2E-CLEAN")
    document = b.pacs008("MSG-1", [good, clean, tx(end_to_end_id="E2E-BAD")], instructing_agent=BANK_A)
    third = document.findall(".//{*}CdtTrfTxInf")[2]
    third.remove(third.find("{*}Cdtr"))  # a transaction without its creditor
    verdicts = {r.transaction_id: r.verdict for r in screen(screener, b.to_xml(document))}
    assert verdicts == {"E2E-GOOD": "hold", "E2E-CLEAN": "release", "E2E-BAD": "error"}


def test_a_large_batch_on_two_processes_gives_what_one_gives() -> None:
    """A message of many transactions is split into runs screened by forked workers: the
    results come back in order, the same as in one process."""
    from tradeguard.screening.payments import PARALLEL_MIN_TX

    payments = Screener(entities=[MAHAN, MELLI, BRANCH, ZENIT, PERSON])
    specs = []
    for i in range(PARALLEL_MIN_TX + 7):
        change: dict[str, object] = {"end_to_end_id": f"E2E-{i}"}
        if i % 50 == 3:
            change["creditor"] = b.PartySpec("Mahan Air", country="IR")
        elif i % 50 == 17:
            change["remittance"] = (f"INV {i} FOR ZENIT FINANCE OOO",)
        specs.append(tx(**change))
    data = b.to_xml(b.pain001("BATCH-1", specs, initiating_party=DEBTOR))
    one = screen(PaymentScreener(payments, processes=1), data)
    two = screen(PaymentScreener(payments, processes=2), data)
    assert [r.transaction_id for r in two] == [f"E2E-{i}" for i in range(len(specs))]
    assert [r.to_dict() for r in two] == [r.to_dict() for r in one]
    held = {r.transaction_id for r in two if r.verdict == "hold"}
    assert {"E2E-3", "E2E-17", "E2E-403"} <= held and "E2E-0" not in held
