"""yente's released models, run in their own interpreter (see yente_validator.py)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = Path(__file__).with_name("yente_validator.py")
PYTHON_ENV = "TRADEGUARD_YENTE_PYTHON"


def compat_python() -> Path:
    """The interpreter that has yente: $TRADEGUARD_YENTE_PYTHON, else .venv-compat's."""
    return Path(os.environ.get(PYTHON_ENV) or ROOT / ".venv-compat" / "bin" / "python")


class YenteModels:
    """A validator process in the compat interpreter: ``check(model, data)`` fails the test
    with pydantic's own message when yente's model rejects ``data``."""

    def __init__(self, python: Path) -> None:
        self.proc = subprocess.Popen([str(python), str(VALIDATOR)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def ask(self, model: str, data: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"model": model, "data": data}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the yente validator ({VALIDATOR}) exited with {self.proc.wait()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def check(self, model: str, data: Any) -> Any:
        """``data``, once yente's ``model`` (e.g. ``yente.data.common:SearchResponse``) accepts it."""
        answer = self.ask(model, data)
        assert answer["ok"], f"yente's {model} rejects tradeguard's answer:\n{answer['error']}"
        return data

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
