"""Database connection and table definitions (SQLAlchemy Core).

The store is any SQLAlchemy URL: SQLite by default, PostgreSQL by URL. A bare file path is
taken as a SQLite file.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

DEFAULT_DB = "sqlite:///tradeguard.db"
DB_ENV = "TRADEGUARD_DB"

metadata = MetaData()

# One row per load of a list file (or file set).
list_versions = Table(
    "list_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("list_key", String(64), nullable=False, index=True),
    Column("format", String(64), nullable=False),
    Column("published", String(40)),  # as stated inside the file, ISO
    Column("list_date", String(40), nullable=False),  # published, else a date in the path, else load date
    Column("sha256", String(64), nullable=False),
    Column("source_files", Text, nullable=False),  # JSON list of paths/URLs
    Column("loaded_at", String(40), nullable=False),  # ISO UTC
    Column("entity_count", Integer, nullable=False),
    Column("counts", Text, nullable=False),  # JSON {schema: n}
    Column("notes", Text, nullable=False),  # JSON list of parser notes
)
Index("ix_list_versions_key_sha", list_versions.c.list_key, list_versions.c.sha256)

# Entity bodies, stored once per distinct content (versions share unchanged records).
entity_records = Table(
    "entity_records",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("data", Text, nullable=False),  # Entity.canonical_json()
)

# Which entity, in which content, is in which version.
version_entities = Table(
    "version_entities",
    metadata,
    Column("version_id", Integer, ForeignKey("list_versions.id"), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("source_id", String(160), nullable=False),
    Column("schema", String(32), nullable=False),
    Column("caption", Text, nullable=False),
    Column("record_hash", String(64), ForeignKey("entity_records.hash"), nullable=False),
)
Index("ix_version_entities_entity", version_entities.c.entity_id)


def resolve_url(url: str | None = None) -> str:
    """The store URL from the argument, else TRADEGUARD_DB, else ./tradeguard.db."""
    url = url or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" not in url:
        url = f"sqlite:///{url}"
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _register_tables() -> None:
    """Import the modules that define the other tables on ``metadata`` (they import us)."""
    import tradeguard.store.jobs
    import tradeguard.store.links
    import tradeguard.store.ownership
    import tradeguard.store.payments
    import tradeguard.store.service_tables  # noqa: F401


def connect(url: str | None = None) -> Engine:
    """An engine for the store, with every table created."""
    _register_tables()
    url = resolve_url(url)
    # A server's pooled connections outlive a PostgreSQL restart: check each before use.
    engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        metadata.create_all(engine)
    except (ProgrammingError, IntegrityError, OperationalError):
        # Two processes creating a new store's tables at once: one of them fails on the
        # tables (or, on PostgreSQL, their types) the other just made. Check again.
        metadata.create_all(engine)
    add_missing_columns(engine)
    return engine


# Columns added to a table after stores were created with it (nullable, so existing rows
# stay valid): added in place by ``connect()``.
ADDED_COLUMNS: dict[str, tuple[str, ...]] = {"api_keys": ("expires_at",), "order_screenings": ("kind",)}


def add_missing_columns(engine: Engine) -> None:
    """Add the :data:`ADDED_COLUMNS` an older store lacks (``ALTER TABLE ... ADD COLUMN``)."""
    from sqlalchemy import inspect

    inspector = inspect(engine)
    for table_name, names in ADDED_COLUMNS.items():
        table = metadata.tables.get(table_name)
        if table is None or not inspector.has_table(table_name):
            continue
        present = {c["name"] for c in inspector.get_columns(table_name)}
        for name in names:
            if name in present:
                continue
            column = table.c[name]
            ddl = f"ALTER TABLE {table_name} ADD COLUMN {name} {column.type.compile(dialect=engine.dialect)}"
            with engine.begin() as conn:
                conn.exec_driver_sql(ddl)


_FACTS: weakref.WeakKeyDictionary[Engine, dict[str, dict[Any, Any]]] = weakref.WeakKeyDictionary()
_FACTS_LOCK = threading.Lock()


def facts_cache(bind: Engine | Connection, name: str) -> dict[Any, Any]:
    """A dict kept with the engine (so per store) while it lives, for facts of the store
    that never change once written: a loaded version's records, a stored link run. The
    caller bounds its size."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _FACTS_LOCK:
        return _FACTS.setdefault(engine, {}).setdefault(name, {})


def lock_rows(conn: Connection, key: Column[Any], ids: Sequence[Any], touch: Column[Any]) -> None:
    """Lock the rows of ``key``'s table with these keys for the rest of the transaction,
    before reading them to decide a write, so that another process deciding the same write
    at the same moment waits and then reads what this one wrote. PostgreSQL: row locks
    (``SELECT ... FOR NO KEY UPDATE``, what an update of ``touch`` would take), in key
    order, so that two writers cannot deadlock. SQLite ignores FOR UPDATE and locks the
    whole store on a transaction's first write: a no-op write of ``touch`` takes that lock."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        if conn.dialect.name == "postgresql":
            conn.execute(select(key).where(key.in_(chunk)).order_by(key).with_for_update(key_share=True))
        else:
            conn.execute(update(key.table).where(key.in_(chunk)).values({touch.name: touch}))


def insert_ignore(conn: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows, skipping those whose primary key exists (SQLite and PostgreSQL)."""
    batch = list(rows)
    if not batch:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(table).on_conflict_do_nothing(), batch)
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        conn.execute(sqlite_insert(table).on_conflict_do_nothing(), batch)
    else:  # pragma: no cover - other dialects are not supported targets
        raise NotImplementedError(f"unsupported database dialect: {conn.dialect.name}")
