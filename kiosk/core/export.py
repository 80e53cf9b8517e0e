"""The export bundle: everything a kiosk holds, in one ZIP that staff carry home.

``docs/export-format.md`` describes the bundle; :data:`FORMAT_VERSION` is its
version. In short::

    submissions.jsonl          one line per submission: {"submission": <wire form>, "sync": {...}}
    ideas.csv                  UTF-8 with BOM, ';'-separated, one row per idea, topic titles
    drawings/<id>.png          a drawing as the child saw it
    drawings/<id>.strokes.json the strokes it was painted with
    manifest.json              format version, kiosk, event, time, counts, sha256+size of every file

Writing is crash- and stick-safe: the ZIP goes to a temporary name beside the
target, is fsynced, renamed into place and the directory fsynced. A full or
vanished drive raises :class:`ExportError` with a message for staff, and
nothing is left under the final name. :func:`verify_bundle` reads a bundle
back and checks every digest, size and count.

:func:`write_bundle` takes plain :class:`BundleItem` values, so the receiver
can write the same format from what it stored. :func:`export_store` does not
rebuild a :class:`Submission` per row: it writes the canonical JSON and sheet
text the store kept when each submission was stored, adding only what changed
since (sync state, local time, titles), which keeps a large export close to
the cost of zipping its files. No Qt here.
"""

from __future__ import annotations

import collections
import csv
import errno
import hashlib
import io
import itertools
import json
import operator
import os
import queue
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from kiosk import __version__
from kiosk.core.fsutil import fsync_dir
from kiosk.core.model import SchemaError, Submission, canonical_json, submission_from_wire, utc_now
from kiosk.core.sheet import (CSV_DIALECT, FORMULA_PREFIXES, cells_text, csv_line, guarded, own_cells,
                         spreadsheet_safe)
from kiosk.core.storage import SUBMISSION_COLUMNS

__all__ = ["CSV_DIALECT", "FORMULA_PREFIXES", "ExportError", "ExportResult", "BundleItem", "BundleMeta", "Titles",
           "VerifyReport", "csv_header", "csv_line", "csv_row", "export_store", "iter_bundle", "spreadsheet_safe",
           "verify_bundle", "write_bundle"]

FORMAT_NAME = "smart-city-kiosk-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUBMISSIONS = "submissions.jsonl"
IDEAS_CSV = "ideas.csv"
DRAWINGS_DIR = "drawings/"
BLOB_SUFFIX = {"png": ".png", "strokes": ".strokes.json"}

PROGRESS_EVERY = 100
_SPOOL_BYTES = 64 * 1024 * 1024
_VANISHED = {errno.ENOENT, errno.EIO, errno.ENODEV, errno.ENXIO, errno.ESTALE, errno.EROFS,
             errno.EACCES, errno.EPERM, errno.ENOTDIR}

Progress = Callable[[int, int], None]
"""``progress(done, total)``: items written so far, of how many."""


class ExportError(Exception):
    """The export could not be written; the message is for staff, in plain words.

    Nothing is left under the final file name when this is raised.
    """


@dataclass(frozen=True, slots=True)
class BundleMeta:
    kiosk_id: str
    event_id: str
    exported_at: str = field(default_factory=utc_now)
    app_version: str = __version__
    source: str = "kiosk"


@dataclass(frozen=True, slots=True)
class BundleItem:
    """One submission and what the exporter knows about its delivery.

    ``delivered_by`` is set only in a receiver's bundle: who delivered the item
    to the receiver (the kiosk id of the token, or ``bundle:<kiosk id>``). A
    kiosk's lines leave it out, so they are byte-for-byte what they were.
    """

    submission: Submission
    status: str = "pending"
    withheld_reason: str | None = None
    receipt: dict | None = None
    delivered_by: str | None = None

    def line(self) -> bytes:
        sync = {"status": self.status, "withheld_reason": self.withheld_reason, "receipt": self.receipt}
        if self.delivered_by is not None:
            sync["delivered_by"] = self.delivered_by
        return canonical_json({"submission": self.submission.to_wire(), "sync": sync}) + b"\n"


