"""Goods checks for an order line: HS codes against the Common High Priority List and user
controlled-goods lists, and ECCNs toward sensitive destinations.

HS/HTS/Schedule B codes are accepted with any punctuation ("8542.31.0000", "8542 31",
"854231") and 6 to 10 digits; they are compared on their digits, so an 8- or 10-digit code
matches a list entry given at HS-6 (or at 2/4 digits: a chapter or heading). An entry more
specific than the order's code (an 8-digit list entry, an order given at HS-6) is a
*possible* match, reported for review.

The Common High Priority List file is read from where the caller says; it is never copied
into the project. :func:`default_chpl_path` gives ``$TRADEGUARD_CHPL`` or
``../shared/data/goods/chpl_hs_codes.csv`` relative to the project root.

Every check returns :class:`Finding` objects: a rule id, a human-readable detail, the source
(list name and file version or date) and a suggested severity ("block", "review" or "info")
that the caller maps to the line's verdict.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tradeguard.sources.base import SourceError
from tradeguard.sources.common import clean, country_code, iter_csv, read_text

__all__ = [
    "CHPL_ENV",
    "CHPL_NAME",
    "SEVERITIES",
    "Finding",
    "GoodsEntry",
    "GoodsError",
    "GoodsList",
    "GoodsMatch",
    "check_eccn",
    "check_hs",
    "default_chpl_path",
    "hs_digits",
    "load_chpl",
    "load_goods_list",
    "normalize_eccn",
    "normalize_hs",
    "worst_severity",
]

SEVERITIES: tuple[str, ...] = ("block", "review", "info")

CHPL_ENV = "TRADEGUARD_CHPL"
CHPL_NAME = "BIS Common High Priority List"
# src/tradeguard/screening/goods.py -> project root is three levels above the package dir.
_PROJECT_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason for a verdict: rule id, detail, source data, suggested severity.

    ``subject`` names what the finding is about ("goods", "ship_to", "consignee", ...).
    """

    rule: str
    detail: str
    source: str
    severity: str = "review"  # one of SEVERITIES
    subject: str | None = None

    def reason(self) -> dict[str, str]:
        """The ``{"rule", "detail", "source"}`` shape of an order-screening reason."""
        return {"rule": self.rule, "detail": self.detail, "source": self.source}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = self.reason()
        out["severity"] = self.severity
        if self.subject:
            out["subject"] = self.subject
        return out


def worst_severity(findings: Iterable[Finding]) -> str | None:
    """The most serious severity among ``findings`` ("block" > "review" > "info")."""
    best: str | None = None
    for f in findings:
        if best is None or SEVERITIES.index(f.severity) < SEVERITIES.index(best):
            best = f.severity
    return best


class GoodsError(ValueError):
    """A code that is not a usable HS/HTS/Schedule B code."""


# Separators people put in tariff codes: dots, spaces, dashes, slashes, underscores, commas.
_HS_SEPARATORS = re.compile(r"[\s.\-/_,:;'’]+")


def _digits(code: Any, what: str) -> str:
    text = clean(code)
    if text is None:
        raise GoodsError(f"empty {what}")
    digits = _HS_SEPARATORS.sub("", text)
    if not digits.isdigit() or not digits.isascii():
        raise GoodsError(f"{what} {text!r} has characters other than digits and punctuation")
    return digits


def hs_digits(code: Any) -> str:
    """The digits of an HS/HTS/Schedule B code (6 to 10 digits), punctuation removed."""
    digits = _digits(code, "HS code")
    if len(digits) < 6:
        raise GoodsError(
            f"HS code {clean(code)!r} has {len(digits)} digits; at least 6 are needed "
            "(a leading zero lost by a spreadsheet? chapters 01-09 start with 0)"
        )
    if len(digits) > 10:
        raise GoodsError(f"HS code {clean(code)!r} has {len(digits)} digits; at most 10 are expected")
    return digits


def normalize_hs(code: Any) -> str:
    """HS-6 ("854231") of any 6- to 10-digit HS/HTS/Schedule B code, e.g. "8542.31.0000"."""
    return hs_digits(code)[:6]


def _format_hs(digits: str) -> str:
    """"854231" -> "8542.31", "8542310000" -> "8542.31.0000"."""
    if len(digits) <= 4:
        return digits
    parts = [digits[:4], digits[4:6]]
    if len(digits) > 6:
        parts.append(digits[6:])
    return ".".join(parts)


