"""The builder's messages: valid against the official XSDs where a package ships them, and
read back by the parser with every field, role and path."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tradeguard.payments import builder as b
from tradeguard.payments.model import FreeText, PaymentParty, PostalAddress, Transaction
from tradeguard.payments.read import read_payment_bytes, read_payments

ALICE = b.PartySpec(
    "Alice Smith", country="DE", town="Berlin", street="Hauptstrasse", building_number="1",
    postcode="10115", address_lines=("Hinterhaus",), iban="DE89370400440532013000",
    private=True, birth_date="1970-01-31", residence_country="FR",
)
ACME = b.PartySpec(
    "Acme Trading Ltd", country="GB", town="London", org_id="GB123456", org_id_scheme="TXID",
    lei="5493001KJTIIGC8Y1R12", bic="ACMEGB2L", iban="GB29NWBK60161331926819",
)
BANK_A = b.PartySpec(
    "Bank A AG", bic="BANKDEFFXXX", country="DE", town="Frankfurt",
    clearing_member="50070010", clearing_system="DEBLZ", lei="5299000J2N45DDNE4Y28",
)
BANK_B = b.PartySpec(bic="BANKGB2L", account="NOSTRO-1")
INTERMEDIARIES = (
    b.PartySpec(bic="INTAUS33", account="111"),
    b.PartySpec(bic="INTBUS33"),
    b.PartySpec("Intermediary C", address_lines=("Main Road 5",)),
)
PREVIOUS = (b.PartySpec(bic="PRVAFRPP"), b.PartySpec(bic="PRVBFRPP"), b.PartySpec(bic="PRVCFRPP"))
UETR = "97ed4827-7b6f-4491-a06f-b548d5a7512d"

FULL_TX = b.TxSpec(
    "E2E-1", "1000.50", "EUR", ALICE, ACME, BANK_A, BANK_B,
    intermediaries=INTERMEDIARIES,
    ultimate_debtor=b.PartySpec("Ultimate Debtor GmbH", private_id="P-77", private=True),
    ultimate_creditor=b.PartySpec("Ultimate Creditor Ltd", country="IR"),
    remittance=("Invoice 1", "Invoice 2"),
    instructions_for_next_agent=("Call beneficiary",),
    purpose="GOODS",
    regulatory="Export licence 42",
    instructions_for_creditor_agent=("Credit on arrival",),
    additional_remittance=("Shipment by sea",),
    initiating_party=b.PartySpec("Initiator Co", org_id="INIT-1"),
    previous_instructing_agents=PREVIOUS,
    instructing_agent=b.PartySpec(bic="INSTGB2L"),
    instructed_agent=b.PartySpec(bic="INSDDEFF"),
    instruction_id="INSTR-1",
    uetr=UETR,
)

ALICE_PARTY = dict(
    kind="party", schema="Person", name="Alice Smith",
    address=PostalAddress("Berlin", "DE", ("Hauptstrasse", "1", "10115", "Hinterhaus")),
    bic=None, lei=None,
    identifiers=(("birth_date", "1970-01-31"), ("birth_place", "Berlin, DE")),
    account="DE89370400440532013000", country="FR",
)
ACME_PARTY = dict(
    kind="party", schema="Organization", name="Acme Trading Ltd",
    address=PostalAddress("London", "GB", ()), bic="ACMEGB2L", lei="5493001KJTIIGC8Y1R12",
    identifiers=(("org_id:TXID", "GB123456"),), account="GB29NWBK60161331926819", country="GB",
)
BANK_A_AGENT = dict(
    kind="agent", schema="Organization", name="Bank A AG",
    address=PostalAddress("Frankfurt", "DE", ()), bic="BANKDEFFXXX",
    lei="5299000J2N45DDNE4Y28",
    identifiers=(("clearing_system", "50070010"), ("clearing_system_id", "DEBLZ")),
    account=None, country="DE",
)


def _bic_agent(role: str, path: str, bic: str, account: str | None = None) -> PaymentParty:
    return PaymentParty(role, path, "agent", "Organization", bic=bic, account=account)


def _read_one(data: bytes, source: str = "built.xml") -> Transaction:
    messages = read_payment_bytes(data, source)
    assert [m.errors for m in messages] == [[]]
    assert len(messages[0].transactions) == 1
    transaction = messages[0].transactions[0]
    assert transaction.errors == []
    return transaction


def _xsd(package: str, relative: str) -> Any:
    """The official XSD a PyPI package ships, or a skip naming the package to install."""
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0]) / relative if locations else None
    assert path is not None and path.is_file(), f"{package} (a dev dependency) ships no {relative}"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


def _assert_valid(schema: Any, document: Any) -> None:
    tree = etree.fromstring(b.to_xml(document))
    assert schema.validate(tree), [str(error) for error in schema.error_log]


# ---------------------------------------------------------------------------------------------
# pacs.008


def test_pacs008_round_trip_every_role_and_text() -> None:
    document = b.pacs008(
        "MSG-008", [FULL_TX], instructing_agent=b.PartySpec(bic="GRPIGB2L"),
        instructed_agent=b.PartySpec(bic="GRPDDEFF"),
    )
    message = read_payment_bytes(b.to_xml(document), "pacs008.xml")[0]
    assert (message.source, message.index, message.format, message.message_id) == (
        "pacs008.xml", 1, "pacs.008.001.08", "MSG-008",
    )
    tx = _read_one(b.to_xml(document))
    assert (tx.transaction_id, tx.amount, tx.currency, tx.uetr, tx.format) == (
        "E2E-1", "1000.50", "EUR", UETR, "pacs.008.001.08",
    )
    assert [(p.role, p.path) for p in tx.parties] == [
        ("instructing_agent", "GrpHdr/InstgAgt/FinInstnId"),
        ("instructed_agent", "GrpHdr/InstdAgt/FinInstnId"),
        ("previous_instructing_agent_1", "CdtTrfTxInf/PrvsInstgAgt1/FinInstnId"),
        ("previous_instructing_agent_2", "CdtTrfTxInf/PrvsInstgAgt2/FinInstnId"),
        ("previous_instructing_agent_3", "CdtTrfTxInf/PrvsInstgAgt3/FinInstnId"),
        ("instructing_agent", "CdtTrfTxInf/InstgAgt/FinInstnId"),
        ("instructed_agent", "CdtTrfTxInf/InstdAgt/FinInstnId"),
        ("intermediary_agent_1", "CdtTrfTxInf/IntrmyAgt1/FinInstnId"),
        ("intermediary_agent_2", "CdtTrfTxInf/IntrmyAgt2/FinInstnId"),
        ("intermediary_agent_3", "CdtTrfTxInf/IntrmyAgt3/FinInstnId"),
        ("ultimate_debtor", "CdtTrfTxInf/UltmtDbtr"),
        ("initiating_party", "CdtTrfTxInf/InitgPty"),
        ("debtor", "CdtTrfTxInf/Dbtr"),
        ("debtor_agent", "CdtTrfTxInf/DbtrAgt/FinInstnId"),
        ("creditor_agent", "CdtTrfTxInf/CdtrAgt/FinInstnId"),
        ("creditor", "CdtTrfTxInf/Cdtr"),
        ("ultimate_creditor", "CdtTrfTxInf/UltmtCdtr"),
    ]
    by_path = {p.path: p for p in tx.parties}
    assert by_path["CdtTrfTxInf/Dbtr"] == PaymentParty("debtor", "CdtTrfTxInf/Dbtr", **ALICE_PARTY)
    assert by_path["CdtTrfTxInf/Cdtr"] == PaymentParty("creditor", "CdtTrfTxInf/Cdtr", **ACME_PARTY)
    assert by_path["CdtTrfTxInf/DbtrAgt/FinInstnId"] == PaymentParty(
        "debtor_agent", "CdtTrfTxInf/DbtrAgt/FinInstnId", **BANK_A_AGENT
    )
    assert by_path["CdtTrfTxInf/CdtrAgt/FinInstnId"] == _bic_agent(
        "creditor_agent", "CdtTrfTxInf/CdtrAgt/FinInstnId", "BANKGB2L", "NOSTRO-1"
    )
    assert by_path["CdtTrfTxInf/IntrmyAgt1/FinInstnId"].account == "111"
    third = by_path["CdtTrfTxInf/IntrmyAgt3/FinInstnId"]
    assert (third.name, third.bic, third.address) == (
        "Intermediary C", None, PostalAddress(None, None, ("Main Road 5",)),
    )
    ultimate_debtor = by_path["CdtTrfTxInf/UltmtDbtr"]
    assert (ultimate_debtor.schema, ultimate_debtor.identifiers) == ("Person", (("private_id", "P-77"),))
    ultimate_creditor = by_path["CdtTrfTxInf/UltmtCdtr"]
    assert (ultimate_creditor.schema, ultimate_creditor.country) == ("LegalEntity", "IR")
    initiator = by_path["CdtTrfTxInf/InitgPty"]
    assert (initiator.schema, initiator.identifiers) == ("Organization", (("org_id", "INIT-1"),))
    assert by_path["GrpHdr/InstgAgt/FinInstnId"].bic == "GRPIGB2L"
    assert [p.bic for p in tx.parties_with_role("previous_instructing_agent_2")] == ["PRVBFRPP"]
    assert tx.texts == [
        FreeText("CdtTrfTxInf/RmtInf/Ustrd", "Invoice 1"),
        FreeText("CdtTrfTxInf/RmtInf/Ustrd", "Invoice 2"),
        FreeText("CdtTrfTxInf/RmtInf/Strd/AddtlRmtInf", "Shipment by sea"),
        FreeText("CdtTrfTxInf/InstrForCdtrAgt/InstrInf", "Credit on arrival"),
        FreeText("CdtTrfTxInf/InstrForNxtAgt/InstrInf", "Call beneficiary"),
        FreeText("CdtTrfTxInf/Purp/Prtry", "GOODS"),
        FreeText("CdtTrfTxInf/RgltryRptg/Dtls/Inf", "Export licence 42"),
    ]


def test_pacs008_many_transactions() -> None:
    second = b.TxSpec("E2E-2", "20", "USD", ACME, ALICE, BANK_B, BANK_A)
    data = b.to_xml(b.pacs008("MSG-2", [FULL_TX, second]))
    [message] = read_payment_bytes(data, "two.xml")
    assert message.errors == []
    assert [(t.transaction_id, t.amount, t.currency) for t in message.transactions] == [
        ("E2E-1", "1000.50", "EUR"), ("E2E-2", "20", "USD"),
    ]
    assert [p.name for p in message.transactions[1].parties_with_role("debtor")] == ["Acme Trading Ltd"]


# ---------------------------------------------------------------------------------------------
# pain.001


def _pain001_transactions() -> list[b.TxSpec]:
    other_debtor = b.PartySpec("Dora Debtor", iban="FR7630006000011234567890189", country="FR")
    return [
        b.TxSpec("P1-T1", "10", "EUR", ALICE, ACME, BANK_A, BANK_B, remittance=("first",),
                 ultimate_debtor=b.PartySpec("On behalf of X"), intermediaries=INTERMEDIARIES[:1],
                 ultimate_creditor=b.PartySpec("Final Beneficiary"), purpose="SUPP",
                 regulatory="REG-1", instructions_for_creditor_agent=("Hold",)),
        b.TxSpec("P1-T2", "11", "EUR", ALICE, b.PartySpec("Bob Builder", iban="NL91ABNA0417164300"),
                 BANK_A, BANK_B),
        b.TxSpec("P2-T1", "12", "EUR", other_debtor, ACME, BANK_B, BANK_A),
        b.TxSpec("P2-T2", "13", "EUR", other_debtor, ALICE, BANK_B, BANK_A),
    ]


def test_pain001_two_payment_infos_of_two_transactions() -> None:
    data = b.to_xml(
        b.pain001("PAIN-1", _pain001_transactions(), initiating_party=b.PartySpec("Corp HQ", org_id="HQ-1"))
    )
    [message] = read_payment_bytes(data, "pain.xml")
    assert (message.format, message.message_id, message.errors) == ("pain.001.001.09", "PAIN-1", [])
    transactions = message.transactions
    assert [t.transaction_id for t in transactions] == ["P1-T1", "P1-T2", "P2-T1", "P2-T2"]
    assert [t.parties_with_role("debtor")[0].name for t in transactions] == [
        "Alice Smith", "Alice Smith", "Dora Debtor", "Dora Debtor",
    ]
    assert [t.parties_with_role("debtor_agent")[0].bic for t in transactions] == [
        "BANKDEFFXXX", "BANKDEFFXXX", "BANKGB2L", "BANKGB2L",
    ]
    assert [t.parties_with_role("creditor")[0].name for t in transactions] == [
        "Acme Trading Ltd", "Bob Builder", "Acme Trading Ltd", "Alice Smith",
    ]
    first = transactions[0]
    assert [(p.role, p.path) for p in first.parties] == [
        ("initiating_party", "GrpHdr/InitgPty"),
        ("debtor", "PmtInf/Dbtr"),
        ("debtor_agent", "PmtInf/DbtrAgt/FinInstnId"),
        ("ultimate_debtor", "CdtTrfTxInf/UltmtDbtr"),
        ("intermediary_agent_1", "CdtTrfTxInf/IntrmyAgt1/FinInstnId"),
        ("creditor_agent", "CdtTrfTxInf/CdtrAgt/FinInstnId"),
        ("creditor", "CdtTrfTxInf/Cdtr"),
        ("ultimate_creditor", "CdtTrfTxInf/UltmtCdtr"),
    ]
    assert first.parties[1] == PaymentParty("debtor", "PmtInf/Dbtr", **ALICE_PARTY)
    assert (first.amount, first.currency) == ("10", "EUR")
    assert first.texts == [
        FreeText("CdtTrfTxInf/RmtInf/Ustrd", "first"),
        FreeText("CdtTrfTxInf/InstrForCdtrAgt/InstrInf", "Hold"),
        FreeText("CdtTrfTxInf/Purp/Prtry", "SUPP"),
        FreeText("CdtTrfTxInf/RgltryRptg/Dtls/Inf", "REG-1"),
    ]
    assert transactions[3].parties_with_role("debtor")[0].account == "FR7630006000011234567890189"


def test_pain001_is_valid_against_the_official_xsd() -> None:
    schema = _xsd("sepaxml", "schemas/pain.001.001.09.xsd")
    document = b.pain001("PAIN-1", _pain001_transactions(), initiating_party=b.PartySpec("Corp HQ"))
    _assert_valid(schema, document)


# ---------------------------------------------------------------------------------------------
# pacs.009, core and COV


def _fi_transfer(underlying: b.TxSpec | None) -> b.TxSpec:
    return b.TxSpec(
        "FI-1", "5000000", "USD", b.PartySpec(bic="DBTRUS33", iban="US12DBTR0000001"),
        b.PartySpec("Creditor Bank plc", bic="CDTRGB2L"), b.PartySpec(bic="DAGTUS33"),
        b.PartySpec(bic="CAGTGB2L"), intermediaries=INTERMEDIARIES[:2],
        ultimate_debtor=b.PartySpec(bic="ULTDUS33"), ultimate_creditor=b.PartySpec(bic="ULTCGB2L"),
        remittance=("Cover for customer payment",), instructions_for_next_agent=("/REC/RETN",),
        instructions_for_creditor_agent=("Notify",), purpose="INTC", uetr=UETR,
        underlying=underlying,
    )


def test_pacs009_core_round_trip() -> None:
    tx = _read_one(b.to_xml(b.pacs009("MSG-009", [_fi_transfer(None)], instructing_agent=BANK_A)))
    assert (tx.format, tx.transaction_id, tx.amount, tx.currency, tx.uetr) == (
        "pacs.009.001.08", "FI-1", "5000000", "USD", UETR,
    )
    assert [(p.role, p.path, p.kind, p.bic) for p in tx.parties] == [
        ("instructing_agent", "GrpHdr/InstgAgt/FinInstnId", "agent", "BANKDEFFXXX"),
        ("intermediary_agent_1", "CdtTrfTxInf/IntrmyAgt1/FinInstnId", "agent", "INTAUS33"),
        ("intermediary_agent_2", "CdtTrfTxInf/IntrmyAgt2/FinInstnId", "agent", "INTBUS33"),
        ("ultimate_debtor", "CdtTrfTxInf/UltmtDbtr/FinInstnId", "agent", "ULTDUS33"),
        ("debtor", "CdtTrfTxInf/Dbtr/FinInstnId", "agent", "DBTRUS33"),
        ("debtor_agent", "CdtTrfTxInf/DbtrAgt/FinInstnId", "agent", "DAGTUS33"),
        ("creditor_agent", "CdtTrfTxInf/CdtrAgt/FinInstnId", "agent", "CAGTGB2L"),
        ("creditor", "CdtTrfTxInf/Cdtr/FinInstnId", "agent", "CDTRGB2L"),
        ("ultimate_creditor", "CdtTrfTxInf/UltmtCdtr/FinInstnId", "agent", "ULTCGB2L"),
    ]
    assert tx.parties_with_role("debtor")[0].account == "US12DBTR0000001"
    assert tx.parties_with_role("creditor")[0].name == "Creditor Bank plc"
    assert tx.texts == [
        FreeText("CdtTrfTxInf/RmtInf/Ustrd", "Cover for customer payment"),
        FreeText("CdtTrfTxInf/InstrForCdtrAgt/InstrInf", "Notify"),
        FreeText("CdtTrfTxInf/InstrForNxtAgt/InstrInf", "/REC/RETN"),
        FreeText("CdtTrfTxInf/Purp/Prtry", "INTC"),
    ]


def test_pacs009_cov_underlying_parties() -> None:
    underlying = b.TxSpec(
        "CUST-1", "5000000", "USD", ALICE, ACME, BANK_A, BANK_B,
        intermediaries=INTERMEDIARIES[:1], ultimate_debtor=b.PartySpec("Parent Holding"),
        ultimate_creditor=b.PartySpec("End Buyer"), initiating_party=b.PartySpec("Payroll Agent"),
        previous_instructing_agents=PREVIOUS[:1], remittance=("Contract 7",),
        additional_remittance=("Steel pipes",), instructions_for_next_agent=("/INS/X",),
        instructions_for_creditor_agent=("Phone",),
    )
    tx = _read_one(b.to_xml(b.pacs009("MSG-COV", [_fi_transfer(underlying)])))
    prefix = "CdtTrfTxInf/UndrlygCstmrCdtTrf"
    assert [(p.role, p.path) for p in tx.parties if p.path.startswith(prefix)] == [
        ("ultimate_debtor", f"{prefix}/UltmtDbtr"),
        ("initiating_party", f"{prefix}/InitgPty"),
        ("debtor", f"{prefix}/Dbtr"),
        ("debtor_agent", f"{prefix}/DbtrAgt/FinInstnId"),
        ("previous_instructing_agent_1", f"{prefix}/PrvsInstgAgt1/FinInstnId"),
        ("intermediary_agent_1", f"{prefix}/IntrmyAgt1/FinInstnId"),
        ("creditor_agent", f"{prefix}/CdtrAgt/FinInstnId"),
        ("creditor", f"{prefix}/Cdtr"),
        ("ultimate_creditor", f"{prefix}/UltmtCdtr"),
    ]
    by_path = {p.path: p for p in tx.parties}
    assert by_path[f"{prefix}/Dbtr"] == PaymentParty("debtor", f"{prefix}/Dbtr", **ALICE_PARTY)
    assert by_path[f"{prefix}/Cdtr"] == PaymentParty("creditor", f"{prefix}/Cdtr", **ACME_PARTY)
    assert [p.path for p in tx.parties_with_role("debtor")] == [
        "CdtTrfTxInf/Dbtr/FinInstnId", f"{prefix}/Dbtr",
    ]
    assert [t for t in tx.texts if t.path.startswith(prefix)] == [
        FreeText(f"{prefix}/RmtInf/Ustrd", "Contract 7"),
        FreeText(f"{prefix}/RmtInf/Strd/AddtlRmtInf", "Steel pipes"),
        FreeText(f"{prefix}/InstrForCdtrAgt/InstrInf", "Phone"),
        FreeText(f"{prefix}/InstrForNxtAgt/InstrInf", "/INS/X"),
    ]


# ---------------------------------------------------------------------------------------------
# pacs.004


def test_pacs004_round_trip_return_chain_and_original() -> None:
    original = b.TxSpec(
        "ORIG-E2E", "250.00", "EUR", ALICE, ACME, BANK_A, BANK_B,
        intermediaries=INTERMEDIARIES[:1], ultimate_debtor=b.PartySpec("UD"),
        ultimate_creditor=b.PartySpec("UC"), remittance=("Original invoice",),
        purpose="GDDS", uetr=UETR, instructing_agent=b.PartySpec(bic="INSTGB2L"),
    )
    spec = b.ReturnSpec("RTR-1", original, reason_code="AC04", additional_info=("Account closed",))
    data = b.to_xml(b.pacs004("MSG-004", [spec], instructed_agent=b.PartySpec(bic="GRPDDEFF")))
    tx = _read_one(data)
    assert (tx.format, tx.transaction_id, tx.amount, tx.currency, tx.uetr) == (
        "pacs.004.001.09", "ORIG-E2E", "250.00", "EUR", UETR,
    )
    assert [(p.role, p.path, p.name or p.bic) for p in tx.parties] == [
        ("instructed_agent", "GrpHdr/InstdAgt/FinInstnId", "GRPDDEFF"),
        ("instructing_agent", "TxInf/InstgAgt/FinInstnId", "INSTGB2L"),
        ("ultimate_debtor", "TxInf/RtrChain/UltmtDbtr/Pty", "UC"),
        ("debtor", "TxInf/RtrChain/Dbtr/Pty", "Acme Trading Ltd"),
        ("debtor_agent", "TxInf/RtrChain/DbtrAgt/FinInstnId", "BANKGB2L"),
        ("intermediary_agent_1", "TxInf/RtrChain/IntrmyAgt1/FinInstnId", "INTAUS33"),
        ("creditor_agent", "TxInf/RtrChain/CdtrAgt/FinInstnId", "Bank A AG"),
        ("creditor", "TxInf/RtrChain/Cdtr/Pty", "Alice Smith"),
        ("ultimate_creditor", "TxInf/RtrChain/UltmtCdtr/Pty", "UD"),
        ("debtor", "TxInf/OrgnlTxRef/Dbtr/Pty", "Alice Smith"),
        ("debtor_agent", "TxInf/OrgnlTxRef/DbtrAgt/FinInstnId", "Bank A AG"),
        ("creditor_agent", "TxInf/OrgnlTxRef/CdtrAgt/FinInstnId", "BANKGB2L"),
        ("creditor", "TxInf/OrgnlTxRef/Cdtr/Pty", "Acme Trading Ltd"),
    ]
    original_debtor = tx.parties[9]
    assert original_debtor == PaymentParty("debtor", "TxInf/OrgnlTxRef/Dbtr/Pty", **ALICE_PARTY)
    assert tx.texts == [
        FreeText("TxInf/RtrRsnInf/AddtlInf", "Account closed"),
        FreeText("TxInf/OrgnlTxRef/RmtInf/Ustrd", "Original invoice"),
        FreeText("TxInf/OrgnlTxRef/Purp/Prtry", "GDDS"),
    ]


# ---------------------------------------------------------------------------------------------
# Business application header


def test_envelope_with_two_documents_and_app_headers() -> None:
    first = b.pacs008("MSG-A", [b.TxSpec("E-A", "1", "EUR", ALICE, ACME, BANK_A, BANK_B)])
    second = b.pacs009("MSG-B", [_fi_transfer(None)])
    wrapper = b.envelope([
        (b.AppHdrSpec("SENDGB2LXXX", "RECVDEFF", "BIZ-A"), first),
        (b.AppHdrSpec("SND2GB2L", "RCV2DEFF", "BIZ-B"), second),
    ])
    messages = read_payment_bytes(b.to_xml(wrapper), "envelope.xml")
    assert [(m.index, m.format, m.message_id, m.errors) for m in messages] == [
        (1, "pacs.008.001.08", "MSG-A", []), (2, "pacs.009.001.08", "MSG-B", []),
    ]
    for message, sender, receiver in ((messages[0], "SENDGB2LXXX", "RECVDEFF"), (messages[1], "SND2GB2L", "RCV2DEFF")):
        tx = message.transactions[0]
        assert tx.parties[:2] == [
            _bic_agent("sender", "AppHdr/Fr", sender), _bic_agent("receiver", "AppHdr/To", receiver),
        ]


# ---------------------------------------------------------------------------------------------
# SWIFT MT


def _mt_specs() -> tuple[b.TxSpec, b.TxSpec, b.TxSpec]:
    k_customer = b.PartySpec(
        "ACME TRADING LTD", street="1 HIGH STREET", town="LONDON", postcode="EC1A 1BB",
        iban="GB29NWBK60161331926819",
    )
    customer_transfer = b.TxSpec(
        "REF103", "1000.50", "EUR", ALICE, k_customer, BANK_A,
        b.PartySpec("BANK B SA", address_lines=("PARIS",)), intermediaries=INTERMEDIARIES[:1],
        remittance=("INV 1", "INV 2"), instructions_for_next_agent=("/ACC/PHONE BEN",),
        regulatory="/ORDERRES/DE//GOODS", uetr=UETR,
    )
    institution_transfer = b.TxSpec(
        "REF202", "100", "USD", b.PartySpec(bic="DBTRUS33"), b.PartySpec(bic="CDTRGB2L"),
        creditor_agent=b.PartySpec(bic="CAGTGB2L"), intermediaries=(b.PartySpec(bic="INTAUS33"),),
        instructions_for_next_agent=("/BNF/TREASURY",),
    )
    cover = b.TxSpec(
        "REFCOV", "2500", "USD", b.PartySpec(bic="DBTRUS33"), b.PartySpec(bic="CDTRGB2L"),
        creditor_agent=b.PartySpec(bic="CAGTGB2L"), uetr=UETR,
        underlying=b.TxSpec(
            "U1", "2500", "USD", k_customer, b.PartySpec("Alice Smith", country="DE", town="Berlin", iban="DE89370400440532013000"),
            BANK_A, b.PartySpec(bic="BANKGB2L"), intermediaries=(b.PartySpec(bic="INTBUS33"),),
            remittance=("CONTRACT 7",), instructions_for_next_agent=("/INS/CHASUS33",),
        ),
    )
    return customer_transfer, institution_transfer, cover


def test_mt_file_with_three_messages_round_trip(tmp_path: Path) -> None:
    customer_transfer, institution_transfer, cover = _mt_specs()
    texts = [
        b.mt103(customer_transfer, sender_bic="SENDDEFFXXX", receiver_bic="RECVGB2L", variant="STP"),
        b.mt202(institution_transfer, sender_bic="SENDDEFF", receiver_bic="RECVGB2L"),
        b.mt202(cover, sender_bic="SENDDEFF", receiver_bic="RECVGB2L"),
    ]
    path = tmp_path / "three.fin"
    path.write_text("\r\n$\r\n".join(texts), encoding="utf-8", newline="")
    messages = list(read_payments(path))
    assert [(m.source, m.index, m.format, m.message_id, m.errors) for m in messages] == [
        ("three.fin", 1, "MT103", "REF103", []),
        ("three.fin", 2, "MT202", "REF202", []),
        ("three.fin", 3, "MT202COV", "REFCOV", []),
    ]
    mt103, mt202, mt202cov = (m.transactions[0] for m in messages)

    assert (mt103.amount, mt103.currency, mt103.uetr, mt103.errors) == ("1000.50", "EUR", UETR, [])
    assert [(p.role, p.path) for p in mt103.parties] == [
        ("sender", "block 1"), ("receiver", "block 2"), ("ordering_customer", "50F"),
        ("ordering_institution", "52A"), ("intermediary_institution", "56A"),
        ("account_with_institution", "57D"), ("beneficiary_customer", "59"),
    ]
    assert mt103.parties[0].bic == "SENDDEFFXXX"
    assert mt103.parties[1].bic == "RECVGB2LXXX"
    assert mt103.parties[2] == PaymentParty(
        "ordering_customer", "50F", "party", "Person", name="Alice Smith",
        address=PostalAddress("10115 Berlin", "DE", ("Hauptstrasse 1", "Hinterhaus")),
        identifiers=(("birth_date", "19700131"),), account="DE89370400440532013000", country="DE",
    )
    assert mt103.parties[4] == _bic_agent("intermediary_institution", "56A", "INTAUS33", "111")
    assert mt103.parties[5] == PaymentParty(
        "account_with_institution", "57D", "agent", "Organization", name="BANK B SA",
        address=PostalAddress(lines=("PARIS",)),
    )
    assert mt103.parties[6] == PaymentParty(
        "beneficiary_customer", "59", "party", "LegalEntity", name="ACME TRADING LTD",
        address=PostalAddress(lines=("1 HIGH STREET", "EC1A 1BB LONDON")),
        account="GB29NWBK60161331926819",
    )
    assert mt103.texts == [
        FreeText("70", "INV 1\nINV 2"), FreeText("72", "/ACC/PHONE BEN"),
        FreeText("77B", "/ORDERRES/DE//GOODS"),
    ]

    assert (mt202.amount, mt202.currency, mt202.uetr) == ("100", "USD", None)
    assert [(p.role, p.path, p.bic) for p in mt202.parties] == [
        ("sender", "block 1", "SENDDEFFXXX"), ("receiver", "block 2", "RECVGB2LXXX"),
        ("ordering_institution", "52A", "DBTRUS33"), ("intermediary_institution", "56A", "INTAUS33"),
        ("account_with_institution", "57A", "CAGTGB2L"), ("beneficiary_institution", "58A", "CDTRGB2L"),
    ]
    assert mt202.texts == [FreeText("72", "/BNF/TREASURY")]

    assert (mt202cov.amount, mt202cov.uetr) == ("2500", UETR)
    assert [(p.role, p.path) for p in mt202cov.parties[2:]] == [
        ("ordering_institution", "52A"), ("account_with_institution", "57A"),
        ("beneficiary_institution", "58A"), ("ordering_customer", "B/50K"),
        ("ordering_institution", "B/52A"), ("intermediary_institution", "B/56A"),
        ("account_with_institution", "B/57A"), ("beneficiary_customer", "B/59F"),
    ]
    assert mt202cov.parties[-1] == PaymentParty(
        "beneficiary_customer", "B/59F", "party", "LegalEntity", name="Alice Smith",
        address=PostalAddress("Berlin", "DE", ()), account="DE89370400440532013000", country="DE",
    )
    assert mt202cov.texts == [FreeText("B/70", "CONTRACT 7"), FreeText("B/72", "/INS/CHASUS33")]


def test_mt103_remit_and_option_a_customers() -> None:
    tx = b.TxSpec(
        "REMIT1", "5", "CHF", b.PartySpec(bic="ORDCCHZZ", iban="CH9300762011623852957"),
        b.PartySpec(bic="BENECHZZ"), BANK_A, BANK_B,
    )
    text = b.mt103(tx, sender_bic="SENDCHZZ", receiver_bic="RECVCHZZ", variant="REMIT",
                   envelope_contents=("<Document>remittance</Document>",))
    read = _read_one(text.encode(), "remit.fin")
    assert read.format == "MT103"
    assert read.parties[2] == PaymentParty(
        "ordering_customer", "50A", "party", "Organization", bic="ORDCCHZZ", account="CH9300762011623852957"
    )
    assert read.parties[-1] == PaymentParty("beneficiary_customer", "59A", "party", "Organization", bic="BENECHZZ")
    assert read.texts == [FreeText("77T", "<Document>remittance</Document>")]


# ---------------------------------------------------------------------------------------------
# A folder, and what the builder refuses


def test_folder_mixing_xml_and_mt(tmp_path: Path) -> None:
    customer_transfer, institution_transfer, _ = _mt_specs()
    (tmp_path / "b").mkdir()
    (tmp_path / "a.xml").write_bytes(b.to_xml(b.pacs008("X-1", [FULL_TX])))
    (tmp_path / "b" / "c.fin").write_text(
        b.mt103(customer_transfer, sender_bic="SENDDEFF", receiver_bic="RECVGB2L") + "\n"
        + b.mt202(institution_transfer, sender_bic="SENDDEFF", receiver_bic="RECVGB2L"),
        encoding="utf-8",
    )
    (tmp_path / "b" / "d.xml").write_bytes(b.to_xml(b.pain001("P-1", _pain001_transactions(), initiating_party=ACME)))
    (tmp_path / ".hidden.xml").write_text("not read")
    messages = list(read_payments(tmp_path))
    assert [(m.source, m.index, m.format, len(m.transactions), m.errors) for m in messages] == [
        ("a.xml", 1, "pacs.008.001.08", 1, []),
        ("b/c.fin", 1, "MT103", 1, []),
        ("b/c.fin", 2, "MT202", 1, []),
        ("b/d.xml", 1, "pain.001.001.09", 4, []),
    ]


def test_builder_refuses_what_a_message_has_no_place_for() -> None:
    with pytest.raises(ValueError, match="debtor agent"):
        b.pacs008("M", [b.TxSpec("E", "1", "EUR", ALICE, ACME)])
    with pytest.raises(ValueError, match="no place for regulatory"):
        b.pacs009("M", [b.TxSpec("E", "1", "EUR", BANK_A, BANK_B, regulatory="x")])
    with pytest.raises(ValueError, match="instructions_for_next_agent"):
        b.pain001("M", [b.TxSpec("E", "1", "EUR", ALICE, ACME, BANK_A, BANK_B, instructions_for_next_agent=("x",))],
                  initiating_party=ACME)
    with pytest.raises(ValueError, match="longer than 35"):
        b.mt103(b.TxSpec("E", "1", "EUR", b.PartySpec("N" * 40), ACME, BANK_A, BANK_B),
                sender_bic="SENDDEFF", receiver_bic="RECVGB2L")
    with pytest.raises(ValueError, match="birth date or a private id"):
        b.pacs008("M", [b.TxSpec("E", "1", "EUR", b.PartySpec("P", private=True), ACME, BANK_A, BANK_B)])
