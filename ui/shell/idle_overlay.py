""""Bist du noch da? / Still there?" with a large countdown and one big button.

Emits ``expired`` when the countdown runs out; the window then resets the whole
session. ``continued`` comes from the button; a touch anywhere is caught by the
idle watcher, which ends the prompt too.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from ui.common.i18n import Language, tr
from ui.common.screen import label
from ui.shell.overlay import Overlay


class IdleOverlay(Overlay):
    """Signals:
        continued(): the visitor pressed "Yes, continue".
        expired(): the countdown ran out.
    """

    continued = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget, language: Language) -> None:
        super().__init__(parent, "idle_overlay")
        self.language = language
        self._deadline = 0.0
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._update)
        self.title = label(name="idle_title")
        self.title_other = label(name="idle_title_other")
        self.body = label(name="idle_body")
        self.countdown = label(name="idle_countdown", wrap=False)
        self.seconds = label(name="idle_seconds", wrap=False)
        self.button = QPushButton()
        self.button.setObjectName("idle_continue")
        self.button.setProperty("role", "primary")
        self.button.setMinimumWidth(520)
        self.button.clicked.connect(self.continued)
        for w in (self.title, self.title_other, self.body, self.countdown, self.seconds):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card.setFixedWidth(880)
        lay = self.card_layout
        lay.addWidget(self.title)
        lay.addWidget(self.title_other)
        lay.addSpacing(8)
        lay.addWidget(self.countdown)
        lay.addWidget(self.seconds)
        lay.addSpacing(8)
        lay.addWidget(self.body)
        lay.addSpacing(24)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

    @property
    def running(self) -> bool:
        return self._tick.isActive()

    def remaining(self) -> float:
        return max(0.0, self._deadline - time.monotonic())

    def start(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        self._tick.start(max(20, min(250, int(seconds * 1000 / 20))))
        self._update()
        self.present()

    def stop(self) -> None:
        self._tick.stop()
        self.hide()

    def _update(self) -> None:
        left = self.remaining()
        n = math.ceil(left)
        self.countdown.setText(str(n))
        self.countdown.setAccessibleName(self.language.tr("idle.countdown.a11y", n=n))
        if left <= 0 and self._tick.isActive():
            self.stop()
            self.expired.emit()

    def retranslate(self) -> None:
        lang = self.language.code
        self.title.setText(self.language.tr("idle.title"))
        others = [code for code in self.language.languages if code != lang]
        # A passer-by may not read the visitor's language: the question in the other one, small.
        self.title_other.setText(" / ".join(tr("idle.title", c) for c in others))
        self.title_other.setVisible(bool(others))
        self.body.setText(self.language.tr("idle.body"))
        self.seconds.setText(self.language.tr("idle.seconds"))
        self.button.setText(self.language.tr("idle.continue"))
        self.button.setAccessibleName(self.language.tr("idle.continue"))
