"""`tradeguard spark screen IN OUT`: a file of parties screened on Apache Spark
(:mod:`tradeguard.spark`). Mounted on the main `tradeguard` command."""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from tradeguard.cli_common import DbOption, State, console, fail

spark_app = typer.Typer(help="Batch screening on Apache Spark (the spark extra: pip install 'tradeguard[spark]').",
                        no_args_is_help=True)

READERS = {".parquet": "parquet", ".csv": "csv", ".jsonl": "json", ".json": "json", ".ndjson": "json"}
WRITERS = (".parquet", ".jsonl")


def _session(master: str) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        fail("Spark is an optional part of tradeguard: pip install 'tradeguard[spark]' (pyspark, pyarrow)")
    # The Python workers run this interpreter (where tradeguard is installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName("tradeguard screen").config("spark.ui.enabled", "false")
    if master.startswith("local"):
        # One short-lived JVM that only moves rows to the Python workers: its optimising
        # compiler would spend seconds of the cores the screening needs (measured: about
        # 5 of 14 CPU seconds of the JVM on a 300,000-name run), for work it barely speeds up.
        builder = builder.config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 (pyspark raises several kinds when Java is missing)
        fail(f"Spark could not start on {master} (it needs Java 17 or newer: on Debian, "
             f"apt-get install openjdk-17-jre-headless): {exc}")
    spark.sparkContext.setLogLevel("ERROR")
    return spark


TASKS_PER_CORE = 4  # input splits per core: small enough tasks that no core idles at the end


def _input_kind(path: Path) -> tuple[str, list[str]]:
    """How to read IN (parquet, csv or json) and, for a CSV, its header's column names;
    refuses a missing, unknown or empty file before Spark starts."""
    kind = "parquet" if path.is_dir() else READERS.get(path.suffix.lower())
    if kind is None:
        fail(f"{path}: not a Parquet, CSV or JSONL file (by its name: .parquet, .csv, .jsonl)")
    if not path.exists():
        fail(f"{path}: no such file")
    header: list[str] = []
    if kind == "csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
        if not header:
            fail(f"{path}: empty file (a CSV with a header line is expected)")
    return kind, header


def _read(spark: Any, path: Path, kind: str, header: list[str]) -> Any:
    # Spark splits a file by bytes (128 MB by default), so a file of a few million names
    # would be one or two tasks: split it into a few tasks per core instead. Order is kept.
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
    tasks = TASKS_PER_CORE * spark.sparkContext.defaultParallelism
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(max(64 * 1024, min(128 * 2**20, size // tasks + 1))))
    if kind == "csv":
        from pyspark.sql.types import StringType, StructField, StructType

        # Every column is read as a string (the engine reads strings); naming them from the
        # header line spares Spark a job that reads it.
        schema = StructType([StructField(name, StringType()) for name in header])
        return spark.read.option("header", True).option("mode", "PERMISSIVE").schema(schema).csv(str(path))
    return spark.read.json(str(path)) if kind == "json" else spark.read.parquet(str(path))


def _write_jsonl(result: Any, out: Path) -> tuple[int, int, int]:
    """Write ``result`` (``screen_dataframe(..., as_json=True)``) as one JSONL file, rows in
    input order; (rows, with matches, errors)."""
    parts = Path(tempfile.mkdtemp(prefix="tradeguard-spark-", dir=out.parent))
    rows = hits = errors = 0
    try:
        result.write.mode("overwrite").text(str(parts / "out"))
        with out.open("wb") as fh:
            for part in sorted((parts / "out").glob("part-*")):
                # Whole parts (a few tens of MB at most): counted and copied as bytes. Names
                # are JSON-escaped in the lines, so these keys occur only as keys.
                data = part.read_bytes()
                lines = data.count(b"\n")
                rows += lines
                hits += lines - data.count(b'"matches": []')
                errors += data.count(b'"error": ')
                fh.write(data)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
    return rows, hits, errors


def _write_parquet(spark: Any, result: Any, out: Path) -> tuple[int, int, int]:
    from pyspark.sql import functions as F  # noqa: N812

    result.write.mode("overwrite").parquet(str(out))
    written = spark.read.parquet(str(out))
    counts = written.agg(F.count("*"), F.sum((F.size("matches") > 0).cast("int")),
                         F.sum(F.col("error").isNotNull().cast("int"))).first()
    return int(counts[0]), int(counts[1] or 0), int(counts[2] or 0)


@spark_app.command("screen")
def spark_screen(
    input_path: Annotated[Path, typer.Argument(metavar="IN", help="Parties: Parquet, CSV or JSONL with id, name[, schema, birth_date, country, identifiers].")],
    output: Annotated[Path, typer.Argument(metavar="OUT", help="Results: a .parquet folder or a .jsonl file (one line per party, as `tradeguard screen`).")],
    master: Annotated[str, typer.Option("--master", help="Spark master URL (local[N], spark://..., yarn, k8s://...).")] = "local[2]",
    threshold: Annotated[float | None, typer.Option("--threshold", help="Minimum score [default: the documented default].")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many matches per party.")] = 10,
    db: DbOption = None,
) -> None:
    """Screen a file of parties on Spark against the lists in force in the store."""
    if output.suffix.lower() not in WRITERS:
        fail(f"{output}: the results are written as .parquet or .jsonl")
    from tradeguard.spark import screen_dataframe

    kind, header = _input_kind(input_path)
    spark = _session(master)
    try:
        df = _read(spark, input_path, kind, header)
        optional = {c: c if c in df.columns else None for c in ("schema", "birth_date", "country", "identifiers")}
        try:
            result = screen_dataframe(
                df, schema_col=optional["schema"], birth_date_col=optional["birth_date"],
                country_col=optional["country"], identifiers_col=optional["identifiers"],
                threshold=threshold, store=db or State.db, limit=limit, as_json=output.suffix.lower() == ".jsonl")
        except ValueError as exc:
            fail(f"{input_path}: {exc}")
        if output.suffix.lower() == ".jsonl":
            rows, hits, errors = _write_jsonl(result, output)
        else:
            rows, hits, errors = _write_parquet(spark, result, output)
    finally:
        spark.stop()
    console.print(f"screened {rows:,} part(ies) on Spark ({master}): {hits:,} with matches; wrote {output}"
                  + (f"; {errors:,} row(s) without a name" if errors else ""), highlight=False)
