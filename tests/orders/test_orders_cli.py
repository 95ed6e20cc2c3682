"""`tradeguard orders screen` end to end: the real CLI, a real store with the UN (2026-08-01) and
OFAC SDN (2024-05-03) lists, the real Common High Priority List, the sample order file and
small hand-made order files."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers import copy_store
from tests.orders.conftest import EXAMPLES, tg, tg_json

ORDERS = EXAMPLES / "orders.csv"
OWNERSHIP = EXAMPLES / "ownership.csv"
CHPL_SOURCE = "BIS Common High Priority List (chpl_hs_codes.csv, 2024-02-23)"

HEADER = (
    "line,buyer_name,buyer_address,buyer_country,consignee_name,consignee_address,consignee_country,"
    "end_user_name,end_user_address,end_user_country,forwarder_name,forwarder_address,forwarder_country,"
    "ship_to_country,description,manufacturer,part_number,hs_code,eccn,quantity,value"
)


def read_jsonl(path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert set(record) == {"line", "verdict", "reasons"}
        for reason in record["reasons"]:
            assert set(reason) == {"rule", "detail", "source"}
            assert reason["rule"] and reason["detail"] and reason["source"]
        out[record["line"]] = record
    return out


def rules(record: dict[str, Any]) -> list[str]:
    return [r["rule"] for r in record["reasons"]]


def reasons(record: dict[str, Any], rule: str) -> list[dict[str, str]]:
    return [r for r in record["reasons"] if r["rule"] == rule]


def write_orders(path: Path, rows: list[dict[str, str]]) -> Path:
    cols = HEADER.split(",")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=cols)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in cols})
    return path


def screen(store: Path, path: Path, out: Path, *extra: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    summary = tg_json("orders", "screen", str(path), "-o", str(out), *extra, db=store)
    return read_jsonl(out), summary


# --- the sample order file ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(
    lists_store: Path, chpl_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, dict[str, Any]], dict[str, Any], Path]:
    """The sample file screened once (after loading the sample ownership file) for the
    tests that read its results."""
    folder = tmp_path_factory.mktemp("sample")
    store = folder / "store.db"
    copy_store(lists_store, store)
    tg("ownership", "load", str(OWNERSHIP), db=store)
    out = folder / "orders.screened.jsonl"
    reports = folder / "reports"
    got, summary = screen(store, ORDERS, out, "--report", str(reports))
    return store, got, summary, reports


def test_sample_file_every_line_gets_its_verdict(sample: tuple[Path, dict[str, Any], dict[str, Any], Path]) -> None:
    _store, got, summary, _ = sample
    assert list(got) == [f"PO-24-01{n:02d}" for n in range(1, 17)]
    verdicts = {line: rec["verdict"] for line, rec in got.items()}
    # Clean lines: real HS codes (CHPL items among them) to non-sensitive destinations.
    for line in ("PO-24-0101", "PO-24-0102", "PO-24-0112", "PO-24-0113", "PO-24-0114"):
        assert verdicts[line] == "clear", got[line]
        assert got[line]["reasons"] == []
    for line in ("PO-24-0103", "PO-24-0105", "PO-24-0106", "PO-24-0109", "PO-24-0110", "PO-24-0111", "PO-24-0115"):
        assert verdicts[line] == "block", got[line]
    for line in ("PO-24-0104", "PO-24-0108"):
        assert verdicts[line] == "review", got[line]
    # Fuzzy hits on misspelt listed names: block or review depending on the score.
    assert verdicts["PO-24-0107"] in ("review", "block")
    assert verdicts["PO-24-0116"] in ("review", "block")
    counts = summary["verdicts"]
    assert sum(counts.values()) == 16 == summary["lines_screened"] == summary["lines_read"]
    assert counts["clear"] == 5
    assert summary["skipped"] == []
    assert summary["sha256"] == hashlib.sha256(ORDERS.read_bytes()).hexdigest()
    assert {v["list"] for v in summary["lists"]} == {"un_sc", "us_ofac_sdn"}
    from tradeguard.matching import DEFAULT_THRESHOLD

    assert summary["threshold"] == DEFAULT_THRESHOLD
    assert summary["block_score"] == 0.95
    top = {item["rule"]: item["lines"] for item in summary["top_reasons"]}
    assert top["ownership.blocked"] == 4
    assert top["goods.chpl"] >= 7


def test_sample_sevastopol_in_cyrillic_blocks(sample: tuple[Path, dict[str, Any], dict[str, Any], Path]) -> None:
    rec = sample[1]["PO-24-0103"]
    places = reasons(rec, "destination.sanctioned_place")
    assert {p["detail"].split(" address")[0] for p in places} == {"Buyer", "Consignee", "End user"}
    assert all("'Севастополь'" in p["detail"] and "Crimea" in p["detail"] for p in places)
    assert all("EO 13685" in p["source"] and "destinations.yml" in p["source"] for p in places)
    chpl = reasons(rec, "goods.chpl")
    assert len(chpl) == 1 and "tier 2" in chpl[0]["detail"] and "ua-cri" in chpl[0]["detail"]
    assert chpl[0]["source"] == CHPL_SOURCE
    assert reasons(rec, "goods.eccn_sensitive_destination")[0]["detail"].startswith("ECCN 7A994")


def test_sample_forwarder_as_end_user_is_review(sample: tuple[Path, dict[str, Any], dict[str, Any], Path]) -> None:
    rec = sample[1]["PO-24-0104"]
    assert rules(rec) == ["redflag.forwarder_is_end_user"]
    assert "Know Your Customer" in rec["reasons"][0]["source"]


def test_sample_ownership_blocks_with_path(sample: tuple[Path, dict[str, Any], dict[str, Any], Path]) -> None:
    got = sample[1]
    direct = reasons(got["PO-24-0105"], "ownership.blocked")
    assert [r["detail"].split(" is blocked under ")[1].split()[0] for r in direct] == ["OFAC", "EU", "UK"]
    for r in direct:
        assert "QODS AERONAUTICS INDUSTRIES (listed) holds 60% of Arvand Aero Parts Trading LLC" in r["detail"]
        assert "ownership file ownership.csv" in r["source"]
        assert "un_sc version" in r["source"] and "list date 2026-08-01" in r["source"]
    chain = reasons(got["PO-24-0106"], "ownership.blocked")
    assert len(chain) == 3
    assert ("QODS AERONAUTICS INDUSTRIES (listed) holds 60% of Arvand Aero Parts Trading LLC, which holds "
            "55% of Gulf Star Avionics FZE") in chain[0]["detail"]
    # 30% + 25% by two different listed persons: blocked under OFAC and EU (aggregation),
    # not under UK (no joint arrangement), where it is flagged for caution instead.
    kish = got["PO-24-0109"]
    assert [r["detail"].split(" is blocked under ")[1].split()[0] for r in reasons(kish, "ownership.blocked")] == ["OFAC", "EU"]
    cautions = reasons(kish, "ownership.caution")
    assert cautions and all("(UK)" in c["detail"] for c in cautions)
    assert any("not added up unless held jointly" in c["detail"] for c in cautions)
    # 50% by an SDN-only entity: OFAC (50% or more) blocks; the EU and UK lists do not name it.
    pearl = reasons(got["PO-24-0115"], "ownership.blocked")
    assert len(pearl) == 1 and " under OFAC " in pearl[0]["detail"]
    assert "us_ofac_sdn version" in pearl[0]["source"] and "list date 2024-05-03" in pearl[0]["source"]


def test_sample_misspelt_listed_names_are_found(sample: tuple[Path, dict[str, Any], dict[str, Any], Path]) -> None:
    got = sample[1]
    hits = reasons(got["PO-24-0107"], "party.listed_match")
    assert any("'QODS AERONAUTICS INDUSTRIES' (un_sc 110349)" in h["detail"] for h in hits)
    assert hits[0]["detail"].startswith("Buyer and consignee 'Qods Aeronautic Industries' matches")
    un = next(h for h in hits if "un_sc 110349" in h["detail"])
    assert un["source"].startswith("un_sc version ") and "list date 2026-08-01" in un["source"]
    sinno = reasons(got["PO-24-0116"], "party.listed_match")
    assert len(sinno) == 1 and "(us_ofac_sdn 38641)" in sinno[0]["detail"]
    assert sinno[0]["detail"].startswith("Consignee 'Sinno Electronic Co Ltd'")
    assert "list date 2024-05-03" in sinno[0]["source"]


def test_sample_transshipment_and_destinations(sample: tuple[Path, dict[str, Any], dict[str, Any], Path]) -> None:
    got = sample[1]
    kg = got["PO-24-0108"]
    assert sorted(rules(kg)) == ["destination.transshipment_risk", "goods.chpl", "redflag.ship_to_differs_from_buyer"]
    assert "Kyrgyzstan (kg)" in reasons(kg, "destination.transshipment_risk")[0]["detail"]
    assert "FIN-2022-Alert003" in reasons(kg, "destination.transshipment_risk")[0]["source"]
    assert "tier 1" in reasons(kg, "goods.chpl")[0]["detail"]
    ru = got["PO-24-0110"]
    assert {r["detail"] for r in reasons(ru, "destination.sanctioned_country")} >= {"Ship-to country 'RU' is Russia (ru)"}
    by = got["PO-24-0111"]
    assert reasons(by, "goods.eccn_sensitive_destination")[0]["detail"].startswith("ECCN 3A992.a (not EAR99) toward Belarus")


def test_sample_report_is_evidence(sample: tuple[Path, dict[str, Any], dict[str, Any], Path]) -> None:
    _store, _got, summary, reports = sample
    html = (reports / "orders.report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html and "http://" not in html and "https://" not in html  # self-contained
    assert summary["sha256"] in html and "orders.csv" in html
    assert summary["screened_at"] in html
    for item in summary["lists"]:
        assert f"<td>{item['list']}</td><td>{item['version']}</td><td>{item['list_date']}</td>" in html
    assert f"{summary['threshold']:.2f}" in html and f"tradeguard {summary['engine_version']}" in html
    for n in range(1, 17):
        assert f'id="line-PO-24-01{n:02d}"' in html
    assert "ООО «Морские Навигационные Системы»" in html
    assert html.count('class="v block"') == summary["verdicts"]["block"]


def test_sample_is_stored_and_alerts_join_the_queue(sample: tuple[Path, dict[str, Any], dict[str, Any], Path], tmp_path: Path) -> None:
    store, _got, summary, _ = sample
    listed = tg_json("orders", "list", db=store)
    assert listed[0]["id"] == summary["screening_id"] and listed[0]["sha256"] == summary["sha256"]
    assert listed[0]["counts"]["block"] == summary["verdicts"]["block"]
    copy = tmp_path / "copy.html"
    tg("orders", "report", str(summary["screening_id"]), "-o", str(copy), db=store)
    assert summary["sha256"] in copy.read_text(encoding="utf-8")
    # Party matches raised alerts on parties registered as kind "order_party".
    import tradeguard.store.service_tables  # noqa: F401
    from tradeguard.store.alerts import list_alerts
    from tradeguard.store.db import connect
    from tradeguard.store.parties import get_party

    engine = connect(f"sqlite:///{store}")
    with engine.connect() as conn:
        alerts = list_alerts(conn, limit=None)
        entities = {a.entity_id for a in alerts}
        assert "un_sc-110349" in entities and "us_ofac_sdn-38641" in entities
        party = get_party(conn, next(a.party_id for a in alerts if a.entity_id == "us_ofac_sdn-38641"))
        assert party is not None and party.kind == "order_party" and party.name == "Sinno Electronic Co Ltd"
        assert all(a.status == "open" for a in alerts)
        from tradeguard.store.service_tables import audit_log

        actions = [r.action for r in conn.execute(select(audit_log.c.action))]
        assert "orders_screen" in actions
    assert summary["alerts"]["raised"] and len(summary["alerts"]["raised"]) == len(alerts)
    # Screening the same file again raises nothing new: the alerts are already open.
    _, again = screen(store, ORDERS, tmp_path / "again.jsonl")
    assert again["alerts"]["raised"] == [] and sorted(again["alerts"]["already_open"]) == sorted(a.id for a in alerts)
    engine.dispose()


def test_show_prints_each_line_with_its_reasons(store: Path, tmp_path: Path) -> None:
    tg("ownership", "load", str(OWNERSHIP), db=store)
    proc = tg("orders", "screen", str(ORDERS), "-o", str(tmp_path / "o.csv"), "--show", db=store)
    out = proc.stdout
    assert "screened 16 order line(s) of orders.csv" in out
    for n in range(1, 17):
        assert f"PO-24-01{n:02d}" in out
    assert "ownership.blocked" in out and "[BIS Common High Priority List (chpl_hs_codes.csv, 2024-02-23)]" in out
    rows = list(csv.DictReader((tmp_path / "o.csv").open(encoding="utf-8")))
    assert [r["line"] for r in rows][:2] == ["PO-24-0101", "PO-24-0102"]
    assert json.loads(rows[2]["reasons"])[0]["rule"]


# --- hand-made files -------------------------------------------------------------------------


def test_unreadable_rows_are_reported_with_their_line_and_skipped(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.csv"
    path.write_text(
        HEADER + "\n"
        "A-1,Nordlicht Elektronik GmbH,Hamburg,DE,,,,,,,,,,DE,Microcontroller,ST,STM32,8542.31,EAR99,10,100\n"
        ",Nameless Buyer Ltd,London,GB,,,,,,,,,,GB,Bolts,,,7318.15,,1,1\n"  # line 3: no line id
        "A-1,Duplicate Buyer GmbH,Berlin,DE,,,,,,,,,,DE,Nuts,,,7318.16,,1,1\n"  # line 4: repeated id
        "A-2,Too Many Cells GmbH,Berlin,DE,,,,,,,,,,DE,Nuts,,,7318.16,,1,1,extra,extra\n"  # line 5
        "A-3,,,,,,,,,,,,,,,,,,,,\n"  # line 6: nothing to screen
        "A-4,Kansai Robotics K.K.,Osaka,JP,,,,,,,,,,JP,Ball bearing,SKF,6205,8482.10,EAR99,100,500\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    proc = tg("orders", "screen", str(path), "-o", str(out), db=store)
    got = read_jsonl(out)
    assert list(got) == ["A-1", "A-4"]
    assert got["A-4"]["verdict"] == "clear"
    err = proc.stderr
    assert f"{path}: line 3: no line id" in err
    assert "line 4: line id 'A-1' repeated (first on line 2)" in err
    assert "line 5: 23 cells but the header has 21 columns" in err
    assert "line 6: line 'A-3': no party, destination or goods to screen" in err
    assert "4 row(s) skipped" in proc.stdout


def test_unreadable_file_fails_cleanly(store: Path, tmp_path: Path) -> None:
    proc = tg("orders", "screen", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o.jsonl"), db=store, check=False)
    assert proc.returncode == 1
    assert "missing.csv" in proc.stderr and "no such file" in proc.stderr
    bad = tmp_path / "orders.pdf"
    bad.write_bytes(b"%PDF-1.4")
    proc = tg("orders", "screen", str(bad), "-o", str(tmp_path / "o.jsonl"), db=store, check=False)
    assert proc.returncode == 1 and "unknown input type '.pdf'" in proc.stderr


def test_jsonl_and_xlsx_inputs_give_the_same_verdicts(store: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    tg("ownership", "load", str(OWNERSHIP), db=store)
    rows = list(csv.DictReader(ORDERS.open(encoding="utf-8")))
    jsonl = tmp_path / "orders.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows[:6]) + "\n{not json\n", encoding="utf-8")
    xlsx = tmp_path / "orders.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER.split(","))
    for r in rows[:6]:
        ws.append([r[c] for c in HEADER.split(",")])
    wb.save(xlsx)
    by_csv, _ = screen(store, ORDERS, tmp_path / "a.jsonl", "--no-record")
    by_jsonl, summary = screen(store, jsonl, tmp_path / "b.jsonl", "--no-record")
    by_xlsx, _ = screen(store, xlsx, tmp_path / "c.xlsx.jsonl", "--no-record")
    expected = {k: by_csv[k]["verdict"] for k in list(by_csv)[:6]}
    assert {k: v["verdict"] for k, v in by_jsonl.items()} == expected
    assert {k: v["verdict"] for k, v in by_xlsx.items()} == expected
    assert summary["skipped"] == [{"line": 7, "problem": "invalid JSON: Expecting property name enclosed in double quotes at column 2"}]


def test_consignee_resembling_a_listed_party_is_review(store: Path, tmp_path: Path) -> None:
    # At a threshold of 0.99 the misspelt name (scoring between 0.70 and 0.99) is no match,
    # but a consignee that resembles a listed party is still a red flag; a buyer is not.
    path = write_orders(tmp_path / "resemble.csv", [
        {"line": "R-1", "buyer_name": "Nordlicht Elektronik GmbH", "buyer_country": "DE",
         "consignee_name": "Sinno Electronic Co Ltd", "consignee_country": "HK", "ship_to_country": "HK",
         "hs_code": "8483.40", "description": "Gearbox"},
        {"line": "R-2", "buyer_name": "Sinno Electronic Co Ltd", "buyer_country": "HK", "ship_to_country": "HK",
         "hs_code": "8483.40", "description": "Gearbox"},
    ])
    got, summary = screen(store, path, tmp_path / "out.jsonl", "--threshold", "0.99", "--no-record")
    assert summary["threshold"] == 0.99
    flag = reasons(got["R-1"], "redflag.consignee_resembles_listed_party")
    assert len(flag) == 1 and "'SINNO ELECTRONICS CO., LIMITED' (us_ofac_sdn 38641)" in flag[0]["detail"]
    assert "Know Your Customer" in flag[0]["source"] and "us_ofac_sdn version" in flag[0]["source"]
    assert got["R-1"]["verdict"] == "review"
    assert "party.listed_match" not in rules(got["R-1"])
    assert got["R-2"]["verdict"] == "clear" and got["R-2"]["reasons"] == []


def test_consignee_at_a_listed_partys_address_is_review(store: Path, tmp_path: Path) -> None:
    # UN-listed LEADER (HONG KONG) INTERNATIONAL: "LM-873, RM B, 14/F, Wah Hen Commercial
    # Centre, 383 Hennessy Road, Wanchai, ... Hong Kong"; the consignee's name is unrelated.
    path = write_orders(tmp_path / "address.csv", [
        {"line": "H-1", "buyer_name": "Nordlicht Elektronik GmbH", "buyer_country": "DE",
         "consignee_name": "Harbour Bright Trading Ltd",
         "consignee_address": "Room 14B, Wah Hen Commercial Centre, 383 Hennessy Road, Wan Chai, Hong Kong",
         "consignee_country": "HK", "ship_to_country": "DE", "hs_code": "8483.40"},
        {"line": "H-2", "buyer_name": "Nordlicht Elektronik GmbH", "buyer_country": "DE",
         "consignee_name": "Harbour Bright Trading Ltd",
         "consignee_address": "Room 1203, Shun Tak Centre, 200 Connaught Road Central, Sheung Wan, Hong Kong",
         "consignee_country": "HK", "ship_to_country": "DE", "hs_code": "8483.40"},
    ])
    got, _ = screen(store, path, tmp_path / "out.jsonl", "--no-record")
    flag = reasons(got["H-1"], "redflag.consignee_address_resembles_listed_party")
    assert len(flag) == 1 and "LEADER (HONG KONG) INTERNATIONAL" in flag[0]["detail"]
    assert "un_sc version" in flag[0]["source"]
    assert got["H-1"]["verdict"] == "review"
    assert got["H-2"]["reasons"] == []


def test_party_first_seen_recently(store: Path, tmp_path: Path) -> None:
    first = write_orders(tmp_path / "week1.csv", [
        {"line": "W1-1", "buyer_name": "Helvetia Motion Controls AG", "buyer_country": "CH", "ship_to_country": "CH",
         "hs_code": "8483.40"},
    ])
    second = write_orders(tmp_path / "week2.csv", [
        {"line": "W2-1", "buyer_name": "HELVETIA MOTION CONTROLS AG", "buyer_country": "CH", "ship_to_country": "CH",
         "hs_code": "8483.40"},
        {"line": "W2-2", "buyer_name": "Vistula Drive Systems Sp. z o.o.", "buyer_country": "PL", "ship_to_country": "PL",
         "hs_code": "8483.40"},
    ])
    # The first file ever: nothing to compare with, so the check is off (and says so).
    got, summary = screen(store, first, tmp_path / "1.jsonl", "--first-seen-days", "0")
    assert got["W1-1"]["verdict"] == "clear" and summary["first_seen_active"] is False
    assert any("first-seen check starts once" in n for n in summary["notes"])
    got, summary = screen(store, second, tmp_path / "2.jsonl", "--first-seen-days", "0")
    assert summary["first_seen_active"] is True
    assert got["W2-1"]["verdict"] == "clear"  # seen in week1 (names compared after normalisation)
    flag = reasons(got["W2-2"], "redflag.party_first_seen_recently")
    assert got["W2-2"]["verdict"] == "review" and len(flag) == 1
    assert "Buyer 'Vistula Drive Systems Sp. z o.o.' appears in no earlier screened order file" in flag[0]["detail"]
    assert "order history in the store since" in flag[0]["source"]
    # Screening week2 again: its own earlier screening is not an earlier sighting.
    got, _ = screen(store, second, tmp_path / "3.jsonl", "--first-seen-days", "0")
    assert rules(got["W2-2"]) == ["redflag.party_first_seen_recently"]
    # With the default window (30 days) a history that started today is too short.
    got, summary = screen(store, second, tmp_path / "4.jsonl")
    assert summary["first_seen_active"] is False and got["W2-2"]["verdict"] == "clear"
    assert any("less than 30 days ago" in n for n in summary["notes"])


def test_user_controlled_goods_list_and_unknown_data(store: Path, tmp_path: Path) -> None:
    goods = tmp_path / "us_license_hts6.csv"
    goods.write_text(
        "hs_code,description,destinations\n"
        "8501.31,DC motors of an output not exceeding 750 W,RU;BY;IR\n"
        "8483.40,Gears and gearing,KG\n",
        encoding="utf-8",
    )
    path = write_orders(tmp_path / "goods.csv", [
        {"line": "G-1", "buyer_name": "Tien Shan Trade House LLC", "buyer_country": "KG", "ship_to_country": "KG",
         "hs_code": "8483.40.9000", "description": "Gearbox"},
        {"line": "G-2", "buyer_name": "Kansai Robotics K.K.", "buyer_country": "JP", "ship_to_country": "JP",
         "hs_code": "8501.31", "description": "Servo motor"},
        {"line": "G-3", "buyer_name": "Kansai Robotics K.K.", "buyer_country": "Atlantis", "ship_to_country": "JP",
         "hs_code": "85-01", "eccn": "3Z999", "description": "Servo motor"},
    ])
    got, summary = screen(store, path, tmp_path / "out.jsonl", "--goods-list", str(goods), "--no-record")
    controlled = reasons(got["G-1"], "goods.controlled")
    assert got["G-1"]["verdict"] == "block" and len(controlled) == 1
    assert "controlled-goods list 'us_license_hts6'" in controlled[0]["detail"]
    assert controlled[0]["source"].startswith("us_license_hts6 (us_license_hts6.csv, file date ")
    assert got["G-2"]["verdict"] == "clear"
    assert sorted(rules(got["G-3"])) == ["data.unknown_country", "goods.eccn_invalid", "goods.hs_invalid"]
    assert got["G-3"]["verdict"] == "review"
    assert {g["name"] for g in summary["goods_lists"]} == {"BIS Common High Priority List", "us_license_hts6"}


def test_ownership_regime_none_and_bad_options(store: Path, tmp_path: Path) -> None:
    tg("ownership", "load", str(OWNERSHIP), db=store)
    path = write_orders(tmp_path / "o.csv", [
        {"line": "X-1", "buyer_name": "Arvand Aero Parts Trading LLC", "buyer_country": "AE", "ship_to_country": "AE",
         "hs_code": "8501.31"},
    ])
    got, _ = screen(store, path, tmp_path / "a.jsonl", "--ownership-regime", "uk", "--no-record")
    assert [r["detail"].split(" is blocked under ")[1].split()[0] for r in reasons(got["X-1"], "ownership.blocked")] == ["UK"]
    got, summary = screen(store, path, tmp_path / "b.jsonl", "--ownership-regime", "none", "--no-record")
    assert got["X-1"]["verdict"] == "clear" and summary["ownership"] is None
    proc = tg("orders", "screen", str(path), "-o", str(tmp_path / "c.jsonl"), "--ownership-regime", "swiss", db=store, check=False)
    assert proc.returncode == 1 and "unknown regime 'swiss'" in proc.stderr


def test_empty_store_is_refused(tmp_path: Path, chpl_file: Path) -> None:
    proc = tg("orders", "screen", str(ORDERS), "-o", str(tmp_path / "o.jsonl"), db=tmp_path / "empty.db", check=False)
    assert proc.returncode == 1 and "no active lists" in proc.stderr
