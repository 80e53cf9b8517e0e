"""The offscreen platform warns on every top-level show(); that is not our bug."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))


@pytest.fixture
def decode_qr():
    """Decode every QR code in a grab of a widget with a real decoder (zxing-cpp)."""
    import zxingcpp
    from PySide6.QtGui import QImage

    def decode(widget) -> list[str]:
        image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
        return [r.text for r in zxingcpp.read_barcodes(image)]

    return decode
