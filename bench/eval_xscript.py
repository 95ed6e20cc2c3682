"""Cross-script screening quality: Arabic/CJK queries against lists that hold Latin names only.

Two suites, each printed per category with tradeguard at its default threshold beside
nomenklatura's logic-v2 at 0.70 (yente's threshold) and at 0.50, then a threshold sweep and
the index recall against exhaustive scoring:

* ``xscript``: ``../shared/eval/dev/xscript_cases.jsonl`` (XS-ARABIC, XS-CJK must alert; CLEAN
  must not) against a store holding only the OFAC SDN list (Latin names only). Targets:
  XS-ARABIC recall >= 0.90 and CLEAN <= 5 alerts per 1,000 at the default threshold.
* ``pep``: the Saudi Wikidata-PEP bundle (``opensanctions/wikidata_peps_sa_*``). The store
  holds its Person entities with every name that has an Arabic-script letter removed; each
  person that had both an Arabic-script and a Latin name is one case (category PEP-ARABIC)
  whose query is the person's first purely Arabic-script name. Target: recall >= 0.90; also
  reported, the alerts on other people (wrong-person alerts per 1,000 queries).

The comparison reuses bench/eval_dev.py (cases, both runners, tables, sweep, index recall).
Its logic-v2 candidates come from a token index over the raw name tokens, which never links
an Arabic-script query to a Latin name; ``--logic-v2-index translit`` (the default) adds the
ASCII transliteration of each token and its metaphone key to that index, as yente's index
does (name parts and phonetic keys), so logic-v2 gets candidates to re-score. ``plain``
measures eval_dev's index as it is.

    python bench/eval_xscript.py [--suite xscript|pep|all] [--show-misses N] [--no-logic-v2]
                                 [--output results.jsonl]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import eval_dev  # noqa: E402
from eval_dev import (  # noqa: E402
    _TOKEN,
    DEV,
    LISTS,
    LOGIC_V2_THRESHOLD,
    MIN_SCORE,
    MUST_ALERT,
    MUST_NOT,
    Case,
    Outcome,
    SimpleTokenIndex,
    category_rate,
    index_recall,
    load_cases,
    print_sweep,
    print_tables,
    run_logic_v2,
    run_ours,
    write_results,
)

OFAC_SDN = "ofac_sdn/full_set_2021-04_garybogle/sdn.csv"
PEP_FTM = "opensanctions/wikidata_peps_sa_2024-03-09_khongdudinhdoikhongne/entities.ftm.json"
XSCRIPT_CASES = "xscript_cases.jsonl"
PEP_CATEGORY = "PEP-ARABIC"
LOGIC_V2_LOW = 0.5  # the issue quotes logic-v2 at 0.50 as well
RECALL_TARGET = 0.90
CLEAN_TARGET = 5.0  # alerts per 1,000 names

# eval_dev's tables and sweep list the categories they know; register this suite's.
for _cat in ("XS-ARABIC", "XS-CJK", PEP_CATEGORY):
    if _cat not in MUST_ALERT:
        MUST_ALERT.append(_cat)
assert "CLEAN" in MUST_NOT


# --- scripts ---------------------------------------------------------------------------


def _script_of(ch: str) -> str:
    if not ch.isalpha():
        return ""
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return ""


def has_arabic(text: str) -> bool:
    """True when ``text`` has an Arabic-script letter (Arabic, Persian, Urdu, ... forms)."""
    return any(_script_of(ch) == "ARABIC" for ch in text)


def has_latin(text: str) -> bool:
    return any(_script_of(ch) == "LATIN" for ch in text)


# --- suites ----------------------------------------------------------------------------


@dataclass
class PepSuite:
    entities: list[Any]  # the store: Person entities with their Arabic-script names removed
    cases: list[Case]
    arabic_names: dict[str, list[str]]  # case id -> every Arabic-script name of the person
    notes: list[str] = field(default_factory=list)


def build_pep_suite(path: Path, all_names: bool = False) -> PepSuite:
    """The Saudi PEP suite from an ``entities.ftm.json``: a Latin-only store and one Arabic
    query per person holding both an Arabic-script and a Latin name (its first purely
    Arabic-script name; with ``all_names``, one case per such name)."""
    from tradeguard.sources import read_list

    parsed = read_list(path)
    entities: list[Any] = []
    cases: list[Case] = []
    arabic_names: dict[str, list[str]] = {}
    persons = dropped = kept_other_script = mixed = no_pure = 0
    for entity in parsed.entities:
        if entity.schema != "Person":
            continue
        persons += 1
        arabic = [n.value for n in entity.names if has_arabic(n.value)]
        rest: list[Any] = []
        for n in entity.names:
            if has_arabic(n.value):
                continue
            given = n.given if n.given and not has_arabic(n.given) else None
            family = n.family if n.family and not has_arabic(n.family) else None
            rest.append(dataclasses.replace(n, given=given, family=family))
        kept_other_script += sum(not has_latin(n.value) for n in rest)
        if not rest:
            dropped += 1
            continue
        if not any(n.kind == "primary" for n in rest):
            rest[0] = dataclasses.replace(rest[0], kind="primary")
        entities.append(dataclasses.replace(entity, names=rest))
        if not arabic or not any(has_latin(n.value) for n in rest):
            continue
        pure = [a for a in arabic if not has_latin(a)]
        mixed += len(arabic) - len(pure)
        if not pure:
            no_pure += 1
            continue
        target = {(entity.list, entity.source_id)}
        for k, value in enumerate(pure if all_names else pure[:1], 1):
            case_id = f"{PEP_CATEGORY}-{entity.source_id}" + (f"-{k}" if all_names else "")
            cases.append(Case(case_id, PEP_CATEGORY, {"name": value, "schema": "Person"}, "match", set(target)))
            arabic_names[case_id] = pure
    notes = [
        f"{persons} Person entities; {len(entities)} in the store, {dropped} dropped (Arabic names only)",
        f"{len(cases)} cases from {len({c.id.split('-')[2] for c in cases})} persons with an Arabic-script "
        f"and a Latin name; {len({c.id.split('-')[2] for c in cases if len(arabic_names[c.id]) > 1})} of them "
        f"have several Arabic-script names ({'one case per name' if all_names else 'the query is the first'})",
        f"{kept_other_script} non-Arabic, non-Latin names kept in the store (Cyrillic, CJK, Hebrew, ...)",
    ]
    if mixed:
        notes.append(f"{mixed} mixed Latin+Arabic names removed from the store and not used as queries")
    if no_pure:
        notes.append(f"{no_pure} persons skipped: their Arabic-script names all carry Latin letters too")
    return PepSuite(entities, cases, arabic_names, notes)


def load_ofac(lists_dir: Path) -> list[Any]:
    from tradeguard.sources import read_list

    parsed = read_list(lists_dir / OFAC_SDN)
    if parsed.list_key != "us_ofac_sdn":
        print(f"warning: {OFAC_SDN} read as {parsed.list_key}, expected us_ofac_sdn", file=sys.stderr)
    return list(parsed.entities)


# --- logic-v2 candidates ---------------------------------------------------------------


def _translit_tokens(name: str) -> set[str]:
    """Raw casefolded tokens, plus each token's ASCII transliteration and its metaphone key."""
    from rigour.text import metaphone

    try:
        from rigour.text import ascii_text  # rigour >= 2.2
    except ImportError:  # the rigour that yente 5.5 (the compat extra) pins
        from normality import ascii_text

    toks = {t.casefold() for t in _TOKEN.findall(name)}
    for tok in _TOKEN.findall(ascii_text(name) or ""):
        tok = tok.casefold()
        toks.add(tok)
        if len(tok) > 2:
            key = metaphone(tok)
            if key:
                toks.add("~" + key)
    return toks


