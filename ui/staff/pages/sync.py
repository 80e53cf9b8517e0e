"""Staff "sync now": start a sync through the :class:`SyncSource`, watch it, read the summary."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QVBoxLayout

from ui.staff.common import StaffScreen, SyncSource, SyncSummary, button, card
from ui.common.fit_row import FitRow
from ui.common.screen import label
from ui.staff.reasons import reason_text, state_detail


class SyncScreen(StaffScreen):
    """Args: store (counts, retry failed), sync adapter (None: sync is off)."""

    def __init__(self, store: Any, sync: SyncSource | None, lang: str = "de") -> None:
        super().__init__(lang)
        self.setObjectName("staff_sync")
        self.store, self.sync = store, sync
        self.running = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 32, 40, 32)
        lay.setSpacing(22)
        lay.addWidget(self.text(label(name="staff_sync_title", role="screen_title"), "panel.sync_title"))
        frame, cl = card()
        self.status = label(name="staff_sync_status", role="value")
        cl.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)  # the status line says "x of y"; "0%" idle misleads
        self.progress.setObjectName("staff_sync_progress")
        self.text(self.progress, "panel.sync_progress.a11y", "a11y")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        cl.addWidget(self.progress)
        self.now = self.text(button("staff_sync_now", "primary"), "panel.sync_now")
        self.retry = self.text(button("staff_sync_retry_failed"), "panel.sync_retry_failed")
        cl.addWidget(FitRow(self.now, self.retry, spacing=12, apart=False))
        self.summary = label(name="staff_sync_summary", role="ok")
        self.summary.hide()
        cl.addWidget(self.summary)
        lay.addWidget(frame)
        lay.addStretch(1)
        self.now.clicked.connect(self.start)
        self.retry.clicked.connect(self.retry_failed)
        if sync is not None:
            sync.progress.connect(self._progress)
            sync.finished.connect(self._finished)
        self.refresh()

    def refresh(self) -> None:
        if self.running:
            return
        if self.sync is None:
            self.status.setText(self.tr("panel.sync_unavailable"))
        else:
            s = self.store.stats().by_state
            self.status.setText(self.tr("panel.sync_idle", pending=s["pending"], sent=s["sent"], failed=s["failed"]))
        self.now.setEnabled(self.sync is not None)
        self.retry.setEnabled(self.store.stats().by_state.get("failed", 0) > 0)

    def start(self) -> None:
        if self.sync is None or self.running:
            return
        self.running = True
        self.now.setEnabled(False)
        self.summary.hide()
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.sync.sync_now()
        self.busy_changed.emit()

    def busy(self) -> bool:
        """Syncing on staff's request. Not when the worker is not alive: it would never say
        "finished", and a panel that never times out would stay open for the next visitor."""
        alive = getattr(self.sync, "is_running", None)
        return self.running and (alive is None or bool(alive()))

    def retry_failed(self) -> None:
        n = self.store.reset_failed()
        self.summary.setText(self.tr("panel.sync_retried", n=n))
        self.summary.show()
        self.changed.emit()
        self.refresh()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(self.tr("panel.sync_running", done=done, total=total))

    def _finished(self, summary: SyncSummary) -> None:
        was_running, self.running = self.running, False
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        lines = [self.tr("panel.sync_summary", delivered=summary.delivered, existing=summary.existing,
                         failed=len(summary.failed))]
        lines += [f"• {sid[:8]}: {reason_text(why, self.lang)}" for sid, why in summary.failed[:5]]
        if summary.stopped == "auth":
            lines.append(self.tr("panel.state_auth", msg=state_detail("auth", summary.message, self.lang)))
        elif summary.message:
            lines.append(reason_text(summary.message, self.lang))
        self.summary.setText("\n".join(lines))
        self.summary.setProperty("role", "warning" if summary.failed or summary.stopped else "ok")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        self.summary.show()
        self.changed.emit()
        self.refresh()
        if was_running:
            self.busy_changed.emit()
