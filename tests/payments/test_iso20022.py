"""ISO 20022 reading: element names across versions, envelopes, and errors of content."""

from __future__ import annotations

from tradeguard.payments.iso20022 import parse_iso20022
from tradeguard.payments.model import FreeText, Message, PaymentParty, PostalAddress

NS = "urn:iso:std:iso:20022:tech:xsd"


def _read(xml: str, source: str = "in.xml") -> list[Message]:
    return parse_iso20022(xml.encode("utf-8"), source)


def _only(xml: str) -> Message:
    [message] = _read(xml)
    return message


def _fields(message: Message) -> list[str | None]:
    return [error.field for error in message.errors]


# pacs.008.001.02: BIC (not BICFI), BICOrBEI (not AnyBIC), PostalAddress6, PrvsInstgAgt
# without a number; a namespace prefix instead of a default namespace.
PACS008_V02 = f"""<?xml version="1.0" encoding="UTF-8"?>
<p:Document xmlns:p="{NS}:pacs.008.001.02">
 <p:FIToFICstmrCdtTrf>
  <p:GrpHdr><p:MsgId>OLD-1</p:MsgId><p:CreDtTm>2013-01-01T00:00:00</p:CreDtTm><p:NbOfTxs>1</p:NbOfTxs>
   <p:SttlmInf><p:SttlmMtd>INDA</p:SttlmMtd></p:SttlmInf></p:GrpHdr>
  <p:CdtTrfTxInf>
   <p:PmtId><p:InstrId>I-1</p:InstrId><p:EndToEndId>NOTPROVIDED</p:EndToEndId><p:TxId>TX-9</p:TxId></p:PmtId>
   <p:IntrBkSttlmAmt Ccy="USD">12.5</p:IntrBkSttlmAmt>
   <p:ChrgBr>SHAR</p:ChrgBr>
   <p:PrvsInstgAgt><p:FinInstnId><p:BIC>PREVUS33</p:BIC></p:FinInstnId></p:PrvsInstgAgt>
   <p:Dbtr><p:Nm>Ivan Petrov</p:Nm>
    <p:PstlAdr><p:StrtNm>Lenina</p:StrtNm><p:TwnNm>Moscow</p:TwnNm><p:Ctry>ru</p:Ctry>
     <p:AdrLine>Building 5</p:AdrLine></p:PstlAdr>
    <p:Id><p:PrvtId><p:Othr><p:Id>4509123456</p:Id><p:SchmeNm><p:Prtry>PASSPORT</p:Prtry></p:SchmeNm></p:Othr></p:PrvtId></p:Id>
   </p:Dbtr>
   <p:DbtrAcct><p:Id><p:Othr><p:Id>40817810</p:Id></p:Othr></p:Id></p:DbtrAcct>
   <p:DbtrAgt><p:FinInstnId><p:BIC>SABRRUMM</p:BIC>
    <p:ClrSysMmbId><p:MmbId>044525225</p:MmbId></p:ClrSysMmbId></p:FinInstnId></p:DbtrAgt>
   <p:CdtrAgt><p:FinInstnId><p:Nm>Some Bank</p:Nm>
    <p:PstlAdr><p:Ctry>Germany</p:Ctry></p:PstlAdr></p:FinInstnId></p:CdtrAgt>
   <p:Cdtr><p:Nm>Rosoboronexport</p:Nm>
    <p:Id><p:OrgId><p:BICOrBEI>ROSORUMM</p:BICOrBEI></p:OrgId></p:Id><p:CtryOfRes>RU</p:CtryOfRes></p:Cdtr>
   <p:CdtrAcct><p:Id><p:IBAN>DE89370400440532013000</p:IBAN></p:Id></p:CdtrAcct>
   <p:RltdRmtInf><p:RmtId>R1</p:RmtId><p:RmtLctnElctrncAdr>x@example.org</p:RmtLctnElctrncAdr></p:RltdRmtInf>
   <p:RmtInf><p:Ustrd>Spare parts</p:Ustrd></p:RmtInf>
  </p:CdtTrfTxInf>
 </p:FIToFICstmrCdtTrf>
</p:Document>
"""


