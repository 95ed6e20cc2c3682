"""The matcher: index the list names once, then score queries against index candidates."""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tradeguard.matching.abjad import latin_classes, prepare_cross_sims
from tradeguard.matching.annotations import NamePart, split_annotated
from tradeguard.matching.attributes import (
    DateOption,
    EntityFacts,
    apply_attributes,
    country_of,
    min_name_score,
    parse_dates,
    parse_identifier,
)
from tradeguard.matching.index import NameIndex, joined_keys, keys_needed
from tradeguard.matching.national import name_reading, written_reading
from tradeguard.matching.normalize import PERSON_SCHEMAS, NameForm, analyse
from tradeguard.matching.packed import PackReader, PackWriter, Records, StringMap, fields_of
from tradeguard.matching.palladius import chinese_reading
from tradeguard.matching.polivanov import japanese_reading
from tradeguard.matching.score import (
    NASAB_SHARE,
    W_INITIAL,
    describe,
    patronymic_discount,
    score_names,
)
from tradeguard.model import Entity

# Chosen from the dev-suite sweep (docs/matching.md, section 6): the best-F1 threshold,
# where the share of true alerts jumps (12.5 % in 0.75-0.80, 40 % in 0.80-0.85), with every
# must-alert category >= 95 % and 2.5 clean-name alerts per 1,000.
DEFAULT_THRESHOLD: float = 0.8

# Name-kind policy: how much a hit on each kind of list name counts. Weak aliases (OFAC
# "weak AKA", UK "low quality" aliases: nicknames, noms de guerre and common names shared
# by many people) count less: an exact hit on one alone stays below the default threshold
# (OFAC: a weak AKA alone is not expected to be treated as a hit), while agreeing birth
# date, country or identifier lifts it over.
KIND_FACTOR: dict[str, float] = {
    "primary": 1.0,
    "alias": 1.0,
    "original_script": 1.0,
    "former": 1.0,
    "weak_alias": 0.78,
}
KIND_RANK = {"primary": 0, "alias": 1, "original_script": 2, "former": 3, "weak_alias": 4}

CANDIDATE_LIMIT = 40  # names scored in full per query
# When retrieval is cut at its limit, an entity whose best retrieved name scores in
# [EXPAND_FROM, EXPAND_UNTIL) has its other names scored too: one may lift it over a
# threshold (see Matcher._score_positions).
EXPAND_FROM, EXPAND_UNTIL = 0.55, 0.8

# A saved matcher (Matcher.save) is read back only by the same matching code: the folder's
# manifest holds the format and engine_signature(), and any difference makes it stale.
INDEX_FORMAT = 2
MANIFEST = "manifest.json"
ENTITY_CACHE = 20_000  # entities (and their facts) of an opened matcher kept unpickled


class StaleIndex(Exception):
    """A saved matcher that must not be used: incomplete, unreadable or out of date."""


def engine_signature() -> str:
    """A digest of everything that decides what a built matcher holds: the matching code
    and its reference data, the entity model, and the Python version (records are pickled)."""
    global _SIGNATURE
    if _SIGNATURE is None:
        digest = hashlib.sha256(sys.version.encode())
        package = Path(__file__).resolve().parent
        sources = sorted([*package.glob("*.py"), *package.glob("data/*"), package.parent / "model.py"])
        for path in sources:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        _SIGNATURE = digest.hexdigest()
    return _SIGNATURE


_SIGNATURE: str | None = None
_PARENS = re.compile(r"\(([^()]*)\)")


@dataclass
class Query:
    """A screening query."""

    name: str
    schema: str | None = None  # Person, Organization, Company, LegalEntity, Vessel, Airplane; None = any
    birth_date: str | None = None  # ISO prefix "1970", "1970-05", "1970-05-02"
    country: str | None = None  # ISO-2 or a country name
    identifiers: list[str] = field(default_factory=list)  # "IMO 9929429", "INN 7701234567", ...
    address: str | None = None  # carried for callers; not used in scoring yet


@dataclass
class Match:
    """A listed entity that matched a query, with its calibrated score and why."""

    entity: Entity
    score: float  # 0..1 (calibration in docs/matching.md)
    matched_name: str  # the list name that hit
    name_kind: str  # primary / alias / weak_alias / former / original_script
    explanation: dict[str, Any]


