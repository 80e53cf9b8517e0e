"""What a person would see as broken on a screen: cut text, a widget off the window, a small target.

Used by ``scripts/screenshots.py --check`` (and so by tests/app/test_every_size.py) at every
state the screenshot walk reaches. Sizes are in logical pixels: the kiosk is laid out for a
1080 px short side and Qt scales it to the screen (kiosk/app/scale.py), so a target of
:data:`MIN_TARGET` logical pixels is that size "at 1080p scale" on any screen.

In reachability mode (``ui/shell/reach.py``) a target above the lower part of the window is
a problem too. When the screen's physical size is known (``[kiosk] screen_diagonal_inch``), each
target is measured in millimetres as well: 9 mm everywhere, 20 mm on the children's screens.

Each problem is one line naming the widget (objectName, or its class and the nearest named
ancestor) and what is wrong.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QCheckBox, QComboBox, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QSlider, QToolButton, QWidget)

from ui.shell.reach import reach_height

MIN_TARGET = 64
"""The smallest touch target, in pixels at 1080p scale."""
MIN_TARGET_MM = 9.0
"""The smallest touch target on the screen itself, when its physical size is known: about a
fingertip (issue 13)."""
MIN_CHILD_TARGET_MM = 20.0
"""The smallest target on the children's (drawing) screens: small hands, less precise taps."""
SLACK = 1
"""Rounding between layout and painting: a pixel over is not a cut."""

TARGETS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QSlider)


def name_of(widget: QWidget) -> str:
    if widget.objectName():
        return widget.objectName()
    parent = widget.parentWidget()
    while parent is not None and not parent.objectName():
        parent = parent.parentWidget()
    where = parent.objectName() if parent is not None else "?"
    text = ""
    if isinstance(widget, (QLabel, QAbstractButton)) and widget.text():
        text = f" {widget.text()[:30]!r}"
    return f"{type(widget).__name__}{text} in {where}"


def _scrolls(widget: QWidget, root: QWidget) -> bool:
    """True when ``widget`` sits inside a scroll area below ``root`` (it may be scrolled off)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _rect_in(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def _shown_rect(widget: QWidget, root: QWidget) -> QRect:
    """The part of ``widget`` a person sees: clipped by every scroll area's viewport it is in."""
    rect = _rect_in(widget, root)
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            rect = rect.intersected(_rect_in(parent.viewport(), root))
        parent = parent.parentWidget()
    return rect


def visible_widgets(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.isVisibleTo(root) and w.isVisible()
            and w.width() > 0 and w.height() > 0]


def _text_cut(widget: QWidget) -> str | None:
    if isinstance(widget, QLabel):
        text = widget.text()
        if not text or widget.pixmap() is not None and not widget.pixmap().isNull():
            return None
        inner = widget.contentsRect()
        fm = widget.fontMetrics()
        if widget.wordWrap():
            need = widget.heightForWidth(widget.width())
            if need > widget.height() + SLACK:
                return f"text needs {need} px of height, has {widget.height()}"
            return None  # a word wider than the label is broken across lines, not cut
        widest = max(fm.horizontalAdvance(line) for line in text.split("\n"))
        if widest > inner.width() + SLACK:
            return f"text needs {widest} px, has {inner.width()}"
        lines = text.count("\n") + 1
        if lines * fm.height() > inner.height() + fm.leading() + SLACK * 2:
            return f"{lines} line(s) need {lines * fm.height()} px of height, have {inner.height()}"
        return None
    if isinstance(widget, (QPushButton, QToolButton, QCheckBox)) and widget.text():
        hint = widget.sizeHint()
        if hint.width() > widget.width() + SLACK:
            return f"text needs {hint.width()} px, the button is {widget.width()} wide"
        if hint.height() > widget.height() + SLACK:
            return f"text needs {hint.height()} px of height, the button has {widget.height()}"
        return None
    if isinstance(widget, QLineEdit) and not widget.text() and widget.placeholderText():
        need = widget.fontMetrics().horizontalAdvance(widget.placeholderText())
        room = widget.contentsRect().width() - widget.textMargins().left() - widget.textMargins().right() - 8
        if need > room + SLACK:
            return f"placeholder needs {need} px, has {room}"
    return None


