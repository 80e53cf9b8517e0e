"""The whole kiosk (``kiosk.app.build`` on a real store) forgets a visitor who walks away.

A short-timeout copy of the bundled kiosk.toml; a visitor starts the ideas flow
or the drawing studio, enters things, and leaves. After the "still there?"
countdown: attract screen, default language, and every input of every screen
as in a freshly started app.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit,
                               QTextEdit, QWidget)

from kiosk.core import drafts
from kiosk.app import build, close, finish_building
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

REPO = Path(__file__).resolve().parents[3]
IDLE = {"timeout_s": "0.8", "countdown_s": "0.6", "drawing_timeout_s": "30", "thanks_timeout_s": "0.6"}


def short_idle_config(tmp_path: Path) -> Path:
    text = (REPO / "kiosk.toml").read_text(encoding="utf-8")
    for key, value in IDLE.items():
        text, n = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
        assert n == 1, key
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def app_window(qtbot, tmp_path) -> Iterator[MainWindow]:
    window = build(short_idle_config(tmp_path), tmp_path / "data", windowed=True)
    window.resize(1920, 1080)
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    finish_building(window)
    yield window
    close(window)
    QApplication.processEvents()


def state(window: MainWindow) -> dict[str, object]:
    """Everything a visitor can leave behind: texts, undo, ticks and choices, list selections."""
    out: dict[str, object] = {}
    for w in window.findChildren(QWidget):
        key = f"{w.objectName() or type(w).__name__}@{id(w):x}"
        if isinstance(w, QLineEdit):
            out[key] = (w.text(), w.isUndoAvailable())
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            out[key] = (w.toPlainText(), w.document().isUndoAvailable())
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            out[key] = w.isChecked()
        elif isinstance(w, QAbstractItemView):
            model = w.selectionModel()
            out[key] = tuple(i.row() for i in model.selectedIndexes()) if model else ()
    return out


def changes(fresh: dict[str, object], after: dict[str, object]) -> dict[str, object]:
    """What differs from a fresh app; a widget made since then must hold nothing."""
    return {k: v for k, v in after.items()
            if (v != fresh[k] if k in fresh else v not in (("", False), False, ()))}


def tap(window: MainWindow, name: str) -> None:
    w = window.findChild(QAbstractButton, name)
    assert w is not None and w.isVisible() and w.isEnabled(), name
    QTest.mouseClick(w, Qt.MouseButton.LeftButton)


def wait_for_reset(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=5000)
    with qtbot.waitSignal(window.session_reset, timeout=5000):
        pass
    assert window.current_name == "attract" and not window.idle_overlay.isVisible()
    assert window.language.code == window.language.default


def test_ideas_visitor_who_walks_away_leaves_nothing(qtbot, app_window: MainWindow) -> None:
    window = app_window
    fresh = state(window)
    tap(window, "attract_ideas")
    assert window.current_name == "ideas"
    tap(window, "ideas_lang_en")                     # the visitor switches language inside the flow
    assert window.language.code == "en"
    topic = window.config.topics[0]
    tap(window, f"ideas_topic_{topic.id}")
    tap(window, f"ideas_goal_{topic.goals[0].id}")
    keyboard = window.findChild(QWidget, "ideas_write_keyboard")
    window.findChild(QPlainTextEdit, "ideas_text").setFocus()
    for key in ("kb_shift", "kb_b", "kb_ae", "kb_n", "kb_k", "kb_e", "kb_capslock"):
        QTest.mouseClick(keyboard.findChild(QAbstractButton, key), Qt.MouseButton.LeftButton)
    QTest.keyClicks(window.findChild(QLineEdit, "ideas_title"), "Parkbank")
    assert window.findChild(QPlainTextEdit, "ideas_text").toPlainText() == "Bänke"
    assert state(window) != fresh

    wait_for_reset(qtbot, window)
    assert changes(fresh, state(window)) == {}
    assert window.screens["ideas"].flow.current_step() == "topics"
    assert window.findChild(QAbstractButton, "ideas_lang_de").property("current")


def test_drawing_visitor_who_walks_away_leaves_nothing(qtbot, app_window: MainWindow) -> None:
    window = app_window
    fresh = state(window)
    tap(window, "attract_drawing")
    screen = window.screens["drawing"]
    assert window.idle.timeout == 30                  # children get longer on the canvas
    canvas = screen.canvas
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    for x in range(110, 400, 10):
        QTest.mouseMove(canvas, QPoint(x, x))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 400))
    tap(window, "draw_colouring_page")
    tap(window, "draw_eraser")
    screen.flush_draft()
    assert screen.saver.wait_idle() and drafts.load_draft(window.parts.data_dir) is not None
    tap(window, "draw_done")                          # the form has the short timeout: re-read at once
    assert window.idle.timeout == window.config.idle.timeout_s
    QTest.keyClicks(window.findChild(QLineEdit, "draw_done_name"), "Mia")
    tap(window, "draw_done_age_under_12")
    tap(window, "draw_done_consent")
    assert state(window) != fresh

    wait_for_reset(qtbot, window)
    assert canvas.is_empty() and not canvas.can_undo() and not canvas.can_redo()
    assert canvas.background == "blank"
    assert changes(fresh, state(window)) == {}
    assert screen.saver.wait_idle() and drafts.load_draft(window.parts.data_dir) is None
    assert window.parts.store.stats().total == 0      # nothing was handed in


def test_a_sent_idea_is_announced_for_sync_and_stored(qtbot, app_window: MainWindow) -> None:
    """The ideas screen says "contributed" (the app wakes the sync worker on it) once the store committed."""
    window = app_window
    tap(window, "attract_ideas")
    topic = window.config.topics[1]
    tap(window, f"ideas_topic_{topic.id}")
    tap(window, "ideas_goal_own")
    QTest.keyClicks(window.findChild(QPlainTextEdit, "ideas_text"), "Mehr Trinkbrunnen")
    for name in ("ideas_write_next", "ideas_about_skip", "ideas_consent_check", "ideas_consent_next"):
        tap(window, name)
    with qtbot.waitSignal(window.screens["ideas"].contributed, timeout=5000) as sent:
        tap(window, "ideas_review_send")
    stored = window.parts.store.get(sent.args[0])
    assert stored is not None and stored.text == "Mehr Trinkbrunnen" and stored.topic_id == topic.id
    assert window.parts.store.sync_state(stored.id).status == "pending"
