"""The one seam between the staff tools and the store's SQLite connection.

Staff mode needs a few things :class:`kiosk.storage.Store` does not offer (yet):
tombstones for deleted items, receipts and counts of purged items, decisions
on recovered drafts, per-hour counts, search, ``VACUUM``. Those live in
``kiosk.moderation`` and ``kiosk.purge``; every SQL statement they run goes
through :func:`connection` and :func:`write` here, so when the store grows a
public API for them, this file is the only one to change.

Two covering indexes (``staff_submissions_hour_kind``, ``staff_sync_state_status``)
keep the overview's per-hour and per-state queries index-only; they belong in
a storage migration, and are created here until one exists.

Staff tables are created ``IF NOT EXISTS`` on first use and carry a
``staff_`` prefix so they can never clash with a table of the store's own
migrations. They hold no visitor text: ids, kinds, topics, times, reasons
typed by staff, and receipts.

No Qt here.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

STAFF_TABLES = """
CREATE TABLE IF NOT EXISTS staff_tombstones (
    submission_id TEXT PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL,
    topic_id      TEXT NOT NULL,
    is_sample     INTEGER NOT NULL,
    created_key   TEXT NOT NULL,
    status        TEXT NOT NULL,
    deleted_at    TEXT NOT NULL,
    reason        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS staff_purged (
    submission_id TEXT PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL,
    topic_id      TEXT NOT NULL,
    is_sample     INTEGER NOT NULL,
    created_key   TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    receipt       TEXT,
    delivered     INTEGER NOT NULL,
    purged_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS staff_submissions_hour_kind ON submissions (created_key, kind);
CREATE INDEX IF NOT EXISTS staff_sync_state_status ON sync_state (status, updated_at);
CREATE TABLE IF NOT EXISTS staff_draft_decisions (
    submission_id TEXT PRIMARY KEY NOT NULL,
    decision      TEXT NOT NULL CHECK (decision IN ('keep', 'discard')),
    decided_at    TEXT NOT NULL
);
"""


def connection(store: Any) -> sqlite3.Connection:
    """The store's connection (autocommit mode, ``sqlite3.Row`` rows).

    Uses ``store.connection`` when the store offers it publicly, else the
    private ``_conn`` attribute; this is the only place that knows.
    """
    conn = getattr(store, "connection", None)
    if conn is None:
        conn = store._conn  # noqa: SLF001 - the documented seam, see the module docstring
    return conn


@contextmanager
def write(store: Any) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` on the store's connection, rolled back on error.

    Also makes sure the staff tables exist (inside the same transaction).
    """
    conn = connection(store)
    conn.execute("BEGIN IMMEDIATE")
    try:
        _create_tables(conn)
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


_ready: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


def ensure_tables(store: Any) -> None:
    """Create the staff tables once per store object (a no-op when they exist)."""
    if _ready.get(store):
        return
    conn = connection(store)
    if not conn.in_transaction:
        if conn.execute("SELECT count(*) FROM sqlite_master WHERE name IN "
                        "('staff_tombstones', 'staff_purged', 'staff_draft_decisions', "
                        "'staff_submissions_hour_kind', 'staff_sync_state_status')").fetchone()[0] < 5:
            with write(store):
                pass
    _ready[store] = True


def read(store: Any, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[Any]:
    """Run one read query (the staff tables exist by then)."""
    ensure_tables(store)
    return connection(store).execute(sql, params).fetchall()


def _create_tables(conn: sqlite3.Connection) -> None:
    for statement in STAFF_TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)
