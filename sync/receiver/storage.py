"""The receiver's durable storage: SQLite for submissions, a directory for blobs.

Submissions live in SQLite (WAL, ``synchronous=FULL``): a row is on disk
before the receipt is sent. Blobs are content-addressed files under
``blobs/ab/abcdef...``, written to a temporary file, fsynced, renamed into
place and the directory fsynced, so a blob either exists whole or not at all.
No path is ever built from anything but a checked 64-hex digest.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from kiosk.core.fsutil import fsync_dir
from kiosk.core.model import utc_now
from sync.protocol import is_sha256_hex, is_uuid4, make_receipt

log = logging.getLogger("sync.receiver")

DB_NAME = "receiver.sqlite3"
BLOB_DIR = "blobs"


class BlobDigestMismatch(ValueError):
    """The bytes sent under a digest hash to something else."""


class Conflict(Exception):
    """The submission id exists with different content."""

    def __init__(self, submission_id: str, stored_sha256: str) -> None:
        super().__init__(submission_id)
        self.submission_id = submission_id
        self.stored_sha256 = stored_sha256


@dataclass(frozen=True, slots=True)
class StoredSubmission:
    id: str
    sha256: str
    kind: str
    kiosk_id: str
    delivered_by: str
    received_at: str
    canonical: bytes
    blob_roles: dict[str, str]  # role -> sha256


class ExportRow(NamedTuple):
    """One stored submission as the bundle writer reads it."""

    id: str
    sha256: str
    delivered_by: str
    received_at: str
    canonical: bytes


def _m001_initial(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE submissions (
            id TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            kind TEXT NOT NULL,
            kiosk_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            delivered_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            canonical BLOB NOT NULL
        )""")
    db.execute("CREATE INDEX submissions_by_kiosk ON submissions (kiosk_id, received_at)")
    db.execute("CREATE INDEX submissions_by_received ON submissions (received_at)")
    db.execute("""
        CREATE TABLE submission_blobs (
            submission_id TEXT NOT NULL REFERENCES submissions (id),
            role TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            media_type TEXT NOT NULL,
            PRIMARY KEY (submission_id, role)
        )""")


