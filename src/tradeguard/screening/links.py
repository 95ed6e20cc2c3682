"""Link the listings of one party across lists (and within one): who is the same party.

One party is often listed several times: by the UN, then by the UK, the EU, Australia and
Canada giving effect to the UN listing, by OFAC under its own programmes, and sometimes twice
on one list. :func:`link_entities` finds these groups. Pure: entities in, groups out (no
SQL, no HTTP); the store keeps them per set of list versions (``tradeguard.store.links``).

Evidence, strongest first (:data:`RULES`); each rule is a pair of small pure functions, one
giving an entity's blocking keys (``key -> what the listing states``), one checking a pair
that shares a key:

* ``reference``: a reference number one list cites to another. UN reference numbers
  (``QDi.123``, ``KPe.001``): the UN entry's own, the UK lists' "UN Ref", the EU's
  ``unitedNationId``, Australia's leading "TAi.002." or "UN Reference Number: ..." in its
  remarks; OFAC's entity number (SDN and non-SDN lists, and the CSL's Treasury rows); the
  OFSI Group ID and UK Sanctions List reference shared by the two UK lists.
* ``identifier``: a shared strong identifier: IMO, SWIFT/BIC, LEI, D-U-N-S, a passport or
  national id number *with the same issuing country*, a tax or registration number (INN,
  OGRN, ...) whose stated countries do not conflict.
* ``name_dob``: persons with the same normalised name and the same full birth date.
* ``name_identifier``: the same normalised name and any shared identifier value (a passport
  number stated without its country, an MMSI, a call sign ...).
* ``name_country``: organisations and vessels with the same normalised name and an agreeing
  country (nationality, registration or address country), vessels without conflicting IMO.

A name alone never links, and parties of different kinds (person, organisation, vessel,
aircraft) never link, whatever they share. Names are compared as the matching engine
normalises them (:func:`tradeguard.matching.normalize.analyse`: transliterated, lower case,
romanisation variants folded to one skeleton key per token), as a set of tokens: the word
order does not matter; titles and stopwords are left out, and so are legal forms unless both
names state forms of different classes ("OAO X" is not "OOO X"). Weak aliases and names
that cite a UN reference ("SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)", an alias pointing
to another entry) are not used.

What one authority (UN, US, UK, EU, ...: :func:`list_regime`) keeps apart stays apart:

* two of its entries are linked by an identifier only when they also share a name, and
  never by name and country alone (two entries of one name on one list are two parties);
* a key it states for two entries with different primary names is ambiguous (an alias two
  groups share, a parent's tax number given for its subsidiary) and is dropped;
* a link by other evidence than a reference that would put two of its entries with
  different primary names into one group (through a third list) is not made
  (:attr:`Linkage.kept_apart`).

Blocking keeps it linear: only entities sharing a key are compared. A key held by more than
:data:`MAX_KEY_ENTRIES` entries, or by more than :data:`MAX_KEY_PER_LIST` entries of one list,
is generic (a placeholder identifier, a common registration number, a frequent name) and is
dropped, and :attr:`Linkage.dropped` says so. Groups are the connected components of the
links (union-find, rules applied strongest first); each link keeps all its evidence.
Precision and recall on the real lists: ``bench/bench_links.py``.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tradeguard.model import Entity, Identifier

# The matching engine's normaliser is imported where used (first use loads the package), so
# that importing this module, and the store tables of tradeguard.store.links, stays cheap.

__all__ = [
    "MAX_KEY_ENTRIES",
    "MAX_KEY_PER_LIST",
    "RULES",
    "DroppedKey",
    "Evidence",
    "Group",
    "Link",
    "Linkage",
    "Rule",
    "evidence_between",
    "link_entities",
    "list_regime",
    "regime_rank",
]

# Blocking guards. A real party has a handful of listings (UN, US, UK, EU, CA, AU, CH, the
# CSL, OpenSanctions, and the odd duplicate); a key shared more widely is not an identity.
# Measured on the nine lists of ../shared (bench/bench_links.py): reference groups hold at
# most 3 entries, no reference is held by two entries of one list but for two data errors,
# and no group holds more than 2 entries of one list.
MAX_KEY_ENTRIES = 16
MAX_KEY_PER_LIST = 3

# --- regimes ------------------------------------------------------------------------------

_REGIMES: tuple[tuple[str, str], ...] = (
    ("un_", "UN"),
    ("us_", "US"),
    ("gb_", "UK"),
    ("eu_", "EU"),
    ("ca_", "CA"),
    ("au_", "AU"),
    ("ch_", "CH"),
    ("opensanctions", "OS"),
)


def list_regime(list_key: str) -> str:
    """The authority behind a list key, as a short badge: un_sc -> UN, gb_hmt -> UK ..."""
    for prefix, regime in _REGIMES:
        if list_key.startswith(prefix):
            return regime
    return list_key.split("_", 1)[0].upper()


def regime_rank(list_key: str) -> tuple[int, str]:
    """Sort key putting listings in the order results show them: UN, US, UK, EU, CA, AU ..."""
    regime = list_regime(list_key)
    order = [r for _, r in _REGIMES]
    return (order.index(regime) if regime in order else len(order), list_key)


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why two listings are one party: the rule, the key they share (normalised) and what
    each listing states (first the link's ``a``, then its ``b``)."""

    rule: str
    key: str
    values: tuple[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "key": self.key, "values": list(self.values)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        a, b = data["values"]
        return cls(data["rule"], data["key"], (str(a), str(b)))


@dataclass(frozen=True, slots=True)
class Link:
    """Two listings (entity ids, ``a`` < ``b``) of one party, with every piece of evidence."""

    a: str
    b: str
    evidence: tuple[Evidence, ...]

    @property
    def rule(self) -> str:
        """The strongest rule among the evidence."""
        return min((e.rule for e in self.evidence), key=RULES.index)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "rule": self.rule, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Group:
    """The listings of one party (two or more entity ids, sorted) and the links between them.
    Its id names the listing of the first authority in :func:`regime_rank` order."""

    id: str
    members: tuple[str, ...]
    links: tuple[Link, ...]

    @property
    def lists(self) -> tuple[str, ...]:
        return tuple(sorted({m.partition("-")[0] for m in self.members}))


@dataclass(frozen=True, slots=True)
class DroppedKey:
    """A blocking key held by too many entries to be an identity: not used to link."""

    rule: str
    key: str
    entries: int
    lists: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "key": self.key, "entries": self.entries, "lists": list(self.lists)}