class TranslitTokenIndex(SimpleTokenIndex):
    """eval_dev's token index, with ASCII-transliterated and phonetic tokens (as yente's)."""

    @staticmethod
    def tokens(name: str) -> set[str]:
        return _translit_tokens(name)


@contextmanager
def logic_v2_index(kind: str) -> Iterator[None]:
    """Use ``kind`` ("plain" or "translit") as the candidate index of eval_dev.run_logic_v2."""
    saved = eval_dev.SimpleTokenIndex
    if kind == "translit":
        eval_dev.SimpleTokenIndex = TranslitTokenIndex  # type: ignore[misc]
    try:
        yield
    finally:
        eval_dev.SimpleTokenIndex = saved  # type: ignore[misc]


# --- running a suite -------------------------------------------------------------------


@dataclass
class SuiteRun:
    name: str
    cases: list[Case]
    matcher: Any
    threshold: float
    ours: dict[str, Outcome]
    lv2: dict[str, Outcome] | None = None
    summary: list[tuple[str, str, str, str]] = field(default_factory=list)  # figure, target, measured, verdict
    index_row: tuple[str, str, str, str] | None = None


def run_suite(name: str, entities: list[Any], cases: list[Case], threshold: float, args: argparse.Namespace) -> SuiteRun:
    from tradeguard.matching import Matcher

    t0 = time.perf_counter()
    matcher = Matcher(entities)
    build = time.perf_counter() - t0
    n_names = len(matcher.index) if hasattr(matcher, "index") and hasattr(matcher.index, "__len__") else "?"
    print(f"store: {len(entities)} entities, index built in {build:.1f}s ({n_names} names); {len(cases)} cases")
    ours, elapsed = run_ours(matcher, cases)
    print(f"tradeguard: {len(cases) / elapsed:,.0f} queries/s single process")
    run = SuiteRun(name, cases, matcher, threshold, ours)
    systems: dict[str, tuple[dict[str, Outcome], float]] = {"tradeguard": (ours, threshold)}
    if not args.no_logic_v2:
        t1 = time.perf_counter()
        with logic_v2_index(args.logic_v2_index):
            lv2, cpu, lv2_build = run_logic_v2(entities, cases, args.logic_v2_candidates, args.processes)
        run.lv2 = lv2
        systems["logic-v2"] = (lv2, LOGIC_V2_THRESHOLD)
        systems["logic-v2 lo"] = (lv2, LOGIC_V2_LOW)
        print(f"logic-v2: {len(cases) / max(cpu, 1e-9):,.1f} queries/s per process ({args.logic_v2_candidates} "
              f"candidates per query from the {args.logic_v2_index} token index built in {lv2_build:.1f}s; "
              f"{time.perf_counter() - t1:.0f}s wall on {args.processes} processes); "
              f"{sum(bool(o.matches) for o in lv2.values())}/{len(cases)} queries got a match >= {MIN_SCORE}")
    print()
    print_tables(cases, systems)
    print()
    print_sweep(cases, ours)
    if run.lv2 is not None:
        print("\nlogic-v2 sweep:")
        print_sweep(cases, run.lv2)
    print()
    try:
        eligible, found, lost = index_recall(matcher, cases, threshold)
        shown = f"{found / eligible * 100:.1f}%" if eligible else "n/a"
        print(f"index recall vs exhaustive at {threshold:.2f}: {found}/{eligible} = {shown}"
              + (" (no target scores that high even when scored exhaustively)" if not eligible else "")
              + (f"  lost: {', '.join(lost[:20])}" if lost else ""))
        run.index_row = (f"{name}: index recall vs exhaustive @{threshold:.2f}", "-", f"{found}/{eligible} = {shown}", "info")
    except (AttributeError, TypeError) as exc:  # the engine's API changed under us
        print(f"index recall: not measured ({type(exc).__name__}: {exc})")
    return run


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def xscript_figures(run: SuiteRun) -> None:
    t = run.threshold
    print()
    for cat in ("XS-ARABIC", "XS-CJK"):
        if not any(c.category == cat for c in run.cases):
            continue
        n = sum(c.category == cat for c in run.cases)
        rate = category_rate(run.cases, run.ours, cat, t)
        target = f">= {RECALL_TARGET:.2f}" if cat == "XS-ARABIC" else "-"
        verdict = _verdict(rate >= RECALL_TARGET) if cat == "XS-ARABIC" else "info"
        print(f"{cat} recall at {t:.2f}: {rate * 100:.1f}% of {n}  [{verdict}, target {target}]")
        run.summary.append((f"xscript: {cat} recall @{t:.2f} (n={n})", target, f"{rate * 100:.1f}%", verdict))
        if run.lv2 is not None:
            for lt in (LOGIC_V2_THRESHOLD, LOGIC_V2_LOW):
                lrate = category_rate(run.cases, run.lv2, cat, lt)
                run.summary.append((f"xscript: {cat} recall, logic-v2 @{lt:.2f}", "-", f"{lrate * 100:.1f}%", "ref"))
    if any(c.category == "CLEAN" for c in run.cases):
        n = sum(c.category == "CLEAN" for c in run.cases)
        per_k = category_rate(run.cases, run.ours, "CLEAN", t) * 1000
        verdict = _verdict(per_k <= CLEAN_TARGET)
        print(f"CLEAN alerts at {t:.2f}: {per_k:.1f} per 1,000 of {n}  [{verdict}, target <= {CLEAN_TARGET:g}/k]")
        run.summary.append((f"xscript: CLEAN alerts @{t:.2f} (n={n})", f"<= {CLEAN_TARGET:g}/k", f"{per_k:.1f}/k", verdict))
        if run.lv2 is not None:
            for lt in (LOGIC_V2_THRESHOLD, LOGIC_V2_LOW):
                lrate = category_rate(run.cases, run.lv2, "CLEAN", lt) * 1000
                run.summary.append((f"xscript: CLEAN alerts, logic-v2 @{lt:.2f}", "-", f"{lrate:.1f}/k", "ref"))


