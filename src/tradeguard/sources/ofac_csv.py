"""OFAC legacy delimited files: SDN (``sdn.csv``) and Consolidated non-SDN (``cons_prim.*``).

Layout (OFAC's ``dat_spec.txt`` / ``cons_dat_spec.txt``): no header row, ``-0-`` (written
``-0- ``) for null, text fields double-quoted, a DOS end-of-file byte 0x1A after the last
line. The main file has 12 fields: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks. Three delimiters are read: ``,``
(``.csv``), ``|`` (``.pip``) and ``@`` (``.del``); the fixed-width ``.ff`` release is not.

**Partner files.** Only the main file is loaded; ``read`` then looks in the same folder
(case-insensitively, same extension) for its partners and merges them by ent_num:

* ``sdn.csv`` -> ``alt.csv`` (5 fields), ``add.csv`` (6 fields), ``sdn_comments.csv`` (2);
* ``cons_prim.*`` -> ``cons_alt.*``, ``cons_add.*``, ``cons_comments.*``;
* the same names with an ``ofac_`` prefix (``ofac_sdn.csv`` + ``ofac_alt.csv`` ...), as
  some mirrors save them.

A 0-byte alt/add partner is refused (SourceError: a failed download would silently drop
every alias or address); a 0-byte comments file is accepted (OFAC's 2018 consolidated
release really ships empty ``cons_comments.*``). Partner rows whose ent_num is not in the
main file are ignored and counted in ``ParsedList.notes``.

**List key.** By file name: ``cons_*`` / ``ofac_cons_*`` -> ``us_ofac_cons``; ``sdn.*`` /
``ofac_sdn.*`` -> ``us_ofac_sdn``. Any other name (e.g. a mirror's ``OFAC.csv``) is decided
by content: a row is "non-SDN" when one of its programs is a non-SDN list code (``NS-*``,
``FSE-*``, ``561*``, ``CMIC*``, ``SSI``, ``PLC``, ``MBS``, ``CAPTA*``) or its remarks say
"Not on the SDN List"; the file is ``us_ofac_cons`` when at least 10% of its rows are
non-SDN (real SDN files: under 0.1%; real consolidated files: over 30%, the rest being
SSI entries whose program, e.g. UKRAINE-EO13662, also occurs on the SDN list). ``detect``
applies this to the rows in the file's first bytes, ``read`` to every row.

**Mapping.**

* ``source_id`` = ent_num. SDN_Type individual -> Person, vessel -> Vessel, aircraft ->
  Airplane; entities carry ``-0-`` and become Organization (kept simple: the legacy files
  do not tell a company from a group or government body).
* SDN_Name is the primary name, as listed. For individuals ("SURNAME, Given") the part
  before the first comma also goes to ``Name.family`` and the rest to ``Name.given``; the
  same for alt.csv names of individuals. alt_type aka/nka -> ``alias``, fka -> ``former``.
* Weak aliases: OFAC keeps them out of alt.csv and writes them in Remarks as
  ``a.k.a. 'NAME'`` (also ``f.k.a. '...'``), single-quoted (the spec's "bracketed by
  quotation marks"; the real files never say "(weak)"). Each becomes ``weak_alias``.
* Program ``FTO] [SDGT] [NPWMD`` -> ["FTO", "SDGT", "NPWMD"].
* Title -> ``extra["title"]``. Vessel fields -> ``extra`` call_sign / vessel_type /
  tonnage / grt / flag / owner; the call sign is also an identifier ``vessel_call_sign``,
  the flag's country code goes to ``countries`` and the owner is also a ``owned_by``
  relation by name.
* Addresses (add.csv): address, city/state/postal and country joined into ``Address.text``;
  ``Address.city`` = the city/state/postal field; country -> ISO code where known
  ("Region: Crimea" and other non-countries are kept as listed); codes go to ``countries``.
* Remarks (with the sdn_comments continuation appended first: it starts mid-word) are split
  at ";" and each item (an ``alt.`` prefix dropped) is read by :func:`apply_remark`: DOB
  (dates, "circa", "1970 to 1975" ranges), POB, nationality / citizen (-> nationalities for
  people, countries otherwise), Gender, "Linked To: NAME" (``Relation("linked_to")``,
  resolved to the ent_num of an entry of the same file with that exact name), weak aliases,
  and the labelled identifiers and attributes shared with the XML formats (see
  :data:`LABELS`): passports, national and tax ids, registration numbers, Russian INN /
  OGRN (a Russian "Tax ID No." of 10/12 digits -> ``inn``; a Russian registration number of
  13/15 digits -> ``ogrn``; the same numbers without a stated country on an entry tied to
  Russia by address or nationality, when their check digits are valid), IMO / MMSI, SWIFT/BIC, LEI, D-U-N-S, digital currency
  addresses (``crypto``, the currency code in the note), aircraft serial and tail numbers,
  website / email / phone, organisation data, vessel and aircraft attributes. Items that
  are not understood stay in ``remarks``, one per item.

OFAC's CSVs carry no publication date: ``published`` is None. A bad row (wrong field count,
non-integer ent_num) raises SourceError naming the file and line. ``read`` reads and checks
every file before it returns, so ``notes`` is complete; entities are then built one by one.

Helpers shared with :mod:`tradeguard.sources.ofac_xml` and
:mod:`tradeguard.sources.ofac_advanced` (labels, remarks, names, list key) live here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    check_line_lengths,
    clean,
    clean_all,
    country_code,
    decode_text,
    iter_csv,
    parse_date,
)

LIST_SDN = "us_ofac_sdn"
LIST_CONS = "us_ofac_cons"
FORMAT_NAME = "ofac_legacy_delimited"

MAIN_FIELDS = 12
DELIMITERS = (",", "|", "@")

T = TypeVar("T")

# --- shared OFAC helpers ---------------------------------------------------------------

SCHEMA_BY_TYPE = {
    "individual": "Person",
    "vessel": "Vessel",
    "aircraft": "Airplane",
    "entity": "Organization",
}

NON_SDN_PROGRAM = re.compile(r"^(NS-|FSE\b|561|CMIC|SSI$|PLC$|MBS$|CAPTA)", re.I)
NON_SDN_SHARE = 0.10


def is_int(text: str | None) -> bool:
    """True for a non-empty run of ASCII digits (ids; "²" or Arabic-Indic digits are not)."""
    return text is not None and text != "" and text.isascii() and text.isdigit()


def add(values: list[T], value: T | None) -> None:
    """Append ``value`` unless it is empty or already there."""
    if value and value not in values:
        values.append(value)


def add_extra(entity: Entity, key: str, value: str | None) -> None:
    text = clean(value)
    if text is None:
        return
    add(entity.extra.setdefault(key, []), text)


def ofac_country(value: str | None) -> str | None:
    """ISO code for an OFAC country name ("Korea, North", "Region: Crimea" -> via "Crimea")."""
    text = clean(value)
    if text is None:
        return None
    code = country_code(text)
    if code is None and text.lower().startswith("region:"):
        code = country_code(text.split(":", 1)[1])
    return code


def country_or_listed(value: str | None) -> str | None:
    """The ISO code where one is found, else the text as listed."""
    text = clean(value)
    if text is None:
        return None
    return ofac_country(text) or text


def split_programs(value: str | None) -> list[str]:
    """``FTO] [SDGT] [NPWMD`` -> ["FTO", "SDGT", "NPWMD"]."""
    text = clean(value)
    if text is None:
        return []
    return clean_all(p.strip("[] ") for p in text.split("] ["))


def is_non_sdn(programs: Iterable[str], text: str = "") -> bool:
    """True when an entry looks like a non-SDN (consolidated list) entry."""
    if any(NON_SDN_PROGRAM.match(p) for p in programs):
        return True
    return "not on the sdn list" in text.lower()


def list_key_from_name(path: Path) -> str | None:
    """``us_ofac_cons`` / ``us_ofac_sdn`` where the file name says which, else None."""
    name = path.name.lower()
    if name.startswith(("cons_", "ofac_cons")) or name.startswith("consolidated"):
        return LIST_CONS
    stem = name.rsplit(".", 1)[0]
    if stem in ("sdn", "ofac_sdn", "sdn_enhanced", "sdn_advanced"):
        return LIST_SDN
    return None


def list_key_from_flags(flags: list[bool]) -> str:
    """Content heuristic: consolidated when >= 10% of the entries look non-SDN."""
    if flags and sum(flags) >= NON_SDN_SHARE * len(flags):
        return LIST_CONS
    return LIST_SDN


def person_name(value: str, kind: str, person: bool, lang: str | None = None) -> Name:
    """A Name; for people "SURNAME, Given" also fills family/given."""
    name = Name(value=value, kind=kind, lang=lang)
    if person and ", " in value:
        family, _, given = value.partition(", ")
        name.family = clean(family)
        name.given = clean(given)
    return name


def add_name(entity: Entity, name: Name) -> None:
    """Add a name unless the same value is already there (a primary beats an alias)."""
    for existing in entity.names:
        if existing.value == name.value and existing.lang == name.lang:
            return
    entity.names.append(name)


def parse_ofac_date(value: str | None) -> str | None:
    """OFAC date spellings: "01 Jan 1970", "Jan 1970", "1970", "circa 1970",
    "1970 to 1975", "01 Jan 1960 to 31 Dec 1962" (-> "1960/1962")."""
    text = clean(value)
    if text is None:
        return None
    text = text.rstrip(".").strip()
    if re.search(r"\s+to\s+", text, re.I):
        a, b = re.split(r"\s+to\s+", text, maxsplit=1, flags=re.I)
        start, end = parse_date(a), parse_date(b)
        if start is None or end is None:
            return None
        circa = start.startswith("~")
        start, end = start.lstrip("~"), end.lstrip("~")
        if start.endswith("-01-01") and end.endswith("-12-31"):
            start, end = start[:4], end[:4]
        if start == end:
            return ("~" if circa else "") + start
        return ("~" if circa else "") + f"{start}/{end}"
    return parse_date(text)


# Labels OFAC uses for identifiers and attributes: in legacy Remarks ("Passport 123
# (Egypt)"), sdnList XML idType, and Advanced XML IDRegDocType / FeatureType names.
# value: (target, key). Targets: id (Identifier type), extra, extra_date, country (extra key
# + countries), call_sign, flag, owner, dob, pob, nationality, citizen, crypto.
_ID = "id"
LABELS: dict[str, tuple[str, str]] = {}


def _labels(target: str, key: str, *labels: str) -> None:
    for label in labels:
        LABELS[label] = (target, key)


_labels(
    _ID,
    "passport",
    "passport",
    "passport no.",
    "diplomatic passport",
    "british national overseas passport",
    "stateless person passport",
    "travel document number",
)
_labels(
    _ID,
    "national_id",
    "national id no.",
    "identification number",
    "cedula no.",
    "c.u.r.p.",
    "c.u.r.p. #",
    "d.n.i.",
    "personal id card",
    "ssn",
    "n.i.e.",
    "kenyan id no.",
    "bosnian personal id no.",
    "moroccan personal id no.",
    "turkish identification number",
    "national foreign id number",
    "tazkira national id card",
    "numero de identidad",
    "citizen's card number",
    "uae identification",
    "cnp (personal numerical code)",
    "stateless person id card",
    "refugee id card",
    "residency number",
    "romanian permanent resident",
    "electoral registry no.",
    "credencial electoral",
    "i.f.e.",
    "c.u.i.",
    "c.u.i.p.",
    "birth certificate number",
    "public security and immigration no.",
    "immigration no.",
    "cartilla de servicio militar nacional",
    "military registration number",
    "seafarer's identification document",
)
_labels(
    _ID,
    "tax_id",
    "tax id no.",
    "r.f.c.",
    "rfc",
    "v.a.t. number",
    "italian fiscal code",
    "fiscal code",
    "us fein",
    "nit #",
    "ruc #",
    "rif #",
    "c.i.f.",
    "c.u.i.t.",
    "n.i.f.",
    "rtn",
    "paraguayan tax identification number",
    "numero unico de identificacao tributaria (nuit)",
    "romanian tax registration",
)
_labels(
    _ID,
    "registration",
    "registration number",
    "registration id",
    "business registration number",
    "business registration document #",
    "company number",
    "uk company number",
    "commercial registry number",
    "chamber of commerce number",
    "dubai chamber of commerce membership no.",
    "trade license no.",
    "unified social credit code (uscc)",
    "united social credit code certificate (usccc)",
    "economic register number (cbls)",
    "c.r. no.",
    "romanian c.r.",
    "folio mercantil no.",
    "matricula mercantil no",
    "public registration number",
    "central registration system number",
    "istanbul chamber of comm. no.",
    "business number",
    "certificate of incorporation number",
    "registered charity no.",
    "government gazette number",
    "enterprise number",
    "organization code",
    "branch unit number",
    "le number",
    "msb registration number",
    "afghan money service provider license number",
    "license",
    "tourism license no.",
    "permit number",
    "sre permit no.",
    "registration certificate number (dubai)",
    "c.i.n.",
    "russian state individual business registration number pattern (ogrnip)",
)
_labels(_ID, "lei", "legal entity number")
_labels(_ID, "duns", "d-u-n-s number")
_labels(_ID, "bic", "swift/bic")
_labels(_ID, "imo", "vessel registration identification")
_labels(_ID, "mmsi", "mmsi")
_labels(
    _ID,
    "aircraft_serial",
    "aircraft manufacturer's serial number (msn)",
    "aircraft serial identification",
    "aircraft construction number (also called l/n or s/n or f/n)",
)
_labels(_ID, "aircraft_tail", "aircraft tail number", "previous aircraft tail number")
_labels(
    _ID,
    "other",
    "bik (ru)",
    "isin",
    "driver's license no.",
    "pilot license number",
    "visanumberid",
    "serial no.",
    "file number",
    "trademark number",
    "chinese commercial code",
    "aircraft mode s transponder code",
    "micex code",
)
for _key, _names in {
    "gender": ("gender",),
    "website": ("website",),
    "email": ("email address",),
    "phone": ("phone number", "telephone", "telephone no.", "phone"),
    "fax": ("fax", "fax no."),
    "organization_type": ("organization type",),
    "target_type": ("target type",),
    "title": ("title",),
    "former_flag": ("former vessel flag",),
    "other_flag": ("other vessel flag",),
    "vessel_type": ("vessel type", "other vessel type"),
    "tonnage": ("vessel tonnage",),
    "grt": ("vessel gross registered tonnage",),
    "build_year": ("vessel year of build",),
    "aircraft_model": ("aircraft model",),
    "aircraft_operator": ("aircraft operator",),
    "issuer_name": ("issuer name",),
    "equity_ticker": ("equity ticker",),
    "un_locode": ("un/locode",),
    "sanctions_info": ("additional sanctions information",),
    "secondary_sanctions_risk": ("secondary sanctions risk",),
    "directive": (
        "executive order 13662 directive determination",
        "executive order 14024 directive information",
    ),
    "caatsa_235": ("caatsa section 235 information",),
    "transactions_prohibited": (
        "transactions prohibited for persons owned or controlled by u.s. financial institutions",
    ),
    "ifca_determination": ("ifca determination",),
}.items():
    _labels("extra", _key, *_names)
_labels("extra_date", "incorporation_date", "organization established date")
_labels("extra_date", "aircraft_build_date", "aircraft manufacture date")
_labels("country", "registration_country", "nationality of registration", "registration country")
_labels("call_sign", "", "vessel call sign", "other vessel call sign")
_labels("flag", "", "vessel flag")
_labels("owner", "", "vessel owner")
_labels("dob", "", "dob", "birthdate")
_labels("pob", "", "pob", "place of birth")
_labels("nationality", "", "nationality", "nationality country")
_labels("citizen", "", "citizen", "citizenship country")
_labels("crypto", "", "digital currency address")


def norm_label(label: str) -> str:
    """Normalise a label for :data:`LABELS` lookup ("Organization Type:" -> "organization type")."""
    text = re.sub(r"\s+", " ", label.replace("\u2019", "'")).strip(" :-").lower()
    return text


def label_target(label: str) -> tuple[str, str] | None:
    key = norm_label(label)
    found = LABELS.get(key)
    if found is None and key.startswith("digital currency address"):
        found = LABELS["digital currency address"]
    return found


_ID_VALUE = re.compile(
    r"^(?P<value>.*?)(?:\s*\((?P<country>[^()]*)\))?"
    r"(?:[\s,;]+(?P<tail>(?:issued|expires|expired|issue date|expir\w* date)\b.*))?$",
    re.I | re.S,
)
_RU_DIGITS = re.compile(r"^\d+$", re.ASCII)
_IMO = re.compile(r"^(?:IMO\s*)?(\d{7})$", re.I)


def add_identifier(
    entity: Entity,
    id_type: str,
    label: str,
    value: str,
    country: str | None,
    tail: str | None = None,
) -> None:
    """Add a typed identifier, with OFAC's label (and issue/expiry text) as the note."""
    value = value.strip(" ,;:")
    if not value:
        return
    m = re.match(r"^IMO\s+(\d{7})$", value, re.I)
    if id_type == "imo" or m:
        m2 = _IMO.match(value)
        if m2:
            id_type, value = "imo", m2.group(1)
        elif id_type == "imo":
            id_type = "registration"
    if id_type == "national_id" and entity.schema != "Person":
        id_type = "registration"
    if country == "ru" and _RU_DIGITS.match(value):
        if id_type == "tax_id" and len(value) in (10, 12):
            id_type = "inn"
        elif (
            id_type == "registration" and len(value) in (13, 15) and "gazette" not in label.lower()
        ):
            id_type = "ogrn"
    note = clean(label)
    if tail:
        note = f"{note}; {tail}" if note else tail
    ident = Identifier(type=id_type, value=value, country=country, note=note)
    for existing in entity.identifiers:
        if (
            existing.type == ident.type
            and existing.value == ident.value
            and existing.country == ident.country
        ):
            return
    entity.identifiers.append(ident)


def _inn_ok(digits: str) -> bool:
    """Russian INN check digits (10 digits for organisations, 12 for people)."""
    d = [int(c) for c in digits]

    def check(weights: list[int]) -> int:
        return sum(w * x for w, x in zip(weights, d, strict=False)) % 11 % 10

    if len(d) == 10:
        return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9]
    if len(d) == 12:
        return (
            check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[10]
            and check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[11]
        )
    return False


