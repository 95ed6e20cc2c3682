"""Order screening: every party, every good and every route on an order line.

Input: one record per order line (CSV, XLSX or JSONL via
:func:`tradeguard.screening.records.iter_records`) with the columns

* ``line`` (the line's id, required and unique),
* ``{role}_{field}`` for the roles ``buyer``, ``consignee``, ``end_user``, ``forwarder`` and
  the fields ``name``, ``address``, ``country`` (any may be empty),
* ``ship_to_country``, ``description``, ``manufacturer``, ``part_number``, ``hs_code``,
  ``eccn``, ``quantity``, ``value``.

Countries are ISO codes or names. Each line gets a verdict, ``block``, ``review`` or
``clear``, with every reason that produced it; each reason names its rule and its source data.

Rules and their verdicts (the worst one wins; "info" findings are kept as notes, not reasons):

========================================================  ===========================
rule                                                      verdict
========================================================  ===========================
``party.listed_match`` a party's name matches a listed    block when the score is at
entity at or above the threshold (default                 least ``BLOCK_SCORE`` (0.95:
``tradeguard.matching.DEFAULT_THRESHOLD``)                 the engine's near-exact band),
                                                          else review
``ownership.blocked`` a party is blocked by the 50        block, with the ownership path
percent rule under OFAC, EU or UK rules (any regime)
``ownership.cannot_exclude`` / ``ownership.caution``      review
``destination.sanctioned_country`` / ``_place``           per the destination rules
(country, ship-to, place names in addresses)              (block for comprehensive
                                                          sanctions; review where a name
                                                          is ambiguous)
``destination.transshipment_risk``                        review (configurable)
``goods.chpl`` / ``goods.controlled`` /                   per the goods finding: the
``goods.eccn_sensitive_destination``                      destination's severity toward a
                                                          sanctioned destination, review
                                                          toward transshipment-risk or
                                                          unknown destinations
``redflag.forwarder_is_end_user`` /                       review
``redflag.end_user_is_forwarder``
``redflag.ship_to_differs_from_buyer`` /                  review beside another sign of
``redflag.destination_in_free_zone``                      risk; alone, a note (``alone``
                                                          in the destinations file)
``redflag.consignee_resembles_listed_party``: the         review
consignee's name scores between ``RESEMBLE_SCORE`` (0.70)
and the threshold against a listed entity
``redflag.consignee_address_resembles_listed_party``:     review
the consignee's street address shares its house number,
postcode and street words with a listed entity's address
``redflag.party_first_seen_recently``: a party name       review
first seen in the store's order history less than
``FIRST_SEEN_DAYS`` (30) days ago, or never before
``data.unknown_country`` / ``goods.hs_invalid`` /         review
``goods.eccn_invalid``: data a check could not read
========================================================  ===========================

A sign of risk, for the flags marked ``alone``: any goods finding (high-priority or
controlled goods, whatever its severity), any other reason for review or block except
unreadable data and a party first seen recently, or a second such flag. Order parties are
screened as persons or organisations: listed vessels and aircraft are left out.

"Party first seen recently" needs a history: it is checked only once order files other than
the one being screened have been screened for at least ``first_seen_days`` (so that a new
installation does not flag every party for a month); a re-screen of the same file (same
sha256) does not count as an earlier sighting. With ``first_seen_days=0`` a party is flagged
when no other screened order file named it.

All party names of a batch are screened in one call of
:meth:`tradeguard.screening.parties.Screener.screen_queries` (each distinct name, country
and address once; worker processes for large batches).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tradeguard.model import Entity
from tradeguard.screening.destinations import PARTY_ROLES, DestinationRules, Party
from tradeguard.screening.goods import (
    Finding,
    GoodsError,
    GoodsList,
    check_eccn,
    check_hs,
    worst_severity,
)
from tradeguard.screening.records import RowError
from tradeguard.sources.common import clean
from tradeguard.store.lists import VersionInfo
from tradeguard.store.ownership import HISTORY_KEY_LENGTH, OwnershipMap, PartyHistory, name_key

if TYPE_CHECKING:
    from tradeguard.matching import Match, Query
    from tradeguard.screening.parties import Screener
    from tradeguard.screening.shipments import Voyage, VoyageChecks

__all__ = [
    "BLOCK_SCORE",
    "FIRST_SEEN_DAYS",
    "ORDER_COLUMNS",
    "PARTY_FIELDS",
    "RESEMBLE_SCORE",
    "VERDICTS",
    "AddressIndex",
    "OrderLine",
    "OrderResult",
    "OrderScreener",
    "OwnershipMap",
    "PartyHit",
    "order_line",
]

VERDICTS: tuple[str, ...] = ("block", "review", "clear")
BLOCK_SCORE = 0.95
RESEMBLE_SCORE = 0.70
FIRST_SEEN_DAYS = 30
CHUNK_LINES = 50_000
ROUTE_CACHE = 50_000
_MISSING = object()
MATCH_LIMIT = 5
# What an order party can be: a person or an organisation (never a vessel or an aircraft).
PARTY_SCHEMAS = frozenset({"Person", "Organization", "Company", "LegalEntity"})
# Findings that are no sign of risk for a red flag to stack with: data that could not be
# read, and a party new to the order history.
_NO_RISK_PREFIXES = ("data.", "redflag.party_first_seen_recently")

PARTY_FIELDS: tuple[str, ...] = ("name", "address", "country")
ORDER_COLUMNS: tuple[str, ...] = (
    "line",
    *(f"{role}_{f}" for role in PARTY_ROLES for f in PARTY_FIELDS),
    "ship_to_country",
    "description",
    "manufacturer",
    "part_number",
    "hs_code",
    "eccn",
    "quantity",
    "value",
)
_KNOWN = frozenset(ORDER_COLUMNS)

# Red flags this module adds to those of the destination rules. A destinations file may
# override severity, source and the numbers under red_flags with the same keys.
KYC_SOURCE = "BIS Know Your Customer Guidance and Red Flags (Supp. No. 3 to 15 CFR Part 732)"
DEFAULT_FLAGS: dict[str, dict[str, Any]] = {
    "consignee_resembles_listed_party": {"severity": "review", "source": KYC_SOURCE, "min_score": RESEMBLE_SCORE},
    "party_first_seen_recently": {"severity": "review", "source": KYC_SOURCE, "days": FIRST_SEEN_DAYS},
}

_ROLE_LABEL = {"buyer": "buyer", "consignee": "consignee", "end_user": "end user", "forwarder": "forwarder",
               "shipper": "shipper", "notify": "notify party", "carrier": "carrier"}


# --- input ----------------------------------------------------------------------------------


@dataclass
class OrderLine:
    line: str
    row: int | None  # line (row) number in the input file
    parties: list[Party]
    ship_to_country: str | None = None
    description: str | None = None
    manufacturer: str | None = None
    part_number: str | None = None
    hs_code: str | None = None
    eccn: str | None = None
    quantity: str | None = None
    value: str | None = None
    voyage: Voyage | None = None  # a shipment's vessel and route

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"shipment" if self.voyage is not None else "line": self.line}
        for p in self.parties:
            for f in PARTY_FIELDS:
                value = getattr(p, f)
                if value:
                    out[f"{p.role}_{f}"] = value
        for key in ORDER_COLUMNS[1 + len(PARTY_ROLES) * len(PARTY_FIELDS):]:
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.voyage is not None:
            out.update(self.voyage.to_dict())
        return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def keyed_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with its keys as the columns are named: lower case, spaces as ``_``."""
    return {str(k).strip().lower().replace(" ", "_"): v for k, v in record.items()}


