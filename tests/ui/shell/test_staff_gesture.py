"""Staff entry: N taps in the configured corner within the window open the PIN pad."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from ui.shell.main_window import MainWindow
from ui.shell.staff_gesture import CornerTaps, in_corner


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(window: MainWindow) -> Clock:
    c = Clock()
    window.parts.gesture.clock = c
    return c


def corner_point(window: MainWindow, corner: str) -> QPoint:
    x = 20 if corner.endswith("left") else window.width() - 20
    y = 20 if corner.startswith("top") else window.height() - 20
    return QPoint(x, y)


def tap(qtbot, window: MainWindow, pos: QPoint, clock: Clock, dt: float = 0.2) -> None:
    clock.now += dt
    qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=pos)


def test_taps_in_corner_open_the_pin_pad(qtbot, window: MainWindow, clock: Clock) -> None:
    staff = window.config.staff
    pos = corner_point(window, staff.corner)
    for _ in range(staff.taps - 1):
        tap(qtbot, window, pos, clock)
        assert not window.pin_pad.isVisible()  # N-1 taps are not enough
    tap(qtbot, window, pos, clock)
    assert window.pin_pad.isVisible()


def test_taps_spread_out_do_not_open(qtbot, window: MainWindow, clock: Clock) -> None:
    staff = window.config.staff
    pos = corner_point(window, staff.corner)
    gap = staff.tap_window_s / (staff.taps - 1) + 0.05  # all N taps span more than the window
    for _ in range(staff.taps * 2):
        tap(qtbot, window, pos, clock, dt=gap)
    assert not window.pin_pad.isVisible()


def test_taps_elsewhere_do_not_count(qtbot, window: MainWindow, clock: Clock) -> None:
    staff = window.config.staff
    wrong = "bottom-left" if staff.corner != "bottom-left" else "top-right"
    for _ in range(staff.taps + 2):
        tap(qtbot, window, corner_point(window, wrong), clock)
    assert not window.pin_pad.isVisible()
    # a tap outside the corner in between starts over
    pos = corner_point(window, staff.corner)
    for _ in range(staff.taps - 1):
        tap(qtbot, window, pos, clock)
    tap(qtbot, window, QPoint(window.width() // 2, window.height() // 2), clock)
    tap(qtbot, window, pos, clock)
    assert not window.pin_pad.isVisible()


def test_taps_on_a_button_in_the_corner_are_the_buttons(qtbot, window: MainWindow, clock: Clock) -> None:
    from PySide6.QtWidgets import QPushButton

    staff = window.config.staff
    attract = window.screens["attract"]
    button = QPushButton("x", attract)
    button.setGeometry(0, 0, 100, 100)
    button.move(attract.mapFrom(window, corner_point(window, staff.corner)) - QPoint(50, 50))
    button.show()
    clicks = []
    button.clicked.connect(lambda: clicks.append(1))
    for _ in range(staff.taps + 1):
        clock.now += 0.1
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(clicks) == staff.taps + 1
    assert not window.pin_pad.isVisible()


@pytest.mark.parametrize("times, expected", [
    ([0, 0.5, 1.0, 1.5, 2.0], True),
    ([0, 0.5, 1.0, 1.5], False),
    ([0, 1.0, 2.0, 3.0, 3.5], False),       # 3.5 s from first to last
    ([0, 1.0, 2.0, 3.0, 3.5, 3.6], True),   # the last five fit in 3 s
])
def test_corner_taps_rule(times, expected) -> None:
    rule = CornerTaps(5, 3.0)
    assert any([rule.tap(t, True) for t in times]) is expected


@pytest.mark.parametrize("x, y, corner, inside", [
    (10, 10, "top-left", True), (130, 10, "top-left", False),
    (1900, 10, "top-right", True), (1900, 200, "top-right", False),
    (10, 1070, "bottom-left", True), (1910, 1070, "bottom-right", True), (1910, 1070, "top-left", False),
])
def test_in_corner(x, y, corner, inside) -> None:
    assert in_corner(x, y, 1920, 1080, corner) is inside
