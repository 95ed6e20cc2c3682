"""OpenSanctions exports (opensanctions): FtM JSON lines and targets.simple.csv."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from tests.helpers import assert_source_error
from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources.common import read_head
from tradeguard.sources.opensanctions import FORMATS, read_ftm, read_simple

FTM_FORMAT, SIMPLE_FORMAT = FORMATS
UA = "opensanctions/ua_war_sanctions_2026-03-13_com-480/targets.simple.csv"
PEPS = "opensanctions/wikidata_peps_sa_2024-03-09_khongdudinhdoikhongne"

_CACHE: dict[Path, list[Entity]] = {}


def simple(path: Path) -> list[Entity]:
    if path not in _CACHE:
        _CACHE[path] = list(read_simple(path).entities)
    return _CACHE[path]


def formats_claiming(path: Path) -> list[str]:
    head = read_head(path)
    return [f.name for f in FORMATS if f.detect(path, head) == "opensanctions"]


def test_detection_of_every_file_in_the_export_folders(lists_dir: Path) -> None:
    assert formats_claiming(lists_dir / UA) == ["opensanctions_simple_csv"]
    folder = lists_dir / PEPS
    assert formats_claiming(folder / "entities.ftm.json") == ["opensanctions_ftm"]
    assert formats_claiming(folder / "targets.simple.csv") == ["opensanctions_simple_csv"]
    others = sorted(p.name for p in folder.iterdir() if p.name not in ("entities.ftm.json", "targets.simple.csv"))
    assert others == ["index.json", "issues.json", "names.txt", "resources.json", "senzing.json", "statistics.json", "targets.nested.json"]
    for name in others:
        assert formats_claiming(folder / name) == [], name
    for path in (lists_dir / "us_csl").glob("*/*"):
        assert formats_claiming(path) == [], path


def test_ukraine_war_simple_csv(lists_dir: Path) -> None:
    path = lists_dir / UA
    parsed = read_simple(path)
    assert parsed.list_key == "opensanctions" and parsed.format == "opensanctions_simple_csv"
    assert parsed.published == "2026-03-13T05:41:01"
    assert parsed.notes == ["5600 targets (16-column layout)"]
    entities = simple(path)
    assert len(entities) == 5600 == len({e.source_id for e in entities})
    assert Counter(e.schema for e in entities) == {"Person": 1543, "Company": 1524, "Vessel": 1340, "LegalEntity": 1193}
    assert Counter(i.type for e in entities for i in e.identifiers)["imo"] == 2852
    by_id = {e.source_id: e for e in entities}
    vessel = by_id["NK-24cf2zYe7LEKhr2zFck73j"]
    assert vessel.schema == "Vessel"
    assert vessel.names == [Name("ROSALIN", "primary"), Name("Ceram Sea", "alias"), Name("Gold Sun", "alias"), Name("Nurkez", "alias")]
    assert vessel.countries == ["lr", "pa", "sg", "st"]
    assert vessel.identifiers == [Identifier("imo", "IMO9253325")]
    assert vessel.programs == ["UA-WS-MARE"] and vessel.extra["datasets"] == ["Ukraine War and Sanctions"]
    person = by_id["NK-26WkuEefVYLmYk8aTHMC9E"]
    assert [n.value for n in person.names] == ["IVAKHA Denis Vladimirovich", "ІВАХА Денис Володимирович", "ИВАХА Денис Владимирович"]
    plant = by_id["NK-28mqu8V3AzembAmAfehWPd"]
    assert plant.identifiers == [Identifier("ogrn", "1125042006462"), Identifier("inn", "5042126251")]
    assert plant.addresses == [Address("141321, Moscow region, Sergiev Posad, Krasnozavodsk, Rdultovskogo square, 1")]
    assert plant.remarks[0].startswith("A russian developer of pyrotechnic products.")
    assert plant.remarks[0].endswith("owned by Technodinamika holding company.")  # the CSV quoting inside the cell is undone
    assert Identifier("mmsi", "667001255") in by_id["NK-2BqYpcHUPgg5MQnG9kYAkB"].identifiers


def test_older_15_column_simple_csv(lists_dir: Path) -> None:
    parsed = read_simple(lists_dir / PEPS / "targets.simple.csv")
    assert parsed.published == "2024-03-09T09:28:18"
    assert parsed.notes == ["20 targets (15-column layout (no program_ids))"]
    entities = list(parsed.entities)
    assert len(entities) == 20 and {e.schema for e in entities} == {"Person"}
    first = entities[0]
    assert first.source_id == "Q262597" and first.names[0] == Name("Abdullah", "primary")
    assert first.birth_dates == ["1948-01-01"] and first.countries == ["sa"]
    assert first.identifiers == [Identifier("other", "Q262597", note="Wikidata QID")]
    assert first.programs == []


def test_ftm_json_lines(lists_dir: Path) -> None:
    parsed = read_ftm(lists_dir / PEPS / "entities.ftm.json")
    assert parsed.format == "opensanctions_ftm" and parsed.published == "2024-03-09T09:28:18"
    assert parsed.notes == [
        "100 entities of the modelled schemata",
        "80 of them are not targets (related parties): extra['target'] == ['false']",
        "skipped schemata (folded into relations/sanctions or not modelled): Family 139, Occupancy 21, Position 21",
    ]
    entities = {e.source_id: e for e in parsed.entities}
    assert len(entities) == 100 and {e.schema for e in entities.values()} == {"Person"}
    assert Counter(e.extra["target"][0] for e in entities.values()) == {"true": 20, "false": 80}
    assert sum(len(e.relations) for e in entities.values()) == 2 * 139  # each Family link, on both people
    abdullah = entities["Q262597"]
    assert abdullah.names[0] == Name("Abdullah", "primary")
    assert Name("阿卜杜拉·本·穆罕默德·謝赫", "alias") in abdullah.names
    assert abdullah.birth_dates == ["1948-01-01"] and abdullah.birth_places == ["Diriyah"]
    assert abdullah.nationalities == ["sa"] and abdullah.remarks == ["Saudi Arabian politician"]
    assert abdullah.identifiers == [Identifier("other", "Q262597", note="wikidataId")]
    assert abdullah.extra["position"] == ["Minister of Justice", "Member of the Consultative Assembly of Saudi Arabia"]
    assert abdullah.extra["gender"] == ["male"]
    hariri = entities["Q296771"]
    assert Relation("family", target_source_id="Q20424718", note="mother") in hariri.relations
    assert Relation("family", target_source_id="Q296771") in entities["Q20424718"].relations


def ftm_line(entity_id: str, schema: str, target: bool = True, **props: Any) -> str:
    return json.dumps({"id": entity_id, "schema": schema, "properties": props, "target": target,
                       "datasets": ["test"], "last_seen": "2025-01-02T03:04:05"}, ensure_ascii=False)


def test_hand_made_ftm_with_ownership_and_sanction(tmp_path: Path) -> None:
    lines = [
        ftm_line("co-1", "Company", name=["Example Holding Ltd"], alias=["EHL"], weakAlias=["EH"],
                 jurisdiction=["cy"], registrationNumber=["HE12345"], innCode=["7707083893"],
                 address=["1 Main St, Nicosia"], incorporationDate=["2001-05-06"]),
        ftm_line("own-1", "Ownership", False, owner=["pe-1"], asset=["co-1"], percentage=["51"], role=["shareholder"]),
        ftm_line("san-1", "Sanction", False, entity=["co-1"], programId=["TEST-PROG"], authority=["Test Office"],
                 listingDate=["2022-03-01"], reason=["Invented reason"]),
        ftm_line("pe-1", "Person", False, name=["Jane Example"], firstName=["Jane"], lastName=["Example"],
                 birthDate=["1970-01"], nationality=["gb"], passportNumber=["P123"], previousName=["Jane Sample"]),
        ftm_line("addr-1", "Address", False, full=["1 Main St"]),
        ftm_line("ship-1", "Vessel", name=["TEST SHIP"], imoNumber=["IMO1234567"], mmsi=["273000000"],
                 buildDate=["1999"], flag=["ru"], pastFlags=["pa"]),
        ftm_line("pb-1", "PublicBody", name=["Ministry of Examples"], country=["xx"]),
    ]
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert formats_claiming(path) == ["opensanctions_ftm"]
    parsed = read_ftm(path)
    assert parsed.notes[0] == "4 entities of the modelled schemata"
    assert parsed.notes[-1].endswith("Address 1, Ownership 1, Sanction 1")
    company, person, ship, body = list(parsed.entities)
    assert company.schema == "Company"
    assert company.names == [Name("Example Holding Ltd", "primary"), Name("EHL", "alias"), Name("EH", "weak_alias")]
    assert company.relations == [Relation("owned_by", target_source_id="pe-1", share="51", note="shareholder")]
    assert company.programs == ["TEST-PROG"] and company.listed_on == "2022-03-01"
    assert company.remarks == ["Invented reason"] and company.extra["sanction_authority"] == ["Test Office"]
    assert company.countries == ["cy"] and company.addresses == [Address("1 Main St, Nicosia")]
    assert company.identifiers == [Identifier("inn", "7707083893"), Identifier("registration", "HE12345")]
    assert company.extra["incorporation_date"] == ["2001-05-06"]
    assert person.names == [Name("Jane Example", "primary", given="Jane", family="Example"), Name("Jane Sample", "former")]
    assert person.birth_dates == ["1970-01"] and person.nationalities == ["gb"]
    assert person.identifiers == [Identifier("passport", "P123")] and person.extra["target"] == ["false"]
    assert ship.schema == "Vessel" and ship.birth_dates == ["1999"]
    assert ship.identifiers == [Identifier("imo", "IMO1234567"), Identifier("mmsi", "273000000")]
    assert ship.extra["flag"] == ["ru"] and ship.extra["past_flags"] == ["pa"]
    assert body.schema == "Organization" and body.names == [Name("Ministry of Examples", "primary")]


# --- damaged files --------------------------------------------------------------------------


def raises_on(reader: Any, path: Path, *fragments: str) -> None:
    assert_source_error(reader, path, *fragments)


def test_damaged_ftm(tmp_path: Path) -> None:
    good = ftm_line("a", "Person", name=["A"])
    path = tmp_path / "bad.json"
    path.write_text(good + "\n" + good[:-10] + "\n", encoding="utf-8")
    raises_on(read_ftm, path, "line 2", "malformed JSON")
    path.write_text(good + "\n" + json.dumps({"id": "b", "schema": "Person"}) + "\n", encoding="utf-8")
    raises_on(read_ftm, path, "line 2", "not a FollowTheMoney entity")
    nested = json.dumps({"id": "c", "schema": "Person", "properties": {"sanctions": [{"id": "s", "schema": "Sanction"}]}})
    path.write_text(good + "\n\n" + nested + "\n", encoding="utf-8")
    raises_on(read_ftm, path, "line 3", "nested entity", "targets.nested.json")
    path.write_bytes(good.encode() + b"\n" + good.replace("A", "\xff").encode("latin-1") + b"\n")
    raises_on(read_ftm, path, "line 2", "not UTF-8")


SIMPLE_HEADER = ["id", "schema", "name", "aliases", "birth_date", "countries", "addresses", "identifiers", "sanctions",
                 "phones", "emails", "program_ids", "dataset", "first_seen", "last_seen", "last_change"]


def write_simple(path: Path, rows: list[list[str]], header: list[str] = SIMPLE_HEADER) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_damaged_simple_csv(tmp_path: Path) -> None:
    good = ["x-1", "Person", "X", "", "", "", "", "", "", "", "", "", "Test", "", "2025-01-01", ""]
    raises_on(read_simple, write_simple(tmp_path / "a.csv", [good], header=SIMPLE_HEADER[:-1]), "line 1", "missing required column(s): last_change")
    raises_on(read_simple, write_simple(tmp_path / "b.csv", [good, good[:-3]]), "line 3", "expected 16 fields, found 13")
    raises_on(read_simple, write_simple(tmp_path / "c.csv", [good, ["", *good[1:]]]), "line 3", "missing id")
    path = write_simple(tmp_path / "d.csv", [good])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('"x-2","Person","UNCLOSED\n')
    raises_on(read_simple, path, "line", "malformed CSV")
    skipped = write_simple(tmp_path / "e.csv", [good, ["w-1", "CryptoWallet", "W", *good[3:]]])
    parsed = read_simple(skipped)
    assert [e.source_id for e in parsed.entities] == ["x-1"]
    assert parsed.notes == ["1 targets (16-column layout)", "skipped schemata: CryptoWallet 1"]