@dataclass
class Linkage:
    """The groups found among a set of entities (only groups of two or more listings)."""

    groups: list[Group]
    dropped: list[DroppedKey]
    entity_count: int
    seconds: float
    refused: dict[str, int] = field(default_factory=dict)  # rule -> pairs sharing a key, refused
    # rule -> links not made because they would join two entries one authority keeps apart
    kept_apart: dict[str, int] = field(default_factory=dict)

    def group_index(self) -> dict[str, Group]:
        """entity id -> its group."""
        return {m: g for g in self.groups for m in g.members}

    def links(self) -> list[Link]:
        return [link for g in self.groups for link in g.links]


# --- entity facts -------------------------------------------------------------------------

_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]")


def _kind(entity: Entity) -> str:
    return _schema_kind(entity.schema)


@lru_cache(maxsize=64)
def _schema_kind(schema: str) -> str:
    from tradeguard.matching.normalize import schema_kind

    return schema_kind(schema) or "other"


def same_kind(a: Entity, b: Entity) -> bool:
    """Person, organisation (any of Organization/Company/LegalEntity), vessel or aircraft."""
    return _kind(a) == _kind(b)


@lru_cache(maxsize=262_144)
def name_key(name: str, kind: str) -> tuple[str, frozenset[str]] | None:
    """The order-free normalised form of a name (the skeleton keys of its identifying
    tokens, sorted) and its legal-form classes. None for names too thin to identify anyone
    (a person needs two name tokens, an organisation one, and four letters in all).

    Legal forms are left out ("JSC KALASHNIKOV CONCERN" is "Kalashnikov Concern"), except
    in a name with two or more of them, where they are words of the name ("Cooperative
    Foundation of the Revolutionary Guards" is not "Revolutionary Guards").
    """
    from tradeguard.matching.normalize import NAME, analyse

    form = analyse(name, _SCHEMA_OF_KIND.get(kind))
    distinctive = sum(1 for role in form.roles if role == NAME)
    if distinctive < (2 if kind == "person" else 1):
        return None
    tokens = [form.keys[i] or form.tokens[i] for i in form.core]
    legal = frozenset(form.legal)
    if len(legal) >= 2:
        tokens.extend(sorted(legal))
    key = " ".join(sorted(tokens))
    return (key, legal) if len(key.replace(" ", "")) >= 4 else None


_SCHEMA_OF_KIND = {"person": "Person", "org": "Organization", "vessel": "Vessel", "airplane": "Airplane"}


_WORDS = re.compile(r"[^\W_]+")
_ACRONYM_SKIP = frozenset({"of", "the", "and", "in", "for", "de", "des", "du", "la", "le", "et"})


