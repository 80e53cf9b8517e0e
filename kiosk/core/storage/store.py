"""The :class:`Store`: the kiosk's submissions in one SQLite file.

A visitor is only thanked after :meth:`Store.add` has returned, and by then the
row, its blobs and its sync state are committed in one transaction to a WAL
that has been fsynced (``synchronous=FULL``).

One :class:`Store` is one ``sqlite3`` connection, used from one thread. The
sync worker opens its own :class:`Store` on the same file; WAL and a busy
timeout let both (or several processes) work side by side.

Staff modules (``kiosk.core.moderation``, ``kiosk.core.purge``, ``kiosk.core.overview``,
``kiosk.core.reconcile``, ``kiosk.core.export``) reach the database only through
:meth:`Store.query`, :meth:`Store.transaction`,
:func:`~kiosk.core.storage.schema.delete_submission_rows`, :meth:`Store.vacuum`,
and (for the export) :meth:`Store.snapshot` and :meth:`Store.stream`; nothing
outside this package touches the connection.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from kiosk.core.fsutil import fsync_dir
from kiosk.core.model import KINDS, Blob, Submission, canonical_json, utc_now
from kiosk.core.storage.connection import _connect, _Corrupt, move_aside
from kiosk.core.storage.errors import DiskFullError, StoreError, _environment_errors, _transaction
from kiosk.core.storage.rows import (NOTICE_KINDS, SUBMISSION_COLUMNS, Outgoing, Stats, StoreNotice, SyncState,
                                     blob_rows, disk_low_due, next_status, stats_from_groups, submission_from_row,
                                     submission_row, sync_state_from_row)

log = logging.getLogger("kiosk.storage")

DB_FILENAME = "kiosk.sqlite3"
_EXPORT_BATCH = 200

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


def _identifier(name: str) -> str:
    """``name`` as an SQL identifier; only plain names (letters, digits, ``_``) are accepted."""
    if not name.replace("_", "").isalnum() or not name.isascii() or name[0].isdigit():
        raise ValueError(f"not a plain SQL name: {name!r}")
    return name


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

        For the staff modules' reads over the store's tables (see
        :mod:`kiosk.core.storage.schema` for the schema). Writes go through
        :meth:`transaction`. The SQL function ``casefold(text)`` (Python's
        ``str.casefold``; NULL stays NULL) is available for searches that
        ignore case, umlauts too.

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
