"""Benchmark: link the listings of one party across the real lists of ../shared, and measure
the links made by names, birth dates, countries and identifiers against the cross-references
the lists themselves give.

Lists (``--set``):

* ``demo`` (default): the newest full file of every list, as ``make demo`` loads them:
  OFAC SDN 2024-05-03 (sdn.csv alone: no alt/add partner files, so no addresses), OFAC
  non-SDN 2026-01-08, UN 2026-08-01, UK OFSI 2025-04-14, EU 2016 (partial), CSL 2016
  (partial), Canada 2025-05, Australia 2026-08, OpenSanctions (Ukraine war) 2026-03-13.
* ``dev``: the four lists of the dev screening suite (../shared/eval/dev/README.md): OFAC
  SDN 2021-04 (full set), UN 2026-08-01, UK OFSI 2025-04-14, OpenSanctions.

Ground truth: the ``reference`` rule alone, with no blocking guard — the UN reference
numbers (the UN entry's own; the UK's "UN Ref"; the EU's unitedNationId; Australia's
"TAi.002." at the head of its remarks), OFAC entity numbers (SDN, non-SDN and the CSL's
Treasury rows) and the OFSI Group ID / UK list reference. Entries joined by these
references (union-find) are one *reference party*.

Evaluated: the groups made by the OTHER rules only (``identifier``, ``name_dob``,
``name_identifier``, ``name_country``), with their production guards, no reference used.

* A link (a pair the rules linked directly) is *confirmed* when both entries are in one
  reference party, *false* when both carry a UN reference and they are in different
  reference parties (two entries the UN lists as two parties, or that cite two UN
  listings), and *unverifiable* otherwise (an entry without a UN reference: Russia
  designations, OFAC-only parties ...). Unverifiable links are not counted.
* Precision = confirmed / (confirmed + false), over links ("edge") and over every pair of
  entries inside one evaluated group ("group": what a merge does; a false link joining two
  groups counts once per pair it joins). The Wilson 95% lower bound is printed with it.
  Target: >= 0.995.
* Strict precision also counts as false the links between two entries that both carry an
  OFAC entity number or an OFSI Group ID, in different reference parties. This is a lower
  bound: the UK gives one person designated under two regimes two Group IDs, and OFAC keeps
  some parties under two entity numbers (an SSI and an SDN record), so many of these are
  duplicate designations of one party rather than errors; they are printed for review.
* Recall = the share of pairs of entries in one reference party that the evaluated groups
  also put in one group, per pair of lists, with the reasons for the misses (a person with
  no full birth date on one side; an organisation or vessel without a shared country).

Also printed: time to link every entity with every rule, the number of groups spanning 1
(duplicates within one list), 2, 3 and 4+ lists, and the keys dropped as generic.

    .venv/bin/python bench/bench_links.py [--lists DIR] [--set demo|dev] [--examples 15]
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from collections import Counter
from pathlib import Path

from summary import report  # noqa: E402

from tradeguard.model import Entity
from tradeguard.screening.links import (
    RULES,
    Group,
    Link,
    entity_countries,
    entity_keys,
    full_birth_dates,
    link_entities,
    reference_keys,
)
from tradeguard.sources import read_list

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.995

SETS: dict[str, list[str]] = {
    "demo": [
        "ofac_sdn/history/2024-05-03/sdn.csv",
        "ofac_consolidated/2026-01-08_haverisenosku/ofac.xml",
        "un/2026-08-01_zr101/un.xml",
        "uk_ofsi/2025-04-14_mmahmed107/ConList.xlsx",
        "eu_fsf/2016-02-11_partial_v1.0_opendatalabcz/data.xml",
        "us_csl/2016-02_partial_opendatalabcz/data.csv",
        "canada_sema/2025-05_kebalkhadka/cannada.xml",
        "australia_dfat/2026-08_zr101/dfat.xlsx",
        "opensanctions/ua_war_sanctions_2026-03-13_com-480/targets.simple.csv",
    ],
    "dev": [
        "ofac_sdn/full_set_2021-04_garybogle/sdn.csv",
        "un/2026-08-01_zr101/un.xml",
        "uk_ofsi/2025-04-14_mmahmed107/ConList.xlsx",
        "opensanctions/ua_war_sanctions_2026-03-13_com-480/targets.simple.csv",
    ],
}
OTHER_RULES = tuple(r for r in RULES if r != "reference")
UNLIMITED = 10**9


def wilson_lower(hits: int, n: int, z: float = 1.96) -> float:
    if n == 0:
        return float("nan")
    p = hits / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - margin) / (1 + z * z / n)


def ratio(a: int, b: int) -> str:
    return f"{a / b:.4f} ({a}/{b})" if b else "n/a (0/0)"


def read_entities(folder: Path, files: list[str]) -> list[Entity]:
    entities: dict[str, Entity] = {}
    print(f"{'list':14} {'entities':>9} {'seconds':>8}  file")
    for rel in files:
        path = folder / rel
        if not path.is_file():
            sys.exit(f"missing list file {path}")
        start = time.perf_counter()
        parsed = read_list(path)
        count = 0
        for entity in parsed.entities:
            entities.setdefault(entity.entity_id, entity)
            count += 1
        print(f"{parsed.list_key:14} {count:9d} {time.perf_counter() - start:8.1f}  {rel}")
    return list(entities.values())


def group_of(groups: list[Group]) -> dict[str, int]:
    return {m: i for i, g in enumerate(groups) for m in g.members}


def span_counts(groups: list[Group]) -> Counter[str]:
    spans: Counter[str] = Counter()
    for g in groups:
        n = len(g.lists)
        spans["4+" if n >= 4 else str(n)] += 1
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "lists")
    parser.add_argument("--set", choices=sorted(SETS), default="demo")
    parser.add_argument("--examples", type=int, default=15, help="false links to print")
    args = parser.parse_args()
    if not args.lists.is_dir():
        sys.exit(f"no list folder at {args.lists}")

    entities = read_entities(args.lists, SETS[args.set])
    by_id = {e.entity_id: e for e in entities}
    print(f"\n{len(entities)} entities from {len(SETS[args.set])} files ({args.set} set)")

    # 1. Every rule: what production stores.
    full = link_entities(entities)
    spans = span_counts(full.groups)
    linked = sum(len(g.members) for g in full.groups)
    print(f"\n== all rules: {len(full.groups)} groups holding {linked} entries, linked in {full.seconds:.1f} s")
    print(f"groups spanning 1 list (duplicates): {spans['1']}, 2 lists: {spans['2']}, "
          f"3 lists: {spans['3']}, 4+ lists: {spans['4+']}; largest group: "
          f"{max((len(g.members) for g in full.groups), default=0)} entries")
    doubled = sum(1 for g in full.groups if len(g.members) > len(g.lists))
    print(f"groups holding two entries of one list (duplicate listings): {doubled}")
    by_rule = Counter(link.rule for link in full.links())
    print("links by strongest rule: " + ", ".join(f"{r} {by_rule[r]}" for r in RULES))
    dropped = Counter(d.rule for d in full.dropped)
    print(f"keys dropped as generic: {len(full.dropped)} ({', '.join(f'{r} {n}' for r, n in dropped.items()) or 'none'})")
    for d in sorted(full.dropped, key=lambda d: -d.entries)[:5]:
        print(f"    {d.rule:15} {d.key[:60]:60} {d.entries} entries on {', '.join(d.lists)}")
    print(f"links refused because an authority keeps the two parties apart: {sum(full.kept_apart.values())} "
          f"({', '.join(f'{r} {n}' for r, n in full.kept_apart.items()) or 'none'})")

    # 2. Ground truth: the lists' own cross-references.
    truth = link_entities(entities, rules=("reference",), max_key_entries=UNLIMITED, max_key_per_list=UNLIMITED)
    truth_of = group_of(truth.groups)
    refs = {e.entity_id: {k.partition(":")[0] for k in reference_keys(e)} for e in entities}

    # 3. The other rules alone.
    other = link_entities(entities, rules=OTHER_RULES)
    other_of = group_of(other.groups)
    print(f"\n== other evidence alone ({', '.join(OTHER_RULES)}): {len(other.groups)} groups in {other.seconds:.1f} s")
    print(f"ground truth (references alone, no guard): {len(truth.groups)} reference parties of 2+ entries")

    def label(a: str, b: str, strict: bool = False) -> str:
        ta, tb = truth_of.get(a), truth_of.get(b)
        if ta is not None and ta == tb:
            return "confirmed"
        shared = refs[a] & refs[b]
        if "un" in shared or (strict and shared & {"ofac", "ofsi"}):
            return "false"
        return "unverifiable"

    edges: Counter[str] = Counter()
    edges_by_rule: Counter[tuple[str, str]] = Counter()
    strict: Counter[str] = Counter()
    false_links: list[Link] = []
    strict_only: list[Link] = []
    for link in other.links():
        verdict = label(link.a, link.b)
        edges[verdict] += 1
        edges_by_rule[(link.rule, verdict)] += 1
        if verdict == "false":
            false_links.append(link)
        strict_verdict = label(link.a, link.b, strict=True)
        strict[strict_verdict] += 1
        if strict_verdict == "false" and verdict != "false":
            strict_only.append(link)
    pairs: Counter[str] = Counter()
    for g in other.groups:
        for a, b in itertools.combinations(g.members, 2):
            pairs[label(a, b)] += 1

    checked = edges["confirmed"] + edges["false"]
    precision = edges["confirmed"] / checked if checked else float("nan")
    print("\nprecision over the links whose two entries share a reference party or both carry a UN reference:")
    print(f"  links:  {ratio(edges['confirmed'], checked)}, 95% lower bound "
          f"{wilson_lower(edges['confirmed'], checked):.4f}; {edges['unverifiable']} links unverifiable")
    group_checked = pairs["confirmed"] + pairs["false"]
    print(f"  groups: {ratio(pairs['confirmed'], group_checked)} pairs inside groups; "
          f"{pairs['unverifiable']} pairs unverifiable")
    for rule in OTHER_RULES:
        ok, bad = edges_by_rule[(rule, "confirmed")], edges_by_rule[(rule, "false")]
        print(f"    {rule:16} {ratio(ok, ok + bad)}; unverifiable {edges_by_rule[(rule, 'unverifiable')]}")
    strict_checked = strict["confirmed"] + strict["false"]
    print(f"  strict (different OFAC entity numbers or OFSI Group IDs also count as false): "
          f"{ratio(strict['confirmed'], strict_checked)}")
    print(f"target precision >= {TARGET}: {'MET' if checked and precision >= TARGET else 'MISSED'}")
    report("links: precision", f">= {TARGET}", f"{precision:.4f}", bool(checked) and precision >= TARGET)

    def show(link: Link, tag: str) -> None:
        a, b = by_id[link.a], by_id[link.b]
        ev = link.evidence[0]
        print(f"    {tag} {link.rule:15} {link.a} {a.caption[:40]!r} ~ {link.b} {b.caption[:40]!r}: "
              f"{ev.values[0][:50]} = {ev.values[1][:50]}")

    for link in false_links[: args.examples]:
        show(link, "FALSE")
    for link in strict_only[: args.examples]:
        show(link, "strict")

    # 4. Recall over the pairs the references join.
    per_pair: Counter[tuple[str, str]] = Counter()
    found_pair: Counter[tuple[str, str]] = Counter()
    misses: Counter[str] = Counter()
    for g in truth.groups:
        for a, b in itertools.combinations(g.members, 2):
            ea, eb = by_id[a], by_id[b]
            key = (min(ea.list, eb.list), max(ea.list, eb.list))
            per_pair[key] += 1
            oa = other_of.get(a)
            if oa is not None and oa == other_of.get(b):
                found_pair[key] += 1
            elif ea.schema == "Person" and not (full_birth_dates(ea) and full_birth_dates(eb)):
                misses["person without a full birth date on one side"] += 1
            elif ea.schema != "Person" and not entity_countries(ea) & entity_countries(eb):
                misses["organisation/vessel without a shared country"] += 1
            else:
                misses["names, dates or countries differ"] += 1
    total, hits = sum(per_pair.values()), sum(found_pair.values())
    print(f"\nrecall over pairs joined by references: {ratio(hits, total)}")
    for key, n in per_pair.most_common():
        print(f"    {key[0]:>14} ~ {key[1]:14} {ratio(found_pair[key], n)}")
    print("  missed pairs: " + "; ".join(f"{why}: {n}" for why, n in misses.most_common()))
    print(f"\nlink time, all rules: {full.seconds:.1f} s for {len(entities)} entities")

    # 5. Relinking after a load: the store keeps every entry's keys, a load derives those of
    # its new and changed entries only.
    started = time.perf_counter()
    keys = {e.entity_id: entity_keys(e) for e in entities}
    derive = time.perf_counter() - started
    relinked = link_entities(entities, known_keys=keys)
    same = [(g.id, g.members, g.links) for g in relinked.groups] == [(g.id, g.members, g.links) for g in full.groups]
    print(f"relink with every entry's keys stored (a load that changed nothing else): {relinked.seconds:.1f} s "
          f"vs {full.seconds:.1f} s from scratch ({full.seconds / max(relinked.seconds, 1e-9):.1f}x); "
          f"deriving every key: {derive:.1f} s; same groups and links: {same}")


if __name__ == "__main__":
    main()
