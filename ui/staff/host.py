"""The "staff" screen of the shell: hosts the :class:`~ui.staff.panel.StaffPanel` after the PIN.

The panel is built on first entry by ``make_panel()`` (``kiosk.app`` passes
one that gives it the store, the config and the sync adapter): its imports
and queries stay out of cold start, and a visitor who never enters the PIN
never pays for it. If the panel cannot be built (the store is unavailable,
say), the screen still shows why and offers "exit kiosk" and "back", so staff
are never locked in a kiosk they cannot leave.

It times out (a panel left open is closed for the next visitor), but after
:data:`STAFF_IDLE_TIMEOUT_S`, not the visitors' short timeout, and never while
an export, sync or reconcile started in the panel is running. A session reset
clears what staff typed and returns the panel to its overview.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.common.screen import Screen, ScreenContext, label

log = logging.getLogger("kiosk.ui")

STAFF_IDLE_TIMEOUT_S = 300.0
"""Staff read numbers, type reasons and wait for an export; 90 s (the visitors' default)
sent them back to the attract screen mid-task. A constant, not a kiosk.toml key (the
config module is not the UI's to change); ``[idle] timeout_s`` wins if it is longer."""


class StaffHostScreen(Screen):
    """Signals:
        exit_requested(): staff chose "exit kiosk".
        restart_requested(): staff chose "restart".
    """

    name = "staff"
    exit_requested = Signal()
    restart_requested = Signal()

    def __init__(self, ctx: ScreenContext, make_panel: Callable[[str], Any]) -> None:
        super().__init__(ctx)
        self._make_panel = make_panel
        self.panel: Any = None
        self.problem: QWidget | None = None
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)

    def idle_timeout(self) -> float | None:
        """Five minutes; none at all while a job of the panel runs (re-read when it ends)."""
        if self.panel is not None and self.panel.busy():
            return None
        return max(STAFF_IDLE_TIMEOUT_S, self.config.idle.timeout_s)

    def entered(self) -> None:
        if self.panel is None and self.problem is None:
            self._build()
        if self.panel is not None:
            if self.panel.lang != self.language.code:
                self.panel.set_language(self.language.code)
            self.panel.show_page("overview")

    def retranslate(self) -> None:
        """The panel follows the kiosk's language switch (and keeps its own toggle)."""
        if self.panel is not None and self.panel.lang != self.language.code:
            self.panel.set_language(self.language.code)

    def _build(self) -> None:
        try:
            panel = self._make_panel(self.language.code)
        except Exception as exc:  # noqa: BLE001 - staff must still be able to leave
            log.exception("the staff panel could not be built")
            self.problem = self._problem_page(str(exc) or type(exc).__name__)
            self._lay.addWidget(self.problem)
            self.problem.show()  # added to a visible screen: not shown by itself
            return
        panel.close_requested.connect(self.finished)
        panel.exit_requested.connect(self.exit_requested)
        panel.restart_requested.connect(self.restart_requested)
        panel.busy_changed.connect(self.idle_timeout_changed)
        self.panel = panel
        self._lay.addWidget(panel)
        panel.show()

    def _problem_page(self, why: str) -> QWidget:
        page = QWidget()
        page.setObjectName("staff_problem")
        lay = QVBoxLayout(page)
        lay.setContentsMargins(112, 80, 112, 72)
        lay.setSpacing(24)
        lay.addWidget(label(self.tr_("staff.title"), name="staff_title", role="screen_title"))
        lay.addWidget(label(why, name="staff_problem_message", role="warning"))
        lay.addStretch(1)
        back = QPushButton(self.tr_("staff.back"))
        back.setObjectName("staff_back")
        back.setAccessibleName(self.tr_("staff.back.a11y"))
        back.clicked.connect(self.finished)
        leave = QPushButton(self.tr_("staff.exit"))
        leave.setObjectName("staff_exit")
        leave.setProperty("role", "danger")
        leave.setAccessibleName(self.tr_("staff.exit.a11y"))
        leave.clicked.connect(self.exit_requested)
        row = QHBoxLayout()
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(leave)
        lay.addLayout(row)
        return page

    def reset(self) -> None:
        """Forget what staff typed (search, purge phrase) and close any confirmation."""
        super().reset()
        if self.panel is not None:
            self.panel.show_page("overview")
