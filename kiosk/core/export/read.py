"""Reading a bundle back: :func:`verify_bundle` checks it, :func:`iter_bundle` rebuilds its items.

:func:`verify_bundle` checks every file's digest and size against the manifest,
then that every line rebuilds into a valid submission and every count holds;
its :class:`VerifyReport` names the file of each problem.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.export.bundle import (BLOB_SUFFIX, FORMAT_NAME, FORMAT_VERSION, IDEAS_CSV, MANIFEST, SUBMISSIONS,
                                      BundleItem, blob_member, count_item, new_counts)
from kiosk.core.model import SchemaError, submission_from_wire
from kiosk.core.sheet import CSV_DIALECT


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
