"""EU Financial Sanctions Files: XML 1.1, legacy XML 1.0, legacy CSV 1.0; real and damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradeguard.model import Address, Entity, Identifier, Name
from tradeguard.sources.base import ParsedList, SourceError
from tradeguard.sources.common import read_head
from tradeguard.sources.eu_fsf import (
    FORMATS,
    detect_csv,
    detect_xml,
    detect_xml_v1,
    read_csv,
    read_xml,
    read_xml_v1,
)

V11 = "eu_fsf/2020-04-15_partial_deriv-com"
V10 = "eu_fsf/2016-02-11_partial_v1.0_opendatalabcz/data.xml"
CSV = "eu_fsf/2018-07-04_partial_photoangell/EUSanctionsShort.csv"


def formats_claiming(path: Path) -> list[str]:
    head = read_head(path)
    return [f.name for f in FORMATS if f.detect(path, head) is not None]


def entities(parsed: ParsedList) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for e in parsed.entities:
        assert e.list == "eu_fsf"
        assert e.source_id not in out
        assert e.names and e.names[0].kind == "primary"
        assert sum(n.kind == "primary" for n in e.names) == 1
        out[e.source_id] = e
    return out


# --- XML 1.1 -------------------------------------------------------------------------------


def test_xml_sample_eu_duplicate_logical_id_is_dropped_and_noted(lists_dir: Path) -> None:
    path = lists_dir / V11 / "sample_eu.xml"
    assert formats_claiming(path) == ["eu_fsf_xml"]
    assert detect_xml(path, read_head(path)) == "eu_fsf"
    parsed = read_xml(path)
    assert parsed.published == "2020-04-15T15:29:22.497+02:00"
    assert parsed.notes == [
        "logicalId 5468 appears 2 times (lines 43, 110); only the first entry is kept"
    ]
    ents = entities(parsed)
    assert list(ents) == ["5295", "5463", "5468", "191", "5807", "927"]  # 7 entries, 6 ids
    assert [n.value for n in ents["5468"].names] == ["Sok-hwa Hwang"]  # not the test edit
    assert ents["5468"].extra["position"] == [
        "Director of the General Bureau of Atomic Energy (GBAE)"
    ]


def test_xml_person_full_spot_check(lists_dir: Path) -> None:
    ents = entities(read_xml(lists_dir / V11 / "sample_eu.xml"))
    e = ents["5295"]
    assert e.schema == "Person"
    assert e.names == [
        Name("Abid Hammadou", "primary", given="Abid", family="Hammadou"),
        Name("Abdelhamid Abou Zeid", "alias"),
        Name("Youcef Adel", "alias"),
        Name("Amor Mohamed Ghedeir", "alias"),
        Name("Abou Abdellah", "alias"),
    ]
    assert e.birth_dates == ["1965-12-12", "~1958"]
    assert e.birth_places == [
        "Touggourt, Wilaya (province) of Ouargla, ALGERIA",
        "Deb-Deb, Amenas, Wilaya (province) of Illizi, ALGERIA",
    ]
    assert e.nationalities == ["dz"]
    assert e.programs == ["TAQA"]
    assert e.listed_on == "2008-07-03"  # designationDate
    assert e.remarks == [
        "(a) Mother's name is Benarouba Bachira; (b) Father's name is Mabrouk. "
        "Other information: Reportedly deceased as of 24 February 2013."
    ]
    assert e.extra["eu_reference_number"] == ["EU.2026.82"]

    e = ents["927"]
    assert e.identifiers == [
        Identifier("national_id", "04643632", "tn", "National identification card"),
        Identifier("passport", "L191609", "tn", "National passport"),
    ]
    assert e.addresses == [Address("23 50th Street, Zehrouni, Tunis, TUNISIA", "tn", "Tunis")]
    assert e.remarks == ["Italian Fiscal Code: DAOMMD74T11Z352Z"]
    assert e.listed_on == "2003-05-20"  # no designationDate: the earliest regulation date

    e = ents["191"]  # country code "00" means unknown
    assert e.identifiers == [Identifier("passport", "488555", None, "National passport")]
    assert e.birth_places == ["PAKISTAN"]
    assert e.extra["gender"] == ["M"]


def test_xml_sample_eu_sanctions(lists_dir: Path) -> None:
    path = lists_dir / V11 / "sample_eu_sanctions.xml"
    assert formats_claiming(path) == ["eu_fsf_xml"]
    parsed = read_xml(path)
    assert parsed.notes == []
    ents = entities(parsed)
    assert list(ents) == ["13", "20", "23", "25", "29", "33", "39"]
    assert all(e.schema == "Person" for e in ents.values())
    qusay = ents["20"]
    assert qusay.names == [
        Name(
            "Qusay Saddam Hussein Al-Tikriti",
            "primary",
            given="Qusay Saddam",
            family="Hussein Al-Tikriti",
        ),
        Name(
            "Qoussaï Saddam Hussein Al-Tikriti",
            "alias",
            "fr",
            "Qoussaï Saddam",
            "Hussein Al-Tikriti",
        ),
    ]
    assert qusay.birth_dates == ["1965", "1966"]
    assert qusay.remarks == ["Saddam's second son"]
    abid = ents["25"]
    assert (
        abid.names[0].value == "Abid Hamid Bid Hamid Mahmud"
    )  # first strong name without a language
    assert abid.birth_dates == ["~1957"]
    assert abid.extra["title"] == ["Col"]


# --- legacy XML 1.0 ------------------------------------------------------------------------


def test_legacy_xml_counts_and_spot_checks(lists_dir: Path) -> None:
    path = lists_dir / V10
    assert formats_claiming(path) == ["eu_fsf_xml_v1"]
    assert detect_xml_v1(path, read_head(path)) == "eu_fsf"
    parsed = read_xml_v1(path)
    assert parsed.format == "eu_fsf_xml_v1"
    assert parsed.published == "2016-02-11"
    assert parsed.notes == []
    ents = entities(parsed)
    assert len(ents) == 595
    assert sum(e.schema == "Person" for e in ents.values()) == 319
    assert sum(e.schema == "Organization" for e in ents.values()) == 276

    mugabe = ents["1"]
    assert mugabe.names == [
        Name("Robert Gabriel Mugabe", "primary", given="Robert Gabriel", family="Mugabe")
    ]
    assert mugabe.birth_dates == ["1924-02-21"]
    assert mugabe.identifiers == [
        Identifier("passport", "AD001095", None, "National passport; passport")
    ]
    assert mugabe.listed_on == "2002-09-13"
    assert mugabe.programs == ["ZWE"]

    saddam = ents["13"]
    assert Name("Abou Ali", "alias", "fr") in saddam.names
    assert saddam.nationalities == ["iq"]
    assert saddam.birth_places == ["al-Awja, near Tikrit, Iraq"]
    assert saddam.remarks == ["UNSC RESOLUTION 1483"]

    akhund = ents["521"]  # "1953 - 1958 (approximative)" and a remark kept as an XML comment
    assert akhund.birth_dates == ["1953/1958"]
    assert "between 1953 and 1958" in akhund.remarks

    hanif = ents["596"]
    assert hanif.birth_dates == ["~1955", "1969-01-01"]

    zulkifli = ents["1034"]
    assert (
        Identifier(
            "other",
            "D216157",
            "us",
            "drivinglicence; Driving licence; driving licence issued in california, usa",
        )
        in zulkifli.identifiers
    )
    assert any("Mother's name is Minah" in r for r in zulkifli.remarks)  # entity unescaped

    trust = ents["330"]
    assert trust.schema == "Organization"
    assert len(trust.addresses) == 11 and trust.countries == ["pk"]
    assert trust.addresses[0] == Address(
        "Jamia Masjid Sulaiman Park Begum Pura, Lahore, Pakistan", "pk", "Lahore"
    )
    assert "PHONE[042-681 20 81]" in trust.remarks
    assert Name("Организация за подпомагане на Ulema, Пакистан", "alias", "bg") in trust.names


# --- legacy CSV 1.0 ------------------------------------------------------------------------


def test_legacy_csv_mirror_file(lists_dir: Path) -> None:
    path = lists_dir / CSV
    assert formats_claiming(path) == ["eu_fsf_csv"]
    assert detect_csv(path, read_head(path)) == "eu_fsf"
    parsed = read_csv(path)
    assert parsed.published == "2018-07-04"
    assert parsed.notes == [
        "every line was wrapped in double quotes and padded with tabs (mirror artefact): unwrapped"
    ]
    ents = entities(parsed)
    assert len(ents) == 93  # 999 fact rows; the last entity may be cut short
    assert sum(e.schema == "Person" for e in ents.values()) == 61
    assert list(ents)[:3] == ["1", "13", "20"] and list(ents)[-1] == "481"

    mugabe = ents["1"]
    assert mugabe.names[0] == Name(
        "Robert Gabriel Mugabe", "primary", given="Robert Gabriel", family="Mugabe"
    )
    assert mugabe.birth_dates == ["1924-02-21"]
    assert mugabe.birth_places == ["Kutama"]
    assert mugabe.identifiers == [
        Identifier("passport", "AD001095", None, "National passport; passport")
    ]
    assert mugabe.extra["eu_reference_number"] == ["EU.36.64"]
    assert mugabe.extra["position"] == ["Former President", "president"]
    assert mugabe.listed_on == "2002-09-13"

    numan = ents["43"]  # a quoted field holding a ';' inside the wrapped line
    assert "Former Governor of Karbala and An Najaf;" in numan.extra["position"]
    assert Name("Aziz Salih al-Nouman", "alias", "fr") in numan.names

    gspc = ents["481"]
    assert gspc.schema == "Organization"
    assert gspc.caption == "Salafist Group for Call and Combat"
    assert gspc.countries == ["dz", "ml", "mr", "ma"]
    assert gspc.addresses[0] == Address("Algeria", "dz", None)


# --- not official formats --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "eu_fsf/2025-11-30_DERIVED_names_haverisenosku/all.json",
        "eu_fsf/2026-01-28_DERIVED_names_haverisenosku/all.json",
        "eu_fsf/2026-01-28_DERIVED_names_haverisenosku/manifest.json",
        "un/2025-12-11_haverisenosku/un.xml",
        "canada_sema/2020-04_Mendw/sema-lmes.xml",
    ],
)
def test_other_files_are_not_claimed(lists_dir: Path, name: str) -> None:
    assert formats_claiming(lists_dir / name) == []


# --- hand-made and damaged inputs ------------------------------------------------------------

NS = "http://eu.europa.ec/fpi/fsd/export"


def v11(body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<export xmlns="{NS}" generationDate="2024-01-02T10:00:00+01:00">\n'
        f"{body}</export>\n"
    )


ENTERPRISE = """<sanctionEntity designationDate="2022-02-25" euReferenceNumber="EU.1.1" logicalId="900">
<regulation programme="RUS" publicationDate="2022-02-25" numberTitle="2022/330"/>
<subjectType code="enterprise" classificationCode="E"/>
<nameAlias wholeName="Bank Alpha" nameLanguage="" strong="true" logicalId="1"/>
<nameAlias wholeName="Банк Альфа" nameLanguage="RU" strong="true" logicalId="2"/>
<nameAlias wholeName="Alpha" nameLanguage="" strong="false" logicalId="3"/>
<birthdate circa="false" yearRangeFrom="1990" yearRangeTo="1992" logicalId="4"/>
<identification number="1027700067328" identificationTypeCode="regnumber"
 identificationTypeDescription="Registration Number" knownFalse="true" countryIso2Code="RU" logicalId="5"/>
