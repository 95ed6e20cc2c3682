"""Batch screening on Apache Spark: a DataFrame of parties in, one row of matches per party out.

    from tradeguard.spark import screen_dataframe
    hits = screen_dataframe(spark.read.parquet("customers/"), store="postgresql+psycopg://...")
    hits.write.parquet("hits/")

The screening is the one engine of ``tradeguard screen``: the driver opens (or builds and
saves, once) the index of the lists in force in the store (:mod:`.screening.index_files`),
ships its folder to every executor with ``SparkContext.addFile``, and each Python worker
opens it memory-mapped on its first batch and keeps it for every later task (Spark reuses
its Python workers), so the index is never rebuilt per task. Rows go through
``mapInArrow`` in Arrow batches; identical parties within a batch are screened once.

Output, one row per input row: ``id``; ``matches``, an array of structs with the fields of
``tradeguard screen`` (``list, source_id, entity_id, name, schema, matched_name,
name_kind, score, explanation``; the explanation as a JSON string); and ``error``, null
unless the row could not be screened (no name), then the reason.

Needs the ``spark`` extra (``pip install tradeguard[spark]``: pyspark, pyarrow) and Java 17
or newer. docs/scale.md tells how to run it on a cluster.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

    from tradeguard.screening.parties import Screener

MATCH_FIELDS: list[tuple[str, str]] = [
    ("list", "string"), ("source_id", "string"), ("entity_id", "string"), ("name", "string"),
    ("schema", "string"), ("matched_name", "string"), ("name_kind", "string"), ("score", "double"),
    ("explanation", "string"),
]
OUTPUT_SCHEMA = (
    "id string, matches array<struct<" + ",".join(f"{name}:{kind}" for name, kind in MATCH_FIELDS) + ">>, error string"
)
BATCH_ROWS = 2000  # rows per Arrow batch handed to the engine


def screen_dataframe(
    df: DataFrame,
    *,
    id_col: str = "id",
    name_col: str = "name",
    schema_col: str | None = None,
    birth_date_col: str | None = None,
    country_col: str | None = None,
    identifiers_col: str | None = None,
    threshold: float | None = None,
    store: str | None = None,
    limit: int = 10,
    as_json: bool = False,
) -> DataFrame:
    """Screen the parties of ``df`` against the lists in force in ``store`` (a database URL;
    default ``$TRADEGUARD_DB``): one output row per input row (see the module docstring).
    ``identifiers_col`` holds an array of strings or one string of identifiers separated by
    ``;``. ``as_json``: instead, one string column ``value`` holding each row's result as
    the JSON line ``tradeguard screen`` writes (ready for ``.write.text``). Raises
    ValueError when a named column is missing or the store holds no lists."""
    from pyspark import SparkFiles  # noqa: F401  (fails early without the spark extra)

    from tradeguard.matching import DEFAULT_THRESHOLD
    from tradeguard.screening.index_files import saved_index
    from tradeguard.store.db import connect
    from tradeguard.store.lists import active_versions

    columns = {"id": id_col, "name": name_col, "schema": schema_col, "birth_date": birth_date_col,
               "country": country_col, "identifiers": identifiers_col}
    wanted = {field: col for field, col in columns.items() if col}
    missing = [col for col in wanted.values() if col not in df.columns]
    if missing:
        raise ValueError(f"no column {', '.join(missing)} in the DataFrame (it has {', '.join(df.columns)})")
    engine = connect(store)
    with engine.connect() as conn:
        versions = active_versions(conn)
    if not versions:
        raise ValueError("the store holds no active lists: run `tradeguard lists load` or `lists update` first")
    folder = saved_index(engine, versions)
    spark = df.sparkSession
    spark.sparkContext.addFile(str(folder), recursive=True)
    # The rows as the engine reads them: every column a string, identifiers an array.
    selected = df.select(*[_as_field(df, field, col) for field, col in wanted.items()])
    screen = _BatchScreener(folder.name, DEFAULT_THRESHOLD if threshold is None else threshold, limit, as_json)
    return selected.mapInArrow(screen, "value string" if as_json else OUTPUT_SCHEMA)


def _as_field(df: DataFrame, field: str, col: str) -> Any:
    from pyspark.sql import functions as F  # noqa: N812
    from pyspark.sql.types import ArrayType

    column = F.col(f"`{col}`")
    if field == "identifiers":
        if isinstance(df.schema[col].dataType, ArrayType):
            return column.cast("array<string>").alias(field)
        return F.split(F.regexp_replace(column.cast("string"), r"\|", ";"), ";").alias(field)
    return column.cast("string").alias(field)


# Per Python worker: the screener over each index folder it has opened (workers are reused
# from task to task, so each opens an index once).
_OPENED: dict[str, Screener] = {}


class _BatchScreener:
    """The function ``mapInArrow`` runs on the executors (pickled with its settings)."""

    def __init__(self, index: str, threshold: float, limit: int, as_json: bool) -> None:
        self.index = index
        self.threshold = threshold
        self.limit = limit
        self.as_json = as_json

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        screener = _opened(self.index)
        schema = pa.schema([pa.field("value", pa.string())]) if self.as_json else _arrow_schema()
        for batch in batches:
            for start in range(0, batch.num_rows, BATCH_ROWS):
                records = screen_rows(screener, batch.slice(start, BATCH_ROWS).to_pylist(), self.threshold, self.limit)
                if self.as_json:
                    lines = pa.array([json.dumps(record, ensure_ascii=False) for record in records], pa.string())
                    yield pa.RecordBatch.from_arrays([lines], schema=schema)
                else:
                    yield pa.RecordBatch.from_pylist([_struct_row(record) for record in records], schema=schema)


def _opened(index: str) -> Screener:
    from pyspark import SparkFiles

    from tradeguard.matching import Matcher
    from tradeguard.screening.parties import Screener

    found = _OPENED.get(index)
    if found is None:
        found = Screener(entities=[])
        found.matcher = Matcher.open(Path(SparkFiles.get(index)))
        _OPENED[index] = found
    return found


def screen_rows(screener: Screener, rows: list[dict[str, Any]], threshold: float, limit: int) -> list[dict[str, Any]]:
    """Screen records (``id``, ``name`` and the optional fields) as ``tradeguard screen``
    does: one result record each, in order (``id``, ``matches``; ``error`` where a row
    could not be screened)."""
    from tradeguard.screening.parties import query_from_record

    out: list[dict[str, Any] | None] = []
    items = []
    for row in rows:
        rid = "" if row.get("id") is None else str(row["id"])
        try:
            items.append((rid, query_from_record(row)))
            out.append(None)
        except ValueError as exc:
            out.append({"id": rid, "matches": [], "error": str(exc)})
    results = iter(screener.screen_queries(items, threshold=threshold, limit=limit, processes=1))
    return [next(results).to_dict() if done is None else done for done in out]


def _struct_row(record: dict[str, Any]) -> dict[str, Any]:
    """A result record as a row of OUTPUT_SCHEMA (each explanation as a JSON string)."""
    matches = [{**m, "explanation": json.dumps(m["explanation"], ensure_ascii=False, sort_keys=True)}
               for m in record["matches"]]
    return {"id": record["id"], "matches": matches, "error": record.get("error")}


def _arrow_schema() -> pa.Schema:
    import pyarrow as pa

    kinds = {"string": pa.string(), "double": pa.float64()}
    match = pa.struct([pa.field(name, kinds[kind]) for name, kind in MATCH_FIELDS])
    return pa.schema([pa.field("id", pa.string()), pa.field("matches", pa.list_(match)), pa.field("error", pa.string())])
