"""Shared by the cross-list suites (eval_cyrillic.py, eval_original_scripts.py,
eval_list_scripts.py): persons stored with their Latin names only, each of their names in
another script a query that must find its person. Recall at the default threshold and
alerts on another person, per group of queries (a spelling, a script), reported to the
bench summary."""

from __future__ import annotations

import argparse
import json
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from eval_dev import LISTS
from summary import report

from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query
from tradeguard.model import Entity


@dataclass(frozen=True)
class NameQuery:
    group: str  # what the figures are given per: "russian", "ARABIC" ...
    name: str
    target: str  # the source_id of the person


def scripts_of(text: str) -> set[str]:
    """The scripts of the letters of ``text`` (the first word of their Unicode names)."""
    return {unicodedata.name(ch, "UNKNOWN ?").split()[0] for ch in text if ch.isalpha()}


def other_script(name: str) -> str | None:
    """The script a name is written in besides Latin letters (the first by its Unicode
    name, where it mixes several), None for a name in Latin letters only."""
    other = scripts_of(name) - {"LATIN"}
    return min(other) if other else None


def eu_persons_latin(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The persons of the EU's list in the merged file (``eu_fsf/*_DERIVED_names_*``): each
    one's position in the file and its names written in Latin letters only, each once."""
    data = json.loads(path.read_text("utf-8"))
    for k, item in enumerate(data["entities"]):
        if item.get("type") != "individual" or "EU" not in item.get("source", []):
            continue
        yield k, list(dict.fromkeys(n for n in [item["name"], *item.get("aliases", [])]
                                    if n and scripts_of(n) == {"LATIN"}))


def latin_stored(entities: Iterable[Entity], group_of: Callable[[str], str | None]) -> tuple[list[Entity], list[NameQuery]]:
    """The persons of ``entities`` with a Latin name and a name that ``group_of`` puts in
    a group (None: not a query): the store (each with its Latin names only) and the
    queries (those other names, each once)."""
    store: list[Entity] = []
    cases: list[NameQuery] = []
    for entity in entities:
        if entity.schema != "Person":
            continue
        latin = [n for n in entity.names if scripts_of(n.value) == {"LATIN"}]
        groups = {name: group for n in entity.names if (group := group_of(name := n.value)) is not None}
        if not latin or not groups:
            continue
        store.append(replace(entity, names=latin))
        cases.extend(NameQuery(group, name, entity.source_id) for name, group in groups.items())
    return store, cases


def evaluate(suite: str, entities: list[Entity], cases: list[NameQuery], show_misses: int = 0) -> None:
    """Match every query against a store of ``entities``; print and report the figures, and
    up to ``show_misses`` missed names per group with the score their person reaches
    without a threshold."""
    started = time.perf_counter()
    matcher = Matcher(entities)
    names = {e.source_id: [n.value for n in e.names] for e in entities}
    totals: dict[str, int] = {}
    hits: dict[str, int] = {}
    wrong: dict[str, int] = {}
    misses: dict[str, list[tuple[float, NameQuery]]] = {}
    for case in cases:
        query = Query(case.name, "Person")
        results = matcher.match(query, threshold=DEFAULT_THRESHOLD)
        ok = any(m.entity.source_id == case.target for m in results)
        totals[case.group] = totals.get(case.group, 0) + 1
        hits[case.group] = hits.get(case.group, 0) + ok
        wrong[case.group] = wrong.get(case.group, 0) + sum(m.entity.source_id != case.target for m in results)
        if not ok and show_misses:
            best = matcher.match(query, threshold=0.0, limit=50)
            score = next((m.score for m in best if m.entity.source_id == case.target), 0.0)
            misses.setdefault(case.group, []).append((score, case))
    seconds = time.perf_counter() - started
    print(f"{suite}: {len(entities)} persons in the store (Latin names only), {len(cases)} queries; {seconds:.0f} s")
    for group in sorted(totals, key=lambda g: -totals[g]):
        n = totals[group]
        label = group.lower()
        report(f"{suite}: {label} recall @{DEFAULT_THRESHOLD:.2f} (n={n})", "-", f"{hits[group] / n:.1%}", None)
        report(f"{suite}: {label} alerts on another person", "-", str(wrong[group]), None)
    for group, missed in misses.items():
        print(f"\nmissed {group.lower()} names (score of their person without a threshold), up to {show_misses}:")
        for score, case in sorted(missed, key=lambda x: -x[0])[:show_misses]:
            print(f"  {score:.3f}  {case.name}  ->  {'; '.join(names[case.target][:3])}")


def main_of(
    description: str,
    suites: Mapping[str, str],
    build_suite: Callable[[Path], tuple[list[Entity], list[NameQuery]]],
    argv: list[str] | None = None,
) -> int:
    """The command line of one or more suites (``suites``: each suite's name and the glob
    of its dataset under ``--lists``, of which the newest file found is read):
    ``--show-misses N``; with several suites, ``--only WORD`` runs those whose name holds
    WORD."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--lists", type=Path, default=LISTS, help="the shared lists folder")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N", help="print N missed names per group")
    if len(suites) > 1:
        parser.add_argument("--only", metavar="WORD", help="run only the suites whose name holds WORD")
    args = parser.parse_args(argv)
    for suite, dataset in suites.items():
        if getattr(args, "only", None) and args.only not in suite:
            continue
        found = sorted(args.lists.glob(dataset))
        if not found:
            print(f"skipped: no {dataset} under {args.lists}")
            continue
        entities, cases = build_suite(found[-1])
        evaluate(suite, entities, cases, args.show_misses)
    return 0
