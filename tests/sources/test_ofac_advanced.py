"""OFAC Advanced Sanctions List XML (sdn_advanced.xml): the staged excerpt and hand-made files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources import detect as registry_detect
from tradeguard.sources.base import SourceError
from tradeguard.sources.common import read_head
from tradeguard.sources.ofac_advanced import FORMATS, date_period, detect, read

NS = "http://www.un.org/sanctions/1.0"


def _excerpt(lists_dir: Path) -> Path:
    return lists_dir / "ofac_sdn" / "advanced_xml_partial_2024-02-23_new-village" / "test.xml"


_CACHE: dict[Path, tuple[str | None, list[str], list[Entity]]] = {}


def _read(path: Path) -> tuple[str | None, list[str], list[Entity]]:
    if path not in _CACHE:
        parsed = read(path)
        assert parsed.list_key == "us_ofac_sdn"
        _CACHE[path] = (parsed.published, parsed.notes, list(parsed.entities))
    return _CACHE[path]


def test_excerpt_counts(lists_dir: Path) -> None:
    path = _excerpt(lists_dir)
    published, notes, entities = _read(path)
    assert published == "2024-02-23"
    assert len(entities) == 37
    assert len({e.source_id for e in entities}) == 37
    assert detect(path, read_head(path)) == "us_ofac_sdn"
    assert {e.schema for e in entities} == {"Person", "Organization", "Vessel"}
    assert sum(e.schema == "Person" for e in entities) == 21
    assert sum(e.schema == "Vessel" for e in entities) == 5
    # The excerpt was trimmed by its author: its documents, sanctions entries and
    # relationships belong to parties that are not in it.
    assert notes == [
        "12 IDRegDocument(s) belong to no identity in the file (ignored)",
        "67 SanctionsEntry profile(s) are not in the file (ignored)",
        "3 ProfileRelationship(s) start from a profile not in the file (ignored)",
        "35 feature location reference(s) point to no Location (ignored)",
    ]


def test_excerpt_spot_checks(lists_dir: Path) -> None:
    ents = {e.source_id: e for e in _read(_excerpt(lists_dir))[2]}
    markov = ents["36368"]
    assert markov.schema == "Person"
    assert markov.names == [
        Name("Markov, Ilya Anatolyevich", "primary", given="Ilya Anatolyevich", family="Markov"),
        Name(
            "Марков, Илья Анатольевич",
            "original_script",
            lang="Cyrl",
            given="Илья Анатольевич",
            family="Марков",
        ),
        Name("Markov, Ilya Anatolevich", "alias", given="Ilya Anatolevich", family="Markov"),
    ]
    assert markov.birth_dates == ["1976-08-30"]
    assert markov.extra == {"gender": ["Male"]}

    airline = ents["36"]
    assert airline.schema == "Organization"
    assert airline.names == [
        Name("AEROCARIBBEAN AIRLINES", "primary"),
        Name("AERO-CARIBBEAN", "alias"),
    ]
    assert airline.addresses == [Address("Havana, Cuba", "cu", "Havana")]
    assert airline.countries == ["cu"]

    lagoon = ents["23665"]
    assert [(n.kind, n.value) for n in lagoon.names] == [
        ("primary", "BLUE LAGOON GROUP LTD."),
        ("alias", "BLUE LAGOON Ali Kanso Group Ltd."),
        ("alias", "BLUE LAGOON Group"),
        ("former", "BLUE LAGOON Ali Kanso Group (S.L.) Limited"),
    ]
    assert lagoon.extra == {
        "sanctions_info": [
            "Subject to Secondary Sanctions Pursuant to the Hizballah Financial Sanctions Regulations"
        ]
    }

    ship = ents["36399"]
    assert ship.schema == "Vessel"
    assert ship.names == [Name("Lady Leila", "primary")]
    assert ship.identifiers == [Identifier("vessel_call_sign", "UCGL", None, "Vessel Call Sign")]
    assert ship.extra == {
        "vessel_type": ["Products Tanker"],
        "call_sign": ["UCGL"],
        "flag": ["Russia"],
        "grt": ["5075"],
    }
    assert ship.countries == ["ru"]


def test_registry_picks_this_format(lists_dir: Path) -> None:
    found = registry_detect(_excerpt(lists_dir))
    assert found is not None and found[0] is FORMATS[0] and found[1] == "us_ofac_sdn"


# --- hand-made files -------------------------------------------------------------------------


def _ymd(date: str) -> str:
    y, m, d = date.split("-")
    return f"<Year>{y}</Year><Month>{int(m)}</Month><Day>{int(d)}</Day>"


def _period(start: str, end: str, approx: bool = False) -> str:
    a = "true" if approx else "false"
    flags = 'YearFixed="false" MonthFixed="false" DayFixed="false"'
    return (
        f'<DatePeriod CalendarTypeID="1" {flags}>'
        f'<Start Approximate="{a}" {flags}><From>{_ymd(start)}</From><To>{_ymd(start)}</To></Start>'
        f'<End Approximate="{a}" {flags}><From>{_ymd(end)}</From><To>{_ymd(end)}</To></End>'
        "</DatePeriod>"
    )


def _name(doc_id: int, parts: list[tuple[int, str]], script: int = 215) -> str:
    body = "".join(
        f'<DocumentedNamePart><NamePartValue NamePartGroupID="{g}" ScriptID="{script}" ScriptStatusID="1" '
        f'Acronym="false">{v}</NamePartValue></DocumentedNamePart>'
        for g, v in parts
    )
    return f'<DocumentedName ID="{doc_id}" DocNameStatusID="1">{body}</DocumentedName>'


def _alias(alias_type: int, primary: bool, low: bool, names: str) -> str:
    return (
        f'<Alias AliasTypeID="{alias_type}" Primary="{str(primary).lower()}" '
        f'LowQuality="{str(low).lower()}">{names}</Alias>'
    )


def _groups(groups: list[tuple[int, int]]) -> str:
    body = "".join(
        f'<MasterNamePartGroup><NamePartGroup ID="{g}" NamePartTypeID="{t}"/></MasterNamePartGroup>'
        for g, t in groups
    )
    return f"<NamePartGroups>{body}</NamePartGroups>"


def _feature(feature_type: int, version: str, identity: int) -> str:
    return (
        f'<Feature ID="1" FeatureTypeID="{feature_type}"><FeatureVersion ID="1" ReliabilityID="1"><Comment/>'
        f'{version}</FeatureVersion><IdentityReference IdentityID="{identity}" IdentityFeatureLinkTypeID="1"/></Feature>'
    )


REFS = """<ReferenceValueSets>
<AliasTypeValues><AliasType ID="1400">A.K.A.</AliasType><AliasType ID="1401">F.K.A.</AliasType>
  <AliasType ID="1403">Name</AliasType></AliasTypeValues>
