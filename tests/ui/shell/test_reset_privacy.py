"""Nothing of one visitor survives the session reset, not even in a text field's undo history.

Runs on the whole app from ``kiosk.app.build`` with every screen built.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from ui.shell.main_window import MainWindow
from ui.common.screen import clear_inputs

# The offscreen platform cannot pass a top-level window's size hints on; harmless here.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TEXT_WIDGETS = (QLineEdit, QTextEdit, QPlainTextEdit)


def text_of(w: QWidget) -> str:
    return w.text() if isinstance(w, QLineEdit) else w.toPlainText()


def text_widgets(window: MainWindow) -> list[QWidget]:
    found: list[QWidget] = []
    for screen in window.screens.values():
        for cls in TEXT_WIDGETS:
            found += [w for w in screen.findChildren(cls) if not w.isReadOnly()]
    return found


def test_clear_inputs_leaves_no_undo(qtbot) -> None:
    root = QWidget()
    qtbot.add_widget(root)
    line, plain, rich = QLineEdit(root), QPlainTextEdit(root), QTextEdit(root)
    for w in (line, plain, rich):
        QTest.keyClicks(w, "Alte Idee")
    assert clear_inputs(root) == 3
    for w in (line, plain, rich):
        w.undo()
        assert text_of(w) == "", type(w).__name__
    assert not line.isUndoAvailable()


def test_undo_after_reset_restores_nothing_anywhere(qtbot, window: MainWindow) -> None:
    probes = []
    for name, screen in window.screens.items():  # a field only the shell's reset knows about
        probe = QLineEdit(screen)
        probe.setObjectName(f"probe_{name}")
        probes.append(probe)
    widgets = text_widgets(window)
    names = {w.objectName() for w in widgets}
    assert {"ideas_title", "ideas_text", "ideas_name", "draw_done_name"} <= names
    for w in widgets:
        QTest.keyClicks(w, "Geheim")
        assert "Geheim" in text_of(w), w.objectName()
    window.reset_session()
    for w in widgets:
        assert text_of(w) == "", w.objectName()
        QTest.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        w.undo()
        assert "Geheim" not in text_of(w), w.objectName()
        assert text_of(w) == "", w.objectName()
