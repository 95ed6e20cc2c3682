"""Canada SEMA consolidated list (XML): 2020 and 2025 field names, built ids, damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeguard.model import Entity, Identifier, Name
from tradeguard.sources.base import SourceError
from tradeguard.sources.ca_sema import (
    FORMATS,
    detect,
    make_source_id,
    read,
    regime_key,
    schedule_key,
)
from tradeguard.sources.common import read_head

OLD = "canada_sema/2020-04_Mendw/sema-lmes.xml"
NEW = "canada_sema/2025-05_kebalkhadka/cannada.xml"

_CACHE: dict[Path, tuple[list[str], list[Entity]]] = {}


def load(path: Path) -> tuple[list[str], list[Entity]]:
    if path not in _CACHE:
        parsed = read(path)
        assert parsed.list_key == "ca_sema" and parsed.format == "ca_sema_xml"
        assert parsed.published is None
        entities = list(parsed.entities)
        _CACHE[path] = (list(parsed.notes), entities)
    return _CACHE[path]


def by_id(path: Path) -> dict[str, Entity]:
    return {e.source_id: e for e in load(path)[1]}


def test_2020_file_counts(lists_dir: Path) -> None:
    path = lists_dir / OLD
    assert detect(path, read_head(path)) == "ca_sema"
    notes, entities = load(path)
    assert notes == ["the file states no publication date"]
    assert len(entities) == 1369
    assert len({e.source_id for e in entities}) == 1369
    assert sum(e.schema == "Person" for e in entities) == 985
    assert sum(e.schema == "Organization" for e in entities) == 384
    assert all(e.names[0].kind == "primary" and e.names[0].value for e in entities)
    assert all(e.listed_on is None for e in entities)  # no DateOfListing in 2020


def test_2025_file_counts_and_latest_listing_date(lists_dir: Path) -> None:
    path = lists_dir / NEW
    assert detect(path, read_head(path)) == "ca_sema"
    notes, entities = load(path)
    assert notes == [
        "the file states no publication date",
        "latest DateOfListing in the file: 2025-03-20",
    ]
    assert len(entities) == 4759
    assert len({e.source_id for e in entities}) == 4759
    assert sum(e.schema == "Person" for e in entities) == 3334
    assert sum(e.schema == "Organization" for e in entities) == 1316
    vessels = [e for e in entities if e.schema == "Vessel"]
    assert len(vessels) == 109
    assert all(len(v.identifiers) == 1 and v.identifiers[0].type == "imo" for v in vessels)
    assert all(e.listed_on is not None for e in entities)


def test_ids_are_stable_between_2020_and_2025(lists_dir: Path) -> None:
    old, new = by_id(lists_dir / OLD), by_id(lists_dir / NEW)
    for source_id, caption in [
        ("ir-p2-5", "Gholam Reza Jalali Farahani"),  # "2" in 2020, "1, Part 2" in 2025
        ("sy-p2-10", "Mohammad Dib Zaytun"),  # "2" -> "Part 2"
        ("mm-p2-3", "Khin Lay Thet"),  # "Burma / Birmanie" -> "Myanmar (Burma) / ..."
        ("mm-5", "Granite Tile Factory (Kyaikto)"),
        ("ru-s3-1", "OAO Novatek"),  # Russia's Schedule 3 in both
        ("jvcfor-1", "Nicolás MADURO MOROS"),  # "1" -> no Schedule
        ("zw-1", "Robert Gabriel Mugabe"),
    ]:
        assert old[source_id].caption == caption
        assert new[source_id].caption == caption
    # Russia 2020 has both "2" (Schedule 2) and "1, Part 2": distinct ids.
    assert old["ru-s2-2"].caption == "VEB"
    assert old["ru-s2-1"].caption == "Gazprombank OAO"
    assert old["ru-p2-1"].caption == "Aktsionerny Bank Russian Federation"
    same = sum(1 for sid, e in old.items() if sid in new and new[sid].caption == e.caption)
    assert same >= 1240


def test_person_with_aliases_in_two_languages(lists_dir: Path) -> None:
    e = by_id(lists_dir / NEW)["by-120"]
    assert e.schema == "Person"
    assert e.names == [
        Name(
            "Nikolai Aleksandrovich LUKASHENKO",
            "primary",
            given="Nikolai Aleksandrovich",
            family="LUKASHENKO",
        ),
        Name("Mikalay Alyaksandravich Lukashenka", "alias"),
        Name("Kolya Lukashenko", "alias"),
        Name("Мікалай Аляксандравіч Лукашэнка", "original_script", "be"),
        Name("Николай Александрович Лукашенко", "original_script", "ru"),
        Name("Коля Лукашенко", "original_script", "ru"),
    ]
    assert e.birth_dates == ["2004-08-31"]
    assert e.programs == ["Belarus / Bélarus"]
    assert e.countries == ["by"]
    assert e.listed_on == "2024-08-08"
    assert e.extra == {"schedule": ["1, Part 1"], "item": ["120"]}

    dagalo = by_id(lists_dir / NEW)["sd-1"]
    assert [(n.value, n.kind, n.lang) for n in dagalo.names][3:] == [
        ("Abdul Rahim Dagalo", "alias", None),
        ("Abdelrahim Hamdan Dagalo Mousa", "alias", None),
        ("عبدالرحيم دقلو", "original_script", "ar"),
    ]
    assert dagalo.extra["birth_date_text"] == ["born in the early 1970s"]


def test_vessel_and_organisation(lists_dir: Path) -> None:
    new = by_id(lists_dir / NEW)
    ship = new["ru-s1.1-1"]
    assert ship.schema == "Vessel"
    assert ship.names == [Name("Balitiyskiy III", "primary")]
    assert ship.identifiers == [Identifier("imo", "7612448")]
    assert ship.birth_dates == []
    assert ship.extra["build_date"] == ["1980"]
    assert ship.extra["vessel_type"] == ["General Cargo / Multi Purpose"]
    assert ship.extra["schedule"] == ["1.1"]

    org = new["ru-p2-181"]
    assert org.schema == "Organization"
    assert [(n.value, n.kind) for n in org.names] == [
        ("Russotrudnichestvo", "primary"),
        (
            "Федеральное агентство по делам Содружества Независимых Государств, соотечественников, "
            "проживающих за рубежом, и по международному гуманитарному сотрудничеству",
            "original_script",
        ),
        ("Россотрудничество", "original_script"),
    ]
    assert org.listed_on == "2022-07-07"


def test_2020_field_names_title_and_two_dates(lists_dir: Path) -> None:
    old = by_id(lists_dir / OLD)
    general = old["sy-p2-60"]
    assert general.names == [Name("Jumah Al-Ahmad", "primary", given="Jumah", family="Al-Ahmad")]
    assert general.extra["title"] == ["Major General/major-général"]
    assert general.programs == ["Syria / Syrie"] and general.countries == ["sy"]
    two = old["jvcfor-54"]
    assert two.birth_dates == ["1972-08-10", "1972-08-11"]
    assert two.countries == []  # JVCFOR is not a country
    air = old["mm-1"]
    assert [(n.value, n.kind) for n in air.names] == [
        ("Air Bagan", "primary"),
        ("Air Bagan Holdings Pte. Ltd.", "alias"),
        ("Air Bagan Limited", "alias"),
    ]


def test_source_id_rules() -> None:
    assert regime_key("Russia / Russie") == "ru"
    assert (
        regime_key("Hamas Terrorist Attacks / Attaques terroristes du Hamas")
        == "hamas_terrorist_attacks"
    )
    assert (
        regime_key("Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / x")
        == "jvcfor"
    )
    assert schedule_key("1, Part 2", False) == ("1", "2")
    assert schedule_key("1,Part 3", False) == ("1", "3")
    assert schedule_key("Part 1.1", False) == ("1", "1.1")
    assert schedule_key("2", False) == ("1", "2")
    assert schedule_key("2", True) == ("2", "1")
    assert schedule_key("N/A", True) == ("1", "1")
    assert schedule_key(None, False) == ("1", "1")
    assert make_source_id("Iran", ("1", "2"), "5", "x") == "ir-p2-5"
    assert make_source_id("Russia / Russie", ("2", "3"), "9", "x") == "ru-s2p3-9"
    hashed = make_source_id("Iran", ("1", "1"), None, "Some Name")
    assert hashed.startswith("ir-h") and len(hashed) == len("ir-h") + 12
    assert hashed == make_source_id("Iran", ("1", "1"), "", "Some Name")


# --- hand-made and damaged inputs ------------------------------------------------------------


def sema(records: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<data-set xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + records
        + "</data-set>\n"
    )


def record(*fields: tuple[str, str]) -> str:
    return "<record>" + "".join(f"<{k}>{v}</{k}>" for k, v in fields) + "</record>\n"


def test_missing_item_duplicate_ids_and_ship_without_imo(tmp_path: Path) -> None:
    path = tmp_path / "sema.xml"
    path.write_text(
        sema(
            record(
                ("Country", "Iran"), ("LastName", "Doe"), ("GivenName", "John"), ("Schedule", "1")
            )
            + record(("Country", "Iran"), ("LastName", "Roe"), ("Schedule", "1"), ("Item", "4"))
            + record(
                ("Country", "Iran"), ("EntityOrShip", "Roe Corp"), ("Schedule", "1"), ("Item", "4")
            )
            + record(
                ("Country", "Iran"),
                ("EntityOrShip", "SEA STAR"),
                ("TitleOrShip", "Oil Tanker"),
                ("Item", "9"),
            )
        ),
        "utf-8",
    )
    parsed = read(path)
    entities = list(parsed.entities)
    assert [e.source_id for e in entities] == [
        make_source_id("Iran", ("1", "1"), None, "John Doe"),
        "ir-4",
        "ir-4~2",
        "ir-9",
    ]
    assert parsed.notes[-1] == "line 5, record 3: id ir-4 is repeated; this record is ir-4~2"
    assert [e.schema for e in entities] == ["Person", "Person", "Organization", "Vessel"]
    assert entities[3].identifiers == [] and entities[3].extra["vessel_type"] == ["Oil Tanker"]


def test_truncated_file_names_file_and_line(lists_dir: Path, tmp_path: Path) -> None:
    data = (lists_dir / OLD).read_bytes()
    path = tmp_path / "sema-lmes.xml"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(SourceError) as info:
        read(path)
    assert str(path) in str(info.value)
    assert (info.value.where or "").startswith("line ")


def test_wrong_root_bad_encoding_and_nameless_record(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text('<?xml version="1.0"?><dataset><record/></dataset>', "utf-8")
    assert detect(path, read_head(path)) is None
    with pytest.raises(SourceError) as info:
        read(path)
    assert info.value.where == "root element" and "<dataset>" in info.value.problem

    path.write_bytes(
        sema(
            record(("Country", "Iran"), ("LastName", "Doe"), ("Item", "1"))
            + record(("Country", "Belarus / B\xe9larus"))
        )
        .encode("utf-8")
        .replace("B\xe9larus".encode(), b"B\xe9larus")
    )
    with pytest.raises(SourceError) as info:
        read(path)
    assert str(path) in str(info.value) and info.value.where == "line 4"

    path.write_text(
        sema(
            record(("Country", "Iran"), ("LastName", "Doe"), ("Item", "1"))
            + record(("Country", "Iran"), ("Item", "2"))
        ),
        "utf-8",
    )
    parsed = read(path)
    with pytest.raises(SourceError) as info:
        list(parsed.entities)
    assert str(path) in str(info.value)
    assert info.value.where == "line 4, record 2"
    assert "no name" in info.value.problem


def test_empty_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text(sema(""), "utf-8")
    with pytest.raises(SourceError, match="no <record> elements"):
        read(path)


def test_format_registration() -> None:
    assert [f.name for f in FORMATS] == ["ca_sema_xml"]
