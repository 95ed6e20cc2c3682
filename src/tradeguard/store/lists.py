"""List versions: load a file as a new version (atomically), list versions, diff them.

A load runs in one database transaction: a failed parse, a guard refusal or a killed
process leaves the store exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, bindparam, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from tradeguard.model import Entity
from tradeguard.sources import ParsedList, SourceError, read_list
from tradeguard.store.db import entity_records, insert_ignore, list_versions, version_entities

BATCH = 2000
DEFAULT_MAX_DROP_SHARE = 0.2

_PATH_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")


class LoadRefused(Exception):
    """A guard refused a new version (nothing was stored)."""


class LoadFailed(LoadRefused):
    """The store could not take a new version (a full disk, a lost database connection):
    its transaction was rolled back, so nothing of it was stored."""


@dataclass
class VersionInfo:
    id: int
    list_key: str
    format: str
    published: str | None
    list_date: str
    sha256: str
    source_files: list[str]
    loaded_at: str
    entity_count: int
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.id,
            "list": self.list_key,
            "format": self.format,
            "published": self.published,
            "list_date": self.list_date,
            "sha256": self.sha256,
            "source_files": self.source_files,
            "loaded_at": self.loaded_at,
            "entity_count": self.entity_count,
            "counts": self.counts,
            "notes": self.notes,
        }

    def ref(self) -> dict[str, Any]:
        """The version as screenings and the audit trail cite it."""
        return {"list": self.list_key, "version": self.id, "list_date": self.list_date, "sha256": self.sha256}


@dataclass
class LoadResult:
    status: str  # "loaded" or "unchanged"
    version: VersionInfo
    message: str


def _version_from_row(row: Any) -> VersionInfo:
    return VersionInfo(
        id=row.id,
        list_key=row.list_key,
        format=row.format,
        published=row.published,
        list_date=row.list_date,
        sha256=row.sha256,
        source_files=json.loads(row.source_files),
        loaded_at=row.loaded_at,
        entity_count=row.entity_count,
        counts=json.loads(row.counts),
        notes=json.loads(row.notes),
    )


def date_in_path(path: Path) -> str | None:
    """The last date-like folder or file name in a path ("history/2022-02-25/sdn.csv")."""
    found: str | None = None
    for part in path.parts:
        for m in _PATH_DATE.finditer(part):
            year, month, day = m.group(1), m.group(2), m.group(3)
            found = f"{year}-{month}-{day}" if day else f"{year}-{month}"
    return found


def files_sha256(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _ordering() -> tuple[Any, Any]:
    return list_versions.c.list_date, list_versions.c.id


def active_version(conn: Connection, list_key: str) -> VersionInfo | None:
    """The version in force: the newest list date (the later load on a tie)."""
    row = conn.execute(
        select(list_versions)
        .where(list_versions.c.list_key == list_key)
        .order_by(*(c.desc() for c in _ordering()))
        .limit(1)
    ).first()
    return _version_from_row(row) if row is not None else None


def get_version(conn: Connection, version_id: int) -> VersionInfo | None:
    row = conn.execute(select(list_versions).where(list_versions.c.id == version_id)).first()
    return _version_from_row(row) if row is not None else None


def list_keys(conn: Connection) -> list[str]:
    return list(conn.execute(select(list_versions.c.list_key).distinct().order_by(list_versions.c.list_key)).scalars())


def versions(conn: Connection, list_key: str) -> list[VersionInfo]:
    """Every version of a list, oldest list date first."""
    rows = conn.execute(
        select(list_versions).where(list_versions.c.list_key == list_key).order_by(*_ordering())
    )
    return [_version_from_row(r) for r in rows]


def active_version_ids(conn: Connection) -> list[tuple[str, int]]:
    """(list key, version id) of the version in force of every list (as
    :func:`active_version`), by list key: two small columns of every version read, none
    decoded. Screening and alerting paths call this on every request."""
    rows = conn.execute(
        select(list_versions.c.list_key, list_versions.c.id)
        .order_by(list_versions.c.list_key, *(c.desc() for c in _ordering()))
    )
    out: list[tuple[str, int]] = []
    for list_key, version_id in rows:
        if not out or out[-1][0] != list_key:
            out.append((list_key, version_id))
    return out


def active_versions(conn: Connection) -> list[VersionInfo]:
    """The version in force of every list, by list key (only those rows read whole)."""
    ids = active_version_ids(conn)
    if not ids:
        return []
    rows = {row.id: row for row in conn.execute(
        select(list_versions).where(list_versions.c.id.in_([version_id for _key, version_id in ids])))}
    return [_version_from_row(rows[version_id]) for _key, version_id in ids if version_id in rows]


def age_days(list_date: str, today: date | None = None) -> int | None:
    """Days since a list date ("2024-05-03", or a partial "2024-05")."""
    try:
        parts = [int(x) for x in list_date[:10].split("-")]
        while len(parts) < 3:
            parts.append(1)
        return ((today or date.today()) - date(*parts)).days
    except ValueError:
        return None


def status_rows(conn: Connection, max_age_days: int) -> list[dict[str, Any]]:
    """Every list in force: its active version, age, a staleness flag and its version count."""
    rows = []
    for version in active_versions(conn):
        item = version.to_dict()
        item["age_days"] = age_days(version.list_date)
        item["stale"] = item["age_days"] is not None and item["age_days"] > max_age_days
        item["versions"] = len(versions(conn, version.list_key))
        rows.append(item)
    return rows


def _iter_unique(parsed: ParsedList, notes: list[str]) -> Iterator[Entity]:
    seen: set[str] = set()
    duplicates = 0
    for entity in parsed.entities:
        if entity.entity_id in seen:
            duplicates += 1
            continue
        seen.add(entity.entity_id)
        yield entity
    if duplicates:
        notes.append(f"{duplicates} repeated entity id(s) in the file: the first occurrence was kept")


@contextmanager
def _store_write(path: Path) -> Iterator[None]:
    """LoadFailed for an error of the store itself (a full disk, a lost connection) while
    a version is written: its transaction is rolled back, so nothing of it is stored."""
    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0][:200]
        raise LoadFailed(f"{path}: the store could not take this version ({reason}); nothing of it was "
                         "stored and the version in force is unchanged") from exc


def load_file(
    engine: Engine,
    path: Path,
    *,
    force: bool = False,
    max_drop_share: float = DEFAULT_MAX_DROP_SHARE,
    list_date: str | None = None,
    source_label: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Read one list file (format detected from content) and store it as a new version.

    Identical content already stored for the list is a no-op. A version that would become
    active and drops more than ``max_drop_share`` of the active version's entities is
    refused unless ``force``. Raises SourceError for unreadable files, LoadRefused for
    guard refusals and LoadFailed when the store cannot take the version (a full disk);
    in every case nothing is stored.
    """
    with _store_write(path):
        path = Path(path)
        parsed = read_list(path)
        sha = files_sha256(parsed.files)
        with engine.begin() as conn:
            existing = conn.execute(
                select(list_versions).where(
                    and_(list_versions.c.list_key == parsed.list_key, list_versions.c.sha256 == sha)
                )
            ).first()
            if existing is not None:
                info = _version_from_row(existing)
                return LoadResult(
                    "unchanged",
                    info,
                    f"{path}: identical to {parsed.list_key} version {info.id} (sha256 {sha[:12]}): nothing to load",
                )

        published = parsed.published
        the_date = list_date or (published[:10] if published else None) or date_in_path(path)
        the_date = the_date or date.today().isoformat()
        notes = list(parsed.notes)
        files = [source_label] if source_label else [str(p) for p in parsed.files]

        with engine.begin() as conn:
            current = active_version(conn, parsed.list_key)
            inserted = conn.execute(
                list_versions.insert().values(
                    list_key=parsed.list_key,
                    format=parsed.format,
                    published=published,
                    list_date=the_date,
                    sha256=sha,
                    source_files=json.dumps(files),
                    loaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    entity_count=0,
                    counts="{}",
                    notes="[]",
                )
            ).inserted_primary_key
            assert inserted is not None
            version_id = int(inserted[0])
            counts: Counter[str] = Counter()
            records: list[dict[str, Any]] = []
            members: list[dict[str, Any]] = []

            def flush() -> None:
                insert_ignore(conn, entity_records, records)
                conn.execute(version_entities.insert(), members)
                records.clear()
                members.clear()

            for entity in _iter_unique(parsed, notes):
                body = entity.canonical_json()
                digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
                records.append({"hash": digest, "data": body})
                members.append(
                    {
                        "version_id": version_id,
                        "entity_id": entity.entity_id,
                        "source_id": entity.source_id,
                        "schema": entity.schema,
                        "caption": entity.caption,
                        "record_hash": digest,
                    }
                )
                counts[entity.schema] += 1
                if len(members) >= BATCH:
                    flush()
                    if on_progress:
                        on_progress(sum(counts.values()))
            if members:
                flush()
            total = sum(counts.values())
            if total == 0:
                raise SourceError(path, None, "no entities found: refusing an empty list")
            becomes_active = current is None or (the_date, version_id) >= (current.list_date, current.id)
            if current is not None and becomes_active and not force and current.entity_count:
                dropped = _count_missing(conn, current.id, version_id)
                share = dropped / current.entity_count
                if share > max_drop_share:
                    raise LoadRefused(
                        f"{path}: refused: this version drops {dropped} of the {current.entity_count} "
                        f"entities of active {parsed.list_key} version {current.id} ({share:.0%} > "
                        f"{max_drop_share:.0%} allowed). Use --force if the list really shrank."
                    )
            conn.execute(
                update(list_versions)
                .where(list_versions.c.id == version_id)
                .values(entity_count=total, counts=json.dumps(dict(counts)), notes=json.dumps(notes))
            )
            row = conn.execute(select(list_versions).where(list_versions.c.id == version_id)).one()
            info = _version_from_row(row)
        state = "now active" if becomes_active else f"kept as history (active is version {current.id if current else '?'})"
        return LoadResult("loaded", info, f"{path}: loaded {parsed.list_key} version {info.id} with {total} entities, {state}")


