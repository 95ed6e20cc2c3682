"""The matching index saved beside the store: built at load, opened by every screener,
never used when stale or incomplete."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tradeguard.matching import Matcher
from tradeguard.matching.engine import MANIFEST, StaleIndex
from tradeguard.screening.index_files import index_home, index_name, matcher_for
from tradeguard.screening.parties import Screener
from tradeguard.store.db import connect
from tradeguard.store.lists import active_versions

UN = "un/2026-08-01_zr101/un.xml"


@pytest.fixture()
def un_store(lists_dir: Path, tmp_path: Path) -> Path:
    db = tmp_path / "store.db"
    proc = run_cli("lists", "load", str(lists_dir / UN), db=db)
    assert "matching index of the lists in force ready" in proc.stdout
    return db


def _folder(db: Path) -> Path:
    engine = connect(f"sqlite:///{db}")
    with engine.connect() as conn:
        versions = active_versions(conn)
    home = index_home(engine)
    assert home == Path(f"{db}.index")
    return home / index_name(versions)


def test_a_load_saves_the_index_and_screening_opens_it(un_store: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = _folder(un_store)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["entities"] > 900
    with caplog.at_level(logging.INFO, logger="tradeguard.index"):
        screener = Screener(f"sqlite:///{un_store}")
    assert not caplog.records, "an index saved at load is opened, not rebuilt"
    assert type(screener.matcher.entities).__name__ == "Records"  # memory-mapped, not a list
    hits = screener.match("Sirajuddin Jalaluddin Haqqani", schema="Person")
    assert hits and hits[0].entity.list == "un_sc"
    # The CLI answers the same from the same folder.
    data = json.loads(run_cli("match", "Sirajuddin Jalaluddin Haqqani", "--schema", "Person", "--json",
                              db=un_store).stdout)
    assert data["matches"][0]["source_id"] == hits[0].entity.source_id
    assert data["matches"][0]["score"] == hits[0].score


def test_a_stale_or_broken_index_is_rebuilt_with_a_message(un_store: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = _folder(un_store)
    engine = connect(f"sqlite:///{un_store}")
    with engine.connect() as conn:
        versions = active_versions(conn)
    # Written by other matching code: refused, rebuilt.
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    (folder / MANIFEST).write_text(json.dumps({**manifest, "signature": "older code"}), encoding="utf-8")
    with pytest.raises(StaleIndex, match="another version"):
        Matcher.open(folder)
    with caplog.at_level(logging.WARNING, logger="tradeguard.index"):
        rebuilt = matcher_for(engine, versions)
    assert "cannot be used" in caplog.text and "rebuilding" in caplog.text
    assert len(rebuilt) == manifest["entities"]
    assert Matcher.open(folder) is not None  # saved again, whole
    # A file cut short: refused, rebuilt.
    postings = folder / "postings.values.npy"
    postings.write_bytes(postings.read_bytes()[:100])
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="tradeguard.index"):
        again = matcher_for(engine, versions)
    assert "cannot be used" in caplog.text
    assert again.match  # usable
    assert len(Matcher.open(folder)) == manifest["entities"]
    # No folder at all: built, with a message naming the lists.
    import shutil

    shutil.rmtree(folder)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="tradeguard.index"):
        matcher_for(engine, versions)
    assert "no saved index" in caplog.text and "un_sc" in caplog.text
    assert (folder / MANIFEST).is_file()


def test_a_new_version_gets_its_own_index(un_store: Path, lists_dir: Path) -> None:
    first = _folder(un_store)
    run_cli("lists", "load", str(lists_dir / "canada_sema/2020-04_Mendw/sema-lmes.xml"), db=un_store)
    second = _folder(un_store)
    assert second != first and (second / MANIFEST).is_file()
    screener = Screener(f"sqlite:///{un_store}")
    assert len(screener.in_force.versions) == 2 and "un_sc" in {v.list_key for v in screener.in_force.versions}
    assert len(screener.matcher) > len(Matcher.open(first))


SERVER_SIDE = """
import sys, time
from tradeguard.screening.index_files import matcher_for
from tradeguard.store.db import connect
from tradeguard.store.lists import active_versions
engine = connect(sys.argv[1])
with engine.connect() as conn:
    versions = active_versions(conn)
started = time.perf_counter()
matcher = matcher_for(engine, versions)
print(type(matcher.entities).__name__, len(matcher), round(time.perf_counter() - started, 2))
"""


def test_a_process_that_needs_the_index_of_a_loading_version_waits_for_it(un_store: Path, lists_dir: Path) -> None:
    """As a server sees a version that `lists load` has put in force but not yet indexed: it
    waits for the load's index and opens it, rather than building a copy in its memory."""
    import subprocess
    import sys
    import time

    from tradeguard.screening.index_files import ensure_index, indexing
    from tradeguard.store.lists import load_file

    url = f"sqlite:///{un_store}"
    engine = connect(url)
    with indexing(engine):
        load_file(engine, lists_dir / "canada_sema/2020-04_Mendw/sema-lmes.xml")  # in force, not indexed
        assert not _folder(un_store).exists()
        server = subprocess.Popen([sys.executable, "-c", SERVER_SIDE, url], stdout=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert server.poll() is None, "the other process waits while the load holds the build lock"
        folder, _seconds = ensure_index(engine)  # the load indexes what it loaded
    out, _ = server.communicate(timeout=120)
    kind, names, waited = out.split()
    assert folder is not None and folder == _folder(un_store)
    assert kind == "Records"  # opened from the load's folder (memory-mapped), not built
    assert int(names) == len(Matcher.open(folder)) and float(waited) >= 1.0


def test_party_summaries_are_read_once_and_survive_a_full_cache(un_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradeguard.screening import parties

    screener = Screener(f"sqlite:///{un_store}")
    ids = [e.entity_id for e in list(screener.matcher.entities)[:6]]
    expected = screener.party_summaries(ids)
    assert set(expected) == set(ids) and all(s["listings"] for s in expected.values())
    # A full cache is emptied before it takes more: the answer still holds every party asked for.
    monkeypatch.setattr(parties, "PARTY_CACHE", 2)
    assert screener.party_summaries([*ids[3:], "un_sc-no-such-entry"]) == {i: expected[i] for i in ids[3:]}
    assert screener.party_summaries(ids) == expected
