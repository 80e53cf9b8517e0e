"""Material Design icons (``"mdi6.<name>"``, qtawesome's naming) as pixmaps.

qtawesome is the dependency that ships the icon font. Importing it costs about
250 ms (qtpy pulls every Qt module's signatures, and the first icon loads all
eight bundled fonts), which would double the kiosk's cold start. So this module
reads only the MDI 6 font and its charmap from qtawesome's package folder,
without importing it, and draws glyphs itself (about 12 ms once). If the files
are not where expected (a newer qtawesome), it falls back to ``qtawesome.icon``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPixmap

log = logging.getLogger("kiosk.ui")

_font: dict[str, object] = {}


def _qtawesome_fonts_dir() -> Path | None:
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def _load_mdi6() -> tuple[str, dict[str, str]] | None:
    if "mdi6" in _font:
        return _font["mdi6"]  # type: ignore[return-value]
    result = None
    fonts = _qtawesome_fonts_dir()
    if fonts is not None:
        ttf = sorted(fonts.glob("materialdesignicons6-webfont-*.ttf"))
        charmap = sorted(fonts.glob("materialdesignicons6-webfont-charmap-*.json"))
        if ttf and charmap:
            font_id = QFontDatabase.addApplicationFont(str(ttf[-1]))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                result = (families[0], json.loads(charmap[-1].read_text(encoding="utf-8")))
    _font["mdi6"] = result
    return result


def pixmap(name: str, color: str, size: int, dpr: float = 1.0) -> QPixmap:
    """The icon ``name`` (e.g. ``"mdi6.palette-outline"``) drawn ``size`` px square."""
    prefix, _, glyph = name.partition(".")
    loaded = _load_mdi6() if prefix == "mdi6" else None
    code = loaded[1].get(glyph) if loaded else None
    if loaded is None or code is None:
        return _qtawesome_pixmap(name, color, size)
    pm = QPixmap(round(size * dpr), round(size * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(Qt.GlobalColor.transparent)
    font = QFont(loaded[0])
    font.setPixelSize(round(size * 0.86))  # MDI glyphs overshoot their em box; keep them whole
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(font)
    painter.setPen(QColor(color))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, chr(int(code, 16)))
    painter.end()
    return pm


def _qtawesome_pixmap(name: str, color: str, size: int) -> QPixmap:
    try:
        import qtawesome  # noqa: PLC0415 - slow import, only as a fallback

        return qtawesome.icon(name, color=color).pixmap(size, size)
    except Exception as exc:  # an unknown icon name must not break a screen
        log.warning("icon %s not available: %s", name, exc)
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        return pm
