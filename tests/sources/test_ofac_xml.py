"""OFAC sdnList XML (sdn.xml, consolidated.xml): real files and hand-made damaged ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources import detect as registry_detect
from tradeguard.sources.base import SourceError
from tradeguard.sources.common import read_head
from tradeguard.sources.ofac_csv import read as read_csv
from tradeguard.sources.ofac_xml import FORMATS, detect, read

CONS = "ofac_consolidated"
OLD_NS = "http://tempuri.org/sdnList.xsd"
NEW_NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"

_CACHE: dict[Path, tuple[str, str | None, list[str], list[Entity]]] = {}


def _read(path: Path) -> tuple[str, str | None, list[str], list[Entity]]:
    if path not in _CACHE:
        parsed = read(path)
        _CACHE[path] = (parsed.list_key, parsed.published, parsed.notes, list(parsed.entities))
    return _CACHE[path]


# (file, count, Publish_Date) per PROVENANCE.md
CONSOLIDATED = [
    ("2018-04-06_perchrh/consolidated.xml", 639, "2018-04-06"),
    ("2020-03-17_deriv-com/sample_ofac_consolidated.xml", 375, "2020-03-17"),
    ("2024-05-06_hebbd5/consolidated.xml", 443, "2024-05-06"),
    ("2025-03-28_kebalkhadka/consolidated.xml", 443, "2025-03-28"),
    ("2025-10-22_haverisenosku/ofac.xml", 443, "2025-10-22"),
    ("2025-12-18_haverisenosku/ofac.xml", 442, "2025-12-18"),
    ("2026-01-08_haverisenosku/ofac.xml", 442, "2026-01-08"),
]


@pytest.mark.parametrize(("rel", "count", "published"), CONSOLIDATED)
def test_consolidated_files(lists_dir: Path, rel: str, count: int, published: str) -> None:
    path = lists_dir / CONS / rel
    list_key, pub, notes, entities = _read(path)
    assert len(entities) == count
    assert len({e.source_id for e in entities}) == count
    assert pub == published
    assert notes == []  # Record_Count agrees
    # consolidated*.xml by name; ofac.xml by content (NS-PLC, CMIC, FSE ... programs)
    assert list_key == "us_ofac_cons"
    assert detect(path, read_head(path)) == "us_ofac_cons"
    assert all(e.list == "us_ofac_cons" and e.names[0].kind == "primary" for e in entities)


def test_partial_sdn_xml(lists_dir: Path) -> None:
    path = lists_dir / "ofac_sdn" / "xml_partial_2020-04-22_deriv-com" / "sdn.xml"
    list_key, published, notes, entities = _read(path)
    assert (list_key, published, len(entities)) == ("us_ofac_sdn", "2020-04-22", 8)
    assert notes == ["Record_Count says 8197 entries but the file holds 8 (a partial copy?)"]
    assert detect(path, read_head(path)) == "us_ofac_sdn"
    saeed = next(e for e in entities if e.source_id == "10689")
    assert saeed.schema == "Person"
    assert saeed.names[0] == Name("SAEED, Muhammad", "primary", given="Muhammad", family="SAEED")
    assert (
        Name("SAEED, Hafiz Muhammad", "alias", given="Hafiz Muhammad", family="SAEED")
        in saeed.names
    )
    assert [n.value for n in saeed.names if n.kind == "weak_alias"] == ["HAFIZ SAHIB", "TATA JI"]
    assert len(saeed.names) == 11
    assert saeed.programs == ["SDGT"]
    assert saeed.identifiers == [
        Identifier("passport", "Booklet A5250088", "pk", "Passport"),
        Identifier(
            "passport", "BE5978421", "pk", "Passport; issued 14 Nov 2007 expires 12 Nov 2012"
        ),
        Identifier("national_id", "23250460642", "pk", "National ID No."),
        Identifier("national_id", "3520025509842-7", "pk", "National ID No."),
    ]
    assert saeed.addresses == [
        Address(
            "House No. 116 E, Mohalla Johar, Town: Lahore, Tehsil:, Lahore City, Lahore District, Pakistan",
            "pk",
            "Lahore City, Lahore District",
        )
    ]
    assert saeed.nationalities == ["pk"]
    assert saeed.birth_dates == ["1950-06-05"]
    assert saeed.birth_places == ["Sargodha, Punjab, Pakistan"]


def test_consolidated_spot_checks(lists_dir: Path) -> None:
    ents = {
        e.source_id: e for e in _read(lists_dir / CONS / "2025-12-18_haverisenosku" / "ofac.xml")[3]
    }
    yamburg = ents["19468"]
    assert yamburg.names[0] == Name("GAZPROM DOBYCHA YAMBURG, OOO", "primary")
    assert yamburg.programs == ["UKRAINE-EO13662"]
    assert yamburg.extra["directive"] == ["Subject to Directive 4"]
    assert yamburg.relations == [
        Relation(
            "linked_to", target_source_id="17250", target_name="PUBLIC JOINT STOCK COMPANY GAZPROM"
        )
    ]
    # No "(Russia)" on these ids: typed from the Russian address and valid check digits.
    assert {(i.type, i.value) for i in yamburg.identifiers} == {
        ("ogrn", "1028900624576"),
        ("registration", "04803457"),
        ("inn", "8904034777"),
    }
    assert yamburg.countries == ["ru"]
    haniya = ents["9639"]
    assert haniya.programs == ["NS-PLC"]
    assert haniya.birth_dates == ["1962"] and haniya.birth_places == ["Shati"]
    assert [n.value for n in haniya.names] == [
        "HANIYA, Ismail Abdul Salah",
        "HANIYA, Ismail",
        "HANIYYA, Ismaeel",
    ]
    # 10/22 -> 12/18: one entry (FSE-IR) removed.
    before = {
        e.source_id for e in _read(lists_dir / CONS / "2025-10-22_haverisenosku" / "ofac.xml")[3]
    }
    assert before - set(ents) == {"26182"} and set(ents) <= before


def test_same_data_as_legacy_csv(lists_dir: Path) -> None:
    """The 2018 release in XML and in CSV: same entries, names, programs and vessels."""
    folder = lists_dir / CONS / "2018-04-06_perchrh"
    xml = {e.source_id: e for e in _read(folder / "consolidated.xml")[3]}
    csv = {e.source_id: e for e in read_csv(folder / "cons_prim.csv").entities}
    assert set(xml) == set(csv)
    for uid, entity in xml.items():
        other = csv[uid]
        assert entity.schema == other.schema, uid
        assert entity.names[0] == other.names[0], uid
        assert set(entity.programs) == set(other.programs), uid
    shona = xml["15036"]
    assert shona.names == [
        Name("SHONA", "primary"),
        Name("ABADAN", "former"),
        Name("ALPHA", "former"),
    ]
    assert shona.extra["call_sign"] == ["T2EU4"] and shona.extra["flag"] == ["Tanzania"]
    assert {(i.type, i.value) for i in shona.identifiers} == {
        ("imo", "9187629"),
        ("mmsi", "572469210"),
        ("vessel_call_sign", "T2EU4"),
    }


def test_registry_picks_this_format(lists_dir: Path) -> None:
    found = registry_detect(lists_dir / CONS / "2024-05-06_hebbd5" / "consolidated.xml")
    assert found is not None and found[0] is FORMATS[0] and found[1] == "us_ofac_cons"


# --- hand-made inputs ----------------------------------------------------------------------


def _doc(body: str, ns: str = NEW_NS, date: str = "01/02/2025", count: int = 2) -> str:
    return (
        '<?xml version="1.0" standalone="yes"?>\n'
        f'<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="{ns}">\n'
        f"  <publshInformation><Publish_Date>{date}</Publish_Date><Record_Count>{count}</Record_Count>"
        "</publshInformation>\n" + body + "</sdnList>\n"
    )


ENTRIES = """  <sdnEntry>
    <uid>101</uid><firstName>Ivan</firstName><lastName>PETROV</lastName><sdnType>Individual</sdnType>
    <title>Director</title>
    <programList><program>RUSSIA-EO14024</program><program>CYBER2</program></programList>
    <idList>
      <id><uid>1</uid><idType>Passport</idType><idNumber>7512345</idNumber><idCountry>Russia</idCountry>
          <issueDate>01 Jan 2015</issueDate></id>
      <id><uid>2</uid><idType>Gender</idType><idNumber>Male</idNumber></id>
      <id><uid>3</uid><idType>Digital Currency Address - XBT</idType><idNumber>1abcXYZ</idNumber></id>
      <id><uid>4</uid><idType>Tax ID No.</idType><idNumber>500100732259</idNumber><idCountry>Russia</idCountry></id>
      <id><uid>5</uid><idType>Club Card No.</idType><idNumber>C-9</idNumber></id>
      <id><uid>6</uid><idType>Listing Date (EO 14024 Directive 2):</idType><idNumber>24 Feb 2022</idNumber></id>
    </idList>
    <akaList>
      <aka><uid>7</uid><type>a.k.a.</type><category>strong</category><lastName>PETROFF</lastName>
           <firstName>John</firstName></aka>
      <aka><uid>8</uid><type>a.k.a.</type><category>weak</category><lastName>VANYA</lastName></aka>
      <aka><uid>9</uid><type>f.k.a.</type><category>strong</category><lastName>SIDOROV</lastName>
           <firstName>Ivan</firstName></aka>
    </akaList>
    <addressList><address><uid>10</uid><address1>1 Red Sq</address1><city>Moscow</city>
      <postalCode>101000</postalCode><country>Russia</country></address></addressList>
    <nationalityList><nationality><uid>11</uid><country>Russia</country><mainEntry>true</mainEntry>
      </nationality></nationalityList>
    <citizenshipList><citizenship><uid>12</uid><country>Cyprus</country><mainEntry>true</mainEntry>
      </citizenship></citizenshipList>
    <dateOfBirthList><dateOfBirthItem><uid>13</uid><dateOfBirth>circa 1970</dateOfBirth></dateOfBirthItem>
      <dateOfBirthItem><uid>14</uid><dateOfBirth>1971 to 1973</dateOfBirth></dateOfBirthItem>
    </dateOfBirthList>
    <placeOfBirthList><placeOfBirthItem><uid>15</uid><placeOfBirth>Tula, Russia</placeOfBirth>
      </placeOfBirthItem></placeOfBirthList>
    <remarks>Director; (Linked To: SEA STAR SHIPPING)</remarks>
  </sdnEntry>
  <sdnEntry>
    <uid>102</uid><lastName>SEA STAR SHIPPING</lastName><sdnType>Vessel</sdnType>
    <programList><program>IRAN</program></programList>
    <idList><id><uid>16</uid><idType>Vessel Registration Identification</idType>
      <idNumber>IMO 9187629</idNumber></id></idList>
    <vesselInfo><callSign>ABCD</callSign><vesselType>Tanker</vesselType><vesselFlag>Panama</vesselFlag>
      <vesselOwner>NITC</vesselOwner><tonnage>1,000</tonnage><grossRegisteredTonnage>900</grossRegisteredTonnage>
    </vesselInfo>
  </sdnEntry>
