"""Linking the listings of one party: every rule on small hand-made entities (a true link and
its traps), the blocking guards, then the real lists of ../shared and the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tradeguard.model import Address, Entity, Identifier, Name
from tradeguard.screening.links import (
    MAX_KEY_PER_LIST,
    RULES,
    Linkage,
    evidence_between,
    identifier_keys,
    link_entities,
    list_regime,
    name_key,
    reference_keys,
    un_reference,
)


def E(
    list_key: str,
    source_id: str,
    schema: str = "Person",
    names: tuple[str, ...] = (),
    *,
    dob: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    ids: tuple[tuple[str, str, str | None], ...] = (),
    extra: dict[str, list[str]] | None = None,
    remarks: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    address_country: str | None = None,
) -> Entity:
    entity = Entity(list_key, source_id, schema)
    entity.names = [Name(n) for n in names] + [Name(a, kind="alias") for a in aliases]
    entity.birth_dates = list(dob)
    entity.countries = list(countries)
    entity.identifiers = [Identifier(t, v, c) for t, v, c in ids]
    entity.extra = extra or {}
    entity.remarks = list(remarks)
    if address_country:
        entity.addresses = [Address("somewhere", address_country)]
    return entity


def rules(a: Entity, b: Entity) -> list[str]:
    return [e.rule for e in evidence_between(a, b)]


def group_ids(linkage: Linkage) -> list[tuple[str, ...]]:
    return [g.members for g in linkage.groups]


# --- reference -------------------------------------------------------------------------------


def test_un_reference_links_un_uk_and_australia() -> None:
    un = E("un_sc", "690735", "Organization", ("KOREA MINING DEVELOPMENT TRADING CORPORATION",),
           extra={"reference_number": ["KPe.001"]})
    uk = E("gb_hmt", "10892", "Organization", ("KOMID",), extra={"un_ref": ["KPe.001"]})
    au = E("au_dfat", "1113", "Organization", ("Korea Mining Development Trading Corporation",),
           remarks=("KPe.001 Primary arms dealer and main exporter of goods ...",))
    eu = E("eu_fsf", "1", "Organization", ("KOMID",), extra={"un_id": ["KPe.001"]})
    assert rules(un, uk) == ["reference"]
    ev = evidence_between(un, au)[0]
    assert (ev.rule, ev.key, ev.values) == ("reference", "un:KPe.001", ("UN ref KPe.001", "UN ref KPe.001"))
    linkage = link_entities([un, uk, au, eu])
    assert group_ids(linkage) == [("au_dfat-1113", "eu_fsf-1", "gb_hmt-10892", "un_sc-690735")]
    assert linkage.groups[0].id == "party-un_sc-690735"  # named after the UN listing


def test_reference_forms_are_canonical() -> None:
    assert un_reference("qdi.150") == "QDi.150"
    assert un_reference("UN Reference Number: QDI. 150") == "QDi.150"
    au = E("au_dfat", "481", extra={"listing_information": ["UN Reference Number: QDi.150 Listed by the UN 1267 Committee"]})
    assert reference_keys(au) == {"un:QDi.150": "UN ref QDi.150"}


def test_a_reference_to_another_party_is_not_an_identity() -> None:
    # Australia: "Member of ... (QDe.004)" cites the group, not the entry.
    member = E("au_dfat", "548", "Person", ("Ali Sayyid Muhamed Mustafa Bakri",),
               remarks=("Member of the Shura Council of Al-Qaida (QDe.004).",))
    group = E("un_sc", "1", "Organization", ("AL-QAIDA",), extra={"reference_number": ["QDe.004"]})
    assert "un:QDe.004" not in reference_keys(member)
    assert evidence_between(member, group) == []
    # A person whose remark opens with an entity's reference (Australia's "Maalim Ayman"
    # with "SOe.001." of Al-Shabaab) cites the group too.
    assert reference_keys(E("au_dfat", "6253", "Person", ("Maalim Ayman",), remarks=("SOe.001. Also listed ...",))) == {}
    # The UK's remarks cite owners; its own reference is the parsed "UN Ref" only.
    vessel = E("gb_hmt", "13660", "Vessel", ("JI SONG 8",),
               remarks=("(UK Sanctions List Ref):DPR0109. Owned by Phyongchon Shipping (UN Ref: KPe.070)",))
    assert not any(k.startswith("un:") for k in reference_keys(vessel))


def test_an_entry_citing_two_un_references_has_none() -> None:
    au = E("au_dfat", "1228", "Person", ("Gaston Iyamuremye",), remarks=("CDi.003 a) FDLR ...", "CDi.002 a) FDLR ..."))
    assert not any(k.startswith("un:") for k in reference_keys(au))


def test_ofac_entity_number_links_sdn_non_sdn_and_csl() -> None:
    sdn = E("us_ofac_sdn", "7828", names=("AMDOUNI, Mehrez",))
    cons = E("us_ofac_cons", "7828", names=("AMDOUNI, Mehrez",))
    csl = E("us_csl", "7828", names=("AMDOUNI, Mehrez",), extra={"csl_source": ["SDN"]})
    bis = E("us_csl", "7828", names=("AMDOUNI, Mehrez",), extra={"csl_source": ["EL"]})
    assert rules(sdn, cons) == ["reference"]
    assert rules(sdn, csl) == ["reference"]
    assert "reference" not in rules(sdn, bis)  # a BIS row's number is no OFAC number


def test_uk_lists_cite_each_other() -> None:
    hmt = E("gb_hmt", "14213", names=("Igor SECHIN",), extra={"uk_sanctions_list_ref": ["RUS0273"]})
    fcdo = E("gb_fcdo", "RUS0273", names=("SECHIN Igor",), extra={"ofsi_group_id": ["14213"]})
    assert {e.key for e in evidence_between(hmt, fcdo)} == {"ofsi:14213", "uk:RUS0273"}


def test_a_reference_never_links_a_person_to_an_organisation() -> None:
    person = E("gb_hmt", "1", "Person", ("X",), extra={"un_ref": ["QDi.001"]})
    org = E("un_sc", "2", "Organization", ("X",), extra={"reference_number": ["QDi.001"]})
    assert evidence_between(person, org) == []


# --- identifiers -----------------------------------------------------------------------------


def test_imo_links_whatever_its_spelling() -> None:
    a = E("gb_hmt", "1", "Vessel", ("JI SONG 6",), ids=(("imo", "IMO 8898557", None),))
    b = E("ca_sema", "2", "Vessel", ("Ji Song No. 6",), ids=(("imo", "8898557", None),))
    ev = evidence_between(a, b)
    assert [(e.rule, e.key) for e in ev] == [("identifier", "imo:8898557")]
    assert ev[0].values == ("imo IMO 8898557", "imo 8898557")


def test_bic_head_office_and_lei() -> None:
    a = E("us_ofac_sdn", "1", "Organization", ("Bank A",), ids=(("bic", "BKMTIRTH", None),))
    b = E("gb_hmt", "2", "Organization", ("Bank Mellat",), ids=(("bic", "bkmt ir th xxx", None),))
    branch = E("au_dfat", "3", "Organization", ("Bank Mellat Seoul",), ids=(("bic", "BKMTIRTH123", None),))
    assert rules(a, b) == ["identifier"]
    assert rules(a, branch) == []  # a branch's BIC11 is not the head office's
    lei = "253400V1H6ART1UQ0N98"
    assert rules(E("us_ofac_sdn", "1", "Organization", ("X",), ids=(("lei", lei, None),)),
                 E("gb_hmt", "1", "Organization", ("Y",), ids=(("lei", lei, "ru"),))) == ["identifier"]


def test_passport_needs_the_same_country() -> None:
    a = E("us_ofac_sdn", "1", names=("Ali Hassan",), ids=(("passport", "A1234567", "ir"),))
    b = E("ca_sema", "2", names=("Hassan Ali Reza",), ids=(("passport", "A 1234567", "ir"),))
    other_country = E("ca_sema", "3", names=("Hassan Ali Reza",), ids=(("passport", "A1234567", "iq"),))
    no_country = E("ca_sema", "4", names=("Hassan Ali Reza",), ids=(("passport", "A1234567", None),))
    assert rules(a, b) == ["identifier"]
    assert rules(a, other_country) == []
    assert rules(a, no_country) == []  # no name in common either: nothing links


def test_a_number_without_its_country_links_only_with_the_name() -> None:
    un = E("un_sc", "1", names=("Ali HASSAN",), ids=(("passport", "A1234567", "ir"),))
    uk = E("gb_hmt", "2", names=("HASSAN Ali",), ids=(("passport", "A1234567", None),))
    assert rules(un, uk) == ["name_identifier"]
    ev = evidence_between(un, uk)[0]
    assert ev.values == ("Ali HASSAN; passport A1234567 (ir)", "HASSAN Ali; passport A1234567")


def test_tax_and_registration_numbers() -> None:
    a = E("us_ofac_sdn", "1", "Organization", ("NPO IZHBS",), ids=(("inn", "1831117433", "ru"),))
    b = E("opensanctions", "2", "Company", ("Izhevsk Unmanned Systems",), ids=(("registration", "Russian TIN: 1831117433", None),))
    assert rules(a, b) == ["identifier"]
    ua = E("gb_hmt", "3", "Organization", ("Other",), ids=(("tax_id", "1831117433", "ua"),))
    assert rules(a, ua) == []  # one number, two issuing countries
    # A KPP (tax office code) is shared by every company registered at one office.
    kpp_a = E("us_ofac_sdn", "4", "Organization", ("RENOVA GROUP",), ids=(("registration", "772701001", "ru"),))
    kpp_b = E("gb_hmt", "5", "Organization", ("LLC GRANT-TRADE",), ids=(("registration", "KPP - 772701001", None),))
    assert identifier_keys(kpp_a) == {} and identifier_keys(kpp_b) == {}
    assert rules(kpp_a, kpp_b) == []


def test_a_generic_identifier_is_dropped_and_reported() -> None:
    entities = [
        E("us_ofac_sdn", str(i), "Organization", (f"Company {i}",), ids=(("registration", "00012345", None),))
        for i in range(MAX_KEY_PER_LIST + 1)
    ] + [E("gb_hmt", "9", "Organization", ("Company 9",), ids=(("registration", "00012345", None),))]
    linkage = link_entities(entities)
    assert linkage.groups == []
    assert {(d.rule, d.key) for d in linkage.dropped} >= {("identifier", "tax_reg:00012345")}
    # Placeholders are no identifiers at all.
    for placeholder in ("0", "N/A", "00000000", "12"):
        assert identifier_keys(E("gb_hmt", "1", "Organization", ids=(("registration", placeholder, None),))) == {}


def test_one_authority_giving_one_number_to_two_parties_makes_it_ambiguous() -> None:
    # OFAC states one OGRN for a parent and its subsidiary: linking a third list's entry
    # with that number to both would merge the two companies.
    parent = E("us_ofac_sdn", "35864", "Organization", ("CONCERN GRANIT-ELECTRON",), ids=(("ogrn", "5067847016782", "ru"),))
    child = E("us_ofac_sdn", "35865", "Organization", ("ZAVOD MOLOT",), ids=(("ogrn", "5067847016782", "ru"),))
    third = E("opensanctions", "x", "Company", ("Granit Electron",), ids=(("ogrn", "5067847016782", None),))
    linkage = link_entities([parent, child, third])
    assert linkage.groups == []
    assert [d.key for d in linkage.dropped] == ["tax_reg:5067847016782", "id:5067847016782"]


# --- name and birth date ---------------------------------------------------------------------


def test_same_name_in_any_order_and_same_full_birth_date() -> None:
    ofac = E("us_ofac_sdn", "16692", names=("SECHIN, Igor Ivanovich",), dob=("1960-09-07",))
    uk = E("gb_hmt", "14213", names=("Igor Ivanovich SECHIN",), dob=("1960-09-07", "1961"))
    ev = evidence_between(ofac, uk)
    assert [e.rule for e in ev] == ["name_dob"]
    assert ev[0].values == ("SECHIN, Igor Ivanovich, born 1960-09-07", "Igor Ivanovich SECHIN, born 1960-09-07")
    # Transliteration variants share one normalised form.
    assert name_key("Aleksei Yurievich KRIVORUCHKO", "person") == name_key("KRIVORUCHKO, Aleksey Yurievich", "person")


def test_same_name_different_birth_date_does_not_link() -> None:
    a = E("us_ofac_sdn", "1", names=("Ivan Igorevich SECHIN",), dob=("1989-01-03",))
    b = E("gb_hmt", "2", names=("Ivan Igorevich SECHIN",), dob=("1989-01-04",))
    assert rules(a, b) == []


def test_same_name_and_only_a_birth_year_does_not_link() -> None:
    a = E("us_ofac_sdn", "1", names=("Ivan Igorevich SECHIN",), dob=("1989-01-03",))
    year = E("gb_hmt", "2", names=("Ivan Igorevich SECHIN",), dob=("1989",))
    approx = E("ca_sema", "3", names=("Ivan Igorevich SECHIN",), dob=("~1989-01-03",))
    none = E("au_dfat", "4", names=("Ivan Igorevich SECHIN",))
    assert rules(a, year) == rules(a, approx) == rules(a, none) == []
    assert link_entities([a, year, approx, none]).groups == []


def test_a_single_name_token_is_too_thin() -> None:
    a = E("un_sc", "1", names=("FAIZ",), dob=("1969-01-01",))
    b = E("gb_hmt", "2", names=("FAIZ",), dob=("1969-01-01",))
    assert rules(a, b) == []


# --- name and country ------------------------------------------------------------------------


def test_organisation_same_name_and_country() -> None:
    uk = E("gb_hmt", "16138", "Organization", ("QODS AERONAUTICS INDUSTRIES (QAI)",), address_country="ir")
    au = E("au_dfat", "7747", "Organization", ("QODS AERONAUTICS INDUSTRIES",), address_country="ir")
    ev = evidence_between(uk, au)
    assert [e.rule for e in ev] == ["name_country"]
    assert ev[0].values == ("QODS AERONAUTICS INDUSTRIES (QAI) (ir)", "QODS AERONAUTICS INDUSTRIES (ir)")
    no_country = E("un_sc", "110349", "Organization", ("QODS AERONAUTICS INDUSTRIES",))
    elsewhere = E("ca_sema", "1", "Organization", ("Qods Aeronautics Industries",), countries=("sy",))
    assert rules(uk, no_country) == [] and rules(uk, elsewhere) == []


def test_an_organisation_without_a_country_counts_the_country_of_its_programme() -> None:
    uk = E("gb_hmt", "16138", "Organization", ("QODS AERONAUTICS INDUSTRIES (QAI)",), address_country="ir")
    un = E("un_sc", "110349", "Organization", ("QODS AERONAUTICS INDUSTRIES",))
    un.programs = ["Iran"]
    ev = evidence_between(uk, un)
    assert [e.rule for e in ev] == ["name_country"]
    assert ev[0].values == ("QODS AERONAUTICS INDUSTRIES (QAI) (ir)", "QODS AERONAUTICS INDUSTRIES (ir by programme)")
    au = E("au_dfat", "8551", "Organization", ("QODS AERONAUTICS INDUSTRIES",))
    au.programs = ["1737 (Iran)"]
    assert rules(un, au) == []  # two programme countries are not a stated one
    syria = E("ca_sema", "1", "Organization", ("QODS AERONAUTICS INDUSTRIES",), address_country="sy")
    assert rules(un, syria) == []
    # A programme named after no country, or after two, says nothing of where a party is.
    for programmes in (["SDGT"], ["RUSSIA-EO14024"], ["Iran", "Syria"]):
        un.programs = programmes
        assert rules(uk, un) == [], programmes
    # A person is not where the programme of their listing is.
    person = E("un_sc", "2", "Person", ("Ali Reza Tangsiri",))
    person.programs = ["Iran"]
    listed = E("gb_hmt", "3", "Person", ("Ali Reza TANGSIRI",), countries=("ir",))
    assert rules(person, listed) == []


def test_a_company_registration_gives_its_country_and_hong_kong_is_in_china() -> None:
    ofac = E("us_ofac_sdn", "38641", "Organization", ("SINNO ELECTRONICS CO., LIMITED",),
             ids=(("registration", "1401029", "hk"),))
    uk = E("gb_hmt", "16259", "Organization", ("SINNO ELECTRONICS CO., LIMITED",), address_country="cn")
    ev = evidence_between(ofac, uk)
    assert [e.rule for e in ev] == ["name_country"]
    assert ev[0].values == ("SINNO ELECTRONICS CO., LIMITED (cn)", "SINNO ELECTRONICS CO., LIMITED (cn)")
    in_taiwan = E("gb_hmt", "1", "Organization", ("SINNO ELECTRONICS CO., LIMITED",), address_country="tw")
    assert rules(ofac, in_taiwan) == []
    # A passport's country is where it was issued, not where its holder's company is.
    holder = E("us_ofac_sdn", "2", "Organization", ("SINNO ELECTRONICS CO., LIMITED",),
               ids=(("passport", "X1234567", "hk"),))
    assert rules(holder, uk) == []


def test_legal_forms_are_left_out_unless_they_conflict() -> None:
    a = E("gb_hmt", "1", "Organization", ("JSC KALASHNIKOV CONCERN",), countries=("ru",))
    b = E("ca_sema", "2", "Organization", ("Kalashnikov Concern",), countries=("ru",))
    assert rules(a, b) == ["name_country"]
    oao = E("gb_hmt", "3", "Organization", ('OAO "VO TECHNOPROMEXPORT"',), countries=("ru",))
    ooo = E("ca_sema", "4", "Organization", ('OOO "VO TECHNOPROMEXPORT"',), countries=("ru",))
    assert rules(oao, ooo) == []
    # Two legal forms are words of the name: a foundation of the guards is not the guards.
    guards = E("ca_sema", "5", "Organization", ("Revolutionary Guards",), countries=("ir",))
    foundation = E("gb_hmt", "6", "Organization", ("COOPERATIVE FOUNDATION OF THE REVOLUTIONARY GUARDS",), countries=("ir",))
    assert rules(guards, foundation) == []


def test_vessels_of_one_name_with_different_imo_numbers() -> None:
    a = E("opensanctions", "1", "Vessel", ("CORAL",), countries=("pa",), ids=(("imo", "9187629", None),))
    b = E("ca_sema", "2", "Vessel", ("Coral",), countries=("pa",), ids=(("imo", "9187655", None),))
    c = E("au_dfat", "3", "Vessel", ("CORAL",), countries=("pa",))
    assert rules(a, b) == []
    assert rules(a, c) == ["name_country"]


def test_one_authority_never_links_its_own_entries_by_name_and_country() -> None:
    a = E("gb_hmt", "15364", "Organization", ("ZVEZDA PJSC",), countries=("ru",))
    b = E("gb_hmt", "15776", "Organization", ("JSC ZVEZDA",), countries=("ru",))
    assert rules(a, b) == []


def test_an_alias_two_parties_share_does_not_chain_them() -> None:
    # Australia lists the Derna and the Benghazi groups with one alias; the UK lists it
    # for one of them.
    derna = E("au_dfat", "3062", "Organization", ("ANSAR AL CHARIA DERNA",), aliases=("Ansar al-Charia",), countries=("ly",))
    benghazi = E("au_dfat", "3063", "Organization", ("ANSAR AL CHARIA BENGHAZI",), aliases=("Ansar al-Charia",), countries=("ly",))
    uk = E("gb_hmt", "13169", "Organization", ("ANSAR AL CHARIA DERNA",), aliases=("ANSAR AL CHARIA",), countries=("ly",))
    linkage = link_entities([derna, benghazi, uk])
    assert group_ids(linkage) == [("au_dfat-3062", "gb_hmt-13169")]
    assert "org:ansar charia" in {d.key for d in linkage.dropped}


def test_a_third_list_cannot_merge_two_entries_one_authority_keeps_apart() -> None:
    # The UK lists front companies as aliases of one entity; Canada lists each apart.
    uk = E("gb_hmt", "11222", "Organization", ("YASA PART",), aliases=("ARFA PAINT COMPANY",), countries=("ir",))
    yasa = E("ca_sema", "ir-127", "Organization", ("Yasa Part",), countries=("ir",))
    arfa = E("ca_sema", "ir-90", "Organization", ("Arfa Paint Company",), countries=("ir",))
    linkage = link_entities([uk, yasa, arfa])
    assert group_ids(linkage) == [("ca_sema-ir-127", "gb_hmt-11222")]
    assert linkage.kept_apart == {"name_country": 1}


def test_a_name_citing_another_entry_is_not_a_name() -> None:
    a = E("un_sc", "6908510", "Organization", ("ACADEMY OF NATIONAL DEFENSE SCIENCE",),
          aliases=("SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)",), countries=("kp",))
    b = E("au_dfat", "2583", "Organization", ("SECOND ACADEMY OF NATURAL SCIENCES",), countries=("kp",))
    assert rules(a, b) == []


# --- never ----------------------------------------------------------------------------------


def test_a_name_alone_never_links() -> None:
    for schema in ("Person", "Organization", "Vessel"):
        a = E("us_ofac_sdn", "1", schema, ("Kestrel Ivanov Trading",))
        b = E("gb_hmt", "2", schema, ("Kestrel Ivanov Trading",))
        assert rules(a, b) == []


def test_a_person_and_a_company_of_one_name_never_link() -> None:
    person = E("us_ofac_sdn", "1", "Person", ("Nikolai PETROV",), dob=("1970-01-02",), countries=("ru",),
               ids=(("inn", "770123456789", "ru"),))
    company = E("gb_hmt", "2", "Organization", ("NIKOLAI PETROV",), countries=("ru",),
                ids=(("inn", "770123456789", "ru"),))
    assert rules(person, company) == []
    assert link_entities([person, company]).groups == []


# --- linking ---------------------------------------------------------------------------------


def test_groups_are_transitive_and_keep_every_link_with_its_evidence() -> None:
    un = E("un_sc", "1", names=("Agus DWIKARNA",), dob=("1964-08-11",), extra={"reference_number": ["QDi.111"]})
    uk = E("gb_hmt", "2", names=("AGUS DWIKARNA",), dob=("1964-08-11",), extra={"un_ref": ["QDi.111"]})
    ofac = E("us_ofac_sdn", "3", names=("DWIKARNA, Agus",), dob=("1964-08-11",))
    lone = E("ca_sema", "4", names=("Somebody Else",), dob=("1964-08-11",))
    linkage = link_entities([lone, ofac, uk, un])
    assert group_ids(linkage) == [("gb_hmt-2", "un_sc-1", "us_ofac_sdn-3")]
    group = linkage.groups[0]
    assert group.lists == ("gb_hmt", "un_sc", "us_ofac_sdn")
    by_pair = {(link.a, link.b): [e.rule for e in link.evidence] for link in group.links}
    assert by_pair == {
        ("gb_hmt-2", "un_sc-1"): ["reference", "name_dob"],
        ("gb_hmt-2", "us_ofac_sdn-3"): ["name_dob"],
        ("un_sc-1", "us_ofac_sdn-3"): ["name_dob"],
    }
    assert group.links[0].rule == "reference"
    # The same entities in another order give the same groups.
    assert group_ids(link_entities([un, uk, ofac, lone])) == group_ids(linkage)
    assert list_regime("gb_fcdo") == "UK" and list_regime("us_csl") == "US"


def test_rules_can_be_chosen() -> None:
    un = E("un_sc", "1", names=("Agus DWIKARNA",), dob=("1964-08-11",), extra={"reference_number": ["QDi.111"]})
    uk = E("gb_hmt", "2", names=("AGUS DWIKARNA",), dob=("1964-08-11",), extra={"un_ref": ["QDi.111"]})
    only_refs = link_entities([un, uk], rules=("reference",))
    assert [e.rule for e in only_refs.links()[0].evidence] == ["reference"]
    assert RULES[0] == "reference"


# --- the real lists ---------------------------------------------------------------------------

REAL = {
    "un": "un/2026-08-01_zr101/un.xml",
    "uk": "uk_ofsi/2025-04-14_mmahmed107/ConList.xlsx",
    "au": "australia_dfat/2026-08_zr101/dfat.xlsx",
    "ca": "canada_sema/2025-05_kebalkhadka/cannada.xml",
}


@pytest.fixture(scope="module")
def real_linkage(lists_dir: Path) -> tuple[Linkage, dict[str, Entity]]:
    from tradeguard.sources import read_list

    entities: dict[str, Entity] = {}
    for rel in REAL.values():
        for entity in read_list(lists_dir / rel).entities:
            entities.setdefault(entity.entity_id, entity)
    return link_entities(entities.values()), entities


def _group(linkage: Linkage, entity_id: str) -> Any:
    return linkage.group_index().get(entity_id)


def test_real_un_entry_and_its_uk_and_australian_twins(real_linkage: tuple[Linkage, dict[str, Entity]]) -> None:
    linkage, _ = real_linkage
    group = _group(linkage, "gb_hmt-10892")  # KOREA MINING DEVELOPMENT TRADING CORPORATION
    assert group.members == ("au_dfat-1113", "gb_hmt-10892", "un_sc-690735")
    assert group.id == "party-un_sc-690735"
    assert all(link.rule == "reference" for link in group.links)
    assert {e.key for link in group.links for e in link.evidence if e.rule == "reference"} == {"un:KPe.001"}


def test_real_sechin_across_uk_canada_australia(real_linkage: tuple[Linkage, dict[str, Entity]]) -> None:
    linkage, _ = real_linkage
    group = _group(linkage, "gb_hmt-14213")  # Igor Ivanovich SECHIN, born 1960-09-07
    assert group.members == ("au_dfat-6660", "ca_sema-ru-103", "gb_hmt-14213")
    assert {link.rule for link in group.links} == {"name_dob"}
    # His son is listed with a full birth date in Australia only: no link to the UK's "1989".
    assert _group(linkage, "gb_hmt-15006") is None


def test_real_qods_aeronautics(real_linkage: tuple[Linkage, dict[str, Entity]]) -> None:
    linkage, _ = real_linkage
    # Australia keeps its UN listing (IRe.055) and an autonomous one. The UN listing gives no
    # country: the reference joins Australia's copy of it, and its programme (Iran) joins it to
    # the UK entry (no UN reference in April 2025) and Australia's autonomous entry by name;
    # Canada's entry joins by name and country (Iran).
    group = _group(linkage, "un_sc-110349")
    assert group.members == ("au_dfat-7747", "au_dfat-8551", "ca_sema-ir-168", "gb_hmt-16138", "un_sc-110349")
    assert group.id == "party-un_sc-110349"
    assert {link.rule for link in group.links} == {"reference", "name_country"}
    by_programme = [e for link in group.links for e in link.evidence if "by programme" in " ".join(e.values)]
    assert by_programme and all(e.rule == "name_country" for e in by_programme)


def test_real_lists_link_fast_and_without_giant_groups(real_linkage: tuple[Linkage, dict[str, Entity]]) -> None:
    linkage, entities = real_linkage
    assert len(entities) > 14_000
    assert linkage.seconds < 20
    assert max(len(g.members) for g in linkage.groups) <= 8
    assert len([g for g in linkage.groups if len(g.lists) >= 3]) > 1000


# --- the store --------------------------------------------------------------------------------


def test_store_keeps_the_groups_per_versions_in_force(store_url: str, lists_dir: Path) -> None:
    from sqlalchemy import func, select

    from tradeguard.store.db import connect
    from tradeguard.store.links import compute_links, ensure_links, link_runs, parties_of, party_of
    from tradeguard.store.lists import load_file

    engine = connect(store_url)
    load_file(engine, lists_dir / REAL["un"])
    first = ensure_links(engine)
    assert first.computed and first.group_count == 0  # one list: no duplicate on the UN list
    assert not ensure_links(engine).computed  # stored: not computed again
    alone = party_of(engine, "un_sc-690735")
    assert alone is not None and alone.id == "party-un_sc-690735" and alone.links == []
    assert alone.to_dict()["listings"][0]["name"] == "KOREA MINING DEVELOPMENT TRADING CORPORATION"

    load_file(engine, lists_dir / REAL["au"])  # new versions in force: computed again
    party = party_of(engine, "au_dfat-1113")
    assert party is not None
    assert [(x.list, x.source_id) for x in party.listings] == [("un_sc", "690735"), ("au_dfat", "1113")]
    assert party.regimes == ["UN", "AU"]
    data = party.to_dict()
    assert data["lists"] == ["au_dfat", "un_sc"]
    assert data["listings"][1] == {
        "entity_id": "au_dfat-1113", "list": "au_dfat", "regime": "AU", "source_id": "1113",
        "schema": "Organization", "name": "Korea Mining Development Trading Corporation",
        "programs": ["1718 (DPRK)"], "listed_on": "2009-04-24",
    }
    assert data["links"][0]["rule"] == "reference"
    assert data["links"][0]["evidence"][0] == {"rule": "reference", "key": "un:KPe.001",
                                               "values": ["UN ref KPe.001", "UN ref KPe.001"]}
    second = ensure_links(engine)
    assert not second.computed and second.versions != first.versions and second.group_count > 500
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(link_runs)).scalar_one() == 1  # the old set is gone
        # A connection works too, and the stored set is reused.
        found = parties_of(conn, ["un_sc-690735", "au_dfat-1113", "un_sc-nonexistent"])
    assert found["un_sc-690735"].id == found["au_dfat-1113"].id == "party-un_sc-690735"
    assert "un_sc-nonexistent" not in found
    again = compute_links(engine)
    assert again.computed and again.group_count == second.group_count
    assert party_of(engine, "au_dfat-nonexistent") is None
    engine.dispose()
    if store_url.startswith("sqlite"):
        _check_cli(store_url)


def _check_cli(db: str) -> None:
    """`tradeguard lists party` on the store above (its groups are stored already)."""
    import json

    from tests.helpers import run_cli

    data = json.loads(run_cli("lists", "party", "au_dfat", "1113", "--json", db=db).stdout)
    assert data["id"] == "party-un_sc-690735" and data["regimes"] == ["UN", "AU"]
    assert [x["source_id"] for x in data["listings"]] == ["690735", "1113"]
    text = run_cli("lists", "party", "un_sc", "690735", db=db).stdout
    assert "KOREA MINING DEVELOPMENT TRADING CORPORATION" in text and "UN ref KPe.001" in text
    missing = run_cli("lists", "party", "un_sc", "nope", db=db, check=False)
    assert missing.returncode == 1 and "no entry 'nope'" in missing.stderr

    # match: every listing in the JSON, each with its party; the table has one row per party
    # with its regimes, and --listings one row per entry.
    found = json.loads(run_cli("match", "Korea Mining Development Trading Corporation", "--json", db=db).stdout)
    komid = {m["entity_id"]: m for m in found["matches"]}
    assert {"un_sc-690735", "au_dfat-1113"} <= set(komid)
    assert komid["un_sc-690735"]["party"] == komid["au_dfat-1113"]["party"]
    assert komid["au_dfat-1113"]["party"]["regimes"] == ["UN", "AU"]
    table = run_cli("match", "Korea Mining Development Trading Corporation", db=db).stdout
    assert table.count("UN AU") == 1  # one row for the party, whichever listing scored best
    entries = run_cli("match", "Korea Mining Development Trading Corporation", "--listings", db=db).stdout
    assert "un_sc" in entries and "au_dfat" in entries and "UN AU" not in entries

    # screen: one match per listing (the contract), each with its party
    folder = Path(db.removeprefix("sqlite:///")).parent
    (folder / "parties.csv").write_text("id,name\nc1,Korea Mining Development Trading Corporation\n")
    run_cli("screen", str(folder / "parties.csv"), "-o", str(folder / "hits.jsonl"), db=db)
    [row] = [json.loads(line) for line in (folder / "hits.jsonl").read_text().splitlines()]
    parties = {m["entity_id"]: m["party"]["id"] for m in row["matches"]}
    assert parties["un_sc-690735"] == parties["au_dfat-1113"] == "party-un_sc-690735"


def test_a_load_derives_the_keys_of_what_it_changed_only(store_url: str, lists_dir: Path) -> None:
    """The blocking keys are kept per entity record: the next day's UN list derives the keys
    of its new and changed entries only, and the groups are those of linking every entity in
    force from scratch."""
    from sqlalchemy import select, update

    from tradeguard.store.db import connect, version_entities
    from tradeguard.store.links import (
        RULES_VERSION,
        compute_links,
        ensure_links,
        link_keys,
        link_members,
    )
    from tradeguard.store.lists import active_versions, iter_active_entities, load_file

    def hashes(conn: Any, version_id: int) -> set[str]:
        rows = conn.execute(select(version_entities.c.record_hash).where(version_entities.c.version_id == version_id))
        return set(rows.scalars())

    def stored_groups(conn: Any) -> set[tuple[str, str]]:
        return {(r.entity_id, r.group_id) for r in conn.execute(select(link_members.c.entity_id, link_members.c.group_id))}

    def fresh_groups(conn: Any) -> set[tuple[str, str]]:
        linkage = link_entities(list(iter_active_entities(conn)))
        return {(m, g.id) for g in linkage.groups for m in g.members}

    engine = connect(store_url)
    load_file(engine, lists_dir / "un/2025-12-09_haverisenosku/un.xml")
    load_file(engine, lists_dir / REAL["au"])
    first = ensure_links(engine)
    with engine.connect() as conn:
        old_un = {v.list_key: v.id for v in active_versions(conn)}["un_sc"]
        everything = sum(len(hashes(conn, v.id)) for v in active_versions(conn))
    assert first.computed and first.notes["keys_derived"] == everything > 4_000

    load_file(engine, lists_dir / "un/2025-12-10_haverisenosku/un.xml")
    second = ensure_links(engine)
    with engine.connect() as conn:
        new_un = {v.list_key: v.id for v in active_versions(conn)}["un_sc"]
        changed = hashes(conn, new_un) - hashes(conn, old_un)
        assert second.computed and second.notes["keys_derived"] == len(changed) < 100
        assert stored_groups(conn) == fresh_groups(conn) and second.group_count > 500

    # Keys derived by other rules are derived again, with the same groups.
    with engine.begin() as conn:
        stale = conn.execute(update(link_keys).where(link_keys.c.record_hash.in_(sorted(changed) or ["-"]))
                             .values(rules_version="0")).rowcount
        stale += conn.execute(update(link_keys).where(link_keys.c.record_hash.in_(
            select(version_entities.c.record_hash).where(version_entities.c.entity_id == "au_dfat-1113")))
            .values(rules_version="0")).rowcount
    assert stale >= 1
    third = compute_links(engine)
    assert third.notes["keys_derived"] == stale
    with engine.connect() as conn:
        assert set(conn.execute(select(link_keys.c.rules_version)).scalars()) == {RULES_VERSION}
        assert stored_groups(conn) == fresh_groups(conn)
    engine.dispose()
