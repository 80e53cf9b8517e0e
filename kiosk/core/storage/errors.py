"""Which failures are the environment's, and the shells that say so.

Errors come in two families, kept apart (qutebrowser ``misc/sql.py`` style):
:class:`StoreError` (and :class:`DiskFullError`) are environment problems that
staff must be told about; anything else (``sqlite3.IntegrityError``,
``ValueError``, ...) is a bug. :func:`error_class` tells them apart.
:func:`_environment_errors` and :func:`_transaction` wrap work on the
connection (the store's and the migrations'): environment failures come out as
:class:`StoreError`, bugs pass through unchanged.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("kiosk.storage")


class StoreError(Exception):
    """Environment problem staff must be told about (not a bug)."""


class DiskFullError(StoreError):
    """Below the free-disk reserve, or SQLite/OS said the disk is full. Nothing was written."""


class TransitionError(ValueError):
    """A sync-state change that contradicts what already happened (e.g. withholding a sent row)."""


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
