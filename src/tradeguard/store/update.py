"""`lists update`: download every configured official source, validate it, load it.

Each source's files are downloaded into a fresh temporary folder (so a multi-file set such
as OFAC's sdn/alt/add CSVs is read together) and loaded through the same guarded,
atomic path as a local file. A failed or empty download leaves the active version alone.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import Engine

from tradeguard.config import Config, SourceConfig
from tradeguard.sources import SourceError
from tradeguard.store.lists import LoadRefused, LoadResult, load_file

TIMEOUT = httpx.Timeout(60.0, connect=15.0)


@dataclass
class UpdateOutcome:
    list_key: str
    ok: bool
    message: str
    result: LoadResult | None = None


def download(url: str, target: Path, client: httpx.Client) -> None:
    """Stream ``url`` to ``target``; raise SourceError on HTTP errors."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise SourceError(url, None, f"download failed: HTTP {response.status_code}")
            with open(target, "wb") as fh:
                for chunk in response.iter_bytes(1 << 16):
                    fh.write(chunk)
    except httpx.HTTPError as exc:
        raise SourceError(url, None, f"download failed: {exc}") from exc


def update_source(engine: Engine, source: SourceConfig, config: Config, client: httpx.Client, force: bool = False) -> UpdateOutcome:
    with tempfile.TemporaryDirectory(prefix=f"tradeguard-{source.list_key}-") as tmp:
        folder = Path(tmp)
        try:
            for item in source.files:
                download(item.url, folder / item.name, client)
            main = next(f for f in source.files if f.name == source.load)
            result = load_file(
                engine,
                folder / source.load,
                force=force,
                max_drop_share=config.max_drop_share,
                source_label=main.url,
            )
        except (SourceError, LoadRefused) as exc:
            return UpdateOutcome(source.list_key, False, str(exc))
    if result.version.list_key != source.list_key:
        return UpdateOutcome(
            source.list_key,
            True,
            f"{result.message} (note: configured as {source.list_key}, the content says {result.version.list_key})",
            result,
        )
    return UpdateOutcome(source.list_key, True, result.message, result)


def update_all(engine: Engine, config: Config, only: list[str] | None = None, force: bool = False) -> list[UpdateOutcome]:
    outcomes = []
    with httpx.Client(timeout=TIMEOUT, follow_redirects=True, headers={"User-Agent": "tradeguard"}) as client:
        for source in config.sources:
            if only and source.list_key not in only:
                continue
            outcomes.append(update_source(engine, source, config, client, force=force))
    return outcomes
