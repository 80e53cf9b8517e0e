"""The kiosk lock: the window refuses to close, swallows escape keys and context menus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit

from ui.shell.lock import is_blocked_key
from ui.shell.main_window import MainWindow, layout_for


def test_close_is_refused(window: MainWindow) -> None:
    assert window.close() is False
    event = QCloseEvent()
    QApplication.sendEvent(window, event)
    assert not event.isAccepted()
    assert window.isVisible()


@pytest.mark.parametrize("key, mods", [
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_D, Qt.KeyboardModifier.MetaModifier),  # Super+D: "show desktop", or a "d" typed
])
def test_escape_keys_neither_close_nor_reach_widgets(qtbot, window: MainWindow, key, mods) -> None:
    # A shortcut that would close the window if the key got through, and a
    # focused field that records what reaches it.
    fired = []
    shortcut = QShortcut(QKeySequence(key.value | mods.value), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.activated.connect(lambda: fired.append(True))
    shortcut.activated.connect(window.exit_kiosk)
    field = QLineEdit(window.screens["ideas"])
    window.show_screen("ideas")
    field.setFocus()
    seen = []
    modifiers = {Qt.Key.Key_Alt, Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Meta}
    field.keyPressEvent = lambda e: e.key() in modifiers or seen.append(e.key())  # type: ignore[method-assign]
    qtbot.keyClick(field, key, mods)
    qtbot.keyClick(field, Qt.Key.Key_A)
    assert fired == []
    assert seen == [Qt.Key.Key_A]
    assert window.isVisible()


def test_blocked_key_table() -> None:
    alt, ctrl = Qt.KeyboardModifier.AltModifier.value, Qt.KeyboardModifier.ControlModifier.value
    assert is_blocked_key(Qt.Key.Key_F4.value, alt)
    assert is_blocked_key(Qt.Key.Key_Q.value, ctrl)
    assert is_blocked_key(Qt.Key.Key_Escape.value, 0)
    assert not is_blocked_key(Qt.Key.Key_F4.value, 0)
    assert not is_blocked_key(Qt.Key.Key_Q.value, 0)  # typing a q is fine
    assert not is_blocked_key(Qt.Key.Key_W.value, alt)
    assert is_blocked_key(Qt.Key.Key_D.value, Qt.KeyboardModifier.MetaModifier.value)
    assert not is_blocked_key(Qt.Key.Key_D.value, Qt.KeyboardModifier.ShiftModifier.value)


def test_no_context_menu(qtbot, window: MainWindow) -> None:
    field = QLineEdit(window.screens["ideas"])
    window.show_screen("ideas")
    field.show()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), field.mapToGlobal(QPoint(5, 5)))
    QApplication.sendEvent(field, event)
    QApplication.processEvents()
    assert QApplication.activePopupWidget() is None


def test_staff_exit_really_closes_and_disposes(qtbot, window: MainWindow, fake_store) -> None:
    with qtbot.waitSignal(window.closed, timeout=1000):
        window.exit_kiosk()
    assert not window.isVisible()
    assert fake_store.closed
    assert window.parts.disposed


def test_hidden_cursor_when_configured(make_window, jena_config) -> None:
    import dataclasses

    kiosk = dataclasses.replace(jena_config.kiosk, hide_cursor=True)
    make_window(kiosk=kiosk)
    cursor = QApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor


def test_cursor_visible_when_not_hidden(make_window, jena_config) -> None:
    import dataclasses

    make_window(kiosk=dataclasses.replace(jena_config.kiosk, hide_cursor=False))
    cursor = QApplication.overrideCursor()
    assert cursor is None or cursor.shape() != Qt.CursorShape.BlankCursor


@pytest.mark.parametrize("w, h, orientation, portrait, scale", [
    (1920, 1080, "auto", False, 1.0),
    (1080, 1920, "auto", True, 1.0),
    (1280, 720, "auto", False, 0.65),
    (3840, 2160, "auto", False, 2.0),
    (1728, 1080, "auto", False, 1.0),     # 16:10 holds the 1080p layout
    (1920, 1080, "portrait", True, 0.6),  # a portrait layout in a landscape window: 1080 / 1728
])
def test_layout_for(w, h, orientation, portrait, scale) -> None:
    assert layout_for(w, h, orientation) == (portrait, scale)


def test_layout_switches_on_aspect_ratio(qtbot, window: MainWindow) -> None:
    attract = window.screens["attract"]
    window.resize(1080, 1920)
    qtbot.waitUntil(lambda: attract.property("portrait") is True)
    # portrait: the entries sit below the title; landscape: beside it
    qtbot.waitUntil(lambda: attract.ideas.y() > attract.title.geometry().bottom())
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: attract.property("portrait") is False)
    qtbot.waitUntil(lambda: attract.ideas.x() > attract.title.geometry().right())


def test_the_bundled_config_hides_the_cursor_and_says_why(jena_config) -> None:
    from kiosk.core.config import BUNDLED_CONFIG

    assert jena_config.kiosk.hide_cursor is True
    lines = BUNDLED_CONFIG.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("hide_cursor"))
    assert lines[at - 1].startswith("#") and "touch" in " ".join(lines[at - 3:at]).lower()


def test_a_minimised_kiosk_goes_back_to_fullscreen(qtbot, make_window) -> None:
    """Watched from just after the first paint (the window handle is not asked for before it)."""
    window = make_window(size=(1280, 720))
    window.windowed = False   # what a fullscreen kiosk is; make_window builds a windowed one
    window.windowHandle().windowStateChanged.emit(Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(lambda: bool(window.windowState() & Qt.WindowState.WindowFullScreen), timeout=3000)
