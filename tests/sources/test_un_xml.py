"""UN Security Council consolidated list (XML): real files and hand-made damaged ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeguard.model import Address, Entity, Identifier, Name
from tradeguard.sources.base import SourceError
from tradeguard.sources.common import read_head
from tradeguard.sources.un_xml import FORMATS, detect, read

UN = "un"

# (directory, file, individuals, entities, dateGenerated) from PROVENANCE.md.
FILES = [
    ("2017-07-03_DukeQIANSH", "consolidated.xml", 650, 371, "2017-07-03T20:27:45.483-04:00"),
    ("2018-10-29_perchrh", "consolidated.xml", 703, 390, "2018-10-29T19:09:49.856-04:00"),
    ("2020-03-20_Mendw", "consolidated.xml", 709, 305, "2020-03-20T19:09:21.822-04:00"),
    ("2024-09-26_xd-mau5", "consolidated.xml", 682, 193, "2024-09-26T00:00:07.514Z"),
    ("2024-11-30_Stanux", "consolidated.xml", 686, 193, "2024-11-30T00:00:00.875Z"),
    ("2025-04-19_kebalkhadka", "UN.xml", 684, 193, "2025-04-19T23:00:04.625Z"),
    (
        "2025-08-02_nizaranandkn",
        "consolidatedLegacyByPRN.xml",
        684,
        195,
        "2025-08-02T23:00:00.935Z",
    ),
    ("2025-11-20_Mkweli", "un_consolidated.xml", 727, 273, "2025-11-20T23:00:09.067Z"),
    ("2025-12-09_haverisenosku", "un.xml", 727, 273, "2025-12-09T00:00:06.058Z"),
    ("2025-12-10_haverisenosku", "un.xml", 726, 273, "2025-12-10T00:00:06.263Z"),
    ("2025-12-11_haverisenosku", "un.xml", 726, 273, "2025-12-11T00:00:02.790Z"),
    ("2026-08-01_zr101", "un.xml", 736, 275, "2026-08-01T23:00:03.110Z"),
]

_CACHE: dict[Path, tuple[str | None, list[str], list[Entity]]] = {}


def load(path: Path) -> tuple[str | None, list[str], list[Entity]]:
    if path not in _CACHE:
        parsed = read(path)
        assert parsed.list_key == "un_sc"
        assert parsed.format == "un_sc_xml"
        assert parsed.files == [path]
        entities = list(parsed.entities)
        _CACHE[path] = (parsed.published, list(parsed.notes), entities)
    return _CACHE[path]


def by_id(path: Path) -> dict[str, Entity]:
    return {e.source_id: e for e in load(path)[2]}


@pytest.fixture(scope="module")
def latest(lists_dir: Path) -> dict[str, Entity]:
    return by_id(lists_dir / UN / "2025-12-11_haverisenosku" / "un.xml")


@pytest.mark.parametrize(("folder", "name", "individuals", "organisations", "generated"), FILES)
def test_counts_and_date_of_every_real_file(
    lists_dir: Path, folder: str, name: str, individuals: int, organisations: int, generated: str
) -> None:
    path = lists_dir / UN / folder / name
    assert detect(path, read_head(path)) == "un_sc"
    published, notes, entities = load(path)
    assert published == generated
    assert notes == []
    assert sum(e.schema == "Person" for e in entities) == individuals
    assert sum(e.schema == "Organization" for e in entities) == organisations
    assert len(entities) == individuals + organisations
    assert len({e.source_id for e in entities}) == len(entities)
    for entity in entities:
        assert entity.list == "un_sc" and entity.source_id.isdigit()
        assert entity.names[0].kind == "primary" and entity.names[0].value
        assert all(n.value for n in entity.names)
        assert len(entity.programs) == 1
        assert entity.listed_on is not None and len(entity.listed_on) == 10


def test_no_op_update_gives_identical_entities(lists_dir: Path) -> None:
    """2025-12-10 -> 12-11 differ only in dateGenerated: every Entity must be equal."""
    pub_a, _, a = load(lists_dir / UN / "2025-12-10_haverisenosku" / "un.xml")
    pub_b, _, b = load(lists_dir / UN / "2025-12-11_haverisenosku" / "un.xml")
    assert pub_a != pub_b
    assert len(a) == len(b) == 999
    assert [e.source_id for e in a] == [e.source_id for e in b]
    for left, right in zip(a, b, strict=True):
        assert left == right
        assert left.content_hash() == right.content_hash()


def test_consecutive_days_remove_exactly_one_individual(lists_dir: Path) -> None:
    before = by_id(lists_dir / UN / "2025-12-09_haverisenosku" / "un.xml")
    after = by_id(lists_dir / UN / "2025-12-10_haverisenosku" / "un.xml")
    removed = set(before) - set(after)
    assert len(removed) == 1
    assert before[removed.pop()].schema == "Person"
    assert set(after) <= set(before)


def test_person_with_weak_alias_birthplace_and_designations(latest: dict[str, Entity]) -> None:
    e = latest["6907995"]
    assert e.schema == "Person"
    assert e.names == [
        Name("GASTON IYAMUREMYE", "primary", given="GASTON", family="IYAMUREMYE"),
        Name("Rumuli", "weak_alias"),
        Name("Byiringiro Victor Rumuli", "alias"),
        Name("Victor Rumuri", "alias"),
        Name("Michel Byiringiro", "alias"),
    ]
    assert e.birth_dates == ["1948"]
    assert e.birth_places == ["Musanze District, Northern Province, Rwanda", "Ruhengeri, Rwanda"]
    assert e.nationalities == ["rw"]
    assert e.addresses == [
        Address("North Kivu Province, Democratic Republic of the Congo", "cd", None)
    ]
    assert e.countries == ["cd"]
    assert e.programs == ["DRC"]
    assert e.listed_on == "2010-12-01"
    assert e.extra["reference_number"] == ["CDi.003"]
    assert e.extra["designation"] == [
        "FDLR Interim President",
        "FDLR-FOCA 1st Vice-President",
        "FDLR-FOCA Major General",
    ]
    assert e.extra["gender"] == ["Male"]
    assert e.extra["address_note"] == [
        "North Kivu Province, Democratic Republic of the Congo: as of June 2016"
    ]


def test_original_script_approximate_dob_passport_and_titles(latest: dict[str, Entity]) -> None:
    e = latest["111090"]
    assert e.names[0] == Name("AKHTAR MOHAMMAD MANSOUR SHAH MOHAMMED", "primary", given="AKHTAR")
    assert Name("اختر محمد منصور شاه محمد", "original_script") in e.names
    assert Name("Naib Imam", "weak_alias") in e.names
    assert Name("Akhtar Muhammad Mansoor", "alias") in e.names
    assert e.birth_dates == ["~1960", "1966"]
    assert e.birth_places == [
        "Band-e-Timur village, Maiwand District, Kandahar Province, Afghanistan"
    ]
    assert e.identifiers == [
        Identifier(
            "passport",
            "SE-011697",
            "af",
            "issued 1988-01-25; issued in Kabul; expired on 23 Feb. 2000",
        )
    ]
    assert e.programs == ["Taliban"]
    assert e.extra["title"] == ["Maulavi", "Mullah"]
    assert e.remarks[0].startswith("Involved in drug trafficking as of 2011")

    saddam = latest["6908048"]
    assert [(n.value, n.kind) for n in saddam.names] == [
        ("SADDAM HUSSEIN AL-TIKRITI", "primary"),
        ("صدام حسين التكريتي", "original_script"),
        ("Abu Ali", "weak_alias"),
    ]
    assert saddam.birth_dates == ["1937-04-28"]


def test_between_dob_korean_name_order_and_passport_country(latest: dict[str, Entity]) -> None:
    kim = latest["6908643"]
    assert kim.names[0] == Name("KIM JONG SIK", "primary", given="JONG SIK", family="KIM")
    assert kim.birth_dates == ["1967/1969"]
    assert kim.programs == ["DPRK"]
    camara = latest["690789"]
    assert camara.identifiers == [
        Identifier("passport", "AAID00437", "gw", "issued 2010-02-18; Expiration date 18 Feb. 2013")
    ]
    assert camara.names[0].given == "IBRAIMA" and camara.names[0].family == "CAMARÁ"


def test_organisation_with_addresses_and_former_names(latest: dict[str, Entity]) -> None:
    e = latest["110376"]
    assert e.schema == "Organization"
    assert e.caption == "IRANO HIND SHIPPING COMPANY"
    assert [a.city for a in e.addresses] == ["Tehran", "Tehran, 1A001"]
    assert all(a.country == "ir" for a in e.addresses)
    assert e.addresses[0].text.startswith("18 Mehrshad Street, Sadaghat Street")
    assert e.remarks == ["[Old Reference # E.29.III.1]"]
    adf = latest["6908402"]
    assert [(n.value, n.kind) for n in adf.names][:3] == [
        ("ADF", "primary"),
        ("Allied Democratic Forces", "alias"),
        ("Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda", "former"),
    ]


def test_timezone_suffixed_dates_in_2017_file(lists_dir: Path) -> None:
    e = by_id(lists_dir / UN / "2017-07-03_DukeQIANSH" / "consolidated.xml")["6908460"]
    assert e.birth_dates == ["1960-01-01"]


# --- damaged and hand-made inputs ----------------------------------------------------------

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST dateGenerated="2025-01-02T00:00:00Z">\n'


def individual(dataid: str, first: str = "JOHN", second: str = "DOE", extra: str = "") -> str:
    return (
        f"<INDIVIDUAL><DATAID>{dataid}</DATAID><FIRST_NAME>{first}</FIRST_NAME>"
        f"<SECOND_NAME>{second}</SECOND_NAME><UN_LIST_TYPE>Iraq</UN_LIST_TYPE>"
        f"<REFERENCE_NUMBER>IQi.999</REFERENCE_NUMBER><LISTED_ON>2003-06-27</LISTED_ON>{extra}"
        "</INDIVIDUAL>\n"
    )


def write(tmp_path: Path, body: str, name: str = "un.xml") -> Path:
    path = tmp_path / name
    path.write_text(
        HEADER + "<INDIVIDUALS>\n" + body + "</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n", "utf-8"
    )
    return path


def test_hand_made_file_with_all_date_kinds(tmp_path: Path) -> None:
    dobs = (
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1970</YEAR>"
        "</INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1971</FROM_YEAR>"
        "<TO_YEAR>1973</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1974-02-03</DATE>"
        "</INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE>"
        "<NOTE>24/06/1402 (Hijri Calendar)</NOTE></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>"
        "<NUMBER>123</NUMBER><COUNTRY_OF_ISSUE>Pakistan</COUNTRY_OF_ISSUE></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>"
        "<NOTE>SSN 156-92-9858 (United States of America)</NOTE></INDIVIDUAL_DOCUMENT>"
    )
    parsed = read(write(tmp_path, individual("1", extra=dobs)))
    assert parsed.published == "2025-01-02T00:00:00Z"
    (e,) = list(parsed.entities)
    assert e.birth_dates == ["~1970", "1971/1973", "1974-02-03"]
    assert e.extra["birth_date_note"] == ["24/06/1402 (Hijri Calendar)"]
    assert [n.value for n in e.names] == ["JOHN DOE"]  # the empty alias is skipped
    assert e.identifiers == [Identifier("national_id", "123", "pk", None)]
    assert e.remarks == [
        "Document: National Identification Number; SSN 156-92-9858 (United States of America)"
    ]


def test_truncated_file_names_file_and_line(lists_dir: Path, tmp_path: Path) -> None:
    data = (lists_dir / UN / "2025-12-11_haverisenosku" / "un.xml").read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError) as info:
        read(path)  # the whole file is checked before any entity is produced
    assert str(path) in str(info.value)
    assert info.value.where is not None and info.value.where.startswith("line ")
    assert "malformed XML" in info.value.problem


def test_wrong_root_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?><sdnList><sdnEntry/></sdnList>', "utf-8")
    assert detect(path, read_head(path)) is None
    with pytest.raises(SourceError) as info:
        read(path)
    assert str(path) in str(info.value)
    assert info.value.where == "root element"
    assert "<sdnList>" in info.value.problem


def test_bad_encoding_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, individual("1") + individual("2", first="CAF\u00c9"))
    data = path.read_bytes().replace("CAF\u00c9".encode(), b"CAF\xe9")  # Latin-1 byte in UTF-8 file
    path.write_bytes(data)
    with pytest.raises(SourceError) as info:
        read(path)
    assert str(path) in str(info.value)
    assert info.value.where == "line 5"


def test_missing_dataid_and_missing_name_name_the_record(tmp_path: Path) -> None:
    no_id = individual("1") + "<INDIVIDUAL><FIRST_NAME>X</FIRST_NAME></INDIVIDUAL>\n"
    with pytest.raises(SourceError) as info:
        read(write(tmp_path, no_id))
    assert info.value.where == "line 5, record 2 (INDIVIDUAL)"
    assert info.value.problem == "record has no DATAID"

    no_name = individual("1") + individual("2", first="", second="")
    parsed = read(write(tmp_path, no_name, "noname.xml"))
    with pytest.raises(SourceError) as info:
        list(parsed.entities)
    assert str(tmp_path / "noname.xml") in str(info.value)
    assert info.value.where == "line 5, record 2 (INDIVIDUAL DATAID 2)"


def test_duplicate_dataid_keeps_first_and_notes_it(tmp_path: Path) -> None:
    parsed = read(
        write(tmp_path, individual("7") + individual("8") + individual("7", first="OTHER"))
    )
    assert parsed.notes == ["DATAID 7 appears 2 times (lines 4, 6); only the first record is kept"]
    entities = list(parsed.entities)
    assert [(e.source_id, e.caption) for e in entities] == [("7", "JOHN DOE"), ("8", "JOHN DOE")]


def test_empty_list_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no INDIVIDUAL or ENTITY records"):
        read(write(tmp_path, ""))


def test_format_registration() -> None:
    assert [f.name for f in FORMATS] == ["un_sc_xml"]
    assert FORMATS[0].read is read and FORMATS[0].detect is detect
