"""The overview's charts show what they are given, also at the edges (one hour, nothing)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from ui.staff.charts import Timeline

W, H = 600, 160
BASE = H - 32  # the axis line of a Timeline of this height
EMPTY = "No contributions yet"


def rendered(points: list[tuple[str, int]], empty_text: str = "") -> QImage:
    chart = Timeline("t", "timeline")
    chart.set_data(points)
    chart.set_empty_text(empty_text)
    chart.resize(W, H)
    image = QImage(W, H, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    chart.render(image)
    return image


def changed(a: QImage, b: QImage, y: int) -> int:
    return sum(1 for x in range(W) if a.pixel(x, y) != b.pixel(x, y))


def test_a_single_hour_fills_the_timeline(qapp):
    empty, one = rendered([]), rendered([("29.11. 08h", 2)])
    assert changed(empty, one, BASE - 20) > W * 0.9  # filled across, not a hairline at x=0
    line = QColor(Timeline("t", "timeline").colours.series[0]).rgb()
    assert sum(1 for x in range(W) if one.pixel(x, 24) == line) > W * 0.5  # 2 of max 2: the line on top


def test_two_hours_rise_from_the_first_to_the_second(qapp):
    empty, two = rendered([]), rendered([("a", 0), ("b", 4)])
    row = BASE - 60
    filled = [x for x in range(W) if two.pixel(x, row) != empty.pixel(x, row)]
    assert filled and min(filled) > W * 0.4  # low on the left, filled only towards the right


def test_an_empty_chart_says_so_and_a_filled_one_does_not(qapp):
    middle = BASE // 2
    assert changed(rendered([]), rendered([], EMPTY), middle) > 20  # the words, in the middle
    points = [("a", 1), ("b", 1)]
    assert changed(rendered(points), rendered(points, EMPTY), middle) == 0
