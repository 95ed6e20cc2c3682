"""Read SWIFT MT103 (STP and REMIT too), MT202 and MT202 COV messages.

A message is a run of blocks ``{1:...}{2:...}{3:...}{4:<CRLF>...<CRLF>-}{5:...}``; a file
may hold several, one after the other, optionally separated by blank lines or ``$``.

- Block 1 (basic header) holds a logical terminal address: 12 characters, the BIC8, the
  terminal letter and the branch; the BIC is the BIC8 and the branch (``BANKBEBBAXXX`` ->
  ``BANKBEBBXXX``). In an input message (block 2 starts with ``I``) block 1 is the sender
  and block 2 names the receiver; in an output message (``O``) block 1 is the receiver and
  the sender is in block 2's message input reference.
- Block 3 (user header): field 119 ``COV`` marks an MT202 COV (``STP``/``REMIT`` an MT103
  variant, read as MT103), field 121 is the UETR.
- Block 4 (text) holds the fields, ``:TAG:`` at the start of a line, up to ``-}``.

In an MT202 COV the fields from the first 50a on are sequence B, the underlying customer
credit transfer; their paths start with ``B/`` (``B/50K``, ``B/70``).

Bytes must be UTF-8 (plain SWIFT X characters are ASCII, so any real message is); a message
that is not is refused with an error naming the byte, the others of the file still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

SUPPORTED_TYPES = {"103": "MT103", "202": "MT202"}

# Tag number -> (role, kind).
TAG_ROLES: dict[str, tuple[str, str]] = {
    "50": ("ordering_customer", "party"),
    "59": ("beneficiary_customer", "party"),
    "52": ("ordering_institution", "agent"),
    "53": ("senders_correspondent", "agent"),
    "54": ("receivers_correspondent", "agent"),
    "55": ("third_reimbursement_institution", "agent"),
    "56": ("intermediary_institution", "agent"),
    "57": ("account_with_institution", "agent"),
    "58": ("beneficiary_institution", "agent"),
}
TEXT_TAGS = ("70", "72", "77B", "77T")

# Mandatory fields checked, per format: (sequence prefix, tag number, field as named, what).
_MT202_REQUIRED = (
    ("", "20", "20", "transaction reference"),
    ("", "32A", "32A", "value date, currency and amount"),
    ("", "58", "58a", "beneficiary institution"),
)
_REQUIRED = {
    "MT103": (
        ("", "20", "20", "sender's reference"),
        ("", "32A", "32A", "value date, currency and amount"),
        ("", "50", "50a", "ordering customer"),
        ("", "59", "59a", "beneficiary customer"),
    ),
    "MT202": _MT202_REQUIRED,
    "MT202COV": (
        *_MT202_REQUIRED,
        ("B/", "50", "B/50a", "ordering customer of the underlying transfer"),
        ("B/", "59", "B/59a", "beneficiary customer of the underlying transfer"),
    ),
}

# Party identifier codes of option F that identify a person.
_PERSON_CODES = {"CCPT", "DRLC", "NIDN", "SOSE"}
# Numbered lines of option F -> identifier type (1, 2 and 3 are name, address, country/town).
_F_IDENTIFIERS = {
    "4": "birth_date",
    "5": "birth_place",
    "6": "customer_id",
    "7": "national_id",
    "8": "additional_info",
}

_BLOCK_START_RE = re.compile(r"\{([A-Za-z0-9]{1,3}):")
_BLOCK4_END_RE = re.compile(r"\r?\n-\}")
_BLOCK1_RE = re.compile(r"[FAL]\d{2}([A-Z0-9]{12})")
_INPUT_BLOCK2_RE = re.compile(r"I(\d{3})([A-Z0-9]{12})")
_OUTPUT_BLOCK2_RE = re.compile(r"O(\d{3})\d{4}\d{6}([A-Z0-9]{12})")
_USER_FIELD_RE = re.compile(r"\{([0-9]{3}):([^{}]*)\}")
_FIELD_RE = re.compile(r":(\d{2}[A-Z]?):(.*)")
_AMOUNT_RE = re.compile(r"(\d{6})([A-Z]{3})(\d[\d,]*)")
_BIC_RE = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_F_LINE_RE = re.compile(r"([1-8])/(.*)")
_F_CODE_RE = re.compile(r"([A-Z]{4})/(.+)")
_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_SEPARATORS = b" \t\r\n$"


@dataclass
class _Field:
    tag: str  # with its option letter: 50K
    lines: list[str]
    sequence: str = ""  # "B/" for sequence B of an MT202 COV

    @property
    def number(self) -> str:
        return self.tag[:2]

    @property
    def option(self) -> str:
        return self.tag[2:]

    @property
    def path(self) -> str:
        return f"{self.sequence}{self.tag}"


def parse_swift_mt(
    data: bytes, source: str, *, max_bytes: int = MAX_MESSAGE_BYTES, first_index: int = 1
) -> list[Message]:
    """Read every MT103 / MT202 / MT202 COV message in ``data``; never raises for bad content.

    Args:
        data: the file's bytes, one or more messages.
        source: the file name, named in every error.
        max_bytes: the largest message read; a larger one is refused.
        first_index: the index given to the first message.

    Returns:
        One :class:`Message` per message in the file, each with one transaction; a message
        that cannot be read has errors and no transactions.

    Example:
        >>> parse_swift_mt(b"{1:F01BANKBEBBAXXX0000000000}{2:I103BANKDEFFXXXXN}{4:...", "a.fin")
    """
    return [
        _read_message_guarded(chunk, source, first_index + offset, max_bytes)
        for offset, chunk in enumerate(_split_messages(data))
    ]


def _split_messages(data: bytes) -> list[bytes]:
    """Cut the file before each ``{1:``; text before the first one is a message of its own."""
    starts = [match.start() for match in re.finditer(rb"\{1:", data)]
    if not starts:
        return [data.strip(_SEPARATORS)]
    chunks = []
    head = data[: starts[0]].strip(_SEPARATORS)
    if head:
        chunks.append(head)
    bounds = [*starts, len(data)]
    for begin, end in zip(bounds, bounds[1:], strict=False):
        chunks.append(data[begin:end].rstrip(_SEPARATORS))
    return chunks


def _read_message_guarded(chunk: bytes, source: str, index: int, max_bytes: int) -> Message:
    """Read one message; an unexpected failure becomes an error, never an exception."""
    try:
        return _read_message(chunk, source, index, max_bytes)
    except MessageRefused as refused:
        return _unreadable(source, index, refused.field, refused.problem)
    except Exception as exc:  # fail closed: a reader bug must not let a payment through
        problem = f"could not be read ({type(exc).__name__}: {exc})"
        return _unreadable(source, index, None, problem)


def _unreadable(source: str, index: int, field: str | None, problem: str) -> Message:
    error = PaymentError(source, index, field, problem)
    return Message(source, index, None, None, transactions=[], errors=[error])


def _read_message(chunk: bytes, source: str, index: int, max_bytes: int) -> Message:
    if len(chunk) > max_bytes:
        raise MessageRefused("size", f"{len(chunk)} bytes, over the limit of {max_bytes} bytes per message")
    if not chunk:
        raise MessageRefused("block 1", "no message: the file is empty")
    text = _decode(chunk)
    blocks = _blocks(text)
    sender, receiver, message_type = _addresses(blocks)
    user_fields = dict(_USER_FIELD_RE.findall(blocks.get("3", "")))
    if message_type not in SUPPORTED_TYPES:
        raise MessageRefused("block 2", f"unsupported message type MT{message_type}")
    if "4" not in blocks:
        raise MessageRefused("block 4", "missing text block: the message has no fields")
    fields = _fields(blocks["4"])
    message_format = SUPPORTED_TYPES[message_type]
    if message_format == "MT202" and (user_fields.get("119") == "COV" or _has_sequence_b(fields)):
        message_format = "MT202COV"
        _mark_sequence_b(fields)
    context = ErrorLog(source, index)
    transaction = _transaction(fields, message_format, context)
    transaction.parties[:0] = [sender, receiver]
    transaction.uetr = user_fields.get("121") or None
    message_id = transaction.message_id or None
    return Message(source, index, message_id, message_format, [transaction], context.errors)


def _decode(chunk: bytes) -> str:
    try:
        return chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = chunk.count(b"\n", 0, exc.start) + 1
        problem = (
            f"not UTF-8: byte 0x{chunk[exc.start]:02x} at line {line} (offset {exc.start}); "
            "only UTF-8 is accepted"
        )
        raise MessageRefused("encoding", problem) from None


def _blocks(text: str) -> dict[str, str]:
    """The blocks of one message by id; block 4 ends at ``-}``, others at their brace."""
    blocks: dict[str, str] = {}
    position = 0
    while position < len(text):
        if text[position] in " \t\r\n$":
            position += 1
            continue
        start = _BLOCK_START_RE.match(text, position)
        if start is None:
            excerpt = text[position : position + 20]
            raise MessageRefused("block structure", f"unexpected text {excerpt!r} outside a block")
        block_id = start.group(1)
        if block_id == "4":
            end = _BLOCK4_END_RE.search(text, start.end())
            if end is None:
                raise MessageRefused("block 4", "missing '-}' terminator")
            content, position = text[start.end() : end.start()], end.end()
        else:
            close = _matching_brace(text, start.start())
            if close < 0:
                raise MessageRefused(f"block {block_id}", "missing '}': the block is not closed")
            content, position = text[start.end() : close], close + 1
        if block_id in blocks:
            raise MessageRefused(f"block {block_id}", "the block appears twice")
        blocks[block_id] = content
    return blocks


def _matching_brace(text: str, opening: int) -> int:
    depth = 0
    for position in range(opening, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if depth == 0:
                return position
    return -1


def _addresses(blocks: dict[str, str]) -> tuple[PaymentParty, PaymentParty, str]:
    """The sender, the receiver and the message type, from blocks 1 and 2."""
    if "1" not in blocks:
        raise MessageRefused("block 1", "missing basic header block")
    basic = _BLOCK1_RE.match(blocks["1"])
    if basic is None:
        raise MessageRefused("block 1", f"invalid basic header {blocks['1'][:30]!r}")
    if "2" not in blocks:
        raise MessageRefused("block 2", "missing application header block")
    header = blocks["2"]
    incoming = _INPUT_BLOCK2_RE.match(header)
    outgoing = _OUTPUT_BLOCK2_RE.match(header)
    if incoming is not None:
        message_type, sender_lt, receiver_lt = incoming.group(1), basic.group(1), incoming.group(2)
    elif outgoing is not None:
        message_type, sender_lt, receiver_lt = outgoing.group(1), outgoing.group(2), basic.group(1)
    else:
        raise MessageRefused("block 2", f"invalid application header {header[:40]!r}")
    sender = _institution_party("sender", "block 1" if incoming else "block 2", sender_lt)
    receiver = _institution_party("receiver", "block 2" if incoming else "block 1", receiver_lt)
    return sender, receiver, message_type


def _institution_party(role: str, path: str, terminal: str) -> PaymentParty:
    """A logical terminal address: BIC8, terminal letter, branch -> BIC8 + branch."""
    return PaymentParty(role, path, "agent", "Organization", bic=terminal[:8] + terminal[9:12])


def _fields(body: str) -> list[_Field]:
    fields: list[_Field] = []
    for line in body.splitlines():
        line = line.rstrip()
        start = _FIELD_RE.match(line)
        if start is not None:
            fields.append(_Field(start.group(1), [start.group(2)]))
        elif fields:
            fields[-1].lines.append(line)
        elif line:
            raise MessageRefused("block 4", f"text before the first field: {line[:20]!r}")
    if not fields:
        raise MessageRefused("block 4", "no field in the text block")
    for found in fields:
        while found.lines and not found.lines[-1]:
            found.lines.pop()
    return fields


def _has_sequence_b(fields: list[_Field]) -> bool:
    return any(found.number in ("50", "59") for found in fields)


def _mark_sequence_b(fields: list[_Field]) -> None:
    """In an MT202 COV, every field from the first 50a on belongs to sequence B."""
    in_b = False
    for found in fields:
        in_b = in_b or found.number == "50"
        if in_b:
            found.sequence = "B/"


def _transaction(fields: list[_Field], message_format: str, context: ErrorLog) -> Transaction:
    errors = _missing_fields(fields, message_format, context)
    amount, currency = _amount(fields, errors, context)
    parties: list[PaymentParty] = []
    texts: list[FreeText] = []
    for found in fields:
        if found.number in TAG_ROLES:
            party = _party(found, errors, context)
            if party is not None:
                parties.append(party)
        elif found.tag in TEXT_TAGS and any(found.lines):
            texts.append(FreeText(found.path, "\n".join(found.lines)))
    reference = _value(fields, "20") or ""
    return Transaction(reference, reference, message_format, amount, currency, parties, texts, errors)


def _missing_fields(fields: list[_Field], message_format: str, context: ErrorLog) -> list[str]:
    errors = []
    for sequence, number, named, what in _REQUIRED[message_format]:
        if not any(f.sequence == sequence and f.tag.startswith(number) for f in fields):
            problem = f"block 4 has no field :{named.removeprefix('B/')}: ({what})"
            errors.append(context.add(named, problem))
    return errors


def _amount(fields: list[_Field], errors: list[str], context: ErrorLog) -> tuple[str | None, str | None]:
    """The amount and currency of field 32A (sequence A), when it is there and valid."""
    if not any(found.tag == "32A" and not found.sequence for found in fields):
        return None, None  # already named as a missing field
    parsed = _AMOUNT_RE.fullmatch(_value(fields, "32A") or "")
    if parsed is None:
        errors.append(context.add("32A", "invalid value date, currency and amount"))
        return None, None
    return _decimal(parsed.group(3)), parsed.group(2)


def _value(fields: list[_Field], tag: str) -> str | None:
    for found in fields:
        if found.tag == tag and not found.sequence and found.lines:
            return found.lines[0].strip() or None
    return None


def _decimal(amount: str) -> str:
    """A SWIFT amount (``1234,56``, ``1000,``) as a decimal with a dot (``1234.56``, ``1000``)."""
    whole, _, fraction = amount.partition(",")
    return f"{whole}.{fraction}" if fraction else whole


# ---------------------------------------------------------------------------------------------
# Party fields by option


def _party(found: _Field, errors: list[str], context: ErrorLog) -> PaymentParty | None:
    role, kind = TAG_ROLES[found.number]
    reader = _OPTION_READERS.get(found.option)
    if reader is None:
        errors.append(context.add(found.path, f"unsupported option {found.option!r} of field {found.number}"))
        return None
    try:
        party = reader(found.lines, role, kind, found.path)
    except MessageRefused as refused:
        errors.append(context.add(found.path, refused.problem))
        return None
    if party.is_empty():
        errors.append(context.add(found.path, f"{role} has no name, BIC, identifier or account"))
    return party


def _base_schema(kind: str) -> str:
    return "Organization" if kind == "agent" else "LegalEntity"


def _account_line(line: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """``/account``, ``/D/account`` or ``//clearing code`` -> (account, identifiers)."""
    if line.startswith("//"):
        code = line[2:].strip()
        return None, ((("clearing_system", code),) if code else ())
    value = line[1:].strip()
    if re.match(r"[CD]/", value):
        value = value[2:].strip()
    return value or None, ()


