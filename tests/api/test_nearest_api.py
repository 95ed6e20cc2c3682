"""/search marks candidates below the threshold (one word of a longer listed name, e.g.
"Alabuga", finds OFAC's Alabuga companies, none a match), in fields a yente client ignores;
POST /match keeps yente's behaviour (nothing under its cutoff comes back)."""

from __future__ import annotations

from tests.api.live import LiveServer
from tests.api.test_yente import BOUT, check_entity
from tradeguard.matching import DEFAULT_THRESHOLD

WORD = "Alabuga"


def test_search_marks_candidates_below_the_threshold(server: LiveServer) -> None:
    with server.client() as client:
        resp = client.get("/search/default", params={"q": WORD})
        assert resp.status_code == 200, resp.text
        data = resp.json()
    assert {"results", "facets", "total", "limit", "offset"} <= set(data)
    assert data["threshold"] == DEFAULT_THRESHOLD
    assert data["below_threshold"] is True
    assert len(data["results"]) >= 3
    for item in data["results"]:
        check_entity(item)
        assert "ALABUGA" in item["caption"] and item["datasets"] == ["us_ofac_sdn"]
        assert item["score"] < DEFAULT_THRESHOLD
        assert item["match"] is False and item["below_threshold"] is True
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_that_matches_is_not_below_the_threshold(server: LiveServer) -> None:
    with server.client() as client:
        data = client.get("/search/default", params={"q": "Viktor Anatolijevitch Bout"}).json()
        listing = client.get("/search/un_sc", params={"limit": 3}).json()
    assert data["below_threshold"] is False
    top = data["results"][0]
    assert top["id"] == BOUT and top["match"] is True and top["below_threshold"] is False
    for item in data["results"]:
        assert item["below_threshold"] is (not item["match"]) is (item["score"] < DEFAULT_THRESHOLD)
    # a listing (no name) stays in yente's shape: no scores, no threshold
    assert "threshold" not in listing and "below_threshold" not in listing
    assert all("score" not in r and "match" not in r for r in listing["results"])


def test_match_route_returns_nothing_below_its_cutoff(server: LiveServer) -> None:
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": [WORD]}}}}
    with server.client() as client:
        resp = client.post("/match/default", json=body)
        assert resp.status_code == 200, resp.text
        data = resp.json()
    assert data["responses"]["q"]["results"] == []
    assert data["responses"]["q"]["total"]["value"] == 0
    assert "below_threshold" not in data and "below_threshold" not in data["responses"]["q"]
