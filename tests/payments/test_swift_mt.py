"""SWIFT MT reading: every party option, sequences, directions and field errors."""

from __future__ import annotations

from tradeguard.payments.model import FreeText, Message, PaymentParty, PostalAddress
from tradeguard.payments.swift_mt import parse_swift_mt

HEAD_103 = "{1:F01SENDDEFFAXXX0000000000}{2:I103RECVGB2LXXXXN}"


def _message(head: str, fields: str, newline: str = "\r\n", tail: str = "{5:{CHK:123456789ABC}}") -> str:
    body = newline.join(line.strip() for line in fields.strip().splitlines())
    return f"{head}{{4:{newline}{body}{newline}-}}{tail}"


def _only(text: str, source: str = "in.fin") -> Message:
    [message] = parse_swift_mt(text.encode("utf-8"), source)
    return message


def _fields(message: Message) -> list[str | None]:
    return [error.field for error in message.errors]


MT103_OPTIONS = """
:20:REF-1
:23B:CRED
:32A:240115USD1000,
:33B:USD1000,
:50K:/40817810099910004312
IVAN PETROV
UL LENINA 5
MOSCOW RU
:52D:/D/12345
SBERBANK
MOSCOW
:53B:/C/998877
NEW YORK
:54A:RCVCUS33
:56C://FW021000021
:57B:/55667788
LONDON BRANCH
:59:/GB29NWBK60161331926819
ACME LTD
:70:/INV/123
SPARE PARTS
:71A:OUR
:72:/ACC/CALL
:77B:/BENEFRES/IR//
"""


def test_mt103_every_option_with_lf_line_ends() -> None:
    message = _only(_message(HEAD_103, MT103_OPTIONS, newline="\n"))
    assert (message.format, message.message_id, message.errors) == ("MT103", "REF-1", [])
    [tx] = message.transactions
    assert (tx.transaction_id, tx.amount, tx.currency, tx.uetr) == ("REF-1", "1000", "USD", None)
    assert tx.parties == [
        PaymentParty("sender", "block 1", "agent", "Organization", bic="SENDDEFFXXX"),
        PaymentParty("receiver", "block 2", "agent", "Organization", bic="RECVGB2LXXX"),
        PaymentParty(
            "ordering_customer", "50K", "party", "LegalEntity", name="IVAN PETROV",
            address=PostalAddress(lines=("UL LENINA 5", "MOSCOW RU")), account="40817810099910004312",
        ),
        PaymentParty(
            "ordering_institution", "52D", "agent", "Organization", name="SBERBANK",
            address=PostalAddress(lines=("MOSCOW",)), account="12345",
        ),
        PaymentParty(
            "senders_correspondent", "53B", "agent", "Organization",
            address=PostalAddress(lines=("NEW YORK",)), account="998877",
        ),
        PaymentParty("receivers_correspondent", "54A", "agent", "Organization", bic="RCVCUS33"),
        PaymentParty(
            "intermediary_institution", "56C", "agent", "Organization",
            identifiers=(("clearing_system", "FW021000021"),),
        ),
        PaymentParty(
            "account_with_institution", "57B", "agent", "Organization",
            address=PostalAddress(lines=("LONDON BRANCH",)), account="55667788",
        ),
        PaymentParty(
            "beneficiary_customer", "59", "party", "LegalEntity", name="ACME LTD",
            account="GB29NWBK60161331926819",
        ),
    ]
    assert tx.texts == [
        FreeText("70", "/INV/123\nSPARE PARTS"), FreeText("72", "/ACC/CALL"),
        FreeText("77B", "/BENEFRES/IR//"),
    ]