def test_pacs008_v02_element_names() -> None:
    message = _only(PACS008_V02)
    assert (message.format, message.message_id, message.errors) == ("pacs.008.001.02", "OLD-1", [])
    [tx] = message.transactions
    assert (tx.transaction_id, tx.amount, tx.currency, tx.uetr) == ("TX-9", "12.5", "USD", None)
    assert [(p.role, p.path) for p in tx.parties] == [
        ("previous_instructing_agent_1", "CdtTrfTxInf/PrvsInstgAgt/FinInstnId"),
        ("debtor", "CdtTrfTxInf/Dbtr"),
        ("debtor_agent", "CdtTrfTxInf/DbtrAgt/FinInstnId"),
        ("creditor_agent", "CdtTrfTxInf/CdtrAgt/FinInstnId"),
        ("creditor", "CdtTrfTxInf/Cdtr"),
    ]
    assert tx.parties[0].bic == "PREVUS33"
    assert tx.parties[1] == PaymentParty(
        "debtor", "CdtTrfTxInf/Dbtr", "party", "Person", name="Ivan Petrov",
        address=PostalAddress("Moscow", "RU", ("Lenina", "Building 5")),
        identifiers=(("private_id:PASSPORT", "4509123456"),), account="40817810", country="RU",
    )
    assert tx.parties[2].bic == "SABRRUMM"
    assert tx.parties[2].identifiers == (("clearing_system", "044525225"),)
    # A country written out is no code: it stays an address line.
    assert tx.parties[3].address == PostalAddress(None, None, ("Germany",))
    assert tx.parties[3].country is None
    assert tx.parties[4] == PaymentParty(
        "creditor", "CdtTrfTxInf/Cdtr", "party", "Organization", name="Rosoboronexport",
        bic="ROSORUMM", account="DE89370400440532013000", country="RU",
    )
    assert tx.texts == [
        FreeText("CdtTrfTxInf/RmtInf/Ustrd", "Spare parts"),
        FreeText("CdtTrfTxInf/RltdRmtInf", "R1\nx@example.org"),
    ]


def _pacs008(version: str, transactions: str, header: str = "<MsgId>M-1</MsgId>") -> str:
    return (
        f'<Document xmlns="{NS}:pacs.008.001.{version}"><FIToFICstmrCdtTrf>'
        f"<GrpHdr>{header}<CreDtTm>2024-01-01T00:00:00</CreDtTm><NbOfTxs>1</NbOfTxs></GrpHdr>"
        f"{transactions}</FIToFICstmrCdtTrf></Document>"
    )


def _transfer(end_to_end: str = "E-1", creditor: str = "<Cdtr><Nm>Bob</Nm></Cdtr>") -> str:
    return (
        f"<CdtTrfTxInf><PmtId><EndToEndId>{end_to_end}</EndToEndId></PmtId>"
        '<IntrBkSttlmAmt Ccy="EUR">1</IntrBkSttlmAmt>'
        "<Dbtr><Nm>Alice</Nm></Dbtr><DbtrAgt><FinInstnId><BICFI>AAAADEFF</BICFI></FinInstnId></DbtrAgt>"
        f"<CdtrAgt><FinInstnId><BICFI>BBBBGB2L</BICFI></FinInstnId></CdtrAgt>{creditor}</CdtTrfTxInf>"
    )


def test_latest_pacs008_version_reads() -> None:
    message = _only(_pacs008("13", _transfer()))
    assert (message.format, message.errors) == ("pacs.008.001.13", [])
    assert [p.name or p.bic for p in message.transactions[0].parties] == ["Alice", "AAAADEFF", "BBBBGB2L", "Bob"]


def test_unsupported_version_is_an_error_naming_the_namespace() -> None:
    message = _only(_pacs008("99", _transfer()))
    assert message.transactions == []
    assert _fields(message) == ["Document"]
    assert f"{NS}:pacs.008.001.99" in str(message.errors[0])


