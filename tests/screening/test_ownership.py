"""The 50 percent rule per regime: OFAC's published examples, EU/UK differences, boundaries,
cycles, unknown shares and ranges, control, paths, caution flags, inputs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tradeguard.model import Entity, Name, Relation
from tradeguard.screening.ownership import (
    OPEN_EPS,
    UNKNOWN_SHARE,
    Edge,
    OwnershipGraph,
    OwnershipResult,
    compute_blocked,
    edges_from_entities,
    load_edges_csv,
    parse_bool,
    parse_share,
)
from tradeguard.sources.base import SourceError


def E(owner: str, owned: str, share: str | None = None, **kw: object) -> Edge:
    return Edge(owner, owned, parse_share(share), **kw)  # type: ignore[arg-type]


def statuses(edges: list[Edge], listed: set[str], regime: str = "ofac") -> dict[str, str]:
    return {r.entity: r.status for r in compute_blocked(edges, listed, regime)}


def result(
    edges: list[Edge], listed: set[str], entity: str, regime: str = "ofac", **kw: object
) -> OwnershipResult:
    for r in compute_blocked(edges, listed, regime, **kw):  # type: ignore[arg-type]
        if r.entity == entity:
            return r
    raise AssertionError(f"{entity} not in results")


# --- OFAC's published examples (FAQ 401 and the 2014 revised guidance) --------------------


@pytest.mark.parametrize("regime", ["ofac", "eu"])
def test_ofac_example_chain(regime: str) -> None:
    # X owns 50% of A, A owns 50% of B: A and B are blocked.
    got = statuses([E("X", "A", "50"), E("A", "B", "50")], {"X"}, regime)
    assert got == {"X": "blocked", "A": "blocked", "B": "blocked"}


@pytest.mark.parametrize("regime", ["ofac", "eu"])
def test_ofac_example_two_subsidiaries_aggregate(regime: str) -> None:
    # X owns 50% of A and of B; A and B each own 25% of C: C is blocked.
    edges = [E("X", "A", "50"), E("X", "B", "50"), E("A", "C", "25"), E("B", "C", "25")]
    assert statuses(edges, {"X"}, regime)["C"] == "blocked"


@pytest.mark.parametrize("regime", ["ofac", "eu"])
def test_ofac_example_direct_and_indirect(regime: str) -> None:
    # X owns 50% of A and 10% of B; A owns 40% of B: B is blocked (10 + 40).
    edges = [E("X", "A", "50"), E("X", "B", "10"), E("A", "B", "40")]
    assert statuses(edges, {"X"}, regime)["B"] == "blocked"


@pytest.mark.parametrize("regime", ["ofac", "eu", "uk"])
def test_ofac_example_never_multiplied_but_minority_owners_do_not_count(regime: str) -> None:
    # X owns 25% of A and 25% of B; A and B each own 50% of C: C is NOT blocked,
    # because A and B are not blocked (and X's stakes are not traced through them).
    edges = [E("X", "A", "25"), E("X", "B", "25"), E("A", "C", "50"), E("B", "C", "50")]
    got = statuses(edges, {"X"}, regime)
    assert got == {"X": "blocked", "A": "not_blocked", "B": "not_blocked", "C": "not_blocked"}


def test_uk_needs_more_than_half_so_the_first_example_does_not_block() -> None:
    got = statuses([E("X", "A", "50"), E("A", "B", "50")], {"X"}, "uk")
    assert got == {"X": "blocked", "A": "not_blocked", "B": "not_blocked"}
    got = statuses([E("X", "A", "51"), E("A", "B", "51")], {"X"}, "uk")
    assert got == {"X": "blocked", "A": "blocked", "B": "blocked"}


# --- aggregation across designated persons ------------------------------------------------


def test_eu_and_ofac_aggregate_different_designees() -> None:
    edges = [E("X", "C", "30"), E("Y", "C", "25")]
    assert statuses(edges, {"X", "Y"}, "eu")["C"] == "blocked"
    assert statuses(edges, {"X", "Y"}, "ofac")["C"] == "blocked"


def test_uk_does_not_aggregate_without_joint_arrangement() -> None:
    edges = [E("X", "C", "25"), E("Y", "C", "26")]
    r = result(edges, {"X", "Y"}, "C", "uk")
    assert r.status == "not_blocked"
    kinds = {f.kind for f in r.caution}
    assert "aggregate_not_counted" in kinds  # 51% together is worth a reviewer's look
    assert r.held_low == pytest.approx(26.0)


def test_uk_aggregates_joint_arrangements() -> None:
    edges = [E("X", "C", "25", joint=True), E("Y", "C", "26", joint=True)]
    r = result(edges, {"X", "Y"}, "C", "uk")
    assert r.status == "blocked"
    assert sorted(step.owner for chain in r.paths for step in chain) == ["X", "Y"]
    # Only one of the two marked joint: no aggregation.
    edges = [E("X", "C", "25", joint=True), E("Y", "C", "26")]
    assert statuses(edges, {"X", "Y"}, "uk")["C"] == "not_blocked"


def test_uk_joint_exactly_half_is_not_more_than_half() -> None:
    edges = [E("X", "C", "25", joint=True), E("Y", "C", "25", joint=True)]
    assert statuses(edges, {"X", "Y"}, "uk")["C"] == "not_blocked"


# --- boundaries -----------------------------------------------------------------------------


@pytest.mark.parametrize("regime", ["ofac", "eu"])
def test_boundary_49_99_not_blocked_50_blocked(regime: str) -> None:
    assert statuses([E("X", "A", "49.99")], {"X"}, regime)["A"] == "not_blocked"
    assert statuses([E("X", "A", "50")], {"X"}, regime)["A"] == "blocked"
    assert statuses([E("X", "A", "24.99"), E("Y", "A", "25")], {"X", "Y"}, regime)["A"] == "not_blocked"


def test_boundary_float_sums() -> None:
    # 10.3 + 33.3 + 6.4 is 49.99999999999999 in binary floating point; it must count as 50.
    edges = [E("X", "A", "10.3"), E("Y", "A", "33.3"), E("Z", "A", "6.4")]
    assert statuses(edges, {"X", "Y", "Z"}, "ofac")["A"] == "blocked"
    edges = [E("X", "A", "16.7"), E("Y", "A", "16.65"), E("Z", "A", "16.65")]
    assert statuses(edges, {"X", "Y", "Z"}, "eu")["A"] == "blocked"


def test_uk_boundary_exactly_50_not_blocked() -> None:
    assert statuses([E("X", "A", "50")], {"X"}, "uk")["A"] == "not_blocked"
    assert statuses([E("X", "A", "50.01")], {"X"}, "uk")["A"] == "blocked"


# --- cycles -----------------------------------------------------------------------------------


def test_cycle_blocked_from_a_listed_owner() -> None:
    # A and B own each other; X owns 50% of A.
    edges = [E("X", "A", "50"), E("A", "B", "60"), E("B", "A", "40")]
    rs = {r.entity: r for r in compute_blocked(edges, {"X"}, "ofac")}
    assert {k: r.status for k, r in rs.items()} == {"X": "blocked", "A": "blocked", "B": "blocked"}
    # Paths never go round the cycle: A is blocked by X alone, B through A.
    steps = lambda r: [[(s.owner, s.owned) for s in chain] for chain in r.paths]  # noqa: E731
    assert steps(rs["A"]) == [[("X", "A")]]
    assert steps(rs["B"]) == [[("X", "A"), ("A", "B")]]


def test_cycle_without_designated_person_is_not_blocked() -> None:
    # The least fixed point: a ring of mutual majority stakes blocks nobody.
    edges = [E("C", "D", "60"), E("D", "E", "60"), E("E", "C", "60")]
    got = statuses(edges, {"Z"}, "ofac")
    assert set(got.values()) == {"not_blocked"}


def test_cycle_that_would_only_block_itself() -> None:
    # X holds 30% of A; B holds 30% of A; A holds 60% of B. A would be blocked only if B
    # were, and B only if A were: neither is.
    edges = [E("X", "A", "30"), E("B", "A", "30"), E("A", "B", "60")]
    got = statuses(edges, {"X"}, "ofac")
    assert got["A"] == "not_blocked" and got["B"] == "not_blocked"


def test_self_ownership_is_harmless() -> None:
    edges = [E("A", "A", "100"), E("X", "B", "20")]
    got = statuses(edges, {"X"}, "ofac")
    assert got["A"] == "not_blocked" and got["B"] == "not_blocked"


# --- three-valued: unknown shares and ranges ---------------------------------------------------


def test_unknown_share_cannot_exclude_and_propagates() -> None:
    edges = [E("X", "A", None), E("A", "B", "60"), E("A", "C", "10"), E("A", "D", None)]
    got = statuses(edges, {"X"}, "ofac")
    assert got["A"] == "cannot_exclude"
    assert got["B"] == "cannot_exclude"  # its owner may be blocked and holds 60%
    assert got["C"] == "not_blocked"  # even if A is blocked, 10% is not enough
    assert got["D"] == "cannot_exclude"


def test_unknown_share_from_unlisted_owner_does_not_count() -> None:
    edges = [E("X", "A", "40"), E("Q", "A", "unknown")]
    assert statuses(edges, {"X"}, "ofac")["A"] == "not_blocked"
    # ... but it does when Q may itself be blocked.
    edges.append(E("X", "Q", None))
    got = statuses(edges, {"X"}, "ofac")
    assert got["Q"] == "cannot_exclude" and got["A"] == "cannot_exclude"


def test_cannot_exclude_path_shows_the_uncertain_chain() -> None:
    r = result([E("X", "A", "?"), E("A", "B", "60")], {"X"}, "B", "ofac")
    assert r.status == "cannot_exclude"
    assert [[s.step() for s in chain] for chain in r.paths] == [
        [
            {"owner": "X", "owned": "A", "share": "unknown"},
            {"owner": "A", "owned": "B", "share": "60"},
        ]
    ]
    assert r.held_low == 0.0 and r.held_high == pytest.approx(60.0)


@pytest.mark.parametrize(
    ("share", "ofac", "uk"),
    [
        ("25-50", "cannot_exclude", "not_blocked"),  # at most 50: never more than 50
        ("25-49", "not_blocked", "not_blocked"),
        ("50-75", "blocked", "cannot_exclude"),
        ("51-75", "blocked", "blocked"),
        (">50", "blocked", "blocked"),
        (">=50", "blocked", "cannot_exclude"),
        ("<50", "not_blocked", "not_blocked"),
        ("<=50", "cannot_exclude", "not_blocked"),
        ("majority", "blocked", "blocked"),
        ("minority", "not_blocked", "not_blocked"),
        ("25% to 60%", "cannot_exclude", "cannot_exclude"),
    ],
)
def test_ranges(share: str, ofac: str, uk: str) -> None:
    assert statuses([E("X", "A", share)], {"X"}, "ofac")["A"] == ofac
    assert statuses([E("X", "A", share)], {"X"}, "uk")["A"] == uk


def test_ranges_add_up_by_bounds() -> None:
    # 20-30 + 20-30: at least 40, at most 60 -> cannot exclude under OFAC.
    edges = [E("X", "A", "20-30"), E("Y", "A", "20-30")]
    r = result(edges, {"X", "Y"}, "A", "ofac")
    assert r.status == "cannot_exclude"
    assert (r.held_low, r.held_high) == (pytest.approx(40.0), pytest.approx(60.0))


# --- control ------------------------------------------------------------------------------------


def test_control_counts_in_eu_and_uk_not_ofac() -> None:
    edges = [E("X", "A", "10", control=True)]
    assert statuses(edges, {"X"}, "eu")["A"] == "blocked"
    assert statuses(edges, {"X"}, "uk")["A"] == "blocked"
    r = result(edges, {"X"}, "A", "ofac")
    assert r.status == "not_blocked"
    assert [f.kind for f in r.caution] == ["control_not_counted"]


def test_control_propagates_down_in_eu() -> None:
    edges = [E("X", "A", None, control=True), E("A", "B", "60")]
    r = result(edges, {"X"}, "B", "eu")
    assert r.status == "blocked"
    assert [[s.step() for s in chain] for chain in r.paths] == [
        [
            {"owner": "X", "owned": "A", "share": "unknown", "control": True},
            {"owner": "A", "owned": "B", "share": "60"},
        ]
    ]
    # OFAC: the control edge has no stated share, so 50% cannot be excluded.
    assert statuses(edges, {"X"}, "ofac")["A"] == "cannot_exclude"


def test_control_by_a_cannot_exclude_owner_is_cannot_exclude() -> None:
    edges = [E("X", "A", None), E("A", "B", "0", control=True)]
    got = statuses(edges, {"X"}, "uk")
    assert got["A"] == "cannot_exclude" and got["B"] == "cannot_exclude"


# --- paths -------------------------------------------------------------------------------------


def test_paths_for_the_aggregation_example() -> None:
    edges = [E("X", "A", "50"), E("X", "B", "50"), E("A", "C", "25"), E("B", "C", "25")]
    r = result(edges, {"X"}, "C")
    assert r.to_dict()["paths"] == [
        [{"owner": "X", "owned": "A", "share": "50"}, {"owner": "A", "owned": "C", "share": "25"}],
        [{"owner": "X", "owned": "B", "share": "50"}, {"owner": "B", "owned": "C", "share": "25"}],
    ]


def test_paths_for_direct_and_indirect() -> None:
    edges = [E("X", "A", "50"), E("X", "B", "10"), E("A", "B", "40")]
    paths = [[(s.owner, s.owned, s.share.label) for s in chain] for chain in result(edges, {"X"}, "B").paths]
    assert sorted(paths) == sorted([
        [("X", "A", "50"), ("A", "B", "40")],
        [("X", "B", "10")],
    ])


def test_listed_and_not_blocked_have_no_paths() -> None:
    rs = {r.entity: r for r in compute_blocked([E("X", "A", "10")], {"X"}, "ofac")}
    assert rs["X"].listed and rs["X"].status == "blocked" and rs["X"].paths == []
    assert not rs["A"].listed and rs["A"].paths == []
    # A listed entity owned by another listed one is blocked in its own right: no path.
    rs = {r.entity: r for r in compute_blocked([E("X", "Y", "60")], {"X", "Y"}, "ofac")}
    assert rs["Y"].listed and rs["Y"].paths == [] and rs["Y"].detail == "designated (listed)"


def test_to_dict_shape() -> None:
    d = result([E("X", "A", "60", source="user.csv", date="2024-01-02")], {"X"}, "A").to_dict()
    assert set(d) >= {"entity", "status", "listed", "paths"}
    assert d["entity"] == "A" and d["status"] == "blocked" and d["listed"] is False
    assert d["paths"] == [[{"owner": "X", "owned": "A", "share": "60", "source": "user.csv",
                            "date": "2024-01-02"}]]
    assert "60%" in d["detail"] and "OFAC" in d["detail"]


def test_deep_chain_is_linear() -> None:
    n = 20_000
    edges = [E(f"n{i}", f"n{i + 1}", "100") for i in range(n)]
    t0 = time.perf_counter()
    rs = compute_blocked(edges, {"n0"}, "ofac")
    assert all(r.status == "blocked" for r in rs)
    assert len(rs[-1].paths[0]) == n
    assert time.perf_counter() - t0 < 10


# --- caution flags ----------------------------------------------------------------------------


def test_caution_flag_at_25_percent() -> None:
    r = result([E("X", "A", "25")], {"X"}, "A", "ofac")
    assert r.status == "not_blocked"
    assert [(f.kind, f.owner, f.share, f.owner_status) for f in r.caution] == [
        ("minority_stake", "X", "25", "blocked")
    ]
    assert result([E("X", "A", "24.9")], {"X"}, "A", "ofac").caution == []
    assert result([E("X", "A", "10")], {"X"}, "A", "ofac", caution_share=10.0).caution != []


def test_no_caution_on_blocked_entities() -> None:
    assert result([E("X", "A", "60")], {"X"}, "A").caution == []


# --- graph building ----------------------------------------------------------------------------


def test_duplicate_statements_latest_date_wins() -> None:
    edges = [E("X", "A", "60", date="2020-01-01"), E("X", "A", "30", date="2023-05-01")]
    assert statuses(edges, {"X"})["A"] == "not_blocked"
    edges.reverse()
    assert statuses(edges, {"X"})["A"] == "not_blocked"


def test_duplicate_statements_are_not_added_up() -> None:
    # The same 30% stated by two sources is one 30% stake, not 60%.
    edges = [E("X", "A", "30", source="a"), E("X", "A", "30", source="b")]
    r = result(edges, {"X"}, "A")
    assert r.status == "not_blocked"
    # Sources that disagree: cannot exclude.
    edges = [E("X", "A", "30"), E("X", "A", "60")]
    assert statuses(edges, {"X"})["A"] == "cannot_exclude"


def test_names_differing_in_case_and_spacing_are_one_node() -> None:
    edges = [E("ACME  Holdings", "Widget Ltd", "60"), E("acme holdings", "Gadget Ltd", "60")]
    got = statuses(edges, {" Acme Holdings "})
    assert got == {"ACME Holdings": "blocked", "Widget Ltd": "blocked", "Gadget Ltd": "blocked"}


def test_prebuilt_graph_reused_across_regimes() -> None:
    g = OwnershipGraph.build([E("X", "A", "50"), E("A", "B", "50")])
    assert len(g) == 3 and g.edge_count == 2
    assert [r.status for r in compute_blocked(g, {"X"}, "ofac")] == ["blocked"] * 3
    assert [r.status for r in compute_blocked(g, {"X"}, "uk")] == ["blocked", "not_blocked", "not_blocked"]


def test_unknown_regime() -> None:
    with pytest.raises(ValueError, match="unknown regime"):
        compute_blocked([], set(), "un")


# --- shares -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "label"),
    [
        ("50", 50, 50, "50"),
        ("50%", 50, 50, "50"),
        ("50 %", 50, 50, "50"),
        ("50 percent", 50, 50, "50"),
        ("12.25", 12.25, 12.25, "12.25"),
        ("50,5", 50.5, 50.5, "50.5"),
        ("0.5", 50, 50, "50"),  # a fraction
        (".5", 50, 50, "50"),
        ("1.0", 100, 100, "100"),
        ("1", 1, 1, "1"),  # no decimal point: percent
        ("0.5%", 0.5, 0.5, "0.5"),  # percent sign: percent
        ("0", 0, 0, "0"),
        ("25-50", 25, 50, "25-50"),
        ("25 – 50", 25, 50, "25-50"),
        ("25% to 50%", 25, 50, "25-50"),
        ("between 25 and 50", 25, 50, "25-50"),
        ("0.25-0.5", 25, 50, "25-50"),
        (">50", 50 + OPEN_EPS, 100, ">50"),
        ("over 50%", 50 + OPEN_EPS, 100, ">50"),
        (">= 50", 50, 100, ">=50"),
        ("at least 25", 25, 100, ">=25"),
        ("<25", 0, 25 - OPEN_EPS, "<25"),
        ("up to 10%", 0, 10, "<=10"),
        ("majority", 50 + OPEN_EPS, 100, ">50"),
        ("Majority-owned", 50 + OPEN_EPS, 100, ">50"),
        ("minority", 0, 50 - OPEN_EPS, "<50"),
        ("wholly owned", 100, 100, "100"),
        ("51% owned", 51, 51, "51"),
        ("51% stake", 51, 51, "51"),
        ("unknown", 0, 100, "unknown"),
        ("", 0, 100, "unknown"),
        (None, 0, 100, "unknown"),
        ("?", 0, 100, "unknown"),
    ],
)
def test_parse_share(text: str | None, low: float, high: float, label: str) -> None:
    share = parse_share(text)
    assert share.low == pytest.approx(low, abs=1e-12)
    assert share.high == pytest.approx(high, abs=1e-12)
    assert share.label == label


def test_parse_share_numbers() -> None:
    assert parse_share(50) == parse_share("50")
    assert parse_share(0.25).low == pytest.approx(25)
    assert parse_share(None) is UNKNOWN_SHARE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("150", "more than 100"),
        ("abc", "not a share"),
        ("~50", "approximate"),
        ("about 50%", "approximate"),
        ("50-25", "wrong way round"),
        (">100", "more than 100"),
        ("<0", "less than 0"),
        ("owned", "not a share"),
    ],
)
def test_parse_share_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_share(text)


def test_parse_bool() -> None:
    assert [parse_bool(v) for v in ("yes", "TRUE", "1", "x", "Y", "joint")] == [True] * 6
    assert [parse_bool(v) for v in ("", "no", "0", "False", None)] == [False] * 5
    with pytest.raises(ValueError, match="yes/no"):
        parse_bool("maybe")


# --- user CSV -------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "own.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_edges_csv(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "owner,owned,share,joint,control,source,date\n"
        "X Corp,A Ltd,50%,,,registry,2024-03-01\n"
        "A Ltd,B Ltd,0.5,no,yes,,\n"
        "\n"
        "Y,B Ltd,25-50,yes,,,\n"
        "Z,C,,,,,\n",
    )
    edges = load_edges_csv(path)
    assert [(e.owner, e.owned, e.share.label, e.joint, e.control, e.source, e.date) for e in edges] == [
        ("X Corp", "A Ltd", "50", False, False, "registry", "2024-03-01"),
        ("A Ltd", "B Ltd", "50", False, True, "own.csv", None),
        ("Y", "B Ltd", "25-50", True, False, "own.csv", None),
        ("Z", "C", "unknown", False, False, "own.csv", None),
    ]
    got = statuses(edges, {"X Corp"}, "ofac")
    assert got["A Ltd"] == "blocked" and got["B Ltd"] == "blocked"


def test_load_edges_csv_minimal_columns_any_order(tmp_path: Path) -> None:
    path = write(tmp_path, "Owned,Owner\nA,X\n")
    [edge] = load_edges_csv(path)
    assert (edge.owner, edge.owned, edge.share) == ("X", "A", UNKNOWN_SHARE)


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("owner,share\nX,50\n", "line 1", "missing required column(s) owned"),
        ("owner,owned,share\nX,A,50\nX,B,lots\n", "line 3", "column 'share': not a share"),
        ("owner,owned,share\nX,A,150\n", "line 2", "more than 100"),
        ("owner,owned,joint\nX,A,maybe\n", "line 2", "column 'joint'"),
        ("owner,owned,date\nX,A,someday\n", "line 2", "column 'date': not a date"),
        ("owner,owned\n,A\n", "line 2", "empty 'owner'"),
        ("owner,owned\nX,\n", "line 2", "empty 'owned'"),
        ('owner,owned\n"X,A\n', "line", "malformed CSV"),
    ],
)
def test_load_edges_csv_errors(tmp_path: Path, text: str, where: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SourceError) as err:
        load_edges_csv(path)
    assert err.value.path == str(path)
    assert err.value.where is not None and err.value.where.startswith(where)
    assert problem in err.value.problem


def test_load_edges_csv_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    with pytest.raises(SourceError, match="empty file"):
        load_edges_csv(path)


# --- edges from list entities -------------------------------------------------------------------


def entity(source_id: str, *relations: Relation, list_key: str = "demo") -> Entity:
    return Entity(list=list_key, source_id=source_id, schema="Company",
                  names=[Name(f"Company {source_id}")], relations=list(relations))


def test_edges_from_entities() -> None:
    entities = [
        entity("1"),  # the designated owner
        entity("2", Relation("owned_by", target_source_id="1", share="51")),  # FtM Ownership
        entity("3", Relation("controlled_by", target_source_id="2")),
        entity("1b", Relation("owner_of", target_name="Offshore Vehicle SA", share="majority")),
        entity("4", Relation("owned_by", target_source_id="1", share="a significant stake")),
        entity("5", Relation("linked_to", target_source_id="1")),  # not ownership
    ]
    edges = edges_from_entities(entities)
    assert [(e.owner, e.owned, e.share.label, e.control, e.source) for e in edges] == [
        ("demo-1", "demo-2", "51", False, "demo"),
        ("demo-2", "demo-3", "unknown", True, "demo"),
        ("demo-1b", "Offshore Vehicle SA", ">50", False, "demo"),
        ("demo-1", "demo-4", "unknown (a significant stake)", False, "demo"),
    ]
    got = statuses(edges, {"demo-1", "demo-1b"}, "eu")
    assert got["demo-2"] == "blocked"
    assert got["demo-3"] == "blocked"  # controlled by a blocked entity
    assert got["Offshore Vehicle SA"] == "blocked"
    assert got["demo-4"] == "cannot_exclude"
    assert statuses(edges, {"demo-1"}, "ofac")["demo-3"] == "cannot_exclude"


def test_paths_do_not_depend_on_set_order() -> None:
    # Evidence must be reproducible: the same input gives the same paths in every process,
    # whatever the string hash seed (which decides the iteration order of `listed`).
    import os
    import subprocess
    import sys

    code = (
        "import random\n"
        "from tradeguard.screening.ownership import Edge, compute_blocked, exact_share\n"
        "rng = random.Random(3)\n"
        "names = [f'n{i}' for i in range(300)]\n"
        "edges = [Edge(rng.choice(names), rng.choice(names), exact_share(rng.choice([20, 30, 50])))"
        " for _ in range(1500)]\n"
        "listed = set(rng.sample(names, 20))\n"
        "print([r.to_dict()['paths'] for r in compute_blocked(edges, listed, 'eu')])\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert "owner" in outputs.pop()
