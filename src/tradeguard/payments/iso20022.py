"""Read ISO 20022 payment messages safely: pacs.008, pacs.009 (core and COV), pain.001, pacs.004.

The XML is hostile until read. Before lxml sees a byte, a document is refused when it is
larger than ``max_bytes`` (:data:`MAX_MESSAGE_BYTES` by default), is not UTF-8 (or declares
another encoding), or contains ``<!DOCTYPE`` or ``<!ENTITY`` anywhere: payment messages have
no use for a DTD, and refusing one outright rules out external entities (XXE) and entity
expansion ("billion laughs") whatever the parser would have done. The parser is then
configured to resolve no entity, load no DTD, touch no network and keep libxml2's limits
(``huge_tree=False``); a parsed tree that still reports a doctype is refused as well.

Elements are found by local name, never by namespace prefix, so every version from 02 to 13
reads with the same code: where versions differ in element names (``BIC``/``BICFI``,
``BICOrBEI``/``AnyBIC``, ``PrvsInstgAgt``/``PrvsInstgAgt1``, ``FinInstnCdtTrf``/``FICdtTrf``)
both are read. The message type and version come from the namespace of ``Document``.

A file holds one ``Document`` (the root), or several under any wrapper root (an envelope
with a business application header, head.001.001.xx, before each Document), or several XML
documents concatenated, each starting with its ``<?xml ...?>`` declaration. The size limit
applies to each XML document, so a wrapper holding several Documents counts as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from tradeguard.payments.model import (
    MAX_MESSAGE_BYTES,
    ErrorLog,
    FreeText,
    Message,
    MessageRefused,
    PaymentError,
    PaymentParty,
    PostalAddress,
    Transaction,
)

ISO_NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
HEAD_NAMESPACE_PREFIX = ISO_NAMESPACE_PREFIX + "head.001.001."

# Message family -> (names of the element under Document, versions read).
FAMILIES: dict[str, tuple[tuple[str, ...], range]] = {
    "pacs.008": (("FIToFICstmrCdtTrf",), range(2, 14)),
    "pacs.009": (("FICdtTrf", "FinInstnCdtTrf"), range(2, 13)),
    "pain.001": (("CstmrCdtTrfInitn",), range(3, 14)),
    "pacs.004": (("PmtRtr",), range(2, 15)),
}

# Element name -> role. Accounts are not roles: ``<name>Acct`` beside a role element is that
# party's account (DbtrAcct -> debtor, IntrmyAgt1Acct -> intermediary agent 1).
ROLES: dict[str, str] = {
    "UltmtDbtr": "ultimate_debtor",
    "InitgPty": "initiating_party",
    "FwdgAgt": "forwarding_agent",
    "Dbtr": "debtor",
    "DbtrAgt": "debtor_agent",
    "PrvsInstgAgt": "previous_instructing_agent_1",
    "PrvsInstgAgt1": "previous_instructing_agent_1",
    "PrvsInstgAgt2": "previous_instructing_agent_2",
    "PrvsInstgAgt3": "previous_instructing_agent_3",
    "InstgAgt": "instructing_agent",
    "InstdAgt": "instructed_agent",
    "IntrmyAgt1": "intermediary_agent_1",
    "IntrmyAgt2": "intermediary_agent_2",
    "IntrmyAgt3": "intermediary_agent_3",
    "CdtrAgt": "creditor_agent",
    "Cdtr": "creditor",
    "UltmtCdtr": "ultimate_creditor",
}

# Free texts worth screening, relative to a transaction (or to its underlying transfer).
TEXT_PATHS = (
    "RmtInf/Ustrd",
    "RmtInf/Strd/AddtlRmtInf",
    "InstrForCdtrAgt/InstrInf",
    "InstrForNxtAgt/InstrInf",
    "InstrForDbtrAgt",
    "Purp/Prtry",
    "RgltryRptg/Dtls/Inf",
    "RltdRmtInf",
    "RtrRsnInf/AddtlInf",
)

_NAMESPACE_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3})\.001\.(\d{2})")
_DECLARATION_RE = re.compile(rb"<\?xml[ \t\r\n]")
_DECLARED_ENCODING_RE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
_COUNTRY_RE = re.compile(r"[A-Za-z]{2}")
_POSITION_SUFFIX_RE = re.compile(r", line \d+, column \d+$")
_REFUSED_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_NOT_PROVIDED = "NOTPROVIDED"


@dataclass
class _Shared:
    """What every transaction of a message inherits: ids, header parties, message errors."""

    message_id: str
    format: str
    parties: list[PaymentParty]
    errors: list[str]


def parse_iso20022(
    data: bytes, source: str, *, max_bytes: int = MAX_MESSAGE_BYTES, first_index: int = 1
) -> list[Message]:
    """Read every ISO 20022 payment message in ``data``; never raises for bad content.

    Args:
        data: the file's bytes (one XML document, an envelope of several, or concatenated
            XML documents).
        source: the file name, named in every error.
        max_bytes: the largest XML document read; a larger one is refused.
        first_index: the index given to the first message.

    Returns:
        One :class:`Message` per ``Document``; a document that cannot be read gives one
        message with errors and no transactions.

    Example:
        >>> [m.format for m in parse_iso20022(open("pacs008.xml", "rb").read(), "pacs008.xml")]
        ['pacs.008.001.08']
    """
    messages: list[Message] = []
    for chunk in _split_documents(data):
        messages.extend(_read_xml_document(chunk, source, first_index + len(messages), max_bytes))
    return messages


def _split_documents(data: bytes) -> list[bytes]:
    """Cut concatenated XML documents at each ``<?xml`` declaration after the first."""
    starts = [match.start() for match in _DECLARATION_RE.finditer(data)]
    cuts = [start for start in starts if data[:start].strip(b" \t\r\n\xef\xbb\xbf")]
    if not cuts:
        return [data]
    bounds = [0, *cuts, len(data)]
    return [data[begin:end] for begin, end in zip(bounds, bounds[1:], strict=False)]


def _read_xml_document(data: bytes, source: str, index: int, max_bytes: int) -> list[Message]:
    try:
        root = _parse_safely(data, max_bytes)
    except MessageRefused as refused:
        return [_unreadable(source, index, refused.field, refused.problem)]
    parts = _document_parts(root)
    if not parts:
        problem = f"no ISO 20022 Document element (root element <{_local(root)}>)"
        return [_unreadable(source, index, "Document", problem)]
    return [
        _read_document_guarded(document, header, source, index + offset)
        for offset, (header, document) in enumerate(parts)
    ]


def _parse_safely(data: bytes, max_bytes: int = MAX_MESSAGE_BYTES) -> Any:
    """Parse one XML document with every safety check; raises ``MessageRefused`` when refused."""
    if len(data) > max_bytes:
        raise MessageRefused("size", f"{len(data)} bytes, over the limit of {max_bytes} bytes per message")
    _check_utf8(data)
    for marker in _REFUSED_MARKERS:
        if marker in data:
            name = marker.decode()
            raise MessageRefused("DOCTYPE", f"{name} found: document type declarations and entities are refused")
    _check_declared_encoding(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        problem = _POSITION_SUFFIX_RE.sub("", exc.msg or "syntax error")
        raise MessageRefused(f"line {line}, column {column}", f"malformed XML: {problem}") from None
    if root is None:
        raise MessageRefused("line 1, column 1", "malformed XML: no root element")
    if root.getroottree().docinfo.doctype:
        raise MessageRefused("DOCTYPE", "document type declarations are refused")
    return root


def _check_utf8(data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = (
            f"not UTF-8: byte 0x{data[exc.start]:02x} at line {line} (offset {exc.start}); "
            "only UTF-8 is accepted"
        )
        raise MessageRefused("encoding", problem) from None


def _check_declared_encoding(data: bytes) -> None:
    match = _DECLARED_ENCODING_RE.match(data)
    if match is None:
        return
    declared = match.group(1).decode("ascii", "replace")
    if declared.lower() not in _UTF8_NAMES:
        raise MessageRefused("encoding", f"declared encoding {declared!r}; only UTF-8 is accepted")


def _unreadable(source: str, index: int, field: str | None, problem: str) -> Message:
    error = PaymentError(source, index, field, problem)
    return Message(source, index, None, None, transactions=[], errors=[error])


def _document_parts(root: Any) -> list[tuple[Any | None, Any]]:
    """Each top-most Document under ``root`` with the AppHdr just before it (or None)."""
    if _local(root) == "Document":
        return [(None, root)]
    parts: list[tuple[Any | None, Any]] = []
    _collect_parts(root, parts)
    return parts


def _collect_parts(element: Any, parts: list[tuple[Any | None, Any]]) -> None:
    header = None
    for child in _elements(element):
        name = _local(child)
        if name == "AppHdr":
            header = child
        elif name == "Document":
            parts.append((header, child))
            header = None
        else:
            _collect_parts(child, parts)


def _read_document_guarded(document: Any, header: Any | None, source: str, index: int) -> Message:
    """Read one Document; an unexpected failure becomes an error, never an exception."""
    try:
        return _read_document(document, header, source, index)
    except Exception as exc:  # fail closed: a reader bug must not let a payment through
        problem = f"could not be read ({type(exc).__name__}: {exc})"
        return _unreadable(source, index, None, problem)


def _read_document(document: Any, header: Any | None, source: str, index: int) -> Message:
    context = ErrorLog(source, index)
    try:
        family, definition = _message_definition(document)
        body = _message_body(document, family)
        header_parties = _header_parties(header) if header is not None else []
    except MessageRefused as refused:
        return _unreadable(source, index, refused.field, refused.problem)
    shared_errors: list[str] = []
    message_id = _text(body, "GrpHdr/MsgId")
    if message_id is None and header is not None:
        message_id = _text(header, "BizMsgIdr")
    if message_id is None:
        shared_errors.append(context.add("GrpHdr/MsgId", "missing message identification"))
    shared = _Shared(message_id or "", definition, header_parties, shared_errors)
    group_header = _child(body, "GrpHdr")
    if group_header is not None:
        shared.parties += _parties_of(group_header, "GrpHdr", "GrpHdr", shared.errors, context)
    transactions = _FAMILY_READERS[family](body, shared, context)
    return Message(source, index, message_id, definition, transactions, context.errors)


def _message_definition(document: Any) -> tuple[str, str]:
    namespace = etree.QName(document).namespace or ""
    if not namespace:
        raise MessageRefused("Document", "Document has no namespace: the message type cannot be told")
    match = _NAMESPACE_RE.fullmatch(namespace)
    if match is None or match.group(1) not in FAMILIES:
        raise MessageRefused("Document", f"unsupported message type: namespace {namespace!r}")
    family, version = match.group(1), int(match.group(2))
    if version not in FAMILIES[family][1]:
        raise MessageRefused("Document", f"unsupported version of {family}: namespace {namespace!r}")
    return family, f"{family}.001.{match.group(2)}"


def _message_body(document: Any, family: str) -> Any:
    names = FAMILIES[family][0]
    for child in _elements(document):
        if _local(child) in names:
            return child
    raise MessageRefused(f"Document/{names[0]}", f"missing {names[0]}: not a {family} message")


def _header_parties(header: Any) -> list[PaymentParty]:
    """The sender and receiver named by a business application header (head.001)."""
    namespace = etree.QName(header).namespace or ""
    if not namespace.startswith(HEAD_NAMESPACE_PREFIX):
        raise MessageRefused("AppHdr", f"unsupported application header: namespace {namespace!r}")
    parties = []
    for name, role in (("Fr", "sender"), ("To", "receiver")):
        element = _child(header, name)
        if element is None:
            continue
        institution = _child(element, "FIId")
        organisation = _child(element, "OrgId")
        path = f"AppHdr/{name}"
        if institution is not None:
            parties.append(replace(_read_agent(institution, role, path), path=path))
        elif organisation is not None:
            parties.append(_read_party(organisation, role, path))
    return parties


# ---------------------------------------------------------------------------------------------
# Message families


def _read_interbank_transfers(body: Any, shared: _Shared, context: ErrorLog) -> list[Transaction]:
    """pacs.008 and pacs.009: one transaction per CdtTrfTxInf (COV: with its underlying)."""
    elements = _children(body, "CdtTrfTxInf")
    if not elements:
        context.add("CdtTrfTxInf", "no transaction in the message")
        return []
    transactions = []
    for number, element in enumerate(elements, 1):
        where = f"CdtTrfTxInf[{number}]"
        errors = list(shared.errors)
        parties = [*shared.parties, *_parties_of(element, "CdtTrfTxInf", where, errors, context)]
        texts = _texts_of(element, "CdtTrfTxInf")
        _require(element, where, ("Dbtr", "Cdtr"), errors, context)
        underlying = _child(element, "UndrlygCstmrCdtTrf")
        if underlying is not None:
            path, under_where = "CdtTrfTxInf/UndrlygCstmrCdtTrf", f"{where}/UndrlygCstmrCdtTrf"
            parties += _parties_of(underlying, path, under_where, errors, context)
            texts += _texts_of(underlying, path)
            _require(underlying, under_where, ("Dbtr", "Cdtr"), errors, context)
        ids = _child(element, "PmtId")
        transaction_id = _first_id(ids, ("EndToEndId", "TxId", "UETR", "InstrId"))
        if transaction_id is None:
            problem = "no transaction identification (EndToEndId, TxId, UETR or InstrId)"
            errors.append(context.add(f"{where}/PmtId", problem))
        amount, currency = _amount(element, ("IntrBkSttlmAmt", "InstdAmt"))
        transactions.append(
            Transaction(
                shared.message_id, transaction_id or "", shared.format, amount, currency,
                parties, texts, errors, uetr=_text(ids, "UETR"),
            )
        )
    return transactions


def _read_initiations(body: Any, shared: _Shared, context: ErrorLog) -> list[Transaction]:
    """pain.001: one transaction per CdtTrfTxInf, with the debtor side of its PmtInf."""
    payment_infos = _children(body, "PmtInf")
    if not payment_infos:
        context.add("PmtInf", "no payment information in the message")
        return []
    transactions = []
    for info_number, payment_info in enumerate(payment_infos, 1):
        info_where = f"PmtInf[{info_number}]"
        info_errors = list(shared.errors)
        info_parties = _parties_of(payment_info, "PmtInf", info_where, info_errors, context)
        _require(payment_info, info_where, ("Dbtr",), info_errors, context)
        info_texts = _texts_of(payment_info, "PmtInf")
        elements = _children(payment_info, "CdtTrfTxInf")
        if not elements:
            context.add(f"{info_where}/CdtTrfTxInf", "no transaction in the payment information")
        for number, element in enumerate(elements, 1):
            where = f"{info_where}/CdtTrfTxInf[{number}]"
            errors = list(info_errors)
            own = _parties_of(element, "CdtTrfTxInf", where, errors, context)
            _require(element, where, ("Cdtr",), errors, context)
            ids = _child(element, "PmtId")
            transaction_id = _first_id(ids, ("EndToEndId", "UETR", "InstrId"))
            if transaction_id is None:
                errors.append(context.add(f"{where}/PmtId", "no EndToEndId"))
            amount, currency = _amount(element, ("Amt/InstdAmt", "Amt/EqvtAmt/Amt"))
            transactions.append(
                Transaction(
                    shared.message_id, transaction_id or "", shared.format, amount, currency,
                    [*shared.parties, *info_parties, *own],
                    [*info_texts, *_texts_of(element, "CdtTrfTxInf")],
                    errors, uetr=_text(ids, "UETR"),
                )
            )
    return transactions


def _read_returns(body: Any, shared: _Shared, context: ErrorLog) -> list[Transaction]:
    """pacs.004: one transaction per TxInf; parties from the return chain and the original."""
    elements = _children(body, "TxInf")
    if not elements:
        context.add("TxInf", "no returned transaction in the message (group returns are not read)")
        return []
    transactions = []
    for number, element in enumerate(elements, 1):
        where = f"TxInf[{number}]"
        errors = list(shared.errors)
        parties = [*shared.parties, *_parties_of(element, "TxInf", where, errors, context)]
        texts = _texts_of(element, "TxInf")
        for part in ("RtrChain", "OrgnlTxRef", "OrgnlTxRef/UndrlygCstmrCdtTrf"):
            for container in _find_all(element, part):
                path = f"TxInf/{part}"
                parties += _parties_of(container, path, f"{where}/{part}", errors, context)
                texts += _texts_of(container, path)
        roles = {party.role for party in parties}
        for role, names in (("debtor", "RtrChain/Dbtr"), ("creditor", "RtrChain/Cdtr")):
            if role not in roles:
                problem = f"missing {role} (neither RtrChain nor OrgnlTxRef names one)"
                errors.append(context.add(f"{where}/{names}", problem))
        ids = ("OrgnlEndToEndId", "RtrId", "OrgnlTxId", "OrgnlUETR", "OrgnlInstrId")
        transaction_id = _first_id(element, ids)
        if transaction_id is None:
            errors.append(context.add(f"{where}/OrgnlEndToEndId", "no transaction identification"))
        amount, currency = _amount(element, ("RtrdIntrBkSttlmAmt", "RtrdInstdAmt"))
        transactions.append(
            Transaction(
                shared.message_id, transaction_id or "", shared.format, amount, currency,
                parties, texts, errors, uetr=_text(element, "OrgnlUETR"),
            )
        )
    return transactions


_FAMILY_READERS = {
    "pacs.008": _read_interbank_transfers,
    "pacs.009": _read_interbank_transfers,
    "pain.001": _read_initiations,
    "pacs.004": _read_returns,
}


def _require(
    element: Any, where: str, names: Iterable[str], errors: list[str], context: ErrorLog
) -> None:
    for name in names:
        if _child(element, name) is None:
            errors.append(context.add(f"{where}/{name}", f"missing {ROLES[name]}"))


def _first_id(element: Any | None, names: Iterable[str]) -> str | None:
    """The first identification given, preferring any to the placeholder NOTPROVIDED."""
    values = [value for value in (_text(element, name) for name in names) if value]
    real = [value for value in values if value.upper() != _NOT_PROVIDED]
    chosen = real or values
    return chosen[0] if chosen else None


def _amount(element: Any, paths: Iterable[str]) -> tuple[str | None, str | None]:
    for path in paths:
        amount = _find(element, path)
        if amount is not None and (amount.text or "").strip():
            return amount.text.strip(), amount.get("Ccy")
    return None, None


# ---------------------------------------------------------------------------------------------
# Parties


def _parties_of(
    parent: Any, path: str, where: str, errors: list[str], context: ErrorLog
) -> list[PaymentParty]:
    """Every party and agent directly under ``parent``, with its account when given."""
    parties = []
    for child in _elements(parent):
        name = _local(child)
        role = ROLES.get(name)
        if role is None:
            continue
        party = _read_role(child, role, f"{path}/{name}")
        account = _account(_child(parent, f"{name}Acct"))
        if account:
            party = replace(party, account=account)
        if party.is_empty():
            problem = f"{role} has no name, BIC, identifier or account"
            errors.append(context.add(f"{where}/{name}", problem))
        parties.append(party)
    return parties


def _read_role(element: Any, role: str, path: str) -> PaymentParty:
    """A role element: a party, an agent, or a choice of either (``Pty``/``Agt``)."""
    party = _child(element, "Pty")
    if party is not None:
        return _read_party(party, role, f"{path}/Pty")
    agent = _child(element, "Agt")
    if agent is not None:
        return _read_agent(agent, role, f"{path}/Agt")
    if _child(element, "FinInstnId") is not None:
        return _read_agent(element, role, path)
    return _read_party(element, role, path)


def _read_party(element: Any, role: str, path: str) -> PaymentParty:
    address = _address(_child(element, "PstlAdr"))
    organisation = _find(element, "Id/OrgId")
    person = _find(element, "Id/PrvtId")
    bic = lei = None
    identifiers: list[tuple[str, str]] = []
    if organisation is not None:
        bic = _first_text(organisation, ("AnyBIC", "BICOrBEI", "BIC"))
        lei = _text(organisation, "LEI")
        identifiers += _generic_ids(organisation, "org_id")
    if person is not None:
        identifiers += _birth(person)
        identifiers += _generic_ids(person, "private_id")
    if person is not None:
        schema = "Person"
    elif organisation is not None:
        schema = "Organization"
    else:
        schema = "LegalEntity"
    residence = _country_code(_text(element, "CtryOfRes"))
    return PaymentParty(
        role, path, "party", schema,
        name=_text(element, "Nm"), address=address, bic=bic, lei=lei,
        identifiers=tuple(identifiers), account=None,
        country=residence or (address.country if address else None),
    )


def _read_agent(element: Any, role: str, path: str) -> PaymentParty:
    institution = _child(element, "FinInstnId")
    path = f"{path}/FinInstnId"
    if institution is None:
        return PaymentParty(role, path, "agent", "Organization")
    identifiers: list[tuple[str, str]] = []
    member = _text(institution, "ClrSysMmbId/MmbId")
    if member:
        identifiers.append(("clearing_system", member))
        system = _text(institution, "ClrSysMmbId/ClrSysId/Cd") or _text(
            institution, "ClrSysMmbId/ClrSysId/Prtry"
        )
        if system:
            identifiers.append(("clearing_system_id", system))
    identifiers += _generic_ids(institution, "fi_id")
    address = _address(_child(institution, "PstlAdr"))
    return PaymentParty(
        role, path, "agent", "Organization",
        name=_text(institution, "Nm"), address=address,
        bic=_first_text(institution, ("BICFI", "BIC")), lei=_text(institution, "LEI"),
        identifiers=tuple(identifiers), account=None,
        country=address.country if address else None,
    )


def _generic_ids(element: Any, kind: str) -> list[tuple[str, str]]:
    """``Othr`` identifications: (``kind:scheme``, id), the scheme a code or a proprietary name."""
    identifiers = []
    for other in _children(element, "Othr"):
        value = _text(other, "Id")
        if not value:
            continue
        scheme = _text(other, "SchmeNm/Cd") or _text(other, "SchmeNm/Prtry")
        identifiers.append((f"{kind}:{scheme}" if scheme else kind, value))
    return identifiers


def _birth(person: Any) -> list[tuple[str, str]]:
    birth = _child(person, "DtAndPlcOfBirth")
    if birth is None:
        return []
    identifiers = []
    date = _text(birth, "BirthDt")
    if date:
        identifiers.append(("birth_date", date))
    place = [_text(birth, name) for name in ("CityOfBirth", "PrvcOfBirth", "CtryOfBirth")]
    if any(place):
        identifiers.append(("birth_place", ", ".join(part for part in place if part)))
    return identifiers


def _address(element: Any | None) -> PostalAddress | None:
    """A PstlAdr of any version: TwnNm and a valid Ctry code apart, the rest as lines."""
    if element is None:
        return None
    town = country = None
    lines = []
    for child in _elements(element):
        name = _local(child)
        text = (child.text or "").strip()
        if name == "AdrTp" or not text:
            continue
        if name == "TwnNm" and town is None:
            town = text
        elif name == "Ctry" and country is None and _country_code(text):
            country = text.upper()
        else:
            lines.append(text)
    if town is None and country is None and not lines:
        return None
    return PostalAddress(town=town, country=country, lines=tuple(lines))


def _account(element: Any | None) -> str | None:
    return _text(element, "Id/IBAN") or _text(element, "Id/Othr/Id")


def _country_code(text: str | None) -> str | None:
    if text and _COUNTRY_RE.fullmatch(text.strip()):
        return text.strip().upper()
    return None


# ---------------------------------------------------------------------------------------------
# Free texts


def _texts_of(element: Any, prefix: str) -> list[FreeText]:
    texts = []
    for relative in TEXT_PATHS:
        for found in _find_all(element, relative):
            text = _all_text(found)
            if text:
                texts.append(FreeText(f"{prefix}/{relative}", text))
    return texts


def _all_text(element: Any) -> str:
    """Every text inside ``element`` (itself a leaf, or a structure like RltdRmtInf)."""
    parts = [(node.text or "").strip() for node in element.iter() if isinstance(node.tag, str)]
    return "\n".join(part for part in parts if part)


# ---------------------------------------------------------------------------------------------
# Element helpers: local names only, so any namespace and any version read alike.


def _local(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _elements(element: Any) -> list[Any]:
    return [child for child in element if isinstance(child.tag, str)]


def _child(element: Any | None, name: str) -> Any | None:
    if element is None:
        return None
    return next(element.iterchildren(f"{{*}}{name}"), None)  # lxml: any namespace or none


def _children(element: Any, name: str) -> list[Any]:
    return list(element.iterchildren(f"{{*}}{name}"))


def _find(element: Any | None, path: str) -> Any | None:
    for name in path.split("/"):
        element = _child(element, name)
        if element is None:
            return None
    return element


def _find_all(element: Any, path: str) -> list[Any]:
    found = [element]
    for name in path.split("/"):
        found = [child for parent in found for child in _children(parent, name)]
    return found


def _text(element: Any | None, path: str) -> str | None:
    found = _find(element, path)
    if found is None:
        return None
    text = (found.text or "").strip()
    return text or None


def _first_text(element: Any, names: Iterable[str]) -> str | None:
    for name in names:
        text = _text(element, name)
        if text:
            return text
    return None