def query_schema(schema: str | None, form: NameForm) -> str | None:
    """The schema a query is scored as: a name with a legal form ("Bakker B.V.", "Moser
    AG") names an organisation, whatever kind of party the caller left open (no schema, or
    ``LegalEntity``), so a listed person's or vessel's name does not fit it."""
    if schema in (None, "LegalEntity") and form.legal:
        return "Organization"
    return schema


def reads_as_person(schema: str | None, form: NameForm) -> bool:
    """Whether a query of no stated kind (no schema, or ``LegalEntity``) is also read as a
    person's name: one (``form``: as its schema reads it) with no legal form and no word of
    an organisation's name that an abjad glossary translates ("بانک ملت" is a bank). Read
    as an organisation's name, "D. V. SHMELEV" holds no initials and "عبد الله بن محمد" no
    compound (بن is a word like any other): they met "Dmitry Vladimirovich SHMELEV" and
    "Abdullah bin Mohammed" at 0 and 0.66."""
    return schema in (None, "LegalEntity") and not form.person and not form.legal and not form.glosses


def _best_first(match: Match) -> tuple[float, str, str]:
    """The order of matches: best score first, then by list and id."""
    return (-match.score, match.entity.list, match.entity.source_id)


# The readings of a whole name (``name_parts``), in order, each with its explanation's marker.
_NAME_READERS: tuple[tuple[Callable[[str], str | None], str], ...] = (
    (chinese_reading, "Palladius"),
    (japanese_reading, "Polivanov"),
    (written_reading, "carons as digraphs"),
    (name_reading, "romanised throughout"),
)


def name_parts(name: str) -> list[NamePart]:
    """The names one name string is matched as: each name of an annotated string
    (:func:`.annotations.split_annotated`), and after them the pinyin reading of each that
    is a Chinese name in Russian letters (:func:`.palladius.chinese_reading`: "ЧЖАО
    Инкуй" is also "Zhao Yingkui"), the katakana reading of each that is a Japanese
    one (:func:`.polivanov.japanese_reading`: "Синдзо Абэ" is also "シンゾ アベ") and the
    reading of each written with letters of a caron (:func:`.national.written_reading`:
    "Nikita Chruščov" is also "Nikita Khrushchov") and of each whose words are read by the
    romanisation one of them shows (:func:`.national.name_reading`: "Dmitrij Vladimirovitj
    CHOLIN" is also "... KHOLIN"), labelled ``reading``."""
    parts = split_annotated(name)
    readings = [NamePart(reading, "reading", marker) for read, marker in _NAME_READERS
                for part in parts if (reading := read(part.text))]
    return [*parts, *readings]


def name_variants(value: str, schema: str, family: str | None = None) -> list[tuple[str, str | None]]:
    """The forms of a list name worth indexing, each with its family-name part if known:
    as listed; without a bracketed part; the bracketed part alone when it is an acronym or
    a name of several words (not a lone word such as "(heroes)"); and "SURNAME, Given"
    reordered. A name that holds two names ("NORDIC STAR (ex-OCEAN PEARL)", "X t/a Y")
    gives the forms of each name instead (:mod:`.annotations`), as does a Chinese name in
    Russian letters, with its pinyin reading (``name_parts``)."""
    parts = name_parts(value)
    if len(parts) > 1:
        out: list[tuple[str, str | None]] = []
        for part in parts:
            for variant in _plain_variants(part.text, schema, family if part.label == "main" else None):
                if variant not in out:
                    out.append(variant)
        return out
    return _plain_variants(value, schema, family)


def name_readings(name: str, schema: str | None = None) -> list[NamePart]:
    """The names a query's name string is matched as: its ``name_parts``, and for a person
    each part with a bracketed part also without it, labelled ``reading`` ("Ben Zion
    (Bentzi) Gopstein" is Ben Zion Gopstein, as a list name is indexed too:
    ``name_variants``), where two words or more are left. Not for other parties, where the
    bracket tells a branch or a country apart ("AERO CONTINENTE (USA)"), nor the bracketed
    part alone (a nickname or a kunya many share)."""
    parts = name_parts(name)
    if schema not in PERSON_SCHEMAS:
        return parts
    seen = {part.text for part in parts}
    for part in list(parts):
        outside = " ".join(_without_brackets(part.text).split()) if "(" in part.text else ""
        if len(outside.split()) >= 2 and outside not in seen:  # (one word left is no person's name)
            seen.add(outside)
            parts.append(NamePart(outside, "reading", "()"))
    return parts


