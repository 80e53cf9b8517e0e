"""Material Design icons (``"mdi6.<name>"``, qtawesome's naming) as pixmaps.

qtawesome is the dependency that ships the icon font. Importing it costs about
250 ms (qtpy pulls every Qt module's signatures, and the first icon loads all
eight bundled fonts), which would double the kiosk's cold start. So this module
reads only the MDI 6 font and its charmap from qtawesome's package folder,
without importing it, and draws glyphs itself (about 12 ms once). If the files
are not where expected (a newer qtawesome), it falls back to ``qtawesome.icon``.

The charmap (a JSON object of some 7,000 ``"name": "0xf0001"`` pairs) is not
decoded as a whole: the attract screen needs three glyphs before its first
paint, and finding each in the text is a fraction of ``json.loads`` (and of
importing ``json``).
"""

from __future__ import annotations

import importlib.util
import logging
import re
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


def _load_mdi6() -> tuple[str, str] | None:
    """(font family, charmap JSON text) of MDI 6, loaded once; None if not found."""
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
                result = (families[0], charmap[-1].read_text(encoding="utf-8"))
    _font["mdi6"] = result
    return result


def codepoint(charmap: str, glyph: str) -> int | None:
    """The code point of ``glyph`` in a charmap's JSON text (``"name": "0xf0001"``), or None."""
    m = re.search(rf'"{re.escape(glyph)}"\s*:\s*"(?:0x)?([0-9a-fA-F]+)"', charmap)
    return int(m.group(1), 16) if m else None


_mdi6_codes: dict[str, int | None] = {}


def pixmap(name: str, color: str, size: int, dpr: float = 1.0) -> QPixmap:
    """The icon ``name`` (e.g. ``"mdi6.palette-outline"``) drawn ``size`` px square."""
    prefix, _, glyph = name.partition(".")
    loaded = _load_mdi6() if prefix == "mdi6" else None
    if loaded is not None and glyph not in _mdi6_codes:
        _mdi6_codes[glyph] = codepoint(loaded[1], glyph)
    code = _mdi6_codes.get(glyph) if loaded else None
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
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, chr(code))
    painter.end()
    return pm


def qicon(name: str, color: str, disabled: str):  # noqa: ANN201 - QIcon
    """The MDI 6 icon ``name`` (without the ``mdi6.`` prefix) as a QIcon in ``color``, greyed to
    ``disabled`` when its button is disabled. Imports qtawesome: for screens built after the first paint."""
    import qtawesome as qta  # noqa: PLC0415 - slow import (see above), never on cold start

    return qta.icon(f"mdi6.{name}", color=color, color_disabled=disabled)


def _qtawesome_pixmap(name: str, color: str, size: int) -> QPixmap:
    try:
        import qtawesome  # noqa: PLC0415 - slow import, only as a fallback

        return qtawesome.icon(name, color=color).pixmap(size, size)
    except Exception as exc:  # an unknown icon name must not break a screen
        log.warning("icon %s not available: %s", name, exc)
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        return pm
