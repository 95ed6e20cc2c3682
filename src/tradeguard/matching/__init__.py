"""Matching engine: normalise, retrieve candidates from an index, score and explain.

Public API::

    from tradeguard.matching import Matcher, Query, Match, DEFAULT_THRESHOLD, compare, explain_text

See docs/matching.md for how it works, the calibration and the measured numbers.
"""

from tradeguard.matching.engine import DEFAULT_THRESHOLD, Match, Matcher, Query, compare
from tradeguard.matching.explain import explain_text

__all__ = ["DEFAULT_THRESHOLD", "Match", "Matcher", "Query", "compare", "explain_text"]
