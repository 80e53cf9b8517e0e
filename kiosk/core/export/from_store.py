"""Exporting a kiosk's own store: :func:`export_store`, straight from the store's rows.

:func:`export_store` does not rebuild a :class:`~kiosk.core.model.Submission`
per row: for each submission it writes what the store wrote down when it
stored it (schema v8): its canonical JSON (``wire``) and the ``ideas.csv``
text of its own cells (``sheet_cells``). One statement (:data:`_EXPORT_SQL`)
adds only what can change after that: the sync part of the JSONL line, and the
CSV cells that depend on the export (local time, topic titles from the
config, sync status and reason). Those come in few distinct values, each
made once in Python and joined from a temporary table (a value the table
lacks is made by an SQL function instead). So the per-row work stays in
SQLite's C code, and both lines reach Python as UTF-8 bytes, ready to write.
JSON strings come from SQLite's ``json_quote`` (the same escapes as Python's
json with ``ensure_ascii=False``; checked before each export by
:func:`_sqlite_json_matches`, else the export takes the slow path). ``id``,
``reference_code`` and the sync status need neither quotes nor a formula guard:
the model accepts only UUIDs, codes and states. ``created_at`` is a time the
model parsed, so it starts with a digit; one whose separator would need
quotes (``fromisoformat`` takes any character between date and time) leaves the
CSV line NULL, and the row is rebuilt on the slow path.
Blobs follow in a second pass over the same snapshot, each hashed once, as
it is written. All of it goes through :mod:`kiosk.core.export.write`.

``tests/core/test_export_lines.py`` holds both lines byte-equal to
:meth:`BundleItem.line` and :func:`csv_row` for arbitrary text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from kiosk.core.export.bundle import BundleItem, BundleMeta, Titles, local_time, title_cells
from kiosk.core.export.write import (_CSV, _LINE, PROGRESS_EVERY, ExportResult, Progress, _BlobOut,
                                     _entry_from_item, _write_bundle, write_bundle)
from kiosk.core.model import utc_now
from kiosk.core.sheet import cells_text

_EXPORT_SQL = """
    SELECT s.id, s.kind, st.status, s.is_sample, s.unfinished,
        CAST('{"submission":' || s.wire || ',"sync":{"receipt":' || coalesce(st.receipt, 'null')
             || ',"status":' || json_quote(st.status)
             || ',"withheld_reason":' || json_quote(st.withheld_reason) || '}}' AS BLOB) AS line,
        CASE WHEN s.kind = 'idea' AND NOT (instr(s.created_at, ';') OR instr(s.created_at, '"')
                                          OR instr(s.created_at, char(10)) OR instr(s.created_at, char(13)))
        THEN CAST(
            s.id || ';' || s.reference_code || ';' || s.created_at || ';'
            || coalesce(xm.local || substr(s.created_key, 17, 3), export_local_time(s.created_key)) || ';'
            || coalesce(xt.cells, export_title_cells(s.topic_id, s.goal_id)) || ';'
            || s.sheet_cells || ';' || st.status || ';'
            || CASE WHEN st.withheld_reason IS NULL THEN ''
                    ELSE coalesce(xr.cell, export_cell(st.withheld_reason)) END
            || char(13, 10) AS BLOB) END AS csv
    FROM submissions AS s
    JOIN sync_state AS st ON st.submission_id = s.id
    LEFT JOIN temp.export_minutes AS xm ON xm.minute = substr(s.created_key, 1, 16)
    LEFT JOIN temp.export_titles AS xt ON xt.topic_id = s.topic_id AND xt.goal_id = coalesce(s.goal_id, '')
    LEFT JOIN temp.export_reasons AS xr ON xr.reason = st.withheld_reason
    ORDER BY s.created_key, s.kind, s.rowid
