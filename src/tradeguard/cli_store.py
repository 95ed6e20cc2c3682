"""`tradeguard store backup` and `store restore`: the whole store into one file and back
(:mod:`tradeguard.store.backup`). Mounted on the main `tradeguard` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tradeguard.cli_common import DbOption, JsonOption, State, console, fail, print_json
from tradeguard.store.backup import BackupError, BackupReport, backup, restore

store_app = typer.Typer(help="Back the store up into one file, and restore it.", no_args_is_help=True)


def _show(report: BackupReport, done: str, json_out: bool) -> None:
    if json_out:
        print_json(report.to_dict())
        return
    chain = "verifies" if report.audit_ok else "DOES NOT VERIFY"
    console.print(
        f"{done} {report.path} ({report.size:,} bytes, {report.backend}) in {report.seconds:.1f} s: "
        f"{report.list_versions} list version(s), {report.audit_entries} audit entries; the audit chain {chain} "
        f"(head {(report.audit_head or '-')[:16]}…)", highlight=False)


@store_app.command("backup")
def store_backup(
    path: Annotated[Path, typer.Argument(help="The backup file to write (SQLite file, or pg_dump custom format).")],
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing file of that name.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """A consistent copy of the store while it runs, with its audit chain verified."""
    try:
        report = backup(db or State.db, path, overwrite=overwrite)
    except BackupError as exc:
        fail(str(exc))
        return
    _show(report, "backed up into", json_out)
    if not report.audit_ok:
        raise typer.Exit(1)


@store_app.command("restore")
def store_restore(
    path: Annotated[Path, typer.Argument(help="A file written by `tradeguard store backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a store that holds lists or audit entries.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Replace the store with a backup (stop the server first); the restored audit chain is verified."""
    try:
        report = restore(db or State.db, path, force=force)
    except BackupError as exc:
        fail(str(exc))
        return
    _show(report, "restored from", json_out)
