"""Build payment messages for tests and demos: ISO 20022 XML and SWIFT MT text.

Inputs are plain dataclasses: :class:`PartySpec` for a party or an agent, :class:`TxSpec`
for a payment, :class:`ReturnSpec` for a pacs.004 return, :class:`AppHdrSpec` for a business
application header. The XML builders return the ``Document`` element (lxml), which
:func:`to_xml` serialises and :func:`envelope` wraps with application headers; the MT builders
return the message text.

Messages built: pacs.008.001.08, pacs.009.001.08 (core and COV), pain.001.001.09 (one PmtInf
per run of transactions sharing a debtor and debtor agent), pacs.004.001.09, head.001.001.02
headers, MT103 (with STP / REMIT variants), MT202 and MT202 COV. Elements are written in the
order their XSD sequences require, and only elements that exist in that version are written
(a field the message type has no place for raises ``ValueError`` rather than being dropped).

Schema check: the official XSDs are not shipped with tradeguard. Of the well-kept packages
on PyPI, ``sepaxml`` (a dev dependency) ships the official pain.001.001.09 XSD, and the tests
validate the built pain.001 against it. No well-kept package ships pacs.008.001.08,
pacs.009.001.08, pacs.004.001.09 or head.001.001.02 (``pacs008`` has pacs.008 but is a
pre-1.0 single-maintainer package pulling in a web stack): those messages are checked by
round-tripping every field through the reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from lxml import etree

NAMESPACES = {
    "pacs.008": "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08",
    "pacs.009": "urn:iso:std:iso:20022:tech:xsd:pacs.009.001.08",
    "pain.001": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09",
    "pacs.004": "urn:iso:std:iso:20022:tech:xsd:pacs.004.001.09",
    "head.001": "urn:iso:std:iso:20022:tech:xsd:head.001.001.02",
}
DEFAULT_CREATED = "2024-01-15T10:00:00"
DEFAULT_DATE = "2024-01-15"
MT_LINE_LENGTH = 35


@dataclass(frozen=True)
class PartySpec:
    """A party or an agent. Which fields are written depends on where it is used.

    ``private=True`` writes a private identification (``PrvtId``: the birth date, place and
    ``private_id``); otherwise ``org_id`` (and ``bic`` / ``lei`` for a party) make an
    ``OrgId``. ``iban`` (or ``account`` when there is no IBAN) is the party's account.
    """

    name: str | None = None
    country: str | None = None
    town: str | None = None
    address_lines: tuple[str, ...] = ()
    bic: str | None = None
    lei: str | None = None
    iban: str | None = None
    org_id: str | None = None
    private: bool = False
    birth_date: str | None = None  # YYYY-MM-DD
    street: str | None = None
    building_number: str | None = None
    postcode: str | None = None
    residence_country: str | None = None
    org_id_scheme: str | None = None  # an ExternalOrganisationIdentification1Code, e.g. TXID
    private_id: str | None = None
    private_id_scheme: str | None = None  # an ExternalPersonIdentification1Code, e.g. CCPT
    birth_city: str | None = None
    birth_country: str | None = None
    clearing_member: str | None = None
    clearing_system: str | None = None  # an ExternalClearingSystemIdentification1Code
    account: str | None = None  # an account number other than an IBAN

    @property
    def account_id(self) -> str | None:
        return self.iban or self.account

    def has_address(self) -> bool:
        return bool(
            self.street or self.building_number or self.postcode or self.town or self.country
            or self.address_lines
        )


@dataclass(frozen=True)
class TxSpec:
    """One payment. For pacs.009 and MT202 the debtor and creditor are institutions and
    ``underlying`` (when given) is the customer transfer it covers (COV)."""

    end_to_end_id: str
    amount: str
    currency: str
    debtor: PartySpec
    creditor: PartySpec
    debtor_agent: PartySpec | None = None
    creditor_agent: PartySpec | None = None
    intermediaries: tuple[PartySpec, ...] = ()
    ultimate_debtor: PartySpec | None = None
    ultimate_creditor: PartySpec | None = None
    remittance: tuple[str, ...] = ()
    instructions_for_next_agent: tuple[str, ...] = ()
    purpose: str | None = None
    regulatory: str | None = None
    instructions_for_creditor_agent: tuple[str, ...] = ()
    additional_remittance: tuple[str, ...] = ()
    initiating_party: PartySpec | None = None
    previous_instructing_agents: tuple[PartySpec, ...] = ()
    instructing_agent: PartySpec | None = None
    instructed_agent: PartySpec | None = None
    instruction_id: str | None = None
    uetr: str | None = None
    underlying: TxSpec | None = None


@dataclass(frozen=True)
class ReturnSpec:
    """A pacs.004 return of ``original``.

    The return chain names the parties of the return itself, so its roles are those of the
    original payment reversed (the return's debtor is the original creditor); the original
    transaction reference names them as in the original.
    """

    return_id: str
    original: TxSpec
    reason_code: str = "AC04"
    additional_info: tuple[str, ...] = ()
    original_message_id: str = "ORIGINAL-MSG-1"
    original_message_type: str = "pacs.008.001.08"


@dataclass(frozen=True)
class AppHdrSpec:
    """A business application header (head.001.001.02) naming the sender and receiver."""

    sender_bic: str
    receiver_bic: str
    business_message_id: str
    created: str = "2024-01-15T10:00:00Z"


# ---------------------------------------------------------------------------------------------
# XML writing


class _Xml:
    """Elements of one namespace, the default namespace of the document."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def root(self, name: str) -> Any:
        return etree.Element(f"{{{self.namespace}}}{name}", nsmap={None: self.namespace})

    def add(self, parent: Any, name: str, text: str | None = None, **attributes: str) -> Any:
        element = etree.SubElement(parent, f"{{{self.namespace}}}{name}", attributes)
        if text is not None:
            element.text = text
        return element

    def path(self, parent: Any, path: str, text: str) -> Any:
        """Add the elements of ``A/B/C`` under ``parent``, ``text`` in the last one."""
        names = path.split("/")
        for name in names[:-1]:
            parent = self.add(parent, name)
        return self.add(parent, names[-1], text)


def to_xml(element: Any) -> bytes:
    """The element as a UTF-8 XML document with its declaration."""
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _address(x: _Xml, parent: Any, spec: PartySpec) -> None:
    if not spec.has_address():
        return
    address = x.add(parent, "PstlAdr")
    for name, value in (
        ("StrtNm", spec.street), ("BldgNb", spec.building_number), ("PstCd", spec.postcode),
        ("TwnNm", spec.town), ("Ctry", spec.country),
    ):
        if value:
            x.add(address, name, value)
    for line in spec.address_lines:
        x.add(address, "AdrLine", line)


def _party(x: _Xml, parent: Any, name: str, spec: PartySpec) -> Any:
    """A PartyIdentification135: Nm, PstlAdr, Id (OrgId or PrvtId), CtryOfRes."""
    element = x.add(parent, name)
    if spec.name:
        x.add(element, "Nm", spec.name)
    _address(x, element, spec)
    if spec.private:
        _private_id(x, x.add(element, "Id"), spec)
    elif spec.bic or spec.lei or spec.org_id:
        organisation = x.add(x.add(element, "Id"), "OrgId")
        if spec.bic:
            x.add(organisation, "AnyBIC", spec.bic)
        if spec.lei:
            x.add(organisation, "LEI", spec.lei)
        if spec.org_id:
            _other_id(x, organisation, spec.org_id, spec.org_id_scheme)
    if spec.residence_country:
        x.add(element, "CtryOfRes", spec.residence_country)
    return element


def _private_id(x: _Xml, identification: Any, spec: PartySpec) -> None:
    person = x.add(identification, "PrvtId")
    if spec.birth_date:
        city = spec.birth_city or spec.town
        country = spec.birth_country or spec.country
        if not (city and country):
            raise ValueError(f"{spec.name}: a birth date needs a birth city and country")
        birth = x.add(person, "DtAndPlcOfBirth")
        x.add(birth, "BirthDt", spec.birth_date)
        x.add(birth, "CityOfBirth", city)
        x.add(birth, "CtryOfBirth", country)
    if spec.private_id:
        _other_id(x, person, spec.private_id, spec.private_id_scheme)
    if not (spec.birth_date or spec.private_id):
        raise ValueError(f"{spec.name}: a private person needs a birth date or a private id")


def _other_id(x: _Xml, parent: Any, value: str, scheme: str | None) -> None:
    other = x.add(parent, "Othr")
    x.add(other, "Id", value)
    if scheme:
        x.path(other, "SchmeNm/Cd", scheme)


def _agent(x: _Xml, parent: Any, name: str, spec: PartySpec) -> Any:
    """A BranchAndFinancialInstitutionIdentification6: FinInstnId (BICFI, ClrSysMmbId, LEI, Nm,
    PstlAdr)."""
    element = x.add(parent, name)
    institution = x.add(element, "FinInstnId")
    if spec.bic:
        x.add(institution, "BICFI", spec.bic)
    if spec.clearing_member:
        member = x.add(institution, "ClrSysMmbId")
        if spec.clearing_system:
            x.path(member, "ClrSysId/Cd", spec.clearing_system)
        x.add(member, "MmbId", spec.clearing_member)
    if spec.lei:
        x.add(institution, "LEI", spec.lei)
    if spec.name:
        x.add(institution, "Nm", spec.name)
    _address(x, institution, spec)
    return element


def _account(x: _Xml, parent: Any, name: str, spec: PartySpec | None) -> None:
    """A CashAccount38 with the IBAN, or the other account number, when the spec has one."""
    if spec is None or not spec.account_id:
        return
    identification = x.add(x.add(parent, name), "Id")
    if spec.iban:
        x.add(identification, "IBAN", spec.iban)
    else:
        x.path(identification, "Othr/Id", spec.account_id)


def _optional_agent(x: _Xml, parent: Any, name: str, spec: PartySpec | None) -> None:
    if spec is not None:
        _agent(x, parent, name, spec)


def _optional_party(x: _Xml, parent: Any, name: str, spec: PartySpec | None) -> None:
    if spec is not None:
        _party(x, parent, name, spec)


def _agent_with_account(x: _Xml, parent: Any, name: str, spec: PartySpec | None) -> None:
    if spec is not None:
        _agent(x, parent, name, spec)
        _account(x, parent, f"{name}Acct", spec)


def _party_with_account(x: _Xml, parent: Any, name: str, spec: PartySpec | None) -> None:
    if spec is not None:
        _party(x, parent, name, spec)
        _account(x, parent, f"{name}Acct", spec)


def _numbered_agents(
    x: _Xml, parent: Any, stem: str, specs: Sequence[PartySpec], with_accounts: bool = True
) -> None:
    if len(specs) > 3:
        raise ValueError(f"at most 3 {stem} agents, got {len(specs)}")
    for number, spec in enumerate(specs, 1):
        if with_accounts:
            _agent_with_account(x, parent, f"{stem}{number}", spec)
        else:
            _agent(x, parent, f"{stem}{number}", spec)


def _required(spec: PartySpec | None, what: str) -> PartySpec:
    if spec is None:
        raise ValueError(f"{what} is mandatory in this message")
    return spec


def _refuse(message: str, **fields: object) -> None:
    given = [name for name, value in fields.items() if value]
    if given:
        raise ValueError(f"{message} has no place for {', '.join(given)}")


def _payment_id(x: _Xml, parent: Any, tx: TxSpec, with_tx_id: bool = False) -> None:
    ids = x.add(parent, "PmtId")
    if tx.instruction_id:
        x.add(ids, "InstrId", tx.instruction_id)
    x.add(ids, "EndToEndId", tx.end_to_end_id)
    if with_tx_id:
        x.add(ids, "TxId", tx.end_to_end_id)
    if tx.uetr:
        x.add(ids, "UETR", tx.uetr)


def _instructions(x: _Xml, parent: Any, name: str, texts: Sequence[str]) -> None:
    for text in texts:
        x.add(x.add(parent, name), "InstrInf", text)


def _purpose(x: _Xml, parent: Any, purpose: str | None) -> None:
    if purpose:
        x.path(parent, "Purp/Prtry", purpose)


def _regulatory(x: _Xml, parent: Any, regulatory: str | None) -> None:
    if regulatory:
        x.path(parent, "RgltryRptg/Dtls/Inf", regulatory)


def _remittance(x: _Xml, parent: Any, lines: Sequence[str], additional: Sequence[str] = ()) -> None:
    """A RemittanceInformation16: Ustrd lines, then one Strd with the AddtlRmtInf lines."""
    if not lines and not additional:
        return
    remittance = x.add(parent, "RmtInf")
    for line in lines:
        x.add(remittance, "Ustrd", line)
    if additional:
        structured = x.add(remittance, "Strd")
        for line in additional:
            x.add(structured, "AddtlRmtInf", line)


def _group_header(
    x: _Xml, body: Any, message_id: str, count: int, created: str,
    instructing_agent: PartySpec | None, instructed_agent: PartySpec | None,
) -> None:
    """A GroupHeader93 (pacs.008 / pacs.009) or GroupHeader90 (pacs.004)."""
    header = x.add(body, "GrpHdr")
    x.add(header, "MsgId", message_id)
    x.add(header, "CreDtTm", created)
    x.add(header, "NbOfTxs", str(count))
    x.path(header, "SttlmInf/SttlmMtd", "INDA")
    if instructing_agent is not None:
        _agent(x, header, "InstgAgt", instructing_agent)
    if instructed_agent is not None:
        _agent(x, header, "InstdAgt", instructed_agent)


# ---------------------------------------------------------------------------------------------
# pacs.008.001.08


def pacs008(
    message_id: str,
    transactions: Sequence[TxSpec],
    *,
    instructing_agent: PartySpec | None = None,
    instructed_agent: PartySpec | None = None,
    created: str = DEFAULT_CREATED,
    settlement_date: str = DEFAULT_DATE,
) -> Any:
    """A pacs.008.001.08 FI to FI customer credit transfer, one CdtTrfTxInf per transaction.

    Example:
        >>> to_xml(pacs008("MSG-1", [TxSpec("E2E-1", "100.00", "EUR", alice, bob, bank_a, bank_b)]))
    """
    x = _Xml(NAMESPACES["pacs.008"])
    document = x.root("Document")
    body = x.add(document, "FIToFICstmrCdtTrf")
    _group_header(x, body, message_id, len(transactions), created, instructing_agent, instructed_agent)
    for tx in transactions:
        _customer_transfer(x, body, tx, settlement_date)
    return document


def _customer_transfer(x: _Xml, body: Any, tx: TxSpec, settlement_date: str) -> None:
    """A CreditTransferTransaction39, in XSD order."""
    _refuse("pacs.008 (use pacs.009)", underlying=tx.underlying)
    element = x.add(body, "CdtTrfTxInf")
    _payment_id(x, element, tx)
    x.add(element, "IntrBkSttlmAmt", tx.amount, Ccy=tx.currency)
    x.add(element, "IntrBkSttlmDt", settlement_date)
    x.add(element, "ChrgBr", "SHAR")
    _numbered_agents(x, element, "PrvsInstgAgt", tx.previous_instructing_agents)
    _agent_with_account(x, element, "InstgAgt", tx.instructing_agent)
    _agent_with_account(x, element, "InstdAgt", tx.instructed_agent)
    _numbered_agents(x, element, "IntrmyAgt", tx.intermediaries)
    _party_with_account(x, element, "UltmtDbtr", tx.ultimate_debtor)
    _party_with_account(x, element, "InitgPty", tx.initiating_party)
    _party_with_account(x, element, "Dbtr", tx.debtor)
    _agent_with_account(x, element, "DbtrAgt", _required(tx.debtor_agent, "the debtor agent"))
    _agent_with_account(x, element, "CdtrAgt", _required(tx.creditor_agent, "the creditor agent"))
    _party_with_account(x, element, "Cdtr", tx.creditor)
    _party_with_account(x, element, "UltmtCdtr", tx.ultimate_creditor)
    _instructions(x, element, "InstrForCdtrAgt", tx.instructions_for_creditor_agent)
    _instructions(x, element, "InstrForNxtAgt", tx.instructions_for_next_agent)
    _purpose(x, element, tx.purpose)
    _regulatory(x, element, tx.regulatory)
    _remittance(x, element, tx.remittance, tx.additional_remittance)


# ---------------------------------------------------------------------------------------------
# pacs.009.001.08


def pacs009(
    message_id: str,
    transactions: Sequence[TxSpec],
    *,
    instructing_agent: PartySpec | None = None,
    instructed_agent: PartySpec | None = None,
    created: str = DEFAULT_CREATED,
    settlement_date: str = DEFAULT_DATE,
) -> Any:
    """A pacs.009.001.08 FI credit transfer; a transaction with ``underlying`` is a COV.

    The debtor, creditor and ultimate parties of each transaction are institutions.
    """
    x = _Xml(NAMESPACES["pacs.009"])
    document = x.root("Document")
    body = x.add(document, "FICdtTrf")
    _group_header(x, body, message_id, len(transactions), created, instructing_agent, instructed_agent)
    for tx in transactions:
        _institution_transfer(x, body, tx, settlement_date)
    return document


def _institution_transfer(x: _Xml, body: Any, tx: TxSpec, settlement_date: str) -> None:
    """A CreditTransferTransaction36, in XSD order."""
    _refuse(
        "pacs.009", regulatory=tx.regulatory, additional_remittance=tx.additional_remittance,
        initiating_party=tx.initiating_party,
    )
    element = x.add(body, "CdtTrfTxInf")
    _payment_id(x, element, tx)
    x.add(element, "IntrBkSttlmAmt", tx.amount, Ccy=tx.currency)
    x.add(element, "IntrBkSttlmDt", settlement_date)
    _numbered_agents(x, element, "PrvsInstgAgt", tx.previous_instructing_agents)
    _optional_agent(x, element, "InstgAgt", tx.instructing_agent)
    _optional_agent(x, element, "InstdAgt", tx.instructed_agent)
    _numbered_agents(x, element, "IntrmyAgt", tx.intermediaries)
    _agent_with_account(x, element, "UltmtDbtr", tx.ultimate_debtor)
    _agent_with_account(x, element, "Dbtr", tx.debtor)
    _agent_with_account(x, element, "DbtrAgt", tx.debtor_agent)
    _agent_with_account(x, element, "CdtrAgt", tx.creditor_agent)
    _agent_with_account(x, element, "Cdtr", tx.creditor)
    _agent_with_account(x, element, "UltmtCdtr", tx.ultimate_creditor)
    _instructions(x, element, "InstrForCdtrAgt", tx.instructions_for_creditor_agent)
    _instructions(x, element, "InstrForNxtAgt", tx.instructions_for_next_agent)
    _purpose(x, element, tx.purpose)
    if tx.remittance:
        remittance = x.add(element, "RmtInf")  # a RemittanceInformation2: Ustrd only
        for line in tx.remittance:
            x.add(remittance, "Ustrd", line)
    if tx.underlying is not None:
        _underlying_transfer(x, element, tx.underlying)


def _underlying_transfer(x: _Xml, parent: Any, tx: TxSpec) -> None:
    """A CreditTransferTransaction37 (the customer transfer a COV covers), in XSD order."""
    _refuse("the underlying transfer of a pacs.009 COV", purpose=tx.purpose, regulatory=tx.regulatory)
    element = x.add(parent, "UndrlygCstmrCdtTrf")
    _optional_party(x, element, "UltmtDbtr", tx.ultimate_debtor)
    _optional_party(x, element, "InitgPty", tx.initiating_party)
    _party_with_account(x, element, "Dbtr", tx.debtor)
    _agent_with_account(x, element, "DbtrAgt", _required(tx.debtor_agent, "the debtor agent"))
    _numbered_agents(x, element, "PrvsInstgAgt", tx.previous_instructing_agents)
    _numbered_agents(x, element, "IntrmyAgt", tx.intermediaries)
    _agent_with_account(x, element, "CdtrAgt", _required(tx.creditor_agent, "the creditor agent"))
    _party_with_account(x, element, "Cdtr", tx.creditor)
    _optional_party(x, element, "UltmtCdtr", tx.ultimate_creditor)
    _instructions(x, element, "InstrForCdtrAgt", tx.instructions_for_creditor_agent)
    _instructions(x, element, "InstrForNxtAgt", tx.instructions_for_next_agent)
    _remittance(x, element, tx.remittance, tx.additional_remittance)
    x.add(element, "InstdAmt", tx.amount, Ccy=tx.currency)


# ---------------------------------------------------------------------------------------------
# pain.001.001.09


def pain001(
    message_id: str,
    transactions: Sequence[TxSpec],
    *,
    initiating_party: PartySpec,
    created: str = DEFAULT_CREATED,
    execution_date: str = DEFAULT_DATE,
) -> Any:
    """A pain.001.001.09 customer credit transfer initiation.

    Consecutive transactions with the same debtor and debtor agent share one PmtInf
    (``<message_id>-<n>``); the debtor needs an account and a debtor agent.
    """
    x = _Xml(NAMESPACES["pain.001"])
    document = x.root("Document")
    body = x.add(document, "CstmrCdtTrfInitn")
    header = x.add(body, "GrpHdr")
    x.add(header, "MsgId", message_id)
    x.add(header, "CreDtTm", created)
    x.add(header, "NbOfTxs", str(len(transactions)))
    _party(x, header, "InitgPty", initiating_party)
    groups = groupby(transactions, key=lambda tx: (tx.debtor, tx.debtor_agent))
    for number, ((debtor, debtor_agent), group) in enumerate(groups, 1):
        _payment_info(x, body, f"{message_id}-{number}", debtor, debtor_agent, list(group), execution_date)
    return document


def _payment_info(
    x: _Xml, body: Any, info_id: str, debtor: PartySpec, debtor_agent: PartySpec | None,
    transactions: list[TxSpec], execution_date: str,
) -> None:
    """A PaymentInstruction30, in XSD order."""
    if not debtor.account_id:
        raise ValueError("pain.001: the debtor needs an IBAN or an account")
    element = x.add(body, "PmtInf")
    x.add(element, "PmtInfId", info_id)
    x.add(element, "PmtMtd", "TRF")
    x.add(element, "NbOfTxs", str(len(transactions)))
    x.path(element, "ReqdExctnDt/Dt", execution_date)
    _party_with_account(x, element, "Dbtr", debtor)
    _agent_with_account(x, element, "DbtrAgt", _required(debtor_agent, "the debtor agent"))
    for tx in transactions:
        _initiation_transfer(x, element, tx)


def _initiation_transfer(x: _Xml, parent: Any, tx: TxSpec) -> None:
    """A CreditTransferTransaction34, in XSD order."""
    _refuse(
        "pain.001", instructions_for_next_agent=tx.instructions_for_next_agent,
        previous_instructing_agents=tx.previous_instructing_agents, underlying=tx.underlying,
        initiating_party=tx.initiating_party, instructing_agent=tx.instructing_agent,
        instructed_agent=tx.instructed_agent,
    )
    element = x.add(parent, "CdtTrfTxInf")
    _payment_id(x, element, tx)
    x.add(x.add(element, "Amt"), "InstdAmt", tx.amount, Ccy=tx.currency)
    x.add(element, "ChrgBr", "SHAR")
    _optional_party(x, element, "UltmtDbtr", tx.ultimate_debtor)
    _numbered_agents(x, element, "IntrmyAgt", tx.intermediaries)
    _agent_with_account(x, element, "CdtrAgt", tx.creditor_agent)
    _party_with_account(x, element, "Cdtr", tx.creditor)
    _optional_party(x, element, "UltmtCdtr", tx.ultimate_creditor)
    _instructions(x, element, "InstrForCdtrAgt", tx.instructions_for_creditor_agent)
    _purpose(x, element, tx.purpose)
    _regulatory(x, element, tx.regulatory)
    _remittance(x, element, tx.remittance, tx.additional_remittance)


# ---------------------------------------------------------------------------------------------
# pacs.004.001.09


def pacs004(
    message_id: str,
    returns: Sequence[ReturnSpec],
    *,
    instructing_agent: PartySpec | None = None,
    instructed_agent: PartySpec | None = None,
    created: str = DEFAULT_CREATED,
    settlement_date: str = DEFAULT_DATE,
) -> Any:
    """A pacs.004.001.09 payment return, one TxInf per return."""
    x = _Xml(NAMESPACES["pacs.004"])
    document = x.root("Document")
    body = x.add(document, "PmtRtr")
    _group_header(x, body, message_id, len(returns), created, instructing_agent, instructed_agent)
    for spec in returns:
        _returned_transaction(x, body, spec, settlement_date)
    return document


def _returned_transaction(x: _Xml, body: Any, spec: ReturnSpec, settlement_date: str) -> None:
    """A PaymentTransaction112, in XSD order."""
    original = spec.original
    element = x.add(body, "TxInf")
    x.add(element, "RtrId", spec.return_id)
    group = x.add(element, "OrgnlGrpInf")
    x.add(group, "OrgnlMsgId", spec.original_message_id)
    x.add(group, "OrgnlMsgNmId", spec.original_message_type)
    if original.instruction_id:
        x.add(element, "OrgnlInstrId", original.instruction_id)
    x.add(element, "OrgnlEndToEndId", original.end_to_end_id)
    if original.uetr:
        x.add(element, "OrgnlUETR", original.uetr)
    x.add(element, "RtrdIntrBkSttlmAmt", original.amount, Ccy=original.currency)
    x.add(element, "IntrBkSttlmDt", settlement_date)
    _optional_agent(x, element, "InstgAgt", original.instructing_agent)
    _optional_agent(x, element, "InstdAgt", original.instructed_agent)
    _return_chain(x, element, original)
    reason = x.add(element, "RtrRsnInf")
    x.path(reason, "Rsn/Cd", spec.reason_code)
    for line in spec.additional_info:
        x.add(reason, "AddtlInf", line)
    _original_reference(x, element, original)


def _return_chain(x: _Xml, parent: Any, original: TxSpec) -> None:
    """A TransactionParties7: the return's parties, the original roles reversed."""
    chain = x.add(parent, "RtrChain")
    if original.ultimate_creditor is not None:
        _party(x, x.add(chain, "UltmtDbtr"), "Pty", original.ultimate_creditor)
    _party(x, x.add(chain, "Dbtr"), "Pty", original.creditor)
    if original.creditor_agent is not None:
        _agent(x, chain, "DbtrAgt", original.creditor_agent)
    _numbered_agents(x, chain, "IntrmyAgt", original.intermediaries[::-1], with_accounts=False)
    if original.debtor_agent is not None:
        _agent(x, chain, "CdtrAgt", original.debtor_agent)
    _party(x, x.add(chain, "Cdtr"), "Pty", original.debtor)
    if original.ultimate_debtor is not None:
        _party(x, x.add(chain, "UltmtCdtr"), "Pty", original.ultimate_debtor)


def _original_reference(x: _Xml, parent: Any, original: TxSpec) -> None:
    """An OriginalTransactionReference28: the original payment's amount, texts and parties."""
    reference = x.add(parent, "OrgnlTxRef")
    x.add(reference, "IntrBkSttlmAmt", original.amount, Ccy=original.currency)
    _remittance(x, reference, original.remittance, original.additional_remittance)
    _party(x, x.add(reference, "Dbtr"), "Pty", original.debtor)
    _account(x, reference, "DbtrAcct", original.debtor)
    if original.debtor_agent is not None:
        _agent(x, reference, "DbtrAgt", original.debtor_agent)
    if original.creditor_agent is not None:
        _agent(x, reference, "CdtrAgt", original.creditor_agent)
    _party(x, x.add(reference, "Cdtr"), "Pty", original.creditor)
    _account(x, reference, "CdtrAcct", original.creditor)
    _purpose(x, reference, original.purpose)


# ---------------------------------------------------------------------------------------------
# Business application header and envelope


def app_header(spec: AppHdrSpec, document: Any) -> Any:
    """A head.001.001.02 AppHdr for ``document`` (its MsgDefIdr read from its namespace)."""
    x = _Xml(NAMESPACES["head.001"])
    header = x.root("AppHdr")
    for name, bic in (("Fr", spec.sender_bic), ("To", spec.receiver_bic)):
        x.path(x.add(header, name), "FIId/FinInstnId/BICFI", bic)
    x.add(header, "BizMsgIdr", spec.business_message_id)
    definition = (etree.QName(document).namespace or "").rpartition(":")[2]
    x.add(header, "MsgDefIdr", definition)
    x.add(header, "CreDt", spec.created)
    return header


def envelope(parts: Sequence[tuple[AppHdrSpec | None, Any]], root: str = "BizMsgEnvlp") -> Any:
    """A wrapper element holding, for each part, its AppHdr (when given) then its Document."""
    wrapper = etree.Element(root)
    for spec, document in parts:
        if spec is not None:
            wrapper.append(app_header(spec, document))
        wrapper.append(document)
    return wrapper


# ---------------------------------------------------------------------------------------------
# SWIFT MT


def mt103(
    tx: TxSpec,
    *,
    sender_bic: str,
    receiver_bic: str,
    value_date: str = "240115",
    variant: str | None = None,
    envelope_contents: Sequence[str] = (),
) -> str:
    """An MT103 (``variant`` "STP" or "REMIT" sets field 119); ``tx.uetr`` goes to field 121.

    The ordering and beneficiary customers use option F when they have a country (name,
    address, country/town and birth date as numbered lines), option A when they have a BIC
    and no name, else option K / no option. Agents use option A with a BIC, else D.
    """
    _refuse("an MT103", underlying=tx.underlying)
    if len(tx.intermediaries) > 1:
        raise ValueError("an MT103 has room for one intermediary institution (56a)")
    fields: list[tuple[str, list[str]]] = [
        ("20", [tx.end_to_end_id]),
        ("23B", ["CRED"]),
        ("32A", [f"{value_date}{tx.currency}{_mt_amount(tx.amount)}"]),
        _customer_field("50", tx.debtor, ordering=True),
    ]
    fields += _institution_fields(
        (("52", tx.debtor_agent), ("56", _first(tx.intermediaries)), ("57", tx.creditor_agent))
    )
    fields.append(_customer_field("59", tx.creditor, ordering=False))
    fields += _text_field("70", tx.remittance)
    fields.append(("71A", ["SHA"]))
    fields += _text_field("72", tx.instructions_for_next_agent)
    fields += _text_field("77B", (tx.regulatory,) if tx.regulatory else ())
    fields += _text_field("77T", envelope_contents, limit=None)
    return _mt_message("103", sender_bic, receiver_bic, fields, variant, tx.uetr)


def mt202(tx: TxSpec, *, sender_bic: str, receiver_bic: str, value_date: str = "240115") -> str:
    """An MT202, or an MT202 COV when ``tx.underlying`` is given (its sequence B).

    ``tx.debtor`` is the ordering institution (52a), ``tx.creditor`` the beneficiary
    institution (58a), ``tx.creditor_agent`` the account with institution (57a).
    """
    if len(tx.intermediaries) > 1:
        raise ValueError("an MT202 has room for one intermediary institution (56a)")
    fields: list[tuple[str, list[str]]] = [
        ("20", [tx.end_to_end_id]),
        ("21", [tx.instruction_id or tx.end_to_end_id]),
        ("32A", [f"{value_date}{tx.currency}{_mt_amount(tx.amount)}"]),
    ]
    fields += _institution_fields(
        (("52", tx.debtor), ("56", _first(tx.intermediaries)), ("57", tx.creditor_agent),
         ("58", tx.creditor))
    )
    fields += _text_field("72", tx.instructions_for_next_agent)
    cover = tx.underlying
    if cover is not None:
        if len(cover.intermediaries) > 1:
            raise ValueError("sequence B of an MT202 COV has room for one intermediary (56a)")
        fields.append(_customer_field("50", cover.debtor, ordering=True))
        fields += _institution_fields(
            (("52", cover.debtor_agent), ("56", _first(cover.intermediaries)),
             ("57", cover.creditor_agent))
        )
        fields.append(_customer_field("59", cover.creditor, ordering=False))
        fields += _text_field("70", cover.remittance)
        fields += _text_field("72", cover.instructions_for_next_agent)
        fields.append(("33B", [f"{cover.currency}{_mt_amount(cover.amount)}"]))
    variant = "COV" if cover is not None else None
    return _mt_message("202", sender_bic, receiver_bic, fields, variant, tx.uetr)


def _first(specs: Sequence[PartySpec]) -> PartySpec | None:
    return specs[0] if specs else None


def _mt_amount(amount: str) -> str:
    """``1234.56`` -> ``1234,56``; ``1000`` -> ``1000,``."""
    whole, _, fraction = format(Decimal(amount), "f").partition(".")
    return f"{whole},{fraction}"


def _logical_terminal(bic: str) -> str:
    """A BIC8 or BIC11 as a 12-character logical terminal address (terminal letter A)."""
    return f"{bic[:8]}A{bic[8:11] or 'XXX'}"


def _mt_message(
    message_type: str, sender_bic: str, receiver_bic: str,
    fields: list[tuple[str, list[str]]], variant: str | None, uetr: str | None,
) -> str:
    user = "".join(
        f"{{{tag}:{value}}}" for tag, value in (("119", variant), ("121", uetr)) if value
    )
    for tag, lines in fields:
        long_lines = [line for line in lines if len(line) > MT_LINE_LENGTH]
        if tag != "77T" and long_lines:
            raise ValueError(f"field {tag}: {long_lines[0]!r} is longer than {MT_LINE_LENGTH}")
    text = "\r\n".join(f":{tag}:" + "\r\n".join(lines) for tag, lines in fields)
    return (
        f"{{1:F01{_logical_terminal(sender_bic)}0000000000}}"
        f"{{2:I{message_type}{_logical_terminal(receiver_bic)}N}}"
        + (f"{{3:{user}}}" if user else "")
        + f"{{4:\r\n{text}\r\n-}}"
    )


def _text_field(tag: str, lines: Sequence[str], limit: int | None = 6) -> list[tuple[str, list[str]]]:
    if not lines:
        return []
    if limit is not None and len(lines) > limit:
        raise ValueError(f"field {tag} has at most {limit} lines")
    return [(tag, list(lines))]


def _customer_field(number: str, spec: PartySpec, *, ordering: bool) -> tuple[str, list[str]]:
    """50a / 59a: option F with a country, A with a BIC and no name, else K / no option.

    Option F writes the street line and address lines as ``2/`` lines and ``3/CC/postcode
    town``; K / no option writes the name, the same address lines and ``postcode town``.
    """
    account = [f"/{spec.account_id}"] if spec.account_id else []
    if spec.country:
        return f"{number}F", _option_f_lines(spec, ordering)
    if spec.bic and not spec.name:
        return f"{number}A", [*account, spec.bic]
    option = "K" if ordering else ""
    town = [" ".join(part for part in (spec.postcode, spec.town) if part)] if spec.town else []
    return f"{number}{option}", [*account, spec.name or "", *_mt_street(spec), *town]


def _option_f_lines(spec: PartySpec, ordering: bool) -> list[str]:
    """Option F: the party identifier, then 1/ name, 2/ address, 3/ CC/town, 4/ birth date."""
    lines: list[str] = []
    if spec.account_id:
        lines.append(f"/{spec.account_id}")
    elif spec.private_id and spec.private_id_scheme:
        lines.append(f"{spec.private_id_scheme}/{spec.country}/{spec.private_id}")
    elif ordering:
        raise ValueError(f"50F for {spec.name}: needs an account or a private id with its scheme")
    if spec.name:
        lines.append(f"1/{spec.name}")
    lines += [f"2/{line}" for line in _mt_street(spec)]
    town = " ".join(part for part in (spec.postcode, spec.town) if part)
    lines.append(f"3/{spec.country}" + (f"/{town}" if town else ""))
    if ordering and spec.birth_date:
        lines.append(f"4/{spec.birth_date.replace('-', '')}")
    return lines


def _institution_fields(
    pairs: Sequence[tuple[str, PartySpec | None]],
) -> list[tuple[str, list[str]]]:
    """52a / 56a / 57a / 58a: option A with a BIC, else D with the name and address."""
    fields = []
    for number, spec in pairs:
        if spec is None:
            continue
        account = [f"/{spec.account_id}"] if spec.account_id else []
        if spec.bic:
            fields.append((f"{number}A", [*account, spec.bic]))
        else:
            fields.append((f"{number}D", [*account, spec.name or "", *_mt_street(spec)]))
    return fields


def _mt_street(spec: PartySpec) -> list[str]:
    """The address lines of an MT party: the street and building number, then the others."""
    street = " ".join(part for part in (spec.street, spec.building_number) if part)
    return [*([street] if street else []), *spec.address_lines]
