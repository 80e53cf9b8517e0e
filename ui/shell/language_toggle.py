"""The big "Deutsch | English" switch: each language named in itself, no flags."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ui.common.i18n import Language, language_name, tr
from ui.common.screen import set_prop


class LanguageToggle(QWidget):
    """One button per configured language; the current one is marked (``current``), not checked:
    a screen reader hears a button that switches the language, not a check box.

    Signals:
        chosen(str): the visitor tapped a language (its code).
    """

    chosen = Signal(str)

    def __init__(self, language: Language, name: str = "language_toggle") -> None:
        super().__init__()
        self.setObjectName(name)
        self.language = language
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        for code in language.languages:
            b = QPushButton(language_name(code))
            b.setObjectName(f"language_{code}")
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            b.clicked.connect(lambda _=False, c=code: self.chosen.emit(c))
            self.buttons[code] = b
            row.addWidget(b)
        if len(language.languages) < 2:
            self.hide()  # nothing to switch (never show(): no parent yet)
        self.retranslate()

    def retranslate(self) -> None:
        for code, b in self.buttons.items():
            set_prop(b, "current", code == self.language.code)
            b.setAccessibleName(tr("language.choose.a11y", code))  # said in the language it offers
            b.setAccessibleDescription(self.language.tr("language.current.a11y") if code == self.language.code else "")
        self.setAccessibleName(self.language.tr("attract.lang.group"))

