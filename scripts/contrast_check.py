"""Text contrast, measured on the rendered pixels (WCAG 2.2 1.4.3, EN 301 549 11.1.4.3).

For each text a person sees (a label, a button's or check box's text, a field's text or its
placeholder) the window is grabbed as it is shown, with the buttons' icons left out for the
moment of the grab (an icon is not text; it could be darker than the text it stands beside).
In the text's part of the widget the most common colour is the background; the text's colour is
the one that stands out most from it (glyph stems are drawn at full colour; a few stray pixels
do not count). Their WCAG contrast ratio must be at least 4.5:1, or 3:1 for large text
(at least 24 px at 1080p scale, or 18.66 px and bold). Disabled controls are exempt (WCAG).

Sizes are in logical pixels: the kiosk is laid out at 1080p scale, whatever the screen.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QColor, QFontInfo, QIcon, QImage
from PySide6.QtWidgets import (QAbstractButton, QCheckBox, QLabel, QLineEdit, QPlainTextEdit, QStyle,
                               QStyleOptionButton, QTextEdit, QWidget)

from layout_check import _shown_rect, name_of, visible_widgets

NORMAL, LARGE = 4.5, 3.0
"""The least contrast for text, and for large text (WCAG 2.2 1.4.3)."""
LARGE_PX, LARGE_BOLD_PX = 24.0, 18.66
"""Large text: 18 pt (24 px) or 14 pt (18.66 px) bold, at 1080p scale."""
INSET = 3
"""Pixels left out at a widget's edge (a border, a focus ring, the rounding of a corner)."""
STRAY = 0.02
"""A colour covering less than this share of the text's pixels (and fewer than 4) is noise."""


def luminance(rgb: int) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel((rgb >> 16) & 0xFF) + 0.7152 * channel((rgb >> 8) & 0xFF)
            + 0.0722 * channel(rgb & 0xFF))


def ratio(a: int, b: int) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_of(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        if widget.pixmap() is not None and not widget.pixmap().isNull():
            return ""
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    if isinstance(widget, QLineEdit):
        return widget.text() or widget.placeholderText()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return widget.toPlainText()
    return ""


def is_large(widget: QWidget) -> bool:
    info = QFontInfo(widget.font())
    px = info.pixelSize()
    return px >= LARGE_PX - 0.01 or (info.bold() or widget.font().weight() >= 600) and px >= LARGE_BOLD_PX - 0.01


def text_rect(widget: QWidget, root: QWidget) -> QRect:
    """Where ``widget``'s text is drawn, in ``root``'s coordinates, cut to what is shown."""
    shown = _shown_rect(widget, root)
    inner = widget.contentsRect()
    if isinstance(widget, QCheckBox):  # the box is not the text
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        inner = widget.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, widget)
    rect = QRect(widget.mapTo(root, inner.topLeft()), inner.size())
    return rect.intersected(shown).adjusted(INSET, INSET, -INSET, -INSET)


def colours(image: QImage, rect: QRect) -> Counter:
    part = image.copy(rect).convertToFormat(QImage.Format.Format_RGB32)
    data = memoryview(part.constBits()).cast("I")
    per_line = part.bytesPerLine() // 4
    if per_line == part.width():
        return Counter(v & 0xFFFFFF for v in data)
    out: Counter = Counter()
    for y in range(part.height()):
        out.update(v & 0xFFFFFF for v in data[y * per_line:y * per_line + part.width()])
    return out


def measure(image: QImage, rect: QRect) -> tuple[int, int, float] | None:
    """(background, text colour, their contrast) in ``rect`` of ``image``; None if it holds one colour."""
    counts = colours(image, rect)
    if len(counts) < 2:
        return None
    background = counts.most_common(1)[0][0]
    ink = sum(n for c, n in counts.items() if c != background)
    least = max(4, int(ink * STRAY))
    candidates = [c for c, n in counts.items() if c != background and n >= least]
    if not candidates:
        return None
    text = max(candidates, key=lambda c: ratio(c, background))
    return background, text, ratio(text, background)


def grab_without_icons(root: QWidget) -> QImage:
    """``root`` as shown, but with no button icons (put back afterwards)."""
    taken = []
    for button in root.findChildren(QAbstractButton):
        if not button.icon().isNull() and button.text():
            taken.append((button, button.icon(), button.iconSize()))
            button.setIcon(QIcon())
            button.setIconSize(QSize(0, 0))
    try:
        return root.grab().toImage()
    finally:
        for button, icon, size in taken:
            button.setIcon(icon)
            button.setIconSize(size)


def hex_of(rgb: int) -> str:
    return QColor(rgb).name()


def covered(widget: QWidget, root: QWidget, rect: QRect) -> bool:
    """True when something else lies over the middle of ``widget``'s text (an overlay, a dialog):
    what is seen there is not this text, and the text on top is measured on its own."""
    hit = root.childAt(rect.center())
    return not (hit is None or hit is widget or widget.isAncestorOf(hit) or hit.isAncestorOf(widget))


MEASURED: list[str] = []
"""Every text measured by the last :func:`problems` call, as ``name: ratio`` (for a look by hand)."""


def problems(root: QWidget) -> list[str]:
    """Every text in ``root`` with too little contrast against what it is drawn on."""
    MEASURED.clear()
    image = grab_without_icons(root)
    scale = image.width() / max(1, root.width())
    out = []
    for widget in visible_widgets(root):
        text = text_of(widget)
        if not text.strip() or not widget.isEnabled():
            continue
        rect = text_rect(widget, root)
        if rect.height() + 2 * INSET < widget.fontMetrics().height() or rect.width() < 2 or covered(widget, root, rect):
            continue  # scrolled (mostly) out of sight, or under something else
        if scale != 1:
            rect = QRect(QPoint(round(rect.x() * scale), round(rect.y() * scale)),
                         QSize(round(rect.width() * scale), round(rect.height() * scale)))
        found = measure(image, rect)
        if found is None:
            continue
        background, ink, contrast = found
        MEASURED.append(f"{name_of(widget)}: {hex_of(ink)} on {hex_of(background)} {contrast:.2f}:1")
        least = LARGE if is_large(widget) else NORMAL
        if contrast < least - 0.005:
            out.append(f"{name_of(widget)}: text {hex_of(ink)} on {hex_of(background)} is {contrast:.2f}:1, "
                       f"under {least:g}:1")
    return out