def _ogrn_ok(digits: str) -> bool:
    """Russian OGRN (13 digits) / OGRNIP (15 digits) check digit."""
    if len(digits) == 13:
        return int(digits[:12]) % 11 % 10 == int(digits[12])
    if len(digits) == 15:
        return int(digits[:14]) % 13 % 10 == int(digits[14])
    return False


def promote_russian_ids(entity: Entity) -> None:
    """Tax / registration numbers stated without a country, on an entry tied to Russia,
    become ``inn`` / ``ogrn`` when their check digits are valid (OFAC often omits the
    "(Russia)" on these). Numbers stated as Russian are typed in :func:`add_identifier`."""
    if "ru" not in entity.countries and "ru" not in entity.nationalities:
        return
    for ident in entity.identifiers:
        if ident.country is not None or not _RU_DIGITS.match(ident.value):
            continue
        if ident.type == "tax_id" and _inn_ok(ident.value):
            ident.type = "inn"
        elif (
            ident.type == "registration"
            and _ogrn_ok(ident.value)
            and "gazette" not in (ident.note or "").lower()
        ):
            ident.type = "ogrn"


def add_nationality(entity: Entity, value: str | None) -> None:
    text = clean(value)
    if text is None:
        return
    code = ofac_country(text) or text
    if entity.schema == "Person":
        add(entity.nationalities, code)
    else:
        add(entity.countries, code)


