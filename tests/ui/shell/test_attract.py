"""The attract screen: config content, entries per flow, live language switch."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from ui.shell.main_window import MainWindow


def texts(widget) -> set[str]:  # noqa: ANN001
    return {lab.text() for lab in widget.findChildren(QLabel) if lab.text()}


def test_shows_the_event_from_config(window: MainWindow, jena_config) -> None:
    attract = window.screens["attract"]
    shown = texts(attract)
    assert jena_config.event.name["de"] in shown
    assert jena_config.event.tagline["de"] in shown
    assert jena_config.event.organizer["de"].upper() in shown
    assert jena_config.flows.ideas_label["de"] in shown
    assert any("3. Juli 2022" in t for t in shown)


def test_language_switch_retranslates_live(qtbot, window: MainWindow, jena_config) -> None:
    attract = window.screens["attract"]
    ideas = window.screens["ideas"]
    before = texts(attract) | texts(ideas)
    qtbot.mouseClick(attract.toggle.buttons["en"], Qt.MouseButton.LeftButton)
    assert window.language.code == "en"
    after = texts(attract) | texts(ideas)
    assert jena_config.event.name["en"] in after and jena_config.event.name["de"] not in after
    assert jena_config.flows.ideas_label["en"] in after
    back = ideas.findChild(QAbstractButton, "ideas_back")  # a screen not visible yet
    assert back.text().endswith("Back") and back.accessibleName() == "Back to the start screen"
    assert any("3 July 2022" in t for t in after)
    assert attract.ideas.accessibleName() == jena_config.flows.ideas_label["en"]
    en, de = attract.toggle.buttons["en"], attract.toggle.buttons["de"]
    assert en.property("current") and not de.property("current")  # marked, not checked: they are buttons
    assert en.accessibleDescription() == "Current language" and de.accessibleDescription() == ""
    assert not en.isCheckable()
    assert len(before & after) < len(before) / 3  # nearly everything changed
    qtbot.mouseClick(attract.toggle.buttons["de"], Qt.MouseButton.LeftButton)
    assert jena_config.event.name["de"] in texts(attract)


@pytest.mark.parametrize("ideas, drawing", [(True, False), (False, True), (False, False)])
def test_entries_hidden_when_flow_off(make_window, jena_config, ideas, drawing) -> None:
    flows = dataclasses.replace(jena_config.flows, ideas=ideas, drawing=drawing)
    window = make_window(flows=flows)
    attract = window.screens["attract"]
    assert attract.ideas.isVisible() is ideas
    assert attract.drawing.isVisible() is drawing
    assert attract.prompt.isVisible() is (ideas or drawing)


@pytest.mark.parametrize("entry, screen, back", [("attract_ideas", "ideas", "ideas_back"),
                                                 ("attract_drawing", "drawing", "draw_home")])
def test_entries_lead_to_their_flow(qtbot, window: MainWindow, entry, screen, back) -> None:
    button = window.findChild(QAbstractButton, entry)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.current_name == screen
    qtbot.mouseClick(window.findChild(QAbstractButton, back), Qt.MouseButton.LeftButton)
    assert window.current_name == "attract"


def test_every_interactive_widget_is_named_in_both_languages(window: MainWindow) -> None:
    seen: dict[str, list[str]] = {}
    for lang in ("de", "en"):
        window.language.set(lang)
        for b in window.findChildren(QAbstractButton):
            assert b.objectName(), b
            assert b.accessibleName(), b.objectName()
            seen.setdefault(b.objectName(), []).append(b.accessibleName())
    names = list(seen)
    assert len(names) == len(set(names))
    assert seen["attract_ideas"][0] != seen["attract_ideas"][1]


def test_status_line_is_there_and_quiet(window: MainWindow) -> None:
    attract = window.screens["attract"]
    attract.set_status("Synchronisiert vor 2 Minuten")
    assert window.findChild(QLabel, "attract_status").text() == "Synchronisiert vor 2 Minuten"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_a_screen_reader_reads_the_buttons_in_the_order_shown(qtbot, make_window, size) -> None:  # noqa: ANN001
    """The accessible tree (what AT-SPI exports; tests/system/test_atspi.py reads it there) lists the
    attract screen's buttons top to bottom, left to right: in portrait the reach toggle, made first,
    was read before the entries above it."""
    from PySide6.QtGui import QAccessible

    window = make_window(size=size)
    attract = window.screens["attract"]

    def buttons(widget) -> list[QAbstractButton]:  # noqa: ANN001 - depth-first, in accessible order
        iface = QAccessible.queryAccessibleInterface(widget)
        out = []
        for i in range(iface.childCount()):
            child = iface.child(i).object()
            if isinstance(child, QAbstractButton) and child.isVisible():
                out.append(child)
            elif child is not None and child.isWidgetType() and not isinstance(child, QAbstractButton):
                out += buttons(child)
        return out

    read = buttons(attract)
    top = {b: b.mapTo(attract, b.rect().topLeft()) for b in read}
    rows = sorted(read, key=lambda b: (top[b].y() // 40, top[b].x()))  # a row: within 40 px
    assert [b.objectName() for b in read] == [b.objectName() for b in rows]
    assert "attract_ideas" in [b.objectName() for b in read]
    assert ("attract_reach" in [b.objectName() for b in read]) == (size[1] > size[0])
