"""The drawing studio's tools for small hands: colours, sizes, eraser, stamps, undo.

Every target is at least 72 px (default 84), shows a picture rather than a
word, and has a stable objectName and a German/English accessibleName.
Panels only announce what was chosen; the screen connects them to the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QGridLayout, QToolButton, QWidget

from kiosk.core.drawing import BRUSH_WIDTHS, PALETTE
from ui.common import icons
from ui.common.i18n import tr
from ui.common.theme import DANGER, INK, STUDIO_ICON_DISABLED, STUDIO_RING_OFF, WHITE
from ui.drawing.render import STAMP_KINDS

MIN_TARGET = 72
TARGET = 84


def tool_icon(name: str, color: str = INK):  # noqa: ANN201 - QIcon
    """A tool's picture (MDI 6 ``name``) in ``color``, greyed when disabled."""
    return icons.qicon(name, color, STUDIO_ICON_DISABLED)


class SwatchButton(QAbstractButton):
    """A round colour to tap; a dark ring and a white gap show the chosen one."""

    def __init__(self, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.color = color
        self.setCheckable(True)
        self.setFixedSize(TARGET, TARGET)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(TARGET, TARGET)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        if self.isChecked():
            p.setPen(QPen(QColor(INK), 5))
            p.setBrush(QColor(WHITE))
            p.drawEllipse(r)
            r = r.adjusted(9, 9, -9, -9)
        else:
            r = r.adjusted(6, 6, -6, -6)
        p.setPen(QPen(QColor(0, 0, 0, 60), 2))
        p.setBrush(QColor(self.color))
        p.drawEllipse(r)
        p.end()


class SizeButton(QAbstractButton):
    """A brush size, shown as a dot of that size in the current colour."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.color = PALETTE[0][0]
        self.setCheckable(True)
        self.setFixedSize(TARGET, TARGET)

    def set_color(self, color: str) -> None:
        self.color = color
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(3, 3, -3, -3)
        p.setPen(QPen(QColor(INK), 5) if self.isChecked() else QPen(QColor(STUDIO_RING_OFF), 2))
        p.setBrush(QColor(WHITE))
        p.drawRoundedRect(r, 22, 22)
        d = (10, 24, 46)[self.index]
        c = QColor(self.color)
        p.setPen(QPen(QColor(0, 0, 0, 70), 1.5) if c.lightness() > 225 else Qt.PenStyle.NoPen)
        p.setBrush(c)
        p.drawEllipse(r.center(), d / 2, d / 2)
        p.end()


class IconButton(QToolButton):
    """A square button with an mdi6 icon and no text."""

    def __init__(self, icon: str, name: str, *, checkable: bool = False, color: str = INK,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "drawtool")
        self.setIcon(tool_icon(icon, color))
        self.setIconSize(QSize(int(TARGET * 0.58), int(TARGET * 0.58)))
        self.setCheckable(checkable)
        self.setFixedSize(TARGET, TARGET)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)


def drop_layout(widget: QWidget) -> None:
    """Remove ``widget``'s layout (and nested ones) but keep every child widget."""
    import shiboken6

    def empty(layout) -> None:  # noqa: ANN001 - QLayout
        while layout.count():
            item = layout.takeAt(0)
            if item.layout() is not None:
                empty(item.layout())
                shiboken6.delete(item.layout())

    old = widget.layout()
    if old is not None:
        empty(old)
        shiboken6.delete(old)


def set_target(buttons: list[QWidget], px: int) -> None:
    """Resize tool buttons (never below :data:`MIN_TARGET`)."""
    px = max(MIN_TARGET, px)
    for b in buttons:
        b.setFixedSize(px, px)
        if isinstance(b, QToolButton):
            b.setIconSize(QSize(int(px * 0.58), int(px * 0.58)))


def _grid(widget: QWidget, buttons: list[QWidget], columns: int, spacing: int = 10) -> QGridLayout:
    layout = widget.layout()
    if layout is None:
        layout = QGridLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
    assert isinstance(layout, QGridLayout)
    layout.setSpacing(spacing)
    for b in buttons:
        layout.removeWidget(b)
    for n, b in enumerate(buttons):
        layout.addWidget(b, n // columns, n % columns)
    return layout


class ColourPanel(QWidget):
    """The palette (see :data:`kiosk.core.drawing.PALETTE`).

    Signals:
        color_chosen(str): "#rrggbb".
    """

    color_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, columns: int = 2) -> None:
        super().__init__(parent)
        self.setObjectName("draw_colours")
        self.group = QButtonGroup(self)
        self.buttons: list[SwatchButton] = []
        for color, name in PALETTE:
            b = SwatchButton(color, self)
            b.setObjectName(f"draw_colour_{name}")
            self.group.addButton(b)
            self.buttons.append(b)
            b.clicked.connect(lambda _=False, c=color: self.color_chosen.emit(c))
        self.buttons[0].setChecked(True)
        self.set_columns(columns)
        self.retranslate("de")

    def set_columns(self, columns: int, target: int = TARGET, spacing: int = 10) -> None:
        set_target(self.buttons, target)
        _grid(self, self.buttons, columns, spacing)

    def select(self, color: str) -> None:
        for b in self.buttons:
            if b.color == color:
                b.setChecked(True)

    def retranslate(self, lang: str) -> None:
        for b, (_colour, name) in zip(self.buttons, PALETTE):
            b.setAccessibleName(tr("draw.colour", lang, name=tr(f"draw.colour.{name}", lang)))


class StampPanel(QWidget):
    """Stamps of things in a city, drawn in the current colour.

    Signals:
        stamp_chosen(str): the mdi6 icon name (``tram``, ``tree``...).
    """

    stamp_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, columns: int = 9) -> None:
        super().__init__(parent)
        self.setObjectName("draw_stamps")
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: list[IconButton] = []
        for kind in STAMP_KINDS:
            b = IconButton(kind, f"draw_stamp_{kind.replace('-', '_')}", checkable=True, parent=self)
            self.buttons.append(b)
            self.group.addButton(b)
            b.clicked.connect(lambda _=False, k=kind: self._chosen(k))
        self.set_columns(columns)
        self.retranslate("de")

    def set_columns(self, columns: int, target: int = TARGET, spacing: int = 10) -> None:
        set_target(self.buttons, target)
        _grid(self, self.buttons, columns, spacing)

    def _chosen(self, kind: str) -> None:
        self.select(kind)
        self.stamp_chosen.emit(kind)

    def select(self, kind: str | None) -> None:
        for b, k in zip(self.buttons, STAMP_KINDS):
            b.setChecked(k == kind)

    def set_color(self, color: str) -> None:
        icon_color = INK if QColor(color).lightness() > 235 else color
        for b, k in zip(self.buttons, STAMP_KINDS):
            b.setIcon(tool_icon(k, icon_color))

    def retranslate(self, lang: str) -> None:
        for b, kind in zip(self.buttons, STAMP_KINDS):
            b.setAccessibleName(tr("draw.stamp", lang, name=tr(f"draw.stamp.{kind}", lang)))


