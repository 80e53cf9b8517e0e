"""A calm centred screen: an icon, a title, a paragraph, one large button.

Base of plain message screens such as "unavailable".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.common import icons
from ui.common.screen import Screen, ScreenContext, label
from ui.common.theme import Palette


class MessageScreen(Screen):
    icon_name = "mdi6.information-outline"

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        palette = Palette.from_branding(self.config.branding)
        self.icon = QLabel()
        self.icon.setObjectName(f"{self.name}_icon")
        self.icon.setPixmap(icons.pixmap(self.icon_name, palette.primary, 128))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = label(name=f"{self.name}_title", role="screen_title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = label(name=f"{self.name}_body", role="screen_body")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.back = QPushButton()
        self.back.setObjectName(f"{self.name}_back")
        self.back.setProperty("role", "primary")
        self.back.setMinimumWidth(420)
        self.back.clicked.connect(self.finished)

        # No alignment flags on the wrapped labels' column: with them, Qt sizes it
        # from a sizeHint taken before word wrap and cuts the button off.
        column = QWidget()
        column.setMaximumWidth(1100)
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(36)
        col.addStretch(1)
        col.addWidget(self.icon)
        col.addWidget(self.title)
        col.addWidget(self.body)
        col.addSpacing(40)
        col.addWidget(self.back, 0, Qt.AlignmentFlag.AlignHCenter)
        col.addStretch(1)

        root = QHBoxLayout(self)
        root.setContentsMargins(96, 96, 96, 96)
        root.addStretch(1)
        root.addWidget(column, 100)
        root.addStretch(1)

    def set_texts(self, title: str, body: str, back: str) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.back.setText(back)
        self.back.setAccessibleName(back)