"""
"""The statement behind :func:`_store_batches`: id, kind, status, is_sample, unfinished,
the ``submissions.jsonl`` line (no newline) and, for ideas, the ``ideas.csv`` line (with
CRLF), both as bytes. Oldest first (equal times: drawings, then ideas, then as stored),
walking the ``(created_key, kind)`` index, so nothing is sorted."""

_JSON_PROBE = "".join(map(chr, range(0x20))) + '"\\/\x7f\x80\xa0\u2028\u2029\ufeff\uffff\U0001f600 äöüß'


def _sqlite_json_matches(store: Any) -> bool:
    """Whether this SQLite writes JSON strings exactly as ``canonical_json`` does (3.38+ do)."""
    try:
        got = store.query("SELECT json_quote(?)", (_JSON_PROBE,))[0][0]
    except Exception:  # noqa: BLE001 - no JSON functions at all: the slow path will do
        return False
    return got == json.dumps(_JSON_PROBE, ensure_ascii=False)


class _LocalTimes:
    """:func:`local_time` from ``created_key`` (normalised UTC), computed once per minute.

    Offsets change only on whole minutes, so the minute fixes the local minute
    and the seconds carry over. A zone whose offset has seconds (historic local
    mean time) takes the slow path.
    """

    def __init__(self) -> None:
        self._minutes: dict[str, str | None] = {}

    def minute(self, minute: str) -> str | None:
        """``YYYY-MM-DD HH:MM`` local for a UTC ``YYYY-MM-DDTHH:MM``; None where seconds would not carry over."""
        prefix = self._minutes.get(minute, "")
        if prefix == "":
            when = datetime.fromisoformat(minute + ":00+00:00").astimezone()
            offset = when.utcoffset()
            prefix = when.strftime("%Y-%m-%d %H:%M") if offset is not None and offset.seconds % 60 == 0 else None
            self._minutes[minute] = prefix
        return prefix

    def __call__(self, created_key: str) -> str:
        prefix = self.minute(created_key[:16])
        if prefix is None:
            return local_time(created_key)
        return f"{prefix}:{created_key[17:19]}"


def _title_cells_text(titles: Titles, topic_id: str, goal_id: str | None) -> str:
    """:func:`title_cells` as they stand in a line of ``ideas.csv``."""
    return cells_text(title_cells(titles, topic_id, goal_id))


_MINUTE_TABLE_HOURS = 24 * 31
"""Up to a month of hours gets a minute table; beyond (a permanent installation), the
statement's function makes each minute as it comes (cached), so no time goes into
minutes that hold nothing."""


def _lookup_tables(store: Any, titles: Titles, local: _LocalTimes) -> dict[str, Any]:
    """The temporary tables :data:`_EXPORT_SQL` joins: every value it will most likely need.

    Minutes of every hour the store counts (``submission_hours``), titles of every
    configured topic and goal, the withheld reasons that stand (``sync_reason_counts``).
    A value missing here is still right: the statement calls a function for it.
    """
    minutes = []
    hours = store.query("SELECT DISTINCT hour FROM submission_hours WHERE n > 0")
    for (hour,) in hours if len(hours) <= _MINUTE_TABLE_HOURS else ():
        for m in range(60):
            minute = f"{hour}:{m:02d}"
            if len(minute) == 16 and (prefix := local.minute(minute)) is not None:
                minutes.append((minute, prefix))
    pairs = [(topic, None) for topic in titles.topics] + list(titles.goals)
    reasons = [r[0] for r in store.query("SELECT DISTINCT reason FROM sync_reason_counts WHERE n > 0")]
    return {
        "export_minutes": (("minute", "local"), minutes),
        "export_titles": (("topic_id", "goal_id", "cells"),
                          [(t, g or "", _title_cells_text(titles, t, g)) for t, g in pairs]),
        "export_reasons": (("reason", "cell"), [(r, cells_text([r])) for r in reasons if r]),
    }


def _store_batches(store: Any, titles: Titles) -> Iterator[list[tuple[Any, ...]]]:
    """Every submission of ``store``, oldest first, :data:`PROGRESS_EVERY` at a time, as rows
    shaped like :class:`_Entry` without blobs (see :data:`_EXPORT_SQL`)."""
    local = _LocalTimes()
    functions = {"export_local_time": local, "export_cell": lambda reason: cells_text([reason]),
                 "export_title_cells": lambda t, g: _title_cells_text(titles, t, g)}
    with closing(store.stream(_EXPORT_SQL, functions=functions, tables=_lookup_tables(store, titles, local),
                              batch=PROGRESS_EVERY)) as batches:
        for batch in batches:
            if any(row[_LINE] is None or (row[_CSV] is None and row[1] == "idea") for row in batch):
                batch = [_with_lines(store, row, titles) for row in batch]  # rows stored without their texts
            yield batch


def _with_lines(store: Any, row: tuple[Any, ...], titles: Titles) -> tuple[Any, ...]:
    """``row`` with both lines, rebuilt from the submission's columns where they are missing."""
    if row[_LINE] is not None and (row[_CSV] is not None or row[1] != "idea"):
        return row
    return (*row[:_LINE], *_lines_of(store, row[0], titles))


