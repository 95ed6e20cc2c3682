"""Order screening that does not cry wolf: a BIS red flag is a reason for review only where
it stacks with risk; order parties are persons or organisations, never vessels; a name with
a legal form is an organisation."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from tradeguard.model import Entity, Name
from tradeguard.screening.destinations import DestinationRules, Party
from tradeguard.screening.goods import load_chpl
from tradeguard.screening.orders import OrderResult, OrderScreener
from tradeguard.sources.base import SourceError

RULES = DestinationRules.load()
LINE_IDS = itertools.count(1)


def entity(source_id: str, *names: str, schema: str) -> Entity:
    return Entity(list="test_list", source_id=source_id, schema=schema,
                  names=[Name(n, "primary" if i == 0 else "alias") for i, n in enumerate(names)])


@pytest.fixture(scope="module")
def screener() -> Any:
    from tradeguard.screening.parties import Screener

    return Screener(entities=[
        entity("v1", "PRINCE I", "GEORGE S.", schema="Vessel"),
        entity("p1", "Ivan Petrovich SIDOROV", "ABU BAQER", schema="Person"),
        entity("c1", "Volga Precision Instruments JSC", schema="Company"),
    ])


def screen_one(os_: OrderScreener, **record: str) -> OrderResult:
    """One line through ``os_`` (a new line id each time: a screener refuses repeated ids)."""
    (result,) = list(os_.screen_lines([{"line": str(next(LINE_IDS)), **record}]))
    assert os_.errors == []
    return result


T_SHIRTS = {"description": "Cotton T-shirts", "hs_code": "6109.10", "eccn": "EAR99"}
OWN_BRANCH = {"buyer_name": "Halden Textil GmbH", "buyer_country": "DE", "consignee_name": "Halden Textil AG",
              "consignee_address": "Seestrasse 12, 8002 Zürich", "consignee_country": "CH", "ship_to_country": "CH"}


def rules_of(findings: list[Any]) -> list[str]:
    return [f.rule for f in findings]


def test_cross_border_alone_on_uncontrolled_goods_is_a_note() -> None:
    os_ = OrderScreener(None, RULES, [], None)
    res = screen_one(os_, **OWN_BRANCH, **T_SHIRTS)
    assert res.verdict == "clear" and res.reasons == []
    [note] = [n for n in res.notes if n.rule == "redflag.ship_to_differs_from_buyer"]
    assert note.severity == "info"
    assert "the buyer's own company" in note.detail and "no other sign of risk" in note.detail


def test_cross_border_with_high_priority_goods_is_a_reason(chpl_file: Path) -> None:
    os_ = OrderScreener(None, RULES, [load_chpl(chpl_file)], None)
    res = screen_one(os_, **OWN_BRANCH, description="32-bit microcontroller", hs_code="8542.31", eccn="5A992.c")
    assert res.verdict == "review"
    assert "redflag.ship_to_differs_from_buyer" in rules_of(res.reasons)
    assert "goods.chpl" in rules_of(res.notes)  # toward Switzerland the CHPL item alone is a note


def test_cross_border_with_a_party_hit_is_a_reason(screener: Any) -> None:
    os_ = OrderScreener(screener, RULES, [], None)
    res = screen_one(os_, buyer_name="Halden Textil GmbH", buyer_country="DE",
                     consignee_name="Volga Precision Instruments JSC", consignee_country="CH",
                     ship_to_country="CH", **T_SHIRTS)
    assert res.verdict == "block"
    assert set(rules_of(res.reasons)) == {"party.listed_match", "redflag.ship_to_differs_from_buyer"}


def test_free_zone_consignee_stacks_with_the_route() -> None:
    os_ = OrderScreener(None, RULES, [], None)
    stacked = screen_one(os_, buyer_name="Halden Textil GmbH", buyer_country="DE",
                         consignee_name="Gulf Star Apparel FZE", consignee_address="Jebel Ali Free Zone, Dubai",
                         consignee_country="AE", ship_to_country="AE", **T_SHIRTS)
    assert stacked.verdict == "review"
    assert sorted(rules_of(stacked.reasons)) == ["redflag.destination_in_free_zone",
                                                 "redflag.ship_to_differs_from_buyer"]
    # The same consignee bought by a company of its own country: one flag, alone, a note.
    alone = screen_one(os_, buyer_name="Desert Rose Retail LLC", buyer_country="AE",
                       consignee_name="Gulf Star Apparel FZE", consignee_country="AE", ship_to_country="AE",
                       **T_SHIRTS)
    assert alone.verdict == "clear"
    assert rules_of(alone.notes) == ["redflag.destination_in_free_zone", "party.not_screened"]


def test_a_flag_without_alone_in_the_rules_file_stays_a_reason(tmp_path: Path) -> None:
    user = tmp_path / "strict.yml"
    user.write_text(
        "red_flags:\n  ship_to_differs_from_buyer:\n    severity: review\n    source: \"Our policy 3.1\"\n",
        encoding="utf-8",
    )
    os_ = OrderScreener(None, DestinationRules.load(user), [], None)
    res = screen_one(os_, **OWN_BRANCH, **T_SHIRTS)
    assert res.verdict == "review" and rules_of(res.reasons) == ["redflag.ship_to_differs_from_buyer"]


def test_alone_must_be_info_or_review(tmp_path: Path) -> None:
    user = tmp_path / "bad.yml"
    user.write_text(
        "red_flags:\n  ship_to_differs_from_buyer:\n    source: \"x\"\n    alone: clear\n", encoding="utf-8"
    )
    with pytest.raises(SourceError, match=r"bad\.yml.*red_flags\.ship_to_differs_from_buyer\.alone"):
        DestinationRules.load(user)


def test_free_zone_words() -> None:
    for name, address in [("Orion Trading FZCO", None), ("Orion Trading LLC", "SAIF Zone, Sharjah"),
                          ("Orion Dis Ticaret", "Mersin Serbest Bölge"), ("ООО Орион", "особая экономическая зона Алабуга")]:
        flags = RULES.check_red_flags([Party("consignee", name, address, None)], None)
        assert rules_of(flags) == ["redflag.destination_in_free_zone"], (name, address)
    assert RULES.check_red_flags([Party("consignee", "Freeman Zones Ltd", "High St 4, Leeds", "GB")], None) == []


def test_order_parties_are_never_vessels(screener: Any) -> None:
    os_ = OrderScreener(screener, RULES, [], None)
    for name in ("Georges", "Prince Ltd"):
        res = screen_one(os_, consignee_name=name, consignee_country="GB", ship_to_country="GB", **T_SHIRTS)
        assert res.verdict == "clear" and res.hits == [], name


def test_a_name_with_a_legal_form_is_an_organisation(screener: Any) -> None:
    os_ = OrderScreener(screener, RULES, [], None)
    company = screen_one(os_, buyer_name="Bakker B.V.", buyer_country="NL", ship_to_country="NL", **T_SHIRTS)
    assert company.hits == []
    # The listed person's exact name (no legal form) still blocks.
    person = screen_one(os_, buyer_name="Ivan Petrovich Sidorov", buyer_country="NL", ship_to_country="NL",
                        **T_SHIRTS)
    assert person.verdict == "block" and person.hits[0].match.entity.source_id == "p1"
