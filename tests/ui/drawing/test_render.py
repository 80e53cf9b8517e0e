"""The renderer: stored stroke JSON renders back to the stored PNG."""

from __future__ import annotations

import glob
import json
import os

import qtawesome as qta
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.core.drawing import Drawing
from tests.ui.drawing.conftest import drag, touch
from ui.drawing import render as R


def test_every_stamp_exists_in_mdi6():
    (path,) = glob.glob(os.path.join(os.path.dirname(qta.__file__), "fonts", "materialdesignicons6*charmap*.json"))
    with open(path, encoding="utf-8") as f:
        assert set(R.STAMP_KINDS) <= set(json.load(f))
    for kind in R.STAMP_KINDS:
        qta.charmap(f"mdi6.{kind}")                    # raises for an unknown name
        assert not R._stamp_path(kind).isEmpty()
    required = {"tram", "bus", "bicycle", "tree", "home", "school", "hospital-building", "solar-panel",
                "wind-turbine", "wifi", "white-balance-sunny", "heart", "human"}
    assert required <= set(R.STAMP_KINDS) and len(R.STAMP_KINDS) > len(required)


def test_round_trip_json_render_equals_stored_png_pixel_exact(canvas, touch_device):
    """Tolerance: none. Live painting and rendering issue the same QPainter calls in the same order."""
    canvas.set_background("city")
    canvas.set_color("#cc79a7")
    drag(canvas, [(10, 10), (100, 40), (180, 20), (260, 90), (390, 10)])
    canvas.set_color("#0072b2")
    canvas.set_size(2)
    touch(canvas, touch_device,
          [("press", 0, (40, 200)), ("press", 1, (360, 210))],
          [("move", 0, (120, 190)), ("move", 1, (280, 180))],
          [("move", 0, (220, 230)), ("move", 1, (150, 230))],
          [("release", 0, (300, 200)), ("release", 1, (80, 170))])
    canvas.set_stamp("wind-turbine")
    canvas.set_color("#e69f00")
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 120))
    canvas.set_tool("eraser")
    drag(canvas, [(150, 0), (160, 300)])
    drawing, layer = canvas.snapshot()
    stored_png = R.encode_png(R.compose(layer, drawing.background))
    stored_json = drawing.to_bytes()

    again = R.render(Drawing.from_bytes(stored_json))
    assert again == R.decode_png(stored_png)
    assert again == canvas.image()


def test_png_is_opaque_rgb(canvas):
    drag(canvas, [(10, 10), (100, 100)])
    img = R.decode_png(R.encode_png(canvas.image()))
    assert img.format() == R.IMAGE_FORMAT and img.size() == canvas.layer().size()


def test_blank_background_has_no_overlay():
    assert R.background_overlay("blank", 100, 100) is None
    assert R.background_overlay("city", 100, 100) is not None
