"""Fuzz every parser with hypothesis-generated damage to real list files.

Whatever the damage, reading a file either yields well-formed entities or raises
SourceError (which names the file); never any other exception.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradeguard.model import SCHEMAS
from tradeguard.sources import SourceError, read_list

# One real file per format (small ones, so that many damaged copies can be read).
SAMPLES = [
    "ofac_sdn/xml_partial_2020-04-22_deriv-com/sdn.xml",
    "ofac_sdn/advanced_xml_partial_2024-02-23_new-village/test.xml",
    "ofac_consolidated/2018-04-06_perchrh/cons_prim.pip",
    "ofac_consolidated/2020-03-17_deriv-com/sample_ofac_consolidated.xml",
    "un/2017-07-03_DukeQIANSH/consolidated.xml",
    "eu_fsf/2020-04-15_partial_deriv-com/sample_eu_sanctions.xml",
    "eu_fsf/2016-02-11_partial_v1.0_opendatalabcz/data.xml",
    "eu_fsf/2018-07-04_partial_photoangell/EUSanctionsShort.csv",
    "canada_sema/2020-04_Mendw/sema-lmes.xml",
    "uk_ofsi/2014-04-02_sergey-chechaev/sanctionsconlist.csv",
    "uk_ofsi/2023-06-05_imjbmkz/ConList.xlsx",
    "australia_dfat/2024-12_Stanux/regulation8_consolidated.xlsx",
    "us_csl/2016-02_partial_opendatalabcz/data.csv",
    "opensanctions/wikidata_peps_sa_2024-03-09_khongdudinhdoikhongne/entities.ftm.json",
    "opensanctions/wikidata_peps_sa_2024-03-09_khongdudinhdoikhongne/targets.simple.csv",
]

damage = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0.0, 1.0), st.binary(max_size=0)),
    st.tuples(st.just("flip"), st.floats(0.0, 1.0), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("insert"), st.floats(0.0, 1.0), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), st.floats(0.0, 1.0), st.binary(min_size=1, max_size=4096)),
)


def damaged(data: bytes, how: tuple[str, float, bytes]) -> bytes:
    kind, where, payload = how
    at = int(where * len(data))
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        return data[:at] + payload + data[at + len(payload):]
    if kind == "insert":
        return data[:at] + payload + data[at:]
    return data[:at] + data[at + len(payload):]  # delete a run as long as the payload


@pytest.mark.parametrize("sample", SAMPLES)
def test_damaged_files_raise_source_error_or_parse(sample: str, lists_dir: Path, tmp_path: Path) -> None:
    original = (lists_dir / sample).read_bytes()
    target = tmp_path / Path(sample).name
    # The undamaged file reads cleanly.
    assert sum(1 for _ in read_list(lists_dir / sample).entities) > 0

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(how=damage)
    def check(how: tuple[str, float, bytes]) -> None:
        target.write_bytes(damaged(original, how))
        try:
            parsed = read_list(target)
            for entity in parsed.entities:
                assert entity.schema in SCHEMAS, f"bad schema {entity.schema!r}"
                assert entity.source_id, "entity without a source id"
                assert entity.list == parsed.list_key
        except SourceError as exc:
            assert str(target) in str(exc), f"error does not name the file: {exc}"

    check()