def test_option_f_structured_person_and_option_a_customers() -> None:
    fields = """
    :20:REF-F
    :32A:240115EUR5,25
    :50F:NIDN/DE/121231234342
    1/JOHN
    1/SMITH
    2/HAUPTSTRASSE 1
    3/DE/10115 BERLIN
    3/MITTE
    4/19700131
    5/DE/HAMBURG
    6/DE/ABC BANK/CUST1
    7/DE/ID99
    8/EXTRA
    :59A:/CH9300762011623852957
    BENECHZZ
    """
    [tx] = _only(_message(HEAD_103, fields)).transactions
    assert tx.amount == "5.25"
    assert tx.parties[2] == PaymentParty(
        "ordering_customer", "50F", "party", "Person", name="JOHN SMITH",
        address=PostalAddress("10115 BERLIN MITTE", "DE", ("HAUPTSTRASSE 1",)),
        identifiers=(
            ("party_id:NIDN", "DE/121231234342"), ("birth_date", "19700131"),
            ("birth_place", "DE/HAMBURG"), ("customer_id", "DE/ABC BANK/CUST1"),
            ("national_id", "DE/ID99"), ("additional_info", "EXTRA"),
        ),
        country="DE",
    )
    assert tx.parties[3] == PaymentParty(
        "beneficiary_customer", "59A", "party", "Organization", bic="BENECHZZ",
        account="CH9300762011623852957",
    )


def test_option_a_ordering_customer_and_59f_without_account() -> None:
    fields = """
    :20:REF-A
    :32A:240115EUR1,
    :50A:/DE89370400440532013000
    ORDEDEFF
    :59F:1/ALI REZA
    2/VALIASR ST
    3/IR/TEHRAN
    """
    [tx] = _only(_message(HEAD_103, fields)).transactions
    assert tx.parties[2] == PaymentParty(
        "ordering_customer", "50A", "party", "Organization", bic="ORDEDEFF", account="DE89370400440532013000"
    )
    beneficiary = tx.parties[3]
    assert (beneficiary.name, beneficiary.country, beneficiary.address, beneficiary.account) == (
        "ALI REZA", "IR", PostalAddress("TEHRAN", "IR", ("VALIASR ST",)), None,
    )


def test_output_message_reads_sender_from_block_2() -> None:
    head = "{1:F01RECVGB2LAXXX1234567890}{2:O1031200240115SENDDEFFAXXX12345678902401151201N}"
    message = _only(_message(head, ":20:R\n:32A:240115EUR1,\n:50K:A\n:59:B", tail=""))
    sender, receiver = message.transactions[0].parties[:2]
    assert (sender.path, sender.bic, receiver.path, receiver.bic) == (
        "block 2", "SENDDEFFXXX", "block 1", "RECVGB2LXXX",
    )


def test_mt103_remit_and_stp_read_as_mt103_with_uetr() -> None:
    head = (
        "{1:F01SENDDEFFAXXX0000000000}{2:I103RECVGB2LXXXXN}"
        "{3:{113:ROMF}{119:REMIT}{121:eb6305c9-1f7f-49de-aed0-16487c27b42d}}"
    )
    message = _only(_message(head, ":20:R\n:32A:240115EUR1,\n:50K:A\n:59:B\n:77T:/NARR/ENVELOPE TEXT"))
    [tx] = message.transactions
    assert (message.format, tx.uetr) == ("MT103", "eb6305c9-1f7f-49de-aed0-16487c27b42d")
    assert tx.texts == [FreeText("77T", "/NARR/ENVELOPE TEXT")]


MT202 = """
:20:TRN-202
:21:REL-1
:32A:240115USD250000,00
:52A:DBTRUS33
:53A:CORRUS33
:58D:/123
TREASURY BANK
ZURICH
:72:/BNF/LIQUIDITY
"""

MT202_COV = """
:20:TRN-COV
:21:REL-2
:32A:240115USD10,
:52A:DBTRUS33
:57A:CAGTGB2L
:58A:CDTRGB2L
:50K:/123
ORDERING CUSTOMER
:52A:ORDBDEFF
:56A:INTBUS33
:57A:BENBGB2L
:59:/456
BENEFICIARY CUSTOMER
:70:INVOICE 9
:72:/INS/X
:33B:USD10,
"""


