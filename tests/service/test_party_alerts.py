"""One alert per monitored party and listed party: the listings of one party on two lists
(hand-made UN XML and US CSL files, linked by name and full birth date) share one alert; a
decision covers them all; a new listing re-opens a cleared alert with what changed, joins an
open one, and a delisting closes the alert only when no listing is left."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.service.unxml import person, write_un_xml
from tradeguard.screening.monitor import register_parties, rescreen_loaded
from tradeguard.store import audit
from tradeguard.store.alerts import Alert, DecisionError, decide, get_alert, list_alerts
from tradeguard.store.links import parties_of, party_of, party_summaries
from tradeguard.store.lists import load_file
from tradeguard.store.parties import party_from_record

CSL_HEADER = [
    "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
    "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign", "vessel_type",
    "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth", "source_information_url",
]
ENTITY_LIST = "Entity List (EL) - Bureau of Industry and Security"


def csl_person(source_id: str, name: str, dob: str) -> dict[str, str]:
    return {"source": ENTITY_LIST, "entity_number": source_id, "type": "Individual", "programs": "EAR",
            "name": name, "start_date": "2024-01-01", "dates_of_birth": dob}


def write_csl(path: Path, rows: list[dict[str, str]]) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSL_HEADER)
    writer.writerows([r.get(h, "") for h in CSL_HEADER] for r in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


IVAN_UN = person("1001", "IVAN", "PETROVSKY", dob="1970-05-02")
MARIA_UN = person("1003", "MARIA", "KOVALENKO", dob="1981-11-09")
OTHER_UN = person("1009", "OLEG", "SAVCHENKO", dob="1965-03-03")
IVAN_CSL = csl_person("9001", "PETROVSKY, Ivan", "1970-05-02")
MARIA_CSL = csl_person("9003", "KOVALENKO, Maria", "1981-11-09")


def _load(engine: Engine, path: Path, list_date: str | None = None) -> None:
    load = load_file(engine, path, list_date=list_date, force=True)
    rescreen_loaded(engine, load, actor="test")


def _active(engine: Engine, party_id: str) -> list[Alert]:
    with engine.connect() as conn:
        return list_alerts(conn, party_id=party_id, status=("open", "reopened", "escalated"))


def test_one_alert_per_listed_party_across_lists(engine: Engine, tmp_path: Path) -> None:
    _load(engine, write_un_xml(tmp_path / "un1" / "un.xml", "2025-01-01", [IVAN_UN, MARIA_UN, OTHER_UN]))
    _load(engine, write_csl(tmp_path / "csl1" / "csl.csv", [IVAN_CSL, MARIA_CSL]), "2025-01-02")
    listed = party_of(engine, "un_sc-1001")
    assert listed is not None and [x.entity_id for x in listed.listings] == ["un_sc-1001", "us_csl-9001"]

    registered = register_parties(engine, [party_from_record(r) for r in (
        {"id": "p-ivan", "name": "Ivan Petrovsky", "schema": "Person", "birth_date": "1970-05-02"},
        {"id": "p-maria", "name": "Maria Kovalenko", "schema": "Person"},
    )], actor="cli:tester")
    raised = {a.party_id: a for a in registered.alerts.raised}
    assert sorted(a.party_id for a in registered.alerts.raised) == ["p-ivan", "p-maria"]  # one each, not two
    ivan = raised["p-ivan"]
    assert ivan.entity_id == "un_sc-1001" and ivan.regimes == ["UN", "US"]
    assert [(x.entity_id, x.score is not None) for x in ivan.listings] == [("un_sc-1001", True), ("us_csl-9001", True)]
    assert ivan.to_dict()["listings"][1]["list"] == "us_csl"

    # One decision covers both listings, and the audit entry names them.
    with engine.begin() as conn:
        decide(conn, ivan.id, "false_positive", "our Ivan is a different man (passport seen)", "rev1")
    # A second reviewer deciding the same alert is told who decided first.
    with pytest.raises(DecisionError, match=r"is cleared by rev1 at \d{4}-"), engine.begin() as conn:
        decide(conn, ivan.id, "true_match", "looks like him to me", "rev2")
    with engine.connect() as conn:
        (entry,) = audit.entries(conn, subject="p-ivan", action="decision")
    assert [x["entity"] for x in entry.payload["listings"]] == ["un_sc-1001", "us_csl-9001"]

    # The party's data changes: rescreened, one re-opened alert for both listings, not two.
    again = register_parties(engine, [party_from_record(
        {"id": "p-ivan", "name": "Ivan Petrovsky", "schema": "Person", "birth_date": "1970-05-02", "country": "UA"}
    )], actor="cli:tester")
    assert again.alerts.raised == [] and [a.party_id for a in again.alerts.reopened] == ["p-ivan"]
    reopened = again.alerts.reopened[0]
    assert reopened.previous_alert_id == ivan.id and reopened.changes is not None
    assert reopened.changes["party"]["changed"] is True and reopened.changes["listings"]["added"] == []
    with engine.begin() as conn:
        decide(conn, reopened.id, "false_positive", "still not him", "rev1")

    # Delisting: Maria leaves the UN list, her alert stays (the US still lists her) with the
    # UN listing marked; when the US delists her too, the alert closes.
    maria = raised["p-maria"]
    _load(engine, write_un_xml(tmp_path / "un2" / "un.xml", "2025-02-01", [IVAN_UN, OTHER_UN]))
    with engine.connect() as conn:
        after_un = get_alert(conn, maria.id)
    assert after_un is not None and after_un.status == "open"
    assert [(x.entity_id, x.removed_by_version is not None) for x in after_un.listings] == [
        ("un_sc-1003", True), ("us_csl-9003", False),
    ]
    assert after_un.regimes == ["US"]
    _load(engine, write_csl(tmp_path / "csl2" / "csl.csv", [IVAN_CSL]), "2025-02-02")
    with engine.connect() as conn:
        closed = get_alert(conn, maria.id)
    assert closed is not None and closed.status == "closed" and "us_csl" in (closed.closed_reason or "")


def test_party_summaries_are_the_summaries_of_the_whole_parties(engine: Engine, tmp_path: Path) -> None:
    _load(engine, write_un_xml(tmp_path / "un1" / "un.xml", "2025-01-01", [IVAN_UN, MARIA_UN, OTHER_UN]))
    _load(engine, write_csl(tmp_path / "csl1" / "csl.csv", [IVAN_CSL, MARIA_CSL]), "2025-01-02")
    ids = ["un_sc-1001", "us_csl-9003", "un_sc-1009", "un_sc-404"]  # linked, linked, alone, not listed
    summaries = party_summaries(engine, ids)  # read first: without the links' evidence
    assert sorted(summaries) == ["un_sc-1001", "un_sc-1009", "us_csl-9003"]
    assert [x["entity_id"] for x in summaries["us_csl-9003"]["listings"]] == ["un_sc-1003", "us_csl-9003"]
    assert summaries["un_sc-1009"]["lists"] == ["un_sc"] and summaries["un_sc-1001"]["regimes"] == ["UN", "US"]
    # Parties read whole afterwards still carry their links (the summaries were not kept as parties).
    whole = parties_of(engine, ids)
    assert whole["un_sc-1001"].links and whole["us_csl-9003"].links
    assert {k: v.summary() for k, v in whole.items()} == summaries


def test_a_new_listing_reopens_a_cleared_alert_and_joins_an_open_one(engine: Engine, tmp_path: Path) -> None:
    _load(engine, write_un_xml(tmp_path / "un1" / "un.xml", "2025-01-01", [IVAN_UN, MARIA_UN, OTHER_UN]))
    registered = register_parties(engine, [party_from_record(r) for r in (
        {"id": "p-ivan", "name": "Ivan Petrovsky", "schema": "Person", "birth_date": "1970-05-02"},
        {"id": "p-maria", "name": "Maria Kovalenko", "schema": "Person"},
    )], actor="cli:tester")
    raised = {a.party_id: a for a in registered.alerts.raised}
    assert [x.entity_id for x in raised["p-ivan"].listings] == ["un_sc-1001"]
    with engine.begin() as conn:
        decide(conn, raised["p-ivan"].id, "false_positive", "different man", "rev1")

    # The US lists both: Ivan's cleared alert comes back naming the new listing; Maria's open
    # alert takes the new listing in, and no second alert is raised.
    load = load_file(engine, write_csl(tmp_path / "csl1" / "csl.csv", [IVAN_CSL, MARIA_CSL]), list_date="2025-01-02")
    result = rescreen_loaded(engine, load, actor="test")
    assert result is not None
    assert result.alerts.raised == []
    assert [a.party_id for a in result.alerts.reopened] == ["p-ivan"]
    back = result.alerts.reopened[0]
    assert back.status == "reopened" and back.previous_alert_id == raised["p-ivan"].id
    assert back.changes is not None and back.changes["party"]["changed"] is False
    assert [(x["list"], x["source_id"], x["regime"]) for x in back.changes["listings"]["added"]] == [("us_csl", "9001", "US")]
    # Matched listings first: the rescreen matched the new one; the UN one is linked to it.
    assert [(x.entity_id, x.score is not None) for x in back.listings] == [("us_csl-9001", True), ("un_sc-1001", False)]
    assert result.alerts.extended == [(raised["p-maria"].id, ["us_csl-9003"])]
    maria = _active(engine, "p-maria")
    assert [a.id for a in maria] == [raised["p-maria"].id]
    assert maria[0].regimes == ["UN", "US"]

    # Cleared again: a rescreen of the same lists finds nothing new, so nothing comes back.
    with engine.begin() as conn:
        decide(conn, back.id, "false_positive", "different man, whichever list", "rev1")
    same = rescreen_loaded(engine, load_file(engine, write_csl(
        tmp_path / "csl2" / "csl.csv", [IVAN_CSL, MARIA_CSL, csl_person("9010", "NOBODY, Else", "1990-01-01")]
    ), list_date="2025-01-03"), actor="test")
    assert same is not None and same.alerts.reopened == [] and same.alerts.raised == []
    assert _active(engine, "p-ivan") == []
