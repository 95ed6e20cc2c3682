"""The nearest candidates below the threshold, through `Screener.match_or_nearest` and
`tradeguard match`: one word of a longer listed name ("Alabuga": OFAC lists a dozen Alabuga
companies, each scoring under 0.80 on that word alone) shows what is listed, marked as below
the threshold; a name that does reach the threshold shows no such candidates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tradeguard.matching import DEFAULT_THRESHOLD, Query
from tradeguard.screening.parties import NEAREST_FLOOR, NEAREST_LIMIT, Screener

WORD = "Alabuga"
FULL_NAME = "ALABUGA DEVELOPMENT OOO"  # us_ofac_sdn 45714


@pytest.fixture(scope="module")
def screener(store: Path) -> Screener:
    return Screener(f"sqlite:///{store}")


def test_library_gives_nearest_candidates_when_nothing_matches(screener: Screener) -> None:
    assert screener.match_query(Query(WORD)) == []  # the premise: no match at the threshold
    result = screener.match_or_nearest(Query(WORD))
    assert result.matches == []
    assert result.threshold == DEFAULT_THRESHOLD
    assert 3 <= len(result.below_threshold) <= NEAREST_LIMIT
    scores = [m.score for m in result.below_threshold]
    assert scores == sorted(scores, reverse=True)
    assert all(NEAREST_FLOOR <= s < DEFAULT_THRESHOLD for s in scores)
    assert all("ALABUGA" in m.entity.caption and m.entity.list == "us_ofac_sdn" for m in result.below_threshold)
    data = result.to_dict()
    assert data["matches"] == []
    assert [d["entity_id"] for d in data["below_threshold"]] == [m.entity.entity_id for m in result.below_threshold]
    assert all(d["below_threshold"] is True for d in data["below_threshold"])

    assert len(screener.match_or_nearest(Query(WORD), nearest=2).below_threshold) == 2
    assert screener.match_or_nearest(Query(WORD), nearest=0).below_threshold == []
    # at or under the floor there is nothing "below the threshold" to add
    low = screener.match_or_nearest(Query(WORD), threshold=NEAREST_FLOOR)
    assert low.matches and low.below_threshold == []


def test_library_gives_no_nearest_candidates_when_something_matches(screener: Screener) -> None:
    result = screener.match_or_nearest(Query(FULL_NAME))
    assert result.matches[0].entity.entity_id == "us_ofac_sdn-45714"
    assert result.matches == screener.match_query(Query(FULL_NAME))
    assert result.below_threshold == []
    assert "below_threshold" not in result.to_dict()["matches"][0]


def test_cli_match_shows_nearest_candidates_below_the_threshold(store: Path) -> None:
    text = run_cli("match", WORD, db=store).stdout
    assert f"no match for '{WORD}' at threshold 0.80" in text
    assert "BELOW the threshold 0.80 (not matches)" in text
    assert "ALABUGA DEVELOPMENT" in text and "us_ofac_sdn" in text

    data = json.loads(run_cli("match", WORD, "--json", db=store).stdout)
    assert data["matches"] == []
    assert data["threshold"] == DEFAULT_THRESHOLD
    below = data["below_threshold"]
    assert 3 <= len(below) <= NEAREST_LIMIT
    for item in below:
        assert item["below_threshold"] is True
        assert NEAREST_FLOOR <= item["score"] < DEFAULT_THRESHOLD
        assert "ALABUGA" in item["name"] and item["list"] == "us_ofac_sdn"
        assert item["explanation"]

    off = run_cli("match", WORD, "--nearest", "0", db=store).stdout
    assert f"no match for '{WORD}' at threshold 0.80" in off
    assert "BELOW" not in off and "ALABUGA" not in off


def test_cli_match_over_the_threshold_shows_no_nearest_candidates(store: Path) -> None:
    text = run_cli("match", FULL_NAME, db=store).stdout
    assert "no match" not in text and "BELOW" not in text
    assert "45714" in text
    data = json.loads(run_cli("match", FULL_NAME, "--json", db=store).stdout)
    assert data["matches"][0]["entity_id"] == "us_ofac_sdn-45714"
    assert all("below_threshold" not in m for m in data["matches"])
    assert data["below_threshold"] == []
