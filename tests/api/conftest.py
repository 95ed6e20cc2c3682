"""One live server (real uvicorn, real SQLite store, real lists) for the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.live import LiveServer, live_server
from tests.compat import PYTHON_ENV, YenteModels, compat_python


@pytest.fixture(scope="session")
def server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(lists_dir, tmp_path_factory.mktemp("api-server")) as srv:
        yield srv


@pytest.fixture(scope="session")
def yente() -> Iterator[YenteModels]:
    """yente 5.5's own models (in the compat interpreter, which `make test` builds)."""
    python = compat_python()
    if not python.is_file():
        pytest.skip(f"no compat interpreter at {python}: `make test` builds it (pip install -e '.[compat]' "
                    f"in .venv-compat), or set {PYTHON_ENV}")
    models = YenteModels(python)
    probe = models.ask("yente.data.common:StatusResponse", {"status": "ok"})
    if not probe["ok"]:
        models.close()
        pytest.skip(f"{python} cannot load yente's models: {probe['error']}")
    yield models
    models.close()