def record_parties(rec: Mapping[str, Any], roles: Sequence[str]) -> list[Party]:
    """The parties of a :func:`keyed_record`: for each role with any of its
    ``{role}_{name,address,country}`` columns filled, one :class:`Party`."""
    parties: list[Party] = []
    for role in roles:
        values = {f: _text(rec.get(f"{role}_{f}")) for f in PARTY_FIELDS}
        if any(values.values()):
            parties.append(Party(role, values["name"], values["address"], values["country"]))
    return parties


def order_line(record: Mapping[str, Any], row: int | None = None) -> OrderLine:
    """An :class:`OrderLine` from one input record (keys as in ``ORDER_COLUMNS``, any case).

    Raises ValueError when the line has no id or nothing to screen."""
    rec = keyed_record(record)
    line = _text(rec.get("line"))
    if line is None:
        raise ValueError("no line id (column 'line')")
    parties = record_parties(rec, PARTY_ROLES)
    rest: dict[str, Any] = {key: _text(rec.get(key)) for key in ORDER_COLUMNS[1 + len(PARTY_ROLES) * len(PARTY_FIELDS):]}
    order = OrderLine(line, row, parties, **rest)
    if not parties and not any(rest[k] for k in ("ship_to_country", "hs_code", "eccn", "description")):
        raise ValueError(f"line {line!r}: no party, destination or goods to screen")
    return order


@lru_cache(maxsize=1)
def _shipment_columns() -> frozenset[str]:
    from tradeguard.screening.shipments import SHIPMENT_COLUMNS

    return frozenset(SHIPMENT_COLUMNS)


# --- results --------------------------------------------------------------------------------


@dataclass
class PartyHit:
    """A party of the line matched a listed entity at or above the threshold."""

    roles: list[str]
    name: str
    country: str | None  # ISO code where recognised, else as written
    address: str | None
    match: Match
    severity: str


