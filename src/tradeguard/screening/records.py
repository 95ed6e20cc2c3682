"""Reading input records (CSV, XLSX, JSONL) and writing results (JSONL, CSV, XLSX).

Shared by party screening and order screening. Rows that cannot be read are reported with
their line number, never silently dropped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tradeguard.sources.base import SourceError
from tradeguard.sources.common import cell_text, read_text, xlsx_sheets


@dataclass
class RowError:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


def _normal_key(key: Any) -> str:
    return str(key or "").strip().lower().replace(" ", "_")


def iter_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """Yield (line number, record or RowError) from a CSV, XLSX or JSONL file.

    Keys are lower-cased; empty cells are dropped. Raises SourceError when the file as a
    whole cannot be read (missing, not the format its extension says).
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SourceError(path, None, "no such file")
    if suffix in (".jsonl", ".ndjson", ".json"):
        yield from _iter_jsonl(path)
    elif suffix in (".xlsx", ".xlsm"):
        yield from _iter_xlsx(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        yield from _iter_csv(path, "\t" if suffix == ".tsv" else None)
    else:
        raise SourceError(path, None, f"unknown input type '{suffix}': use .csv, .xlsx or .jsonl")


def _iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowError(number, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield number, RowError(number, "invalid JSON: nested too deep (a record is one flat object)")
            continue
        if not isinstance(data, dict):
            yield number, RowError(number, "expected a JSON object")
            continue
        yield number, {_normal_key(k): v for k, v in data.items() if v not in (None, "", [])}


def _iter_csv(path: Path, delimiter: str | None) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    text = read_text(path)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_normal_key(h) for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        raise SourceError(path, "line 1", f"malformed CSV header: {exc}") from exc
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, RowError(reader.line_num, f"malformed CSV: {exc}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            yield reader.line_num, RowError(reader.line_num, f"{len(row)} cells but the header has {len(header)} columns")
            continue
        yield reader.line_num, {k: v.strip() for k, v in zip(header, row, strict=False) if k and v.strip()}


def _iter_xlsx(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    sheets = xlsx_sheets(path)
    if not sheets:
        return
    rows = next(iter(sheets.values()))
    if not rows:
        return
    header = [_normal_key(h) for h in rows[0]]
    for number, row in enumerate(rows[1:], start=2):
        record = {}
        for key, value in zip(header, row, strict=False):
            text = cell_text(value)
            if key and text:
                record[key] = text
        if record:
            yield number, record


# --- output -----------------------------------------------------------------------------


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_records(path: Path, records: Iterable[dict[str, Any]], columns: list[str] | None = None) -> int:
    """Write records as JSONL, or CSV/XLSX by extension (nested values as JSON text)."""
    suffix = path.suffix.lower()
    count = 0
    if suffix in (".csv", ".xlsx"):
        rows = list(records)
        count = len(rows)
        cols = columns or sorted({k for r in rows for k in r})
        if suffix == ".csv":
            with open(path, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(cols)
                for r in rows:
                    writer.writerow([_flat(r.get(c, "")) for c in cols])
        else:
            from openpyxl import Workbook

            wb = Workbook()
            ws = wb.active
            assert ws is not None
            ws.append(cols)
            for r in rows:
                ws.append([_flat(r.get(c, "")) for c in cols])
            wb.save(path)
        return count
    with open(path, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
