"""API keys: stored hashed, verified, revoked; roles ordered screener < reviewer < admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tradeguard.store.keys import (
    KeyInfo,
    RoleError,
    create_key,
    has_role,
    list_keys,
    parse_key,
    require_role,
    revoke_key,
    verify_key,
)
from tradeguard.store.service_tables import api_keys


def test_key_is_stored_only_as_a_salted_hash(engine: Engine, store_url: str) -> None:
    with engine.begin() as conn:
        key_id, plaintext = create_key(conn, "reviewer", "alice")
        other_id, other = create_key(conn, "reviewer", "bob")
    parsed = parse_key(plaintext)
    assert parsed is not None and parsed[0] == key_id
    secret = parsed[1]
    assert len(secret) >= 40  # 32 random bytes, URL-safe base64
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(api_keys))]
    assert {r["id"] for r in rows} == {key_id, other_id}
    for row in rows:
        for value in row.values():
            assert secret not in str(value) and plaintext not in str(value)
    assert rows[0]["salt"] != rows[1]["salt"]
    assert rows[0]["hash"] != rows[1]["hash"]
    if store_url.startswith("sqlite:///"):
        raw = Path(store_url.removeprefix("sqlite:///")).read_bytes()
        assert secret.encode() not in raw and other.encode() not in raw


def test_verify_and_revoke(engine: Engine) -> None:
    with engine.begin() as conn:
        key_id, plaintext = create_key(conn, "screener", "batch job")
    with engine.connect() as conn:
        info = verify_key(conn, plaintext)
        assert info is not None and (info.id, info.role, info.label) == (key_id, "screener", "batch job")
        assert verify_key(conn, plaintext) == info  # second check (cached hash) agrees
        wrong = plaintext[:-4] + ("AAAA" if not plaintext.endswith("AAAA") else "BBBB")
        assert verify_key(conn, wrong) is None
        assert verify_key(conn, "tg_nosuchkey0000_" + "x" * 43) is None
        assert verify_key(conn, "not a key") is None
        assert verify_key(conn, "") is None
    with engine.begin() as conn:
        assert revoke_key(conn, key_id) is True
        assert revoke_key(conn, key_id) is False  # already revoked
    with engine.connect() as conn:
        assert verify_key(conn, plaintext) is None  # revocation beats the cache
        (listed,) = list_keys(conn)
        assert listed.id == key_id and listed.revoked_at is not None
        assert list_keys(conn, include_revoked=False) == []


def test_roles_are_ordered(engine: Engine) -> None:
    screener = KeyInfo("a", "screener", "")
    reviewer = KeyInfo("b", "reviewer", "")
    admin = KeyInfo("c", "admin", "")
    assert has_role(admin, "reviewer") and has_role(admin, "screener") and has_role(admin, "admin")
    assert has_role(reviewer, "screener") and not has_role(reviewer, "admin")
    assert not has_role(screener, "reviewer")
    with pytest.raises(RoleError, match="needs 'reviewer'"):
        require_role(screener, "reviewer")
    require_role(reviewer, "reviewer")
    with pytest.raises(ValueError, match="unknown role"):
        has_role(screener, "superuser")
    with engine.begin() as conn, pytest.raises(ValueError, match="unknown role"):
        create_key(conn, "root", "")


def test_keys_expire_and_rotate(engine: Engine) -> None:
    from tradeguard.store.keys import expiry_in, rotate_key

    with engine.begin() as conn:
        _gone_id, gone = create_key(conn, "screener", "old", expiry_in(-1))  # expired yesterday
        live_id, live = create_key(conn, "reviewer", "ops", expiry_in(30))
    with engine.connect() as conn:
        assert verify_key(conn, gone) is None
        info = verify_key(conn, live)
    assert info is not None and info.expires_at is not None and info.expires_at > info.created_at
    # Rotation with a grace period: both keys work, the old one until the grace ends.
    with engine.begin() as conn:
        new_id, new = rotate_key(conn, live_id, grace_hours=2)
    with engine.connect() as conn:
        old_info, new_info = verify_key(conn, live), verify_key(conn, new)
    assert old_info is not None and new_info is not None
    assert (new_info.role, new_info.label, new_info.id) == ("reviewer", "ops", new_id)
    assert old_info.expires_at is not None and old_info.expires_at < (new_info.expires_at or "")
    # Without one, the old key stops at once; a dead key cannot be rotated.
    with engine.begin() as conn:
        _newer_id, newer = rotate_key(conn, new_id)
    with engine.connect() as conn:
        assert verify_key(conn, new) is None and verify_key(conn, newer) is not None
    with pytest.raises(KeyError, match="no active key"), engine.begin() as conn:
        rotate_key(conn, new_id)


def test_an_older_store_gets_the_expiry_column(tmp_path: Path) -> None:
    import sqlite3

    from tradeguard.store.db import connect

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # api_keys as the first releases created it
        db.execute("CREATE TABLE api_keys (id VARCHAR(32) PRIMARY KEY, role VARCHAR(16) NOT NULL, label TEXT NOT NULL, "
                   "salt VARCHAR(64) NOT NULL, hash VARCHAR(128) NOT NULL, created_at VARCHAR(40) NOT NULL, "
                   "revoked_at VARCHAR(40))")
    engine = connect(f"sqlite:///{path}")
    with engine.begin() as conn:
        _key_id, plaintext = create_key(conn, "admin", "after the upgrade")
    with engine.connect() as conn:
        assert verify_key(conn, plaintext) is not None
    with sqlite3.connect(path) as db:
        assert "expires_at" in [row[1] for row in db.execute("PRAGMA table_info(api_keys)")]
    engine.dispose()