<identification number="7744001497" identificationTypeCode="fiscalcode" countryIso2Code="RU" logicalId="6"/>
<identification number="ALFARUMM" identificationTypeCode="swiftbic" countryIso2Code="00" logicalId="7"/>
<address street="Kalanchevskaya 27" city="Moscow" zipCode="107078" countryIso2Code="RU"
 countryDescription="RUSSIAN FEDERATION" logicalId="8"/>
<citizenship countryIso2Code="RU" countryDescription="RUSSIA" logicalId="9"/>
</sanctionEntity>
"""


def test_hand_made_xml_enterprise_weak_alias_original_script_and_identifiers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "eu.xml"
    path.write_text(v11(ENTERPRISE), "utf-8")
    assert formats_claiming(path) == ["eu_fsf_xml"]
    (e,) = entities(read_xml(path)).values()
    assert e.schema == "Organization"
    assert e.names == [
        Name("Bank Alpha", "primary"),
        Name("Банк Альфа", "original_script", "ru"),
        Name("Alpha", "weak_alias"),
    ]
    assert e.birth_dates == ["1990/1992"]
    assert e.identifiers == [
        Identifier("registration", "1027700067328", "ru", "Registration Number; known false"),
        Identifier("tax_id", "7744001497", "ru", None),
        Identifier("bic", "ALFARUMM", None, None),
    ]
    assert e.addresses == [
        Address("Kalanchevskaya 27, 107078, Moscow, RUSSIAN FEDERATION", "ru", "Moscow")
    ]
    assert e.countries == ["ru"] and e.nationalities == []
    assert e.programs == ["RUS"] and e.listed_on == "2022-02-25"


def test_truncated_xml_names_file_and_line(lists_dir: Path, tmp_path: Path) -> None:
    data = (lists_dir / V11 / "sample_eu_sanctions.xml").read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(SourceError) as info:
        read_xml(path)
    assert str(path) in str(info.value)
    assert (info.value.where or "").startswith("line ")


def test_xml_wrong_root_bad_encoding_and_missing_id(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.xml"
    wrong.write_text('<?xml version="1.0"?><WHOLE Date="01/01/2016"></WHOLE>', "utf-8")
    with pytest.raises(SourceError) as info:
        read_xml(wrong)
    assert info.value.where == "root element" and "<WHOLE>" in info.value.problem

    bad = tmp_path / "bad.xml"
    bad.write_bytes(
        v11(ENTERPRISE).replace("Kalanchevskaya", "Kalanch\u00e9vskaya").encode("cp1252", "ignore")
    )
    with pytest.raises(SourceError) as info:
        read_xml(bad)
    assert str(bad) in str(info.value)
    assert info.value.where == "line 14"  # the <address> line holding the cp1252 byte

    no_id = tmp_path / "noid.xml"
    no_id.write_text(v11(ENTERPRISE.replace(' logicalId="900"', "")), "utf-8")
    with pytest.raises(SourceError) as info:
        read_xml(no_id)
    assert info.value.where == "line 3, record 1 (sanctionEntity)"
    assert info.value.problem == "record has no logicalId"


def test_legacy_xml_damage(tmp_path: Path) -> None:
    path = tmp_path / "v1.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<WHOLE Date="11/02/2016">\n<ENTITY Type="P" programme="IRQ">\n'
        "<NAME><WHOLENAME>A B</WHOLENAME></NAME>\n</ENTITY>\n</WHOLE>\n",
        "utf-8",
    )
    assert formats_claiming(path) == ["eu_fsf_xml_v1"]
    with pytest.raises(SourceError) as info:
        read_xml_v1(path)
    assert str(path) in str(info.value)
    assert info.value.where == "line 3, record 1 (ENTITY)"

    path.write_text(
        '<?xml version="1.0"?>\n<WHOLE Date="11/02/2016">\n<ENTITY Id="1" Type="P">\n', "utf-8"
    )
    with pytest.raises(SourceError) as info:
        read_xml_v1(path)
    assert (info.value.where or "").startswith("line ")


HEADER = (
    "Date_file;Entity_logical_id;Subject_type;Leba_numtitle;Leba_publication_date;Leba_url;Programme;"
    "Entity_remark;Naal_logical_id;Entity_logical_id;Naal_leba_numtitle;Naal_leba_publication_date;"
    "Naal_leba_url;Naal_programme;Naal_lastname;Naal_firstname;Naal_middlename;Naal_wholename;"
    "Naal_gender;Naal_title;Naal_function;Naal_language;Addr_logical_id;Entity_logical_id;"
    "Addr_leba_numtitle;Addr_leba_publication_date;Addr_leba_url;Addr_programme;Addr_number;"
    "Addr_street;Addr_zipcode;Addr_city;Addr_country;Addr_other;Birt_logical_id;Entity_logical_id;"
    "Birt_leba_numtitle;Birt_leba_publication_date;Birt_leba_url;Birt_programme;Birt_date;Birt_place;"
    "Birt_country;Iden_logical_id;Entity_logical_id;Iden_leba_numtitle;Iden_leba_publication_date;"
    "Iden_leba_url;Iden_programme;Iden_number;Iden_country;Citi_logical_id;Entity_logical_id;"
    "Citi_leba_numtitle;Citi_leba_publication_date;Citi_leba_url;Citi_programme;Citi_country;EU_ref_num"
)
COLUMNS = HEADER.split(";")


def csv_row(**values: str) -> str:
    row = {
        "Date_file": "25/02/2022",
        "Entity_logical_id": "77",
        "Subject_type": "P",
        "EU_ref_num": "EU.7.7",
    }
    row.update(values)
    return ";".join(row.get(c, "") for c in COLUMNS)


def official_csv(second_name: str = "Иван Петров") -> str:
    rows = [
        HEADER,
        csv_row(
            Naal_logical_id="1",
            Naal_wholename="Ivan Petrov",
            Naal_firstname="Ivan",
            Naal_lastname="Petrov",
        ),
        csv_row(Naal_logical_id="2", Naal_wholename=second_name, Naal_language="RU"),
        csv_row(
            Birt_logical_id="3",
            Birt_date="1963 (approximative)",
            Birt_place="Omsk",
            Birt_country="RUS",
        ),
        csv_row(
            Iden_logical_id="4",
            Iden_number="123 (id-National identification card) ",
            Iden_country="RUS",
        ),
        csv_row(Citi_logical_id="5", Citi_country="RUS"),
        csv_row(
            Entity_logical_id="78", Subject_type="E", Naal_logical_id="6", Naal_wholename="Café Ltd"
        ),
    ]
    return "\n".join(rows) + "\n"


def test_official_csv_layout_is_read(tmp_path: Path) -> None:
    path = tmp_path / "global.csv"
    path.write_text(official_csv(), "utf-8")
    assert formats_claiming(path) == ["eu_fsf_csv"]
    parsed = read_csv(path)
    assert parsed.published == "2022-02-25" and parsed.notes == []
    ents = entities(parsed)
    person, company = ents["77"], ents["78"]
    assert person.names == [
        Name("Ivan Petrov", "primary", given="Ivan", family="Petrov"),
        Name("Иван Петров", "original_script", "ru"),
    ]
    assert person.birth_dates == ["~1963"]
    assert person.birth_places == ["Omsk, Russia"]
    assert person.identifiers == [
        Identifier("national_id", "123", "ru", "National identification card")
    ]
    assert person.nationalities == ["ru"]
    assert company.schema == "Organization" and company.caption == "Café Ltd"


def test_csv_bad_encoding_short_row_and_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    data = (
        official_csv().encode("utf-8").replace("Café".encode(), b"Caf\x81")
    )  # not UTF-8 nor cp1252
    path.write_bytes(data)
    with pytest.raises(SourceError) as info:
        read_csv(path)
    assert str(path) in str(info.value)
    assert (info.value.where or "").startswith("line 7 (byte ")

    lines = official_csv().split("\n")
    lines[3] = lines[3].rsplit(";", 5)[0]  # a row cut short
    path.write_text("\n".join(lines), "utf-8")
    with pytest.raises(SourceError) as info:
        read_csv(path)
    assert info.value.where == "line 4"
    assert info.value.problem == "expected 59 fields, found 54"

    path.write_text("Date_file;Something_else\n01/01/2020;x\n", "utf-8")
    with pytest.raises(SourceError) as info:
        read_csv(path)
    assert info.value.where == "line 1" and "Entity_logical_id" in info.value.problem


def test_wrapped_csv_with_a_row_cut_short(tmp_path: Path) -> None:
    rows = official_csv("Iwan Petrow").strip("\n").split("\n")
    wrapped = ['"' + r.replace('"', '""') + '\t\t\t"' for r in rows]
    path = tmp_path / "wrapped.csv"
    path.write_text("\n".join(wrapped) + "\n", "cp1252")
    assert formats_claiming(path) == ["eu_fsf_csv"]
    assert len(entities(read_csv(path))) == 2
    wrapped[2] = wrapped[2][:40] + '"'
    path.write_text("\n".join(wrapped) + "\n", "cp1252")
    with pytest.raises(SourceError) as info:
        read_csv(path)
    assert str(path) in str(info.value) and info.value.where == "line 3"


def test_format_registration() -> None:
    assert [f.name for f in FORMATS] == ["eu_fsf_xml", "eu_fsf_xml_v1", "eu_fsf_csv"]
