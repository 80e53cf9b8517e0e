"""A discreet sync indicator for the attract screen: a small dot and a few words.

Staff read it at a glance ("12 wartend", "alles übertragen"); a visitor sees
a quiet grey or green dot and small muted text, never a red "ERROR". The
decision is :func:`indicator`, pure and unit-tested; the widget only shows it.
It stays hidden while sync is off.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.common.i18n import tr




def indicator(snap: Any, lang: str) -> tuple[str, str] | None:
    """(dot kind, text) for a :class:`~ui.common.sync_source.SyncSnapshot`; None: show nothing."""
    def text(key: str, **fmt: Any) -> str:
        return tr(f"attract.sync.{key}", lang, **fmt)

    if snap.state == "disabled":
        return None
    if snap.state == "starting" or snap.pending is None:
        return "idle", text("starting")
    n = snap.pending
    if snap.state == "syncing":
        return "busy", text("sending", n=n)
    if snap.state in ("error", "auth"):  # staff must act: a muted ochre dot, no alarm words
        return "attention", text("waiting", n=n)
    if snap.state == "online" and n == 0:
        return "ok", text("all_sent")
    return "idle", text("waiting", n=n)


class SyncIndicator(QWidget):
    """The dot (``attract_sync_dot``) and the text (``attract_sync_text``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attract_sync")
        self.dot = QLabel()
        self.dot.setObjectName("attract_sync_dot")
        self.dot.setFixedSize(14, 14)
        self.text = QLabel()
        self.text.setObjectName("attract_sync_text")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        lay.addWidget(self.dot, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addWidget(self.text, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addStretch(1)
        self.kind = ""
        self._snap: Any = None
        self._lang = "de"
        self.setVisible(False)

    def show_snapshot(self, snap: Any, lang: str | None = None) -> None:
        self._snap = snap
        if lang:
            self._lang = lang
        self._update()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self._update()

    def _update(self) -> None:
        shown = indicator(self._snap, self._lang) if self._snap is not None else None
        if shown is None:
            self.kind = ""
            self.setVisible(False)
            return
        self.kind, text = shown
        self.dot.setProperty("state", self.kind)  # its colour: theme.SYNC_DOTS
        self.dot.style().unpolish(self.dot)
        self.dot.style().polish(self.dot)
        self.text.setText(text)
        self.setAccessibleName(text)
        self.setVisible(True)
