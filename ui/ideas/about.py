"""Step 4 (optional, skippable in one tap): age group, residence, district, name."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.core.config import Config
from kiosk.core.model import AGE_GROUPS
from ui.common.i18n import tr
from ui.ideas.step import IdeaStep, button
from ui.common.screen import label
from ui.common.keyboard import KeyboardWidget
from ui.common.limited_text import LimitedLineEdit

NAME_LIMIT = 60


def slug(text: str) -> str:
    """An ASCII objectName part: ``Göschwitz`` -> ``goeschwitz``."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class ChipGroup(QWidget):
    """Toggle chips of which at most one is checked; tapping the checked one unchecks it."""

    def __init__(self, name: str, values: list[tuple[str, object]], cols: int) -> None:
        super().__init__()
        self.setObjectName(name)
        self._max_cols = cols
        self._cols = 0
        self.chips: dict[object, QPushButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(12)
        for obj_suffix, value in values:
            chip = button(f"{name}_{obj_suffix}", "chip", checkable=True)
            chip.clicked.connect(lambda checked, v=value: self._clicked(v, checked))
            self.chips[value] = chip
        self.set_columns(cols)

    def set_columns(self, cols: int) -> None:
        """At most ``cols`` chips a row; fewer where the widest would not fit (see :meth:`resizeEvent`)."""
        self._max_cols = cols
        self._arrange(self.width() if self.isVisible() else 0)

    def _arrange(self, width: int) -> None:
        cols = self._max_cols
        if width > 0 and self.chips:
            widest = max(chip.sizeHint().width() for chip in self.chips.values())
            spacing = self._grid.horizontalSpacing()
            cols = max(1, min(cols, (width + spacing) // (widest + spacing)))
        if cols == self._cols:
            return
        self._cols = cols
        for chip in self.chips.values():
            self._grid.removeWidget(chip)
        for i, chip in enumerate(self.chips.values()):
            self._grid.addWidget(chip, i // cols, i % cols)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def value(self) -> object:
        return next((v for v, c in self.chips.items() if c.isChecked()), None)

    def clear(self) -> None:
        for chip in self.chips.values():
            chip.setChecked(False)

    def _clicked(self, value: object, checked: bool) -> None:
        for v, chip in self.chips.items():
            if v != value:
                chip.setChecked(False)


class AboutScreen(IdeaStep):
    """Optional details. Only the name is published, and the screen says so.

    Signals:
        next_requested(): "next" or "skip" (skip clears every answer first).
    """

    step_name = "about"

    def __init__(self, config: Config, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(config, lang, parent)
        about = config.about
        self.heading = label(role="heading", name="ideas_about_heading")
        self.sub = label(role="sub", name="ideas_about_sub")
        self.skip = button("ideas_about_skip", "")
        self.skip.clicked.connect(self._skip)
        self.age_label = label(role="section", name="ideas_about_age_label")
        self.age = ChipGroup("ideas_age", [(g.replace("-", "_"), g) for g in AGE_GROUPS], 6)
        self.lives_label = label(role="section", name="ideas_about_lives_label")
        self.lives = ChipGroup("ideas_lives_here", [("yes", True), ("no", False)], 2)
        self.district_label = label(role="section", name="ideas_about_district_label")
        self.district = ChipGroup("ideas_district", [(slug(d), d) for d in about.districts], 4)
        self.name_label = label(role="section", name="ideas_about_name_label")
        self.name = LimitedLineEdit(NAME_LIMIT)
        self.name.setObjectName("ideas_name")
        self.name.installEventFilter(self)
        self.name_notice = label(role="notice", name="ideas_name_notice")
        self.name_cut = label(role="notice", name="ideas_name_cut_notice")
        self.name_cut.hide()
        self.name.text_cut.connect(self._on_name_cut)
        self.name.enter_pressed.connect(self._hide_keyboard)
        self.next = button("ideas_about_next", "primary")
        self.next.clicked.connect(self.next_requested)
        self.keyboard = KeyboardWidget(lang)
        self.keyboard.setObjectName("ideas_about_keyboard")
        self.keyboard.setMaximumWidth(1500)
        self.keyboard.key_pressed.connect(self.name.press_key)
        self.keyboard.hide()

        self.age_label.setVisible(about.ask_age)
        self.age.setVisible(about.ask_age)
        self.district_label.setVisible(about.ask_district and bool(about.districts))
        self.district.setVisible(about.ask_district and bool(about.districts))
        for w in (self.name_label, self.name, self.name_notice):
            w.setVisible(about.ask_name)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.sub)
        top.addLayout(titles, 1)
        top.addWidget(self.skip, 0, Qt.AlignmentFlag.AlignTop)

        self._left = QVBoxLayout()
        self._right = QVBoxLayout()
        for lay in (self._left, self._right):
            lay.setSpacing(12)
        self._columns = QHBoxLayout()
        self._columns.setSpacing(56)
        self._columns.addLayout(self._left, 1)
        self._columns.addLayout(self._right, 1)
        content = QWidget()
        content.setObjectName("ideas_about_content")
        QVBoxLayout(content).addLayout(self._columns)
        content.layout().setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("ideas_about_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.next)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 20, 48, 20)
        box.setSpacing(16)
        box.addLayout(top)
        box.addWidget(self.scroll, 1)
        box.addLayout(bottom)
        box.addWidget(self.keyboard, 0, Qt.AlignmentFlag.AlignHCenter)
        self.set_portrait(False)
        self.retranslate()

    # ------------------------------------------------------------ values

    def answers(self) -> dict[str, object]:
        """``age_group``, ``lives_here``, ``district`` (None when not given) and ``author_name``."""
        return {"age_group": self.age.value(), "lives_here": self.lives.value(),
                "district": self.district.value(), "author_name": self.name.value()}

    # ------------------------------------------------------------ IdeaStep

    def set_portrait(self, portrait: bool) -> None:
        left = [self.age_label, self.age, self.lives_label, self.lives, self.name_label, self.name, self.name_notice,
                self.name_cut]
        right = [self.district_label, self.district]
        for w in left + right:
            for lay in (self._left, self._right):
                lay.removeWidget(w)
        while self._left.count():
            self._left.takeAt(0)
        while self._right.count():
            self._right.takeAt(0)
        if portrait:
            order = [self.age_label, self.age, self.lives_label, self.lives, self.district_label, self.district,
                     self.name_label, self.name, self.name_notice, self.name_cut]
            for w in order:
                self._left.addWidget(w)
            self._left.addStretch(1)
            self.age.set_columns(3)
            self.district.set_columns(4)
        else:
            for w in left:
                self._left.addWidget(w)
            self._left.addStretch(1)
            for w in right:
                self._right.addWidget(w)
            self._right.addStretch(1)
            self.age.set_columns(3)
            self.district.set_columns(4)
        self._columns.setStretch(1, 0 if portrait else 1)
        self._columns.setSpacing(0 if portrait else 56)
        self.keyboard.setMaximumWidth(1080 if portrait else 1500)
        self.keyboard.setFixedHeight(480 if portrait and not self.reach else 360)
        self._portrait = portrait

    def set_reach(self, on: bool) -> None:
        super().set_reach(on)
        self.set_portrait(getattr(self, "_portrait", False))

    def retranslate(self) -> None:
        self.heading.setText(self.tr_("ideas.about.heading"))
        self.sub.setText(self.tr_("ideas.about.sub"))
        self.skip.setText(self.tr_("ideas.about.skip") + "  »")
        self.skip.setAccessibleName(self.tr_("ideas.about.skip.a11y"))
        self.age_label.setText(self.tr_("ideas.about.age"))
        for group, chip in self.age.chips.items():
            chip.setText(tr(f"ideas.age.{group}", self.lang))
            chip.setAccessibleName(self.tr_("ideas.about.age.a11y", g=tr(f"ideas.age.{group}", self.lang)))
        self.lives_label.setText(self.tr_("ideas.about.lives_here"))
        for value, chip in self.lives.chips.items():
            key = "yes" if value else "no"
            chip.setText(self.tr_(f"ideas.about.{key}"))
            chip.setAccessibleName(self.tr_(f"ideas.about.{key}.a11y"))
        self.district_label.setText(self.tr_("ideas.about.district"))
        for d, chip in self.district.chips.items():
            chip.setText(str(d))
            chip.setAccessibleName(self.tr_("ideas.about.district.a11y", d=d))
        self.name_label.setText(self.tr_("ideas.about.name"))
        self.name.setPlaceholderText(self.tr_("ideas.about.name.placeholder"))
        self.name.setAccessibleName(self.tr_("ideas.about.name.a11y"))
        self.name_notice.setText(self.tr_("ideas.about.name.notice"))
        self.name_cut.setText(self.tr_("ideas.about.name_cut", m=NAME_LIMIT))
        self.next.setText(self.tr_("ideas.next") + "  →")
        self.next.setAccessibleName(self.tr_("ideas.next.a11y"))
        self.keyboard.set_language(self.lang)

    def reset(self) -> None:
        self.age.clear()
        self.lives.clear()
        self.district.clear()
        self.name.clear_all()
        self.name_cut.hide()
        self.keyboard.reset()
        self.keyboard.hide()
        self.scroll.verticalScrollBar().setValue(0)

    # ------------------------------------------------------------ internals

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.name and event.type() == QEvent.Type.FocusIn:
            self.keyboard.show()
            QTimer.singleShot(0, lambda: self.scroll.ensureWidgetVisible(self.name_notice, 0, 40))
        elif watched is self.name and event.type() == QEvent.Type.MouseButtonPress and not self.keyboard.isVisible():
            self.keyboard.show()
        return False

    def _hide_keyboard(self) -> None:
        self.keyboard.hide()
        self.name.clearFocus()

    def _on_name_cut(self) -> None:
        self.name_cut.show()

    def _skip(self) -> None:
        self.reset()
        self.next_requested.emit()