def _count_missing(conn: Connection, old_id: int, new_id: int) -> int:
    """Entities in version ``old_id`` that are absent from ``new_id``."""
    newer = select(version_entities.c.entity_id).where(version_entities.c.version_id == new_id)
    return int(
        conn.execute(
            select(func.count())
            .select_from(version_entities)
            .where(version_entities.c.version_id == old_id)
            .where(version_entities.c.entity_id.not_in(newer))
        ).scalar_one()
    )


# --- reading entities back --------------------------------------------------------------


def version_entity_rows(conn: Connection, version_id: int) -> Iterator[Any]:
    q = (
        select(
            version_entities.c.entity_id,
            version_entities.c.source_id,
            version_entities.c.record_hash,
            entity_records.c.data,
        )
        .join(entity_records, entity_records.c.hash == version_entities.c.record_hash)
        .where(version_entities.c.version_id == version_id)
        .order_by(version_entities.c.entity_id)
    )
    yield from conn.execute(q)


def iter_version_entities(conn: Connection, version_id: int) -> Iterator[Entity]:
    for row in version_entity_rows(conn, version_id):
        yield Entity.from_dict(json.loads(row.data))


def iter_active_entities(conn: Connection, list_keys_: list[str] | None = None) -> Iterator[Entity]:
    """Every entity of every active list version (or of the named lists)."""
    for version in active_versions(conn):
        if list_keys_ is not None and version.list_key not in list_keys_:
            continue
        yield from iter_version_entities(conn, version.id)


