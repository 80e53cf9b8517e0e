"""A row of widgets that turns into a column when they do not fit side by side.

On a narrow screen (a 16:10 terminal, a portrait staff panel, a long English label)
buttons side by side would otherwise cut their texts; stacked, each keeps its words.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QWidget


class FitRow(QWidget):
    """``widgets`` left to right, or top to bottom when their widths do not fit.

    Args:
        apart: in a row, push the widgets apart (a stretch between each); else pack them to
            the left (a stretch at the end), unless ``grow`` takes the room.
        grow: the widget that takes the room left in a row (a search field), if any.
    """

    def __init__(self, *widgets: QWidget, spacing: int = 20, apart: bool = True, grow: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widgets = widgets
        self._spacing = spacing
        self._apart = apart and grow is None
        self._grow = grow
        self._lay = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(spacing)
        self._row = False
        self._arrange(row=True)

    def _row_width(self) -> int:
        return (sum(max(w.sizeHint().width(), w.minimumWidth()) for w in self._widgets)
                + self._spacing * (len(self._widgets) - 1))

    def _arrange(self, *, row: bool) -> None:
        while self._lay.count():
            self._lay.takeAt(0)
        self._lay.setDirection(QBoxLayout.Direction.LeftToRight if row else QBoxLayout.Direction.TopToBottom)
        for i, widget in enumerate(self._widgets):
            if row and i and self._apart:
                self._lay.addStretch(1)
            self._lay.addWidget(widget, 1 if row and widget is self._grow else 0)
        if row and not self._apart and self._grow is None:
            self._lay.addStretch(1)
        self._row = row

    @property
    def stacked(self) -> bool:
        return not self._row

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - a column is always possible
        widest = max((w.minimumSizeHint().width() for w in self._widgets), default=0)
        return QSize(widest, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        row = self._row_width() <= event.size().width()
        if row != self._row:
            self._arrange(row=row)
