"""Autosaved drawing drafts: written atomically, recovered after a crash. No Qt.

While a child draws, the drawing screen saves ``<data_dir>/drafts/current.png``
and ``current.json`` every few seconds of activity (off the GUI thread). Each
file is written to a temporary name, fsynced, renamed over the old one and the
folder fsynced, so after a power cut either the old or the new version is
there, never half of one. The JSON is written last and names the PNG's
SHA-256: a PNG that does not match (power cut between the two renames) is
left out rather than stored next to the wrong strokes.

On a finished drawing or a reset (idle, "new picture") the draft is deleted.
If the app dies in between, :func:`recover_draft` runs on the next start: the
draft goes into the store as an *unfinished* drawing with a ``recovered_draft``
notice for staff, and is never shown to the next visitor.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.fsutil import fsync_dir
from kiosk.core.model import Blob, Submission, sha256_hex

log = logging.getLogger("kiosk.drafts")

DRAFTS_DIRNAME = "drafts"
STEM = "current"
DRAFT_FORMAT = "kiosk-drawing-draft"


class StoreLike(Protocol):
    def add(self, sub: Submission) -> None: ...
    def get(self, submission_id: str) -> Submission | None: ...
    def add_notice(self, kind: str, message: str, path: str | None = None) -> None: ...
    # optional: withhold(submission_id, reason) keeps a recovered draft from syncing until staff release it


@dataclass(frozen=True, slots=True)
class DraftMeta:
    """Who the draft would become: fixed when the drawing starts, so recovery is idempotent."""

    id: str
    reference_code: str
    created_at: str
    topic_id: str
    locale: str = "de"
    kiosk_id: str = ""
    event_id: str = ""
    app_version: str = ""


@dataclass(frozen=True, slots=True)
class Draft:
    meta: DraftMeta
    strokes: bytes
    png: bytes | None


def drafts_dir(data_dir: Path) -> Path:
    return Path(data_dir) / DRAFTS_DIRNAME


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent, best_effort=True)


def save_draft(data_dir: Path, meta: DraftMeta, strokes: bytes, png: bytes) -> None:
    """Write the draft durably: the PNG, then the JSON that vouches for it."""
    folder = drafts_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / f"{STEM}.png", png)
    head: dict[str, Any] = {"format": DRAFT_FORMAT, "meta": {k: getattr(meta, k) for k in DraftMeta.__slots__},
                            "png_sha256": sha256_hex(png)}
    # the stroke JSON is spliced in as it is: no re-encoding of a big drawing
    doc = json.dumps(head, separators=(",", ":")).encode("utf-8")[:-1] + b',"strokes":' + strokes + b"}"
    write_atomic(folder / f"{STEM}.json", doc)


def clear_draft(data_dir: Path) -> None:
    """Forget the draft (finished or discarded drawing). The JSON goes first."""
    folder = drafts_dir(data_dir)
    for name in (f"{STEM}.json", f"{STEM}.png", f"{STEM}.json.tmp", f"{STEM}.png.tmp"):
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            pass
    if folder.exists():
        fsync_dir(folder, best_effort=True)


def load_draft(data_dir: Path) -> Draft | None:
    """The draft left behind, or None. Raises ValueError for a file that is not a draft."""
    folder = drafts_dir(data_dir)
    try:
        raw = (folder / f"{STEM}.json").read_bytes()
    except FileNotFoundError:
        return None
    doc = json.loads(raw.decode("utf-8"))
    if not isinstance(doc, dict) or doc.get("format") != DRAFT_FORMAT:
        raise ValueError("not a drawing draft")
    meta = DraftMeta(**doc["meta"])
    strokes = json.dumps(doc["strokes"], separators=(",", ":")).encode("utf-8")
    try:
        png: bytes | None = (folder / f"{STEM}.png").read_bytes()
    except FileNotFoundError:
        png = None
    if png is not None and sha256_hex(png) != doc.get("png_sha256"):
        png = None
    return Draft(meta, strokes, png)


def draft_submission(draft: Draft) -> Submission:
    """The unfinished drawing a draft becomes. No name, no consent: nobody gave them."""
    m = draft.meta
    blobs = ((Blob("png", draft.png),) if draft.png is not None else ()) + (Blob("strokes", draft.strokes),)
    return Submission(kind="drawing", topic_id=m.topic_id, unfinished=True, consent_given=False,
                      locale=m.locale, kiosk_id=m.kiosk_id, event_id=m.event_id, app_version=m.app_version,
                      id=m.id, reference_code=m.reference_code, created_at=m.created_at, blobs=blobs)


def recover_draft(data_dir: Path, store: StoreLike) -> Submission | None:
    """Move a draft left by a crash into the store as unfinished; call once on start.

    Returns the stored submission, or None when there was no draft. A draft
    that cannot be read is moved aside (never deleted) and reported.
    """
    try:
        draft = load_draft(data_dir)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        folder = drafts_dir(data_dir)
        aside = folder / f"{STEM}.unreadable.json"
        os.replace(folder / f"{STEM}.json", aside)
        log.warning("drawing draft unreadable (%s); moved aside to %s", exc, aside)
        store.add_notice("recovered_draft", "A drawing draft left by a crash could not be read; "
                         "it was moved aside.", str(aside))
        return None
    if draft is None:
        return None
    sub = draft_submission(draft)
    if store.get(sub.id) is None:
        store.add(sub)
        withhold = getattr(store, "withhold", None)
        if withhold is not None:  # staff decide: release (then it syncs like any other) or discard
            withhold(sub.id, "recovered draft after a crash; keep or discard")
        store.add_notice("recovered_draft", "A drawing in progress was recovered after the kiosk stopped "
                         "unexpectedly; it is stored as unfinished for staff to keep or discard.", sub.id)
        log.info("recovered drawing draft %s as unfinished", sub.id)
    clear_draft(data_dir)
    return sub