def wrong_person_alerts(cases: Sequence[Case], outcomes: dict[str, Outcome], t: float) -> tuple[int, int]:
    """(alerts on someone other than the target, queries with at least one) at ``t``; at most
    the 10 best matches per query are kept, so this is capped at 10 per query."""
    total = queries = 0
    for c in cases:
        wrong = sum(s >= t and (li, si) not in c.targets for li, si, s in outcomes[c.id].matches)
        total += wrong
        queries += wrong > 0
    return total, queries


def pep_figures(run: SuiteRun) -> None:
    t = run.threshold
    n = len(run.cases)
    print()
    if not n:
        print("PEP suite: no cases")
        return
    rate = category_rate(run.cases, run.ours, PEP_CATEGORY, t)
    verdict = _verdict(rate >= RECALL_TARGET)
    print(f"{PEP_CATEGORY} recall at {t:.2f}: {rate * 100:.1f}% of {n}  [{verdict}, target >= {RECALL_TARGET:.2f}]")
    run.summary.append((f"pep: {PEP_CATEGORY} recall @{t:.2f} (n={n})", f">= {RECALL_TARGET:.2f}", f"{rate * 100:.1f}%", verdict))
    systems = [("tradeguard", run.ours, t)]
    if run.lv2 is not None:
        systems += [("logic-v2", run.lv2, LOGIC_V2_THRESHOLD), ("logic-v2", run.lv2, LOGIC_V2_LOW)]
        for _s, outcomes, lt in systems[1:]:
            lrate = category_rate(run.cases, outcomes, PEP_CATEGORY, lt)
            run.summary.append((f"pep: {PEP_CATEGORY} recall, logic-v2 @{lt:.2f}", "-", f"{lrate * 100:.1f}%", "ref"))
    print("alerts on another person (top 10 matches per query):")
    for system, outcomes, st in systems:
        total, queries = wrong_person_alerts(run.cases, outcomes, st)
        print(f"  {system} @{st:.2f}: {total} wrong-person alerts = {total / n * 1000:.0f} per 1,000 queries; "
              f"{queries}/{n} queries alert on someone else ({queries / n * 1000:.0f} per 1,000)")
        if system == "tradeguard":
            run.summary.append((f"pep: wrong-person alerts @{st:.2f}", "-", f"{total / n * 1000:.0f}/k queries", "info"))


