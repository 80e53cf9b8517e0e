"""Idle handling: the prompt after the screen's timeout; no answer resets everything."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from ui.shell.idle import is_input
from ui.shell.main_window import MainWindow


def _fields(window: MainWindow) -> list[QLineEdit]:
    """A visitor's text in two screens, as the real flows will hold it."""
    ideas = QLineEdit(window.screens["ideas"])
    ideas.setObjectName("probe_ideas")
    drawing = QPlainTextEdit(window.screens["drawing"])
    drawing.setObjectName("probe_drawing")
    return [ideas, drawing]


def test_prompt_appears_after_timeout_and_reset_discards_everything(qtbot, window: MainWindow) -> None:
    line, note = _fields(window)
    window.show_screen("drawing")
    note.setPlainText("a name written in the drawing screen")
    window.show_screen("ideas")
    line.show()
    line.setFocus()
    qtbot.keyClicks(line, "Mehr Baenke am Markt")
    window.language.set("en")
    assert line.text() == "Mehr Baenke am Markt"

    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)
    assert window.current_name == "ideas"  # only asking, nothing gone yet
    assert line.text() == "Mehr Baenke am Markt"

    with qtbot.waitSignal(window.session_reset, timeout=3000):
        pass
    assert window.current_name == "attract"
    assert not window.idle_overlay.isVisible()
    assert window.language.code == "de"
    for widget in window.findChildren(QLineEdit):
        assert widget.text() == "", widget.objectName()
    for widget in window.findChildren(QPlainTextEdit):
        assert widget.toPlainText() == "", widget.objectName()
        assert not widget.document().isUndoAvailable()  # no Ctrl+Z back to the last visitor


def test_reset_also_clears_the_pin_pad(qtbot, window: MainWindow) -> None:
    window.show_screen("ideas")
    window.open_pin_pad()
    for d in "98":
        window.pin_pad.press_digit(d)
    assert window.pin_pad.entered == "98"
    window.reset_session()
    assert window.pin_pad.entered == ""
    assert not window.pin_pad.isVisible()


@pytest.mark.parametrize("touch", ["button", "scrim"])
def test_touch_during_countdown_keeps_the_session(qtbot, window: MainWindow, touch) -> None:
    (line, _) = _fields(window)
    window.show_screen("ideas")
    line.setText("Radwege")
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)
    target = window.idle_overlay.button if touch == "button" else window.idle_overlay
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.rect().topLeft() + target.rect().center() / 4)
    assert not window.idle_overlay.isVisible()
    qtbot.wait(int(window.config.idle.countdown_s * 1000) + 100)  # past the old deadline
    assert window.current_name == "ideas"
    assert line.text() == "Radwege"


def test_input_restarts_the_timer(qtbot, window: MainWindow) -> None:
    (line, _) = _fields(window)
    window.show_screen("ideas")
    line.setFocus()
    timeout_ms = int(window.config.idle.timeout_s * 1000)
    for _ in range(4):  # typing for longer than one timeout keeps the prompt away
        qtbot.wait(timeout_ms // 3)
        qtbot.keyClick(line, Qt.Key.Key_A)
        assert not window.idle_overlay.isVisible()
    assert line.text() == "aaaa"


def test_attract_never_times_out(qtbot, window: MainWindow) -> None:
    assert window.current_name == "attract"
    assert window.idle.timeout is None and not window.idle.active
    qtbot.wait(int((window.config.idle.timeout_s + window.config.idle.countdown_s) * 1000) + 150)
    assert not window.idle_overlay.isVisible()


def test_each_screen_declares_its_timeout(window: MainWindow) -> None:
    idle = window.config.idle
    window.show_screen("drawing")
    assert window.idle.timeout == idle.drawing_timeout_s
    window.show_screen("ideas")
    assert window.idle.timeout == idle.timeout_s
    window.show_screen("attract")
    assert window.idle.timeout is None


def test_pin_pad_on_attract_times_out_too(window: MainWindow) -> None:
    window.open_pin_pad()
    assert window.idle.timeout == window.config.idle.timeout_s


def test_countdown_shows_whole_seconds(qtbot, window: MainWindow) -> None:
    overlay = window.idle_overlay
    overlay.start(15)
    assert overlay.countdown.text() == "15"
    assert "15" in overlay.countdown.accessibleName()
    overlay.stop()


def test_is_input() -> None:
    press = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(1, 1), QPointF(1, 1),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    hover = QMouseEvent(QEvent.Type.MouseMove, QPointF(1, 1), QPointF(1, 1),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    drag = QMouseEvent(QEvent.Type.MouseMove, QPointF(1, 1), QPointF(1, 1),
                       Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    assert is_input(press) and is_input(drag)
    assert not is_input(hover)  # a resting mouse under a new widget is nobody
    assert not is_input(QEvent(QEvent.Type.Paint))


def test_reset_closes_a_dialog_left_open(qtbot, window: MainWindow) -> None:
    """A staff folder picker left open must not greet the next visitor (Escape is locked)."""
    from PySide6.QtWidgets import QApplication, QFileDialog

    window.show_screen("ideas")
    dialog = QFileDialog(window, "Ordner wählen")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert QApplication.activeModalWidget() is dialog
    window.reset_session()
    assert not dialog.isVisible()
    assert QApplication.activeModalWidget() is None
    assert window.current_name == "attract"


def test_the_prompt_gives_twenty_seconds_and_a_big_more_time_button(make_window, jena_config) -> None:
    """WCAG 2.2 (2.2.1): at least 20 s to ask for more time, with one simple action."""
    assert jena_config.idle.countdown_s >= 20
    window = make_window(idle=jena_config.idle, size=(1920, 1080))
    window.show_screen("ideas")
    window.prompt_idle()
    button = window.idle_overlay.button
    assert button.isVisible() and button.text() == "Mehr Zeit" and button.property("role") == "primary"
    assert button.height() >= 96  # the primary size: the biggest target on the card
    assert window.idle_overlay.remaining() > 19
    window.language.set("en")
    assert button.text() == "More time"


def test_a_countdown_under_twenty_seconds_is_a_warning(tmp_path) -> None:
    from kiosk.core.config import load_config_with_warnings

    path = tmp_path / "kiosk.toml"
    path.write_text("[idle]\ncountdown_s = 10\n", encoding="utf-8")
    _, warnings = load_config_with_warnings(path)
    assert [(w.key, w.line) for w in warnings if "WCAG" in w.message] == [("idle.countdown_s", 2)]


def test_the_chime_plays_when_the_prompt_appears(qtbot, make_window, jena_config, tmp_path) -> None:
    """A real process is started with the sound file: here a stand-in player that writes down what it got."""
    import dataclasses
    import stat

    played = tmp_path / "played.txt"
    player = tmp_path / "player"
    player.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{played}"\n', encoding="utf-8")
    player.chmod(player.stat().st_mode | stat.S_IXUSR)
    window = make_window(idle=dataclasses.replace(jena_config.idle, sound=True, sound_player=str(player)))
    window.show_screen("ideas")
    window.prompt_idle()
    qtbot.waitUntil(played.exists, timeout=5000)
    assert played.read_text(encoding="utf-8").strip().endswith("assets/sounds/idle-cue.wav")


def test_without_a_player_the_prompt_comes_silently(make_window, jena_config, tmp_path, caplog) -> None:
    import dataclasses

    window = make_window(idle=dataclasses.replace(jena_config.idle, sound=True,
                                                  sound_player=str(tmp_path / "no-such-player")))
    window.show_screen("ideas")
    window.prompt_idle()
    assert window.idle_overlay.isVisible()
    assert "no sound player found" in caplog.text
