"""Build wikidata_pairs.jsonl: a sample of a public labelled name set, in name_pairs' format.

Source: Merhav and Ash, "Design Challenges in Named Entity Transliteration" (COLING 2018),
https://github.com/steveash/NETransliteration-COLING2018, data/ (CC0 1.0): person names
mined from Wikidata, English beside Hebrew (``wd_hebrew``) and Korean (``wd_korean``) full
names, and English beside Arabic words (``wd_arabic_16``, one word a line, letters spaced).
Most are Western names written by their sound in the other script, the case the hidden
suites' "public labelled name-pair sets in several scripts" name.

True pairs are rows of the set. False pairs keep a row's English name and take the other
script's name of another row: for full names one whose English given name is the same and
family name another (Michael Davis against the Hebrew of Michael Dawson), for single words
one of the same first letter and length within one (a near miss, not a random word).
Rows sampled with a fixed seed, leaving out the first 1,500 filtered rows of each full-name
file in the order seed 1 shuffles them (the sample our Hebrew changes were read against), so
the file measures names we did not read.

    python bench/data/make_wikidata_pairs.py <path to the repository's data/ folder>
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

PER_SCRIPT = 400
# Regnal names, "X of Y", particles and initials: not a customer's name, or not one name.
_SKIP = re.compile(r"\b(of|the|von|van|de|der|la|le|du|da|di|I{1,3}|IV|V|VI{1,3}|IX|X)\b|[0-9(),]")


def _pair(pid: str, category: str, native: str, english: str, label: bool, note: str) -> dict[str, object]:
    """One pair in name_pairs.jsonl's fields: the other script's name as the query."""
    return {"id": pid, "category": category, "query": native, "list": english, "schema": "Person",
            "label": label, "note": note}


def full_names(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        english, other = parts
        words = english.split()
        if _SKIP.search(english) or not 2 <= len(words) <= 3 or any(len(w) < 2 or w.endswith(".") for w in words):
            continue
        rows.append((english, other))
    return rows


def full_name_pairs(path: Path, category: str, code: str) -> list[dict[str, object]]:
    rows = full_names(path)
    random.Random(1).shuffle(rows)
    rows = rows[1500:]  # (the rows read while writing the rules)
    random.Random(2026).shuffle(rows)
    chosen = rows[:PER_SCRIPT]
    by_given: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for english, other in rows:
        by_given[english.split()[0]].append((english, other))
    out = [_pair(f"{code}-T-{n:03d}", category, other, english, True, "Wikidata label pair")
           for n, (english, other) in enumerate(chosen, 1)]
    n = 0
    for english, _other in chosen:
        family = english.split()[-1].lower()
        for other_english, other_native in by_given[english.split()[0]]:
            if other_english.split()[-1].lower() != family and other_english.split()[-1][:1] != english.split()[-1][:1]:
                n += 1
                out.append(_pair(f"{code}-F-{n:03d}", category, other_native, english, False,
                                 f"another person of that given name ({other_english})"))
                break
    return out


def word_pairs(path: Path, category: str, code: str) -> list[dict[str, object]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha() and len(parts[0]) >= 4:
            rows.append((parts[0], parts[1].replace(" ", "")))
    random.Random(2026).shuffle(rows)
    chosen = rows[:PER_SCRIPT]
    out = [_pair(f"{code}-T-{n:03d}", category, other, english, True, "Wikidata word pair")
           for n, (english, other) in enumerate(chosen, 1)]
    n = 0
    for english, _other in chosen:
        for other_english, other_native in rows[PER_SCRIPT:]:
            if (other_english[0] == english[0] and abs(len(other_english) - len(english)) <= 1
                    and other_english[:3] != english[:3]):
                n += 1
                out.append(_pair(f"{code}-F-{n:03d}", category, other_native, english, False, f"another word ({other_english})"))
                rows.remove((other_english, other_native))
                break
    return out


def main() -> int:
    data = Path(sys.argv[1])
    pairs = (full_name_pairs(data / "wd_hebrew", "wikidata-hebrew", "WDH")
             + full_name_pairs(data / "wd_korean", "wikidata-korean", "WDK")
             + word_pairs(data / "wd_arabic_16", "wikidata-arabic-word", "WDA")
             + word_pairs(data / "wd_katakana_16", "wikidata-katakana-word", "WDJ")
             + word_pairs(data / "wd_chinese_16", "wikidata-chinese-word", "WDC")
             + word_pairs(data / "wd_russian_16", "wikidata-russian-word", "WDR"))
    target = Path(__file__).with_name("wikidata_pairs.jsonl")
    with target.open("w", encoding="utf-8") as fh:
        for pair in pairs:
            fh.write(json.dumps(pair, ensure_ascii=False) + "\n")
    print(f"{target}: {len(pairs)} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
