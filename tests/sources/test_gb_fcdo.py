"""FCDO UK Sanctions List (gb_fcdo). We hold no real copy: the tests build small files from
the documented layout (see the module docstring for its sources) with invented rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from tests.helpers import assert_source_error
from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources import gb_hmt
from tradeguard.sources.common import read_head
from tradeguard.sources.gb_fcdo import FORMATS, read

CSV_FORMAT, SHEET_FORMAT, XML_FORMAT = FORMATS

# The published header, 58 columns.
HEADER = [
    "Last Updated", "Unique ID", "OFSI Group ID", "UN Reference Number", "Name 6", "Name 1", "Name 2",
    "Name 3", "Name 4", "Name 5", "Name type", "Alias strength", "Title", "Name non-latin script",
    "Non-latin script type", "Non-latin script language", "Regime Name", "Designation Type",
    "Designation source", "Sanctions Imposed", "Other Information", "UK Statement of Reasons",
    "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5",
    "Address Line 6", "Address Postal Code", "Address Country", "Phone number", "Website",
    "Email address", "Date Designated", "D.O.B", "Nationality(/ies)", "National Identifier number",
    "National Identifier additional information", "Passport number", "Passport additional information",
    "Position", "Gender", "Town of birth", "Country of birth", "Type of entity", "Subsidiaries",
    "Parent company", "Business registration number (s)", "IMO number", "Current owner/operator (s)",
    "Previous owner/operator (s)", "Current believed flag of ship", "Previous flags", "Type of ship",
    "Tonnage of ship", "Length of ship", "Year Built", "Hull identification number (HIN)",
]
assert len(HEADER) == 58

PERSON = {
    "Last Updated": "01/04/2023", "Unique ID": "TST0001", "OFSI Group ID": "99001", "Name 6": "EXAMPLE",
    "Name 1": "Ivan", "Name 2": "Testovich", "Name type": "Primary Name",
    "Name non-latin script": "Иван Тестович ЭКЗАМПЛ", "Non-latin script type": "Cyrillic",
    "Non-latin script language": "Russian", "Regime Name": "The Russia (Sanctions) (EU Exit) Regulations 2019",
    "Designation Type": "Individual", "Designation source": "UK", "Sanctions Imposed": "Asset freeze|Travel Ban",
    "UK Statement of Reasons": "Invented reason one.", "Address Line 1": "1 Example Street",
    "Address Line 6": "Moscow", "Address Postal Code": "101000", "Address Country": "Russia",
    "Date Designated": "15/03/2022", "D.O.B": "01/02/1970", "Nationality(/ies)": "Russia",
    "Passport number": "(1) 7100001 (2) 7100002", "Passport additional information": "(1) Russian (2) Russian diplomatic",
    "Position": "Invented position", "Gender": "Male", "Town of birth": "Tver", "Country of birth": "Russia",
}
PERSON_ALIAS = {
    **PERSON, "Name 6": "EKZAMPL", "Name 2": "", "Name type": "Alias", "Alias strength": "Low quality",
    "Name non-latin script": "", "Address Line 1": "2 Sample Road", "Address Line 6": "Tver", "Address Postal Code": "",
    "D.O.B": "00/00/1971",
}
SHIP = {
    "Last Updated": "02/05/2024", "Unique ID": "TST0002", "Name 6": "TEST CARRIER", "Name type": "Primary Name",
    "Regime Name": "The Russia (Sanctions) (EU Exit) Regulations 2019", "Designation Type": "Ship",
    "Sanctions Imposed": "Shipping sanctions", "Date Designated": "09/05/2024", "IMO number": "IMO1234567",
    "Current owner/operator (s)": "Example Shipping LLC", "Current believed flag of ship": "Panama",
    "Previous flags": "Liberia", "Type of ship": "Oil Tanker", "Year Built": "2005",
    "Hull identification number (HIN)": "HIN-TEST-1",
}
COMPANY = {
    "Last Updated": "03/03/2023", "Unique ID": "TST0003", "OFSI Group ID": "99003", "UN Reference Number": "",
    "Name 6": "EXAMPLE TRADING LLC", "Name type": "Primary Name", "Regime Name": "Iran", "Designation Type": "Entity",
    "Designation source": "UN", "Date Designated": "01/01/2021", "Type of entity": "Limited liability company",
    "Business registration number (s)": "(1) 1234567890 (2) 0987654321", "Parent company": "Example Holding",
    "Address Country": "Iran", "Website": "www.example.invalid",
}
COMPANY_VARIATION = {**COMPANY, "Name 6": "EXAMPLE TRADING LIMITED", "Name type": "Primary name variation"}
# Rows of one designation are not adjacent.
ROWS = [PERSON, SHIP, COMPANY, PERSON_ALIAS, COMPANY_VARIATION, PERSON]


def cells(row: dict[str, str], header: list[str] = HEADER) -> list[str]:
    return [row.get(c, "") for c in header]


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER, report: bool = True) -> Path:
    buf = io.StringIO()
    if report:
        buf.write("Report Date: 13-Feb-2026\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(cells(r, header) for r in rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "UK Sanctions List"
    ws.append(["Report Date: 13-Feb-2026"])
    ws.append(header)
    for row in rows:
        ws.append(cells(row, header))
    wb.save(path)
    return path


def check_entities(entities: list[Entity], xml: bool = False) -> None:
    person, ship, company = entities
    assert person.list == "gb_fcdo" and person.source_id == "TST0001" and person.schema == "Person"
    assert person.names == [
        Name("Ivan Testovich EXAMPLE", "primary", given="Ivan Testovich", family="EXAMPLE"),
        Name("Ivan EKZAMPL", "weak_alias", given="Ivan", family="EKZAMPL"),
        Name("Иван Тестович ЭКЗАМПЛ", "original_script", lang="ru"),
    ]
    assert person.birth_dates == ["1970-02-01", "1971"]
    assert person.birth_places == ["Tver, Russia"] and person.nationalities == ["ru"]
    assert person.addresses == [
        Address("1 Example Street, Moscow, 101000, Russia", country="ru"),
        Address("2 Sample Road, Tver, Russia", country="ru"),
    ]
    # The XML's passport elements are not documented, so the XML test file has none.
    assert person.identifiers == ([] if xml else [
        Identifier("passport", "7100001", note="Russian"),
        Identifier("passport", "7100002", note="Russian diplomatic"),
    ])
    assert person.programs == ["The Russia (Sanctions) (EU Exit) Regulations 2019"]
    assert person.listed_on == "2022-03-15" and person.remarks == ["Invented reason one."]
    assert person.extra["ofsi_group_id"] == ["99001"] and person.extra["gender"] == ["Male"]
    assert person.extra["sanctions_imposed"] == ["Asset freeze", "Travel Ban"]
    assert person.extra["last_updated"] == ["2023-04-01"] and person.extra["designation_source"] == ["UK"]
    assert ship.schema == "Vessel" and ship.names == [Name("TEST CARRIER", "primary")]
    assert Identifier("imo", "IMO1234567") in ship.identifiers
    assert ship.relations == [Relation("owned_by", target_name="Example Shipping LLC", note="current owner/operator")]
    assert ship.extra["flag"] == ["Panama"] and ship.extra["vessel_type"] == ["Oil Tanker"]
    assert company.schema == "Organization"
    assert company.names == [Name("EXAMPLE TRADING LLC", "primary"), Name("EXAMPLE TRADING LIMITED", "alias")]
    assert company.addresses == [Address("Iran", country="ir")]


def test_hand_made_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "UK-Sanctions-List.csv", ROWS)
    head = read_head(path)
    assert [f.name for f in FORMATS if f.detect(path, head)] == ["gb_fcdo_csv"]
    assert all(f.detect(path, head) is None for f in gb_hmt.FORMATS)
    parsed = read(path)
    assert parsed.list_key == "gb_fcdo" and parsed.format == "gb_fcdo_csv"
    assert parsed.published == "2026-02-13"
    assert parsed.notes == ["6 rows grouped into 3 designations by Unique ID"]
    entities = list(parsed.entities)
    check_entities(entities)
    ship = entities[1]
    assert ship.birth_dates == ["2005"] and ship.extra["previous_flags"] == ["Liberia"]
    assert Identifier("other", "HIN-TEST-1", note="hull identification number (HIN)") in ship.identifiers
    company = entities[2]
    assert company.identifiers == [Identifier("registration", "1234567890"), Identifier("registration", "0987654321")]
    assert company.relations == [Relation("owned_by", target_name="Example Holding", note="parent company")]


def test_hand_made_xlsx_reads_like_the_csv(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "UK-Sanctions-List.xlsx", ROWS)
    head = read_head(xlsx)
    assert [f.name for f in FORMATS if f.detect(xlsx, head)] == ["gb_fcdo_sheet"]
    assert all(f.detect(xlsx, head) is None for f in gb_hmt.FORMATS)
    parsed = read(xlsx)
    assert parsed.format == "gb_fcdo_sheet" and parsed.published == "2026-02-13"
    from_sheet = list(parsed.entities)
    check_entities(from_sheet)
    from_csv = list(read(write_csv(tmp_path / "same.csv", ROWS)).entities)
    assert [e.to_dict() for e in from_sheet] == [e.to_dict() for e in from_csv]


def test_csv_without_report_date_line(tmp_path: Path) -> None:
    parsed = read(write_csv(tmp_path / "list.csv", ROWS, report=False))
    assert parsed.published is None
    assert "no 'Report Date' line: publication date unknown" in parsed.notes
    check_entities(list(parsed.entities))


def xml_designation(fields: dict[str, str]) -> str:
    return "<Designation>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items() if not k.startswith("_")) + fields.get("_inner", "") + "</Designation>"


XML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<Designations>\n<DateGenerated>13/02/2026</DateGenerated>\n'
    + xml_designation({
        "LastUpdated": "01/04/2023", "DateDesignated": "15/03/2022", "UniqueID": "TST0001", "OFSIGroupID": "99001",
        "RegimeName": "The Russia (Sanctions) (EU Exit) Regulations 2019", "IndividualEntityShip": "Individual",
        "DesignationSource": "UK", "SanctionsImposed": "Asset freeze|Travel Ban",
        "UKStatementofReasons": "Invented reason one.",
        "_inner": (
            "<Names><Name><Name1>Ivan</Name1><Name2>Testovich</Name2><Name6>EXAMPLE</Name6><NameType>Primary Name</NameType></Name>"
            "<Name><Name1>Ivan</Name1><Name6>EKZAMPL</Name6><NameType>Alias</NameType><AliasStrength>Low quality</AliasStrength></Name></Names>"
            "<NonLatinNames><NonLatinName><NameNonLatinScript>Иван Тестович ЭКЗАМПЛ</NameNonLatinScript>"
            "<NonLatinScriptType>Cyrillic</NonLatinScriptType><NonLatinScriptLanguage>Russian</NonLatinScriptLanguage></NonLatinName></NonLatinNames>"
            "<Addresses><Address><AddressLine1>1 Example Street</AddressLine1><AddressLine6>Moscow</AddressLine6>"
            "<AddressPostalCode>101000</AddressPostalCode><AddressCountry>Russia</AddressCountry></Address>"
            "<Address><AddressLine1>2 Sample Road</AddressLine1><AddressLine6>Tver</AddressLine6><AddressCountry>Russia</AddressCountry></Address></Addresses>"
            "<IndividualDetails><Individual><DOBs><DOB>01/02/1970</DOB><DOB>00/00/1971</DOB></DOBs>"
            "<BirthDetails><Location><TownOfBirth>Tver</TownOfBirth><CountryOfBirth>Russia</CountryOfBirth></Location></BirthDetails>"
            "<Nationalities><Nationality>Russia</Nationality></Nationalities><Positions><Position>Invented position</Position></Positions>"
            "<Genders><Gender>Male</Gender></Genders></Individual></IndividualDetails>"
        ),
    })
    + xml_designation({
        "LastUpdated": "02/05/2024", "DateDesignated": "09/05/2024", "UniqueID": "TST0002",
        "RegimeName": "The Russia (Sanctions) (EU Exit) Regulations 2019", "IndividualEntityShip": "Ship",
        "_inner": (
            "<Names><Name><Name6>TEST CARRIER</Name6><NameType>Primary Name</NameType></Name></Names>"
            "<ShipDetails><Ship><IMONumbers><IMONumber>IMO1234567</IMONumber></IMONumbers>"
            "<CurrentOwnerOperators><CurrentOwnerOperator>Example Shipping LLC</CurrentOwnerOperator></CurrentOwnerOperators>"
            "<TypeOfShipDetails><TypeOfShip>Oil Tanker</TypeOfShip></TypeOfShipDetails>"
            "<CurrentBelievedFlagOfShips><CurrentBelievedFlagOfShip>Panama</CurrentBelievedFlagOfShip></CurrentBelievedFlagOfShips></Ship></ShipDetails>"
        ),
    })
    + xml_designation({
        "LastUpdated": "03/03/2023", "DateDesignated": "01/01/2021", "UniqueID": "TST0003", "OFSIGroupID": "99003",
        "RegimeName": "Iran", "IndividualEntityShip": "Entity", "DesignationSource": "UN",
        "_inner": (
            "<Names><Name><Name6>EXAMPLE TRADING LLC</Name6><NameType>Primary Name</NameType></Name>"
            "<Name><Name6>EXAMPLE TRADING LIMITED</Name6><NameType>Primary name variation</NameType></Name></Names>"
            "<Addresses><Address><AddressCountry>Iran</AddressCountry></Address></Addresses>"
        ),
    })
    + "\n</Designations>\n"
)


def test_hand_made_xml(tmp_path: Path) -> None:
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_text(XML, encoding="utf-8")
    head = read_head(path)
    assert [f.name for f in FORMATS if f.detect(path, head)] == ["gb_fcdo_xml"]
    parsed = read(path)
    assert parsed.format == "gb_fcdo_xml" and parsed.published == "2026-02-13"
    entities = list(parsed.entities)
    check_entities(entities, xml=True)
    assert entities[0].extra["position"] == ["Invented position"]


def test_real_ofsi_files_are_not_taken_for_the_fcdo_list(lists_dir: Path) -> None:
    for path in sorted((lists_dir / "uk_ofsi").glob("*/*")):
        head = read_head(path)
        assert all(f.detect(path, head) is None for f in FORMATS), path


# --- damaged files ------------------------------------------------------------------------


def raises(path: Path, *fragments: str) -> None:
    assert_source_error(read, path, *fragments)


def test_missing_columns(tmp_path: Path) -> None:
    header = [c for c in HEADER if c != "Designation Type"]
    raises(write_csv(tmp_path / "a.csv", ROWS, header=header), "line 2", "missing required column(s): designation type")
    header = [c for c in HEADER if c != "Unique ID"]
    raises(write_csv(tmp_path / "b.csv", ROWS, header=header), "line 1", "no UK Sanctions List header row")
    header = [c for c in HEADER if c != "Name type"]
    raises(write_xlsx(tmp_path / "c.xlsx", ROWS, header=header), "sheet 'UK Sanctions List' row 2", "name type")


def test_bad_rows(tmp_path: Path) -> None:
    raises(write_csv(tmp_path / "a.csv", [PERSON, {**SHIP, "Unique ID": ""}]), "line 4", "missing Unique ID")
    raises(write_csv(tmp_path / "b.csv", [PERSON, {**SHIP, "Designation Type": ""}]), "line 4", "missing designation type")
    path = write_csv(tmp_path / "c.csv", [PERSON])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('01/01/2020,TST0009,"UNCLOSED\n')
    raises(path, "line", "malformed CSV")
    path = write_csv(tmp_path / "d.csv", [PERSON])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("01/01/2020,TST0009,,,SHORT\n")
    raises(path, "line 4", "expected 58 fields, found 5")


def test_damaged_xlsx_and_xml(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", ROWS * 20).read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good[: len(good) * 2 // 3])
    assert SHEET_FORMAT.detect(truncated, read_head(truncated)) is None
    raises(truncated, "unreadable XLSX")
    broken = tmp_path / "broken.xml"
    broken.write_text(XML.replace("</Designation>", "</Designatio>", 2), encoding="utf-8")
    raises(broken, "line", "malformed XML")
    no_id = tmp_path / "noid.xml"
    no_id.write_text(XML.replace("<UniqueID>TST0002</UniqueID>", ""), encoding="utf-8")
    raises(no_id, "Designation #2 (line 4)", "missing <UniqueID>")
    duplicate = tmp_path / "duplicate.xml"
    duplicate.write_text(XML.replace("TST0002", "TST0001"), encoding="utf-8")
    raises(duplicate, "Designation #2", "duplicate UniqueID 'TST0001'")
