"""Validate JSON documents with the released yente package's own pydantic models.

Runs in the compat interpreter (`.venv-compat`, built by `make test` with
`pip install -e '.[compat]'`), not in the tests' interpreter: yente pins exact, older
versions of followthemoney, rigour and nomenklatura, and tradeguard must be tested with the
versions its users get. Reads one request per line on stdin,
``{"model": "yente.data.common:EntityMatchResponse", "data": {...}}``, and answers one line
on stdout, ``{"ok": true}`` or ``{"ok": false, "error": "..."}``. Standard library and
yente only.
"""

from __future__ import annotations

import importlib
import json
import sys


def validate(model_path: str, data: object) -> dict[str, object]:
    module_name, _, name = model_path.partition(":")
    try:
        model = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        return {"ok": False, "error": f"cannot load {model_path}: {exc}", "missing": True}
    try:
        model.model_validate(data)
    except Exception as exc:  # pydantic's ValidationError, with every failing field
        return {"ok": False, "error": str(exc)}
    return {"ok": True}


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            sys.stdout.write(json.dumps(validate(request["model"], request["data"])) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
