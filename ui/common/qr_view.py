"""A QR code painted crisply with QPainter at any size.

The module matrix comes from the ``qrcode`` package (:func:`qr_matrix`, no Qt);
the widget paints each module as a whole number of device pixels, with the
standard quiet zone of four modules around it, so the code stays sharp on any
screen and no bitmap is ever scaled.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_ZONE = 4
"""Modules of white around the code, as the QR standard asks."""

Matrix = tuple[tuple[bool, ...], ...]


def qr_matrix(data: str) -> Matrix:
    """The modules of a QR code for ``data`` (True = dark), without quiet zone.

    Error correction M survives a smudge or glare on the screen; ``qrcode`` is
    imported here, on first use, not at start-up.
    """
    import qrcode  # noqa: PLC0415 (lazy: keeps the kiosk's cold start fast)
    from qrcode.constants import ERROR_CORRECT_M  # noqa: PLC0415

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(bool(m) for m in row) for row in code.get_matrix())


def module_geometry(side_px: int, modules: int, quiet: int = QUIET_ZONE) -> tuple[int, int]:
    """Whole-pixel module size and the offset that centres the code in a square of ``side_px``."""
    total = modules + 2 * quiet
    size = max(1, side_px // total)
    offset = (side_px - size * total) // 2 + size * quiet
    return size, offset


class QrView(QWidget):
    """Shows one QR code; :meth:`set_data` changes it, an empty string hides it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qr_view")
        self._data = ""
        self._matrix: Matrix = ()
        sp = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)
        self.setMinimumSize(160, 160)

    def data(self) -> str:
        return self._data

    def matrix(self) -> Matrix:
        return self._matrix

    def set_data(self, data: str) -> None:
        if data == self._data:
            return
        self._data = data
        self._matrix = qr_matrix(data) if data else ()
        self.update()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return width

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, 360)

    def code_rect(self, dpr: float = 1.0) -> QRect:
        """Where the code (with quiet zone) is painted, in device pixels for ``dpr``."""
        w, h = int(self.width() * dpr), int(self.height() * dpr)
        side = min(w, h)
        n = len(self._matrix)
        if not n:
            return QRect()
        size, offset = module_geometry(side, n)
        x0 = (w - side) // 2 + offset - size * QUIET_ZONE
        y0 = (h - side) // 2 + offset - size * QUIET_ZONE
        return QRect(x0, y0, size * (n + 2 * QUIET_ZONE), size * (n + 2 * QUIET_ZONE))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        n = len(self._matrix)
        if not n:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        # Work in device pixels so every module is a whole number of them,
        # also on fractional scale factors (1.25, 1.5).
        dpr = self.devicePixelRatioF()
        painter.scale(1 / dpr, 1 / dpr)
        outer = self.code_rect(dpr)
        size = outer.width() // (n + 2 * QUIET_ZONE)
        painter.fillRect(outer, QColor("white"))
        x0 = outer.x() + size * QUIET_ZONE
        y0 = outer.y() + size * QUIET_ZONE
        dark = QColor("black")
        for r, row in enumerate(self._matrix):
            c = 0
            while c < n:
                if row[c]:
                    start = c
                    while c < n and row[c]:
                        c += 1
                    painter.fillRect(x0 + start * size, y0 + r * size, (c - start) * size, size, dark)
                else:
                    c += 1
        painter.end()