<AreaCodeValues><AreaCode ID="11109" CountryID="11109" Description="Iran" AreaCodeTypeID="1">IR</AreaCode></AreaCodeValues>
<CountryValues><Country ID="11109" ISO2="IR">Iran</Country><Country ID="11203" ISO2="RU">Russia</Country></CountryValues>
<DetailReferenceValues><DetailReference ID="91526">Male</DetailReference></DetailReferenceValues>
<DetailTypeValues><DetailType ID="1430">DATE</DetailType><DetailType ID="1431">LOOKUP</DetailType>
  <DetailType ID="1432">TEXT</DetailType><DetailType ID="1433">COUNTRY</DetailType></DetailTypeValues>
<FeatureTypeValues><FeatureType ID="8">Birthdate</FeatureType><FeatureType ID="9">Place of Birth</FeatureType>
  <FeatureType ID="10">Nationality Country</FeatureType><FeatureType ID="25">Location</FeatureType>
  <FeatureType ID="224">Gender</FeatureType><FeatureType ID="344">Digital Currency Address - XBT</FeatureType>
  <FeatureType ID="999">Executive Order 99999 information:</FeatureType></FeatureTypeValues>
<IDRegDocDateTypeValues><IDRegDocDateType ID="1480">Issue Date</IDRegDocDateType>
  <IDRegDocDateType ID="1481">Expiration Date</IDRegDocDateType></IDRegDocDateTypeValues>
<IDRegDocTypeValues><IDRegDocType ID="1571">Passport</IDRegDocType><IDRegDocType ID="1596">Tax ID No.</IDRegDocType>
  <IDRegDocType ID="77777">Club Card</IDRegDocType></IDRegDocTypeValues>
<ListValues><List ID="1550">SDN List</List></ListValues>
<LocPartTypeValues><LocPartType ID="1451">ADDRESS1</LocPartType><LocPartType ID="1454">CITY</LocPartType></LocPartTypeValues>
<NamePartTypeValues><NamePartType ID="1520">Last Name</NamePartType><NamePartType ID="1521">First Name</NamePartType>
  <NamePartType ID="1525">Entity Name</NamePartType></NamePartTypeValues>
<PartySubTypeValues><PartySubType ID="3" PartyTypeID="2">Unknown</PartySubType>
  <PartySubType ID="4" PartyTypeID="1">Unknown</PartySubType></PartySubTypeValues>