def _split_account(lines: list[str]) -> tuple[str | None, tuple[tuple[str, str], ...], list[str]]:
    if lines and lines[0].startswith("/"):
        account, identifiers = _account_line(lines[0])
        return account, identifiers, lines[1:]
    return None, (), lines


def _option_a(lines: list[str], role: str, kind: str, path: str) -> PaymentParty:
    """Option A: an optional account line, then the BIC."""
    account, identifiers, rest = _split_account(lines)
    bic = rest[0].strip() if rest else None
    if bic is not None and not _BIC_RE.fullmatch(bic):
        raise MessageRefused(path, f"invalid BIC {bic!r}")
    return PaymentParty(
        role, path, kind, "Organization", bic=bic, identifiers=identifiers, account=account
    )


def _option_b(lines: list[str], role: str, kind: str, path: str) -> PaymentParty:
    """Option B: an optional account line, then a location."""
    account, identifiers, rest = _split_account(lines)
    address = PostalAddress(lines=tuple(rest)) if rest else None
    return PaymentParty(
        role, path, kind, _base_schema(kind), address=address, identifiers=identifiers,
        account=account,
    )


def _option_c(lines: list[str], role: str, kind: str, path: str) -> PaymentParty:
    """Option C: an account (or clearing code) alone."""
    account, identifiers, _ = _split_account(lines)
    return PaymentParty(role, path, kind, _base_schema(kind), identifiers=identifiers, account=account)