def _without_acronym(name: str) -> str:
    """The name without a bracketed acronym of its own words ("QODS AERONAUTICS INDUSTRIES
    (QAI)", "ANSAR AL-SHARI'A IN TUNISIA (AAS-T)"); other brackets stay, since they often
    tell a branch or subsidiary apart ("VTB BANK (AUSTRIA) AG", "VTB BANK (KIEV)")."""
    m = _BRACKETS.search(name)
    if m is None:
        return name
    outside = (name[: m.start()] + name[m.end() :]).replace("'", "").replace("\u2019", "")
    inside = "".join(_WORDS.findall(m.group(0).upper()))
    words = [w.lower() for w in _WORDS.findall(outside)]
    initials = {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _ACRONYM_SKIP)}
    return " ".join(outside.split()) if inside.lower() in initials and len(inside) >= 2 else name


def entity_names(entity: Entity) -> dict[str, tuple[str, frozenset[str]]]:
    """Name key -> the name as listed and its legal-form classes, for every name but weak
    aliases and names citing a UN reference (also without a bracketed acronym)."""
    kind = _kind(entity)
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for name in entity.names:
        if name.kind == "weak_alias" or _UN_REF.search(name.value):
            continue  # a name citing a UN reference points to another entry
        for text in dict.fromkeys((name.value, _without_acronym(name.value))):
            found = name_key(text, kind) if text else None
            if found is not None:
                out.setdefault(found[0], (name.value, found[1]))
    return out


def shared_names(a: Entity, b: Entity) -> list[tuple[str, str]]:
    """The names of ``a`` and ``b`` with one normalised form and no conflicting legal forms
    (an OAO is not the OOO of the same name), as listed on each side."""
    na, nb = entity_names(a), entity_names(b)
    out = []
    for key in sorted(na.keys() & nb.keys()):
        (name_a, legal_a), (name_b, legal_b) = na[key], nb[key]
        if legal_a and legal_b and not legal_a & legal_b:
            continue
        out.append((name_a, name_b))
    return out


def full_birth_dates(entity: Entity) -> list[str]:
    """Birth dates stated to the day (no year-only, approximate or range dates)."""
    return [d for d in entity.birth_dates if _FULL_DATE.fullmatch(d)]


def entity_countries(entity: Entity) -> set[str]:
    """ISO codes of nationality, citizenship, registration and address countries."""
    codes = {c.lower() for c in (*entity.countries, *entity.nationalities) if len(c) == 2 and c.isalpha()}
    codes.update(a.country.lower() for a in entity.addresses if a.country and len(a.country) == 2)
    return codes


_PROGRAMME_PARTS = re.compile(r"^\s*([^()]+?)\s*(?:\(([^()]+)\))?\s*$")


@lru_cache(maxsize=4096)
def _programme_country(programme: str) -> str | None:
    """The country a sanctions programme is named after: "Iran", "IRAN", "Iran (Nuclear)",
    "1737 (Iran)", "Autonomous (Iran)", "DPRK"; None for the others ("SDGT",
    "RUSSIA-EO14024", "ISIL (Da'esh) and Al-Qaida")."""
    from tradeguard.sources.common import country_code

    m = _PROGRAMME_PARTS.match(programme)
    if m is None:
        return None
    return country_code(m.group(1)) or (country_code(m.group(2)) if m.group(2) else None)


def programme_country(entity: Entity) -> str | None:
    """For an organisation that states no country: the one country its programmes are named
    after (a UN "Iran" listing), else None."""
    if _kind(entity) != "org" or stated_countries(entity):
        return None
    found = {c for p in entity.programs if (c := _programme_country(p))}
    return found.pop() if len(found) == 1 else None


def _id_country(country: str | None) -> str | None:
    return country.lower() if country and len(country) == 2 and country.isalpha() else None


# --- rule: reference ----------------------------------------------------------------------

# UN reference numbers: two letters of the regime, i (individual) or e (entity), a number.
_UN_REF = re.compile(r"\b([A-Z]{2})([ie])\.\s?(\d{3})\b", re.I)
# A remark that opens with the entry's UN reference, labelled or not: Australia writes
# "TAi.002. Title: ..." and "KPe.001 Primary arms dealer ..."; elsewhere "UN Ref: QDi.150".
_UN_REF_LEADING = re.compile(
    r"^\s*(?:\(?UN\s+Ref(?:erence)?(?:\s+(?:Number|No\.?))?\)?\s*[:.]?\s*)?([A-Z]{2}[ie]\.\s?\d{3})\b", re.I
)
# A labelled reference inside a listing statement: "UN Reference Number: QDi.150 Listed ...".
_UN_REF_LABELLED = re.compile(r"\bUN\s+Ref(?:erence)?(?:\s+(?:Number|No\.?))?\)?\s*[:.]?\s*([A-Z]{2}[ie]\.\s?\d{3})\b", re.I)
# Extra fields where parsers keep a list's own UN reference: un_xml "reference_number",
# gb_hmt/gb_fcdo "un_ref", eu_fsf "un_id" (unitedNationId).
_UN_REF_FIELDS = ("reference_number", "un_ref", "un_id")
# Statements about the listing itself (au_dfat's "Listing Information").
_LISTING_FIELDS = ("listing_information",)
# Lists whose parser lifts the entry's own UN reference into extra: their remarks cite
# *other* entries ("owned by Phyongchon Shipping & Marine (UN Ref: KPe.070)"), never read.
_PARSED_UN_REF = frozenset({"un_sc", "gb_hmt", "gb_fcdo", "eu_fsf"})
# CSL sub-lists published by OFAC: their entity_number is OFAC's entity number.
_CSL_TREASURY = frozenset({"SDN", "SSI", "PLC", "CMIC", "NS-MBS", "CAP", "FSE", "561"})


