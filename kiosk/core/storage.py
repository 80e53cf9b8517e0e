"""The durable offline store: every submission lives in one SQLite file.

A visitor is only thanked after :meth:`Store.add` has returned, and by then the
row, its blobs and its sync state are committed in one transaction to a WAL
that has been fsynced (``synchronous=FULL``). Nothing here imports Qt.

One :class:`Store` is one ``sqlite3`` connection, used from one thread. The
sync worker opens its own :class:`Store` on the same file; WAL and a busy
timeout let both (or several processes) work side by side.

Errors come in two families, kept apart (qutebrowser ``misc/sql.py`` style):
:class:`StoreError` (and :class:`DiskFullError`) are environment problems that
staff must be told about; anything else (``sqlite3.IntegrityError``,
``ValueError``, ...) is a bug.

Logs name ids, counts and paths, never visitor text or author fields.

Schema history (``MIGRATIONS``; one transaction each, recorded in
``schema_migrations``):

1. ``create_submissions_and_blobs``: the submissions and their binary blobs.
2. ``add_sync_state``: one sync row per submission (kept so by a trigger) and
   a partial index over the pending ones, in upload order.
3. ``add_notices_and_counts``: staff notices, and per-(kind, topic, state,
   sample) counts kept by triggers, so :meth:`Store.stats` reads a handful of
   rows however many submissions there are.
4. ``withhold_samples``: seeded samples start withheld, so they never sync.
5. ``add_staff_tables``: what staff mode keeps beside the submissions
   (tombstones, receipts of purged items, decisions on recovered drafts) and
   the indexes its overview and browse lists read.
6. ``add_overview_counts``: per-hour and per-failure-reason counts kept by
   triggers, so the staff overview reads a few rows, not every submission.
7. ``withhold_without_consent``: a row without consent, or an unfinished
   drawing, is withheld in the transaction that stores it.
8. ``store_wire_and_sheet_text``: each submission keeps its canonical wire JSON
   and (ideas) the ``ideas.csv`` text of its own cells, written once when it
   is stored, so an export reads them instead of rebuilding every row.

Staff modules (``kiosk.core.moderation``, ``kiosk.core.purge``, ``kiosk.core.overview``,
``kiosk.core.reconcile``, ``kiosk.core.export``) reach the database only through
:meth:`Store.query`, :meth:`Store.transaction`, :func:`delete_submission_rows`,
:meth:`Store.vacuum`, and (for the export) :meth:`Store.snapshot` and
:meth:`Store.stream`; nothing outside this module touches the connection.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from kiosk.core.fsutil import fsync_dir
from kiosk.core import model
from kiosk.core.model import KINDS, SYNC_STATES, Blob, Submission, canonical_json, utc_now
from kiosk.core.sheet import own_cells_text

log = logging.getLogger("kiosk.storage")

DB_FILENAME = "kiosk.sqlite3"
BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another connection's write lock before giving up."""
NOTICE_KINDS = ("moved_aside", "disk_low", "recovered_draft")
DISK_LOW_NOTICE_INTERVAL = timedelta(hours=1)
"""At most one ``disk_low`` notice per this interval, so staff are told, not spammed."""
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
"""After a checkpoint the WAL is truncated to this size (drawings make it grow)."""
_EXPORT_BATCH = 200


class StoreError(Exception):
    """Environment problem staff must be told about (not a bug)."""


class DiskFullError(StoreError):
    """Below the free-disk reserve, or SQLite/OS said the disk is full. Nothing was written."""


class TransitionError(ValueError):
    """A sync-state change that contradicts what already happened (e.g. withholding a sent row)."""


@dataclass(frozen=True, slots=True)
class StoreNotice:
    """Something staff must see; persisted in the db so it survives restarts.

    Attributes:
        kind: one of :data:`NOTICE_KINDS`.
        message: plain English, one sentence, no visitor text.
        at: RFC 3339 UTC.
        path: a file the notice is about (e.g. where a corrupt db went).
    """

    kind: str
    message: str
    at: str
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A pending submission as the sync client sends it (:meth:`Store.outgoing`).

    ``wire`` is the canonical JSON stored with the row, exactly what its digest is
    taken of, so sending needs no model rebuilt from columns and no JSON built again.
    Blobs are the store's own, not hashed again (the receiver hashes what it gets).
    """

    id: str
    wire: bytes
    blobs: tuple[Blob, ...]

    def canonical_json(self) -> bytes:
        return self.wire


@dataclass(frozen=True, slots=True)
class SyncState:
    """Where one submission is on its way to the receiver.

    Attributes:
        status: one of ``model.SYNC_STATES``.
        attempts: upload attempts so far.
        last_error: what the last attempt or failure reported, if anything.
        receipt: the receiver's receipt JSON once sent.
        updated_at: RFC 3339 UTC of the last change.
        withheld_reason: why staff withheld it, while withheld.
    """

    submission_id: str
    status: str
    attempts: int
    last_error: str | None
    receipt: dict | None
    updated_at: str
    withheld_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts for the staff screen; ``by_state`` always has every state, 0 if none."""

    total: int
    by_kind: dict[str, int]
    by_topic: dict[str, int]
    by_state: dict[str, int]
    samples: int


# ---------------------------------------------------------------------------
# Migrations. Each is frozen in time: it spells out its own SQL and never reads
# live constants such as SYNC_STATES, so an old file migrates the same way forever.


