"""After sending: a warm thank-you, the reference code and a QR code to find the idea later."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QFrame, QSizePolicy, QVBoxLayout, QWidget

from kiosk.config import Config
from ui.screens.ideas_step import IdeaStep, button, label
from ui.widgets.qr_view import QrView


def spaced_code(code: str) -> str:
    """``AC3H7K`` -> ``AC3 H7K``: easier to read aloud and copy."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


class ThanksScreen(IdeaStep):
    """Receipt for a saved idea. Ends itself after ``idle.thanks_timeout_s``.

    Signals:
        done(): "done" tapped or the time is up.
    """

    step_name = "thanks"
    done = Signal()

    def __init__(self, config: Config, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(config, lang, parent)
        self.code = ""
        self.url = ""
        self.heading = label("heading", "ideas_thanks_heading")
        self.heading.setStyleSheet("font-size: 56px;")
        self.body = label("", "ideas_thanks_body")
        self.body.setStyleSheet("font-size: 30px;")
        self.code_caption = label("sub", "ideas_thanks_code_caption")
        self.code_label = label("code", "ideas_thanks_code", wrap=False)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.qr = QrView()
        self.qr.setObjectName("ideas_thanks_qr")
        self.qr.setFixedSize(440, 440)
        self.qr_caption = label("sub", "ideas_thanks_qr_caption")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.done_button = button("ideas_thanks_done", "primary")
        self.done_button.clicked.connect(self._finish)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._finish)

        text_col = QVBoxLayout()
        text_col.setSpacing(20)
        text_col.addStretch(1)
        text_col.addWidget(self.heading)
        text_col.addWidget(self.body)
        text_col.addSpacing(16)
        text_col.addWidget(self.code_caption)
        text_col.addWidget(self.code_label)
        text_col.addSpacing(24)
        text_col.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignLeft)
        text_col.addStretch(1)
        qr_panel = QFrame()
        qr_panel.setObjectName("ideas_thanks_qr_panel")
        qr_panel.setProperty("role", "panel")
        qr_box = QVBoxLayout(qr_panel)
        qr_box.setContentsMargins(28, 28, 28, 28)
        qr_box.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        qr_box.addWidget(self.qr_caption)
        qr_panel.setMaximumWidth(560)
        qr_panel.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        self._text_col = text_col
        self._qr_panel = qr_panel
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(96, 40, 96, 40)
        self._box.setSpacing(80)
        self._box.addLayout(text_col, 3)
        self._box.addWidget(qr_panel, 2, Qt.AlignmentFlag.AlignVCenter)
        self.retranslate()

    def show_receipt(self, code: str, url: str) -> None:
        """Show ``code`` and a QR code for ``url``; start the timeout."""
        self.code = code
        self.url = url
        self.code_label.setText(spaced_code(code))
        self.qr.set_data(url)
        self.retranslate()
        self.timer.start(int(self.config.idle.thanks_timeout_s * 1000))

    def set_portrait(self, portrait: bool) -> None:
        self._box.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self._box.setAlignment(self._qr_panel, Qt.AlignmentFlag.AlignHCenter if portrait
                               else Qt.AlignmentFlag.AlignVCenter)

    def retranslate(self) -> None:
        self.heading.setText(self.tr_("ideas.thanks.heading"))
        site = self.config.event.platform_url.split("//", 1)[-1].rstrip("/")
        self.body.setText(self.tr_("ideas.thanks.body", site=site))
        self.code_caption.setText(self.tr_("ideas.thanks.code"))
        self.code_label.setAccessibleName(self.tr_("ideas.thanks.code.a11y", spelled=" ".join(self.code)))
        self.qr.setAccessibleName(self.tr_("ideas.thanks.qr.a11y"))
        self.qr_caption.setText(self.tr_("ideas.thanks.qr"))
        self.done_button.setText(self.tr_("ideas.thanks.done"))
        self.done_button.setAccessibleName(self.tr_("ideas.thanks.done.a11y"))

    def reset(self) -> None:
        self.timer.stop()
        self.code = ""
        self.url = ""
        self.code_label.clear()
        self.qr.set_data("")
        self.retranslate()

    def _finish(self) -> None:
        self.timer.stop()
        self.done.emit()
