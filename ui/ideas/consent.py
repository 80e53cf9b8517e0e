"""Step 5: the consent to publish, with the short text, "read more", and a required checkbox."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.core.config import Config
from ui.ideas.step import IdeaStep, button
from ui.common.screen import label


class WideCheckBox(QCheckBox):
    """A checkbox that toggles wherever its row is tapped, not only on box or text."""

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802
        return self.rect().contains(pos)


class ConsentScreen(IdeaStep):
    """Consent text from config; "next" works only with the box ticked.

    Signals:
        next_requested(): consent given and "next" tapped.
    """

    step_name = "consent"

    def __init__(self, config: Config, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(config, lang, parent)
        self.heading = label(role="heading", name="ideas_consent_heading")
        self.short = label(role="", name="ideas_consent_short")
        # "Read more" shows or hides the full notice: a button whose name says which it will do (a
        # checkable one would be announced as a check box, its name the same either way).
        self.more = button("ideas_consent_more", "")
        self.full_shown = False
        self.more.clicked.connect(lambda: self._toggle_full(not self.full_shown))
        self.full = label(role="", name="ideas_consent_full")
        self.full.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.full.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        panel = QFrame()
        panel.setProperty("role", "panel")
        QVBoxLayout(panel).addWidget(self.full, 0, Qt.AlignmentFlag.AlignTop)
        panel.layout().setContentsMargins(28, 24, 28, 24)
        self.full_scroll = QScrollArea()
        self.full_scroll.setObjectName("ideas_consent_full_scroll")
        self.full_scroll.setWidgetResizable(True)
        self.full_scroll.setWidget(panel)
        self.full_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.full_scroll.hide()
        self.check = WideCheckBox()
        self.check.setObjectName("ideas_consent_check")
        self.check.toggled.connect(self._update)
        self.hint = label(role="sub", name="ideas_consent_hint")
        self.next = button("ideas_consent_next", "primary")
        self.next.clicked.connect(self._next)

        more_row = QHBoxLayout()
        more_row.addWidget(self.more)
        more_row.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.next, 0, Qt.AlignmentFlag.AlignRight)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 28, 48, 24)
        box.setSpacing(20)
        box.addWidget(self.heading)
        box.addWidget(self.short)
        box.addLayout(more_row)
        box.addWidget(self.full_scroll, 1)
        box.addWidget(self.check)
        self._stretch_index = box.count()
        box.addStretch(1)  # the box sits right under the text; "next" at the bottom
        box.addLayout(bottom)
        self._box = box
        self.retranslate()
        self._update()

    def consent_given(self) -> bool:
        return self.check.isChecked()

    def retranslate(self) -> None:
        c = self.config.consent
        self.heading.setText(self.tr_("ideas.consent.heading"))
        self.short.setText(c.short.get_text(self.lang))
        self.full.setText(c.full.get_text(self.lang))
        self.more.setText(self.tr_("ideas.consent.less" if self.full_shown else "ideas.consent.more"))
        self.more.setAccessibleName(self.tr_("ideas.consent.less.a11y" if self.full_shown else "ideas.consent.more.a11y"))
        self.check.setText(self.tr_("ideas.consent.check"))
        self.check.setAccessibleName(self.tr_("ideas.consent.check.a11y"))
        self.hint.setText(self.tr_("ideas.consent.required"))
        self.next.setText(self.tr_("ideas.next") + "  →")
        self.next.setAccessibleName(self.tr_("ideas.next.a11y"))

    def reset(self) -> None:
        self.check.setChecked(False)
        self._toggle_full(False)

    def _toggle_full(self, shown: bool) -> None:
        self.full_shown = shown
        self.full_scroll.setVisible(shown)
        self._box.setStretch(self._stretch_index, 0 if shown else 1)
        self.retranslate()

    def _update(self) -> None:
        self.next.setEnabled(self.check.isChecked())
        self.hint.setVisible(not self.check.isChecked())

    def _next(self) -> None:
        if self.check.isChecked():
            self.next_requested.emit()