def _option_d(lines: list[str], role: str, kind: str, path: str) -> PaymentParty:
    """Options D and K and field 59: an optional account line, the name, address lines.

    The country stays unknown: the last line often reads "town, country" but nothing in the
    format says so, and a guessed code would be worse than none.
    """
    account, identifiers, rest = _split_account(lines)
    name = rest[0].strip() if rest else None
    address = PostalAddress(lines=tuple(rest[1:])) if rest[1:] else None
    return PaymentParty(
        role, path, kind, _base_schema(kind), name=name or None, address=address,
        identifiers=identifiers, account=account,
    )


def _option_f(lines: list[str], role: str, kind: str, path: str) -> PaymentParty:
    """Option F: a party identifier, then numbered lines (1/ name, 2/ address, 3/ CC/town...)."""
    account = None
    identifiers: list[tuple[str, str]] = []
    rest = lines
    person = False
    if rest and not _F_LINE_RE.fullmatch(rest[0]):
        first, rest = rest[0], rest[1:]
        coded = _F_CODE_RE.fullmatch(first)
        if first.startswith("/"):
            account, _ = _account_line(first)
        elif coded is not None:
            identifiers.append((f"party_id:{coded.group(1)}", coded.group(2)))
            person = coded.group(1) in _PERSON_CODES
        else:
            raise MessageRefused(path, f"invalid party identifier {first!r}")
    names: list[str] = []
    address: list[str] = []
    places: list[str] = []
    number = ""
    for line in rest:
        numbered = _F_LINE_RE.fullmatch(line)
        if numbered is not None:
            number, line = numbered.group(1), numbered.group(2)
        if number == "1":
            names.append(line.strip())
        elif number == "2":
            address.append(line.strip())
        elif number == "3":
            places.append(line.strip())
        elif number in _F_IDENTIFIERS:
            identifiers.append((_F_IDENTIFIERS[number], line.strip()))
            person = person or number in ("4", "5")
        else:
            raise MessageRefused(path, f"line {line!r} is not numbered")
    town, country, extra = _country_and_town(places)
    postal = None
    if town or country or address or extra:
        postal = PostalAddress(town=town, country=country, lines=(*address, *extra))
    return PaymentParty(
        role, path, kind, "Person" if person else _base_schema(kind),
        name=" ".join(names) or None, address=postal, identifiers=tuple(identifiers),
        account=account, country=country,
    )


def _country_and_town(places: list[str]) -> tuple[str | None, str | None, list[str]]:
    """``3/`` lines: ``CC/TOWN`` (more lines continue the town) -> (town, country, other)."""
    if not places:
        return None, None, []
    code, _, town = places[0].partition("/")
    if not _COUNTRY_RE.fullmatch(code):
        return None, None, places
    town_parts = [part for part in (town, *places[1:]) if part]
    return " ".join(town_parts) or None, code, []


_OPTION_READERS = {
    "A": _option_a,
    "B": _option_b,
    "C": _option_c,
    "D": _option_d,
    "K": _option_d,
    "": _option_d,
    "F": _option_f,
}