def apply_vessel(
    entity: Entity,
    call_sign: str | None = None,
    vessel_type: str | None = None,
    tonnage: str | None = None,
    grt: str | None = None,
    flag: str | None = None,
    owner: str | None = None,
) -> None:
    """The vessel columns of the legacy files and ``vesselInfo`` of the XML."""
    call_sign = clean(call_sign)
    if call_sign:
        add_extra(entity, "call_sign", call_sign)
        add_identifier(entity, "vessel_call_sign", "Call Sign", call_sign, None)
    add_extra(entity, "vessel_type", vessel_type)
    add_extra(entity, "tonnage", tonnage)
    add_extra(entity, "grt", grt)
    flag = clean(flag)
    if flag:
        add_extra(entity, "flag", flag)
        add(entity.countries, ofac_country(flag))
    owner = clean(owner)
    if owner:
        add_extra(entity, "owner", owner)
        rel = Relation(kind="owned_by", target_name=owner, note="vessel owner")
        if rel not in entity.relations:
            entity.relations.append(rel)


def _id_from_text(
    entity: Entity, id_type: str, label: str, text: str, country: str | None, tail: str | None
) -> None:
    """Legacy Remarks style: split a trailing "(Country)" and "issued ... expires ..." off."""
    m = _ID_VALUE.match(text)
    if m:
        text = m.group("value") or text
        tail = clean(m.group("tail")) or tail
        listed = clean(m.group("country"))
        if listed:
            code = ofac_country(listed)
            if code:
                country = code
            else:  # "(Stuttgart)": part of the number's text, not a country
                text = f"{text} ({listed})"
    add_identifier(entity, id_type, label, text, country_or_listed(country), tail)


