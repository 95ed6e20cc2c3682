"""OFAC legacy delimited files (sdn.csv + partners, cons_prim.csv/.pip/.del): real and damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources import detect as registry_detect
from tradeguard.sources import read_list
from tradeguard.sources.base import SourceError
from tradeguard.sources.common import read_head
from tradeguard.sources.ofac_csv import FORMATS, detect, parse_ofac_date, read

SDN = "ofac_sdn"
CONS = "ofac_consolidated"

_CACHE: dict[Path, tuple[list[str], list[Path], list[Entity]]] = {}


def _read(path: Path) -> tuple[list[str], list[Path], list[Entity]]:
    if path not in _CACHE:
        parsed = read(path)
        assert parsed.published is None  # OFAC's CSVs state no publication date
        _CACHE[path] = (parsed.notes, parsed.files, list(parsed.entities))
    return _CACHE[path]


def _by_id(path: Path) -> dict[str, Entity]:
    return {e.source_id: e for e in _read(path)[2]}


def _names(entity: Entity, kind: str) -> list[str]:
    return [n.value for n in entity.names if n.kind == kind]


# --- real files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "count"),
    [("2022-02-24", 9123), ("2022-02-25", 9214), ("2024-05-02", 14973), ("2024-05-03", 14965)],
)
def test_history_counts(lists_dir: Path, date: str, count: int) -> None:
    path = lists_dir / SDN / "history" / date / "sdn.csv"
    notes, files, entities = _read(path)
    assert len(entities) == count
    assert len({e.source_id for e in entities}) == count
    assert files == [path]  # no partner files in the history folders
    assert notes == []
    assert {e.list for e in entities} == {"us_ofac_sdn"}
    assert detect(path, read_head(path)) == "us_ofac_sdn"
    # The 0x1A end-of-file byte is not a bogus record; every entry has a primary name.
    assert all(e.names and e.names[0].kind == "primary" for e in entities)


def test_history_deltas(lists_dir: Path) -> None:
    hist = lists_dir / SDN / "history"
    ids = {
        d: {e.source_id for e in _read(hist / d / "sdn.csv")[2]}
        for d in ("2022-02-24", "2022-02-25")
    }
    added = ids["2022-02-25"] - ids["2022-02-24"]
    assert ids["2022-02-24"] <= ids["2022-02-25"]  # a pure addition: nothing removed
    assert len(added) == 91
    assert {"17013", "18721"} <= added  # VTB Bank and VTB Bank Belarus, 24 Feb 2022
    ids = {
        d: {e.source_id for e in _read(hist / d / "sdn.csv")[2]}
        for d in ("2024-05-02", "2024-05-03")
    }
    assert ids["2024-05-03"] <= ids["2024-05-02"]
    assert sorted(ids["2024-05-02"] - ids["2024-05-03"]) == [
        "38556",
        "38557",
        "38558",
        "38559",
        "38560",
        "38563",
        "38565",
        "38566",
    ]


def test_history_spot_checks(lists_dir: Path) -> None:
    ents = _by_id(lists_dir / SDN / "history" / "2024-05-03" / "sdn.csv")
    nasrallah = ents["2686"]
    assert nasrallah.schema == "Person"
    assert nasrallah.names == [
        Name("NASRALLAH, Hasan", "primary", given="Hasan", family="NASRALLAH")
    ]
    assert nasrallah.programs == ["SDGT", "SYRIA"]
    assert nasrallah.birth_dates == ["1960-08-31", "1953-08-31", "1955-08-31", "1958-08-31"]
    assert nasrallah.birth_places == ["Al Basuriyah, Lebanon"]
    assert nasrallah.identifiers == [Identifier("passport", "042833", "lb", "Passport")]
    assert nasrallah.relations == [
        Relation("linked_to", target_source_id="4697", target_name="HIZBALLAH")
    ]
    assert nasrallah.extra["title"] == ["Secretary General of Hizballah"]
    assert nasrallah.extra["gender"] == ["Male"]
    assert nasrallah.remarks == []  # the title repeated in Remarks is not kept twice
    # DOB spellings: a circa year, a year range, a day range of whole years.
    assert ents["7782"].birth_dates == ["~1951"]
    assert ents["15962"].birth_dates == ["1961/1962"]
    assert ents["16540"].birth_dates == ["1977/1985"]
    assert ents["16540"].nationalities == ["uz"]

    vessel = ents["4243"]
    assert vessel.schema == "Vessel"
    assert _names(vessel, "primary") == ["EBANO"]
    assert _names(vessel, "weak_alias") == ["ANA I", "SAND SWAN"]  # f.k.a. 'X' in Remarks
    assert vessel.identifiers == [
        Identifier("imo", "7406784", None, "Vessel Registration Identification")
    ]
    assert vessel.extra == {
        "vessel_type": ["General Cargo"],
        "tonnage": ["2595"],
        "grt": ["1865"],
        "flag": ["Panama"],
    }
    assert vessel.countries == ["pa"]

    crypto = ents["25308"]
    assert crypto.names[0] == Name("YAN, Xiaobing", "primary", given="Xiaobing", family="YAN")
    assert Name("ZHOU, William", "weak_alias", given="William", family="ZHOU") in crypto.names
    addresses = [i.value for i in crypto.identifiers if i.type == "crypto"]
    assert len(addresses) == 6 and addresses[0] == "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h"
    assert all(
        i.note == "Digital Currency Address - XBT" for i in crypto.identifiers if i.type == "crypto"
    )
    assert (
        Identifier("national_id", "421002197703250019", "cn", "Citizen's Card Number")
        in crypto.identifiers
    )
    assert crypto.nationalities == ["cn"]

    vtb = ents["17013"]
    assert vtb.schema == "Organization"
    ids = {(i.type, i.value) for i in vtb.identifiers}
    assert {("inn", "7702070139"), ("ogrn", "1027739609391"), ("bic", "VTBRRUMM")} <= ids
    assert ("lei", "253400V1H6ART1UQ0N98") in ids
    assert ("registration", "00032520") in ids  # Government Gazette Number (OKPO) is not an OGRN
    assert vtb.extra["directive"] == ["Subject to Directive 1"]

    plane = ents["15431"]
    assert plane.schema == "Airplane"
    assert {(i.type, i.value) for i in plane.identifiers} == {
        ("aircraft_serial", "8401"),
        ("aircraft_serial", "1023409321"),
    }
    assert plane.extra["aircraft_model"] == ["IL76-TD"]
    assert plane.relations[0].target_name == "POUYA AIR" and plane.relations[0].target_source_id


def test_full_set_with_partners(lists_dir: Path) -> None:
    folder = lists_dir / SDN / "full_set_2021-04_garybogle"
    notes, files, entities = _read(folder / "sdn.csv")
    assert len(entities) == 8890
    assert [f.name for f in files] == ["sdn.csv", "alt.csv", "add.csv"]
    assert notes == []  # one download: every alt/add ent_num is in sdn.csv
    assert sum(len(_names(e, "alias")) + len(_names(e, "former")) for e in entities) == 11736
    assert sum(len(e.addresses) for e in entities) == 11358  # add rows with any non-null part
    ents = {e.source_id: e for e in entities}

    bnc = ents["306"]
    assert bnc.names == [
        Name("BANCO NACIONAL DE CUBA", "primary"),
        Name("NATIONAL BANK OF CUBA", "alias"),
        Name("BNC", "weak_alias"),
    ]
    assert bnc.programs == ["CUBA"]
    assert bnc.addresses[0] == Address(
        "Zweierstrasse 35, Zurich CH-8022, Switzerland", "ch", "Zurich CH-8022"
    )
    assert [a.country for a in bnc.addresses] == ["ch", "es", "jp", "pa"]
    assert bnc.countries == ["ch", "es", "jp", "pa"]

    qasemi = ents["11786"]
    assert qasemi.names == [
        Name("QASEMI, Rostam", "primary", given="Rostam", family="QASEMI"),
        Name("GHASEMI MOHAMMADALI, ROSTAM", "alias", given="ROSTAM", family="GHASEMI MOHAMMADALI"),
        Name("GHASEMI, Rostam", "alias", given="Rostam", family="GHASEMI"),
    ]
    assert qasemi.programs == ["SDGT", "NPWMD", "IRGC", "IFSR"]
    assert qasemi.birth_dates == ["1964-05-22"] and qasemi.birth_places == ["Lamerd, Iran"]
    assert qasemi.nationalities == ["ir"]
    assert qasemi.identifiers == [
        Identifier("passport", "A2463775", "ir", "Passport"),
        Identifier("national_id", "6579726970", "ir", "National ID No."),
    ]
    assert qasemi.relations == [
        Relation("linked_to", target_source_id="10481", target_name="SOLEIMANI, Qasem"),
        Relation(
            "linked_to",
            target_source_id="10465",
            target_name="ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE",
        ),
    ]
    assert qasemi.addresses == [Address("Iran", "ir", None)]

    # The vessel's owner column becomes extra + an owned_by relation by name.
    sand = ents["4243"]
    assert sand.extra["owner"] == ["Sand & Swan Navigation Co. Ltd."]
    assert (
        Relation("owned_by", target_name="Sand & Swan Navigation Co. Ltd.", note="vessel owner")
        in sand.relations
    )
    assert Identifier("vessel_call_sign", "P3QG3", None, "Call Sign") in sand.identifiers


def test_consolidated_three_encodings_identical(lists_dir: Path) -> None:
    folder = lists_dir / CONS / "2018-04-06_perchrh"
    results = {}
    for ext in ("csv", "pip", "del"):
        path = folder / f"cons_prim.{ext}"
        notes, files, entities = _read(path)
        assert len(entities) == 639
        assert [f.name for f in files] == [
            f"cons_prim.{ext}",
            f"cons_alt.{ext}",
            f"cons_add.{ext}",
            f"cons_comments.{ext}",
        ]
        assert notes == [f"cons_comments.{ext} is empty (0 bytes): no remarks continuations"]
        assert detect(path, read_head(path)) == "us_ofac_cons"
        results[ext] = [e.to_dict() for e in entities]
    assert results["csv"] == results["pip"] == results["del"]
    ents = _by_id(folder / "cons_prim.csv")
    assert all(e.list == "us_ofac_cons" for e in ents.values())
    shona = ents["15036"]
    assert shona.schema == "Vessel"
    assert shona.names == [
        Name("SHONA", "primary"),
        Name("ABADAN", "former"),
        Name("ALPHA", "former"),
    ]
    assert {(i.type, i.value) for i in shona.identifiers} == {
        ("imo", "9187629"),
        ("mmsi", "572469210"),
        ("vessel_call_sign", "T2EU4"),
    }
    assert shona.extra["former_flag"] == ["Malta", "Tuvalu", "None Identified"]
    assert shona.relations == [
        Relation(
            "linked_to", target_source_id="15117", target_name="NATIONAL IRANIAN TANKER COMPANY"
        )
    ]
    haniya = ents["9639"]
    assert haniya.programs == ["NS-PLC"]
    assert haniya.birth_dates == ["1962"] and haniya.birth_places == ["Shati"]


@pytest.mark.parametrize(
    "rel",
    [
        "2025-04_li-xiaohui/cons_prim.csv",
        "2025-03_Assassin-13/cons_prim.csv",
        "2025-08_wallblue4/OFAC.csv",
    ],
)
def test_consolidated_2025(lists_dir: Path, rel: str) -> None:
    path = lists_dir / CONS / rel
    parsed = read(path)
    entities = list(parsed.entities)
    assert len(entities) == 443
    assert parsed.list_key == "us_ofac_cons"  # OFAC.csv: by content (NS-PLC / CMIC / 561 ...)
    assert detect(path, read_head(path)) == "us_ofac_cons"
    if rel.startswith("2025-04"):
        assert [f.name for f in parsed.files] == ["cons_prim.csv", "cons_add.csv"]  # LF line ends
        assert sum(len(e.addresses) for e in entities) > 400


def test_not_main_files(lists_dir: Path) -> None:
    for rel in (
        f"{SDN}/full_set_2021-04_garybogle/alt.csv",
        f"{SDN}/full_set_2021-04_garybogle/add.csv",
        f"{CONS}/2018-04-06_perchrh/cons_prim.ff",
        f"{CONS}/2018-04-06_perchrh/consolidated.xml",
    ):
        path = lists_dir / rel
        assert detect(path, read_head(path)) is None, rel
    ff = lists_dir / CONS / "2018-04-06_perchrh" / "cons_prim.ff"
    with pytest.raises(
        SourceError, match=r"cons_prim\.ff, line 1: not an OFAC legacy main-file record"
    ):
        read(ff)


def test_empty_download_refused(lists_dir: Path) -> None:
    path = lists_dir / SDN / "history" / "2024-05-04_EMPTY_download" / "sdn.csv"
    with pytest.raises(
        SourceError, match=r"2024-05-04_EMPTY_download/sdn\.csv: file is empty \(0 bytes\)"
    ):
        read(path)
    with pytest.raises(SourceError, match="empty"):
        read_list(path)


def test_registry_picks_this_format(lists_dir: Path) -> None:
    path = lists_dir / SDN / "history" / "2022-02-24" / "sdn.csv"
    found = registry_detect(path)
    assert found is not None and found[0] is FORMATS[0] and found[1] == "us_ofac_sdn"


def test_zr101_prefixed_partners_and_comments(lists_dir: Path, tmp_path: Path) -> None:
    """The 2026 alt/add/comments have no sdn.csv: pair them (symlinked, not copied) with a
    hand-made ofac_sdn.csv whose remarks are cut mid-word like OFAC's 1000-character field."""
    real = lists_dir / SDN / "alt_add_comments_2026-08-02_zr101"
    for name in ("ofac_alt.csv", "ofac_add.csv", "ofac_sdn_comments.csv"):
        (tmp_path / name).symlink_to(real / name)
    main = tmp_path / "ofac_sdn.csv"
    main.write_bytes(
        b'17018,"TEST BANK",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b'"Listing Date (EO 14024 Direct"\r\n'
        b'99999999,"NOT IN PARTNERS",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    parsed = read(main)
    entities = {e.source_id: e for e in parsed.entities}
    assert [f.name for f in parsed.files] == [
        "ofac_sdn.csv",
        "ofac_alt.csv",
        "ofac_add.csv",
        "ofac_sdn_comments.csv",
    ]
    assert len(parsed.notes) == 3
    assert all("not in ofac_sdn.csv (ignored)" in n for n in parsed.notes)
    assert parsed.notes[2].startswith("ofac_sdn_comments.csv: 32 rows for 32 ent_num")
    bank = entities["17018"]
    # The continuation was appended mid-word before the remarks were split.
    assert "Listing Date (EO 14024 Directive 2): 24 Feb 2022" in bank.remarks
    assert ("inn", "7707083893") in {(i.type, i.value) for i in bank.identifiers}
    assert ("ogrn", "1027700132195") in {(i.type, i.value) for i in bank.identifiers}
    assert {"SBERBANK INDIA", "SBERBANK MUMBAI"} <= set(_names(bank, "weak_alias"))
    assert _names(bank, "alias") and bank.addresses  # from ofac_alt.csv / ofac_add.csv
    assert entities["99999999"].names == [Name("NOT IN PARTNERS", "primary")]


# --- hand-made inputs ----------------------------------------------------------------------

ROW = '{ent},"{name}",{kind},"{prog}",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,{remarks}\r\n'


def _row(ent: str, name: str, kind: str = "-0- ", prog: str = "SDGT", remarks: str = "-0- ") -> str:
    return ROW.format(ent=ent, name=name, kind=kind, prog=prog, remarks=remarks)


def test_remarks_parsing(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    remarks = (
        '"DOB 01 Jan 1960 to 31 Dec 1962; alt. DOB circa 1970; alt. DOB Mar 1945; POB Sfax, Tunisia; '
        "nationality Tunisia; alt. citizen Korea, North; Gender Male; Passport A123 (Iran) issued 01 Jan 2000 "
        "expires 01 Jan 2010; Tax ID No. 7707083893 (Russia); Registration Number HRA 1 (Stuttgart) (Germany); "
        "Digital Currency Address - ETH 0xabc; Website www.example.org; Linked To: TEST GROUP LTD.; "
        "a.k.a. 'ABU-'UMAR'; f.k.a. 'OLD NICK'; Some free text; DOB sometime.\""
    )
    path.write_text(
        _row("1", "DOE, John", '"individual"', "SDGT] [NPWMD", remarks)
        + _row("2", "TEST GROUP LTD.")
        + _row(
            "3",
            "ALPHA SHIP",
            '"vessel"',
            "IRAN",
            '"Vessel Registration Identification IMO 1234567; MMSI 123456789."',
        )
        + "\x1a",
        encoding="utf-8",
    )
    ents = {e.source_id: e for e in read(path).entities}
    doe = ents["1"]
    assert doe.programs == ["SDGT", "NPWMD"]
    assert doe.birth_dates == ["1960/1962", "~1970", "1945-03"]
    assert doe.birth_places == ["Sfax, Tunisia"]
    assert doe.nationalities == ["tn", "kp"]
    assert doe.extra == {"gender": ["Male"], "website": ["www.example.org"]}
    assert doe.identifiers == [
        Identifier("passport", "A123", "ir", "Passport; issued 01 Jan 2000 expires 01 Jan 2010"),
        Identifier("inn", "7707083893", "ru", "Tax ID No."),
        Identifier("registration", "HRA 1 (Stuttgart)", "de", "Registration Number"),
        Identifier("crypto", "0xabc", None, "Digital Currency Address - ETH"),
    ]
    assert doe.names == [
        Name("DOE, John", "primary", given="John", family="DOE"),
        Name("ABU-'UMAR", "weak_alias"),
        Name("OLD NICK", "weak_alias"),
    ]
    assert doe.relations == [
        Relation("linked_to", target_source_id="2", target_name="TEST GROUP LTD.")
    ]
    assert doe.remarks == ["Some free text", "DOB sometime"]
    ship = ents["3"]
    assert ship.schema == "Vessel"
    assert ship.identifiers == [
        Identifier("imo", "1234567", None, "Vessel Registration Identification"),
        Identifier("mmsi", "123456789", None, "MMSI"),
    ]
    assert ents["2"].schema == "Organization"


def test_list_key_by_content(tmp_path: Path) -> None:
    rows = "".join(_row(str(i), f"PERSON {i}", '"individual"', "NS-PLC") for i in range(1, 4))
    rows += _row("4", "COMPANY", prog="UKRAINE-EO13662")
    path = tmp_path / "export.csv"
    path.write_text(rows, encoding="utf-8")
    assert detect(path, read_head(path)) == "us_ofac_cons"
    assert read(path).list_key == "us_ofac_cons"
    sdn_like = tmp_path / "download.csv"
    sdn_like.write_text(_row("1", "A", prog="SDGT") + _row("2", "B", prog="CUBA"), encoding="utf-8")
    assert detect(sdn_like, read_head(sdn_like)) == "us_ofac_sdn"
    assert read(sdn_like).list_key == "us_ofac_sdn"


def test_cp1252_and_pipe(tmp_path: Path) -> None:
    path = tmp_path / "cons_prim.pip"
    path.write_bytes(
        '7|"CAF\xc9 S.A."|-0- |"SDGT"|-0- |-0- |-0- |-0- |-0- |-0- |-0- |-0- \r\n\x1a'.encode(
            "cp1252"
        )
    )
    parsed = read(path)
    assert parsed.list_key == "us_ofac_cons"
    assert [e.caption for e in parsed.entities] == ["CAF\xc9 S.A."]


def test_wrong_field_count(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text(_row("1", "A") + '2,"B",-0- ,"SDGT",-0- \r\n', encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read(path)
    assert str(err.value) == f"{path}, line 2: expected 12 fields separated by ',', found 5"


def test_non_integer_ent_num(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text(_row("1", "A") + _row("2", "B") + _row("X3", "C"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"sdn\.csv, line 3: ent_num 'X3' is not an integer"):
        read(path)


def test_bad_encoding_names_line(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    # 0x81 is neither UTF-8 nor Windows-1252.
    path.write_bytes(
        _row("1", "A").encode()
        + b'2,"B\x81",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    )
    with pytest.raises(
        SourceError, match=r"sdn\.csv, line 2 \(byte \d+\): text is neither UTF-8 nor Windows-1252"
    ):
        read(path)


def test_malformed_quotes(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text(
        _row("1", "A") + '2,"B"x,-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match=r"sdn\.csv, line 2: malformed CSV"):
        read(path)


def test_bad_partner_files(tmp_path: Path) -> None:
    main = tmp_path / "sdn.csv"
    main.write_text(_row("1", "A") + _row("2", "B"), encoding="utf-8")
    alt = tmp_path / "alt.csv"
    alt.write_text('1,10,"aka","ALIAS A",-0- \r\n2,11,"aka"\r\n', encoding="utf-8")
    with pytest.raises(
        SourceError, match=r"alt\.csv, line 2: expected 5 fields separated by ',', found 3"
    ):
        read(main)
    alt.write_text('1,10,"fka","OLD A",-0- \r\n7,11,"aka","ORPHAN",-0- \r\n', encoding="utf-8")
    add = tmp_path / "ADD.CSV"  # official upper-case download name
    add.write_bytes(b"")
    with pytest.raises(SourceError, match=r"ADD\.CSV: partner add file of sdn\.csv is empty"):
        read(main)
    add.write_text('2,5,"1 Main St","Springfield","Korea, North",-0- \r\n', encoding="utf-8")
    parsed = read(main)
    ents = {e.source_id: e for e in parsed.entities}
    assert parsed.notes == ["alt.csv: 1 rows for 1 ent_num not in sdn.csv (ignored)"]
    assert ents["1"].names == [Name("A", "primary"), Name("OLD A", "former")]
    assert ents["2"].addresses == [
        Address("1 Main St, Springfield, Korea, North", "kp", "Springfield")
    ]


def test_no_records(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"\r\n\x1a")
    with pytest.raises(SourceError, match=r"sdn\.csv, line 1: not an OFAC legacy main-file record"):
        read(path)


def test_parse_ofac_date() -> None:
    assert parse_ofac_date("01 Jan 1970") == "1970-01-01"
    assert parse_ofac_date("circa 1970") == "~1970"
    assert parse_ofac_date("1970 to 1975") == "1970/1975"
    assert parse_ofac_date("05 Mar 1970 to 07 Apr 1971") == "1970-03-05/1971-04-07"
    assert parse_ofac_date("Mar 1945.") == "1945-03"
    assert parse_ofac_date("sometime") is None


def test_russian_ids_without_country(tmp_path: Path) -> None:
    """Tax/registration numbers stated without "(Russia)" become inn/ogrn only on an entry
    tied to Russia and only when their check digits are valid."""
    main = tmp_path / "sdn.csv"
    remarks = '"Tax ID No. 7707083893; Tax ID No. 7707083890; Registration ID 1027739609391."'
    main.write_text(
        _row("1", "RU CO", remarks=remarks) + _row("2", "XX CO", remarks=remarks), encoding="utf-8"
    )
    (tmp_path / "add.csv").write_text('1,1,-0- ,"Moscow","Russia",-0- \r\n', encoding="utf-8")
    ents = {e.source_id: e for e in read(main).entities}
    assert [(i.type, i.value) for i in ents["1"].identifiers] == [
        ("inn", "7707083893"),
        ("tax_id", "7707083890"),  # bad check digit
        ("ogrn", "1027739609391"),
    ]
    assert [i.type for i in ents["2"].identifiers] == ["tax_id", "tax_id", "registration"]
