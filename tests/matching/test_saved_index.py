"""A new index reuses the normalised names of the last saved one, and comes out the same."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tradeguard.matching import Matcher, Query, engine
from tradeguard.sources import read_list

SEMA = "canada_sema/2020-04_Mendw/sema-lmes.xml"  # a small list


def test_a_build_reuses_the_normalised_names_of_the_last_index(lists_dir: Path, tmp_path: Path) -> None:
    entities = list(read_list(lists_dir / SEMA).entities)
    Matcher(entities).save(tmp_path / "last")
    last = Matcher.open(tmp_path / "last")
    newer = entities[25:]  # the next version: some entries gone
    reusing = Matcher(newer, reuse=last)
    fresh = Matcher(newer)
    assert list(reusing.index.forms) == list(fresh.index.forms)
    assert list(reusing.index.keys) == list(fresh.index.keys)
    found = sum(last._form_from(key) is not None for key in fresh._inputs)
    assert found == len(fresh._inputs)  # every name of the newer version was normalised before
    query = Query(newer[0].caption, newer[0].schema)
    assert [(m.entity.entity_id, m.score) for m in reusing.match(query)] == \
        [(m.entity.entity_id, m.score) for m in fresh.match(query)]


def test_a_large_build_spread_over_processes_comes_out_the_same(
    lists_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    entities = list(read_list(lists_dir / SEMA).entities)
    serial = Matcher(entities)
    # As if the list were large: names normalised in forked workers, a few entities a task.
    monkeypatch.setattr(engine, "BUILD_PARALLEL_MIN", 10)
    monkeypatch.setattr(engine, "BUILD_CHUNK", 7)
    monkeypatch.setattr(engine.os, "cpu_count", lambda: 2)
    spread = Matcher(entities)
    assert list(spread.index.forms) == list(serial.index.forms)
    assert [(n.entity, n.kind, n.text) for n in spread._names] == [(n.entity, n.kind, n.text) for n in serial._names]
    assert list(spread._facts) == list(serial._facts)
    assert spread._inputs == serial._inputs and spread._by_identifier == serial._by_identifier
    assert gc.isenabled()  # the collector paused for the build is running again


def test_a_built_index_is_frozen_for_the_collector_and_freed_when_dropped(lists_dir: Path) -> None:
    """The objects of a build go to the collector's permanent generation (so no collection
    walks them again); that is safe because a matcher holds no reference cycle: dropped,
    it is freed at once by reference counting."""
    import weakref

    entities = list(read_list(lists_dir / SEMA).entities)
    frozen_before = gc.get_freeze_count()
    matcher = Matcher(entities)
    assert gc.get_freeze_count() > frozen_before
    matcher.match(Query(entities[0].caption, entities[0].schema))  # used, as a server would
    refs = [weakref.ref(matcher), weakref.ref(matcher.index)]
    del matcher
    assert [ref() for ref in refs] == [None, None]
