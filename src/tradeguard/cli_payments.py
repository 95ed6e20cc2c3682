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

from tradeguard.cli_common import DbOption, State, console, err, fail, make_table, progress
from tradeguard.sources.base import SourceError

payments_app = typer.Typer(help="Screen payment messages: ISO 20022 (pacs, pain) and SWIFT MT.", no_args_is_help=True)

_STYLE = {"hold": "bold white on red", "release": "bold white on green", "error": "bold black on yellow"}


@payments_app.command("screen")
def payments_screen(
    inputs: Annotated[list[Path], typer.Argument(metavar="IN...", help="Message files or folders (format detected from content).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Results: one JSON record per transaction (.jsonl).")],
    threshold: Annotated[float | None, typer.Option("--threshold", help="Name match threshold [default: the engine's].")] = None,
    regime: Annotated[str | None, typer.Option("--regime", help="ofac, eu or uk: only parties that regime lists hold [default: any list].")] = None,
    destinations: Annotated[Path | None, typer.Option("--destinations", help="Destinations YAML merged over the defaults.")] = None,
    show: Annotated[bool, typer.Option("--show/--no-show", help="Print every transaction's verdict and hits.")] = True,
    db: DbOption = None,
) -> None:
    """Screen every transaction of the messages: parties, agents, BICs, places and free text.
    Verdict per transaction: hold, release, or error for what cannot be read (never release)."""
    from tradeguard.payments.read import read_payments
    from tradeguard.screening.destinations import DestinationRules
    from tradeguard.screening.parties import Screener
    from tradeguard.screening.payments import REGIME_LISTS, PaymentScreener

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
    payments = PaymentScreener(screener, rules, threshold=threshold, regime=regime.casefold() if regime else None)
    results = []
    with progress() as bar, open(output, "w", encoding="utf-8") as out:
        task = bar.add_task("screening payments", total=None)
        for path in inputs:
            for message in read_payments(path):
                for result in payments.screen_message(message):
                    out.write(json.dumps(result.to_dict(), ensure_ascii=False, default=str) + "\n")
                    results.append(result)
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
    if counts["error"]:
        err.print("some messages could not be read: their verdict is error (see the errors above)")