def _without_brackets(text: str) -> str:
    return _PARENS.sub(" ", text).strip()


def _plain_variants(value: str, schema: str, family: str | None) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = [(value, family)]
    if "(" in value:
        outside = _without_brackets(value)
        if outside and outside != value:
            out.append((outside, family))
        for inner in _PARENS.findall(value):
            inner = inner.strip()
            words = inner.split()
            acronym = len(words) == 1 and 2 <= len(inner) <= 6 and inner.isupper()
            if (acronym or len(words) >= 2) and all(inner != v for v, _f in out):
                out.append((inner, None))
    if schema in PERSON_SCHEMAS and value.count(",") == 1:
        # "SURNAME, Given" is indexed in natural order only (order matters for cut names,
        # initials and missing first or last words).
        last, _, first = value.partition(",")
        last, first = last.strip(), first.strip()
        if last and first:
            out = [(f"{first} {last}" if v == value else v, f or last) for v, f in out]
    return out


@dataclass(slots=True)
class _ListName:
    entity: int
    kind: str
    text: str  # the list name as listed


class Matcher:
    """Screens queries against a fixed set of entities (build once, query many times).

    ``save`` writes the built matcher to a folder; ``open`` maps it back in a moment, and
    every process that opens one folder shares its pages (:mod:`.packed`)."""

    entities: Sequence[Entity]
    _names: Sequence[_ListName]
    _facts: Sequence[EntityFacts]
    _by_identifier: Mapping[str, Sequence[int]]
    _inputs: Mapping[str, int]

    def __init__(self, entities: Iterable[Entity], reuse: Matcher | None = None) -> None:
        """Index ``entities``. ``reuse``: a matcher (usually the saved index of the previous
        list versions) whose normalised names are taken instead of normalising the same
        name again: normalising is most of the build, and a new list version repeats
        nearly every name of the last one. The result is the same either way."""
        self.entities = list(entities)
        inputs: dict[str, int] = {}  # what each name was normalised from -> its name id
        self._inputs = inputs
        forms: list[NameForm] = []
        owners: list[int] = []
        pairs: list[list[str]] = []  # joined_keys of each form
        names: list[_ListName] = []
        facts_of: list[EntityFacts] = []
        by_identifier: dict[str, list[int]] = {}
        self._names, self._facts, self._by_identifier = names, facts_of, by_identifier
        with _collector_paused():
            for ei, (variants, facts) in enumerate(_prepared(self.entities, reuse)):
                best: dict[tuple[str, ...], int] = {}
                for kind, text, key, form, joined in variants:
                    prior = best.get(form.tokens)
                    if prior is not None:
                        if KIND_RANK.get(kind, 9) < KIND_RANK.get(names[prior].kind, 9):
                            names[prior] = _ListName(ei, kind, text)
                        continue
                    best[form.tokens] = len(forms)
                    inputs.setdefault(key, len(forms))
                    forms.append(form)
                    pairs.append(joined)
                    owners.append(ei)
                    names.append(_ListName(ei, kind, text))
                facts_of.append(facts)
                for _type, value in facts.identifiers:
                    by_identifier.setdefault(value, []).append(ei)
            self.index = NameIndex(forms, owners, pairs)

    def __len__(self) -> int:
        return len(self.entities)

    def _form_from(self, key: str) -> NameForm | None:
        """The normalised name this matcher made of ``key`` (see ``_input_key``), if any."""
        nid = self._inputs.get(key)
        if nid is None:
            return None
        forms = self.index.forms
        return forms.load(nid) if isinstance(forms, Records) else forms[nid]

    # --- persistence ------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write this matcher to ``folder`` (new or empty); its manifest is written last,
        so a folder without one is incomplete."""
        out = PackWriter(folder)
        self.index.save(out)
        out.records("entities", self.entities)
        out.records("names", self._names, encode=fields_of)
        out.records("facts", self._facts, encode=fields_of)
        inputs = list(self._inputs)
        out.strings("inputs", inputs)
        out.array("input_names", [self._inputs[k] for k in inputs], np.int32)
        identifiers = list(self._by_identifier)
        out.strings("identifiers", identifiers)
        out.ragged("identifier_entities", (self._by_identifier[v] for v in identifiers))
        sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
        manifest = {"format": INDEX_FORMAT, "signature": engine_signature(),
                    "entities": len(self.entities), "names": len(self.index), "files": sizes}
        (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path) -> Matcher:
        """A matcher saved by :meth:`save`, memory-mapped. Raises StaleIndex when the folder
        is incomplete or was written by another version of the matching code."""
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StaleIndex(f"{folder}: no readable manifest ({exc})") from exc
        if manifest.get("format") != INDEX_FORMAT or manifest.get("signature") != engine_signature():
            raise StaleIndex(f"{folder}: written by another version of the matching code")
        for name, size in dict(manifest.get("files") or {}).items():
            found = (folder / name).stat().st_size if (folder / name).is_file() else None
            if found != size:
                raise StaleIndex(f"{folder}: {name} is {found} bytes, its manifest says {size}")
        src = PackReader(folder)
        matcher = cls.__new__(cls)
        try:
            matcher.index = NameIndex.open(src)
            matcher.entities = src.records("entities", cache=ENTITY_CACHE)
            matcher._names = src.records("names", decode=lambda f: _ListName(*f))
            matcher._facts = src.records("facts", cache=ENTITY_CACHE, decode=lambda f: EntityFacts(*f))
            input_names = src.array("input_names")
            matcher._inputs = StringMap(src.strings("inputs"), lambda i: int(input_names[i]))
            rows = src.ragged("identifier_entities")
            matcher._by_identifier = StringMap(src.strings("identifiers"), lambda i: rows[i].tolist())
        except (OSError, ValueError) as exc:
            raise StaleIndex(f"{folder}: unreadable ({exc})") from exc
        if len(matcher.entities) != manifest.get("entities") or len(matcher.index) != manifest.get("names"):
            raise StaleIndex(f"{folder}: its files do not agree with its manifest")
        return matcher

    # --- query preparation ---------------------------------------------------------

    def _prepare(self, query: Query, read_as: str | None = None) -> tuple[NameForm, list[float]]:
        """The query's normal form (its name read as a party of ``read_as``, else of its
        own schema) and the weights of its tokens."""
        form = analyse(query.name, read_as or query.schema)
        return form, self.index.query_weights(form)

    def candidates(self, query: Query, threshold: float = 0.0, limit: int = CANDIDATE_LIMIT) -> list[Entity]:
        """Entities the index retrieves for ``query`` (before full scoring), best first."""
        seen: dict[int, None] = {}
        floor = min_name_score(threshold, bool(query.birth_date), bool(query.country))
        for part in name_readings(query.name, query.schema):
            for form, weights, persons in self._readings(replace(query, name=part.text)):
                name_ids = self.index.candidates(form, weights, threshold=floor, limit=_name_limit(form, limit),
                                                 unmatched_share=_unmatched_share(form),
                                                 left_out_discount=patronymic_discount(form, weights))
                for nid in self._names_fitting(name_ids, persons):
                    seen.setdefault(self._names[nid].entity, None)
        for ei in self._identifier_hits(query):
            seen.setdefault(ei, None)
        return [self.entities[ei] for ei in seen]

    def _identifier_hits(self, query: Query) -> list[int]:
        out: list[int] = []
        for raw in query.identifiers:
            _t, value = parse_identifier(raw)
            out.extend(self._by_identifier.get(value, ()))
        return out

    def _names_of(self, ei: int) -> list[int]:
        """The name ids of entity ``ei`` (names are indexed entity after entity)."""
        owners = self.index.owners
        start, end = np.searchsorted(owners, [ei, ei + 1])
        return list(range(int(start), int(end)))

    # --- matching ------------------------------------------------------------------

    def prepare_batch(self, queries: Sequence[Query]) -> None:
        """Build now what a batch's queries will look up, before workers are forked to
        screen it, so that they share it instead of each building its own: the keys of
        names in other scripts (``NameIndex.prepare_other_scripts``) that the batch's
        names need (``keys_needed``: none for Latin names), and the tables of words two
        typos apart (``NameIndex.prepare_two_typos``). They live as long as the
        index, so they are built and frozen as it is (``_collector_paused``): left young,
        the collector would walk them again and again while the batch is screened."""
        needed = keys_needed(q.name for q in queries)
        with _collector_paused():
            if needed:
                self.index.prepare_other_scripts(needed)
            if queries:
                self.index.prepare_two_typos()

    def match(self, query: Query, limit: int = 10, threshold: float | None = None) -> list[Match]:
        """Entities matching ``query`` with score >= threshold, best first.

        A query name that holds two names ("NORDIC STAR (ex-OCEAN PEARL)") is matched name
        by name; each match says which part hit (``explanation["name"]["query_part"]``)."""
        if threshold is None:
            threshold = DEFAULT_THRESHOLD
        parts = name_readings(query.name, query.schema)
        if len(parts) == 1:
            return self._match_name(query, limit, threshold)
        best: dict[tuple[str, str], Match] = {}
        for part in parts:
            sub = replace(query, name=part.text)
            for m in self._match_name(sub, limit, threshold):
                m.explanation["name"]["query"] = query.name
                m.explanation["name"]["query_part"] = {"name": part.text, "label": part.label, "marker": part.marker}
                key = (m.entity.list, m.entity.source_id)
                prior = best.get(key)
                if prior is None or m.score > prior.score:
                    best[key] = m
        return sorted(best.values(), key=_best_first)[:limit]

    def _match_name(self, query: Query, limit: int, threshold: float) -> list[Match]:
        results: list[Match] = []
        for form, weights, persons in self._readings(query):
            for m in self._match_form(query, form, weights, limit, threshold, persons):
                if persons:
                    m.explanation["name"]["read_as"] = "Person"  # (the query stated no kind)
                results.append(m)
        results.sort(key=_best_first)
        return results[:limit]

    def _readings(self, query: Query) -> list[tuple[NameForm, list[float], bool | None]]:
        """The forms the query's name is compared in, each with the listed parties it is
        compared with (None: all; True: persons; False: all but persons): the name as its
        schema reads it, or, for a party of no stated kind whose name may be a person's
        (``reads_as_person``), that reading for every party but persons and the person's
        reading (initials, particles, an abjad name's compounds and nasab) for persons. A
        name without tokens has none."""
        form, weights = self._prepare(query)
        if not form.tokens:
            return []
        if not reads_as_person(query.schema, form):
            return [(form, weights, None)]
        person_form, person_weights = self._prepare(query, read_as="Person")
        return [(form, weights, False), (person_form, person_weights, True)]

    def _match_form(self, query: Query, form: NameForm, weights: list[float], limit: int,
                    threshold: float, persons: bool | None = None) -> list[Match]:
        """The matches of one reading of the query's name, among the listed parties it is
        compared with (``persons``, see ``_readings``)."""
        floor = min_name_score(threshold, bool(query.birth_date), bool(query.country))
        name_ids = self.index.candidates(form, weights, threshold=floor, limit=_name_limit(form),
                                         unmatched_share=_unmatched_share(form),
                                         left_out_discount=patronymic_discount(form, weights))
        cut = len(name_ids) >= _name_limit(form)
        id_hits = self._identifier_hits(query)
        if id_hits:
            extra = [nid for ei in id_hits for nid in self._names_of(ei)]
            name_ids = list(dict.fromkeys([*name_ids, *extra]))
        name_ids = self._names_fitting(name_ids, persons)
        scored = self._score_positions(query, form, weights, name_ids, threshold, set(id_hits), expand=cut)
        return [m for _ei, m in scored[:limit]]

    def _names_fitting(self, name_ids: list[int], persons: bool | None) -> list[int]:
        """The names of ``name_ids`` whose parties a reading is compared with (``persons``,
        see ``_readings``: None, all of them; True, persons'; False, all but persons')."""
        if persons is None:
            return name_ids
        return [nid for nid in name_ids if (self.entities[self._names[nid].entity].schema in PERSON_SCHEMAS) == persons]

    def score_entities(self, query: Query, entity_indices: Iterable[int]) -> list[tuple[int, float]]:
        """Exhaustive scores: every name of the given entities (positions in ``entities``)
        scored against ``query``, bypassing the index. For measuring the index's recall."""
        wanted = list(entity_indices)
        name_ids = [nid for ei in wanted for nid in self._names_of(ei)]
        best: dict[int, float] = {}
        for part in name_readings(query.name, query.schema):
            sub = replace(query, name=part.text)
            for form, weights, persons in self._readings(sub):
                for ei, m in self._score_positions(sub, form, weights, self._names_fitting(name_ids, persons), 0.0,
                                                   set(wanted)):
                    best[ei] = max(best.get(ei, 0.0), m.score)
        return list(best.items())

    def _score_names(
        self,
        form: NameForm,
        weights: list[float],
        name_ids: Iterable[int],
        best: dict[int, tuple[float, int, Any]],
        floor: float = 0.0,
        keep: set[int] | frozenset[int] = frozenset(),
    ) -> None:
        """Score ``name_ids`` against the query, keeping each entity's best (score, name id,
        name score) in ``best``. Names that cannot reach ``floor`` score 0, except those of
        the entities in ``keep``."""
        index = self.index
        gaps = index.spelling_gaps(form) if form.native else frozenset()
        if form.xkeys:
            name_ids = list(name_ids)
            _prepare_cross_sims(form, [index.forms[nid] for nid in name_ids])
        for nid in name_ids:
            ln = self._names[nid]
            lform = index.forms[nid]
            least = 0.0 if ln.entity in keep else floor
            ns = score_names(form, weights, lform, index.list_weights(lform), gaps, least)
            s = ns.score * KIND_FACTOR.get(ln.kind, 1.0)
            prior = best.get(ln.entity)
            if prior is None or s > prior[0]:
                best[ln.entity] = (s, nid, ns)

    def _other_names(self, form: NameForm, entities: list[int], scored: set[int]) -> list[int]:
        """The names of ``entities`` not in ``scored`` that hold a word the query reaches:
        one of its keys, or for a word in another script a Latin word it may be written as."""
        index = self.index
        keys = set(form.keys)
        for xkey in form.xkeys:
            if xkey:
                keys.update(index.keys[kid] for kid, _sim in index.cross_lookup(xkey))
        forms = index.forms
        return [nid for ei in entities for nid in self._names_of(ei)
                if nid not in scored and not keys.isdisjoint(forms[nid].keys)]

    def _score_positions(
        self,
        query: Query,
        form: NameForm,
        weights: list[float],
        name_ids: list[int],
        threshold: float,
        keep: set[int],
        expand: bool = False,
    ) -> list[tuple[int, Match]]:
        """The matches, best first, each with its entity's position in ``entities``.

        ``expand``: retrieval was cut at its limit, so an entity found through a weaker
        name may hold a stronger one (a joined or reordered alias) that missed the cut;
        the other names of the entities that scored in [EXPAND_FROM, EXPAND_UNTIL) and
        share a word with the query are scored too. (Without a cut, every name that could
        reach the threshold was scored.)"""
        if not name_ids:
            return []
        q_dob = _query_date(query.birth_date)
        q_country = country_of(query.country) if query.country else None
        q_ids = [parse_identifier(i) for i in query.identifiers if i and i.strip()]
        schema = query_schema(query.schema, form)
        floor = min_name_score(threshold, q_dob is not None, q_country is not None)
        best: dict[int, tuple[float, int, Any]] = {}
        # A name that cannot reach the floor is not aligned; one that might still open its
        # entity's other names (EXPAND_FROM) is.
        least = min(floor, EXPAND_FROM) if expand else floor
        self._score_names(form, weights, name_ids, best, least, keep)
        near = [ei for ei, (s, _nid, _ns) in best.items() if EXPAND_FROM <= s < EXPAND_UNTIL] if expand else []
        if near:
            self._score_names(form, weights, self._other_names(form, near, set(name_ids)), best, floor, keep)
        index = self.index
        results: list[tuple[int, Match]] = []
        for ei, (name_score, nid, ns) in best.items():
            if name_score < floor and ei not in keep:
                continue
            entity = self.entities[ei]
            score, found = apply_attributes(
                name_score, schema, q_dob, q_country, q_ids, entity, self._facts[ei]
            )
            if score < threshold:
                continue
            ln = self._names[nid]
            lform = index.forms[nid]
            explanation: dict[str, Any] = {
                "score": round(score, 4),
                "name": {
                    "query": query.name,
                    "matched": ln.text,
                    "matched_form": lform.text,
                    "kind": ln.kind,
                    "score": round(name_score, 4),
                    **describe(form, lform, ns),
                },
                **found,
            }
            if KIND_FACTOR.get(ln.kind, 1.0) != 1.0:
                explanation["name"]["kind_factor"] = KIND_FACTOR[ln.kind]
            explanation["features"] = _features(name_score, found)
            results.append((ei, Match(entity, round(score, 4), ln.text, ln.kind, explanation)))
        results.sort(key=lambda r: (-r[1].score, r[1].entity.list, r[1].entity.source_id))
        return results


# --- building -------------------------------------------------------------------------

# Entities from which a build prepares names in worker processes (forked: they inherit the
# entities), and the entities per task. Smaller sets are prepared in this process.
BUILD_PARALLEL_MIN = 50_000
BUILD_CHUNK = 2_000

# One entity's names as a build needs them: (kind, name as listed, input key, normal form,
# its joined_keys) per indexable variant, and its facts.
_Variant = tuple[str, str, str, NameForm, list[str]]
_Prepared = tuple[list[_Variant], EntityFacts]
_BUILDING: tuple[Sequence[Entity], Matcher | None] | None = None  # what forked workers prepare


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a build allocates millions of objects that all
    live on (each collection would walk them all: a third of a 1M-entity build), and then
    none of them walked again: they are moved to the collector's permanent generation
    (``gc.freeze``). Left young, they would be walked by the next young, middle and full
    collections in turn during the first queries (a fifth slower on the dev lists); one
    full collection instead costs seconds at a million entities.

    Frozen objects are still freed by reference counting: a matcher holds no reference
    cycle (a test checks), so one that a long-running process replaces goes at once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def _prepare_entity(entity: Entity, reuse: Matcher | None) -> _Prepared:
    variants: list[_Variant] = []
    for name in entity.names:
        if not name.value or not name.value.strip():
            continue
        for variant, family in name_variants(name.value, entity.schema, name.family):
            key = _input_key(variant, entity.schema, family)
            reused = reuse._form_from(key) if reuse is not None else None
            form = reused if reused is not None else analyse(variant, entity.schema, family)
            if form.tokens:
                variants.append((name.kind, name.value, key, form, joined_keys(form)))
    return variants, EntityFacts.of(entity)


def _prepare_chunk(bounds: tuple[int, int]) -> list[tuple[list[tuple[Any, ...]], tuple[Any, ...]]]:
    """In a forked worker: entities ``bounds`` of the build, as plain tuples (quick to pickle)."""
    assert _BUILDING is not None
    entities, reuse = _BUILDING
    out = []
    for ei in range(*bounds):
        variants, facts = _prepare_entity(entities[ei], reuse)
        out.append(([(kind, text, key, fields_of(form), joined) for kind, text, key, form, joined in variants],
                    fields_of(facts)))
    return out


def _prepared(entities: Sequence[Entity], reuse: Matcher | None) -> Iterator[_Prepared]:
    """Each entity's names and facts, in order: normalising names is most of a build, so a
    large set is spread over every core (the results are the same)."""
    procs = os.cpu_count() or 1
    if procs <= 1 or len(entities) < BUILD_PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        for entity in entities:
            yield _prepare_entity(entity, reuse)
        return
    global _BUILDING
    _BUILDING = (entities, reuse)
    analyse(entities[0].caption, entities[0].schema)  # reference data loaded once, before the fork
    chunks = [(start, min(start + BUILD_CHUNK, len(entities))) for start in range(0, len(entities), BUILD_CHUNK)]
    try:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            for chunk in pool.imap(_prepare_chunk, chunks):
                for variants, facts in chunk:
                    yield ([(kind, text, key, NameForm(*form), joined) for kind, text, key, form, joined in variants],
                           EntityFacts(*facts))
    finally:
        _BUILDING = None


def _input_key(variant: str, schema: str, family: str | None) -> str:
    """What a list name's normal form is made from: ``analyse``'s arguments, as one key."""
    return f"{schema}\x1f{family or ''}\x1f{variant}"


def _prepare_cross_sims(form: NameForm, names: list[NameForm]) -> None:
    """The letter-class distances of each abjad word of ``form`` to every Latin word of
    ``names``, computed together before the names are scored pair by pair."""
    abjad = {x for x in form.xkeys if x and x[1:2] != ":"}
    if not abjad:
        return
    latins = {latin_classes(t) for lf in names for k, t in enumerate(lf.tokens) if not (lf.xkeys and lf.xkeys[k])}
    for classes in abjad:
        prepare_cross_sims(classes, latins)


def _name_limit(form: NameForm, limit: int = CANDIDATE_LIMIT) -> int:
    """Names scored in full: a name in another script reaches many spellings of each word
    (محمد: Muhammad, Mohamed, Mahmud ...), so twice as many names are looked at."""
    return 2 * limit if form.xkeys else limit


def _unmatched_share(form: NameForm) -> float:
    """A person's name in an abjad may leave out middle names at NASAB_SHARE of their
    weight, so its score can exceed its plain coverage: retrieval bounds it so. A name
    written as two words (عبد الله) left out costs as its heavier word: at least half."""
    if not (form.xkeys and form.person):
        return 1.0
    return NASAB_SHARE / 2 if form.compounds else NASAB_SHARE


def _query_date(value: str | None) -> DateOption | None:
    if not value:
        return None
    parsed = parse_dates([value])
    return parsed[0] if parsed else None


def _features(name_score: float, found: dict[str, Any]) -> dict[str, float]:
    out = {"name": round(name_score, 4)}
    dob = found.get("birth_date")
    if dob:
        out["birth_date_" + dob["result"]] = 1.0
    if "factor" in found.get("schema", {}):
        out["schema_conflict"] = 1.0
    if found.get("country"):
        out["country_" + found["country"]["result"]] = 1.0
    if found.get("identifiers"):
        out["identifier_" + found["identifiers"]["result"]] = 1.0
    return out


def compare(name1: str, name2: str, schema: str | None = None) -> tuple[float, dict[str, Any]]:
    """Score ``name1`` (as a query) against ``name2`` (as a list name), with the explanation.

    Without lists there are no token frequencies: every token weighs the same (initials
    less), so scores can differ a little from those of a Matcher on real lists. Names
    that hold two names ("X (ex-Y)") are compared name by name; the best pair counts and
    the explanation names the parts (``query_part``, ``list_part``).
    """
    q_parts, l_parts = name_readings(name1, schema), name_readings(name2, schema)
    if len(q_parts) == 1 and len(l_parts) == 1:
        return _compare_one(name1, name2, schema)
    best: tuple[float, dict[str, Any]] | None = None
    for qp in q_parts:
        for lp in l_parts:
            score, explanation = _compare_one(qp.text, lp.text, schema)
            if best is None or score > best[0]:
                name = explanation["name"]
                name["query"], name["matched"] = name1, name2
                if len(q_parts) > 1:
                    name["query_part"] = {"name": qp.text, "label": qp.label, "marker": qp.marker}
                if len(l_parts) > 1:
                    name["list_part"] = {"name": lp.text, "label": lp.label, "marker": lp.marker}
                best = (score, explanation)
    assert best is not None
    return best


def _compare_one(name1: str, name2: str, schema: str | None) -> tuple[float, dict[str, Any]]:
    q = analyse(name1, schema)
    readings = [(q, schema)]
    if q.tokens and reads_as_person(schema, q):
        # Two names of no stated kind, the first one that may be a person's (see
        # Matcher._readings): they are compared as persons' names too, the better counts.
        readings.append((analyse(name1, "Person"), "Person"))
    return max((_compare_read(form, name1, name2, read_as) for form, read_as in readings), key=lambda r: r[0])


def _compare_read(q: NameForm, name1: str, name2: str, schema: str | None) -> tuple[float, dict[str, Any]]:
    """``name1`` (read as ``q``) against ``name2`` read as a party of ``schema``."""
    l_form = analyse(name2, schema)
    if not q.tokens or not l_form.tokens:
        return 0.0, {"score": 0.0, "name": {"query": name1, "matched": name2, "tokens": []}}
    qw = _flat_weights(q)
    lw = _flat_weights(l_form)
    ns = score_names(q, qw, l_form, lw)
    score = round(min(1.0, ns.score), 4)
    explanation: dict[str, Any] = {
        "score": score,
        "name": {"query": name1, "matched": name2, "score": score, **describe(q, l_form, ns)},
    }
    return score, explanation


def _flat_weights(form: NameForm) -> list[float]:
    from tradeguard.matching.normalize import INITIAL

    return [W_INITIAL if r == INITIAL else 1.0 for r in form.roles]
