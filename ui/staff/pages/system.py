"""Staff system: test the connection, reconcile with the receiver, purge after the event,
restart or exit the kiosk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit

from kiosk.core import purge as purging
from kiosk.core.reconcile import ReceiverClient, reconcile
from ui.staff.common import ConfirmPanel, Job, StaffScreen, button, card, human_bytes, scrolling_page
from ui.common.fit_row import FitRow
from ui.common.screen import label


class SystemScreen(StaffScreen):
    """Signals:
        exit_requested: staff want to leave the kiosk app.
        restart_requested: staff want the app restarted.
    """

    exit_requested = Signal()
    restart_requested = Signal()

    def __init__(self, store_factory: Callable[[], Any], config: Any, lang: str = "de",
                 client_factory: Callable[[], ReceiverClient] | None = None) -> None:
        super().__init__(lang)
        self.setObjectName("staff_system")
        self.store_factory, self.config = store_factory, config
        self.client_factory = client_factory or (lambda: ReceiverClient.from_config(config))
        self.jobs: list[Job] = []
        self.plan: purging.PurgePlan | None = None
        lay = scrolling_page(self)
        lay.addWidget(self.text(label(name="staff_system_title", role="screen_title"), "panel.sys_title"))

        frame, cl = card()
        cl.addWidget(self.text(label(role="section"), "panel.sys_connection"))
        self.test = self.text(button("staff_system_test_connection"), "panel.sys_test")
        self.reconcile_button = self.text(button("staff_system_reconcile"), "panel.sys_reconcile")
        cl.addWidget(FitRow(self.test, self.reconcile_button, spacing=12, apart=False))
        self.connection = label(name="staff_system_connection_result", role="muted")
        self.reconcile_result = label(name="staff_system_reconcile_result", role="muted")
        cl.addWidget(self.connection)
        cl.addWidget(self.reconcile_result)
        lay.addWidget(frame)

        frame, pl = card()
        pl.addWidget(self.text(label(role="section"), "panel.sys_wipe"))
        self.purge_button = self.text(button("staff_system_purge", "danger"), "panel.sys_purge")
        pl.addWidget(self.purge_button)
        self.purge_plan = label(name="staff_system_purge_plan", role="value")
        self.purge_plan.hide()
        pl.addWidget(self.purge_plan)
        self.phrase = QLineEdit()
        self.phrase.setObjectName("staff_system_purge_phrase")
        self.text(self.phrase, "panel.sys_purge_phrase", "placeholder")
        self.phrase.hide()
        pl.addWidget(self.phrase)
        self.purge_confirm = ConfirmPanel(self, "staff_system_purge")
        pl.addWidget(self.purge_confirm)
        self.purge_result = label(name="staff_system_purge_result", role="ok")
        self.purge_result.hide()
        pl.addWidget(self.purge_result)
        lay.addWidget(frame)

        frame, al = card()
        al.addWidget(self.text(label(role="section"), "panel.sys_app"))
        self.restart = self.text(button("staff_system_restart"), "panel.sys_restart")
        self.exit = self.text(button("staff_system_exit", "danger"), "panel.sys_exit")
        al.addWidget(FitRow(self.restart, self.exit, spacing=12, apart=False))
        lay.addWidget(frame)
        lay.addStretch(1)

        self.test.clicked.connect(self.test_connection)
        self.reconcile_button.clicked.connect(self.run_reconcile)
        self.purge_button.clicked.connect(self.plan_purge)
        self.purge_confirm.accepted.connect(self.run_purge)
        self.restart.clicked.connect(self.restart_requested)
        self.exit.clicked.connect(self.exit_requested)

    def _run(self, work, ok, busy_button) -> None:
        job = Job(work, self)
        busy_button.setEnabled(False)
        job.succeeded.connect(ok)
        job.failed.connect(lambda msg: self._failed(busy_button, msg))
        job.finished.connect(lambda: (busy_button.setEnabled(True), self.jobs.remove(job), self.busy_changed.emit()))
        self.jobs.append(job)
        job.start()
        self.busy_changed.emit()

    def busy(self) -> bool:
        return bool(self.jobs)

    def _failed(self, source, message: str) -> None:
        target = {self.test: self.connection, self.reconcile_button: self.reconcile_result}.get(source,
                                                                                               self.purge_result)
        target.setText(message)
        target.setProperty("role", "warning")
        target.style().unpolish(target)
        target.style().polish(target)
        target.show()

    def test_connection(self) -> None:
        factory = self.client_factory
        self.connection.setText("…")
        self._run(lambda _p: factory().health(), self._health, self.test)

    def _health(self, answer: dict) -> None:
        self.connection.setText(self.tr("panel.sys_test_ok", version=answer.get("version", "?"),
                                        protocol=answer.get("protocol", "?")))
        self.connection.setProperty("role", "ok")
        self.connection.style().polish(self.connection)

    def run_reconcile(self) -> None:
        factory, stores = self.client_factory, self.store_factory

        def work(progress):
            client, store = factory(), stores()
            try:
                return reconcile(store, client.receipt, progress=progress)
            finally:
                store.close()

        self.reconcile_result.setText("…")
        self._run(work, self._reconciled, self.reconcile_button)

    def _reconciled(self, report) -> None:
        counts = self.tr("panel.sys_reconcile_counts", held=report.held, verified=report.verified,
                         pending=len(report.pending), failed=len(report.failed), withheld=len(report.withheld),
                         mismatch=len(report.mismatches))
        verdict = self.tr("panel.sys_reconcile_ok" if report.ok else "panel.sys_reconcile_bad")
        self.reconcile_result.setText(f"{verdict}\n{counts}")
        self.reconcile_result.setProperty("role", "ok" if report.ok else "warning")
        self.reconcile_result.style().polish(self.reconcile_result)

    def plan_purge(self) -> None:
        stores = self.store_factory

        def work(_progress):
            store = stores()
            try:
                return purging.plan_purge(store)
            finally:
                store.close()

        self._run(work, self._planned, self.purge_button)

    def _planned(self, plan: purging.PurgePlan) -> None:
        self.plan = plan
        text = self.tr("panel.sys_purge_plan", safe=len(plan.safe))
        if plan.lost:
            text += "\n" + self.tr("panel.sys_purge_risk", lost=plan.lost, phrase=purging.confirmation_phrase(plan.lost))
        self.purge_plan.setText(text)
        self.purge_plan.show()
        self.phrase.setVisible(plan.lost > 0)
        self.purge_result.hide()
        self.purge_confirm.ask(self.tr("panel.sys_purge_confirm"))

    def run_purge(self) -> None:
        plan, phrase, stores = self.plan, self.phrase.text(), self.store_factory
        if plan is None:
            return

        def work(_progress):
            store = stores()
            try:
                return purging.purge(store, confirm=phrase, plan=plan)
            finally:
                store.close()

        self._run(work, self._purged, self.purge_button)

    def _purged(self, result: purging.PurgeResult) -> None:
        self.plan = None
        self.phrase.clear()
        self.phrase.hide()
        self.purge_plan.hide()
        self.purge_result.setText(self.tr("panel.sys_purged", n=result.purged,
                                          before=human_bytes(result.bytes_before, self.lang),
                                          after=human_bytes(result.bytes_after, self.lang)))
        self.purge_result.setProperty("role", "ok")
        self.purge_result.style().polish(self.purge_result)
        self.purge_result.show()
        self.changed.emit()
