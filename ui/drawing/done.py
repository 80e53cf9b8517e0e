"""After "Fertig!": optional first name and age, a parent's consent, then thank you.

Two pages in one widget: the form (with a preview of the picture) and the
thank-you (small preview, reference code, QR code to find the picture later).
The page only announces what the visitor chose; :class:`ui.drawing.studio.DrawScreen`
stores the drawing and calls :meth:`DrawDonePage.show_thanks` once the store
has committed it, never before.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QStackedWidget, QVBoxLayout, QWidget)

from kiosk.core.model import AGE_GROUPS
from ui.drawing.tools import drop_layout, tool_icon
from ui.common.fit_row import FitRow
from ui.common.i18n import tr
from ui.common.keyboard import CHILD_KEY_PX, CHILD_LAYERS, KeyboardWidget
from ui.common.limited_text import LimitedLineEdit
from ui.common.qr_view import QrView

NAME_LIMIT = 40


def make_qr_view(parent: QWidget) -> QrView:
    view = QrView(parent)
    view.setObjectName("draw_qr")
    return view


class Preview(QLabel):
    """The picture, scaled smoothly to fit, with a soft frame."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setProperty("role", "preview")
        self._image = QImage()

    def set_image(self, image: QImage) -> None:
        self._image = image
        self._rescale()

    def clear_image(self) -> None:
        self._image = QImage()
        self.clear()

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        self._rescale()
        super().resizeEvent(event)

    def _rescale(self) -> None:
        if self._image.isNull():
            return
        box = self.contentsRect().size() - QSize(20, 20)
        if box.width() < 10 or box.height() < 10:
            return
        self.setPixmap(QPixmap.fromImage(self._image.scaled(box, Qt.AspectRatioMode.KeepAspectRatio,
                                                            Qt.TransformationMode.SmoothTransformation)))


