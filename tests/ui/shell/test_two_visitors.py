"""Two visitors in a row, through each flow: nothing of the first reaches the second.

The first visitor finishes normally (no idle reset): types with the on-screen keys, picks
chips, scrolls, switches to English, opens the name keyboard, picks another tool and
colour. The second one finds the kiosk as it started: German, no text, no focus in a
field, no keyboard open, every list scrolled to the top, nothing chosen, the default brush.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QApplication, QLineEdit, QPlainTextEdit,
                               QTextEdit, QWidget)

from kiosk.app import build, close, finish_building
from kiosk.core.config import load_config
from kiosk.core.config.sections import ContentConfig
from ui.common.keyboard import KeyboardWidget
from ui.shell.main_window import MainWindow

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def content_file() -> str:
    """No content file (``[content] file`` unset, as bundled); a test may name one."""
    return ""


@pytest.fixture
def app_window(qtbot, tmp_path, content_file) -> Iterator[MainWindow]:
    config = load_config(REPO / "kiosk.toml")
    if content_file:
        config = dataclasses.replace(config, content=ContentConfig(file=content_file))
    window = build(config, tmp_path / "data", windowed=True)
    window.resize(1080, 1920)  # portrait: the longest pages scroll
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    finish_building(window)
    window.parts.idle.stop()
    window.activateWindow()  # an active window, as on the terminal: a tap gives click focus
    assert QTest.qWaitForWindowActive(window)
    yield window
    close(window)
    QApplication.processEvents()


def snapshot(window: MainWindow) -> dict[str, object]:
    """What a visitor could leave behind, widget by widget (hidden screens too)."""
    out: dict[str, object] = {"language": window.language.code}
    for screen_name, screen in window.screens.items():
        remembered = screen.focusWidget()
        out[f"{screen_name}: remembered focus"] = remembered.objectName() if remembered else None
    for w in window.findChildren(QWidget):
        key = f"{w.objectName() or type(w).__name__}@{id(w):x}"
        if isinstance(w, QLineEdit):
            out[key] = (w.text(), w.isUndoAvailable())
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            out[key] = (w.toPlainText(), w.document().isUndoAvailable())
        elif isinstance(w, QAbstractButton):
            out[key] = (w.isChecked(), bool(w.property("chosen")), bool(w.property("current")))
        elif isinstance(w, KeyboardWidget):
            out[key] = (w.isVisibleTo(w.window()), w.layer)
        if isinstance(w, QAbstractScrollArea):
            out[key + " scrolled"] = w.verticalScrollBar().value()
    drawing = window.screens["drawing"].inner
    canvas = drawing.canvas
    out["canvas"] = (canvas.tool, canvas.color, canvas.size_index, canvas.stamp_kind, canvas.background,
                     canvas.is_empty(), canvas.can_undo())
    return out


def differences(fresh: dict[str, object], now: dict[str, object]) -> dict[str, object]:
    """What differs from the fresh app (a widget made since must hold nothing)."""
    empty = (("", False), (False, False, False), 0)
    return {k: (fresh.get(k, "<new>"), v) for k, v in now.items() if (v != fresh[k] if k in fresh else v not in empty)}


def tap(window: MainWindow, name: str, cls=QAbstractButton) -> None:  # noqa: ANN001
    w = window.findChild(cls, name)
    assert w is not None and w.isVisible() and w.isEnabled(), name
    QTest.mouseClick(w, Qt.MouseButton.LeftButton)


def keys(window: MainWindow, keyboard: str, *names: str) -> None:
    board = window.findChild(QWidget, keyboard)
    for name in names:
        QTest.mouseClick(board.findChild(QAbstractButton, name), Qt.MouseButton.LeftButton)


def first_visitor_shares_an_idea(window: MainWindow) -> None:
    tap(window, "attract_ideas")
    tap(window, "ideas_lang_en")
    topic = window.config.topics[0]
    tap(window, f"ideas_topic_{topic.id}")
    tap(window, f"ideas_goal_{topic.goals[0].id}")
    keys(window, "ideas_write_keyboard", "kb_shift", "kb_b", "kb_e", "kb_n", "kb_c", "kb_h")
    tap(window, "ideas_title", QLineEdit)
    keys(window, "ideas_write_keyboard", "kb_p", "kb_a", "kb_r", "kb_k", "kb_symbols")
    tap(window, "ideas_write_next")
    tap(window, "ideas_age_30_49")
    tap(window, "ideas_lives_here_yes")
    tap(window, "ideas_district_lobeda")
    tap(window, "ideas_name", QLineEdit)   # opens the name keyboard
    keys(window, "ideas_about_keyboard", "kb_shift", "kb_a", "kb_n", "kb_n", "kb_a")
    about_scroll = window.findChild(QWidget, "ideas_step_about").findChild(QAbstractScrollArea)
    about_scroll.verticalScrollBar().setValue(about_scroll.verticalScrollBar().maximum())
    tap(window, "ideas_about_next")
    tap(window, "ideas_consent_more")
    tap(window, "ideas_consent_check")
    tap(window, "ideas_consent_next")
    tap(window, "ideas_review_send")
    tap(window, "ideas_thanks_done")      # done: back to the start, no idle wipe needed


def first_visitor_attaches_an_idea_to_a_proposal(window: MainWindow) -> None:
    tap(window, "attract_ideas")
    tap(window, "ideas_lang_en")
    tap(window, "ideas_topic_kompetenzen")
    tap(window, "ideas_goal_platform")
    proposals = window.findChild(QWidget, "ideas_step_proposals")
    tap(window, "ideas_proposal_proposal_104_more")  # the whole summary open
    scroll = proposals.findChild(QAbstractScrollArea, "ideas_proposals_scroll")
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    tap(window, "ideas_proposal_proposal_104")
    keys(window, "ideas_write_keyboard", "kb_shift", "kb_g", "kb_e", "kb_r", "kb_n", "kb_e", "kb_space", "kb_j", "kb_a")
    tap(window, "ideas_write_next")
    tap(window, "ideas_about_skip")
    tap(window, "ideas_consent_check")
    tap(window, "ideas_consent_next")
    assert window.findChild(QWidget, "ideas_review_platform").isVisible()
    tap(window, "ideas_review_send")
    tap(window, "ideas_thanks_done")


def first_visitor_draws(window: MainWindow) -> None:
    tap(window, "language_en")             # chosen on the attract screen, before drawing
    tap(window, "attract_drawing")
    canvas = window.screens["drawing"].inner.canvas
    tap(window, "draw_colour_sky_blue")
    tap(window, "draw_size_large")
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    for x in range(110, 400, 10):
        QTest.mouseMove(canvas, QPoint(x, x))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 400))
    tap(window, "draw_stamp_tram")
    tap(window, "draw_colouring_page")
    tap(window, "draw_eraser")
    tap(window, "draw_done")
    tap(window, "draw_done_name", QLineEdit)
    keys(window, "draw_done_keyboard", "kb_shift", "kb_m", "kb_i", "kb_a")
    tap(window, "draw_done_age_under_12")
    tap(window, "draw_done_consent")
    with _saved(window.screens["drawing"].inner):
        tap(window, "draw_done_send")
    tap(window, "draw_thanks_finish")


class _saved:
    """Wait, inside a ``with``, for the drawing screen to say it stored the picture."""

    def __init__(self, screen) -> None:  # noqa: ANN001
        self.screen = screen
        self.done = False
        screen.saved.connect(self._set)

    def _set(self, *_: object) -> None:
        self.done = True

    def __enter__(self) -> _saved:
        return self

    def __exit__(self, *exc: object) -> None:
        for _ in range(500):
            if self.done:
                return
            QTest.qWait(20)
        raise AssertionError("the drawing was not saved")


@pytest.mark.parametrize("first_visitor", [first_visitor_shares_an_idea, first_visitor_draws],
                         ids=["ideas", "drawing"])
def test_the_second_visitor_finds_nothing_of_the_first(app_window: MainWindow, first_visitor) -> None:  # noqa: ANN001
    window = app_window
    fresh = snapshot(window)
    first_visitor(window)
    assert window.current_name == "attract"
    assert differences(fresh, snapshot(window)) == {}


@pytest.mark.parametrize("content_file", [str(REPO / "docs" / "examples" / "content.example.toml")])
def test_the_second_visitor_finds_nothing_of_the_first_ones_proposal(app_window: MainWindow) -> None:
    window = app_window
    fresh = snapshot(window)
    first_visitor_attaches_an_idea_to_a_proposal(window)
    assert window.current_name == "attract"
    assert differences(fresh, snapshot(window)) == {}
    flow = window.screens["ideas"]
    flow = getattr(flow, "inner", flow).flow
    assert flow.draft.platform_item is None and flow.proposals.selected() is None
    assert not any(row.expanded for row in flow.proposals.rows)
    # The second visitor walks the same way and finds the list as the first found it.
    tap(window, "attract_ideas")
    tap(window, "ideas_topic_kompetenzen")
    assert not window.findChild(QWidget, "ideas_goal_platform").property("chosen")
    tap(window, "ideas_goal_platform")
    assert flow.proposals.scroll.verticalScrollBar().value() == 0
    assert flow.proposals.rows[-1].more.text() == "Mehr lesen"


def test_after_a_goal_card_the_keys_type_the_idea_not_the_title(app_window: MainWindow) -> None:
    """A tapped card takes no focus: the write step's default field (the idea text) keeps it."""
    window = app_window
    tap(window, "attract_ideas")
    topic = window.config.topics[0]
    tap(window, f"ideas_topic_{topic.id}")
    tap(window, f"ideas_goal_{topic.goals[0].id}")
    keys(window, "ideas_write_keyboard", "kb_shift", "kb_b", "kb_a", "kb_n", "kb_k")
    assert window.findChild(QPlainTextEdit, "ideas_text").toPlainText() == "Bank"
    assert window.findChild(QLineEdit, "ideas_title").text() == ""
    assert window.findChild(QAbstractButton, "ideas_write_next").isEnabled()