def apply_detail(
    entity: Entity,
    label: str,
    value: str | None,
    country: str | None = None,
    tail: str | None = None,
    parse_country: bool = False,
) -> bool:
    """Apply one labelled OFAC fact (identifier or attribute); False if the label is unknown.

    ``country`` is the issuing country as listed (or an ISO code). With ``parse_country``
    (legacy Remarks style) a trailing "(Country)" and "issued ... expires ..." text are
    split off ``value`` first.
    """
    found = label_target(label)
    if found is None:
        return False
    text = clean(value)
    if text is None:
        return True
    target, key = found
    if target == _ID:
        if parse_country:
            _id_from_text(entity, key, label, text, country, tail)
        else:
            add_identifier(entity, key, label, text, country_or_listed(country), tail)
    elif target == "crypto":
        currency = norm_label(label).replace("digital currency address", "").strip(" -").upper()
        if not currency:
            currency, _, rest = text.partition(" ")
            text = rest.strip()
        add_identifier(entity, "crypto", f"Digital Currency Address - {currency}", text, None)
    elif target == "extra":
        add_extra(entity, key, text)
    elif target == "extra_date":
        add_extra(entity, key, parse_ofac_date(text) or text)
    elif target == "country":
        add_extra(entity, key, text)
        add(entity.countries, ofac_country(text) or text)
    elif target == "call_sign":
        add_extra(entity, "call_sign", text)
        add_identifier(entity, "vessel_call_sign", label, text, None)
    elif target == "flag":
        apply_vessel(entity, flag=text)
    elif target == "owner":
        apply_vessel(entity, owner=text)
    elif target == "dob":
        parsed = parse_ofac_date(text)
        if parsed:
            add(entity.birth_dates, parsed)
        else:
            add(entity.remarks, f"DOB {text}")
    elif target == "pob":
        add(entity.birth_places, text)
    elif target in ("nationality", "citizen"):
        add_nationality(entity, text)
    return True


