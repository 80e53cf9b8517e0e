"""Staff browse: ideas as a searchable list, drawings as a thumbnail grid; open one whole."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem,
                               QScrollArea, QStackedWidget, QVBoxLayout, QWidget)

from kiosk.core import moderation
from kiosk.core.bidi import balance, isolate
from kiosk.core.text import cut_at_grapheme
from ui.staff.common import StaffScreen, button
from ui.common.fit_row import FitRow
from ui.common.screen import label
from ui.staff.reasons import flag_text, reason_text, status_text

LIMIT = 200
THUMB = 200


def item_line(item: moderation.Item, topic_title: str, lang: str = "de") -> str:
    """Two lines for the list: when, topic, state; then the text (shortened)."""
    when = item.created_at[:16].replace("T", " ")
    flags = ([status_text(item.status, lang)] + ([flag_text("sample", lang)] if item.is_sample else [])
             + ([flag_text("unfinished", lang)] if item.unfinished else []))
    text = " ".join(item.text.split())
    shown = isolate(cut_at_grapheme(text, 160)) + ("…" if len(text) > 160 else "")  # visitor text: its direction stays in it
    return f"{when} · {topic_title} · {', '.join(flags)}\n{shown}"


class BrowseScreen(StaffScreen):
    def __init__(self, store: Any, config: Any, lang: str = "de") -> None:
        super().__init__(lang)
        self.setObjectName("staff_browse")
        self.store, self.config = store, config
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 32, 40, 32)
        lay.setSpacing(18)
        lay.addWidget(self.text(label(name="staff_browse_title", role="screen_title"), "panel.browse_title"))
        self.search = QLineEdit()
        self.search.setObjectName("staff_browse_search")
        self.text(self.search, "panel.browse_search", "placeholder")
        self.search.setClearButtonEnabled(True)
        self.show_ideas = self.text(button("staff_browse_ideas"), "panel.browse_ideas")
        self.show_drawings = self.text(button("staff_browse_drawings"), "panel.browse_drawings")
        group = QButtonGroup(self)
        for b in (self.show_ideas, self.show_drawings):
            b.setCheckable(True)
            group.addButton(b)
        self.show_ideas.setChecked(True)
        self._fit_search()
        lay.addWidget(FitRow(self.search, self.show_ideas, self.show_drawings, spacing=12, grow=self.search))
        self.found = label(name="staff_browse_found", role="muted")
        lay.addWidget(self.found)

        self.pages = QStackedWidget()
        self.list = QListWidget()
        self.list.setObjectName("staff_browse_list")
        self.text(self.list, "panel.browse_list.a11y", "a11y")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid = QListWidget()
        self.grid.setObjectName("staff_browse_grid")
        self.text(self.grid, "panel.browse_grid.a11y", "a11y")
        self.grid.setViewMode(QListWidget.ViewMode.IconMode)
        self.grid.setIconSize(QSize(THUMB, int(THUMB * 0.5625)))
        self.grid.setGridSize(QSize(THUMB + 30, int(THUMB * 0.5625) + 60))
        self.grid.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.grid.setMovement(QListWidget.Movement.Static)
        self.detail = self._detail_page()
        for w in (self.list, self.grid, self.detail):
            self.pages.addWidget(w)
        lay.addWidget(self.pages, 1)

        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        group.buttonClicked.connect(lambda _b: self.refresh())
        self.list.itemClicked.connect(self._open)
        self.grid.itemClicked.connect(self._open)
        self.refresh()

    def _detail_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("staff_browse_detail")
        lay = QVBoxLayout(page)
        self.back = self.text(button("staff_browse_back"), "panel.browse_back")
        self.back.clicked.connect(self._close_detail)
        lay.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        self.detail_meta = label(name="staff_browse_detail_meta", role="muted")
        lay.addWidget(self.detail_meta)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.detail_body = label(name="staff_browse_detail_body", role="value")
        self.detail_body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll.setWidget(self.detail_body)
        lay.addWidget(scroll, 1)
        return page

    def kind(self) -> str:
        return "drawing" if self.show_drawings.isChecked() else "idea"

    def _fit_search(self) -> None:
        """The search field is never narrower than its hint (on a narrow screen the row stacks)."""
        room = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 96  # padding, clear button
        self.search.setMinimumWidth(room)

    def set_language(self, lang: str) -> None:
        super().set_language(lang)
        self._fit_search()

    def refresh(self) -> None:
        items = moderation.search(self.store, self.search.text(), kind=self.kind(), limit=LIMIT)
        titles = {t.id: t.title.get_text(self.lang) for t in self.config.topics}
        self.found.setText(self.tr("panel.browse_found", n=len(items), limit=LIMIT) if items else self.tr("panel.browse_empty"))
        if self.kind() == "idea":
            self.list.clear()
            for it in items:
                entry = QListWidgetItem(item_line(it, titles.get(it.topic_id, it.topic_id), self.lang))
                entry.setData(Qt.ItemDataRole.UserRole, it.id)
                self.list.addItem(entry)
            self.pages.setCurrentWidget(self.list)
        else:
            self.grid.clear()
            for it in items:
                entry = QListWidgetItem(QIcon(self._thumb(it.id)), it.created_at[11:16] + (" ✎" if it.unfinished else ""))
                entry.setData(Qt.ItemDataRole.UserRole, it.id)
                self.grid.addItem(entry)
            self.pages.setCurrentWidget(self.grid)

    def _thumb(self, submission_id: str) -> QPixmap:
        pix = QPixmap()
        data = moderation.drawing_png(self.store, submission_id)
        if data:
            pix.loadFromData(data, "PNG")
        return pix.scaled(THUMB, int(THUMB * 0.5625), Qt.AspectRatioMode.KeepAspectRatio,
                          Qt.TransformationMode.SmoothTransformation) if not pix.isNull() else pix

    def _open(self, entry: QListWidgetItem) -> None:
        self.open_item(entry.data(Qt.ItemDataRole.UserRole))

    def open_item(self, submission_id: str) -> None:
        it = moderation.item(self.store, submission_id)
        if it is None:
            return
        meta = [it.created_at[:19].replace("T", " ") + " UTC", it.topic_id, status_text(it.status, self.lang),
                it.reference_code]
        if it.author_name:
            meta.append(isolate(it.author_name))
        if it.withheld_reason:
            meta.append(f"⚠ {reason_text(it.withheld_reason, self.lang, withheld=True)}")
        elif it.status == "failed" and it.last_error:
            meta.append(f"⚠ {reason_text(it.last_error, self.lang)}")
        self.detail_meta.setText(" · ".join(meta))
        if it.kind == "drawing":
            pix = QPixmap()
            pix.loadFromData(moderation.drawing_png(self.store, it.id) or b"", "PNG")
            width = max(400, self.pages.width() - 60)
            self.detail_body.setPixmap(pix.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
                                       if not pix.isNull() else QPixmap())
        else:
            self.detail_body.setText((f"{balance(it.title)}\n\n" if it.title else "") + balance(it.text))
        self.detail_body.setAccessibleName(self.tr("panel.browse_detail.a11y"))
        self.pages.setCurrentWidget(self.detail)

    def _close_detail(self) -> None:
        self.detail_body.clear()
        self.pages.setCurrentWidget(self.grid if self.kind() == "drawing" else self.list)
