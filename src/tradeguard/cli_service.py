"""CLI sub-apps of the screening service: `keys`, `parties`, `alerts`, `audit`.

Mounted on the main `tradeguard` command (``app.add_typer(keys_app, name="keys")``...);
``python -m tradeguard.cli_service`` runs them on their own. Each command takes ``--db``;
without it the main command's ``--db``, else ``$TRADEGUARD_DB``, else ./tradeguard.db.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from tradeguard.cli_common import (
    DbOption,
    JsonOption,
    cli_actor,
    console,
    err,
    fail,
    make_table,
    print_json,
    store_engine,
)
from tradeguard.sources.base import SourceError
from tradeguard.store import audit as audit_store
from tradeguard.store import service_tables  # noqa: F401  (registers the service tables)
from tradeguard.store.alerts import (
    DECISIONS,
    STATUSES,
    DecisionError,
    alert_entity,
    decide,
    decisions,
    get_alert,
    list_alerts,
)
from tradeguard.store.keys import (
    ROLES,
    RoleError,
    create_key,
    expiry_in,
    list_keys,
    require_role,
    revoke_key,
    rotate_key,
    verify_key,
)
from tradeguard.store.parties import (
    KINDS,
    deactivate_party,
    get_party,
    list_parties,
    party_from_record,
    read_party_file,
)

KEY_ENV = "TRADEGUARD_API_KEY"

ThresholdOption = Annotated[float | None, typer.Option("--threshold", help="Match score threshold [default: the engine's].")]

keys_app = typer.Typer(help="API keys (stored hashed) with roles screener < reviewer < admin.", no_args_is_help=True)
parties_app = typer.Typer(help="Monitored parties: customers, suppliers, consignees.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts raised on monitored parties, and reviewers' decisions.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail and per-party evidence.", no_args_is_help=True)


def _items(values: Any) -> list[Any]:
    # Entity has a field named "list", which hides the builtin from mypy inside the class.
    return list(values)


# --- keys -------------------------------------------------------------------------------


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")],
    label: Annotated[str, typer.Option("--label", help="Who or what the key is for.")] = "",
    expires_in: Annotated[float | None, typer.Option("--expires-in", min=0.001, help="Days until the key stops working [default: never].")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    if role not in ROLES:
        fail(f"unknown role '{role}': use one of {', '.join(ROLES)}")
    expires_at = expiry_in(expires_in) if expires_in is not None else None
    engine = store_engine(db)
    with engine.begin() as conn:
        key_id, plaintext = create_key(conn, role, label, expires_at)
        audit_store.append(conn, cli_actor(), "key_create",
                           {"key": key_id, "role": role, "label": label, "expires_at": expires_at})
    if json_out:
        print_json({"id": key_id, "role": role, "label": label, "expires_at": expires_at, "key": plaintext})
        return
    console.print(f"created {role} key {key_id}" + (f" ({label})" if label else ""), highlight=False)
    console.print("The key is shown only this once; store it now:", highlight=False)
    sys.stdout.write(plaintext + "\n")


@keys_app.command("list")
def keys_list(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Every key: id, role, label, created, revoked (never the key itself)."""
    engine = store_engine(db)
    with engine.connect() as conn:
        found = list_keys(conn)
    if json_out:
        print_json([k.to_dict() for k in found])
        return
    table = make_table(("id", "role", "label", "created", "revoked", "expires"), "API keys")
    for k in found:
        table.add_row(k.id, k.role, k.label, k.created_at, k.revoked_at or "", k.expires_at or "")
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id (tg_<id>_...).")], db: DbOption = None) -> None:
    """Revoke a key: it stops working at once."""
    engine = store_engine(db)
    with engine.begin() as conn:
        if not revoke_key(conn, key_id):
            fail(f"no active key '{key_id}'")
        audit_store.append(conn, cli_actor(), "key_revoke", {"key": key_id})
    console.print(f"revoked key {key_id}")


