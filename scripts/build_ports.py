"""Regenerate the generated section of src/tradeguard/screening/data/ports.yml from the
`sea-ports` npm package (github.com/marchah/sea-ports, MIT licence, derived from UN/LOCODE).

    .venv/bin/python scripts/build_ports.py [PATH/TO/sea-ports/lib/ports.json]

Only facts are carried over: each port's UN/LOCODE (the JSON key) and its names (``name``,
``city``, ``alias``, with "X (Y)", "X (ex Y)", "X/Y" and "X, Region" split into separate
names). The country is not copied: tradeguard reads it from the LOCODE's first two letters.
Everything above the ``BEGIN GENERATED`` marker of ports.yml (header, curated ports) is kept
as it is; everything below it is rewritten.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from tradeguard.screening.destinations import normalize_text

DEFAULT_SOURCE = Path("/tmp/seaports/package/lib/ports.json")
TARGET = Path(__file__).resolve().parents[1] / "src/tradeguard/screening/data/ports.yml"
MARKER = "# --- BEGIN GENERATED"
_LOCODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")
_PARENS = re.compile(r"\(([^)]*)\)")


def split_names(text: str) -> list[str]:
    """Names in one dataset field: "Mariupol (ex Zhdanov)" gives Mariupol and Zhdanov,
    "Jakarta, Java" gives Jakarta, "Hakata/Fukuoka" gives Hakata and Fukuoka."""
    inner = [part for group in _PARENS.findall(text) for part in group.split("/")]
    outer = _PARENS.sub(" ", text).split("/")
    names: list[str] = []
    for part in outer + inner:
        part = re.sub(r"^\s*ex\s+", "", part.split(",")[0])
        part = re.sub(r"\s+", " ", part).strip()
        if part:
            names.append(part)
    return names


def port_names(entry: dict[str, Any]) -> list[str]:
    """The port's names, the dataset's main name first, without duplicates."""
    raw = [entry.get("name") or "", entry.get("city") or "", *(entry.get("alias") or [])]
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        for name in split_names(str(value)):
            key = "".join(normalize_text(name))
            if key and key not in seen:
                seen.add(key)
                names.append(name)
    return names


def generated_section(data: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"{MARKER} by scripts/build_ports.py from sea-ports (MIT): do not edit below ---",
        "# UN/LOCODE: [main name, other names...]; the country is the LOCODE's first two letters.",
        "dataset:",
    ]
    for locode in sorted(data):
        if not _LOCODE.match(locode):
            raise SystemExit(f"unexpected key {locode!r} in the dataset")
        names = port_names(data[locode])
        if not names:
            continue
        value = json.dumps(names[0] if len(names) == 1 else names, ensure_ascii=False)
        lines.append(f"  {locode}: {value}")
    return "\n".join(lines) + "\n"


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    data = json.loads(source.read_text(encoding="utf-8"))
    text = TARGET.read_text(encoding="utf-8")
    head = text.split(MARKER, 1)[0].rstrip("\n") + "\n\n"
    out = head + generated_section(data)
    loaded = yaml.safe_load(out)  # the file must still load, with every key a string
    if not all(isinstance(k, str) for k in loaded["dataset"]):
        raise SystemExit("a LOCODE key did not load as a string")
    TARGET.write_text(out, encoding="utf-8")
    print(f"{TARGET}: {len(loaded['dataset'])} ports from {source}")


if __name__ == "__main__":
    main()