def test_missing_creditor_fails_only_that_transaction() -> None:
    message = _only(_pacs008("08", _transfer("E-1") + _transfer("E-2", creditor="")))
    assert _fields(message) == ["CdtTrfTxInf[2]/Cdtr"]
    assert str(message.errors[0]) == "in.xml, message 1, CdtTrfTxInf[2]/Cdtr: missing creditor"
    first, second = message.transactions
    assert first.errors == []
    assert second.errors == ["CdtTrfTxInf[2]/Cdtr: missing creditor"]


def test_empty_party_is_an_error() -> None:
    message = _only(_pacs008("08", _transfer(creditor="<Cdtr><PstlAdr/></Cdtr>")))
    assert _fields(message) == ["CdtTrfTxInf[1]/Cdtr"]
    assert "creditor has no name, BIC, identifier or account" in str(message.errors[0])


def test_missing_message_id_is_an_error_of_every_transaction() -> None:
    message = _only(_pacs008("08", _transfer("E-1") + _transfer("E-2"), header=""))
    assert message.message_id is None
    assert _fields(message) == ["GrpHdr/MsgId"]
    assert [tx.errors for tx in message.transactions] == [["GrpHdr/MsgId: missing message identification"]] * 2


def test_missing_transaction_identification_is_an_error() -> None:
    message = _only(_pacs008("08", _transfer(end_to_end="")))
    assert _fields(message) == ["CdtTrfTxInf[1]/PmtId"]


def test_envelope_header_gives_sender_receiver_and_fallback_message_id() -> None:
    xml = f"""<Envelope>
      <AppHdr xmlns="{NS}:head.001.001.01">
        <Fr><FIId><FinInstnId><BICFI>SENDGB2L</BICFI></FinInstnId></FIId></Fr>
        <To><OrgId><Nm>Receiving Corp</Nm><Id><OrgId><AnyBIC>RCVCDEFF</AnyBIC></OrgId></Id></OrgId></To>
        <BizMsgIdr>BIZ-1</BizMsgIdr><MsgDefIdr>pacs.008.001.08</MsgDefIdr><CreDt>2024-01-01T00:00:00Z</CreDt>
      </AppHdr>
      {_pacs008("08", _transfer(), header="")}
      <AppHdr xmlns="{NS}:head.001.001.02"><BizMsgIdr>BIZ-2</BizMsgIdr></AppHdr>
      {_pacs008("08", _transfer("E-2"))}
    </Envelope>"""
    first, second = _read(xml)
    assert (first.index, first.message_id, first.errors) == (1, "BIZ-1", [])
    assert (second.index, second.message_id, second.errors) == (2, "M-1", [])
    sender, receiver = first.transactions[0].parties[:2]
    assert sender == PaymentParty("sender", "AppHdr/Fr", "agent", "Organization", bic="SENDGB2L")
    assert receiver == PaymentParty(
        "receiver", "AppHdr/To", "party", "Organization", name="Receiving Corp", bic="RCVCDEFF"
    )


def test_documents_deeper_in_a_wrapper_and_concatenated_documents() -> None:
    wrapped = f"<DataPDU><Body><Header/>{_pacs008('08', _transfer())}</Body></DataPDU>"
    assert [m.format for m in _read(wrapped)] == ["pacs.008.001.08"]
    concatenated = "\n".join(
        f'<?xml version="1.0" encoding="UTF-8"?>\n{_pacs008("08", _transfer(e2e))}' for e2e in ("A", "B", "C")
    )
    messages = _read(concatenated)
    assert [(m.index, m.transactions[0].transaction_id, m.errors) for m in messages] == [
        (1, "A", []), (2, "B", []), (3, "C", []),
    ]


def test_unknown_application_header_namespace_is_an_error() -> None:
    xml = f'<Envelope><AppHdr xmlns="urn:example:hdr"/>{_pacs008("08", _transfer())}</Envelope>'
    message = _only(xml)
    assert (_fields(message), message.transactions) == (["AppHdr"], [])


def test_wrapper_without_document_is_an_error() -> None:
    message = _only(f'<Envelope><AppHdr xmlns="{NS}:head.001.001.02"/></Envelope>')
    assert _fields(message) == ["Document"]
    assert "root element <Envelope>" in message.errors[0].message


