"""Ports of a bill of lading: resolve port texts to ports, check the route, and the vessel's
flag of convenience.

Reference data is ``data/ports.yml`` (curated risk ports and hubs, plus UN/LOCODE ports
derived from the MIT-licensed ``sea-ports`` dataset); rules are ``data/port_rules.yml``
(each citing its public source) and ``data/destinations.yml`` (sanctioned countries, occupied
regions, transshipment-risk countries). Both files can be merged with a user file, as
:class:`~tradeguard.screening.destinations.DestinationRules` does.

Typical use, once per run::

    screen = RouteScreen.load()
    result = screen.check([("port_of_loading", "Bandar Anzali"), ("port_of_discharge", "Port Olya")],
                          high_priority_goods=True)
    result.findings   # route findings (port.sanctioned, port.caspian_route, ...)
    result.unknown    # port.unknown data findings, for the caller to emit or not
    result.legs       # each (role, text) with its resolved Port, for the evidence report
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tradeguard.screening.destinations import (
    DestinationRules,
    country_groups,
    data_country_code,
    normalize_text,
    parse_rules_yaml,
)
from tradeguard.screening.goods import SEVERITIES, Finding, worst_severity
from tradeguard.sources.base import SourceError
from tradeguard.sources.common import clean, country_code

__all__ = [
    "PORTS_FILE",
    "ROLES",
    "RULES_FILE",
    "Port",
    "PortDirectory",
    "PortRules",
    "RouteLeg",
    "RouteResult",
    "RouteScreen",
    "check_route",
    "default_screen",
    "flag_findings",
    "name_key",
]

PORTS_FILE = "ports.yml"
RULES_FILE = "port_rules.yml"
ROLES: tuple[str, ...] = (
    "place_of_receipt", "port_of_loading", "transshipment", "port_of_discharge", "place_of_delivery",
)
_PORT_FIELDS = {"locode", "name", "country", "area", "aliases", "caspian", "hub", "note"}
_LOCODE = re.compile(r"^([A-Za-z]{2})[\s\-]?([A-Za-z2-9]{3})$")
_AREA = re.compile(r"^[a-z]{2}-[a-z0-9]{1,3}$")
_SEGMENT_SPLIT = re.compile(r"[,;/()\[\]]|\s[-–—]\s")
# Letters that differ between Arabic and Persian spellings of one name, and Turkish
# dotless i: folded together before comparing (normalize_text handles case and accents).
_SCRIPT_VARIANTS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ı": "i"})
# Words around a port name that are not part of it ("Port of X", "X port", "порт X").
_PREFIXES = ("the port of", "port of", "port de", "porto di", "porto de", "puerto de", "harbour of",
             "harbor of", "seaport of", "sea port of", "морской порт", "порт", "port")
_SUFFIXES = ("sea port", "seaport", "port", "harbour", "harbor", "terminal", "порт")
# An unlisted LOCODE is read only if it is not a word of these languages ("RUSSE", "PERTH").
_WORD_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "tr", "nl")


def _words(text: str) -> list[str]:
    return normalize_text(text.translate(_SCRIPT_VARIANTS))


def name_key(text: str) -> str:
    """Comparison key of a place name: no case, accents, punctuation or spaces
    ("Bandar-e Anzali" and "BANDAR E ANZALI" -> "bandareanzali")."""
    return "".join(_words(text))


_PREFIX_WORDS = tuple(tuple(_words(p)) for p in _PREFIXES)
_SUFFIX_WORDS = tuple(tuple(_words(s)) for s in _SUFFIXES)


def _query_keys(text: str) -> list[str]:
    """Keys to look up for one port text: as written, then without port words around it."""
    words = _words(text)
    variants = [words]
    for prefix in _PREFIX_WORDS:
        if len(words) > len(prefix) and tuple(words[: len(prefix)]) == prefix:
            variants.append(words[len(prefix):])
            break
    for base in list(variants):
        for suffix in _SUFFIX_WORDS:
            if len(base) > len(suffix) and tuple(base[-len(suffix):]) == suffix:
                variants.append(base[: -len(suffix)])
                break
    keys: list[str] = []
    for variant in variants:
        key = "".join(variant)
        if key and key not in keys:
            keys.append(key)
    return keys


def _segments(text: str) -> list[str]:
    """"Bandar Abbas, Iran" -> ["Bandar Abbas", "Iran"]; "Olya (RU)" -> ["Olya", "RU"]."""
    return [s.strip() for s in _SEGMENT_SPLIT.split(text) if s and s.strip()]


def _locode_form(text: str) -> str | None:
    """"IRBND", "IR BND", "ir-bnd" -> "IRBND"; anything else -> None."""
    m = _LOCODE.match(text.strip())
    return (m.group(1) + m.group(2)).upper() if m else None


# --- ports -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Port:
    """A port (or a place of a route) as the directory knows it.

    ``listed`` is False for a port known only by its country: an unlisted UN/LOCODE
    ("IRXYZ": Iran) or an unknown name with a stated country ("Somewhere, Iran").
    ``area`` is the destinations.yml code of the occupied region the port lies in.
    ``hub_source`` cites why the port itself is a transshipment hub, when ports.yml says so.
    """

    locode: str | None
    name: str
    country: str
    area: str | None = None
    caspian: bool = False
    hub: bool = False
    hub_source: str | None = None
    aliases: tuple[str, ...] = ()
    listed: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def region(self) -> str:
        """The area code if the port lies in an occupied region, else the country."""
        return self.area or self.country

    def describe(self) -> str:
        """Short text for findings and reports."""
        if not self.listed:
            if self.locode:
                return f"unlisted UN/LOCODE {self.locode} (country from its first two letters)"
            return f"{self.name!r} (not in the port directory; country as stated)"
        return f"{self.name} ({self.locode})" if self.locode else self.name


@dataclass(slots=True)
class _Entry:
    """One port entry of a data file, before validation, with where it comes from."""

    data: dict[str, Any]
    origin: str
    where: str


RESOLVED_KEPT = 50_000  # port texts remembered per directory


@dataclass
class PortDirectory:
    """The ports in force (defaults merged with a user file), indexed by LOCODE and name."""

    version: str
    files: list[str]
    ports: list[Port]
    _by_locode: dict[str, Port] = field(repr=False, default_factory=dict)
    _by_name: dict[str, list[tuple[Port, bool]]] = field(repr=False, default_factory=dict)
    # text -> its port: a shipment file names the same few ports on every line
    _resolved: dict[str, Port | None] = field(repr=False, default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> PortDirectory:
        """The shipped ports, merged with the YAML file at ``path`` if given (see the
        header of ports.yml)."""
        sections = {"version", "replace", "ports", "dataset"}
        origin = f"tradeguard/screening/data/{PORTS_FILE}"
        layers = [(_read_default(PORTS_FILE, origin, sections), origin)]
        if path is not None:
            user = _read_user(Path(path), sections)
            layers = [(user, str(path))] if user.get("replace") else [*layers, (user, str(path))]
        version = "+".join(str(data["version"]) for data, _ in layers if data.get("version")) or "unversioned"
        entries = _merge_entries(layers)
        directory = cls(version=version, files=[o for _, o in layers], ports=[])
        for entry in entries:
            directory._add(_port(entry))
        return directory

    def _add(self, port: Port) -> None:
        self.ports.append(port)
        if port.locode:
            self._by_locode.setdefault(port.locode, port)
        for i, name in enumerate(port.names):
            key = name_key(name)
            hits = self._by_name.setdefault(key, [])
            if all(p is not port for p, _ in hits):
                hits.append((port, i == 0))

    def __len__(self) -> int:
        return len(self.ports)

    @property
    def source(self) -> str:
        names = ", ".join(Path(f).name for f in self.files)
        return f"tradeguard port directory ({names}, {self.version})"

    def get(self, locode: str) -> Port | None:
        """The listed port of a UN/LOCODE (any case, with or without a space or dash)."""
        code = _locode_form(locode)
        return self._by_locode.get(code) if code else None

    def resolve(self, text: Any) -> Port | None:
        """The port a text names: a UN/LOCODE ("IRBND", "IR BND", "ir-bnd") or a name in any
        listed spelling or script, ignoring case, accents and punctuation, and words such as
        "Port of X", "X port", "X, Iran", "X (RU)". A stated country picks among ports of one
        name. An unlisted LOCODE, or an unknown name with a stated country, gives a port known
        only by its country (``listed=False``). Anything else: None.
        """
        if not isinstance(text, str):
            return self._resolve(text)
        if text in self._resolved:
            return self._resolved[text]
        if len(self._resolved) >= RESOLVED_KEPT:
            self._resolved.clear()
        port = self._resolved[text] = self._resolve(text)
        return port

    def _resolve(self, text: Any) -> Port | None:
        raw = clean(text)
        if raw is None:
            return None
        segments = _segments(raw) or [raw]
        stated = _stated(segments[1:])
        port = self._lookup(raw, stated) or self._locode_beside_name(raw)
        for i, segment in enumerate(segments):
            if port is not None:
                break
            if i == 0 or country_code(segment) is None:  # "Iran" in "X, Iran" is no port name
                port = self._lookup(segment, stated)
        return port or _unlisted_locode(raw, segments) or _stated_country(segments)

    def _lookup(self, text: str, stated: Sequence[str]) -> Port | None:
        keys = _query_keys(text)
        if keys and keys[0] in self._by_name:  # the text as written is a listed name
            return _pick(self._by_name[keys[0]], stated)
        code = _locode_form(text)
        if code and code in self._by_locode:
            return self._by_locode[code]
        for key in keys[1:]:
            if key in self._by_name:
                return _pick(self._by_name[key], stated)
        return None

    def _locode_beside_name(self, text: str) -> Port | None:
        """A listed LOCODE as the first or last word ("IRBND BANDAR ABBAS")."""
        words = text.split()
        for word in (words[0], words[-1]) if len(words) > 1 else ():
            code = _locode_form(word)
            if code and code in self._by_locode:
                return self._by_locode[code]
        return None


def _stated(qualifiers: Sequence[str]) -> list[str]:
    """Countries (and regions) stated beside a name: "X, Iran" -> ["ir"]."""
    out: list[str] = []
    for text in qualifiers:
        code = country_code(text)
        if code:
            out += [code, code.partition("-")[0]]
    return out


def _pick(hits: list[tuple[Port, bool]], stated: Sequence[str]) -> Port | None:
    """Among ports of one name: the port whose main name it is, then the first in data order
    (curated ports come before the dataset).

    With a stated country, only its ports; if none is there, no port ("Alexandria, US" is
    not the Egyptian port), except a port in an occupied region, often given with the
    occupier's country ("Sevastopol, Russia").
    """
    if stated:
        hits = [h for h in hits if h[0].country in stated or h[0].region in stated] or [
            h for h in hits if h[0].area
        ]
    ranked = sorted(enumerate(hits), key=lambda item: (0 if item[1][1] else 1, item[0]))
    return ranked[0][1][0] if ranked else None


def _unlisted_locode(raw: str, segments: Sequence[str]) -> Port | None:
    """A port known by its country only, from an unlisted LOCODE ("IRXYZ" -> Iran).

    A LOCODE's first two letters are always its country. To keep words out ("PERTH" is not
    Peru), the code must be written in capitals ("IRXYZ", "IR XYZ") or in small letters
    with a separator ("ir-xyz"), must not be a word of a common language, and its first
    two letters must be a current country or territory code.
    """
    for text in (raw, *segments):
        text = text.strip()
        code = _locode_form(text)
        if code is None or not (text.isupper() or (text.islower() and not text.isalpha())):
            continue  # "Perth", "irbil", "La Paz": not written as a code
        country = code[:2].lower()
        if _is_territory(country) and not _is_word(code.lower()):
            return Port(locode=code, name=code, country=country, listed=False)
    return None


def _stated_country(segments: Sequence[str]) -> Port | None:
    """A port known by its stated country only ("Somewhere, Iran"). The name itself is not
    read as a country: rigour maps some city names to regions ("Moscow" -> "ru-mow"), and a
    bare place name is left to the destination checks with their own severities."""
    for segment in reversed(segments[1:]):
        code = country_code(segment)
        if code is None:
            continue
        country, _, sub = code.partition("-")
        return Port(locode=None, name=segments[0], country=country, area=code if sub else None,
                    listed=False)
    return None


@lru_cache(maxsize=512)
def _is_territory(code: str) -> bool:
    from rigour.territories import get_territory

    territory = get_territory(code)
    return territory is not None and not territory.is_historical and code not in ("eu", "zz")


@lru_cache(maxsize=4096)
def _is_word(token: str) -> bool:
    from wordfreq import zipf_frequency

    return any(zipf_frequency(token, lang) > 0 for lang in _WORD_LANGUAGES)


# --- loading the port files ----------------------------------------------------------------------


def _merge_entries(layers: Sequence[tuple[dict[str, Any], str]]) -> list[_Entry]:
    """Curated ports of every layer (later layers over earlier ones), then dataset ports;
    a dataset port whose LOCODE a curated port has adds its names to that port."""
    merged: dict[str, _Entry] = {}
    for data, origin in layers:
        ports = data.get("ports") or []
        if not isinstance(ports, list):
            raise SourceError(origin, "ports", "expected a list of ports")
        for i, raw in enumerate(ports):
            where = f"ports[{i}]"
            if not isinstance(raw, dict):
                raise SourceError(origin, where, "expected a mapping with name and locode or country")
            where = f"ports[{i}] ({raw.get('name') or raw.get('locode') or '?'})"
            key = _entry_key(raw, origin, where)
            if key in merged:
                old = merged[key].data
                aliases = [*_list(old.get("aliases")), *_list(raw.get("aliases"))]
                merged[key] = _Entry({**old, **raw, "aliases": aliases}, origin, where)
            else:
                merged[key] = _Entry(dict(raw), origin, where)
    for data, origin in layers:
        dataset = data.get("dataset") or {}
        if not isinstance(dataset, dict):
            raise SourceError(origin, "dataset", "expected a mapping of UN/LOCODE to names")
        for locode, value in dataset.items():
            where = f"dataset.{locode}"
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
                raise SourceError(origin, where, "expected a name or a list of names")
            key = str(locode).upper()
            if key in merged:
                merged[key].data["aliases"] = [*_list(merged[key].data.get("aliases")), *names]
            else:
                merged[key] = _Entry({"locode": locode, "name": names[0], "aliases": names[1:]}, origin, where)
    return list(merged.values())


def _entry_key(raw: dict[str, Any], origin: str, where: str) -> str:
    if raw.get("locode"):
        return _locode_form(str(raw["locode"])) or str(raw["locode"]).upper()
    name = clean(raw.get("name"))
    if name is None or raw.get("country") is None:
        raise SourceError(origin, where, "a port needs a 'name' and a 'locode' or a 'country'")
    return f"{data_country_code(raw.get('country'), origin, where)}:{name_key(name)}"


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _port(entry: _Entry) -> Port:
    """Validate one entry and build its Port; errors name the file and the entry."""
    raw, origin, where = entry.data, entry.origin, entry.where
    unknown = set(raw) - _PORT_FIELDS
    if unknown:
        raise SourceError(origin, where, f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    name = clean(raw.get("name"))
    if name is None:
        raise SourceError(origin, where, "missing 'name'")
    locode, country = _port_country(raw, origin, where)
    area = clean(raw.get("area"))
    if area is not None and not (_AREA.match(area) and area.startswith(country + "-")):
        raise SourceError(origin, where, f"area {area!r} is not an occupied-region code of {country!r}")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise SourceError(origin, where, "'aliases' must be a list of names")
    caspian = raw.get("caspian", False)
    hub = raw.get("hub", False)
    if not isinstance(caspian, bool):
        raise SourceError(origin, where, "'caspian' must be true or false")
    if not (isinstance(hub, bool) or (isinstance(hub, str) and hub.strip())):
        raise SourceError(origin, where, "'hub' must be true, false or a text citing its source")
    return Port(
        locode=locode, name=name, country=country, area=area, caspian=caspian, hub=bool(hub),
        hub_source=hub.strip() if isinstance(hub, str) else None,
        aliases=_distinct(name, aliases),
    )


def _distinct(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """The aliases that are not the name again in another case or punctuation."""
    seen = {name_key(name)}
    out: list[str] = []
    for alias in aliases:
        key = name_key(alias)
        if key and key not in seen:
            seen.add(key)
            out.append(alias.strip())
    return tuple(out)


def _port_country(raw: dict[str, Any], origin: str, where: str) -> tuple[str | None, str]:
    """The LOCODE (canonical) and the country; a LOCODE's first two letters are its country."""
    locode = None
    if raw.get("locode") is not None:
        locode = _locode_form(str(raw["locode"]))
        if locode is None:
            raise SourceError(origin, where, f"locode {raw['locode']!r} is not a UN/LOCODE (5 characters)")
    country = data_country_code(raw["country"], origin, where) if raw.get("country") is not None else None
    if locode is None:
        if country is None:
            raise SourceError(origin, where, "a port needs a 'locode' or a 'country'")
        return None, country
    if country is not None and country != locode[:2].lower():
        raise SourceError(origin, where, f"country {country!r} contradicts locode {locode}")
    return locode, locode[:2].lower()