def _m101_moderation(db: sqlite3.Connection) -> None:
    """Moderation at the receiver (``sync.receiver.moderation``): the current state on the row,
    for filtering, and every decision in an append-only log, the audit trail."""
    db.execute("ALTER TABLE submissions ADD COLUMN state TEXT NOT NULL DEFAULT 'received'")
    db.execute("CREATE INDEX submissions_by_state ON submissions (state, received_at)")
    db.execute("""
        CREATE TABLE moderation_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            submission_id TEXT NOT NULL REFERENCES submissions (id),
            state TEXT NOT NULL,
            reason TEXT,
            note TEXT,
            actor TEXT NOT NULL,
            decided_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX moderation_log_by_submission ON moderation_log (submission_id, seq)")


_FTS_BODY = ("coalesce(json_extract(canonical, '$.title'), '') || ' ' || coalesce(json_extract(canonical, '$.text'), '')"
             " || ' ' || coalesce(json_extract(canonical, '$.author_name'), '') || ' ' || "
             "coalesce(json_extract(canonical, '$.district'), '') || ' ' || "
             "coalesce(json_extract(canonical, '$.reference_code'), '')")


def _m102_browse(db: sqlite3.Connection) -> None:
    """What the staff app filters and searches by: the field of action on the row, indexes for
    keyset pages newest first, and an FTS5 index over the visitor's words (kept by triggers, so
    every way in, the API and a bundle import, and a delete's tombstone keep it in step)."""
    db.execute("ALTER TABLE submissions ADD COLUMN topic_id TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE submissions SET topic_id = coalesce(json_extract(canonical, '$.topic_id'), '') "
               "WHERE length(canonical) > 0")
    db.execute("CREATE INDEX submissions_by_created ON submissions (created_at, id)")
    db.execute("CREATE INDEX submissions_by_state_created ON submissions (state, created_at, id)")
    db.execute("CREATE INDEX submissions_by_kiosk_created ON submissions (kiosk_id, created_at, id)")
    db.execute("CREATE INDEX submissions_by_topic_created ON submissions (topic_id, created_at, id)")
    db.execute("CREATE VIRTUAL TABLE submissions_fts USING fts5(body, "
               "tokenize='unicode61 remove_diacritics 2')")
    db.execute(f"INSERT INTO submissions_fts (rowid, body) SELECT rowid, {_FTS_BODY} FROM submissions "
               "WHERE length(canonical) > 0")
    db.execute(f"""CREATE TRIGGER submissions_fts_insert AFTER INSERT ON submissions
                   WHEN length(new.canonical) > 0 BEGIN
                   INSERT INTO submissions_fts (rowid, body) SELECT new.rowid, {_FTS_BODY.replace('canonical', 'new.canonical')};
                   END""")
    db.execute("""CREATE TRIGGER submissions_fts_delete AFTER UPDATE OF canonical ON submissions
                  WHEN length(new.canonical) = 0 AND length(old.canonical) > 0 BEGIN
                  DELETE FROM submissions_fts WHERE rowid = old.rowid;
                  END""")


def _m103_staff_sessions(db: sqlite3.Connection) -> None:
    """Signed-in staff (``sync.receiver.web.sessions``): only a hash of each session's cookie."""
    db.execute("""
        CREATE TABLE staff_sessions (
            token_hash TEXT PRIMARY KEY,
            account TEXT NOT NULL,
            csrf TEXT NOT NULL,
            created REAL NOT NULL,
            seen REAL NOT NULL
        )""")


def _m104_heartbeats(db: sqlite3.Connection) -> None:
    """The latest heartbeat of each terminal (``POST /api/v1/heartbeat``)."""
    db.execute("""
        CREATE TABLE heartbeats (
            kiosk_id TEXT PRIMARY KEY,
            received_at TEXT NOT NULL,
            sent_at TEXT,
            clock_skew_s REAL,
            app_version TEXT,
            pending INTEGER,
            failed INTEGER,
            free_disk_bytes INTEGER,
            last_activity TEXT,
            reason TEXT
        )""")


_TOKEN_OF_NEW = "json_extract(CAST(NEW.canonical AS TEXT), '$.status_token')"


def _m201_status_tokens(db: sqlite3.Connection) -> None:
    """The status token of each submission that carries one (the visitor's ``/s/<token>`` page).

    Filled by a trigger in the transaction that stores the submission, whichever way it came
    (sync or a bundle), and here for what arrived before. A token taken already is ignored:
    it would be another submission's secret, and the page stays with the first.
    """
    db.execute("""
        CREATE TABLE status_tokens (
            token TEXT PRIMARY KEY,
            submission_id TEXT NOT NULL UNIQUE REFERENCES submissions (id)
        )""")
    db.execute(f"""
        CREATE TRIGGER submissions_status_token AFTER INSERT ON submissions
        WHEN {_TOKEN_OF_NEW} IS NOT NULL
        BEGIN
            INSERT OR IGNORE INTO status_tokens VALUES ({_TOKEN_OF_NEW}, NEW.id);
        END""")
    db.execute("""
        INSERT OR IGNORE INTO status_tokens
        SELECT json_extract(CAST(canonical AS TEXT), '$.status_token'), id FROM submissions
        WHERE json_extract(CAST(canonical AS TEXT), '$.status_token') IS NOT NULL
        ORDER BY received_at""")


def _m202_outbox(db: sqlite3.Connection) -> None:
    """The publication outbox: one row per (approved submission, connector).

    ``idempotency_key`` goes with every delivery attempt of the row, so a platform that saw
    an attempt whose answer was lost recognises the retry. ``next_attempt_at`` is a Unix
    time (backoff with jitter); ``remote_id``/``remote_url`` are what the platform answered;
    ``edits`` (JSON) what staff changed to fit a platform's rules (a longer title).
    """
    db.execute("""
        CREATE TABLE outbox (
            submission_id TEXT NOT NULL REFERENCES submissions (id),
            connector TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN
                ('pending', 'sending', 'published', 'failed', 'needs_editing', 'skipped')),
            idempotency_key TEXT NOT NULL UNIQUE,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL DEFAULT 0,
            last_error TEXT,
            remote_id TEXT,
            remote_url TEXT,
            edits TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (submission_id, connector)
        )""")
    db.execute("CREATE INDEX outbox_due ON outbox (state, next_attempt_at)")


def _m203_outbox_edits(db: sqlite3.Connection) -> None:
    """Staff's edits of a contribution for one platform (``Outbox.edit``): who, when, and the
    lengths of title and text before and after, an append-only log beside the decisions (the
    texts themselves live in ``outbox.edits``, the visitor's own text is never changed)."""
    db.execute("""
        CREATE TABLE outbox_edits (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            submission_id TEXT NOT NULL REFERENCES submissions (id),
            connector TEXT NOT NULL,
            actor TEXT NOT NULL,
            edited_at TEXT NOT NULL,
            title_before INTEGER NOT NULL,
            title_after INTEGER NOT NULL,
            body_before INTEGER NOT NULL,
            body_after INTEGER NOT NULL
        )""")
    db.execute("CREATE INDEX outbox_edits_by_submission ON outbox_edits (submission_id, seq)")


MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = (
    ("001_initial", _m001_initial),
    ("101_moderation", _m101_moderation),
    ("102_browse", _m102_browse),
    ("103_staff_sessions", _m103_staff_sessions),
    ("104_heartbeats", _m104_heartbeats),
    ("201_status_tokens", _m201_status_tokens),
    ("202_outbox", _m202_outbox),
    ("203_outbox_edits", _m203_outbox_edits),
)


@dataclass(frozen=True, slots=True)
class EditRecord:
    """One of staff's edits for a platform, in the audit log: lengths only (the texts are in
    the outbox row's ``edits``; the visitor's own text is never changed)."""

    submission_id: str
    connector: str
    actor: str
    edited_at: str
    title_before: int
    title_after: int
    body_before: int
    body_after: int


class ReceiverStore:
    """Thread-safe (one connection behind a lock) storage of the receiver."""

    def __init__(self, data_dir: Path, *, clean_tmp: bool = True) -> None:
        """Open (and migrate) the storage in ``data_dir``.

        ``clean_tmp=False`` for a second process beside a running receiver (an export):
        the receiver's unfinished uploads are its own to clean.
        """
        self.data_dir = Path(data_dir)
        self.blob_dir = self.data_dir / BLOB_DIR
        self._tmp_dir = self.blob_dir / ".tmp"
        self._tmp_str = str(self._tmp_dir)
        self._tmp_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.data_dir / DB_NAME, isolation_level=None,
                                   check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._migrate()
        self._make_shards()
        if clean_tmp:
            self._clean_tmp()

    # ---------------------------------------------------------------- setup
    def _migrate(self) -> None:
        with self._lock:
            self._db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {r[0] for r in self._db.execute("SELECT name FROM migrations")}
            for name, func in MIGRATIONS:
                if name in done:
                    continue
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    func(self._db)
                    self._db.execute("INSERT INTO migrations VALUES (?, ?)", (name, utc_now()))
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise

    def _make_shards(self) -> None:
        """Create all 256 shard directories up front, with one directory fsync.

        Otherwise the first blob of each shard pays a mkdir and an fsync of ``blobs/``
        while the kiosk waits for its answer: on a fresh receiver (each event starts
        with one) that is most of the first few hundred blobs.
        """
        created = False
        for i in range(256):
            shard = self.blob_dir / f"{i:02x}"
            if not shard.is_dir():
                shard.mkdir(exist_ok=True)
                created = True
        if created:
            fsync_dir(self.blob_dir)

    def _clean_tmp(self) -> None:
        """Remove temporary files left by a crash mid-upload (never complete blobs)."""
        for leftover in self._tmp_dir.iterdir():
            leftover.unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one ``BEGIN IMMEDIATE`` transaction, under the store's lock:
        committed when the block ends, rolled back when it raises. For the receiver's own
        modules (moderation, heartbeats) that keep their tables in this file."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection under the store's lock, for reads (autocommit)."""
        with self._lock:
            yield self._db

    # ---------------------------------------------------------------- blobs
    def blob_file(self, sha256: str) -> Path:
        if not is_sha256_hex(sha256):  # the only gate between a URL and the disk
            raise ValueError("not a sha256 digest")
        return self.blob_dir / sha256[:2] / sha256

    def has_blob(self, sha256: str) -> bool:
        return self.blob_file(sha256).is_file()

    def read_blob(self, sha256: str) -> bytes | None:
        """The blob's bytes, or None. Plain ``os`` calls: every drawing's submission reads two."""
        try:
            fd = os.open(self.blob_file(sha256), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return None
        try:
            size = os.fstat(fd).st_size
            chunks = []
            while size > 0 and (chunk := os.read(fd, size)):
                chunks.append(chunk)
                size -= len(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)

    def put_blob(self, sha256: str, data: bytes) -> bool:
        """Store *data* under its digest. Returns True when it is new.

        Plain ``os`` calls on string paths: a temporary file opened exclusively under a
        random name (cheaper than ``mkstemp``'s retry loop), written, fsynced, renamed
        into its shard, and the shard fsynced. Every drawing pays this twice.

        Raises:
            BlobDigestMismatch: the data does not hash to *sha256*.
        """
        target = str(self.blob_file(sha256))
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobDigestMismatch(sha256)
        if os.path.isfile(target):
            return False
        tmp = os.path.join(self._tmp_str, f"{sha256[:16]}.{secrets.token_hex(8)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            shard = os.path.dirname(target)
            try:
                os.replace(tmp, target)
            except FileNotFoundError:  # the shard was removed since __init__ made it
                os.makedirs(shard, exist_ok=True)
                fsync_dir(self.blob_dir)
                os.replace(tmp, target)
            fsync_dir(shard)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return True

    # ---------------------------------------------------------- submissions
    def put_submission(self, *, submission_id: str, sha256: str, canonical: bytes, kind: str,
                       kiosk_id: str, event_id: str, created_at: str, delivered_by: str,
                       blobs: list[tuple[str, str, str]], topic_id: str = "") -> tuple[dict[str, Any], bool]:
        """Store a validated submission; return its receipt and whether it is new.

        Args:
            blobs: (role, sha256, media_type) of each referenced blob.

        Raises:
            Conflict: the id exists with a different digest.
        """
        if not is_uuid4(submission_id):
            raise ValueError("not a submission id")
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")  # also serialises a second process on the file
            try:
                row = self._db.execute("SELECT sha256, received_at FROM submissions WHERE id = ?",
                                       (submission_id,)).fetchone()
                if row is not None:
                    self._db.execute("ROLLBACK")
                else:
                    received_at = utc_now()
                    self._db.execute(
                        "INSERT INTO submissions (id, sha256, kind, kiosk_id, event_id, delivered_by, created_at, "
                        "received_at, canonical, topic_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (submission_id, sha256, kind, kiosk_id, event_id, delivered_by, created_at,
                         received_at, canonical, topic_id))
                    self._db.executemany(
                        "INSERT INTO submission_blobs VALUES (?, ?, ?, ?)",
                        [(submission_id, role, digest, media) for role, digest, media in blobs])
                    self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        if row is not None:
            return self._existing(submission_id, sha256, row), False
        return make_receipt(submission_id, sha256, received_at, "created"), True

    @staticmethod
    def _existing(submission_id: str, sha256: str, row: tuple[str, str]) -> dict[str, Any]:
        stored_sha, received_at = row
        if stored_sha != sha256:
            raise Conflict(submission_id, stored_sha)
        return make_receipt(submission_id, stored_sha, received_at, "exists")

    def receipt(self, submission_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT sha256, received_at FROM submissions WHERE id = ?",
                                   (submission_id,)).fetchone()
        if row is None:
            return None
        return make_receipt(submission_id, row[0], row[1], "exists")

    # ---------------------------------------------------------------- staff
    def counts_by_kiosk(self) -> list[tuple[str, int, int, str]]:
        """(who delivered, ideas, drawings, last received_at) per kiosk: by the kiosk whose token
        delivered it, not by the kiosk a submission names (``bundle:<kiosk id>`` for an import)."""
        with self._lock:
            return self._db.execute("""
                SELECT delivered_by, SUM(kind = 'idea'), SUM(kind = 'drawing'), MAX(received_at)
                FROM submissions GROUP BY delivered_by ORDER BY delivered_by""").fetchall()

    def count(self) -> int:
        """How many submissions are kept (deleted ones, tombstones now, not counted)."""
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM submissions WHERE state != 'deleted'").fetchone()[0]

    def latest(self, limit: int = 50) -> list[StoredSubmission]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id FROM submissions WHERE state != 'deleted' "
                "ORDER BY received_at DESC, id LIMIT ?", (limit,)).fetchall()
        return [s for s in (self.get(r[0]) for r in rows) if s is not None]

    def outbox_edits(self, submission_id: str) -> list[EditRecord]:
        """Staff's edits of *submission_id* for the platforms (``Outbox.edit``), oldest first."""
        with self.reading() as db:
            return [EditRecord(*r) for r in db.execute(
                "SELECT submission_id, connector, actor, edited_at, title_before, title_after, body_before, "
                "body_after FROM outbox_edits WHERE submission_id = ? ORDER BY seq", (submission_id,))]

    def get(self, submission_id: str) -> StoredSubmission | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, sha256, kind, kiosk_id, delivered_by, received_at, canonical "
                "FROM submissions WHERE id = ?", (submission_id,)).fetchone()
            if row is None:
                return None
            roles = dict(self._db.execute(
                "SELECT role, sha256 FROM submission_blobs WHERE submission_id = ?", (submission_id,)))
        return StoredSubmission(*row[:6], canonical=bytes(row[6]), blob_roles=roles)

    def blob_media_type(self, sha256: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT media_type FROM submission_blobs WHERE sha256 = ? LIMIT 1",
                                   (sha256,)).fetchone()
        return row[0] if row else None

    def iter_all(self, batch: int = 500) -> Iterator[ExportRow]:
        """Every submission (not the tombstones of deleted ones), in the order received, read in
        batches (never all at once)."""
        last = ("", "")
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT id, sha256, delivered_by, received_at, canonical FROM submissions "
                    "WHERE (received_at, id) > (?, ?) AND state != 'deleted' "
                    "ORDER BY received_at, id LIMIT ?",
                    (*last, batch)).fetchall()
            if not rows:
                return
            for submission_id, sha, delivered_by, received_at, canonical in rows:
                yield ExportRow(submission_id, sha, delivered_by, received_at, bytes(canonical))
            last = (rows[-1][3], rows[-1][0])

    def event_ids(self, limit: int = 2) -> list[str]:
        """Up to ``limit`` distinct event ids of what arrived."""
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT DISTINCT event_id FROM submissions ORDER BY event_id LIMIT ?", (limit,))]


