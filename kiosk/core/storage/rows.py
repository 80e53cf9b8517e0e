"""Pure decisions of the store: values and rows, sync states, statistics.

What the :class:`~kiosk.core.storage.store.Store` hands out (:class:`StoreNotice`,
:class:`Outgoing`, :class:`SyncState`, :class:`Stats`), how a submission maps to
its ``submissions`` and ``blobs`` rows and back, which sync status an action
leads to, how counts fold into :class:`Stats`, and when staff hear of low disk
again. Nothing here opens a file or runs SQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from typing import Any

from kiosk.core.model import SYNC_STATES, Blob, PlatformItemRef, Submission, canonical_json
from kiosk.core.sheet import own_cells_text
from kiosk.core.storage.errors import TransitionError

NOTICE_KINDS = ("moved_aside", "disk_low", "recovered_draft")
DISK_LOW_NOTICE_INTERVAL = timedelta(hours=1)
"""At most one ``disk_low`` notice per this interval, so staff are told, not spammed."""


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


SUBMISSION_COLUMNS = tuple(f.name for f in fields(Submission) if f.name != "blobs")
_BOOL_COLUMNS = ("lives_here", "consent_given", "is_sample", "unfinished")


def platform_item_text(ref: PlatformItemRef | None) -> str | None:
    """How the ``platform_item`` column keeps a reference: its wire object as canonical JSON."""
    return None if ref is None else canonical_json(ref.to_wire()).decode("utf-8")


def _parse_utc(text: str) -> datetime:
    """An RFC 3339 time, parsed the way ``model.validate`` parses it."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def created_sort_key(created_at: str) -> str:
    """``created_at`` as a string that sorts chronologically (UTC, microseconds, ``Z``)."""
    return _parse_utc(created_at).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def submission_row(sub: Submission) -> dict[str, Any]:
    """The ``submissions`` row for a submission (blobs go to :func:`blob_rows`)."""
    row = {name: getattr(sub, name) for name in SUBMISSION_COLUMNS}
    row["platform_item"] = platform_item_text(sub.platform_item)
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
    if values["platform_item"] is not None:
        values["platform_item"] = PlatformItemRef.from_wire(json.loads(values["platform_item"]))
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
