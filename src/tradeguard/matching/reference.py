"""The matching code's reference data: the YAML files in ``matching/data/``."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

# libyaml's parser where PyYAML was built with it (ten times faster on these files, which
# the first query of every process reads).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_reference(name: str) -> Any:
    """The parsed content of ``matching/data/<name>``."""
    text = resources.files("tradeguard.matching").joinpath("data", name).read_text("utf-8")
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
