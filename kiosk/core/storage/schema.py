"""The database schema: its history as named migrations, and how a file is brought up to date.

Schema history (:data:`MIGRATIONS`; one transaction each, recorded in
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
9. ``balance_sheet_text``: the stored ``ideas.csv`` text of ideas holding a
   directional control left open (stored before the kiosk balanced them on
   input, :mod:`kiosk.core.bidi`) is written again, balanced.
10. ``add_status_token``: the secret of a visitor's status page (the QR code's
    link), NULL for rows stored before (their wire JSON has no such field).
11. ``add_platform_item``: the platform's proposal or debate an idea is about
    (JSON, NULL for none), and two more (empty) ``ideas.csv`` cells in the
    stored sheet text of every idea stored before: ``platform_item_title`` and
    ``platform_item_url``.

Each migration is frozen in time: it spells out its own SQL and never reads
live constants such as ``SYNC_STATES``, so an old file migrates the same way
forever. :func:`migrate` applies what a file lacks, each migration in its own
transaction. :func:`delete_submission_rows` is here too: removing a submission
must follow the triggers defined here.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kiosk.core import model
from kiosk.core.bidi import has_controls
from kiosk.core.model import canonical_json, utc_now
from kiosk.core.sheet import own_cells_text
from kiosk.core.storage.errors import StoreError, _transaction
from kiosk.core.storage.rows import _BOOL_COLUMNS

log = logging.getLogger("kiosk.storage")


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


def balance_sheet_text(conn: sqlite3.Connection) -> None:
    """v9: an idea's stored ``ideas.csv`` cells never hold an open directional control.

    Visitor text is balanced on input now (:func:`kiosk.core.text.clean_text`); an idea
    stored before kept, say, a pasted U+202E, which would reverse the cells after it in a
    spreadsheet. Its sheet text is written again from its columns, which balances every
    cell; the submission itself (its wire JSON, the receipt's digest) stays as it was.
    """
    stale = [sub_id for sub_id, cells in conn.execute(
        "SELECT id, sheet_cells FROM submissions WHERE kind = 'idea' AND sheet_cells IS NOT NULL")
        if has_controls(cells)]
    if not stale:
        return
    conn.execute("DROP TRIGGER submissions_immutable")
    for sub_id in stale:
        cursor = conn.execute("SELECT * FROM submissions WHERE id = ?", (sub_id,))
        values = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
        conn.execute("UPDATE submissions SET sheet_cells = ? WHERE id = ?", (own_cells_text(values), sub_id))
    _exec_script(conn, """
        CREATE TRIGGER submissions_immutable BEFORE UPDATE ON submissions BEGIN
            SELECT RAISE(ABORT, 'submissions are immutable');
        END;
    """)
    log.info("balanced the directional controls in the sheet text of %d ideas", len(stale))


def add_status_token(conn: sqlite3.Connection) -> None:
    """v10: the token of the visitor's status page at the receiver (``Submission.status_token``).

    Rows stored before keep NULL: their wire JSON (and the receipt's digest) has no such field.
    """
    conn.execute("ALTER TABLE submissions ADD COLUMN status_token TEXT")


def add_platform_item(conn: sqlite3.Connection) -> None:
    """v11: the proposal or debate on the platform an idea is attached to
    (``Submission.platform_item``, its wire JSON object), NULL for none.

    The sheet text of every idea stored before gets the two new cells, empty (two empty
    cells after the last one are one more ``;`` each); the wire JSON stays as it was.
    """
    conn.execute("ALTER TABLE submissions ADD COLUMN platform_item TEXT")
    if conn.execute("SELECT 1 FROM submissions WHERE sheet_cells IS NOT NULL LIMIT 1").fetchone() is None:
        return
    conn.execute("DROP TRIGGER submissions_immutable")
    conn.execute("UPDATE submissions SET sheet_cells = sheet_cells || ';;' WHERE sheet_cells IS NOT NULL")
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
    balance_sheet_text,
    add_status_token,
    add_platform_item,
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


def delete_submission_rows(conn: sqlite3.Connection, submission_id: str) -> bool:
    """Remove a submission with its blobs and sync state, inside :meth:`Store.transaction`.

    The sync-state row goes first: its delete trigger lowers the counts by
    looking the submission up, which must still be there. Then the blobs,
    then the submission. Returns whether there was such a submission.
    """
    conn.execute("DELETE FROM sync_state WHERE submission_id = ?", (submission_id,))
    conn.execute("DELETE FROM blobs WHERE submission_id = ?", (submission_id,))
    return conn.execute("DELETE FROM submissions WHERE id = ?", (submission_id,)).rowcount == 1
