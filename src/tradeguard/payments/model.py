"""One data model for payment messages, whatever their format (ISO 20022 XML or SWIFT MT).

A file holds one or more :class:`Message`; a message holds one or more :class:`Transaction`;
a transaction names every :class:`PaymentParty` the message gives for it and every
:class:`FreeText` worth screening.

Reading never raises for bad content: what cannot be read becomes a :class:`PaymentError`.
The rule for callers is to fail closed:

- a message with errors and no transactions could not be read at all: give it the verdict
  ``error``;
- a transaction whose ``errors`` is not empty was read incompletely (a missing creditor, a
  missing message id, ...): give that transaction the verdict ``error`` too, whatever its
  parties score.

``Message.errors`` lists every problem of the message, those of its transactions included,
each naming the source, the message's position in the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The largest message read, in either format: far above any real payment message (a pain.001
# batch of a few thousand transfers; an MT message is under 10,000 characters), small enough
# that a hostile file cannot make a reader hold much.
MAX_MESSAGE_BYTES = 10 * 1024 * 1024

# The roles a party can have. ISO 20022 roles come from the element names of the payment
# (Dbtr -> debtor, IntrmyAgt2 -> intermediary_agent_2, ...); SWIFT MT roles from the field
# tags (50a -> ordering_customer, ...). "sender" and "receiver" come from the business
# application header (ISO) or from blocks 1 and 2 (MT).
ISO_ROLES = (
    "debtor",
    "creditor",
    "ultimate_debtor",
    "ultimate_creditor",
    "initiating_party",
    "forwarding_agent",
    "debtor_agent",
    "creditor_agent",
    "intermediary_agent_1",
    "intermediary_agent_2",
    "intermediary_agent_3",
    "instructing_agent",
    "instructed_agent",
    "previous_instructing_agent_1",
    "previous_instructing_agent_2",
    "previous_instructing_agent_3",
    "sender",
    "receiver",
)
MT_ROLES = (
    "ordering_customer",
    "beneficiary_customer",
    "ordering_institution",
    "senders_correspondent",
    "receivers_correspondent",
    "third_reimbursement_institution",
    "intermediary_institution",
    "account_with_institution",
    "beneficiary_institution",
    "sender",
    "receiver",
)


@dataclass(frozen=True)
class PostalAddress:
    """A postal address as the message gives it.

    ``country`` is an ISO 3166 alpha-2 code in upper case when the message gives a code
    (ISO ``Ctry``, MT option F ``3/``), else None: a country written in free text stays in
    ``lines``. ``lines`` holds every other element as text, in message order.
    """

    town: str | None = None
    country: str | None = None
    lines: tuple[str, ...] = ()

    def text(self) -> str:
        """The whole address on one line: its lines, then the town, then the country."""
        parts = [*self.lines, self.town, self.country]
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class PaymentParty:
    """One party or agent named by a payment, with where in the message it was found.

    ``path`` is the field path relative to the transaction: ``CdtTrfTxInf/Cdtr``,
    ``CdtTrfTxInf/DbtrAgt/FinInstnId``, ``PmtInf/Dbtr``, ``AppHdr/Fr`` for ISO 20022; the tag
    with its option letter (``50K``, ``B/59F``) or ``block 1``/``block 2`` for SWIFT MT.
    ``kind`` is "party" or "agent". ``schema`` is "Person" when the message says so,
    "Organization" when it identifies an organisation (and for every agent), else
    "LegalEntity". ``identifiers`` are (type, value) pairs other than the BIC and the LEI,
    which have fields of their own. ``country`` is the country of residence when given, else
    the address country.
    """

    role: str
    path: str
    kind: str
    schema: str
    name: str | None = None
    address: PostalAddress | None = None
    bic: str | None = None
    lei: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()
    account: str | None = None
    country: str | None = None

    def is_empty(self) -> bool:
        """True when nothing identifies the party: no name, code, identifier or account."""
        return not (self.name or self.bic or self.lei or self.identifiers or self.account)


@dataclass(frozen=True)
class FreeText:
    """A free text of the payment worth screening (remittance, instructions, purpose)."""

    path: str
    text: str


@dataclass
class Transaction:
    """One payment of a message: its identification, amount, parties and free texts.

    ``transaction_id`` is the end-to-end id (ISO; falling back to TxId, UETR, InstrId), the
    original end-to-end id for a pacs.004 return, or field 20 (MT). ``format`` is the message
    definition (``pacs.008.001.08``) or the MT type (``MT103``, ``MT202``, ``MT202COV``).
    ``amount`` is the amount as a decimal string with a dot (``"1000.50"``). ``errors`` names
    what made this transaction's reading incomplete: a transaction with errors must be given
    the verdict ``error``.
    """

    message_id: str
    transaction_id: str
    format: str
    amount: str | None
    currency: str | None
    parties: list[PaymentParty] = field(default_factory=list)
    texts: list[FreeText] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    uetr: str | None = None

    def parties_with_role(self, role: str) -> list[PaymentParty]:
        """Every party of this transaction with the given role, in message order."""
        return [party for party in self.parties if party.role == role]


@dataclass(frozen=True)
class PaymentError:
    """Something wrong in a payment message: the source, the message's position, the field."""

    source: str
    index: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}, message {self.index}"
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"


@dataclass
class Message:
    """One payment message of a file.

    ``source`` is the file name (or the name given to a request body), ``index`` the
    1-based position of the message in it. ``format`` is the message definition or MT
    type, None when even that could not be read. A message that cannot be read has
    ``errors`` and no transactions.
    """

    source: str
    index: int
    message_id: str | None
    format: str | None
    transactions: list[Transaction] = field(default_factory=list)
    errors: list[PaymentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the message and all its transactions were read without a problem."""
        return not self.errors and all(not tx.errors for tx in self.transactions)


class MessageRefused(Exception):
    """Raised inside the readers for a message that cannot be read at all: the field (or
    place) and what is wrong. The readers turn it into a :class:`PaymentError`."""

    def __init__(self, field: str | None, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


@dataclass
class ErrorLog:
    """Where the readers record the errors of one message."""

    source: str
    index: int
    errors: list[PaymentError] = field(default_factory=list)

    def add(self, field: str, problem: str) -> str:
        """Record an error of the message; return its text for the transaction's errors."""
        self.errors.append(PaymentError(self.source, self.index, field, problem))
        return f"{field}: {problem}"