def un_reference(text: str) -> str | None:
    """A UN reference number in its canonical spelling ("qdi.150" -> "QDi.150")."""
    m = _UN_REF.search(text.replace("\u00a0", " "))
    return f"{m.group(1).upper()}{m.group(2).lower()}.{m.group(3)}" if m else None


def reference_keys(entity: Entity) -> dict[str, str]:
    """The entity's own reference numbers that other lists cite: ``un:QDi.123``,
    ``ofac:12345`` (OFAC entity number), ``ofsi:12345`` (OFSI Group ID), ``uk:RUS0001``
    (UK Sanctions List reference).

    Only references that name *this* entry count: a remark citing the group a person
    belongs to ("Member of Al-Qaida (QDe.004)") or a vessel's owner is not one, and an entry
    stating two different UN references (Australia's rows of one entry sometimes disagree)
    has none.
    """
    out: dict[str, str] = {}
    un: dict[str, str] = {}
    person = _kind(entity) == "person"

    def add_un(raw: str) -> None:
        ref = un_reference(raw)
        # The letter after the regime says individual (i) or entity (e): a person citing an
        # entity's reference cites the group it belongs to, not itself.
        if ref is not None and (ref[2] == "i") == person:
            un.setdefault(ref, f"UN ref {raw.strip()}")

    lst = entity.list
    for field_name in _UN_REF_FIELDS:
        for value in entity.extra.get(field_name, ()):
            add_un(value)
    if lst not in _PARSED_UN_REF:
        for text in entity.remarks:
            m = _UN_REF_LEADING.match(text)
            if m:
                add_un(m.group(1))
        for field_name in _LISTING_FIELDS:
            for text in entity.extra.get(field_name, ()):
                for m in _UN_REF_LABELLED.finditer(text):
                    add_un(m.group(1))
    if len(un) == 1:  # an entry citing two UN references (a data error) is no evidence
        ref, stated = next(iter(un.items()))
        out[f"un:{ref}"] = stated
    ofac = lst.startswith("us_ofac") or (lst == "us_csl" and bool(_CSL_TREASURY & set(entity.extra.get("csl_source", ()))))
    if ofac and entity.source_id.isdigit():
        out[f"ofac:{entity.source_id}"] = f"OFAC entity number {entity.source_id}"
    if lst == "gb_hmt":
        out[f"ofsi:{entity.source_id}"] = f"OFSI Group ID {entity.source_id}"
    for value in entity.extra.get("ofsi_group_id", ()):
        out.setdefault(f"ofsi:{value.strip()}", f"OFSI Group ID {value.strip()}")
    if lst == "gb_fcdo":
        out[f"uk:{entity.source_id.upper()}"] = f"UK Sanctions List ref {entity.source_id}"
    for value in entity.extra.get("uk_sanctions_list_ref", ()):
        out.setdefault(f"uk:{value.strip().upper()}", f"UK Sanctions List ref {value.strip()}")
    return out


def reference_check(a: Entity, b: Entity, key: str) -> bool:
    return same_kind(a, b)


# --- rule: identifier ---------------------------------------------------------------------

# Types identifying one party the world over, whatever the country.
_GLOBAL_TYPES = ("imo", "bic", "lei", "duns")
# Document numbers: unique only within the issuing country.
_COUNTRY_TYPES = ("passport", "national_id")
# Tax and company registration numbers: one class (lists label them differently).
_NUMBER_TYPES = ("tax_id", "inn", "ogrn", "registration")
# A label written into the value: "Russian TIN: 7718763393", "Kazakhstan BIN - 1704...".
_LABEL_SPLIT = re.compile(r"[:#]|\s[-\u2013]\s")
# A Russian KPP (tax registration reason code: 4 digits of the tax office, 2 of the reason,
# 3 more, mostly "...01001") is shared by every company registered at one office: lists
# sometimes give it as a "registration" number. Never an identity.
_KPP_LABEL = re.compile(r"\b(?:KPP|КПП)\b", re.I)
_KPP_VALUE = re.compile(r"\d{4}(?:01|02|43|44|45|50|51|52)\d{3}")


