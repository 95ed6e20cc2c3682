"""Regression floors on the cross-script suites (../shared): Arabic-script names against
OFAC's Latin-only SDN list, and the Saudi PEP file's Arabic names against its Latin names.

The floors sit a little below what ``python bench/eval_xscript.py`` measures (see
docs/matching.md, section 6b); the issue's targets (0.90) are printed by that script.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query
from tradeguard.sources import read_list

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from eval_xscript import PEP_FTM, build_pep_suite  # noqa: E402

OFAC_SDN = "ofac_sdn/full_set_2021-04_garybogle/sdn.csv"


@pytest.fixture(scope="module")
def ofac(lists_dir: Path) -> Matcher:
    return Matcher(read_list(lists_dir / OFAC_SDN).entities)


def test_arabic_script_names_against_a_latin_only_list(ofac: Matcher, eval_dir: Path) -> None:
    with (eval_dir / "xscript_cases.jsonl").open(encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]
    by_key = {(e.list, e.source_id): i for i, e in enumerate(ofac.entities)}
    found = {"XS-ARABIC": [], "CLEAN": []}  # type: dict[str, list[bool]]
    retrieved = eligible = 0
    for case in cases:
        if case["category"] not in found:
            continue
        query = Query(case["query"]["name"], case["query"].get("schema"))
        matches = ofac.match(query)
        if case["expect"] == "no_match":
            found["CLEAN"].append(bool(matches))
            continue
        targets = {tuple(t) for t in case["targets"]}
        found["XS-ARABIC"].append(any((m.entity.list, m.entity.source_id) in targets for m in matches))
        exhaustive = max((s for _i, s in ofac.score_entities(query, [by_key[t] for t in targets if t in by_key])), default=0.0)
        if exhaustive >= DEFAULT_THRESHOLD:
            eligible += 1
            retrieved += bool({(e.list, e.source_id) for e in ofac.candidates(query, DEFAULT_THRESHOLD)} & targets)
    recall = sum(found["XS-ARABIC"]) / len(found["XS-ARABIC"])
    clean = sum(found["CLEAN"]) / len(found["CLEAN"])
    assert recall >= 0.75, recall  # measured 0.781; 0.04 before cross-script matching
    assert clean <= 0.003, clean  # measured 2 per 1,000; target 5
    assert retrieved / eligible >= 0.99, (retrieved, eligible)  # measured 140/140


def test_saudi_pep_arabic_names_find_their_latin_names(lists_dir: Path) -> None:
    suite = build_pep_suite(lists_dir / PEP_FTM)
    matcher = Matcher(suite.entities)
    hits = []
    for case in suite.cases:
        matches = matcher.match(Query(case.query["name"], "Person"))
        hits.append(any((m.entity.list, m.entity.source_id) in case.targets for m in matches))
    recall = sum(hits) / len(hits)
    assert recall >= 0.88, recall  # measured 0.915; 0.10 before cross-script matching
