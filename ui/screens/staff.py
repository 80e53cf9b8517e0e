"""The staff panel (placeholder for later staff tools): status, warnings, exit.

It shows a :class:`StaffStatus` snapshot taken when the screen is entered;
``kiosk.app`` builds that snapshot from the config and the store, so this
module knows nothing about storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.screens.base import Screen, ScreenContext, label


@dataclass(frozen=True, slots=True)
class StaffStatus:
    kiosk_id: str
    config_source: str
    data_dir: str
    accepting: bool = True
    counts: tuple[tuple[str, str], ...] = ()
    notices: tuple[str, ...] = field(default_factory=tuple)


class StaffScreen(Screen):
    """Signals:
        exit_requested(): staff pressed "Exit kiosk".
    """

    name = "staff"
    exit_requested = Signal()

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._status: StaffStatus | None = None
        self.title = label(name="staff_title", role="screen_title")

        self.info_card = QFrame()
        self.info_card.setProperty("role", "card")
        grid = QGridLayout(self.info_card)
        grid.setContentsMargins(40, 32, 40, 32)
        grid.setHorizontalSpacing(40)
        grid.setVerticalSpacing(18)
        self.info_labels = {}
        self.info_values = {}
        for row, key in enumerate(("staff.kiosk", "staff.config", "staff.data_dir")):
            k = label(role="section", wrap=False)
            v = label(role="value")
            v.setObjectName("staff_" + key.split(".")[1])
            v.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            grid.addWidget(k, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(v, row, 1)
            self.info_labels[key], self.info_values[key] = k, v
        grid.setColumnStretch(1, 1)

        self.counts_heading = label(role="section", wrap=False)
        self.counts = label(name="staff_counts", role="value")
        self.notices_heading = label(role="section", wrap=False)
        self.notices_box = QVBoxLayout()
        self.notices_box.setSpacing(12)
        notices = QWidget()
        notices.setObjectName("staff_notices")
        notices.setLayout(self.notices_box)

        self.back = QPushButton()
        self.back.setObjectName("staff_back")
        self.back.setMinimumWidth(300)
        self.back.clicked.connect(self.finished)
        self.exit = QPushButton()
        self.exit.setObjectName("staff_exit")
        self.exit.setProperty("role", "danger")
        self.exit.setMinimumWidth(300)
        self.exit.clicked.connect(self.exit_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.exit)

        root = QVBoxLayout(self)
        root.setContentsMargins(112, 80, 112, 72)
        root.setSpacing(24)
        root.addWidget(self.title)
        root.addSpacing(8)
        root.addWidget(self.info_card)
        root.addSpacing(12)
        root.addWidget(self.counts_heading)
        root.addWidget(self.counts)
        root.addSpacing(12)
        root.addWidget(self.notices_heading)
        root.addWidget(notices)
        root.addStretch(1)
        root.addLayout(buttons)

    def entered(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        provider = self.ctx.staff_status
        self._status = provider() if provider else None
        self._show_status()

    def reset(self) -> None:
        super().reset()
        self._status = None
        self._show_status()

    def retranslate(self) -> None:
        self.title.setText(self.tr_("staff.title"))
        for key, lab in self.info_labels.items():
            lab.setText(self.tr_(key).upper())
        self.counts_heading.setText(self.tr_("staff.counts").upper())
        self.notices_heading.setText(self.tr_("staff.notices").upper())
        for button, key in ((self.back, "staff.back"), (self.exit, "staff.exit")):
            button.setText(self.tr_(key))
            button.setAccessibleName(self.tr_(key + ".a11y"))
        self._show_status()

    def _show_status(self) -> None:
        s = self._status
        values = (s.kiosk_id, s.config_source, s.data_dir) if s else ("", "", "")
        for lab, value in zip(self.info_values.values(), values):
            lab.setText(value)
        self.counts.setText("    ".join(f"{k}: {v}" for k, v in s.counts) if s and s.counts
                            else self.tr_("staff.no_counts"))
        while self.notices_box.count():
            item = self.notices_box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        lines = []
        if s and not s.accepting:
            lines.append(self.tr_("staff.refusing"))
        lines.extend(s.notices if s else ())
        if not lines:
            self.notices_box.addWidget(label(self.tr_("staff.no_notices"), role="value"))
        for i, text in enumerate(lines):
            self.notices_box.addWidget(label(text, name=f"staff_notice_{i}", role="warning"))