def mm_per_pixel(root: QWidget, diagonal_inch: float) -> float | None:
    """Millimetres per logical pixel of ``root`` (which fills a screen of ``diagonal_inch``, square
    pixels); None when the size is not known (0). The same at any scale factor: the window's logical
    size is the screen's divided by it."""
    if not diagonal_inch or root.width() <= 0 or root.height() <= 0:
        return None
    return diagonal_inch * 25.4 / math.hypot(root.width(), root.height())


def problems(root: QWidget, *, min_target: int = MIN_TARGET, mm_per_px: float | None = None,
             children: bool = False) -> list[str]:
    """Every cut text, elided text, widget off ``root`` or clipped by its parent, and touch target
    under ``min_target`` among the widgets a person sees in ``root``.

    With ``mm_per_px`` (:func:`mm_per_pixel`, from ``[kiosk] screen_diagonal_inch``) every target is
    also measured on the screen: under :data:`MIN_TARGET_MM`, or :data:`MIN_CHILD_TARGET_MM` on a
    children's screen (``children``), is a problem."""
    out: list[str] = []
    min_mm = MIN_CHILD_TARGET_MM if children else MIN_TARGET_MM
    bounds = root.rect()
    # Reachability mode (ui/shell/reach.py): everything a visitor taps lies in the lower part.
    reach_top = (root.height() - reach_height(root.width(), root.height())
                 if getattr(root, "reach_active", False) else None)
    for widget in visible_widgets(root):
        name = name_of(widget)
        touchable = isinstance(widget, TARGETS) or type(widget).__name__ == "CanvasWidget"
        shown = _shown_rect(widget, root)
        if reach_top is not None and touchable and not shown.isEmpty() and shown.top() < reach_top - SLACK:
            out.append(f"{name}: above the reach area (top {shown.top()}, reach from {reach_top})")
        if getattr(widget, "elided", False):
            out.append(f"{name}: elided text")
        scrolling = _scrolls(widget, root)
        rect = _rect_in(widget, root)
        if not scrolling and not bounds.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
            out.append(f"{name}: outside the window ({rect.x()},{rect.y()} {rect.width()}x{rect.height()} "
                       f"in {bounds.width()}x{bounds.height()})")
            continue
        parent = widget.parentWidget()
        if parent is not None and not scrolling and widget.isWindow() is False:
            own = QRect(widget.pos(), widget.size())
            if not parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(own) and parent is not root:
                out.append(f"{name}: cut off by {name_of(parent)}")
        cut = _text_cut(widget)
        if cut:
            out.append(f"{name}: {cut}")
        if isinstance(widget, TARGETS) and widget.isEnabled() and not getattr(widget, "not_a_target", False):
            if min(widget.width(), widget.height()) < min_target - SLACK:
                out.append(f"{name}: target {widget.width()}x{widget.height()} is under {min_target} px")
            elif mm_per_px and (min(widget.width(), widget.height()) + SLACK) * mm_per_px < min_mm:
                out.append(f"{name}: target {widget.width() * mm_per_px:.1f}x{widget.height() * mm_per_px:.1f} mm "
                           f"is under {min_mm:g} mm on this screen")
        elif (mm_per_px and touchable and not isinstance(widget, TARGETS) and widget.isEnabled()
              and (min(widget.width(), widget.height()) + SLACK) * mm_per_px < min_mm):
            out.append(f"{name}: target {widget.width() * mm_per_px:.1f}x{widget.height() * mm_per_px:.1f} mm "
                       f"is under {min_mm:g} mm on this screen")
    return out
