"""After sending: a warm thank-you, the reference code and a QR code to find the idea later."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QFrame, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.config import Config
from ui.ideas.step import IdeaStep, button
from ui.common.screen import label
from ui.common.qr_view import QrView


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
        self.heading = label(role="heading", name="ideas_thanks_heading")
        self.body = label(role="", name="ideas_thanks_body")
        self.code_caption = label(role="sub", name="ideas_thanks_code_caption")
        self.code_label = label(role="code", name="ideas_thanks_code", wrap=False)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.qr = QrView()
        self.qr.setObjectName("ideas_thanks_qr")
        self.qr.setFixedSize(440, 440)
        self.qr_caption = label(role="sub", name="ideas_thanks_qr_caption")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.done_button = button("ideas_thanks_done", "primary")
        self.done_button.clicked.connect(self._finish)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._finish)

        qr_panel = QFrame()
        qr_panel.setObjectName("ideas_thanks_qr_panel")
        qr_panel.setProperty("role", "panel")
        qr_box = QVBoxLayout(qr_panel)
        qr_box.setContentsMargins(28, 28, 28, 28)
        qr_box.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        qr_box.addWidget(self.qr_caption)
        qr_panel.setMaximumWidth(560)
        qr_panel.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        self._qr_panel = qr_panel
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._text_col = QVBoxLayout()
        self._portrait: bool | None = None
        self._arrange(False)
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
        self._wanted_portrait = portrait
        column = portrait and not self.reach  # reach mode: text and QR side by side, lower down
        if column != self._portrait:
            self._arrange(column)

    def set_reach(self, on: bool) -> None:
        super().set_reach(on)
        self.set_portrait(getattr(self, "_wanted_portrait", bool(self._portrait)))

    def _arrange(self, portrait: bool) -> None:
        """Landscape: the text column on the left, the QR card beside it, both centred
        vertically. Portrait: one centred column (heading, text, code, QR card, "done"),
        balanced vertically, so no band of empty screen opens between text and QR."""
        self._portrait = portrait
        box, col = self._box, self._text_col
        for lay in (col, box):
            while lay.count():
                lay.takeAt(0)  # widgets stay parented to self; only the layout items go
        centre = Qt.AlignmentFlag.AlignHCenter
        text_align = centre if portrait else Qt.AlignmentFlag.AlignLeft
        for lab in (self.heading, self.body, self.code_caption, self.code_label):
            lab.setAlignment(text_align | Qt.AlignmentFlag.AlignVCenter)
        col.setSpacing(20)
        col.addStretch(1)
        col.addWidget(self.heading)
        col.addWidget(self.body)
        col.addSpacing(16)
        col.addWidget(self.code_caption)
        col.addWidget(self.code_label)
        if portrait:
            col.addSpacing(24)
            col.addWidget(self._qr_panel, 0, centre)
            col.addSpacing(32)
            col.addWidget(self.done_button, 0, centre)
        else:
            col.addSpacing(24)
            col.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignLeft)
        col.addStretch(1)
        box.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        if portrait:
            box.setContentsMargins(80, 40, 80, 40)
            box.setSpacing(0)
            box.addLayout(col, 1)
        else:
            box.setContentsMargins(96, 40, 96, 40)
            box.setSpacing(80)
            box.addLayout(col, 3)
            box.addWidget(self._qr_panel, 2, Qt.AlignmentFlag.AlignVCenter)

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
