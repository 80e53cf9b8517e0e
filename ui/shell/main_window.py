"""The kiosk window: frameless, fullscreen, a stack of screens, two overlays.

It cannot be closed by a visitor: ``closeEvent`` is refused until staff choose
"Exit kiosk" (:meth:`MainWindow.exit_kiosk`). It owns the session: on an idle
timeout it asks "still there?", and when nobody answers :meth:`reset_session`
calls ``reset()`` on *every* screen (not only the visible one), clears the
overlays, returns to the default language and to the attract screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (QAbstractButton, QApplication, QLayout, QMainWindow, QSizePolicy, QStackedWidget,
                               QVBoxLayout,
                               QWidget)

from ui.common.i18n import Language
from ui.shell.idle import IdleWatcher
from ui.shell.reach import ReachPanel, reach_height
from ui.shell.screen_fit import ScreenFit
from ui.common.screen import Screen

if TYPE_CHECKING:
    from ui.shell.idle_overlay import IdleOverlay
    from ui.shell.pin_pad import PinPad

log = logging.getLogger("kiosk.ui")

HOME = "attract"


def touch_focus(root: QWidget) -> None:
    """Buttons take focus from the keyboard (Tab) only: a tap leaves no focus frame behind."""
    for button in root.findChildren(QAbstractButton):
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)


def layout_for(width: int, height: int, orientation: str = "auto") -> tuple[bool, float]:
    """(portrait?, scale) for a window size: scale 1.0 is a 1080 px short side with a long side of
    at least 1728 (16:9 and 16:10 alike: every screen is laid out to hold at both). On a terminal
    Qt already scales the window to a 1080 px short side (kiosk/app/scale.py), so this is 1.0
    there; a development window of another size gets the same look scaled."""
    portrait = orientation == "portrait" or (orientation == "auto" and height > width)
    across, along = (width, height) if portrait else (height, width)
    scale = min(across / 1080, along / 1728)
    return portrait, max(0.5, min(2.0, round(scale * 20) / 20))


class MainWindow(QMainWindow):
    """Signals:
        screen_changed(str): the current screen's name after a change.
        session_reset(): everything of the last visitor was discarded.
        first_painted(): the home screen painted for the first time.
        closed(): the window really closed (staff chose to exit).
    """

    screen_changed = Signal(str)
    session_reset = Signal()
    first_painted = Signal()
    closed = Signal()

    def __init__(self, config, language: Language, idle: IdleWatcher, *,  # noqa: ANN001
                 windowed: bool = False, stylesheet: Callable[[float], str] | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle(language.text(config.event.name) or "Kiosk")
        self.config = config
        self.language = language
        self.idle = idle
        self.windowed = windowed
        self._stylesheet = stylesheet
        self._scale: float | None = None
        self._sound = None  # the idle chime, made when first played
        self._portrait: bool | None = None
        self._exit_allowed = False
        self._painted = False
        if not windowed:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAcceptDrops(False)
        self.stack = QStackedWidget()
        self.stack.setObjectName("screen_stack")
        # The stack gets exactly its share of the window (all of it, or the lower part in reach
        # mode), whatever its screens' minimums say: tests/app/test_every_size.py checks they fit.
        self.stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.reach_panel = ReachPanel(config, language)
        self.reach_panel.hide()
        central = QWidget()
        central.setObjectName("main_central")
        self._central = QVBoxLayout(central)
        self._central.setContentsMargins(0, 0, 0, 0)
        self._central.setSpacing(0)
        self._central.addWidget(self.reach_panel)
        self._central.addWidget(self.stack)
        self.setCentralWidget(central)
        self._reach = False
        self.screens: dict[str, Screen] = {}
        self._idle_overlay: IdleOverlay | None = None  # built when first needed, not to paint
        # The window's size is the screen's; don't let content minimums reach the platform.
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._pin_pad: PinPad | None = None
        self._make_pin_pad: Callable[[], PinPad] | None = None
        self.fit: ScreenFit | None = None
        self._apply_layout(1920, 1080)

    # -------------------------------------------------------------- screens

    def add_screen(self, screen: Screen) -> Screen:
        if not screen.name or screen.name in self.screens:
            raise ValueError(f"screen name {screen.name!r} is empty or taken")
        self.screens[screen.name] = screen
        self.stack.addWidget(screen)
        screen.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        screen.set_portrait(bool(self._portrait))
        screen.set_reach(self.reach_active)
        screen.retranslate()
        touch_focus(screen)
        if screen.name == HOME:
            screen.painted_once.connect(self._on_first_paint)
        screen.idle_timeout_changed.connect(lambda s=screen: self._screen_timeout_changed(s))
        return screen

    def set_pin_pad(self, make: Callable[[], PinPad]) -> None:
        """``make()`` builds the staff PIN pad when :attr:`pin_pad` is first asked for:
        opening it, or the app just after the first paint (it is not needed to paint)."""
        self._pin_pad, self._make_pin_pad = None, make

    @property
    def pin_pad(self) -> PinPad | None:
        """The staff PIN pad (built now if it was not yet), or None without one."""
        if self._pin_pad is None and self._make_pin_pad is not None:
            make, self._make_pin_pad = self._make_pin_pad, None
            pad = make()
            touch_focus(pad)
            pad.setGeometry(self.rect())
            pad.set_reach(self.reach_active)
            self._pin_pad = pad
        return self._pin_pad

    @property
    def pin_pad_built(self) -> bool:
        return self._pin_pad is not None

    @property
    def idle_overlay(self) -> IdleOverlay:
        """The "still there?" overlay, built now if it was not yet (the app has it built
        just after the first paint). Its buttons lead back here: continue or reset."""
        if self._idle_overlay is None:
            from ui.shell.idle_overlay import IdleOverlay  # noqa: PLC0415 - not needed to paint

            overlay = IdleOverlay(self, self.language)
            touch_focus(overlay)
            overlay.setGeometry(self.rect())
            overlay.set_reach(self.reach_active)
            overlay.continued.connect(self.resume_session)
            overlay.expired.connect(self.reset_session)
            self._idle_overlay = overlay
        return self._idle_overlay

    @property
    def idle_overlay_built(self) -> bool:
        return self._idle_overlay is not None

    def _prompting(self) -> bool:
        """The "still there?" overlay is showing (one not built yet is not)."""
        return self._idle_overlay is not None and self._idle_overlay.isVisible()

    def _stop_prompt(self) -> None:
        if self._idle_overlay is not None:
            self._idle_overlay.stop()

    @property
    def current_name(self) -> str:
        w = self.stack.currentWidget()
        return w.name if isinstance(w, Screen) else ""

    @property
    def current_screen(self) -> Screen | None:
        w = self.stack.currentWidget()
        return w if isinstance(w, Screen) else None

    def show_screen(self, name: str) -> None:
        screen = self.screens.get(name)
        if screen is None:
            log.error("no screen named %r", name)
            return
        changed = self.stack.currentWidget() is not screen
        self.stack.setCurrentWidget(screen)
        if self._reach:
            self._apply_reach()  # the staff screen keeps its layout
        self.setFocus()  # no button starts focused: Tab moves in, a tap leaves no frame
        screen.entered()
        self._update_idle()
        if changed:
            self.screen_changed.emit(name)

    def go_home(self) -> None:
        self.show_screen(HOME)

    def retranslate(self) -> None:
        self.reach_panel.retranslate()
        for screen in self.screens.values():
            screen.retranslate()
        if self._idle_overlay is not None:  # one built later is translated then
            self._idle_overlay.retranslate()
        if self._pin_pad is not None:  # one built later is translated then
            self._pin_pad.retranslate()

    # -------------------------------------------------------------- session

    def prompt_idle(self) -> None:
        """The visitor has not touched anything for the screen's timeout."""
        if self._current_timeout() is None:
            return
        self.idle_overlay.start(self.config.idle.countdown_s)
        if self.config.idle.sound:
            if self._sound is None:
                from ui.shell.sound_cue import SoundCue  # noqa: PLC0415 - only where it is switched on

                self._sound = SoundCue(self.config.idle.sound_player)
            self._sound.play()

    def resume_session(self) -> None:
        """Somebody touched the screen during the countdown: carry on."""
        if self._prompting():
            self._stop_prompt()
        self.idle.set_timeout(self._current_timeout())

    def reset_session(self) -> None:
        """Discard everything of this visitor, everywhere, and go back to the start."""
        self._close_dialogs()
        self._stop_prompt()
        if self._pin_pad is not None:  # one not built yet has nothing to forget
            self._pin_pad.reset()
        for screen in self.screens.values():
            screen.reset()
        self.language.reset()
        self.set_reach(False)
        self.go_home()
        self.session_reset.emit()

    @staticmethod
    def _close_dialogs() -> None:
        """Close every dialog, menu and popup (a staff folder picker left open, a combo list).

        The kiosk lock swallows Escape, so a dialog left behind would stay in front
        of the next visitor with nothing to close it.
        """
        from PySide6.QtWidgets import QDialog  # noqa: PLC0415 - not needed to paint

        for _ in range(10):  # stacked modals close one by one
            widget = QApplication.activeModalWidget() or QApplication.activePopupWidget()
            if widget is None:
                break
            if isinstance(widget, QDialog):
                widget.reject()
            widget.close()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    def _current_timeout(self) -> float | None:
        screen = self.current_screen
        timeout = screen.idle_timeout() if screen else None
        if timeout is None and self._pin_pad is not None and self._pin_pad.isVisible():
            timeout = self.config.idle.timeout_s
        return timeout

    def _screen_timeout_changed(self, screen: Screen) -> None:
        """A screen's sub-page changed (e.g. drawing → form → thanks): use its timeout from now on."""
        if screen is self.current_screen and not self._prompting():
            self.idle.set_timeout(self._current_timeout())

    def _update_idle(self) -> None:
        self._stop_prompt()
        self.idle.set_timeout(self._current_timeout())

    # -------------------------------------------------------------- staff

    def open_pin_pad(self) -> None:
        if self.pin_pad is None or self.pin_pad.isVisible() or self._prompting():
            return
        self.pin_pad.open()
        self._update_idle()

    def pin_pad_closed(self) -> None:
        self._update_idle()

    def fill_screen(self) -> None:
        """Show the kiosk on the whole of its screen and keep it there (:class:`ScreenFit`):
        with or without a window manager, through screen changes and "show desktop"."""
        if self.fit is None:
            self.fit = ScreenFit(self, self.relayout, allowed=lambda: not self._exit_allowed)
        self.fit.show()

    def exit_kiosk(self) -> None:
        """Staff chose to leave: the one way this window closes."""
        self._exit_allowed = True
        self.close()

    # -------------------------------------------------------------- Qt events

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._exit_allowed:
            log.info("close refused: the kiosk is locked")
            event.ignore()
            return
        self.idle.stop()
        self._stop_prompt()
        event.accept()
        self.closed.emit()

    def _on_window_state(self, state: Qt.WindowState) -> None:
        if not self.windowed and not self._exit_allowed and state & Qt.WindowState.WindowMinimized:
            QTimer.singleShot(0, self.showFullScreen)  # a window manager shortcut minimised us

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.relayout()  # from the real size: event.size() can be a stale one

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        QTimer.singleShot(0, self, self.relayout)  # checked again once shown

    def relayout(self) -> None:
        """Lay out (scale, portrait, overlays) from the window's size as it is now."""
        self._apply_layout(self.width(), self.height())
        if self.reach_active:
            self._apply_reach()  # the panel's height follows the window's
        for overlay in (self._idle_overlay, self._pin_pad):
            if overlay is not None and overlay.geometry() != self.rect():
                overlay.setGeometry(self.rect())

    @property
    def layout_scale(self) -> float | None:
        """The scale the screens are laid out at (1.0 is 1920x1080)."""
        return self._scale

    @property
    def portrait(self) -> bool:
        return bool(self._portrait)

    def _apply_layout(self, width: int, height: int) -> None:
        portrait, scale = layout_for(width, height, self.config.kiosk.orientation)
        if scale != self._scale and self._stylesheet is not None:
            self._scale = scale
            self.setStyleSheet(self._stylesheet(scale))
        if portrait != self._portrait:
            self._portrait = portrait
            for screen in self.screens.values():
                screen.set_portrait(portrait)
            self._apply_reach()

    # -------------------------------------------------------------- reach

    @property
    def reach_active(self) -> bool:
        """Reachability mode is on and applies: the visitor asked for it on a portrait screen
        (``ui.shell.reach``); a landscape screen and the staff screens keep their layout."""
        return self._reach and bool(self._portrait) and self.current_name != "staff"

    def set_reach(self, on: bool) -> None:
        """The visitor's reach toggle (the next visitor starts without it)."""
        if on != self._reach:
            self._reach = on
            log.info("reachability mode %s", "on" if on else "off")
            self._apply_reach()

    def _apply_reach(self) -> None:
        active = self.reach_active
        self.reach_panel.setVisible(active)
        # A fixed height, not stretch factors: a stack whose screens wrap text asks for its height
        # for its width, and a box layout would give it that rather than its share.
        self.reach_panel.setFixedHeight(max(0, self.height() - reach_height(self.width(), self.height()))
                                        if active else 0)
        for screen in self.screens.values():
            screen.set_reach(active)
        for overlay in (self._idle_overlay, self._pin_pad):
            if overlay is not None:
                overlay.set_reach(active)

    def _on_first_paint(self) -> None:
        # No Python event handler runs for every event before this point: the
        # app-wide filters are installed on first_painted (kiosk.app), when a
        # visitor can first see, and touch, anything.
        if self._painted:
            return
        self._painted = True
        QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.relayout()  # the size it painted at is the one to check
        self.first_painted.emit()
        handle = self.windowHandle()  # the first call makes QWindow's Python type: not before the paint
        if handle is not None:
            handle.windowStateChanged.connect(self._on_window_state)

    @property
    def painted(self) -> bool:
        return self._painted