@lru_cache(maxsize=262_144)
def identifier_values(value: str) -> tuple[str, ...]:
    """Normalised forms of an identifier as listed (upper case, alphanumerics only, no type
    prefix such as ``IMO``; also the part after a label written into the value). Values
    without three digits, shorter than five characters or of one repeated character
    ("00000") are not identities."""
    from tradeguard.matching.normalize import normalize_identifier

    forms = [normalize_identifier(value)]
    parts = _LABEL_SPLIT.split(value)
    if len(parts) > 1:
        forms.append(normalize_identifier(parts[-1]))
    out: list[str] = []
    for form in forms:
        if len(form) >= 5 and sum(ch.isdigit() for ch in form) >= 3 and len(set(form)) > 1 and form not in out:
            out.append(form)
    return tuple(out)


def _is_kpp(ident: Identifier, value: str) -> bool:
    text = f"{ident.value} {ident.note or ''}"
    if _KPP_LABEL.search(text) or ident.type == "kpp":
        return True
    return _KPP_VALUE.fullmatch(value) is not None and _id_country(ident.country) in (None, "ru")


def strong_value(id_type: str, value: str) -> str | None:
    """The comparable value of a globally unique identifier, or None when malformed."""
    from tradeguard.matching.normalize import normalize_identifier

    text = normalize_identifier(value)
    if id_type == "imo":
        return text if re.fullmatch(r"\d{7}", text) and text != "0000000" else None
    if id_type == "bic":
        if not re.fullmatch(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?", text):
            return None
        return text[:8] if text.endswith("XXX") else text  # BIC8 is the head office, as XXX
    if id_type == "lei":
        return text if re.fullmatch(r"[A-Z0-9]{18}\d{2}", text) else None
    if id_type == "duns":
        return text if re.fullmatch(r"\d{9}", text) else None
    return None


def _stated_id(ident: Identifier) -> str:
    return f"{ident.type} {ident.value}" + (f" ({ident.country})" if ident.country else "")


def identifier_keys(entity: Entity) -> dict[str, str]:
    """Strong identifiers: ``imo:9253325``, ``bic:BKMTIRTH``, ``passport:ru:722759197``
    (documents only with their issuing country), ``tax_reg:7718763393`` (a tax or
    registration number of six characters or more; its countries are checked per pair)."""
    out: dict[str, str] = {}
    for ident in entity.identifiers:
        if ident.type in _GLOBAL_TYPES:
            value = strong_value(ident.type, ident.value)
            if value is not None:
                out.setdefault(f"{ident.type}:{value}", _stated_id(ident))
        elif ident.type in _COUNTRY_TYPES:
            country = _id_country(ident.country)
            if country is not None:
                for value in identifier_values(ident.value):
                    out.setdefault(f"{ident.type}:{country}:{value}", _stated_id(ident))
        elif ident.type in _NUMBER_TYPES:
            for value in identifier_values(ident.value):
                if len(value) >= 6 and not _is_kpp(ident, value):
                    out.setdefault(f"tax_reg:{value}", _stated_id(ident))
    return out


def _number_countries(entity: Entity, value: str) -> set[str]:
    """Countries stated for the identifier value ``value`` (normalised)."""
    out: set[str] = set()
    for ident in entity.identifiers:
        if value in identifier_values(ident.value):
            country = _id_country(ident.country)
            if country is None and ident.type in ("inn", "ogrn"):
                country = "ru"  # INN and OGRN are Russian numbering systems
            if country is not None:
                out.add(country)
    return out


def _countries_conflict(a: Entity, b: Entity, value: str) -> bool:
    """The same number, stated as issued by two different countries."""
    ca, cb = _number_countries(a, value), _number_countries(b, value)
    return bool(ca and cb and not ca & cb)


def same_authority(a: Entity, b: Entity) -> bool:
    """Both listed by one authority (UN, US, UK, ...): e.g. OFAC's SDN and non-SDN lists."""
    return list_regime(a.list) == list_regime(b.list)


def identifier_check(a: Entity, b: Entity, key: str) -> bool:
    """Same kind of party; a tax/registration number not stated for two countries. Two
    entries that one authority keeps apart (the SDN list lists two companies under one
    INN: a parent's number given for its subsidiary) also need a shared name."""
    if not same_kind(a, b):
        return False
    if key.startswith("tax_reg:") and _countries_conflict(a, b, key.partition(":")[2]):
        return False
    return not same_authority(a, b) or bool(shared_names(a, b))


# --- rule: name and birth date ------------------------------------------------------------


def name_dob_keys(entity: Entity) -> dict[str, str]:
    """Persons: ``<name key>|<YYYY-MM-DD>`` for every name and every full birth date."""
    if _kind(entity) != "person":
        return {}
    dates = full_birth_dates(entity)
    if not dates:
        return {}
    return {f"{key}|{d}": f"{name}, born {d}" for key, (name, _) in entity_names(entity).items() for d in dates}


def name_dob_check(a: Entity, b: Entity, key: str) -> bool:
    return _kind(a) == _kind(b) == "person"


# --- rule: name and a shared identifier ---------------------------------------------------


def any_identifier_keys(entity: Entity) -> dict[str, str]:
    """Every identifier value of any type, with or without a country: ``id:722759197``.
    A shared value links only with a shared name (checked per pair)."""
    out: dict[str, str] = {}
    for ident in entity.identifiers:
        for value in identifier_values(ident.value):
            if not _is_kpp(ident, value):
                out.setdefault(f"id:{value}", _stated_id(ident))
    return out


def name_identifier_check(a: Entity, b: Entity, key: str) -> bool:
    if not same_kind(a, b) or _countries_conflict(a, b, key.partition(":")[2]):
        return False
    return bool(shared_names(a, b))


# --- rule: name and country ---------------------------------------------------------------


# Territories the lists write either way: the UK writes "Kowloon, Hong Kong, China" (cn)
# where OFAC gives a Hong Kong company registration (hk).
_PART_OF = {"hk": "cn", "mo": "cn"}


def stated_countries(entity: Entity) -> set[str]:
    """:func:`entity_countries` and, for an organisation, the countries of its tax and
    company registration numbers (where it is registered)."""
    codes = entity_countries(entity)
    if _kind(entity) == "org":
        codes |= {c for i in entity.identifiers if i.type in _NUMBER_TYPES if (c := _id_country(i.country))}
    return codes


def name_country_keys(entity: Entity) -> dict[str, str]:
    """Organisations and vessels with a country (stated, or an organisation's programme
    country): ``<kind>:<name key>``."""
    kind = _kind(entity)
    if kind not in ("org", "vessel") or not (stated_countries(entity) or programme_country(entity)):
        return {}
    return {f"{kind}:{key}": name for key, (name, _) in entity_names(entity).items()}


def agreeing_countries(a: Entity, b: Entity) -> set[str]:
    """The countries ``a`` and ``b`` share (Hong Kong and Macau counting as China too); an
    organisation stating none counts its programme's country, when the other states that
    country (never two programmes)."""
    ca, cb = stated_countries(a), stated_countries(b)
    if not ca and not cb:
        return set()
    if not ca or not cb:
        stated, other = (ca, b) if ca else (cb, a)
        country = programme_country(other)
        return {country} & stated if country else set()
    shared = ca & cb
    if not shared:
        wider_a = ca | {_PART_OF[c] for c in ca if c in _PART_OF}
        wider_b = cb | {_PART_OF[c] for c in cb if c in _PART_OF}
        shared = wider_a & wider_b
    return shared


def _imos(entity: Entity) -> set[str]:
    return {v for i in entity.identifiers if i.type == "imo" if (v := strong_value("imo", i.value))}


def name_country_check(a: Entity, b: Entity, key: str) -> bool:
    """A shared country, no conflicting legal forms, not two vessels of one name with
    different IMO numbers, and not two entries one authority keeps apart (a list with two
    entries of one name means two parties: "OAO X" and "OOO X", a parent and its
    subsidiary sharing a short alias)."""
    if not same_kind(a, b) or same_authority(a, b):
        return False
    if not agreeing_countries(a, b):
        return False
    ia, ib = _imos(a), _imos(b)
    if ia and ib and not ia & ib:
        return False
    name_key_ = key.partition(":")[2]
    (_, legal_a), (_, legal_b) = entity_names(a)[name_key_], entity_names(b)[name_key_]
    return not (legal_a and legal_b and not legal_a & legal_b)


# --- the rules ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """A kind of evidence: its blocking keys per entity, and the check of a pair sharing one."""

    name: str
    keys: Callable[[Entity], dict[str, str]]
    check: Callable[[Entity, Entity, str], bool]
    # A key that one authority states for two of its entries with different primary names
    # is ambiguous (it names two parties in that authority's own view): not used.
    one_per_authority: bool = False
    # Cheap keys that any two entities sharing a key also share: entities whose cheap keys
    # are all unique are skipped (their names are never analysed).
    prefilter: Callable[[Entity], Iterable[str]] | None = None


_RULES: tuple[Rule, ...] = (
    Rule("reference", reference_keys, reference_check),
    Rule("identifier", identifier_keys, identifier_check, one_per_authority=True),
    Rule("name_dob", name_dob_keys, name_dob_check, prefilter=full_birth_dates),
    Rule("name_identifier", any_identifier_keys, name_identifier_check, one_per_authority=True),
    Rule("name_country", name_country_keys, name_country_check, one_per_authority=True),
)
RULES: tuple[str, ...] = tuple(r.name for r in _RULES)
RULE_BY_NAME: dict[str, Rule] = {r.name: r for r in _RULES}


def _stated(rule: str, stated: str, entity: Entity, other: Entity) -> str:
    """What the listing states for the evidence; for name rules, with the agreeing part."""
    if rule == "name_identifier":
        shared = shared_names(entity, other)
        return f"{shared[0][0]}; {stated}" if shared else stated
    if rule == "name_country":
        countries = ", ".join(sorted(agreeing_countries(entity, other)))
        source = "" if stated_countries(entity) else " by programme"
        return f"{stated} ({countries}{source})"
    return stated


def _redundant(rule: str, key: str, found: Sequence[Evidence]) -> bool:
    """A shared identifier already counted as strong evidence is not repeated with the name."""
    if rule != "name_identifier":
        return False
    value = key.partition(":")[2]
    return any(e.rule == "identifier" and e.key.rpartition(":")[2] == value for e in found)


def evidence_between(a: Entity, b: Entity, rules: Sequence[str] = RULES) -> list[Evidence]:
    """Every piece of evidence that ``a`` and ``b`` are one party (no blocking guards).

    Example:
        >>> [e.rule for e in evidence_between(un_entry, uk_entry)]
        ['reference', 'name_country']
    """
    out: list[Evidence] = []
    for name in rules:
        rule = RULE_BY_NAME[name]
        ka, kb = rule.keys(a), rule.keys(b)
        for key in sorted(ka.keys() & kb.keys()):
            if rule.check(a, b, key) and not _redundant(name, key, out):
                out.append(Evidence(name, key, (_stated(name, ka[key], a, b), _stated(name, kb[key], b, a))))
    return out


# --- linking ------------------------------------------------------------------------------


def _identity(entity: Entity) -> str:
    """How an authority tells its entries apart: the primary name's normalised form and
    legal form ("ZVEZDA PJSC" and "JSC ZVEZDA" are duplicates, "OAO X" and "OOO X" not)."""
    found = name_key(entity.caption, _kind(entity))
    if found is None:
        return entity.caption.casefold()
    return found[0] + "|" + " ".join(sorted(found[1]))


class _Components:
    """Union-find over entity positions that keeps, per component, its entries per
    authority, so that a merge joining two entries one authority keeps apart can be
    refused. Identities are computed only for the entries such a merge would join."""

    def __init__(self, items: list[Entity]) -> None:
        self.items = items
        self.parent = list(range(len(items)))
        self.members: dict[int, dict[str, list[int]]] = {
            i: {list_regime(e.list): [i]} for i, e in enumerate(items)
        }
        self._identity: dict[int, str] = {}

    def identity(self, i: int) -> str:
        found = self._identity.get(i)
        if found is None:
            found = self._identity[i] = _identity(self.items[i])
        return found

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def keeps_apart(self, i: int, j: int) -> bool:
        """Whether merging the components of ``i`` and ``j`` would join two entries of one
        authority that have different identities (neither being a duplicate of the other)."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        mi, mj = self.members[ri], self.members[rj]
        for auth in mi.keys() & mj.keys():
            if {self.identity(x) for x in mi[auth]} != {self.identity(x) for x in mj[auth]}:
                return True
        return False

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        keep, gone = min(ri, rj), max(ri, rj)
        self.parent[gone] = keep
        for auth, found in self.members.pop(gone).items():
            self.members[keep].setdefault(auth, []).extend(found)


def _primary_key(entity: Entity) -> str:
    found = name_key(entity.caption, _kind(entity))
    return found[0] if found is not None else entity.caption.casefold()


def _ambiguous(block: list[Entity]) -> bool:
    """Whether one authority states the key for two of its entries that are not duplicates
    (their primary names differ): "Ansar al-Charia" is an alias of the Derna and of the
    Benghazi group; a parent's tax number is given for its subsidiary too. Linking through
    such a key would chain two parties into one group via a third list."""
    primaries: dict[str, set[str]] = defaultdict(set)
    for entity in block:
        primaries[list_regime(entity.list)].add(_primary_key(entity))
    return any(len(keys) > 1 for keys in primaries.values())


def _prefiltered(items: list[Entity], prefilter: Callable[[Entity], Iterable[str]] | None) -> set[int] | None:
    """Positions of the entities sharing a cheap key with another (None: no prefilter)."""
    if prefilter is None:
        return None
    holders: dict[str, list[int]] = defaultdict(list)
    for i, entity in enumerate(items):
        for key in set(prefilter(entity)):
            holders[key].append(i)
    return {i for found in holders.values() if len(found) > 1 for i in found}


# rule name -> blocking key -> the value as the entity states it (rules without keys left out)
StatedKeys = dict[str, dict[str, str]]


def entity_keys(entity: Entity, rules: Sequence[str] = RULES) -> StatedKeys:
    """Every rule's blocking keys of one entity, without the prefilters (which look at the
    other entities). They depend on the entity alone, so a store keeps them per entity
    record and a list load derives only those of the records it added or changed."""
    return {name: keys for name in rules if (keys := RULE_BY_NAME[name].keys(entity))}


def link_entities(
    entities: Iterable[Entity],
    rules: Sequence[str] = RULES,
    *,
    max_key_entries: int = MAX_KEY_ENTRIES,
    max_key_per_list: int = MAX_KEY_PER_LIST,
    known_keys: Mapping[str, StatedKeys] | None = None,
) -> Linkage:
    """Group the entities that are the same party.

    Args:
        entities: listed entities of any lists (entity ids must be distinct).
        rules: the kinds of evidence to use (names from :data:`RULES`).
        max_key_entries / max_key_per_list: a blocking key held by more entries (in all, or
            of one list) is dropped as generic and reported in ``Linkage.dropped``.
        known_keys: entity id -> its :func:`entity_keys`, derived earlier (the store's);
            the keys of entities not in it are derived here. The groups are the same
            either way: a prefilter only spares deriving keys no other entity shares.

    Returns:
        A :class:`Linkage`: the groups of two or more listings, each link with its evidence.

    Example:
        >>> linkage = link_entities(entities)
        >>> [(g.lists, [l.rule for l in g.links]) for g in linkage.groups][:1]
        [(('gb_hmt', 'un_sc'), ['reference'])]
    """
    start = time.perf_counter()
    items = sorted(entities, key=lambda e: e.entity_id)
    ids = [e.entity_id for e in items]
    comps = _Components(items)
    evidence: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
    dropped: list[DroppedKey] = []
    refused: dict[str, int] = defaultdict(int)
    kept_apart: dict[str, int] = defaultdict(int)
    for name in rules:
        rule = RULE_BY_NAME[name]
        stated: list[dict[str, str]] = []
        blocks: dict[str, list[int]] = defaultdict(list)
        wanted = _prefiltered(items, rule.prefilter) if known_keys is None else None
        for i, entity in enumerate(items):
            if known_keys is not None:
                known = known_keys.get(entity.entity_id)
                keys = known.get(name, {}) if known is not None else rule.keys(entity)
            else:
                keys = rule.keys(entity) if wanted is None or i in wanted else {}
            stated.append(keys)
            for key in keys:
                blocks[key].append(i)
        for key, members in blocks.items():
            if len(members) < 2:
                continue
            per_list: dict[str, int] = defaultdict(int)
            for i in members:
                per_list[items[i].list] += 1
            if (
                len(members) > max_key_entries
                or max(per_list.values()) > max_key_per_list
                or (rule.one_per_authority and _ambiguous([items[i] for i in members]))
            ):
                dropped.append(DroppedKey(name, key, len(members), tuple(sorted(per_list))))
                continue
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    a, b = (i, j) if ids[i] < ids[j] else (j, i)
                    if not rule.check(items[a], items[b], key):
                        refused[name] += 1
                        continue
                    if _redundant(name, key, evidence.get((a, b), ())):
                        continue
                    if name != "reference" and not same_authority(items[a], items[b]) and comps.keeps_apart(a, b):
                        kept_apart[name] += 1
                        continue
                    evidence[(a, b)].append(
                        Evidence(
                            name,
                            key,
                            (
                                _stated(name, stated[a][key], items[a], items[b]),
                                _stated(name, stated[b][key], items[b], items[a]),
                            ),
                        )
                    )
                    comps.union(a, b)
    members_of: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        members_of[comps.find(i)].append(i)
    links_of: dict[int, list[Link]] = defaultdict(list)
    for (a, b), found in evidence.items():
        links_of[comps.find(a)].append(Link(ids[a], ids[b], tuple(found)))
    groups = []
    for root, idx in members_of.items():
        if len(idx) < 2:
            continue
        member_ids = tuple(sorted(ids[i] for i in idx))
        links = tuple(sorted(links_of[root], key=lambda link: (link.a, link.b)))
        first = min(member_ids, key=lambda m: (regime_rank(m.partition("-")[0]), m))
        groups.append(Group(f"party-{first}", member_ids, links))
    groups.sort(key=lambda g: g.id)
    return Linkage(groups, dropped, len(items), time.perf_counter() - start, dict(refused), dict(kept_apart))