@dataclass
class OrderResult:
    line: str
    row: int | None
    verdict: str
    reasons: list[Finding]  # block and review findings: what produced the verdict
    notes: list[Finding] = field(default_factory=list)  # info findings
    hits: list[PartyHit] = field(default_factory=list)
    order: OrderLine | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "verdict": self.verdict, "reasons": [r.reason() for r in self.reasons]}

    def to_line(self) -> dict[str, Any]:
        """The line's result as the store keeps it and the UI shows it (every finding whole)."""
        return {"line": self.line, "row": self.row, "verdict": self.verdict,
                "reasons": [f.to_dict() for f in self.reasons]}


# --- ownership ------------------------------------------------------------------------------


def _share_words(share: str) -> str:
    if share == "unknown" or share.startswith("unknown"):
        return "an unknown share of"
    return f"{share}% of"


def path_text(chain: Sequence[Any]) -> str:
    """"X (listed) holds 50% of A, which holds 60% of B"."""
    if not chain:
        return ""
    parts = [f"{chain[0].owner} (listed)"]
    for i, step in enumerate(chain):
        verb = "controls" if step.control and step.share.unknown else f"holds {_share_words(step.share.label)}"
        if step.control and not step.share.unknown:
            verb += " (with control)"
        which = "" if i == 0 else ", which "
        parts.append(f"{which}{verb} {step.owned}" if i else f" {verb} {step.owned}")
    return "".join(parts)


# --- addresses of listed parties ------------------------------------------------------------

_ADDRESS_STOP = frozenset(
    ["st", "str", "street", "ul", "ulitsa", "ulica", "vul", "vulytsia", "road", "rd", "ave", "avenue", "blvd", "boulevard", "lane", "ln", "prospekt", "pr", "prosp", "pereulok", "per", "naberezhnaya", "nab", "shosse", "building", "bldg", "bld", "block", "blk", "office", "of", "room", "rm", "floor", "fl", "flat", "apt", "unit", "suite", "ste", "dom", "d", "korpus", "korp", "k", "stroenie", "pom", "pomeshchenie", "kv", "no", "nr", "the", "and",
     # street words of other languages, and their articles: "Via Torino", "Rue de la Paix"
     "via", "viale", "piazza", "corso", "largo", "rue", "place", "quai", "chemin", "allee", "calle", "avenida",
     "plaza", "paseo", "carrer", "rua", "praca", "strasse", "platz", "weg", "gasse", "straat",
     "laan", "plein", "gata", "gatan", "vej", "vegen", "del", "della", "dei", "des", "les", "van", "der", "den",
     "von", "dem", "city", "town", "oblast", "region", "district", "province", "county", "state", "po", "box", "p", "o"]
)


