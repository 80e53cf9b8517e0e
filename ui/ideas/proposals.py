"""Step 2b: "my idea is about this proposal" – the platform's current proposals and debates.

Reached from the goals step's card "Zu einem aktuellen Vorschlag", which is there only when the
content file (``[content] file``, ``kiosk content pull``) offers items for the chosen field of
action (:func:`kiosk.core.content.items_for_topic`). A visitor who does not care never sees
this step. Here: "Nein, eine neue Idee" first and largest, then one big card per item (kind,
title, the start of its summary) with "Mehr lesen" beside it for the whole summary, all from
the file: nothing needs the network. Titles and summaries come from the platform, so they are
balanced (:func:`kiosk.core.bidi.balance`) and shown as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.bidi import balance
from kiosk.core.config import Config
from kiosk.core.content import PlatformItem
from ui.common.i18n import tr
from ui.common.screen import label
from ui.ideas.step import Card, IdeaStep, button

SHORT_SUMMARY_CHARS = 140
"""How much of a summary a card shows before "Mehr lesen"."""


def short_summary(text: str, limit: int = SHORT_SUMMARY_CHARS) -> str:
    """The start of ``text``: whole words up to ``limit`` characters, then "…"; all of it when short."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.–-") + " …"


def item_name(item: PlatformItem) -> str:
    """The stable objectName part of an item: ``proposal_142``."""
    return f"{item.kind}_{re.sub(r'[^A-Za-z0-9_]', '_', item.id)}"


def platform_label(config: Config, lang: str) -> str:
    """How the texts name the platform: its host (``mitmachen.jena.de``), or a phrase."""
    host = urlsplit(config.event.platform_url).hostname or ""
    return host.removeprefix("www.") or tr("ideas.platform.fallback", lang)