_LABEL_RE = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True))
    + r")(?:\s*:\s*|\s+-\s+|\s+|$)(?P<rest>.*)$",
    re.I | re.S,
)
_WEAK = re.compile(r"^([afn])\.k\.a\.?,?\s*['\u2018\"](.+?)['\u2019\"]?$", re.I | re.S)
_LINKED = re.compile(r"^linked to\s*:?\s*(.+)$", re.I | re.S)
_GENERIC_ID = re.compile(
    r"^(?P<label>[A-Z][\w.'/&\- ]{0,60}?(?:\bNo\.|\bNumber|\bID|#))\s*:?\s+(?P<rest>[A-Z0-9].*)$",
    re.S,
)


def split_remarks(text: str | None) -> list[str]:
    """Remarks text -> items: split at ";", the final period dropped."""
    body = clean(text)
    if body is None:
        return []
    if body.endswith("."):
        body = body[:-1]
    return clean_all(re.split(r";\s*", body))


def _unwrap(text: str) -> str:
    """Drop brackets around a whole item: "(Linked To: X (Y))" -> "Linked To: X (Y)"."""
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += 1 if ch == "(" else -1 if ch == ")" else 0
            if depth == 0 and i < len(text) - 1:
                return text  # the first bracket closes before the end: "(a) b (c)"
        text = text[1:-1].strip()
    return text