class ToolPanel(QWidget):
    """Brush sizes, eraser, undo, redo, colouring page and "new picture".

    Signals:
        size_chosen(int): 0 small, 1 medium, 2 large (also picks the brush).
        eraser_chosen(): the eraser was picked.
        undo_clicked(), redo_clicked(), new_picture_clicked()
        background_chosen(str): "city" when the colouring page is switched on, "blank" when off.
    """

    size_chosen = Signal(int)
    eraser_chosen = Signal()
    undo_clicked = Signal()
    redo_clicked = Signal()
    new_picture_clicked = Signal()
    background_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, columns: int = 2) -> None:
        super().__init__(parent)
        self.setObjectName("draw_tools")
        self.sizes = [SizeButton(i, self) for i in range(len(BRUSH_WIDTHS))]
        for b, name in zip(self.sizes, ("draw_size_small", "draw_size_medium", "draw_size_large")):
            b.setObjectName(name)
            b.clicked.connect(lambda _=False, i=b.index: self.size_chosen.emit(i))
        self.eraser = IconButton("eraser", "draw_eraser", checkable=True, parent=self)
        self.mode_group = QButtonGroup(self)
        for b in (*self.sizes, self.eraser):
            self.mode_group.addButton(b)
        self.sizes[1].setChecked(True)
        self.eraser.clicked.connect(self.eraser_chosen)
        self.undo = IconButton("undo-variant", "draw_undo", parent=self)
        self.redo = IconButton("redo-variant", "draw_redo", parent=self)
        self.undo.clicked.connect(self.undo_clicked)
        self.redo.clicked.connect(self.redo_clicked)
        self.undo.setEnabled(False)
        self.redo.setEnabled(False)
        self.page = IconButton("city-variant-outline", "draw_colouring_page", checkable=True, parent=self)
        self.page.toggled.connect(lambda on: self.background_chosen.emit("city" if on else "blank"))
        self.bin = IconButton("delete-outline", "draw_new_picture", color=DANGER, parent=self)
        self.bin.clicked.connect(self.new_picture_clicked)
        self.buttons: list[QWidget] = [*self.sizes, self.eraser, self.undo, self.redo, self.page, self.bin]
        self.set_columns(columns)
        self.retranslate("de")

    def set_columns(self, columns: int, target: int = TARGET, spacing: int = 10) -> None:
        set_target(self.buttons, target)
        _grid(self, self.buttons, columns, spacing)

    def set_color(self, color: str) -> None:
        for b in self.sizes:
            b.set_color(color)

    def set_history(self, can_undo: bool, can_redo: bool) -> None:
        self.undo.setEnabled(can_undo)
        self.redo.setEnabled(can_redo)

    def select_size(self, index: int) -> None:
        self.sizes[index].setChecked(True)

    def select_stamp_mode(self) -> None:
        """No brush or eraser looks chosen while a stamp is."""
        self.mode_group.setExclusive(False)
        for b in (*self.sizes, self.eraser):
            b.setChecked(False)
        self.mode_group.setExclusive(True)

    def retranslate(self, lang: str) -> None:
        for b in self.buttons:  # objectName draw_<tool>: named by draw.tool.<tool>
            b.setAccessibleName(tr("draw.tool." + b.objectName().removeprefix("draw_"), lang))