def test_three_messages_separated_by_dollar_and_blank_lines() -> None:
    cov_head = "{1:F01SENDDEFFAXXX0000000000}{2:I202RECVGB2LXXXXN}{3:{119:COV}}"
    texts = [
        _message(HEAD_103, ":20:R1\n:32A:240115EUR1,\n:50K:A\n:59:B"),
        _message("{1:F01SENDDEFFAXXX0000000000}{2:I202RECVGB2LXXXXN}", MT202),
        _message(cov_head, MT202_COV),
    ]
    messages = parse_swift_mt("\r\n$\r\n\r\n".join(texts).encode(), "three.fin")
    assert [(m.source, m.index, m.format, m.message_id, m.errors) for m in messages] == [
        ("three.fin", 1, "MT103", "R1", []),
        ("three.fin", 2, "MT202", "TRN-202", []),
        ("three.fin", 3, "MT202COV", "TRN-COV", []),
    ]
    mt202 = messages[1].transactions[0]
    assert (mt202.amount, mt202.currency) == ("250000.00", "USD")
    assert [(p.role, p.path) for p in mt202.parties[2:]] == [
        ("ordering_institution", "52A"), ("senders_correspondent", "53A"),
        ("beneficiary_institution", "58D"),
    ]
    assert mt202.parties[-1] == PaymentParty(
        "beneficiary_institution", "58D", "agent", "Organization", name="TREASURY BANK",
        address=PostalAddress(lines=("ZURICH",)), account="123",
    )
    cover = messages[2].transactions[0]
    assert [(p.role, p.path, p.name or p.bic) for p in cover.parties[2:]] == [
        ("ordering_institution", "52A", "DBTRUS33"),
        ("account_with_institution", "57A", "CAGTGB2L"),
        ("beneficiary_institution", "58A", "CDTRGB2L"),
        ("ordering_customer", "B/50K", "ORDERING CUSTOMER"),
        ("ordering_institution", "B/52A", "ORDBDEFF"),
        ("intermediary_institution", "B/56A", "INTBUS33"),
        ("account_with_institution", "B/57A", "BENBGB2L"),
        ("beneficiary_customer", "B/59", "BENEFICIARY CUSTOMER"),
    ]
    assert cover.texts == [FreeText("B/70", "INVOICE 9"), FreeText("B/72", "/INS/X")]


def test_mt202_with_sequence_b_but_no_119_is_read_as_cov() -> None:
    message = _only(_message("{1:F01SENDDEFFAXXX0000000000}{2:I202RECVGB2LXXXXN}", MT202_COV))
    assert message.format == "MT202COV"
    assert message.transactions[0].parties[5].path == "B/50K"


def test_missing_mandatory_fields_name_the_field() -> None:
    message = _only(_message(HEAD_103, ":23B:CRED\n:50K:A"))
    assert _fields(message) == ["20", "32A", "59a"]
    assert str(message.errors[2]) == "in.fin, message 1, 59a: block 4 has no field :59a: (beneficiary customer)"
    [tx] = message.transactions
    assert len(tx.errors) == 3
    cov = _only(_message("{1:F01SENDDEFFAXXX0000000000}{2:I202RECVGB2LXXXXN}{3:{119:COV}}", MT202))
    assert _fields(cov) == ["B/50a", "B/59a"]
    mt202 = _only(_message("{1:F01SENDDEFFAXXX0000000000}{2:I202RECVGB2LXXXXN}", ":20:X\n:32A:240115USD1,"))
    assert _fields(mt202) == ["58a"]


def test_bad_field_values_are_errors_of_the_transaction() -> None:
    fields = ":20:R\n:32A:24-01-15EUR\n:50G:X\n:57A:NOT A BIC\n:59F:NOTNUMBERED\n:52A:AAAADEFF"
    message = _only(_message(HEAD_103, fields))
    assert _fields(message) == ["32A", "50G", "57A", "59F"]
    assert "invalid BIC 'NOT A BIC'" in str(message.errors[2])
    assert [p.path for p in message.transactions[0].parties] == ["block 1", "block 2", "52A"]
