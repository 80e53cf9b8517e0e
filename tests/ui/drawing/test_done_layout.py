"""The drawing form's "back" and "send" stay in their row beside the form, whatever the window
went through before (laid out once more when the kiosk takes the screen's size, or turned)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget


def rect_in(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("sizes", [[(1920, 1080)], [(1080, 1920), (1920, 1080)], [(1920, 1080), (1080, 1920)]],
                         ids=["landscape", "turned-to-landscape", "turned-to-portrait"])
def test_back_and_send_sit_in_the_form_not_over_the_picture(qtbot, make_window, sizes) -> None:  # noqa: ANN001
    window = make_window(size=sizes[0])
    window.show_screen("drawing")
    screen = window.screens["drawing"].ensure()
    for size in sizes[1:]:
        window.resize(*size)
        qtbot.wait(50)
    canvas = screen.canvas
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    QTest.mouseMove(canvas, QPoint(200, 200))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 200))
    screen.studio.done.click()
    page = screen.done_page
    qtbot.waitUntil(lambda: page.send.isVisible())
    qtbot.wait(50)
    preview, field = rect_in(page.preview, window), rect_in(page.name, window)
    for button in (page.back, page.send):
        where = rect_in(button, window)
        assert not where.intersects(preview), f"{button.objectName()} at {where} over the picture at {preview}"
        assert where.top() > field.bottom(), f"{button.objectName()} at {where} above the name field at {field}"
    assert page.back.parentWidget() is page.send.parentWidget()
    rows = [w for w in page.form.findChildren(QWidget) if type(w).__name__ == "FitRow"]
    assert rows == [page.back.parentWidget()]
