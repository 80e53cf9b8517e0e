"""The on-screen keyboard: layout table, shift/caps/layers, focus, repeat."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from ui.common.keyboard import (BACKSPACE, CAPS, ENTER, LAYERS, MIN_KEY_PX, ROW_UNITS, SHIFT, SPACE,
                                 TO_LETTERS, TO_SYMBOLS, KeyboardWidget, key_output)
from ui.common.limited_text import LimitedTextEdit


@pytest.fixture
def keyboard(qtbot):
    kb = KeyboardWidget("de")
    kb.resize(1200, 400)
    qtbot.add_widget(kb)
    kb.show()
    return kb


def tap(kb, key, layer=None):
    QTest.mouseClick(kb.button(key, layer), Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("layer", list(LAYERS))
def test_rows_add_up(layer):
    for row in LAYERS[layer]:
        assert sum(w for _, w in row) == ROW_UNITS


def test_layout_has_what_the_issue_asks_for():
    keys = {k for rows in LAYERS.values() for row in rows for k, _ in row}
    for needed in list("äöüß@€%&()\"'-_/:;?!") + [SHIFT, CAPS, BACKSPACE, ENTER, SPACE]:
        assert needed in keys, needed


@pytest.mark.parametrize("key, upper, out", [
    ("a", False, "a"), ("a", True, "A"), ("ä", True, "Ä"), ("ö", True, "Ö"), ("ü", True, "Ü"),
    ("ß", True, "ß"), ("1", True, "1"), (SPACE, False, " "), (BACKSPACE, True, BACKSPACE),
    (SHIFT, False, ""), (TO_SYMBOLS, False, ""),
])
def test_key_output(key, upper, out):
    assert key_output(key, upper=upper) == out


def test_every_key_is_named_and_big(keyboard):
    names = [b.objectName() for bs in keyboard.buttons.values() for b in bs]
    assert len(names) == len(set(names))
    for bs in keyboard.buttons.values():
        for b in bs:
            assert b.objectName().startswith("kb_") and b.accessibleName()
            assert b.focusPolicy() == Qt.FocusPolicy.NoFocus
            assert b.minimumWidth() >= MIN_KEY_PX and b.minimumHeight() >= MIN_KEY_PX
    for b in keyboard.buttons["letters"]:
        assert b.width() >= MIN_KEY_PX and b.height() >= MIN_KEY_PX


def test_shift_is_one_shot_and_caps_sticks(qtbot, keyboard):
    got = []
    keyboard.key_pressed.connect(got.append)
    tap(keyboard, SHIFT)
    assert keyboard.button("a").text() == "A"
    tap(keyboard, "a")
    tap(keyboard, "a")
    tap(keyboard, CAPS)
    tap(keyboard, "ü")
    tap(keyboard, "ß")
    tap(keyboard, CAPS)
    tap(keyboard, "o")
    assert got == ["A", "a", "Ü", "ß", "o"]


def test_symbols_layer_and_back(qtbot, keyboard):
    got = []
    keyboard.key_pressed.connect(got.append)
    tap(keyboard, TO_SYMBOLS)
    assert keyboard.layer == "symbols"
    assert keyboard.findChild(QPushButton, "kb_sym_euro").isVisible()
    for key in "€@%&()\"'-_/:;":
        tap(keyboard, key, "symbols")
    tap(keyboard, TO_LETTERS, "symbols")
    assert keyboard.layer == "letters"
    assert "".join(got) == "€@%&()\"'-_/:;"


def test_every_key_shows_its_character(keyboard):
    for b in keyboard.buttons["symbols"] + keyboard.buttons["letters"]:
        if b.key != SPACE:
            assert b.text().replace("&&", "&") in (b.key, b.key.upper()), b.key


def test_reset_clears_state(keyboard):
    tap(keyboard, CAPS)
    tap(keyboard, SHIFT)
    tap(keyboard, TO_SYMBOLS)
    keyboard.reset()
    assert (keyboard.shift, keyboard.caps, keyboard.layer) == (False, False, "letters")
    assert keyboard.button("q").text() == "q"
    assert not keyboard.button(CAPS).isChecked() and not keyboard.button(SHIFT).isChecked()


def test_typing_never_steals_focus(qtbot, keyboard):
    field = LimitedTextEdit(100)
    qtbot.add_widget(field)
    field.show()
    field.activateWindow()
    field.setFocus()
    keyboard.key_pressed.connect(field.press_key)
    QTest.keyClicks(field, "Hallo")
    for key in " welt":
        tap(keyboard, SPACE if key == " " else key)
    tap(keyboard, BACKSPACE)
    tap(keyboard, ENTER)
    assert field.value() == "Hallo wel\n"
    assert keyboard.focusWidget() is None
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in keyboard.buttons["letters"])


def test_backspace_repeats_while_held(qtbot, keyboard):
    got = []
    keyboard.key_pressed.connect(got.append)
    button = keyboard.button(BACKSPACE)
    QTest.mousePress(button, Qt.MouseButton.LeftButton)
    qtbot.wait(900)
    QTest.mouseRelease(button, Qt.MouseButton.LeftButton)
    assert got.count(BACKSPACE) >= 4


def test_accessible_names_follow_language(keyboard):
    assert keyboard.button(BACKSPACE).accessibleName() == "Zeichen löschen"
    keyboard.set_language("en")
    assert keyboard.button(BACKSPACE).accessibleName() == "Backspace"
    assert keyboard.button("a").accessibleName() == "Key a"


def test_a_childs_keyboard_has_the_alphabet_in_rows_of_ten(qtbot):
    """The drawing form's keyboard (issue 17): large keys for small hands, 20 mm on a 21.5 inch
    screen (tests/app/test_contrast_and_size.py measures them); a first name needs no symbols."""
    from ui.common.keyboard import CHILD_KEY_PX, CHILD_LAYERS

    assert list(CHILD_LAYERS) == ["letters"]
    assert [sum(w for _, w in row) for row in CHILD_LAYERS["letters"]] == [10] * 4
    letters = "".join(k for row in CHILD_LAYERS["letters"][:3] for k, _ in row)
    assert letters == "abcdefghijklmnopqrstuvwxyzäöüß"
    kb = KeyboardWidget("de", layers=CHILD_LAYERS)
    qtbot.add_widget(kb)
    kb.resize(960, kb.height_for_keys(CHILD_KEY_PX))
    kb.show()
    qtbot.waitExposed(kb)
    assert min(b.height() for b in kb.buttons["letters"]) >= CHILD_KEY_PX - 1
    assert min(b.width() for b in kb.buttons["letters"] if len(b.key) == 1) >= CHILD_KEY_PX - 1
    with qtbot.waitSignal(kb.key_pressed) as typed:
        tap(kb, SHIFT)
        tap(kb, "m")
    assert typed.args == ["M"]
    assert kb.layer == "letters" and kb.button("m").accessibleName()