def _exhaustive(matcher: Any, case: Case) -> float:
    """The target's best score with every one of its names scored (no index); nan if the
    engine cannot say."""
    from tradeguard.matching import Query

    try:
        idx = [i for i, e in enumerate(matcher.entities) if (e.list, e.source_id) in case.targets]
        query = Query(name=case.query["name"], schema=case.query.get("schema"))
        return max((s for _ei, s in matcher.score_entities(query, idx)), default=0.0)
    except (AttributeError, TypeError):
        return float("nan")


def show_misses(run: SuiteRun, n: int, arabic_names: dict[str, list[str]] | None = None) -> None:
    """Up to ``n`` failing cases per category: the query, the target's names, the best score
    the target got and the top match."""
    by_key = {(e.list, e.source_id): e for e in run.matcher.entities}
    shown: dict[str, int] = {}
    print(f"\nmisses at {run.threshold:.2f} (up to {n} per category):")
    for c in run.cases:
        o = run.ours[c.id]
        bad = o.best_target(c.targets) < run.threshold if c.expect == "match" else o.best() >= run.threshold
        if not bad or shown.get(c.category, 0) >= n:
            continue
        shown[c.category] = shown.get(c.category, 0) + 1
        top = ""
        if o.matches:
            li, si, s = o.matches[0]
            e = by_key.get((li, si))
            top = f"{li}:{si} {e.names[0].value if e is not None and e.names else '?'!r} {s:.3f}"
        line = f"{c.id}: {c.query['name']!r}"
        for key in sorted(c.targets):
            e = by_key.get(key)
            names = [x.value for x in e.names] if e is not None else []
            shown_names = "; ".join(names[:4]) + (f" (+{len(names) - 4})" if len(names) > 4 else "")
            line += f"\n    target {key[0]}:{key[1]}: {shown_names}"
        if arabic_names and len(arabic_names.get(c.id, [])) > 1:
            line += f"\n    other Arabic names: {'; '.join(arabic_names[c.id][1:4])}"
        if c.expect == "match":
            line += f"\n    got {o.best_target(c.targets):.3f} (exhaustive: {_exhaustive(run.matcher, c):.3f}); top {top or '-'}"
        else:
            line += f"\n    alerted at {o.best():.3f}: {top}"
        print(line)
    if not shown:
        print("  none")


