"""The ideas flow: from a field of action to a saved idea and its QR receipt.

:class:`IdeaFlow` is the one widget the shell needs. It holds the steps
(topics, goals, [proposals,] write, about, consent, review, thanks) in a stack under a
header with "back", the progress ("step n of m") and the language switch,
keeps the visitor's :class:`~kiosk.core.idea_draft.IdeaDraft`, and hands the
finished idea to the store. It stands on its own: config and store come in
through the constructor, and it talks to the outside only through signals.

Wiring it into a shell, in one place::

    flow = IdeaFlow(config, store, lang)
    flow.finished.connect(show_attract)            # done, timed out, or backed out
    flow.language_changed.connect(language.set)    # the visitor switched language
    language.changed.connect(flow.set_language)    # the shell switched language
    # on "Idee teilen": flow.start(); stack.setCurrentWidget(flow)
    # on idle reset:    flow.reset()
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.config import Config
from kiosk.core.content import PlatformItem, items_for_topic, load_items, platform_ref
from kiosk.core.idea_draft import IdeaDraft, idea_url, to_submission
from kiosk.core.model import Submission
from kiosk.core.storage import DiskFullError
from ui.common import theme
from ui.common.i18n import language_short, tr
from ui.ideas.about import AboutScreen
from ui.ideas.consent import ConsentScreen
from ui.ideas.goals import GoalsScreen
from ui.ideas.proposals import ProposalsScreen
from ui.ideas.step import IdeaStep, button
from ui.common.screen import label, set_prop
from ui.ideas.review import ReviewScreen
from ui.ideas.thanks import ThanksScreen
from ui.ideas.topics import TopicsScreen
from ui.ideas.write import WriteScreen

log = logging.getLogger("kiosk.ui.ideas")

STEPS = ("topics", "goals", "write", "about", "consent", "review")
"""The steps counted by the progress indicator; "thanks" comes after them. "proposals" (the
platform's current proposals, reached from a card on the goals step) counts as part of "goals"."""
PART_OF = {"proposals": "goals"}


class IdeaStore(Protocol):
    """All the flow needs of :class:`kiosk.core.storage.Store`."""

    def add(self, sub: Submission) -> None: ...


def clear_clipboard() -> None:
    """Forget whatever anyone copied: the next visitor cannot paste it."""
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    if clipboard.supportsSelection():
        clipboard.clear(clipboard.Mode.Selection)


def error_kind(exc: BaseException) -> str:
    """``"disk"`` for the store's DiskFullError, ``"other"`` for anything else."""
    return "disk" if isinstance(exc, DiskFullError) else "other"


class IdeaFlow(QWidget):
    """The whole ideas flow as one widget.

    Args:
        config: the kiosk's Config (topics, limits, consent, texts).
        store: anything with ``add(Submission)``; durable before it returns.
        lang: the language to start in.

    Signals:
        finished(): the visitor is done (thanks "done" or timeout) or backed
            out of the first step; the shell shows the attract screen.
        language_changed(str): the visitor switched language in the flow.
        submitted(str): an idea was stored; its id.
    """

    finished = Signal()
    language_changed = Signal(str)
    submitted = Signal(str)

    name = "ideas"

    def __init__(self, config: Config, store: IdeaStore, lang: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ideas_flow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(theme.ideas_stylesheet(config.branding))
        self.config = config
        self.store = store
        self.lang = lang or config.kiosk.default_language
        self.draft = IdeaDraft()
        self._portrait: bool | None = None
        self.platform_items = load_items(config)
        """The content file's proposals and debates (``[content] file``); none without one."""
        self._write_from = "goals"  # where "back" on the write step leads

        self.topics = TopicsScreen(config, self.lang)
        self.goals = GoalsScreen(config, self.lang)
        self.proposals = ProposalsScreen(config, self.lang)
        self.write = WriteScreen(config, self.lang)
        self.about = AboutScreen(config, self.lang)
        self.consent = ConsentScreen(config, self.lang)
        self.review = ReviewScreen(config, self.lang)
        self.thanks = ThanksScreen(config, self.lang)
        self.steps: dict[str, IdeaStep] = {s.step_name: s for s in (
            self.topics, self.goals, self.proposals, self.write, self.about, self.consent, self.review,
            self.thanks)}
        self.stack = QStackedWidget()
        self.stack.setObjectName("ideas_stack")
        for step in self.steps.values():
            self.stack.addWidget(step)

        self.back = button("ideas_back", "nav")
        self.back.clicked.connect(self.go_back)
        self.progress_label = label(role="", name="ideas_progress", wrap=False)
        self.progress = QProgressBar()
        self.progress.setObjectName("ideas_progress_bar")
        self.progress.setRange(0, len(STEPS))
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(360)
        self.lang_buttons: dict[str, object] = {}
        self._reach = False
        header = QWidget()
        header.setObjectName("ideas_header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(header)
        row.setContentsMargins(24, 12, 24, 12)
        row.setSpacing(16)
        row.addWidget(self.back)
        row.addStretch(1)
        progress_box = QVBoxLayout()
        progress_box.setSpacing(6)
        progress_box.addWidget(self.progress_label, 0, Qt.AlignmentFlag.AlignHCenter)
        progress_box.addWidget(self.progress)
        row.addLayout(progress_box)
        row.addStretch(1)
        for code in config.kiosk.languages:
            b = button(f"ideas_lang_{code}", "lang")  # a button that switches, not a check box
            b.setText(language_short(code))
            b.clicked.connect(lambda _=False, c=code: self._visitor_language(c))
            self.lang_buttons[code] = b
            row.addWidget(b)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(header)
        box.addWidget(self.stack, 1)
        self._connect_signals()
        self.set_language(self.lang)
        self._show("topics")

    def _connect_signals(self) -> None:
        self.topics.topic_chosen.connect(self._on_topic)
        self.goals.goal_chosen.connect(self._on_goal)
        self.goals.platform_requested.connect(self._on_platform_requested)
        self.proposals.item_chosen.connect(self._on_item)
        self.review.platform_removed.connect(self._on_platform_removed)
        self.write.next_requested.connect(self._on_write_done)
        self.about.next_requested.connect(self._on_about_done)
        self.consent.next_requested.connect(self._on_consent_done)
        self.review.send_requested.connect(self._send)
        self.review.edit_requested.connect(lambda: self._show("write"))
        self.thanks.done.connect(self._finish)

    # ------------------------------------------------------------ public API

    def start(self) -> None:
        """A new visitor enters: everything fresh, the clipboard emptied."""
        self.reset()

    def reset(self) -> None:
        """Forget the visitor: every field, choice, keyboard state, the draft and the clipboard."""
        for step in self.steps.values():
            step.reset()
        self.draft = IdeaDraft()
        self._write_from = "goals"
        clear_clipboard()
        self._show("topics")

    def set_language(self, lang: str) -> None:
        """Switch every text of the flow to ``lang`` (config content included), live."""
        self.lang = lang
        for code, b in self.lang_buttons.items():
            set_prop(b, "current", code == lang)
            b.setAccessibleDescription(tr("language.current.a11y", lang) if code == lang else "")
            b.setAccessibleName(tr("language.choose.a11y", code))  # said in the language it offers
        for step in self.steps.values():
            step.set_language(lang)
        self._update_header()

    def set_portrait(self, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for step in self.steps.values():
            step.set_portrait(portrait)

    def current_step(self) -> str:
        return self.stack.currentWidget().step_name  # type: ignore[union-attr]

    def go_back(self) -> None:
        """One step back; from the first step, leave the flow."""
        step = self.current_step()
        if step == "topics":
            self._finish()
        elif step == "write":
            self._show(self._write_from)
        elif step == "proposals":
            self._show("goals")
        elif step in STEPS:
            self._show(STEPS[STEPS.index(step) - 1])

    # ------------------------------------------------------------ internals

    def set_reach(self, on: bool) -> None:
        """Reachability mode: the flow has the lower part of a portrait screen, about as wide
        as it is high, and keeps the portrait layout there."""
        self._reach = on
        for step in self.steps.values():
            step.set_reach(on)
        self.set_portrait(on or self.height() > self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.set_portrait(self._reach or event.size().height() > event.size().width())

    def _has_goals(self) -> bool:
        """Whether the goals step has something to offer: the topic's goals, or the platform's items."""
        topic = self.config.topic(self.draft.topic_id)
        return bool(topic and (topic.goals or self._topic_items()))

    def _topic_items(self) -> list[PlatformItem]:
        topic = self.config.topic(self.draft.topic_id)
        if topic is None or not self.platform_items:
            return []
        return items_for_topic(self.platform_items, topic, self.config.topics)

    def _show(self, step: str) -> None:
        widget = self.steps[step]
        self.stack.setCurrentWidget(widget)
        self._update_header()
        widget.entered()

    def _update_header(self) -> None:
        step = self.current_step() if self.stack.count() else "topics"
        step = PART_OF.get(step, step)
        counted = step in STEPS
        n = STEPS.index(step) + 1 if counted else len(STEPS)
        self.progress_label.setText(tr("ideas.progress", self.lang, n=n, m=len(STEPS)) if counted else "")
        self.progress_label.setAccessibleName(self.progress_label.text())
        self.progress.setValue(n)
        self.progress.setVisible(counted)
        self.back.setVisible(step != "thanks")
        self.back.setText("←  " + tr("ideas.back", self.lang))
        self.back.setAccessibleName(tr("ideas.back_to_start.a11y" if step == "topics" else "ideas.back.a11y",
                                              self.lang))

    def _visitor_language(self, lang: str) -> None:
        if lang != self.lang:
            self.set_language(lang)
            self.language_changed.emit(lang)

    def _on_topic(self, topic_id: str) -> None:
        if topic_id != self.draft.topic_id:
            self.draft.topic_id = topic_id
            self.draft.goal_id = None
            self.draft.platform_item = None
            self.goals.set_topic(self.config.topic(topic_id), len(self._topic_items()))
        self._write_from = "goals" if self._has_goals() else "topics"
        self._show("goals" if self._has_goals() else "write")

    def _on_goal(self, goal_id: str) -> None:
        self.draft.goal_id = goal_id or None
        self.draft.platform_item = None
        self._write_from = "goals"
        self._show("write")

    def _on_platform_requested(self) -> None:
        chosen = self.draft.platform_item
        self.proposals.show_items(self._topic_items(), (chosen.kind, chosen.id) if chosen else None)
        self._show("proposals")

    def _on_item(self, item: PlatformItem | None) -> None:
        """An item of the platform (or None: "no, a new idea"); either way the idea is an own one."""
        self.draft.goal_id = None
        self.draft.platform_item = platform_ref(item) if item is not None else None
        self._write_from = "proposals"
        self._show("write")

    def _on_platform_removed(self) -> None:
        """On the review step: the idea is about no proposal after all (it stays an own idea)."""
        self.draft.platform_item = None
        self.goals.set_topic(self.config.topic(self.draft.topic_id), len(self._topic_items()))
        self._write_from = "goals"
        self.review.show_draft(self.draft)

    def _on_write_done(self) -> None:
        self.draft.text = self.write.idea_text()
        self.draft.title = self.write.idea_title()
        self._show("about")

    def _on_about_done(self) -> None:
        answers = self.about.answers()
        self.draft.age_group = answers["age_group"]  # type: ignore[assignment]
        self.draft.lives_here = answers["lives_here"]  # type: ignore[assignment]
        self.draft.district = answers["district"]  # type: ignore[assignment]
        self.draft.author_name = answers["author_name"]  # type: ignore[assignment]
        self._show("consent")

    def _on_consent_done(self) -> None:
        self.draft.consent_given = self.consent.consent_given()
        self.review.show_draft(self.draft)
        self._show("review")

    def _send(self) -> None:
        try:
            sub = to_submission(self.draft, self.config, self.lang)
            self.store.add(sub)
        except Exception as exc:  # noqa: BLE001 - a visitor never sees a traceback
            # No visitor text in the log: the exception's type only.
            log.error("could not store an idea: %s", type(exc).__name__)
            self.review.show_error(error_kind(exc))
            return
        log.info("idea %s stored", sub.id)
        self.submitted.emit(sub.id)
        self.thanks.show_receipt(sub.reference_code, idea_url(self.config, sub.reference_code, sub.status_token))
        self._show("thanks")
        # The idea is safe; nothing of it needs to stay in the input widgets.
        for step in (self.topics, self.goals, self.proposals, self.write, self.about, self.consent, self.review):
            step.reset()
        self.draft = IdeaDraft()
        self._write_from = "goals"
        clear_clipboard()

    def _finish(self) -> None:
        self.reset()
        self.finished.emit()
