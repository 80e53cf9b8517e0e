"""The composition root: build() in-process, run_gui() without a display, lazy imports."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk import app as kiosk_app
from kiosk.core.config import ConfigError, SyncConfig
from ui.shell.lazy import LazyScreen

REPO = Path(__file__).resolve().parents[2]


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(REPO)}, timeout=60, cwd=REPO)


def test_build_returns_the_unshown_window_with_every_screen(qapp, tmp_path, fake_store) -> None:
    window = kiosk_app.build(REPO / "kiosk.toml", tmp_path, store=fake_store)
    try:
        assert not window.isVisible()
        assert window.current_name == "attract"
        assert set(window.screens) == {make.name for make in kiosk_app.SCREENS} | {"staff"}
        assert window.parts.data_dir == tmp_path
    finally:
        kiosk_app.close(window)


def test_build_refuses_a_broken_config(qapp, tmp_path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text('[idle]\ntimeout_s = "soon"\n')
    with pytest.raises(ConfigError):
        kiosk_app.build(bad, tmp_path)


def test_run_gui_without_display_says_how_in_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = _run("""
        import sys
        from kiosk.app import run_gui
        sys.exit(run_gui(None, None, windowed=False))
    """, env)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "QT_QPA_PLATFORM=offscreen" in lines[0] and "xvfb-run" in lines[0]
    assert "Aborted" not in proc.stderr


def test_run_gui_reports_a_broken_config_with_exit_2(tmp_path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[idle]\ntimeot_s = 5\n")
    proc = _run(f"""
        import sys
        from kiosk.app import run_gui
        sys.exit(run_gui({str(bad)!r}, {str(tmp_path)!r}))
    """, {**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 2
    assert "timeout_s" in proc.stderr  # the did-you-mean
    assert "Traceback" not in proc.stderr


def test_lazy_modules_wait_for_the_first_paint(tmp_path) -> None:
    proc = _run(f"""
        import sys
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from kiosk.app import build
        w = build(None, {str(tmp_path)!r})
        before = [m for m in ("requests", "qrcode", "qtawesome", "argon2", "ui.drawing.studio", "ui.ideas.flow",
                              "kiosk.core.storage", "kiosk.core.drafts", "sqlite3", "ui.shell.pin_pad",
                              "ui.shell.unavailable", "ui.staff.common",
                              "ui.shell.idle_overlay", "ui.common.sync_bridge")  # sync is off in kiosk.toml
                  if m in sys.modules]  # the flows are imported and built, the store opened, after the first paint
        w.first_painted.connect(lambda: app.exit(0))  # quit() would ask the locked window
        w.show()
        app.exec()
        app.processEvents()
        after = [m for m in ("requests", "qrcode", "kiosk.core.storage") if m in sys.modules]
        print(before, after)
    """, {**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[] ['requests', 'qrcode', 'kiosk.core.storage']"


def test_core_stays_qt_free() -> None:
    proc = _run("""
        import sys
        import kiosk.core.config, kiosk.core.pin, kiosk.core.model
        print("PySide6" in sys.modules)
    """, dict(os.environ))
    assert proc.stdout.strip() == "False", proc.stderr


def test_a_store_that_cannot_be_opened_gives_the_unavailable_screen(qapp, qtbot, tmp_path) -> None:
    """A database from a newer kiosk is refused (not moved aside): no traceback, no desktop."""
    import sqlite3

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from kiosk.core.storage import Store

    Store.open_in(tmp_path).close()
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as db:
        db.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', '2030-01-01T00:00:00Z')")
    window = kiosk_app.build(REPO / "kiosk.toml", tmp_path)
    try:
        assert window.current_name == "attract"
        assert not window.parts.store.can_accept()
        assert any("newer" in str(n) for n in window.parts.store.notices)
        qtbot.mouseClick(window.findChild(QPushButton, "attract_ideas"), Qt.MouseButton.LeftButton)
        assert window.current_name == "unavailable"
    finally:
        kiosk_app.close(window)


def test_the_pin_pad_and_the_idle_prompt_are_built_after_the_first_paint(qtbot, tmp_path, fake_store) -> None:
    window = kiosk_app.build(REPO / "kiosk.toml", tmp_path, windowed=True, store=fake_store)
    try:
        at_paint = []
        window.first_painted.connect(lambda: at_paint.append((window.pin_pad_built, window.idle_overlay_built)))
        with qtbot.waitSignal(window.first_painted, timeout=5000):
            window.show()
        assert at_paint == [(False, False)]   # not needed to paint
        # but soon after, unasked
        qtbot.waitUntil(lambda: window.pin_pad_built and window.idle_overlay_built, timeout=5000)
        assert window.pin_pad.isHidden() and window.idle_overlay.isHidden()
    finally:
        kiosk_app.close(window)


def test_the_gesture_before_the_pin_pad_was_built_still_opens_it(qapp, tmp_path, fake_store) -> None:
    window = kiosk_app.build(REPO / "kiosk.toml", tmp_path, store=fake_store)
    try:
        assert not window.pin_pad_built
        window.parts.gesture.triggered.emit()   # five taps in the corner
        pad = window.pin_pad
        assert window.pin_pad_built and not pad.isHidden() and pad.objectName() == "pin_pad"
        assert window.parts.pin_pad is pad
        pad.accepted.emit()   # wired like one built after the first paint
        assert window.current_name == "staff"
    finally:
        kiosk_app.close(window)


def test_an_idle_prompt_before_the_overlay_was_built_still_asks_and_resets(qapp, tmp_path, fake_store) -> None:
    window = kiosk_app.build(REPO / "kiosk.toml", tmp_path, store=fake_store)
    try:
        window.show_screen("unavailable")   # any screen that times out
        assert not window.idle_overlay_built
        window.parts.idle.idle.emit()   # the visitor's timeout ran out
        assert window.idle_overlay_built and not window.idle_overlay.isHidden()   # built and shown there and then
        window.idle_overlay.expired.emit()   # nobody answered: wired like one built after the first paint
        assert window.current_name == "attract" and window.idle_overlay.isHidden()
    finally:
        kiosk_app.close(window)


def test_finish_building_leaves_nothing_for_after_the_first_paint(qapp, tmp_path) -> None:
    """What tools and tests get: as if the app had run just past its first paint."""
    window = kiosk_app.build(REPO / "kiosk.toml", tmp_path)
    try:
        kiosk_app.finish_building(window)
        assert window.parts.stores.ready and (tmp_path / "kiosk.sqlite3").exists()
        assert window.pin_pad_built and window.idle_overlay_built
        assert all(s.built for s in window.screens.values() if isinstance(s, LazyScreen))
    finally:
        kiosk_app.close(window)


def test_with_sync_on_the_attract_screen_shows_it_from_the_first_paint(qtbot, tmp_path, jena_config) -> None:
    token = tmp_path / "kiosk.token"
    token.write_text("not-a-real-token\n")
    sync = SyncConfig(enabled=True, endpoint="http://127.0.0.1:9/api/v1", token_file=str(token),
                      interval_s=60.0, connect_timeout_s=0.5, read_timeout_s=0.5)
    window = kiosk_app.build(dataclasses.replace(jena_config, sync=sync), tmp_path / "data", windowed=True)
    try:
        at_paint = []
        indicator = window.screens["attract"].sync_indicator
        window.first_painted.connect(lambda: at_paint.append((indicator.isVisible(), indicator.text.text())))
        with qtbot.waitSignal(window.first_painted, timeout=5000):
            window.show()
        assert at_paint == [(True, "Übertragung startet")]
    finally:
        kiosk_app.close(window)


def test_with_sync_off_no_bridge_is_made_to_start_and_waking_is_safe(qapp, tmp_path, fake_store) -> None:
    window = kiosk_app.build(REPO / "kiosk.toml", tmp_path, store=fake_store)   # [sync] enabled = false
    try:
        assert window.parts._sync is None
        window.screens["attract"].contributed.emit("some-id")   # what a flow does after storing
        window.parts.wake_sync()
        assert window.parts._sync is None
        assert not window.parts.sync.enabled and not window.parts.sync.is_running()   # made when asked for
    finally:
        kiosk_app.close(window)


def test_run_gui_leaves_when_its_window_closes_while_hidden(tmp_path) -> None:
    # A window manager may have hidden the window, or a screen change unmapped it, when SIGTERM
    # or a rescale restart closes it: Qt's "last window closed" does not count a hidden window.
    proc = _run(f"""
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from kiosk.app import run_gui

        def hide_then_close():
            window = next(w for w in app.topLevelWidgets() if w.objectName() == "main_window")
            window.hide()
            QTimer.singleShot(100, window.exit_kiosk)
            QTimer.singleShot(5000, lambda: (print("still running", flush=True), app.exit(9)))

        QTimer.singleShot(800, hide_then_close)
        sys.exit(run_gui(None, {str(tmp_path)!r}))
    """, {**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "still running" not in proc.stdout
