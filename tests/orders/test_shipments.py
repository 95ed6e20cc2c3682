"""Shipment screening: the order pipeline with the vessel and the route (hand-made lists for
the library, the real OFAC and UN lists for the CLI)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from tests.orders.conftest import EXAMPLES, tg
from tradeguard.model import Entity, Identifier, Name, Relation
from tradeguard.screening.destinations import DestinationRules
from tradeguard.screening.orders import OrderResult, OrderScreener
from tradeguard.screening.ports import RouteScreen
from tradeguard.screening.shipments import VoyageChecks, imo_error, shipment_line

RULES = DestinationRules.load()
IDS = itertools.count(1)


@pytest.fixture(scope="module")
def checks() -> VoyageChecks:
    from tradeguard.screening.parties import Screener

    tanker = Entity(list="test_list", source_id="v1", schema="Vessel",
                    names=[Name("ARTAVIL", "primary"), Name("ALPHA", "former")],
                    identifiers=[Identifier("imo", "9187629"), Identifier("mmsi", "572469210")],
                    relations=[Relation("linked_to", target_name="NATIONAL IRANIAN TANKER COMPANY")])
    sister = Entity(list="test_list", source_id="v2", schema="Vessel", names=[Name("PACIFIC GRACE 2", "primary")],
                    identifiers=[Identifier("imo", "9321483")])
    owner = Entity(list="test_list", source_id="c1", schema="Company", names=[Name("Caspian Line Shipping", "primary")])
    screener = Screener(entities=[tanker, sister, owner])
    return VoyageChecks(screener, RouteScreen.load(destinations=RULES))


def screen(checks: VoyageChecks, **record: Any) -> OrderResult:
    os_ = OrderScreener(checks.screener, RULES, [], None, voyages=checks)
    (result,) = list(os_.screen_lines([{"shipment": f"BL-{next(IDS)}", **record}]))
    assert os_.errors == []
    return result


def rules_of(result: OrderResult) -> list[str]:
    return sorted({f.rule for f in result.reasons})


def test_imo_check_digit() -> None:
    assert imo_error("9187629") is None and imo_error("IMO 9321483") is None
    assert "check digit" in (imo_error("9187628") or "")
    assert "seven digits" in (imo_error("918762") or "")


def test_shipment_record_reads_parties_voyage_and_goods() -> None:
    order = shipment_line({"Shipment": "BL-1", "Shipper Name": "Caspian Star", "carrier_name": "Blue Anchor",
                           "vessel_name": "SARDAR", "port_of_loading": "Bandar Anzali",
                           "transshipment_ports": "Aktau; Baku | Turkmenbashi", "hs_code": "8501.31"}, 2)
    assert order.line == "BL-1" and [p.role for p in order.parties] == ["shipper", "carrier"]
    assert order.voyage is not None and order.voyage.transshipment_ports == ("Aktau", "Baku", "Turkmenbashi")
    assert [role for role, _ in order.voyage.route()] == ["port_of_loading", "transshipment", "transshipment",
                                                           "transshipment"]
    listed = shipment_line({"shipment": "BL-2", "transshipment_ports": ["Mersin", "Poti"]})
    assert listed.voyage is not None and listed.voyage.transshipment_ports == ("Mersin", "Poti")
    with pytest.raises(ValueError, match="no shipment id"):
        shipment_line({"vessel_name": "X"})
    with pytest.raises(ValueError, match="nothing|no party"):
        shipment_line({"shipment": "BL-3", "quantity": "4"})


def test_a_listed_vessel_by_imo_under_a_new_name_blocks(checks: VoyageChecks) -> None:
    res = screen(checks, vessel_name="OCEAN PEARL", vessel_imo="IMO 9187629", port_of_loading="Jebel Ali",
                 port_of_discharge="Mersin", description="Marine spare parts", hs_code="8409.99")
    assert res.verdict == "block"
    [hit] = [f for f in res.reasons if f.rule == "vessel.listed_imo"]
    assert "'ARTAVIL' (test_list v1)" in hit.detail and "names it 'OCEAN PEARL'" in hit.detail
    assert "linked to NATIONAL IRANIAN TANKER COMPANY" in hit.detail


def test_vessel_names_mmsi_and_sister_ships(checks: VoyageChecks) -> None:
    by_name = screen(checks, vessel_name="Artavil", port_of_discharge="Felixstowe")
    assert "vessel.listed_match" in rules_of(by_name) and by_name.verdict == "block"
    former = screen(checks, vessel_name="ALPHA", port_of_discharge="Felixstowe")
    assert "vessel.listed_match" in rules_of(former)
    mmsi = screen(checks, vessel_name="SEA BREEZE", vessel_mmsi="572469210", port_of_discharge="Felixstowe")
    assert rules_of(mmsi) == ["vessel.listed_mmsi"] and mmsi.verdict == "review"
    # The sister ship "PACIFIC GRACE 1" with its own IMO is another vessel.
    sister = screen(checks, vessel_name="PACIFIC GRACE 1", vessel_imo="9074729", port_of_discharge="Felixstowe")
    assert sister.verdict == "clear", sister.reasons
    bad = screen(checks, vessel_name="SEA BREEZE", vessel_imo="9187628", port_of_discharge="Felixstowe")
    assert rules_of(bad) == ["data.vessel_imo_invalid"]


def test_a_vessel_found_by_imo_is_not_found_again_by_name_from_a_worker(checks: VoyageChecks) -> None:
    """Matches screened in worker processes hold copies of the listed entities: the vessel
    the IMO found is still recognised in them."""
    from tradeguard.matching.engine import Match
    from tradeguard.screening.shipments import Voyage, _vessel_key

    assert checks.screener is not None
    [tanker] = [e for e in checks.screener.matcher.entities if e.source_id == "v1"]
    copy = Entity.from_dict(tanker.to_dict())
    assert copy is not tanker and copy.entity_id == tanker.entity_id
    voyage = Voyage(vessel_name="ARTAVIL", vessel_imo="9187629")
    found = checks.vessel_findings(voyage, {_vessel_key(voyage): [Match(copy, 1.0, "ARTAVIL", "primary", {})]})
    assert [f.rule for f in found] == ["vessel.listed_imo"]


def test_caspian_route_blocks_in_either_direction(checks: VoyageChecks) -> None:
    for loading, discharge in (("Bandar Anzali", "Astrakhan"), ("Makhachkala", "Amirabad")):
        res = screen(checks, port_of_loading=loading, port_of_discharge=discharge, description="Electric motors",
                     hs_code="8501.31")
        assert res.verdict == "block" and "port.caspian_route" in rules_of(res), (loading, discharge)
    other = screen(checks, port_of_loading="Aktau", port_of_discharge="Baku", description="Cotton T-shirts",
                   hs_code="6109.10")
    assert other.verdict == "clear", other.reasons


def test_hub_and_flag_of_convenience_need_risky_goods(checks: VoyageChecks, chpl_file: Path) -> None:
    from tradeguard.screening.goods import load_chpl

    os_ = OrderScreener(checks.screener, RULES, [load_chpl(chpl_file)], None, voyages=checks)
    risky, benign = os_.screen_lines([
        {"shipment": "H1", "vessel_name": "NORDIC STAR", "vessel_flag": "MT", "port_of_loading": "Hamburg",
         "port_of_discharge": "Jebel Ali", "transshipment_ports": "Aktau", "hs_code": "8542.31"},
        {"shipment": "H2", "vessel_name": "NORDIC STAR", "vessel_flag": "MT", "port_of_loading": "Hamburg",
         "port_of_discharge": "Jebel Ali", "transshipment_ports": "Aktau", "hs_code": "6109.10"},
    ])
    assert risky.verdict == "review"
    assert {"port.transshipment_hub", "vessel.flag_of_convenience"} <= set(rules_of(risky))
    assert benign.verdict == "clear"
    assert "vessel.flag_of_convenience" in {n.rule for n in benign.notes}
    # High-priority goods between low-risk ports carry no other reason: the flag stays a note.
    (plain,) = os_.screen_lines([
        {"shipment": "H3", "vessel_name": "NORDIC STAR", "vessel_flag": "MT", "port_of_loading": "Hamburg",
         "port_of_discharge": "Felixstowe", "hs_code": "8542.31"}])
    assert plain.verdict == "clear", plain.reasons
    assert "vessel.flag_of_convenience" in {n.rule for n in plain.notes}


def test_sanctioned_port_and_flag(checks: VoyageChecks) -> None:
    crimea = screen(checks, port_of_loading="Rotterdam", port_of_discharge="Sevastopol", hs_code="6109.10")
    assert crimea.verdict == "block" and "port.sanctioned" in rules_of(crimea)
    flag = screen(checks, vessel_name="SEA BREEZE", vessel_flag="Iran", port_of_discharge="Felixstowe")
    assert flag.verdict == "block" and "destination.sanctioned_country" in rules_of(flag)


def test_shipments_screen_cli_on_the_sample_file(store: Path) -> None:
    out = store.parent / "shipments.jsonl"
    proc = tg("shipments", "screen", str(EXAMPLES / "shipments.csv"), "-o", str(out), "--report", str(store.parent),
              db=store)
    assert "screened 4 shipment(s)" in proc.stdout
    got = {r["line"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert {k: v["verdict"] for k, v in got.items()} == {
        "BL-2025-0001": "block", "BL-2025-0002": "block", "BL-2025-0003": "review", "BL-2025-0004": "clear"}
    assert "port.caspian_route" in {r["rule"] for r in got["BL-2025-0001"]["reasons"]}
    [imo] = [r for r in got["BL-2025-0002"]["reasons"] if r["rule"] == "vessel.listed_imo"]
    assert "ARTAVIL" in imo["detail"] and imo["source"].startswith("us_ofac_sdn")
    assert {"port.transshipment_hub", "goods.chpl"} <= {r["rule"] for r in got["BL-2025-0003"]["reasons"]}
    html = (store.parent / "shipments.report.html").read_text(encoding="utf-8")
    assert "Shipment screening report" in html and "port_rules.yml" in html
    [entry] = json.loads(tg("audit", "list", "--action", "shipments_screen", "--json", db=store).stdout)
    assert "shipments.csv" in json.dumps(entry)
    # `shipments list` lists it; `orders list` lists order files only; the report is written by either.
    [listed] = json.loads(tg("shipments", "list", "--json", db=store).stdout)
    assert listed["kind"] == "shipments" and listed["file"] == "shipments.csv"
    assert listed["counts"] == {"block": 2, "review": 1, "clear": 1, "skipped": 0}
    assert all(item["kind"] == "orders" for item in json.loads(tg("orders", "list", "--json", db=store).stdout))
    report = store.parent / "from_store.html"
    tg("shipments", "report", str(listed["id"]), "-o", str(report), db=store)
    assert "Shipment screening report" in report.read_text(encoding="utf-8")


def test_an_older_store_gets_the_screening_kind(tmp_path: Path) -> None:
    """Screenings stored before shipments existed have no kind: they are listed as orders."""
    import sqlite3

    from tradeguard.store.db import connect
    from tradeguard.store.ownership import list_order_screenings, record_order_screening

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # order_screenings as stores before shipments created it
        db.execute("CREATE TABLE order_screenings (id INTEGER PRIMARY KEY AUTOINCREMENT, file_name TEXT NOT NULL, "
                   "sha256 VARCHAR(64) NOT NULL, screened_at VARCHAR(40) NOT NULL, actor VARCHAR(200) NOT NULL, "
                   "lines INTEGER NOT NULL, counts TEXT NOT NULL, summary TEXT NOT NULL, report_html TEXT NOT NULL)")
        db.execute("INSERT INTO order_screenings (file_name, sha256, screened_at, actor, lines, counts, summary, "
                   "report_html) VALUES ('old.csv', 'ab', '2026-01-01T00:00:00+00:00', 'cli:x', 1, '{}', '{}', '')")
    engine = connect(f"sqlite:///{path}")
    with engine.begin() as conn:
        new_id = record_order_screening(conn, file_name="bl.csv", sha256="cd", screened_at="2026-12-01T00:00:00+00:00",
                                        actor="cli:x", lines=1, counts={}, summary={}, report_html="", kind="shipments")
        with pytest.raises(ValueError, match="unknown screening kind 'bookings'"):
            record_order_screening(conn, file_name="x", sha256="x", screened_at="x", actor="x", lines=0, counts={},
                                   summary={}, report_html="", kind="bookings")
    with engine.connect() as conn:
        assert [(s["file"], s["kind"]) for s in list_order_screenings(conn, kind="orders")] == [("old.csv", "orders")]
        assert [s["id"] for s in list_order_screenings(conn, kind="shipments")] == [new_id]
        assert len(list_order_screenings(conn)) == 2
    engine.dispose()
