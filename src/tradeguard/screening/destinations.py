"""Destination checks for an order line: sanctioned countries and regions (also as place names
inside address text, in Latin and Cyrillic spellings), transshipment-risk countries for
high-priority goods, and the red flags order data can show.

All rules are data: ``data/destinations.yml`` in this package (each entry cites its public
source), merged with an optional user file (see the header of that file). Load them once
with :meth:`DestinationRules.load` and reuse the object for every line.

Countries are ISO-3166 alpha-2 codes in lower case, plus the sub-national codes that
:func:`tradeguard.sources.common.country_code` returns for occupied regions ("ua-cri",
"ua-dpr", "ua-lpr", "ua-23" Zaporizhzhia oblast, "ua-65" Kherson oblast).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tradeguard.screening.goods import Finding
from tradeguard.sources.base import SourceError
from tradeguard.sources.common import clean, country_code

__all__ = [
    "DEFAULT_FILE",
    "PARTY_ROLES",
    "Area",
    "DestinationRules",
    "Party",
    "PlaceMatch",
    "normalize_text",
]

DEFAULT_FILE = "destinations.yml"
PARTY_ROLES: tuple[str, ...] = ("buyer", "consignee", "end_user", "forwarder")
_SEVERITIES = ("block", "review", "none")

_APOSTROPHES = re.compile(r"[’'ʼ`´ʹ‘]")
_TOKEN = re.compile(r"[^\W_]+")
_PATTERN_TOKEN = re.compile(r"[^\W_]+\*?")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", text.casefold())


def _words(text: str) -> tuple[list[str], list[str]]:
    """The words of ``text`` as written and folded (same length, same order)."""
    written = _TOKEN.findall(_APOSTROPHES.sub("", unicodedata.normalize("NFC", text)))
    folded: list[str] = []
    kept: list[str] = []
    for word in written:
        parts = _TOKEN.findall(_fold(word))
        if len(parts) == 1:
            folded.append(parts[0])
            kept.append(word)
        else:  # folding split or emptied the word: keep the folded parts
            folded.extend(parts)
            kept.extend(parts)
    return kept, folded


def normalize_text(text: str) -> list[str]:
    """Words of ``text`` without case, accents or apostrophes ("Luhans'k" -> ["luhansk"])."""
    return _words(text)[1]


@dataclass(frozen=True, slots=True)
class Area:
    """A sanctioned country or region and the place names that point to it."""

    code: str
    name: str
    severity: str  # block | review | none
    source: str
    countries: frozenset[str]  # stated address countries consistent with a place match


@dataclass(frozen=True, slots=True)
class _Pattern:
    text: str  # as written in the data file
    tokens: tuple[str, ...]
    prefix: tuple[bool, ...]
    area: Area
    severity: str  # block | review | none (exclude)

    def matches(self, words: Sequence[str], start: int) -> bool:
        if start + len(self.tokens) > len(words):
            return False
        for j, (tok, pre) in enumerate(zip(self.tokens, self.prefix, strict=True)):
            word = words[start + j]
            if pre:
                if not word.startswith(tok):
                    return False
            elif word != tok:
                return False
        return True


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    area: Area
    place: str  # the data file's spelling that matched
    found: str  # the words of the text that matched
    severity: str  # block | review


class _PlaceIndex:
    """Whole-word (and word-prefix) phrase lookup over normalised tokens."""

    def __init__(self) -> None:
        self._exact: dict[str, list[_Pattern]] = {}
        self._prefix: dict[str, list[_Pattern]] = {}
        self._prefix_lengths: set[int] = set()

    def add(self, pattern: _Pattern) -> None:
        first = pattern.tokens[0]
        if pattern.prefix[0]:
            self._prefix.setdefault(first, []).append(pattern)
            self._prefix_lengths.add(len(first))
        else:
            self._exact.setdefault(first, []).append(pattern)

    def find(self, words: Sequence[str]) -> list[tuple[int, int, _Pattern]]:
        hits: list[tuple[int, int, _Pattern]] = []
        for i, word in enumerate(words):
            candidates = list(self._exact.get(word, ()))
            for length in self._prefix_lengths:
                if length <= len(word):
                    candidates.extend(self._prefix.get(word[:length], ()))
            for pattern in candidates:
                if pattern.matches(words, i):
                    hits.append((i, i + len(pattern.tokens), pattern))
        # Longest match wins where matches overlap; then the stronger severity.
        rank = {"none": 0, "block": 1, "review": 2}
        hits.sort(key=lambda h: (-(h[1] - h[0]), rank[h[2].severity], h[0]))
        taken = bytearray(len(words))
        chosen: list[tuple[int, int, _Pattern]] = []
        for start, end, pattern in hits:
            if any(taken[start:end]):
                continue
            for k in range(start, end):
                taken[k] = 1
            chosen.append((start, end, pattern))
        chosen.sort(key=lambda h: h[0])
        return chosen


@dataclass(frozen=True, slots=True)
class Party:
    """One party of an order line. ``role``: buyer, consignee, end_user or forwarder."""

    role: str
    name: str | None = None
    address: str | None = None
    country: str | None = None


@dataclass
class DestinationRules:
    """The destination rules in force (defaults merged with a user file)."""

    version: str
    files: list[str]
    areas: dict[str, Area]
    transshipment: dict[str, list[str]]  # country code -> sources
    transshipment_severity: str
    red_flags: dict[str, dict[str, Any]]
    _places: _PlaceIndex = field(repr=False, default_factory=_PlaceIndex)
    # Red flag key -> the words that raise it (forwarder_as_end_user, destination_in_free_zone).
    _keywords: dict[str, _PlaceIndex] = field(repr=False, default_factory=dict)

    # --- loading ---------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> DestinationRules:
        """The shipped defaults, merged with the YAML file at ``path`` if given."""
        default_text = resources.files("tradeguard.screening").joinpath("data", DEFAULT_FILE).read_text(
            encoding="utf-8"
        )
        default_origin = f"tradeguard/screening/data/{DEFAULT_FILE}"
        data = _parse_yaml(default_text, default_origin)
        origins = {"areas": default_origin, "transshipment": default_origin, "red_flags": default_origin}
        files = [default_origin]
        if path is not None:
            user_path = Path(path)
            try:
                user_text = user_path.read_text(encoding="utf-8")
            except OSError as exc:
                raise SourceError(user_path, None, f"cannot read file: {exc.strerror}") from exc
            user = _parse_yaml(user_text, str(user_path))
            data, origins = _merge(data, user, str(user_path), origins)
            files = [str(user_path)] if user.get("replace") else [default_origin, str(user_path)]
        return cls._from_data(data, origins, files)

    @classmethod
    def _from_data(
        cls, data: dict[str, Any], origins: dict[str, str], files: list[str]
    ) -> DestinationRules:
        version = str(data.get("version") or "unversioned")
        rules = cls(version=version, files=files, areas={}, transshipment={},
                    transshipment_severity="review", red_flags={})
        for i, raw in enumerate(data.get("areas") or []):
            origin = origins.get(f"areas:{i}", origins["areas"])
            rules._add_area(raw, origin, int(origins.get(f"areas_index:{i}", i)))
        trans = data.get("transshipment") or {}
        where = origins["transshipment"]
        if not isinstance(trans, dict):
            raise SourceError(where, "transshipment", "expected a mapping with 'groups'")
        rules.transshipment_severity = _severity(trans.get("severity", "review"), where, "transshipment")
        for code, source in country_groups(trans.get("groups"), where, "transshipment"):
            rules.transshipment.setdefault(code, []).append(source)
        flags = data.get("red_flags") or {}
        if not isinstance(flags, dict):
            raise SourceError(origins["red_flags"], "red_flags", "expected a mapping")
        for key, spec in flags.items():
            loc = f"red_flags.{key}"
            if not isinstance(spec, dict) or not spec.get("source"):
                raise SourceError(origins["red_flags"], loc, "each red flag needs a 'source'")
            spec = dict(spec)
            spec["severity"] = _severity(spec.get("severity", "review"), origins["red_flags"], loc)
            if "alone" in spec:
                alone = str(spec["alone"]).strip().casefold()
                if alone not in ("info", "review"):
                    raise SourceError(origins["red_flags"], f"{loc}.alone",
                                      f"'alone' must be info or review, not {spec['alone']!r}")
                spec["alone"] = alone
            rules.red_flags[str(key)] = spec
            words = spec.get("keywords") or []
            if not isinstance(words, list):
                raise SourceError(origins["red_flags"], f"{loc}.keywords", "expected a list of words")
            if words:
                area = Area("", str(key), spec["severity"], spec["source"], frozenset())
                index = rules._keywords.setdefault(str(key), _PlaceIndex())
                for word in words:
                    index.add(_pattern(str(word), area, spec["severity"], origins["red_flags"], f"{loc}.keywords"))
        return rules

    def _add_area(self, raw: Any, origin: str, index: int) -> None:
        loc = f"areas[{index}]"
        if not isinstance(raw, dict):
            raise SourceError(origin, loc, "expected a mapping with code, name, severity, source")
        code = data_country_code(raw.get("code"), origin, loc)
        loc = f"areas[{index}] ({code})"
        severity = _severity(raw.get("severity", "block"), origin, loc)
        if severity == "none":
            return
        source = clean(raw.get("source"))
        if not source:
            raise SourceError(origin, loc, "missing 'source': every default must cite its public source")
        countries = frozenset(data_country_code(c, origin, loc) for c in (raw.get("countries") or [code]))
        area = Area(code, clean(raw.get("name")) or code, severity, source, countries)
        self.areas[code] = area
        for key, sev in (("places", severity), ("places_block", "block"),
                         ("places_review", "review"), ("places_exclude", "none")):
            values = raw.get(key) or []
            if not isinstance(values, list):
                raise SourceError(origin, f"{loc}.{key}", "expected a list of place names")
            for value in values:
                self._places.add(_pattern(str(value), area, sev, origin, f"{loc}.{key}"))

    # --- lookups ---------------------------------------------------------------------

    @property
    def source(self) -> str:
        """Where these rules come from, for findings that are not about one area."""
        names = ", ".join(Path(f).name for f in self.files)
        return f"tradeguard destinations ({names}, {self.version})"

    def sensitive(self) -> dict[str, str]:
        """Destination code -> severity, for the goods checks."""
        return {code: area.severity for code, area in self.areas.items()}

    def country_names(self) -> dict[str, str]:
        return {code: area.name for code, area in self.areas.items()}

    def resolve_country(self, value: Any) -> str | None:
        """ISO code (lower case, or an occupied-region code) for a country code or name.

        Falls back to the place names of this file ("Republic of Crimea" -> "ua-cri").
        """
        text = clean(value)
        if text is None:
            return None
        code = country_code(text)
        if code is not None:
            return code
        matches = [m for m in self.find_places(text) if m.severity != "none"]
        if len(matches) == 1 or (matches and len({m.area.code for m in matches}) == 1):
            return matches[0].area.code
        return None

    def country_label(self, code: str | None) -> str:
        if code is None:
            return "unknown"
        area = self.areas.get(code)
        if area is not None:
            return f"{area.name} ({code})"
        try:
            from rigour.territories import get_territory

            territory = get_territory(code)
        except Exception:  # a code rigour does not know
            territory = None
        return f"{territory.name} ({code})" if territory is not None else code

    def find_places(self, text: str | None) -> list[PlaceMatch]:
        """Sanctioned places named in ``text`` (whole words; excluded names dropped)."""
        if not text:
            return []
        written, words = _words(text)
        out: list[PlaceMatch] = []
        for start, end, pattern in self._places.find(words):
            if pattern.severity == "none":
                continue
            found = " ".join(written[start:end])
            out.append(PlaceMatch(pattern.area, pattern.text, found, pattern.severity))
        return out

    # --- checks ----------------------------------------------------------------------

    def _area_source(self, area: Area) -> str:
        return f"{area.source} [{self.source}]"

    def check_country(self, value: Any, subject: str) -> list[Finding]:
        """A country field (party country or ship-to) naming a sanctioned country/region."""
        text = clean(value)
        if text is None:
            return []
        code = country_code(text)
        if code is None:
            # Not a country name: look for sanctioned place names in it.
            return self.check_address(text, None, subject, field_name="country")
        area = self.areas.get(code)
        if area is None:
            return []
        return [Finding(
            "destination.sanctioned_country",
            f"{_subject(subject)} country {text!r} is {area.name} ({code})",
            self._area_source(area), area.severity, subject,
        )]

    def check_address(
        self, text: Any, country: Any, subject: str, field_name: str = "address"
    ) -> list[Finding]:
        """Sanctioned place names inside address text.

        A match whose area does not fit the address's stated ``country`` is downgraded to
        review ("Moscow, Idaho" with country US).
        """
        address = clean(text)
        if address is None:
            return []
        stated = country_code(clean(country)) if clean(country) else None
        findings: list[Finding] = []
        seen: set[tuple[str, str]] = set()
        for match in self.find_places(address):
            severity = match.severity
            note = ""
            if stated is not None and stated not in match.area.countries and severity == "block":
                severity = "review"
                note = f"; the stated country is {self.country_label(stated)}, so this may be another place of that name"
            key = (match.area.code, match.found)
            if key in seen:
                continue
            seen.add(key)
            findings.append(Finding(
                "destination.sanctioned_place",
                f"{_subject(subject)} {field_name} names {match.found!r} ({match.area.name}): "
                f"{address!r}{note}",
                self._area_source(match.area), severity, subject,
            ))
        return findings

    def check_transshipment(self, country: Any, subject: str, goods: str) -> list[Finding]:
        """High-priority ``goods`` (a short description, e.g. "HS 8542.31, CHPL tier 1")
        going to a transshipment-risk country."""
        code = self.resolve_country(country)
        if code is None or code not in self.transshipment:
            return []
        sources = "; ".join(self.transshipment[code])
        return [Finding(
            "destination.transshipment_risk",
            f"{goods}: {_subject(subject).lower()} country {self.country_label(code)} is a "
            "known transshipment point for diversion to Russia/Belarus",
            f"{sources} [{self.source}]", self.transshipment_severity, subject,
        )]

    def check_red_flags(self, parties: Iterable[Party], ship_to_country: Any) -> list[Finding]:
        """Freight forwarder as end user; ship-to country different from the buyer's."""
        by_role = {p.role: p for p in parties}
        findings: list[Finding] = []
        spec = self.red_flags.get("forwarder_as_end_user")
        end_user = by_role.get("end_user")
        if spec and end_user is not None and clean(end_user.name):
            forwarder = by_role.get("forwarder")
            eu_name = clean(end_user.name) or ""
            fw_name = clean(forwarder.name) if forwarder is not None else None
            if fw_name and _same_party(eu_name, fw_name):
                findings.append(Finding(
                    "redflag.forwarder_is_end_user",
                    f"the end user {eu_name!r} is the freight forwarder {fw_name!r}",
                    f"{spec['source']} [{self.source}]", spec["severity"], "end_user",
                ))
            else:
                found = self._keywords_in("forwarder_as_end_user", eu_name)
                if found:
                    findings.append(Finding(
                        "redflag.end_user_is_forwarder",
                        f"the end user {eu_name!r} looks like a freight forwarder or logistics "
                        f"firm ({found})",
                        f"{spec['source']} [{self.source}]", spec["severity"], "end_user",
                    ))
        spec = self.red_flags.get("ship_to_differs_from_buyer")
        buyer = by_role.get("buyer")
        if spec and buyer is not None:
            ship = self.resolve_country(ship_to_country)
            own = self.resolve_country(buyer.country)
            if ship and own and ship != own:
                consignee = by_role.get("consignee")
                branch = ""
                if consignee is not None and buyer.name and consignee.name and _same_party(buyer.name, consignee.name):
                    branch = f" (the consignee {consignee.name!r} is the buyer's own company)"
                findings.append(Finding(
                    "redflag.ship_to_differs_from_buyer",
                    f"goods ship to {self.country_label(ship)}, the buyer is in "
                    f"{self.country_label(own)}{branch}",
                    f"{spec['source']} [{self.source}]", spec["severity"], "ship_to",
                ))
        spec = self.red_flags.get("destination_in_free_zone")
        if spec:
            for role in ("consignee", "end_user"):
                party = by_role.get(role)
                if party is None:
                    continue
                text = " / ".join(t for t in (clean(party.name), clean(party.address)) if t)
                found = self._keywords_in("destination_in_free_zone", text)
                if found:
                    findings.append(Finding(
                        "redflag.destination_in_free_zone",
                        f"the {_ROLE_WORDS.get(role, role)} {text!r} is in a free trade zone ({found})",
                        f"{spec['source']} [{self.source}]", spec["severity"], role,
                    ))
        return findings

    def _keywords_in(self, flag: str, text: str | None) -> str:
        """The words of red flag ``flag`` found in ``text``, comma-separated ("" if none)."""
        index = self._keywords.get(flag)
        if index is None or not text:
            return ""
        written, words = _words(text)
        return ", ".join(" ".join(written[s:e]) for s, e, _ in index.find(words))

    def alone_severities(self) -> dict[str, str]:
        """Red-flag rule -> its severity when it stands alone on a line (``alone`` in the
        rules file). Such a flag is a reason for review only beside another sign of risk;
        on uncontrolled goods between low-risk countries it is a note."""
        return {f"redflag.{key}": spec["alone"] for key, spec in self.red_flags.items() if "alone" in spec}

    def destination(self, ship_to_country: Any, parties: Iterable[Party]) -> str | None:
        """Where the goods go: the ship-to country, else the end user's, else the
        consignee's; narrowed to an occupied region when the consignee's or end user's
        address names one inside that country (ship-to "UA", address "Sevastopol"); with no
        country at all, a sanctioned place the address names ("Minsk" -> "by")."""
        by_role = {p.role: p for p in parties}
        code = self.resolve_country(ship_to_country)
        for role in ("end_user", "consignee"):
            if code is None and role in by_role:
                code = self.resolve_country(by_role[role].country)
        for role in ("consignee", "end_user"):
            party = by_role.get(role)
            if party is None or not party.address:
                continue
            for match in self.find_places(party.address):
                area = match.area
                if match.severity != "block":
                    continue
                if code is None or ("-" in area.code and code in area.countries):
                    return area.code
        return code

    def check_parties(
        self,
        parties: Iterable[Party],
        ship_to_country: Any = None,
        high_priority: str | None = None,
    ) -> list[Finding]:
        """Every destination check for one order line.

        Countries and addresses of all parties, the ship-to country, transshipment risk for
        the ship-to/consignee/end-user countries when ``high_priority`` describes
        high-priority goods on the line, and the red flags. Duplicates are dropped.
        """
        parties = list(parties)
        findings: list[Finding] = []
        for party in parties:
            findings += self.check_country(party.country, party.role)
            findings += self.check_address(party.address, party.country, party.role)
        findings += self.check_country(ship_to_country, "ship_to")
        if high_priority:
            seen: set[str] = set()
            targets = [("ship_to", ship_to_country)] + [
                (p.role, p.country) for p in parties if p.role in ("consignee", "end_user")
            ]
            for subject, country in targets:
                code = self.resolve_country(country)
                if code is None or code in seen:
                    continue
                seen.add(code)
                findings += self.check_transshipment(code, subject, high_priority)
        findings += self.check_red_flags(parties, ship_to_country)
        unique: dict[tuple[str, str], Finding] = {}
        for f in findings:
            unique.setdefault((f.rule, f.detail), f)
        return list(unique.values())


