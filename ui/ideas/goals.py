"""Step 2: respond to one of the topic's goals or measures, or bring an own idea – or, when the
content file offers some for this field of action, attach it to a current proposal of the platform."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.core.config import Config, Topic
from ui.ideas.step import Card, IdeaStep, big_card, cards_layout
from ui.common.screen import label
from ui.ideas.proposals import platform_label

OWN_IDEA = ""
"""What :attr:`GoalsScreen.goal_chosen` carries for "my own idea"."""


class GoalsScreen(IdeaStep):
    """The goals of one topic (title and short text) and "eigene Idee / my own idea".

    Signals:
        goal_chosen(str): a goal id, or ``""`` (:data:`OWN_IDEA`) for an own idea.
        platform_requested(): "Zu einem aktuellen Vorschlag": show the platform's items.
    """

    step_name = "goals"
    goal_chosen = Signal(str)
    platform_requested = Signal()

    def __init__(self, config: Config, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(config, lang, parent)
        self.topic: Topic | None = None
        self.heading = label(role="heading", name="ideas_goals_heading")
        self.sub = label(role="sub", name="ideas_goals_sub")
        self.cards: dict[str, Card] = {}
        self.own = big_card("ideas_goal_own", 260, lambda: self._choose(OWN_IDEA))
        self.platform = big_card("ideas_goal_platform", 260, self._platform)
        self.platform.hide()
        self.platform_items = 0
        self._grid = QGridLayout()
        self._grid.setSpacing(20)
        self._portrait = False
        cards_layout(self, self.heading, self.sub, self._grid, 2).addStretch(1)
        self.retranslate()

    def set_topic(self, topic: Topic | None, platform_items: int = 0) -> None:
        """Show ``topic``'s goals (and the platform card when ``platform_items``); any earlier
        choice is forgotten."""
        for card in self.cards.values():
            # Detach now: deleteLater alone would leave a chosen card findable
            # until the event loop runs.
            card.set_chosen(False)
            self._grid.removeWidget(card)
            card.setParent(None)
            card.deleteLater()
        self.cards = {}
        self.topic = topic
        for goal in topic.goals if topic else ():
            self.cards[goal.id] = big_card(f"ideas_goal_{goal.id}", 260, lambda g=goal.id: self._choose(g))
        self.own.set_chosen(False)
        self.platform.set_chosen(False)
        self.platform_items = platform_items
        self._arrange()
        self.retranslate()

    def _arrange(self) -> None:
        cols = 1 if self._portrait else 2
        items = list(self.cards.values()) + [self.own]
        self._grid.removeWidget(self.platform)
        self.platform.setVisible(self.platform_items > 0)
        if self.platform_items:
            items.append(self.platform)
        for i, card in enumerate(items):
            self._grid.addWidget(card, i // cols, i % cols)
            card.set_compact(self.reach, keep_text=True)  # reach mode: tighter, every word kept
        if self.reach and self.platform_items:
            # Five cards in the lower part of the screen: "own idea" and "about a proposal" show their
            # titles only (their texts stay their accessible descriptions); the goals keep every word.
            self.own.set_compact(True)
            self.platform.set_compact(True)
        # A screen reader reads the cards in the order of their parent's children, and Tab follows the
        # focus chain: both in the order shown. "Own idea" was made first, the topic's cards after it.
        self.own.raise_()
        self.platform.raise_()
        for a, b in zip(items, items[1:]):
            QWidget.setTabOrder(a, b)
        for c in range(2):
            self._grid.setColumnStretch(c, 1 if c < cols else 0)

    def set_portrait(self, portrait: bool) -> None:
        self._portrait = portrait
        self._arrange()

    def set_reach(self, on: bool) -> None:
        super().set_reach(on)
        self._arrange()

    def retranslate(self) -> None:
        self.heading.setText(self.tr_("ideas.goals.heading"))
        topic_title = self.topic.title.get_text(self.lang) if self.topic else ""
        self.sub.setText(self.tr_("ideas.goals.sub", topic=topic_title))
        for goal in self.topic.goals if self.topic else ():
            title = goal.title.get_text(self.lang)
            self.cards[goal.id].set_texts(title, goal.text.get_text(self.lang), self.tr_("ideas.goal.a11y", title=title))
        own = self.tr_("ideas.goal.own")
        self.own.set_texts(own, self.tr_("ideas.goal.own.text"), own)
        platform = platform_label(self.config, self.lang)
        self.platform.set_texts(self.tr_("ideas.goal.platform") + "  →", self.tr_("ideas.goal.platform.text", platform=platform),
                                self.tr_("ideas.goal.platform.a11y", platform=platform))

    def reset(self) -> None:
        self.set_topic(None)

    def show_platform_chosen(self) -> None:
        """Coming back from the proposals step: the platform card is the visitor's last choice."""
        for card in (*self.cards.values(), self.own):
            card.set_chosen(False)
        self.platform.set_chosen(True)

    def _platform(self) -> None:
        self.show_platform_chosen()
        self.platform_requested.emit()

    def selected(self) -> str | None:
        if self.own.is_chosen():
            return OWN_IDEA
        return next((gid for gid, c in self.cards.items() if c.is_chosen()), None)

    def _choose(self, goal_id: str) -> None:
        for gid, card in self.cards.items():
            card.set_chosen(gid == goal_id)
        self.own.set_chosen(goal_id == OWN_IDEA)
        self.platform.set_chosen(False)
        self.goal_chosen.emit(goal_id)
