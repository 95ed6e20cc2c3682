"""What every `tradeguard` sub-command shares: consoles, the store option, output helpers."""

from __future__ import annotations

import getpass
import json
import os
import sys
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine

from tradeguard.store.db import connect

console = Console()
err = Console(stderr=True)


class State:
    """The main command's --db (or $TRADEGUARD_DB), set by its callback."""

    db: str | None = None


# A sub-command's own --db overrides the main one.
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store: SQLAlchemy URL or SQLite file path [default: the main --db, $TRADEGUARD_DB, ./tradeguard.db]."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for other tools.")]


def store_engine(db: str | None = None) -> Engine:
    return connect(db or State.db)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def cli_actor() -> str:
    """Who did it, for the audit trail: the local user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = os.environ.get("USER") or "unknown"
    return f"cli:{user}"


def progress(label: str = "{task.description}") -> Progress:
    """A progress bar on stderr, shown only on a terminal."""
    return Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )


def make_table(columns: tuple[str, ...], title: str | None = None, *, fold: bool = False, lines: bool = False) -> Table:
    """A rich table with these column headings (``fold`` wraps long cells)."""
    table = Table(title=title, show_lines=lines)
    for col in columns:
        table.add_column(col, overflow="fold" if fold else "ellipsis")
    return table