@dataclass(frozen=True, slots=True)
class Titles:
    """Topic and goal titles per language, for the CSV. Empty for a receiver without config."""

    languages: tuple[str, ...] = ()
    topics: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    goals: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Any) -> Titles:
        topics = {t.id: dict(t.title) for t in config.topics}
        goals = {(t.id, g.id): dict(g.title) for t in config.topics for g in t.goals}
        return cls(tuple(config.kiosk.languages), topics, goals)

    def topic(self, topic_id: str, lang: str) -> str:
        return self.topics.get(topic_id, {}).get(lang, "")

    def goal(self, topic_id: str, goal_id: str | None, lang: str) -> str:
        return self.goals.get((topic_id, goal_id or ""), {}).get(lang, "")


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    items: int
    ideas: int
    drawings: int
    withheld: int
    samples: int
    files: int
    bytes: int


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What :func:`verify_bundle` found. ``ok`` only when ``problems`` is empty."""

    path: Path
    problems: tuple[str, ...]
    counts: Mapping[str, int]
    files: int
    bytes: int

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def failed_file(self) -> str | None:
        """The bundle member named by the first problem, if any."""
        return self.problems[0].split(":", 1)[0] if self.problems else None


# ---------------------------------------------------------------- pure parts


def bundle_name(meta: BundleMeta) -> str:
    """``<kiosk>_<event>_<UTC time>.zip``, safe on FAT-formatted sticks (no ':')."""
    stamp = meta.exported_at[:19].replace("-", "").replace(":", "")
    return f"{meta.kiosk_id}_{meta.event_id}_{stamp}Z.zip"


def blob_member(submission_id: str, role: str) -> str:
    return f"{DRAWINGS_DIR}{submission_id}{BLOB_SUFFIX[role]}"


def local_time(created_at: str) -> str:
    """``created_at`` in this machine's time zone, as a spreadsheet reads it."""
    when = datetime.fromisoformat(created_at.replace("Z", "+00:00")).astimezone()
    return when.strftime("%Y-%m-%d %H:%M:%S")


def csv_header(titles: Titles) -> list[str]:
    head = ["id", "reference_code", "created_at_utc", "created_local", "topic_id"]
    head += [f"topic_title_{lang}" for lang in titles.languages]
    head += ["goal_id"] + [f"goal_title_{lang}" for lang in titles.languages]
    head += ["title", "text", "author_name", "age_group", "district", "lives_here", "locale",
             "consent_given", "consent_version", "is_sample", "unfinished", "kiosk_id", "event_id",
             "sync_status", "withheld_reason"]
    return head


def csv_row(item: BundleItem, titles: Titles) -> list[str]:
    s = item.submission
    return csv_cells({name: getattr(s, name) for name in SUBMISSION_COLUMNS}, item.status,
                     item.withheld_reason, titles)


def csv_cells(s: Mapping[str, Any], status: str, withheld_reason: str | None, titles: Titles) -> list[str]:
    """The ``ideas.csv`` row of one submission, given its fields by name (a store row will do:
    flags may be 0/1 as well as booleans)."""
    topic_id, goal_id, created_at = s["topic_id"], s["goal_id"], s["created_at"]
    row = [s["id"], s["reference_code"], created_at, local_time(created_at)]
    row += title_cells(titles, topic_id, goal_id)
    return guarded(row) + own_cells(s) + guarded([status, withheld_reason or ""])


def title_cells(titles: Titles, topic_id: str, goal_id: str | None) -> list[str]:
    """``topic_id``, its titles, ``goal_id``, its titles: the sheet's cells after ``created_local``."""
    langs = titles.languages
    return ([topic_id] + [titles.topic(topic_id, lang) for lang in langs] + [goal_id or ""]
            + [titles.goal(topic_id, goal_id, lang) for lang in langs])


def new_counts() -> dict[str, int]:
    return {"submissions": 0, "ideas": 0, "drawings": 0, "withheld": 0, "samples": 0,
            "unfinished": 0, "blobs": 0}


def count_item(counts: dict[str, int], item: BundleItem) -> None:
    s = item.submission
    _count(counts, s.kind, item.status, s.is_sample, s.unfinished, len(s.blobs))


def _count(counts: dict[str, int], kind: str, status: str, is_sample: Any, unfinished: Any, blobs: int,
           n: int = 1) -> None:
    """Count ``n`` submissions alike."""
    counts["submissions"] += n
    counts["ideas" if kind == "idea" else "drawings"] += n
    counts["withheld"] += n * (status == "withheld")
    counts["samples"] += n * bool(is_sample)
    counts["unfinished"] += n * bool(unfinished)
    counts["blobs"] += n * blobs


