"""Staff export to USB: choose a plugged-in drive (or a folder), write the bundle off the
GUI thread with a progress bar, verify it by reading back, say what went where."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QListWidget, QListWidgetItem, QProgressBar, QVBoxLayout

from kiosk.core.drives import Drive, removable_drives
from kiosk.core.export import export_store, verify_bundle
from ui.staff.common import Job, StaffScreen, button, card, human_bytes
from ui.common.screen import label


def breakable(path: Path) -> str:
    """A path a word-wrapping label may break after each '/' (zero-width spaces)."""
    return str(path).replace("/", "/\u200b").replace("_", "_\u200b")


class ExportScreen(StaffScreen):
    """Args:
        store_factory: opens a new store connection for the export thread (SQLite connections
            stay in their thread); closed when the export ends.
        drives: lists removable drives (tests pass their own).
    """

    def __init__(self, store_factory: Callable[[], Any], config: Any, lang: str = "de",
                 drives: Callable[[], list[Drive]] = removable_drives) -> None:
        super().__init__(lang)
        self.setObjectName("staff_export")
        self.store_factory, self.config, self.find_drives = store_factory, config, drives
        self.target: Path | None = None
        self.job: Job | None = None
        self.result = None
        self.report = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 32, 40, 32)
        lay.setSpacing(18)
        lay.addWidget(self.text(label(name="staff_export_title", role="screen_title"), "panel.export_title"))

        frame, cl = card("staff_export_target_card")
        cl.addWidget(self.text(label(role="section"), "panel.export_drives"))
        self.drives = QListWidget()
        self.drives.setObjectName("staff_export_drives")
        self.text(self.drives, "panel.drives.a11y", "a11y")
        self.drives.setMaximumHeight(260)
        cl.addWidget(self.drives)
        self.no_drives = self.text(label(name="staff_export_no_drives", role="muted"), "panel.export_no_drives")
        cl.addWidget(self.no_drives)
        row = QHBoxLayout()
        self.find = self.text(button("staff_export_find_drives"), "panel.export_find")
        self.pick = self.text(button("staff_export_pick_folder"), "panel.export_pick")
        row.addWidget(self.find)
        row.addWidget(self.pick)
        row.addStretch(1)
        cl.addLayout(row)
        self.target_label = label(name="staff_export_target", role="value")
        cl.addWidget(self.target_label)
        lay.addWidget(frame)

        frame2, rl = card("staff_export_run_card")
        self.start = self.text(button("staff_export_start", "primary"), "panel.export_start")
        rl.addWidget(self.start, 0, Qt.AlignmentFlag.AlignLeft)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)  # the status line says "x of y"; "0%" idle misleads
        self.progress.setObjectName("staff_export_progress")
        self.text(self.progress, "panel.export_progress.a11y", "a11y")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        rl.addWidget(self.progress)
        self.status = label(name="staff_export_status", role="value")
        rl.addWidget(self.status)
        self.verify_label = label(name="staff_export_verify", role="ok")
        self.verify_label.hide()
        rl.addWidget(self.verify_label)
        lay.addWidget(frame2)
        lay.addStretch(1)

        self.find.clicked.connect(self.refresh)
        self.pick.clicked.connect(self._pick_folder)
        self.drives.currentItemChanged.connect(
            lambda cur, _p: self.set_target(Path(cur.data(Qt.ItemDataRole.UserRole))) if cur else None)
        self.start.clicked.connect(self.run_export)
        self.refresh()

    def refresh(self) -> None:
        self.drives.clear()
        for d in self.find_drives():
            entry = QListWidgetItem(self.tr("panel.drive_free", label=d.label, free=human_bytes(d.free_bytes, self.lang)))
            entry.setData(Qt.ItemDataRole.UserRole, str(d.path))
            self.drives.addItem(entry)
        self.drives.setVisible(self.drives.count() > 0)
        self.no_drives.setVisible(self.drives.count() == 0)
        if self.drives.count() == 1 and self.target is None:
            self.drives.setCurrentRow(0)
        self._show_target()

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("panel.export_pick"), "/media",
                                                  QFileDialog.Option.DontUseNativeDialog)
        if folder:
            self.set_target(Path(folder))

    def set_target(self, folder: Path) -> None:
        self.target = Path(folder)
        self._show_target()

    def _show_target(self) -> None:
        self.target_label.setText(self.tr("panel.export_target", path=breakable(self.target)) if self.target
                                  else self.tr("panel.export_no_target"))
        self.start.setEnabled(self.target is not None and self.job is None)

    def run_export(self) -> None:
        if self.target is None or self.job is not None:
            return
        target, config, factory = self.target, self.config, self.store_factory

        def work(progress):
            store = factory()
            try:
                result = export_store(store, config, target, progress=progress)
            finally:
                store.close()
            progress(-1, -1)  # now verifying
            return result, verify_bundle(result.path)

        self.result = self.report = None
        self.verify_label.hide()
        self.status.setText(self.tr("panel.export_running", done=0, total="…"))
        self.progress.setRange(0, 0)
        self.job = Job(work, self)
        self.job.progressed.connect(self._progress)
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self._job_ended)
        self._show_target()
        self.job.start()
        self.busy_changed.emit()

    def _progress(self, done: int, total: int) -> None:
        if done < 0:
            self.status.setText(self.tr("panel.export_verifying"))
            self.progress.setRange(0, 0)
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(self.tr("panel.export_running", done=done, total=total))

    def _done(self, outcome) -> None:
        self.result, self.report = outcome
        r = self.result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(self.tr("panel.export_done", items=r.items, ideas=r.ideas, drawings=r.drawings,
                                    size=human_bytes(r.bytes, self.lang), path=breakable(r.path)))
        ok = self.report.ok
        self.verify_label.setText(self.tr("panel.export_verified", files=self.report.files) if ok
                                  else self.tr("panel.export_verify_failed", problem=self.report.problems[0]))
        self._role(self.verify_label, "ok" if ok else "warning")
        self.verify_label.show()

    def _failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText("")
        self.verify_label.setText(self.tr("panel.export_failed", msg=message))
        self._role(self.verify_label, "warning")
        self.verify_label.show()

    def _job_ended(self) -> None:
        self.job = None
        self._show_target()
        self.busy_changed.emit()

    def busy(self) -> bool:
        return self.job is not None

    @staticmethod
    def _role(widget, role: str) -> None:
        widget.setProperty("role", role)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