_ROLE_WORDS = {"end_user": "end user"}


def _subject(subject: str) -> str:
    return {"ship_to": "Ship-to", "end_user": "End user"}.get(subject, subject.replace("_", " ").capitalize())


_LEGAL_FORMS = {
    "llc", "ltd", "limited", "inc", "gmbh", "ag", "sa", "sas", "srl", "bv", "oy", "ab", "as",
    "co", "corp", "corporation", "company", "plc", "llp", "lp", "fze", "fzco", "fzc", "dmcc",
    "ooo", "ооо", "ао", "зао", "оао", "пао", "ип", "tov", "тов", "jsc", "ojsc", "pjsc", "cjsc",
    "kft", "spa", "sp", "z", "oo", "the",
}


def _same_party(a: str, b: str) -> bool:
    """Same name once case, punctuation and legal forms are set aside."""
    wa = [w for w in normalize_text(a) if w not in _LEGAL_FORMS]
    wb = [w for w in normalize_text(b) if w not in _LEGAL_FORMS]
    if not wa or not wb:
        return normalize_text(a) == normalize_text(b)
    if wa == wb or sorted(wa) == sorted(wb):
        return True
    from rapidfuzz import fuzz

    return fuzz.token_sort_ratio(" ".join(wa), " ".join(wb)) >= 92


