"""Step 3: write the idea, with a live count, an optional title and the on-screen keyboard."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.config import Config
from ui.ideas.step import IdeaStep, button
from ui.common.screen import label, set_prop
from ui.common.keyboard import KeyboardWidget
from ui.common.limited_text import LimitedLineEdit, LimitedTextEdit


class WriteScreen(IdeaStep):
    """The idea's text and title.

    The on-screen keyboard types into whichever of the two fields the visitor
    last touched (the text by default); a physical keyboard types wherever the
    focus is. Both can be mixed in the same idea.

    Signals:
        next_requested(): "next" tapped with a non-empty text.
    """

    step_name = "write"

    def __init__(self, config: Config, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(config, lang, parent)
        limit = config.flows.text_limit
        self.heading = label(role="heading", name="ideas_write_heading")
        self.title = LimitedLineEdit(config.flows.title_limit)
        self.title.setObjectName("ideas_title")
        self.text = LimitedTextEdit(limit)
        self.text.setObjectName("ideas_text")
        self.text.setMinimumHeight(150)
        self.count = label(role="count", name="ideas_count", wrap=False)
        self.notice = label(role="notice", name="ideas_cut_notice")
        self.notice.hide()
        self.next = button("ideas_write_next", "primary")
        self.next.setEnabled(False)
        self.next.clicked.connect(self._next)
        self.keyboard = KeyboardWidget(lang)
        self.keyboard.setObjectName("ideas_write_keyboard")
        self.keyboard.setMaximumWidth(1500)
        self.keyboard.key_pressed.connect(self._on_key)
        self._target: LimitedLineEdit | LimitedTextEdit = self.text
        for field in (self.title, self.text):
            field.installEventFilter(self)
        self.text.textChanged.connect(self._update_count)
        self.text.text_cut.connect(lambda: self._show_cut("ideas.write.cut", limit))
        self.title.text_cut.connect(lambda: self._show_cut("ideas.write.title_cut", config.flows.title_limit))
        self.title.enter_pressed.connect(lambda: self._focus(self.text))
        self._notice_key = ("", 0)

        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.count, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.notice, 1)
        row.addStretch(0)
        row.addWidget(self.next, 0, Qt.AlignmentFlag.AlignRight)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 20, 48, 20)
        box.setSpacing(14)
        box.addWidget(self.heading)
        box.addWidget(self.title)
        box.addWidget(self.text, 1)
        box.addLayout(row)
        box.addWidget(self.keyboard, 0, Qt.AlignmentFlag.AlignHCenter)
        self.set_portrait(False)
        self.retranslate()
        self._update_count()

    # ------------------------------------------------------------ values

    def idea_text(self) -> str:
        return self.text.value()

    def idea_title(self) -> str:
        return self.title.value()

    # ------------------------------------------------------------ IdeaStep

    def retranslate(self) -> None:
        self.heading.setText(self.tr_("ideas.write.heading"))
        self.title.setPlaceholderText(self.tr_("ideas.write.title.placeholder"))
        self.title.setAccessibleName(self.tr_("ideas.write.title.a11y"))
        self.text.setPlaceholderText(self.tr_("ideas.write.text.placeholder"))
        self.text.setAccessibleName(self.tr_("ideas.write.text.a11y"))
        self.next.setText(self.tr_("ideas.next") + "  →")
        self.next.setAccessibleName(self.tr_("ideas.next.a11y"))
        self.keyboard.set_language(self.lang)
        if self._notice_key[0]:
            self.notice.setText(self.tr_(self._notice_key[0], m=self._notice_key[1]))
        self._update_count()

    def reset(self) -> None:
        self.text.clear_all()
        self.title.clear_all()
        self.keyboard.reset()
        self.notice.hide()
        self.notice.clear()
        self._notice_key = ("", 0)
        self._target = self.text
        self._update_count()

    def entered(self) -> None:
        self._focus(self._target)

    def set_portrait(self, portrait: bool) -> None:
        self._portrait = portrait
        tall = portrait and not self.reach  # reach mode: the lower part of the screen only
        self.keyboard.setMaximumWidth(1080 if portrait else 1500)
        self.keyboard.setFixedHeight(480 if tall else 360)
        self.text.setMinimumHeight(420 if tall else 150)

    def set_reach(self, on: bool) -> None:
        super().set_reach(on)
        self.set_portrait(getattr(self, "_portrait", False))

    # ------------------------------------------------------------ internals

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn and watched in (self.title, self.text):
            self._target = watched  # type: ignore[assignment]
        return False

    def _focus(self, field: LimitedLineEdit | LimitedTextEdit) -> None:
        self._target = field
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_key(self, key: str) -> None:
        self._target.press_key(key)

    def _show_cut(self, key: str, limit: int) -> None:
        self._notice_key = (key, limit)
        self.notice.setText(self.tr_(key, m=limit))
        self.notice.show()

    def _update_count(self) -> None:
        n = len(self.text.value())
        limit = self.config.flows.text_limit
        self.count.setText(self.tr_("ideas.write.count", n=n, m=limit))
        set_prop(self.count, "full", n >= limit)
        self.next.setEnabled(bool(self.text.value().strip()))

    def _next(self) -> None:
        if self.text.value().strip():
            self.next_requested.emit()
