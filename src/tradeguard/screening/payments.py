"""Payment screening: every party, agent, place, identifier and free text of a payment
message (:mod:`tradeguard.payments`), with a verdict per transaction.

What is checked, per transaction (each hit names the field path, the value, the rule and
the listed entry or the data it comes from):

* names of every party and agent, through the matching engine (schema as the message says:
  ``Person``, ``Organization``, else ``LegalEntity``), with the party's country and LEI;
* BICs, exactly and by institution: a listed BIC8 (the head office) holds every branch of
  it, a listed branch holds its head office too (one legal entity); LEIs exactly;
* places: the party's country, its address (sanctioned places and occupied regions from
  ``destinations.yml``), the country letters of its BIC and of its IBAN;
* free text (remittance information, instructions, purpose, regulatory details; MT 70, 72,
  77B): listed names written inside running text, found by sliding windows of tokens over
  the matching index at a stricter threshold (:data:`TEXT_THRESHOLD`); a window of common
  English words only must match a listed name exactly (:data:`EXACT_SCORE`).

Verdicts: ``hold`` when anything hit, ``release`` when nothing did, ``error`` when the
message or the transaction could not be read (fail closed: never ``release``).

``regime`` (``ofac``, ``eu``, ``uk``) keeps the name, BIC and LEI hits on parties listed
under that regime (:data:`REGIME_LISTS`: the UN's listings bind the EU and the UK); place
and country rules apply under every regime.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

from tradeguard.matching import Match, Query
from tradeguard.matching.normalize import NAME, analyse, optional_word
from tradeguard.payments.model import FreeText, Message, PaymentParty, Transaction
from tradeguard.screening.destinations import DestinationRules
from tradeguard.screening.goods import Finding
from tradeguard.screening.links import list_regime, strong_value
from tradeguard.screening.parties import ListsInForce, Screener

TEXT_THRESHOLD = 0.86  # a name inside free text: stricter than in a name field (0.80)
EXACT_SCORE = 0.98  # a window of common words only: the listed name itself
MAX_WINDOW = 8  # tokens in a free-text window
COMMON_ZIPF = 4.0  # wordfreq Zipf frequency from which an English word is common
BIC_BRANCH_SCORE = 0.95  # same institution (BIC8), another branch
CACHE_SIZE = 50_000  # parties and texts whose hits are kept
PARALLEL_MIN_TX = 400  # transactions of one message from which they are screened on every core
CHUNKS_PER_PROCESS = 4  # contiguous runs of a batch per worker (a run repeats its debtor)

# Which listings a regime is bound by (list_regime codes).
REGIME_LISTS: dict[str, frozenset[str]] = {
    "ofac": frozenset({"US"}),
    "eu": frozenset({"EU", "UN"}),
    "uk": frozenset({"UK", "UN"}),
}
VERDICTS = ("hold", "release", "error")

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*", re.UNICODE)
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")


@dataclass
class PaymentHit:
    """One reason to hold a transaction."""

    field: str  # path of the field, e.g. "CdtTrfTxInf/Cdtr/Nm", "59", "RmtInf/Ustrd[1]"
    value: str  # what the field holds (for free text: the span found)
    kind: str  # name | bic | lei | text | country | place | bic_country | iban_country
    rule: str
    score: float | None = None
    list: str | None = None
    source_id: str | None = None
    entity_id: str | None = None
    matched_name: str | None = None
    explanation: Any = None
    source: str | None = None  # the data the rule comes from (destinations rules)
    party: dict[str, Any] | None = None  # the listed party: every listing, its regimes
    role: str | None = None  # the payment party the hit is about (debtor, creditor_agent ...)
    subject: str | None = None  # its name (or BIC); for free text, the span
    subject_country: str | None = None
    subject_schema: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field, "value": self.value, "kind": self.kind, "rule": self.rule,
            "list": self.list, "source_id": self.source_id, "entity_id": self.entity_id,
            "score": round(self.score, 4) if self.score is not None else None,
            "matched_name": self.matched_name, "explanation": self.explanation,
        }
        if self.source:
            out["source"] = self.source
        if self.party:
            out["party"] = self.party
        if self.role:
            out["role"] = self.role
        return out


@dataclass
class PaymentResult:
    """The verdict on one transaction (or on a message that could not be read)."""

    source: str
    message_index: int
    message_id: str | None
    transaction_id: str | None
    format: str | None
    verdict: str
    hits: list[PaymentHit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id, "transaction_id": self.transaction_id, "format": self.format,
            "verdict": self.verdict, "hits": [h.to_dict() for h in self.hits], "errors": self.errors,
            "source": self.source, "message_index": self.message_index,
        }


EDGE_ZIPF = 6.5  # words such as "for", "the", "to", "by": a name never starts or ends with them


@lru_cache(maxsize=65_536)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


@lru_cache(maxsize=65_536)
def _rare(token: str) -> bool:
    """A word that can carry a name in running text: three letters or more, not a number,
    not a common English word, not a legal form, title or business word."""
    if len(token) < 3 or token.isdigit() or _zipf(token.casefold()) >= COMMON_ZIPF:
        return False
    form = analyse(token, None)
    return any(role == NAME for role in form.roles)


def _windows(tokens: Sequence[str], longest: int = MAX_WINDOW) -> Iterable[tuple[int, int]]:
    """(start, end) of every run of 1..``longest`` tokens, longest first at each start,
    that neither starts nor ends with a word as common as "for" or "the"."""
    edge = [_zipf(t.casefold()) < EDGE_ZIPF and not t.isdigit() for t in tokens]
    for start in range(len(tokens)):
        if not edge[start]:
            continue
        for end in range(min(len(tokens), start + longest), start, -1):
            if edge[end - 1]:
                yield start, end


class PaymentScreener:
    """Screens payment transactions against the lists of a :class:`Screener`."""

    def __init__(
        self,
        screener: Screener,
        rules: DestinationRules | None = None,
        *,
        threshold: float | None = None,
        text_threshold: float = TEXT_THRESHOLD,
        regime: str | None = None,
        processes: int = 1,
    ) -> None:
        """``processes``: worker processes (forked) for a message of many transactions; 0:
        every core. The default, 1, screens in the calling process (a server's threads
        must not fork)."""
        self.screener = screener
        self.processes = processes or (os.cpu_count() or 1)
        self.rules = rules if rules is not None else DestinationRules.load()
        self.threshold = screener.threshold if threshold is None else threshold
        self.text_threshold = max(text_threshold, self.threshold)
        self.regime = _regime(regime)
        self._known_tokens: dict[str, bool] = {}
        self._party_cache: dict[PaymentParty, list[PaymentHit]] = {}
        self._text_cache: dict[FreeText, list[PaymentHit]] = {}
        self._bics: dict[str, list[int]] = {}  # listed BIC (BIC8 for a head office) -> entities
        self._branches: dict[str, list[int]] = {}  # BIC8 of a listed branch -> entities
        self._leis: dict[str, list[int]] = {}
        for ei, entity in enumerate(screener.matcher.entities):
            for ident in entity.identifiers:
                if ident.type in ("bic", "lei") and (value := strong_value(ident.type, ident.value)):
                    index = self._bics if ident.type == "bic" else self._leis
                    index.setdefault(value, []).append(ei)
                    if ident.type == "bic" and len(value) == 11:
                        self._branches.setdefault(value[:8], []).append(ei)
        _zipf("payment")  # wordfreq's English frequencies loaded now, not by the first messages at once

    # --- messages -------------------------------------------------------------------------

    def screen_message(self, message: Message, regime: str | None = None) -> list[PaymentResult]:
        """One result per transaction; one ``error`` result for a message that could not be
        read. ``regime`` overrides the screener's for this message."""
        if not message.transactions:
            errors = [str(e) for e in message.errors] or [f"{message.source}, message {message.index}: no transaction"]
            return [PaymentResult(message.source, message.index, message.message_id, None, message.format,
                                  "error", [], errors)]
        results = self._screen_transactions(message, regime)
        if message.errors and all(r.verdict != "error" for r in results):
            # A problem of the message itself (its header, say): no transaction of it is released.
            for r in results:
                r.errors = [str(e) for e in message.errors]
                r.verdict = "error"
        return results

    def _screen_transactions(self, message: Message, regime: str | None) -> list[PaymentResult]:
        """Every transaction of a message, in order: a batch of many split into contiguous
        runs screened by forked workers (each with its own caches), as
        :meth:`Screener.screen_queries` does for names."""
        txs = message.transactions
        if (self.processes <= 1 or len(txs) < PARALLEL_MIN_TX
                or "fork" not in multiprocessing.get_all_start_methods()):
            return [self.screen_transaction(tx, message, regime) for tx in txs]
        global _WORKER_BATCH
        _WORKER_BATCH = (self, message, regime)
        size = -(-len(txs) // (self.processes * CHUNKS_PER_PROCESS))
        runs = [(start, min(start + size, len(txs))) for start in range(0, len(txs), size)]
        gc.freeze()  # the index is read-only from here: keep the forked workers from copying it
        try:
            with multiprocessing.get_context("fork").Pool(self.processes) as pool:
                return [r for found in pool.imap(_worker_screen_run, runs) for r in found]
        finally:
            _WORKER_BATCH = None
            gc.unfreeze()

    def screen_transaction(self, tx: Transaction, message: Message, regime: str | None = None) -> PaymentResult:
        hits: list[PaymentHit] = []
        for party in tx.parties:
            hits.extend(self._cached(self._party_cache, party, self._party_hits))
        for text in tx.texts:
            hits.extend(self._cached(self._text_cache, text, self._text_hits))
        hits = self._in_regime(_unique(hits), _regime(regime) or self.regime)
        errors = list(tx.errors)
        verdict = "error" if errors else "hold" if hits else "release"
        return PaymentResult(message.source, message.index, tx.message_id, tx.transaction_id, tx.format,
                             verdict, hits, errors)

    @staticmethod
    def _cached(cache: dict[Any, list[PaymentHit]], key: Any, compute: Any) -> list[PaymentHit]:
        """The hits of a party or a text seen before (a batch repeats its debtor, its banks
        and its remittance wording); bounded."""
        found = cache.get(key)
        if found is None:
            found = compute(key)
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            cache[key] = found
        return list(found)

    # --- parties and agents -----------------------------------------------------------------

    def _party_hits(self, party: PaymentParty) -> list[PaymentHit]:
        hits: list[PaymentHit] = []
        if party.name:
            query = Query(name=party.name, schema=party.schema, country=party.country,
                          identifiers=[f"LEI {party.lei}"] if party.lei else [])
            for m in self.screener.match_query(query, limit=5, threshold=self.threshold):
                hits.append(self._match_hit(_field(party, "name"), party.name, "name", "payment.listed_name", m))
        if party.bic:
            hits.extend(self._bic_hits(party))
        if party.lei:
            for ei in self._leis.get(strong_value("lei", party.lei) or "", ()):
                hits.append(self._entity_hit(_field(party, "lei"), party.lei, "lei", "payment.listed_lei", ei, 1.0,
                                             "the LEI of a listed entity"))
        hits.extend(self._place_hits(party))
        for h in hits:
            h.role, h.subject, h.subject_country = party.role, party.name or party.bic or party.lei, party.country
            h.subject_schema = party.schema if party.schema in ("Person", "Organization") else None
        return hits

    def _bic_hits(self, party: PaymentParty) -> list[PaymentHit]:
        assert party.bic is not None
        bic = strong_value("bic", party.bic)
        path = _field(party, "bic")
        if bic is None:
            return []
        found: dict[int, tuple[float, str]] = {}
        for ei in self._bics.get(bic, ()):
            found[ei] = (1.0, f"the SWIFT/BIC {bic} of a listed entity")
        for ei in (*self._bics.get(bic[:8], ()), *self._branches.get(bic[:8], ())):
            if ei not in found:
                found[ei] = (BIC_BRANCH_SCORE, f"the institution {bic[:8]} of a listed entity (another branch)")
        hits = [self._entity_hit(path, party.bic, "bic", "payment.listed_bic", ei, score, why)
                for ei, (score, why) in found.items()]
        hits.extend(self._finding_hits(path, party.bic, "bic_country",
                                       self.rules.check_country(bic[4:6], f"{party.role} BIC")))
        return hits

    def _place_hits(self, party: PaymentParty) -> list[PaymentHit]:
        subject = party.role.replace("_", " ")
        hits: list[PaymentHit] = []
        address = party.address
        country = party.country or (address.country if address else None)
        if country:
            hits.extend(self._finding_hits(_field(party, "country"), country, "country",
                                           self.rules.check_country(country, subject)))
        if address is not None:
            text = address.text()
            if text:
                hits.extend(self._finding_hits(_field(party, "address"), text, "place",
                                               self.rules.check_address(text, country, subject)))
        if party.account:
            iban = re.sub(r"\s+", "", party.account).upper()
            if _IBAN.fullmatch(iban):
                hits.extend(self._finding_hits(_field(party, "iban"), party.account, "iban_country",
                                               self.rules.check_country(iban[:2], f"{subject} IBAN")))
        return hits

    # --- free text --------------------------------------------------------------------------

    def _known(self, token: str) -> bool:
        """The token can be a word of a list name: a word of some list name (or one letter
        from one), or a legal form, title or particle (which the index leaves out)."""
        found = self._known_tokens.get(token)
        if found is None:
            form = analyse(token, None)
            index = self.screener.matcher.index
            found = optional_word(token) or any(
                index.lookup(t, k or t) for t, k in zip(form.tokens, form.keys, strict=False)
            )
            if len(self._known_tokens) < 200_000:
                self._known_tokens[token] = found
        return found

    def _text_hits(self, text: FreeText) -> list[PaymentHit]:
        """Listed names inside running text: every window of tokens that starts and ends
        with a word of some list name and holds a rare one is matched at the text
        threshold; a window of common words only must be a list name exactly."""
        written = [m.group(0) for m in _TOKEN.finditer(text.text)]
        known = [self._known(t) for t in written]
        rare = [k and _rare(t) for t, k in zip(written, known, strict=True)]
        covered: set[int] = set()
        hits: list[PaymentHit] = []
        for start, end in _windows(written):
            if not (known[start] and known[end - 1]) or (start in covered and end - 1 in covered):
                continue
            distinctive = any(rare[start:end])
            if not distinctive and end - start < 2:
                continue
            span = " ".join(written[start:end])
            floor = self.text_threshold if distinctive else EXACT_SCORE
            for m in self.screener.match_query(Query(name=span), limit=3, threshold=floor):
                if not _carried(m, exact=not distinctive):
                    continue
                hit = self._match_hit(text.path, span, "text", "payment.listed_name_in_text", m)
                hit.explanation = {**(m.explanation or {}),
                                   "span": {"start": start, "end": end, "text": span, "in": text.text}}
                hits.append(hit)
                covered.update(range(start, end))
        return hits

    # --- hits -------------------------------------------------------------------------------

    def _match_hit(self, path: str, value: str, kind: str, rule: str, m: Match) -> PaymentHit:
        e = m.entity
        return PaymentHit(path, value, kind, rule, float(m.score), e.list, e.source_id, e.entity_id,
                          m.matched_name, m.explanation)

    def _entity_hit(self, path: str, value: str, kind: str, rule: str, ei: int, score: float, why: str) -> PaymentHit:
        e = self.screener.matcher.entities[ei]
        return PaymentHit(path, value, kind, rule, score, e.list, e.source_id, e.entity_id, e.caption,
                          {"identifier": why})

    def _finding_hits(self, path: str, value: str, kind: str, findings: Iterable[Finding]) -> list[PaymentHit]:
        return [PaymentHit(path, value, kind, f.rule, explanation=f.detail, source=f.source)
                for f in findings]

    def _in_regime(self, hits: list[PaymentHit], regime: str | None) -> list[PaymentHit]:
        """The listed parties of the hits (every listing, across lists) and, under a regime,
        only the hits on parties that regime binds."""
        listed = [h for h in hits if h.entity_id]
        parties = self.screener.party_summaries(h.entity_id or "" for h in listed) if listed else {}
        for h in listed:
            h.party = parties.get(h.entity_id or "")
        if regime is None:
            return hits
        bound = REGIME_LISTS[regime]

        def binds(h: PaymentHit) -> bool:
            regimes = h.party["regimes"] if h.party else [list_regime(h.list or "")]
            return bool(bound & set(regimes))

        return [h for h in hits if not h.entity_id or binds(h)]


_MT_PATH = re.compile(r"^(?:B/)?\d{2}[A-Z]?$|^block \d$")


_WORKER_BATCH: tuple[PaymentScreener, Message, str | None] | None = None  # set before forking


def _worker_screen_run(run: tuple[int, int]) -> list[PaymentResult]:
    assert _WORKER_BATCH is not None
    payments, message, regime = _WORKER_BATCH
    return [payments.screen_transaction(tx, message, regime) for tx in message.transactions[run[0]:run[1]]]


def _field(party: PaymentParty, what: str) -> str:
    """The path of the element holding ``what`` of a party. SWIFT MT keeps everything of a
    party in its one field (``59``, ``57A``); ISO 20022 in sub-elements (as in v08+)."""
    if _MT_PATH.match(party.path):
        return party.path
    if what == "iban":  # the account is the party's sibling: Cdtr -> CdtrAcct
        base = party.path.removesuffix("/FinInstnId")
        return f"{base}Acct/Id/IBAN"
    if what == "bic":
        return f"{party.path}/BICFI" if party.kind == "agent" else f"{party.path}/Id/OrgId/AnyBIC"
    if what == "lei":
        return f"{party.path}/LEI" if party.kind == "agent" else f"{party.path}/Id/OrgId/LEI"
    if what == "country":
        stated = party.address.country if party.address else None
        return f"{party.path}/PstlAdr/Ctry" if stated and stated == party.country else f"{party.path}/CtryOfRes"
    return f"{party.path}/{'PstlAdr' if what == 'address' else 'Nm'}"


def _carried(m: Match, exact: bool) -> bool:
    """A match in free text stands on name words: two list words found, or one rare word
    of six letters or more (never an acronym or a legal form alone), with a rare word among
    them; a window of common words only (``exact``) must be the whole list name."""
    name = (m.explanation or {}).get("name") or {}
    paired = [t for t in name.get("tokens") or [] if t.get("list") and t.get("query")]
    if exact:
        return len(paired) >= 2 and not name.get("unmatched_list") and not name.get("unmatched_query")
    if not paired:
        return False
    if len(paired) == 1:
        # One name word: a long one, or a shorter one with the rest of the list name found
        # among the window's legal forms and business words ("TAMAS COMPANY").
        word = paired[0]["query"]
        whole = not name.get("unmatched_list") and len(str(name.get("query", "")).split()) >= 2
        if not (len(word) >= 6 or (len(word) >= 4 and whole)):
            return False
    return any(_rare(t["query"]) for t in paired)


def _regime(value: str | None) -> str | None:
    if value is None:
        return None
    if value.casefold() not in REGIME_LISTS:
        raise ValueError(f"unknown regime '{value}': use one of {', '.join(REGIME_LISTS)}")
    return value.casefold()


def _unique(hits: list[PaymentHit]) -> list[PaymentHit]:
    """One hit per field and listed entry (or rule): the best."""
    best: dict[tuple[str, str, str], PaymentHit] = {}
    for h in hits:
        key = (h.field, h.kind, h.entity_id or f"{h.rule}:{h.value}:{h.explanation}")
        held = best.get(key)
        if held is None or (h.score or 0) > (held.score or 0):
            best[key] = h
    return list(best.values())


# --- keeping what was screened ------------------------------------------------------------------


def link_listings_for(screener: Screener, results: Sequence[PaymentResult]) -> None:
    """Alerts are per listed party: where a result hits a listed entity, make sure the
    listings in force are linked into parties (outside the write that raises the alerts).
    Once the screener's versions are known linked, this reads nothing."""
    from tradeguard.store.links import ensure_links

    engine = screener.engine
    if engine is None or not any(h.entity_id for r in results for h in r.hits):
        return
    if not listings_linked(screener):
        ensure_links(engine)


def listings_linked(screener: Screener) -> bool:
    """Whether the listings of the screener's versions are known linked into parties (so
    screening reads, and computes, no link; read once, then remembered)."""
    from tradeguard.store.links import stored_run

    return screener.engine is None or stored_run(screener.engine, screener.in_force.version_pairs()) is not None


@dataclass
class PaymentCall:
    """One screening call's transactions, to keep with :func:`record_payment_calls` (plain
    data: a server sends it to its keeper process)."""

    results: Sequence[PaymentResult]
    texts: Mapping[str, str]  # source -> the message text kept with them
    actor: str
    in_force: ListsInForce  # the list versions screened against
    threshold: float
    regime: str | None
    alerts: bool = True


def record_payments(
    conn: Connection,
    results: Sequence[PaymentResult],
    texts: Mapping[str, str],
    *,
    actor: str,
    screener: Screener,
    threshold: float,
    regime: str | None,
    alerts: bool = True,
) -> list[int]:
    """Keep one call's screened transactions (see :func:`record_payment_calls`); their ids."""
    call = PaymentCall(results, texts, actor, screener.in_force, threshold, regime, alerts)
    return record_payment_calls(conn, [call])[0]


def record_payment_calls(conn: Connection, calls: Sequence[PaymentCall]) -> list[list[int]]:
    """Keep screened transactions in the store (``store.payments``) with the text of their
    messages, raise alerts for the hits on listed entities (the payment's party, kind
    ``payment_party``, against the listed party), and write one audit entry
    ``payments_screen`` per call, in the caller's transaction (``link_listings_for`` called
    before it, outside). The ids of each call's kept transactions, in order.

    The calls share their alert work: the parties of all their hits are registered and
    their alerts raised together (a server keeps concurrent requests in one transaction)."""
    from tradeguard.store import audit
    from tradeguard.store import payments as kept

    alert_ids = _raise_payment_alerts(conn, calls)
    refs = [call.in_force.to_dict() for call in calls]
    records = [[{**r.to_dict(), "alerts": ids} for r, ids in zip(call.results, call_alerts, strict=True)]
               for call, call_alerts in zip(calls, alert_ids, strict=True)]
    out = kept.record(conn, [kept.Keep(recs, dict(call.texts), call.actor, ref, call.threshold, call.regime)
                             for call, recs, ref in zip(calls, records, refs, strict=True)])
    entries: list[tuple[str, str, str | None, dict[str, Any]]] = []
    for call, recs, ref, kept_ids in zip(calls, records, refs, out, strict=True):
        counts = {v: sum(r.verdict == v for r in call.results) for v in VERDICTS}
        entries.append((call.actor, "payments_screen", None, {
            "sources": sorted(call.texts), "sha256": {s: kept.message_sha256(t) for s, t in call.texts.items()},
            "list_versions": ref, "threshold": call.threshold, "regime": call.regime, "counts": counts,
            "results": [{"payment": pid, "message_id": r.message_id, "transaction_id": r.transaction_id,
                         "format": r.format, "verdict": r.verdict, "errors": r.errors, "alerts": rec["alerts"],
                         "hits": [{"field": h.field, "kind": h.kind, "rule": h.rule, "entity_id": h.entity_id,
                                   "score": h.score} for h in r.hits]}
                        for pid, r, rec in zip(kept_ids, call.results, recs, strict=True)],
        }))
    audit.append_many(conn, entries)
    return out


def _raise_payment_alerts(conn: Connection, calls: Sequence[PaymentCall]) -> list[list[list[int]]]:
    """Per call, per transaction: the ids of the alerts its hits on listed entities raised
    (or found active). One raise per set of list versions screened against."""
    from tradeguard.screening.reports import order_party_id
    from tradeguard.store.alerts import ListedHit, raise_listed_alerts
    from tradeguard.store.parties import PartyInput

    # Per transaction, (payment party id, entity id) of each hit; per set of versions, the parties.
    wanted: list[list[list[tuple[str, str]]]] = []
    found: dict[tuple[tuple[str, int], ...], tuple[ListsInForce, dict[str, tuple[PartyInput, list[ListedHit]]]]] = {}
    for call in calls:
        parties = found.setdefault(tuple(call.in_force.version_pairs()), (call.in_force, {}))[1]
        per_result: list[list[tuple[str, str]]] = []
        for r in call.results:
            keys: list[tuple[str, str]] = []
            for h in r.hits if call.alerts else ():
                if not h.entity_id or not h.list or h.score is None:
                    continue
                name = (h.value if h.kind == "text" else h.subject) or h.value
                country = h.subject_country if h.kind != "text" else None
                pid = order_party_id(name, country, prefix="payment")
                party = PartyInput(pid, name, h.subject_schema if h.kind != "text" else None, None, country, [],
                                   None, "payment_party")
                parties.setdefault(pid, (party, []))[1].append(ListedHit(
                    h.entity_id, h.list, h.score, h.matched_name or "", h.kind, h.explanation))
                keys.append((pid, h.entity_id))
            per_result.append(keys)
        wanted.append(per_result)
    alert_of: dict[tuple[str, str], int] = {}
    for in_force, parties in found.values():
        versions = {v.list_key: v for v in in_force.versions}
        alert_of.update(raise_listed_alerts(conn, parties.values(), versions).alert_of)
    return [[sorted({alert_of[k] for k in keys if k in alert_of}) for keys in per_result] for per_result in wanted]