class DrawDonePage(QWidget):
    """Name, age and consent for a finished drawing, then the thank-you.

    Signals:
        submit_requested(str, str, bool): first name ("" if none), age group ("" if none), consent.
        back_requested(): back to the picture to keep drawing.
        finished(): the thank-you was closed.
    """

    submit_requested = Signal(str, str, bool)
    back_requested = Signal()
    finished = Signal()

    def __init__(self, config: Any, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draw_done_page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.config = config
        self.lang = lang
        self.portrait: bool | None = None
        self._buttons: FitRow | None = None
        self.pages = QStackedWidget(self)
        self._build_form()
        self._build_thanks()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.pages)
        self._layout(False)
        self.retranslate(lang)

    # ---- building
    def _build_form(self) -> None:
        self.form = QWidget()
        self.preview = Preview("draw_done_preview")
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.sub = QLabel()
        self.sub.setProperty("role", "sub")
        self.sub.setWordWrap(True)
        self.name_label = QLabel()
        self.name_label.setProperty("role", "field")
        self.name = LimitedLineEdit(NAME_LIMIT)
        self.name.setObjectName("draw_done_name")
        self.name.setMaxLength(NAME_LIMIT)
        self.name.installEventFilter(self)
        self.name.enter_pressed.connect(self._hide_keyboard)
        self.age_label = QLabel()
        self.age_label.setProperty("role", "field")
        self.age_group = QButtonGroup(self)
        self.age_group.setExclusive(False)
        self.ages: dict[str, QPushButton] = {}
        for g in AGE_GROUPS:
            b = QPushButton()
            b.setObjectName(f"draw_done_age_{g.replace('-', '_')}")
            b.setProperty("role", "age")
            b.setCheckable(True)
            b.clicked.connect(lambda checked, g=g: self._age_clicked(g, checked))
            self.ages[g] = b
        self.consent = QCheckBox()
        self.consent.setObjectName("draw_done_consent")
        self.consent_note = QLabel()
        self.consent_note.setProperty("role", "note")
        self.consent_note.setWordWrap(True)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.back = QPushButton()
        self.back.setObjectName("draw_done_back")
        self.back.setProperty("role", "secondary")
        self.back.setIcon(tool_icon("arrow-left"))
        self.back.setIconSize(QSize(36, 36))
        self.send = QPushButton()
        self.send.setObjectName("draw_done_send")
        self.send.setProperty("role", "primary")
        self.send.setIcon(tool_icon("check-bold"))
        self.send.setIconSize(QSize(40, 40))
        self.back.clicked.connect(self.back_requested)
        self.send.clicked.connect(self._send)
        # An on-screen keyboard for a child, shown while the name field has focus: the alphabet, ten
        # large keys to a row (20 mm or more on a 21.5 inch screen, issue 17).
        self.keyboard = KeyboardWidget(self.lang, layers=CHILD_LAYERS)
        self.keyboard.setObjectName("draw_done_keyboard")
        self.keyboard.key_pressed.connect(self.name.press_key)
        self.keyboard.hide()
        self.pages.addWidget(self.form)

    def _build_thanks(self) -> None:
        self.thanks = QWidget()
        self.thanks_title = QLabel()
        self.thanks_title.setProperty("role", "title")
        self.thanks_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks_preview = Preview("draw_thanks_preview")
        self.code_label = QLabel()
        self.code_label.setProperty("role", "sub")
        self.code = QLabel()
        self.code.setObjectName("draw_thanks_code")
        self.code.setProperty("role", "code")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.qr = make_qr_view(self.thanks)
        self.qr.setFixedSize(280, 280)
        self.qr_text = QLabel()
        self.qr_text.setProperty("role", "sub")
        self.qr_text.setWordWrap(True)
        self.finish = QPushButton()
        self.finish.setObjectName("draw_thanks_finish")
        self.finish.setProperty("role", "primary")
        self.finish.setIcon(tool_icon("home-outline"))
        self.finish.setIconSize(QSize(40, 40))
        self.finish.clicked.connect(self.finished)
        self.pages.addWidget(self.thanks)

    def _layout(self, portrait: bool) -> None:
        self.portrait = portrait
        for page in (self.form, self.thanks):
            drop_layout(page)
        # form: in portrait the keyboard opens right under the name field (the
        # column is the screen's width); in landscape the fields column is too
        # narrow for 64 px keys, so it opens under the preview, beside the field.
        fields = QVBoxLayout()
        fields.setSpacing(16)
        fields.addWidget(self.title)
        fields.addWidget(self.sub)
        fields.addSpacing(10)
        fields.addWidget(self.name_label)
        fields.addWidget(self.name)
        if portrait:
            fields.addWidget(self.keyboard)
        fields.addSpacing(10)
        fields.addWidget(self.age_label)
        ages = QGridLayout()
        ages.setSpacing(14)
        for n, b in enumerate(self.ages.values()):
            ages.addWidget(b, n // 3, n % 3)
        fields.addLayout(ages)
        fields.addSpacing(14)
        fields.addWidget(self.consent)
        fields.addWidget(self.consent_note)
        fields.addWidget(self.error)
        fields.addStretch(1)
        # One row for every layout: a second one would leave the first a child of the form, outside
        # any layout, and its next resize would take "back" and "send" back into it, at the top left
        # over the picture (the real kiosk, laid out again when its window takes the screen's size).
        if self._buttons is None:
            self._buttons = FitRow(self.back, self.send)
        buttons = self._buttons
        self.keyboard.setFixedHeight(self.keyboard.height_for_keys(CHILD_KEY_PX))
        if portrait:
            lay = QVBoxLayout(self.form)
            lay.setContentsMargins(48, 40, 48, 40)
            lay.setSpacing(24)
            lay.addWidget(self.preview, 5)
            lay.addLayout(fields, 6)
        else:
            lay = QHBoxLayout(self.form)
            # narrow margins: on a 16:10 screen (1728 px wide at 1080p scale) the keyboard (ten keys
            # to a row, as wide as the column lets them be) and the fields beside it must both fit
            lay.setContentsMargins(40, 48, 40, 48)
            lay.setSpacing(32)
            left = QVBoxLayout()
            left.setSpacing(20)
            left.addWidget(self.preview, 1)
            left.addWidget(self.keyboard)
            lay.addLayout(left, 6)
            lay.addLayout(fields, 5)
        fields.addWidget(buttons)
        # thanks
        self.qr_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card = QVBoxLayout()
        card.setSpacing(14)
        card.addStretch(1)
        card.addWidget(self.code_label, 0, Qt.AlignmentFlag.AlignHCenter)
        card.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        card.addSpacing(10)
        card.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        card.addWidget(self.qr_text, 0, Qt.AlignmentFlag.AlignHCenter)
        card.addStretch(1)
        self.qr_text.setFixedWidth(560)
        self._fit_qr_text()
        lay2 = QVBoxLayout(self.thanks)
        lay2.setContentsMargins(64, 56, 64, 56)
        lay2.setSpacing(30)
        lay2.addWidget(self.thanks_title)
        if portrait and not self.reach:  # reach mode: picture and code side by side, lower down
            self.thanks_preview.setMinimumHeight(560)
            lay2.addWidget(self.thanks_preview, 1)
            lay2.addLayout(card, 0)
        else:
            self.thanks_preview.setMinimumHeight(0)
            row = QHBoxLayout()
            row.setSpacing(56)
            row.addWidget(self.thanks_preview, 3)
            row.addLayout(card, 2)
            lay2.addLayout(row, 1)
        lay2.addWidget(self.finish, 0, Qt.AlignmentFlag.AlignHCenter)

    # ---- behaviour
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.name and event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            self.keyboard.show()
            self._make_room()
        return False

    def _hide_keyboard(self) -> None:
        self.keyboard.hide()
        self.name.clearFocus()
        self._make_room()

    def _make_room(self) -> None:
        """Reach mode has no room for the keys and the rest of the form at once: while the keys
        are open, the age and consent questions wait below them (as a phone's keyboard covers them)."""
        rest_shown = not (self.reach and self.keyboard.isVisible())
        for w in (self.age_label, *self.ages.values(), self.consent, self.consent_note):
            w.setVisible(rest_shown)

    def _age_clicked(self, group: str, checked: bool) -> None:
        for g, b in self.ages.items():
            if g != group:
                b.setChecked(False)

    def _send(self) -> None:
        self._hide_keyboard()
        self.error.hide()
        self.send.setEnabled(False)
        self.back.setEnabled(False)
        self.send.setText(" " + tr("draw.done.saving", self.lang))
        age = next((g for g, b in self.ages.items() if b.isChecked()), "")
        self.submit_requested.emit(self.name.text().strip(), age, self.consent.isChecked())

    # ---- public
    def start(self, preview: QImage) -> None:
        """Show the form for a picture (keeps what was typed if the child went back to draw)."""
        self.preview.set_image(preview)
        self.thanks_preview.set_image(preview)
        self.pages.setCurrentWidget(self.form)
        self._hide_keyboard()  # it opens when the child taps the name field, not before
        self._ready()

    def show_thanks(self, code: str, url: str, published: bool = True) -> None:
        """The picture is stored. Without a parent's consent it stays at the stand: no QR link."""
        self._published = published
        self.code.setText(code)
        self.code.setAccessibleName(f"{tr('draw.thanks.code', self.lang)}: {' '.join(code)}")
        self.qr.set_data(url if published else "")
        self.qr.setVisible(published)
        self.qr_text.setText(tr("draw.thanks.qr" if published else "draw.thanks.kept", self.lang))
        self._fit_qr_text()
        self.pages.setCurrentWidget(self.thanks)
        self._clear_form()
        self._ready()

    def _fit_qr_text(self) -> None:
        """Reserve the wrapped hint's full height. A word-wrapped label's size hint is one
        guess at its shape; in the tall portrait column the layout squeezed it to about one
        line and clipped the second one under the "done" button."""
        self.qr_text.setMinimumHeight(max(0, self.qr_text.heightForWidth(self.qr_text.width())))

    def show_error(self, kind: str, message: str = "") -> None:
        self.error.setText(tr(f"draw.done.error.{kind}" if kind in ("disk_full", "error") else "draw.done.error.error",
                             self.lang))
        self.error.show()
        self._ready()

    def showing_thanks(self) -> bool:
        return self.pages.currentWidget() is self.thanks

    def _clear_form(self) -> None:
        self.name.clear_all()  # setText(""): no undo history for the next visitor
        self.consent.setChecked(False)
        for b in self.ages.values():
            b.setChecked(False)
        self._hide_keyboard()
        self.keyboard.reset()

    def reset(self) -> None:
        self._clear_form()
        self._published = True
        self.qr.show()
        self.error.hide()
        self.preview.clear_image()
        self.thanks_preview.clear_image()
        self.code.clear()
        self.qr.set_data("")
        self.pages.setCurrentWidget(self.form)
        self._ready()

    def _ready(self) -> None:
        self.send.setEnabled(True)
        self.back.setEnabled(True)
        self.send.setText(" " + tr("draw.done.send", self.lang))

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        short = self.config.consent.drawing_short
        short_text = short.get_text(lang) if hasattr(short, "get_text") else str(short)
        self.title.setText(tr("draw.done.title", lang))
        self.sub.setText(tr("draw.done.sub", lang))
        self.name_label.setText(tr("draw.done.name", lang))
        self.name.setPlaceholderText(tr("draw.done.name.placeholder", lang))
        self.name.setAccessibleName(tr("draw.done.name", lang))
        self.age_label.setText(tr("draw.done.age", lang))
        for g, b in self.ages.items():
            b.setText(tr(f"draw.done.age.{g}", lang))
            b.setAccessibleName(tr("draw.done.age.a11y", lang, g=tr(f"draw.done.age.{g}", lang)))
        self.consent.setText(tr("draw.done.consent", lang))
        self.consent.setAccessibleName(f"{tr('draw.done.consent', lang)} {short_text}")
        self.consent_note.setText(f"{short_text} {tr('draw.done.consent.without', lang)}")
        self.back.setText(" " + tr("draw.done.back", lang))
        self.back.setAccessibleName(tr("draw.done.back.a11y", lang))
        if self.send.isEnabled():
            self.send.setText(" " + tr("draw.done.send", lang))
        self.send.setAccessibleName(tr("draw.done.send", lang))
        self.preview.setAccessibleName(tr("draw.thanks.preview.a11y", lang))
        self.thanks_title.setText(tr("draw.thanks.title", lang))
        self.thanks_preview.setAccessibleName(tr("draw.thanks.preview.a11y", lang))
        self.code_label.setText(tr("draw.thanks.code", lang))
        self.qr.setAccessibleName(tr("draw.thanks.qr.a11y", lang))
        self.qr_text.setText(tr("draw.thanks.qr" if getattr(self, "_published", True) else "draw.thanks.kept", lang))
        self._fit_qr_text()
        self.finish.setText(" " + tr("draw.thanks.finish", lang))
        self.finish.setAccessibleName(tr("draw.thanks.finish.a11y", lang))
        self.keyboard.set_language(lang)

    def set_portrait(self, portrait: bool) -> None:
        if portrait != self.portrait:
            self._layout(portrait)

    reach = False
    """Reachability mode (``ui.shell.reach``): the lower part of a portrait screen, about as high
    as it is wide. The form is laid out as in portrait, without the preview (the thank-you page
    shows the picture)."""

    def set_reach(self, on: bool) -> None:
        self.reach = on
        self.preview.setVisible(not on)
        self.portrait = None  # lay out again: the thank-you page too
        self.set_portrait(on or self.height() > self.width())
        self._make_room()

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        self.set_portrait(self.reach or event.size().height() > event.size().width())
        super().resizeEvent(event)
