"""Reading a bundle back: :func:`verify_bundle` checks it, :func:`iter_bundle` rebuilds its items.

:func:`verify_bundle` checks every file's digest and size against the manifest,
then that every line rebuilds into a valid submission and every count holds;
its :class:`VerifyReport` names the file of each problem.

A bundle comes on a USB stick, so anyone may have made it. Reading one is bounded
(:class:`BundleLimits`): only the member names the format has (no ``../``, no absolute
path, no symbolic link, none twice), no member larger than the manifest says (it is
inflated no further than that), no drawing larger than ``max_blob_bytes``, no line longer
than ``max_line_bytes``, and each member is streamed: memory stays at about one drawing.
A manifest or line of the wrong shape is a problem named like any other, never a crash.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import stat
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.export.bundle import (BLOB_SUFFIX, FORMAT_NAME, FORMAT_VERSION, IDEAS_CSV, MANIFEST, SUBMISSIONS,
                                      BundleItem, blob_member, count_item, new_counts)
from kiosk.core.limits import LIMITED_TEXT_FIELDS, MAX_BLOB_BYTES, MAX_JSON_BYTES, MAX_TEXT_CHARS
from kiosk.core.model import SYNC_STATES, SchemaError, submission_from_wire, wire_blob_digests
from kiosk.core.sheet import CSV_DIALECT

_UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
MEMBER_NAME = re.compile(rf"{re.escape(MANIFEST)}|{re.escape(SUBMISSIONS)}|{re.escape(IDEAS_CSV)}"
                         rf"|drawings/{_UUID4}(?:\.png|\.strokes\.json)")
"""Every member name the format has; anything else is refused."""
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class BundleLimits:
    """What a bundle may hold. The defaults are a receiver's (``sync.protocol.Limits``)."""

    max_blob_bytes: int = MAX_BLOB_BYTES
    max_line_bytes: int = MAX_JSON_BYTES + 16 * 1024
    """A line of ``submissions.jsonl``: the wire form and its sync state (the receipt, a reason)."""
    max_text_chars: int = MAX_TEXT_CHARS
    max_manifest_bytes: int = 32 * 1024 * 1024
    max_members: int = 250_000


class BundleRefused(ValueError):
    """The bundle is not one, or not one that may be read: ``str()`` names the member and the reason."""


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


def shown(name: str) -> str:
    """A member name as it may be printed: control characters escaped, at most 100 characters."""
    text = ascii(name)[1:-1] if not name.isprintable() else name
    return text if len(text) <= 100 else text[:97] + "..."


# ------------------------------------------------------------------------ the ZIP and its manifest

