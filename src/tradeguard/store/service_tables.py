"""Tables of the screening service: API keys, monitored parties, alerts, decisions, audit.

They live on the same ``metadata`` as the list store, so ``db.connect()`` creates them once
this module is imported (every module that uses them imports it).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from tradeguard.store.db import metadata

# API keys: the plaintext is never stored, only a salted scrypt hash of its secret part.
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),  # the public part of "tg_<id>_<secret>"
    Column("role", String(16), nullable=False),
    Column("label", Text, nullable=False),
    Column("salt", String(64), nullable=False),  # hex
    Column("hash", String(128), nullable=False),  # hex scrypt(secret, salt)
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
    Column("expires_at", String(40)),  # added after the first release: see db.ADDED_COLUMNS
)

# Web UI sessions: the browser holds a random session id, the store its hash and the key
# it was opened with (store/keys.py: open_session, session_key, close_session).
ui_sessions = Table(
    "ui_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # sha256 of the session id
    Column("key_id", String(32), nullable=False, index=True),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
)

# Monitored parties (customers, suppliers, consignees): one row per external reference.
parties = Table(
    "parties",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("schema", String(32)),
    Column("birth_date", String(40)),
    Column("country", String(64)),
    Column("identifiers", Text, nullable=False),  # JSON list of strings
    Column("address", Text),
    Column("kind", String(16), nullable=False),
    Column("data_hash", String(64), nullable=False),  # sha256 of the canonical screening fields
    Column("active", Integer, nullable=False),  # 1 = monitored, 0 = removed from monitoring
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

# Screenings of monitored parties: one row per party screened at registration or update,
# one row (party_id NULL) per rescreening run over every monitored party.
screenings = Table(
    "screenings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("party_id", String(200), ForeignKey("parties.id"), index=True),
    Column("at", String(40), nullable=False),
    Column("trigger", String(16), nullable=False),  # register | update | rescreen
    Column("actor", Text, nullable=False),
    Column("party_hash", String(64)),
    Column("list_versions", Text, nullable=False),  # JSON [{list, version, list_date, sha256}]
    Column("threshold", Float, nullable=False),
    Column("engine_version", String(32), nullable=False),
    Column("parties_screened", Integer, nullable=False),
    Column("summary", Text, nullable=False),  # JSON: matches, alerts raised/suppressed/closed
)

# Alerts: a party matched a listed entity in a list version.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("party_id", String(200), ForeignKey("parties.id"), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("list_key", String(64), nullable=False),
    Column("version_id", Integer, ForeignKey("list_versions.id"), nullable=False),  # raised by
    Column("score", Float, nullable=False),
    Column("matched_name", Text, nullable=False),
    Column("name_kind", String(32)),
    Column("explanation", Text, nullable=False),  # JSON
    Column("party_hash", String(64), nullable=False),
    Column("party_data", Text, nullable=False),  # JSON snapshot of the party's screening fields
    Column("entity_hash", String(64), nullable=False),  # record_hash of the entity in version_id
    Column("status", String(16), nullable=False),  # open|escalated|cleared|closed|reopened
    Column("previous_alert_id", Integer),  # the cleared alert this one re-opens
    Column("changes", Text),  # JSON "what changed" for a re-opened alert
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("closed_by_version", Integer, ForeignKey("list_versions.id")),
    Column("closed_reason", Text),
)
Index("ix_alerts_party_entity", alerts.c.party_id, alerts.c.entity_id)
Index("ix_alerts_status", alerts.c.status)
Index("ix_alerts_entity", alerts.c.entity_id)

# The listings an alert covers: every listing of the listed party (linked across lists, see
# store/links.py), the matched ones with their score. ``alerts.entity_id`` is the best match.
# A decision on the alert covers them all; an alert with no rows here (raised before
# listings were linked) covers its own entity only.
alert_listings = Table(
    "alert_listings",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id"), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("list_key", String(64), nullable=False),
    Column("source_id", String(160), nullable=False),
    Column("name", Text, nullable=False),
    Column("version_id", Integer, ForeignKey("list_versions.id"), nullable=False),
    Column("entity_hash", String(64), nullable=False),  # record_hash in version_id
    Column("score", Float),  # None: linked to a matched listing, not matched itself
    Column("matched_name", Text),
    Column("added_at", String(40), nullable=False),
    Column("removed_by_version", Integer, ForeignKey("list_versions.id")),  # delisted
)
Index("ix_alert_listings_entity", alert_listings.c.entity_id)

# Reviewers' decisions on alerts.
alert_decisions = Table(
    "alert_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False, index=True),
    Column("decision", String(16), nullable=False),  # true_match | false_positive
    Column("reason", Text, nullable=False),
    Column("reviewer", String(200), nullable=False),  # API key id or "cli:<user>"
    Column("at", String(40), nullable=False),
    Column("effect", String(32), nullable=False),  # resulting status, or "pending_second_review"
)

# Append-only, hash-chained audit log.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(32), nullable=False),
    Column("subject", String(200), index=True),  # party id where the entry concerns one party
    Column("payload", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# The head of the audit chain: one row, updated with each append. Appends lock it, so they
# are serialised on SQLite and PostgreSQL alike; verify() checks the log ends where the head
# says (a deleted or forged tail is detected).
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)