@dataclass(frozen=True, slots=True)
class GoodsEntry:
    code: str  # digits as listed (2 to 10)
    description: str | None
    tier: str | None = None
    destinations: frozenset[str] = frozenset()  # ISO codes the control applies to; empty: all
    line: int | None = None  # line in the list file
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GoodsMatch:
    entry: GoodsEntry
    possible: bool  # the order's code is less specific than the entry


@dataclass
class GoodsList:
    """A list of HS codes: the CHPL (``kind="chpl"``) or a user controlled-goods list."""

    name: str
    path: Path
    version: str
    entries: list[GoodsEntry]
    kind: str = "controlled"  # "chpl" | "controlled"
    severity: str = "block"  # for a controlled list: severity when the control applies
    _index: dict[str, list[GoodsEntry]] = field(default_factory=dict, repr=False)
    _long: dict[str, list[GoodsEntry]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._index.setdefault(entry.code, []).append(entry)
            if len(entry.code) > 6:
                self._long.setdefault(entry.code[:6], []).append(entry)

    @property
    def source(self) -> str:
        return f"{self.name} ({self.path.name}, {self.version})"

    def lookup(self, code: Any) -> list[GoodsMatch]:
        """Entries covering ``code`` (raises GoodsError for a malformed code)."""
        digits = hs_digits(code)
        found: list[GoodsMatch] = []
        for length in range(2, len(digits) + 1):
            for entry in self._index.get(digits[:length], ()):
                found.append(GoodsMatch(entry, possible=False))
        for entry in self._long.get(digits[:6], ()):
            if len(entry.code) > len(digits) and entry.code.startswith(digits):
                found.append(GoodsMatch(entry, possible=True))
        return found


def default_chpl_path() -> Path:
    """``$TRADEGUARD_CHPL`` if set, else ``../shared/data/goods/chpl_hs_codes.csv`` next to
    the project root."""
    env = os.environ.get(CHPL_ENV)
    if env:
        return Path(env)
    return _PROJECT_ROOT.parent / "shared" / "data" / "goods" / "chpl_hs_codes.csv"


def _file_date(path: Path) -> str:
    try:
        stamp = path.stat().st_mtime
    except OSError as exc:
        raise SourceError(path, None, f"cannot read file: {exc.strerror}") from exc
    return "file date " + datetime.fromtimestamp(stamp, tz=UTC).date().isoformat()


_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_CODE_COLUMNS = ("hs_code", "hts_code", "hs", "hts", "code", "schedule_b", "hs6", "hts6")


def _read_rows(path: Path) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    rows = list(iter_csv(path, text=read_text(path)))
    while rows and not any(c.strip() for c in rows[0][1]):
        rows.pop(0)
    if not rows:
        raise SourceError(path, None, "empty file: expected a header row with hs_code")
    line, header = rows[0]
    cols: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().casefold().replace(" ", "_").replace("-", "_")
        cols.setdefault(key, i)
    if not any(c in cols for c in _CODE_COLUMNS):
        raise SourceError(
            path, f"line {line}",
            f"no HS code column: expected one of {', '.join(_CODE_COLUMNS)} (found: {', '.join(header)})",
        )
    return cols, rows[1:]


def _cell(row: list[str], cols: Mapping[str, int], *names: str) -> str | None:
    for name in names:
        i = cols.get(name)
        if i is not None and i < len(row):
            value = clean(row[i])
            if value is not None:
                return value
    return None


def _entry_code(path: Path, line: int, value: str | None) -> str:
    if value is None:
        raise SourceError(path, f"line {line}", "empty HS code")
    try:
        digits = _digits(value, "HS code")
    except GoodsError as exc:
        raise SourceError(path, f"line {line}", str(exc)) from exc
    if not 2 <= len(digits) <= 10:
        raise SourceError(
            path, f"line {line}",
            f"HS code {value!r} has {len(digits)} digits; a list entry needs 2 to 10",
        )
    return digits


def load_chpl(path: str | Path | None = None) -> GoodsList:
    """Read the Common High Priority List CSV (``hs_code,description,tier,source``).

    The version is the latest ISO date stated in the ``source`` column, else the file date.
    """
    path = Path(path) if path is not None else default_chpl_path()
    if not path.is_file():
        raise SourceError(
            path, None,
            f"Common High Priority List not found (set ${CHPL_ENV} or pass the path)",
        )
    cols, rows = _read_rows(path)
    entries: list[GoodsEntry] = []
    dates: set[str] = set()
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        code = _entry_code(path, line, _cell(row, cols, *_CODE_COLUMNS))
        source = _cell(row, cols, "source")
        if source:
            dates.update(_ISO_DATE.findall(source))
        entries.append(
            GoodsEntry(
                code=code,
                description=_cell(row, cols, "description"),
                tier=_cell(row, cols, "tier"),
                line=line,
                note=source,
            )
        )
    if not entries:
        raise SourceError(path, None, "no HS codes in the file")
    version = max(dates) if dates else _file_date(path)
    return GoodsList(CHPL_NAME, path, version, entries, kind="chpl")


def _destinations(path: Path, line: int, value: str | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    codes: set[str] = set()
    for part in re.split(r"[;,|]+|\s{2,}", value):
        part = part.strip()
        if not part:
            continue
        if part in ("*", "all", "ALL", "any"):
            return frozenset()
        code = country_code(part)
        if code is None:
            # "IR RU BY": space-separated codes
            pieces = part.split()
            resolved = [country_code(p) for p in pieces]
            if len(pieces) > 1 and all(resolved):
                codes.update(c for c in resolved if c)
                continue
            raise SourceError(path, f"line {line}", f"column 'destinations': unknown country {part!r}")
        codes.add(code)
    return frozenset(codes)


def load_goods_list(
    path: str | Path,
    name: str | None = None,
    version: str | None = None,
    severity: str = "block",
) -> GoodsList:
    """Read a user controlled-goods list: CSV with ``hs_code`` (2-10 digits, any
    punctuation), optional ``description``, optional ``destinations`` (ISO codes or country
    names separated by ``;`` or ``,``; empty: the control applies everywhere), optional
    ``tier`` and ``note``.

    ``name`` defaults to the file name without extension, ``version`` to the file date.
    ``severity`` is the finding's severity when the control applies to the destination.
    """
    path = Path(path)
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}")
    cols, rows = _read_rows(path)
    entries: list[GoodsEntry] = []
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        code = _entry_code(path, line, _cell(row, cols, *_CODE_COLUMNS))
        entries.append(
            GoodsEntry(
                code=code,
                description=_cell(row, cols, "description", "desc", "item"),
                tier=_cell(row, cols, "tier"),
                destinations=_destinations(
                    path, line, _cell(row, cols, "destinations", "destination", "countries")
                ),
                line=line,
                note=_cell(row, cols, "note", "notes", "source"),
            )
        )
    if not entries:
        raise SourceError(path, None, "no HS codes in the file")
    return GoodsList(
        name or path.stem, path, version or _file_date(path), entries, severity=severity
    )


def _country_label(code: str | None, names: Mapping[str, str] | None = None) -> str:
    if code is None:
        return "an unknown destination"
    if names and code in names:
        return f"{names[code]} ({code})"
    return code


def check_hs(
    code: Any,
    lists: Sequence[GoodsList],
    destination: str | None = None,
    sensitive: Mapping[str, str] | None = None,
    transshipment: Collection[str] = (),
    country_names: Mapping[str, str] | None = None,
) -> list[Finding]:
    """HS code of an order line against the CHPL and controlled-goods lists.

    ``destination``: ISO code (lower case, subdivisions such as "ua-cri" allowed) where the
    goods go, or None if unknown. ``sensitive``: destination code -> severity (e.g. from
    :meth:`tradeguard.screening.destinations.DestinationRules.sensitive`).
    ``transshipment``: codes of transshipment-risk countries.

    Severities: a CHPL item toward a sensitive destination takes that destination's severity;
    toward a transshipment-risk country or an unknown destination, "review"; elsewhere
    "info". A controlled-list entry that applies to the destination (or has no destinations)
    takes the list's severity; with an unknown destination, or a possible (less specific)
    match, "review". A malformed code is a "review" finding, not an exception.
    """
    text = clean(code)
    if text is None:
        return []
    try:
        digits = hs_digits(text)
    except GoodsError as exc:
        source = ", ".join(lst.source for lst in lists) or "order data"
        return [Finding("goods.hs_invalid", str(exc), source, "review", "goods")]
    sensitive = sensitive or {}
    dest = _country_label(destination, country_names)
    shown = _format_hs(digits)
    findings: list[Finding] = []
    for goods_list in lists:
        for match in goods_list.lookup(digits):
            entry = match.entry
            what = f"HS {shown}" + (f" (entry {_format_hs(entry.code)})" if entry.code != digits else "")
            desc = f": {entry.description}" if entry.description else ""
            maybe = " (possible: the order's code is less specific than the entry)" if match.possible else ""
            if goods_list.kind == "chpl":
                tier = f", tier {entry.tier}" if entry.tier else ""
                if destination is not None and destination in sensitive:
                    severity = sensitive[destination]
                    where = f"toward {dest}, a sensitive destination"
                elif destination is None:
                    severity, where = "review", "toward an unknown destination"
                elif destination in transshipment:
                    severity = "review"
                    where = f"toward {dest}, a transshipment-risk country"
                else:
                    severity, where = "info", f"toward {dest}"
                if match.possible and severity == "block":
                    severity = "review"
                findings.append(Finding(
                    "goods.chpl",
                    f"{what} is on the {goods_list.name}{tier}{desc}; {where}{maybe}",
                    goods_list.source, severity, "goods",
                ))
                continue
            applies = not entry.destinations or (destination in entry.destinations)
            if destination is None and entry.destinations:
                severity = "review"
                where = "destination unknown; the control applies to " + ", ".join(sorted(entry.destinations))
            elif applies:
                severity = goods_list.severity
                where = f"toward {dest}" + (
                    "" if not entry.destinations else " (the control applies to "
                    + ", ".join(sorted(entry.destinations)) + ")"
                )
            else:
                continue
            if match.possible and severity == "block":
                severity = "review"
            findings.append(Finding(
                "goods.controlled",
                f"{what} is on the controlled-goods list {goods_list.name!r}{desc}; {where}{maybe}",
                goods_list.source, severity, "goods",
            ))
    return findings


EAR99 = "EAR99"

# ECCN: digit (category 0-9), letter (product group A-E; "Y" for the 0Y521 series), three
# digits, optional paragraphs ("3A001", "5A992.c", "3A991.a.1", "9A610.x", "5D002.c.1").
# "EAR99" is the catch-all for items subject to the EAR but not on the Commerce Control List.
_ECCN = re.compile(r"^[0-9][A-EY][0-9]{3}(\.[a-z0-9]+)*$")


def normalize_eccn(value: Any) -> str | None:
    """ECCN without spaces, category and group upper case, paragraphs lower case
    ("3a001.A.7" -> "3A001.a.7", "ear99" -> "EAR99"); None if empty."""
    text = clean(value)
    if text is None:
        return None
    code = re.sub(r"\s+", "", text)
    if code.upper() == EAR99:
        return EAR99
    return code[:5].upper() + code[5:].lower()


def check_eccn(
    eccn: Any,
    destination: str | None,
    sensitive: Mapping[str, str],
    source: str,
    country_names: Mapping[str, str] | None = None,
) -> list[Finding]:
    """An ECCN other than EAR99 (or empty) toward a sensitive destination is a finding.

    ``sensitive``: destination code -> severity; ``source``: where the sensitive destinations
    come from (e.g. ``DestinationRules.source``). A malformed ECCN is a "review" finding;
    a listed ECCN with an unknown destination is "review" too.
    """
    code = normalize_eccn(eccn)
    if code is None or code == EAR99:
        return []
    if not _ECCN.match(code):
        return [Finding(
            "goods.eccn_invalid",
            f"ECCN {clean(eccn)!r} is not a valid Export Control Classification Number "
            "(expected e.g. 3A001, 5A992.c or EAR99)",
            "order data", "review", "goods",
        )]
    if destination is None:
        return [Finding(
            "goods.eccn_unknown_destination",
            f"ECCN {code} (controlled on the Commerce Control List) with no destination stated",
            source, "review", "goods",
        )]
    if destination in sensitive:
        return [Finding(
            "goods.eccn_sensitive_destination",
            f"ECCN {code} (not EAR99) toward {_country_label(destination, country_names)}, "
            "a sensitive destination: a licence is likely required",
            source, sensitive[destination], "goods",
        )]
    return []
