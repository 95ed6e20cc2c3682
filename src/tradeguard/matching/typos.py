"""Words two typos apart, found by deleting up to two letters from each (symmetric deletion).

Two words within two edits (a letter changed, added, dropped, or two swapped) share a form
with up to two letters deleted from each: Petroviya and Petrovich both give "petrovi".
The scorer pairs such words as a typo once they are long enough to hold two
(``score.TWO_TYPOS_MIN_LEN``); retrieval must reach them too, or it bounds a name holding
one too low and never scores it. The index keeps one-letter deletions as strings; the
two-letter ones of every long list word number about a million, so they are kept as
hashes in a sorted array, and a query word's own are hashed the same way and searched for.

The hash is a polynomial over the code points, modulo 2**64 (numpy's unsigned arithmetic
wraps), computed for every deletion of many words at once from prefix sums: the hash of a
word with letters deleted is the hashes of the parts between them, shifted and added. It
is the same in every process (a saved index holds the table); two forms that share a hash
by accident only bring a word the scorer then turns down.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from tradeguard.matching.score import TWO_TYPOS_MIN_LEN

SHORTEST = TWO_TYPOS_MIN_LEN - 2  # a shorter word is more than two edits from any long one
LONGEST = 64  # longer words (none in a name) are left out
_MODULUS = 1 << 64
_BASE = 0x9E3779B97F4A7C15  # odd, so that it has an inverse modulo 2**64
_POWERS = np.array([pow(_BASE, k, _MODULUS) for k in range(LONGEST + 1)], dtype=np.uint64)
_INVERSE_POWERS = np.array([pow(_BASE, -k, _MODULUS) for k in range(LONGEST + 1)], dtype=np.uint64)


@lru_cache(maxsize=LONGEST + 1)
def _plan(length: int) -> tuple[np.ndarray, ...]:
    """How to hash the deletions worth hashing in a word of ``length`` letters: none; one
    letter where the other word may be one letter shorter and hold two typos; two where
    this one may hold two. Each deletion leaves three parts, [0, i), (i, j) and
    (j, length) (i = j = length: nothing deleted; j = length: one letter); for each
    part, where it starts and ends and the power of BASE it is shifted by (the letters
    kept after it), as arrays over the deletions."""
    first = [length]
    second = [length]
    if length >= TWO_TYPOS_MIN_LEN - 1:
        first += range(length)
        second += [length] * length
    if length >= TWO_TYPOS_MIN_LEN:
        for at in range(length):
            first += [at] * (length - 1 - at)
            second += range(at + 1, length)
    i, j = np.array(first, dtype=np.int64), np.array(second, dtype=np.int64)
    kept = length - (i < length).astype(np.int64) - (j < length).astype(np.int64)
    middle_start = np.minimum(i + 1, length)
    end_start = np.minimum(j + 1, length)
    starts = [np.zeros_like(i), middle_start, end_start]
    ends = [i, np.maximum(j, middle_start), np.full_like(i, length)]
    shifts = [_POWERS[kept - i], _POWERS[length - end_start], _POWERS[np.zeros_like(i)]]
    factors = [_POWERS[np.maximum(end - 1, 0)] * shift for end, shift in zip(ends, shifts, strict=True)]
    return (*starts, *ends, *factors)


def _hashes_of(codes: np.ndarray) -> np.ndarray:
    """The hashes of the deletions (``_plan``) of words of one length, given as code
    points (one word a row): one row of hashes a word.

    With ``prefix[k]`` the sum of ``(c_t + 1) * BASE**-t`` for t < k, the part [a, b) of
    a word hashes to ``(prefix[b] - prefix[a]) * BASE**(b - 1)``, the polynomial of the
    part alone; shifted by the letters after it and added, the parts give the hash of the
    word they make."""
    count, length = codes.shape
    prefix = np.zeros((count, length + 1), dtype=np.uint64)
    np.cumsum((codes + np.uint64(1)) * _INVERSE_POWERS[:length], axis=1, out=prefix[:, 1:])
    s0, s1, s2, e0, e1, e2, f0, f1, f2 = _plan(length)
    return ((prefix[:, e0] - prefix[:, s0]) * f0 + (prefix[:, e1] - prefix[:, s1]) * f1
            + (prefix[:, e2] - prefix[:, s2]) * f2)


def _codes(words: list[str]) -> np.ndarray:
    """The code points of words of one length, one word a row."""
    return np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64).reshape(len(words), -1)


def deletion_hashes(word: str) -> np.ndarray:
    """The hashes of ``word`` with the letters deleted that may take it to a word two
    typos from it (none if it is too short or too long)."""
    if not SHORTEST <= len(word) <= LONGEST:
        return np.zeros(0, dtype=np.uint64)
    return _hashes_of(_codes([word]))[0]


def deletion_table(words: Iterable[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
    """For ``words`` (id, word): the hashes of their deletions (``deletion_hashes``),
    sorted, and the id each came from. Words of one length are hashed together."""
    by_length: dict[int, tuple[list[int], list[str]]] = {}
    for ident, word in words:
        if SHORTEST <= len(word) <= LONGEST:
            ids, texts = by_length.setdefault(len(word), ([], []))
            ids.append(ident)
            texts.append(word)
    hashes = [np.zeros(0, dtype=np.uint64)]
    owners = [np.zeros(0, dtype=np.int32)]
    for ids, texts in by_length.values():
        table = _hashes_of(_codes(texts))
        hashes.append(table.ravel())
        owners.append(np.repeat(np.asarray(ids, dtype=np.int32), table.shape[1]))
    flat = np.concatenate(hashes)
    order = np.argsort(flat, kind="stable")
    return flat[order], np.concatenate(owners)[order]


def reached(hashes: np.ndarray, owners: np.ndarray, wanted: np.ndarray) -> list[int]:
    """The ids (``owners``) of the table entries whose hash is one of ``wanted``."""
    starts = np.searchsorted(hashes, wanted, side="left")
    counts = np.searchsorted(hashes, wanted, side="right") - starts
    total = int(counts.sum())
    if not total:
        return []
    # The position of every match: each range's start, counted on from there.
    at = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
    return np.unique(owners[at]).tolist()  # type: ignore[no-any-return]


__all__ = ["SHORTEST", "deletion_hashes", "deletion_table", "reached"]
