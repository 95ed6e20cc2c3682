"""CLI sub-app `payments`: screen ISO 20022 and SWIFT MT payment messages.

Mounted on the main `tradeguard` command (``app.add_typer(payments_app, name="payments")``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tradeguard.cli_common import (
    DbOption,
    JsonOption,
    State,
    cli_actor,
    console,
    err,
    fail,
    make_table,
    print_json,
    progress,
    store_engine,
)
from tradeguard.sources.base import SourceError

payments_app = typer.Typer(help="Screen payment messages: ISO 20022 (pacs, pain) and SWIFT MT.", no_args_is_help=True)

_STYLE = {"hold": "bold white on red", "release": "bold white on green", "error": "bold black on yellow"}


KEEP_TEXT_BYTES = 2 * 1024 * 1024  # message files up to this size are kept for review (UI)


@payments_app.command("screen")
def payments_screen(
    inputs: Annotated[list[Path], typer.Argument(metavar="IN...", help="Message files or folders (format detected from content).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Results: one JSON record per transaction (.jsonl).")],
    threshold: Annotated[float | None, typer.Option("--threshold", help="Name match threshold [default: the engine's].")] = None,
    regime: Annotated[str | None, typer.Option("--regime", help="ofac, eu or uk: only parties that regime lists hold [default: any list].")] = None,
    destinations: Annotated[Path | None, typer.Option("--destinations", help="Destinations YAML merged over the defaults.")] = None,
    record: Annotated[bool, typer.Option("--record/--no-record", help="Keep the screened transactions in the store (held ones for review) and audit.")] = True,
    alerts: Annotated[bool, typer.Option("--alerts/--no-alerts", help="Raise alerts for hits on listed parties (review queue).")] = True,
    show: Annotated[bool, typer.Option("--show/--no-show", help="Print every transaction's verdict and hits.")] = True,
    db: DbOption = None,
) -> None:
    """Screen every transaction of the messages: parties, agents, BICs, places and free text.
    Verdict per transaction: hold, release, or error for what cannot be read (never release)."""
    from tradeguard.payments.read import payment_files, read_payment_file
    from tradeguard.screening.destinations import DestinationRules
    from tradeguard.screening.parties import Screener
    from tradeguard.screening.payments import (
        REGIME_LISTS,
        PaymentScreener,
        link_listings_for,
        record_payments,
    )

    if regime is not None and regime.casefold() not in REGIME_LISTS:
        fail(f"unknown regime '{regime}': use {', '.join(REGIME_LISTS)}")
    missing = [p for p in inputs if not p.exists()]
    if missing:
        fail(f"no such file or folder: {missing[0]}")
    try:
        rules = DestinationRules.load(destinations)
    except SourceError as exc:
        fail(str(exc))
        return
    screener = Screener(db or State.db)
    if len(screener) == 0:
        fail("the store holds no active lists: run `tradeguard lists load` or `tradeguard lists update` first")
    wanted = regime.casefold() if regime else None
    payments = PaymentScreener(screener, rules, threshold=threshold, regime=wanted, processes=0)  # a batch on every core
    files = [item for path in inputs for item in payment_files(path)]
    results = []
    kept = 0
    with progress() as bar, open(output, "w", encoding="utf-8") as out:
        task = bar.add_task("screening payments", total=len(files))
        for file, source in files:
            found = [r for m in read_payment_file(file, source) for r in payments.screen_message(m)]
            ids: list[int | None] = [None] * len(found)
            if record and screener.engine is not None:
                text = file.read_text(encoding="utf-8", errors="replace") if file.stat().st_size <= KEEP_TEXT_BYTES else None
                if alerts:
                    link_listings_for(screener, found)
                with screener.engine.begin() as conn:
                    ids = list(record_payments(conn, found, {source: text} if text is not None else {},
                                               actor=cli_actor(), screener=screener, threshold=payments.threshold,
                                               regime=wanted, alerts=alerts))
                kept += len(ids)
            for result, payment_id in zip(found, ids, strict=True):
                out.write(json.dumps({**result.to_dict(), "payment": payment_id}, ensure_ascii=False, default=str) + "\n")
            results.extend(found)
            bar.advance(task)
    counts = Counter(r.verdict for r in results)
    if show:
        table = make_table(("message", "transaction", "format", "verdict", "hits"), "Payments", fold=True, lines=True)
        for r in results:
            lines = [f"{h.field}: {h.value!r} -> " + (f"{h.list} {h.source_id} '{h.matched_name}' {h.score:.3f}"
                     if h.entity_id and h.score is not None else str(h.explanation)) for h in r.hits]
            lines += r.errors
            table.add_row(escape(f"{r.source} #{r.message_index} {r.message_id or ''}"), escape(r.transaction_id or ""),
                          r.format or "", f"[{_STYLE[r.verdict]}] {r.verdict} [/]", escape("\n".join(lines)))
        console.print(table)
    console.print(f"{len(results)} transaction(s): {counts['hold']} hold, {counts['release']} release, "
                  f"{counts['error']} error; results in {output}", highlight=False)
    if kept:
        console.print(f"kept in the store for review: {kept} ({counts['hold']} held; `tradeguard serve`, "
                      "page Payments, or GET /payments)", highlight=False)
    if counts["error"]:
        err.print("some messages could not be read: their verdict is error (see the errors above)")


@payments_app.command("list")
def payments_list(
    status: Annotated[list[str] | None, typer.Option("--status", help="held, released, rejected, passed, error (repeatable) [default: held].")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 50,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Screened payments kept in the store, newest first (held ones by default)."""
    from tradeguard.store import payments as kept

    try:
        with store_engine(db).connect() as conn:
            found = kept.listing(conn, status or ["held"], limit=limit)
    except ValueError as exc:
        fail(str(exc))
        return
    if json_out:
        print_json([p.to_dict() for p in found])
        return
    table = make_table(("id", "status", "message", "transaction", "format", "hits", "alerts", "screened"), "Payments")
    for p in found:
        hits = "; ".join(f"{h['kind']} {h.get('list') or ''} {h.get('source_id') or ''} {h['value']}".strip() for h in p.hits)
        table.add_row(str(p.id), p.status, escape(p.message_id or ""), escape(p.transaction_id or ""), p.format or "",
                      escape(hits), ", ".join(map(str, p.alerts)), p.at[:19])
    console.print(table)


@payments_app.command("decide")
def payments_decide(
    payment_id: Annotated[int, typer.Argument(help="The screened payment's id (payments list).")],
    decision: Annotated[str, typer.Option("--decision", help="release or reject")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required).")],
    key: Annotated[str | None, typer.Option("--key", help="A reviewer's API key [default: $TRADEGUARD_API_KEY].")] = None,
    db: DbOption = None,
) -> None:
    """Release or reject a held payment (reject an unreadable one), with a reason; audited."""
    from tradeguard.cli_service import reviewer_id
    from tradeguard.store import payments as kept
    from tradeguard.store.keys import RoleError

    try:
        with store_engine(db).begin() as conn:
            decided = kept.decide(conn, payment_id, decision, reason, reviewer_id(conn, key))
    except (kept.PaymentDecisionError, RoleError) as exc:
        fail(str(exc))
        return
    console.print(f"payment {payment_id} is now {decided.status}")
