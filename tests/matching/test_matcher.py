"""The Matcher on a small hand-built list: retrieval, attributes, name kinds, explanations."""

from __future__ import annotations

import json

import pytest

from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query, explain_text
from tradeguard.matching.index import keys_needed
from tradeguard.model import Entity, Identifier, Name


def person(sid: str, *names: tuple[str, str], dob: list[str] | None = None, nat: list[str] | None = None) -> Entity:
    return Entity(
        list="test", source_id=sid, schema="Person", names=[Name(v, k) for v, k in names],
        birth_dates=dob or [], nationalities=nat or [],
    )


ENTITIES = [
    person("p1", ("Aleksei Sergeyevich KOLOBANOV", "primary"), ("Алексей Сергеевич Колобанов", "original_script"),
           dob=["1970-05-02"], nat=["ru"]),
    person("p2", ("HABBASH, George", "primary"), dob=["1926"]),
    person("p3", ("Xi Jinping", "primary"), ("习近平", "original_script")),
    person("p4", ("Ivan Petrovich SUVOROV", "primary"), ("Vanya", "weak_alias"), dob=["1965-01-01"]),
    person("p5", ("Mohammed Ali BARAKZAI", "primary"), dob=["1980"]),
    Entity(list="test", source_id="o1", schema="Company", names=[Name("SIS d.o.o.", "primary")], countries=["rs"]),
    Entity(list="test", source_id="o2", schema="Company", names=[Name("EMMA LLC", "primary")]),
    Entity(list="test", source_id="o3", schema="Organization",
           names=[Name("NORTHERN PRECISION GROUP (NPG)", "primary"), Name("Old Industries Group", "former")]),
    Entity(list="test", source_id="v1", schema="Vessel", names=[Name("SNOW STORM 2", "primary")],
           identifiers=[Identifier("imo", "IMO 9929429")]),
    Entity(list="test", source_id="v2", schema="Vessel", names=[Name("ALEKSEI KOLOBANOV", "primary")]),
    Entity(list="test", source_id="o4", schema="Company",
           names=[Name("LIMITED LIABILITY COMPANY KOLOBANOVO OZERO MANAGEMENT", "primary")]),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ENTITIES)


def ids(matches: list) -> list[str]:  # type: ignore[type-arg]
    return [m.entity.source_id for m in matches]


def test_len_and_empty_query(matcher: Matcher) -> None:
    assert len(matcher) == len(ENTITIES)
    assert matcher.match(Query("")) == []
    assert matcher.match(Query("...")) == []


def test_issue_examples_through_the_matcher(matcher: Matcher) -> None:
    assert ids(matcher.match(Query("SIS DOO"))) == ["o1"]
    assert ids(matcher.match(Query("emma daniels"))) == []
    assert ids(matcher.match(Query("George Bush", "Person"))) == []
    assert ids(matcher.match(Query("习近平", "Person"))) == ["p3"]
    assert ids(matcher.match(Query("Xi Jinping", "Person"))) == ["p3"]
    assert ids(matcher.match(Query("Snow Storm 1", "Vessel"))) == []
    assert ids(matcher.match(Query("Snow Storm 2", "Vessel"))) == ["v1"]


def test_a_person_query_does_not_hit_a_vessel(matcher: Matcher) -> None:
    found = matcher.match(Query("Aleksei Kolobanov", "Person"), threshold=0.3)
    by_id = {m.entity.source_id: m for m in found}
    assert by_id["p1"].score >= DEFAULT_THRESHOLD
    assert "v2" not in by_id or by_id["v2"].score < DEFAULT_THRESHOLD
    assert by_id["v2"].explanation["schema"]["result"] == "conflict"
    # Without a schema both are returned.
    assert {"p1", "v2"} <= set(ids(matcher.match(Query("Aleksei Kolobanov"))))


