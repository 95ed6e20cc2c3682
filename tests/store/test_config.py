"""Settings from the config file: guards and the four-eyes rule, with the environment on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeguard.config import ConfigError, load_config
from tradeguard.store.alerts import four_eyes_default


def test_defaults_ship_with_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TRADEGUARD_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert (config.max_age_days, config.max_drop_share, config.four_eyes) == (7, 0.2, False)
    assert {s.list_key for s in config.sources} >= {"us_ofac_sdn", "un_sc", "eu_fsf", "gb_hmt"}


def test_four_eyes_from_config_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "tradeguard.yml"
    path.write_text("four_eyes: true\nsources: []\n", encoding="utf-8")
    monkeypatch.setenv("TRADEGUARD_CONFIG", str(path))
    monkeypatch.delenv("TRADEGUARD_FOUR_EYES", raising=False)
    assert four_eyes_default() is True
    monkeypatch.setenv("TRADEGUARD_FOUR_EYES", "0")
    assert four_eyes_default() is False


def test_bad_config_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("max_age_days: [not, a, number]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path)):
        load_config(path)
