"""Name-against-name quality on our labelled pairs (bench/data/name_pairs.jsonl), per category.

Each pair is a customer-side name (``query``: Hangul, Hebrew, Burmese, kana, Greek, Thai, Tamil,
Ethiopic, Khmer, Lao, Arabic or Persian script, or an annotated vessel/company name such as
"NORDIC STAR (ex-OCEAN PEARL)")
and a list-side name in Latin letters, labelled true (same party) or false. Every pair is
scored with ``tradeguard.matching.compare(query, list, schema)`` and, beside it, with
nomenklatura's logic-v2 (two FtM proxies of the pair's schema, ``LogicV2.compare``). Per
category the script prints the true/false counts and recall, precision and F1 at the
engine's ``DEFAULT_THRESHOLD`` and at logic-v2's 0.70, then one summary line per category.

    python bench/eval_pairs.py [--category korean,annotated] [--show-misses [N]] [--no-logic-v2]

See bench/data/README.md for how the pairs were made.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "bench" / "data" / "name_pairs.jsonl"
LOGIC_V2_THRESHOLD = 0.7  # yente's default match threshold for logic-v2
CATEGORY_ORDER = ["korean", "chinese", "hebrew", "burmese", "japanese", "greek", "arabic", "annotated"]


@dataclass(frozen=True)
class Pair:
    id: str
    category: str
    query: str
    list: str
    schema: str
    label: bool
    note: str


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, label: bool, alert: bool) -> None:
        if label and alert:
            self.tp += 1
        elif label:
            self.fn += 1
        elif alert:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else math.nan

    @property
    def precision(self) -> float:
        """NaN when nothing alerted (precision is undefined, not 1)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else math.nan

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else math.nan


