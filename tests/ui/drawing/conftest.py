"""Fixtures for the drawing studio tests: a shown canvas and pixel helpers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from ui.drawing.canvas import CanvasWidget

W, H = 400, 300


@pytest.fixture
def canvas(qtbot):
    w = CanvasWidget()
    qtbot.add_widget(w)
    w.resize(W, H)
    w.show()
    qtbot.wait_exposed(w)
    assert (w.drawing.width, w.drawing.height) == (W, H)
    return w


@pytest.fixture(scope="session")
def touch_device():
    return QTest.createTouchDevice()


def is_ink(img: QImage, x: int, y: int) -> bool:
    return QColor(img.pixel(x, y)).name() != "#ffffff"


def ink_bounds(img: QImage) -> tuple[int, int, int, int] | None:
    """Bounding box (x0, y0, x1, y1) of every non-white pixel, or None for blank paper."""
    xs, ys = [], []
    white = QColor("#ffffff").rgb()
    for y in range(img.height()):
        for x in range(img.width()):
            if img.pixel(x, y) != white:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def touch(canvas, dev, *frames):
    """Send touch events; each frame is a list of (action, id, (x, y))."""
    for frame in frames:
        seq = QTest.touchEvent(canvas, dev, False)
        for action, tid, (x, y) in frame:
            getattr(seq, action)(tid, QPoint(x, y), canvas)
        seq.commit()


def drag(canvas, points, button=None):
    from PySide6.QtCore import Qt
    button = button or Qt.MouseButton.LeftButton
    QTest.mousePress(canvas, button, pos=QPoint(*points[0]))
    for pt in points[1:]:
        QTest.mouseMove(canvas, QPoint(*pt))
    QTest.mouseRelease(canvas, button, pos=QPoint(*points[-1]))
