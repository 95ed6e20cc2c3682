"""Flat, memory-mapped storage for a built index: arrays of integers and interned strings.

A persisted :class:`~tradeguard.matching.engine.Matcher` is a folder of files:

* ``<name>.npy``: one numpy array each, opened with ``mmap_mode="r"``, so that every
  process that opens the folder shares one copy of the pages in the operating system's
  cache instead of holding Python objects per token;
* ``<name>.marisa``: a string table (a MARISA trie, memory-mapped) that maps each string
  to its position in our own numbering and back;
* ragged tables (a value list per row) as two arrays: ``offsets`` and ``values``;
* records (one name form or one entity each) as pickled bytes in one blob with offsets,
  unpickled only when a query reaches them.

The objects here give the built index's look-ups the same shape as the dictionaries and
lists of an index built in memory (``get``, ``[]``, ``in``, ``len``), so one retrieval
code serves both.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import marisa_trie
import numpy as np

_T = TypeVar("_T")
_V = TypeVar("_V")
_EMPTY = np.zeros(0, dtype=np.int32)


def fields_of(record: Any) -> tuple[Any, ...]:
    """The field values of a slotted dataclass, in order (its record in a blob)."""
    return tuple(getattr(record, name) for name in record.__slots__)


def ragged_arrays(rows: Iterable[Iterable[int]], dtype: Any = np.int32) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, values) of a sequence of integer rows."""
    offsets = [0]
    values: list[int] = []
    for row in rows:
        values.extend(row)
        offsets.append(len(values))
    return np.asarray(offsets, dtype=np.int64), np.asarray(values, dtype=dtype)


class Ragged(Sequence[np.ndarray]):
    """Row ``i`` of a ragged table as an array view (empty where the row is)."""

    def __init__(self, offsets: np.ndarray, values: np.ndarray) -> None:
        self.offsets = offsets
        self.values = values
        self._n = offsets.shape[0] - 1

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, row: Any) -> Any:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(self._n))]
        return self.values[int(self.offsets[row]) : int(self.offsets[row + 1])]

    def get(self, row: int, default: Any = None) -> Any:
        """The row, or ``default`` where it is empty (as a dict holding only non-empty rows)."""
        found = self[row] if 0 <= row < self._n else _EMPTY
        return found if found.shape[0] else default


