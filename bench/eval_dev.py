"""Screening quality on the labelled dev suite (../shared/eval/dev), per category.

Loads the four lists the suite was built from with ``tradeguard.sources.read_list``, builds a
``Matcher``, runs every case and prints:

* per category: recall (must-alert) or alerts per 1,000 (must-not, CLEAN) at the default
  threshold;
* a threshold sweep 0.50-0.99 with F1 (D3 kept out), the best-F1 threshold and F1 at the
  default;
* index recall against exhaustive scoring (every name of every target entity scored);
* a calibration table: for each score band, the share of alerts that were true matches;

and writes the expected-results JSONL (``{"id", "matches": [{"list", "source_id",
"score"}]}``) to ``--output``. With ``--compare-logic-v2`` it also runs nomenklatura's
logic-v2 (candidates from a simple token index over the same entities converted to FtM,
re-scored by logic-v2 as yente does) and prints both tables side by side with throughput.

    python bench/eval_dev.py --output /tmp/dev_results.jsonl [--compare-logic-v2]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import multiprocessing
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LISTS = SHARED / "data" / "lists"
DEV = SHARED / "eval" / "dev"
LIST_FILES = {
    "us_ofac_sdn": "ofac_sdn/full_set_2021-04_garybogle/sdn.csv",
    "un_sc": "un/2026-08-01_zr101/un.xml",
    "gb_hmt": "uk_ofsi/2025-04-14_mmahmed107/ConList.xlsx",
    "opensanctions": "opensanctions/ua_war_sanctions_2026-03-13_com-480/targets.simple.csv",
}
MUST_ALERT = ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E11", "E12", "E13", "E14", "E17", "P1", "P2"]
REPORTED = ["D3"]
MUST_NOT = ["N1", "N2", "N3", "N5", "N6", "N7", "CLEAN"]
SWEEP = [round(0.50 + 0.01 * i, 2) for i in range(50)]
BANDS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0001]
MIN_SCORE = 0.5  # lowest score kept in results (the sweep starts here)
LOGIC_V2_THRESHOLD = 0.7  # yente's default match threshold for logic-v2


@dataclass
class Case:
    id: str
    category: str
    query: dict[str, Any]
    expect: str
    targets: set[tuple[str, str]]


@dataclass
class Outcome:
    """What a system returned for one case: (list, source_id, score), best first."""

    matches: list[tuple[str, str, float]] = field(default_factory=list)

    def best(self) -> float:
        return max((s for _l, _i, s in self.matches), default=0.0)

    def best_target(self, targets: set[tuple[str, str]]) -> float:
        return max((s for li, si, s in self.matches if (li, si) in targets), default=0.0)


QUERY_SCHEMAS = ("given", "none", "LegalEntity")


def add_query_schema_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--query-schema", choices=QUERY_SCHEMAS, default="given",
                        help="query with the cases' schemas (default), with none, or as LegalEntity (a party of no "
                             "stated kind, as a payment or a customer file may give it)")


def with_query_schema(cases: list[Case], choice: str) -> list[Case]:
    """``cases`` with their queries given the schema ``choice`` says (``--query-schema``)."""
    if choice == "given":
        return cases
    schema = None if choice == "none" else choice
    print(f"queries given with schema {schema} instead of their own")
    return [dataclasses.replace(c, query={**c.query, "schema": schema}) for c in cases]


def load_cases(path: Path) -> list[Case]:
    cases = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                cases.append(
                    Case(d["id"], d["category"], d["query"], d["expect"], {tuple(t) for t in d.get("targets", [])})  # type: ignore[misc]
                )
    return cases


def load_entities(lists_dir: Path = LISTS) -> list[Any]:
    from tradeguard.sources import read_list

    entities: list[Any] = []
    for key, rel in LIST_FILES.items():
        parsed = read_list(lists_dir / rel)
        batch = list(parsed.entities)
        if parsed.list_key != key:
            print(f"warning: {rel} read as {parsed.list_key}, expected {key}", file=sys.stderr)
        entities.extend(batch)
    return entities


# --- our engine ----------------------------------------------------------------------


def run_ours(matcher: Any, cases: Sequence[Case], min_score: float = MIN_SCORE) -> tuple[dict[str, Outcome], float]:
    from tradeguard.matching import Query

    out: dict[str, Outcome] = {}
    start = time.perf_counter()
    for case in cases:
        q = case.query
        query = Query(
            name=q["name"],
            schema=q.get("schema"),
            birth_date=q.get("birth_date"),
            country=q.get("country"),
            identifiers=list(q.get("identifiers") or []),
        )
        matches = matcher.match(query, limit=10, threshold=min_score)
        out[case.id] = Outcome([(m.entity.list, m.entity.source_id, m.score) for m in matches])
    return out, time.perf_counter() - start


def index_recall(matcher: Any, cases: Sequence[Case], threshold: float) -> tuple[int, int, list[str]]:
    """Of the must-alert cases whose target scores >= threshold when every name of the target
    entities is scored (exhaustive, no index), how many targets the index retrieves."""
    from tradeguard.matching import Query

    by_key = {(e.list, e.source_id): i for i, e in enumerate(matcher.entities)}
    eligible = found = 0
    lost: list[str] = []
    for case in cases:
        if case.expect != "match":
            continue
        q = case.query
        query = Query(name=q["name"], schema=q.get("schema"), birth_date=q.get("birth_date"), country=q.get("country"))
        idx = [by_key[t] for t in case.targets if t in by_key]
        best = max((s for _ei, s in matcher.score_entities(query, idx)), default=0.0)
        if best < threshold:
            continue
        eligible += 1
        retrieved = {(e.list, e.source_id) for e in matcher.candidates(query, threshold=threshold)}
        if retrieved & case.targets:
            found += 1
        else:
            lost.append(case.id)
    return eligible, found, lost


# --- logic-v2 ------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)


class SimpleTokenIndex:
    """Candidates for logic-v2: IDF-weighted shared name tokens (casefolded words, any script)."""

    def __init__(self, proxies: Sequence[Any]) -> None:
        self.proxies = proxies
        postings: dict[str, list[int]] = defaultdict(list)
        for i, proxy in enumerate(proxies):
            toks: set[str] = set()
            for name in proxy.get_type_values(_name_type()):
                toks |= self.tokens(name)
            for tok in toks:
                postings[tok].append(i)
        n = max(len(proxies), 1)
        self.postings = postings
        self.idf = {t: math.log(n / len(p)) for t, p in postings.items()}

    @staticmethod
    def tokens(name: str) -> set[str]:
        """The index tokens of a name (a subclass may add transliterated or phonetic ones)."""
        return {t.casefold() for t in _TOKEN.findall(name)}

    def search(self, name: str, limit: int = 20) -> list[int]:
        acc: dict[int, float] = defaultdict(float)
        for tok in self.tokens(name):
            plist = self.postings.get(tok)
            if not plist or len(plist) > 5000:
                continue
            w = self.idf[tok]
            for i in plist:
                acc[i] += w
        return sorted(acc, key=lambda i: -acc[i])[:limit]


def _name_type() -> Any:
    from followthemoney import registry

    return registry.name


_LV2: dict[str, Any] = {}


def _lv2_chunk(chunk: list[tuple[int, Case]]) -> list[tuple[str, list[tuple[str, str, float]], float]]:
    from followthemoney import model
    from nomenklatura.matching import LogicV2

    entities, proxies, index, limit = _LV2["entities"], _LV2["proxies"], _LV2["index"], _LV2["limit"]
    config = LogicV2.default_config()
    out = []
    for n, case in chunk:
        t0 = time.perf_counter()
        q = case.query
        proxy = model.make_entity(q.get("schema") or "LegalEntity")
        proxy.id = f"query-{n}"
        proxy.add("name", q["name"], quiet=True)
        if q.get("birth_date") and proxy.schema.get("birthDate"):
            proxy.add("birthDate", q["birth_date"], quiet=True)
        if q.get("country"):
            proxy.add("country", q["country"], quiet=True)
        matches = []
        for i in index.search(q["name"], limit=limit):
            result = LogicV2.compare(proxy, proxies[i], config)
            if result.score >= MIN_SCORE:
                e = entities[i]
                matches.append((e.list, e.source_id, float(result.score)))
        matches.sort(key=lambda m: -m[2])
        out.append((case.id, matches[:10], time.perf_counter() - t0))
    return out


def run_logic_v2(
    entities: Sequence[Any], cases: Sequence[Case], limit: int = 10, processes: int = 2
) -> tuple[dict[str, Outcome], float, float]:
    """logic-v2 over ``cases``: outcomes, CPU seconds spent per query in total (single-process
    throughput is ``len(cases) / that``), and the token-index build time."""
    from tradeguard.ftm import to_proxy

    t0 = time.perf_counter()
    proxies = [to_proxy(e) for e in entities]
    index = SimpleTokenIndex(proxies)
    build = time.perf_counter() - t0
    _LV2.update(entities=entities, proxies=proxies, index=index, limit=limit)
    # Warm up (reference data loads on first use) before timing; forked workers inherit it.
    _lv2_chunk([(-1 - i, c) for i, c in enumerate(cases[:20])])
    numbered = list(enumerate(cases))
    chunks = [numbered[i : i + 50] for i in range(0, len(numbered), 50)]
    results: list[tuple[str, list[tuple[str, str, float]], float]] = []
    if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for part in pool.imap_unordered(_lv2_chunk, chunks):
                results.extend(part)
    else:
        for chunk in chunks:
            results.extend(_lv2_chunk(chunk))
    out = {cid: Outcome(matches) for cid, matches, _t in results}
    return out, sum(t for _c, _m, t in results), build


# --- metrics -------------------------------------------------------------------------


def category_rate(cases: Sequence[Case], outcomes: dict[str, Outcome], category: str, t: float) -> float:
    sel = [c for c in cases if c.category == category]
    if not sel:
        return float("nan")
    if sel[0].expect == "match":
        return sum(outcomes[c.id].best_target(c.targets) >= t for c in sel) / len(sel)
    return sum(outcomes[c.id].best() >= t for c in sel) / len(sel)


def f1_at(cases: Sequence[Case], outcomes: dict[str, Outcome], t: float) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for c in cases:
        if c.category in REPORTED:
            continue
        o = outcomes[c.id]
        if c.expect == "match":
            if o.best_target(c.targets) >= t:
                tp += 1
            else:
                fn += 1
        elif o.best() >= t:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def calibration(cases: Sequence[Case], outcomes: dict[str, Outcome]) -> list[tuple[float, float, int, int]]:
    """Per score band: (lo, hi, alerts, true alerts) over every returned (case, entity)."""
    rows = []
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        total = true = 0
        for c in cases:
            if c.category in REPORTED:
                continue
            for li, si, s in outcomes[c.id].matches:
                if lo <= s < hi:
                    total += 1
                    true += (li, si) in c.targets
        rows.append((lo, min(hi, 1.0), total, true))
    return rows


def fmt_rate(category: str, value: float) -> str:
    if category in MUST_NOT:
        return f"{value * 1000:7.1f}/k"
    return f"{value * 100:7.1f}%"


def print_tables(
    cases: Sequence[Case],
    systems: dict[str, tuple[dict[str, Outcome], float]],
    out: Callable[[str], None] = print,
) -> None:
    names = list(systems)
    cats = [c for c in [*MUST_ALERT, *REPORTED, *MUST_NOT] if any(x.category == c for x in cases)]
    header = f"{'category':<9}{'n':>6}  " + "  ".join(f"{n + ' @' + format(systems[n][1], '.2f'):>16}" for n in names)
    out(header)
    out("-" * len(header))
    for cat in cats:
        n = sum(c.category == cat for c in cases)
        cells = [f"{fmt_rate(cat, category_rate(cases, systems[s][0], cat, systems[s][1])):>16}" for s in names]
        kind = "recall" if cat in MUST_ALERT or cat in REPORTED else "alerts"
        out(f"{cat:<9}{n:>6}  " + "  ".join(cells) + f"   ({kind})")
    out("")
    for s in names:
        outcomes, default = systems[s]
        sweep = [(t, *f1_at(cases, outcomes, t)) for t in SWEEP]
        best = max(sweep, key=lambda r: r[1])
        f1d, pd, rd = f1_at(cases, outcomes, default)
        out(f"{s}: F1 at default {default:.2f} = {f1d:.4f} (P {pd:.4f} R {rd:.4f}); "
            f"best F1 {best[1]:.4f} at {best[0]:.2f} (P {best[2]:.4f} R {best[3]:.4f})")


def print_sweep(cases: Sequence[Case], outcomes: dict[str, Outcome], out: Callable[[str], None] = print) -> None:
    cats = [c for c in [*MUST_ALERT, *REPORTED, *MUST_NOT] if any(x.category == c for x in cases)]
    out("threshold sweep (recall % for must-alert, alerts per 1,000 for must-not):")
    out(f"{'t':>5} {'F1':>7} " + " ".join(f"{c:>6}" for c in cats))
    for t in SWEEP:
        if round(t * 100) % 2 and t not in (0.75, 0.85, 0.95):
            continue
        f1, _p, _r = f1_at(cases, outcomes, t)
        cells = []
        for c in cats:
            v = category_rate(cases, outcomes, c, t)
            cells.append(f"{v * 1000:6.0f}" if c in MUST_NOT else f"{v * 100:6.1f}")
        out(f"{t:5.2f} {f1:7.4f} " + " ".join(cells))


def write_results(path: Path, cases: Sequence[Case], outcomes: dict[str, Outcome]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for c in cases:
            matches = [{"list": li, "source_id": si, "score": round(s, 4)} for li, si, s in outcomes[c.id].matches]
            fh.write(json.dumps({"id": c.id, "matches": matches}, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None, entities: Iterable[Any] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEV / "screen_cases.jsonl")
    parser.add_argument("--lists", type=Path, default=LISTS)
    parser.add_argument("--output", type=Path, help="write expected-results JSONL here")
    parser.add_argument("--threshold", type=float, help="default threshold to report (default: the engine's)")
    parser.add_argument("--compare-logic-v2", action="store_true", help="also run nomenklatura logic-v2")
    parser.add_argument("--logic-v2-candidates", type=int, default=10, help="candidates re-scored per query")
    parser.add_argument("--processes", type=int, default=2, help="worker processes for logic-v2 (wall time only)")
    parser.add_argument("--categories", help="comma-separated subset of categories")
    parser.add_argument("--show-misses", type=int, default=0, help="print up to N failing cases per category")
    add_query_schema_option(parser)
    args = parser.parse_args(argv)

    from tradeguard.matching import DEFAULT_THRESHOLD, Matcher

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    cases = with_query_schema(load_cases(args.cases), args.query_schema)
    if args.categories:
        wanted = set(args.categories.split(","))
        cases = [c for c in cases if c.category in wanted]
    t0 = time.perf_counter()
    ents = list(entities) if entities is not None else load_entities(args.lists)
    t1 = time.perf_counter()
    matcher = Matcher(ents)
    t2 = time.perf_counter()
    print(f"lists: {len(ents)} entities loaded in {t1 - t0:.1f}s; index built in {t2 - t1:.1f}s "
          f"({len(matcher.index)} names); {len(cases)} cases")
    ours, elapsed = run_ours(matcher, cases)
    print(f"tradeguard: {len(cases) / elapsed:,.0f} queries/s single process (threshold {MIN_SCORE} for the sweep)")
    systems: dict[str, tuple[dict[str, Outcome], float]] = {"tradeguard": (ours, threshold)}
    if args.compare_logic_v2:
        t_lv2 = time.perf_counter()
        lv2, lv2_cpu, lv2_build = run_logic_v2(ents, cases, args.logic_v2_candidates, args.processes)
        systems["logic-v2"] = (lv2, LOGIC_V2_THRESHOLD)
        print(f"logic-v2: {len(cases) / lv2_cpu:,.1f} queries/s per process "
              f"({args.logic_v2_candidates} candidates per query from a token index built in {lv2_build:.1f}s; "
              f"{time.perf_counter() - t_lv2:.0f}s wall on {args.processes} processes); "
              f"tradeguard: {len(cases) / elapsed:,.0f} queries/s per process = "
              f"{(len(cases) / elapsed) / (len(cases) / lv2_cpu):,.0f}x")
    print()
    print_tables(cases, systems)
    print()
    print_sweep(cases, ours)
    if args.compare_logic_v2:
        print("\nlogic-v2 sweep:")
        print_sweep(cases, systems["logic-v2"][0])
    print()
    eligible, found, lost = index_recall(matcher, cases, threshold)
    print(f"index recall vs exhaustive at {threshold:.2f}: {found}/{eligible} = "
          f"{(found / eligible if eligible else 1.0) * 100:.2f}%" + (f"  lost: {', '.join(lost[:20])}" if lost else ""))
    eligible5, found5, _lost5 = index_recall(matcher, cases, MIN_SCORE)
    print(f"index recall vs exhaustive at {MIN_SCORE:.2f}: {found5}/{eligible5} = "
          f"{(found5 / eligible5 if eligible5 else 1.0) * 100:.2f}%")
    summary_figures(cases, ours, threshold, found / eligible if eligible else 1.0)
    print("\ncalibration (every returned match, D3 excluded): share of alerts that were true matches")
    print(f"{'band':>12} {'alerts':>7} {'true':>6} {'precision':>9}")
    for lo, hi, total, true in calibration(cases, ours):
        prec = f"{true / total * 100:8.1f}%" if total else "       -"
        print(f"{lo:5.2f}-{hi:<5.2f} {total:>7} {true:>6} {prec}")
    if args.show_misses:
        print()
        show_misses(cases, ours, threshold, args.show_misses, matcher)
    if args.output:
        write_results(args.output, cases, ours)
        print(f"\nwrote {args.output}")
    return 0


# Issue 8's floors: every must-alert category >= 0.95, the hardest three >= 0.97, clean
# names <= 2 alerts per 1,000, index recall >= 99.5 %.
HARD_CATEGORIES = ("E8", "E9", "E17")


def summary_figures(cases: Sequence[Case], ours: dict[str, Outcome], t: float, index_share: float) -> None:
    """The dev suite's figures for the summary table of `make bench`."""
    from summary import report

    rates = {c: category_rate(cases, ours, c, t) for c in MUST_ALERT}
    rates = {c: r for c, r in rates.items() if r == r}  # categories absent from the cases: NaN
    if rates:
        worst = min(rates, key=lambda c: rates[c])
        report("dev suite: lowest must-alert recall", ">= 0.95", f"{worst} {rates[worst]:.3f}", rates[worst] >= 0.95)
    for c in HARD_CATEGORIES:
        if c in rates:
            report(f"dev suite: {c} recall", ">= 0.97", f"{rates[c]:.3f}", rates[c] >= 0.97)
    clean = category_rate(cases, ours, "CLEAN", t) * 1000
    if clean == clean:
        report("dev suite: CLEAN alerts per 1,000", "<= 2", f"{clean:.1f}", clean <= 2)
    report("dev suite: index recall vs exhaustive", ">= 99.5%", f"{index_share * 100:.2f}%", index_share >= 0.995)


def show_misses(cases: Sequence[Case], outcomes: dict[str, Outcome], t: float, n: int, matcher: Any) -> None:
    by_key = {(e.list, e.source_id): e for e in matcher.entities}
    per: Counter[str] = Counter()
    for c in cases:
        o = outcomes[c.id]
        if c.category in REPORTED:
            continue
        bad = o.best_target(c.targets) < t if c.expect == "match" else o.best() >= t
        if not bad or per[c.category] >= n:
            continue
        per[c.category] += 1
        top = o.matches[0] if o.matches else None
        target = next(iter(c.targets), None)
        tname = by_key[target].caption if target in by_key else ""
        print(f"{c.id}: {c.query['name']!r} [{c.query.get('schema')}] target={tname!r} "
              f"got={o.best_target(c.targets):.3f} top={top}")


if __name__ == "__main__":
    sys.exit(main())