def _read_default(name: str, origin: str, sections: set[str]) -> dict[str, Any]:
    text = resources.files("tradeguard.screening").joinpath("data", name).read_text(encoding="utf-8")
    return parse_rules_yaml(text, origin, sections)


def _read_user(path: Path, sections: set[str]) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(path, None, f"cannot read file: {exc.strerror}") from exc
    return parse_rules_yaml(text, str(path), sections)


# --- rules ---------------------------------------------------------------------------------------


_RULE_SECTIONS = {"version", "sanctioned_port", "caspian_route", "transshipment_hub",
                  "unknown_port", "flags_of_convenience"}


@dataclass
class PortRules:
    """The route rules in force (port_rules.yml merged with a user file)."""

    version: str
    files: list[str]
    sanctioned_roles: frozenset[str]
    sanctioned_source: str
    caspian_severity: str
    caspian_source: str
    caspian_pairs: list[tuple[str, str]]
    hub_severity: str
    hub_roles: frozenset[str]
    hub_source: str
    unknown_severity: str
    unknown_source: str
    foc: dict[str, str]  # flag country -> source
    foc_severity_risky: str
    foc_severity_otherwise: str

    @classmethod
    def load(cls, path: str | Path | None = None) -> PortRules:
        """The shipped rules; a section of the YAML file at ``path`` replaces the default's
        (no ``replace: true`` here: every rule keeps a cited source)."""
        origin = f"tradeguard/screening/data/{RULES_FILE}"
        data = _read_default(RULES_FILE, origin, _RULE_SECTIONS)
        origins = dict.fromkeys(_RULE_SECTIONS, origin)
        files = [origin]
        if path is not None:
            user = _read_user(Path(path), _RULE_SECTIONS)
            version = "+".join(str(v) for v in (data.get("version"), user.get("version")) if v)
            data = {**data, **user, "version": version}
            origins.update(dict.fromkeys(user, str(path)))
            files.append(str(path))
        return cls._from_data(data, origins, files)

    @classmethod
    def _from_data(cls, data: dict[str, Any], origins: dict[str, str], files: list[str]) -> PortRules:
        sanctioned = _section(data, origins, "sanctioned_port")
        caspian = _section(data, origins, "caspian_route")
        hub = _section(data, origins, "transshipment_hub")
        unknown = _section(data, origins, "unknown_port")
        foc = _section(data, origins, "flags_of_convenience")
        where = origins["flags_of_convenience"]
        return cls(
            version=str(data.get("version") or "unversioned"),
            files=files,
            sanctioned_roles=_roles(sanctioned, origins["sanctioned_port"], "sanctioned_port"),
            sanctioned_source=_source(sanctioned, origins["sanctioned_port"], "sanctioned_port"),
            caspian_severity=_sev(caspian, "severity", "block", origins["caspian_route"], "caspian_route"),
            caspian_source=_source(caspian, origins["caspian_route"], "caspian_route"),
            caspian_pairs=_pairs(caspian, origins["caspian_route"]),
            hub_severity=_sev(hub, "severity", "review", origins["transshipment_hub"], "transshipment_hub"),
            hub_roles=_roles(hub, origins["transshipment_hub"], "transshipment_hub"),
            hub_source=_source(hub, origins["transshipment_hub"], "transshipment_hub"),
            unknown_severity=_sev(unknown, "severity", "review", origins["unknown_port"], "unknown_port"),
            unknown_source=_source(unknown, origins["unknown_port"], "unknown_port"),
            foc=_foc_groups(foc, where),
            foc_severity_risky=_sev(foc, "severity_risky", "review", where, "flags_of_convenience"),
            foc_severity_otherwise=_sev(foc, "severity_otherwise", "info", where, "flags_of_convenience"),
        )

    @property
    def source(self) -> str:
        names = ", ".join(Path(f).name for f in self.files)
        return f"tradeguard port rules ({names}, {self.version})"


