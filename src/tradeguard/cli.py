"""The `tradeguard` command: parse arguments, call the library, print."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine

from tradeguard.cli_common import (
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
from tradeguard.config import ConfigError, load_config
from tradeguard.sources import SourceError, detect
from tradeguard.store.db import resolve_url
from tradeguard.store.lists import (
    LoadRefused,
    LoadResult,
    active_version,
    date_in_path,
    diff_versions,
    get_version,
    iter_active_entities,
    load_file,
    previous_version,
    status_rows,
    versions,
)

app = typer.Typer(
    help="tradeguard: screen parties and goods against official sanctions and export-control lists.",
    no_args_is_help=True,
    add_completion=False,
)
lists_app = typer.Typer(help="Load, inspect, diff and update official lists.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")

MainDbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="TRADEGUARD_DB", help="Store: SQLAlchemy URL or SQLite file path [default: ./tradeguard.db]."),
]


@app.callback()
def main_callback(db: MainDbOption = None) -> None:
    State.db = db


# --- lists ------------------------------------------------------------------------------


def _expand(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Explicit files, and files found inside folders (loaded in list-date order)."""
    explicit: list[Path] = []
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file())
        else:
            explicit.append(path)
    found.sort(key=lambda p: (date_in_path(p) or "", str(p)))
    return explicit, found


@lists_app.command("load")
def lists_load(
    paths: Annotated[list[Path], typer.Argument(help="List files, or folders to search for list files.")],
    force: Annotated[bool, typer.Option("--force", help="Load even when a guard would refuse.")] = False,
    list_date: Annotated[str | None, typer.Option("--list-date", help="Date of the list, for files that state none (YYYY-MM-DD).")] = None,
    max_drop: Annotated[float | None, typer.Option("--max-drop", help="Refuse a version dropping more than this share of entities [config: max_drop_share].")] = None,
    config: Annotated[str | None, typer.Option("--config", help="Config file (YAML).")] = None,
) -> None:
    """Load list files as new versions (format detected from content)."""
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        fail(str(exc))
        return
    engine = store_engine()
    explicit, found = _expand(paths)
    candidates: list[Path] = list(explicit)
    skipped = 0
    for path in found:
        try:
            if path.stat().st_size == 0 or detect(path) is not None:
                candidates.append(path)
            else:
                skipped += 1
        except (OSError, SourceError):
            candidates.append(path)  # let the load report it
    failures = 0
    loaded = 0
    from tradeguard.screening.index_files import indexing

    # Index builders wait while the new versions load and are indexed (a server that sees
    # them opens their saved index when it is written, rather than building its own).
    with indexing(engine):
        with progress() as bar:
            task = bar.add_task("loading lists", total=len(candidates))
            for path in candidates:
                bar.update(task, description=f"loading {path.name}")
                try:
                    result = load_file(
                        engine,
                        path,
                        force=force,
                        list_date=list_date,
                        max_drop_share=max_drop if max_drop is not None else cfg.max_drop_share,
                    )
                    style = "green" if result.status == "loaded" else "yellow"
                    console.print(f"[{style}]{result.status}[/{style}] {result.message}", highlight=False)
                    loaded += result.status == "loaded"
                    _rescreen(engine, result)
                except (SourceError, LoadRefused) as exc:
                    failures += 1
                    err.print(f"[red]refused[/red] {exc}", highlight=False)
                bar.advance(task)
        if loaded:
            _index(engine)
    if skipped:
        console.print(f"{skipped} file(s) in the folders are not official list files and were skipped.")
    console.print(f"{loaded} version(s) loaded, {failures} file(s) refused.")
    if loaded:
        _link(engine)
    if failures:
        raise typer.Exit(1)


def _rescreen(engine: Engine, result: LoadResult) -> None:
    """After a load: rescreen the monitored parties against what it changed (and audit it)."""
    from tradeguard.screening.monitor import rescreen_loaded

    rescreen = rescreen_loaded(engine, result, actor=cli_actor())
    if rescreen is not None and (rescreen.parties or rescreen.closed):
        console.print(f"  {rescreen.message}", highlight=False)


