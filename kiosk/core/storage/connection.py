"""Opening the database file: checked, in WAL mode, configured and migrated.

:func:`_connect` first runs ``PRAGMA quick_check`` (through a read-only
connection when it can, so that a damaged file is left as it was on disk), then
switches the file to WAL, sets ``synchronous=FULL``, foreign keys, the busy
timeout and the ``casefold`` SQL function, and migrates the schema. A damaged
file is not repaired: :func:`move_aside` renames it and its -wal and -shm next
to it, never deletes, and the :class:`~kiosk.core.storage.store.Store` starts
a new one.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kiosk.core.fsutil import fsync_dir
from kiosk.core.storage.errors import StoreError, _primary_code, is_corruption
from kiosk.core.storage.schema import migrate

log = logging.getLogger("kiosk.storage")

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another connection's write lock before giving up."""
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
"""After a checkpoint the WAL is truncated to this size (drawings make it grow)."""


def _casefold(value: Any) -> str | None:
    """The SQL function ``casefold(text)``: ``str.casefold``; NULL and non-text give NULL."""
    return value.casefold() if isinstance(value, str) else None


def aside_name(db_name: str, now: datetime, attempt: int = 0) -> str:
    """Where a corrupt database goes: ``kiosk.sqlite3.corrupt-20240601T101500Z``."""
    name = f"{db_name}.corrupt-{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    return f"{name}-{attempt}" if attempt else name


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
