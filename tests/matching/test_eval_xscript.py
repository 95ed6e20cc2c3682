"""The Saudi PEP cross-script suite of bench/eval_xscript.py is built as documented: one
Arabic-script query per person that has both an Arabic-script and a Latin name, against a
store whose names carry no Arabic-script letter."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from eval_xscript import PEP_CATEGORY, PEP_FTM, build_pep_suite, has_arabic, has_latin  # noqa: E402


def test_script_detection() -> None:
    assert has_arabic("سعد بن عبدالعزيز")
    assert has_arabic("شیخ سعود بن ابراھیم")  # Persian/Urdu letters
    assert not has_arabic("Saad bin Abdulaziz Al Saud")
    assert not has_arabic("Абдалла ибн Абдель Азиз ١٢٣")  # Arabic-Indic digits are not letters
    assert has_latin("Abdul Aziz Al-Saud - عبدالعزيز ال سعود")
    assert not has_latin("عبدالعزيز آل سعود")


def test_pep_suite(lists_dir: Path) -> None:
    path = lists_dir / PEP_FTM
    if not path.is_file():
        pytest.skip(f"{path} not found")
    suite = build_pep_suite(path)
    assert len(suite.cases) == 82  # ../shared/eval/dev/README.md: 82 persons with both
    assert len(suite.entities) == 100
    assert all(e.schema == "Person" for e in suite.entities)
    for entity in suite.entities:
        assert entity.names
        assert not any(has_arabic(n.value) for n in entity.names)
        assert sum(n.kind == "primary" for n in entity.names) >= 1
    by_key = {(e.list, e.source_id): e for e in suite.entities}
    assert len({c.id for c in suite.cases}) == len(suite.cases)
    for case in suite.cases:
        assert case.category == PEP_CATEGORY and case.expect == "match"
        assert has_arabic(case.query["name"]) and not has_latin(case.query["name"])
        assert case.query["name"] == suite.arabic_names[case.id][0]
        (target,) = case.targets
        assert any(has_latin(n.value) for n in by_key[target].names)
    # A person whose Arabic names all go: Saad bin Faisal keeps his two Latin names only.
    saad = by_key[("opensanctions", "Q104781582")]
    assert [n.value for n in saad.names] == ["Saad bin Faisal Al Saud", "Saad bin Faisal bin Al Saud"]

    every = build_pep_suite(path, all_names=True)
    assert len({c.id.rsplit("-", 1)[0] for c in every.cases}) == 82
    assert len(every.cases) == sum(len(v) for v in suite.arabic_names.values())