# --- main ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--suite", choices=["xscript", "pep", "all"], default="all")
    parser.add_argument("--lists", type=Path, default=LISTS)
    parser.add_argument("--cases", type=Path, default=DEV / XSCRIPT_CASES, help="the xscript suite's cases")
    parser.add_argument("--threshold", type=float, help="default threshold to report (default: the engine's)")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N", help="print up to N failing cases per category")
    parser.add_argument("--no-logic-v2", action="store_true", help="skip the nomenklatura logic-v2 comparison")
    parser.add_argument("--logic-v2-index", choices=["translit", "plain"], default="translit",
                        help="logic-v2 candidates: token index with transliterated/phonetic tokens (default) or eval_dev's raw-token one")
    parser.add_argument("--logic-v2-candidates", type=int, default=10, help="candidates re-scored per query")
    parser.add_argument("--processes", type=int, default=2, help="worker processes for logic-v2")
    parser.add_argument("--output", type=Path, help="write the results JSONL (the suite's contract format) here")
    parser.add_argument("--pep-all-names", action="store_true",
                        help="PEP suite: one case per Arabic-script name of a person (default: its first one only)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    eval_dev.add_query_schema_option(parser)  # (the xscript suite's cases)
    args = parser.parse_args(argv)

    want_x = args.suite in ("xscript", "all")
    want_p = args.suite in ("pep", "all")
    needed = ([args.lists / OFAC_SDN, args.cases] if want_x else []) + ([args.lists / PEP_FTM] if want_p else [])
    missing = [p for p in needed if not p.is_file()]
    if missing:
        print("eval_xscript: skipped, data not found (the ../shared folder is absent?): "
              + ", ".join(str(p) for p in missing))
        return 0

    from tradeguard.matching import DEFAULT_THRESHOLD

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    started = time.perf_counter()
    runs: list[SuiteRun] = []
    if want_x:
        print("=== xscript suite: Arabic/CJK queries vs OFAC SDN (Latin names only) ===")
        t0 = time.perf_counter()
        entities = load_ofac(args.lists)
        cases = eval_dev.with_query_schema(load_cases(args.cases), args.query_schema)
        print(f"OFAC SDN: {len(entities)} entities read in {time.perf_counter() - t0:.1f}s")
        run = run_suite("xscript", entities, cases, threshold, args)
        xscript_figures(run)
        if args.show_misses:
            show_misses(run, args.show_misses)
        runs.append(run)
    if want_p:
        print(("\n" if runs else "") + "=== pep suite: Arabic names of Saudi PEPs vs their Latin names ===")
        suite = build_pep_suite(args.lists / PEP_FTM, args.pep_all_names)
        for note in suite.notes:
            print(f"  {note}")
        run = run_suite("pep", suite.entities, suite.cases, threshold, args)
        pep_figures(run)
        if args.show_misses:
            show_misses(run, args.show_misses, suite.arabic_names)
        runs.append(run)

    if args.output:
        all_cases = [c for r in runs for c in r.cases]
        outcomes = {cid: o for r in runs for cid, o in r.ours.items()}
        write_results(args.output, all_cases, outcomes)
        print(f"\nwrote {args.output} ({len(all_cases)} lines)")

    rows = [row for r in runs for row in [*r.summary, *([r.index_row] if r.index_row else [])]]
    print(f"\nsummary (tradeguard default threshold {threshold:.2f}; {time.perf_counter() - started:.0f}s):")
    w = max(len(r[0]) for r in rows) if rows else 10
    from summary import report

    print(f"{'figure':<{w}}  {'target':>10}  {'measured':>16}  verdict")
    for figure, target, measured, verdict in rows:
        print(f"{figure:<{w}}  {target:>10}  {measured:>16}  {verdict}")
        if verdict in ("PASS", "FAIL"):
            report(figure, target, measured, verdict == "PASS")
    failed = any(r[3] == "FAIL" for r in rows)
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
