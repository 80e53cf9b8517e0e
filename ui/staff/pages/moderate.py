"""Staff moderation: withhold/release with a reason, delete after a second confirmation
(leaving a tombstone), and keep or discard drawings recovered after a crash."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem,
                               QVBoxLayout, QWidget)

from kiosk.core import moderation
from ui.staff.pages.browse import item_line
from ui.common.i18n import tr
from ui.staff.common import ConfirmPanel, StaffScreen, button, card, scrolling_page
from ui.common.screen import label
from ui.staff.reasons import reason_text, status_text


class ModerateScreen(StaffScreen):
    def __init__(self, store: Any, config: Any, lang: str = "de") -> None:
        super().__init__(lang)
        self.setObjectName("staff_moderate")
        self.store, self.config = store, config
        self.selected: str | None = None
        # Scrolls when the confirmation opens on a short screen: nothing is ever cut off.
        lay = scrolling_page(self)
        lay.addWidget(self.text(label(name="staff_moderate_title", role="screen_title"), "panel.mod_title"))
        self.body = QHBoxLayout()
        self.body.setSpacing(22)
        lay.addLayout(self.body, 3)

        left = QVBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("staff_moderate_search")
        self.text(self.search, "panel.browse_search", "placeholder")
        left.addWidget(self.search)
        self.list = QListWidget()
        self.list.setObjectName("staff_moderate_list")
        self.text(self.list, "panel.mod_list.a11y", "a11y")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.addWidget(self.list, 1)
        self.left = QWidget()
        self.left.setLayout(left)
        self.body.addWidget(self.left, 3)

        frame, right = card("staff_moderate_actions")
        self.current = label(name="staff_moderate_current", role="value")
        self.text(self.current, "panel.mod_pick")
        right.addWidget(self.current)
        right.addWidget(self.text(label(role="section"), "panel.mod_reason"))
        self.reason = QComboBox()
        self.reason.setObjectName("staff_moderate_reason")
        self.text(self.reason, "panel.mod_reason_list.a11y", "a11y")
        right.addWidget(self.reason)
        self.reason_text = QLineEdit()
        self.reason_text.setObjectName("staff_moderate_reason_text")
        self.text(self.reason_text, "panel.mod_reason_text", "placeholder")
        right.addWidget(self.reason_text)
        row = QHBoxLayout()
        self.withhold = self.text(button("staff_moderate_withhold", "primary"), "panel.mod_withhold")
        self.release = self.text(button("staff_moderate_release"), "panel.mod_release")
        row.addWidget(self.withhold)
        row.addWidget(self.release)
        right.addLayout(row)
        self.delete = self.text(button("staff_moderate_delete", "danger"), "panel.mod_delete")
        right.addWidget(self.delete)
        self.confirm = ConfirmPanel(self, "staff_moderate")
        right.addWidget(self.confirm)
        self.message = label(name="staff_moderate_message", role="ok")
        self.message.hide()
        right.addWidget(self.message)
        right.addStretch(1)
        self.actions = frame
        self.body.addWidget(frame, 2)

        drafts, dl = card("staff_drafts")
        dl.addWidget(self.text(label(role="section"), "panel.mod_drafts"))
        self.drafts = QListWidget()
        self.drafts.setObjectName("staff_drafts_list")
        self.text(self.drafts, "panel.mod_drafts_list.a11y", "a11y")
        self.drafts.setMaximumHeight(150)
        dl.addWidget(self.drafts)
        self.no_drafts = self.text(label(name="staff_drafts_none", role="muted"), "panel.mod_no_drafts")
        dl.addWidget(self.no_drafts)
        drow = QHBoxLayout()
        self.keep = self.text(button("staff_drafts_keep"), "panel.mod_keep")
        self.discard = self.text(button("staff_drafts_discard", "danger"), "panel.mod_discard")
        drow.addWidget(self.keep)
        drow.addWidget(self.discard)
        drow.addStretch(1)
        dl.addLayout(drow)
        self.draft_confirm = ConfirmPanel(self, "staff_drafts")
        dl.addWidget(self.draft_confirm)
        lay.addWidget(drafts)

        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.list.currentItemChanged.connect(lambda cur, _prev: self.select(cur.data(Qt.ItemDataRole.UserRole)
                                                                            if cur else None))
        self.withhold.clicked.connect(self.do_withhold)
        self.release.clicked.connect(self.do_release)
        self.delete.clicked.connect(lambda: self.confirm.ask(self.tr("panel.mod_confirm_delete")))
        self.confirm.accepted.connect(self.do_delete)
        self.keep.clicked.connect(self.do_keep)
        self.discard.clicked.connect(lambda: self.draft_confirm.ask(self.tr("panel.mod_confirm_discard")))
        self.draft_confirm.accepted.connect(self.do_discard)
        self.drafts.currentRowChanged.connect(lambda _r: self._draft_buttons())
        self._fill_reasons()
        self.refresh()

    def set_landscape(self, landscape: bool) -> None:
        self.body.setDirection(QHBoxLayout.Direction.LeftToRight if landscape
                               else QHBoxLayout.Direction.TopToBottom)

    def _fill_reasons(self) -> None:
        current = self.reason.currentIndex()
        self.reason.clear()
        for key in moderation.WITHHOLD_REASONS:
            self.reason.addItem(tr(f"panel.reason_{key}", self.lang), key)
        self.reason.setCurrentIndex(max(current, 0))

    def set_language(self, lang: str) -> None:
        super().set_language(lang)
        self._fill_reasons()

    # -- data ------------------------------------------------------------

    def refresh(self) -> None:
        titles = {t.id: t.title.get_text(self.lang) for t in self.config.topics}
        keep = self.selected
        self.list.blockSignals(True)
        self.list.clear()
        for it in moderation.search(self.store, self.search.text(), kind=None, limit=200):
            entry = QListWidgetItem(("🖼 " if it.kind == "drawing" else "") +
                                    item_line(it, titles.get(it.topic_id, it.topic_id), self.lang))
            entry.setData(Qt.ItemDataRole.UserRole, it.id)
            self.list.addItem(entry)
            if it.id == keep:
                self.list.setCurrentItem(entry)
        self.list.blockSignals(False)
        self.select(keep if keep and moderation.item(self.store, keep) else None)
        self.drafts.clear()
        for d in moderation.list_drafts(self.store):
            entry = QListWidgetItem(f"{d.created_at[:16].replace('T', ' ')} · {status_text(d.status, self.lang)} · {d.id[:8]}")
            entry.setData(Qt.ItemDataRole.UserRole, d.id)
            self.drafts.addItem(entry)
        self.drafts.setVisible(self.drafts.count() > 0)
        self.no_drafts.setVisible(self.drafts.count() == 0)
        self._draft_buttons()

    def _draft_buttons(self) -> None:
        chosen = self.drafts.currentItem() is not None
        self.keep.setEnabled(chosen)
        self.discard.setEnabled(chosen)

    def select(self, submission_id: str | None) -> None:
        self.selected = submission_id
        it = moderation.item(self.store, submission_id) if submission_id else None
        self.confirm.hide()
        if it is None:
            self.selected = None
            self.current.setText(self.tr("panel.mod_pick"))
        else:
            summary = " ".join(it.text.split())[:140] or ("🖼 " + it.id[:8])
            state = status_text(it.status, self.lang)
            if it.withheld_reason:
                state += f" ({reason_text(it.withheld_reason, self.lang, withheld=True)})"
            self.current.setText(f"{summary}\n— {state}")
        self.withhold.setEnabled(it is not None and it.status in ("pending", "failed"))
        self.release.setEnabled(it is not None and it.status == "withheld")
        self.delete.setEnabled(it is not None)

    def reason_value(self) -> str:
        typed = self.reason_text.text().strip()
        chosen = self.reason.currentData() or "other"
        return f"{chosen}: {typed}" if typed else chosen

    def _say(self, text: str, ok: bool = True) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "ok" if ok else "warning")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()

    def _act(self, action, done_key: str) -> None:
        try:
            action()
        except moderation.ModerationError as exc:
            self._say(str(exc), ok=False)
            return
        self.reason_text.clear()
        self.refresh()
        self._say(self.tr(done_key))
        self.changed.emit()

    def do_withhold(self) -> None:
        if self.selected:
            sid = self.selected
            self._act(lambda: moderation.withhold(self.store, sid, self.reason_value()), "panel.mod_withheld_ok")

    def do_release(self) -> None:
        if self.selected:
            sid = self.selected
            self._act(lambda: moderation.release(self.store, sid), "panel.mod_released_ok")

    def do_delete(self) -> None:
        if self.selected:
            sid = self.selected
            self.selected = None
            self._act(lambda: moderation.delete(self.store, sid, self.reason_value()), "panel.mod_deleted_ok")

    def _draft_id(self) -> str | None:
        entry = self.drafts.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry else None

    def do_keep(self) -> None:
        sid = self._draft_id()
        if sid:
            self._act(lambda: moderation.keep_draft(self.store, sid), "panel.mod_released_ok")

    def do_discard(self) -> None:
        sid = self._draft_id()
        if sid:
            self._act(lambda: moderation.discard_draft(self.store, sid), "panel.mod_deleted_ok")
