"""Shipment screening: bills of lading and bookings through the order pipeline, plus the
vessel and the route.

A shipment record (CSV, XLSX or JSONL; one per bill of lading or booking) has the columns

* ``shipment`` (its id, required and unique),
* ``{role}_{field}`` for the roles ``shipper``, ``consignee``, ``notify`` and ``carrier`` and
  the fields ``name``, ``address``, ``country``,
* the voyage: ``vessel_name``, ``vessel_imo``, ``vessel_mmsi``, ``vessel_flag``,
  ``port_of_loading``, ``port_of_discharge``, ``place_of_receipt``, ``place_of_delivery``,
  ``transshipment_ports`` (several, separated by ``;`` or ``|``, or a JSON list),
* the goods as for orders: ``description``, ``manufacturer``, ``part_number``, ``hs_code``,
  ``eccn``, ``quantity``, ``value``.

It becomes an :class:`~tradeguard.screening.orders.OrderLine` whose ``voyage`` holds the
vessel and the route, and :class:`~tradeguard.screening.orders.OrderScreener` screens it
with every order rule (parties, goods, destinations, ownership, red flags; the destination
is the place of delivery, else the port of discharge) and the rules below, from
:class:`VoyageChecks`:

==============================  ==========================================================
rule                            verdict
==============================  ==========================================================
``vessel.listed_imo``           block: the IMO number is a listed vessel's, whatever name
                                the shipment gives (vessels are renamed to escape screening)
``vessel.listed_mmsi``          review: the MMSI is a listed vessel's (an MMSI moves with
                                the flag, so alone it is not the ship)
``vessel.listed_match``         the vessel's name (schema Vessel, ex-names included; a
                                conflicting IMO lowers the score) matches a listed vessel:
                                block from 0.95, else review
``data.vessel_imo_invalid`` /   review: an IMO number that fails its check digit, an MMSI
``data.vessel_mmsi_invalid``    that is not nine digits
``port.*``                      the route rules of :mod:`tradeguard.screening.ports`
                                (sanctioned ports, the Caspian route, transshipment hubs
                                for high-priority goods, ports not recognised)
``destination.*``               a vessel flag of a sanctioned country (destinations.yml)
``vessel.flag_of_convenience``  review where the goods or the route already carry risk,
                                else a note
==============================  ==========================================================

A vessel hit names the listed vessel, the name it is listed under and what the list links
it to (owner, operator: "linked to NATIONAL IRANIAN TANKER COMPANY").
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tradeguard.screening.goods import Finding
from tradeguard.screening.ports import RouteScreen
from tradeguard.sources.common import clean

if TYPE_CHECKING:
    from tradeguard.matching import Match
    from tradeguard.screening.orders import OrderLine
    from tradeguard.screening.parties import Screener
    from tradeguard.store.lists import VersionInfo

__all__ = [
    "SHIPMENT_COLUMNS",
    "SHIPMENT_ROLES",
    "VoyageChecks",
    "Voyage",
    "imo_error",
    "shipment_line",
]

SHIPMENT_ROLES: tuple[str, ...] = ("shipper", "consignee", "notify", "carrier")
PARTY_FIELDS: tuple[str, ...] = ("name", "address", "country")
VOYAGE_FIELDS: tuple[str, ...] = (
    "vessel_name", "vessel_imo", "vessel_mmsi", "vessel_flag", "port_of_loading", "port_of_discharge",
    "place_of_receipt", "place_of_delivery", "transshipment_ports",
)
GOODS_FIELDS: tuple[str, ...] = ("description", "manufacturer", "part_number", "hs_code", "eccn", "quantity", "value")
SHIPMENT_COLUMNS: tuple[str, ...] = (
    "shipment",
    *(f"{role}_{f}" for role in SHIPMENT_ROLES for f in PARTY_FIELDS),
    *VOYAGE_FIELDS,
    *GOODS_FIELDS,
)
VESSEL_BLOCK_SCORE = 0.95
_PORT_SPLIT = re.compile(r"\s*[;|\n]\s*")
_DIGITS = re.compile(r"\D")
_LINK_KINDS = {"owned_by": "owned by", "linked_to": "linked to", "operated_by": "operated by",
               "managed_by": "managed by", "controlled_by": "controlled by"}


@dataclass
class Voyage:
    """The vessel and the route of one shipment, as written."""

    vessel_name: str | None = None
    vessel_imo: str | None = None
    vessel_mmsi: str | None = None
    vessel_flag: str | None = None
    place_of_receipt: str | None = None
    port_of_loading: str | None = None
    transshipment_ports: tuple[str, ...] = ()
    port_of_discharge: str | None = None
    place_of_delivery: str | None = None

    def route(self) -> list[tuple[str, str]]:
        """(role, text) in travel order, for :meth:`RouteScreen.check`."""
        out: list[tuple[str, str]] = []
        for role in ("place_of_receipt", "port_of_loading"):
            if (text := getattr(self, role)) is not None:
                out.append((role, text))
        out += [("transshipment", t) for t in self.transshipment_ports]
        for role in ("port_of_discharge", "place_of_delivery"):
            if (text := getattr(self, role)) is not None:
                out.append((role, text))
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in VOYAGE_FIELDS:
            value = getattr(self, key)
            if value:
                out[key] = "; ".join(value) if isinstance(value, tuple) else value
        return out

    def __bool__(self) -> bool:
        return bool(self.to_dict())


def _ports(value: Any) -> tuple[str, ...]:
    """Transshipment ports: a list (JSONL), a JSON list in a cell, or text split on ; or |."""
    if value is None:
        return ()
    if isinstance(value, str) and value.strip().startswith("["):
        with contextlib.suppress(ValueError):  # not JSON after all: split it as text
            value = json.loads(value)
    items = value if isinstance(value, list | tuple) else _PORT_SPLIT.split(str(value))
    return tuple(t for item in items if (t := clean(str(item))) is not None)


def shipment_line(record: Mapping[str, Any], row: int | None = None) -> OrderLine:
    """An order line with a voyage, from one shipment record (keys as in
    ``SHIPMENT_COLUMNS``, any case). Raises ValueError when it has no id or nothing to
    screen."""
    from tradeguard.screening.orders import OrderLine, _text, keyed_record, record_parties

    rec = keyed_record(record)
    line = _text(rec.get("shipment"))
    if line is None:
        raise ValueError("no shipment id (column 'shipment')")
    parties = record_parties(rec, SHIPMENT_ROLES)
    voyage = Voyage(**{key: _text(rec.get(key)) for key in VOYAGE_FIELDS if key != "transshipment_ports"},
                    transshipment_ports=_ports(rec.get("transshipment_ports")))
    goods = {key: _text(rec.get(key)) for key in GOODS_FIELDS}
    if not parties and not voyage and not any(goods[k] for k in ("hs_code", "eccn", "description")):
        raise ValueError(f"shipment {line!r}: no party, vessel, route or goods to screen")
    return OrderLine(line, row, parties, voyage=voyage, **goods)


def imo_error(value: str) -> str | None:
    """Why ``value`` is not a valid IMO ship number, or None. Seven digits, the last a check
    digit: the first six times 7, 6, 5, 4, 3, 2, summed, modulo 10 (IMO resolution
    A.1078(28))."""
    digits = _DIGITS.sub("", value)
    if len(digits) != 7:
        return f"IMO number {value!r} does not have seven digits"
    check = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10
    if check != int(digits[6]):
        return f"IMO number {value!r} fails its check digit (expected {check}, found {digits[6]})"
    return None


def _mmsi_error(value: str) -> str | None:
    digits = _DIGITS.sub("", value)
    return None if len(digits) == 9 else f"MMSI {value!r} is not nine digits"


@dataclass
class VoyageChecks:
    """The vessel and route rules of shipment screening (see the module docstring).

    ``screener``: the lists in force (None: no vessel screening); ``route``: ports and route
    rules."""

    screener: Screener | None
    route: RouteScreen
    threshold: float = 0.8
    block_score: float = VESSEL_BLOCK_SCORE
    versions: dict[str, VersionInfo] = field(default_factory=dict, init=False)  # list key -> version in force
    _by_imo: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False)
    _by_mmsi: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.screener is None:
            return
        self.versions = {v.list_key: v for v in self.screener.in_force.versions}
        for ei, entity in enumerate(self.screener.matcher.entities):
            if entity.schema != "Vessel":
                continue
            for ident in entity.identifiers:
                digits = _DIGITS.sub("", ident.value)
                if ident.type == "imo" and len(digits) == 7:
                    self._by_imo.setdefault(digits, []).append(ei)
                elif ident.type == "mmsi" and len(digits) == 9:
                    self._by_mmsi.setdefault(digits, []).append(ei)

    # --- the destination ------------------------------------------------------------------

    def destination(self, voyage: Voyage) -> str | None:
        """The country the goods go to: the place of delivery's, else the port of discharge's."""
        for text in (voyage.place_of_delivery, voyage.port_of_discharge):
            port = self.route.ports.resolve(text) if text else None
            if port is not None:
                return port.area or port.country
            if text:
                code = self.route.destinations.resolve_country(text)
                if code is not None:
                    return code
        return None

    # --- the vessel -----------------------------------------------------------------------

    def screen_vessels(self, voyages: Iterable[Voyage], processes: int | None = None) -> dict[str, list[Match]]:
        """Vessel (name, IMO, MMSI) key -> matches (schema Vessel, with the IMO and MMSI as
        identifiers), every distinct vessel of a batch in one call (``processes``: as for
        :meth:`Screener.screen_queries`)."""
        if self.screener is None:
            return {}
        from tradeguard.matching import Query

        queries: dict[str, Query] = {}
        for v in voyages:
            key = _vessel_key(v)
            if v.vessel_name and key not in queries:
                ids = [f"IMO {v.vessel_imo}"] if v.vessel_imo else []
                ids += [f"MMSI {v.vessel_mmsi}"] if v.vessel_mmsi else []
                queries[key] = Query(name=v.vessel_name, schema="Vessel", identifiers=ids)
        if not queries:
            return {}
        keys = list(queries)
        results = self.screener.screen_queries([(str(i), queries[k]) for i, k in enumerate(keys)],
                                               threshold=self.threshold, limit=5, processes=processes)
        return {k: r.matches for k, r in zip(keys, results, strict=True)}

    def vessel_findings(self, voyage: Voyage, matches: Mapping[str, list[Match]]) -> list[Finding]:
        findings: list[Finding] = []
        named = f" {voyage.vessel_name!r}" if voyage.vessel_name else ""
        hit: set[int] = set()  # positions of the vessels found by IMO or MMSI
        if voyage.vessel_imo:
            error = imo_error(voyage.vessel_imo)
            if error:
                findings.append(Finding("data.vessel_imo_invalid", f"Vessel{named}: {error}", "IMO resolution A.1078(28)",
                                        "review", "vessel"))
            else:
                for ei in self._by_imo.get(_DIGITS.sub("", voyage.vessel_imo), ()):
                    hit.add(ei)
                    findings.append(self._identifier_finding(ei, "imo", voyage, "block"))
        if voyage.vessel_mmsi:
            error = _mmsi_error(voyage.vessel_mmsi)
            if error:
                findings.append(Finding("data.vessel_mmsi_invalid", f"Vessel{named}: {error}",
                                        "ITU-R M.585 (maritime identities)", "review", "vessel"))
            else:
                for ei in self._by_mmsi.get(_DIGITS.sub("", voyage.vessel_mmsi), ()):
                    if ei not in hit:
                        hit.add(ei)
                        findings.append(self._identifier_finding(ei, "mmsi", voyage, "review"))
        entities = self.screener.matcher.entities if self.screener is not None else []
        # By id: matches screened in worker processes hold copies of the entities.
        found = {entities[ei].entity_id for ei in hit}
        for m in matches.get(_vessel_key(voyage), ()):
            if m.entity.entity_id in found or m.entity.schema != "Vessel":
                continue
            severity = "block" if m.score >= self.block_score else "review"
            e = m.entity
            findings.append(Finding(
                "vessel.listed_match",
                f"Vessel{named} matches listed vessel {e.caption!r} ({e.list} {e.source_id}) on the "
                f"{m.name_kind} name {m.matched_name!r}, score {m.score:.3f}{_links(e.relations)}",
                self._version(e.list), severity, "vessel",
            ))
        return findings

    def _identifier_finding(self, ei: int, kind: str, voyage: Voyage, severity: str) -> Finding:
        assert self.screener is not None
        e = self.screener.matcher.entities[ei]
        value = voyage.vessel_imo if kind == "imo" else voyage.vessel_mmsi
        named = (f"; the shipment names it {voyage.vessel_name!r}" if voyage.vessel_name
                 and voyage.vessel_name.casefold() not in {n.value.casefold() for n in e.names} else "")
        why = "" if kind == "imo" else " (an MMSI moves with the flag: check the ship)"
        return Finding(
            f"vessel.listed_{kind}",
            f"Vessel {kind.upper()} {value} is the {kind.upper()} of listed vessel {e.caption!r} "
            f"({e.list} {e.source_id}){named}{_links(e.relations)}{why}",
            self._version(e.list), severity, "vessel",
        )

    def _version(self, list_key: str) -> str:
        from tradeguard.screening.orders import _version_ref

        return _version_ref(self.versions.get(list_key), list_key)

    # --- the route and the flag -------------------------------------------------------------

    def route_findings(self, voyage: Voyage, high_priority_goods: bool) -> list[Finding]:
        """The route findings, ports not recognised included."""
        result = self.route.check(voyage.route(), high_priority_goods)
        return [*result.findings, *result.unknown]

    def flag_findings(self, voyage: Voyage, risky: bool) -> list[Finding]:
        if not voyage.vessel_flag:
            return []
        sanctioned = self.route.destinations.check_country(voyage.vessel_flag, "vessel_flag")
        return sanctioned + self.route.flag_findings(voyage.vessel_flag, risky or bool(sanctioned))


def _vessel_key(voyage: Voyage) -> str:
    return "\x1f".join(v or "" for v in (voyage.vessel_name, voyage.vessel_imo, voyage.vessel_mmsi))


def _links(relations: Sequence[Any]) -> str:
    """What the list links a vessel to: "; linked to NATIONAL IRANIAN TANKER COMPANY"."""
    parts = [f"{_LINK_KINDS[r.kind]} {r.target_name or r.target_source_id}" for r in relations
             if r.kind in _LINK_KINDS and (r.target_name or r.target_source_id)]
    return ("; " + "; ".join(parts[:3])) if parts else ""
