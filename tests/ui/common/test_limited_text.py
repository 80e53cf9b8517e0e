"""Text fields: every input path is cleaned, cut with a signal, never undoable."""

import time
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from kiosk.core.text import clean_text
from ui.common.limited_text import INPUT_HINTS, LimitedLineEdit, LimitedTextEdit


@pytest.fixture
def field(qtbot):
    f = LimitedTextEdit(20)
    qtbot.add_widget(f)
    f.show()
    f.setFocus()
    return f


@pytest.fixture
def line(qtbot):
    f = LimitedLineEdit(10)
    qtbot.add_widget(f)
    f.show()
    f.setFocus()
    return f


def paste(widget, text):
    QGuiApplication.clipboard().setText(text)
    QTest.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_typed_text_is_cut_with_signal(qtbot, field):
    with qtbot.wait_signal(field.text_cut):
        QTest.keyClicks(field, "x" * 25)
    assert field.value() == "x" * 20


def test_paste_is_cleaned_and_cut(qtbot, field):
    with qtbot.wait_signal(field.text_cut):
        paste(field, "ab\x00c\r\nd" + "y" * 40)
    assert field.value() == "abc\nd" + "y" * 15


def test_paste_within_limit_has_no_signal(qtbot, field):
    with qtbot.assert_not_emitted(field.text_cut):
        paste(field, "Grüße 👋🏽")
    assert field.value() == "Grüße 👋🏽"


def test_five_megabytes_do_not_freeze(qtbot):
    f = LimitedTextEdit(1000)
    qtbot.add_widget(f)
    f.show()
    f.setFocus()
    start = time.perf_counter()
    with qtbot.wait_signal(f.text_cut):
        paste(f, "Mehr Radwege in Jena! " * 240_000)
    assert time.perf_counter() - start < 1.0
    assert len(f.value()) == 1000


def test_no_undo_after_clear(field):
    QTest.keyClicks(field, "geheim")
    field.clear_all()
    QTest.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.value() == "" and not field.document().isUndoAvailable()


def test_line_edit_no_undo_after_clear(line):
    QTest.keyClicks(line, "Anna")
    line.clear_all()
    QTest.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert line.text() == "" and not line.isUndoAvailable()


def test_shift_enter_is_a_plain_newline(field):
    QTest.keyClicks(field, "a")
    QTest.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(field, "b")
    assert field.value() == "a\nb"


def test_line_edit_single_line_and_cut(qtbot, line):
    with qtbot.wait_signal(line.text_cut):
        paste(line, "Anna\nMüller-Lüdenscheidt")
    assert line.text() == "Anna Mülle"
    with qtbot.wait_signal(line.enter_pressed):
        QTest.keyClick(line, Qt.Key.Key_Return)


def test_no_predictive_text(field, line):
    for w in (field, line):
        assert w.inputMethodHints() & INPUT_HINTS == INPUT_HINTS
        assert w.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_backspace_removes_whole_cluster(field):
    field.insert_text("ab👩\u200d👩\u200d👧")
    field.press_key("⌫")
    assert field.value() == "ab"


spicy = st.sampled_from(["\r\n", "\x00", "\x1b", "\u2029", "\t", "\n", "e\u0301", "👩\u200d👩\u200d👧",
                         "🇩🇪", "\u05e9\u05dc\u05d5\u05dd", "\u00a0", "\ufffc", "\ud800", "\u202e",
                         "\ufeff", "a\ufeff", "\ufdd0", "\ufffe", "\U0010ffff"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.one_of(st.text(max_size=15), spicy), max_size=12))
@example(pieces=["\ufeff"])          # Qt drops a leading byte-order mark by itself
@example(pieces=["a", "\ufdd0", "b"])  # and turns U+FDD0 into a paragraph break
def test_arbitrary_unicode_through_the_input_path(field, pieces):
    """What the field holds is the input minus control characters, cut to the limit."""
    field.limit = 40
    field.clear_all()
    for piece in pieces:
        field.insert_text(piece)
    expected = ""
    for piece in pieces:
        expected += clean_text(piece, 40 - len(expected)).text
    assert field.value() == expected
    assert len(field.value()) <= 40


def _unusual_code_points() -> list[str]:
    """Every format, control, line/paragraph separator and noncharacter, the BMP's private
    use area (every 7th) and unassigned code points (every 499th): where Qt's text classes
    might differ from clean_text."""
    out = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if (cat in ("Cf", "Cc", "Zl", "Zp") or 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE
                or (0xE000 <= cp <= 0xF8FF and cp % 7 == 0) or (cat == "Cn" and cp % 499 == 0)):
            out.append(ch)
    return out


def test_unusual_code_points_are_stored_as_the_field_shows_them(field, line):
    """Alone (where Qt treats some as markers) and between letters, in both kinds of field."""
    field.limit, line.limit = 10, 10
    wrong = []
    for ch in _unusual_code_points():
        for text in (ch, f"a{ch}b"):
            for widget, single in ((field, False), (line, True)):
                widget.clear_all()
                widget.insert_text(text)
                if widget.value() != clean_text(text, 10, single_line=single).text:
                    wrong.append((f"U+{ord(ch):04X}", type(widget).__name__, widget.value()))
    assert not wrong, wrong[:10]