def _lines_of(store: Any, submission_id: str, titles: Titles) -> tuple[bytes, bytes | None]:
    """Both lines of one submission, rebuilt from its columns (the slow path)."""
    sub = store.get(submission_id, verify_blobs=False)
    status, reason, receipt = store.query("SELECT status, withheld_reason, receipt FROM sync_state "
                                          "WHERE submission_id = ?", (submission_id,))[0]
    entry = _entry_from_item(BundleItem(sub, status, reason, json.loads(receipt) if receipt else None), titles)
    return entry.line, entry.csv


def _store_blobs(store: Any) -> Iterator[_BlobOut]:
    """Every blob of ``store``, in no particular order (the manifest sorts)."""
    with closing(store.stream("SELECT submission_id, role, sha256, size, data FROM blobs")) as rows:
        yield from rows


def store_items(store: Any) -> Iterator[BundleItem]:
    """Every submission of ``store``, oldest first, with its sync status, withheld reason and receipt."""
    states = {row[0]: tuple(row[1:]) for row in store.query(
        "SELECT submission_id, status, withheld_reason, receipt FROM sync_state")}
    for sub in store.iter_submissions():
        status, reason, receipt = states.get(sub.id, ("pending", None, None))
        yield BundleItem(sub, status, reason, json.loads(receipt) if receipt else None)


def estimate_bytes(store: Any) -> int:
    """A lower bound of the bundle's size: blob bytes plus a little per submission."""
    rows = store.query("SELECT coalesce(sum(size), 0) FROM blobs")
    return (rows[0][0] if rows else 0) + 200 * store.count()


def export_store(store: Any, config: Any, out: Path, *, progress: Progress | None = None,
                 opener: Callable[[Path], BinaryIO] | None = None, now: str | None = None) -> ExportResult:
    """Export everything ``store`` holds (withheld and samples too, marked) to ``out``.

    Raises:
        ExportError: the drive is missing, full, or was pulled; nothing is left under the final name.
    """
    from kiosk.core import moderation

    meta = BundleMeta(kiosk_id=config.kiosk.id, event_id=config.event.id, exported_at=now or utc_now())
    stones = [t.as_dict() for t in moderation.tombstones(store)]
    purged = moderation.purged_count(store)
    titles = Titles.from_config(config)
    common = dict(meta=meta, titles=titles, total=store.count(), tombstones=stones, extra_counts={"purged": purged},
                  needed_bytes=estimate_bytes(store), progress=progress, opener=opener)
    if not _sqlite_json_matches(store):  # an SQLite that escapes differently: rebuild every submission
        return write_bundle(out, store_items(store), **common)
    with store.snapshot(), closing(_store_batches(store, titles)) as batches:  # rows and blobs of one moment
        return _write_bundle(out, batches, blobs=lambda: _store_blobs(store), **common)
