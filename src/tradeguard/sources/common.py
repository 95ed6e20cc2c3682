"""Small helpers shared by the source parsers: text, dates, countries, files, XML, XLSX.

Parsers must use these rather than writing their own, so that every list is cleaned the
same way.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from tradeguard.sources.base import SourceError

# Values that lists use for "no value".
NULL_VALUES = frozenset({"", "-0-", "-", "n/a", "na", "none", "null", "nan", "unknown", "not known"})

_WS = re.compile(r"\s+")


def clean(value: Any) -> str | None:
    """Trim and fold whitespace; return None for the lists' various nulls."""
    if value is None:
        return None
    text = _WS.sub(" ", str(value)).strip()
    if text.lower() in NULL_VALUES:
        return None
    return text


def clean_all(values: Iterable[Any]) -> list[str]:
    """Clean each value, drop nulls and duplicates, keep order."""
    out: list[str] = []
    for value in values:
        text = clean(value)
        if text is not None and text not in out:
            out.append(text)
    return out


def split_multi(value: Any, separators: str = ";") -> list[str]:
    """Split a multi-valued cell ("a; b; c") into cleaned values."""
    text = clean(value)
    if text is None:
        return []
    return clean_all(re.split("[" + re.escape(separators) + "]", text))


# --- dates -----------------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_CIRCA = re.compile(r"^(circa|ca\.?|c\.|approx(imately)?\.?|about|~)\s*", re.I)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2200:
        return None
    if month is None or month == 0:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None or day == 0:
        return f"{year:04d}-{month:02d}"
    try:
        date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(value: Any, dayfirst: bool = True) -> str | None:
    """Parse the date spellings found on official lists into an ISO prefix.

    Handles ISO dates and datetimes, dd/mm/yyyy (``00`` for unknown parts), mm/dd/yyyy when
    ``dayfirst`` is False, "12 Jan 1970", "Jan 1970", bare years, "circa 1970" (returned as
    "~1970") and "1970 to 1975" / "1970-1975" ranges (returned as "1970/1975").
    """
    text = clean(value)
    if text is None:
        return None
    circa = bool(_CIRCA.match(text))
    if circa:
        text = _CIRCA.sub("", text)
    prefix = "~" if circa else ""
    m = re.fullmatch(r"(\d{4})\s*(?:to|-|–|/)\s*(\d{4})", text, re.I)
    if m:
        return f"{prefix}{m.group(1)}/{m.group(2)}"
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$", text)
    if m:
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return prefix + iso if iso else None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if m:
        iso = _iso(int(m.group(1)), int(m.group(2)))
        return prefix + iso if iso else None
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (a, b) if dayfirst else (b, a)
        iso = _iso(year, month, day)
        return prefix + iso if iso else None
    m = re.fullmatch(r"(\d{1,2})?\s*([A-Za-z]{3,9})\.?,?\s+(\d{4})", text)
    if m and m.group(2).lower() in _MONTHS:
        day_of_month = int(m.group(1)) if m.group(1) else None
        iso = _iso(int(m.group(3)), _MONTHS[m.group(2).lower()], day_of_month)
        return prefix + iso if iso else None
    m = re.fullmatch(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})", text)
    if m and m.group(1).lower() in _MONTHS:
        iso = _iso(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
        return prefix + iso if iso else None
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        iso = _iso(int(m.group(1)))
        return prefix + iso if iso else None
    return None


# --- countries -------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def country_code(value: str | None) -> str | None:
    """ISO-3166 alpha-2 (lower case) for a country name or code, else None."""
    text = clean(value)
    if text is None:
        return None
    from rigour.territories import lookup_territory

    territory = lookup_territory(text)
    if territory is None and " / " in text:  # bilingual "Belarus / Bélarus"
        territory = lookup_territory(text.split(" / ")[0])
    return territory.code if territory is not None else None


def country_or_text(value: str | None) -> str | None:
    """The ISO code where one is found, else the cleaned text as listed."""
    text = clean(value)
    if text is None:
        return None
    return country_code(text) or text


# --- files -----------------------------------------------------------------------------


def read_head(path: Path, size: int = 8192) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; drop a trailing DOS EOF byte."""
    if data.endswith(b"\x1a"):
        data = data[:-1]
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"byte {exc.start}", "text is neither UTF-8 nor Windows-1252") from exc


# The longest line a text file may hold: no record or list entry comes near it (the
# official CSV files' longest lines are a few kilobytes); a file with a longer one is
# refused before it is read into memory.
MAX_LINE_BYTES = 8 * 1024 * 1024


def check_line_lengths(path: Path, limit: int = MAX_LINE_BYTES) -> None:
    """SourceError naming the first line longer than ``limit`` bytes (read in 1 MB steps)."""
    line, run = 1, 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                newlines = chunk.count(b"\n")
                if not newlines:
                    run += len(chunk)
                else:
                    if run + chunk.index(b"\n") > limit:
                        break
                    line += newlines
                    run = len(chunk) - chunk.rindex(b"\n") - 1
                if run > limit:
                    break
            else:
                return
    except OSError as exc:
        raise SourceError(path, None, f"cannot read file: {exc.strerror}") from exc
    raise SourceError(path, f"line {line}", f"longer than {limit // (1024 * 1024)} MB: refused (no record or "
                      "list entry is that long)")


def read_text(path: Path) -> str:
    """A text file's content, decoded (:func:`decode_text`), after :func:`check_line_lengths`."""
    check_line_lengths(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, None, f"cannot read file: {exc.strerror}") from exc
    return decode_text(path, data)


def iter_csv(path: Path, delimiter: str = ",", text: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, row) for a CSV file; errors name the line."""
    if text is None:
        text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise SourceError(path, f"line {reader.line_num}", f"malformed CSV: {exc}") from exc


def iter_xml(path: Path, tags: set[str]) -> Iterator[etree._Element]:
    """Stream the elements whose local name is in ``tags``, freeing memory as it goes.

    Malformed XML raises SourceError naming the line.
    """
    context = etree.iterparse(
        str(path), events=("end",), huge_tree=True, resolve_entities=False, no_network=True
    )
    try:
        for _event, elem in context:
            if etree.QName(elem).localname in tags:
                yield elem
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else "?"
        raise SourceError(path, f"line {line}", f"malformed XML: {exc.msg}") from exc


def xml_text(elem: etree._Element | None, path: str | None = None) -> str | None:
    """Cleaned text of ``elem`` or of its child at ``path`` (local names, '/'-separated)."""
    if elem is None:
        return None
    node: etree._Element | None = elem
    if path:
        for part in path.split("/"):
            found = None
            assert node is not None
            for child in node:
                if isinstance(child.tag, str) and etree.QName(child).localname == part:
                    found = child
                    break
            node = found
            if node is None:
                return None
    assert node is not None
    return clean("".join(node.itertext()))


def xml_children(elem: etree._Element, name: str) -> list[etree._Element]:
    """Direct children with local name ``name`` (namespace-agnostic)."""
    return [c for c in elem if isinstance(c.tag, str) and etree.QName(c).localname == name]


def xml_root_info(path: Path) -> tuple[str, dict[str, str]]:
    """Local name and attributes of the root element, read without parsing the whole file."""
    try:
        for _event, elem in etree.iterparse(str(path), events=("start",), resolve_entities=False, no_network=True):
            return etree.QName(elem).localname, {str(k): str(v) for k, v in elem.attrib.items()}
    except etree.XMLSyntaxError as exc:
        raise SourceError(path, f"line {exc.lineno or '?'}", f"malformed XML: {exc.msg}") from exc
    raise SourceError(path, None, "empty XML document")


def sniff_xml_root(head: bytes) -> str | None:
    """The root element's local name from a file's first bytes, or None if not XML."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"<"):
        return None
    for m in re.finditer(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]", text):
        start = m.start()
        if text[start + 1 : start + 2] in (b"?", b"!"):
            continue
        return m.group(2).decode("ascii", "replace")
    return None


def is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


# What a workbook may expand to when unzipped. The official lists' largest, the UK's,
# expands to 17 MB (7.7 times its size); a zip bomb expands to gigabytes from kilobytes.
MAX_XLSX_EXPANDED = 512 * 1024 * 1024


def check_xlsx_size(path: Path, limit: int = MAX_XLSX_EXPANDED) -> None:
    """SourceError when the workbook (a zip file) expands to more than ``limit`` bytes.
    The members are inflated and counted, not their stated sizes trusted, with a bounded
    buffer: a zip bomb is refused after ``limit`` bytes of work and no more memory."""
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    while chunk := member.read(1 << 20):
                        total += len(chunk)
                        if total > limit:
                            raise SourceError(path, info.filename, f"the workbook expands to more than "
                                              f"{limit // (1024 * 1024)} MB when unzipped: refused (a zip bomb?)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise SourceError(path, None, f"unreadable XLSX workbook: {exc}") from exc


def xlsx_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet of an XLSX workbook as rows of cell values (python-calamine), after
    :func:`check_xlsx_size`."""
    from python_calamine import CalamineWorkbook

    check_xlsx_size(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
        }
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise SourceError(path, None, f"unreadable XLSX workbook: {exc}") from exc


def xlsx_sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:
        raise SourceError(path, None, f"unreadable XLSX workbook: {exc}") from exc


def cell_text(value: Any) -> str | None:
    """A spreadsheet cell as cleaned text (dates as ISO, whole floats without '.0')."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()[:10]
    return clean(value)


# --- multi-valued cells and detection helpers (added for the UK/AU/CSL parsers) -----

# "(1) a (2) b", "1) a 2) b", "a) x b) y": list markers at the start or after a space/;/,
_ENUM_MARK = re.compile(r"(?:(?<=^)|(?<=[\s;,\-]))\(?(\d{1,2}|[a-z])\)")


def split_enumerated(value: Any) -> list[str]:
    """Split an enumerated cell ("(1) a (2) b", "1) a 2) b", "a) x b) y") into cleaned items.

    Only splits when the first marker is "1" or "a", and then only at markers of the same
    kind (digits or letters), so "Leningrad (now St Petersburg)" or "Unit b)" stay whole.
    Text before the first marker is kept as an item of its own.
    """
    text = clean(value)
    if text is None:
        return []
    marks = list(_ENUM_MARK.finditer(text))
    if not marks or marks[0].group(1) not in ("1", "a"):
        return [text]
    digits = marks[0].group(1).isdigit()
    cuts = [m for m in marks if m.group(1).isdigit() == digits]
    items = [text[: cuts[0].start()]]
    for i, mark in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(text)
        items.append(text[mark.end() : end])
    return clean_all(item.strip(" ;,-") for item in items)


_BETWEEN = re.compile(r"^between\s+(.+?)\s+(?:and|to|-)\s+(.+)$", re.I)
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_DATE_SEPARATORS = re.compile(r"\s*(?:;|\n|\bor\b|\balt(?:ernative)? DOB:?)\s*", re.I)


def _parse_one_date(text: str, dayfirst: bool) -> str | None:
    text = text.strip(" .,;()")
    if not text:
        return None
    parsed = parse_date(text, dayfirst=dayfirst)
    if parsed:
        return parsed
    m = _BETWEEN.match(text)
    if m:
        a = parse_date(m.group(1), dayfirst=dayfirst)
        b = parse_date(m.group(2), dayfirst=dayfirst)
        if a and b:
            return f"{a}/{b}"
    m = _MONTH_YEAR.match(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{int(m.group(2)):04d}-{int(m.group(1)):02d}"
    if re.fullmatch(r"\d{1,2}-[A-Za-z]{3,9}\.?-\d{4}", text):  # 19-Dec-1992
        return parse_date(text.replace("-", " "), dayfirst=dayfirst)
    return None


def parse_dates(value: Any, dayfirst: bool = True) -> tuple[list[str], list[str]]:
    """Every date in a cell that may hold several ("a) 1962 b) 1960", "1973; 1983",
    "14/05/1975, 1975", "c. 1957 or 14 March 1942", "Between 1958 and 1963").

    Returns (ISO dates as parse_date gives them, pieces that could not be read).
    """
    dates: list[str] = []
    unread: list[str] = []
    for item in split_enumerated(value):
        for piece in _DATE_SEPARATORS.split(item):
            piece_text = clean(piece.strip(" .,;"))
            if piece_text is None:
                continue
            parsed = _parse_run(piece_text, dayfirst)
            if parsed:
                dates.extend(d for d in parsed if d not in dates)
                continue
            for part in clean_all(p.strip(" .;") for p in piece_text.split(",")):  # "1962,1963, 31 December 1961"
                part_dates = _parse_run(part, dayfirst)
                if part_dates:
                    dates.extend(d for d in part_dates if d not in dates)
                elif part not in unread:
                    unread.append(part)
    return dates, unread


def _parse_run(text: str, dayfirst: bool) -> list[str]:
    """One date, or several written one after the other ("27/05/1973 01/01/1975")."""
    one = _parse_one_date(text, dayfirst)
    if one:
        return [one]
    parts: list[str] = []
    for part in re.split(r"\s+(?=\d)", text):
        if parts and _CIRCA.fullmatch(parts[-1] + " "):
            parts[-1] += " " + part  # "Approximately 1968 28/08/1965"
        else:
            parts.append(part)
    if len(parts) < 2:
        return []
    parsed = [_parse_one_date(part, dayfirst) for part in parts]
    return [d for d in parsed if d] if all(parsed) else []


@lru_cache(maxsize=32)
def _xlsx_head_cached(path: str, _version: tuple[int, int, int], nrows: int) -> tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    out = []
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=nrows)
        out.append((name, tuple(tuple(row) for row in rows)))
    return tuple(out)


def xlsx_head_rows(path: Path, nrows: int = 5) -> dict[str, list[list[Any]]]:
    """The first rows of every sheet of a workbook (XLSX/ODS), for ``detect`` functions.

    Cached per file version, so several formats can look at one workbook cheaply. An
    unreadable workbook gives ``{}`` (``read`` is where the error is reported).
    """
    try:
        stat = path.stat()
        version = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        sheets = _xlsx_head_cached(str(path), version, max(nrows, 5))
    except Exception:
        return {}
    return {name: [list(row) for row in rows[:nrows]] for name, rows in sheets}