def _index(engine: Engine) -> None:
    """After the loads of one command: build and save the matching index of the lists now
    in force, so that every later screening opens it instead of building it."""
    from tradeguard.screening.index_files import ensure_index

    folder, seconds = ensure_index(engine)
    if folder is not None:
        console.print(f"matching index of the lists in force ready in {seconds:.1f} s: {folder}", highlight=False)


def _link(engine: Engine) -> None:
    """After the loads of one command: link the listings of one party across the lists in
    force (docs/linking.md), so that screening and alerts find the groups stored."""
    from tradeguard.store.links import ensure_links

    run = ensure_links(engine)
    how = "stored already" if not run.computed else (
        f"{run.notes.get('seconds_total', run.seconds):.1f} s; evidence derived for "
        f"{run.notes.get('keys_derived', run.entity_count):,} new or changed entries of {run.entity_count:,}")
    console.print(
        f"linked the listings of one party across the lists in force: {run.group_count} parties with 2+ listings, "
        f"{run.link_count} links ({how}); `tradeguard lists party LIST ID` shows one", highlight=False,
    )


@lists_app.command("status")
def lists_status(
    json_out: JsonOption = False,
    max_age: Annotated[int | None, typer.Option("--max-age", help="Warn when a list is older than this many days [config: max_age_days].")] = None,
    config: Annotated[str | None, typer.Option("--config", help="Config file (YAML).")] = None,
) -> None:
    """Every list: active version, publication date, age, counts, staleness warning."""
    try:
        limit = max_age if max_age is not None else load_config(config).max_age_days
    except ConfigError as exc:
        fail(str(exc))
        return
    engine = store_engine()
    with engine.connect() as conn:
        rows = status_rows(conn, limit)
    if json_out:
        print_json({"store": resolve_url(State.db), "max_age_days": limit, "lists": rows})
        return
    if not rows:
        console.print("The store holds no lists yet: run `tradeguard lists load FILE_OR_DIR` or `tradeguard lists update`.")
        return
    table = make_table(("list", "version", "format", "published", "age (days)", "entities", "by schema", "versions", "status"), f"Lists in force ({resolve_url(State.db)})")
    for item in rows:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(item["counts"].items()))
        status = f"[red]STALE: older than {limit} days[/red]" if item["stale"] else "[green]current[/green]"
        table.add_row(
            item["list"], str(item["version"]), item["format"], item["published"] or f"({item['list_date']})",
            str(item["age_days"]), str(item["entity_count"]), counts, str(item["versions"]), status,
        )
    console.print(table)
    console.print("published in brackets: the file states no date; the date comes from its path or load time.")


@lists_app.command("versions")
def lists_versions(key: Annotated[str, typer.Argument(help="List key, e.g. us_ofac_sdn.")], json_out: JsonOption = False) -> None:
    """Every stored version of one list, oldest first."""
    engine = store_engine()
    with engine.connect() as conn:
        found = versions(conn, key)
        active = active_version(conn, key)
    if not found:
        fail(f"no versions of list '{key}' in the store")
    if json_out:
        print_json([dict(v.to_dict(), active=active is not None and v.id == active.id) for v in found])
        return
    table = make_table(("version", "list date", "published", "format", "entities", "loaded at", "sha256", "active"), f"Versions of {key}")
    for v in found:
        table.add_row(str(v.id), v.list_date, v.published or "-", v.format, str(v.entity_count), v.loaded_at,
                      v.sha256[:12], "yes" if active and v.id == active.id else "")
    console.print(table)


