"""The order-screening library on hand-made lists, histories and ownership files: the verdict
mapping of party matches, consignee resemblance, first-seen windows, batching, and the
library entry point the HTTP layer calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tradeguard.model import Address, Entity, Name
from tradeguard.screening.destinations import DestinationRules
from tradeguard.screening.orders import (
    AddressIndex,
    OrderResult,
    OrderScreener,
    order_line,
)
from tradeguard.screening.records import RowError
from tradeguard.store.ownership import PartyHistory, Sighting, name_key

RULES = DestinationRules.load()


def entity(source_id: str, *names: str, schema: str = "Organization", addresses: list[Address] | None = None) -> Entity:
    return Entity(list="test_list", source_id=source_id, schema=schema,
                  names=[Name(n, "primary" if i == 0 else "alias") for i, n in enumerate(names)],
                  addresses=addresses or [])


@pytest.fixture(scope="module")
def screener() -> Any:
    from tradeguard.screening.parties import Screener

    return Screener(entities=[
        entity("1", "Volga Precision Instruments JSC"),
        entity("2", "Amur Microelectronics Trading House"),
        entity("3", "Kestrel Dynamics Limited",
               addresses=[Address("Unit 5, 88 Harbour View Street, Kowloon Bay, Hong Kong", country="hk")]),
    ])


def line(**kw: str) -> dict[str, str]:
    return {"line": "L1", **kw}


def screen(os_: OrderScreener, *records: dict[str, Any]) -> list[OrderResult]:
    return list(os_.screen_lines(records))


def test_order_line_reads_roles_and_rejects_empty_lines() -> None:
    order = order_line({"Line": 7, "Buyer Name": " Alpha GmbH ", "consignee_country": "DE", "HS_Code": "8542.31"}, 3)
    assert order.line == "7" and order.row == 3
    assert [(p.role, p.name, p.country) for p in order.parties] == [("buyer", "Alpha GmbH", None), ("consignee", None, "DE")]
    assert order.hs_code == "8542.31"
    with pytest.raises(ValueError, match="no line id"):
        order_line({"buyer_name": "Alpha GmbH"})
    with pytest.raises(ValueError, match="nothing|no party"):
        order_line({"line": "9", "quantity": "4"})


def test_party_score_bands(screener: Any) -> None:
    os_ = OrderScreener(screener, RULES, [], None, 0.8)
    exact, fuzzy, clean = screen(
        os_,
        line(line="1", buyer_name="Volga Precision Instruments JSC", buyer_country="KZ", ship_to_country="KZ"),
        line(line="2", buyer_name="Amur Mikroelektronika Trading", ship_to_country="KZ"),
        line(line="3", buyer_name="Baikal Garden Furniture LLP", ship_to_country="KZ"),
    )
    assert exact.verdict == "block" and [r.rule for r in exact.reasons] == ["party.listed_match"]
    assert exact.hits[0].match.score >= 0.95 and exact.hits[0].severity == "block"
    assert "at or above 0.95" in exact.reasons[0].detail
    assert exact.reasons[0].source == "test_list (version not recorded)"
    fuzzy_hits = [h.match.score for h in fuzzy.hits]
    if fuzzy_hits:  # the score decides the band; never block below 0.95
        assert fuzzy.verdict == ("block" if max(fuzzy_hits) >= 0.95 else "review")
    assert clean.verdict == "clear" and clean.reasons == [] and clean.hits == []


def test_roles_with_one_name_give_one_reason(screener: Any) -> None:
    os_ = OrderScreener(screener, RULES, [], None)
    (res,) = screen(os_, line(buyer_name="Kestrel Dynamics Limited", consignee_name="KESTREL  DYNAMICS, LIMITED",
                              end_user_name="Kestrel Dynamics Limited", forwarder_name="Kestrel Dynamics Ltd",
                              ship_to_country="GB"))
    hits = [r for r in res.reasons if r.rule == "party.listed_match"]
    # One reason per spelling: the same name (after normalisation) in three roles, and the
    # forwarder's other spelling.
    assert len(hits) == 2
    assert hits[0].detail.startswith("Buyer, consignee and end user 'Kestrel Dynamics Limited' matches")
    assert hits[1].detail.startswith("Forwarder 'Kestrel Dynamics Ltd' matches")
    assert res.hits[0].roles == ["buyer", "consignee", "end_user"]


def test_consignee_resemblance_window_and_address(screener: Any) -> None:
    os_ = OrderScreener(screener, RULES, [], None, 0.99, addresses=AddressIndex(screener.matcher.entities))
    (res,) = screen(os_, line(consignee_name="Kestrel Dynamics Limited", consignee_country="HK",
                              consignee_address="Room 5, 88 Harbour View St, Kowloon Bay, Hong Kong",
                              buyer_name="Kestrel Dynamic Ltd", ship_to_country="HK"))
    got = {r.rule for r in res.reasons}
    # 1.0 >= 0.99: a match; the buyer's near-miss is not a consignee, so no resemblance flag
    assert "party.listed_match" in got
    assert "redflag.consignee_address_resembles_listed_party" in got
    os_low = OrderScreener(screener, RULES, [], None, 0.999, resemble_score=0.5)
    (res,) = screen(os_low, line(consignee_name="Kestrel Dynamic Ltd", ship_to_country="HK"))
    flags = [r for r in res.reasons if r.rule == "redflag.consignee_resembles_listed_party"]
    assert len(flags) == 1 and "'Kestrel Dynamics Limited' (test_list 3)" in flags[0].detail
    assert res.verdict == "review"


def test_goods_and_destinations_without_lists() -> None:
    os_ = OrderScreener(None, RULES, [], None)
    results = screen(
        os_,
        line(line="a", consignee_name="Mercury LLC", consignee_address="пр. Победы 15, Симферополь", ship_to_country="UA"),
        line(line="b", buyer_name="Alpha GmbH", buyer_country="DE", ship_to_country="Narnia", hs_code="12"),
        line(line="c", buyer_name="Alpha GmbH", buyer_country="DE", ship_to_country="DE", hs_code="8483.40"),
    )
    a, b, c = results
    assert a.verdict == "block"
    assert {r.rule for r in a.reasons} == {"destination.sanctioned_place"}
    assert {r.rule for r in b.reasons} == {"data.unknown_country", "goods.hs_invalid"}
    assert c.verdict == "clear" and [n.rule for n in c.notes] == ["party.not_screened"]
    assert os_.errors == []


def test_errors_and_duplicate_ids_are_collected_with_lines() -> None:
    os_ = OrderScreener(None, RULES, [], None)
    records: list[tuple[int, dict[str, Any] | RowError]] = [
        (2, {"line": "A", "ship_to_country": "DE"}),
        (3, RowError(3, "malformed CSV: unexpected end of data")),
        (4, {"line": "A", "ship_to_country": "FR"}),
        (5, {"ship_to_country": "FR", "colour": "blue"}),
    ]
    results = list(os_.screen_lines(records))
    assert [r.line for r in results] == ["A"]
    assert [(e.line, e.problem) for e in os_.errors] == [
        (3, "malformed CSV: unexpected end of data"),
        (4, "line id 'A' repeated (first on line 2): row skipped"),
        (5, "no line id (column 'line')"),
    ]
    assert os_.lines_read == 4
    assert any("colour" in n for n in os_.notes)


def test_batches_keep_the_input_order(screener: Any) -> None:
    os_ = OrderScreener(screener, RULES, [], None, chunk_lines=2)
    records = [line(line=str(i), buyer_name=name, ship_to_country="KZ")
               for i, name in enumerate(["Baikal Garden Furniture LLP", "Volga Precision Instruments JSC"] * 3)]
    results = screen(os_, *records)
    assert [r.line for r in results] == [str(i) for i in range(6)]
    assert [r.verdict for r in results] == ["clear", "block"] * 3


def test_first_seen_window() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)

    def at(days: int) -> str:
        return (now - timedelta(days=days)).isoformat(timespec="seconds")

    history = PartyHistory(
        seen={
            name_key("Old Friend GmbH"): Sighting("Old Friend GmbH", at(400), "f0", "jan.csv", 12),
            name_key("Recent Customer Ltd"): Sighting("Recent Customer Ltd", at(10), "f1", "feb.csv", 1),
            name_key("Same File Corp"): Sighting("Same File Corp", at(100), "this", "this.csv", 1),
        },
        earliest_other_file=at(400),
        file_sha="this",
    )
    os_ = OrderScreener(None, RULES, [], None, history=history, now=now)
    assert os_.history_active
    old, recent, same, new = screen(
        os_,
        line(line="1", buyer_name="OLD FRIEND GMBH", ship_to_country="DE"),
        line(line="2", buyer_name="Recent Customer Ltd", ship_to_country="DE"),
        line(line="3", buyer_name="Same File Corp", ship_to_country="DE"),
        line(line="4", buyer_name="Brand New Trading", ship_to_country="DE"),
    )
    assert old.verdict == "clear"
    assert [r.rule for r in recent.reasons] == ["redflag.party_first_seen_recently"]
    assert "first seen 2026-02-19 in feb.csv, less than 30 days ago" in recent.reasons[0].detail
    assert same.verdict == "review" and "first seen in this file" in same.reasons[0].detail
    assert new.verdict == "review"
    young = PartyHistory(history.seen, at(5), "this")
    assert not OrderScreener(None, RULES, [], None, history=young, now=now).history_active
    assert OrderScreener(None, RULES, [], None, history=young, now=now, first_seen_days=3).history_active


def test_ownership_map_from_a_store(tmp_path: Path) -> None:
    from tradeguard.store.db import connect
    from tradeguard.store.ownership import OwnershipContext, load_ownership_file

    engine = connect(f"sqlite:///{tmp_path / 's.db'}")
    csv_path = tmp_path / "own.csv"
    csv_path.write_text("owner,owned,share,control\nKestrel Dynamics Limited,Osprey Components LLC,35,\n"
                        "Osprey Components LLC,Harrier Parts FZE,20-70,\n", encoding="utf-8")
    load_ownership_file(engine, csv_path)
    listed = Entity(list="eu_fsf", source_id="EU.1", schema="Organization", names=[Name("KESTREL DYNAMICS LIMITED")])
    ctx = OwnershipContext.from_store(engine, [listed], [])
    omap = ctx.order_map(("eu",))
    os_ = OrderScreener(None, RULES, [], omap)
    (osprey, harrier) = screen(os_, line(line="1", buyer_name="Osprey Components LLC", ship_to_country="DE"),
                               line(line="2", consignee_name="Harrier Parts FZE", ship_to_country="DE"))
    assert osprey.verdict == "review" and [r.rule for r in osprey.reasons] == ["ownership.caution"]
    assert "holds 35% of Osprey Components LLC (at or above the 25% caution line)" in osprey.reasons[0].detail
    assert harrier.verdict == "clear"  # its owner is neither blocked nor undecidable
    engine.dispose()


def test_screen_order_file_on_records_returns_results_summary_and_html(screener: Any) -> None:
    from tradeguard.screening.reports import OrderContext, screen_order_file

    context = OrderContext(screener, RULES, [], None, None, 0.8, ())
    records = [
        {"line": "1", "buyer_name": "Volga Precision Instruments JSC", "ship_to_country": "KZ"},
        {"line": "2", "buyer_name": "Baikal Garden Furniture LLP", "ship_to_country": "KZ"},
        {"line": "", "buyer_name": "No Id Ltd"},
    ]
    results, summary, html = screen_order_file(records, context=context, file_name="upload.json")
    assert [r.to_dict()["verdict"] for r in results] == ["block", "clear"]
    assert summary["verdicts"] == {"block": 1, "review": 0, "clear": 1}
    assert summary["skipped"] == [{"line": 3, "problem": "no line id (column 'line')"}]
    assert summary["file"] == "upload.json" and len(summary["sha256"]) == 64
    assert summary["top_reasons"] == [{"rule": "party.listed_match", "lines": 1}]
    assert "upload.json" in html and summary["sha256"] in html and 'id="line-1"' in html
    assert "<script" not in html


def test_red_flag_settings_come_from_the_destinations_file(tmp_path: Path) -> None:
    user = tmp_path / "destinations.yml"
    user.write_text(
        "red_flags:\n"
        "  party_first_seen_recently:\n"
        "    severity: block\n"
        "    source: \"Our onboarding policy 4.2\"\n"
        "    days: 7\n"
        "  consignee_resembles_listed_party:\n"
        "    source: \"Our screening policy 2.1\"\n"
        "    min_score: 0.6\n",
        encoding="utf-8",
    )
    rules = DestinationRules.load(user)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    history = PartyHistory({}, (now - timedelta(days=8)).isoformat(), "this")
    os_ = OrderScreener(None, rules, [], None, history=history, now=now)
    assert os_.first_seen_days == 7 and os_.resemble_score == 0.6 and os_.history_active
    (res,) = screen(os_, line(buyer_name="Brand New Trading", ship_to_country="DE"))
    assert res.verdict == "block"
    assert res.reasons[0].source.startswith("Our onboarding policy 4.2; order history in the store since")
    # The user's red_flags section replaces the default one: no forwarder check is left.
    assert "forwarder_as_end_user" not in rules.red_flags
