"""Benchmark: listed names inside payment free text (remittance information, MT field 70).

Generated, seeded set (nothing hand-picked): ``--names`` listed names drawn at random from
the lists (Latin-script primary names of persons and organisations, two words or more), each
varied one way (as listed, one letter changed, person names reordered, the last word cut from
a name of three words or more) and written into a remittance line built from templates and
trade words at a random position; and as many clean lines written the same way with invented
names (common English surnames and trade words, checked not to be listed names).

Printed: recall (the line holds, with a hit on the drawn entry or on a list name equal to
its), per variation; false alerts per 1,000 clean lines; the time per line. Targets (issue
10): recall >= 0.95, false alerts <= 5 per 1,000 clean lines.

    .venv/bin/python bench/bench_payment_text.py [--lists DIR] [--names 400] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from tradeguard.model import Entity
from tradeguard.payments.model import FreeText
from tradeguard.screening.parties import Screener
from tradeguard.screening.payments import TEXT_THRESHOLD, PaymentScreener
from tradeguard.sources import read_list

LISTS = ["un/2026-08-01_zr101/un.xml", "ofac_sdn/full_set_2021-04_garybogle/sdn.csv"]
TEMPLATES = (
    "INV {num} {goods} FOR {name}",
    "PAYMENT TO {name} REF {num} {goods}",
    "{goods} PER CONTRACT {num} {name} {month}",
    "/ROC/{num} {name} {goods}",
    "INVOICE {num} DATED {date} {goods} SUPPLIED BY {name}",
    "{name} {goods} ORDER {num}",
    "ADVANCE PAYMENT {goods} CONTRACT {num} WITH {name} {month}",
)
GOODS = (
    "SPARE PARTS", "ELECTRONIC COMPONENTS", "FREIGHT CHARGES", "CONSULTING FEES", "A310 FLEET MAINTENANCE",
    "MICROCONTROLLERS", "GNSS MODULES", "RF CHIPS", "ENGINE PARTS", "OFFICE RENT", "SOFTWARE LICENCE",
    "MACHINE TOOLS", "TEXTILES", "FRESH FRUIT", "STEEL PIPES", "MEDICAL SUPPLIES", "CABLES AND CONNECTORS",
)
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
SURNAMES = (
    "Miller", "Johnson", "Baker", "Turner", "Walker", "Harris", "Clarke", "Lewis", "Young", "Allen", "Wright",
    "Scott", "Green", "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Phillips", "Evans", "Collins",
    "Stewart", "Morris", "Rogers", "Cook", "Morgan", "Bell", "Murphy", "Bailey", "Cooper", "Richardson", "Cox",
    "Howard", "Ward", "Peterson", "Gray", "James", "Watson", "Brooks", "Kelly", "Sanders", "Price", "Bennett",
    "Wood", "Barnes", "Ross", "Henderson", "Coleman", "Jenkins", "Perry", "Powell", "Long", "Patterson", "Hughes",
    "Flores", "Washington", "Butler", "Simmons", "Foster", "Bryant", "Alexander", "Russell", "Griffin", "Hayes",
)
from summary import report  # noqa: E402

GIVEN = ("John", "Mary", "Peter", "Anna", "David", "Laura", "Thomas", "Sarah", "Paul", "Emma", "Mark", "Julia")
TRADE = ("Logistics", "Packaging", "Textiles", "Foods", "Engineering", "Consulting", "Supplies", "Electronics",
         "Marine", "Tools", "Furniture", "Printing", "Plastics", "Garden", "Dental", "Optics", "Media")
FORMS = ("Ltd", "GmbH", "LLC", "Inc", "BV", "SA", "AB", "Oy", "Srl", "")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z .,'&-]+$")


def drawable(entity: Entity) -> str | None:
    if entity.schema not in ("Person", "Organization", "Company", "LegalEntity"):
        return None
    name = next((n.value for n in entity.names if n.kind == "primary"), None)
    if not name or not _LATIN.match(name) or len(name.replace(",", " ").split()) < 2:
        return None
    return name


def vary(name: str, schema: str, rng: random.Random) -> tuple[str, str]:
    words = name.replace(",", " ").split()
    if schema == "Person" and "," in name:
        last, _, first = name.partition(",")
        words = [*first.split(), *last.split()]
    kind = rng.choice(["listed", "misspelled", "reordered", "cut"])
    if kind == "misspelled":
        long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
        if not long:
            return " ".join(words), "listed"
        i = rng.choice(long)
        w = words[i]
        j = rng.randrange(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # two neighbouring letters swapped
    elif kind == "reordered":
        if schema != "Person" or len(words) < 2:
            return " ".join(words), "listed"
        words = [words[-1], *words[:-1]]
    elif kind == "cut":
        # A field too short: a long organisation name loses its last word, a person of
        # three names or more a middle one (the family name stays).
        if schema == "Person" and len(words) >= 3:
            del words[rng.randrange(1, len(words) - 1)]
        elif schema != "Person" and len(words) >= 4:
            words = words[:-1]
        else:
            return " ".join(words), "listed"
    return " ".join(words), kind


def line(name: str, rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        num=rng.randrange(1000, 99999), goods=rng.choice(GOODS), name=name.upper(), month=rng.choice(MONTHS),
        date=f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.2026",
    )


def clean_name(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
    return " ".join(x for x in (rng.choice(SURNAMES), rng.choice(TRADE), rng.choice(FORMS)) if x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "lists")
    parser.add_argument("--names", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--text-threshold", type=float, default=TEXT_THRESHOLD)
    args = parser.parse_args()
    if not args.lists.is_dir():
        sys.exit(f"no lists folder {args.lists}: this benchmark needs ../shared")
    entities: list[Entity] = []
    for rel in LISTS:
        entities.extend(read_list(args.lists / rel).entities)
    started = time.perf_counter()
    screener = Screener(entities=entities)
    payments = PaymentScreener(screener, text_threshold=args.text_threshold)
    print(f"{len(entities)} entities ({', '.join(LISTS)}), index built in {time.perf_counter() - started:.1f} s")

    rng = random.Random(args.seed)
    pool = [(e, n) for e in entities if (n := drawable(e))]
    drawn = rng.sample(pool, min(args.names, len(pool)))
    listed_names = {n.value.casefold() for e in entities for n in e.names}

    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed: list[str] = []
    spent = 0.0
    for entity, name in drawn:
        varied, kind = vary(name, entity.schema, rng)
        text = line(varied, rng)
        t0 = time.perf_counter()
        hits = payments._text_hits(FreeText("RmtInf/Ustrd", text))
        spent += time.perf_counter() - t0
        total[kind] += 1
        ok = any(h.entity_id == entity.entity_id or (h.matched_name or "").casefold() == name.casefold() for h in hits)
        found[kind] += ok
        if not ok and len(missed) < 12:
            missed.append(f"  {kind:10} {text!r}  (listed: {name})")
    clean_hits = 0
    clean_lines = 0
    false_examples: list[str] = []
    while clean_lines < len(drawn):
        name = clean_name(rng)
        if name.casefold() in listed_names:
            continue
        text = line(name, rng)
        clean_lines += 1
        t0 = time.perf_counter()
        hits = payments._text_hits(FreeText("RmtInf/Ustrd", text))
        spent += time.perf_counter() - t0
        if hits:
            clean_hits += 1
            if len(false_examples) < 8:
                h = hits[0]
                false_examples.append(f"  {text!r} -> {h.value!r} ~ {h.list} {h.source_id} {h.matched_name!r} {h.score:.3f}")
    recall = sum(found.values()) / max(1, sum(total.values()))
    print(f"\ntext threshold {args.text_threshold:.2f}")
    print(f"lines with a listed name: {sum(total.values())}; recall {recall:.3f} (target >= 0.95)")
    report("payment text: recall", ">= 0.95", f"{recall:.3f}", recall >= 0.95)
    for kind in sorted(total):
        print(f"  {kind:10} {found[kind] / total[kind]:.3f} ({found[kind]}/{total[kind]})")
    if missed:
        print("missed (first 12):", *missed, sep="\n")
    rate = 1000 * clean_hits / max(1, clean_lines)
    print(f"\nclean lines: {clean_lines}; false alerts {rate:.1f} per 1,000 (target <= 5)")
    report("payment text: clean-line alerts per 1,000", "<= 5", f"{rate:.1f}", rate <= 5)
    if false_examples:
        print("false alerts (first 8):", *false_examples, sep="\n")
    print(f"\ntime per line: {1000 * spent / (len(drawn) + clean_lines):.2f} ms")


if __name__ == "__main__":
    main()