_LINE, _CSV = 5, 6  # where _Entry and the rows of _EXPORT_SQL hold the two lines
_TALLY = operator.itemgetter(1, 2, 3, 4)  # kind, status, is_sample, unfinished: what the counts need


class _Entry(NamedTuple):
    """One submission as the ZIP writer needs it, however it was read (a tuple: made per row).

    Attributes:
        line: its ``submissions.jsonl`` line, UTF-8, without the newline.
        csv: its ``ideas.csv`` line, UTF-8, with CRLF, or None (drawings).
        blobs: ``(role, sha256, size, data)`` in position order; ``sha256`` and
            ``size`` as the line references them, checked against ``data`` when written.
    """

    id: str
    kind: str
    status: str
    is_sample: bool
    unfinished: bool
    line: bytes
    csv: bytes | None
    blobs: tuple[tuple[str, str, int, bytes], ...]


def _entry_from_item(item: BundleItem, titles: Titles) -> _Entry:
    s = item.submission
    return _Entry(s.id, s.kind, item.status, s.is_sample, s.unfinished, item.line()[:-1],
                  csv_line(csv_row(item, titles)).encode("utf-8") if s.kind == "idea" else None,
                  tuple((b.role, b.sha256, b.size, b.data) for b in s.blobs))


# ---------------------------------------------------------------- straight from the store's rows
#
# The export of a kiosk's own store writes, for each submission, what the
# store wrote down when it stored it (schema v8): its canonical JSON (``wire``)
# and the ideas.csv text of its own cells (``sheet_cells``). One statement adds
# only what can change after that: the sync part of the JSONL line, and the
# CSV cells that depend on the export (local time, topic titles from the
# config, sync status and reason). Those come in few distinct values, each
# made once in Python and joined from a temporary table (a value the table
# lacks is made by an SQL function instead). So the per-row work stays in
# SQLite's C code, and both lines reach Python as UTF-8 bytes, ready to write.
# JSON strings come from SQLite's json_quote (the same escapes as Python's
# json with ensure_ascii=False; checked before each export by
# _sqlite_json_matches, else the export takes the slow path). id,
# reference_code and the sync status need neither quotes nor a formula guard:
# the model accepts only UUIDs, codes and states. created_at is a time the
# model parsed, so it starts with a digit; one whose separator would need
# quotes (fromisoformat takes any character between date and time) leaves the
# CSV line NULL, and the row is rebuilt on the slow path.
# Blobs follow in a second pass over the same snapshot, each hashed once, as
# it is written.
# tests/core/test_export_lines.py holds both lines byte-equal to
# BundleItem.line() and csv_row() for arbitrary text.

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


