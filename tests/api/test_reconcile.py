"""The Reconciliation Service API (``/reconcile``, what OpenRefine speaks) on a live server.

Every answer is validated with yente's own models (``yente.data.freebase`` of the released
yente package, run in the compat interpreter by the ``yente`` fixture), so a yente or
OpenRefine client reads it unchanged; the values (ids, scores, URLs) are checked against the
real lists and against /match.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.api.live import LiveServer
from tests.compat import YenteModels

FREEBASE = "yente.data.freebase:"

BOUT = "us_ofac_sdn-8279"  # BOUT, Viktor Anatolijevitch; born 1967-01-13 (or 1970-01-13)
QANNADI = "un_sc-110418"  # MOHAMMAD QANNADI, born 1952-10-13, Iranian
ROSNEFT_TRADING = "us_ofac_sdn-18299"  # ROSNEFT TRADING S.A.
BANCO_CUBA = "us_ofac_sdn-306"  # BANCO NACIONAL DE CUBA
CUTOFF = 0.5  # the reconcile default (screening.SEARCH_CUTOFF), given explicitly to /match

BOUT_QUERY = {"query": "Viktor Anatolijevitch Bout", "type": "Person", "limit": 5,
              "properties": [{"pid": "Person:birthDate", "v": "1967-01-13"}, {"pid": "nationality", "v": "Russia"}]}
BOUT_EXAMPLE = {"schema": "Person", "properties": {"name": ["Viktor Anatolijevitch Bout"],
                                                   "birthDate": ["1967-01-13"], "nationality": ["Russia"]}}
QANNADI_QUERY = {"query": "Mohammad Qannadi", "type": "Person",
                 "properties": [{"pid": "birthDate", "v": "1952-10-13"}, {"pid": "Thing:country", "v": "Iran"}]}
QANNADI_EXAMPLE = {"schema": "Person", "properties": {"name": ["Mohammad Qannadi"], "birthDate": ["1952-10-13"],
                                                      "country": ["Iran"]}}
UNLISTED = {"query": "Xylophone Quartz Blanket", "type": "Person"}


def reconcile(client: httpx.Client, queries: dict[str, Any], path: str = "/reconcile/default",
              **params: Any) -> httpx.Response:
    return client.post(path, params=params, data={"queries": json.dumps(queries)})


def results(data: dict[str, Any], name: str) -> list[tuple[str, float, bool]]:
    return [(r["id"], r["score"], r["match"]) for r in data[name]["result"]]


def match_results(client: httpx.Client, example: dict[str, Any], **params: Any) -> list[tuple[str, float, bool]]:
    resp = client.post("/match/default", params=params, json={"queries": {"q": example}})
    assert resp.status_code == 200, resp.text
    return [(r["id"], r["score"], r["match"]) for r in resp.json()["responses"]["q"]["results"]]


def refused(resp: httpx.Response) -> None:
    """A request whose only key was ``?api_key=`` was not served."""
    assert resp.status_code in (400, 401), (resp.request.url.path, resp.status_code, resp.text)
    if resp.status_code == 400:
        assert "api_key" in resp.json()["detail"], resp.text


# --- manifest and keys ------------------------------------------------------------------


def test_manifest_with_header_key(server: LiveServer, yente: YenteModels) -> None:
    with server.client() as client:
        resp = client.get("/reconcile/default")
    assert resp.status_code == 200, resp.text
    data = resp.json()
    yente.check(FREEBASE + "FreebaseManifest", data)
    assert data["versions"] == ["0.2"]
    assert data["batchSize"] >= 1
    assert data["view"]["url"] == f"{server.url}/entities/{{{{id}}}}"
    assert data["preview"] == {"url": f"{server.url}/reconcile/default/preview?id={{{{id}}}}", "width": 430, "height": 300}
    for service in (*data["suggest"].values(), data["extend"]["propose_properties"]):
        assert service["service_url"] == f"{server.url}/reconcile/default"
        assert "api_key" not in service["service_path"]
    assert data["suggest"]["entity"]["service_path"] == "/suggest/entity"
    assert data["extend"]["propose_properties"]["service_path"] == "/extend/property"
    assert [s["name"] for s in data["extend"]["propose_settings"]] == ["limit", "render"]
    # the schemata the loaded lists (UN and OFAC SDN) hold, in tradeguard's order
    assert [t["id"] for t in data["defaultTypes"]] == ["Person", "Organization", "Vessel", "Airplane"]
    assert data["defaultTypes"][0]["name"] == "People"
    assert resp.headers["access-control-allow-origin"] == "*"


def test_manifest_with_query_key_passes_it_on(server: LiveServer, yente: YenteModels) -> None:
    key = server.keys["screener"]
    resp = httpx.get(f"{server.url}/reconcile", params={"api_key": key}, timeout=60)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    yente.check(FREEBASE + "FreebaseManifest", data)
    assert data["name"] == "tradeguard (every active list)"
    services = {**data["suggest"], "extend": data["extend"]["propose_properties"]}
    for service in services.values():
        assert service["service_url"] == f"{server.url}/reconcile"
        assert service["service_path"].endswith(f"?api_key={key}")
    preview = urlsplit(data["preview"]["url"])
    assert preview.path == "/reconcile/preview"
    assert parse_qs(preview.query) == {"id": ["{{id}}"], "api_key": [key]}
    # what OpenRefine then calls, with no header: the key in the URL is enough
    suggest = services["entity"]
    found = httpx.get(suggest["service_url"] + suggest["service_path"] + "&prefix=viktor%20bout", timeout=60)
    assert found.status_code == 200, found.text
    assert found.json()["result"][0]["id"] == BOUT
    card = httpx.get(data["preview"]["url"].replace("{{id}}", QANNADI), timeout=60)
    assert card.status_code == 200 and "MOHAMMAD QANNADI" in card.text
    # a list key is a dataset too
    one = httpx.get(f"{server.url}/reconcile/un_sc", params={"api_key": key}, timeout=60).json()
    assert one["suggest"]["type"]["service_url"] == f"{server.url}/reconcile/un_sc"
    assert [t["id"] for t in one["defaultTypes"]] == ["Person", "Organization"]


def test_keys_are_required_and_api_key_only_on_reconcile(server: LiveServer) -> None:
    key = server.keys["screener"]
    body = {"queries": json.dumps({"q": BOUT_QUERY})}
    for method, path in [("GET", "/reconcile"), ("GET", "/reconcile/default"), ("POST", "/reconcile/default"),
                         ("POST", "/reconcile"), ("GET", "/reconcile/default/suggest/entity?prefix=bout"),
                         ("GET", "/reconcile/default/suggest/type?prefix=p"),
                         ("GET", "/reconcile/default/suggest/property?prefix=b"),
                         ("GET", "/reconcile/default/extend/property?type=Person"),
                         ("GET", f"/reconcile/default/preview?id={BOUT}")]:
        resp = httpx.request(method, f"{server.url}{path}", data=body if method == "POST" else None, timeout=60)
        assert resp.status_code == 401, (path, resp.text)
        assert resp.headers["www-authenticate"].startswith("ApiKey")
        assert "api_key" in resp.json()["detail"]
        wrong = httpx.request(method, f"{server.url}{path}", params={"api_key": "tg_aaaaaaaaaaaa_" + "x" * 43},
                              data=body if method == "POST" else None, timeout=60)
        assert wrong.status_code == 401, (path, wrong.text)
    # no other route takes the key from the query string: refused (401 for the missing key,
    # or 400 where the yente routes refuse parameters they do not declare before the key check)
    match = httpx.post(f"{server.url}/match/default", params={"api_key": key},
                       json={"queries": {"q": BOUT_EXAMPLE}}, timeout=60)
    refused(match)
    for path in ("/search/default?q=bout", f"/entities/{BOUT}", "/catalog", "/lists", "/alerts"):
        refused(httpx.get(f"{server.url}{path}", params={"api_key": key}, timeout=60))
    # the query key works on POST too, and a valid header wins over a bad query key
    ok = httpx.post(f"{server.url}/reconcile/default", params={"api_key": key}, data=body, timeout=60)
    assert ok.status_code == 200, ok.text
    both = httpx.get(f"{server.url}/reconcile/default", params={"api_key": "nope"}, headers=server.headers(), timeout=60)
    assert both.status_code == 200, both.text


# --- reconciliation queries -------------------------------------------------------------


def test_reconcile_batch(server: LiveServer, yente: YenteModels) -> None:
    queries = {
        "q0": BOUT_QUERY,
        "q1": QANNADI_QUERY,
        "q2": {"query": "Rosneft Trading", "type": ["Company", "Organization"], "limit": 3},
        "q3": {"query": "Banco Nacional de Cuba", "type": "Company"},
        "q4": UNLISTED,
        "q5": {"query": "  "},  # an empty cell
    }
    with server.client() as client:
        resp = reconcile(client, queries)
    assert resp.status_code == 200, resp.text
    assert resp.headers["x-batch-size"] == "6"
    data = resp.json()
    assert list(data) == ["q0", "q1", "q2", "q3", "q4", "q5"]
    for name, res in data.items():
        yente.check(FREEBASE + "FreebaseEntityResult", res)
        assert len(res["result"]) <= queries[name].get("limit", 5)
        for item in res["result"]:
            assert item["match"] is (item["score"] >= 0.8)
            assert item["score"] >= CUTOFF
        assert [r["score"] for r in res["result"]] == sorted((r["score"] for r in res["result"]), reverse=True)
    bout = data["q0"]["result"][0]
    assert (bout["id"], bout["name"], bout["score"], bout["match"]) == (BOUT, "BOUT, Viktor Anatolijevitch", 1.0, True)
    assert bout["type"] == [{"id": "Person", "name": "People",
                             "description": "A natural person, as opposed to a corporation of some type."}]
    assert bout["description"] == "Person; us_ofac_sdn; born 1967-01-13, 1970-01-13"
    assert results(data, "q1")[0] == (QANNADI, 1.0, True)
    assert "Iran" in data["q1"]["result"][0]["description"]
    assert results(data, "q2")[0] == (ROSNEFT_TRADING, 1.0, True)
    assert data["q2"]["result"][0]["type"][0]["id"] == "Organization"
    assert results(data, "q3")[0] == (BANCO_CUBA, 1.0, True)
    assert data["q4"] == {"result": []}
    assert data["q5"] == {"result": []}


def test_reconcile_scores_are_match_scores(server: LiveServer) -> None:
    with server.client() as client:
        for query, example in ((BOUT_QUERY, BOUT_EXAMPLE), (QANNADI_QUERY, QANNADI_EXAMPLE),
                               ({"query": "Viktor Bout"}, {"schema": "Thing", "properties": {"name": ["Viktor Bout"]}})):
            ours = results(reconcile(client, {"q": query}).json(), "q")
            assert ours, query
            assert ours == match_results(client, example, limit=5, cutoff=CUTOFF)
            # threshold and cutoff work as on /match
            strict = results(reconcile(client, {"q": query}, threshold=0.99, cutoff=0.3).json(), "q")
            assert strict == match_results(client, example, limit=5, threshold=0.99, cutoff=0.3)
        # the per-query limit
        one = results(reconcile(client, {"q": {**QANNADI_QUERY, "limit": 1}}, cutoff=0.3).json(), "q")
        assert one == match_results(client, QANNADI_EXAMPLE, limit=1, cutoff=0.3)
        assert len(one) == 1
        # a list key as the dataset: only that list's entities
        un_only = results(reconcile(client, {"q": BOUT_QUERY}, path="/reconcile/un_sc", cutoff=0.3).json(), "q")
        assert all(entity_id.startswith("un_sc-") for entity_id, _s, _m in un_only)


def test_reconcile_type_list_and_unknown_properties(server: LiveServer) -> None:
    with server.client() as client:
        plain = results(reconcile(client, {"q": QANNADI_QUERY}).json(), "q")
        listed = results(reconcile(client, {"q": {**QANNADI_QUERY, "type": ["Person", "Organization"]}}).json(), "q")
        assert listed == plain  # of a list of types, the first counts (as in yente)
        noisy = {**QANNADI_QUERY, "properties": [*QANNADI_QUERY["properties"],
                                                 {"pid": "Person:shoeSize", "v": "44"},
                                                 {"pid": "favouriteColour", "v": "blue"},
                                                 {"pid": "Vessel:imoNumber", "v": "IMO 1234567"},
                                                 {"pid": "", "v": "x"}]}
        assert results(reconcile(client, {"q": noisy}).json(), "q") == plain
        # the date does count: a different one lowers the score
        other = {**QANNADI_QUERY, "properties": [{"pid": "Person:birthDate", "v": "1980-01-01"}]}
        later = results(reconcile(client, {"q": other}).json(), "q")
        assert later[0][0] == QANNADI and later[0][1] < plain[0][1]
        # values as OpenRefine may send them: lists, numbers, reconciled cells
        varied = {**QANNADI_QUERY, "properties": [{"pid": "Person:birthDate", "v": ["1952-10-13"]},
                                                  {"pid": "country", "v": {"id": "ir", "name": "Iran"}}]}
        assert results(reconcile(client, {"q": varied}).json(), "q") == plain
        # yente's algorithm names are accepted
        assert results(reconcile(client, {"q": QANNADI_QUERY}, algorithm="best").json(), "q") == plain


def test_reconcile_errors(server: LiveServer) -> None:
    with server.client() as client:
        bad_json = client.post("/reconcile/default", data={"queries": "{'q0': "})
        assert bad_json.status_code == 400
        assert "'queries' form field" in bad_json.json()["detail"] and "JSON" in bad_json.json()["detail"]
        not_object = client.post("/reconcile/default", data={"queries": "[1, 2]"})
        assert not_object.status_code == 400 and "'queries'" in not_object.json()["detail"]
        bad_limit = reconcile(client, {"q": {"query": "x", "limit": "many"}})
        assert bad_limit.status_code == 400 and "q.limit" in bad_limit.json()["detail"]
        too_many = reconcile(client, {f"q{i}": {"query": "Viktor Bout"} for i in range(101)})
        assert too_many.status_code == 400
        assert "Too many queries" in too_many.json()["detail"] and "100" in too_many.json()["detail"]
        assert reconcile(client, {f"q{i}": {"query": "Viktor Bout"} for i in range(100)}).status_code == 200
        bad_type = reconcile(client, {"q": {"query": "Viktor Bout", "type": "Banana"}})
        assert bad_type.status_code == 400 and "Banana" in bad_type.json()["detail"]
        nothing = client.post("/reconcile/default", data={})
        assert nothing.status_code == 400 and "'queries'" in nothing.json()["detail"]
        unknown = reconcile(client, {"q": BOUT_QUERY}, path="/reconcile/no_such_list")
        assert unknown.status_code == 404 and unknown.json() == {"detail": "No such dataset."}
        for path in ("/reconcile/no_such_list", "/reconcile/no_such_list/suggest/type?prefix=p",
                     "/reconcile/no_such_list/suggest/entity?prefix=bout",
                     "/reconcile/no_such_list/extend/property", f"/reconcile/no_such_list/preview?id={BOUT}"):
            resp = client.get(path)
            assert resp.status_code == 404 and resp.json() == {"detail": "No such dataset."}, path
        changed = reconcile(client, {"q": BOUT_QUERY}, changed_since="2024-01-01")
        assert changed.status_code == 400 and "changed_since" in changed.json()["detail"]
        algo = reconcile(client, {"q": BOUT_QUERY}, algorithm="nope")
        assert algo.status_code == 400 and "algorithm" in algo.json()["detail"].lower()
        bad_extend = client.post("/reconcile/default", data={"extend": "{nope"})
        assert bad_extend.status_code == 400 and "'extend' form field" in bad_extend.json()["detail"]
        no_ids = client.post("/reconcile/default", data={"extend": json.dumps({"properties": []})})
        assert no_ids.status_code == 400 and "ids" in no_ids.json()["detail"]


def test_every_reconcile_batch_is_audited(server: LiveServer) -> None:
    with server.client() as client:
        resp = reconcile(client, {"reconcile-audit-probe": {**QANNADI_QUERY, "limit": 2}, "reconcile-empty": {"query": ""}},
                         threshold=0.75)
        assert resp.status_code == 200, resp.text
    with server.client("reviewer") as reviewer:
        entries = reviewer.get("/audit", params={"action": "match", "actor": server.key_ids["screener"], "limit": 200}).json()
    probe = [e for e in entries if "reconcile-audit-probe" in e["payload"].get("queries", {})]
    assert len(probe) == 1
    payload = probe[0]["payload"]
    assert payload["endpoint"] == "/reconcile"
    assert payload["dataset"] == "default"
    assert payload["threshold"] == 0.75 and payload["cutoff"] == CUTOFF
    assert payload["algorithm"] == "tradeguard-v1" and payload["engine_version"]
    assert {v["list"] for v in payload["list_versions"]} == {"un_sc", "us_ofac_sdn"}
    query = payload["queries"]["reconcile-audit-probe"]
    assert query["query"]["properties"]["name"] == ["Mohammad Qannadi"]
    assert query["limit"] == 2 and len(query["results"]) <= 2
    assert query["results"][0]["entity_id"] == QANNADI and query["results"][0]["match"] is True
    assert payload["queries"]["reconcile-empty"]["results"] == []
    assert len(probe[0]["hash"]) == 64


# --- suggest, extend, preview -----------------------------------------------------------


def test_suggest_entity(server: LiveServer, yente: YenteModels) -> None:
    with server.client() as client:
        typed = client.get("/reconcile/default/suggest/entity", params={"prefix": "viktor bo"})
        assert typed.status_code == 200, typed.text
        data = typed.json()
        yente.check(FREEBASE + "FreebaseEntitySuggestResponse", data)
        assert data["prefix"] == "viktor bo" and data["code"] == "/api/status/ok"
        assert data["result"][0]["id"] == BOUT  # a name still being typed finds its entity
        assert data["result"][0]["type"][0]["id"] == "Person"
        assert 1 < len(data["result"]) <= 10
        partial = client.get("/reconcile/suggest/entity", params={"prefix": "Qannad", "limit": 3}).json()
        yente.check(FREEBASE + "FreebaseEntitySuggestResponse", partial)
        assert partial["result"][0]["id"] == QANNADI and len(partial["result"]) <= 3
        whole = client.get("/reconcile/default/suggest/entity", params={"prefix": "Banco Nacional de Cuba"}).json()
        assert whole["result"][0]["id"] == BANCO_CUBA
        un_only = client.get("/reconcile/un_sc/suggest/entity", params={"prefix": "viktor bo"}).json()
        assert all(r["id"].startswith("un_sc-") for r in un_only["result"])
        assert client.get("/reconcile/default/suggest/entity", params={"prefix": ""}).json()["result"] == []


def test_suggest_type_and_property(server: LiveServer, yente: YenteModels) -> None:
    with server.client() as client:
        types = client.get("/reconcile/default/suggest/type", params={"prefix": "pe"}).json()
        yente.check(FREEBASE + "FreebaseTypeSuggestResponse", types)
        assert [t["id"] for t in types["result"]] == ["Person"]
        assert [t["id"] for t in client.get("/reconcile/suggest/type", params={"prefix": "V"}).json()["result"]] == ["Vessel"]
        assert client.get("/reconcile/default/suggest/type", params={"prefix": ""}).json()["result"] == []
        assert client.get("/reconcile/default/suggest/type", params={"prefix": "company"}).json()["result"] == []
        props = client.get("/reconcile/default/suggest/property", params={"prefix": "birth"}).json()
        yente.check(FREEBASE + "FreebasePropertySuggestResponse", props)
        ids = [p["id"] for p in props["result"]]
        assert "Person:birthDate" in ids
        assert all(":" in i for i in ids)  # qualified names, as OpenRefine sends them back as pid
        names = client.get("/reconcile/suggest/property", params={"prefix": "name"}).json()
        assert "Thing:name" in [p["id"] for p in names["result"]]
        imo = client.get("/reconcile/default/suggest/property", params={"prefix": "imo"}).json()
        assert "Vessel:imoNumber" in [p["id"] for p in imo["result"]]
        # a suggested pid works in a query
        q = {**QANNADI_QUERY, "properties": [{"pid": "Person:birthDate", "v": "1952-10-13"}, {"pid": "Thing:country", "v": "Iran"}]}
        assert results(reconcile(client, {"q": q}).json(), "q") == results(reconcile(client, {"q": QANNADI_QUERY}).json(), "q")


def test_extend(server: LiveServer, yente: YenteModels) -> None:
    extend = {"ids": [BOUT, QANNADI, "us_ofac_sdn-999999999"],
              "properties": [{"id": "birthDate"}, {"id": "nationality"},
                             {"id": "Person:nationality", "settings": {"render": "raw"}},
                             {"id": "weakAlias", "settings": {"limit": 2}}, {"id": "noSuchProperty"}]}
    with server.client() as client:
        resp = client.post("/reconcile/default", data={"extend": json.dumps(extend)})
        assert resp.status_code == 200, resp.text
        assert resp.headers["x-batch-size"] == "3"
        data = resp.json()
        yente.check(FREEBASE + "FreebaseExtendResponse", data)
        assert data["meta"] == [{"id": "birthDate", "name": "Birth date"}, {"id": "nationality", "name": "Nationality"},
                                {"id": "Person:nationality", "name": "Nationality"}, {"id": "weakAlias", "name": "Weak alias"},
                                {"id": "noSuchProperty", "name": "noSuchProperty"}]
        bout = data["rows"][BOUT]
        assert bout["birthDate"] == [{"str": "1967-01-13"}, {"str": "1970-01-13"}]
        assert len(bout["weakAlias"]) == 2
        assert bout["noSuchProperty"] == []
        qannadi = data["rows"][QANNADI]
        assert qannadi["birthDate"] == [{"str": "1952-10-13"}]
        assert qannadi["nationality"] == [{"str": "Iran"}]  # rendered as a caption
        assert qannadi["Person:nationality"] == [{"str": "ir"}]  # raw
        assert data["rows"]["us_ofac_sdn-999999999"] == {}
        # under a list key, entities of other lists are not found
        un_only = client.post("/reconcile/un_sc", data={"extend": json.dumps(extend)}).json()
        assert un_only["rows"][BOUT] == {} and un_only["rows"][QANNADI]["birthDate"] == [{"str": "1952-10-13"}]

        proposed = client.get("/reconcile/default/extend/property", params={"type": "Person"}).json()
        yente.check(FREEBASE + "FreebaseExtendPropertiesResponse", proposed)
        assert proposed["type"] == "Person" and proposed["limit"] == 0
        ids = [p["id"] for p in proposed["properties"]]
        assert ids[:3] == ["name", "nationality", "birthDate"]  # FtM's featured properties first
        assert {"alias", "passportNumber", "programId", "birthPlace"} <= set(ids)
        assert "religion" not in ids  # tradeguard never fills it
        three = client.get("/reconcile/extend/property", params={"type": "Vessel", "limit": 3}).json()
        yente.check(FREEBASE + "FreebaseExtendPropertiesResponse", three)
        assert [p["id"] for p in three["properties"]] == ["name", "imoNumber", "address"]  # no flag: never filled
        bad = client.get("/reconcile/default/extend/property", params={"type": "Banana"})
        assert bad.status_code == 400 and "Banana" in bad.json()["detail"]


def test_preview(server: LiveServer) -> None:
    key = server.keys["screener"]
    card = httpx.get(f"{server.url}/reconcile/default/preview", params={"id": BOUT, "api_key": key}, timeout=60)
    assert card.status_code == 200, card.text
    assert card.headers["content-type"].startswith("text/html")
    assert card.headers["cache-control"] == "no-store"
    html = card.text
    assert "<h1>BOUT, Viktor Anatolijevitch</h1>" in html
    assert "us_ofac_sdn-8279" in html and "us_ofac_sdn" in html and "Person" in html
    assert "1967-01-13" in html and "DRCONGO" in html
    un = httpx.get(f"{server.url}/reconcile/preview", params={"id": QANNADI, "api_key": key}, timeout=60).text
    assert "MOHAMMAD QANNADI" in un and "1952-10-13" in un and "Iran" in un
    with server.client() as client:
        assert client.get("/reconcile/default/preview", params={"id": BOUT}).status_code == 200
        missing = client.get("/reconcile/default/preview", params={"id": "us_ofac_sdn-999999999"})
        assert missing.status_code == 404 and missing.json() == {"detail": "No such entity!"}
        assert client.get("/reconcile/un_sc/preview", params={"id": BOUT}).status_code == 404
        assert client.get("/reconcile/default/preview", params={"id": "<script>alert(1)</script>"}).status_code == 404


def test_preview_escapes_everything() -> None:
    from tradeguard.model import Entity, Name
    from tradeguard.service.routes_reconcile import _CARD, _card_rows
    from tradeguard.service.screening import entity_dict

    entity = Entity(list="x", source_id="1", schema="Person", names=[Name("<script>alert(1)</script>", "primary")],
                    remarks=['"><img src=x onerror=alert(1)>'])
    html = _CARD.render(caption=entity.caption, kind="Person", datasets="x", id=entity.entity_id,
                        rows=_card_rows(entity, entity_dict(entity)))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