def _address_tokens(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(number tokens, word tokens in order) of an address, transliterated and lower case.

    Tokens with a digit ("383", "14b") are numbers; words shorter than 3 letters and generic
    address words (street, road, office, floor...) are dropped."""
    from tradeguard.matching.normalize import tokenize

    numbers: set[str] = set()
    words: list[str] = []
    for tok in tokenize(text):
        if any(ch.isdigit() for ch in tok):
            numbers.add(tok)
        elif len(tok) >= 3 and tok not in _ADDRESS_STOP and tok not in words:
            words.append(tok)
    return frozenset(numbers), tuple(words)


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Words of country and territory names ("hong", "kong", "islamic", "republic"): shared
    by every address in a country, so they never make two addresses resemble each other."""
    from rigour.territories import get_territories

    from tradeguard.matching.normalize import tokenize

    words: set[str] = set()
    for territory in get_territories():
        for name in (territory.name, territory.full_name):
            if name:
                words.update(tokenize(name))
    return frozenset(words)


def _joined(seq: Sequence[str], other: frozenset[str]) -> set[str]:
    """``seq`` as a set, with adjacent words merged where the merge is one word of ``other``
    ("wan chai" against "wanchai")."""
    out = set(seq)
    for a, b in zip(seq, seq[1:], strict=False):
        merged = a + b
        if merged in other and a not in other and b not in other:
            out.discard(a)
            out.discard(b)
            out.add(merged)
    return out


@dataclass(frozen=True, slots=True)
class _ListedAddress:
    entity: Entity
    text: str
    country: str | None
    numbers: frozenset[str]
    words: frozenset[str]
    sequence: tuple[str, ...]


class AddressIndex:
    """Street addresses of listed entities, for "consignee address resembles a listed party".

    Only addresses with a number (house number or postcode) and at least two words are
    indexed; city-only addresses resemble too much. A consignee address resembles a listed
    address when they share a number and at least two words other than country names, and
    the shared tokens make up at least ``min_overlap`` of the shorter address; addresses in different stated countries
    never resemble each other.
    """

    def __init__(self, entities: Iterable[Entity], min_overlap: float = 0.75, max_postings: int = 500) -> None:
        self.min_overlap = min_overlap
        self.entries: list[_ListedAddress] = []
        postings: dict[str, list[int]] = {}
        for entity in entities:
            seen: set[str] = set()
            for address in entity.addresses:
                text = clean(address.text)
                if not text or text in seen:
                    continue
                seen.add(text)
                numbers, sequence = _address_tokens(text)
                if not numbers or len(sequence) < 2:
                    continue
                idx = len(self.entries)
                country = address.country if address.country and len(address.country) == 2 else None
                words = frozenset(sequence)
                self.entries.append(_ListedAddress(entity, text, country, numbers, words, sequence))
                for tok in numbers | words:
                    postings.setdefault(tok, []).append(idx)
        # Tokens shared by very many addresses ("moscow", "123") retrieve nothing on their own.
        self._postings = {tok: ids for tok, ids in postings.items() if len(ids) <= max_postings}

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, address: str | None, country: str | None = None) -> list[tuple[_ListedAddress, float]]:
        text = clean(address)
        if not text:
            return []
        numbers, sequence = _address_tokens(text)
        if not numbers or len(sequence) < 2:
            return []
        words = frozenset(sequence)
        counts: dict[int, int] = {}
        for tok in numbers | words:
            for idx in self._postings.get(tok, ()):
                counts[idx] = counts.get(idx, 0) + 1
        out: list[tuple[_ListedAddress, float]] = []
        for idx, n in counts.items():
            if n < 3:
                continue
            entry = self.entries[idx]
            if country and entry.country and country[:2] != entry.country:
                continue
            mine = _joined(sequence, entry.words)
            theirs = _joined(entry.sequence, words)
            shared_numbers = numbers & entry.numbers
            shared_words = mine & theirs
            if not shared_numbers or len(shared_words - _country_words()) < 2:
                continue
            shared = len(shared_numbers) + len(shared_words)
            overlap = shared / min(len(numbers) + len(mine), len(entry.numbers) + len(theirs))
            if overlap >= self.min_overlap:
                out.append((entry, round(overlap, 3)))
        out.sort(key=lambda item: (-item[1], item[0].entity.entity_id))
        return out[:3]


# --- the screener ---------------------------------------------------------------------------


def _flag_spec(rules: DestinationRules, key: str) -> dict[str, Any]:
    spec = dict(DEFAULT_FLAGS[key])
    spec.update(rules.red_flags.get(key) or {})
    return spec


def _roles_text(roles: Sequence[str]) -> str:
    labels = [_ROLE_LABEL.get(r, r) for r in roles]
    text = " and ".join(labels) if len(labels) <= 2 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return text[:1].upper() + text[1:]


def _version_ref(v: VersionInfo | None, list_key: str) -> str:
    if v is None:
        return f"{list_key} (version not recorded)"
    return f"{v.list_key} version {v.id} (list date {v.list_date}, sha256 {v.sha256[:12]})"


_QueryKey = tuple[str, str | None, str | None]


