"""The attract screen: the event, the city's colours, two large ways in, the language.

It never times out. Its layout switches between landscape (text left, entries
right) and portrait (stacked) on the window's aspect ratio.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QPushButton, QVBoxLayout

from ui.common.i18n import format_dates
from ui.common import icons
from ui.common.screen import Screen, ScreenContext, label
from ui.common.theme import Palette
from ui.shell.entry_button import EntryButton
from ui.shell.language_toggle import LanguageToggle
from ui.shell.sync_indicator import SyncIndicator


class AttractScreen(Screen):
    """Signals:
        flow_chosen(str): the visitor chose a flow ("ideas" or "drawing").
        language_chosen(str): the visitor tapped a language.
        reach_toggled(bool): the visitor turned reachability mode on or off (``ui.shell.reach``).
    """

    name = "attract"
    idle_kind = None
    flow_chosen = Signal(str)
    language_chosen = Signal(str)
    reach_toggled = Signal(bool)

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.palette_ = Palette.from_branding(self.config.branding)
        flows = self.config.flows

        self.accent_bar = QFrame()
        self.accent_bar.setObjectName("attract_accent_bar")
        self.accent_bar.setFixedSize(96, 10)
        self.organizer = label(name="attract_organizer", wrap=False)
        self.title = label(name="attract_title")
        self.tagline = label(name="attract_tagline")
        self.venue = label(name="attract_venue")
        self.prompt = label(name="attract_prompt", wrap=False)
        self.status = label(name="attract_status", wrap=False)
        self.sync_indicator = SyncIndicator()

        p = self.palette_
        self.ideas = EntryButton("ideas", "mdi6.lightbulb-on-outline", p.on_primary, "attract_ideas")
        self.drawing = EntryButton("drawing", "mdi6.palette-outline", p.on_accent, "attract_drawing")
        # Only ever hide() here: these have no parent yet, and showing a
        # parentless widget would open a window of its own.
        for button, on in ((self.ideas, flows.ideas), (self.drawing, flows.drawing)):
            if not on:
                button.hide()
        self.ideas.clicked.connect(lambda: self.flow_chosen.emit("ideas"))
        self.drawing.clicked.connect(lambda: self.flow_chosen.emit("drawing"))

        self.toggle = LanguageToggle(self.language)
        self.toggle.chosen.connect(self.language_chosen)
        # A real toggle (announced as one, with its state): everything to tap moves within reach.
        self.reach = QPushButton(self)  # parented: in landscape it is in no layout
        self.reach.setObjectName("attract_reach")
        self.reach.setCheckable(True)
        self.reach.setAutoDefault(False)
        self.reach.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        icon = QIcon()
        for state, color in ((QIcon.State.Off, self.palette_.primary), (QIcon.State.On, self.palette_.on_primary)):
            icon.addPixmap(icons.pixmap("mdi6.arrow-collapse-down", color, 40, 2.0), QIcon.Mode.Normal, state)
        self.reach.setIcon(icon)
        self.reach.setIconSize(QSize(40, 40))
        self.reach.toggled.connect(self.reach_toggled)
        self.reach.hide()  # portrait only

        header = QVBoxLayout()
        header.setSpacing(20)
        header.addWidget(self.accent_bar)
        header.addWidget(self.organizer)

        hero = QVBoxLayout()
        hero.setSpacing(28)
        hero.addWidget(self.title)
        hero.addWidget(self.tagline)
        hero.addSpacing(8)
        hero.addWidget(self.venue)
        self.hero = hero

        entries = QVBoxLayout()
        entries.setSpacing(28)
        entries.addWidget(self.prompt)
        entries.addWidget(self.ideas, 1)
        entries.addWidget(self.drawing, 1)
        self.entries = entries
        if not (flows.ideas or flows.drawing):
            self.prompt.hide()

        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.addLayout(hero, 1)
        self.body.addLayout(entries, 1)

        # Landscape: one row (sync, status, languages). Portrait: the languages on a row of their
        # own, where three fit, and below them the reach toggle beside the quiet status.
        footer = QGridLayout()
        footer.setHorizontalSpacing(32)
        footer.setVerticalSpacing(24)
        self.footer = footer

        root = QVBoxLayout(self)
        root.addLayout(header)
        root.addStretch(2)
        root.addLayout(self.body, 12)
        root.addStretch(2)
        root.addLayout(footer)
        self.root = root
        self._portrait: bool | None = None
        self._painted = False
        self.set_portrait(False)

    # -------------------------------------------------------------- layout

    def set_portrait(self, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        super().set_portrait(portrait)
        self._place_footer(portrait)
        if portrait:
            self.root.setContentsMargins(96, 88, 96, 64)
            self.body.setDirection(QBoxLayout.Direction.TopToBottom)
            self.body.setSpacing(96)
            self.body.setStretch(0, 0)
            self.body.setStretch(1, 1)
            self.entries.setSpacing(32)
            for b in (self.ideas, self.drawing):
                b.setMinimumHeight(280)
                b.set_icon_size(96)
        else:
            self.root.setContentsMargins(128, 88, 128, 64)
            self.body.setDirection(QBoxLayout.Direction.LeftToRight)
            self.body.setSpacing(112)
            self.body.setStretch(0, 1)
            self.body.setStretch(1, 1)
            self.entries.setSpacing(28)
            for b in (self.ideas, self.drawing):
                b.setMinimumHeight(220)
                b.set_icon_size(88)

    def _place_footer(self, portrait: bool) -> None:
        f = self.footer
        for w in (self.sync_indicator, self.status, self.toggle, self.reach):
            f.removeWidget(w)
        middle = Qt.AlignmentFlag.AlignVCenter
        if portrait:
            f.addWidget(self.toggle, 0, 0, 1, 3, middle | Qt.AlignmentFlag.AlignLeft)
            f.addWidget(self.reach, 1, 0, middle)
            f.addWidget(self.sync_indicator, 1, 1, middle)
            f.addWidget(self.status, 1, 2, middle)
        else:
            f.addWidget(self.sync_indicator, 0, 0, middle)
            f.addWidget(self.status, 0, 1, middle)
            f.addWidget(self.toggle, 0, 2, middle)
        for col in range(3):
            f.setColumnStretch(col, 1 if col == (2 if portrait else 1) else 0)
        self.reach.setVisible(portrait)
        # A screen reader reads the screen's children in the order they became its children: the
        # footer last, in the order shown (the reach toggle was made first of all, for portrait).
        shown = (self.toggle, self.reach, self.sync_indicator, self.status) if portrait else (
            self.sync_indicator, self.status, self.toggle)
        for w in shown:
            w.raise_()

    # -------------------------------------------------------------- texts

    def retranslate(self) -> None:
        lang = self.language.code
        ev, flows = self.config.event, self.config.flows
        self.organizer.setText(self.language.text(ev.organizer).upper())
        self.title.setText(self.language.text(ev.name))
        self.tagline.setText(self.language.text(ev.tagline))
        venue = [t for t in (self.language.text(ev.venue), format_dates(ev.dates, lang)) if t]
        self.venue.setText("  ·  ".join(venue))
        self.venue.setVisible(bool(venue))
        self.prompt.setText(self.tr_("attract.prompt").upper())
        self.ideas.set_texts(self.language.text(flows.ideas_label), self.tr_("attract.ideas.sub"))
        self.drawing.set_texts(self.language.text(flows.drawing_label), self.tr_("attract.drawing.sub"))
        self.toggle.retranslate()
        self.reach.setText(self.tr_("attract.reach"))
        self.reach.setAccessibleName(self.tr_("attract.reach"))
        self.reach.setAccessibleDescription(self.tr_("attract.reach.a11y"))
        self.status.setAccessibleName(self.tr_("attract.status.a11y"))
        self.sync_indicator.set_language(lang)

    def apply_reach(self, on: bool) -> None:
        # The reach panel above shows the event's name: here only what is tapped.
        for w in (self.accent_bar, self.organizer, self.title, self.tagline, self.venue):
            w.setVisible(not on)
        self.venue.setVisible(not on and bool(self.venue.text()))
        if self.reach.isChecked() != on and not on:
            self.reach.setChecked(False)  # turned off from outside (the visitor's session ended)

    def reset(self) -> None:
        super().reset()
        self.reach.setChecked(False)

    def set_status(self, text: str) -> None:
        """The discreet line at the bottom. Never alarming."""
        self.status.setText(text)

    def set_sync(self, snapshot: object) -> None:
        """Show a :class:`~ui.common.sync_source.SyncSnapshot` as a small dot and a few words."""
        self.sync_indicator.show_snapshot(snapshot, self.language.code)

    # -------------------------------------------------------------- paint

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Paper background with two soft circles in the city's colours."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(self.palette_.background))
        p.drawRect(self.rect())  # not fillRect: its overloads would build QGradient's enums before the first paint
        primary = QColor(self.palette_.primary)
        primary.setAlpha(16)
        accent = QColor(self.palette_.accent)
        accent.setAlpha(40)
        r = max(w, h) * 0.42
        if w >= h:
            c1, c2 = QPointF(w * 0.98, h * 1.02), QPointF(w * 0.80, -h * 0.10)
        else:
            c1, c2 = QPointF(w * 1.05, h * 0.92), QPointF(-w * 0.18, h * 0.50)
        p.setBrush(primary)
        p.drawEllipse(c1, r, r)
        p.setBrush(accent)
        p.drawEllipse(c2, r * 0.42, r * 0.42)
        p.end()
        if not self._painted:
            self._painted = True
            self.painted_once.emit()