PAIN001_V03 = f"""<Document xmlns="{NS}:pain.001.001.03"><CstmrCdtTrfInitn>
 <GrpHdr><MsgId>P-3</MsgId><CreDtTm>2024-01-01T00:00:00</CreDtTm><NbOfTxs>3</NbOfTxs>
  <InitgPty><Nm>Payroll Co</Nm></InitgPty>
  <FwdgAgt><FinInstnId><BIC>FWDGDEFF</BIC></FinInstnId></FwdgAgt></GrpHdr>
 <PmtInf><PmtInfId>A</PmtInfId><PmtMtd>TRF</PmtMtd><ReqdExctnDt>2024-01-02</ReqdExctnDt>
  <Dbtr><Nm>Debtor A</Nm></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
  <DbtrAgt><FinInstnId><BIC>AAAADEFF</BIC></FinInstnId></DbtrAgt>
  <UltmtDbtr><Nm>Group Parent</Nm></UltmtDbtr>
  <CdtTrfTxInf><PmtId><EndToEndId>A-1</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">5.00</InstdAmt></Amt>
   <Cdtr><Nm>Creditor 1</Nm></Cdtr><InstrForDbtrAgt>Urgent</InstrForDbtrAgt></CdtTrfTxInf>
 </PmtInf>
 <PmtInf><PmtInfId>B</PmtInfId><PmtMtd>TRF</PmtMtd><ReqdExctnDt>2024-01-02</ReqdExctnDt>
  <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
  <DbtrAgt><FinInstnId><BIC>AAAADEFF</BIC></FinInstnId></DbtrAgt>
  <CdtTrfTxInf><PmtId><EndToEndId>B-1</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">6</InstdAmt></Amt>
   <Cdtr><Nm>Creditor 2</Nm></Cdtr></CdtTrfTxInf>
  <CdtTrfTxInf><PmtId><EndToEndId>B-2</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">7</InstdAmt></Amt>
  </CdtTrfTxInf>
 </PmtInf>
</CstmrCdtTrfInitn></Document>"""


def test_pain001_v03_and_errors_of_a_payment_information() -> None:
    message = _only(PAIN001_V03)
    assert message.format == "pain.001.001.03"
    assert _fields(message) == ["PmtInf[2]/Dbtr", "PmtInf[2]/CdtTrfTxInf[2]/Cdtr"]
    first, second, third = message.transactions
    assert [(p.role, p.path, p.name or p.bic) for p in first.parties] == [
        ("initiating_party", "GrpHdr/InitgPty", "Payroll Co"),
        ("forwarding_agent", "GrpHdr/FwdgAgt/FinInstnId", "FWDGDEFF"),
        ("debtor", "PmtInf/Dbtr", "Debtor A"),
        ("debtor_agent", "PmtInf/DbtrAgt/FinInstnId", "AAAADEFF"),
        ("ultimate_debtor", "PmtInf/UltmtDbtr", "Group Parent"),
        ("creditor", "CdtTrfTxInf/Cdtr", "Creditor 1"),
    ]
    assert first.texts == [FreeText("CdtTrfTxInf/InstrForDbtrAgt", "Urgent")]
    assert (first.amount, first.errors) == ("5.00", [])
    assert second.errors == ["PmtInf[2]/Dbtr: missing debtor"]
    assert third.errors == ["PmtInf[2]/Dbtr: missing debtor", "PmtInf[2]/CdtTrfTxInf[2]/Cdtr: missing creditor"]


def test_pacs009_cov_without_underlying_creditor_is_an_error() -> None:
    xml = f"""<Document xmlns="{NS}:pacs.009.001.08"><FICdtTrf>
      <GrpHdr><MsgId>C-1</MsgId></GrpHdr>
      <CdtTrfTxInf><PmtId><InstrId>I</InstrId><EndToEndId>E</EndToEndId></PmtId>
        <IntrBkSttlmAmt Ccy="USD">9</IntrBkSttlmAmt>
        <Dbtr><FinInstnId><BICFI>DBTRUS33</BICFI></FinInstnId></Dbtr>
        <Cdtr><FinInstnId><BICFI>CDTRGB2L</BICFI></FinInstnId></Cdtr>
        <UndrlygCstmrCdtTrf><Dbtr><Nm>Customer</Nm></Dbtr>
          <DbtrAgt><FinInstnId><BICFI>AAAADEFF</BICFI></FinInstnId></DbtrAgt></UndrlygCstmrCdtTrf>
      </CdtTrfTxInf></FICdtTrf></Document>"""
    message = _only(xml)
    assert _fields(message) == ["CdtTrfTxInf[1]/UndrlygCstmrCdtTrf/Cdtr"]
    assert message.transactions[0].parties_with_role("debtor")[1].path == "CdtTrfTxInf/UndrlygCstmrCdtTrf/Dbtr"


