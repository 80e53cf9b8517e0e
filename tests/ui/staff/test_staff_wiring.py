"""The staff panel and the sync worker wired into the real app.

Real things only: the app from ``kiosk.app.build`` with a real Store file in a
temporary data dir, a real QApplication, and (for sync) the real receiver on
127.0.0.1 with a real token. The PIN is typed through the pad's objectNames.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import (QAbstractButton, QApplication, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QWidget)

from kiosk.app import build, close
from kiosk.core.config import DEMO_PIN, IdleConfig, SyncConfig
from staff_helpers import drawing, idea

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says this on show()

QUIET_IDLE = IdleConfig(timeout_s=600, countdown_s=10, drawing_timeout_s=600)


def sync_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(("sync-worker", "sync-upload"))]


def receiver_digests(receiver_dir: Path) -> dict[str, str]:
    with sqlite3.connect(receiver_dir / "receiver.sqlite3") as db:
        return dict(db.execute("SELECT id, sha256 FROM submissions").fetchall())


@pytest.fixture
def kiosk_id(jena_config) -> str:
    """The receiver's token belongs to the kiosk of the bundled config, which the app runs as."""
    return jena_config.kiosk.id


@pytest.fixture
def app_with(qtbot, tmp_path: Path, jena_config):
    """build(config, data_dir) with a real store; shown; exited (and checked) at the end."""
    made = []

    def make(sync: SyncConfig | None = None, before=()):  # noqa: ANN001
        data = tmp_path / "kiosk"
        data.mkdir(exist_ok=True)
        if before:
            from kiosk.core.storage import Store

            with_store = Store.open_in(data)
            for sub in before:
                with_store.add(sub)
            with_store.close()
        cfg = dataclasses.replace(jena_config, idle=QUIET_IDLE, sync=sync or SyncConfig())
        window = build(cfg, data, windowed=True)
        made.append(window)
        window.resize(1600, 900)
        with qtbot.waitSignal(window.first_painted, timeout=5000):
            window.show()
        if window.parts.sync.enabled:
            qtbot.waitUntil(window.parts.sync.is_running, timeout=5000)
        return window

    yield make
    for window in made:
        close(window)
    QApplication.processEvents()
    assert sync_threads() == []


def sync_config(receiver, tmp_path: Path, token: str) -> SyncConfig:
    token_file = tmp_path / "kiosk.token"
    token_file.write_text(token + "\n")
    return SyncConfig(enabled=True, endpoint=receiver.url + "/api/v1", token_file=str(token_file),
                      interval_s=60.0, connect_timeout_s=1.0, read_timeout_s=5.0)


def enter_pin(qtbot, window, pin: str = DEMO_PIN) -> None:  # noqa: ANN001
    window.open_pin_pad()
    pad = window.pin_pad
    assert pad.objectName() == "pin_pad" and pad.isVisible()
    for digit in pin:
        pad.findChild(QAbstractButton, f"pin_digit_{digit}").click()
    with qtbot.waitSignal(window.pin_pad.accepted, timeout=5000):
        pad.findChild(QAbstractButton, "pin_ok").click()
    assert window.current_name == "staff"


def text(window, name: str) -> str:  # noqa: ANN001
    widget = window.findChild(QLabel, name)
    assert widget is not None, name
    return widget.text()


def click(window, name: str) -> None:  # noqa: ANN001
    button = window.findChild(QAbstractButton, name)
    assert button is not None and button.isVisible() and button.isEnabled(), name
    button.click()


# ---------------------------------------------------------------- sync on, a real receiver