"""


def test_hand_made_entries(tmp_path: Path) -> None:
    for ns in (OLD_NS, NEW_NS):
        path = tmp_path / "sdn.xml"
        path.write_text(_doc(ENTRIES, ns), encoding="utf-8")
        parsed = read(path)
        assert (parsed.list_key, parsed.published, parsed.notes) == (
            "us_ofac_sdn",
            "2025-01-02",
            [],
        )
        petrov, ship = list(parsed.entities)
        assert petrov.schema == "Person" and ship.schema == "Vessel"
        assert petrov.names == [
            Name("PETROV, Ivan", "primary", given="Ivan", family="PETROV"),
            Name("PETROFF, John", "alias", given="John", family="PETROFF"),
            Name("VANYA", "weak_alias"),
            Name("SIDOROV, Ivan", "former", given="Ivan", family="SIDOROV"),
        ]
        assert petrov.programs == ["RUSSIA-EO14024", "CYBER2"]
        assert petrov.identifiers == [
            Identifier("passport", "7512345", "ru", "Passport; issued 01 Jan 2015"),
            Identifier("crypto", "1abcXYZ", None, "Digital Currency Address - XBT"),
            Identifier("inn", "500100732259", "ru", "Tax ID No."),
            Identifier("other", "C-9", None, "Club Card No."),
        ]
        assert petrov.extra == {"title": ["Director"], "gender": ["Male"]}
        assert petrov.addresses == [Address("1 Red Sq, Moscow, 101000, Russia", "ru", "Moscow")]
        assert petrov.nationalities == ["ru", "cy"]
        assert petrov.birth_dates == ["~1970", "1971/1973"]
        assert petrov.birth_places == ["Tula, Russia"]
        assert petrov.remarks == ["Listing Date (EO 14024 Directive 2): 24 Feb 2022"]
        assert petrov.relations == [
            Relation("linked_to", target_source_id="102", target_name="SEA STAR SHIPPING")
        ]
        assert ship.identifiers == [
            Identifier("imo", "9187629", None, "Vessel Registration Identification"),
            Identifier("vessel_call_sign", "ABCD", None, "Call Sign"),
        ]
        assert ship.extra == {
            "call_sign": ["ABCD"],
            "vessel_type": ["Tanker"],
            "tonnage": ["1,000"],
            "grt": ["900"],
            "flag": ["Panama"],
            "owner": ["NITC"],
        }
        assert ship.countries == ["pa"]


def test_list_key_by_content(tmp_path: Path) -> None:
    body = "".join(
        f"<sdnEntry><uid>{i}</uid><lastName>X{i}</lastName><sdnType>Entity</sdnType>"
        f"<programList><program>{p}</program></programList></sdnEntry>\n"
        for i, p in ((1, "CMIC-EO13959"), (2, "UKRAINE-EO13662"), (3, "UKRAINE-EO13662"))
    )
    path = tmp_path / "ofac.xml"
    path.write_text(_doc(body, count=3), encoding="utf-8")
    assert detect(path, read_head(path)) == "us_ofac_cons"
    assert read(path).list_key == "us_ofac_cons"
    by_name = tmp_path / "sdn.xml"
    by_name.write_text(_doc(body, count=3), encoding="utf-8")
    assert detect(by_name, read_head(by_name)) == "us_ofac_sdn"
    assert detect(by_name, b'<?xml version="1.0"?><CONSOLIDATED_LIST>') is None


def test_truncated_xml(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    text = _doc(ENTRIES)
    path.write_text(text[: text.index("<vesselInfo>")], encoding="utf-8")
    with pytest.raises(SourceError, match=r"sdn\.xml, line \d+: malformed XML"):
        read(path)


def test_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    data = _doc(ENTRIES).encode("utf-8").replace(b"Tula", b"T\xffla")
    path.write_bytes(data)
    line = data[: data.index(b"T\xffla")].count(b"\n") + 1
    with pytest.raises(SourceError, match=rf"sdn\.xml, line {line}: malformed XML"):
        read(path)


def test_bad_uid_names_entry(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    text = _doc(ENTRIES).replace("<uid>102</uid>", "<uid>10x2</uid>")
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("<uid>10x2")].count("\n")  # the sdnEntry start tag's line
    with pytest.raises(SourceError) as err:
        read(path)
    assert (
        str(err.value) == f"{path}, line {line}, sdnEntry #2: sdnEntry uid '10x2' is not an integer"
    )


def test_empty_and_wrong_root(tmp_path: Path) -> None:
    empty = tmp_path / "sdn.xml"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match=r"sdn\.xml: file is empty \(0 bytes\)"):
        read(empty)
    none = tmp_path / "consolidated.xml"
    none.write_text(_doc("", count=0), encoding="utf-8")
    with pytest.raises(SourceError, match=r"consolidated\.xml, root element: no sdnEntry records"):
        read(none)
    other = tmp_path / "other.xml"
    other.write_text("<CONSOLIDATED_LIST/>", encoding="utf-8")
    with pytest.raises(SourceError, match=r"expected <sdnList>"):
        read(other)


def test_unknown_sdn_type(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(
        _doc(ENTRIES.replace("<sdnType>Vessel</sdnType>", "<sdnType>Spaceship</sdnType>")),
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match=r"sdnEntry #2 \(uid 102\): unknown sdnType 'Spaceship'"):
        read(path)
