"""The QR code decodes to the exact URL, at any size, without blur."""

import pytest
from PySide6.QtGui import QColor

from ui.common.qr_view import QUIET_ZONE, QrView, module_geometry, qr_matrix

URL = "https://mitmachen.jena.de/?ref=AC3H7K"


@pytest.mark.parametrize("side", [170, 333, 512])
def test_decodes_to_exact_url(qtbot, side, decode_qr):
    view = QrView()
    qtbot.add_widget(view)
    view.resize(side, side)
    view.set_data(URL)
    assert decode_qr(view) == [URL]


def test_grab_matches_matrix_pixel_for_pixel(qtbot):
    view = QrView()
    qtbot.add_widget(view)
    view.resize(400, 300)
    view.set_data(URL)
    image = view.grab().toImage()
    matrix = qr_matrix(URL)
    rect = view.code_rect()
    size = rect.width() // (len(matrix) + 2 * QUIET_ZONE)
    assert size >= 2
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            # Every pixel of a module, corners included: no blur, no antialiasing.
            x = rect.x() + (QUIET_ZONE + c) * size
            y = rect.y() + (QUIET_ZONE + r) * size
            for dx, dy in ((0, 0), (size - 1, size - 1)):
                assert QColor(image.pixel(x + dx, y + dy)) == QColor("black" if dark else "white")
    # The quiet zone is white.
    assert QColor(image.pixel(rect.x() + 1, rect.y() + 1)) == QColor("white")


def test_module_geometry_uses_whole_pixels():
    size, offset = module_geometry(300, 29)
    assert size == 300 // 37 and offset >= QUIET_ZONE * size


def test_empty_data_paints_nothing(qtbot):
    view = QrView()
    qtbot.add_widget(view)
    view.set_data("")
    assert view.matrix() == ()
