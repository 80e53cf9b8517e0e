"""Saving drawings off the GUI thread: the finished picture and autosaved drafts.

PNG encoding of a full-screen drawing takes about 100 ms and the durable
store commit waits for fsync, so both run on one worker thread. The GUI thread
only takes a snapshot (shared, copy-on-write image and item list) and gets a
signal back. Jobs run in order, so a draft written just before "Done" can
never be written after the drawing was stored and its draft cleared.

The store is opened by ``open_store`` *inside* the worker thread: an SQLite
connection belongs to the thread that made it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from kiosk.core import drafts
from kiosk.core.drawing import Drawing
from kiosk.core.model import Blob, Submission
from kiosk.core.storage import DiskFullError
from ui.drawing import render as R

log = logging.getLogger("kiosk.ui.drawing")

NO_CONSENT = "no consent"
"""Why a drawing handed in without a parent's consent is withheld from sync."""


def finished_blobs(drawing: Drawing, layer: QImage) -> tuple[Blob, Blob]:
    """The PNG (colour layer with the colouring page in front) and the stroke JSON."""
    png = R.encode_png(R.compose(layer, drawing.background))
    return Blob("png", png), Blob("strokes", drawing.to_bytes())


def _warm_up() -> None:
    """Import what the thank-you page needs here, not on the GUI thread at the worst moment."""
    try:
        import qrcode  # noqa: F401, PLC0415
    except ImportError:  # pragma: no cover
        pass


class DrawingSaver(QObject):
    """A worker thread that stores finished drawings and writes drafts.

    Args:
        open_store: called once, in the worker thread, to get a store with
            ``add(sub)`` (raises ``DiskFullError`` when the disk is full). None: only drafts.
        data_dir: where ``drafts/`` lives; None disables autosave.

    Signals:
        saved(object): the Submission is durably stored (and withheld, without consent).
        failed(str, str): ("disk_full" | "error", message) - nothing was stored.
        draft_saved(): a draft was written.
    """

    saved = Signal(object)
    failed = Signal(str, str)
    draft_saved = Signal()

    def __init__(self, open_store: Callable[[], Any] | None, data_dir: Path | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_store = open_store
        self._store: Any = None
        self.data_dir = Path(data_dir) if data_dir else None
        self._jobs: queue.Queue[tuple[Callable[..., None], tuple[Any, ...]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="drawing-saver", daemon=True)
        self._thread.start()
        self._jobs.put((_warm_up, ()))

    # ---- GUI thread

    def save(self, fields: dict[str, Any], drawing: Drawing, layer: QImage) -> None:
        """Store a finished drawing: ``fields`` are the Submission's other fields."""
        self._jobs.put((self._do_save, (fields, drawing, layer)))

    def save_draft(self, meta: drafts.DraftMeta, drawing: Drawing, layer: QImage) -> None:
        if self.data_dir is not None:
            self._jobs.put((self._do_draft, (meta, drawing, layer)))

    def clear_draft(self) -> None:
        if self.data_dir is not None:
            self._jobs.put((self._do_clear, ()))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued job ran (tests, shutdown). True when idle."""
        done = threading.Event()
        self._jobs.put((lambda: done.set(), ()))
        return done.wait(timeout)

    def close(self) -> None:
        """Finish queued jobs and stop the thread; closes a store it opened."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout=30)

    # ---- worker thread

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                break
            fn, args = job
            try:
                fn(*args)
            except Exception:  # noqa: BLE001 - a failed job must not end the worker
                log.exception("drawing saver job failed")
        if self._store is not None and hasattr(self._store, "close"):
            self._store.close()

    def _do_save(self, fields: dict[str, Any], drawing: Drawing, layer: QImage) -> None:
        try:
            blobs = finished_blobs(drawing, layer)
            sub = Submission(**fields, blobs=blobs)
            if self._store is None:
                if self._open_store is None:
                    raise RuntimeError("no store to save into")
                self._store = self._open_store()
            self._store.add(sub)
            if not sub.consent_given:  # stored for staff, never published
                self._store.withhold(sub.id, NO_CONSENT)
        except Exception as exc:  # noqa: BLE001 - reported to the screen, which stays usable
            kind = "disk_full" if isinstance(exc, DiskFullError) else "error"
            log.error("could not store drawing: %s", exc, exc_info=kind == "error")
            self.failed.emit(kind, str(exc))
            return
        if self.data_dir is not None:
            try:
                drafts.clear_draft(self.data_dir)
            except OSError:  # the picture is stored; a stale draft is only recovered twice, not lost
                log.exception("stored drawing %s, but could not clear its draft", sub.id)
        self.saved.emit(sub)

    def _do_draft(self, meta: drafts.DraftMeta, drawing: Drawing, layer: QImage) -> None:
        assert self.data_dir is not None
        png = R.encode_png(R.compose(layer, drawing.background))
        drafts.save_draft(self.data_dir, meta, drawing.to_bytes(), png)
        self.draft_saved.emit()

    def _do_clear(self) -> None:
        assert self.data_dir is not None
        drafts.clear_draft(self.data_dir)