def test_pacs009_v02_root_name() -> None:
    xml = f"""<Document xmlns="{NS}:pacs.009.001.02"><FinInstnCdtTrf><GrpHdr><MsgId>F</MsgId></GrpHdr>
      <CdtTrfTxInf><PmtId><EndToEndId>E</EndToEndId></PmtId>
      <Dbtr><FinInstnId><BIC>DBTRUS33</BIC></FinInstnId></Dbtr>
      <Cdtr><FinInstnId><BIC>CDTRGB2L</BIC></FinInstnId></Cdtr></CdtTrfTxInf></FinInstnCdtTrf></Document>"""
    message = _only(xml)
    assert message.errors == []
    assert [p.bic for p in message.transactions[0].parties] == ["DBTRUS33", "CDTRGB2L"]


def test_pacs004_old_version_and_agent_in_return_chain() -> None:
    old = f"""<Document xmlns="{NS}:pacs.004.001.02"><PmtRtr><GrpHdr><MsgId>R-2</MsgId></GrpHdr>
      <TxInf><RtrId>RID</RtrId><OrgnlEndToEndId>OE2E</OrgnlEndToEndId>
       <RtrdIntrBkSttlmAmt Ccy="EUR">3</RtrdIntrBkSttlmAmt>
       <RtrRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>closed</AddtlInf></RtrRsnInf>
       <OrgnlTxRef><Dbtr><Nm>Orig Debtor</Nm></Dbtr><Cdtr><Nm>Orig Creditor</Nm></Cdtr></OrgnlTxRef>
      </TxInf></PmtRtr></Document>"""
    message = _only(old)
    assert message.errors == []
    [tx] = message.transactions
    assert (tx.transaction_id, tx.amount) == ("OE2E", "3")
    assert [(p.role, p.path) for p in tx.parties] == [
        ("debtor", "TxInf/OrgnlTxRef/Dbtr"), ("creditor", "TxInf/OrgnlTxRef/Cdtr"),
    ]
    assert tx.texts == [FreeText("TxInf/RtrRsnInf/AddtlInf", "closed")]

    chain = f"""<Document xmlns="{NS}:pacs.004.001.09"><PmtRtr><GrpHdr><MsgId>R-9</MsgId></GrpHdr>
      <TxInf><OrgnlEndToEndId>OE</OrgnlEndToEndId><OrgnlUETR>u-1</OrgnlUETR>
       <RtrChain><Dbtr><Agt><FinInstnId><BICFI>RETNUS33</BICFI></FinInstnId></Agt></Dbtr></RtrChain>
      </TxInf></PmtRtr></Document>"""
    message = _only(chain)
    assert _fields(message) == ["TxInf[1]/RtrChain/Cdtr"]
    party = message.transactions[0].parties[0]
    assert (party.path, party.kind, party.bic) == ("TxInf/RtrChain/Dbtr/Agt/FinInstnId", "agent", "RETNUS33")
    assert message.transactions[0].uetr == "u-1"


def test_message_without_transactions_is_an_error() -> None:
    xml = f'<Document xmlns="{NS}:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr><MsgId>E</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>'
    message = _only(xml)
    assert (message.transactions, _fields(message)) == ([], ["CdtTrfTxInf"])


def test_document_with_the_wrong_body_is_an_error() -> None:
    message = _only(f'<Document xmlns="{NS}:pacs.008.001.08"><PmtRtr/></Document>')
    assert _fields(message) == ["Document/FIToFICstmrCdtTrf"]
