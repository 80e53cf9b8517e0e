"""The staff PIN pad: big digits, delete, OK, masked dots, growing lockout.

The PIN is checked off the key-press path, in a short worker thread (argon2
takes about 80 ms), and the result comes back as a queued signal. Wrong PINs
count up; ``lockout(failures)`` gives the seconds during which the pad stays
disabled with a visible countdown. The count survives closing the pad and an
idle reset: only the right PIN clears it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from ui.common import icons
from ui.common.theme import DEFAULT_TEXT
from ui.common.i18n import Language
from ui.common.screen import label
from ui.shell.overlay import Overlay

MAX_DIGITS = 12


class _Result(QObject):
    done = Signal(int, bool)  # generation, ok


class PinPad(Overlay):
    """Signals:
        accepted(): the right PIN was entered.
        cancelled(): the pad was closed without a PIN.
        refused(int, float): a wrong PIN; failures so far and the lockout in seconds.
    """

    accepted = Signal()
    cancelled = Signal()
    refused = Signal(int, float)

    def __init__(self, parent: QWidget, language: Language, verify: Callable[[str], bool],
                 lockout: Callable[[int], float], icon_color: str = DEFAULT_TEXT) -> None:
        super().__init__(parent, "pin_pad")
        self.language = language
        self._verify = verify
        self._lockout = lockout
        self._digits = ""
        self.failures = 0
        self._locked_until = 0.0
        self._busy = False
        self._generation = 0
        self._result = _Result(self)
        self._result.done.connect(self._on_result)
        self._tick = QTimer(self)
        self._tick.setInterval(100)
        self._tick.timeout.connect(self._update_lock)

        self.title = label(name="pin_title", wrap=False)
        self.dots = label(name="pin_dots", wrap=False)
        self.message = label(name="pin_message")
        for w in (self.title, self.dots, self.message):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_buttons: list[QPushButton] = []
        grid = QGridLayout()
        grid.setSpacing(20)
        for d in range(10):
            b = QPushButton(str(d))
            b.setObjectName(f"pin_digit_{d}")
            b.setProperty("role", "digit")
            b.clicked.connect(lambda _=False, d=d: self.press_digit(str(d)))
            self.digit_buttons.append(b)
        self.delete = QPushButton()
        self.delete.setObjectName("pin_delete")
        self.delete.setProperty("role", "digit")
        self.delete.setIcon(QIcon(icons.pixmap("mdi6.backspace-outline", icon_color, 48)))
        self.delete.setIconSize(QSize(48, 48))
        self.delete.clicked.connect(self.press_delete)
        self.ok = QPushButton()
        self.ok.setObjectName("pin_ok")
        self.ok.setProperty("role", "digit")
        self.ok.clicked.connect(self.submit)
        # Added in the order shown (1-9, then delete, 0, OK): the widgets become the card's children in
        # this order, and a screen reader reads them in it.
        for d in range(1, 10):
            grid.addWidget(self.digit_buttons[d], (d - 1) // 3, (d - 1) % 3)
        grid.addWidget(self.delete, 3, 0)
        grid.addWidget(self.digit_buttons[0], 3, 1)
        grid.addWidget(self.ok, 3, 2)
        self.cancel = QPushButton()
        self.cancel.setObjectName("pin_cancel")
        self.cancel.setMinimumWidth(300)
        self.cancel.clicked.connect(self.close_pad)

        lay = self.card_layout
        lay.setSpacing(18)
        lay.addWidget(self.title)
        lay.addWidget(self.dots)
        lay.addWidget(self.message)
        lay.addSpacing(8)
        lay.addLayout(grid)
        lay.addSpacing(12)
        lay.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

    # -------------------------------------------------------------- state

    @property
    def entered(self) -> str:
        return self._digits

    def locked_for(self) -> float:
        return max(0.0, self._locked_until - time.monotonic())

    def open(self) -> None:
        self._digits = ""
        self._refresh()
        self.present()
        self.setFocus()

    def close_pad(self) -> None:
        self.reset()
        self.cancelled.emit()

    def reset(self) -> None:
        """Forget the digits and any check in flight; keep the failure count."""
        self._digits = ""
        self._generation += 1
        self._busy = False
        self.hide()
        self._refresh()

    # -------------------------------------------------------------- input

    def press_digit(self, d: str) -> None:
        if self._input_blocked() or len(self._digits) >= MAX_DIGITS:
            return
        self._digits += d
        self._refresh()

    def press_delete(self) -> None:
        if not self._input_blocked():
            self._digits = self._digits[:-1]
            self._refresh()

    def submit(self) -> None:
        if self._input_blocked() or not self._digits:
            return
        pin, self._digits = self._digits, ""
        self._busy = True
        self._generation += 1
        generation, verify, result = self._generation, self._verify, self._result
        self._refresh()
        self.message.setText(self.language.tr("pin.checking"))

        def work() -> None:
            try:
                ok = bool(verify(pin))
            except Exception:  # a broken hash refuses, it never opens
                ok = False
            result.done.emit(generation, ok)

        threading.Thread(target=work, name="pin-verify", daemon=True).start()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        if text.isdigit() and text.isascii():
            self.press_digit(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.press_delete()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)

    def _input_blocked(self) -> bool:
        return self._busy or self.locked_for() > 0

    def _on_result(self, generation: int, ok: bool) -> None:
        if generation != self._generation:
            return  # the pad was reset meanwhile; a late answer opens nothing
        self._busy = False
        if ok:
            self.failures = 0
            self._locked_until = 0.0
            self.reset()
            self.accepted.emit()
            return
        self.failures += 1
        delay = float(self._lockout(self.failures))
        self._locked_until = time.monotonic() + delay
        self.refused.emit(self.failures, delay)
        self._refresh()

    # -------------------------------------------------------------- view

    def _update_lock(self) -> None:
        self._refresh()

    def _refresh(self) -> None:
        locked = self.locked_for()
        blocked = self._busy or locked > 0
        for b in (*self.digit_buttons, self.delete, self.ok):
            b.setEnabled(not blocked)
        self.ok.setEnabled(not blocked and bool(self._digits))
        n = len(self._digits)
        self.dots.setText("  ".join("●" * n) if n else " ")
        self.dots.setAccessibleName(self.language.tr("pin.dots.a11y", n=n))
        error = locked > 0 or self.failures > 0
        if locked > 0:
            self.message.setText(self.language.tr("pin.locked", s=math.ceil(locked)))
            if not self._tick.isActive():
                self._tick.start()
        else:
            self._tick.stop()
            if not self._busy:
                self.message.setText(self.language.tr("pin.wrong") if self.failures and not n
                                     else self.language.tr("pin.hint"))
        if self.message.property("error") != error:
            self.message.setProperty("error", error)
            if self.message.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
                self.message.style().unpolish(self.message)
                self.message.style().polish(self.message)

    def retranslate(self) -> None:
        tr = self.language.tr
        self.title.setText(tr("pin.title"))
        for d, b in enumerate(self.digit_buttons):
            b.setAccessibleName(tr("pin.digit.a11y", d=d))
        self.delete.setAccessibleName(tr("pin.delete.a11y"))
        self.ok.setText(tr("pin.ok"))
        self.ok.setAccessibleName(tr("pin.ok.a11y"))
        self.cancel.setText(tr("pin.cancel"))
        self.cancel.setAccessibleName(tr("pin.cancel"))
        self._refresh()
