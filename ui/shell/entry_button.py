"""A large entry card on the attract screen: icon, title, one line, arrow."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout

from ui.common import icons


class EntryButton(QPushButton):
    """A whole-card button. Its labels pass every touch through to the button."""

    def __init__(self, flow: str, icon_name: str, icon_color: str, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("flow", flow)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._icon_name, self._icon_color = icon_name, icon_color
        self.icon_label = QLabel()
        self.icon_label.setObjectName("entry_icon")
        self.title = QLabel()
        self.title.setObjectName("entry_title")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("entry_subtitle")
        self.subtitle.setWordWrap(True)
        self.arrow = QLabel()
        self.arrow.setObjectName("entry_arrow")
        for lab in (self.icon_label, self.title, self.subtitle, self.arrow):
            lab.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        texts = QVBoxLayout()
        texts.setSpacing(6)
        texts.addStretch(1)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        texts.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(48, 28, 44, 28)
        row.setSpacing(36)
        row.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)
        row.addWidget(self.arrow, 0, Qt.AlignmentFlag.AlignVCenter)
        self._icon_size = 0

    def set_icon_size(self, size: int) -> None:
        if size == self._icon_size:
            return
        self._icon_size = size
        self._render_icons(size)

    def _render_icons(self, size: int) -> None:
        self.icon_label.setPixmap(icons.pixmap(self._icon_name, self._icon_color, size))
        self.arrow.setPixmap(icons.pixmap("mdi6.arrow-right", self._icon_color, round(size * 0.6)))

    def set_texts(self, title: str, subtitle: str) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.setAccessibleName(title)
        self.setAccessibleDescription(subtitle)
