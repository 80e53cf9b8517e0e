"""Reachability mode: a toggle on the attract screen brings every control into the lower part of
a portrait screen, for this visitor only (tests/app/test_every_size.py walks every screen in it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton

from ui.shell.reach import reach_height


def tap(window, name: str) -> None:  # noqa: ANN001
    button = window.findChild(QAbstractButton, name)
    assert button is not None and button.isVisible(), name
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()  # the layouts settle, as before the next paint


def top_in(window, widget) -> int:  # noqa: ANN001
    return widget.mapTo(window, widget.rect().topLeft()).y()


def test_the_toggle_is_a_named_toggle_on_portrait_screens_only(make_window) -> None:
    window = make_window(size=(1920, 1080))
    toggle = window.findChild(QPushButton, "attract_reach")
    assert not toggle.isVisible()  # a landscape screen keeps its controls low already
    window.resize(1080, 1920)
    window.relayout()
    QApplication.processEvents()
    assert toggle.isVisible() and toggle.isCheckable() and not toggle.isChecked()
    assert toggle.accessibleName() == "Bedienung unten" and "Rollstuhl" in toggle.accessibleDescription()
    window.language.set("en")
    assert toggle.text() == toggle.accessibleName() == "Controls lower"
    assert min(toggle.width(), toggle.height()) >= 64


def test_turned_on_the_visitor_screens_sit_in_the_lower_part_and_the_next_visitor_starts_without(
        make_window) -> None:
    window = make_window(size=(1080, 1920))
    tap(window, "attract_reach")
    assert window.reach_active and window.findChild(QPushButton, "attract_reach").isChecked()
    lower = 1920 - reach_height(1080, 1920)
    assert window.reach_panel.isVisible() and window.reach_panel.height() == lower
    assert top_in(window, window.stack) == lower
    assert top_in(window, window.findChild(QPushButton, "attract_ideas")) >= lower
    assert not window.findChild(QAbstractButton, "attract_reach").isHidden()

    tap(window, "attract_ideas")
    assert window.current_name == "ideas"
    for name in ("ideas_back", "ideas_topic_stadtentwicklung", "ideas_lang_en"):
        assert top_in(window, window.findChild(QAbstractButton, name)) >= lower, name
    window.prompt_idle()  # the "still there?" card and its "More time" button: within reach too
    QApplication.processEvents()
    more = window.findChild(QAbstractButton, "idle_continue")
    assert more.isVisible() and top_in(window, window.idle_overlay.card) >= lower

    window.reset_session()  # the visitor has gone: the next one gets the usual layout
    QApplication.processEvents()
    assert not window.reach_active and not window.reach_panel.isVisible()
    assert not window.findChild(QPushButton, "attract_reach").isChecked()
    assert top_in(window, window.stack) == 0 and window.stack.height() == 1920


def test_the_staff_screen_and_a_landscape_screen_keep_their_layout(make_window) -> None:
    window = make_window(size=(1080, 1920))
    window.set_reach(True)
    assert window.reach_active
    window.show_screen("staff")
    assert not window.reach_active and not window.reach_panel.isVisible()
    window.show_screen("attract")
    assert window.reach_active and window.reach_panel.isVisible()
    window.resize(1920, 1080)
    window.relayout()
    QApplication.processEvents()
    assert not window.reach_active and not window.reach_panel.isVisible() and window.stack.height() == 1080