<PartyTypeValues><PartyType ID="1">Individual</PartyType><PartyType ID="2">Entity</PartyType></PartyTypeValues>
<RelationTypeValues><RelationType ID="15003" Symmetrical="false">Owned or Controlled By</RelationType>
  <RelationType ID="1555" Symmetrical="false">Associate Of</RelationType></RelationTypeValues>
<SanctionsTypeValues><SanctionsType ID="1705">Block</SanctionsType><SanctionsType ID="1">Program</SanctionsType>
  <SanctionsType ID="91505">13662 Sectoral Directive 1</SanctionsType></SanctionsTypeValues>
<ScriptValues><Script ID="215" ScriptCode="Latn">Latin</Script><Script ID="160" ScriptCode="Arab">Arabic</Script></ScriptValues>
<ValidityValues><Validity ID="1">Valid</Validity><Validity ID="2">Fraudulent</Validity></ValidityValues>
</ReferenceValueSets>
"""

LOCATIONS = """<Locations>
<Location ID="500"><LocationAreaCode AreaCodeID="11109"/><LocationCountry CountryID="11109" CountryRelevanceID="1413"/>
  <LocationPart LocPartTypeID="1451"><LocationPartValue Primary="true"><Comment/><Value>12 Azadi St</Value>
  </LocationPartValue></LocationPart>
  <LocationPart LocPartTypeID="1454"><LocationPartValue Primary="true"><Comment/><Value>Tehran</Value>
  </LocationPartValue></LocationPart></Location>
