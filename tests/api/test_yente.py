"""The yente-compatible routes against a live server loaded with real lists.

Request bodies are copied in shape from yente's documentation and its own tests
(``tests/unit/test_match.py``: the multi-query batch, the id pass-through, the missing and
the invalid schema; the OpenSanctions docs' ``{"queries": {"q1": {"schema": "Person",
"properties": {"name": [...], "birthDate": [...]}}}}``); responses are checked against the
shape of yente's models (``EntityMatchResponse``, ``SearchResponse``, ``EntityResponse``,
``DataCatalogModel``, ``AlgorithmResponse``).
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.live import SDN_0503_RECORDS, UN_ENTITIES, LiveServer

BOUT = "us_ofac_sdn-8279"  # BOUT, Viktor Anatolijevitch; born 1967-01-13 (or 1970-01-13)
QANNADI = "un_sc-110418"  # MOHAMMAD QANNADI, born 1952-10-13, Iranian

BOUT_EXAMPLE = {
    "schema": "Person",
    "properties": {
        "name": ["Viktor Anatolijevitch Bout"],
        "birthDate": ["1967-01-13"],
        "nationality": ["Russia"],
    },
}
QANNADI_EXAMPLE = {
    "schema": "Person",
    "properties": {"name": ["Mohammad Qannadi"], "birthDate": ["1952-10-13"], "country": "Iran"},
}


def check_entity(item: dict[str, Any]) -> None:
    """yente's EntityResponse: id, caption, schema, properties (lists of strings), datasets..."""
    assert isinstance(item["id"], str) and item["id"]
    assert isinstance(item["caption"], str) and item["caption"]
    assert item["schema"] in ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")
    assert isinstance(item["properties"], dict) and item["properties"]
    for prop, values in item["properties"].items():
        assert isinstance(prop, str)
        assert isinstance(values, list) and all(isinstance(v, str) for v in values)
    assert isinstance(item["datasets"], list) and item["datasets"]
    assert isinstance(item["referents"], list)
    assert isinstance(item["target"], bool)


def check_scored(item: dict[str, Any], threshold: float) -> None:
    check_entity(item)
    assert 0.0 <= item["score"] <= 1.0
    assert item["match"] is (item["score"] >= threshold)
    assert isinstance(item["features"], dict) and item["features"]
    assert all(isinstance(v, float) for v in item["features"].values())
    assert "explanation" in item


def check_match_response(data: dict[str, Any], names: list[str]) -> None:
    assert set(data["responses"]) == set(names)
    assert isinstance(data["limit"], int)
    assert isinstance(data["matcher"], dict) and data["matcher"]
    for doc in data["matcher"].values():
        assert {"description", "coefficient", "url"} <= set(doc)
    for name in names:
        res = data["responses"][name]
        assert res["status"] == 200
        assert res["total"]["relation"] == "eq"
        assert res["total"]["value"] == len(res["results"])
        assert {"schema", "properties"} <= set(res["query"])
        scores = [r["score"] for r in res["results"]]
        assert scores == sorted(scores, reverse=True)
        for item in res["results"]:
            check_scored(item, data["threshold"])


def test_healthz_needs_no_key_and_everything_else_does(server: LiveServer) -> None:
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    for method, path in [("GET", "/readyz"), ("GET", "/catalog"), ("GET", "/algorithms"),
                         ("GET", "/search/default?q=bout"), ("GET", f"/entities/{BOUT}"),
                         ("POST", "/match/default"), ("GET", "/lists"), ("GET", "/alerts"),
                         ("GET", "/openapi.json")]:
        resp = httpx.request(method, f"{server.url}{path}", json={"queries": {}} if method == "POST" else None)
        assert resp.status_code == 401, (path, resp.status_code, resp.text)
        assert resp.headers["www-authenticate"].startswith("ApiKey")
    bad = {"Authorization": "ApiKey tg_aaaaaaaaaaaa_" + "x" * 43}
    assert httpx.get(f"{server.url}/catalog", headers=bad).status_code == 401
    assert httpx.get(f"{server.url}/catalog", headers={"Authorization": "Basic abc"}).status_code == 401
    # yente's header form and the Bearer form both work
    assert httpx.get(f"{server.url}/catalog", headers=server.headers("screener", "ApiKey")).status_code == 200
    assert httpx.get(f"{server.url}/catalog", headers=server.headers("screener", "Bearer")).status_code == 200
    assert httpx.get(f"{server.url}/openapi.json", headers=server.headers()).json()["info"]["title"] == "tradeguard"


