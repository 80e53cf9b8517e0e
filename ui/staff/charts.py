"""Simple charts for the staff overview, drawn with QPainter: bars that read at a glance.

:class:`HBarChart` (one row per field of action, stacked ideas + drawings),
:class:`HourChart` (24 columns, stacked) and :class:`Timeline` (contributions
per hour across the event). Data goes in through ``set_data``; nothing here
reads the store.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.config import BrandingConfig
from ui.common.theme import ChartColours


def _font(px: int, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(["Inter", "DejaVu Sans", "Noto Sans"])
    f.setPixelSize(px)
    f.setBold(bold)
    return f


def nice_max(value: int) -> int:
    """The axis maximum: ``value`` rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for m in (1, 2, 5):
            if value <= step * m:
                return step * m
        step *= 10


class _Chart(QWidget):
    def __init__(self, name: str, accessible: str, parent: QWidget | None = None,
                 colours: ChartColours | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.colours = colours or ChartColours.from_branding(BrandingConfig())
        self.colors = [QColor(c) for c in self.colours.series]
        self.text_colour, self.muted, self.grid = (QColor(c) for c in (self.colours.text, self.colours.muted,
                                                                        self.colours.grid))
        self._hint = 0
        self.empty_text = ""
        """Shown in the middle while there is nothing to draw (set by the screen, translated)."""

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        self.update()

    def _paint_empty(self, p: QPainter, w: int, h: int) -> None:
        p.setPen(self.muted)
        p.setFont(_font(20))
        p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, self.empty_text)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(600, self._hint) if self._hint else super().sizeHint()


