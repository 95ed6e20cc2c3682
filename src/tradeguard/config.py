"""User configuration: list sources and guard settings, from YAML.

Looked up in order: an explicit path, ``$TRADEGUARD_CONFIG``, ``./tradeguard.yml``, then the
defaults shipped in ``tradeguard/data/sources.yml``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

CONFIG_ENV = "TRADEGUARD_CONFIG"
LOCAL_CONFIG = Path("tradeguard.yml")


class ConfigError(Exception):
    pass


@dataclass
class SourceFile:
    name: str
    url: str


@dataclass
class SourceConfig:
    list_key: str
    files: list[SourceFile]
    load: str


@dataclass
class Config:
    path: str
    max_age_days: int = 7
    max_drop_share: float = 0.2
    four_eyes: bool = False
    sources: list[SourceConfig] = field(default_factory=list)


def config_path(explicit: str | Path | None = None) -> Path | None:
    if explicit:
        return Path(explicit)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    if LOCAL_CONFIG.is_file():
        return LOCAL_CONFIG
    return None


def _parse(text: str, origin: str) -> Config:
    try:
        data: Any = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping at the top level")
    sources = []
    for i, item in enumerate(data.get("sources") or [], start=1):
        try:
            files = [SourceFile(name=str(f["name"]), url=str(f["url"])) for f in item["files"]]
            sources.append(SourceConfig(list_key=str(item["list"]), files=files, load=str(item["load"])))
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"{origin}: source #{i} needs 'list', 'files' (name, url) and 'load': {exc}") from exc
        if sources[-1].load not in {f.name for f in files}:
            raise ConfigError(f"{origin}: source #{i} ({item['list']}): 'load' must name one of its files")
    try:
        return Config(
            path=origin,
            max_age_days=int(data.get("max_age_days", 7)),
            max_drop_share=float(data.get("max_drop_share", 0.2)),
            four_eyes=bool(data.get("four_eyes", False)),
            sources=sources,
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: max_age_days / max_drop_share must be numbers: {exc}") from exc


def load_config(explicit: str | Path | None = None) -> Config:
    path = config_path(explicit)
    if path is not None:
        try:
            return _parse(path.read_text(encoding="utf-8"), str(path))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from exc
    default = resources.files("tradeguard").joinpath("data/sources.yml")
    return _parse(default.read_text(encoding="utf-8"), "tradeguard/data/sources.yml (defaults)")
