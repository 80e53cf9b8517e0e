"""The PIN pad: the right PIN opens staff; wrong ones lock the pad for growing times."""

from __future__ import annotations

import time

import pytest

from kiosk.core.config import DEMO_PIN
from kiosk.core.pin import lockout_delay
from ui.shell.main_window import MainWindow


@pytest.fixture
def window(make_window):
    """The PIN pad times out like any screen; keep that out of the lockout timings."""
    from kiosk.core.config import IdleConfig

    return make_window(idle=IdleConfig(timeout_s=60, countdown_s=10, drawing_timeout_s=120))


def enter(pad, pin: str) -> None:  # noqa: ANN001
    for d in pin:
        pad.findChild(type(pad.ok), f"pin_digit_{d}").click()
    pad.findChild(type(pad.ok), "pin_ok").click()


def test_right_pin_opens_staff(qtbot, window: MainWindow) -> None:
    window.open_pin_pad()
    assert window.pin_pad.dots.text().count("●") == 0
    with qtbot.waitSignal(window.pin_pad.accepted, timeout=3000):
        enter(window.pin_pad, DEMO_PIN)
    assert window.current_name == "staff"
    assert not window.pin_pad.isVisible()


def test_digits_are_masked(window: MainWindow) -> None:
    window.open_pin_pad()
    for d in "1234":
        window.pin_pad.press_digit(d)
    assert window.pin_pad.dots.text().count("●") == 4
    assert "1234" not in window.pin_pad.dots.text() + window.pin_pad.message.text()
    window.pin_pad.press_delete()
    assert window.pin_pad.entered == "123"


def test_wrong_pins_lock_out_with_growing_delay(qtbot, window: MainWindow) -> None:
    pad = window.pin_pad
    pad._lockout = lambda n: lockout_delay(n) / 20  # 0, 0, 0.1, 0.2, 0.4 s
    window.open_pin_pad()
    delays = []
    pad.refused.connect(lambda n, delay: delays.append(delay))
    for attempt in range(5):
        qtbot.waitUntil(lambda: pad.digit_buttons[0].isEnabled(), timeout=3000)
        with qtbot.waitSignal(pad.refused, timeout=3000):
            enter(pad, "0000")
        if delays[-1] > 0:
            assert not pad.digit_buttons[1].isEnabled()  # locked: the pad refuses input
            pad.press_digit("5")
            assert pad.entered == ""
            assert "s" in pad.message.text()
    assert delays == [lockout_delay(n) / 20 for n in range(1, 6)]
    assert delays[2] < delays[3] < delays[4]
    assert window.current_name == "attract"


def test_lockout_is_shown_as_a_countdown(qtbot, window: MainWindow) -> None:
    pad = window.pin_pad
    pad.failures = 2
    window.open_pin_pad()
    with qtbot.waitSignal(pad.refused, timeout=3000) as blocker:
        enter(pad, "0000")
    assert blocker.args == [3, lockout_delay(3)]
    assert pad.locked_for() > 1.0
    assert "2" in pad.message.text()  # "… in 2 s"
    assert not pad.ok.isEnabled()


def test_lockout_survives_reset_and_reopening(qtbot, window: MainWindow) -> None:
    pad = window.pin_pad
    pad.failures = 3
    window.open_pin_pad()
    with qtbot.waitSignal(pad.refused, timeout=3000):
        enter(pad, "0000")
    window.reset_session()
    window.open_pin_pad()
    assert pad.failures == 4
    assert pad.locked_for() > 0
    assert not pad.digit_buttons[0].isEnabled()


def test_verification_runs_off_the_key_press(qtbot, window: MainWindow) -> None:
    pad = window.pin_pad
    pad._verify = lambda pin: (time.sleep(0.3), pin == "2468")[1]
    window.open_pin_pad()
    start = time.monotonic()
    enter(pad, "2468")
    assert time.monotonic() - start < 0.2  # the click returned before the check finished
    assert pad.message.text() == window.language.tr("pin.checking")
    qtbot.waitUntil(lambda: window.current_name == "staff", timeout=3000)


def test_a_late_answer_after_reset_opens_nothing(qtbot, window: MainWindow) -> None:
    pad = window.pin_pad
    pad._verify = lambda pin: (time.sleep(0.2), True)[1]
    window.open_pin_pad()
    enter(pad, "1111")
    window.reset_session()
    qtbot.wait(400)
    assert window.current_name == "attract"


def test_cancel_closes(qtbot, window: MainWindow) -> None:
    window.open_pin_pad()
    pad = window.pin_pad
    pad.press_digit("7")
    pad.cancel.click()
    assert not pad.isVisible()
    assert pad.entered == ""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_button_is_named(window: MainWindow, lang) -> None:
    window.language.set(lang)
    from PySide6.QtWidgets import QPushButton

    for b in window.pin_pad.findChildren(QPushButton):
        assert b.objectName().startswith("pin_")
        assert b.accessibleName()


def test_the_keys_are_read_in_the_order_shown(qtbot, window: MainWindow) -> None:
    """A screen reader reads the pad's accessible children in order (AT-SPI exports Qt's tree;
    tests/system/test_atspi.py reads it there): 1 to 9, then delete, 0, OK, as on the pad."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QPushButton

    pad = window.pin_pad
    pad.open()
    qtbot.waitUntil(pad.isVisible)
    keys = [b for b in pad.findChildren(QPushButton) if b.property("role") == "digit"]
    card = keys[0].parentWidget()
    iface = QAccessible.queryAccessibleInterface(card)
    read = [iface.child(i).object().objectName() for i in range(iface.childCount())]
    read = [n for n in read if n in {b.objectName() for b in keys}]
    shown = sorted(keys, key=lambda b: (b.y(), b.x()))
    assert read == [b.objectName() for b in shown]
    assert read[-3:] == ["pin_delete", "pin_digit_0", "pin_ok"]
