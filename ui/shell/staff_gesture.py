"""Staff entry: N taps in one corner within a few seconds.

:class:`CornerTaps` is the pure rule (time injected); :class:`StaffGesture` is
an application-wide filter that feeds it presses landing in the corner zone of
the window, and emits ``triggered``. Taps on a button are the button's, not
the gesture's; a visitor will not tap empty corner space five times by chance.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

ZONE_PX = 120
_E = QEvent.Type


@cache
def _interactive() -> tuple[type[QWidget], ...]:
    """Widgets whose taps are their own. Imported on the first tap in the corner: importing
    QLineEdit, QTextEdit and QAbstractSlider builds their enums, which the first paint does not need."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QLineEdit, QTextEdit  # noqa: PLC0415

    return (QAbstractButton, QLineEdit, QTextEdit, QAbstractSlider)


def in_corner(x: float, y: float, width: int, height: int, corner: str, zone: int = ZONE_PX) -> bool:
    vertical, _, horizontal = corner.partition("-")
    ok_y = y < zone if vertical == "top" else y >= height - zone
    ok_x = x < zone if horizontal == "left" else x >= width - zone
    return 0 <= x < width and 0 <= y < height and ok_x and ok_y


class CornerTaps:
    """``taps`` taps within ``window_s`` seconds; a tap outside the corner starts over."""

    def __init__(self, taps: int, window_s: float) -> None:
        self.taps = taps
        self.window_s = window_s
        self._times: deque[float] = deque(maxlen=taps)

    def tap(self, now: float, in_zone: bool) -> bool:
        """Record one tap; True when it completes the gesture (which then starts over)."""
        if not in_zone:
            self._times.clear()
            return False
        self._times.append(now)
        if len(self._times) == self.taps and now - self._times[0] <= self.window_s:
            self._times.clear()
            return True
        return False


class StaffGesture(QObject):
    """Signals:
        triggered(): the gesture was completed on ``window``.
    """

    triggered = Signal()

    def __init__(self, window: QWidget, corner: str, taps: int, window_s: float,
                 zone: int = ZONE_PX, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.clock = clock
        self.window = window
        self.corner = corner
        self.zone = zone
        self.enabled = True
        self.rule = CornerTaps(taps, window_s)
        self._last: tuple[int, int, int] | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        t = event.type()
        if not self.enabled or t not in (_E.MouseButtonPress, _E.TouchBegin):
            return False
        if t == _E.TouchBegin:
            points = event.points()  # type: ignore[attr-defined]
            if not points:
                return False
            gpos = points[0].globalPosition().toPoint()
        else:
            gpos = event.globalPosition().toPoint()  # type: ignore[attr-defined]
        # One physical press reaches the window and then each widget up the
        # parent chain (and touch is turned into a mouse press): count it once.
        # (Timestamps only tell copies apart; QTest's are not wall time.)
        key = (event.timestamp(), gpos.x(), gpos.y())  # type: ignore[attr-defined]
        if key == self._last:
            return False
        self._last = key
        if not self.window.isVisible():
            return False
        local = self.window.mapFromGlobal(gpos)
        zone = in_corner(local.x(), local.y(), self.window.width(), self.window.height(),
                         self.corner, self.zone) and not self._on_interactive(self.window.childAt(local))
        if self.rule.tap(self.clock(), zone):
            self.triggered.emit()
        return False

    @staticmethod
    def _on_interactive(w: QWidget | None) -> bool:
        while w is not None:
            if isinstance(w, _interactive()):
                return True
            w = w.parentWidget()
        return False