def test_match_docs_example(server: LiveServer) -> None:
    with server.client() as client:
        resp = client.post("/match/default", json={"queries": {"q1": BOUT_EXAMPLE}})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    check_match_response(data, ["q1"])
    res = data["responses"]["q1"]
    # yente cleans the query with FtM: "Russia" becomes "ru"
    assert res["query"]["schema"] == "Person"
    assert res["query"]["properties"]["nationality"] == ["ru"]
    assert res["query"]["properties"]["name"] == ["Viktor Anatolijevitch Bout"]
    top = res["results"][0]
    assert top["id"] == BOUT
    assert top["match"] is True
    assert top["caption"] == "BOUT, Viktor Anatolijevitch"
    assert top["datasets"] == ["us_ofac_sdn"]
    assert "1967-01-13" in top["properties"]["birthDate"]
    assert "sanction" in top["properties"]["topics"]
    assert resp.headers["x-batch-size"] == "1"
    # the versions screened against are named in the response
    assert {v["list"] for v in data["list_versions"]} == {"un_sc", "us_ofac_sdn"}


def test_match_batch_like_yente_test_match_putin(server: LiveServer) -> None:
    body = {"queries": {"vv": QANNADI_EXAMPLE, "xx": QANNADI_EXAMPLE, "zz": BOUT_EXAMPLE}}
    with server.client() as client:
        resp = client.post("/match/default", json=body)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    check_match_response(data, ["vv", "xx", "zz"])
    vv = data["responses"]["vv"]
    assert vv["query"]["properties"]["country"] == ["ir"]
    assert vv["total"]["value"] > 0
    assert vv["results"][0]["id"] == QANNADI
    assert [r["id"] for r in data["responses"]["xx"]["results"]] == [r["id"] for r in vv["results"]]
    assert data["responses"]["zz"]["results"][0]["id"] == BOUT
    assert resp.headers["x-batch-size"] == "3"


def test_match_id_pass_through_and_several_names(server: LiveServer) -> None:
    example = {
        "id": "customer-42",
        "schema": "Person",
        "properties": {"name": ["Mohammad Qannadi", "Mohammad Ghannadi"], "birthDate": "1952"},
    }
    with server.client() as client:
        resp = client.post("/match/default", json={"queries": {"no1": example}})
    assert resp.status_code == 200, resp.text
    res = resp.json()["responses"]["no1"]
    assert res["query"]["id"] == "customer-42"
    assert res["query"]["schema"] == "Person"
    assert res["query"]["properties"]["name"] == ["Mohammad Qannadi", "Mohammad Ghannadi"]
    ids = [r["id"] for r in res["results"]]
    assert ids[0] == QANNADI
    assert len(ids) == len(set(ids))  # one result per entity across the name variants


