"""A new index reuses the normalised names of the last saved one, and comes out the same."""

from __future__ import annotations

from pathlib import Path

from tradeguard.matching import Matcher, Query
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
