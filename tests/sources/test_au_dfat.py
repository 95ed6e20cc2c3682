"""Australia DFAT Consolidated List (au_dfat): both real layouts, hand-made good and damaged files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.helpers import assert_source_error
from tradeguard.model import Address, Entity, Identifier, Name
from tradeguard.sources.au_dfat import FORMATS, detect, read
from tradeguard.sources.common import read_head

# (folder, file, rows, references, latest Control Date). PROVENANCE.md gives "3162
# references" for the 2024 file, but the file holds 3062 distinct reference numbers, each
# with exactly one "Primary Name" row (9553 rows); 3162 looks like a typo there.
FILES = [
    ("2024-12_Stanux", "regulation8_consolidated.xlsx", 9553, 3062, "2024-11-11", "sheet 'Sheet1', 2024 layout (12 columns)"),
    ("2026-08_zr101", "dfat.xlsx", 11068, 3846, "2026-07-21", "sheet 'Consolidated List', 2026 layout (19 columns)"),
]

_CACHE: dict[Path, tuple[list[str], list[Entity]]] = {}


def load(path: Path) -> tuple[list[str], list[Entity]]:
    if path not in _CACHE:
        parsed = read(path)
        assert parsed.list_key == "au_dfat" and parsed.format == "au_dfat_xlsx" and parsed.published is None
        _CACHE[path] = (parsed.notes, list(parsed.entities))
    return _CACHE[path]


def by_id(path: Path) -> dict[str, Entity]:
    return {e.source_id: e for e in load(path)[1]}


@pytest.mark.parametrize(("folder", "name", "rows", "refs", "control", "layout"), FILES)
def test_every_real_file(lists_dir: Path, folder: str, name: str, rows: int, refs: int, control: str, layout: str) -> None:
    path = lists_dir / "australia_dfat" / folder / name
    assert detect(path, read_head(path)) == "au_dfat"
    notes, entities = load(path)
    assert notes == [
        layout,
        f"{rows} rows grouped into {refs} entries by Reference number",
        f"no list date inside the file; latest Control Date is {control}",
    ]
    assert len(entities) == refs == len({e.source_id for e in entities})
    for entity in entities:
        assert entity.source_id.isdigit()
        assert entity.schema in ("Person", "Organization", "Vessel")
        assert entity.names[0].kind == "primary" and sum(n.kind == "primary" for n in entity.names) == 1
        assert entity.programs and entity.extra["control_date"]


def test_reference_letters_are_one_entity(lists_dir: Path) -> None:
    old = by_id(lists_dir / "australia_dfat" / "2024-12_Stanux" / "regulation8_consolidated.xlsx")
    akhund = old["2"]  # rows "2" and "2a"
    assert akhund.schema == "Person"
    assert akhund.names == [Name("MOHAMMAD HASSAN AKHUND", "primary"), Name("محمد حسن أخوند", "original_script")]
    assert akhund.birth_dates == ["~1955/1958", "~1945/1950"]  # a) Approximately 1955- 1958 b) ...
    assert akhund.birth_places == ["Pashmul village, Panjwai District, Kandahar Province, Afghanistan"]
    assert akhund.nationalities == ["af"] and akhund.addresses == []  # Address "NA"
    assert akhund.programs == ["1988 (Taliban)"] and akhund.listed_on == "2001-01-25"
    assert akhund.extra["control_date"] == ["2014-12-15"]
    haqqani = old["34"]  # rows 34, 34a ... 34c1
    assert len(haqqani.names) == 9 and haqqani.names[0] == Name("Abdul Jalil Haqqani Wali Mohammad", "primary")
    assert Name("Haji Gulab Gul", "alias") in haqqani.names
    assert haqqani.birth_dates == ["~1963", "1965", "1955"]


def test_2026_layout_fields(lists_dir: Path) -> None:
    new = by_id(lists_dir / "australia_dfat" / "2026-08_zr101" / "dfat.xlsx")
    akhund = new["2"]
    assert akhund.birth_dates == ["1945", "1946", "1947", "1948", "1949", "1950", "1955", "1956", "1957", "1958"]
    assert akhund.addresses == [Address("Kabul, Afghanistan", country="af")]
    assert akhund.extra["measures"] == ["targeted financial sanction", "travel ban", "arms embargo"]
    assert akhund.extra["instrument_of_designation"] == ["Charter of the United Nations (Sanctions—the Taliban) Regulation 2013"]
    ship = new["8227"]
    assert ship.schema == "Vessel" and ship.names == [Name("ANDAMAN SKIES", "primary")]
    assert ship.identifiers == [Identifier("imo", "9288693")]
    assert ship.programs == ["Autonomous (Vessels)"] and ship.extra["measures"] == ["maritime restriction"]
    person = new["344"]
    assert person.names == [
        Name("Sami Ben Khamis Ben Saleh Elsseid", "primary"),
        Name("Omar El Mouhajer", "alias"),
        Name("Saber", "weak_alias"),  # Alias Strength "Weak"
        Name("سامي بن خميس بن صالح الصيد", "original_script"),
    ]
    assert person.birth_dates == ["1968-02-10"] and person.listed_on == "2002-04-24"
    assert person.addresses == [Address("Ibn Al-Haythman Street, Number 6, Manubah, Tunis, Tunisia", country="tn")]


# --- hand-made files -------------------------------------------------------------------------

HEADER_2026 = [
    "Reference", "Name of Individual or Entity", "Type", "Name Type", "Alias Strength", "Date of Birth",
    "Place of Birth", "Citizenship", "Address", "Additional Information", "Listing Information", "IMO Number",
    "Committees", "Control Date", "Instrument of Designation", "Targeted Financial Sanction", "Travel Ban",
    "Arms Embargo", "Maritime Restriction",
]


def write_xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER_2026, sheet: str = "Consolidated List") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def row(ref: Any, name: str, kind: str = "Primary Name", type_: str = "Individual", **values: Any) -> list[Any]:
    base = {"Reference": ref, "Name of Individual or Entity": name, "Type": type_, "Name Type": kind,
            "Committees": "Autonomous (Test)", "Control Date": "2026-01-02"}
    base.update({k.replace("_", " "): v for k, v in values.items()})
    return [base.get(h) for h in HEADER_2026]


def test_hand_made_file(tmp_path: Path) -> None:
    rows = [
        row(7.0, "TEST PERSON", Date_of_Birth="a) 1962 b) 14/05/1975", Citizenship="Russian and Ukrainian",
            Address="a) 1 Road, Moscow, Russia b) 2 Street, Kyiv, Ukraine", Travel_Ban=True,
            Listing_Information="Listed on 3 Mar. 2022 (amended 1 Jan 2023)"),
        row("7a", "T. PERSON", "Alias", Alias_Strength="Weak"),
        row(8, "TEST VESSEL", type_="Vessel ", IMO_Number=1234567.0, Maritime_Restriction=True),
        row("7b", "ТЕСТ ПЕРСОН", "Original Script"),
    ]
    path = write_xlsx(tmp_path / "dfat.xlsx", rows)
    assert detect(path, read_head(path)) == "au_dfat"
    parsed = read(path)
    person, vessel = list(parsed.entities)
    assert person.source_id == "7" and person.names == [
        Name("TEST PERSON", "primary"), Name("T. PERSON", "weak_alias"), Name("ТЕСТ ПЕРСОН", "original_script")
    ]
    assert person.birth_dates == ["1962", "1975-05-14"] and person.nationalities == ["ru", "ua"]
    assert person.addresses == [Address("1 Road, Moscow, Russia", country="ru"), Address("2 Street, Kyiv, Ukraine", country="ua")]
    assert person.listed_on == "2022-03-03" and person.extra["measures"] == ["travel ban"]
    assert vessel.schema == "Vessel" and vessel.identifiers == [Identifier("imo", "1234567")]


def test_an_unrelated_workbook_is_not_detected(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "other.xlsx", [["a", "b"]], header=["Name", "Reference"], sheet="Sheet1")
    assert detect(path, read_head(path)) is None
    assert all(f.detect(path, read_head(path)) is None for f in FORMATS)


# --- damaged files --------------------------------------------------------------------------


def raises(path: Path, *fragments: str) -> None:
    assert_source_error(read, path, *fragments)


def test_bad_rows_and_columns(tmp_path: Path) -> None:
    raises(write_xlsx(tmp_path / "a.xlsx", [row(1, "A"), row("X1", "B")]), "sheet 'Consolidated List' row 3", "Reference 'X1'")
    raises(write_xlsx(tmp_path / "b.xlsx", [row(1, "A"), row(2, "")]), "row 3", "missing name")
    raises(write_xlsx(tmp_path / "c.xlsx", [row(1, "A", type_="")]), "row 2", "missing Type")
    header = [h for h in HEADER_2026 if h != "Committees"]
    raises(write_xlsx(tmp_path / "d.xlsx", [], header=header), "sheet 'Consolidated List' row 1", "missing required column(s): committees")
    raises(write_xlsx(tmp_path / "e.xlsx", [], header=["Name", "Reference"]), "no sheet whose first row is the DFAT header")


def test_truncated_and_garbled_xlsx(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [row(i, f"NAME {i}") for i in range(1, 60)]).read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good[: len(good) // 2])
    assert detect(truncated, read_head(truncated)) is None
    raises(truncated, "unreadable XLSX")
    garbled = tmp_path / "garbled.xlsx"
    middle = len(good) // 2
    garbled.write_bytes(good[:middle] + bytes(range(256)) * 4 + good[middle + 1024 :])
    raises(garbled, "unreadable XLSX")


@pytest.mark.parametrize(
    ("cell", "dates", "unread"),
    [
        ("a) Approximately 1955- 1958 b) Approximately 1945-1950", ["~1955/1958", "~1945/1950"], []),
        ("1945, 1946, 1947", ["1945", "1946", "1947"], []),
        ("Approximately 1963, 30/01/1972", ["~1963", "1972-01-30"], []),
        ("a) 1964; \nb) 1965; \nc) 1966", ["1964", "1965", "1966"], []),
        ("Between 1958 and 1963", ["1958/1963"], []),
        ("19 December 1980, or 19 January 1980 ", ["1980-12-19", "1980-01-19"], []),
        ("Approximately 1968 28/08/1965", ["~1968", "1965-08-28"], []),
        ("a) 19-Dec-1992; \nb) 12-Dec-1992", ["1992-12-19", "1992-12-12"], []),
        ("1959, 08/1961, 1/01/1961", ["1959", "1961-08", "1961-01-01"], []),
        ("07/05/1962; alt DOB: 07/04/62", ["1962-05-07"], ["07/04/62"]),
        ("na", [], []),
    ],
)
def test_date_of_birth_cells(cell: str, dates: list[str], unread: list[str]) -> None:
    from tradeguard.sources.common import parse_dates

    assert parse_dates(cell) == (dates, unread)
