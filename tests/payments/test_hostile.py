"""Hostile and broken input: refused with an error naming the source and the field, never
raised, never leaking content, and never spoiling the good messages beside it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tradeguard.payments.iso20022 import parse_iso20022
from tradeguard.payments.model import Message
from tradeguard.payments.read import read_payment_bytes, read_payments
from tradeguard.payments.swift_mt import parse_swift_mt

NS = "urn:iso:std:iso:20022:tech:xsd"
GOOD_XML = (
    f'<Document xmlns="{NS}:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr><MsgId>GOOD</MsgId></GrpHdr>'
    "<CdtTrfTxInf><PmtId><EndToEndId>E</EndToEndId></PmtId>"
    "<Dbtr><Nm>Alice</Nm></Dbtr><Cdtr><Nm>Bob</Nm></Cdtr></CdtTrfTxInf>"
    "</FIToFICstmrCdtTrf></Document>"
)
GOOD_MT = (
    "{1:F01SENDDEFFAXXX0000000000}{2:I103RECVGB2LXXXXN}{4:\r\n:20:GOOD\r\n:32A:240115EUR1,\r\n"
    ":50K:ALICE\r\n:59:BOB\r\n-}"
)


def _refused(messages: list[Message], source: str, field: str) -> str:
    """The one refused message's error text, checked to name the source and the field."""
    [message] = messages
    assert message.transactions == []
    [error] = message.errors
    assert error.field == field
    text = str(error)
    assert text.startswith(f"{source}, message 1, {field}: ")
    return text


# ---------------------------------------------------------------------------------------------
# XML


def test_external_entity_is_refused_and_nothing_leaks() -> None:
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + f'<Document xmlns="{NS}:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr><MsgId>&xxe;</MsgId>'
        "</GrpHdr></FIToFICstmrCdtTrf></Document>".encode()
    )
    messages = parse_iso20022(xxe, "xxe.xml")
    text = _refused(messages, "xxe.xml", "DOCTYPE")
    assert "root:" not in text and "passwd" not in text
    assert messages[0].message_id is None


def test_billion_laughs_is_refused_quickly() -> None:
    entities = "".join(
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{entities}]><d>&l9;</d>'.encode()
    started = time.perf_counter()
    messages = read_payment_bytes(bomb, "bomb.xml")
    assert time.perf_counter() - started < 1
    _refused(messages, "bomb.xml", "DOCTYPE")


def test_any_doctype_is_refused() -> None:
    doctype = f'<!DOCTYPE Document>{GOOD_XML}'.encode()
    assert "<!DOCTYPE found" in _refused(parse_iso20022(doctype, "dt.xml"), "dt.xml", "DOCTYPE")
    entity_only = f"<!ENTITY x 'y'>{GOOD_XML}".encode()
    _refused(parse_iso20022(entity_only, "ent.xml"), "ent.xml", "DOCTYPE")


def test_wrong_or_missing_namespace_names_it() -> None:
    camt = GOOD_XML.replace("pacs.008.001.08", "camt.053.001.08").encode()
    text = _refused(parse_iso20022(camt, "camt.xml"), "camt.xml", "Document")
    assert f"'{NS}:camt.053.001.08'" in text
    bare = GOOD_XML.replace(f' xmlns="{NS}:pacs.008.001.08"', "").encode()
    assert "no namespace" in _refused(parse_iso20022(bare, "bare.xml"), "bare.xml", "Document")


def test_truncated_xml_names_the_line() -> None:
    truncated = GOOD_XML.replace("><", ">\n<")[:-40].encode()
    messages = parse_iso20022(truncated, "cut.xml")
    lines = truncated.count(b"\n") + 1
    [error] = messages[0].errors
    assert error.field is not None and error.field.startswith(f"line {lines}, column ")
    assert str(error).startswith(f"cut.xml, message 1, line {lines}, column ")
    assert "malformed XML" in error.message


def test_latin1_bytes_are_refused() -> None:
    latin1 = GOOD_XML.replace("Alice", "Aliçe Müller é").encode("latin-1")
    text = _refused(parse_iso20022(latin1, "latin.xml"), "latin.xml", "encoding")
    assert "not UTF-8: byte 0xe7 at line 1" in text
    declared = ('<?xml version="1.0" encoding="ISO-8859-1"?>' + GOOD_XML).encode()
    assert "ISO-8859-1" in _refused(parse_iso20022(declared, "decl.xml"), "decl.xml", "encoding")
    utf8 = ('<?xml version="1.0" encoding="UTF-8"?>' + GOOD_XML.replace("Alice", "Aliçe")).encode()
    assert parse_iso20022(utf8, "ok.xml")[0].errors == []


def test_oversize_message_is_refused() -> None:
    data = GOOD_XML.encode()
    text = _refused(parse_iso20022(data, "big.xml", max_bytes=100), "big.xml", "size")
    assert f"{len(data)} bytes, over the limit of 100" in text
    _refused(read_payment_bytes(GOOD_MT.encode(), "big.fin", max_message_bytes=50), "big.fin", "size")


def test_deep_nesting_is_refused_quickly() -> None:
    deep = f'<Document xmlns="{NS}:pacs.008.001.08">' + "<a>" * 5000 + "</a>" * 5000 + "</Document>"
    started = time.perf_counter()
    messages = parse_iso20022(deep.encode(), "deep.xml")
    assert time.perf_counter() - started < 1
    assert messages[0].transactions == [] and messages[0].errors


