"""Helpers for tests that build bundles by hand: a real one from the writer, then its members
repacked as an attacker (or a broken tool) might, with a manifest that matches them or not."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
import warnings
import zipfile
from pathlib import Path
from typing import Any

from kiosk.core.export import BundleItem, BundleMeta, Titles, VerifyReport, verify_bundle, write_bundle

Member = tuple["str | zipfile.ZipInfo", bytes]


def real_bundle(folder: Path, items: list[BundleItem]) -> Path:
    """A bundle as ``kiosk export`` writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = BundleMeta(kiosk_id="kiosk-test-1", event_id="fest-2024", exported_at="2024-06-01T10:00:00.000Z")
    return write_bundle(folder, items, meta=meta, titles=Titles()).path


def read_members(path: Path) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """(manifest, every other member in order) of a bundle."""
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        return manifest, [(i.filename, zf.read(i)) for i in zf.infolist() if i.filename != "manifest.json"]


def verify_measured(path: Path) -> tuple[VerifyReport, int]:
    """``verify_bundle``'s report, and the peak of memory Python allocated meanwhile (bytes)."""
    tracemalloc.start()
    try:
        report = verify_bundle(path)
        return report, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def manifest_for(members: list[Member], like: dict[str, Any]) -> dict[str, Any]:
    """``like`` with its ``files`` made to match ``members`` (their real digests and sizes)."""
    files = [{"path": m.filename if isinstance(m, zipfile.ZipInfo) else m,
              "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for m, data in members]
    return {**like, "files": files}


def pack(path: Path, members: list[Member], manifest: Any, *,
         compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Write a ZIP of ``members`` and ``manifest`` (any JSON value, or raw bytes) at ``path``."""
    raw = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w", compression=compression) as zf:
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": on purpose
        for member, data in members:
            zf.writestr(member, data)
        zf.writestr("manifest.json", raw)
    return path