def test_birth_date_exact_one_year_and_far(matcher: Matcher) -> None:
    name = "Ivan Petrovich SUVOROV"
    plain = matcher.match(Query(name, "Person"))[0]
    exact = matcher.match(Query(name, "Person", birth_date="1965-01-01"))[0]
    off_one = matcher.match(Query(name, "Person", birth_date="1966"))[0]
    far = matcher.match(Query(name, "Person", birth_date="1990-03-04"), threshold=0.5)[0]
    assert exact.explanation["birth_date"]["result"] == "exact"
    assert off_one.explanation["birth_date"]["result"] == "one_year"
    assert far.explanation["birth_date"]["result"] == "far"
    # A fuzzy name gains from an exact date; an exact name off by a year still alerts.
    fuzzy = matcher.match(Query("Ivan SUVOROFF", "Person"), threshold=0.3)[0]
    fuzzy_dob = matcher.match(Query("Ivan SUVOROFF", "Person", birth_date="1965-01-01"), threshold=0.3)[0]
    assert fuzzy_dob.score > fuzzy.score
    assert off_one.score >= DEFAULT_THRESHOLD and off_one.score < plain.score
    # Far off lowers the score but the strong name match comes back.
    assert far.entity.source_id == "p4" and far.score < off_one.score
    assert far.score >= DEFAULT_THRESHOLD


def test_identifier_match_is_strong_evidence(matcher: Matcher) -> None:
    hit = matcher.match(Query("Completely Renamed Ship", "Vessel", identifiers=["IMO 9929429"]))
    assert ids(hit) == ["v1"]
    assert hit[0].explanation["identifiers"]["result"] == "match"
    assert ids(matcher.match(Query("Other Ship", "Vessel", identifiers=["9929429"]))) == ["v1"]
    clash = matcher.match(Query("Snow Storm 2", "Vessel", identifiers=["IMO 1234567"]), threshold=0.3)
    assert clash[0].explanation["identifiers"]["result"] == "conflict"


def test_country_agreement(matcher: Matcher) -> None:
    agree = matcher.match(Query("SIS DOO", country="Serbia"))[0]
    differ = matcher.match(Query("SIS DOO", country="fr"))[0]
    assert agree.explanation["country"]["result"] == "agree"
    assert differ.explanation["country"]["result"] == "differ"
    assert agree.score >= differ.score


def test_weak_alias_policy(matcher: Matcher) -> None:
    alone = matcher.match(Query("Vanya", "Person"), threshold=0.3)
    assert alone[0].name_kind == "weak_alias"
    assert alone[0].score < DEFAULT_THRESHOLD  # a weak alias alone does not alert
    lifted = matcher.match(Query("Vanya", "Person", birth_date="1965-01-01"))
    assert ids(lifted) == ["p4"]


def test_name_kinds_and_bracketed_parts(matcher: Matcher) -> None:
    sig = matcher.match(Query("N.P.G.", "Organization"))
    assert ids(sig) == ["o3"] and sig[0].matched_name == "NORTHERN PRECISION GROUP (NPG)"
    former = matcher.match(Query("Old Industries Group"))
    assert former[0].name_kind == "former"
    original = matcher.match(Query("Алексей Сергеевич Колобанов", "Person"))
    assert original[0].entity.source_id == "p1"


def test_truncated_query(matcher: Matcher) -> None:
    cut = "LIMITED LIABILITY COMPANY KOLOBANO"  # cut by a 35-character field
    found = matcher.match(Query(cut, "Company"))
    assert ids(found) == ["o4"]
    assert found[0].explanation["name"]["truncated_after"].endswith("kolobanovo")
    # A short query is never read as cut.
    assert ids(matcher.match(Query("KOLOBANO", "Company"))) == []


def _cut_within_legal_form(m: Matcher) -> dict[str, list[str]]:
    return {cut: ids(m.match(Query(cut, "Company"))) for cut in (
        "FEDERAL STATE BUDGETARY INSTITUTION",  # all that is left is the legal form
        "FEDERAL STATE AUTONOMOUS INSTITUTIO",  # ... cut inside its last word
        "NORDLAND TRADING AND TRANSPORT COMP",  # the name, and a legal form cut short
    )}


