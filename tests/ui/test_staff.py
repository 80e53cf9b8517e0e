"""The staff screen: status from config and store, warnings, exit and back."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.app import format_counts, format_notice
from ui.main_window import MainWindow


@dataclass
class Notice:
    kind: str
    message: str
    at: str
    path: str | None = None


def labels(window: MainWindow) -> str:
    return "\n".join(lab.text() for lab in window.screens["staff"].findChildren(QLabel))


def test_shows_kiosk_config_counts_and_notices(window: MainWindow, store, jena_config) -> None:
    store.counts = {"total": 7, "by_kind": {"idea": 5, "drawing": 2}}
    store.notices.append(Notice("corrupt", "database was unreadable and moved aside",
                                "2022-07-03T10:00:00Z", "/data/kiosk.db.corrupt-1"))
    store.accepting = False
    window.show_screen("staff")
    text = labels(window)
    assert jena_config.kiosk.id in text
    assert jena_config.source in text
    assert "idea 5, drawing 2" in text
    assert "moved aside" in text and "/data/kiosk.db.corrupt-1" in text
    assert window.language.tr("staff.refusing") in text
    assert window.findChild(QLabel, "staff_notice_0") is not None


def test_status_is_fresh_each_time(window: MainWindow, store) -> None:
    window.show_screen("staff")
    assert window.language.tr("staff.no_notices") in labels(window)
    window.go_home()
    store.notices.append("low disk")
    window.show_screen("staff")
    assert "low disk" in labels(window)


def test_reset_forgets_the_status(window: MainWindow, jena_config) -> None:
    window.show_screen("staff")
    window.reset_session()
    assert jena_config.kiosk.id not in labels(window)


def test_back_returns_and_exit_closes(qtbot, window: MainWindow) -> None:
    window.show_screen("staff")
    qtbot.mouseClick(window.findChild(QAbstractButton, "staff_back"), Qt.MouseButton.LeftButton)
    assert window.current_name == "attract" and window.isVisible()
    window.show_screen("staff")
    with qtbot.waitSignal(window.closed, timeout=1000):
        qtbot.mouseClick(window.findChild(QAbstractButton, "staff_exit"), Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_formatting_helpers() -> None:
    assert format_counts({"total": 3, "by_sync_state": {"pending": 3}}) == (
        ("total", "3"), ("by sync state", "pending 3"))
    assert format_counts({}) == ()
    assert format_notice(Notice("disk", "reserve reached", "t0")) == "t0 · reserve reached"
    assert format_notice("plain") == "plain"
