"""The hashes of a word's deletions (matching.typos) are those of the words they make."""

from __future__ import annotations

import random

import numpy as np
import pytest

from tradeguard.matching import typos
from tradeguard.matching.score import TWO_TYPOS_MIN_LEN

_MODULUS = 1 << 64


def _polynomial(word: str) -> int:
    """The hash written out: a polynomial of the code points (each plus one), modulo 2**64."""
    value = 0
    for ch in word:
        value = (value * typos._BASE + ord(ch) + 1) % _MODULUS
    return value


def _deleted(word: str) -> list[str]:
    """The deletions worth hashing, as strings: the word; one letter deleted from a word one
    letter short of holding two typos; two from a word that may hold two."""
    n = len(word)
    out = [word]
    if n >= TWO_TYPOS_MIN_LEN - 1:
        out += [word[:i] + word[i + 1:] for i in range(n)]
    if n >= TWO_TYPOS_MIN_LEN:
        out += [word[:i] + word[i + 1:j] + word[j + 1:] for i in range(n) for j in range(i + 1, n)]
    return out


@pytest.mark.parametrize("length", range(typos.SHORTEST, 24))
def test_deletion_hashes_are_the_hashes_of_the_deleted_words(length: int) -> None:
    rng = random.Random(length)
    word = "".join(rng.choice("abcdeéжح") for _ in range(length))
    assert typos.deletion_hashes(word).tolist() == [_polynomial(w) for w in _deleted(word)]


def test_a_word_too_short_or_too_long_has_none() -> None:
    assert typos.deletion_hashes("a" * (typos.SHORTEST - 1)).shape == (0,)
    assert typos.deletion_hashes("a" * (typos.LONGEST + 1)).shape == (0,)


def test_the_table_finds_each_word_by_any_of_its_deletions() -> None:
    rng = random.Random(3)
    words = ["".join(rng.choice("abcd") for _ in range(rng.randint(5, 12))) for _ in range(80)]
    hashes, owners = typos.deletion_table(enumerate(words))
    assert np.all(hashes[:-1] <= hashes[1:])  # sorted, for the search
    for k, word in enumerate(words):
        for form in _deleted(word) if len(word) >= typos.SHORTEST else []:
            assert k in typos.reached(hashes, owners, np.array([_polynomial(form)], dtype=np.uint64))
    assert typos.reached(hashes, owners, np.array([_polynomial("zzzzzzzz")], dtype=np.uint64)) == []