<Location ID="501"><LocationCountry CountryID="11109" CountryRelevanceID="1413"/></Location>
</Locations>
"""

DOCS = (
    "<IDRegDocuments>"
    '<IDRegDocument ID="1" IDRegDocTypeID="1571" IdentityID="10" IssuedBy-CountryID="11109" ValidityID="1">'
    '<Comment/><IDRegistrationNo>P123</IDRegistrationNo><IssuingAuthority/><DocumentDate IDRegDocDateTypeID="1480">'
    + _period("2010-01-02", "2010-01-02")
    + "</DocumentDate></IDRegDocument>"
    '<IDRegDocument ID="2" IDRegDocTypeID="1596" IdentityID="20" IssuedBy-CountryID="11203" ValidityID="1">'
    "<IDRegistrationNo>7707083893</IDRegistrationNo></IDRegDocument>"
    '<IDRegDocument ID="3" IDRegDocTypeID="77777" IdentityID="10" ValidityID="2">'
    "<IDRegistrationNo>CC-1</IDRegistrationNo></IDRegDocument>"
    '<IDRegDocument ID="4" IDRegDocTypeID="1571" IdentityID="999" ValidityID="1">'
    "<IDRegistrationNo>ORPHAN</IDRegistrationNo></IDRegDocument>"
    "</IDRegDocuments>\n"
)

PERSON = (
    '<DistinctParty FixedRef="1001"><Comment/><Profile ID="1001" PartySubTypeID="4">'
    '<Identity ID="10" FixedRef="1001" Primary="true" False="false">'
    + _alias(
        1403,
        True,
        False,
        _name(1, [(1, "AL-TEST"), (2, "Ali")]) + _name(2, [(3, "التست"), (4, "علي")], 160),
    )
    + _alias(1400, False, True, _name(3, [(5, "ABU TEST")]))
    + _alias(1401, False, False, _name(4, [(6, "OLDNAME"), (7, "Ali")]))
    + _groups([(1, 1520), (2, 1521), (3, 1520), (4, 1521), (5, 1520), (6, 1520), (7, 1521)])
    + "</Identity>"
    + _feature(
        8,
        _period("1960-01-01", "1962-12-31", approx=True) + '<VersionDetail DetailTypeID="1430"/>',
        10,
    )
    + _feature(9, '<VersionDetail DetailTypeID="1432">Qom, Iran</VersionDetail>', 10)
    + _feature(10, '<VersionDetail DetailTypeID="1433"/><VersionLocation LocationID="501"/>', 10)
    + _feature(224, '<VersionDetail DetailTypeID="1431" DetailReferenceID="91526"/>', 10)
    + _feature(25, '<VersionLocation LocationID="500"/>', 10)
    + _feature(344, '<VersionDetail DetailTypeID="1432">1BTCaddr</VersionDetail>', 10)
    + _feature(999, '<VersionDetail DetailTypeID="1432">BLOCKING</VersionDetail>', 10)
    + "</Profile></DistinctParty>\n"
)

COMPANY = (
    '<DistinctParty FixedRef="2002"><Comment/><Profile ID="2002" PartySubTypeID="3">'
    '<Identity ID="20" FixedRef="2002" Primary="true" False="false">'
    + _alias(1403, True, False, _name(5, [(20, "TEST TRADING LLC")]))
    + _groups([(20, 1525)])
    + "</Identity>"
    + _feature(25, '<VersionLocation LocationID="500"/>', 20)
    + "</Profile></DistinctParty>\n"
)

TAIL = (
    "<ProfileRelationships>"
    '<ProfileRelationship ID="1" From-ProfileID="2002" To-ProfileID="1001" RelationTypeID="15003" '
    'RelationQualityID="1" Former="false" SanctionsEntryID="2002"><Comment/></ProfileRelationship>'
    '<ProfileRelationship ID="2" From-ProfileID="1001" To-ProfileID="5555" RelationTypeID="1555" '
    'RelationQualityID="1" Former="true" SanctionsEntryID="1001"><Comment/></ProfileRelationship>'
    "</ProfileRelationships>\n<SanctionsEntries>"
    '<SanctionsEntry ID="1" ProfileID="1001" ListID="1550"><EntryEvent ID="1" EntryEventTypeID="1" LegalBasisID="1">'
    '<Comment/><Date CalendarTypeID="1">' + _ymd("2012-03-07") + "</Date></EntryEvent>"
    '<SanctionsMeasure ID="1" SanctionsTypeID="1705"/>'
    '<SanctionsMeasure ID="2" SanctionsTypeID="1"><Comment>SDGT</Comment></SanctionsMeasure>'
    '<SanctionsMeasure ID="3" SanctionsTypeID="1"><Comment>IRGC</Comment></SanctionsMeasure></SanctionsEntry>'
    '<SanctionsEntry ID="2" ProfileID="2002" ListID="1550"><EntryEvent ID="2" EntryEventTypeID="1" LegalBasisID="1">'
    '<Date CalendarTypeID="1">' + _ymd("2015-01-01") + "</Date></EntryEvent>"
    '<SanctionsMeasure ID="4" SanctionsTypeID="1"><Comment>UKRAINE-EO13662</Comment></SanctionsMeasure>'
    '<SanctionsMeasure ID="5" SanctionsTypeID="91505"/></SanctionsEntry>'
    '<SanctionsEntry ID="3" ProfileID="2002" ListID="1550"><EntryEvent ID="3" EntryEventTypeID="1" LegalBasisID="1">'
    '<Date CalendarTypeID="1">' + _ymd("2014-06-01") + "</Date></EntryEvent>"
    '<SanctionsMeasure ID="6" SanctionsTypeID="1"><Comment>RUSSIA-EO14024</Comment></SanctionsMeasure>'
    "</SanctionsEntry></SanctionsEntries>\n"
)


def _document(parties: str = PERSON + COMPANY, refs: str = REFS) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n'
        f'<Sanctions xmlns="{NS}" Version="3">\n'
        '<DateOfIssue CalendarTypeID="1"><Year>2024</Year><Month>3</Month><Day>5</Day></DateOfIssue>\n'
        + refs
        + LOCATIONS
        + DOCS
        + "<DistinctParties>\n"
        + parties
        + "</DistinctParties>\n"
        + TAIL
        + "</Sanctions>\n"
    )


def test_hand_made_file(tmp_path: Path) -> None:
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(_document(), encoding="utf-8")
    assert detect(path, read_head(path)) == "us_ofac_sdn"
    parsed = read(path)
    assert (parsed.list_key, parsed.published) == ("us_ofac_sdn", "2024-03-05")
    assert parsed.notes == [
        "1 IDRegDocument(s) belong to no identity in the file (ignored)",
        "1 ProfileRelationship(s) point to a profile not in the file (its ID kept)",
    ]
    person, company = list(parsed.entities)
    assert person.source_id == "1001" and person.schema == "Person"
    assert person.names == [
        Name("AL-TEST, Ali", "primary", given="Ali", family="AL-TEST"),
        Name("التست, علي", "original_script", lang="Arab", given="علي", family="التست"),
        Name("ABU TEST", "weak_alias", family="ABU TEST"),
        Name("OLDNAME, Ali", "former", given="Ali", family="OLDNAME"),
    ]
    assert person.birth_dates == ["~1960/1962"]
    assert person.birth_places == ["Qom, Iran"]
    assert person.nationalities == ["ir"]
    assert person.addresses == [Address("12 Azadi St, Tehran, Iran", "ir", "Tehran")]
    assert person.countries == ["ir"]
    assert person.identifiers == [
        Identifier("crypto", "1BTCaddr", None, "Digital Currency Address - XBT"),
        Identifier("passport", "P123", "ir", "Passport; issued 2010-01-02"),
        Identifier("other", "CC-1", None, "Club Card; fraudulent"),
    ]
    assert person.programs == ["SDGT", "IRGC"]
    assert person.listed_on == "2012-03-07"
    assert person.extra == {"gender": ["Male"], "sanctions_list": ["SDN List"]}
    assert person.remarks == ["Executive Order 99999 information: BLOCKING"]
    assert person.relations == [
        Relation("associate", target_source_id="5555", note="Associate Of (former)")
    ]

    assert company.source_id == "2002" and company.schema == "Organization"
    assert company.names == [Name("TEST TRADING LLC", "primary")]
    assert company.identifiers == [Identifier("inn", "7707083893", "ru", "Tax ID No.")]
    assert company.programs == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    assert company.listed_on == "2014-06-01"  # the earliest of its two entries
    assert company.extra == {
        "sanctions_measure": ["13662 Sectoral Directive 1"],
        "sanctions_list": ["SDN List"],
    }
    assert company.relations == [
        Relation(
            "controlled_by",
            target_source_id="1001",
            target_name="AL-TEST, Ali",
            note="Owned or Controlled By",
        )
    ]
    assert company.addresses == [Address("12 Azadi St, Tehran, Iran", "ir", "Tehran")]


def test_cons_by_name(tmp_path: Path) -> None:
    path = tmp_path / "cons_advanced.xml"
    path.write_text(_document(), encoding="utf-8")
    assert detect(path, read_head(path)) == "us_ofac_cons"
    assert read(path).list_key == "us_ofac_cons"
    assert detect(path, b'<?xml version="1.0"?><Sanctions xmlns="urn:other">') is None


def test_truncated(tmp_path: Path) -> None:
    path = tmp_path / "sdn_advanced.xml"
    text = _document()
    path.write_text(text[: text.index("<ProfileRelationships>") + 40], encoding="utf-8")
    with pytest.raises(SourceError, match=r"sdn_advanced\.xml, line \d+: malformed XML"):
        read(path)


def test_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "sdn_advanced.xml"
    data = _document().encode("utf-8").replace(b"TEST TRADING", b"TEST \xffTRADING")
    path.write_bytes(data)
    line = data[: data.index(b"\xffTRADING")].count(b"\n") + 1
    with pytest.raises(SourceError, match=rf"sdn_advanced\.xml, line {line}: malformed XML"):
        read(path)


def test_bad_fixed_ref_names_record(tmp_path: Path) -> None:
    path = tmp_path / "sdn_advanced.xml"
    text = _document(
        PERSON + COMPANY.replace('FixedRef="2002"><Comment/>', 'FixedRef="20x2"><Comment/>')
    )
    path.write_text(text, encoding="utf-8")
    line = text[: text.index('FixedRef="20x2"')].count("\n") + 1
    with pytest.raises(SourceError) as err:
        read(path)
    assert (
        str(err.value)
        == f"{path}, line {line}, DistinctParty #2: DistinctParty FixedRef '20x2' is not an integer"
    )


def test_missing_tables_and_wrong_root(tmp_path: Path) -> None:
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(_document(refs=""), encoding="utf-8")
    with pytest.raises(SourceError, match=r"sdn_advanced\.xml, ReferenceValueSets: missing"):
        read(path)
    path.write_text(_document(parties=""), encoding="utf-8")
    with pytest.raises(SourceError, match=r"DistinctParties: no DistinctParty records"):
        read(path)
    path.write_text(
        '<?xml version="1.0"?><sdnList xmlns="http://tempuri.org/sdnList.xsd"/>', encoding="utf-8"
    )
    with pytest.raises(SourceError, match=r"root element: expected <Sanctions>"):
        read(path)
    path.write_bytes(b"")
    with pytest.raises(SourceError, match=r"file is empty \(0 bytes\)"):
        read(path)


@pytest.mark.parametrize(
    ("start", "end", "approx", "expected"),
    [
        ("1976-08-30", "1976-08-30", False, "1976-08-30"),
        ("1970-01-01", "1970-12-31", False, "1970"),
        ("1970-01-01", "1970-12-31", True, "~1970"),
        ("1945-03-01", "1945-03-31", False, "1945-03"),
        ("1960-01-01", "1965-12-31", False, "1960/1965"),
        ("1960-05-02", "1961-07-09", False, "1960-05-02/1961-07-09"),
    ],
)
def test_date_period(start: str, end: str, approx: bool, expected: str) -> None:
    elem = etree.fromstring(f'<r xmlns="{NS}">{_period(start, end, approx)}</r>')[0]
    assert date_period(elem) == expected
