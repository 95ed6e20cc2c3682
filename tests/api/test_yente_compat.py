"""tradeguard's yente-shaped answers validated by the released yente package's own models.

`make test` builds `.venv-compat` with `pip install -e '.[compat]'` (yente 5.5); yente's
pydantic models (``yente.data.common``) check, in that interpreter (the ``yente`` fixture),
every answer of a live tradeguard server on 127.0.0.1: a person with a birth date, a company
with a country, a vessel with an IMO number, a name that is not listed, and bad requests.
The query parameters yente takes are each shown to be honoured (the results change as they
should) or refused with a 400. The product never imports yente.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.live import LiveServer
from tests.compat import YenteModels

COMMON = "yente.data.common:"

BOUT = "us_ofac_sdn-8279"
KOMID_UN = "un_sc-690735"
ARTAVIL = "us_ofac_sdn-15036"  # vessel ARTAVIL, IMO 9187629, flag Iran

PERSON = {"schema": "Person", "properties": {"name": ["Viktor Anatolijevitch Bout"], "birthDate": ["1967-01-13"],
                                             "nationality": ["Russia"]}}
COMPANY = {"schema": "Company", "properties": {"name": ["Korea Mining Development Trading Corp"],
                                               "jurisdiction": ["North Korea"]}}
VESSEL = {"schema": "Vessel", "properties": {"name": ["Artavil"], "imoNumber": ["IMO 9187629"]}}
NOBODY = {"schema": "Person", "properties": {"name": ["Wilhelmina Featherstonehaugh-Quibble"], "birthDate": ["1989-02-03"]}}


def _match(client: httpx.Client, queries: dict[str, Any], **params: Any) -> httpx.Response:
    return client.post("/match/default", params=params, json={"queries": queries})


def _ids(response: dict[str, Any], name: str = "q") -> list[str]:
    return [r["id"] for r in response["responses"][name]["results"]]


def test_match_validates_with_yente_models(server: LiveServer, yente: YenteModels) -> None:
    with server.client() as client:
        resp = _match(client, {"person": PERSON, "company": COMPANY, "vessel": VESSEL, "nobody": NOBODY})
    assert resp.status_code == 200, resp.text
    responses = yente.check(COMMON + "EntityMatchResponse", resp.json())["responses"]
    assert responses["person"]["results"][0]["id"] == BOUT
    assert KOMID_UN in [r["id"] for r in responses["company"]["results"]]
    assert responses["vessel"]["results"][0]["id"] == ARTAVIL
    assert responses["nobody"]["results"] == []

    # explanations: per feature, score, a one-line detail, the query and candidate values
    bout = responses["person"]["results"][0]
    name = bout["explanations"]["name"]
    assert name["query"] == "Viktor Anatolijevitch Bout"
    assert name["candidate"] and "BOUT" in name["candidate"].upper()
    assert name["detail"] and "tokens:" in name["detail"]
    assert 0.9 <= name["score"] <= 1.0
    dob = bout["explanations"]["birth_date_exact"]
    assert dob["query"] == "1967-01-13" and "1967-01-13" in (dob["candidate"] or "")
    assert not any(k.startswith("country_") for k in bout["explanations"])  # OFAC's CSV gives no nationality
    vessel = responses["vessel"]["results"][0]
    assert vessel["explanations"]["identifier_match"]["candidate"] == "9187629"
    komid = next(r for r in responses["company"]["results"] if r["id"] == KOMID_UN)
    assert komid["explanations"]["country_agree"]["candidate"] == "kp"
    # the older `features` stay for older clients, with the same keys
    assert set(bout["features"]) - {"score"} == set(bout["explanations"])
    assert bout["explanation"]["name"]["matched"]  # tradeguard's own explanation beside them
    # a model that does not fit is rejected: the check can fail
    assert not yente.ask(COMMON + "EntityMatchResponse", {"responses": {"q": {"results": [{"id": "x"}]}}})["ok"]


def test_search_entity_catalog_and_algorithms_validate(server: LiveServer, yente: YenteModels) -> None:
    with server.client() as client:
        search = client.get("/search/default", params={"q": "Korea Mining Development"})
        listing = client.get("/search/un_sc", params={"limit": 5})
        entity = client.get(f"/entities/{BOUT}")
        catalog = client.get("/catalog")
        algorithms = client.get("/algorithms")
    for resp in (search, listing, entity, catalog, algorithms):
        assert resp.status_code == 200, resp.text
    found = yente.check(COMMON + "SearchResponse", search.json())
    assert KOMID_UN in [r["id"] for r in found["results"]]
    assert {"countries", "topics", "datasets"} <= set(found["facets"])
    page = yente.check(COMMON + "SearchResponse", listing.json())
    assert len(page["results"]) == 5 and page["total"]["value"] == 1011
    assert yente.check(COMMON + "EntityResponse", entity.json())["id"] == BOUT
    cat = yente.check(COMMON + "DataCatalogModel", catalog.json())
    assert {"default", "un_sc", "us_ofac_sdn"} <= {d["name"] for d in cat["datasets"]}
    algos = yente.check(COMMON + "AlgorithmResponse", algorithms.json())
    (algo,) = algos["algorithms"]
    assert algo["name"] == algos["default"] == "tradeguard-v1"
    assert "name" in algo["docs"]["features"] and algo["docs"]["config"] == {}


def test_errors_validate_with_yente_error_model(server: LiveServer, yente: YenteModels) -> None:
    with server.client() as client:
        bad_schema = _match(client, {"q": {"schema": "Banana", "properties": {"name": ["x"]}}})
        missing = client.get("/entities/us_ofac_sdn-0")
    assert bad_schema.status_code == 400 and missing.status_code == 404
    for resp in (bad_schema, missing):
        assert yente.check(COMMON + "ErrorResponse", resp.json())["detail"]


def test_match_dataset_schema_and_id_filters_are_honoured(server: LiveServer) -> None:
    komid = {"schema": "Organization", "properties": {"name": ["Korea Mining Development Trading Corporation"]}}
    with server.client() as client:
        everything = _match(client, {"q": komid}, limit=10).json()
        lists = {r["datasets"][0] for r in everything["responses"]["q"]["results"]}
        assert {"un_sc", "us_ofac_sdn"} <= lists, lists
        only_un = _match(client, {"q": komid}, include_dataset="un_sc").json()
        assert _ids(only_un) and all(i.startswith("un_sc-") for i in _ids(only_un))
        no_un = _match(client, {"q": komid}, exclude_dataset="un_sc").json()
        assert _ids(no_un) and not any(i.startswith("un_sc-") for i in _ids(no_un))
        without_komid = _match(client, {"q": komid}, exclude_entity_ids=KOMID_UN, limit=10).json()
        assert KOMID_UN not in _ids(without_komid)
        assert set(_ids(without_komid)) == set(_ids(everything)) - {KOMID_UN}
        no_orgs = _match(client, {"q": komid}, exclude_schema="Organization", limit=10).json()
        assert all(r["schema"] != "Organization" for r in no_orgs["responses"]["q"]["results"])
        sanctioned = _match(client, {"q": komid}, topics="sanction", limit=10).json()
        assert _ids(sanctioned) == _ids(everything)
        peps = _match(client, {"q": komid}, topics="role.pep").json()
        assert _ids(peps) == []
        # a filter that leaves the first page empty still finds what lies further down
        first = _ids(_match(client, {"q": komid}, limit=1).json())[0]
        next_one = _match(client, {"q": komid}, limit=1, exclude_entity_ids=first).json()
        assert _ids(next_one) and _ids(next_one)[0] != first


def test_match_refuses_what_it_cannot_honour(server: LiveServer) -> None:
    with server.client() as client:
        since = _match(client, {"q": PERSON}, changed_since="2024-01-01")
        weights = client.post("/match/default", json={"weights": {"name_literal_match": 0.5}, "queries": {"q": PERSON}})
        bad_schema = _match(client, {"q": PERSON}, exclude_schema="Banana")
    assert since.status_code == 400 and "changed_since" in since.json()["detail"]
    assert "does not support" in since.json()["detail"]
    assert weights.status_code == 400 and "weights" in weights.json()["detail"]
    assert bad_schema.status_code == 400 and "Banana" in bad_schema.json()["detail"]


def test_parameters_yente_does_not_know_are_refused_not_ignored(server: LiveServer) -> None:
    with server.client() as client:
        flat = client.get(f"/entities/{BOUT}", params={"nested": "false"})
        nested = client.get(f"/entities/{BOUT}", params={"nested": "true"})
        assert flat.status_code == nested.status_code == 200 and flat.json() == nested.json()
        unknown = _match(client, {"q": PERSON}, frobnicate="1")
        key_in_url = client.get("/search/default", params={"q": "bout", "api_key": server.keys["screener"]})
    for resp, name in ((unknown, "frobnicate"), (key_in_url, "api_key")):
        assert resp.status_code == 400, resp.text
        assert name in resp.json()["detail"] and "does not support" in resp.json()["detail"]


def test_search_filters_and_facets_are_honoured(server: LiveServer, yente: YenteModels) -> None:
    with server.client() as client:
        def search(**params: Any) -> dict[str, Any]:
            resp = client.get("/search/default", params=params)
            assert resp.status_code == 200, resp.text
            data: dict[str, Any] = yente.check(COMMON + "SearchResponse", resp.json())
            return data

        base = search(q="Korea Mining Development", limit=20)
        assert {r["datasets"][0] for r in base["results"]} >= {"un_sc", "us_ofac_sdn"}
        kp = search(q="Korea Mining Development", countries="kp", limit=20)
        assert kp["results"] and all("kp" in (r["properties"].get("country", []) + r["properties"].get("nationality", []))
                                     for r in kp["results"])
        un = search(q="Korea Mining Development", datasets="un_sc", limit=20)
        assert un["results"] and {r["datasets"][0] for r in un["results"]} == {"un_sc"}
        # facets count every result of the query, not the page
        assert sum(v["count"] for v in base["facets"]["datasets"]["values"]) == base["total"]["value"]
        paged = search(q="Korea Mining Development", limit=1)
        assert paged["facets"]["datasets"] == base["facets"]["datasets"]
        only_schema = search(q="Korea Mining Development", facets="schema")
        assert set(only_schema["facets"]) == {"schema"}
        assert search(q="Korea Mining Development", target="false")["results"] == []
        by_prop = search(q="Bout", filter="properties.birthDate:1967-01-13")
        assert [r["id"] for r in by_prop["results"]] == [BOUT]
        both = search(q="Korea Mining Development", datasets=["un_sc", "us_ofac_sdn"], filter_op="AND")
        assert both["results"] == []  # no entity is in both lists at once
        either = search(q="Korea Mining Development", datasets=["un_sc", "us_ofac_sdn"], filter_op="OR", limit=20)
        assert len(either["results"]) == len(base["results"])
        people = search(q="Korea Mining Development", schema="Person")
        assert all(r["schema"] == "Person" for r in people["results"])
        # an empty q lists entities; the filters apply to the listing too
        vessels = search(schema="Vessel", datasets="us_ofac_sdn", limit=3)
        assert vessels["total"]["value"] > 3 and all(r["schema"] == "Vessel" for r in vessels["results"])
        assert sum(v["count"] for v in vessels["facets"]["datasets"]["values"]) == vessels["total"]["value"]
        for fuzzy in ("true", "false"):  # the engine is always fuzzy; accepted either way
            assert search(q="Korea Minning Developmnt", fuzzy=fuzzy, simple="true")["results"]

        refused = {
            "sort": client.get("/search/default", params={"q": "bout", "sort": "caption:asc"}),
            "changed_since": client.get("/search/default", params={"q": "bout", "changed_since": "2024-01-01"}),
        }
        for name, resp in refused.items():
            assert resp.status_code == 400, (name, resp.text)
            assert name in resp.json()["detail"] and "does not support" in resp.json()["detail"]
        bad = {
            "facet": client.get("/search/default", params={"q": "bout", "facets": "colours"}),
            "filter": client.get("/search/default", params={"q": "bout", "filter": "nocolon"}),
            "field": client.get("/search/default", params={"q": "bout", "filter": "shoeSize:42"}),
            "op": client.get("/search/default", params={"q": "bout", "filter_op": "XOR"}),
        }
        for name, resp in bad.items():
            assert resp.status_code == 400, (name, resp.text)


def test_match_can_merge_the_listings_of_one_party(server: LiveServer, yente: YenteModels) -> None:
    # QASEM SOLEIMANI is listed by the UN (110408) and by OFAC (10481), linked by the
    # listing linker: by default two results, with merge=true one, naming both lists.
    soleimani = {"schema": "Person", "properties": {"name": ["Qasem Soleimani"]}}
    with server.client() as client:
        apart = _match(client, {"q": soleimani}).json()
        resp = _match(client, {"q": soleimani}, merge="true")
    assert {"un_sc-110408", "us_ofac_sdn-10481"} <= set(_ids(apart))
    assert resp.status_code == 200, resp.text
    merged = yente.check(COMMON + "EntityMatchResponse", resp.json())["responses"]["q"]["results"]
    top = merged[0]
    assert top["id"] in ("un_sc-110408", "us_ofac_sdn-10481")
    assert set(top["datasets"]) == {"un_sc", "us_ofac_sdn"}
    assert top["referents"] == [i for i in ("un_sc-110408", "us_ofac_sdn-10481") if i != top["id"]]
    assert top["party"]["regimes"] == ["UN", "US"]
    ids = [r["id"] for r in merged]
    assert not {"un_sc-110408", "us_ofac_sdn-10481"} <= set(ids)  # one result for the party
    assert len(ids) == len(set(ids))