def _exec_script(conn: sqlite3.Connection, script: str) -> None:
    """Run a multi-statement script inside the caller's transaction.

    ``Connection.executescript`` would COMMIT first, so statements are split
    with ``sqlite3.complete_statement`` (which understands trigger bodies).
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement: {pending.strip()[:60]!r}")


def create_submissions_and_blobs(conn: sqlite3.Connection) -> None:
    """v1: submissions (one column per model field) and their blobs.

    ``created_key`` is ``created_at`` normalised (UTC, microseconds, ``Z``) so
    that ordering by it is chronological whatever RFC 3339 spelling came in.
    It has no index of its own: every index is one more page in each durable
    commit, and the rare export can afford to sort.
    """
    _exec_script(conn, """
        CREATE TABLE submissions (
            id              TEXT PRIMARY KEY NOT NULL,
            kind            TEXT NOT NULL CHECK (kind IN ('idea', 'drawing')),
            topic_id        TEXT NOT NULL,
            text            TEXT NOT NULL,
            goal_id         TEXT,
            title           TEXT,
            author_name     TEXT,
            age_group       TEXT,
            district        TEXT,
            lives_here      INTEGER CHECK (lives_here IN (0, 1)),
            consent_given   INTEGER NOT NULL CHECK (consent_given IN (0, 1)),
            consent_version TEXT NOT NULL,
            locale          TEXT NOT NULL,
            kiosk_id        TEXT NOT NULL,
            event_id        TEXT NOT NULL,
            app_version     TEXT NOT NULL,
            is_sample       INTEGER NOT NULL CHECK (is_sample IN (0, 1)),
            unfinished      INTEGER NOT NULL CHECK (unfinished IN (0, 1)),
            reference_code  TEXT NOT NULL,
            created_at      TEXT NOT NULL,
            created_key     TEXT NOT NULL
        );
        CREATE TABLE blobs (
            submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
            role          TEXT NOT NULL,
            position      INTEGER NOT NULL,
            media_type    TEXT NOT NULL,
            sha256        TEXT NOT NULL,
            size          INTEGER NOT NULL,
            data          BLOB NOT NULL,
            PRIMARY KEY (submission_id, role)
        );
    """)


def add_sync_state(conn: sqlite3.Connection) -> None:
    """v2: one sync row per submission, and the index the sync worker reads.

    A trigger creates the row with every new submission, so "every submission
    has exactly one sync state" holds by construction. The partial index holds
    only pending rows, in upload order (ties by id), and covers the query, so
    picking the next batch stays cheap however many rows were sent already.
    The table is WITHOUT ROWID: its rows are small and always found by
    submission id, so the id is the key and no second index is written per add.
    """
    _exec_script(conn, """
        CREATE TABLE sync_state (
            submission_id   TEXT PRIMARY KEY NOT NULL REFERENCES submissions (id),
            status          TEXT NOT NULL
                            CHECK (status IN ('pending', 'sent', 'failed', 'withheld')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT,
            receipt         TEXT,
            withheld_reason TEXT,
            updated_at      TEXT NOT NULL,
            created_key     TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO sync_state (submission_id, status, updated_at, created_key)
            SELECT id, 'pending', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), created_key
            FROM submissions;
        CREATE INDEX sync_state_pending ON sync_state (created_key) WHERE status = 'pending';
        CREATE TRIGGER submissions_sync_state AFTER INSERT ON submissions BEGIN
            INSERT INTO sync_state (submission_id, status, updated_at, created_key)
            VALUES (NEW.id, 'pending', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NEW.created_key);
        END;
    """)


def add_notices_and_counts(conn: sqlite3.Connection) -> None:
    """v3: staff notices, and counts per (kind, topic, state, sample) kept by triggers.

    Submissions become immutable (a trigger refuses UPDATE), which is what
    lets the counts follow only the sync-state table.
    """
    _exec_script(conn, """
        CREATE TABLE notices (
            id      INTEGER PRIMARY KEY,
            kind    TEXT NOT NULL,
            message TEXT NOT NULL,
            at      TEXT NOT NULL,
            path    TEXT
        );
        CREATE TABLE submission_counts (
            kind      TEXT NOT NULL,
            topic_id  TEXT NOT NULL,
            status    TEXT NOT NULL,
            is_sample INTEGER NOT NULL,
            n         INTEGER NOT NULL CHECK (n >= 0),
            PRIMARY KEY (kind, topic_id, status, is_sample)
        ) WITHOUT ROWID;
        INSERT INTO submission_counts (kind, topic_id, status, is_sample, n)
            SELECT s.kind, s.topic_id, st.status, s.is_sample, count(*)
            FROM submissions AS s JOIN sync_state AS st ON st.submission_id = s.id
            GROUP BY s.kind, s.topic_id, st.status, s.is_sample;
        CREATE TRIGGER sync_state_count_insert AFTER INSERT ON sync_state BEGIN
            INSERT INTO submission_counts (kind, topic_id, status, is_sample, n)
                SELECT kind, topic_id, NEW.status, is_sample, 1
                FROM submissions WHERE id = NEW.submission_id
                ON CONFLICT (kind, topic_id, status, is_sample) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER sync_state_count_update AFTER UPDATE OF status ON sync_state
        WHEN OLD.status IS NOT NEW.status BEGIN
            UPDATE submission_counts SET n = n - 1
                WHERE (kind, topic_id, status, is_sample) =
                      (SELECT kind, topic_id, OLD.status, is_sample
                       FROM submissions WHERE id = OLD.submission_id);
            INSERT INTO submission_counts (kind, topic_id, status, is_sample, n)
                SELECT kind, topic_id, NEW.status, is_sample, 1
                FROM submissions WHERE id = NEW.submission_id
                ON CONFLICT (kind, topic_id, status, is_sample) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER sync_state_count_delete AFTER DELETE ON sync_state BEGIN
            UPDATE submission_counts SET n = n - 1
                WHERE (kind, topic_id, status, is_sample) =
                      (SELECT kind, topic_id, OLD.status, is_sample
                       FROM submissions WHERE id = OLD.submission_id);
        END;
        CREATE TRIGGER submissions_immutable BEFORE UPDATE ON submissions BEGIN
            SELECT RAISE(ABORT, 'submissions are immutable');
        END;
    """)


def withhold_samples(conn: sqlite3.Connection) -> None:
    """v4: seeded samples never leave the terminal: they start withheld ("sample").

    Samples exist for demos, staff training and benchmarks; delivering them
    would put invented ideas on the city's platform. Staff may still release
    one on purpose. Samples already pending are withheld now.
    """
    _exec_script(conn, """
        DROP TRIGGER submissions_sync_state;
        CREATE TRIGGER submissions_sync_state AFTER INSERT ON submissions BEGIN
            INSERT INTO sync_state (submission_id, status, withheld_reason, updated_at, created_key)
            VALUES (NEW.id,
                    CASE WHEN NEW.is_sample THEN 'withheld' ELSE 'pending' END,
                    CASE WHEN NEW.is_sample THEN 'sample' END,
                    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NEW.created_key);
        END;
        UPDATE sync_state SET status = 'withheld', withheld_reason = 'sample',
                              updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE status = 'pending'
              AND submission_id IN (SELECT id FROM submissions WHERE is_sample);
    """)


def add_staff_tables(conn: sqlite3.Connection) -> None:
    """v5: staff mode's tables, and the indexes its overview and lists read.

    ``staff_tombstones`` keeps what is left of a deleted submission (no content:
    id, kind, topic, times, reason) so counts stay honest; ``staff_purged`` the
    receipt and counts of each submission wiped after delivery;
    ``staff_draft_decisions`` whether staff kept or discarded a recovered
    drawing. ``staff_submissions_hour_kind`` serves newest-first browsing and
    per-hour reads, ``staff_sync_state_status`` the per-state reads (last
    sent, failures, withheld).

    Before this migration the staff tools created the same tables and indexes
    themselves on first use, so a file may have them already: hence
    ``IF NOT EXISTS``, with exactly the definitions they used.

    v1 kept ``created_key`` unindexed to spare each durable commit a page;
    this index is worth it now: the newest-first browse list and the export
    walk it instead of sorting, and ``benchmarks/bench_store.py`` shows the
    commit still within its target (about 1.4 to 1.9 times a bare insert
    here, as before). Because a status-first index tempts the planner away
    from ``sync_state_pending``, :data:`PENDING_SQL` names that index.
    """
    _exec_script(conn, """
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
        CREATE TABLE IF NOT EXISTS staff_draft_decisions (
            submission_id TEXT PRIMARY KEY NOT NULL,
            decision      TEXT NOT NULL CHECK (decision IN ('keep', 'discard')),
            decided_at    TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS staff_submissions_hour_kind ON submissions (created_key, kind);
        CREATE INDEX IF NOT EXISTS staff_sync_state_status ON sync_state (status, updated_at);
    """)


def add_overview_counts(conn: sqlite3.Connection) -> None:
    """v6: the staff overview's per-hour and per-reason counts, kept by triggers.

    ``submission_hours`` counts submissions per UTC hour (the first 13
    characters of ``created_key``) and kind: those stored plus those purged
    after delivery (which staff still collected), not those staff deleted.
    ``sync_reason_counts`` counts failed and withheld rows per reason (the
    last error, else the withheld reason). The overview then reads a few
    dozen rows instead of grouping every submission (issue #6: under 100 ms
    over 100,000). Groups that drop to 0 stay, with ``n = 0``.
    """
    _exec_script(conn, """
        CREATE TABLE submission_hours (
            hour TEXT NOT NULL,
            kind TEXT NOT NULL,
            n    INTEGER NOT NULL CHECK (n >= 0),
            PRIMARY KEY (hour, kind)
        ) WITHOUT ROWID;
        INSERT INTO submission_hours (hour, kind, n)
            SELECT hour, kind, count(*) FROM (
                SELECT substr(created_key, 1, 13) AS hour, kind FROM submissions
                UNION ALL
                SELECT substr(created_key, 1, 13), kind FROM staff_purged)
            GROUP BY hour, kind;
        CREATE TRIGGER submission_hours_insert AFTER INSERT ON submissions BEGIN
            INSERT INTO submission_hours (hour, kind, n) VALUES (substr(NEW.created_key, 1, 13), NEW.kind, 1)
                ON CONFLICT (hour, kind) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER submission_hours_delete AFTER DELETE ON submissions BEGIN
            UPDATE submission_hours SET n = n - 1
                WHERE hour = substr(OLD.created_key, 1, 13) AND kind = OLD.kind;
        END;
        CREATE TRIGGER submission_hours_purged_insert AFTER INSERT ON staff_purged BEGIN
            INSERT INTO submission_hours (hour, kind, n) VALUES (substr(NEW.created_key, 1, 13), NEW.kind, 1)
                ON CONFLICT (hour, kind) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER submission_hours_purged_update AFTER UPDATE OF created_key, kind ON staff_purged BEGIN
            UPDATE submission_hours SET n = n - 1
                WHERE hour = substr(OLD.created_key, 1, 13) AND kind = OLD.kind;
            INSERT INTO submission_hours (hour, kind, n) VALUES (substr(NEW.created_key, 1, 13), NEW.kind, 1)
                ON CONFLICT (hour, kind) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER submission_hours_purged_delete AFTER DELETE ON staff_purged BEGIN
            UPDATE submission_hours SET n = n - 1
                WHERE hour = substr(OLD.created_key, 1, 13) AND kind = OLD.kind;
        END;
        CREATE TABLE sync_reason_counts (
            status TEXT NOT NULL,
            reason TEXT NOT NULL,
            n      INTEGER NOT NULL CHECK (n >= 0),
            PRIMARY KEY (status, reason)
        ) WITHOUT ROWID;
        INSERT INTO sync_reason_counts (status, reason, n)
            SELECT status, coalesce(last_error, withheld_reason, ''), count(*) FROM sync_state
            WHERE status IN ('failed', 'withheld') GROUP BY 1, 2;
        CREATE TRIGGER sync_reason_counts_insert AFTER INSERT ON sync_state
        WHEN NEW.status IN ('failed', 'withheld') BEGIN
            INSERT INTO sync_reason_counts (status, reason, n)
                VALUES (NEW.status, coalesce(NEW.last_error, NEW.withheld_reason, ''), 1)
                ON CONFLICT (status, reason) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER sync_reason_counts_update AFTER UPDATE OF status, last_error, withheld_reason ON sync_state
        WHEN OLD.status IN ('failed', 'withheld') OR NEW.status IN ('failed', 'withheld') BEGIN
            UPDATE sync_reason_counts SET n = n - 1
                WHERE OLD.status IN ('failed', 'withheld')
                  AND status = OLD.status AND reason = coalesce(OLD.last_error, OLD.withheld_reason, '');
            INSERT INTO sync_reason_counts (status, reason, n)
                SELECT NEW.status, coalesce(NEW.last_error, NEW.withheld_reason, ''), 1
                WHERE NEW.status IN ('failed', 'withheld')
                ON CONFLICT (status, reason) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER sync_reason_counts_delete AFTER DELETE ON sync_state
        WHEN OLD.status IN ('failed', 'withheld') BEGIN
            UPDATE sync_reason_counts SET n = n - 1
                WHERE status = OLD.status AND reason = coalesce(OLD.last_error, OLD.withheld_reason, '');
        END;
    """)


NO_CONSENT_REASON = "no consent"
UNFINISHED_REASON = "recovered draft after a crash; keep or discard"


def withhold_without_consent(conn: sqlite3.Connection) -> None:
    """v7: a row without consent, or an unfinished drawing, starts withheld.

    Before, the drawing saver and the draft recovery stored such a row as
    pending and withheld it in a second transaction; a crash or a sync pass
    between the two could deliver a child's picture nobody agreed to publish.
    Now the row is withheld in the same transaction that stores it. Staff may
    still release one on purpose (a parent came back; a draft worth keeping).
    """
    _exec_script(conn, f"""
        DROP TRIGGER submissions_sync_state;
        CREATE TRIGGER submissions_sync_state AFTER INSERT ON submissions BEGIN
            INSERT INTO sync_state (submission_id, status, withheld_reason, updated_at, created_key)
            VALUES (NEW.id,
                    CASE WHEN NEW.is_sample OR NEW.unfinished OR NOT NEW.consent_given
                         THEN 'withheld' ELSE 'pending' END,
                    CASE WHEN NEW.is_sample THEN 'sample'
                         WHEN NEW.unfinished THEN '{UNFINISHED_REASON}'
                         WHEN NOT NEW.consent_given THEN '{NO_CONSENT_REASON}' END,
                    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NEW.created_key);
        END;
        UPDATE sync_state
            SET status = 'withheld', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                withheld_reason = (SELECT CASE WHEN s.unfinished THEN '{UNFINISHED_REASON}'
                                               ELSE '{NO_CONSENT_REASON}' END
                                   FROM submissions AS s WHERE s.id = sync_state.submission_id)
            WHERE status = 'pending'
              AND submission_id IN (SELECT id FROM submissions WHERE unfinished OR NOT consent_given);
    """)


_V7_COLUMNS = ("id", "kind", "topic_id", "text", "goal_id", "title", "author_name", "age_group", "district",
               "lives_here", "consent_given", "consent_version", "locale", "kiosk_id", "event_id", "app_version",
               "is_sample", "unfinished", "reference_code", "created_at")
"""The submission columns as of v7, which v8 reads (fixed here: a later column must not
make this migration read what an older file does not have)."""


def store_wire_and_sheet_text(conn: sqlite3.Connection) -> None:
    """v8: every submission keeps its canonical JSON (``wire``) and its own ``ideas.csv`` cells.

    Both are fixed when a submission is stored (submissions are immutable) and
    are what an export writes for it, line after line; rebuilding them from
    twenty columns per row made a large export several times slower than
    zipping its files. ``wire`` is exactly :meth:`Submission.canonical_json`
    (what the receipt's digest is taken of); ``sheet_cells`` is
    :func:`kiosk.core.sheet.own_cells_text`, NULL for drawings (the sheet lists ideas).
    Rows already stored get both here, computed from their columns.
    """
    conn.execute("ALTER TABLE submissions ADD COLUMN wire TEXT")
    conn.execute("ALTER TABLE submissions ADD COLUMN sheet_cells TEXT")
    refs: dict[str, list[dict[str, Any]]] = {}
    for sub_id, role, media_type, sha256, size in conn.execute(
            "SELECT submission_id, role, media_type, sha256, size FROM blobs ORDER BY submission_id, position"):
        refs.setdefault(sub_id, []).append({"role": role, "media_type": media_type, "sha256": sha256, "size": size})
    conn.execute("DROP TRIGGER submissions_immutable")
    cursor = conn.execute(f"SELECT {', '.join(_V7_COLUMNS)} FROM submissions")
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(500):
        updates = []
        for row in rows:
            values = dict(zip(names, row))
            for name in _BOOL_COLUMNS:
                if values[name] is not None:
                    values[name] = bool(values[name])
            wire = {"schema": model.SCHEMA_VERSION, **values, "blobs": refs.get(values["id"], [])}
            updates.append((canonical_json(wire).decode("utf-8"),
                            own_cells_text(values) if values["kind"] == "idea" else None, values["id"]))
        conn.executemany("UPDATE submissions SET wire = ?, sheet_cells = ? WHERE id = ?", updates)
    _exec_script(conn, """
        CREATE TRIGGER submissions_immutable BEFORE UPDATE ON submissions BEGIN
            SELECT RAISE(ABORT, 'submissions are immutable');
        END;
    """)


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: tuple[Migration, ...] = (
    create_submissions_and_blobs,
    add_sync_state,
    add_notices_and_counts,
    withhold_samples,
    add_staff_tables,
    add_overview_counts,
    withhold_without_consent,
    store_wire_and_sheet_text,
)
SCHEMA_VERSION = len(MIGRATIONS)
"""Version of the database schema (not the wire schema, that is ``model.SCHEMA_VERSION``)."""

_MIGRATIONS_TABLE = """
    CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        applied_at TEXT NOT NULL
    )
"""


def applied_migrations(conn: sqlite3.Connection) -> dict[int, str]:
    """Version -> name of the migrations recorded in this database."""
    conn.execute(_MIGRATIONS_TABLE)
    return dict(conn.execute("SELECT version, name FROM schema_migrations").fetchall())


def migrations_to_run(applied: Mapping[int, str], migrations: Sequence[Migration]) -> list[int]:
    """Which versions still have to run, in order.

    Raises:
        StoreError: the file was written by a newer app, or its history differs from ours.
    """
    known = {version: fn.__name__ for version, fn in enumerate(migrations, start=1)}
    newer = sorted(set(applied) - set(known))
    if newer:
        raise StoreError(f"the database has schema version {newer[-1]}, newer than this app "
                         f"({len(migrations)}); update the app or use another data folder")
    for version, name in applied.items():
        if known[version] != name:
            raise StoreError(f"schema version {version} is {name!r} in the database "
                             f"but {known[version]!r} in this app")
    return [version for version in known if version not in applied]


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Bring the schema up to date: each missing migration in its own transaction.

    Safe when several connections open the same file at once: each migration
    re-checks under the write lock whether another connection ran it first.

    Args:
        conn: a connection in autocommit mode (``isolation_level=None``).
        migrations: the history to apply; tests pass a prefix of :data:`MIGRATIONS`
            to build an older schema.

    Returns:
        The names of the migrations this call applied.
    """
    ran = []
    for version in migrations_to_run(applied_migrations(conn), migrations):
        fn = migrations[version - 1]
        with _transaction(conn):
            if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                continue
            fn(conn)
            conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                         (version, fn.__name__, utc_now()))
        log.info("applied schema migration %d %s", version, fn.__name__)
        ran.append(fn.__name__)
    return ran


@contextmanager
def _transaction(conn: sqlite3.Connection, what: str | None = None) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception.

    IMMEDIATE takes the write lock up front, so two writers queue on the busy
    timeout instead of one failing with SQLITE_BUSY when it upgrades a read.

    Args:
        what: if given, environment failures are re-raised as :class:`StoreError`
            (or :class:`DiskFullError`) saying this; bugs pass through unchanged.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error as exc:
                    log.warning("rollback failed: %s", exc)
            raise
    except (sqlite3.Error, OSError) as exc:
        translated = None if what is None else as_store_error(exc, what)
        if translated is None:
            raise
        raise translated from exc


# ---------------------------------------------------------------------------
# Pure decisions: row <-> value mapping, states, stats, errors, file names.

SUBMISSION_COLUMNS = tuple(f.name for f in fields(Submission) if f.name != "blobs")
_BOOL_COLUMNS = ("lives_here", "consent_given", "is_sample", "unfinished")
_SELECT_SUBMISSION = f"SELECT rowid AS row_id, {', '.join(SUBMISSION_COLUMNS)} FROM submissions"
_INSERT_SUBMISSION = (
    f"INSERT INTO submissions ({', '.join(SUBMISSION_COLUMNS)}, created_key, wire, sheet_cells) "
    f"VALUES ({', '.join(':' + c for c in SUBMISSION_COLUMNS)}, :created_key, :wire, :sheet_cells) "
    "ON CONFLICT (id) DO NOTHING"
)
_INSERT_BLOB = (
    "INSERT INTO blobs (submission_id, role, position, media_type, sha256, size, data) "
    "VALUES (:submission_id, :role, :position, :media_type, :sha256, :size, :data)"
)
PENDING_SQL = ("SELECT submission_id FROM sync_state INDEXED BY sync_state_pending WHERE status = 'pending' "
               "ORDER BY created_key, submission_id LIMIT ?")
"""The sync worker's query; it walks the partial index ``sync_state_pending``.

``INDEXED BY`` because the planner, without statistics, would rather take
``staff_sync_state_status`` (status first) and then sort every pending row.
"""


def delete_submission_rows(conn: sqlite3.Connection, submission_id: str) -> bool:
    """Remove a submission with its blobs and sync state, inside :meth:`Store.transaction`.

    The sync-state row goes first: its delete trigger lowers the counts by
    looking the submission up, which must still be there. Then the blobs,
    then the submission. Returns whether there was such a submission.
    """
    conn.execute("DELETE FROM sync_state WHERE submission_id = ?", (submission_id,))
    conn.execute("DELETE FROM blobs WHERE submission_id = ?", (submission_id,))
    return conn.execute("DELETE FROM submissions WHERE id = ?", (submission_id,)).rowcount == 1


def _identifier(name: str) -> str:
    """``name`` as an SQL identifier; only plain names (letters, digits, ``_``) are accepted."""
    if not name.replace("_", "").isalnum() or not name.isascii() or name[0].isdigit():
        raise ValueError(f"not a plain SQL name: {name!r}")
    return name


def _casefold(value: Any) -> str | None:
    """The SQL function ``casefold(text)``: ``str.casefold``; NULL and non-text give NULL."""
    return value.casefold() if isinstance(value, str) else None


def _parse_utc(text: str) -> datetime:
    """An RFC 3339 time, parsed the way ``model.validate`` parses it."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def created_sort_key(created_at: str) -> str:
    """``created_at`` as a string that sorts chronologically (UTC, microseconds, ``Z``)."""
    return _parse_utc(created_at).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def submission_row(sub: Submission) -> dict[str, Any]:
    """The ``submissions`` row for a submission (blobs go to :func:`blob_rows`)."""
    row = {name: getattr(sub, name) for name in SUBMISSION_COLUMNS}
    row["sheet_cells"] = own_cells_text(row) if sub.kind == "idea" else None
    for name in _BOOL_COLUMNS:
        if row[name] is not None:
            row[name] = int(row[name])
    row["created_key"] = created_sort_key(sub.created_at)
    row["wire"] = sub.canonical_json().decode("utf-8")
    return row


def blob_rows(sub: Submission) -> list[dict[str, Any]]:
    """The ``blobs`` rows of a submission, keeping the order of ``sub.blobs``."""
    return [{"submission_id": sub.id, "role": b.role, "position": i, "media_type": b.media_type,
             "sha256": b.sha256, "size": b.size, "data": b.data}
            for i, b in enumerate(sub.blobs)]


def submission_from_row(row: Mapping[str, Any] | sqlite3.Row,
                        blobs: Iterable[Mapping[str, Any] | sqlite3.Row] = (), *,
                        verify_blobs: bool = True) -> Submission:
    """Rebuild a :class:`Submission` from its row and its blob rows (in position order).

    Blob digests are checked again by :class:`Blob`, so damaged payloads do not
    leave the store silently, unless ``verify_blobs`` is False (see :meth:`Store.get`).
    """
    values = {name: row[name] for name in SUBMISSION_COLUMNS}
    for name in _BOOL_COLUMNS:
        if values[name] is not None:
            values[name] = bool(values[name])
    built = tuple(Blob(role=b["role"], data=bytes(b["data"]), media_type=b["media_type"], sha256=b["sha256"],
                       trusted=not verify_blobs)
                  for b in blobs)
    return Submission(**values, blobs=built)


def sync_state_from_row(row: Mapping[str, Any] | sqlite3.Row) -> SyncState:
    receipt = row["receipt"]
    return SyncState(
        submission_id=row["submission_id"],
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        receipt=json.loads(receipt) if receipt is not None else None,
        updated_at=row["updated_at"],
        withheld_reason=row["withheld_reason"],
    )


def next_status(current: str, action: str) -> str:
    """The sync status after ``action`` ("attempt", "sent", "failed", "withhold", "release").

    A receipt is a fact and always wins. A request is refused only when it can no
    longer be honoured (withholding a row the receiver already has); reports that
    arrive late (a failure after a receipt, a failure while staff withhold the row)
    leave the stronger state in place.

    Raises:
        TransitionError: the change contradicts what already happened.
        ValueError: unknown status or action (a bug).
    """
    if current not in SYNC_STATES:
        raise ValueError(f"unknown sync status {current!r}")
    if action == "sent":
        return "sent"
    if action == "attempt":
        return current
    if action == "failed":
        return current if current in ("sent", "withheld") else "failed"
    if action == "withhold":
        if current == "sent":
            raise TransitionError("already delivered; it can no longer be withheld")
        return "withheld"
    if action == "release":
        return "pending" if current == "withheld" else current
    raise ValueError(f"unknown sync action {action!r}")


def stats_from_groups(groups: Iterable[Sequence[Any]]) -> Stats:
    """Fold ``(kind, topic_id, status, is_sample, n)`` groups into :class:`Stats`."""
    by_kind: dict[str, int] = {}
    by_topic: dict[str, int] = {}
    by_state = dict.fromkeys(SYNC_STATES, 0)
    total = samples = 0
    for kind, topic_id, status, is_sample, n in groups:
        if n <= 0:
            continue
        total += n
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_topic[topic_id] = by_topic.get(topic_id, 0) + n
        by_state[status] = by_state.get(status, 0) + n
        if is_sample:
            samples += n
    return Stats(total=total, by_kind=by_kind, by_topic=by_topic, by_state=by_state, samples=samples)


def disk_low_due(last_at: str | None, now: datetime) -> bool:
    """Whether to record another ``disk_low`` notice, given when the last one was."""
    return last_at is None or now - _parse_utc(last_at) >= DISK_LOW_NOTICE_INTERVAL


_ENVIRONMENT_CODES = frozenset({
    sqlite3.SQLITE_PERM, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM,
    sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL, sqlite3.SQLITE_NOTADB,
})


def _primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def error_class(exc: BaseException) -> type[StoreError] | None:
    """Which :class:`StoreError` an exception means, or None if it is a bug."""
    if isinstance(exc, OSError):
        return DiskFullError if exc.errno == errno.ENOSPC else StoreError
    code = _primary_code(exc)
    if code == sqlite3.SQLITE_FULL:
        return DiskFullError
    if code in _ENVIRONMENT_CODES:
        return StoreError
    return None


def as_store_error(exc: BaseException, what: str) -> StoreError | None:
    """The :class:`StoreError` to raise instead of ``exc``, or None if ``exc`` is a bug."""
    cls = error_class(exc)
    return None if cls is None else cls(f"{what}: {exc}")


def is_corruption(exc: BaseException) -> bool:
    """True when SQLite says the file is damaged or is not a database at all."""
    return _primary_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def aside_name(db_name: str, now: datetime, attempt: int = 0) -> str:
    """Where a corrupt database goes: ``kiosk.sqlite3.corrupt-20240601T101500Z``."""
    name = f"{db_name}.corrupt-{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    return f"{name}-{attempt}" if attempt else name


# ---------------------------------------------------------------------------
# Thin shells around the file system and the connection.


@contextmanager
def _environment_errors(what: str) -> Iterator[None]:
    """Re-raise environment failures as :class:`StoreError`; let bugs through."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        translated = as_store_error(exc, what)
        if translated is None:
            raise
        raise translated from exc


def move_aside(db: Path, now: datetime) -> Path:
    """Rename a damaged database and its -wal/-shm files next to it; never delete.

    The -wal goes first: a stale WAL left beside a fresh database would be
    replayed into it.
    """
    attempt = 0
    while True:
        target = db.with_name(aside_name(db.name, now, attempt))
        if not any(Path(f"{target}{s}").exists() for s in ("", "-wal", "-shm")):
            break
        attempt += 1
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{db}{suffix}")
        if source.exists():
            os.rename(source, f"{target}{suffix}")
    fsync_dir(db.parent)
    return target


class _Corrupt(Exception):
    """Internal: the file on disk is not a usable database."""


def _quick_check(conn: sqlite3.Connection) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise _Corrupt("; ".join(problems[:3]))


def _probe(path: Path) -> bool:
    """Run quick_check through a read-only connection; True if it could.

    A read-write connection that finds the file damaged deletes the -wal and
    -shm when it closes; a read-only one never deletes, checkpoints or rewrites
    them, so what is moved aside is what was on disk. When the file cannot be
    read read-only (say the WAL needs recovery), the read-write open checks.

    Raises:
        _Corrupt: the file is damaged or not a database.
    """
    if not path.exists():
        return False
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        _quick_check(conn)
    except sqlite3.DatabaseError as exc:
        if is_corruption(exc):
            raise _Corrupt(str(exc)) from exc
        log.info("read-only check of %s not possible (%s); checking read-write", path, exc)
        return False
    finally:
        conn.close()
    return True


def _enable_wal(conn: sqlite3.Connection) -> str:
    """``PRAGMA journal_mode = WAL``; returns the mode the file is in now.

    On a fresh file the switch needs the file to itself, and SQLite answers "database
    is locked" at once instead of waiting out the busy timeout when another connection
    (the sync worker, the drawing saver, a second start) is opening it at the same
    moment. So it is retried for as long as the busy timeout allows.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if _primary_code(exc) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _connect(path: Path) -> sqlite3.Connection:
    """Check, open and configure one connection, and migrate the schema.

    Raises:
        _Corrupt: quick_check failed or SQLite called the file damaged.
    """
    checked = _probe(path)
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not checked:
                _quick_check(conn)
            mode = _enable_wal(conn)
            if mode != "wal":
                raise StoreError(f"the database cannot use WAL here (journal_mode is {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
            conn.create_function("casefold", 1, _casefold, deterministic=True)
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            if is_corruption(exc):
                raise _Corrupt(str(exc)) from exc
            raise
    except BaseException:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    return conn


class Store:
    """The kiosk's submissions in one SQLite file.

    Args:
        path: the database file; missing folders are created.
        min_free_bytes: reserve of free disk space below which :meth:`add` refuses.

    Raises:
        StoreError: the file cannot be opened or migrated (permissions, newer schema, ...).
            A damaged file is not an error: it is moved aside and a new one started.
    """

    def __init__(self, path: Path, *, min_free_bytes: int = 0) -> None:
        self.path = Path(path)
        self.min_free_bytes = min_free_bytes
        moved: Path | None = None
        with _environment_errors(f"cannot open the database {self.path}"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            existed = self.path.exists()
            try:
                self._conn = _connect(self.path)
            except _Corrupt as exc:
                moved = move_aside(self.path, datetime.now(timezone.utc))
                log.warning("database %s is damaged (%s); moved it aside to %s and started a new one",
                            self.path, exc, moved)
                existed = False
                try:
                    self._conn = _connect(self.path)
                except _Corrupt as again:
                    raise StoreError(f"a new database at {self.path} is damaged too: {again}") from again
            if not existed:
                fsync_dir(self.path.parent)
        if moved is not None:
            try:
                self.add_notice("moved_aside", "The database was damaged, so it was moved aside "
                                "and a new empty one was started.", str(moved))
            except BaseException:
                self.close()
                raise

    @classmethod
    def open_in(cls, data_dir: Path, *, min_free_bytes: int = 0) -> Store:
        """The store in ``data_dir / DB_FILENAME``."""
        return cls(Path(data_dir) / DB_FILENAME, min_free_bytes=min_free_bytes)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; calling it again does nothing."""
        self._conn.close()

    def _read(self, what: str, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with _environment_errors(what):
            return self._conn.execute(sql, params).fetchall()

    # -- the seam for staff modules ----------------------------------------

    def query(self, sql: str, params: Sequence[Any] = (), *,
              what: str = "could not read the database") -> list[sqlite3.Row]:
        """Run one read-only statement and return all its rows (``sqlite3.Row``).

        For the staff modules' reads over the store's tables (see the module
        docstring for the schema). Writes go through :meth:`transaction`. The
        SQL function ``casefold(text)`` (Python's ``str.casefold``; NULL stays
        NULL) is available for searches that ignore case, umlauts too.

        Raises:
            StoreError: an environment problem, saying ``what``.
        """
        return self._read(what, sql, params)

    @contextmanager
    def transaction(self, what: str = "could not write to the database") -> Iterator[sqlite3.Connection]:
        """One write transaction for the staff modules: ``BEGIN IMMEDIATE`` ... ``COMMIT``.

        Yields the connection to run statements on; everything is rolled back
        if the block raises. Submissions are immutable (a trigger refuses
        UPDATE); to remove one, call :func:`delete_submission_rows` here, which
        keeps the trigger-kept counts right.

        Raises:
            StoreError / DiskFullError: an environment problem, saying ``what``;
                nothing was written. Other exceptions from the block pass through.
        """
        with _transaction(self._conn, what) as conn:
            yield conn

    def vacuum(self) -> None:
        """Rewrite the file without free pages and empty the WAL, so deleted text is really gone.

        Raises:
            StoreError: an environment problem (e.g. no room for the copy VACUUM writes).
        """
        with _environment_errors("could not compact the database"):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- submissions -----------------------------------------------------

    def add(self, sub: Submission) -> None:
        """Store a submission, its blobs and its pending sync state in one transaction.

        When this returns the submission is durable (WAL fsynced), so the visitor
        may be thanked. Adding the identical submission again does nothing.

        Raises:
            DiskFullError: below the free-disk reserve or the disk is full; nothing was written.
            StoreError: another environment problem; nothing was written.
            ValueError: a different submission with the same id is already stored.
        """
        free = self.free_bytes()
        if free < self.min_free_bytes:
            log.warning("refused submission %s: %d bytes free, reserve is %d", sub.id, free, self.min_free_bytes)
            self._note_disk_low()
            raise DiskFullError(f"{free} bytes free, below the reserve of {self.min_free_bytes}")
        try:
            with _transaction(self._conn, f"could not store submission {sub.id}") as conn:
                inserted = conn.execute(_INSERT_SUBMISSION, submission_row(sub)).rowcount == 1
                if inserted and sub.blobs:
                    conn.executemany(_INSERT_BLOB, blob_rows(sub))
        except DiskFullError:
            self._note_disk_low()
            raise
        if not inserted:
            if self.get(sub.id) != sub:
                raise ValueError(f"submission {sub.id} is already stored with different content")
            log.info("submission %s was already stored", sub.id)
            return
        log.info("stored submission %s (%s, %d blobs)", sub.id, sub.kind, len(sub.blobs))

    def add_many(self, subs: Iterable[Submission]) -> int:
        """Insert many submissions in ONE transaction (seeding, benchmarks, imports).

        One commit for all rows, so none is durable before the end and the
        free-disk reserve is checked once. Visitors' submissions go through
        :meth:`add`. Ids already stored are skipped. Returns how many were given.
        """
        if self.free_bytes() < self.min_free_bytes:
            raise DiskFullError("below the free-disk reserve")
        subs = list(subs)
        with _transaction(self._conn, "could not store submissions") as conn:
            conn.executemany(_INSERT_SUBMISSION, (submission_row(s) for s in subs))
            conn.executemany(_INSERT_BLOB.replace("INSERT", "INSERT OR IGNORE", 1),
                             (row for s in subs for row in blob_rows(s)))
        return len(subs)

    def get(self, submission_id: str, *, verify_blobs: bool = True) -> Submission | None:
        """The submission with its blob data, or None.

        Args:
            verify_blobs: hash each blob again and compare with its stored digest.
                The sync client passes False: the receiver hashes every blob it is
                sent and refuses a mismatch (422), so a damaged blob still fails
                loudly, and a drawing is not hashed twice on its way out.
        """
        rows = self._read("could not read a submission", f"{_SELECT_SUBMISSION} WHERE id = ?", (submission_id,))
        return self._with_blobs(rows, verify_blobs=verify_blobs)[0] if rows else None

    def _with_blobs(self, rows: Sequence[sqlite3.Row], *, verify_blobs: bool = True) -> list[Submission]:
        ids = [row["id"] for row in rows]
        blobs: dict[str, list[sqlite3.Row]] = {i: [] for i in ids}
        marks = ", ".join("?" * len(ids))
        # Sorted here, not by ORDER BY: that would copy every blob's bytes into a temporary B-tree.
        for b in self._read("could not read blobs",
                            f"SELECT submission_id, position, role, media_type, sha256, data FROM blobs "
                            f"WHERE submission_id IN ({marks})", ids):
            blobs[b["submission_id"]].append(b)
        return [submission_from_row(row, sorted(blobs[row["id"]], key=lambda b: b["position"]),
                                    verify_blobs=verify_blobs) for row in rows]

    def count(self) -> int:
        """How many submissions are stored (read from the trigger-kept counts)."""
        rows = self._read("could not count", "SELECT coalesce(sum(n), 0) FROM submission_counts")
        return rows[0][0]

    def stats(self) -> Stats:
        """Totals by kind, topic and sync state; reads the trigger-kept counts, not the rows."""
        return stats_from_groups(self._read(
            "could not read statistics",
            "SELECT kind, topic_id, status, is_sample, n FROM submission_counts"))

    def iter_submissions(self, kind: str | None = None) -> Iterator[Submission]:
        """All submissions (or one kind), oldest first, with blobs; for the export.

        The order (ties in insertion order) is taken once, up front: the export
        holds the rows stored when it started. Rows are then read in batches, so
        no read transaction stays open while the caller works, and other
        connections can write and checkpoint meanwhile.
        """
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        where, params = ("", ()) if kind is None else (" WHERE kind = ?", (kind,))
        order = [r[0] for r in self._read("could not read submissions",
                                          f"SELECT rowid FROM submissions{where} ORDER BY created_key, rowid",
                                          params)]
        for start in range(0, len(order), _EXPORT_BATCH):
            batch = order[start:start + _EXPORT_BATCH]
            rows = self._read("could not read submissions",
                              f"{_SELECT_SUBMISSION} WHERE rowid IN ({', '.join('?' * len(batch))})", batch)
            by_rowid = {row["row_id"]: row for row in rows}
            yield from self._with_blobs([by_rowid[i] for i in batch if i in by_rowid])

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside the block (:meth:`query`, :meth:`stream`) all see one moment.

        A read transaction: other connections (the sync worker, a visitor's
        add on another store) keep writing meanwhile, as WAL readers block no
        writer; only checkpoints wait past it, so keep it to one job (an
        export). No writes through this store inside the block.

        Raises:
            StoreError: an environment problem.
        """
        with _environment_errors("could not read the database"):
            self._conn.execute("BEGIN")
            try:  # a deferred BEGIN takes its snapshot at the first read, so read now
                self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        try:
            yield
        finally:
            if self._conn.in_transaction:
                self._conn.execute("COMMIT")

    def stream(self, sql: str, params: Sequence[Any] = (), *,
               functions: Mapping[str, Callable[..., Any]] | None = None,
               tables: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]] | None = None,
               batch: int = 0) -> Iterator[Any]:
        """Rows of one read-only statement as plain tuples, one at a time (for the export).

        Nothing is held in memory but the current row. One statement reads one
        consistent moment; inside :meth:`snapshot`, all statements do. Close
        the iterator (``contextlib.closing``) when stopping early.

        Args:
            functions: SQL functions (name -> callable, any number of arguments)
                the statement may call; registered for this iteration only.
            tables: temporary lookup tables the statement may join, as
                ``temp.<name>``: name -> (column names, rows); every column but
                the last is the primary key. They live for this iteration only,
                in the connection's own temporary schema (the database file is
                not written).
            batch: if given, yield lists of up to this many rows instead of single rows.

        Run it with no other statement of this store still open (one stream at a
        time): SQLite cannot remove functions or tables while a statement runs,
        and they would stay behind (the next stream replaces them).

        Raises:
            StoreError: an environment problem.
        """
        what = "could not read the database"
        functions = dict(functions or {})
        tables = dict(tables or {})
        cursor = self._conn.cursor()
        cursor.row_factory = None
        made: list[str] = []
        try:
            with _environment_errors(what):
                for name, fn in functions.items():
                    self._conn.create_function(name, -1, fn, deterministic=True)
                for name, (columns, rows) in tables.items():
                    self._conn.execute(f"DROP TABLE IF EXISTS temp.{_identifier(name)}")  # left by a failed stream
                    self._conn.execute(f"CREATE TEMP TABLE {_identifier(name)} "
                                       f"({', '.join(map(_identifier, columns))}, PRIMARY KEY "
                                       f"({', '.join(map(_identifier, columns[:-1]))})) WITHOUT ROWID")
                    made.append(name)
                    self._conn.executemany(f"INSERT OR IGNORE INTO temp.{_identifier(name)} VALUES "
                                           f"({', '.join('?' * len(columns))})", rows)
                cursor.execute(sql, params)
                if not batch:
                    yield from cursor
                    return
                while rows := cursor.fetchmany(batch):
                    yield rows
        finally:
            cursor.close()  # stopped early: end the statement, or SQLite keeps the functions and tables busy
            for name in functions:
                try:
                    self._conn.create_function(name, -1, None)
                except sqlite3.Error as exc:  # another statement is still running; it goes with the connection
                    log.warning("could not remove SQL function %s: %s", name, exc)
            for name in made:
                try:
                    self._conn.execute(f"DROP TABLE IF EXISTS temp.{_identifier(name)}")
                except sqlite3.Error as exc:  # the connection is failing anyway; the table dies with it
                    log.warning("could not drop temporary table %s: %s", name, exc)

    # -- disk ------------------------------------------------------------

    def free_bytes(self) -> int:
        """Free space for this process on the database's file system."""
        with _environment_errors("cannot measure free disk space"):
            return shutil.disk_usage(self.path.parent).free

    def can_accept(self) -> bool:
        """Whether :meth:`add` would pass the free-disk reserve right now."""
        return self.free_bytes() >= self.min_free_bytes

    def _note_disk_low(self) -> None:
        """Record a ``disk_low`` notice unless one was recorded within the hour. Best effort."""
        try:
            with _transaction(self._conn, "could not record a notice") as conn:
                last = conn.execute("SELECT at FROM notices WHERE kind = 'disk_low' "
                                    "ORDER BY id DESC LIMIT 1").fetchone()
                if not disk_low_due(last[0] if last else None, datetime.now(timezone.utc)):
                    return
                free_mb = self.free_bytes() // 1_000_000
                self._insert_notice(conn, "disk_low", f"Disk space is low ({free_mb} MB free); "
                                    "new contributions are refused until space is freed.", None)
        except StoreError as exc:
            log.warning("could not record the disk_low notice: %s", exc)

    # -- notices ---------------------------------------------------------

    @property
    def notices(self) -> list[StoreNotice]:
        """Persisted notices, newest last (also those other connections recorded)."""
        rows = self._read("could not read notices", "SELECT kind, message, at, path FROM notices ORDER BY id")
        return [StoreNotice(kind=r["kind"], message=r["message"], at=r["at"], path=r["path"]) for r in rows]

    def add_notice(self, kind: str, message: str, path: str | None = None) -> None:
        """Persist something staff must see. ``message`` must not contain visitor text."""
        if kind not in NOTICE_KINDS:
            raise ValueError(f"unknown notice kind {kind!r}")
        with _transaction(self._conn, "could not record a notice") as conn:
            self._insert_notice(conn, kind, message, path)

    @staticmethod
    def _insert_notice(conn: sqlite3.Connection, kind: str, message: str, path: str | None) -> None:
        conn.execute("INSERT INTO notices (kind, message, at, path) VALUES (?, ?, ?, ?)",
                     (kind, message, utc_now(), path))
        log.info("notice %s recorded%s", kind, f" ({path})" if path else "")

    # -- sync state ------------------------------------------------------

    def sync_state(self, submission_id: str) -> SyncState | None:
        """The submission's sync state, or None if there is no such submission."""
        rows = self._read("could not read a sync state",
                          "SELECT * FROM sync_state WHERE submission_id = ?", (submission_id,))
        return sync_state_from_row(rows[0]) if rows else None

    def outgoing(self, submission_id: str) -> Outgoing | None:
        """The submission ready to send if it is still pending, else None.

        One statement (one snapshot): the row's stored wire JSON with its blobs, in order.
        """
        # Not ORDER BY position: SQLite would sort in a temporary B-tree and copy every
        # blob's bytes into it (most of the cost of reading a drawing); two rows sort here.
        rows = self._read(
            "could not read a submission to send",
            "SELECT s.wire, b.position, b.role, b.media_type, b.sha256, b.data FROM submissions s "
            "JOIN sync_state st ON st.submission_id = s.id "
            "LEFT JOIN blobs b ON b.submission_id = s.id "
            "WHERE s.id = ? AND st.status = 'pending'", (submission_id,))
        if not rows:
            return None
        wire = rows[0][0]
        if wire is None:  # every row has it since schema v8; never send an empty body
            sub = self.get(submission_id, verify_blobs=False)
            return None if sub is None else Outgoing(sub.id, sub.canonical_json(), sub.blobs)
        blobs = tuple(Blob(role=r[2], data=r[5], media_type=r[3], sha256=r[4], trusted=True)
                      for r in sorted(rows, key=lambda r: r[1]) if r[2] is not None)
        return Outgoing(submission_id, wire.encode("utf-8"), blobs)

    def pending_ids(self, limit: int = 100) -> list[str]:
        """Ids to upload next: pending only, oldest created first (ties by id), from an index."""
        return [r[0] for r in self._read("could not read pending ids", PENDING_SQL, (limit,))]

    def _change_state(self, submission_id: str, action: str, sets: str = "", params: Sequence[Any] = ()) -> str:
        """Apply ``action`` to one row: status by :func:`next_status`, plus extra ``sets``.

        Raises:
            KeyError: no such submission.
        """
        with _transaction(self._conn, f"could not update the sync state of {submission_id}") as conn:
            row = conn.execute("SELECT status FROM sync_state WHERE submission_id = ?", (submission_id,)).fetchone()
            if row is None:
                raise KeyError(submission_id)
            status = next_status(row[0], action)
            conn.execute(f"UPDATE sync_state SET status = ?, updated_at = ?{sets} WHERE submission_id = ?",
                         (status, utc_now(), *params, submission_id))
        log.info("sync %s %s: %s -> %s", submission_id, action, row[0], status)
        return status

    def record_attempt(self, submission_id: str, error: str | None) -> None:
        """Count an upload attempt; ``error`` (or None on success) becomes ``last_error``."""
        self._change_state(submission_id, "attempt", ", attempts = attempts + 1, last_error = ?", (error,))

    def mark_sent(self, submission_id: str, receipt: dict) -> None:
        """The receiver's receipt arrived: sent, whatever the row's state was."""
        self._change_state(submission_id, "sent", ", receipt = ?, withheld_reason = NULL",
                           (canonical_json(receipt).decode("utf-8"),))

    def mark_sent_many(self, receipts: Sequence[tuple[str, dict]]) -> None:
        """:meth:`mark_sent` for several rows in one transaction (one fsync, not one each).

        Raises:
            KeyError: one of the rows does not exist (then none is changed).
        """
        if not receipts:
            return
        now = utc_now()
        changed: list[tuple[str, str, str]] = []
        with _transaction(self._conn, "could not record delivered submissions") as conn:
            for submission_id, receipt in receipts:
                row = conn.execute("SELECT status FROM sync_state WHERE submission_id = ?",
                                   (submission_id,)).fetchone()
                if row is None:
                    raise KeyError(submission_id)
                status = next_status(row[0], "sent")
                conn.execute("UPDATE sync_state SET status = ?, updated_at = ?, receipt = ?, "
                             "withheld_reason = NULL WHERE submission_id = ?",
                             (status, now, canonical_json(receipt).decode("utf-8"), submission_id))
                changed.append((submission_id, row[0], status))
        for submission_id, before, status in changed:  # the same line as mark_sent's
            log.info("sync %s sent: %s -> %s", submission_id, before, status)

    def mark_failed(self, submission_id: str, reason: str) -> None:
        """Give up on a row until staff retry (:meth:`reset_failed`); sent/withheld rows keep their state."""
        self._change_state(submission_id, "failed", ", last_error = ?", (reason,))

    def reset_failed(self) -> int:
        """Staff "retry": every failed row becomes pending again. Returns how many."""
        with _transaction(self._conn, "could not reset failed rows") as conn:
            changed = conn.execute("UPDATE sync_state SET status = 'pending', updated_at = ? "
                                   "WHERE status = 'failed'", (utc_now(),)).rowcount
        log.info("reset %d failed rows to pending", changed)
        return changed

    def withhold(self, submission_id: str, reason: str) -> None:
        """Keep a row from being uploaded (staff moderation).

        Raises:
            TransitionError: it was already sent.
        """
        self._change_state(submission_id, "withhold", ", withheld_reason = ?", (reason,))

    def release(self, submission_id: str) -> None:
        """A withheld row becomes pending again; other states stay as they are."""
        self._change_state(submission_id, "release", ", withheld_reason = NULL")