def describe_os_error(exc: OSError, directory: Path, name: str, needed: int | None = None) -> str:
    """A plain sentence for staff about why writing to ``directory`` failed."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        need = f" The export needs about {human_bytes(needed)}." if needed else ""
        return (f"The drive at {directory} is full.{need} Nothing was saved as {name}; "
                "free some space or use a bigger stick, then export again.")
    if exc.errno in _VANISHED:
        return (f"The drive at {directory} was removed or cannot be written "
                f"({exc.strerror or exc}). Nothing was saved as {name}; "
                "plug it in again and export once more.")
    return f"Writing to {directory} failed ({exc.strerror or exc}). Nothing was saved as {name}."


def human_bytes(n: int | None) -> str:
    if n is None:
        return "?"
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} bytes"


# ---------------------------------------------------------------- writing


class _HashingWriter:
    """Copies into a zip member while hashing and counting."""

    def __init__(self, target: BinaryIO) -> None:
        self.target = target
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.size += len(data)
        self.target.write(data)


def _drop_cache(fh: Any) -> None:
    """Ask the kernel to forget the file's pages, so the read-back reads the drive."""
    advise = getattr(os, "posix_fadvise", None)
    try:
        if advise is not None:
            advise(fh.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    except (OSError, AttributeError, ValueError):
        pass


def resolve_target(out: Path, meta: BundleMeta) -> Path:
    """The final file: ``out`` itself if it names a .zip, else a generated name inside it."""
    out = Path(out)
    if out.suffix.lower() == ".zip" and not out.is_dir():
        return out
    return out / bundle_name(meta)


def write_bundle(out: Path, items: Iterable[BundleItem], *, meta: BundleMeta, titles: Titles,
                 total: int = 0, tombstones: Iterable[Mapping[str, Any]] = (),
                 extra_counts: Mapping[str, int] | None = None, needed_bytes: int | None = None,
                 progress: Progress | None = None,
                 opener: Callable[[Path], BinaryIO] | None = None) -> ExportResult:
    """Write a bundle of ``items`` to ``out`` (a directory or a ``.zip`` path), atomically.

    Args:
        total: how many items to expect, for ``progress`` only.
        tombstones: records of deleted submissions (id, deleted_at, reason, ...), listed in the manifest.
        extra_counts: further counts for the manifest (e.g. ``purged``).
        needed_bytes: an estimate of the bundle size; refused up front when the drive has less free.
        opener: opens the temporary file for writing (tests pass one that fails like a full drive).

    Raises:
        ExportError: the drive is missing, full, or was pulled; nothing is left under the final name.
    """
    entries = (_entry_from_item(item, titles) for item in items)
    batches = iter(lambda: list(itertools.islice(entries, PROGRESS_EVERY)), [])
    return _write_bundle(out, batches, meta=meta, titles=titles, total=total, tombstones=tombstones,
                         extra_counts=extra_counts, needed_bytes=needed_bytes, progress=progress, opener=opener)


def _write_bundle(out: Path, batches: Iterable[Sequence[_Entry]], *, meta: BundleMeta, titles: Titles,
                  total: int = 0, tombstones: Iterable[Mapping[str, Any]] = (),
                  extra_counts: Mapping[str, int] | None = None, needed_bytes: int | None = None,
                  progress: Progress | None = None, opener: Callable[[Path], BinaryIO] | None = None,
                  blobs: Callable[[], Iterable[_BlobOut]] | None = None) -> ExportResult:
    """:func:`write_bundle` over prepared entries, in batches (see there; ``blobs`` as in :func:`_write_zip`)."""
    target = resolve_target(out, meta)
    directory = target.parent
    if not directory.is_dir():
        raise ExportError(f"The folder {directory} does not exist (is the stick plugged in?).")
    if target.exists():
        raise ExportError(f"{target} already exists; choose another name or folder.")
    if needed_bytes:
        try:
            free = shutil.disk_usage(directory).free
        except OSError as exc:
            raise ExportError(describe_os_error(exc, directory, target.name)) from None
        if free < needed_bytes:
            raise ExportError(f"The drive at {directory} has {human_bytes(free)} free, but the export "
                              f"needs about {human_bytes(needed_bytes)}. Nothing was saved.")
    tmp = directory / f".{target.name}.partial-{os.getpid()}"
    open_file = opener or (lambda p: open(p, "xb"))  # noqa: SIM115 - closed below
    try:
        fh = open_file(tmp)
        try:
            result = _write_zip(fh, batches, meta=meta, titles=titles, total=total, tombstones=tombstones,
                                extra_counts=extra_counts or {}, progress=progress, blobs=blobs)
            fh.flush()
            os.fsync(fh.fileno())
            _drop_cache(fh)
        finally:
            fh.close()
        if target.exists():  # someone else wrote it meanwhile: never replace a bundle
            raise FileExistsError(errno.EEXIST, "exists", str(target))
        os.rename(tmp, target)
        fsync_dir(directory)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # the drive is gone; the temporary name is all that could remain
        if isinstance(exc, FileExistsError):
            raise ExportError(f"{target} already exists; choose another name or folder.") from None
        if isinstance(exc, OSError):
            raise ExportError(describe_os_error(exc, directory, target.name, needed_bytes)) from exc
        raise
    size = target.stat().st_size
    return ExportResult(path=target, items=result["submissions"], ideas=result["ideas"],
                        drawings=result["drawings"], withheld=result["withheld"],
                        samples=result["samples"], files=result["files"], bytes=size)


_BlobOut = tuple[str, str, str, int, bytes]
"""``(submission_id, role, sha256, size, data)`` of one blob to write."""


class _Sink:
    """Where ``submissions.jsonl`` goes while the entries are read: straight into its
    ZIP member, or (when blob members must be written in between) a spool first.

    Straight into the member, the compressing and writing happen on a thread of
    their own, so they overlap with reading the next rows (zlib, hashing, file
    writes and SQLite all let go of the GIL while they work; with a second core
    free this took a fifth off a large export). Nothing else touches the ZIP
    file until :meth:`finish` or :meth:`abort` has joined that thread. A write
    that failed there (a full or pulled drive) is raised by the next
    :meth:`write` or by :meth:`finish`.
    """

    def __init__(self, zf: zipfile.ZipFile, direct: bool) -> None:
        self.zf = zf
        self.spool: Any = None if direct else tempfile.SpooledTemporaryFile(_SPOOL_BYTES)
        self.member: Any = zf.open(SUBMISSIONS, "w") if direct else None
        self.hashing = _HashingWriter(self.member) if direct else None
        self._error: BaseException | None = None
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._thread: threading.Thread | None = None
        if direct:
            thread = threading.Thread(target=self._drain, name="export-jsonl", daemon=True)
            try:
                thread.start()
            except BaseException:
                self.abort()  # the member is open: close it, or the ZIP cannot close and hides this error
                raise
            self._thread = thread

    def _drain(self) -> None:
        assert self.hashing is not None
        while (chunk := self._chunks.get()) is not None:
            if self._error is None:
                try:
                    self.hashing.write(chunk)
                except BaseException as exc:  # noqa: BLE001 - handed to the exporting thread
                    self._error = exc  # and keep taking chunks, so the writer never blocks

    def _join(self) -> None:
        if self._thread is not None:
            self._chunks.put(None)
            self._thread.join()
            self._thread = None

    def write(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        if self._thread is None:
            (self.hashing or self.spool).write(data)
        else:
            self._chunks.put(data)

    def abort(self) -> None:
        """After a failure: let go of the member (its errors do not matter then), so the
        ZIP file can close and the original error reaches the caller."""
        self._join()
        for handle in (self.member, self.spool):
            if handle is not None:
                try:
                    handle.close()
                except Exception:  # noqa: BLE001 - the drive is full or gone; already failing
                    pass

    def finish(self) -> dict[str, Any]:
        """Close the member (copying the spool into it first); its manifest entry."""
        if self.spool is not None:
            with self.spool, self.zf.open(SUBMISSIONS, "w") as member:
                self.hashing = _HashingWriter(member)
                self.spool.seek(0)
                while chunk := self.spool.read(1024 * 1024):
                    self.hashing.write(chunk)
        else:
            self._join()
            if self._error is not None:
                raise self._error
            self.member.close()
        assert self.hashing is not None
        return {"path": SUBMISSIONS, "sha256": self.hashing.sha.hexdigest(), "size": self.hashing.size}


def _write_blob(zf: zipfile.ZipFile, blob: _BlobOut, files: list[dict[str, Any]]) -> None:
    """One blob member, its digest checked on the bytes written (one hash, no second read)."""
    submission_id, role, sha256, size, data = blob
    name = blob_member(submission_id, role)
    zf.writestr(name, data, compress_type=zipfile.ZIP_STORED if role == "png" else zipfile.ZIP_DEFLATED)
    if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
        raise ExportError(f"The {role} of submission {submission_id} is damaged in the kiosk's database "
                          "(it no longer matches its digest). Nothing was saved; tell IT.")
    files.append({"path": name, "sha256": sha256, "size": size})


def _write_zip(fh: BinaryIO, batches: Iterable[Sequence[_Entry]], *, meta: BundleMeta, titles: Titles, total: int,
               tombstones: Iterable[Mapping[str, Any]], extra_counts: Mapping[str, int],
               progress: Progress | None, blobs: Callable[[], Iterable[_BlobOut]] | None = None) -> dict[str, int]:
    """Write the members. With ``blobs``, the entries carry none (they may be plain tuples
    shaped like :class:`_Entry` without its last field): the blobs are written after the
    entries, from ``blobs()``, and ``submissions.jsonl`` streams straight into the ZIP."""
    counts = new_counts()
    files: list[dict[str, Any]] = []
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        jsonl = _Sink(zf, direct=blobs is not None)
        try:
            _write_members(zf, jsonl, batches, titles, total, progress, blobs, counts, files)
        except BaseException:
            jsonl.abort()
            raise
        stones = [dict(t) for t in tombstones]
        zf.writestr(MANIFEST, manifest_json({
            "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "source": meta.source,
            "kiosk_id": meta.kiosk_id, "event_id": meta.event_id, "exported_at": meta.exported_at,
            "app_version": meta.app_version, "csv_dialect": "utf-8-sig;semicolon;quote-minimal;crlf",
            "csv_columns": csv_header(titles),
            "counts": {**counts, "files": len(files), "tombstones": len(stones), **extra_counts},
            "files": files, "tombstones": stones,
        }))
    if progress is not None:
        progress(counts["submissions"], max(total, counts["submissions"]))
    counts["files"] = len(files) + 1
    return counts


def _write_members(zf: zipfile.ZipFile, jsonl: _Sink, batches: Iterable[Sequence[_Entry]], titles: Titles,
                   total: int, progress: Progress | None, blobs: Callable[[], Iterable[_BlobOut]] | None,
                   counts: dict[str, int], files: list[dict[str, Any]]) -> None:
    """Every member but the manifest; fills ``counts`` and ``files`` (sorted by path).

    Entries come in batches, and each batch is joined and written at once, so
    the per-entry work is a few steps in C. ``ideas.csv`` is gathered in a
    spool (in memory up to a limit, then on disk) while the entries pass, so a
    large export does not hold every row at once.
    """
    tally: collections.Counter[tuple[str, str, bool, bool]] = collections.Counter()
    n = 0
    with tempfile.SpooledTemporaryFile(_SPOOL_BYTES) as csv_spool:
        csv_spool.write(("\ufeff" + csv_line(csv_header(titles))).encode("utf-8"))
        for batch in batches:
            n += len(batch)
            jsonl.write(b"\n".join([entry[_LINE] for entry in batch]) + b"\n")
            csv_spool.write(b"".join([entry[_CSV] for entry in batch if entry[_CSV] is not None]))
            tally.update(map(_TALLY, batch))
            if blobs is None:
                for entry in batch:
                    for role, sha256, size, data in entry.blobs:
                        _write_blob(zf, (entry.id, role, sha256, size, data), files)
                        counts["blobs"] += 1
            if progress is not None:
                progress(n, max(total, n))
        files.append(jsonl.finish())
        for (kind, status, is_sample, unfinished), alike in tally.items():
            _count(counts, kind, status, is_sample, unfinished, 0, alike)
        for blob in blobs() if blobs is not None else ():
            _write_blob(zf, blob, files)
            counts["blobs"] += 1
        csv_spool.seek(0)
        with zf.open(IDEAS_CSV, "w") as member:
            sink = _HashingWriter(member)
            while chunk := csv_spool.read(1024 * 1024):
                sink.write(chunk)
    files.append({"path": IDEAS_CSV, "sha256": sink.sha.hexdigest(), "size": sink.size})
    files.sort(key=lambda f: f["path"])


def manifest_json(manifest: Mapping[str, Any]) -> str:
    """The manifest as JSON, indented, sorted keys; each ``files`` entry on one line.

    (``json.dumps(indent=...)`` runs in pure Python, slow for thousands of files.)
    """
    head = dict(manifest, files=[])
    text = json.dumps(head, indent=1, ensure_ascii=False, sort_keys=True)
    listed = ",\n  ".join(map(_file_entry_json, manifest["files"]))
    return text.replace('"files": []', f'"files": [\n  {listed}\n ]' if listed else '"files": []', 1)


def _file_entry_json(entry: Mapping[str, Any]) -> str:
    """One ``files`` entry as ``json.dumps(entry, sort_keys=True)`` writes it (a few times faster)."""
    if entry.keys() == {"path", "sha256", "size"} and type(entry["size"]) is int \
            and isinstance(entry["sha256"], str) and entry["sha256"].isalnum() and entry["sha256"].isascii():
        return f'{{"path": {json.dumps(entry["path"], ensure_ascii=False)}, "sha256": "{entry["sha256"]}", ' \
               f'"size": {entry["size"]}}}'
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


# ---------------------------------------------------------------- from the store


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


# ---------------------------------------------------------------- reading back


def read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    manifest = json.loads(zf.read(MANIFEST))
    if manifest.get("format") != FORMAT_NAME:
        raise ValueError(f"not a {FORMAT_NAME}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"format version {manifest.get('format_version')} is not supported "
                         f"(this app reads {FORMAT_VERSION})")
    return manifest


def iter_bundle(path: Path) -> Iterator[BundleItem]:
    """The items of a bundle, rebuilt and validated (blobs from ``drawings/``).

    Raises:
        ValueError, SchemaError, zipfile.BadZipFile: the bundle is damaged; verify it first.
    """
    with zipfile.ZipFile(path) as zf:
        read_manifest(zf)
        names = set(zf.namelist())
        with zf.open(SUBMISSIONS) as lines:
            for raw in lines:
                yield _item_from_line(raw, zf, names)


def _item_from_line(raw: bytes, zf: zipfile.ZipFile, names: set[str]) -> BundleItem:
    line = json.loads(raw)
    wire, sync = line["submission"], line["sync"]
    blobs = {}
    for ref in wire.get("blobs", []):
        member = blob_member(wire.get("id", ""), ref.get("role", "png")) if ref.get("role") in BLOB_SUFFIX else ""
        if member in names:
            data = zf.read(member)
            blobs[hashlib.sha256(data).hexdigest()] = data
    sub = submission_from_wire(wire, blobs)
    return BundleItem(sub, sync["status"], sync.get("withheld_reason"), sync.get("receipt"),
                      sync.get("delivered_by"))


def verify_bundle(path: Path) -> VerifyReport:
    """Read a bundle back and check every file's digest and size, and every count.

    Each problem starts with the name of the file it is about (``ideas.csv: ...``).
    """
    path = Path(path)
    problems: list[str] = []
    counts = new_counts()
    files = total_bytes = 0

    def report() -> VerifyReport:
        return VerifyReport(path, tuple(problems), counts, files, total_bytes)

    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        problems.append(f"{path.name}: cannot be opened as a ZIP file ({exc})")
        return report()
    with zf:
        try:
            manifest = read_manifest(zf)
        except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
            problems.append(f"{MANIFEST}: missing or unreadable ({exc})")
            return report()
        listed = {f["path"]: f for f in manifest.get("files", [])}
        present = set(zf.namelist()) - {MANIFEST}
        for name in sorted(present - set(listed)):
            problems.append(f"{name}: in the ZIP but not in the manifest")
        for name in sorted(set(listed) - present):
            problems.append(f"{name}: listed in the manifest but missing")
        for name in sorted(set(listed) & present):
            digest, size, error = _digest_member(zf, name)
            if error:
                problems.append(f"{name}: damaged ({error})")
            elif size != listed[name]["size"]:
                problems.append(f"{name}: size {size}, manifest says {listed[name]['size']}")
            elif digest != listed[name]["sha256"]:
                problems.append(f"{name}: sha256 {digest}, manifest says {listed[name]['sha256']}")
            else:
                files += 1
                total_bytes += size
        if not problems:
            _check_contents(zf, present, counts, problems)
        expected = manifest.get("counts", {})
        if not problems:
            for key, value in counts.items():
                if expected.get(key) != value:
                    where = IDEAS_CSV if key == "csv_rows" else SUBMISSIONS
                    problems.append(f"{where}: {value} {key}, manifest says {expected.get(key)}")
    return report()


def _digest_member(zf: zipfile.ZipFile, name: str) -> tuple[str, int, str | None]:
    sha, size = hashlib.sha256(), 0
    try:
        with zf.open(name) as member:
            while chunk := member.read(1024 * 1024):
                sha.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return "", size, str(exc)
    except Exception as exc:  # zlib.error and friends: still a damaged member, not a bug
        return "", size, f"{exc.__class__.__name__}: {exc}"
    return sha.hexdigest(), size, None


def _check_contents(zf: zipfile.ZipFile, present: set[str], counts: dict[str, int], problems: list[str]) -> None:
    """Every line rebuilds into a valid submission whose blobs are the files beside it; CSV rows count."""
    ideas = 0
    with zf.open(SUBMISSIONS) as lines:
        for number, raw in enumerate(lines, 1):
            try:
                item = _item_from_line(raw, zf, present)
            except (ValueError, KeyError, TypeError, SchemaError) as exc:
                problems.append(f"{SUBMISSIONS}: line {number}: {exc}")
                return
            count_item(counts, item)
            ideas += item.submission.kind == "idea"
    with zf.open(IDEAS_CSV) as raw_csv:
        text = io.TextIOWrapper(raw_csv, encoding="utf-8-sig", newline="")
        try:
            rows = sum(1 for _ in csv.reader(text, **CSV_DIALECT)) - 1
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(f"{IDEAS_CSV}: unreadable ({exc})")
            return
    if rows != ideas:
        problems.append(f"{IDEAS_CSV}: {rows} rows, but {SUBMISSIONS} has {ideas} ideas")
