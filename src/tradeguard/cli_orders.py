"""CLI sub-apps `orders` and `ownership`.

Mounted on the main `tradeguard` command (``app.add_typer(orders_app, name="orders")`` and
``app.add_typer(ownership_app, name="ownership")``). Each command takes ``--db`` (also
``$TRADEGUARD_DB``); given on the command itself it wins, else the main command's ``--db``,
else ``$TRADEGUARD_DB``, else ./tradeguard.db.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
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
from tradeguard.store import ownership as ownership_store  # registers the ownership tables

orders_app = typer.Typer(help="Screen order lines: parties, goods, destinations, ownership.", no_args_is_help=True)
shipments_app = typer.Typer(help="Screen shipments (bills of lading, bookings): parties, vessel, route, goods.",
                            no_args_is_help=True)
ownership_app = typer.Typer(help="Ownership edges and the 50 percent rule per regime.", no_args_is_help=True)

REGIME_NAMES = ("ofac", "eu", "uk")


def _regimes(values: list[str] | None) -> tuple[str, ...]:
    if not values:
        return REGIME_NAMES
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip().casefold()
            if part in ("none", ""):
                continue
            if part == "all":
                out.extend(REGIME_NAMES)
                continue
            if part not in REGIME_NAMES:
                fail(f"unknown regime '{part}': use ofac, eu, uk, all or none")
            out.append(part)
    return tuple(dict.fromkeys(out))


# --- orders ---------------------------------------------------------------------------------


_STYLE = {"block": "bold white on red", "review": "bold black on yellow", "clear": "bold white on green"}


@orders_app.command("screen")
def orders_screen(
    ctx: typer.Context,
    input_path: Annotated[Path, typer.Argument(metavar="IN", help="Order lines: CSV, XLSX or JSONL (columns: see docs).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Results: .jsonl (default), .csv or .xlsx.")],
    report: Annotated[Path | None, typer.Option("--report", help="Folder for the HTML report (<IN stem>.report.html).")] = None,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Party match threshold [default: the engine's].")] = None,
    regime: Annotated[list[str] | None, typer.Option("--ownership-regime", help="ofac, eu, uk, all or none (repeatable) [default: all].")] = None,
    goods_list: Annotated[list[Path] | None, typer.Option("--goods-list", help="A controlled-goods CSV (hs_code, description, destinations) (repeatable).")] = None,
    chpl: Annotated[Path | None, typer.Option("--chpl", help="Common High Priority List CSV [default: $TRADEGUARD_CHPL or ../shared/data/goods/chpl_hs_codes.csv].")] = None,
    destinations: Annotated[Path | None, typer.Option("--destinations", help="Destinations YAML merged over the defaults.")] = None,
    first_seen_days: Annotated[int | None, typer.Option("--first-seen-days", help="Flag parties first seen fewer than this many days ago [default: 30].")] = None,
    alerts: Annotated[bool, typer.Option("--alerts/--no-alerts", help="Raise alerts for party matches (review queue).")] = True,
    record: Annotated[bool, typer.Option("--record/--no-record", help="Record parties, report and audit entry in the store.")] = True,
    processes: Annotated[int | None, typer.Option("--processes", help="Worker processes for name screening [default: every core].")] = None,
    show: Annotated[bool, typer.Option("--show/--no-show", help="Print every line's verdict and reasons.")] = False,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Screen an order file: one verdict (block, review, clear) per line, with every reason."""
    _screen_file(input_path, output, report, threshold, regime, goods_list, chpl, destinations, first_seen_days,
                 alerts, record, processes, show, json_out, db)