class ProposalRow(QFrame):
    """One item: its card (a button: "my idea is about this") and "Mehr lesen" beside it."""

    def __init__(self, item: PlatformItem, on_choose: Callable[[PlatformItem], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name = item_name(item)
        self.setObjectName(f"ideas_proposal_{name}_row")
        self.item = item
        self.expanded = False
        self.card = Card(f"ideas_proposal_{name}")
        self.card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.card.clicked.connect(lambda _=False: on_choose(item))
        # "Mehr lesen" shows or hides the whole summary: a button whose name says which (as consent's).
        self.more = button(f"ideas_proposal_{name}_more", "")
        self.more.clicked.connect(lambda _=False: self.set_expanded(not self.expanded))
        self.more.setVisible(len(" ".join(item.summary.split())) > SHORT_SUMMARY_CHARS)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        row.addWidget(self.card, 1)
        row.addWidget(self.more, 0, Qt.AlignmentFlag.AlignTop)

    def set_expanded(self, on: bool) -> None:
        self.expanded = on
        self.retranslate(self._lang)

    _lang = "de"

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        item = self.item
        kind = tr(f"ideas.proposals.kind.{item.kind}", lang)
        title = balance(" ".join(item.title.split()))
        summary = balance(item.summary.strip() if self.expanded else short_summary(item.summary))
        text = f"{kind} · {summary}" if summary else f"{kind} · {tr('ideas.proposals.empty', lang)}"
        self.card.set_texts(title, text, tr("ideas.proposals.item.a11y", lang, kind=kind, title=title))
        self.card.setAccessibleDescription(f"{kind}: {balance(item.summary.strip())}")
        # As wide for "Weniger anzeigen" as for "Mehr lesen": the card keeps its width when opened.
        widths = []
        self.more.ensurePolished()
        for key in ("ideas.proposals.less", "ideas.proposals.more"):
            self.more.setText(tr(key, lang))
            widths.append(self.more.sizeHint().width())
        self.more.setMinimumWidth(max(widths))
        self.more.setText(tr("ideas.proposals.less" if self.expanded else "ideas.proposals.more", lang))
        self.more.setAccessibleName(tr("ideas.proposals.less.a11y" if self.expanded else "ideas.proposals.more.a11y",
                                       lang, title=title))


class ProposalsScreen(IdeaStep):
    """The items of a field of action, and "no, a new idea".

    Signals:
        item_chosen(object): the :class:`PlatformItem` tapped, or None for "no, a new idea".
    """

    step_name = "proposals"
    item_chosen = Signal(object)

    def __init__(self, config: Config, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(config, lang, parent)
        self.items: tuple[PlatformItem, ...] = ()
        self.rows: list[ProposalRow] = []
        self.heading = label(role="heading", name="ideas_proposals_heading")
        self.sub = label(role="sub", name="ideas_proposals_sub")
        self.none = button("ideas_proposals_none", "primary")
        self.none.clicked.connect(lambda _=False: self._choose(None))
        self.list = QWidget()
        self.list.setObjectName("ideas_proposals_list")
        self._list_box = QVBoxLayout(self.list)
        self._list_box.setContentsMargins(0, 0, 16, 0)  # a gap before the scroll bar
        self._list_box.setSpacing(16)
        self._list_box.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("ideas_proposals_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.list)
        # A tap on a card must not leave focus on the list (Qt gives it to the first parent that
        # takes click focus): the write step's keys type into the idea's text afterwards.
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Scrolled by its scroll bar, made wide for a finger here (ui/common/theme.py), as the other
        # steps' scroll areas are: a drag gesture would delay every tap on a card.
        top = QHBoxLayout()
        top.setSpacing(24)
        top.addWidget(self.sub, 1)
        top.addWidget(self.none, 0, Qt.AlignmentFlag.AlignBottom)
        self._top = top
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 28, 48, 24)
        box.setSpacing(16)
        box.addWidget(self.heading)
        box.addLayout(top)
        box.addWidget(self.scroll, 1)
        self.retranslate()

    def show_items(self, items: Sequence[PlatformItem], chosen: tuple[str, str] | None = None) -> None:
        """List ``items`` (built again only when they changed); mark the one ``(kind, id)`` chosen."""
        items = tuple(items)
        if items != self.items:
            for row in self.rows:
                self._list_box.removeWidget(row)
                row.setParent(None)
                row.deleteLater()
            self.items = items
            self.rows = [ProposalRow(item, self._choose) for item in items]
            for i, row in enumerate(self.rows):
                self._list_box.insertWidget(i, row)
                row.retranslate(self.lang)
            chain = [self.none] + [w for row in self.rows for w in (row.card, row.more)]
            for a, b in zip(chain, chain[1:]):
                QWidget.setTabOrder(a, b)
            self._apply_reach()
        for row in self.rows:
            row.card.set_chosen(chosen == (row.item.kind, row.item.id))
            if row.expanded:
                row.set_expanded(False)
        self.scroll.verticalScrollBar().setValue(0)

    def set_portrait(self, portrait: bool) -> None:
        # Portrait screens are narrow: the skip button goes under the line of text, full width.
        self._top.setDirection(QHBoxLayout.Direction.TopToBottom if portrait else QHBoxLayout.Direction.LeftToRight)

    def set_reach(self, on: bool) -> None:
        super().set_reach(on)
        self._apply_reach()

    def _apply_reach(self) -> None:
        for row in self.rows:
            row.card.set_compact(self.reach, keep_text=True)

    def retranslate(self) -> None:
        platform = platform_label(self.config, self.lang)
        self.heading.setText(self.tr_("ideas.proposals.heading"))
        self.sub.setText(self.tr_("ideas.proposals.sub", platform=platform))
        self.none.setText(self.tr_("ideas.proposals.none") + "  →")
        self.none.setAccessibleName(self.tr_("ideas.proposals.none.a11y"))
        for row in self.rows:
            row.retranslate(self.lang)

    def reset(self) -> None:
        """Forget the visitor: nothing chosen, every summary short, the list at its top."""
        self.show_items(self.items, None)

    def selected(self) -> PlatformItem | None:
        return next((row.item for row in self.rows if row.card.is_chosen()), None)

    def _choose(self, item: PlatformItem | None) -> None:
        for row in self.rows:
            row.card.set_chosen(item is not None and row.item == item)
        self.item_chosen.emit(item)
