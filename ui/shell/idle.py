"""Idle handling in one place: an application-wide event filter.

Any touch, press, drag, wheel or key anywhere restarts the timer. When the
current timeout runs out, :attr:`IdleWatcher.idle` fires (the window shows the
"still there?" prompt); the next input after that fires :attr:`resumed` once.
The timeout is set per screen; ``None`` switches it off (the attract screen).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_E = QEvent.Type
INPUT_EVENTS = frozenset({
    _E.MouseButtonPress, _E.MouseButtonRelease, _E.MouseButtonDblClick,
    _E.TouchBegin, _E.TouchUpdate, _E.TouchEnd,
    _E.TabletPress, _E.TabletMove, _E.TabletRelease,
    _E.KeyPress, _E.Wheel, _E.InputMethod,
})


def is_input(event: QEvent) -> bool:
    """True for what a person does; a mouse move counts only with a button held."""
    t = event.type()
    if t == _E.MouseMove:
        return bool(event.buttons())  # type: ignore[attr-defined]
    return t in INPUT_EVENTS


class IdleWatcher(QObject):
    """Signals:
        idle(): no input for the current timeout.
        resumed(): the first input after ``idle``.
    """

    idle = Signal()
    resumed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._timeout: float | None = None
        self.waiting = False  # idle fired, no input since

    @property
    def timeout(self) -> float | None:
        return self._timeout

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def set_timeout(self, seconds: float | None) -> None:
        """Use ``seconds`` from now on (None: never idle) and restart the clock."""
        self._timeout = seconds
        self.waiting = False
        self.restart()

    def restart(self) -> None:
        if self._timeout is None:
            self._timer.stop()
        else:
            self._timer.start(max(1, round(self._timeout * 1000)))

    def stop(self) -> None:
        self._timer.stop()
        self.waiting = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if is_input(event):
            if self.waiting:
                self.waiting = False
                self.resumed.emit()
            self.restart()
        return False

    def _on_timeout(self) -> None:
        self.waiting = True
        self.idle.emit()