def test_match_first_and_last_name_like_the_quickstart(server: LiveServer) -> None:
    example = {"schema": "Person", "properties": {"firstName": ["Viktor"], "fatherName": ["Anatolijevitch"],
                                                  "lastName": ["Bout"], "birthDate": ["1967"]}}
    with server.client() as client:
        resp = client.post("/match/default", json={"queries": {"q": example}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["responses"]["q"]["results"][0]["id"] == BOUT


def test_match_errors_like_yente(server: LiveServer) -> None:
    with server.client() as client:
        missing = client.post("/match/default", json={"queries": {"fail": {"properties": {"name": "Banana"}}}})
        assert missing.status_code == 422, missing.text
        invalid = client.post("/match/default", json={"queries": {"fail": {"schema": "xxx", "properties": {"name": "Banana"}}}})
        assert invalid.status_code == 400, invalid.text
        assert "schema" in invalid.json()["detail"]
        nameless = client.post("/match/default", json={"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1970"]}}}})
        assert nameless.status_code == 400
        assert "no name" in nameless.json()["detail"]
        empty = client.post("/match/default", json={"queries": {}})
        assert empty.status_code == 422  # the published schema requires at least one query
        unknown = client.post("/match/no_such_list", json={"queries": {"q1": BOUT_EXAMPLE}})
        assert unknown.status_code == 404
        assert unknown.json() == {"detail": "No such dataset."}
        bad_algo = client.post("/match/default", params={"algorithm": "nope"}, json={"queries": {"q1": BOUT_EXAMPLE}})
        assert bad_algo.status_code == 400
        assert "algorithm" in bad_algo.json()["detail"].lower()
        bad_limit = client.post("/match/default", params={"limit": 0}, json={"queries": {"q1": BOUT_EXAMPLE}})
        assert bad_limit.status_code == 422


def test_match_params_and_datasets(server: LiveServer) -> None:
    with server.client() as client:
        one = client.post("/match/default", params={"limit": 1, "threshold": 0.5}, json={"queries": {"q": BOUT_EXAMPLE}}).json()
        assert one["limit"] == 1
        assert one["threshold"] == 0.5
        assert len(one["responses"]["q"]["results"]) == 1
        # a lower cutoff returns candidates below the threshold, flagged match=false
        loose = client.post("/match/default", params={"limit": 20, "threshold": 0.99, "cutoff": 0.3},
                            json={"queries": {"q": {"schema": "Person", "properties": {"name": ["Viktor Bout"]}}}}).json()
        results = loose["responses"]["q"]["results"]
        assert results, "a cutoff of 0.3 returns candidates"
        assert any(r["match"] is False for r in results)
        assert all(r["match"] is (r["score"] >= 0.99) for r in results)
        # yente algorithm names are accepted; the response says which engine scored
        for algo in ("best", "logic-v2"):
            resp = client.post("/match/default", params={"algorithm": algo}, json={"queries": {"q": BOUT_EXAMPLE}})
            assert resp.status_code == 200
            assert resp.json()["algorithm"] == "tradeguard-v1"
        # a list key is a dataset: only that list's entities come back
        un_only = client.post("/match/un_sc", params={"cutoff": 0.3, "limit": 20},
                              json={"queries": {"q": BOUT_EXAMPLE, "r": QANNADI_EXAMPLE}}).json()
        for res in un_only["responses"].values():
            assert all(r["datasets"] == ["un_sc"] for r in res["results"])
        assert un_only["responses"]["r"]["results"][0]["id"] == QANNADI
        assert [v["list"] for v in un_only["list_versions"]] == ["un_sc"]


def test_search(server: LiveServer) -> None:
    with server.client() as client:
        resp = client.get("/search/default", params={"q": "Viktor Bout"})
        assert resp.status_code == 200, resp.text
        data = resp.json()
        assert {"results", "facets", "total", "limit", "offset"} <= set(data)
        assert data["limit"] == 10 and data["offset"] == 0
        assert data["total"]["relation"] == "eq"
        assert BOUT in [r["id"] for r in data["results"]]
        for item in data["results"]:
            check_entity(item)
        for facet in data["facets"].values():
            assert {"label", "values"} <= set(facet)
        # an empty query lists the dataset's entities
        listing = client.get("/search/un_sc", params={"limit": 5, "offset": 10}).json()
        assert listing["total"]["value"] == UN_ENTITIES
        assert len(listing["results"]) == 5
        assert all(r["datasets"] == ["un_sc"] for r in listing["results"])
        everything = client.get("/search/default", params={"limit": 1}).json()
        assert everything["total"]["value"] == UN_ENTITIES + SDN_0503_RECORDS
        assert client.get("/search/nope", params={"q": "x"}).status_code == 404
        assert client.get("/search/default", params={"q": "x", "schema": "Banana"}).status_code == 400