def _section(data: dict[str, Any], origins: dict[str, str], key: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise SourceError(origins[key], key, "expected a mapping")
    return value


def _source(spec: dict[str, Any], origin: str, where: str) -> str:
    source = clean(spec.get("source"))
    if source is None:
        raise SourceError(origin, where, "missing 'source': every rule must cite its public source")
    return source


def _sev(spec: dict[str, Any], key: str, default: str, origin: str, where: str) -> str:
    value = str(spec.get(key, default)).strip().casefold()
    if value not in SEVERITIES:
        raise SourceError(origin, f"{where}.{key}", f"severity must be block, review or info, not {value!r}")
    return value


def _roles(spec: dict[str, Any], origin: str, where: str) -> frozenset[str]:
    roles = spec.get("roles", list(ROLES))
    if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
        raise SourceError(origin, f"{where}.roles", f"roles must be a list of {', '.join(ROLES)}")
    return frozenset(roles)


def _pairs(spec: dict[str, Any], origin: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for i, pair in enumerate(spec.get("pairs") or []):
        where = f"caspian_route.pairs[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise SourceError(origin, where, "expected two country codes, e.g. [ir, ru]")
        pairs.append((data_country_code(pair[0], origin, where), data_country_code(pair[1], origin, where)))
    return pairs


def _foc_groups(spec: dict[str, Any], origin: str) -> dict[str, str]:
    registries: dict[str, str] = {}
    for code, source in country_groups(spec.get("groups"), origin, "flags_of_convenience"):
        registries.setdefault(code, source)
    return registries


# --- route checks --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RouteLeg:
    """One place of a route: its role, the text as given, and the port it names (or None)."""

    role: str
    text: str
    port: Port | None

    def to_dict(self) -> dict[str, Any]:
        port = self.port
        return {
            "role": self.role, "text": self.text,
            "port": None if port is None else {
                "locode": port.locode, "name": port.name, "country": port.country, "area": port.area,
                "caspian": port.caspian, "hub": port.hub, "listed": port.listed,
            },
        }


@dataclass(frozen=True, slots=True)
class RouteResult:
    """What :meth:`RouteScreen.check` found: the legs with their ports, the route findings,
    and the port.unknown data findings (kept apart: the caller decides whether to emit them)."""

    legs: tuple[RouteLeg, ...]
    findings: tuple[Finding, ...]
    unknown: tuple[Finding, ...]

    @property
    def severity(self) -> str | None:
        return worst_severity(self.findings)


@dataclass
class RouteScreen:
    """Ports, route rules and destination rules together: the entry point for a shipment."""

    ports: PortDirectory
    rules: PortRules
    destinations: DestinationRules

    @classmethod
    def load(
        cls,
        ports_path: str | Path | None = None,
        rules_path: str | Path | None = None,
        destinations: DestinationRules | None = None,
    ) -> RouteScreen:
        return cls(PortDirectory.load(ports_path), PortRules.load(rules_path),
                   destinations if destinations is not None else DestinationRules.load())

    def check(self, route: Iterable[tuple[str, Any]], high_priority_goods: bool = False) -> RouteResult:
        """Check a route given as (role, text) pairs; ``high_priority_goods`` when the goods
        are on the Common High Priority List (turns on the transshipment-hub check).

        A text that names no port is also searched for sanctioned place names
        (destinations.yml), so an inland place of delivery such as "Minsk" is not missed.
        """
        legs = tuple(self._leg(role, text) for role, text in route if clean(text) is not None)
        findings: list[Finding] = []
        unknown: list[Finding] = []
        for leg in legs:
            if leg.port is None or not leg.port.listed:
                unknown.append(self._unknown(leg))
            if leg.port is None:
                findings += self.destinations.check_address(leg.text, None, leg.role, field_name="text")
                continue
            findings += self._sanctioned(leg)
            if high_priority_goods:
                findings += self._hub(leg)
        findings += self._caspian(legs)
        return RouteResult(legs, _unique(findings), _unique(unknown))

    def _leg(self, role: str, text: Any) -> RouteLeg:
        if role not in ROLES:
            raise ValueError(f"unknown route role {role!r}; expected one of {', '.join(ROLES)}")
        raw = clean(text) or ""
        return RouteLeg(role, raw, self.ports.resolve(raw))

    def _sanctioned(self, leg: RouteLeg) -> list[Finding]:
        port = leg.port
        if port is None or leg.role not in self.rules.sanctioned_roles:
            return []
        area = self.destinations.areas.get(self._area_code(port) or "") or self.destinations.areas.get(port.country)
        if area is None:
            return []
        return [Finding(
            "port.sanctioned",
            f"{_role(leg.role)} {leg.text!r} is {port.describe()}, in {self.destinations.country_label(area.code)}",
            f"{area.source} [{self.destinations.source}; {self.ports.source}]",
            self._severity(port, area.code, area.severity), leg.role,
        )]

    def _area_code(self, port: Port) -> str | None:
        """The port's occupied region: as ports.yml says, else as its name says in
        destinations.yml (for ports a user file adds without an area)."""
        if port.area:
            return port.area
        for name in port.names:
            for match in self.destinations.find_places(name):
                if "-" in match.area.code and port.country in match.area.countries:
                    return match.area.code
        return None

    def _severity(self, port: Port, code: str, default: str) -> str:
        """The area's severity; in an occupied region, the place-level severity of
        destinations.yml when the port's name is listed there (Berdiansk blocks)."""
        if "-" not in code:
            return default
        found = {m.severity for name in port.names for m in self.destinations.find_places(name)
                 if m.area.code == code}
        if not found:
            return default
        return "block" if "block" in found else "review"

    def _hub(self, leg: RouteLeg) -> list[Finding]:
        port = leg.port
        if port is None or leg.role not in self.rules.hub_roles:
            return []
        sources = list(self.destinations.transshipment.get(port.country, []))
        if port.hub_source:
            sources.append(port.hub_source)
        if not sources and not port.hub:
            return []
        if not sources:
            sources.append(f"hub flag of {self.ports.source}")
        return [Finding(
            "port.transshipment_hub",
            f"high-priority goods: {_role(leg.role)} {leg.text!r} is {port.describe()}, a transshipment hub "
            f"in {self.destinations.country_label(port.country)} (diversion risk to Russia/Belarus)",
            f"{self.rules.hub_source}; {'; '.join(dict.fromkeys(sources))} [{self.rules.source}]",
            self.rules.hub_severity, leg.role,
        )]

    def _caspian(self, legs: Sequence[RouteLeg]) -> list[Finding]:
        findings: list[Finding] = []
        caspian = [leg for leg in legs if leg.port is not None and leg.port.caspian]
        for a, b in self.rules.caspian_pairs:
            side_a = [leg for leg in caspian if leg.port is not None and leg.port.country == a]
            side_b = [leg for leg in caspian if leg.port is not None and leg.port.country == b]
            if not side_a or not side_b:
                continue
            described = "; ".join(
                f"{_role(leg.role)} {leg.port.describe()}" for leg in (*side_a, *side_b) if leg.port is not None
            )
            findings.append(Finding(
                "port.caspian_route",
                f"Caspian Sea route between {self.destinations.country_label(a)} and "
                f"{self.destinations.country_label(b)}: {described}",
                f"{self.rules.caspian_source} [{self.rules.source}]",
                self.rules.caspian_severity, "route",
            ))
        return findings

    def _unknown(self, leg: RouteLeg) -> Finding:
        if leg.port is None:
            detail = f"{_role(leg.role)} {leg.text!r}: port not recognised"
        else:
            detail = (f"{_role(leg.role)} {leg.text!r}: {leg.port.describe()}, "
                      f"taken as {self.destinations.country_label(leg.port.region)}")
        return Finding("port.unknown", detail, f"{self.rules.unknown_source} [{self.ports.source}]",
                       self.rules.unknown_severity, leg.role)

    def flag_findings(self, flag_country: Any, risky: bool) -> list[Finding]:
        """vessel.flag_of_convenience for a flag on the ITF list: review when ``risky`` (the
        goods or the route already carry risk), info otherwise."""
        code = self.destinations.resolve_country(flag_country)
        if code is None or code not in self.rules.foc:
            return []
        severity = self.rules.foc_severity_risky if risky else self.rules.foc_severity_otherwise
        return [Finding(
            "vessel.flag_of_convenience",
            f"the vessel flies the flag of {self.destinations.country_label(code)}, "
            "a flag of convenience on the ITF list",
            f"{self.rules.foc[code]} [{self.rules.source}]", severity, "vessel",
        )]


def _role(role: str) -> str:
    return role.replace("_", " ")


def _unique(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    unique: dict[tuple[str, str], Finding] = {}
    for f in findings:
        unique.setdefault((f.rule, f.detail), f)
    return tuple(unique.values())


# --- module-level shortcuts with the shipped defaults -------------------------------------------


@lru_cache(maxsize=1)
def default_screen() -> RouteScreen:
    """The shipped ports and rules, loaded once."""
    return RouteScreen.load()


def check_route(
    route: Iterable[tuple[str, Any]], high_priority_goods: bool = False, screen: RouteScreen | None = None
) -> RouteResult:
    """:meth:`RouteScreen.check` with the shipped defaults unless ``screen`` is given."""
    return (screen or default_screen()).check(route, high_priority_goods)


def flag_findings(flag_country: Any, risky: bool, screen: RouteScreen | None = None) -> list[Finding]:
    """:meth:`RouteScreen.flag_findings` with the shipped defaults unless ``screen`` is given."""
    return (screen or default_screen()).flag_findings(flag_country, risky)
