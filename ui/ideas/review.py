"""Step 6: the idea as it will be published, and "send"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.core.bidi import balance, isolate
from kiosk.core.config import Config
from kiosk.core.idea_draft import IdeaDraft
from ui.common.i18n import tr
from ui.ideas.step import IdeaStep, button
from ui.common.screen import label


class ReviewScreen(IdeaStep):
    """Shows a draft; "send" asks the flow to store it.

    Signals:
        send_requested(): the visitor tapped "send".
        edit_requested(): the visitor wants to change the text.
        platform_removed(): the visitor detached the idea from the platform's proposal.
    """

    step_name = "review"
    send_requested = Signal()
    edit_requested = Signal()
    platform_removed = Signal()

    def __init__(self, config: Config, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(config, lang, parent)
        self.draft: IdeaDraft | None = None
        self._error_key = ""
        self.heading = label(role="heading", name="ideas_review_heading")
        self.context = label(role="sub", name="ideas_review_context")
        self.title = label(role="card_title", name="ideas_review_title")
        self.text = label(role="", name="ideas_review_text")
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.author = label(role="card_text", name="ideas_review_author")
        # The platform's proposal the idea is about, and a way to take that back.
        self.platform = label(role="notice", name="ideas_review_platform")
        self.platform_remove = button("ideas_review_platform_remove", "")
        self.platform_remove.clicked.connect(self.platform_removed)
        platform_row = QHBoxLayout()
        platform_row.setSpacing(16)
        platform_row.addWidget(self.platform, 1)
        platform_row.addWidget(self.platform_remove, 0, Qt.AlignmentFlag.AlignVCenter)
        panel = QFrame()
        panel.setObjectName("ideas_review_panel")
        panel.setProperty("role", "panel")
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(36, 28, 36, 28)
        inner.setSpacing(14)
        inner.addWidget(self.context)
        inner.addLayout(platform_row)
        inner.addWidget(self.title)
        inner.addWidget(self.text)
        inner.addWidget(self.author)
        inner.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("ideas_review_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(panel)
        self.private = label(role="sub", name="ideas_review_private")
        self.error = label(role="error", name="ideas_review_error")
        self.error.hide()
        self.edit = button("ideas_review_edit", "")
        self.edit.clicked.connect(self.edit_requested)
        self.send = button("ideas_review_send", "primary")
        self.send.clicked.connect(self._send)

        bottom = QHBoxLayout()
        bottom.setSpacing(24)
        bottom.addWidget(self.edit)
        bottom.addStretch(1)
        bottom.addWidget(self.send)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 28, 48, 24)
        box.setSpacing(18)
        box.addWidget(self.heading)
        box.addWidget(self.scroll, 1)
        box.addWidget(self.private)
        box.addWidget(self.error)
        box.addLayout(bottom)
        self.retranslate()

    def show_draft(self, draft: IdeaDraft) -> None:
        self.draft = draft
        self.show_error("")
        self.retranslate()

    def show_error(self, key: str) -> None:
        """Show a friendly message (``"disk"`` or ``"other"``), or hide it with ``""``."""
        self._error_key = key
        self.error.setVisible(bool(key))
        self.send.setEnabled(True)
        if key:
            self.error.setText(self.tr_(f"ideas.review.error.{key}"))

    def set_busy(self, busy: bool) -> None:
        self.send.setEnabled(not busy)

    def retranslate(self) -> None:
        self.heading.setText(self.tr_("ideas.review.heading"))
        self.send.setText(self.tr_("ideas.review.send") + "  ✓")
        self.send.setAccessibleName(self.tr_("ideas.review.send.a11y"))
        self.edit.setText("✎  " + self.tr_("ideas.review.edit"))
        self.edit.setAccessibleName(self.tr_("ideas.review.edit.a11y"))
        if self._error_key:
            self.error.setText(self.tr_(f"ideas.review.error.{self._error_key}"))
        d = self.draft
        self.platform_remove.setText("✕  " + self.tr_("ideas.review.platform.remove"))
        self.platform_remove.setAccessibleName(self.tr_("ideas.review.platform.remove.a11y"))
        ref = d.platform_item if d is not None else None
        self.platform.setText(self.tr_("ideas.review.platform", title=isolate(ref.title)) if ref else "")
        self.platform.setVisible(ref is not None)
        self.platform_remove.setVisible(ref is not None)
        if d is None:
            for lab in (self.context, self.title, self.text, self.author, self.private):
                lab.clear()
            self.title.hide()
            self.private.hide()
            return
        topic = self.config.topic(d.topic_id)
        goal = next((g for g in topic.goals if g.id == d.goal_id), None) if topic else None
        parts = [topic.title.get_text(self.lang) if topic else d.topic_id,
                 goal.title.get_text(self.lang) if goal else self.tr_("ideas.review.own")]
        self.context.setText("  ›  ".join(parts))
        self.title.setText(balance(d.title.strip()))
        self.title.setVisible(bool(d.title.strip()))
        self.text.setText(balance(d.text))
        name = d.author_name.strip()
        self.author.setText(self.tr_("ideas.review.by", name=isolate(name)) if name
                            else self.tr_("ideas.review.anonymous"))
        details = []
        if d.age_group:
            details.append(self.tr_("ideas.review.age", g=tr(f"ideas.age.{d.age_group}", self.lang)))
        if d.lives_here is not None:
            details.append(self.tr_("ideas.review.lives_here" if d.lives_here else "ideas.review.lives_elsewhere"))
        if d.district:
            details.append(isolate(d.district))
        self.private.setText(self.tr_("ideas.review.private", details=", ".join(details)))
        self.private.setVisible(bool(details))

    def reset(self) -> None:
        self.draft = None
        self.show_error("")
        self.retranslate()
        self.scroll.verticalScrollBar().setValue(0)

    def _send(self) -> None:
        if self.draft is not None and self.send.isEnabled():
            self.set_busy(True)
            self.send_requested.emit()
