"""The index's array helpers give exactly what the numpy functions they replace give."""

from __future__ import annotations

import numpy as np
import pytest

from tradeguard.matching.index import _members, _sum_by_id


@pytest.mark.parametrize("seed", range(20))
def test_sums_per_name_equal_unique_and_bincount_to_the_last_bit(seed: int) -> None:
    """A query's postings summed per name: the same ids, positions and sums as
    ``np.unique(return_inverse=True)`` with ``np.bincount`` (float sums in another order
    would differ in their last bits, and a bound at the threshold could flip)."""
    rng = np.random.default_rng(seed)
    flat = rng.integers(0, int(rng.integers(1, 400)), int(rng.integers(1, 4000))).astype(np.int32)
    vals = rng.random(flat.shape[0]) * rng.choice([1.0, 0.9, 0.55, 0.3])
    ids, sums, inverse = _sum_by_id(flat, vals)
    expected_ids, expected_inverse = np.unique(flat, return_inverse=True)
    assert np.array_equal(ids, expected_ids)
    assert np.array_equal(inverse, expected_inverse)
    assert np.array_equal(sums, np.bincount(expected_inverse, weights=vals))
    assert sums.dtype == np.float64


def test_sums_of_no_postings() -> None:
    ids, sums, inverse = _sum_by_id(np.zeros(0, dtype=np.int32), np.zeros(0))
    assert ids.shape == sums.shape == inverse.shape == (0,)
    assert sums.dtype == np.float64  # (bincount of nothing is int: the bounds need floats)


@pytest.mark.parametrize("seed", range(10))
def test_members_equal_isin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ids = np.unique(rng.integers(0, 500, 300))
    found = rng.integers(0, 500, int(rng.integers(0, 200)))
    assert np.array_equal(_members(ids, found), np.isin(ids, found))