def test_a_saved_submission_reaches_the_receiver_and_staff_see_it(qtbot, app_with, receiver, token, receiver_dir,
                                                                   tmp_path) -> None:
    window = app_with(sync_config(receiver, tmp_path, token))
    bridge, attract = window.parts.sync, window.screens["attract"]
    qtbot.waitUntil(lambda: bridge.snapshot().state == "online", timeout=10000)
    indicator = attract.sync_indicator
    assert indicator.isVisible() and indicator.kind == "ok"
    assert text(window, "attract_sync_text") == "Alles übertragen"

    sub = drawing(3)
    window.parts.store.add(sub)           # what the flows do, then they call the hook:
    with qtbot.waitSignal(bridge.status_changed, timeout=10000,
                          check_params_cb=lambda snap: snap.sent == 1 and snap.state == "online"):
        window.parts.sync.wake()
    assert receiver_digests(receiver_dir) == {sub.id: sub.digest()}
    assert window.parts.store.sync_state(sub.id).status == "sent"
    assert text(window, "attract_sync_text") == "Alles übertragen"

    enter_pin(qtbot, window)
    assert window.findChild(QPushButton, "staff_nav_overview").isChecked()
    assert text(window, "staff_overview_sent") == "1"
    assert text(window, "staff_overview_pending") == "0"
    assert text(window, "staff_overview_drawings") == "1"
    assert "Online" in text(window, "staff_overview_sync_state")
    assert "noch nie" not in text(window, "staff_overview_last_sync")


def test_sync_now_in_the_panel_delivers_and_sums_up(qtbot, app_with, receiver, token, receiver_dir, tmp_path) -> None:
    window = app_with(sync_config(receiver, tmp_path, token))
    bridge = window.parts.sync
    qtbot.waitUntil(lambda: bridge.snapshot().state == "online", timeout=10000)
    subs = [idea(f"Idee {i}") for i in range(3)]
    for s in subs:
        window.parts.store.add(s)         # no wake: only staff's button sends them
    enter_pin(qtbot, window)
    click(window, "staff_nav_sync")
    assert "Wartend: 3" in text(window, "staff_sync_status")
    with qtbot.waitSignal(bridge.finished, timeout=15000) as done:
        click(window, "staff_sync_now")
    summary = done.args[0]
    assert (summary.delivered, summary.existing, summary.failed, summary.stopped) == (3, 0, (), "")
    assert text(window, "staff_sync_summary").startswith("Fertig: 3 übertragen, 0 waren schon da")
    assert window.findChild(QPushButton, "staff_sync_now").isEnabled()
    assert set(receiver_digests(receiver_dir)) == {s.id for s in subs}
    click(window, "staff_nav_overview")
    assert text(window, "staff_overview_sent") == "3"
    qtbot.waitUntil(lambda: window.screens["attract"].sync_indicator.kind == "ok", timeout=5000)


def test_a_wrong_token_says_so_plainly(qtbot, app_with, receiver, receiver_dir, tmp_path) -> None:
    waiting = idea("wartet auf das richtige Token")
    window = app_with(sync_config(receiver, tmp_path, "not-the-token"), before=[waiting])
    bridge = window.parts.sync
    qtbot.waitUntil(lambda: bridge.snapshot().state == "auth", timeout=10000)
    indicator = window.screens["attract"].sync_indicator
    assert indicator.kind == "attention"                         # muted ochre, no alarm words
    assert text(window, "attract_sync_text") == "1 wartend"
    enter_pin(qtbot, window)
    state = text(window, "staff_overview_sync_state")
    assert "Das Token ist falsch" in state and "not-the-token" not in state
    assert "refused" not in state and "(401)" in state                 # no English in the German panel
    click(window, "staff_lang_toggle")
    assert "the token is wrong" in text(window, "staff_overview_sync_state").lower()
    click(window, "staff_nav_sync")
    with qtbot.waitSignal(bridge.finished, timeout=15000) as done:
        click(window, "staff_sync_now")
    assert done.args[0].stopped == "auth"
    assert "the token is wrong" in text(window, "staff_sync_summary").lower()
    assert receiver_digests(receiver_dir) == {}
    assert window.parts.store.sync_state(waiting.id).status == "pending"   # nothing lost, nothing failed