def load_pairs(path: Path) -> list[Pair]:
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            if not isinstance(d.get("label"), bool):
                raise ValueError(f"{path}:{n}: label must be true or false")
            pairs.append(
                Pair(d["id"], d["category"], d["query"], d["list"], d.get("schema") or "LegalEntity",
                     d["label"], d.get("note", ""))
            )
    ids = [p.id for p in pairs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: duplicate ids")
    return pairs


# --- systems -------------------------------------------------------------------------


def score_ours(pairs: Sequence[Pair]) -> tuple[dict[str, tuple[float, dict[str, Any]]], float]:
    from tradeguard.matching import compare

    out: dict[str, tuple[float, dict[str, Any]]] = {}
    start = time.perf_counter()
    for p in pairs:
        out[p.id] = compare(p.query, p.list, p.schema)
    return out, time.perf_counter() - start


def score_logic_v2(pairs: Sequence[Pair]) -> tuple[dict[str, float], float]:
    """logic-v2 score of every pair, as ``bench/eval_dev.py`` builds its proxies."""
    from followthemoney import model
    from nomenklatura.matching import LogicV2

    config = LogicV2.default_config()

    def proxy(schema: str, name: str, pid: str) -> Any:
        entity = model.make_entity(schema)
        entity.id = pid
        entity.add("name", name, quiet=True)
        return entity

    # Warm up (reference data loads on first use) before timing.
    LogicV2.compare(proxy("Person", "warm up", "w1"), proxy("Person", "warm up", "w2"), config)
    out: dict[str, float] = {}
    start = time.perf_counter()
    for p in pairs:
        result = LogicV2.compare(proxy(p.schema, p.query, f"q-{p.id}"), proxy(p.schema, p.list, f"l-{p.id}"), config)
        out[p.id] = float(result.score)
    return out, time.perf_counter() - start


# --- reporting -----------------------------------------------------------------------


def counts_by_category(pairs: Sequence[Pair], scores: dict[str, float], t: float) -> dict[str, Counts]:
    per: dict[str, Counts] = {}
    for p in pairs:
        per.setdefault(p.category, Counts()).add(p.label, scores[p.id] >= t)
    return per


def total(per: dict[str, Counts]) -> Counts:
    c = Counts()
    for x in per.values():
        c.tp, c.fp, c.fn, c.tn = c.tp + x.tp, c.fp + x.fp, c.fn + x.fn, c.tn + x.tn
    return c


def pct(v: float) -> str:
    return "     -" if math.isnan(v) else f"{v * 100:5.1f}%"


def categories(pairs: Sequence[Pair]) -> list[str]:
    present = {p.category for p in pairs}
    return [c for c in CATEGORY_ORDER if c in present] + sorted(present - set(CATEGORY_ORDER))


def print_table(
    pairs: Sequence[Pair],
    systems: dict[str, tuple[dict[str, Counts], float]],
    out: Callable[[str], None] = print,
) -> None:
    cats = categories(pairs)
    names = list(systems)
    head1 = f"{'':<10}{'':>6}{'':>6}  " + "  ".join(f"{(n + ' @' + format(systems[n][1], '.2f')):^22}" for n in names)
    head2 = f"{'category':<10}{'true':>6}{'false':>6}  " + "  ".join(f"{'recall':>7}{'prec':>7}{'F1':>7} " for _ in names)
    out(head1)
    out(head2)
    out("-" * len(head2))
    rows = [(c, {n: systems[n][0][c] for n in names}) for c in cats]
    rows.append(("all", {n: total(systems[n][0]) for n in names}))
    for cat, per in rows:
        sel = [p for p in pairs if cat == "all" or p.category == cat]
        n_true = sum(p.label for p in sel)
        if cat == "all":
            out("-" * len(head2))
        cells = "  ".join(f"{pct(per[n].recall):>7}{pct(per[n].precision):>7}{pct(per[n].f1):>7} " for n in names)
        out(f"{cat:<10}{n_true:>6}{len(sel) - n_true:>6}  {cells}")


def alignment(explanation: dict[str, Any]) -> str:
    """The token alignment of an explanation, compact: q→l (how sim), then the leftovers."""
    name = explanation.get("name") or {}
    parts = []
    for tok in name.get("tokens") or []:
        if tok["how"] == "exact":
            parts.append(tok["query"])
        else:
            parts.append(f"{tok['query']}\u2192{tok['list']} ({tok['how']} {tok.get('sim', '')})")
    text = "tokens: " + (", ".join(parts) if parts else "none")
    if name.get("unmatched_query"):
        text += "; query only: " + " ".join(name["unmatched_query"])
    if name.get("unmatched_list"):
        text += "; list only: " + " ".join(name["unmatched_list"])
    for key in ("ignored_query", "ignored_list"):
        if name.get(key):
            text += f"; {key.replace('_', ' ')}: " + ", ".join(name[key])
    for penalty in name.get("penalties") or []:
        text += f"; {penalty['what'].replace('_', ' ')} x{penalty['factor']}"
    return text


def show_misses(
    pairs: Sequence[Pair],
    ours: dict[str, tuple[float, dict[str, Any]]],
    lv2: dict[str, float] | None,
    t: float,
    limit: int,
    out: Callable[[str], None] = print,
) -> None:
    for cat in categories(pairs):
        sel = [p for p in pairs if p.category == cat]
        missed = [p for p in sel if p.label and ours[p.id][0] < t]
        false_alerts = [p for p in sel if not p.label and ours[p.id][0] >= t]
        out(f"== {cat}: {len(missed)} missed true pairs, {len(false_alerts)} false alerts (tradeguard @ {t:.2f})")
        for kind, group in (("MISS", missed), ("FALSE", false_alerts)):
            for p in group[:limit]:
                score, explanation = ours[p.id]
                other = f" logic-v2 {lv2[p.id]:.3f}" if lv2 is not None else ""
                out(f"{kind:<5} {p.id}: {p.query!r} vs {p.list!r} [{p.schema}] score {score:.3f}{other}  ({p.note})")
                out(f"      {alignment(explanation)}")
            if len(group) > limit:
                out(f"      ... {len(group) - limit} more")


def summary_line(cat: str, systems: dict[str, tuple[dict[str, Counts], float]]) -> str:
    parts = []
    for name, (per, t) in systems.items():
        c = per[cat] if cat != "all" else total(per)
        parts.append(
            f"{name}@{t:.2f} R {pct(c.recall).strip()} P {pct(c.precision).strip()} F1 {pct(c.f1).strip()} "
            f"(TP {c.tp} FN {c.fn} FP {c.fp} TN {c.tn})"
        )
    return f"{cat}: " + " | ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="labelled pairs (JSONL)")
    parser.add_argument("--category", help="only these categories (comma-separated)")
    parser.add_argument("--threshold", type=float, help="tradeguard threshold (default: DEFAULT_THRESHOLD)")
    parser.add_argument("--logic-v2-threshold", type=float, default=LOGIC_V2_THRESHOLD)
    parser.add_argument("--no-logic-v2", action="store_true", help="skip nomenklatura logic-v2")
    parser.add_argument(
        "--show-misses", nargs="?", type=int, const=1000, default=0, metavar="N",
        help="print failing pairs (up to N per kind and category) with the token alignment",
    )
    args = parser.parse_args(argv)

    from tradeguard.matching import DEFAULT_THRESHOLD

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    pairs = load_pairs(args.pairs)
    if args.category:
        wanted = {c.strip() for c in args.category.split(",") if c.strip()}
        unknown = wanted - {p.category for p in pairs}
        if unknown:
            parser.error(f"unknown categories: {', '.join(sorted(unknown))}")
        pairs = [p for p in pairs if p.category in wanted]

    ours, t_ours = score_ours(pairs)
    our_scores = {pid: s for pid, (s, _e) in ours.items()}
    systems: dict[str, tuple[dict[str, Counts], float]] = {
        "tradeguard": (counts_by_category(pairs, our_scores, threshold), threshold)
    }
    lv2: dict[str, float] | None = None
    timing = f"tradeguard {len(pairs) / t_ours:,.0f} pairs/s"
    if not args.no_logic_v2:
        lv2, t_lv2 = score_logic_v2(pairs)
        systems["logic-v2"] = (counts_by_category(pairs, lv2, args.logic_v2_threshold), args.logic_v2_threshold)
        timing += f", logic-v2 {len(pairs) / t_lv2:,.0f} pairs/s"
    print(f"{args.pairs.name}: {len(pairs)} pairs ({sum(p.label for p in pairs)} true, "
          f"{sum(not p.label for p in pairs)} false); {timing}")
    print()
    print_table(pairs, systems)
    if args.show_misses:
        print()
        show_misses(pairs, ours, lv2, threshold, args.show_misses)
    print()
    for cat in [*categories(pairs), "all"]:
        print(summary_line(cat, systems))
    return 0


if __name__ == "__main__":
    sys.exit(main())
