"""The sync source interface between the sync worker's Qt adapter and what shows sync state.

:class:`SyncSource` is what the staff panel and the attract screen's indicator
listen to; :class:`ui.common.sync_bridge.SyncBridge` implements it over the worker.
Its own small module, so the shell can make the bridge without importing the
staff panel's common parts (they are imported when staff first open the panel).
``ui.staff.common`` re-exports all three names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True, slots=True)
class SyncSnapshot:
    """What the staff panel shows about sync.

    Attributes:
        state: starting, online, offline, syncing, error, auth (the receiver refused the
            token: staff must fix it), disabled.
        last_success: RFC 3339 UTC of the last pass that reached the receiver.
        message: the last problem in plain words ("" when none).
        pending / sent / failed / withheld: the worker's counts, None when not known yet.
    """

    state: str = "disabled"
    last_success: str | None = None
    message: str = ""
    pending: int | None = None
    sent: int | None = None
    failed: int | None = None
    withheld: int | None = None


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """The end of one "sync now": delivered, already there, failed (id, reason).

    ``stopped``: why the pass ended early ("" when it did not): transient, auth, unexpected.
    """

    delivered: int = 0
    existing: int = 0
    failed: tuple[tuple[str, str], ...] = field(default=())
    message: str = ""
    stopped: str = ""


class SyncSource(QObject):
    """The small interface the sync worker's Qt adapter implements for the staff panel.

    The adapter lives in ``kiosk/app.py`` (or ``ui/``) and wraps the real
    worker; the panel only calls :meth:`snapshot` and :meth:`sync_now` and
    listens to the signals. Emit them from any thread: Qt queues them.

    Signals:
        status_changed(SyncSnapshot): online/offline/syncing/error changed.
        progress(int, int): during a sync, done and total.
        finished(SyncSummary): a sync ended.
    """

    status_changed = Signal(object)
    progress = Signal(int, int)
    finished = Signal(object)

    def snapshot(self) -> SyncSnapshot:
        return SyncSnapshot()

    def sync_now(self) -> None:
        """Start a sync at once (returns immediately)."""
