"""The canvas: real touch sequences, mouse drags and stamp taps, checked in pixels."""

from __future__ import annotations

import random

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from kiosk.core.drawing import BRUSH_WIDTHS, STAMP_SIZES, Stamp, Stroke
from tests.ui.drawing.conftest import drag, ink_bounds, is_ink, touch
from ui.drawing import render as R


def test_two_fingers_draw_two_separate_strokes(qtbot, canvas, touch_device):
    canvas.set_color("#0072b2")
    with qtbot.wait_signals([canvas.item_added, canvas.item_added]):
        touch(canvas, touch_device,
              [("press", 0, (50, 40)), ("press", 1, (300, 40))],
              [("move", 0, (55, 120)), ("move", 1, (305, 120))],
              [("move", 0, (60, 200)), ("move", 1, (310, 200))],
              [("release", 0, (60, 220)), ("release", 1, (310, 220))])
    strokes = canvas.drawing.strokes
    assert len(strokes) == 2
    assert [s.points[0][:2] for s in strokes] == [(50.0, 40.0), (300.0, 40.0)]
    assert all(len(s.points) == 4 for s in strokes)
    img = canvas.layer()
    for x, y in ((50, 40), (55, 120), (60, 210), (300, 40), (305, 120), (310, 210)):
        assert is_ink(img, x, y), (x, y)
    assert QColor(img.pixel(55, 120)).name() == "#0072b2"
    # nothing between the two lines, nothing above or below them
    m = BRUSH_WIDTHS[1] / 2 + 2
    for x in range(int(60 + m) + 1, int(300 - m)):
        for y in range(0, 300, 7):
            assert not is_ink(img, x, y), (x, y)
    x0, y0, x1, y1 = ink_bounds(img)
    assert y0 >= 40 - m and y1 <= 220 + m and x0 >= 50 - m and x1 <= 310 + m


def test_ink_appears_under_the_finger_at_once(canvas, touch_device):
    touch(canvas, touch_device, [("press", 3, (100, 100))])
    assert is_ink(canvas.layer(), 100, 100)          # a dot on touch-down, before any move
    touch(canvas, touch_device, [("move", 3, (160, 100))])
    canvas.repaint()
    shown = canvas.grab().toImage()
    assert is_ink(shown, 158, 100)                   # the live tail reaches the finger
    touch(canvas, touch_device, [("release", 3, (160, 100))])
    assert is_ink(canvas.layer(), 158, 100)


def test_mouse_drag_draws_where_dragged_and_nowhere_else(canvas):
    canvas.set_color("#d55e00")
    canvas.set_size(0)
    drag(canvas, [(20, 150), (120, 150), (220, 150), (380, 150)])
    img = canvas.layer()
    (stroke,) = canvas.drawing.strokes
    assert stroke.color == "#d55e00" and stroke.width == BRUSH_WIDTHS[0]
    for x in range(20, 381, 10):
        assert is_ink(img, x, 150), x
    x0, y0, x1, y1 = ink_bounds(img)
    m = BRUSH_WIDTHS[0] / 2 + 2
    assert (x0, y0, x1, y1) >= (20 - m, 150 - m, 0, 0) and x1 <= 380 + m and y1 <= 150 + m


def test_right_button_does_not_draw(canvas):
    drag(canvas, [(20, 20), (200, 200)], Qt.MouseButton.RightButton)
    assert canvas.is_empty() and ink_bounds(canvas.layer()) is None


def test_stamp_tap_places_stamp_at_size_and_colour(qtbot, canvas, touch_device):
    canvas.set_stamp("tram")
    canvas.set_color("#009e73")
    canvas.set_size(0)
    with qtbot.wait_signal(canvas.item_added) as blocker:
        touch(canvas, touch_device, [("press", 0, (200, 150))], [("release", 0, (200, 150))])
    (stamp,) = canvas.drawing.items
    assert blocker.args == [stamp]
    assert isinstance(stamp, Stamp)
    assert (stamp.kind, stamp.x, stamp.y, stamp.size, stamp.color) == ("tram", 200, 150, STAMP_SIZES[0], "#009e73")
    x0, y0, x1, y1 = ink_bounds(canvas.layer())
    half = STAMP_SIZES[0] / 2 + 1
    assert 200 - half <= x0 and x1 <= 200 + half and 150 - half <= y0 and y1 <= 150 + half
    assert x1 - x0 > STAMP_SIZES[0] * 0.8 or y1 - y0 > STAMP_SIZES[0] * 0.8
    assert QColor(canvas.layer().pixel(200, 150)).name() in ("#009e73", "#ffffff")


def test_mouse_click_with_stamp_tool_places_one_stamp(canvas):
    canvas.set_stamp("heart")
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    assert [type(i) for i in canvas.drawing.items] == [Stamp]


def test_undo_restores_pixels_and_redo_brings_them_back(qtbot, canvas, touch_device):
    drag(canvas, [(20, 20), (200, 200)])
    before = canvas.layer().copy()
    canvas.set_color("#e69f00")
    touch(canvas, touch_device, [("press", 0, (300, 30))], [("move", 0, (100, 250))], [("release", 0, (90, 260))])
    after = canvas.layer().copy()
    assert after != before
    with qtbot.wait_signal(canvas.history_changed) as blocker:
        canvas.undo()
    assert blocker.args == [True, True]
    assert canvas.layer() == before
    canvas.redo()
    assert canvas.layer() == after
    canvas.undo()
    canvas.undo()
    assert ink_bounds(canvas.layer()) is None
    assert not canvas.can_undo() and canvas.can_redo()


