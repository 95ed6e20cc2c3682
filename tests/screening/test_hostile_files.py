"""Hostile files on every door that reads files (uploads of parties, orders, shipments:
CSV, XLSX, JSONL; official list files): a zip bomb, a 100 MB line, JSON nested 100,000
deep, XML entities that multiply. Each is refused (or, for one bad record, skipped) with a
message naming the file and where, in a separate process whose time and peak memory are
measured: bounded, whatever the file claims."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

MAX_SECONDS = 20.0
MAX_RSS_MB = 250  # a Python process with tradeguard imported uses about 25-90 MB

PROBE = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
out = []
try:
    if sys.argv[1] == "list":
        from tradeguard.sources import read_list
        for entity in read_list(Path(sys.argv[2])).entities:
            out.append(entity.caption)
    else:
        from tradeguard.screening.records import iter_records
        for _line, record in iter_records(Path(sys.argv[2])):
            out.append(record if isinstance(record, dict) else f"row {record.line}: {record.problem}")
except Exception as exc:
    out.append(f"{type(exc).__name__}: {exc}")
# VmHWM: this process's peak resident memory (getrusage's would include the parent's from before exec).
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - started, "out": out[:5], "rss_mb": peak / 1024}))
"""


def probe(kind: str, path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", PROBE, kind, str(path)], capture_output=True, text=True,
                          timeout=120, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["seconds"] < MAX_SECONDS, result
    assert result["rss_mb"] < MAX_RSS_MB, result
    return result


def test_an_xlsx_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "parties.xlsx"  # 600 KB that inflate to 600 MB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w") as member:
        block = b"0" * (1 << 20)
        for _ in range(600):
            member.write(block)
    assert bomb.stat().st_size < 2_000_000
    [message] = probe("records", bomb)["out"]
    assert message.startswith(f"SourceError: {bomb}, xl/worksheets/sheet1.xml: the workbook expands to more than")
    assert "zip bomb" in message


def test_a_100_mb_line_is_refused_before_it_is_read(tmp_path: Path, lists_dir: Path) -> None:
    big = tmp_path / "parties.csv"
    with open(big, "w", encoding="utf-8") as fh:
        fh.write("id,name\n1,")
        for _ in range(100):
            fh.write("A" * 1_000_000)
        fh.write("\n2,Bob Smith\n")
    [message] = probe("records", big)["out"]
    assert message == f"SourceError: {big}, line 2: longer than 8 MB: refused (no record or list entry is that long)"
    # A list file too: OFAC's sdn.csv, its first three entries, then a 100 MB line.
    real = (lists_dir / "ofac_sdn/history/2024-05-03/sdn.csv").read_bytes().split(b"\n")[:3]
    listed = tmp_path / "sdn.csv"
    with open(listed, "wb") as fh:
        fh.write(b"\n".join(real) + b"\n" + b"B" * 100_000_000 + b"\n")
    assert probe("list", listed)["out"] == [
        f"SourceError: {listed}, line 4: longer than 8 MB: refused (no record or list entry is that long)"]


def test_json_nested_100000_deep_is_one_bad_record(tmp_path: Path) -> None:
    deep = tmp_path / "parties.jsonl"
    deep.write_text('{"name": ' + "[" * 100_000 + "]" * 100_000 + '}\n{"id": "2", "name": "Bob Smith"}\n',
                    encoding="utf-8")
    assert probe("records", deep)["out"] == [
        "row 1: invalid JSON: nested too deep (a record is one flat object)", {"id": "2", "name": "Bob Smith"}]


def test_xml_entities_that_multiply_are_refused(tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    xml = tmp_path / "un.xml"
    xml.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n' + entities + "]>\n"
        '<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>'
        "<FIRST_NAME>&lol9;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n", encoding="utf-8")
    [message] = probe("list", xml)["out"]
    assert message.startswith(f"SourceError: {xml}") and "entity" in message.lower()


@pytest.mark.parametrize("name", ["ConList.xlsx"])
def test_real_workbooks_pass_the_check(lists_dir: Path, name: str) -> None:
    from tradeguard.sources.common import check_xlsx_size

    for path in sorted(lists_dir.rglob(name)):
        check_xlsx_size(path)  # the official workbooks expand to under 20 MB
