"""The durable offline store: every submission lives in one SQLite file. Nothing here imports Qt.

The package, by responsibility; each module imports only those listed before it:

- :mod:`~kiosk.core.storage.errors`: the two families of errors (environment
  problems staff must hear of, and bugs), and the shells that tell them apart
  on the connection, ``_transaction`` among them.
- :mod:`~kiosk.core.storage.rows`: pure decisions: the values the store hands
  out, submissions to rows and back, sync-state changes, statistics.
- :mod:`~kiosk.core.storage.schema`: the schema's history as named migrations
  (:data:`MIGRATIONS`), :func:`migrate`, and :func:`delete_submission_rows`,
  which follows the schema's triggers.
- :mod:`~kiosk.core.storage.connection`: opening the file: quick_check, WAL,
  pragmas, migrating; a damaged file moved aside.
- :mod:`~kiosk.core.storage.store`: the :class:`Store`, one connection used
  from one thread, and the seam the staff modules and the export go through.

Import from here (``from kiosk.core.storage import Store, StoreError``); every
module logs to ``kiosk.storage``, naming ids, counts and paths, never visitor
text or author fields.
"""

from kiosk.core.storage.connection import BUSY_TIMEOUT_MS, JOURNAL_SIZE_LIMIT, aside_name, move_aside
from kiosk.core.storage.errors import (DiskFullError, StoreError, TransitionError, as_store_error, error_class,
                                       is_corruption)
from kiosk.core.storage.rows import (DISK_LOW_NOTICE_INTERVAL, NOTICE_KINDS, SUBMISSION_COLUMNS, Outgoing, Stats,
                                     StoreNotice, SyncState, blob_rows, created_sort_key, disk_low_due, next_status,
                                     stats_from_groups, submission_from_row, submission_row, sync_state_from_row)
from kiosk.core.storage.schema import (MIGRATIONS, NO_CONSENT_REASON, SCHEMA_VERSION, UNFINISHED_REASON, Migration,
                                       add_notices_and_counts, add_overview_counts, add_staff_tables, add_sync_state,
                                       applied_migrations, create_submissions_and_blobs, delete_submission_rows,
                                       migrate, migrations_to_run, store_wire_and_sheet_text, withhold_samples,
                                       withhold_without_consent)
from kiosk.core.storage.store import DB_FILENAME, PENDING_SQL, Store, log

__all__ = [
    # the store
    "DB_FILENAME", "PENDING_SQL", "Store", "log",
    # errors
    "DiskFullError", "StoreError", "TransitionError", "as_store_error", "error_class", "is_corruption",
    # values, rows and pure decisions
    "DISK_LOW_NOTICE_INTERVAL", "NOTICE_KINDS", "SUBMISSION_COLUMNS", "Outgoing", "Stats", "StoreNotice", "SyncState",
    "blob_rows", "created_sort_key", "disk_low_due", "next_status", "stats_from_groups", "submission_from_row",
    "submission_row", "sync_state_from_row",
    # the schema
    "MIGRATIONS", "NO_CONSENT_REASON", "SCHEMA_VERSION", "UNFINISHED_REASON", "Migration", "add_notices_and_counts",
    "add_overview_counts", "add_staff_tables", "add_sync_state", "applied_migrations", "create_submissions_and_blobs",
    "delete_submission_rows", "migrate", "migrations_to_run", "store_wire_and_sheet_text", "withhold_samples",
    "withhold_without_consent",
    # opening the file
    "BUSY_TIMEOUT_MS", "JOURNAL_SIZE_LIMIT", "aside_name", "move_aside",
]