def test_new_stroke_clears_redo(canvas):
    drag(canvas, [(20, 20), (200, 200)])
    canvas.undo()
    assert canvas.can_redo()
    drag(canvas, [(30, 30), (60, 60)])
    assert not canvas.can_redo()


def test_undo_and_redo_across_checkpoints_match_a_fresh_render(qtbot, touch_device):
    from ui.drawing.canvas import CanvasWidget

    c = CanvasWidget(checkpoint_every=3, max_checkpoints=3)
    qtbot.add_widget(c)
    c.resize(300, 200)
    c.show()
    rnd = random.Random(4)
    for n in range(25):
        c.set_color(rnd.choice(["#000000", "#0072b2", "#cc79a7"]))
        if n % 7 == 6:
            c.set_stamp("tree")
            QTest.mouseClick(c, Qt.MouseButton.LeftButton, pos=QPoint(rnd.randrange(300), rnd.randrange(200)))
            c.set_tool("brush")
        else:
            drag(c, [(rnd.randrange(300), rnd.randrange(200)) for _ in range(4)])
    assert len(c._checkpoints) <= 3
    states = [c.layer().copy()]
    for _ in range(20):
        c.undo()
        states.append(c.layer().copy())
        assert c.layer() == R.render_layer(c.drawing)
    for expected in reversed(states[:-1]):
        c.redo()
        assert c.layer() == expected


def test_simultaneous_overlapping_strokes_undo_redo_exactly(canvas, touch_device):
    canvas.set_color("#000000")
    touch(canvas, touch_device, [("press", 0, (50, 150))])
    canvas.set_color("#f0e442")
    touch(canvas, touch_device,
          [("press", 1, (350, 150)), ("move", 0, (150, 150))],
          [("move", 0, (250, 150)), ("move", 1, (250, 160))],
          [("move", 0, (350, 140)), ("move", 1, (150, 150))],
          [("release", 0, (350, 140)), ("move", 1, (50, 150))],
          [("release", 1, (50, 150))])
    live = canvas.layer().copy()
    assert live == R.render_layer(canvas.drawing)
    canvas.undo()
    canvas.undo()
    canvas.redo()
    canvas.redo()
    assert canvas.layer() == live


def test_eraser_paints_paper(canvas):
    canvas.set_size(2)
    drag(canvas, [(20, 150), (380, 150)])
    assert is_ink(canvas.layer(), 200, 150)
    canvas.set_tool("eraser")
    drag(canvas, [(200, 10), (200, 290)])
    assert not is_ink(canvas.layer(), 200, 150)
    assert is_ink(canvas.layer(), 100, 150)
    assert canvas.drawing.items[-1].tool == "eraser"


def test_colouring_page_outline_stays_in_front_of_colour(canvas):
    canvas.set_background("city")
    overlay = R.background_overlay("city", 400, 300)
    dark = [(x, y) for y in range(0, 300, 3) for x in range(0, 400, 3) if QColor.fromRgba(overlay.pixel(x, y)).alpha() == 255]
    assert len(dark) > 200
    canvas.set_size(2)
    canvas.set_color("#f0e442")
    for y in range(20, 300, 30):
        drag(canvas, [(0, y), (400, y)])
    img = canvas.image()
    for x, y in dark:
        assert QColor(img.pixel(x, y)).name() == R.OUTLINE, (x, y)
    assert QColor(canvas.layer().pixel(dark[0][0], dark[0][1])).name() != R.OUTLINE


def test_reset_empties_canvas_and_history(qtbot, canvas):
    canvas.set_background("city")
    drag(canvas, [(20, 20), (200, 200)])
    drag(canvas, [(20, 200), (200, 20)])
    canvas.undo()
    with qtbot.wait_signal(canvas.history_changed) as blocker:
        canvas.reset()
    assert blocker.args == [False, False]
    assert canvas.is_empty() and not canvas.can_undo() and not canvas.can_redo()
    assert canvas.background == "blank"
    assert ink_bounds(canvas.layer()) is None


def test_touch_cancel_ends_strokes(canvas, touch_device):
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtGui import QTouchEvent

    touch(canvas, touch_device, [("press", 0, (10, 10))], [("move", 0, (90, 90))])
    QCoreApplication.sendEvent(canvas, QTouchEvent(QEvent.Type.TouchCancel, touch_device))
    assert not canvas._active
    assert len(canvas.drawing.strokes) == 1 and isinstance(canvas.drawing.items[0], Stroke)


def test_move_repaints_only_the_changed_rect(qtbot, canvas, touch_device, monkeypatch):
    rects = []
    real_update = canvas.update

    def spy(*args):
        rects.extend(args)
        return real_update(*args)

    monkeypatch.setattr(canvas, "update", spy)
    touch(canvas, touch_device, [("press", 0, (100, 100))], [("move", 0, (110, 104))])
    assert rects and all(r.width() < 60 and r.height() < 60 for r in rects)