class HBarChart(_Chart):
    """Horizontal stacked bars: ``[(label, (ideas, drawings)), ...]``, largest first."""

    def __init__(self, name: str, accessible: str = "", parent: QWidget | None = None,
                 colours: ChartColours | None = None) -> None:
        super().__init__(name, accessible, parent, colours)
        self.rows: list[tuple[str, tuple[int, ...]]] = []

    def set_data(self, rows: Sequence[tuple[str, tuple[int, ...]]]) -> None:
        self.rows = list(rows)
        self._fit_height()
        self.update()

    LINE = 24
    """The height of one line of a row's label (20 px type); a row is at least 34 px."""

    def _label_width(self, w: int) -> int:
        """The label column: as wide as the longest label on one line, at most 58 % of the chart
        (the bars keep the rest); a label longer than that wraps."""
        fm = QFontMetrics(_font(20))
        widest = max((fm.horizontalAdvance(text) for text, _ in self.rows), default=0) + 24
        return max(min(int(w * 0.3), 160), min(widest, int(w * 0.58), 520))

    def _label_lines(self, text: str, width: int) -> int:
        """How many lines ``text`` takes in a label column ``width`` wide (wrapped at words, never elided)."""
        rect = QFontMetrics(_font(20)).boundingRect(QRect(0, 0, max(1, width - 16), 10_000),
                                                    int(Qt.TextFlag.TextWordWrap), text)
        return max(1, -(-rect.height() // QFontMetrics(_font(20)).lineSpacing()))

    def _row_heights(self, w: int, room: int) -> list[float]:
        """Each row's height: what its label needs, then the room left shared out (up to 46 a row)."""
        need = [max(34, self.LINE * self._label_lines(text, self._label_width(w)) + 8) for text, _ in self.rows]
        spare = max(0, room - sum(need))
        return [n + min(12, spare / len(need)) for n in need] if need else []

    def _fit_height(self) -> None:
        w = self.width() or 600
        needed = sum(max(34, self.LINE * self._label_lines(t, self._label_width(w)) + 8) for t, _ in self.rows)
        # labels wrap instead of being cut: a narrow chart grows; the landscape overview still fits 1920x1080
        self.setMinimumHeight(max(120, needed))
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(600, max(120, self.minimumHeight() + 8 * len(self.rows)))

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_height()

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        if not self.rows:
            self._paint_empty(p, w, h)
            p.end()
            return
        label_w = self._label_width(w)
        top = max((sum(v) for _, v in self.rows), default=0)
        scale = (w - label_w - 90) / max(top, 1)
        y = 0.0
        for (text, values), row_h in zip(self.rows, self._row_heights(w, h)):
            p.setPen(self.text_colour)
            p.setFont(_font(20))
            p.drawText(QRectF(0, y, label_w - 16, row_h), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
                                                                 | Qt.TextFlag.TextWordWrap), text)
            bar_h = min(row_h * 0.64, 30)
            x = float(label_w)
            for value, color in zip(values, self.colors):
                width = value * scale
                p.fillRect(QRectF(x, y + (row_h - bar_h) / 2, width, bar_h), color)
                x += width
            p.setPen(self.muted)
            p.setFont(_font(20, bold=True))
            p.drawText(QRectF(x + 10, y, 80, row_h), Qt.AlignmentFlag.AlignVCenter, str(sum(values)))
            y += row_h
        p.end()


class HourChart(_Chart):
    """24 stacked columns, local hours 0..23 (hours without data shown as a thin gap)."""

    def __init__(self, name: str, accessible: str = "", parent: QWidget | None = None,
                 colours: ChartColours | None = None) -> None:
        super().__init__(name, accessible, parent, colours)
        self.hours: list[tuple[int, ...]] = [(0, 0)] * 24
        self.setMinimumHeight(130)  # sizeHint 200: shrinks only to fit a landscape screen
        self._hint = 200

    def set_data(self, hours: Sequence[tuple[int, ...]]) -> None:
        self.hours = list(hours)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        base, top_pad = h - 32, 28
        col = w / 24
        top = nice_max(max((sum(v) for v in self.hours), default=0))
        p.setPen(QPen(self.grid, 2))
        p.drawLine(0, base, w, base)
        if not any(sum(v) for v in self.hours):
            self._paint_empty(p, w, base)
        p.setFont(_font(16))
        p.setPen(self.muted)
        p.drawText(QRectF(0, 0, w, top_pad), Qt.AlignmentFlag.AlignLeft, f"max {top}")
        for hour, values in enumerate(self.hours):
            x = hour * col + col * 0.15
            y = float(base)
            for value, color in zip(values, self.colors):
                height = (base - top_pad) * value / top
                p.fillRect(QRectF(x, y - height, col * 0.7, height), color)
                y -= height
            if hour % 3 == 0:
                p.setPen(self.muted)
                p.drawText(QRectF(hour * col, base + 4, col * 2, 26), Qt.AlignmentFlag.AlignLeft, f"{hour}h")
        p.end()


class Timeline(_Chart):
    """Contributions per hour from the first to the last: a filled line with day marks."""

    def __init__(self, name: str, accessible: str = "", parent: QWidget | None = None,
                 colours: ChartColours | None = None) -> None:
        super().__init__(name, accessible, parent, colours)
        self.points: list[tuple[str, int]] = []
        self.setMinimumHeight(100)  # sizeHint 160: shrinks only to fit a landscape screen
        self._hint = 160

    def set_data(self, points: Sequence[tuple[str, int]]) -> None:
        """``points``: (label such as "03.07. 14h", count) per hour, in order."""
        self.points = list(points)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        base, top_pad = h - 32, 24
        p.setPen(QPen(self.grid, 2))
        p.drawLine(0, base, w, base)
        if not self.points:
            self._paint_empty(p, w, base)
            p.end()
            return
        # One hour alone would be a line of no width: draw it across the chart instead.
        points = self.points if len(self.points) > 1 else self.points * 2
        top = nice_max(max(n for _, n in points))
        step = w / (len(points) - 1)
        path = QPainterPath()
        path.moveTo(0, base)
        for i, (_, n) in enumerate(points):
            path.lineTo(i * step, base - (base - top_pad) * n / top)
        path.lineTo((len(points) - 1) * step, base)
        path.closeSubpath()
        fill = QColor(self.colors[0])
        fill.setAlpha(60)
        p.fillPath(path, fill)
        p.setPen(QPen(self.colors[0], 3))
        for i in range(1, len(points)):
            p.drawLine(int((i - 1) * step), int(base - (base - top_pad) * points[i - 1][1] / top),
                       int(i * step), int(base - (base - top_pad) * points[i][1] / top))
        p.setFont(_font(16))
        p.setPen(self.muted)
        p.drawText(QRectF(0, 0, w, top_pad), Qt.AlignmentFlag.AlignLeft, f"max {top}")
        every = max(1, -(-len(self.points) * 120 // max(w, 1)))  # one label per 120 px at most
        for i in range(0, len(self.points), every):
            if i * step > w - 110:
                break
            p.drawText(QRectF(i * step, base + 4, 110, 26), Qt.AlignmentFlag.AlignLeft, self.points[i][0])
        p.end()