@keys_app.command("rotate")
def keys_rotate(
    key_id: Annotated[str, typer.Argument(help="The key's id (tg_<id>_...).")],
    grace_hours: Annotated[float, typer.Option("--grace-hours", min=0, help="Hours the old key keeps working, for clients to switch [default: 0, it stops at once].")] = 0.0,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """A new key with the old one's role and label, printed once; the old key stops working
    at once or after --grace-hours."""
    engine = store_engine(db)
    try:
        with engine.begin() as conn:
            new_id, plaintext = rotate_key(conn, key_id, grace_hours)
            audit_store.append(conn, cli_actor(), "key_rotate", {"key": key_id, "new_key": new_id,
                                                                 "grace_hours": grace_hours})
    except KeyError as exc:
        fail(str(exc.args[0]))
        return
    if json_out:
        print_json({"id": new_id, "replaces": key_id, "grace_hours": grace_hours, "key": plaintext})
        return
    when = "at once" if grace_hours <= 0 else f"in {grace_hours:g} hour(s)"
    console.print(f"new key {new_id} replaces {key_id}, which stops working {when}", highlight=False)
    console.print("The key is shown only this once; store it now:", highlight=False)
    sys.stdout.write(plaintext + "\n")


# --- parties ----------------------------------------------------------------------------


def _register_report(result: Any, json_out: bool) -> None:
    if json_out:
        data = result.to_dict()
        data["matches"] = result.matches
        print_json(data)
        return
    a = result.alerts
    lists_text = ", ".join(f"{v['list']} v{v['version']}" for v in result.list_versions) or "no lists"
    console.print(
        f"{len(result.created)} created, {len(result.updated)} updated, {len(result.unchanged)} unchanged; "
        f"{result.screened} screened against {lists_text}: "
        f"{len(a.raised)} new alert(s), {len(a.reopened)} re-opened, {len(a.suppressed)} suppressed",
        highlight=False,
    )
    for alert in [*a.raised, *a.reopened]:
        console.print(f"  alert {alert.id} [{alert.status}] {alert.party_id} ~ {alert.entity_id} "
                      f"'{alert.matched_name}' score {alert.score:.3f}", highlight=False)


@parties_app.command("add")
def parties_add(
    party_id: Annotated[str, typer.Option("--id", help="Your reference for the party.")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    schema: Annotated[str | None, typer.Option("--schema", help="Person, Organization, Company, LegalEntity, Vessel, Airplane.")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY-MM-DD (or YYYY).")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Country (name or ISO code).")] = None,
    identifier: Annotated[list[str] | None, typer.Option("--identifier", help="An identifier (repeatable).")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Address as one line.")] = None,
    kind: Annotated[str, typer.Option("--kind", help=f"One of {', '.join(KINDS)}.")] = "customer",
    threshold: ThresholdOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Register (or update) one monitored party and screen it at once."""
    from tradeguard.screening.monitor import register_parties

    record = {"id": party_id, "name": name, "schema": schema, "birth_date": birth_date, "country": country,
              "identifiers": identifier or [], "address": address, "kind": kind}
    try:
        party = party_from_record(record)
    except ValueError as exc:
        fail(str(exc))
        return
    result = register_parties(store_engine(db), [party], actor=cli_actor(), threshold=threshold)
    _register_report(result, json_out)


@parties_app.command("import")
def parties_import(
    path: Annotated[Path, typer.Argument(help="CSV, XLSX or JSONL with columns id, name, schema, birth_date, country, identifiers, address, kind.")],
    threshold: ThresholdOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Register parties in bulk and screen the new or changed ones. Rows that cannot be
    read are listed by line (exit code 1); the others are registered."""
    from tradeguard.screening.monitor import register_parties

    try:
        found = read_party_file(path)
    except SourceError as exc:
        fail(str(exc))
        return
    for error in found.errors:
        err.print(f"[red]refused[/red] {path}: {error}", highlight=False)
    result = register_parties(store_engine(db), [p for _line, p in found.parties], actor=cli_actor(), threshold=threshold)
    if json_out:
        data = result.to_dict()
        data["errors"] = [{"line": e.line, "problem": e.problem} for e in found.errors]
        print_json(data)
    else:
        _register_report(result, False)
        if found.errors:
            console.print(f"{len(found.errors)} row(s) refused (listed above with their line).")
    if found.errors:
        raise typer.Exit(1)


@parties_app.command("list")
def parties_list(
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    include_removed: Annotated[bool, typer.Option("--all", help="Include parties no longer monitored.")] = False,
    search: Annotated[str | None, typer.Option("--search", help="Name contains this text.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 100,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Monitored parties."""
    engine = store_engine(db)
    with engine.connect() as conn:
        found = list_parties(conn, kind=kind, active=None if include_removed else True, search=search, limit=limit)
    if json_out:
        print_json([p.to_dict() for p in found])
        return
    table = make_table(("id", "name", "schema", "kind", "birth date", "country", "identifiers", "monitored", "updated"), "Monitored parties")
    for p in found:
        table.add_row(p.id, p.name, p.schema or "", p.kind, p.birth_date or "", p.country or "",
                      "; ".join(p.identifiers), "yes" if p.active else "no", p.updated_at)
    console.print(table)


@parties_app.command("remove")
def parties_remove(party_id: Annotated[str, typer.Argument(help="Party id.")], db: DbOption = None) -> None:
    """Stop monitoring a party (its alerts, decisions and evidence are kept)."""
    engine = store_engine(db)
    with engine.begin() as conn:
        if not deactivate_party(conn, party_id):
            fail(f"no monitored party '{party_id}'")
        audit_store.append(conn, cli_actor(), "party_remove", {"party": party_id}, subject=party_id)
    console.print(f"party {party_id} is no longer monitored")


@parties_app.command("rescreen")
def parties_rescreen(
    list_key: Annotated[str, typer.Argument(help="List key, e.g. us_ofac_sdn.")],
    from_id: Annotated[int | None, typer.Option("--from", help="Older version [default: the one before --to].")] = None,
    to_id: Annotated[int | None, typer.Option("--to", help="Newer version [default: the active one].")] = None,
    threshold: ThresholdOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Rescreen every monitored party against the entities changed between two versions."""
    from tradeguard.screening.monitor import rescreen_after_load
    from tradeguard.store.lists import active_version, get_version, previous_version

    engine = store_engine(db)
    with engine.connect() as conn:
        to_v = get_version(conn, to_id) if to_id is not None else active_version(conn, list_key)
        if to_v is None or to_v.list_key != list_key:
            fail(f"no version {to_id if to_id is not None else '(active)'} of list '{list_key}'")
            return
        from_v = get_version(conn, from_id) if from_id is not None else previous_version(conn, to_v)
        if from_id is not None and (from_v is None or from_v.list_key != list_key):
            fail(f"no version {from_id} of list '{list_key}'")
            return
    result = rescreen_after_load(engine, list_key, from_v, to_v, actor=cli_actor(), threshold=threshold)
    if json_out:
        print_json(result.to_dict())
    else:
        console.print(result.message, highlight=False)


# --- alerts -----------------------------------------------------------------------------


@alerts_app.command("list")
def alerts_list(
    status: Annotated[list[str] | None, typer.Option("--status", help=f"Only this status (repeatable): {', '.join(STATUSES)}.")] = None,
    party: Annotated[str | None, typer.Option("--party", help="Only this party.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 100,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Alerts, oldest first."""
    engine = store_engine(db)
    try:
        with engine.connect() as conn:
            found = list_alerts(conn, status=status or None, party_id=party, limit=limit)
    except ValueError as exc:
        fail(str(exc))
        return
    if json_out:
        print_json([a.to_dict() for a in found])
        return
    table = make_table(
        ("id", "status", "party", "entity", "matched name", "score", "regimes", "listings", "raised", "note"), "Alerts"
    )
    for a in found:
        note = a.closed_reason or ""
        if a.changes:
            what = [f"{k} changed" for k in ("party", "entity") if a.changes.get(k, {}).get("changed")]
            added = a.changes.get("listings", {}).get("added") or []
            what += [f"new listing {x['list']} {x['source_id']}" for x in added]
            note = "re-opened: " + ", ".join(what)
        table.add_row(str(a.id), a.status, a.party_id, a.entity_id, a.matched_name, f"{a.score:.3f}",
                      " ".join(a.regimes), str(len(a.listings)), a.created_at[:19], note)
    console.print(table)


@alerts_app.command("show")
def alerts_show(alert_id: Annotated[int, typer.Argument(help="Alert id.")], db: DbOption = None, json_out: JsonOption = False) -> None:
    """One alert: the party and the listed entity side by side, the explanation, decisions."""
    engine = store_engine(db)
    with engine.connect() as conn:
        alert = get_alert(conn, alert_id)
        if alert is None:
            fail(f"no alert {alert_id}")
            return
        entity = alert_entity(conn, alert)
        party = get_party(conn, alert.party_id)
        history = decisions(conn, alert_id)
    if json_out:
        print_json({"alert": alert.to_dict(), "entity": entity.to_dict() if entity else None,
                     "party_now": party.to_dict() if party else None, "decisions": [d.to_dict() for d in history]})
        return
    console.print(f"[bold]alert {alert.id}[/bold] [{alert.status}] raised {alert.created_at} by version {alert.version_id}"
                  f" - score {alert.score:.3f} on '{alert.matched_name}' ({alert.name_kind})", highlight=False)
    table = Table()
    table.add_column("field")
    table.add_column(f"party {alert.party_id}")
    table.add_column(f"listed {alert.entity_id}")
    ent = entity
    rows = [
        ("name", alert.party_data.get("name"), "; ".join(n.value for n in _items(ent.names)) if ent else ""),
        ("schema", alert.party_data.get("schema"), ent.schema if ent else ""),
        ("birth date", alert.party_data.get("birth_date"), "; ".join(ent.birth_dates) if ent else ""),
        ("country", alert.party_data.get("country"), "; ".join([*ent.countries, *ent.nationalities]) if ent else ""),
        ("identifiers", "; ".join(alert.party_data.get("identifiers") or []),
         "; ".join(f"{i.type} {i.value}" for i in _items(ent.identifiers)) if ent else ""),
        ("address", alert.party_data.get("address"), "; ".join(a.text for a in _items(ent.addresses)) if ent else ""),
        ("programs", "", "; ".join(ent.programs) if ent else ""),
    ]
    for label, left, right in rows:
        table.add_row(label, str(left or ""), str(right or ""))
    console.print(table)
    listings = make_table(("regime", "list", "id", "name", "score", "version"),
                          f"listed by {', '.join(alert.regimes)}: this alert covers every listing")
    for x in alert.listings:
        version = f"{x.version_id}" + (f" (delisted in {x.removed_by_version})" if x.removed_by_version else "")
        listings.add_row(x.regime, x.list_key, x.source_id, x.name,
                         f"{x.score:.3f}" if x.score is not None else "linked", version)
    console.print(listings)
    console.print("explanation: " + json.dumps(alert.explanation, ensure_ascii=False), highlight=False)
    if alert.changes:
        console.print("what changed: " + json.dumps(alert.changes, ensure_ascii=False), highlight=False)
    if alert.closed_reason:
        console.print(f"closed: {alert.closed_reason}", highlight=False)
    for d in history:
        console.print(f"  {d.at} {d.reviewer}: {d.decision} ({d.effect}) - {d.reason}", highlight=False)


def reviewer_id(conn: Any, key: str | None) -> str:
    """The id of the reviewer's key given (or in $TRADEGUARD_API_KEY); fails the command
    for a missing, invalid or revoked key, and raises RoleError for a key of another role."""
    key = key or os.environ.get(KEY_ENV)
    if not key:
        fail(f"a reviewer's key is needed: --key KEY or ${KEY_ENV}")
    info = verify_key(conn, key or "")
    if info is None:
        fail("invalid or revoked key")
    assert info is not None
    require_role(info, "reviewer")
    return info.id


@alerts_app.command("decide")
def alerts_decide(
    alert_id: Annotated[int, typer.Argument(help="Alert id.")],
    decision: Annotated[str, typer.Option("--decision", help=" or ".join(DECISIONS))],
    reason: Annotated[str, typer.Option("--reason", help="Why (required).")],
    key: Annotated[str | None, typer.Option("--key", help=f"A reviewer's API key [default: ${KEY_ENV}].")] = None,
    four_eyes: Annotated[bool | None, typer.Option("--four-eyes/--no-four-eyes", help="Clearing an escalated alert needs two reviewers [default: $TRADEGUARD_FOUR_EYES, off].")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Record a decision: true_match (escalate) or false_positive (clear), with a reason."""
    engine = store_engine(db)
    try:
        with engine.begin() as conn:
            result = decide(conn, alert_id, decision, reason, reviewer_id(conn, key), four_eyes=four_eyes)
    except (DecisionError, RoleError) as exc:
        fail(str(exc))
        return
    if json_out:
        print_json({"alert": result.alert.to_dict(), "decision": result.decision.to_dict(), "pending": result.pending})
        return
    if result.pending:
        console.print(f"alert {alert_id}: clearance recorded; four-eyes: a second, different reviewer must confirm it")
    else:
        console.print(f"alert {alert_id} is now {result.alert.status}")


# --- audit ------------------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Check the hash chain; say where it breaks (exit code 1 when it does)."""
    engine = store_engine(db)
    with engine.connect() as conn:
        result = audit_store.verify(conn)
        last_seq, last_hash = audit_store.head(conn)
    if json_out:
        print_json({"ok": result.ok, "first_bad_seq": result.first_bad_seq, "reason": result.reason,
                     "head": {"seq": last_seq, "hash": last_hash}})
    elif result.ok:
        console.print(f"[green]ok[/green] {result.reason}", highlight=False)
    else:
        err.print(f"[red]BROKEN[/red] at row {result.first_bad_seq}: {result.reason}", highlight=False)
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("list")
def audit_list(
    party: Annotated[str | None, typer.Option("--party", help="Only entries about this party.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="Only this action.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only this actor.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 50,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Audit entries, newest first."""
    engine = store_engine(db)
    with engine.connect() as conn:
        found = audit_store.entries(conn, subject=party, action=action, actor=actor, limit=limit, newest_first=True)
    if json_out:
        print_json([e.to_dict() for e in found])
        return
    table = make_table(("seq", "at", "actor", "action", "subject", "hash"), "Audit trail")
    for e in found:
        table.add_row(str(e.seq), e.at, e.actor, e.action, e.subject or "", e.hash[:16])
    console.print(table)


@audit_app.command("export")
def audit_export(
    party: Annotated[str, typer.Argument(help="Party id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the evidence to.")],
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also print a PDF where Chromium or LibreOffice is installed.")] = True,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Write one party's evidence as CSV and a self-contained HTML report (and PDF)."""
    engine = store_engine(db)
    try:
        with engine.connect() as conn:
            result = audit_store.export_party(conn, party, output, pdf=pdf)
    except KeyError as exc:
        fail(str(exc.args[0]))
        return
    with engine.begin() as conn:
        audit_store.append(conn, cli_actor(), "export", {"party": party, "counts": result.counts,
                                                          "files": [str(result.csv_path), str(result.html_path)]},
                           subject=party)
    if json_out:
        print_json({"csv": str(result.csv_path), "html": str(result.html_path),
                     "pdf": str(result.pdf_path) if result.pdf_path else None, "counts": result.counts})
        return
    console.print(f"wrote {result.csv_path} and {result.html_path}" + (f" and {result.pdf_path}" if result.pdf_path else
                  (" (no PDF: neither chromium nor libreoffice is installed)" if pdf else "")), highlight=False)


# Standalone: `python -m tradeguard.cli_service keys create --role admin`.
app = typer.Typer(help="tradeguard screening service commands.", no_args_is_help=True, add_completion=False)
app.add_typer(keys_app, name="keys")
app.add_typer(parties_app, name="parties")
app.add_typer(alerts_app, name="alerts")
app.add_typer(audit_app, name="audit")

if __name__ == "__main__":
    app()
