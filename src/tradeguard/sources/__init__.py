"""Official list formats: detect a file's format from its content and read it into entities."""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path

from tradeguard.sources.base import HEAD_BYTES, ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import read_head

# One module per official format family; each exposes FORMATS: list[SourceFormat].
# Order matters only where two formats could claim the same file: the first wins.
SOURCE_MODULES: tuple[str, ...] = (
    "ofac_csv",
    "ofac_xml",
    "ofac_advanced",
    "un_xml",
    "eu_fsf",
    "ca_sema",
    "gb_hmt",
    "gb_fcdo",
    "au_dfat",
    "us_csl",
    "opensanctions",
)

__all__ = ["ParsedList", "SourceError", "SourceFormat", "all_formats", "detect", "read_list"]


@lru_cache(maxsize=1)
def all_formats() -> tuple[SourceFormat, ...]:
    formats: list[SourceFormat] = []
    for name in SOURCE_MODULES:
        module = importlib.import_module(f"tradeguard.sources.{name}")
        formats.extend(module.FORMATS)
    return tuple(formats)


def detect(path: Path) -> tuple[SourceFormat, str] | None:
    """The format and list key of ``path``, or None when no format claims it."""
    head = read_head(path, HEAD_BYTES)
    for fmt in all_formats():
        list_key = fmt.detect(path, head)
        if list_key is not None:
            return fmt, list_key
    return None


def read_list(path: Path) -> ParsedList:
    """Detect the format of ``path`` and read it; SourceError if empty or unknown."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(path, None, "no such file")
    if path.stat().st_size == 0:
        raise SourceError(path, None, "file is empty (0 bytes): refusing it as a failed download")
    found = detect(path)
    if found is None:
        head = read_head(path, 4)
        if head.startswith(b"PK"):
            raise SourceError(path, None, "unknown format: a damaged workbook, or a ZIP/XLSX file that is no official list")
        raise SourceError(path, None, "unknown format: not one of the official list formats tradeguard reads")
    fmt, _list_key = found
    return fmt.read(path)