def test_sync_now_answers_at_once_when_the_worker_has_ended(qtbot, app_with, receiver, token, tmp_path) -> None:
    window = app_with(sync_config(receiver, tmp_path, token))
    bridge = window.parts.sync
    assert bridge.worker.stop(timeout=10)            # the thread is gone (a crash would look the same)
    enter_pin(qtbot, window)
    click(window, "staff_nav_sync")
    with qtbot.waitSignal(bridge.finished, timeout=1000) as done:
        click(window, "staff_sync_now")
    assert done.args[0].stopped == "unexpected"
    assert "Die Synchronisation läuft nicht" in text(window, "staff_sync_summary")
    assert window.findChild(QPushButton, "staff_sync_now").isEnabled()     # not spinning forever
    screen = window.findChild(QWidget, "staff_sync")
    assert not screen.running and not screen.busy()
    assert window.findChild(QProgressBar, "staff_sync_progress").maximum() == 1          # no busy spinner


def test_exit_stops_the_worker(qtbot, app_with, receiver, token, tmp_path) -> None:
    window = app_with(sync_config(receiver, tmp_path, token))
    assert len(sync_threads()) == 1
    enter_pin(qtbot, window)
    click(window, "staff_nav_system")
    with qtbot.waitSignal(window.closed, timeout=5000):
        click(window, "staff_system_exit")
    assert window.parts.disposed and not window.isVisible()
    assert sync_threads() == []
    assert not window.parts.sync.is_running()


# ---------------------------------------------------------------- sync off, and the panel as such


def test_sync_off_is_said_plainly_and_starts_nothing(qtbot, app_with) -> None:
    window = app_with()
    assert not window.parts.sync.enabled and sync_threads() == []
    assert not window.screens["attract"].sync_indicator.isVisible()
    window.parts.sync.wake()  # the flows' hook is safe to call either way
    window.parts.store.add(idea())
    enter_pin(qtbot, window)
    assert "ausgeschaltet" in text(window, "staff_overview_sync_state")
    assert text(window, "staff_overview_ideas") == "1"
    click(window, "staff_nav_sync")
    assert "ausgeschaltet" in text(window, "staff_sync_status")
    assert not window.findChild(QPushButton, "staff_sync_now").isEnabled()


def test_panel_buttons_are_named_and_follow_the_kiosk_language(qtbot, app_with) -> None:
    window = app_with()
    enter_pin(qtbot, window)
    seen: dict[str, list[str]] = {}
    for lang in ("de", "en"):
        window.language.set(lang)
        for b in window.screens["staff"].findChildren(QPushButton):  # not Qt's internal tool buttons
            assert b.objectName(), b
            assert b.accessibleName(), b.objectName()
            seen.setdefault(b.objectName(), []).append(b.accessibleName())
    assert seen["staff_system_exit"] == ["Kiosk beenden", "Exit kiosk"]
    assert seen["staff_close"] == ["Schließen", "Close"]


def test_the_panels_worker_stores_keep_the_free_disk_reserve(qtbot, app_with, jena_config) -> None:
    window = app_with()
    enter_pin(qtbot, window)
    export = window.findChild(QWidget, "staff_export")
    worker_store = export.store_factory()
    try:
        assert worker_store.path == window.parts.store.path
        assert worker_store.min_free_bytes == jena_config.storage.min_free_mb * 1_000_000 > 0
    finally:
        worker_store.close()


def test_close_returns_to_attract_and_the_pin_is_needed_again(qtbot, app_with) -> None:
    window = app_with()
    enter_pin(qtbot, window)
    click(window, "staff_close")
    assert window.current_name == "attract" and window.isVisible()
    assert window.parts.gesture.enabled  # the corner gesture works again outside the panel
    enter_pin(qtbot, window)
    assert window.findChild(QPushButton, "staff_nav_overview").isChecked()


def test_restart_closes_the_window_and_asks_for_a_restart(qtbot, app_with) -> None:
    window = app_with()
    enter_pin(qtbot, window)
    click(window, "staff_nav_system")
    with qtbot.waitSignal(window.closed, timeout=5000):
        click(window, "staff_system_restart")
    assert window.parts.restart and window.parts.disposed