class OrderScreener:
    """Screens order lines: parties (matching engine, ownership, history), goods and routes.

    ``screener``: the party screener over the lists in force (None: party names are not
    screened against lists; every result then carries a ``party.not_screened`` note).
    ``rules``: destination rules; ``goods_lists``: the CHPL and user controlled-goods lists;
    ``ownership``: name key -> ownership hits (see :meth:`OrderContext` in
    :mod:`tradeguard.screening.reports`), or None; ``threshold``: the party match threshold.
    """

    def __init__(
        self,
        screener: Screener | None,
        rules: DestinationRules,
        goods_lists: Sequence[GoodsList],
        ownership: OwnershipMap | None = None,
        threshold: float | None = None,
        *,
        block_score: float = BLOCK_SCORE,
        resemble_score: float | None = None,
        history: PartyHistory | None = None,
        first_seen_days: int | None = None,
        addresses: AddressIndex | None = None,
        now: datetime | None = None,
        processes: int | None = None,
        chunk_lines: int = CHUNK_LINES,
        voyages: VoyageChecks | None = None,
    ) -> None:
        self.screener = screener
        # Shipments: records are read as shipments, and the vessel and route are screened.
        self.voyages = voyages
        self.rules = rules
        self.goods_lists = list(goods_lists)
        self.ownership = ownership
        if threshold is None:
            threshold = screener.threshold if screener is not None else 0.8
        self.threshold = float(threshold)
        self.block_score = max(block_score, self.threshold)
        self.resemble_spec = _flag_spec(rules, "consignee_resembles_listed_party")
        self._alone = rules.alone_severities()
        self.first_seen_spec = _flag_spec(rules, "party_first_seen_recently")
        self.resemble_score = float(resemble_score if resemble_score is not None else self.resemble_spec["min_score"])
        self.first_seen_days = int(first_seen_days if first_seen_days is not None else self.first_seen_spec["days"])
        self.history = history
        self.addresses = addresses
        self.now = now or datetime.now(UTC)
        self.processes = processes
        self.chunk_lines = chunk_lines
        self.sensitive = rules.sensitive()
        self.country_names = rules.country_names()
        self.transshipment = frozenset(rules.transshipment)
        self.versions: dict[str, VersionInfo] = (
            {v.list_key: v for v in screener.in_force.versions} if screener is not None else {}
        )
        self.errors: list[RowError] = []
        self.warnings: list[str] = []
        self.lines_read = 0
        self._line_ids: dict[str, int | None] = {}
        self._unknown_columns: set[str] = set()
        self._country_cache: dict[str, str | None] = {}
        self._history_note: str | None = None
        self.history_active = self._history_active()
        # Lines of one order book repeat their parties and routes: destination checks are
        # computed once per (parties, ship-to, goods priority).
        self._destinations: dict[Any, object] = {}
        self._places: dict[Any, list[Finding]] = {}
        self._routes: dict[Any, list[Finding]] = {}  # shipments: route findings per (route, goods priority)

    @staticmethod
    def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
        if len(cache) >= ROUTE_CACHE:
            cache.clear()
        cache[key] = value

    # --- history ---------------------------------------------------------------------

    def _history_active(self) -> bool:
        h = self.history
        if h is None:
            self._history_note = "no order history store: the first-seen check is off"
            return False
        if h.earliest_other_file is None:
            self._history_note = (
                "no other order file has been screened yet: the first-seen check starts once "
                "one has (this file's parties are recorded now)"
            )
            return False
        try:
            earliest = datetime.fromisoformat(h.earliest_other_file)
        except ValueError:
            return False
        if earliest.tzinfo is None:
            earliest = earliest.replace(tzinfo=UTC)
        if self.now - earliest < timedelta(days=self.first_seen_days):
            self._history_note = (
                f"the order history starts {earliest.date().isoformat()}, less than "
                f"{self.first_seen_days} days ago: the first-seen check is off until it covers that long"
            )
            return False
        return True

    @property
    def notes(self) -> list[str]:
        out = list(self.warnings)
        if self._history_note:
            out.append(self._history_note)
        if self._unknown_columns:
            out.append(
                "columns not used by order screening (check their spelling): "
                + ", ".join(sorted(self._unknown_columns))
            )
        return out

    # --- input -----------------------------------------------------------------------

    def _read(self, records: Iterable[Any]) -> Iterator[OrderLine]:
        for number, item in enumerate(records, start=1):
            if isinstance(item, tuple):
                row, record = item
            else:
                row, record = number, item
            self.lines_read += 1
            if isinstance(record, RowError):
                self.errors.append(record)
                continue
            if not isinstance(record, Mapping):
                self.errors.append(RowError(row, "expected a record with named columns"))
                continue
            known = _KNOWN if self.voyages is None else _shipment_columns()
            for key in record:
                k = str(key).strip().lower().replace(" ", "_")
                if k not in known:
                    self._unknown_columns.add(k)
            try:
                order = order_line(record, row) if self.voyages is None else self._shipment(record, row)
            except ValueError as exc:
                self.errors.append(RowError(row, str(exc)))
                continue
            if order.line in self._line_ids:
                first = self._line_ids[order.line]
                self.errors.append(RowError(row, f"line id {order.line!r} repeated (first on line {first}): row skipped"))
                continue
            self._line_ids[order.line] = row
            yield order

    def _shipment(self, record: Mapping[str, Any], row: int | None) -> OrderLine:
        from tradeguard.screening.shipments import shipment_line

        assert self.voyages is not None
        order = shipment_line(record, row)
        if order.voyage is not None:
            order.ship_to_country = self.voyages.destination(order.voyage)
        return order

    def screen_lines(self, records: Iterable[Any]) -> Iterator[OrderResult]:
        """One result per readable order line, in input order.

        ``records``: mappings, or ``(line number, mapping or RowError)`` pairs as
        :func:`~tradeguard.screening.records.iter_records` yields them. Unreadable rows are
        collected in :attr:`errors` (with their line) and skipped."""
        batch: list[OrderLine] = []
        for order in self._read(records):
            batch.append(order)
            if len(batch) >= self.chunk_lines:
                yield from self._screen_batch(batch)
                batch = []
        if batch:
            yield from self._screen_batch(batch)

    # --- country helpers -------------------------------------------------------------

    def _country(self, value: str | None) -> str | None:
        if value is None:
            return None
        if value not in self._country_cache:
            self._country_cache[value] = self.rules.resolve_country(value)
        return self._country_cache[value]

    # --- party screening -------------------------------------------------------------

    def _query_key(self, party: Party) -> _QueryKey | None:
        if not party.name:
            return None
        code = self._country(party.country)
        return (party.name, code[:2] if code else None, party.address)

    def _screen_parties(self, batch: Sequence[OrderLine]) -> dict[_QueryKey, list[Match]]:
        """Every distinct (name, country, address) of the batch, screened in one call at the
        resemblance score (the lower of it and the threshold): one pass gives both the
        matches (at or above the threshold, any role) and the consignees' near misses."""
        if self.screener is None:
            return {}
        from tradeguard.matching import Query

        keys: dict[_QueryKey, None] = {}
        for order in batch:
            for party in order.parties:
                key = self._query_key(party)
                if key is not None:
                    keys[key] = None
        if not keys:
            return {}
        ordered = list(keys)
        items: list[tuple[str, Query]] = [
            (str(i), Query(name=name, country=country, address=address))
            for i, (name, country, address) in enumerate(ordered)
        ]
        results = self.screener.screen_queries(
            items, threshold=min(self.resemble_score, self.threshold), limit=2 * MATCH_LIMIT,
            processes=self.processes,
        )
        # A buyer, consignee, end user or forwarder is a person or an organisation, never a
        # vessel or an aircraft: "Georges" is not the listed vessel alias "George S.". (The
        # query stays schema-less so that an exact listed person's name still blocks; a name
        # with a legal form is scored as an organisation by the engine.)
        return {
            key: [m for m in res.matches if m.entity.schema in PARTY_SCHEMAS][:MATCH_LIMIT]
            for key, res in zip(ordered, results, strict=True)
        }

    def _party_findings(
        self, order: OrderLine, matches: Mapping[_QueryKey, list[Match]]
    ) -> tuple[list[Finding], list[PartyHit]]:
        findings: list[Finding] = []
        # (name key, entity id) -> best match, roles
        best: dict[tuple[str, str], tuple[Match, list[str], Party]] = {}
        resembles: dict[tuple[str, str], tuple[Match, Party]] = {}
        for party in order.parties:
            key = self._query_key(party)
            if key is None:
                continue
            for m in matches.get(key, ()):
                pair = (name_key(party.name or ""), m.entity.entity_id)
                if m.score >= self.threshold:
                    prior = best.get(pair)
                    if prior is None:
                        best[pair] = (m, [party.role], party)
                    else:
                        if party.role not in prior[1]:
                            prior[1].append(party.role)
                        if m.score > prior[0].score:
                            best[pair] = (m, prior[1], party)
                elif party.role == "consignee" and m.score >= self.resemble_score:
                    resembles.setdefault(pair, (m, party))
        hits: list[PartyHit] = []
        for m, roles, party in best.values():
            severity = "block" if m.score >= self.block_score else "review"
            e = m.entity
            verdict_note = (
                f"at or above {self.block_score:.2f}: treated as the listed party"
                if severity == "block"
                else f"between the threshold {self.threshold:.2f} and {self.block_score:.2f}: a reviewer must confirm"
            )
            findings.append(Finding(
                "party.listed_match",
                f"{_roles_text(roles)} {party.name!r} matches listed {e.schema} {e.caption!r} "
                f"({e.list} {e.source_id}) on the {m.name_kind} name {m.matched_name!r}, score "
                f"{m.score:.3f} ({verdict_note})",
                _version_ref(self.versions.get(e.list), e.list),
                severity,
                roles[0],
            ))
            code = self._country(party.country)
            country = code[:2] if code else party.country
            hits.append(PartyHit(roles, party.name or "", country, party.address, m, severity))
        spec = self.resemble_spec
        for pair, (m, party) in resembles.items():
            if (pair[0], pair[1]) in best:
                continue
            e = m.entity
            findings.append(Finding(
                "redflag.consignee_resembles_listed_party",
                f"Consignee {party.name!r} resembles listed {e.schema} {e.caption!r} ({e.list} "
                f"{e.source_id}) on the {m.name_kind} name {m.matched_name!r}, score {m.score:.3f} "
                f"(between {self.resemble_score:.2f} and the threshold {self.threshold:.2f})",
                f"{spec['source']}; {_version_ref(self.versions.get(e.list), e.list)}",
                spec["severity"], "consignee",
            ))
        if self.addresses is not None:
            for party in order.parties:
                if party.role != "consignee" or not party.address:
                    continue
                code = self._country(party.country)
                for entry, overlap in self.addresses.lookup(party.address, code):
                    e = entry.entity
                    findings.append(Finding(
                        "redflag.consignee_address_resembles_listed_party",
                        f"Consignee address {party.address!r} resembles the address of listed "
                        f"{e.schema} {e.caption!r} ({e.list} {e.source_id}): {entry.text!r} "
                        f"({overlap:.0%} of the address tokens shared)",
                        f"{spec['source']}; {_version_ref(self.versions.get(e.list), e.list)}",
                        spec["severity"], "consignee",
                    ))
        return findings, hits

    def _by_name(self, order: OrderLine) -> dict[str, tuple[str, list[str]]]:
        """Name key -> (name as written first, roles)."""
        out: dict[str, tuple[str, list[str]]] = {}
        for party in order.parties:
            if not party.name:
                continue
            key = name_key(party.name)
            if not key:
                continue
            if key in out:
                out[key][1].append(party.role)
            else:
                out[key] = (party.name, [party.role])
        return out

    def _ownership_findings(self, named: Mapping[str, tuple[str, list[str]]]) -> list[Finding]:
        own = self.ownership
        if own is None:
            return []
        findings: list[Finding] = []
        for key, (name, roles) in named.items():
            for hit in own.hits.get(key, ()):
                res = hit.result
                regime = hit.regime.upper()
                source = f"{own.source}; {own.listed_source.get(hit.regime, '')}".rstrip("; ")
                subject = roles[0]
                who = f"{_roles_text(roles)} {name!r}"
                if res.entity.casefold() != name.casefold():
                    who += f" (ownership graph node {res.entity!r})"
                paths = res.paths
                shown = "; ".join(path_text(p) for p in paths[:3])
                if len(paths) > 3:
                    shown += f"; and {len(paths) - 3} more path(s)"
                if res.status == "blocked":
                    findings.append(Finding(
                        "ownership.blocked",
                        f"{who} is blocked under {regime} by ownership: {shown or res.detail} ({res.detail})",
                        source, "block", subject,
                    ))
                elif res.status == "cannot_exclude":
                    findings.append(Finding(
                        "ownership.cannot_exclude",
                        f"{who}: blocking under {regime} cannot be excluded: {shown or res.detail} ({res.detail})",
                        source, "review", subject,
                    ))
                if res.status != "blocked":
                    for flag in res.caution:
                        findings.append(Finding(
                            "ownership.caution",
                            f"{who} ({regime}): {flag.detail}",
                            source, "review", subject,
                        ))
        return findings

    def _history_findings(self, named: Mapping[str, tuple[str, list[str]]]) -> list[Finding]:
        if not self.history_active or self.history is None:
            return []
        spec = self.first_seen_spec
        days = self.first_seen_days
        cutoff = self.now - timedelta(days=days)
        history = self.history
        findings: list[Finding] = []
        for key, (name, roles) in named.items():
            seen = history.seen.get(key[:HISTORY_KEY_LENGTH])
            if seen is None or seen.first_file == history.file_sha:
                detail = (
                    f"{_roles_text(roles)} {name!r} appears in no earlier screened order file "
                    "(first seen in this file)"
                )
            else:
                try:
                    first = datetime.fromisoformat(seen.first_seen)
                except ValueError:
                    continue
                if first.tzinfo is None:
                    first = first.replace(tzinfo=UTC)
                if first <= cutoff:
                    continue
                detail = (
                    f"{_roles_text(roles)} {name!r} was first seen {first.date().isoformat()} in "
                    f"{seen.first_file_name}, less than {days} days ago"
                )
            findings.append(Finding(
                "redflag.party_first_seen_recently", detail,
                f"{spec['source']}; order history in the store since {history.earliest_other_file}",
                spec["severity"], roles[0],
            ))
        return findings

    # --- destinations and goods ------------------------------------------------------

    def _country_findings(self, order: OrderLine, found: list[Finding]) -> list[Finding]:
        """Countries that are neither recognised nor place names the rules know."""
        out: list[Finding] = []
        fields = [("ship_to", "ship-to country", order.ship_to_country)] + [
            (p.role, f"{_ROLE_LABEL.get(p.role, p.role)} country", p.country) for p in order.parties
        ]
        flagged = {f.subject for f in found if f.rule.startswith("destination.sanctioned")}
        for subject, label, value in fields:
            if value and self._country(value) is None and subject not in flagged:
                out.append(Finding(
                    "data.unknown_country",
                    f"{label} {value!r} is not a country tradeguard recognises (ISO code or name)",
                    "order data", "review", subject,
                ))
        return out

    def _goods_findings(self, order: OrderLine, destination: str | None) -> tuple[list[Finding], str | None]:
        findings: list[Finding] = []
        high_priority: str | None = None
        if order.hs_code:
            findings += check_hs(
                order.hs_code, self.goods_lists, destination, self.sensitive, self.transshipment,
                self.country_names,
            )
            for goods_list in self.goods_lists:
                if goods_list.kind != "chpl":
                    continue
                try:
                    found = goods_list.lookup(order.hs_code)
                except GoodsError:
                    continue
                if found:
                    tier = found[0].entry.tier
                    high_priority = f"HS {order.hs_code} ({goods_list.name}" + (f", tier {tier})" if tier else ")")
                    break
        if order.eccn:
            findings += check_eccn(order.eccn, destination, self.sensitive, self.rules.source, self.country_names)
        return findings, high_priority

    def _weigh_red_flags(self, findings: list[Finding]) -> list[Finding]:
        """Red flags that count only beside risk (``alone`` in the rules file) become notes
        when nothing else on the line carries risk: no goods finding (high-priority or
        controlled goods), no destination, party or ownership reason, no second flag."""
        alone = self._alone
        flags = [f for f in findings if f.rule in alone]
        if not flags:
            return findings
        risk = any(
            f.rule.startswith("goods.")
            or (f.severity in ("block", "review") and f.rule not in alone and not f.rule.startswith(_NO_RISK_PREFIXES))
            for f in findings
        )
        kinds = {f.rule for f in flags}
        out: list[Finding] = []
        for f in findings:
            if f.rule in alone and not risk and kinds == {f.rule}:
                f = replace(f, severity=alone[f.rule],
                            detail=f"{f.detail}; alone, on goods and countries with no other sign of risk")
            out.append(f)
        return out

    # --- one batch -------------------------------------------------------------------

    def _screen_batch(self, batch: Sequence[OrderLine]) -> Iterator[OrderResult]:
        matches = self._screen_parties(batch)
        vessels = self._screen_vessels(batch)
        for order in batch:
            yield self.screen_line(order, matches, vessels)

    def _screen_vessels(self, batch: Sequence[OrderLine]) -> dict[str, list[Match]]:
        if self.voyages is None:
            return {}
        return self.voyages.screen_vessels((o.voyage for o in batch if o.voyage is not None), self.processes)

    def _voyage_findings(self, order: OrderLine, vessels: Mapping[str, list[Match]],
                         high_priority: str | None, found: list[Finding]) -> list[Finding]:
        """The vessel, the route and the flag of a shipment; the flag of convenience counts
        where the goods, the route or the vessel already carry risk: another reason to
        review or block (high-priority goods between low-risk ports are no such reason)."""
        if self.voyages is None or order.voyage is None:
            return []
        voyage = order.voyage
        key = (tuple(voyage.route()), bool(high_priority))
        route = self._routes.get(key)
        if route is None:
            route = self.voyages.route_findings(voyage, bool(high_priority))
            self._remember(self._routes, key, route)
        out = self.voyages.vessel_findings(voyage, vessels) + route
        risky = any(
            f.rule.startswith(("goods.", "port.", "destination.", "vessel.")) and f.severity in ("block", "review")
            for f in (*found, *out)
        )
        return out + self.voyages.flag_findings(voyage, risky)

    def screen_line(
        self,
        order: OrderLine,
        matches: Mapping[_QueryKey, list[Match]] | None = None,
        vessels: Mapping[str, list[Match]] | None = None,
    ) -> OrderResult:
        """Screen one parsed line; ``matches`` and ``vessels``: the party and vessel
        screening of its batch (screened here when not given)."""
        if matches is None:
            matches = self._screen_parties([order])
        if vessels is None:
            vessels = self._screen_vessels([order])
        findings: list[Finding] = []
        party_findings, hits = self._party_findings(order, matches)
        findings += party_findings
        named = self._by_name(order)
        findings += self._ownership_findings(named)
        route = (tuple(order.parties), order.ship_to_country)
        destination = self._destinations.get(route, _MISSING)
        if destination is _MISSING:
            destination = self.rules.destination(order.ship_to_country, order.parties)
            self._remember(self._destinations, route, destination)
        assert destination is None or isinstance(destination, str)
        goods, high_priority = self._goods_findings(order, destination)
        findings += goods
        key = (route, high_priority)
        places = self._places.get(key)
        if places is None:
            places = self.rules.check_parties(order.parties, order.ship_to_country, high_priority)
            self._remember(self._places, key, places)
        findings += places
        findings += self._voyage_findings(order, vessels, high_priority, findings)
        findings += self._country_findings(order, places)
        findings += self._history_findings(named)
        unique: dict[tuple[str, str], Finding] = {}
        for f in findings:
            unique.setdefault((f.rule, f.detail), f)
        kept = self._weigh_red_flags(list(unique.values()))
        reasons = [f for f in kept if f.severity in ("block", "review")]
        reasons.sort(key=lambda f: ("block", "review").index(f.severity))
        notes = [f for f in kept if f.severity not in ("block", "review")]
        if self.screener is None and any(p.name for p in order.parties):
            notes.append(Finding("party.not_screened", "party names were not screened against lists",
                                 "no lists loaded", "info"))
        worst = worst_severity(reasons)
        verdict = worst if worst in ("block", "review") else "clear"
        return OrderResult(order.line, order.row, verdict, reasons, notes, hits, order)
