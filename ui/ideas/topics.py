"""Step 1: choose a field of action (topic) from large cards."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPixmap, QShowEvent
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.core.config import Config
from ui.ideas.step import Card, IdeaStep, big_card, cards_layout
from ui.common.screen import label


def icon_pixmap(name: str, color: str, size: int) -> QPixmap | None:
    """A Material Design icon, or None when qtawesome cannot draw it.

    qtawesome is imported on first use (it costs about 250 ms), when the topic
    cards are first shown, never at the kiosk's start.
    """
    try:
        import qtawesome  # noqa: PLC0415

        return qtawesome.icon(name, color=color).pixmap(size, size)
    except Exception:  # noqa: BLE001 - an unknown icon name must not break the flow
        return None


class TopicsScreen(IdeaStep):
    """Topic cards: icon, title, one-line description.

    Signals:
        topic_chosen(str): the id of the topic the visitor tapped.
    """

    step_name = "topics"
    topic_chosen = Signal(str)

    def __init__(self, config: Config, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(config, lang, parent)
        self.heading = label(role="heading", name="ideas_topics_heading")
        self.sub = label(role="sub", name="ideas_topics_sub")
        self.cards: dict[str, Card] = {}
        self._grid = QGridLayout()
        self._grid.setSpacing(20)
        for topic in config.topics:
            card = big_card(f"ideas_topic_{topic.id}", 420, lambda t=topic.id: self._choose(t))
            self.cards[topic.id] = card
        self._icons_loaded = False
        cards_layout(self, self.heading, self.sub, self._grid, 1)
        self.set_portrait(False)
        self.retranslate()

    def set_reach(self, on: bool) -> None:
        """In reach mode the cards show their icon and title (the description is still their
        accessible description): seven cards fit the lower part of the screen that way."""
        super().set_reach(on)
        for card in self.cards.values():
            card.set_compact(on)

    def set_portrait(self, portrait: bool) -> None:
        cols = 2 if portrait else 4
        for i, card in enumerate(self.cards.values()):
            self._grid.addWidget(card, i // cols, i % cols)
        for c in range(4):
            self._grid.setColumnStretch(c, 1 if c < cols else 0)
        rows = (len(self.cards) + cols - 1) // cols
        for r in range(8):
            self._grid.setRowStretch(r, 1 if r < rows else 0)

    def retranslate(self) -> None:
        self.heading.setText(self.tr_("ideas.topics.heading"))
        self.sub.setText(self.tr_("ideas.topics.sub"))
        for topic in self.config.topics:
            title = topic.title.get_text(self.lang)
            self.cards[topic.id].set_texts(title, topic.description.get_text(self.lang),
                                           self.tr_("ideas.topic.a11y", title=title))

    def reset(self) -> None:
        for card in self.cards.values():
            card.set_chosen(False)

    def selected(self) -> str | None:
        return next((tid for tid, c in self.cards.items() if c.is_chosen()), None)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._icons_loaded:
            self._icons_loaded = True
            color = self.config.branding.primary_color
            for topic in self.config.topics:
                pm = icon_pixmap(topic.icon, color, 72)
                if pm is not None:
                    self.cards[topic.id].set_icon(pm)

    def _choose(self, topic_id: str) -> None:
        for tid, card in self.cards.items():
            card.set_chosen(tid == topic_id)
        self.topic_chosen.emit(topic_id)