def test_bad_xml_document_among_good_ones() -> None:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    bad = GOOD_XML.replace("pacs.008.001.08", "pacs.999.001.01")
    cut = GOOD_XML[:-30]
    data = "".join(declaration + doc + "\n" for doc in (GOOD_XML, bad, GOOD_XML, cut, GOOD_XML)).encode()
    messages = parse_iso20022(data, "mixed.xml")
    assert [(m.index, bool(m.errors), len(m.transactions)) for m in messages] == [
        (1, False, 1), (2, True, 0), (3, False, 1), (4, True, 0), (5, False, 1),
    ]
    assert str(messages[1].errors[0]).startswith("mixed.xml, message 2, Document: ")
    assert str(messages[3].errors[0]).startswith("mixed.xml, message 4, line ")
    wrapped = f"<Envelope>{GOOD_XML}{bad}{GOOD_XML}</Envelope>".encode()
    messages = parse_iso20022(wrapped, "env.xml")
    assert [(m.index, [e.field for e in m.errors]) for m in messages] == [
        (1, []), (2, ["Document"]), (3, []),
    ]


# ---------------------------------------------------------------------------------------------
# SWIFT MT


def test_mt_without_block_4() -> None:
    text = "{1:F01SENDDEFFAXXX0000000000}{2:I103RECVGB2LXXXXN}{5:{CHK:1}}"
    assert "missing text block" in _refused(parse_swift_mt(text.encode(), "nob4.fin"), "nob4.fin", "block 4")


def test_mt_without_terminator() -> None:
    text = GOOD_MT.removesuffix("-}") + "{5:{CHK:1}}"
    assert "missing '-}' terminator" in _refused(parse_swift_mt(text.encode(), "term.fin"), "term.fin", "block 4")


def test_unsupported_mt_type() -> None:
    mt940 = GOOD_MT.replace("I103", "I940")
    text = _refused(parse_swift_mt(mt940.encode(), "stmt.fin"), "stmt.fin", "block 2")
    assert text.endswith("unsupported message type MT940")


def test_broken_mt_headers() -> None:
    _refused(parse_swift_mt(b"{1:F01SHORT}{2:I103RECVGB2LXXXXN}{4:\r\n:20:X\r\n-}", "b1.fin"), "b1.fin", "block 1")
    _refused(parse_swift_mt(b"{1:F01SENDDEFFAXXX0000000000}{4:\r\n:20:X\r\n-}", "b2.fin"), "b2.fin", "block 2")
    _refused(parse_swift_mt(b"{1:F01SENDDEFFAXXX0000000000{2:I103", "open.fin"), "open.fin", "block 1")
    junk = parse_swift_mt(GOOD_MT.encode() + b"trailing junk", "junk.fin")
    _refused(junk, "junk.fin", "block structure")


def test_non_utf8_mt_among_good_ones() -> None:
    bad = GOOD_MT.replace("ALICE", "ALIÇE").encode("latin-1")
    data = GOOD_MT.encode() + b"\r\n$" + bad + b"\r\n$" + GOOD_MT.encode()
    messages = parse_swift_mt(data, "mixed.fin")
    assert [(m.index, len(m.transactions), [e.field for e in m.errors]) for m in messages] == [
        (1, 1, []), (2, 0, ["encoding"]), (3, 1, []),
    ]
    assert str(messages[1].errors[0]).startswith("mixed.fin, message 2, encoding: not UTF-8: byte 0xc7")
    utf8 = parse_swift_mt(GOOD_MT.replace("ALICE", "ALIÇE").encode(), "utf8.fin")
    assert utf8[0].transactions[0].parties[2].name == "ALIÇE"


def test_bad_mt_among_good_ones_in_a_file() -> None:
    no_terminator = GOOD_MT.removesuffix("-}")
    mt940 = GOOD_MT.replace("I103", "I940")
    data = "\n".join([GOOD_MT, no_terminator, GOOD_MT, mt940, GOOD_MT]).encode()
    messages = parse_swift_mt(data, "five.fin")
    assert [(m.index, m.message_id, [e.field for e in m.errors]) for m in messages] == [
        (1, "GOOD", []), (2, None, ["block 4"]), (3, "GOOD", []), (4, None, ["block 2"]), (5, "GOOD", []),
    ]


# ---------------------------------------------------------------------------------------------
# Detection and files


def test_unknown_format_empty_and_utf16() -> None:
    assert "unknown payment message format" in _refused(
        read_payment_bytes(b"hello,world\n", "x.csv"), "x.csv", "format"
    )
    assert "empty" in _refused(read_payment_bytes(b"  \n", "e.txt"), "e.txt", "format")
    utf16 = GOOD_XML.encode("utf-16")
    assert "UTF-16" in _refused(read_payment_bytes(utf16, "u.xml"), "u.xml", "format")


def test_missing_path_raises_but_bad_files_do_not(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(read_payments(tmp_path / "absent"))
    (tmp_path / "1.xml").write_bytes(GOOD_XML.encode())
    (tmp_path / "2.txt").write_bytes(b"\x00\x01 binary")
    (tmp_path / "3.fin").write_bytes(GOOD_MT.replace("I103", "I940").encode())
    messages = list(read_payments(tmp_path))
    assert [(m.source, [e.field for e in m.errors]) for m in messages] == [
        ("1.xml", []), ("2.txt", ["format"]), ("3.fin", ["block 2"]),
    ]
    [single] = list(read_payments(tmp_path / "1.xml"))
    assert (single.source, single.message_id) == ("1.xml", "GOOD")
