"""Writing a bundle: its ZIP members and manifest, put in place atomically.

Writing is crash- and stick-safe: the ZIP goes to a temporary name beside the
target, is fsynced, renamed into place and the directory fsynced. A full or
vanished drive raises :class:`ExportError` with a message for staff, and
nothing is left under the final name; :mod:`kiosk.core.export.read` reads
a bundle back and checks every digest, size and count.

:func:`write_bundle` takes plain :class:`~kiosk.core.export.bundle.BundleItem`
values, so the receiver can write the same format from what it stored;
:mod:`kiosk.core.export.from_store` feeds the same writer
(:func:`_write_bundle`) straight from a kiosk's store.
"""

from __future__ import annotations

import collections
import errno
import hashlib
import itertools
import json
import operator
import os
import queue
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from kiosk.core.export.bundle import (FORMAT_NAME, FORMAT_VERSION, IDEAS_CSV, MANIFEST, SUBMISSIONS, BundleItem,
                                      BundleMeta, Titles, _count, blob_member, bundle_name, csv_header, csv_row,
                                      human_bytes, new_counts)
from kiosk.core.fsutil import fsync_dir
from kiosk.core.sheet import csv_line

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
class ExportResult:
    path: Path
    items: int
    ideas: int
    drawings: int
    withheld: int
    samples: int
    files: int
    bytes: int


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
