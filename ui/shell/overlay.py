"""A full-window layer over the screen stack: a dark scrim with a centred card."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget


class Overlay(QWidget):
    """Covers its parent until hidden (the window keeps it sized). No exec(), no modality."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "scrim")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.card = QFrame(self)
        self.card.setObjectName(f"{name}_card")
        self.card.setProperty("role", "dialog")
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(72, 64, 72, 64)
        self.card_layout.setSpacing(24)
        # Centred by stretches, not by an alignment flag: an aligned item's height is worked out
        # for the whole layout's width, and a card of word-wrapped text is narrower than that.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self._outer = outer
        self.hide()

    def set_reach(self, on: bool) -> None:
        """Reachability mode (``ui.shell.reach``): the card sits at the bottom, within reach."""
        self._outer.setStretch(0, 6 if on else 1)
        self._outer.setStretch(2, 1)

    def present(self) -> None:
        self.setGeometry(self.parent().rect())
        self.show()
        self.raise_()