def test_a_name_cut_within_its_legal_form_is_retrieved(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Legal-form words are not in the index's postings (they identify nobody), yet a
    35-character field can cut a long name inside them; the scorer reads such a query as
    the list name cut short, and the index must retrieve what the scorer would find."""
    listed = [
        Entity(list="test", source_id="b1", schema="Company",
               names=[Name("FEDERAL STATE BUDGETARY INSTITUTION NORTHERN LIGHTS OBSERVATORY", "primary")]),
        Entity(list="test", source_id="a1", schema="Company",
               names=[Name("FEDERAL STATE AUTONOMOUS INSTITUTION POLAR TECHNOPARK", "primary")]),
        Entity(list="test", source_id="t1", schema="Company",
               names=[Name("NORDLAND TRADING AND TRANSPORT COMPANY", "primary")]),
        Entity(list="test", source_id="u1", schema="Company",
               names=[Name("FEDERAL STATE UNITARY ENTERPRISE BALTIC SHIPYARD", "primary")]),
    ]
    want = {
        "FEDERAL STATE BUDGETARY INSTITUTION": ["b1"],
        "FEDERAL STATE AUTONOMOUS INSTITUTIO": ["a1"],
        "NORDLAND TRADING AND TRANSPORT COMP": ["t1"],
    }
    built = Matcher(listed)
    assert _cut_within_legal_form(built) == want
    found = built.match(Query("FEDERAL STATE BUDGETARY INSTITUTION", "Company"))[0]
    assert found.explanation["name"]["truncated_after"] == "federal state budgetary institution"
    # Nothing of the name itself is left: an alert, but below a hit on the name.
    assert {"what": "cut_within_legal_form", "factor": 0.88} in found.explanation["name"]["penalties"]
    assert DEFAULT_THRESHOLD <= found.score < 0.9
    uncut = built.match(Query("NORDLAND TRADING AND TRANSPORT COMP", "Company"))[0]
    assert uncut.score > 0.9 and "cut_within_legal_form" not in str(uncut.explanation)
    # The index saved and opened again retrieves them the same way.
    built.save(tmp_path / "index")
    assert _cut_within_legal_form(Matcher.open(tmp_path / "index")) == want
    # An uncut query made of a legal form alone is not a name.
    assert ids(built.match(Query("STATE INSTITUTION", "Company"))) == []


def test_a_batch_builds_the_keys_of_other_scripts_before_it_forks() -> None:
    """Matcher.prepare_batch builds the keys names in other scripts are looked up by (once,
    in the parent of a batch's workers) only when the batch holds such a name, and the
    matches are those the keys built on the first query give."""
    fresh, prepared = Matcher(ENTITIES), Matcher(ENTITIES)
    prepared.prepare_batch([Query("Ivan SUVOROV", "Person"), Query("José MARTÍ", "Person"),
                            Query("Nguyễn Văn Thiệu", "Person")])
    index = prepared.index
    assert index.cross is None and index.heard is None and not index.loans  # a Latin batch: nothing built
    # Only what the batch's scripts look up: a Cyrillic name is read by its sound.
    prepared.prepare_batch([Query("Алексей Колобанов", "Person")])
    assert index.heard is not None and index.cross is None and not index.loans
    queries = [Query("Алексей Колобанов", "Person"), Query("محمد علي باركزي", "Person"), Query("習近平", "Person")]
    prepared.prepare_batch(queries)
    assert index.cross is not None and index.cross_pairs is not None and index.syllables is not None
    assert not index.loans  # no kana, no Hangul, no Chinese transcription (習近平 is a Chinese name)
    prepared.prepare_batch([Query("ロバート", "Person"), Query("최룡해", "Person")])
    assert set(index.loans) == {"j", "k"}
    assert keys_needed(["默克尔"]) == {"cross", "c", "items"}  # a transcription: its loan keys and name items
    prepared.prepare_batch([Query("默克尔", "Person")])
    assert set(index.loans) == {"j", "k", "c"}
    for query in queries:
        assert [(m.entity.source_id, m.score) for m in prepared.match(query)] == \
            [(m.entity.source_id, m.score) for m in fresh.match(query)]


def test_a_cut_name_ranks_first_the_names_that_start_like_it() -> None:
    """'LIMITED LIABILITY COMPANY "TRADING ' (35 characters): of the many names holding
    "trading", retrieval ranks first those that start with it and hold the same legal form,
    though they are longer than "X TRADING"."""
    words = ["ALDER", "BIRCH", "CEDAR", "DAPHNE", "ELM", "FIR", "GORSE", "HAZEL", "IVY", "JUNIPER", "LARCH", "MAPLE"]
    listed = [Entity(list="t", source_id=f"s{i}", schema="Company", names=[Name(f"{w} TRADING", "primary")])
              for i, w in enumerate(words)]
    listed.append(Entity(list="t", source_id="cut", schema="Company",
                         names=[Name('LIMITED LIABILITY COMPANY "TRADING HOUSE NORDVIK"', "primary")]))
    m = Matcher(listed)
    cut = 'LIMITED LIABILITY COMPANY "TRADING '
    assert [e.source_id for e in m.candidates(Query(cut, "Company"), limit=1)] == ["cut"]
    assert ids(m.match(Query(cut, "Company"), limit=1)) == ["cut"]


def test_a_first_initial_ranks_the_names_whose_first_given_name_it_starts() -> None:
    """'S. HADDAD': of many Haddads holding an S-name, the one whose first given name starts
    with S is the one the scorer can align the initial with; retrieval ranks it first even
    when its name is longer than the others'."""
    others = [person(f"h{i}", (f"{given} Samir HADDAD", "primary")) for i, given in
              enumerate(["Rana", "Omar", "Hala", "Qusay", "Uday", "Raghad", "Ali", "Nabil"])]
    target = person("s1", ("Salim Omar Khalil Yusuf HADDAD", "primary"))
    m = Matcher([*others, target])
    assert [e.source_id for e in m.candidates(Query("S. HADDAD", "Person"), limit=1)] == ["s1"]
    assert ids(m.match(Query("S. HADDAD", "Person"), limit=1, threshold=0.5)) == ["s1"]

def test_explanation_content(matcher: Matcher) -> None:
    m = matcher.match(Query("Dr. Aleksey KOLOBANOV", "Person", birth_date="1970-05-02", country="ru"))[0]
    expl = m.explanation
    json.dumps(expl)
    assert expl["score"] == m.score
    # The Cyrillic original-script name (BGN "Aleksey ... Kolobanov") is the best hit.
    assert expl["name"]["kind"] == "original_script" and expl["name"]["matched"] == m.matched_name
    hows = {t["query"]: t["how"] for t in expl["name"]["tokens"]}
    assert hows == {"aleksey": "exact", "kolobanov": "exact"}
    assert expl["name"]["unmatched_list"] == ["sergeyevich"]  # the patronymic left out
    assert expl["name"]["ignored_query"] == ["dr (title)"]
    assert expl["birth_date"]["result"] == "exact" and expl["country"]["result"] == "agree"
    assert expl["schema"]["result"] == "agree"
    assert "features" in expl and expl["features"]["name"] > 0
    text = explain_text(expl)
    assert "birth date exact" in text and "dr (title)" not in text


def test_limit_threshold_and_order(matcher: Matcher) -> None:
    loose = matcher.match(Query("Aleksei Kolobanov"), threshold=0.1, limit=50)
    scores = [m.score for m in loose]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= 0.1 for s in scores)
    assert len(matcher.match(Query("Aleksei Kolobanov"), threshold=0.1, limit=1)) == 1


def test_candidates_come_from_the_index(matcher: Matcher) -> None:
    got = {e.source_id for e in matcher.candidates(Query("Mohamad Ali Barakzay", "Person"))}
    assert "p5" in got
    assert "o1" not in got  # nothing in common: never scanned


def test_a_particle_in_a_query_without_schema_does_not_hide_the_person() -> None:
    # A query with no schema keeps "bin" as a name word; the person's list name holds it as
    # a particle, which the index leaves out. The index's bound must not drop the name
    # before it is scored (it did at 0.80 and above, though the score is 0.93).
    hamza = Entity(list="test", source_id="p9", schema="Person",
                   names=[Name("HAMZA USAMA MUHAMMAD BIN LADEN", "primary")])
    other = Entity(list="test", source_id="p8", schema="Person", names=[Name("Hamza Ali", "primary")])
    m = Matcher([hamza, other])
    for schema in (None, "LegalEntity", "Person"):
        found = m.match(Query(name="HAMZA BIN LADEN", schema=schema), threshold=0.8)
        assert [x.entity.source_id for x in found] == ["p9"], schema
        assert found[0].score >= 0.8


def test_a_name_with_a_legal_form_is_scored_as_an_organisation() -> None:
    # "Bakker B.V." is a company: with no schema (or LegalEntity) it must not take a listed
    # person's alias "ABU BAQER" for itself; a schema the caller gives is kept.
    person = Entity(list="test", source_id="p1", schema="Person", names=[Name("ABU BAQER", "alias")])
    company = Entity(list="test", source_id="c1", schema="Company", names=[Name("BAKKER", "primary")])
    m = Matcher([person, company])
    for schema in (None, "LegalEntity"):
        found = {x.entity.source_id: x for x in m.match(Query(name="Bakker B.V.", schema=schema), threshold=0.5)}
        assert found["c1"].explanation["schema"]["query"] == "Organization"
        assert "p1" not in found or found["p1"].score < 0.7, schema
    found = m.match(Query(name="Bakker B.V.", schema="Person"), threshold=0.5)
    assert found[0].explanation["schema"]["query"] == "Person"
    unnamed = {x.entity.source_id: x.score for x in m.match(Query(name="Abu Baqer"), threshold=0.5)}
    assert unnamed.get("p1", 0.0) >= 0.8  # no legal form: no schema is assumed


def test_a_retrieved_entity_is_scored_on_all_its_names() -> None:
    # Retrieval keeps the best-bounded names, not entities: here 120 other people share
    # two of the query's names, so the target's alias ("BIN AL SHIBH") misses the cut
    # while its weaker primary name is retrieved. The match must still be scored on
    # the alias, as scoring every name of the entity does.
    names = [Name("OMAR, Rayan Marwan Abdullah", "primary"), Name("BIN AL SHIBH, Rayan", "alias")]
    entities = [Entity(list="t", source_id="target", schema="Person", names=names)]
    for n in range(120):
        entities.append(Entity(list="t", source_id=f"o{n}", schema="Person",
                               names=[Name(f"Rayan {['Saleh', 'Karimi', 'Haddad'][n % 3]} Abdullah {n}", "primary")]))
    m = Matcher(entities)
    query = Query("ريان مروان عبد الله بن الشيبة", "Person")
    found = {x.entity.source_id: x for x in m.match(query, limit=5, threshold=0.5)}
    exhaustive = dict(m.score_entities(query, [0]))[0]
    assert "target" in found and found["target"].score == pytest.approx(exhaustive, abs=1e-4)
    assert found["target"].matched_name == "BIN AL SHIBH, Rayan"


def test_a_list_name_of_initials_is_found_by_its_initials() -> None:
    """Lists write some persons with initials only ("KATKOV D. L."): retrieval counts the
    query's initials as reaching them, as the scorer meets them, so the bound keeps them."""
    others = [person(f"k{i}", (f"KATKOV {given}", "primary")) for i, given in enumerate(["Pavel", "Oleg", "Ilya"])]
    m = Matcher([*others, person("kdl", ("KATKOV D. L.", "primary"))])
    assert ids(m.match(Query("KATKOV D. L.", "Person"))) == ["kdl"]
    assert ids(m.match(Query("КАТКОВ Д. Л.", "Person"))) == ["kdl"]


def test_three_words_written_as_one_are_found_either_way() -> None:
    """Lists write Arabic compounds with their article apart or run together ("Abd el Aziz",
    "ABDELAZIZ"); a name whose only link is that word is retrieved through the joined key."""
    others = [person(f"a{i}", (f"Abd el Karim {s}", "primary")) for i, s in enumerate(["Haddad", "Saleh"])]
    m = Matcher([*others, person("t1", ("ABDELAZIZ", "primary")), person("t2", ("Abd el Rahman", "primary"))])
    assert ids(m.match(Query("Abd el Aziz", "Person"))) == ["t1"]
    assert ids(m.match(Query("Abdelrahman", "Person"))) == ["t2"]
