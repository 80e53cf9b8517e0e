"""The drawing studio screen: canvas, tools, "new picture", autosave, and the Done flow.

:class:`DrawScreen` is the one screen the shell registers (name ``drawing``).
It stacks the :class:`DrawStudio` (where children draw) and the
:class:`ui.drawing.done.DrawDonePage` (name, age, consent, thank-you),
owns the off-thread :class:`ui.drawing.save.DrawingSaver` and autosaves a
draft every few seconds of activity.

It needs nothing of the shell: ``DrawScreen(config=..., open_store=...,
data_dir=...)`` works alone; given the shell's ``ScreenContext`` it takes
config and language from there.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QLayout, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)

import kiosk
from kiosk.core.config import DEFAULT_CONFIG
from kiosk.core.drafts import DraftMeta
from kiosk.core.idea_draft import idea_url
from kiosk.core.model import new_id, new_reference_code, new_status_token, utc_now
from ui.drawing.save import DrawingSaver
from ui.common import theme
from ui.common.i18n import Language, tr
from ui.common.screen import Screen, ScreenContext
from ui.drawing.done import DrawDonePage
from ui.drawing.canvas import CanvasWidget
from ui.drawing.tools import ColourPanel, IconButton, StampPanel, ToolPanel, drop_layout, tool_icon

log = logging.getLogger("kiosk.ui.drawing")

AUTOSAVE_MS = 4000
"""A draft is written this long after the first change since the last draft."""


class ConfirmOverlay(QWidget):
    """"Throw it away?" for children: a big bin (or house), a big yes and a big no.

    Signals:
        answered(bool): True for yes.
    """

    answered = Signal(bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("draw_confirm")
        self.hide()
        self.card = QFrame(self)
        self.card.setObjectName("draw_confirm_card")
        self.picture = QLabel(self.card)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(self.card)
        self.title.setObjectName("draw_confirm_title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sub = QLabel(self.card)
        self.sub.setObjectName("draw_confirm_sub")
        self.sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.yes = self._answer("check-bold", "draw_confirm_yes", True)
        self.no = self._answer("close-thick", "draw_confirm_no", False)
        buttons = QHBoxLayout()
        buttons.setSpacing(40)
        buttons.addWidget(self.no)
        buttons.addWidget(self.yes)
        lay = QVBoxLayout(self.card)
        lay.setContentsMargins(60, 44, 60, 48)
        lay.setSpacing(14)
        lay.addWidget(self.picture)
        lay.addWidget(self.title)
        lay.addWidget(self.sub)
        lay.addSpacing(18)
        lay.addLayout(buttons)

    def _answer(self, icon: str, name: str, value: bool) -> QPushButton:
        b = QPushButton(self.card)
        b.setObjectName(name)
        b.setIcon(tool_icon(icon, theme.WHITE))
        b.setIconSize(QSize(64, 64))
        # its size: theme.studio_stylesheet (a style sheet's min-height wins over setMinimumSize)
        b.clicked.connect(lambda: self._answered(value))
        return b

    def ask(self, icon: str, title: str, sub: str) -> None:
        self.picture.setPixmap(tool_icon(icon, theme.CONFIRM_ICON["delete" if "delete" in icon else "other"]).pixmap(170, 170))
        self.title.setText(title)
        self.sub.setText(sub)
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self._place()

    def retranslate(self, lang: str) -> None:
        self.yes.setText(tr("draw.confirm.yes", lang))
        self.no.setText(tr("draw.confirm.no", lang))
        self.yes.setAccessibleName(tr("draw.confirm.yes.a11y", lang))
        self.no.setAccessibleName(tr("draw.confirm.no.a11y", lang))

    def _answered(self, value: bool) -> None:
        self.hide()
        self.answered.emit(value)

    def _place(self) -> None:
        self.card.adjustSize()
        s = self.card.sizeHint()
        self.card.setGeometry((self.width() - s.width()) // 2, (self.height() - s.height()) // 2, s.width(), s.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(*theme.STUDIO_SCRIM))
        p.end()


class DrawStudio(QWidget):
    """Where children draw: top bar, tools left, canvas, colours right (stacked below in portrait).

    Signals:
        done_requested(): "Fertig!" on a picture that is not empty.
        home_requested(): back to the start, after a yes if there was a picture.
    """

    done_requested = Signal()
    home_requested = Signal()

    def __init__(self, config: Any = DEFAULT_CONFIG, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draw_studio")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.config = config
        self.lang = lang
        self.portrait: bool | None = None
        self.canvas = CanvasWidget(self)
        self.frame = QFrame(self)
        self.frame.setObjectName("draw_canvas_frame")
        fl = QVBoxLayout(self.frame)
        fl.setContentsMargins(3, 3, 3, 3)
        fl.addWidget(self.canvas)
        self.colours = ColourPanel(self)
        self.tools = ToolPanel(self)
        self.stamps = StampPanel(self)
        self.home = IconButton("home-outline", "draw_home", parent=self)
        self.prompt = QLabel(self)
        self.prompt.setObjectName("draw_prompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done = QPushButton(self)
        self.done.setObjectName("draw_done")
        self.done.setIcon(tool_icon("check-bold"))
        self.done.setIconSize(QSize(44, 44))
        self.done.setEnabled(False)
        self.confirm = ConfirmOverlay(self)
        self._pending: str | None = None
        self._panels = [self._panel(w) for w in (self.tools, self.stamps, self.colours)]
        self._connect()
        self._layout(portrait=False)
        self.retranslate(lang)

    def _panel(self, inner: QWidget) -> QFrame:
        f = QFrame(self)
        f.setProperty("role", "panel")
        lay = QVBoxLayout(f)
        lay.setContentsMargins(14, 14, 14, 14)
        lay.addWidget(inner, 0, Qt.AlignmentFlag.AlignCenter)
        return f

    def _connect(self) -> None:
        c = self.canvas
        self.colours.color_chosen.connect(self._colour)
        self.tools.size_chosen.connect(self._size)
        self.tools.eraser_chosen.connect(self._eraser)
        self.tools.undo_clicked.connect(c.undo)
        self.tools.redo_clicked.connect(c.redo)
        self.tools.background_chosen.connect(c.set_background)
        self.tools.new_picture_clicked.connect(self._ask_new)
        self.stamps.stamp_chosen.connect(self._stamp)
        c.history_changed.connect(self.tools.set_history)
        c.history_changed.connect(lambda can_undo, _r: self.done.setEnabled(can_undo))
        self.home.clicked.connect(self._ask_home)
        self.done.clicked.connect(self._done)
        self.confirm.answered.connect(self._answered)

    # ---- tool choices
    def _colour(self, color: str) -> None:
        self.canvas.set_color(color)
        self.tools.set_color(color)
        self.stamps.set_color(color)
        if self.canvas.tool == "eraser":  # choosing a colour while erasing means "paint again"
            self._size(self.canvas.size_index)

    def _size(self, index: int) -> None:
        """A dot of a size means "paint with this brush"; stamps keep the last size chosen."""
        self.canvas.set_size(index)
        self.canvas.set_tool("brush")
        self.tools.select_size(index)
        self.stamps.select(None)

    def _eraser(self) -> None:
        self.canvas.set_tool("eraser")
        self.stamps.select(None)

    def _stamp(self, kind: str) -> None:
        self.canvas.set_stamp(kind)
        self.tools.select_stamp_mode()

    # ---- confirmations
    def _ask_new(self) -> None:
        if self.canvas.is_empty():
            return
        self._pending = "new"
        self.confirm.ask("delete-empty", tr("draw.confirm.new", self.lang), tr("draw.confirm.new.sub", self.lang))

    def _ask_home(self) -> None:
        if self.canvas.is_empty():
            self.home_requested.emit()
            return
        self._pending = "home"
        self.confirm.ask("home-outline", tr("draw.confirm.home", self.lang), tr("draw.confirm.home.sub", self.lang))

    def _answered(self, yes: bool) -> None:
        what, self._pending = self._pending, None
        if not yes:
            return
        if what == "new":
            self.canvas.clear()
        elif what == "home":
            self.home_requested.emit()

    def _done(self) -> None:
        if not self.canvas.is_empty():
            self.done_requested.emit()

    # ---- public
    def reset(self) -> None:
        """Empty canvas, no history, default tools, no question open."""
        self.confirm.hide()
        self._pending = None
        self.canvas.reset()
        with_blocked = self.tools.page.blockSignals(True)
        self.tools.page.setChecked(False)
        self.tools.page.blockSignals(with_blocked)
        self.colours.select(self.canvas.color)
        self.tools.set_color(self.canvas.color)
        self.stamps.set_color(self.canvas.color)
        self.tools.select_size(self.canvas.size_index)
        self.stamps.select(None)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        prompt = self.config.flows.drawing_prompt
        self.prompt.setText(prompt.get_text(lang) if hasattr(prompt, "get_text") else str(prompt))
        self.done.setText(" " + tr("draw.done", lang))
        self.done.setAccessibleName(tr("draw.done.a11y", lang))
        self.home.setAccessibleName(tr("draw.home", lang))
        self.canvas.setAccessibleName(tr("draw.canvas", lang))
        self.colours.retranslate(lang)
        self.tools.retranslate(lang)
        self.stamps.retranslate(lang)
        self.confirm.retranslate(lang)

    def set_portrait(self, portrait: bool) -> None:
        if portrait != self.portrait:
            self._layout(portrait)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.set_portrait(event.size().height() > event.size().width())
        self.confirm.setGeometry(self.rect())
        super().resizeEvent(event)

    def _layout(self, portrait: bool) -> None:
        self.portrait = portrait
        drop_layout(self)
        tools_f, stamps_f, colours_f = self._panels
        top = QHBoxLayout()
        top.setSpacing(24)
        top.addWidget(self.home)
        top.addWidget(self.prompt, 1)
        top.addWidget(self.done)
        grid = QGridLayout(self)
        if portrait:
            # 1080 px wide: 7 colours beside 4 tools only fit at 80 px a button
            self.colours.set_columns(7, 80, 8)
            self.tools.set_columns(4, 80, 8)
            self.stamps.set_columns(9, 80, 8)
            for panel in self._panels:
                panel.layout().setContentsMargins(10, 10, 10, 10)
            grid.setContentsMargins(16, 16, 16, 16)
            grid.setSpacing(12)
            grid.addLayout(top, 0, 0, 1, 2)
            grid.addWidget(self.frame, 1, 0, 1, 2)
            grid.addWidget(colours_f, 2, 0)
            grid.addWidget(tools_f, 2, 1)
            grid.addWidget(stamps_f, 3, 0, 1, 2)
            grid.setRowStretch(1, 1)
            self.prompt.setWordWrap(True)
        else:
            self.colours.set_columns(2)
            self.tools.set_columns(3)
            self.stamps.set_columns(3)
            for panel in self._panels:
                panel.layout().setContentsMargins(14, 14, 14, 14)
            grid.setContentsMargins(24, 20, 24, 24)
            grid.setSpacing(18)
            grid.addLayout(top, 0, 0, 1, 3)
            left = QVBoxLayout()
            left.setSpacing(14)
            left.addWidget(tools_f)
            left.addWidget(stamps_f, 1)
            grid.addLayout(left, 1, 0)
            grid.addWidget(self.frame, 1, 1)
            grid.addWidget(colours_f, 1, 2, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(1, 1)
            grid.setRowStretch(1, 1)
            self.prompt.setWordWrap(True)   # never let the prompt hold the window wide


def _freeze_gc(_item: object = None) -> None:
    """Keep full garbage collections out of the drawing's hot path.

    A drawing of thousands of strokes is thousands of long-lived objects; a
    generation-2 collection then pauses the GUI thread for tens of ms, in the
    middle of a touch move or while the saver thread encodes. After each
    finished stroke everything alive is moved to the permanent generation
    (O(1)); :func:`_release_gc` gives it back when the visitor is gone.
    """
    gc.freeze()


def _release_gc() -> None:
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()


class DrawScreen(Screen):
    """The drawing flow as one screen of the shell: draw, then Done, then thank you.

    Args:
        ctx: the shell's ScreenContext (config, language, open_store, data_dir);
            None to build the screen alone from the keyword arguments.
        config: used when there is no ctx.
        open_store: called once on the saver thread, returns a Store (see DrawingSaver).
        data_dir: the kiosk's data dir, for autosaved drafts; None disables autosave.
        lang: the language when there is no ctx.

    Signals:
        finished(): the visitor is done (thank-you closed, or home); show the attract screen.
        saved(object): a finished drawing was stored (the Submission).
        idle_timeout_changed(): moved between studio, form and thank-you.
    """

    saved = Signal(object)

    name = "drawing"
    idle_kind = "drawing"

    def __init__(self, ctx: ScreenContext | None = None, *, config: Any = None,
                 open_store: Callable[[], Any] | None = None, data_dir: Path | None = None,
                 lang: str = "de") -> None:
        standalone = ctx is None
        if ctx is None:
            cfg = config or DEFAULT_CONFIG
            ctx = ScreenContext(config=cfg, language=Language(cfg.kiosk.languages, lang),
                                open_store=open_store, data_dir=data_dir)
        super().__init__(ctx)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.saver = DrawingSaver(open_store or ctx.open_store, data_dir or ctx.data_dir, self)
        self.studio = DrawStudio(self.config, self.lang, self)
        self.done_page = DrawDonePage(self.config, self.lang, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.studio)
        self.stack.addWidget(self.done_page)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # The page being left must not hold a top-level DrawScreen at its old minimum while it turns.
        lay.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        lay.addWidget(self.stack)
        self.setStyleSheet(theme.studio_stylesheet(self.config.branding))
        self._meta: DraftMeta | None = None
        # When "send" was first pressed for this picture; a retry after a failed save
        # must send the identical submission, or the store refuses it as a different one.
        self._sent_at: str | None = None
        self._status_token: str | None = None  # fixed with _sent_at: a retried save stores the same drawing
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._write_draft)
        self._connect()
        if standalone:  # in the shell the window retranslates every screen
            self.language.changed.connect(lambda _code: self.retranslate())
        self.retranslate()

    @property
    def canvas(self) -> CanvasWidget:
        return self.studio.canvas

    @property
    def lang(self) -> str:
        return self.language.code

    def _connect(self) -> None:
        self.canvas.changed.connect(self._changed)
        self.canvas.item_added.connect(_freeze_gc)
        self.studio.done_requested.connect(self._to_done_page)
        self.studio.home_requested.connect(self._home)
        self.done_page.back_requested.connect(self._back_to_drawing)
        self.done_page.submit_requested.connect(self._submit)
        self.done_page.finished.connect(self._home)
        self.saver.saved.connect(self._saved)
        self.saved.connect(lambda sub: self.contributed.emit(sub.id))
        self.saver.failed.connect(self.done_page.show_error)
        self.stack.currentChanged.connect(self.idle_timeout_changed)
        self.done_page.pages.currentChanged.connect(self.idle_timeout_changed)

    # ---- shell interface (ui/common/screen.py)
    def idle_timeout(self) -> float | None:
        idle = self.config.idle
        if self.stack.currentWidget() is self.studio:
            return idle.drawing_timeout_s
        return idle.thanks_timeout_s if self.done_page.showing_thanks() else idle.timeout_s

    def reset(self) -> None:
        """For the next visitor: empty canvas, no undo history, no draft, first page."""
        self._autosave.stop()
        self.studio.reset()
        self.done_page.reset()
        self.stack.setCurrentWidget(self.studio)
        self._meta = None
        self._sent_at = None
        self.saver.clear_draft()
        super().reset()
        _release_gc()

    def retranslate(self) -> None:
        self.studio.retranslate(self.lang)
        self.done_page.retranslate(self.lang)

    def entered(self) -> None:
        self.stack.setCurrentWidget(self.studio)

    def set_portrait(self, portrait: bool) -> None:
        super().set_portrait(portrait)
        self.studio.set_portrait(portrait)
        self.done_page.set_portrait(portrait)

    def apply_reach(self, on: bool) -> None:
        # The studio itself lays out from its size: in the lower part of a portrait screen that is
        # its landscape layout, tools and colours beside the canvas, all within reach.
        self.done_page.set_reach(on)

    def shutdown(self) -> None:
        """The kiosk exits: finish the queued saves (a draft stays for the next start)."""
        self._autosave.stop()
        self.saver.close()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # both pages switch before the stack lays out, so the hidden one cannot hold the width
        self.set_portrait(event.size().height() > event.size().width())
        super().resizeEvent(event)

    def closeEvent(self, event) -> None:  # noqa: ANN001
        self.shutdown()
        super().closeEvent(event)

    # ---- autosave
    def _changed(self) -> None:
        if self.canvas.is_empty():
            self._autosave.stop()
            if self._meta is not None:
                self.saver.clear_draft()
                self._meta = None
                self._sent_at = None
            return
        if self._meta is None:
            cfg = self.config
            self._meta = DraftMeta(id=new_id(), reference_code=new_reference_code(), created_at=utc_now(),
                                   topic_id=cfg.flows.drawing_topic, locale=self.lang, kiosk_id=cfg.kiosk.id,
                                   event_id=cfg.event.id, app_version=kiosk.__version__)
        if not self._autosave.isActive():
            self._autosave.start()

    def _write_draft(self) -> None:
        if self._meta is not None and not self.canvas.is_empty():
            drawing, layer = self.canvas.snapshot()
            self.saver.save_draft(self._meta, drawing, layer)

    def flush_draft(self) -> None:
        """Write the draft now (tests and the kill test use this instead of waiting)."""
        self._autosave.stop()
        self._write_draft()

    # ---- the Done flow
    def _to_done_page(self) -> None:
        self._autosave.stop()
        self._write_draft()
        self.done_page.start(self.canvas.image())
        self.stack.setCurrentWidget(self.done_page)

    def _back_to_drawing(self) -> None:
        self.stack.setCurrentWidget(self.studio)

    def _submit(self, author_name: str, age_group: str, consent: bool) -> None:
        if self._meta is None:
            return
        cfg, m = self.config, self._meta
        if self._sent_at is None:
            self._sent_at = utc_now()
            self._status_token = new_status_token()
        if not consent:  # without a parent's consent nothing about the child is kept
            author_name, age_group = "", ""
        fields = dict(kind="drawing", topic_id=cfg.flows.drawing_topic, author_name=author_name or None,
                      age_group=age_group or None, consent_given=consent,
                      consent_version=cfg.consent.version if consent else "", locale=self.lang,
                      kiosk_id=cfg.kiosk.id, event_id=cfg.event.id, app_version=kiosk.__version__,
                      id=m.id, reference_code=m.reference_code, created_at=self._sent_at,
                      status_token=self._status_token)
        drawing, layer = self.canvas.snapshot()
        self.saver.save(fields, drawing, layer)

    def _saved(self, sub: Any) -> None:
        self._meta = None
        self._sent_at = None
        url = idea_url(self.config, sub.reference_code, sub.status_token)
        self.done_page.show_thanks(sub.reference_code, url, published=sub.consent_given)
        self.studio.reset()          # nothing of this picture stays on the canvas
        self.saved.emit(sub)

    def _home(self) -> None:
        self.reset()
        self.finished.emit()