def apply_remark(entity: Entity, item: str) -> bool:
    """Apply one Remarks item ("DOB 1970", "Passport X (Iran)", "a.k.a. 'Y'", ...).

    Returns False when the item is not understood (the caller keeps it as a remark).
    """
    text = _unwrap(item.strip())
    text = re.sub(r"^alt\.\s+", "", text, flags=re.I)
    if not text:
        return True
    m = _WEAK.match(text)
    if m:
        value = clean(m.group(2))
        if value:
            add_name(entity, person_name(value, "weak_alias", entity.schema == "Person"))
        return True
    m = _LINKED.match(text)
    if m:
        target = clean(m.group(1))
        if target:
            rel = Relation(kind="linked_to", target_name=target)
            if rel not in entity.relations:
                entity.relations.append(rel)
        return True
    m = _LABEL_RE.match(text)
    if m:
        return apply_detail(entity, m.group("label"), m.group("rest"), parse_country=True)
    m = _GENERIC_ID.match(text)
    if m and not re.search(r"\b(date|since|of the|commander)\b", m.group("label"), re.I):
        rest = clean(m.group("rest"))
        if rest:
            _id_from_text(entity, "other", m.group("label"), rest, None, None)
        return True
    return False


def apply_remarks(entity: Entity, text: str | None) -> None:
    """Read every item of a Remarks text; items not understood go to ``entity.remarks``."""
    for item in split_remarks(text):
        if not apply_remark(entity, item):
            add(entity.remarks, item)


def drop_title_remarks(entity: Entity) -> None:
    """OFAC repeats an individual's Title inside Remarks: keep it only in ``extra["title"]``."""
    titles = {part for title in entity.extra.get("title", []) for part in split_remarks(title)}
    titles.update(entity.extra.get("title", []))
    if titles:
        entity.remarks = [r for r in entity.remarks if r not in titles]


