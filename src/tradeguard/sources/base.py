"""What every source (official list format) module provides.

A source module exposes ``FORMATS``, a list of :class:`SourceFormat`. ``detect`` looks at
the file's first bytes (and, only where the content cannot tell, its name) and returns the
list key it would produce, or ``None``. ``read`` returns a :class:`ParsedList` whose
``entities`` iterator streams the file. Errors are :class:`SourceError` naming the file, the
line or record, and what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tradeguard.model import Entity

# How many bytes of a file ``detect`` functions are given.
HEAD_BYTES = 8192


class SourceError(Exception):
    """A list file that cannot be read: names the file, where, and what is wrong."""

    def __init__(self, path: Path | str, where: str | None, problem: str) -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        location = f"{self.path}, {where}" if where else self.path
        super().__init__(f"{location}: {problem}")


@dataclass
class ParsedList:
    list_key: str
    format: str  # the SourceFormat name
    files: list[Path]  # every file read (a format may span several, e.g. OFAC sdn+alt+add)
    entities: Iterator[Entity]
    published: str | None = None  # ISO date (or datetime) stated inside the file
    notes: list[str] = field(default_factory=list)  # warnings worth showing the user


@dataclass(frozen=True)
class SourceFormat:
    name: str  # e.g. "ofac_legacy_csv"
    description: str
    detect: Callable[[Path, bytes], str | None]
    read: Callable[[Path], ParsedList]
