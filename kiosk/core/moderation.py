"""Staff moderation over the store: withhold/release, delete with a tombstone, search, drafts.

Withheld items stay in the store and in exports, marked; they are only kept
from sync. Deleting removes the submission, its blobs and its sync state, and
leaves a tombstone (id, kind, topic, time, reason), so counts stay honest.
The *second confirmation* before a delete is the UI's job; here a delete
needs a non-empty reason.

Unfinished drawings recovered after a crash (``unfinished=True``) are listed
by :func:`list_drafts`; staff keep them (they then sync like any drawing) or
discard them (a delete with a tombstone).

All SQL goes through the store's staff seam (:meth:`Store.query`,
:meth:`Store.transaction`, :func:`kiosk.core.storage.delete_submission_rows`). No Qt here.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from typing import Any

from kiosk.core.model import utc_now
from kiosk.core.storage import Store, TransitionError, delete_submission_rows

log = logging.getLogger("kiosk.moderation")

WITHHOLD_REASONS = ("insulting", "personal_data", "off_topic", "spam", "other")
"""Suggested reasons (the UI translates them); any non-empty text is accepted."""
MAX_REASON_CHARS = 500
DRAFT_DISCARD_REASON = "unfinished drawing discarded by staff"


class ModerationError(ValueError):
    """A staff action that cannot be done as asked (message in plain words)."""


@dataclass(frozen=True, slots=True)
class Tombstone:
    submission_id: str
    kind: str
    topic_id: str
    is_sample: bool
    created_key: str
    status: str
    deleted_at: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Item:
    """One row of the browse and moderate lists (no blob data)."""

    id: str
    kind: str
    topic_id: str
    goal_id: str | None
    text: str
    title: str | None
    author_name: str | None
    reference_code: str
    created_at: str
    is_sample: bool
    unfinished: bool
    status: str
    withheld_reason: str | None
    last_error: str | None


def clean_reason(reason: str) -> str:
    """The reason as stored: stripped, not empty, at most :data:`MAX_REASON_CHARS`."""
    text = " ".join((reason or "").split())
    if not text:
        raise ModerationError("a reason is needed")
    return text[:MAX_REASON_CHARS]


# ---------------------------------------------------------------- withhold / release


def withhold(store: Store, submission_id: str, reason: str) -> None:
    """Keep an item from sync, with a reason. Raises ModerationError if already delivered."""
    try:
        store.withhold(submission_id, clean_reason(reason))
    except TransitionError as exc:
        raise ModerationError(str(exc)) from None
    except KeyError:
        raise ModerationError(f"no submission {submission_id}") from None


def release(store: Store, submission_id: str) -> None:
    """A withheld item becomes pending again (it will sync)."""
    try:
        store.release(submission_id)
    except KeyError:
        raise ModerationError(f"no submission {submission_id}") from None


# ---------------------------------------------------------------- delete


def delete(store: Store, submission_id: str, reason: str) -> Tombstone:
    """Remove a submission, its blobs and sync state; leave a tombstone. One transaction."""
    why = clean_reason(reason)
    with store.transaction(f"could not change {submission_id}") as conn:
        row = conn.execute("SELECT s.kind, s.topic_id, s.is_sample, s.created_key, st.status "
                           "FROM submissions AS s LEFT JOIN sync_state AS st ON st.submission_id = s.id "
                           "WHERE s.id = ?", (submission_id,)).fetchone()
        if row is None:
            raise ModerationError(f"no submission {submission_id}")
        stone = Tombstone(submission_id, row[0], row[1], bool(row[2]), row[3], row[4] or "pending",
                          utc_now(), why)
        # The id may have a tombstone already: deleted, brought back (an import), deleted again.
        # The latest deletion is the one that holds.
        conn.execute("INSERT OR REPLACE INTO staff_tombstones VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (stone.submission_id, stone.kind, stone.topic_id, int(stone.is_sample),
                      stone.created_key, stone.status, stone.deleted_at, stone.reason))
        delete_submission_rows(conn, submission_id)
    log.info("deleted submission %s (was %s), tombstone kept", submission_id, stone.status)
    return stone


def tombstones(store: Store) -> list[Tombstone]:
    rows = store.query("SELECT submission_id, kind, topic_id, is_sample, created_key, status, "
                       "deleted_at, reason FROM staff_tombstones ORDER BY deleted_at")
    return [Tombstone(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7]) for r in rows]


def purged_count(store: Store) -> int:
    rows = store.query("SELECT count(*) FROM staff_purged")
    return rows[0][0] if rows else 0


# ---------------------------------------------------------------- browse / search

_ITEM_SQL = ("SELECT s.id, s.kind, s.topic_id, s.goal_id, s.text, s.title, s.author_name, s.reference_code, "
             "s.created_at, s.is_sample, s.unfinished, st.status, st.withheld_reason, st.last_error "
             "FROM submissions AS s JOIN sync_state AS st ON st.submission_id = s.id")


def _item(row: Any) -> Item:
    return Item(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], bool(row[9]),
                bool(row[10]), row[11], row[12], row[13])


def search(store: Store, query: str = "", *, kind: str | None = "idea", status: str | None = None,
           limit: int = 200, offset: int = 0) -> list[Item]:
    """Items whose text, title, author, reference code or id contain ``query`` (any case,
    umlauts too), newest first."""
    where, params = [], []
    if kind:
        where.append("s.kind = ?")
        params.append(kind)
    if status:
        where.append("st.status = ?")
        params.append(status)
    needle = query.strip().casefold()
    if needle:
        where.append("instr(casefold(s.text || ' ' || coalesce(s.title, '') || ' ' || "
                     "coalesce(s.author_name, '') || ' ' || s.reference_code || ' ' || s.id), ?) > 0")
        params.append(needle)
    sql = _ITEM_SQL + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY s.created_key DESC, s.rowid DESC LIMIT ? OFFSET ?"
    return [_item(r) for r in store.query(sql, (*params, limit, offset))]


def item(store: Store, submission_id: str) -> Item | None:
    rows = store.query(_ITEM_SQL + " WHERE s.id = ?", (submission_id,))
    return _item(rows[0]) if rows else None


def drawing_png(store: Store, submission_id: str) -> bytes | None:
    rows = store.query("SELECT data FROM blobs WHERE submission_id = ? AND role = 'png'", (submission_id,))
    return bytes(rows[0][0]) if rows else None


# ---------------------------------------------------------------- drafts


def list_drafts(store: Store) -> list[Item]:
    """Unfinished drawings that staff have not decided on yet, oldest first."""
    sql = (_ITEM_SQL + " WHERE s.unfinished = 1 AND s.id NOT IN "
           "(SELECT submission_id FROM staff_draft_decisions) ORDER BY s.created_key")
    return [_item(r) for r in store.query(sql)]


def keep_draft(store: Store, submission_id: str) -> None:
    """Keep a recovered drawing as a contribution: no longer listed; released if it was withheld."""
    with store.transaction(f"could not change {submission_id}") as conn:
        if conn.execute("SELECT 1 FROM submissions WHERE id = ? AND unfinished = 1",
                        (submission_id,)).fetchone() is None:
            raise ModerationError(f"no unfinished drawing {submission_id}")
        conn.execute("INSERT OR REPLACE INTO staff_draft_decisions VALUES (?, 'keep', ?)",
                     (submission_id, utc_now()))
    state = store.sync_state(submission_id)
    if state is not None and state.status == "withheld":
        store.release(submission_id)
    log.info("kept recovered draft %s", submission_id)


def discard_draft(store: Store, submission_id: str) -> Tombstone:
    """Discard a recovered drawing: deleted, with a tombstone."""
    found = item(store, submission_id)
    if found is None or not found.unfinished:
        raise ModerationError(f"no unfinished drawing {submission_id}")
    stone = delete(store, submission_id, DRAFT_DISCARD_REASON)
    with store.transaction(f"could not change {submission_id}") as conn:
        conn.execute("INSERT OR REPLACE INTO staff_draft_decisions VALUES (?, 'discard', ?)",
                     (submission_id, utc_now()))
    return stone


def receipt_of(store: Store, submission_id: str) -> dict | None:
    rows = store.query("SELECT receipt FROM sync_state WHERE submission_id = ?", (submission_id,))
    return json.loads(rows[0][0]) if rows and rows[0][0] else None