def open_bundle(path: Path, limits: BundleLimits = BundleLimits()) -> zipfile.ZipFile:
    """Open ``path`` as a bundle's ZIP; every member's name and kind checked, none read yet.

    Raises:
        BundleRefused: not a ZIP, too many members, or a member that has no place in a bundle.
    """
    path = Path(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the open, /dev/zero never end
            raise BundleRefused(f"{path.name}: not a regular file")
        with open(path, "rb") as fh:
            # The central directory is read whole by ZipFile: look at its count first.
            end = zipfile._EndRecData(fh)  # noqa: SLF001 - the one way to the count before ZipFile reads them all
    except OSError as exc:
        raise BundleRefused(f"{path.name}: cannot be opened ({exc.strerror or exc})") from None
    if end is None:
        raise BundleRefused(f"{path.name}: cannot be opened as a ZIP file (no end of central directory)")
    if end[zipfile._ECD_ENTRIES_TOTAL] > limits.max_members:  # noqa: SLF001
        raise BundleRefused(f"{path.name}: {end[zipfile._ECD_ENTRIES_TOTAL]} members; a bundle has at most "  # noqa: SLF001
                            f"{limits.max_members}")
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise BundleRefused(f"{path.name}: cannot be opened as a ZIP file ({exc})") from None
    try:
        _check_members(zf.infolist())
    except BundleRefused:
        zf.close()
        raise
    return zf


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if not MEMBER_NAME.fullmatch(name):
            raise BundleRefused(f"{shown(name)}: not a member a bundle has (only {MANIFEST}, {SUBMISSIONS}, "
                                f"{IDEAS_CSV} and drawings/<id>.png or .strokes.json)")
        if name in seen:
            raise BundleRefused(f"{name}: is in the ZIP twice")
        seen.add(name)
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0: only permission bits (zipfile's own "w" members)
        if kind and kind != stat.S_IFREG:
            raise BundleRefused(f"{name}: is a symbolic link or a special file, not a file")
        if info.flag_bits & 0x1:
            raise BundleRefused(f"{name}: is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleRefused(f"{name}: compressed with method {info.compress_type}; a bundle uses stored "
                                "or deflate")


def read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes, at most ``limit``: it is inflated no further than one byte past it.

    Raises:
        BundleRefused: it is larger, or damaged.
    """
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise BundleRefused(f"{name}: {info.file_size} bytes; at most {limit} are read")
    try:
        with zf.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise BundleRefused(f"{name}: damaged ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - zlib.error and friends: still a damaged member, not a bug
        raise BundleRefused(f"{name}: damaged ({exc.__class__.__name__}: {exc})") from None
    if len(data) > limit:
        raise BundleRefused(f"{name}: larger than {limit} bytes")
    return data


def read_manifest(zf: zipfile.ZipFile, limits: BundleLimits = BundleLimits()) -> dict[str, Any]:
    """The manifest, checked for shape: format and version, ``files`` (path, sha256, size), ``counts``.

    Raises:
        BundleRefused: missing, too large, not JSON, or not of the format's shape.
    """
    try:
        raw = read_member(zf, MANIFEST, limits.max_manifest_bytes)
    except KeyError:
        raise BundleRefused(f"{MANIFEST}: missing; this is not a bundle") from None
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise BundleRefused(f"{MANIFEST}: not JSON ({str(exc)[:200]})") from None
    except RecursionError:
        raise BundleRefused(f"{MANIFEST}: not JSON a bundle has (nested too deeply)") from None
    if not isinstance(manifest, dict):
        raise BundleRefused(f"{MANIFEST}: must be a JSON object")
    if manifest.get("format") != FORMAT_NAME:
        raise BundleRefused(f"{MANIFEST}: not a {FORMAT_NAME}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BundleRefused(f"{MANIFEST}: format version {str(manifest.get('format_version'))[:20]} is not "
                            f"supported (this app reads {FORMAT_VERSION})")
    files = manifest.get("files")
    if not isinstance(files, list):
        raise BundleRefused(f"{MANIFEST}: files must be a list")
    for n, entry in enumerate(files):
        if not (isinstance(entry, dict) and isinstance(entry.get("path"), str)
                and isinstance(entry.get("sha256"), str) and _SHA256.fullmatch(entry["sha256"])
                and type(entry.get("size")) is int and entry["size"] >= 0):
            raise BundleRefused(f"{MANIFEST}: files[{n}] needs a path, a sha256 (64 hex) and a size (a whole "
                                "number of at least 0)")
    counts = manifest.get("counts", {})
    if not isinstance(counts, dict) or not all(isinstance(k, str) and type(v) is int for k, v in counts.items()):
        raise BundleRefused(f"{MANIFEST}: counts must be an object of whole numbers")
    if not isinstance(manifest.get("tombstones", []), list):
        raise BundleRefused(f"{MANIFEST}: tombstones must be a list")
    return manifest


# ------------------------------------------------------------------------ lines and items

def iter_lines(zf: zipfile.ZipFile, limits: BundleLimits) -> Iterator[tuple[int, bytes]]:
    """(number, line) of ``submissions.jsonl``, streamed, no line longer than the limit.

    Raises:
        BundleRefused: a line is longer.
    """
    with zf.open(SUBMISSIONS) as member:
        number = 0
        while raw := member.readline(limits.max_line_bytes + 1):
            number += 1
            if len(raw) > limits.max_line_bytes and not raw.endswith(b"\n"):
                raise BundleRefused(f"{SUBMISSIONS}: line {number} is longer than {limits.max_line_bytes} bytes")
            yield number, raw


def item_from_line(raw: bytes, zf: zipfile.ZipFile, limits: BundleLimits = BundleLimits()) -> BundleItem:
    """One line rebuilt into an item, its blobs read from ``drawings/`` (each at most ``max_blob_bytes``).

    Raises:
        BundleRefused, SchemaError: naming what is wrong.
    """
    try:
        line = json.loads(raw)
    except ValueError as exc:
        raise BundleRefused(f"not JSON ({str(exc)[:200]})") from None
    except RecursionError:
        raise BundleRefused("not JSON a bundle has (nested too deeply)") from None
    if not isinstance(line, dict) or not isinstance(line.get("submission"), dict) \
            or not isinstance(line.get("sync"), dict):
        raise BundleRefused("must be an object with a submission and a sync object")
    wire, sync = line["submission"], line["sync"]
    if sync.get("status") not in SYNC_STATES:
        raise BundleRefused(f"sync.status must be one of {', '.join(SYNC_STATES)}")
    for name in LIMITED_TEXT_FIELDS:
        value = wire.get(name)
        if isinstance(value, str) and len(value) > limits.max_text_chars:
            raise BundleRefused(f"{name} is longer than {limits.max_text_chars} characters")
    blobs = {}
    for digest, ref in zip(wire_blob_digests(wire), wire["blobs"] if "blobs" in wire else []):
        role = ref["role"] if isinstance(ref["role"], str) else ""
        member = blob_member(str(wire.get("id", "")), role) if role in BLOB_SUFFIX else ""
        if member in zf.NameToInfo:
            data = read_member(zf, member, limits.max_blob_bytes)
            blobs[hashlib.sha256(data).hexdigest()] = data
    sub = submission_from_wire(wire, blobs)
    return BundleItem(sub, sync["status"], _text_or_none(sync.get("withheld_reason")), _dict_or_none(sync.get("receipt")),
                      _text_or_none(sync.get("delivered_by")))


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _dict_or_none(value: Any) -> dict | None:
    return value if isinstance(value, dict) else None


_LINE_ERRORS = (BundleRefused, SchemaError, ValueError, TypeError, KeyError)
"""What a line of the wrong shape raises: the receiver's API treats a body alike (422)."""


def _reason(exc: Exception) -> str:
    if isinstance(exc, (ValueError, SchemaError)):
        return str(exc)
    return f"invalid content ({exc.__class__.__name__}: {str(exc)[:200]})"


def iter_bundle(path: Path, limits: BundleLimits = BundleLimits()) -> Iterator[BundleItem]:
    """The items of a bundle, rebuilt and validated (blobs from ``drawings/``).

    Raises:
        BundleRefused, SchemaError: the bundle is damaged or refused; verify it first.
    """
    with open_bundle(Path(path), limits) as zf:
        read_manifest(zf, limits)
        for number, raw in iter_lines(zf, limits):
            try:
                item = item_from_line(raw, zf, limits)
            except _LINE_ERRORS as exc:
                raise BundleRefused(f"{SUBMISSIONS}: line {number}: {_reason(exc)}") from None
            yield item


# ------------------------------------------------------------------------ verifying

def verify_bundle(path: Path, limits: BundleLimits = BundleLimits()) -> VerifyReport:
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
        zf = open_bundle(path, limits)
    except BundleRefused as exc:
        problems.append(str(exc))
        return report()
    with zf:
        try:
            manifest = read_manifest(zf, limits)
        except BundleRefused as exc:
            problems.append(str(exc))
            return report()
        listed: dict[str, dict[str, Any]] = {}
        for entry in manifest["files"]:
            if entry["path"] in listed:
                problems.append(f"{shown(entry['path'])}: listed in the manifest twice")
            listed[entry["path"]] = entry
        present = set(zf.NameToInfo) - {MANIFEST}
        for name in sorted(present - set(listed)):
            problems.append(f"{name}: in the ZIP but not in the manifest")
        for name in sorted(set(listed) - present):
            problems.append(f"{shown(name)}: listed in the manifest but missing")
        for name in (SUBMISSIONS, IDEAS_CSV):
            if name not in present and name not in listed:
                problems.append(f"{name}: missing; every bundle has it")
        for name in sorted(set(listed) & present):
            error = _check_member(zf, name, listed[name], limits)
            if error:
                problems.append(f"{name}: {error}")
            else:
                files += 1
                total_bytes += listed[name]["size"]
        if not problems:
            _check_contents(zf, counts, problems, limits)
        expected = manifest.get("counts", {})
        if not problems:
            for key, value in counts.items():
                if expected.get(key) != value:
                    where = IDEAS_CSV if key == "csv_rows" else SUBMISSIONS
                    problems.append(f"{where}: {value} {key}, manifest says {expected.get(key)}")
    return report()


def _check_member(zf: zipfile.ZipFile, name: str, entry: Mapping[str, Any], limits: BundleLimits) -> str | None:
    """What is wrong with one member against its manifest entry, or None; read streaming, and
    inflated no further than the size the manifest gives it."""
    declared = entry["size"]
    if name.startswith("drawings/") and declared > limits.max_blob_bytes:
        return f"{declared} bytes; a drawing may have at most {limits.max_blob_bytes}"
    info = zf.getinfo(name)
    if info.file_size != declared:
        return f"size {info.file_size}, manifest says {declared}"
    sha, size = hashlib.sha256(), 0
    try:
        with zf.open(info) as member:
            while chunk := member.read(min(1024 * 1024, declared - size + 1)):
                size += len(chunk)
                if size > declared:
                    return f"larger than the {declared} bytes the manifest says; not read further"
                sha.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return f"damaged ({exc})"
    except Exception as exc:  # noqa: BLE001 - zlib.error and friends: still a damaged member, not a bug
        return f"damaged ({exc.__class__.__name__}: {exc})"
    if size != declared:
        return f"size {size}, manifest says {declared}"
    if sha.hexdigest() != entry["sha256"]:
        return f"sha256 {sha.hexdigest()}, manifest says {entry['sha256']}"
    return None


def _csv_lines(member: Any, limit: int) -> Iterator[str]:
    """The sheet's lines as text, none longer than ``limit`` bytes (csv bounds a field spanning lines)."""
    first = True
    while raw := member.readline(limit + 1):
        if len(raw) > limit and not raw.endswith(b"\n"):
            raise BundleRefused(f"a line is longer than {limit} bytes")
        yield raw.decode("utf-8-sig" if first else "utf-8")
        first = False


def _check_contents(zf: zipfile.ZipFile, counts: dict[str, int], problems: list[str], limits: BundleLimits) -> None:
    """Every line rebuilds into a valid submission whose blobs are the files beside it; CSV rows count."""
    ideas = 0
    seen: set[str] = set()
    try:
        for number, raw in iter_lines(zf, limits):
            try:
                item = item_from_line(raw, zf, limits)
            except _LINE_ERRORS as exc:
                problems.append(f"{SUBMISSIONS}: line {number}: {_reason(exc)}")
                return
            if item.submission.id in seen:
                problems.append(f"{SUBMISSIONS}: line {number}: submission {item.submission.id} appears twice")
                return
            seen.add(item.submission.id)
            count_item(counts, item)
            ideas += item.submission.kind == "idea"
    except BundleRefused as exc:
        problems.append(str(exc))
        return
    with zf.open(IDEAS_CSV) as raw_csv:
        try:
            rows = sum(1 for _ in csv.reader(_csv_lines(raw_csv, limits.max_line_bytes), **CSV_DIALECT)) - 1
        except (csv.Error, UnicodeDecodeError, BundleRefused) as exc:
            problems.append(f"{IDEAS_CSV}: unreadable ({exc})")
            return
    if rows != ideas:
        problems.append(f"{IDEAS_CSV}: {rows} rows, but {SUBMISSIONS} has {ideas} ideas")
