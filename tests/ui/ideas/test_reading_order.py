"""What a screen reader reads next is what is shown next: the accessible children of each step
(Qt's QAccessible tree, the one AT-SPI exports; tests/system/test_atspi.py reads it there) and
the Tab chain follow the cards' visual order, top to bottom, left to right."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QPushButton

from kiosk.core.config import BUNDLED_CONFIG, load_config
from ui.ideas.flow import IdeaFlow


@pytest.fixture(scope="module")
def config():  # noqa: ANN201
    return load_config(BUNDLED_CONFIG)


def accessible_order(widget) -> list[str]:  # noqa: ANN001
    """The objectNames of the buttons among ``widget``'s accessible children, in the tree's order."""
    iface = QAccessible.queryAccessibleInterface(widget)
    out = []
    for i in range(iface.childCount()):
        child = iface.child(i).object()
        if isinstance(child, QPushButton) and child.isVisible():
            out.append(child.objectName())
    return out


def visual_order(widget, names: list[str]) -> list[str]:  # noqa: ANN001
    buttons = [widget.findChild(QPushButton, n) for n in names]
    return [b.objectName() for b in sorted(buttons, key=lambda b: (b.mapTo(widget, b.rect().topLeft()).y(),
                                                                   b.mapTo(widget, b.rect().topLeft()).x()))]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_goal_cards_are_read_and_tabbed_in_the_order_shown(qtbot, config, store, size) -> None:  # noqa: ANN001
    flow = IdeaFlow(config, store, "de")
    qtbot.add_widget(flow)
    flow.resize(*size)
    flow.show()
    qtbot.wait_exposed(flow)
    flow.start()
    for topic in config.topics:
        flow.topics.cards[topic.id].click()
        qtbot.waitUntil(lambda: flow.current_step() == "goals")
        goals = flow.goals
        read = [n for n in accessible_order(goals) if n.startswith("ideas_goal_")]
        assert read == visual_order(goals, read), topic.id
        assert read[-1] == "ideas_goal_own"
        chain, w = [], goals.findChild(QPushButton, read[0])
        for _ in read:
            chain.append(w.objectName())
            w = w.nextInFocusChain()
            while not (isinstance(w, QPushButton) and w.objectName().startswith("ideas_goal_")) and w is not goals:
                w = w.nextInFocusChain()
        assert chain == read, topic.id
        flow.back.click()
        qtbot.waitUntil(lambda: flow.current_step() == "topics")


def test_read_more_is_a_button_whose_name_says_what_it_will_do(qtbot, config, store) -> None:  # noqa: ANN001
    """Not a check box (a checkable button is announced as one): "show the full notice", and once
    shown, "hide" it; in the visitor's language."""
    flow = IdeaFlow(config, store, "de")
    qtbot.add_widget(flow)
    flow.resize(1920, 1080)
    flow.show()
    qtbot.wait_exposed(flow)
    more = flow.consent.more
    assert not more.isCheckable()
    assert QAccessible.queryAccessibleInterface(more).role() == QAccessible.Role.Button
    assert more.accessibleName() == "Vollständigen Datenschutzhinweis anzeigen"
    more.click()
    assert flow.consent.full_scroll.isVisibleTo(flow.consent)
    assert more.accessibleName() == "Vollständigen Datenschutzhinweis ausblenden"
    flow.set_language("en")
    assert more.accessibleName() == "Hide the full privacy notice"
    more.click()
    assert not flow.consent.full_scroll.isVisibleTo(flow.consent)
    assert more.accessibleName() == "Show the full privacy notice"
    more.click()
    flow.consent.reset()
    assert not flow.consent.full_shown and more.accessibleName() == "Show the full privacy notice"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_with_proposals_the_platform_card_comes_last_and_the_list_reads_as_shown(qtbot, config, store, size
                                                                                 ) -> None:  # noqa: ANN001
    import dataclasses
    from pathlib import Path

    from kiosk.core.config.sections import ContentConfig

    example = Path(__file__).resolve().parents[3] / "docs" / "examples" / "content.example.toml"
    flow = IdeaFlow(dataclasses.replace(config, content=ContentConfig(file=str(example))), store, "de")
    qtbot.add_widget(flow)
    flow.resize(*size)
    flow.show()
    qtbot.wait_exposed(flow)
    flow.topics.cards["stadtentwicklung"].click()
    read = [n for n in accessible_order(flow.goals) if n.startswith("ideas_goal_")]
    assert read == visual_order(flow.goals, read)
    assert read[-2:] == ["ideas_goal_own", "ideas_goal_platform"]
    w = flow.goals.own.nextInFocusChain()
    while not isinstance(w, QPushButton):
        w = w.nextInFocusChain()
    assert w is flow.goals.platform  # Tab goes from "own idea" to "about a proposal"
    flow.goals.platform.click()
    qtbot.waitUntil(lambda: flow.current_step() == "proposals")
    step = flow.proposals
    assert accessible_order(step)[0] == "ideas_proposals_none"  # the skip is met first
    shown = [w for row in step.rows for w in (row.card, row.more) if w.isVisible()]
    for row in step.rows:  # within a row: the card, then its "read more" to the right of it
        read = accessible_order(row)
        assert read == visual_order(row, read) == [row.card.objectName()] + ([row.more.objectName()]
                                                                            if row.more.isVisible() else [])
    chain, w = [], step.none
    while len(chain) < len(shown) + 1:
        if isinstance(w, QPushButton) and w.isVisible():
            chain.append(w)
        w = w.nextInFocusChain()
    assert chain == [step.none] + shown