class SparseRows(Mapping[int, np.ndarray]):
    """The non-empty rows of a ragged table, read as a dict of row -> array."""

    def __init__(self, rows: Ragged) -> None:
        self.rows = rows

    def __getitem__(self, row: int) -> np.ndarray:
        found = self.rows.get(row)
        if found is None:
            raise KeyError(row)
        return found  # type: ignore[no-any-return]

    def get(self, row: int, default: Any = None) -> Any:
        return self.rows.get(row, default)

    def __contains__(self, row: object) -> bool:
        return isinstance(row, int) and self.rows.get(row) is not None

    def __iter__(self) -> Iterator[int]:
        return (i for i in range(len(self.rows)) if i in self.rows)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class FloatArray(Sequence[float]):
    """A float array read as Python floats (as the list of an index built in memory)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self.values[i].tolist()
        return float(self.values[i])


class Strings(Sequence[str]):
    """Interned strings: string -> our id (``find``) and our id -> string (``[]``)."""

    def __init__(self, trie: marisa_trie.Trie, to_ours: np.ndarray, to_trie: np.ndarray) -> None:
        self.trie = trie
        self.to_ours = to_ours  # trie id -> our id
        self.to_trie = to_trie  # our id -> trie id

    def __len__(self) -> int:
        return int(self.to_trie.shape[0])

    def __getitem__(self, ours: Any) -> Any:
        if isinstance(ours, slice):
            return [self[i] for i in range(*ours.indices(len(self)))]
        return str(self.trie.restore_key(int(self.to_trie[ours])))

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    def find(self, text: str) -> int:
        """Our id of ``text``, or -1."""
        tid = self.trie.get(text)
        return -1 if tid is None else int(self.to_ours[tid])

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and text in self.trie


class StringMap(Mapping[str, _V]):
    """A read-only mapping keyed by interned strings: ``value(our id)`` gives each value."""

    def __init__(self, strings: Strings, value: Callable[[int], _V | None]) -> None:
        self.strings = strings
        self._value = value

    def get(self, key: str, default: Any = None) -> Any:
        ours = self.strings.find(key)
        if ours < 0:
            return default
        found = self._value(ours)
        return default if found is None else found

    def __getitem__(self, key: str) -> _V:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.strings)

    def __len__(self) -> int:
        return len(self.strings)


class SortedView(Sequence[str]):
    """Strings in sorted order (for ``bisect`` and prefix walks), read through ``order``."""

    def __init__(self, strings: Strings, order: np.ndarray) -> None:
        self.strings = strings
        self.order = order  # rank -> our id

    def __len__(self) -> int:
        return int(self.order.shape[0])

    def __getitem__(self, rank: Any) -> Any:
        if isinstance(rank, slice):
            return [self.strings[int(i)] for i in self.order[rank]]
        return self.strings[int(self.order[rank])]


class Records(Sequence[_T]):
    """Pickled records in one blob, unpickled on access (the last ``cache`` kept).
    ``decode`` turns what was pickled back into the record (see ``PackWriter.records``)."""

    def __init__(self, offsets: np.ndarray, blob: np.ndarray, cache: int = 100_000,
                 decode: Callable[[Any], _T] | None = None) -> None:
        self.offsets = offsets
        self.blob = blob
        self._decode = decode
        self._n = offsets.shape[0] - 1
        self._cache: dict[int, _T] = {}
        self._cache_limit = cache

    def __len__(self) -> int:
        return self._n

    def load(self, i: int) -> _T:
        """Record ``i``, unpickled now (no cache)."""
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        found = pickle.loads(self.blob[start:end].tobytes())
        return found if self._decode is None else self._decode(found)  # type: ignore[no-any-return]

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        found = self._cache.get(i)
        if found is None:
            if not 0 <= i < self._n:
                raise IndexError(i)
            if len(self._cache) >= self._cache_limit:
                self._cache.clear()
            found = self._cache[i] = self.load(i)
        return found

    def __iter__(self) -> Iterator[_T]:
        """Every record in order, unpickled one by one (not cached: a full pass over a
        large index must not hold it all)."""
        for i in range(self._n):
            found = self._cache.get(i)
            yield found if found is not None else self.load(i)


class PackWriter:
    """Writes the files of one packed folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def array(self, name: str, values: Any, dtype: Any = None) -> None:
        np.save(self.folder / f"{name}.npy", np.asarray(values, dtype=dtype), allow_pickle=False)

    def ragged(self, name: str, rows: Iterable[Iterable[int]], dtype: Any = np.int32) -> None:
        offsets, values = ragged_arrays(rows, dtype)
        self.array(f"{name}.offsets", offsets)
        self.array(f"{name}.values", values)

    def strings(self, name: str, texts: Sequence[str]) -> None:
        """Interned strings, numbered in the order given (each string once)."""
        trie = marisa_trie.Trie(texts)
        to_trie = np.fromiter((trie[t] for t in texts), dtype=np.int32, count=len(texts))
        to_ours = np.empty(len(texts), dtype=np.int32)
        to_ours[to_trie] = np.arange(len(texts), dtype=np.int32)
        trie.save(str(self.folder / f"{name}.marisa"))
        self.array(f"{name}.to_ours", to_ours)
        self.array(f"{name}.to_trie", to_trie)

    def records(self, name: str, items: Iterable[Any], encode: Callable[[Any], Any] | None = None) -> None:
        """Records pickled one by one; ``encode`` gives what to pickle of each (a tuple of
        a slotted dataclass's fields pickles several times faster than the object)."""
        offsets = [0]
        dumps = pickle.dumps
        with (self.folder / f"{name}.blob").open("wb") as fh:
            for item in items:
                data = dumps(item if encode is None else encode(item), protocol=pickle.HIGHEST_PROTOCOL)
                fh.write(data)
                offsets.append(offsets[-1] + len(data))
        self.array(f"{name}.offsets", offsets, np.int64)


class PackReader:
    """Opens the files of one packed folder, memory-mapped."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def array(self, name: str) -> np.ndarray:
        # A plain ndarray over the mapped pages: np.memmap's own indexing is several
        # times slower, and look-ups index these arrays hundreds of times per query.
        return np.load(self.folder / f"{name}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)

    def ragged(self, name: str) -> Ragged:
        return Ragged(self.array(f"{name}.offsets"), self.array(f"{name}.values"))

    def strings(self, name: str) -> Strings:
        trie = marisa_trie.Trie()
        trie.mmap(str(self.folder / f"{name}.marisa"))
        return Strings(trie, self.array(f"{name}.to_ours"), self.array(f"{name}.to_trie"))

    def records(self, name: str, cache: int = 100_000, decode: Callable[[Any], Any] | None = None) -> Records[Any]:
        path = self.folder / f"{name}.blob"
        blob = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray) if path.stat().st_size \
            else np.zeros(0, dtype=np.uint8)
        return Records(self.array(f"{name}.offsets"), blob, cache, decode)