@shipments_app.command("screen")
def shipments_screen(
    ctx: typer.Context,
    input_path: Annotated[Path, typer.Argument(metavar="IN", help="Shipments: CSV, XLSX or JSONL (columns: see docs).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Results: .jsonl (default), .csv or .xlsx.")],
    report: Annotated[Path | None, typer.Option("--report", help="Folder for the HTML report (<IN stem>.report.html).")] = None,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Party and vessel match threshold [default: the engine's].")] = None,
    regime: Annotated[list[str] | None, typer.Option("--ownership-regime", help="ofac, eu, uk, all or none (repeatable) [default: all].")] = None,
    goods_list: Annotated[list[Path] | None, typer.Option("--goods-list", help="A controlled-goods CSV (hs_code, description, destinations) (repeatable).")] = None,
    chpl: Annotated[Path | None, typer.Option("--chpl", help="Common High Priority List CSV [default: $TRADEGUARD_CHPL or ../shared/data/goods/chpl_hs_codes.csv].")] = None,
    destinations: Annotated[Path | None, typer.Option("--destinations", help="Destinations YAML merged over the defaults.")] = None,
    ports: Annotated[Path | None, typer.Option("--ports", help="Ports YAML merged over the shipped ports.")] = None,
    port_rules: Annotated[Path | None, typer.Option("--port-rules", help="Route rules YAML merged over the defaults.")] = None,
    first_seen_days: Annotated[int | None, typer.Option("--first-seen-days", help="Flag parties first seen fewer than this many days ago [default: 30].")] = None,
    alerts: Annotated[bool, typer.Option("--alerts/--no-alerts", help="Raise alerts for party matches (review queue).")] = True,
    record: Annotated[bool, typer.Option("--record/--no-record", help="Record parties, report and audit entry in the store.")] = True,
    processes: Annotated[int | None, typer.Option("--processes", help="Worker processes for name screening [default: every core].")] = None,
    show: Annotated[bool, typer.Option("--show/--no-show", help="Print every shipment's verdict and reasons.")] = False,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Screen a shipment file: one verdict (block, review, clear) per shipment, with every
    reason: parties, the vessel (IMO, MMSI, name, flag), the route (ports, Caspian route,
    transshipment hubs) and the goods."""
    _screen_file(input_path, output, report, threshold, regime, goods_list, chpl, destinations, first_seen_days,
                 alerts, record, processes, show, json_out, db, shipments=True, ports=ports, port_rules=port_rules)


def _screen_file(
    input_path: Path, output: Path, report: Path | None, threshold: float | None, regime: list[str] | None,
    goods_list: list[Path] | None, chpl: Path | None, destinations: Path | None, first_seen_days: int | None,
    alerts: bool, record: bool, processes: int | None, show: bool, json_out: bool, db: str | None,
    *, shipments: bool = False, ports: Path | None = None, port_rules: Path | None = None,
) -> None:
    """`orders screen` and `shipments screen`: one pipeline, the shipments with their voyage."""
    from tradeguard.screening.records import write_records
    from tradeguard.screening.reports import OrderContext, screen_order_file

    if first_seen_days is not None and first_seen_days < 0:
        fail("--first-seen-days must be 0 or more")
    regimes = _regimes(regime)
    engine = store_engine(db)
    try:
        context = OrderContext.from_store(
            engine, threshold=threshold, regimes=regimes, chpl=chpl,
            goods_lists=list(goods_list or []), destinations=destinations,
        )
        voyages = context.voyage_checks(ports, port_rules) if shipments else None
    except SourceError as exc:
        fail(str(exc))
        return
    if context.screener is None or len(context.screener) == 0:
        fail("the store holds no active lists: run `tradeguard lists load` or `tradeguard lists update` first")
    try:
        results, summary, html = screen_order_file(
            input_path, context=context, engine=engine, first_seen_days=first_seen_days,
            record=record, alerts=alerts, actor=cli_actor(), processes=processes, voyages=voyages,
        )
    except SourceError as exc:
        fail(str(exc))
        return
    for item in summary["skipped"]:
        err.print(escape(f"{input_path}: line {item['line']}: {item['problem']}: row skipped"), highlight=False)
    write_records(output, (r.to_dict() for r in results), columns=["line", "verdict", "reasons"])
    report_path: Path | None = None
    if report is not None:
        report.mkdir(parents=True, exist_ok=True)
        report_path = report / f"{input_path.stem}.report.html"
        report_path.write_text(html, encoding="utf-8")
    if json_out:
        print_json(dict(summary, output=str(output), report=str(report_path) if report_path else None))
        return
    _print_summary(summary, output, report_path)
    if show:
        _print_lines(results)


def _print_summary(summary: dict[str, Any], output: Path, report_path: Path | None) -> None:
    v = summary["verdicts"]
    what = "shipment(s)" if summary.get("kind") == "shipments" else "order line(s)"
    console.print(
        f"screened {summary['lines_screened']} {what} of {escape(summary['file'])} "
        f"(sha256 {summary['sha256'][:12]}): [red]{v['block']} block[/red], "
        f"[yellow]{v['review']} review[/yellow], [green]{v['clear']} clear[/green]"
        + (f"; {len(summary['skipped'])} row(s) skipped" if summary["skipped"] else ""),
        highlight=False,
    )
    lists = ", ".join(f"{x['list']} v{x['version']} ({x['list_date']})" for x in summary["lists"])
    console.print(f"lists in force: {lists or 'none'}; threshold {summary['threshold']:.2f} "
                  f"(block at {summary['block_score']:.2f}); tradeguard {summary['engine_version']}",
                  highlight=False)
    if summary["top_reasons"]:
        console.print("top reasons: " + ", ".join(f"{x['rule']} ({x['lines']})" for x in summary["top_reasons"]),
                      highlight=False)
    for note in summary["notes"]:
        console.print(f"note: {escape(note)}", highlight=False)
    alerts = summary.get("alerts")
    if alerts:
        console.print(f"alerts: {len(alerts['raised'])} raised, {len(alerts['reopened'])} reopened, "
                      f"{len(alerts['already_open'])} already open, {len(alerts['suppressed'])} suppressed",
                      highlight=False)
    console.print(escape(f"wrote {output}" + (f" and the report {report_path}" if report_path else "")), highlight=False)


def _print_lines(results: list[Any]) -> None:
    table = Table(show_lines=True)
    table.add_column("line")
    table.add_column("verdict")
    table.add_column(escape("reasons (rule: detail [source])"), overflow="fold")
    for r in results:
        reasons = "\n".join(escape(f"{f.rule}: {f.detail} [{f.source}]") for f in r.reasons) or "-"
        table.add_row(escape(r.line), f"[{_STYLE[r.verdict]}] {r.verdict} [/]", reasons)
    console.print(table)


@orders_app.command("list")
def orders_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 20,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Order files screened into the store, newest first."""
    _list_screenings("orders", limit, json_out, db)


@shipments_app.command("list")
def shipments_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 20,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Shipment files screened into the store, newest first (`orders report ID` writes one's report)."""
    _list_screenings("shipments", limit, json_out, db)


def _list_screenings(kind: str, limit: int, json_out: bool, db: str | None) -> None:
    engine = store_engine(db)
    with engine.connect() as conn:
        items = ownership_store.list_order_screenings(conn, limit=limit, kind=kind)
    if json_out:
        print_json(items)
        return
    what = "shipment" if kind == "shipments" else "order"
    table = make_table(("id", "file", "screened at", "lines", "block", "review", "clear", "skipped", "sha256"),
                       f"Screened {what} files")
    for it in items:
        c = it["counts"]
        table.add_row(str(it["id"]), escape(it["file"]), it["screened_at"], str(it["lines"]), str(c.get("block", 0)),
                      str(c.get("review", 0)), str(c.get("clear", 0)), str(c.get("skipped", 0)), it["sha256"][:12])
    console.print(table)


@orders_app.command("report")
@shipments_app.command("report")
def orders_report(
    ctx: typer.Context,
    screening_id: Annotated[int, typer.Argument(help="Id of the stored screening (see `orders list`, `shipments list`).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    db: DbOption = None,
) -> None:
    """Write the stored HTML report of a screened order or shipment file."""
    engine = store_engine(db)
    with engine.connect() as conn:
        found = ownership_store.get_order_report(conn, screening_id)
    if found is None:
        fail(f"no order or shipment screening {screening_id} in the store")
        return
    output.write_text(found[1], encoding="utf-8")
    console.print(f"wrote {output}")


# --- ownership ------------------------------------------------------------------------------


@ownership_app.command("load")
def ownership_load(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV with columns owner, owned, share, joint, control, source, date.")],
    db: DbOption = None,
) -> None:
    """Load a user ownership CSV (atomically; replaces an earlier load of the same file)."""
    engine = store_engine(db)
    try:
        outcome = ownership_store.load_ownership_file(engine, path)
    except SourceError as exc:
        fail(f"refused: {exc}")
        return
    style = "green" if outcome.status == "loaded" else "yellow"
    console.print(f"[{style}]{outcome.status}[/{style}] {escape(outcome.message)}", highlight=False)


def _path_text(chain: list[dict[str, Any]]) -> str:
    if not chain:
        return ""
    parts = [chain[0]["owner"]]
    for step in chain:
        how = "control" if step.get("control") else f"{step['share']}%"
        parts.append(f"-[{how}]-> {step['owned']}")
    return " ".join(parts)


@ownership_app.command("blocked")
def ownership_blocked(
    ctx: typer.Context,
    regime: Annotated[str, typer.Option("--regime", help="ofac, eu or uk.")] = "ofac",
    caution_share: Annotated[float, typer.Option("--caution-share", help="Flag minority stakes of blocked persons at or above this share (percent).")] = 25.0,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Every entity of the ownership graph: blocked, not blocked or cannot exclude, with paths."""
    regime = regime.casefold()
    if regime not in REGIME_NAMES:
        fail(f"unknown regime '{regime}': use ofac, eu or uk")
    if not 0 <= caution_share <= 100:
        fail("--caution-share must be between 0 and 100")
    engine = store_engine(db)
    graph = ownership_store.OwnershipContext.from_store(engine)
    results = graph.results(regime, caution_share)
    data = [r.to_dict() for r in results]
    if json_out:
        print_json(data)
        return
    if not data:
        console.print("The ownership graph is empty: load a CSV with `tradeguard ownership load FILE`, "
                      "or load lists that state ownership.")
        return
    counts = {s: sum(1 for d in data if d["status"] == s) for s in ("blocked", "cannot_exclude", "not_blocked")}
    listed = sum(1 for d in data if d["listed"])
    console.print(f"{regime.upper()}: {len(data)} entities ({listed} listed): {counts['blocked']} blocked, "
                  f"{counts['cannot_exclude']} cannot exclude, {counts['not_blocked']} not blocked. "
                  f"{escape(graph.listed_source(regime))}", highlight=False)
    table = make_table(("entity", "status", "listed", "why", "paths", "caution"), fold=True, lines=True)
    for d in data:
        if d["status"] == "not_blocked" and not d["caution"]:
            continue
        table.add_row(escape(d["entity"]), d["status"], "yes" if d["listed"] else "", escape(d["detail"]),
                      escape("\n".join(_path_text(p) for p in d["paths"])),
                      escape("\n".join(c["detail"] for c in d["caution"])))
    console.print(table)


@ownership_app.command("loads")
def ownership_loads_cmd(ctx: typer.Context, json_out: JsonOption = False, db: DbOption = None) -> None:
    """The ownership files loaded into the store."""
    engine = store_engine(db)
    with engine.connect() as conn:
        items = ownership_store.ownership_loads_info(conn)
    if json_out:
        print_json(items)
        return
    for it in items:
        console.print(escape(f"{it['load']}: {it['file']} ({it['edges']} edges, loaded {it['loaded_at']}, "
                             f"sha256 {it['sha256'][:12]})"), highlight=False)
    if not items:
        console.print("no ownership file loaded")


if __name__ == "__main__":
    root = typer.Typer(no_args_is_help=True)
    root.add_typer(orders_app, name="orders")
    root.add_typer(ownership_app, name="ownership")
    root()
