"""Contract tests: schemathesis generates requests from the published OpenAPI document and
checks every response against it (status codes, content types, response schemas, no server
errors), on its own live server so that generated decisions and keys touch nothing else.
The number of examples per operation is bounded to keep the run short."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from tests.api.live import LiveServer, live_server

schemathesis = pytest.importorskip("schemathesis", reason="contract tests need schemathesis (the dev extras)")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import negative_data_rejection, positive_data_acceptance  # noqa: E402

MAX_EXAMPLES = 6
# "Schema-valid request rejected": a request can fit the JSON schema and still be refused
# with a documented 400, because some rules are not expressible there: a query entity needs
# a name among its free-form FtM properties, its schema must be an FtM schema name, a
# party's birth date must be a date. Every other check runs.
# With requests generated to break the schema, "schema-violating request accepted" is not
# checked either: the service ignores query parameters it does not know (as yente does) and
# a multipart file part cannot carry a typed null. Those requests must still never cause a
# server error, an undocumented status or content type, or a response off its schema.
EXCLUDED = {GenerationMode.POSITIVE: [positive_data_acceptance],
            GenerationMode.NEGATIVE: [positive_data_acceptance, negative_data_rejection]}


@pytest.fixture(scope="module")
def contract_server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(lists_dir, tmp_path_factory.mktemp("contract-server")) as srv:
        yield srv


def _runner(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> Any:
    """A hypothesis test of one operation in one generation mode."""
    excluded = EXCLUDED[mode]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True, database=None)
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, timeout=60, excluded_checks=excluded)

    return run


def test_api_contract(contract_server: LiveServer) -> None:
    """Every operation of the published document, up to MAX_EXAMPLES generated requests each
    that fit the schema and as many that break it, with schemathesis' checks (its pytest
    plugin does not run under pytest 9, so operations are driven through its Python API)."""
    api = schemathesis.openapi.from_url(f"{contract_server.url}/openapi.json", headers=contract_server.headers("admin"))
    headers = contract_server.headers("admin")
    failures: list[str] = []
    labels: list[str] = []
    for result in api.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid document fails here, loudly
        labels.append(operation.label)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _runner(operation, mode, headers)()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE, operation.label  # nothing to break (e.g. /healthz)
            except (Exception, BaseExceptionGroup) as exc:  # collect every failure, report them together
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert len(labels) >= 20, labels
    assert not failures, "\n\n".join(failures) + "\n\nserver log:\n" + contract_server.log_text()[-5000:]


def test_openapi_document(contract_server: LiveServer) -> None:
    import httpx

    doc = httpx.get(f"{contract_server.url}/openapi.json", headers=contract_server.headers()).json()
    paths = set(doc["paths"])
    for path in ("/match/{dataset}", "/search/{dataset}", "/entities/{entity_id}", "/catalog", "/algorithms",
                 "/healthz", "/readyz", "/screen", "/lists", "/lists/{list_key}/versions", "/lists/{list_key}/diff",
                 "/parties", "/parties/import", "/alerts", "/alerts/{alert_id}", "/alerts/{alert_id}/decision",
                 "/audit", "/audit/verify", "/keys"):
        assert path in paths, path
    assert not any(p.startswith("/ui") for p in paths)
    match_body = doc["paths"]["/match/{dataset}"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert match_body["$ref"].endswith("/EntityMatchQuery")
    params = {p["name"] for p in doc["paths"]["/match/{dataset}"]["post"]["parameters"]}
    assert {"dataset", "limit", "threshold", "algorithm"} <= params