def get_entity(conn: Connection, entity_id: str) -> Entity | None:
    """An entity as it stands in the active version of its list."""
    return get_entities(conn, [entity_id]).get(entity_id)


_ENTITIES_IN = (  # built once: a request that hits a listing reads it with this
    select(version_entities.c.entity_id, entity_records.c.data)
    .join(version_entities, entity_records.c.hash == version_entities.c.record_hash)
    .where(version_entities.c.version_id == bindparam("version"))
    .where(version_entities.c.entity_id.in_(bindparam("ids", expanding=True)))
)


def get_entities(conn: Connection, entity_ids: Iterable[str],
                 versions: Mapping[str, int] | None = None) -> dict[str, Entity]:
    """Entities as they stand in the active versions of their lists (or in ``versions``,
    list key -> version id, for a caller that knows them), read a batch at a time (entity
    id -> entity; ids in none of those versions are left out)."""
    by_list: dict[str, list[str]] = {}
    for entity_id in dict.fromkeys(entity_ids):
        by_list.setdefault(entity_id.partition("-")[0], []).append(entity_id)
    found: dict[str, Entity] = {}
    for list_key, wanted in by_list.items():
        if versions is not None:
            version_id = versions.get(list_key)
        else:
            version = active_version(conn, list_key)
            version_id = version.id if version is not None else None
        if version_id is None:
            continue
        for start in range(0, len(wanted), BATCH):
            rows = conn.execute(_ENTITIES_IN, {"version": version_id, "ids": wanted[start : start + BATCH]})
            found.update({row.entity_id: Entity.from_dict(json.loads(row.data)) for row in rows})
    return found


# --- diffs ------------------------------------------------------------------------------


@dataclass
class Diff:
    list_key: str
    from_version: VersionInfo
    to_version: VersionInfo
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_key,
            "from": self.from_version.to_dict(),
            "to": self.to_version.to_dict(),
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
        }


def previous_version(conn: Connection, version: VersionInfo) -> VersionInfo | None:
    earlier = [v for v in versions(conn, version.list_key) if (v.list_date, v.id) < (version.list_date, version.id)]
    return earlier[-1] if earlier else None


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        key: {"from": old.get(key), "to": new.get(key)}
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    }


def diff_versions(conn: Connection, from_version: VersionInfo, to_version: VersionInfo) -> Diff:
    if from_version.list_key != to_version.list_key:
        raise ValueError(
            f"versions {from_version.id} ({from_version.list_key}) and {to_version.id} "
            f"({to_version.list_key}) belong to different lists"
        )
    old = {r.entity_id: r for r in version_entity_rows(conn, from_version.id)}
    new = {r.entity_id: r for r in version_entity_rows(conn, to_version.id)}

    def item(row: Any) -> dict[str, Any]:
        data = json.loads(row.data)
        return {
            "entity_id": row.entity_id,
            "source_id": row.source_id,
            "schema": data["schema"],
            "name": Entity.from_dict(data).caption,
        }

    added = [item(new[k]) for k in sorted(new.keys() - old.keys())]
    removed = [item(old[k]) for k in sorted(old.keys() - new.keys())]
    changed = []
    for key in sorted(old.keys() & new.keys()):
        if old[key].record_hash != new[key].record_hash:
            entry = item(new[key])
            entry["fields"] = changed_fields(json.loads(old[key].data), json.loads(new[key].data))
            changed.append(entry)
    return Diff(to_version.list_key, from_version, to_version, added, removed, changed)


def active_entity_count(conn: Connection) -> int:
    return sum(v.entity_count for v in active_versions(conn))
