"""Annotated names: one name string that holds two names of one party.

"NORDIC STAR (ex-OCEAN PEARL)" is a vessel now called NORDIC STAR that was called OCEAN
PEARL; "Halden Foods AS (f.k.a. Halden Fisk AS)" a company under its new and its former
name; "A. Smith t/a Smith Haulage" a person and the name they trade under. Matched as one
string, either name is diluted by the other's words; vessels are renamed to escape
screening and trade documents keep the old name in brackets. ``split_annotated`` returns
each name on its own (numbers stay with their own name), labelled ``main``, ``former`` or
``alias``. The markers are reference data (``data/annotations.yml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tradeguard.matching.reference import load_reference


@dataclass(frozen=True, slots=True)
class NamePart:
    text: str
    label: str  # main, former or alias (engine.name_parts adds "reading")
    marker: str = ""  # the marker as written ("ex-", "f.k.a."), "" for the main name


@lru_cache(maxsize=1)
def _marker_re() -> re.Pattern[str]:
    data: Any = load_reference("annotations.yml")
    groups = []
    for label in ("former", "alias"):
        alternatives = "|".join(f"(?:{p})" for p in data[label])
        groups.append(f"(?P<{label}>{alternatives})")
    # A marker stands at the start of the string, after white space, a bracket or a comma,
    # and is followed by white space, a bracket or (for "ex-") the name itself.
    return re.compile(r"(?:(?<=^)|(?<=[\s(\[,;]))(?:" + "|".join(groups) + r")(?=[\s(\[]|(?<=[-.:])\S)", re.IGNORECASE)


_TRIM = " \t,;:-()[]"


def split_annotated(name: str) -> list[NamePart]:
    """The names in ``name``: [main, then each annotated name], or [main] alone."""
    if not name or len(name) < 5:
        return [NamePart(name, "main")]
    found = list(_marker_re().finditer(name))
    if not found:
        return [NamePart(name, "main")]
    parts: list[NamePart] = []
    main_end = found[0].start()
    main = _clean(name[:main_end])
    if not main:
        return [NamePart(name, "main")]
    parts.append(NamePart(main, "main"))
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(name)
        chunk = name[m.end() : end]
        opened = name[:m.start()].rstrip().endswith(("(", "["))
        if opened:
            close = re.search(r"[)\]]", chunk)
            if close:
                rest = _clean(chunk[close.end() :])
                chunk = chunk[: close.start()]
                if rest and k + 1 == len(found):
                    # "OCEAN STAR (ex-X) LTD": words after the bracket belong to the main name.
                    parts[0] = NamePart(_clean(f"{parts[0].text} {rest}"), "main")
        text = _clean(chunk)
        if text and any(ch.isalnum() for ch in text):
            label = "former" if m.group("former") else "alias"
            parts.append(NamePart(text, label, m.group(0)))
    return parts if len(parts) > 1 else [NamePart(name, "main")]


def _clean(text: str) -> str:
    text = text.strip(_TRIM)
    # Drop a bracket left open by the cut ("NORDIC STAR (" -> "NORDIC STAR").
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].strip(_TRIM) if text.rfind("(") > 0 else text.replace("(", " ")
    return re.sub(r"\s+", " ", text).strip(_TRIM)


__all__ = ["NamePart", "split_annotated"]