@lists_app.command("diff")
def lists_diff(
    key: Annotated[str, typer.Argument(help="List key.")],
    from_id: Annotated[int | None, typer.Option("--from", help="Older version [default: the one before --to].")] = None,
    to_id: Annotated[int | None, typer.Option("--to", help="Newer version [default: the active one].")] = None,
    json_out: JsonOption = False,
) -> None:
    """Entities added, removed and changed between two versions, with the changed fields."""
    engine = store_engine()
    with engine.connect() as conn:
        to_v = get_version(conn, to_id) if to_id is not None else active_version(conn, key)
        if to_v is None or to_v.list_key != key:
            fail(f"no version {to_id if to_id is not None else '(active)'} of list '{key}'")
            return
        from_v = get_version(conn, from_id) if from_id is not None else previous_version(conn, to_v)
        if from_v is None or from_v.list_key != key:
            fail(f"no version to compare with: list '{key}' needs --from (or two versions)")
            return
        diff = diff_versions(conn, from_v, to_v)
    if json_out:
        print_json(diff.to_dict())
        return
    console.print(
        f"[bold]{key}[/bold]: version {from_v.id} ({from_v.list_date}) -> {to_v.id} ({to_v.list_date}): "
        f"[green]+{len(diff.added)} added[/green], [red]-{len(diff.removed)} removed[/red], "
        f"[yellow]~{len(diff.changed)} changed[/yellow]",
        highlight=False,
    )
    for label, items in (("added", diff.added), ("removed", diff.removed)):
        for item in items:
            console.print(f"  {label:8} {item['entity_id']:30} {item['schema']:12} {item['name']}", highlight=False)
    for item in diff.changed:
        fields = ", ".join(item["fields"])
        console.print(f"  changed  {item['entity_id']:30} {item['schema']:12} {item['name']}  [fields: {fields}]", highlight=False)


@lists_app.command("update")
def lists_update(
    config: Annotated[str | None, typer.Option("--config", help="Config file (YAML) with the sources' URLs.")] = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="Update only this list key (repeatable).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Load even when a guard would refuse.")] = False,
) -> None:
    """Download every configured official source, validate it and load it."""
    from tradeguard.store.update import update_all

    try:
        cfg = load_config(config)
    except ConfigError as exc:
        fail(str(exc))
        return
    from tradeguard.screening.index_files import indexing

    engine = store_engine()
    console.print(f"sources from {cfg.path}")
    with indexing(engine):  # as in `lists load`: builders wait for the new versions' index
        outcomes = update_all(engine, cfg, only=only, force=force)
        for outcome in outcomes:
            if outcome.ok:
                console.print(f"[green]ok[/green] {outcome.list_key}: {outcome.message}", highlight=False)
                if outcome.result is not None:
                    _rescreen(engine, outcome.result)
            else:
                err.print(f"[red]failed[/red] {outcome.list_key}: {outcome.message}", highlight=False)
        loaded = any(o.result is not None and o.result.status == "loaded" for o in outcomes)
        if loaded:
            _index(engine)
    if loaded:
        _link(engine)
    if any(not o.ok for o in outcomes):
        raise typer.Exit(1)


@lists_app.command("party")
def lists_party(
    list_key: Annotated[str, typer.Argument(metavar="LIST", help="List key, e.g. un_sc.")],
    source_id: Annotated[str, typer.Argument(help="The list's own id of the entry.")],
    json_out: JsonOption = False,
) -> None:
    """The party behind one listing: its listings on every list, and the evidence linking them."""
    from rich.markup import escape

    from tradeguard.model import make_entity_id
    from tradeguard.store.links import party_of

    engine = store_engine()
    party = party_of(engine, make_entity_id(list_key, source_id))
    if party is None:
        fail(f"no entry '{source_id}' in the active version of list '{list_key}'")
        return
    if json_out:
        print_json(party.to_dict())
        return
    console.print(f"[bold]{party.id}[/bold]: {len(party.listings)} listing(s), regimes {', '.join(party.regimes)}",
                  highlight=False)
    table = make_table(("regime", "list", "id", "name", "programs", "listed on"), "Listings", fold=True)
    for x in party.listings:
        table.add_row(x.regime, x.list, escape(x.source_id), escape(x.name), escape("; ".join(x.programs)),
                      x.listed_on or "-")
    console.print(table)
    if not party.links:
        console.print("no other listing of this party was found (a name alone never links)")
        return
    links = make_table(("listing", "listing", "rule", "evidence"), "Links", fold=True, lines=True)
    for link in party.links:
        lines: list[str] = []
        for rule in dict.fromkeys(e.rule for e in link.evidence):
            found = [e for e in link.evidence if e.rule == rule]
            lines += [f"{rule}: {e.values[0]}  =  {e.values[1]}" for e in found[:3]]
            lines += [f"{rule}: (+{len(found) - 3} more)"] if len(found) > 3 else []
        links.add_row(escape(link.a), escape(link.b), link.rule, escape("\n".join(lines)))
    console.print(links)


