"""Monitored parties: bulk files with bad rows reported by line; data hashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tradeguard.sources.base import SourceError
from tradeguard.store.parties import (
    count_parties,
    deactivate_party,
    get_party,
    iter_active_parties,
    list_parties,
    party_from_record,
    read_party_file,
    upsert_parties,
)

CSV = (
    "id,name,schema,birth_date,country,identifiers,address,kind\n"
    "c1,Ivan Petrov,Person,1970-05-02,Russia,passport 123; inn 7701,Moscow,customer\n"
    "c2,,Person,,,,,customer\n"
    "c3,Acme,Spaceship,,,,,customer\n"
    "c4,Bob Jones,Person,not a date,,,,customer\n"
    "c1,Ivan Again,Person,,,,,customer\n"
    'c5,"Northern Shipping, Ltd",Company,,GB,,"1 Dock Road, Hull",supplier\n'
    "c6,Too Many,,,,,,,customer,surplus\n"
    "c7,Odd Kind,,,,,,alien\n"
    ",No Id,,,,,,\n"
    "c8,Mary Major,individual,02/03/1980,fr,,,consignee\n"
)


def test_csv_bad_rows_are_reported_by_line(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text(CSV, encoding="utf-8")
    found = read_party_file(path)
    assert [line for line, _p in found.parties] == [2, 7, 11]
    errors = {e.line: e.problem for e in found.errors}
    assert sorted(errors) == [3, 4, 5, 6, 8, 9, 10]
    assert "no name" in errors[3]
    assert "unknown schema 'Spaceship'" in errors[4]
    assert "not a date" in errors[5]
    assert "repeated (first on line 2)" in errors[6]
    assert "10 cells but the header has 8 columns" in errors[8]
    assert "unknown kind 'alien'" in errors[9]
    assert "no party id" in errors[10]
    c1, c5, c8 = (p for _l, p in found.parties)
    assert (c1.schema, c1.birth_date, c1.country, c1.identifiers, c1.kind) == (
        "Person", "1970-05-02", "ru", ["passport 123", "inn 7701"], "customer")
    assert (c5.name, c5.address, c5.kind, c5.country) == ("Northern Shipping, Ltd", "1 Dock Road, Hull", "supplier", "gb")
    assert (c8.schema, c8.birth_date, c8.kind) == ("Person", "1980-03-02", "consignee")


def test_jsonl_and_xlsx(tmp_path: Path) -> None:
    jsonl = tmp_path / "parties.jsonl"
    jsonl.write_text(
        json.dumps({"id": "j1", "name": "Anna Schmidt", "identifiers": ["DE123", "X9"]}) + "\n"
        + "{not json\n"
        + json.dumps(["a", "list"]) + "\n"
        + json.dumps({"id": "j2", "name": "Blue Horizon Trading", "schema": "Company"}) + "\n",
        encoding="utf-8",
    )
    found = read_party_file(jsonl)
    assert [p.id for _l, p in found.parties] == ["j1", "j2"]
    assert found.parties[0][1].identifiers == ["DE123", "X9"]
    assert [(e.line, e.problem.split(":")[0]) for e in found.errors] == [(2, "invalid JSON"), (3, "expected a JSON object")]

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["ID", "Name", "Birth Date", "Kind"])
    ws.append(["x1", "Carlos Ruiz", "1965-01-31", "supplier"])
    ws.append(["x2", None, None, None])  # only an id: no name
    ws.append(["x3", "Li Wei", "31.12.1990", "customer"])
    xlsx = tmp_path / "parties.xlsx"
    wb.save(xlsx)
    found = read_party_file(xlsx)
    assert [(line, p.id, p.birth_date) for line, p in found.parties] == [(2, "x1", "1965-01-31"), (4, "x3", "1990-12-31")]
    assert [(e.line, "no name" in e.problem) for e in found.errors] == [(3, True)]

    pdf = tmp_path / "parties.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(SourceError, match="unknown input type"):
        read_party_file(pdf)
    with pytest.raises(SourceError, match="no such file"):
        read_party_file(tmp_path / "missing.csv")


def test_data_hash_follows_the_screening_fields() -> None:
    base = party_from_record({"id": "p", "name": "Ivan  Petrov", "identifiers": "b; a"})
    same = party_from_record({"id": "p", "name": "Ivan Petrov", "identifiers": "a;b", "kind": "supplier"})
    assert base.compute_hash() == same.compute_hash()  # whitespace, identifier order and kind do not count
    for change in ({"name": "Ivan Petrova"}, {"birth_date": "1970"}, {"country": "Ukraine"},
                   {"identifiers": "a"}, {"address": "Kyiv"}, {"schema": "Person"}):
        other = party_from_record({"id": "p", "name": "Ivan Petrov", "identifiers": "a;b", **change})
        assert other.compute_hash() != base.compute_hash(), change


def test_upsert_created_updated_unchanged(engine: Engine) -> None:
    p1 = party_from_record({"id": "p1", "name": "Ivan Petrov", "country": "ru"})
    p2 = party_from_record({"id": "p2", "name": "Anna Schmidt", "kind": "supplier"})
    with engine.begin() as conn:
        first = upsert_parties(conn, [p1, p2])
    assert [p.id for p in first.created] == ["p1", "p2"] and not first.updated
    with engine.connect() as conn:
        stored = get_party(conn, "p1")
        assert stored is not None and stored.data_hash == p1.compute_hash() and stored.country == "ru"
    moved = party_from_record({"id": "p1", "name": "Ivan Petrov", "country": "ua"})
    kind_only = party_from_record({"id": "p2", "name": "Anna Schmidt", "kind": "consignee"})
    with engine.begin() as conn:
        second = upsert_parties(conn, [moved, kind_only])
    assert [p.id for p in second.updated] == ["p1"]
    assert [p.id for p in second.unchanged] == ["p2"]
    with engine.connect() as conn:
        after = get_party(conn, "p1")
        assert after is not None and after.data_hash == moved.compute_hash() != p1.compute_hash()
        p2_now = get_party(conn, "p2")
        assert p2_now is not None and p2_now.kind == "consignee"
    with engine.begin() as conn:
        assert deactivate_party(conn, "p2")
        assert not deactivate_party(conn, "p2")
        assert count_parties(conn) == 1
        assert [p.id for p in iter_active_parties(conn)] == ["p1"]
        assert [p.id for p in list_parties(conn, active=None)] == ["p1", "p2"]
    with engine.begin() as conn:
        again = upsert_parties(conn, [kind_only])
    assert [p.id for p in again.updated] == ["p2"]  # monitored again: screened again
