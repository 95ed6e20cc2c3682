"""OFSI ConList (gb_hmt): every real CSV/XLSX copy, and hand-made good and damaged files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.helpers import assert_source_error
from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources.base import SourceError
from tradeguard.sources.common import read_head
from tradeguard.sources.gb_hmt import FORMATS, read, read_csv, read_xlsx

CSV_FORMAT, XLSX_FORMAT = FORMATS

# (folder, file, format, Last Updated, rows, Group IDs) from PROVENANCE.md.
FILES = [
    ("2014-04-02_sergey-chechaev", "sanctionsconlist.csv", "gb_hmt_csv", "2014-04-02", 8950, 2297),
    ("2018-04-13_photoangell", "sanctionsconlist.csv", "gb_hmt_csv", "2018-04-13", 9487, 2106),
    ("2020-04-27_deriv-com", "sample_hmt.csv", "gb_hmt_csv", "2020-04-27", 9492, 2114),
    ("2023-06-05_imjbmkz", "ConList.xlsx", "gb_hmt_xlsx", "2023-06-05", 16823, 3993),
    ("2025-04-10_nadya-soto", "UK_Sanctions_List.xlsx", "gb_hmt_xlsx", "2025-04-10", 18796, 4686),
    ("2025-04-14_mmahmed107", "ConList.xlsx", "gb_hmt_xlsx", "2025-04-14", 18798, 4688),
]

_CACHE: dict[Path, tuple[str, str | None, list[str], list[Entity]]] = {}


def load(path: Path) -> tuple[str, str | None, list[str], list[Entity]]:
    if path not in _CACHE:
        parsed = read(path)
        assert parsed.list_key == "gb_hmt" and parsed.files == [path]
        _CACHE[path] = (parsed.format, parsed.published, parsed.notes, list(parsed.entities))
    return _CACHE[path]


def by_id(path: Path) -> dict[str, Entity]:
    return {e.source_id: e for e in load(path)[3]}


@pytest.mark.parametrize(("folder", "name", "fmt", "updated", "rows", "groups"), FILES)
def test_every_real_file(lists_dir: Path, folder: str, name: str, fmt: str, updated: str, rows: int, groups: int) -> None:
    path = lists_dir / "uk_ofsi" / folder / name
    head = read_head(path)
    assert [f.name for f in FORMATS if f.detect(path, head) == "gb_hmt"] == [fmt]
    got_fmt, published, notes, entities = load(path)
    assert got_fmt == fmt
    assert published == updated
    assert notes[0] == f"{rows} rows grouped into {groups} entries by Group ID"
    assert len(entities) == groups
    assert len({e.source_id for e in entities}) == groups
    for entity in entities:
        assert entity.source_id.isdigit()
        assert entity.schema in ("Person", "Organization", "Vessel")
        assert entity.names[0].kind == "primary"
        assert sum(n.kind == "primary" for n in entity.names) == 1
        assert len({n.value for n in entity.names}) == len(entity.names)
        assert entity.programs and entity.listed_on is not None


def test_rows_of_a_group_that_are_far_apart_make_one_entity(lists_dir: Path) -> None:
    path = lists_dir / "uk_ofsi" / "2014-04-02_sergey-chechaev" / "sanctionsconlist.csv"
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252"), newline="")))
    header = rows[1]
    gid = header.index("Group ID")
    parts = [header.index(f"Name {i}") for i in (1, 2, 3, 4, 5, 6)]
    lines: dict[str, list[int]] = {}
    for number, row in enumerate(rows[2:], 3):
        lines.setdefault(row[gid], []).append(number)
    scattered = [g for g, ls in lines.items() if ls[-1] - ls[0] > len(ls)]
    assert len(scattered) > 500  # the file is sorted by name, not by group
    entities = by_id(path)
    for group in scattered[:50]:
        expected = {" ".join(" ".join(r[i] for i in parts).split()) for r in rows[2:] if r[gid] == group}
        assert expected <= {n.value for n in entities[group].names}


def test_a_ship_with_tagged_other_information(lists_dir: Path) -> None:
    ship = by_id(lists_dir / "uk_ofsi" / "2025-04-14_mmahmed107" / "ConList.xlsx")["13651"]
    assert ship.schema == "Vessel"
    assert ship.names[0] == Name("SAM JONG 2", "primary")
    assert Name("AKTIVA", "alias") in ship.names and Name("YU_JONG_3", "alias") in ship.names
    assert ship.identifiers == [Identifier("imo", "7408873")]
    assert ship.birth_dates == ["1975"]  # (Year built)
    assert ship.relations == [Relation("owned_by", target_name="Korea Samjong Shipping", note="current owner")]
    assert ship.programs == ["Democratic People's Republic of Korea"]
    assert ship.listed_on == "2018-04-03"
    assert ship.extra["uk_sanctions_list_ref"] == ["DPR0100"]
    assert ship.extra["flag"] == ["North Korea"] and ship.extra["vessel_type"] == ["Oil tanker"]
    assert ship.extra["date_designated"] == ["2018-03-30"] and ship.extra["last_updated"] == ["2020-12-31"]


def test_a_person_from_the_2025_xlsx(lists_dir: Path) -> None:
    entities = by_id(lists_dir / "uk_ofsi" / "2025-04-14_mmahmed107" / "ConList.xlsx")
    haq = entities["15672"]
    assert haq.schema == "Person"
    assert haq.names == [
        Name("Mian Abdul HAQ", "primary", given="Mian Abdul", family="HAQ"),
        Name("Mian MITHOO", "alias", given="Mian", family="MITHOO"),
        Name("Mian MITHU", "alias", given="Mian", family="MITHU"),
        Name("Mian MITTO", "alias", given="Mian", family="MITTO"),
        Name("Mian MITTU", "alias", given="Mian", family="MITTU"),
    ]
    assert haq.nationalities == ["pk"] and haq.birth_places == ["Pakistan"]
    assert haq.addresses == [Address("Hafizabad Taluka Daharki, District Ghotki, Pakistan", country="pk")]
    assert haq.extra["gender"] == ["Male"] and haq.extra["uk_sanctions_list_ref"] == ["GHR0086"]
    assert haq.programs == ["Global Human Rights"] and haq.listed_on == "2022-12-09"
    # Two distinct "Primary name" rows: the first is primary, the other an alias.
    luka = entities["13918"]
    assert luka.names[0] == Name("Alexander Ryhorovich LUKASHENKO", "primary", given="Alexander Ryhorovich", family="LUKASHENKO")
    assert Name("Alexander Grigorievich LUKASHENKO", "alias", given="Alexander Grigorievich", family="LUKASHENKO") in luka.names
    assert luka.birth_dates == ["1954-08-30"] and luka.programs == ["Belarus", "Global Human Rights"]
    assert luka.extra["uk_sanctions_list_ref"] == ["BEL0045", "GHR0050"]
    # Non-Latin script name, Low quality alias, passport numbers paired with their details.
    assert Name("ЗАДАЧИН Андрей Андреевич", "original_script", lang="ru") in entities["15890"].names
    azzouz = entities["13312"]
    assert Name("AA", "weak_alias") in azzouz.names
    assert azzouz.identifiers == [
        Identifier("passport", "223611", note="Libya number"),
        Identifier("passport", "C00146605", note="British passport number"),
    ]
    assert azzouz.extra["un_ref"] == ["QDi.371"]


def test_old_csv_free_text_fields(lists_dir: Path) -> None:
    entities = by_id(lists_dir / "uk_ofsi" / "2018-04-13_photoangell" / "sanctionsconlist.csv")
    person = entities["13349"]
    assert person.names[0] == Name("Nayef Salam Muhammad Ujaym AL-HABABI", "primary", given="Nayef Salam Muhammad Ujaym", family="AL-HABABI")
    assert Name("Sheikh Farooq AL-QAHTANI", "alias", given="Sheikh Farooq", family="AL-QAHTANI") in person.names
    assert person.birth_dates == ["1980", "1981"]  # 00/00/1980 and 00/00/1981 on two rows
    assert person.nationalities == ["sa", "qa"]  # "1) Saudi Arabia 2) Qatar"
    assert person.identifiers == [
        Identifier("passport", "592667", note="Passport No: 592667 (Qatari passport issued on 3 May 2007).")
    ]
    assert person.addresses == [Address("Afghanistan (since 2009)", country="af")]
    org = by_id(lists_dir / "uk_ofsi" / "2014-04-02_sergey-chechaev" / "sanctionsconlist.csv")["10657"]
    assert org.schema == "Organization"
    assert [n.value for n in org.names] == ["3M MIZAN MACHINERY MANUFACTURING", "3MG", "MIZAN MACHINERY MANUFACTURING (3M)"]
    assert org.addresses == [Address("PO Box 16595-365, Tehran, Iran", country="ir")]
    assert org.remarks == ["UN Ref E.29.I.11. Owned or controlled by, or acts on behalf of SHIG. AIO."]
    assert org.listed_on == "2008-06-24" and org.extra["last_updated"] == ["2010-06-10"]


def test_four_day_delta_between_the_2025_files(lists_dir: Path) -> None:
    before = by_id(lists_dir / "uk_ofsi" / "2025-04-10_nadya-soto" / "UK_Sanctions_List.xlsx")
    after = by_id(lists_dir / "uk_ofsi" / "2025-04-14_mmahmed107" / "ConList.xlsx")
    assert sorted(set(after) - set(before)) == ["16856", "16857"]
    assert set(before) <= set(after)
    assert after["16857"].names == [Name("Rawa MAJID", "primary", given="Rawa", family="MAJID")]
    assert after["16857"].nationalities == ["iq", "se"] and after["16857"].listed_on == "2025-04-14"


# --- hand-made files -----------------------------------------------------------------------

OLD_HEADER = next(csv.reader([
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,Nationality,"
    "Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,"
    "Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,Listed On,Last Updated,Group ID"
]))
NEW_HEADER = next(csv.reader([
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,"
    "Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,"
    "Passport Details,National Identification Number,National Identification Details,Position,"
    "Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,"
    "Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,"
    "UK Sanctions List Date Designated,Last Updated,Group ID"
]))


def old_row(**values: str) -> list[str]:
    return [values.get(c.replace(" ", "_").replace("/", "_"), "") for c in OLD_HEADER]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = OLD_HEADER, encoding: str = "cp1252") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["Last Updated", "01/02/2020"])
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_hand_made_csv_in_windows_1252(tmp_path: Path) -> None:
    rows = [
        old_row(Name_6="EXAMPLE", Name_1="José", DOB="00/05/1970", Nationality="(1) Spain (2) France",
                Group_Type="Individual", Alias_Type="Prime Alias", Regime="Test", Listed_On="02/01/2020", Group_ID="1"),
        old_row(Name_6="OTHER CO", Group_Type="Entity", Alias_Type="Prime Alias", Regime="Test", Group_ID="2",
                Address_1="1 Road", Country="Iran"),
        old_row(Name_6="EXEMPLO", Name_1="José", DOB="01/05/1970", Group_Type="Individual", Alias_Type="FKA",
                Regime="Test", Listed_On="03/01/2020", Group_ID="1"),
    ]
    path = write_csv(tmp_path / "ConList.csv", rows)
    assert CSV_FORMAT.detect(path, read_head(path)) == "gb_hmt" and XLSX_FORMAT.detect(path, read_head(path)) is None
    parsed = read_csv(path)
    assert parsed.published == "2020-02-01"
    person, org = list(parsed.entities)
    assert person.source_id == "1" and person.schema == "Person"
    assert person.names == [Name("José EXAMPLE", "primary", given="José", family="EXAMPLE"),
                            Name("José EXEMPLO", "former", given="José", family="EXEMPLO")]
    assert person.birth_dates == ["1970-05", "1970-05-01"]
    assert person.nationalities == ["es", "fr"]
    assert person.listed_on == "2020-01-02"  # the earliest Listed On of the group
    assert org.schema == "Organization" and org.addresses == [Address("1 Road, Iran", country="ir")]


def write_xlsx(path: Path, rows: list[list[str]], sheet: str = "Data", header: list[str] = NEW_HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(["Last Updated", "14/04/2025"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def new_row(**values: str) -> list[str]:
    return [values.get(c.replace(" ", "_").replace("/", "_").replace("-", "_"), "") for c in NEW_HEADER]


def test_hand_made_xlsx(tmp_path: Path) -> None:
    rows = [
        new_row(Name_6="IVANOV", Name_1="Ivan", Alias_Type="Primary name variation", Group_Type="Individual",
                Regime="Russia", Group_ID="7"),
        new_row(Name_6="SHIP ONE", Group_Type="Ship", Alias_Type="Primary name", Regime="Russia", Group_ID="8",
                Other_Information="(UK Sanctions List Ref):RUS9999. (IMO number):1234567 (Year built):2001"),
        new_row(Name_6="IVANOFF", Name_1="Ivan", Alias_Type="AKA", Alias_Quality="Low quality",
                Name_Non_Latin_Script="Иван ИВАНОВ", Non_Latin_Script_Language="Russian",
                Group_Type="Individual", Regime="Russia", Group_ID="7", Passport_Number="(1) 123456 (2) 654321",
                Passport_Details="(1) Russian (2) Russian diplomatic"),
    ]
    path = write_xlsx(tmp_path / "ConList.xlsx", rows)
    assert XLSX_FORMAT.detect(path, read_head(path)) == "gb_hmt" and CSV_FORMAT.detect(path, read_head(path)) is None
    parsed = read_xlsx(path)
    assert parsed.published == "2025-04-14" and parsed.format == "gb_hmt_xlsx"
    person, ship = list(parsed.entities)
    # No "Primary name" row: the first name becomes the primary one.
    assert person.names == [
        Name("Ivan IVANOV", "primary", given="Ivan", family="IVANOV"),
        Name("Ivan IVANOFF", "weak_alias", given="Ivan", family="IVANOFF"),
        Name("Иван ИВАНОВ", "original_script", lang="ru"),
    ]
    assert person.identifiers == [Identifier("passport", "123456", note="Russian"),
                                  Identifier("passport", "654321", note="Russian diplomatic")]
    assert ship.schema == "Vessel" and ship.identifiers == [Identifier("imo", "1234567")]
    assert ship.birth_dates == ["2001"] and ship.extra["uk_sanctions_list_ref"] == ["RUS9999"]


# --- damaged files ------------------------------------------------------------------------


def raises(path: Path, *fragments: str) -> SourceError:
    return assert_source_error(read, path, *fragments)


def test_csv_truncated_mid_row(tmp_path: Path) -> None:
    rows = [old_row(Name_6=f"NAME {i}", Group_Type="Entity", Alias_Type="Prime Alias", Regime="R", Group_ID=str(i))
            for i in range(5)]
    path = write_csv(tmp_path / "ConList.csv", rows)
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"NAME 4") + 20])  # the last row loses most of its fields
    raises(path, "line 7", "expected 29 fields")


def test_csv_with_a_broken_quote(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ConList.csv", [])
    with open(path, "ab") as fh:
        fh.write(b'"UNCLOSED,,,,,,,,,,,,,,,,,,,,,,,,Entity,Prime Alias,R,01/01/2020,01/01/2020,3\r\n')
    raises(path, "line", "malformed CSV")


def test_wrong_encodings(tmp_path: Path) -> None:
    rows = [old_row(Name_6="NAME", Group_Type="Entity", Alias_Type="Prime Alias", Regime="R", Group_ID="1")]
    utf16 = write_csv(tmp_path / "utf16.csv", rows, encoding="utf-16")
    raises(utf16, "line 1")
    undecodable = tmp_path / "bytes.csv"
    undecodable.write_bytes(write_csv(tmp_path / "x.csv", rows).read_bytes().replace(b"NAME", b"N\x81ME"))
    raises(undecodable, "byte", "neither UTF-8 nor Windows-1252")


def test_missing_columns_and_values(tmp_path: Path) -> None:
    header = [c for c in OLD_HEADER if c != "Group ID"]
    path = write_csv(tmp_path / "nogroup.csv", [], header=header)
    raises(path, "line 2", "missing required column(s): Group ID")
    rows = [old_row(Name_6="A", Group_Type="Entity", Alias_Type="Prime Alias", Regime="R", Group_ID="1"),
            old_row(Name_6="B", Group_Type="Entity", Alias_Type="Prime Alias", Regime="R")]
    raises(write_csv(tmp_path / "noid.csv", rows), "line 4", "missing Group ID")
    first = tmp_path / "first.csv"
    first.write_bytes(b"Name 6,Group ID\r\nA,1\r\n")
    raises(first, "line 1", "Last Updated")
    rows = [new_row(Name_6="A", Group_Type="Entity", Alias_Type="Primary name", Regime="R")]
    raises(write_xlsx(tmp_path / "noid.xlsx", rows), "sheet 'Data' row 3", "missing Group ID")
    raises(write_xlsx(tmp_path / "sheet.xlsx", [], sheet="Sheet1"), "no sheet named 'Data'")


def test_truncated_and_garbled_xlsx(tmp_path: Path) -> None:
    rows = [new_row(Name_6=f"N{i}", Group_Type="Entity", Alias_Type="Primary name", Regime="R", Group_ID=str(i))
            for i in range(30)]
    good = write_xlsx(tmp_path / "good.xlsx", rows).read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good[: len(good) // 2])
    assert XLSX_FORMAT.detect(truncated, read_head(truncated)) is None
    raises(truncated, "unreadable XLSX")
    garbled = tmp_path / "garbled.xlsx"
    middle = len(good) // 2
    garbled.write_bytes(good[:middle] + b"\x00garbage\xff" * 40 + good[middle + 400 :])
    raises(garbled, "unreadable XLSX")


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("(1) Tunisian (2) French", ["Tunisian", "French"]),
        ("1) Saudi Arabia 2) Qatar", ["Saudi Arabia", "Qatar"]),
        ("(1)-(2) Indonesia", ["Indonesia"]),
        ("a) Quetta, Pakistan b) Nimroz Province, Afghanistan", ["Quetta, Pakistan", "Nimroz Province, Afghanistan"]),
        ("Leningrad (now St Petersburg)", ["Leningrad (now St Petersburg)"]),
        ("Al-Qaida (QE.A.4.01.)", ["Al-Qaida (QE.A.4.01.)"]),
        ("", []),
    ],
)
def test_enumerated_cells(cell: str, items: list[str]) -> None:
    from tradeguard.sources.common import split_enumerated

    assert split_enumerated(cell) == items
