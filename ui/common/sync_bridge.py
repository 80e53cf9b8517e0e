"""The sync worker's Qt adapter: the staff panel's :class:`SyncSource` over :class:`sync.worker.SyncWorker`.

The worker runs on a plain Python thread and reports through callbacks on that
thread. :class:`SyncBridge` turns each callback into a private signal that is
connected *queued* to a slot of the bridge, so everything the UI sees
(``status_changed``, ``progress``, ``finished``) is emitted on the GUI thread.

The worker is made by a factory passed in (``kiosk.app`` builds it from the
config), and only on :meth:`SyncBridge.start`, which the app calls after the
first paint: ``sync.worker`` imports ``requests``, which cold start must not
pay for. A bridge without a factory is *disabled*: every call is a no-op and
the snapshot says "disabled", so callers never need a None check::

    bridge = SyncBridge(lambda **callbacks: SyncWorker.from_config(cfg, data_dir, **callbacks))
    flow.submitted.connect(bridge.wake)   # a submission was committed: sync soon
    window.first_painted.connect(bridge.start)
    window.closed.connect(bridge.stop)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from ui.common.sync_source import SyncSnapshot, SyncSource, SyncSummary

log = logging.getLogger("kiosk.sync")

WorkerFactory = Callable[..., Any]
"""Called as ``factory(on_status=, on_pass=, on_progress=)``; returns an unstarted SyncWorker."""


def snapshot_of(status: Any, auth_error: bool = False) -> SyncSnapshot:
    """A :class:`SyncSnapshot` from a :class:`sync.worker.SyncStatus` (pure)."""
    state = "auth" if auth_error and status.state == "error" else status.state
    return SyncSnapshot(state=state, last_success=status.last_success_at, message=status.last_error or "",
                        pending=status.pending, sent=status.sent, failed=status.failed,
                        withheld=status.withheld)


def summary_of(report: Any) -> SyncSummary:
    """A :class:`SyncSummary` from a :class:`sync.client.SyncReport`, or None for a crashed pass (pure)."""
    if report is None:
        return SyncSummary(message="the sync pass failed; see the log", stopped="unexpected")
    stopped = getattr(report.stopped_by, "value", "") or ""
    return SyncSummary(delivered=report.delivered, existing=report.already_there,
                       failed=tuple(report.failed), message=report.error or "", stopped=stopped)


class SyncBridge(SyncSource):
    """Implements :class:`SyncSource` for the staff panel and the attract indicator.

    Args:
        make_worker: builds the worker with the bridge's callbacks; None: sync is off.

    Signals (besides SyncSource's status_changed, progress, finished):
        started(): the worker thread was started.
    """

    started = Signal()
    _status_in = Signal(object)
    _pass_in = Signal(object, bool)
    _progress_in = Signal(int, int)

    def __init__(self, make_worker: WorkerFactory | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_bridge")
        self._make_worker = make_worker
        self.worker: Any = None
        self._stopped = False
        self._auth_error = False
        self._snapshot = SyncSnapshot("starting" if make_worker else "disabled")
        queued = Qt.ConnectionType.QueuedConnection
        self._status_in.connect(self._on_status, queued)
        self._pass_in.connect(self._on_pass, queued)
        self._progress_in.connect(self.progress, queued)

    # ------------------------------------------------------------ SyncSource
    @property
    def enabled(self) -> bool:
        return self._make_worker is not None

    def snapshot(self) -> SyncSnapshot:
        return self._snapshot

    def sync_now(self) -> None:
        """Staff asked: sync at once, even during a backoff. Never blocks.

        Without a running worker (sync switched off, a worker that could not start or
        has ended) nothing would ever answer, so ``finished`` says why at once instead
        of leaving the staff screen waiting.
        """
        if self.is_running():
            self.worker.sync_now()
            return
        if not self.enabled:
            why = "sync is switched off ([sync] enabled = false)"
        elif self._snapshot.state == "error" and self._snapshot.message:
            why = self._snapshot.message
        else:
            why = "the sync worker is not running; see the log"
        self.finished.emit(SyncSummary(message=why, stopped="unexpected"))

    def wake(self, *_: object) -> None:
        """A submission was committed: sync soon. Accepts and ignores signal arguments
        (``submitted(id)``, ``saved(submission)``), so any "saved" signal can connect. Never blocks."""
        if self.worker is not None:
            self.worker.wake()

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Make and start the worker (once; never after :meth:`stop`). Imports ``requests`` now."""
        if self._make_worker is None or self.worker is not None or self._stopped:
            return
        try:
            self.worker = self._make_worker(on_status=self._status_in.emit, on_pass=self._pass_in.emit,
                                            on_progress=self._progress_in.emit)
            self.worker.start()
        except Exception as exc:  # noqa: BLE001 - the kiosk must run without sync; staff see why
            log.exception("the sync worker could not start")
            self.worker = None
            self._set(SyncSnapshot("error", message=f"sync cannot start: {exc}"))
            return
        log.info("sync worker started")
        self.started.emit()

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop and join the worker (after the call in flight). True when no thread is left."""
        self._stopped = True
        worker, self.worker = self.worker, None
        if worker is None:
            return True
        ended = bool(worker.stop(timeout=timeout))
        if not ended:
            log.warning("the sync worker did not end within %.0f s", timeout)
        return ended

    def is_running(self) -> bool:
        return self.worker is not None and self.worker.is_alive()

    # ------------------------------------------------------------ from the worker (GUI thread)
    def _set(self, snap: SyncSnapshot) -> None:
        if snap != self._snapshot:
            self._snapshot = snap
            self.status_changed.emit(snap)

    def _on_status(self, status: Any) -> None:
        if status.state != "error":
            self._auth_error = False
        self._set(snapshot_of(status, self._auth_error))

    def _on_pass(self, report: Any, forced: bool) -> None:
        auth = report is not None and getattr(report.stopped_by, "value", "") == "auth"
        if auth != self._auth_error:
            self._auth_error = auth
            self._set(snapshot_of(self.worker.status, auth) if self.worker is not None else self._snapshot)
        if forced:
            self.finished.emit(summary_of(report))