def test_entities(server: LiveServer) -> None:
    with server.client() as client:
        resp = client.get(f"/entities/{BOUT}")
        assert resp.status_code == 200
        data = resp.json()
        check_entity(data)
        assert data["id"] == BOUT
        assert data["schema"] == "Person"
        assert set(data["properties"]["weakAlias"]) >= {"BONT", "BOUTOV"}
        un = client.get(f"/entities/{QANNADI}").json()
        assert un["caption"] == "MOHAMMAD QANNADI"
        assert un["properties"]["nationality"] == ["ir"]
        missing = client.get("/entities/us_ofac_sdn-999999999")
        assert missing.status_code == 404
        assert missing.json() == {"detail": "No such entity!"}


def test_catalog_and_algorithms(server: LiveServer) -> None:
    with server.client() as client:
        cat = client.get("/catalog").json()
        algos = client.get("/algorithms").json()
    names = [d["name"] for d in cat["datasets"]]
    assert names[0] == "default"
    assert set(names) == {"default", "un_sc", "us_ofac_sdn"}
    default = cat["datasets"][0]
    assert sorted(default["children"]) == ["un_sc", "us_ofac_sdn"]
    assert default["entity_count"] == UN_ENTITIES + SDN_0503_RECORDS
    sdn = next(d for d in cat["datasets"] if d["name"] == "us_ofac_sdn")
    assert sdn["entity_count"] == SDN_0503_RECORDS
    assert sdn["list_date"] == "2024-05-03"
    assert sdn["index_current"] is True
    for d in cat["datasets"]:
        assert {"name", "title", "load", "version", "children"} <= set(d)
    assert sorted(cat["current"]) == ["un_sc", "us_ofac_sdn"]
    assert cat["outdated"] == [] and cat["index_stale"] is False
    assert algos["default"] == algos["best"] == "tradeguard-v1"
    assert algos["algorithms"][0]["name"] == "tradeguard-v1"
    assert "logic-v2" in algos["algorithms"][0]["aliases"]
    assert algos["algorithms"][0]["features"]


def test_every_match_is_audited(server: LiveServer) -> None:
    with server.client() as client:
        client.post("/match/default", params={"threshold": 0.75, "limit": 3},
                    json={"queries": {"audit-probe": QANNADI_EXAMPLE}}).raise_for_status()
    with server.client("reviewer") as reviewer:
        entries = reviewer.get("/audit", params={"action": "match", "actor": server.key_ids["screener"], "limit": 50}).json()
    probe = [e for e in entries if "audit-probe" in e["payload"].get("queries", {})]
    assert len(probe) == 1
    payload = probe[0]["payload"]
    assert payload["threshold"] == 0.75
    assert payload["limit"] == 3
    assert payload["dataset"] == "default"
    assert payload["engine_version"]
    assert payload["algorithm"] == "tradeguard-v1"
    versions = {v["list"]: v for v in payload["list_versions"]}
    assert set(versions) == {"un_sc", "us_ofac_sdn"}
    assert versions["us_ofac_sdn"]["list_date"] == "2024-05-03"
    assert len(versions["us_ofac_sdn"]["sha256"]) == 64
    query = payload["queries"]["audit-probe"]
    assert query["query"]["properties"]["name"] == ["Mohammad Qannadi"]
    assert query["results"][0]["entity_id"] == QANNADI
    assert probe[0]["at"] and len(probe[0]["hash"]) == 64
