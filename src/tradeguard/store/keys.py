"""API keys with roles (screener < reviewer < admin), stored as salted scrypt hashes.

A key reads ``tg_<id>_<secret>``: the id is public and indexes the row, so verifying a key
is one primary-key lookup and one hash; the secret is 32 random bytes (URL-safe base64) and
is shown once, at creation. Only ``scrypt(secret, per-key salt)`` is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from tradeguard.store.service_tables import api_keys, ui_sessions

ROLES: tuple[str, ...] = ("screener", "reviewer", "admin")
KEY_PREFIX = "tg"
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_ID_LENGTH = 12
_KEY_RE = re.compile(rf"^{KEY_PREFIX}_([a-z0-9]{{{_ID_LENGTH}}})_([A-Za-z0-9_\-]{{20,}})$")
# scrypt cost: ~50 ms per check on this class of machine. Successful checks are cached per
# process (keyed by key id, stored hash and a digest of the secret), so a client sending
# the same key on every request pays the cost once; a revoked key fails at the row lookup.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

_verified: dict[tuple[str, str], str] = {}
_verified_lock = threading.Lock()


class RoleError(Exception):
    """The key's role does not allow the action."""


@dataclass
class KeyInfo:
    id: str
    role: str
    label: str
    created_at: str = ""
    revoked_at: str | None = None
    expires_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role,
            "label": self.label,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
            "expires_at": self.expires_at,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _hash_secret(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **_SCRYPT).hex()


def role_rank(role: str) -> int:
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}': use one of {', '.join(ROLES)}")
    return ROLES.index(role)


def has_role(key: KeyInfo, required: str) -> bool:
    """Whether ``key`` may act as ``required`` (screener < reviewer < admin)."""
    return role_rank(key.role) >= role_rank(required)


def require_role(key: KeyInfo, required: str) -> None:
    if not has_role(key, required):
        raise RoleError(f"key {key.id} has role '{key.role}': this needs '{required}' or higher")


def create_key(conn: Connection, role: str, label: str = "", expires_at: str | None = None) -> tuple[str, str]:
    """Store a new key; returns (key id, plaintext key). The plaintext is not kept anywhere.
    ``expires_at`` (an ISO timestamp, UTC) ends it, as a revocation would."""
    role_rank(role)
    key_id = "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    conn.execute(
        api_keys.insert().values(
            id=key_id,
            role=role,
            label=label,
            salt=salt.hex(),
            hash=_hash_secret(secret, salt),
            created_at=_now(),
            revoked_at=None,
            expires_at=expires_at,
        )
    )
    return key_id, f"{KEY_PREFIX}_{key_id}_{secret}"


def expiry_in(days: float) -> str:
    """The ISO timestamp ``days`` from now (UTC), as ``expires_at`` takes it."""
    return (datetime.now(UTC) + timedelta(days=days)).isoformat(timespec="seconds")


def expired(info_or_value: KeyInfo | str | None) -> bool:
    value = info_or_value.expires_at if isinstance(info_or_value, KeyInfo) else info_or_value
    return value is not None and value <= _now()


def rotate_key(conn: Connection, key_id: str, grace_hours: float = 0.0) -> tuple[str, str]:
    """A new key of the same role and label for a live key, which stops working at once
    (``grace_hours`` 0: revoked) or after a grace period (its expiry brought forward), so
    clients can switch over. Returns (new key id, new plaintext key); KeyError when there is
    no live key ``key_id``."""
    old = get_key(conn, key_id)
    if old is None or old.revoked_at is not None or expired(old):
        raise KeyError(f"no active key '{key_id}'")
    new_id, plaintext = create_key(conn, old.role, old.label, old.expires_at)
    if grace_hours <= 0:
        revoke_key(conn, key_id)
    else:
        until = (datetime.now(UTC) + timedelta(hours=grace_hours)).isoformat(timespec="seconds")
        if old.expires_at is None or until < old.expires_at:
            conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(expires_at=until))
    return new_id, plaintext


def parse_key(plaintext: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed key, else None."""
    m = _KEY_RE.match(plaintext.strip())
    return (m.group(1), m.group(2)) if m else None


def _info(row: Any) -> KeyInfo:
    return KeyInfo(row.id, row.role, row.label, row.created_at, row.revoked_at, row.expires_at)


def verify_key(conn: Connection, plaintext: str) -> KeyInfo | None:
    """The key's id, role and label if ``plaintext`` is a valid key, neither revoked nor
    expired, else None."""
    parsed = parse_key(plaintext or "")
    if parsed is None:
        return None
    key_id, secret = parsed
    row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
    if row is None or row.revoked_at is not None or expired(row.expires_at):
        return None
    digest = hashlib.sha256(secret.encode("utf-8")).hexdigest()
    with _verified_lock:
        cached = _verified.get((key_id, row.hash))
    if cached is not None:
        return _info(row) if hmac.compare_digest(cached, digest) else None
    computed = _hash_secret(secret, bytes.fromhex(row.salt))
    if not hmac.compare_digest(computed, row.hash):
        return None
    with _verified_lock:
        if len(_verified) > 10_000:
            _verified.clear()
        _verified[(key_id, row.hash)] = digest
    return _info(row)


def revoke_key(conn: Connection, key_id: str) -> bool:
    """Revoke a key and close its UI sessions; False when there is no such unrevoked key."""
    now = _now()
    result = conn.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id)
        .where(api_keys.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    conn.execute(update(ui_sessions).where(ui_sessions.c.key_id == key_id)
                 .where(ui_sessions.c.revoked_at.is_(None)).values(revoked_at=now))
    return bool(result.rowcount)


# --- web UI sessions ------------------------------------------------------------------------

SESSION_HOURS = 12.0


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def open_session(conn: Connection, key_id: str, hours: float = SESSION_HOURS) -> str:
    """A new UI session for a verified key: its random id (the browser's cookie; only its
    hash is stored), valid ``hours`` or until closed or the key is revoked or expires."""
    session_id = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    conn.execute(ui_sessions.insert().values(
        id_hash=_session_hash(session_id), key_id=key_id, created_at=now.isoformat(timespec="seconds"),
        expires_at=(now + timedelta(hours=hours)).isoformat(timespec="seconds"),
    ))
    return session_id


def session_key(conn: Connection, session_id: str | None) -> KeyInfo | None:
    """The key of an open session (not closed, not expired, its key neither revoked nor
    expired), else None."""
    if not session_id:
        return None
    row = conn.execute(
        select(ui_sessions.c.expires_at.label("session_expires"), api_keys)
        .join(api_keys, api_keys.c.id == ui_sessions.c.key_id)
        .where(ui_sessions.c.id_hash == _session_hash(session_id))
        .where(ui_sessions.c.revoked_at.is_(None))
    ).first()
    if row is None or expired(row.session_expires) or row.revoked_at is not None or expired(row.expires_at):
        return None
    return _info(row)


def close_session(conn: Connection, session_id: str) -> bool:
    """Close a session (logout); False when it was not open."""
    result = conn.execute(update(ui_sessions).where(ui_sessions.c.id_hash == _session_hash(session_id))
                          .where(ui_sessions.c.revoked_at.is_(None)).values(revoked_at=_now()))
    return bool(result.rowcount)


def get_key(conn: Connection, key_id: str) -> KeyInfo | None:
    row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
    return _info(row) if row is not None else None


def list_keys(conn: Connection, include_revoked: bool = True) -> list[KeyInfo]:
    q = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)
    if not include_revoked:
        q = q.where(api_keys.c.revoked_at.is_(None))
    return [_info(row) for row in conn.execute(q)]