def name_key(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().upper().rstrip(".")


def resolve_links(entity: Entity, index: dict[str, tuple[str, str]]) -> None:
    """Give "Linked To" relations the ``target_source_id`` of the named entry, if listed."""
    for rel in entity.relations:
        if rel.kind == "linked_to" and rel.target_name and not rel.target_source_id:
            found = index.get(name_key(rel.target_name))
            if found and found[0] != entity.source_id:
                rel.target_source_id, rel.target_name = found


# --- legacy delimited files ------------------------------------------------------------


@dataclass
class _Row:
    line: int
    fields: list[str]


def _read_text(path: Path) -> str:
    """The file's text; SourceError if missing, empty, with an absurdly long line, or
    undecodable (naming the line)."""
    check_line_lengths(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, None, f"cannot read file: {exc.strerror}") from exc
    if not data:
        raise SourceError(path, None, "file is empty (0 bytes): refusing it as a failed download")
    try:
        return decode_text(path, data)
    except SourceError as exc:
        cause = exc.__cause__
        if isinstance(cause, UnicodeDecodeError):
            line = data.count(b"\n", 0, cause.start) + 1
            raise SourceError(path, f"line {line} (byte {cause.start})", exc.problem) from cause
        raise


def _first_record(text: str, delimiter: str) -> list[str] | None:
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for row in reader:
            if row and any(f.strip() for f in row):
                return row
    except csv.Error:
        return None
    return None


def _looks_main(row: list[str] | None) -> bool:
    if row is None or len(row) != MAIN_FIELDS:
        return False
    if not is_int(row[0].strip()):
        return False
    sdn_type = row[2].strip().lower()
    return bool(clean(row[1])) and (sdn_type in SCHEMA_BY_TYPE or sdn_type == "-0-")


def _delimiter(text: str) -> str | None:
    for delimiter in DELIMITERS:
        if _looks_main(_first_record(text, delimiter)):
            return delimiter
    return None


def _complete_lines(head: bytes) -> str:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    cut = text.rfind("\n")
    return text[: cut + 1] if cut >= 0 else text


def detect(path: Path, head: bytes) -> str | None:
    if not head or head.lstrip()[:1] in (b"<", b"{", b"["):
        return None
    text = _complete_lines(head)
    delimiter = _delimiter(text)
    if delimiter is None:
        return None
    by_name = list_key_from_name(path)
    if by_name:
        return by_name
    flags: list[bool] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(row) == MAIN_FIELDS:
                flags.append(is_non_sdn(split_programs(row[3]), row[11]))
    except csv.Error:
        pass
    return list_key_from_flags(flags)


def _rows(path: Path, text: str, delimiter: str, fields: int) -> list[_Row]:
    """Every record, checked: ``fields`` fields and an integer ent_num."""
    rows: list[_Row] = []
    for line, row in iter_csv(path, delimiter=delimiter, text=text):
        if not row or all(not f.strip() or f.strip() == "\x1a" for f in row):
            continue
        if len(row) != fields:
            raise SourceError(
                path,
                f"line {line}",
                f"expected {fields} fields separated by {delimiter!r}, found {len(row)}",
            )
        ent = row[0].strip()
        if not is_int(ent):
            raise SourceError(path, f"line {line}", f"ent_num {ent!r} is not an integer")
        rows.append(_Row(line, row))
    return rows


_PARTNERS = {
    "sdn": (("alt", "alt", 5), ("add", "add", 6), ("comments", "sdn_comments", 2)),
    "cons_prim": (("alt", "cons_alt", 5), ("add", "cons_add", 6), ("comments", "cons_comments", 2)),
}


def _partner_paths(path: Path) -> list[tuple[str, Path, int]]:
    """(kind, path, field count) of the partner files next to the main file."""
    name = path.name.lower()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    prefix = ""
    if stem.startswith("ofac_") and stem[5:] in _PARTNERS:
        prefix, stem = "ofac_", stem[5:]
    parts = _PARTNERS.get(stem)
    if parts is None:
        return []
    try:
        siblings = {p.name.lower(): p for p in path.parent.iterdir() if p.is_file()}
    except OSError:
        return []
    out: list[tuple[str, Path, int]] = []
    for kind, base, nfields in parts:
        wanted = f"{prefix}{base}.{ext}" if ext else f"{prefix}{base}"
        found = siblings.get(wanted)
        if found is not None:
            out.append((kind, found, nfields))
    return out


def _by_ent(rows: list[_Row]) -> dict[str, list[_Row]]:
    out: dict[str, list[_Row]] = {}
    for row in rows:
        out.setdefault(str(int(row.fields[0].strip())), []).append(row)
    return out


def read(path: Path) -> ParsedList:
    path = Path(path)
    text = _read_text(path)
    delimiter = _delimiter(text)
    if delimiter is None:
        first = _first_record(text, ",") or []
        raise SourceError(
            path,
            "line 1",
            f"not an OFAC legacy main-file record: expected {MAIN_FIELDS} fields with an integer "
            f"ent_num (delimited by ',', '|' or '@'), found {len(first)} comma-separated fields",
        )
    rows = _rows(path, text, delimiter, MAIN_FIELDS)
    if not rows:
        raise SourceError(path, None, "no records: empty or truncated list")
    notes: list[str] = []
    main: dict[str, _Row] = {}
    for row in rows:
        ent = str(int(row.fields[0].strip()))
        if ent in main:
            notes.append(f"{path.name}: ent_num {ent} repeated at line {row.line} (first kept)")
            continue
        main[ent] = row

    files = [path]
    partners: dict[str, dict[str, list[_Row]]] = {"alt": {}, "add": {}, "comments": {}}
    for kind, ppath, nfields in _partner_paths(path):
        if ppath.stat().st_size == 0:
            if kind != "comments":
                raise SourceError(
                    ppath,
                    None,
                    f"partner {kind} file of {path.name} is empty (0 bytes): failed download?",
                )
            notes.append(f"{ppath.name} is empty (0 bytes): no remarks continuations")
            files.append(ppath)
            continue
        prows = _rows(ppath, _read_text(ppath), delimiter, nfields)
        grouped = _by_ent(prows)
        orphans = [ent for ent in grouped if ent not in main]
        if orphans:
            count = sum(len(grouped[e]) for e in orphans)
            notes.append(
                f"{ppath.name}: {count} rows for {len(orphans)} ent_num not in {path.name} (ignored)"
            )
        partners[kind] = {e: r for e, r in grouped.items() if e in main}
        files.append(ppath)

    list_key = list_key_from_name(path)
    if list_key is None:
        flags = [is_non_sdn(split_programs(r.fields[3]), r.fields[11]) for r in main.values()]
        list_key = list_key_from_flags(flags)

    index: dict[str, tuple[str, str]] = {}
    for ent, row in main.items():
        name = clean(row.fields[1])
        if name:
            index.setdefault(name_key(name), (ent, name))

    return ParsedList(
        list_key=list_key,
        format=FORMAT_NAME,
        files=files,
        entities=_entities(list_key, main, partners, index),
        published=None,
        notes=notes,
    )


def _entities(
    list_key: str,
    main: dict[str, _Row],
    partners: dict[str, dict[str, list[_Row]]],
    index: dict[str, tuple[str, str]],
) -> Iterator[Entity]:
    for ent, row in main.items():
        yield _entity(
            list_key,
            ent,
            row,
            partners["alt"].get(ent, []),
            partners["add"].get(ent, []),
            partners["comments"].get(ent, []),
            index,
        )


def _entity(
    list_key: str,
    ent: str,
    row: _Row,
    alts: list[_Row],
    adds: list[_Row],
    comments: list[_Row],
    index: dict[str, tuple[str, str]],
) -> Entity:
    f = row.fields
    sdn_type = (clean(f[2]) or "entity").lower()
    schema = SCHEMA_BY_TYPE.get(sdn_type, "Organization")
    entity = Entity(list=list_key, source_id=ent, schema=schema)
    person = schema == "Person"
    name = clean(f[1])
    if name:
        entity.names.append(person_name(name, "primary", person))
    for alt in alts:
        value = clean(alt.fields[3])
        if value is None:
            continue
        alt_type = (clean(alt.fields[2]) or "aka").lower().replace(".", "")
        kind = "former" if alt_type == "fka" else "alias"
        add_name(entity, person_name(value, kind, person))
        alt_note = clean(alt.fields[4])
        if alt_note:
            add_extra(entity, "alias_note", f"{value}: {alt_note}")
    entity.programs = split_programs(f[3])
    add_extra(entity, "title", f[4])
    apply_vessel(entity, f[5], f[6], f[7], f[8], f[9], f[10])
    for addr in adds:
        _address(entity, addr.fields)
    # A continuation starts mid-word: append it to the raw (unstripped) 1000-character field.
    remarks = f[11].lstrip() if clean(f[11]) is not None else ""
    remarks += "".join(comment.fields[1] for comment in comments)
    apply_remarks(entity, remarks)
    drop_title_remarks(entity)
    promote_russian_ids(entity)
    resolve_links(entity, index)
    return entity


def _address(entity: Entity, fields: list[str]) -> None:
    street, city, country = clean(fields[2]), clean(fields[3]), clean(fields[4])
    note = clean(fields[5])
    parts = [p for p in (street, city, country) if p]
    if not parts:
        return
    text = ", ".join(parts)
    if note:
        text = f"{text} ({note})"
    code = ofac_country(country)
    address = Address(text=text, country=code or country, city=city)
    if address not in entity.addresses:
        entity.addresses.append(address)
    add(entity.countries, code or country)


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name=FORMAT_NAME,
        description=(
            "OFAC legacy delimited files: SDN sdn.csv (+alt/add/sdn_comments) and "
            "Consolidated cons_prim.csv/.pip/.del (+cons_alt/cons_add/cons_comments)"
        ),
        detect=detect,
        read=read,
    )
]
