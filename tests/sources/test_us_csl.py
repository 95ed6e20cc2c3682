"""US Consolidated Screening List CSV (us_csl): the real 2016 file and hand-made ones."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

from tests.helpers import assert_source_error
from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources.common import read_head
from tradeguard.sources.us_csl import FORMATS, SOURCES, detect, read

CSL = "us_csl/2016-02_partial_opendatalabcz/data.csv"
HEADER = next(csv.reader([
    "source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,"
    "standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,"
    "gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,"
    "dates_of_birth,nationalities,places_of_birth,source_information_url"
]))

_CACHE: dict[Path, list[Entity]] = {}


def load(path: Path) -> list[Entity]:
    if path not in _CACHE:
        _CACHE[path] = list(read(path).entities)
    return _CACHE[path]


def test_real_file_counts(lists_dir: Path) -> None:
    path = lists_dir / CSL
    assert detect(path, read_head(path)) == "us_csl"
    parsed = read(path)
    assert parsed.list_key == "us_csl" and parsed.format == "us_csl_csv" and parsed.published is None
    assert parsed.notes[0] == "399 rows, 399 entries; rows per sub-list: SDN 273, EL 44, DTC 34, DPL 20, SSI 9, ISN 8, UVL 6, PLC 5"
    entities = load(path)
    assert len(entities) == 399 == len({e.source_id for e in entities})
    per_source = Counter(e.extra["csl_source"][0] for e in entities)
    assert per_source == {"SDN": 273, "EL": 44, "DTC": 34, "DPL": 20, "SSI": 9, "ISN": 8, "UVL": 6, "PLC": 5}
    assert Counter(e.programs[0] for e in entities)[SOURCES["EL"]] == 44
    assert Counter(e.schema for e in entities) == {"Person": 167, "Organization": 113, "LegalEntity": 112, "Airplane": 4, "Vessel": 3}
    # Rows without entity_number (BIS and State lists) get a stable hashed id.
    hashed = [e.source_id for e in entities if not e.source_id.isdigit()]
    assert len(hashed) == 112 and all(re.fullmatch(r"(EL|DTC|DPL|ISN|UVL)-[0-9a-f]{16}", s) for s in hashed)
    assert sorted(hashed) == sorted(e.source_id for e in read(path).entities if not e.source_id.isdigit())


def test_real_file_entries(lists_dir: Path) -> None:
    entities = {e.source_id: e for e in load(lists_dir / CSL)}
    congo = entities["12454"]
    assert congo.schema == "Organization"
    assert [n.value for n in congo.names] == ["CONGO FUTUR", "CONGO FUTURE", "GROUPE CONGO FUTUR", "CONGO FUTUR IMPORT"]
    assert congo.addresses == [
        Address("Future Tower, 3462 Boulevard du 30 Juin, Gombe, Kinshasa, CD", country="cd"),
        Address("Avenue du Flambeau 389, Kinshasa, CD", country="cd"),
    ]
    assert congo.programs == ["Specially Designated Nationals (SDN) - Treasury Department", "SDGT"]
    ladino = entities["11237"]
    assert ladino.names[0] == Name("LADINO AVILA, Jaime Arturo", "primary", given="Jaime Arturo", family="LADINO AVILA")
    assert Name("EL OJON", "alias") in ladino.names
    assert ladino.birth_dates == ["1964-07-24", "1962-08-26", "1964-11-13"]
    assert ladino.nationalities == ["mx"] and ladino.programs[1:] == ["SDNTK"]
    sber = entities["18750"]
    assert sber.programs == ["Sectoral Sanctions Identifications List (SSI) - Treasury Department", "UKRAINE-EO13662"]
    assert sber.relations == [Relation("linked_to", target_name="SBERBANK OF RUSSIA")]
    badege = entities["15718"]
    assert badege.birth_dates == ["1971"] and badege.extra["title"] == ["Lieutenant Colonel"]
    mayrow = next(e for e in entities.values() if e.names[0].value == "Mayrow General Trading")
    assert mayrow.schema == "LegalEntity" and mayrow.source_id.startswith("EL-")
    assert mayrow.programs == ["Entity List (EL) - Bureau of Industry and Security"]
    assert mayrow.addresses == [Address("and P.O. Box 42340, Deira , Dubayy, AE", country="ae")]
    assert mayrow.listed_on == "2008-09-24" and mayrow.extra["federal_register_notice"] == ["75 FR 54510"]
    assert mayrow.extra["license_policy"] == ["Presumption of denial"]


def test_derived_json_is_not_claimed(lists_dir: Path) -> None:
    path = lists_dir / "us_csl" / "2026-07-31_DERIVED_seelpeed-debug" / "screening-list.json"
    assert all(f.detect(path, read_head(path)) is None for f in FORMATS)


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([r.get(h, "") for h in header] for r in rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_same_entity_number_on_two_sub_lists_is_merged(tmp_path: Path) -> None:
    rows = [
        {"source": "Specially Designated Nationals (SDN) - Treasury Department", "entity_number": "1", "type": "Entity",
         "programs": "RUSSIA-EO14024", "name": "TEST BANK", "addresses": "1 Street, Moscow, RU", "start_date": "2022-02-24"},
        {"source": "Sectoral Sanctions Identifications List (SSI) - Treasury Department", "entity_number": "1",
         "type": "Entity", "programs": "UKRAINE-EO13662", "name": "TEST BANK", "alt_names": "TB; TEST BANK PJSC",
         "start_date": "2014-07-16"},
    ]
    parsed = read(write_csv(tmp_path / "consolidated.csv", rows))
    (bank,) = list(parsed.entities)
    assert bank.source_id == "1" and bank.schema == "Organization"
    assert bank.names == [Name("TEST BANK", "primary"), Name("TB", "alias"), Name("TEST BANK PJSC", "alias")]
    assert bank.programs == [SOURCES["SDN"], "RUSSIA-EO14024", SOURCES["SSI"], "UKRAINE-EO13662"]
    assert bank.extra["csl_source"] == ["SDN", "SSI"] and bank.listed_on == "2014-07-16"


def test_newer_layout_with_id_and_ids_columns(tmp_path: Path) -> None:
    header = ["_id", *HEADER, "ids"]
    rows = [{"_id": "abc123", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "TEST CO",
             "addresses": "1 Road, Beijing, CN", "ids": "Registration ID, 91110000, CN; Passport, X1"}]
    path = write_csv(tmp_path / "consolidated.csv", rows, header=header)
    assert detect(path, read_head(path)) == "us_csl"
    (entity,) = list(read(path).entities)
    assert entity.source_id == "abc123" and entity.extra["csl_source"] == ["EL"]
    assert entity.identifiers == [Identifier("registration", "91110000", country="cn"), Identifier("passport", "X1")]


def raises(path: Path, *fragments: str) -> None:
    assert_source_error(read, path, *fragments)


def test_damaged_files(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "alt_names"]
    raises(write_csv(tmp_path / "a.csv", [], header=header), "line 1", "missing required column(s): alt_names")
    good = {"source": "EL", "name": "A"}
    raises(write_csv(tmp_path / "b.csv", [good, {"source": "EL"}]), "line 3", "missing name")
    raises(write_csv(tmp_path / "c.csv", [good, {"name": "B"}]), "line 3", "missing source")
    path = write_csv(tmp_path / "d.csv", [good])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('EL,,,,"UNCLOSED\n')
    raises(path, "line", "malformed CSV")
    path = write_csv(tmp_path / "e.csv", [good])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("EL,,,,SHORT\n")
    raises(path, "line 3", "expected 27 fields, found 5")
    path = write_csv(tmp_path / "f.csv", [good, {"source": "EL", "name": "B\x81\x8d"}])
    path.write_bytes(path.read_bytes().replace("\x81\x8d".encode(), b"\x81\x8d"))
    raises(path, "byte", "neither UTF-8 nor Windows-1252")