# --- export -----------------------------------------------------------------------------


@app.command("export")
def export(
    fmt: Annotated[str, typer.Option("--format", help="Output format: ftm (FollowTheMoney JSON lines).")] = "ftm",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file [default: stdout].")] = None,
    list_key: Annotated[list[str] | None, typer.Option("--list", help="Only this list (repeatable).")] = None,
) -> None:
    """Write the active entities in an exchange format."""
    from tradeguard.ftm import iter_ftm

    if fmt != "ftm":
        fail(f"unknown export format '{fmt}': use ftm")
    engine = store_engine()
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(output, "w", encoding="utf-8")) if output else sys.stdout
        count = 0
        with engine.connect() as conn:
            for data in iter_ftm(iter_active_entities(conn, list_key)):
                out.write(json.dumps(data, ensure_ascii=False) + "\n")
                count += 1
    if output:
        console.print(f"wrote {count} entities to {output}")


# --- matching and screening -------------------------------------------------------------


def _explain(match_or_expl: Any) -> str:
    from tradeguard.matching import explain_text

    return explain_text(match_or_expl)


@app.command("compare")
def compare_cmd(
    name1: Annotated[str | None, typer.Argument(help="First name.")] = None,
    name2: Annotated[str | None, typer.Argument(help="Second name.")] = None,
    schema: Annotated[str | None, typer.Option("--schema", help="Person, Organization, Company, LegalEntity, Vessel, Airplane.")] = None,
    pairs: Annotated[Path | None, typer.Option("--pairs", help="CSV with columns name1,name2,schema.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="With --pairs: CSV to write (input rows plus score).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Score two names against each other and explain the score (or a CSV of pairs)."""
    from tradeguard.matching import compare

    if pairs is not None:
        _compare_pairs(pairs, output)
        return
    if not name1 or not name2:
        fail("give two names, or --pairs IN.csv --output OUT.csv")
        return
    score, explanation = compare(name1, name2, schema=schema)
    if json_out:
        print_json({"name1": name1, "name2": name2, "schema": schema, "score": round(score, 4), "explanation": explanation})
        return
    console.print(f"[bold]{score:.3f}[/bold]  {name1}  ~  {name2}", highlight=False)
    console.print(_explain(explanation), highlight=False)


def _compare_pairs(pairs: Path, output: Path | None) -> None:
    import csv

    from tradeguard.matching import compare
    from tradeguard.sources.common import read_text

    if output is None:
        fail("--pairs needs --output OUT.csv")
        return
    try:
        text = read_text(pairs)
    except SourceError as exc:
        fail(str(exc))
        return
    reader = csv.DictReader(text.splitlines())
    fields = list(reader.fieldnames or [])
    missing = {"name1", "name2"} - set(fields)
    if missing:
        fail(f"{pairs}: line 1: missing column(s) {', '.join(sorted(missing))} (need name1,name2,schema)")
    rows_out = []
    bad = 0
    for row in reader:
        if not (row.get("name1") or "").strip() or not (row.get("name2") or "").strip():
            err.print(f"{pairs}: line {reader.line_num}: empty name1 or name2: row skipped", highlight=False)
            bad += 1
            continue
        score, _ = compare(row["name1"], row["name2"], schema=(row.get("schema") or None))
        rows_out.append(dict(row, score=f"{score:.4f}"))
    with open(output, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*fields, "score"])
        writer.writeheader()
        writer.writerows(rows_out)
    console.print(f"scored {len(rows_out)} pair(s) into {output}" + (f"; {bad} row(s) skipped" if bad else ""))


def _screener(lists: list[str] | None = None) -> Any:
    from tradeguard.screening.parties import Screener

    screener = Screener(State.db, lists=lists)
    if len(screener) == 0:
        fail("the store holds no active lists: run `tradeguard lists load` or `tradeguard lists update` first")
    return screener


@app.command("match")
def match_cmd(
    name: Annotated[str, typer.Argument(help="The name to look for.")],
    schema: Annotated[str | None, typer.Option("--schema", help="Person, Organization, Company, LegalEntity, Vessel, Airplane.")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="Full or partial birth date (YYYY[-MM[-DD]]).")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Country or nationality (ISO code or name).")] = None,
    identifier: Annotated[list[str] | None, typer.Option("--id", help="An identifier, e.g. 'IMO 9929429' (repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many matches.")] = 10,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Minimum score [default: the documented default].")] = None,
    nearest: Annotated[int | None, typer.Option("--nearest", min=0, help="When nothing reaches the threshold, show this many nearest candidates below it (default 5; 0: none).")] = None,
    list_key: Annotated[list[str] | None, typer.Option("--list", help="Only this list (repeatable).")] = None,
    listings: Annotated[bool, typer.Option("--listings", help="One row per list entry, not per listed party.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Find a name in the active lists, best matches first, each explained; when nothing
    reaches the threshold, the nearest candidates below it, marked as such. One row per
    listed party, with the regimes that list it (UN, US, UK, EU ...); --listings shows every
    entry. The JSON has every entry, each with its `party`."""
    from tradeguard.matching import Query
    from tradeguard.screening.parties import NEAREST_LIMIT

    screener = _screener(list_key)
    query = Query(name=name, schema=schema, birth_date=birth_date, country=country, identifiers=identifier or [])
    result = screener.match_or_nearest(query, limit=limit, threshold=threshold,
                                       nearest=NEAREST_LIMIT if nearest is None else nearest)
    parties = screener.parties([*result.matches, *result.below_threshold])
    if json_out:
        print_json({"query": {"name": name, "schema": schema, "birth_date": birth_date, "country": country,
                               "identifiers": identifier or []},
                     "lists": screener.in_force.to_dict(), **result.to_dict(parties)})
        return
    if not result.matches:
        console.print(f"no match for {name!r} at threshold {result.threshold:.2f}", highlight=False)
        if result.below_threshold:
            _print_matches(result.below_threshold,
                           title=f"Nearest candidates BELOW the threshold {result.threshold:.2f} (not matches)",
                           parties=None if listings else parties)
        return
    _print_matches(result.matches, parties=None if listings else parties)


def _print_matches(matches: list[Any], title: str | None = None,
                   parties: dict[str, dict[str, Any]] | None = None) -> None:
    """One row per match; with ``parties``, one row per listed party (its best match), with
    the regimes and the entries that list it."""
    if not parties:
        table = make_table(("score", "list", "id", "name", "matched name", "why"), title, fold=True, lines=True)
        for m in matches:
            table.add_row(f"{m.score:.3f}", m.entity.list, m.entity.source_id, m.entity.caption,
                          f"{m.matched_name} ({m.name_kind})", _explain(m.explanation))
        console.print(table)
        return
    from tradeguard.screening.parties import one_per_party

    table = make_table(("score", "regimes", "listed as", "name", "matched name", "why"), title, fold=True, lines=True)
    for m in one_per_party(matches, parties):
        party = parties.get(m.entity.entity_id)
        entries = party["listings"] if party else [{"list": m.entity.list, "source_id": m.entity.source_id}]
        table.add_row(f"{m.score:.3f}", " ".join(party["regimes"]) if party else "-",
                      "\n".join(f"{x['list']} {x['source_id']}" for x in entries), m.entity.caption,
                      f"{m.matched_name} ({m.name_kind})", _explain(m.explanation))
    console.print(table)


@app.command("screen")
def screen_cmd(
    input_path: Annotated[Path, typer.Argument(metavar="IN", help="Parties: CSV, XLSX or JSONL with id, name[, schema, birth_date, country, identifiers].")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Results: .jsonl (default), .csv or .xlsx.")],
    threshold: Annotated[float | None, typer.Option("--threshold", help="Minimum score [default: the documented default].")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many matches per party.")] = 10,
    processes: Annotated[int | None, typer.Option("--processes", help="Worker processes [default: every core].")] = None,
    show: Annotated[bool, typer.Option("--show", help="Also print the hits as a table.")] = False,
) -> None:
    """Screen a file of parties against the active lists; one result record per party."""
    from tradeguard.screening.parties import query_from_record
    from tradeguard.screening.records import RowError, iter_records, write_records

    items = []
    problems = 0
    try:
        for line, record in iter_records(input_path):
            if isinstance(record, RowError):
                problems += 1
                err.print(f"{input_path}: {record}: row skipped", highlight=False)
                continue
            if not record.get("id"):
                problems += 1
                err.print(f"{input_path}: line {line}: no id: row skipped", highlight=False)
                continue
            try:
                items.append((str(record["id"]), query_from_record(record), line))
            except ValueError as exc:
                problems += 1
                err.print(f"{input_path}: line {line}: {exc}: row skipped", highlight=False)
    except SourceError as exc:
        fail(str(exc))
    screener = _screener()
    results = []
    with progress("screening") as bar:
        task = bar.add_task("screening", total=len(items))
        for result in screener.screen_queries([(rid, q) for rid, q, _ in items], threshold=threshold,
                                              limit=limit, processes=processes):
            results.append(result)
            bar.advance(task)
    parties = screener.parties(m for r in results for m in r.matches)
    write_records(output, (r.to_dict(parties) for r in results), columns=["id", "matches"])
    hits = [r for r in results if r.matches]
    console.print(f"screened {len(results)} part(ies) against {len(screener)} listed entities: "
                  f"{len(hits)} with matches; wrote {output}" + (f"; {problems} row(s) skipped" if problems else ""))
    if show:
        for r in hits:
            _print_matches(r.matches, title=f"{r.id}: {r.query.name}")


# --- serve ------------------------------------------------------------------------------


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (each opens the saved index).")] = 1,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
) -> None:
    """Run the HTTP API and web UI (yente-compatible /match, /search...; UI at /ui/)."""
    import os

    import uvicorn

    url = resolve_url(State.db)
    console.print(f"tradeguard serving {url} on http://{host}:{port} (API docs /docs, UI /ui/)", highlight=False)
    if workers > 1:
        os.environ["TRADEGUARD_DB"] = url
        uvicorn.run("tradeguard.service.app:app_from_env", factory=True, host=host, port=port,
                    workers=workers, log_level=log_level)
        return
    from tradeguard.service.app import create_app

    uvicorn.run(create_app(url), host=host, port=port, log_level=log_level)


def _mount_subcommands() -> None:
    from tradeguard.cli_orders import orders_app, ownership_app, shipments_app
    from tradeguard.cli_payments import payments_app
    from tradeguard.cli_service import alerts_app, audit_app, keys_app, parties_app
    from tradeguard.cli_spark import spark_app
    from tradeguard.cli_store import store_app

    app.add_typer(keys_app, name="keys")
    app.add_typer(parties_app, name="parties")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(audit_app, name="audit")
    app.add_typer(orders_app, name="orders")
    app.add_typer(shipments_app, name="shipments")
    app.add_typer(ownership_app, name="ownership")
    app.add_typer(payments_app, name="payments")
    app.add_typer(store_app, name="store")
    app.add_typer(spark_app, name="spark")


_mount_subcommands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