# --- data file helpers -------------------------------------------------------------------


_SECTIONS = frozenset({"version", "replace", "areas", "transshipment", "red_flags"})


def _parse_yaml(text: str, origin: str) -> dict[str, Any]:
    return parse_rules_yaml(text, origin, _SECTIONS)


def parse_rules_yaml(text: str, origin: str, sections: Iterable[str]) -> dict[str, Any]:
    """A rules file's top-level mapping: SourceError naming the file (and the line) for
    invalid YAML, anything but a mapping, or a section not in ``sections``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise SourceError(origin, where, f"invalid YAML: {exc}") from exc
    if data is None:
        return {}
    named = sorted(set(sections) - {"version", "replace"})
    if not isinstance(data, dict):
        raise SourceError(origin, None, f"expected a mapping with {', '.join(named)}")
    unknown = set(data) - set(sections)
    if unknown:
        raise SourceError(origin, None, f"unknown section(s): {', '.join(sorted(map(str, unknown)))}")
    return data


def _merge(
    base: dict[str, Any], user: dict[str, Any], origin: str, origins: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    if user.get("replace"):
        return user, {"areas": origin, "transshipment": origin, "red_flags": origin}
    merged = dict(base)
    origins = dict(origins)
    if "version" in user:
        merged["version"] = f"{base.get('version')}+{user['version']}"
    if "areas" in user:
        areas = list(base.get("areas") or [])
        by_code = {str(a.get("code", "")).casefold(): i for i, a in enumerate(areas) if isinstance(a, dict)}
        for i, raw in enumerate(user.get("areas") or []):
            code = str(raw.get("code", "")).casefold() if isinstance(raw, dict) else ""
            if code in by_code:
                pos = by_code[code]
                areas[pos] = {**areas[pos], **raw}  # the user's fields over the default's
            else:
                pos = len(areas)
                areas.append(raw)
                by_code[code] = pos
            origins[f"areas:{pos}"] = origin
            origins[f"areas_index:{pos}"] = str(i)  # errors name the entry in the user's file
        merged["areas"] = areas
    for key in ("transshipment", "red_flags"):
        if key in user:
            merged[key] = user[key]
            origins[key] = origin
    return merged, origins


def country_groups(groups: Any, origin: str, section: str) -> Iterator[tuple[str, str]]:
    """(country code, source) for every country of a rules file's ``groups`` list, where
    each group is a mapping with a ``source`` and its ``countries``."""
    for g, group in enumerate(groups or []):
        loc = f"{section}.groups[{g}]"
        source = clean(group.get("source")) if isinstance(group, dict) else None
        if source is None:
            raise SourceError(origin, loc, "each group needs a 'source' and 'countries'")
        for value in group.get("countries") or []:
            yield data_country_code(value, origin, loc), source


def data_country_code(value: Any, origin: str, where: str) -> str:
    """A country code in a rules file: ISO alpha-2 or an occupied-region code, lower case;
    SourceError naming the file and the entry otherwise."""
    if value is False:  # YAML 1.1 reads a bare `no` (Norway) as false
        value = "no"
    text = clean(value)
    if text is None:
        raise SourceError(origin, where, "missing country code")
    code = text.casefold()
    if re.fullmatch(r"[a-z]{2}(-[a-z0-9]{1,3})?", code):
        return code
    resolved = country_code(text)
    if resolved is None:
        raise SourceError(origin, where, f"unknown country {text!r}")
    return resolved


def _severity(value: Any, origin: str, where: str) -> str:
    text = str(value).strip().casefold() if value is not None and value is not False else "none"
    if text not in _SEVERITIES:
        raise SourceError(origin, where, f"severity must be block, review or none, not {value!r}")
    return text


def _pattern(text: str, area: Area, severity: str, origin: str, where: str) -> _Pattern:
    raw = _PATTERN_TOKEN.findall(_fold(text))
    if not raw or re.search(r"\*(?=\w)", text):
        raise SourceError(origin, where, f"unusable place name {text!r}")
    tokens = tuple(tok.rstrip("*") for tok in raw)
    prefix = tuple(tok.endswith("*") for tok in raw)
    if any(p and len(t) < 3 for t, p in zip(tokens, prefix, strict=True)):
        raise SourceError(origin, where, f"prefix {text!r} is too short (3 letters at least)")
    return _Pattern(text, tokens, prefix, area, severity)