def test_a_session_reset_clears_what_staff_typed(qtbot, app_with) -> None:
    window = app_with()
    enter_pin(qtbot, window)
    click(window, "staff_nav_browse")
    search = window.findChild(QLineEdit, "staff_browse_search")
    search.setText("Telefonnummer")
    window.reset_session()
    assert window.current_name == "attract"
    assert search.text() == ""
    enter_pin(qtbot, window)
    assert window.findChild(QPushButton, "staff_nav_overview").isChecked()


def test_without_a_usable_store_staff_can_still_leave(qtbot, make_window) -> None:
    """The shell's fake store has no overview: the panel cannot be built, exit still works."""
    window = make_window(idle=QUIET_IDLE)
    enter_pin(qtbot, window)
    assert window.findChild(QLabel, "staff_problem_message").text()
    click(window, "staff_back")
    assert window.current_name == "attract"
    enter_pin(qtbot, window)
    with qtbot.waitSignal(window.closed, timeout=1000):
        click(window, "staff_exit")
    assert not window.isVisible()


def test_kiosk_run_re_executes_itself_when_staff_chose_restart(monkeypatch, tmp_path) -> None:
    import os
    import sys

    import kiosk.app
    from kiosk import cli

    execs = []
    monkeypatch.setattr(kiosk.app, "run_gui", lambda *a, **kw: kiosk.app.EXIT_RESTART)
    monkeypatch.setattr("kiosk.core.logs.setup_logging", lambda *a, **kw: None)  # no handlers left behind
    monkeypatch.setattr(os, "execv", lambda path, argv: execs.append((path, argv)))
    monkeypatch.setattr(sys, "orig_argv", ["python3", "-m", "kiosk", "run", "--windowed"])
    assert cli.main(["--data-dir", str(tmp_path), "run"]) == kiosk.app.EXIT_RESTART
    assert execs == [(sys.executable, [sys.executable, "-m", "kiosk", "run", "--windowed"])]

    def cannot(path, argv):  # noqa: ANN001, ANN202
        raise OSError("exec format error")

    monkeypatch.setattr(os, "execv", cannot)  # then the service manager restarts on the code
    assert cli.main(["--data-dir", str(tmp_path), "run"]) == kiosk.app.EXIT_RESTART


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_overview_fits_the_screen_either_way_round(qtbot, app_with, size) -> None:
    """Every card of the overview on one screen, with failures and withheld reasons to show
    (the disk card used to be cut off at the bottom of a 1920x1080 screen)."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QFrame, QScrollArea

    subs = [idea(f"Idee {n}") for n in range(6)] + [drawing(n) for n in range(3)]
    window = app_with(before=subs)
    store = window.parts.store
    store.mark_failed(subs[0].id, "413: blob is 9000000 bytes; the limit is 8388608")
    store.mark_failed(subs[1].id, "422: text: contains control characters")
    store.withhold(subs[2].id, "personal_data: Telefonnummer im Text")
    store.withhold(subs[3].id, "recovered draft after a crash; keep or discard")
    store.withhold(subs[4].id, "no consent")
    window.resize(*size)
    enter_pin(qtbot, window)
    overview = window.screens["staff"].panel.screens["overview"]
    qtbot.wait(50)
    assert "Zu groß für den Empfänger" in text(window, "staff_overview_failures")
    scroll = overview.findChild(QScrollArea)
    viewport = scroll.viewport()
    assert not scroll.verticalScrollBar().isVisible()
    cards = [f for f in overview.findChildren(QFrame) if f.objectName().endswith("_card")]
    assert len(cards) == 5
    for card in cards:
        r = QRect(card.mapTo(viewport, QPoint(0, 0)), card.size())
        assert viewport.rect().contains(r), (card.objectName(), r, viewport.size())
        inner = card.layout()
        assert card.height() >= inner.totalMinimumHeightForWidth(card.width()) - 1, card.objectName()
