"""What every staff screen shares: a base screen that keeps its texts translated, a job
thread, and an in-panel second confirmation.

Staff screens take their collaborators in the constructor (store, config, a
store factory for worker threads, a sync source) and never reach for globals,
so each one is testable alone. Screens style nothing themselves: they set ``role``
properties (``primary``, ``danger``, ``section``, ``value``, ``warning``, ``card``,
``screen_title``, …) that ``ui/common/theme.py`` styles under ``#staff_panel``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ui.common.i18n import tr
from ui.common.screen import label


class StaffScreen(QWidget):
    """Base of every staff screen: texts registered once, re-applied on a language change.

    Signals:
        changed: the screen changed data in the store (others refresh).
        busy_changed: a job of this screen (export, sync, reconcile, …) started or ended;
            :meth:`busy` answers differently now.
    """

    changed = Signal()
    busy_changed = Signal()

    def __init__(self, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._texts: list[tuple[Any, str, str, dict]] = []

    def text(self, widget: Any, key: str, how: str = "text", **fmt: Any) -> Any:
        """Give ``widget`` the catalogue's ``key`` as its text (``how="text"``), placeholder
        (``"placeholder"``) or only its accessible name (``"a11y"``); the accessible name in every case."""
        self._texts.append((widget, key, how, fmt))
        self._apply(widget, key, how, fmt)
        return widget

    def _apply(self, widget: Any, key: str, how: str, fmt: dict) -> None:
        value = tr(key, self.lang, **fmt)
        if how == "placeholder":
            widget.setPlaceholderText(value)
        elif how == "text":
            widget.setText(value)
        widget.setAccessibleName(value.strip())

    def set_language(self, lang: str) -> None:
        self.lang = lang
        for widget, key, how, fmt in self._texts:
            self._apply(widget, key, how, fmt)
        self.refresh()

    def refresh(self) -> None:
        """Re-read what the screen shows (override)."""

    def busy(self) -> bool:
        """True while a job this screen started is still running (the panel must not time out)."""
        return False

    def tr(self, key: str, **fmt: Any) -> str:
        return tr(key, self.lang, **fmt)


def button(name: str, role: str | None = None) -> QPushButton:
    b = QPushButton()
    b.setObjectName(name)
    if role:
        b.setProperty("role", role)
    b.setMinimumHeight(72 if role != "primary" else 88)
    return b


def scrolling_page(screen: QWidget, body: QWidget | None = None, *, margins: tuple[int, int] = (40, 32),
                   spacing: int = 18) -> QVBoxLayout:
    """Give a staff page a frameless scroll area (nothing is ever cut off on a short screen).

    Returns the layout of ``body`` (objectName ``staff_body``), where the page's content goes.
    """
    outer = QVBoxLayout(screen)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    body = body if body is not None else QWidget()
    body.setObjectName("staff_body")
    scroll.setWidget(body)
    outer.addWidget(scroll)
    lay = QVBoxLayout(body)
    lay.setContentsMargins(margins[0], margins[1], margins[0], margins[1])
    lay.setSpacing(spacing)
    return lay


def card(name: str = "") -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    if name:
        frame.setObjectName(name)
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(28, 22, 28, 22)
    lay.setSpacing(12)
    return frame, lay


class ConfirmPanel(QFrame):
    """The second confirmation, inside the panel (no modal window a touch user could lose).

    Signals:
        accepted / rejected
    """

    accepted = Signal()
    rejected = Signal()

    def __init__(self, screen: StaffScreen, prefix: str) -> None:
        super().__init__()
        self.setObjectName(f"{prefix}_confirm")
        self.setProperty("role", "warning_box")
        lay = QVBoxLayout(self)
        self.message = label(name=f"{prefix}_confirm_message", role="warning")
        row = QHBoxLayout()
        self.yes = screen.text(button(f"{prefix}_confirm_yes", "danger"), "panel.confirm_yes")
        self.no = screen.text(button(f"{prefix}_confirm_no"), "panel.confirm_no")
        row.addWidget(self.yes)
        row.addWidget(self.no)
        lay.addWidget(self.message)
        lay.addLayout(row)
        self.yes.clicked.connect(self._yes)
        self.no.clicked.connect(self._no)
        self.hide()

    def ask(self, message: str) -> None:
        self.message.setText(message)
        self.message.setAccessibleName(message)
        self.show()

    def _yes(self) -> None:
        self.hide()
        self.accepted.emit()

    def _no(self) -> None:
        self.hide()
        self.rejected.emit()


class Job(QThread):
    """Run ``work(progress)`` off the GUI thread; results come back as signals.

    ``work`` gets a ``progress(done, total)`` callable and returns a result.
    Anything it raises arrives as ``failed`` with the message (environment
    errors carry plain messages already).

    Signals:
        progressed(int, int), succeeded(object), failed(str)
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[Callable[[int, int], None]], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(lambda done, total: self.progressed.emit(done, total))
        except Exception as exc:  # noqa: BLE001 - shown to staff, the GUI must survive
            self.failed.emit(str(exc) or exc.__class__.__name__)
        else:
            self.succeeded.emit(result)


def human_bytes(n: int | None, lang: str = "en") -> str:
    """``78000000000`` -> "78.0 GB" (en) / "78,0 GB" (de); "?" when unknown (see :func:`size_text`)."""
    from ui.staff.reasons import size_text

    return "?" if n is None else size_text(n, lang)


# ---------------------------------------------------------------- the sync source interface

from ui.common.sync_source import SyncSnapshot, SyncSource, SyncSummary  # noqa: E402, F401 - re-exported
