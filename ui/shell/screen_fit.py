"""Keeping the kiosk window on the whole of its screen, with or without a window manager.

``showFullScreen()`` only *asks* a window manager for fullscreen; with none (xinit,
``xvfb-run``) nothing happens and the window keeps the size of its contents. So
:class:`ScreenFit` sets the screen's full geometry itself before showing, checks again
once shown (and a little later, for a window manager that settles late), and follows the
screen: a new resolution or rotation (``QScreen.geometryChanged``), the window moved to
another screen, a monitor plugged in or unplugged (the kiosk lives on the primary screen).

On X11 it also takes the window back when something hid it: a window manager's "show
desktop" (openbox's Super+D) or a minimise shortcut. Each time the application loses the active
window it raises and activates itself once (no loop: with no window manager to give it
focus it simply stays where it is).

After each of these the window lays itself out again from its real size (``relayout``),
not from the size a resize event carried: Qt can deliver a stale one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger("kiosk.ui")

SETTLE_CHECKS_MS = (0, 250, 1000, 3000)
"""When to look again after showing: a window manager may apply fullscreen a little later."""

MISSES_BEFORE_PLACING = 2
"""Corrections for one screen geometry after which the window manager is taken to keep the
fullscreen window on another monitor, and the kiosk places its frameless window by hand."""
MAX_MISSES = 8
"""After this many corrections for one screen geometry the kiosk stops fighting the window manager."""

RECLAIM_DELAY_MS = 300
"""How long after losing the active window before taking it back (a staff dialog of our own
becomes active within this time, and is left alone)."""


class ScreenFit(QObject):
    """Makes ``window`` cover the primary screen and keep covering it.

    ``relayout()`` is called after every check, to lay out from the window's real size.
    ``allowed()`` says whether the kiosk may still take the screen back (False once staff
    chose to exit).
    """

    def __init__(self, window: QWidget, relayout: Callable[[], None],
                 allowed: Callable[[], bool] = lambda: True) -> None:
        super().__init__(window)
        self._window = window
        self._relayout = relayout
        self._allowed = allowed
        self._screen: QScreen | None = None
        self._app = QGuiApplication.instance()
        self.corrections = 0
        """How often the window had to be put back on its screen's geometry (for the log and tests)."""
        self._missed: tuple[QRect, int] = (QRect(), 0)
        self.placed_by_hand = False
        """The window manager kept the fullscreen window on another monitor (two monitors that
        overlap, as a mirrored one does): the kiosk left fullscreen and placed itself."""

    # ------------------------------------------------------------ showing

    def target(self) -> QScreen | None:
        """The screen the kiosk belongs on: the primary one."""
        return QGuiApplication.primaryScreen()

    def show(self) -> None:
        """Show the window fullscreen on its screen, with the screen's geometry set by hand too."""
        screen = self.target()
        if screen is not None:
            self._window.setGeometry(screen.geometry())
        self._window.showFullScreen()
        handle = self._window.windowHandle()
        if screen is not None and handle is not None and handle.screen() is not screen:
            handle.setScreen(screen)
        self._follow(screen)
        self._app.screenAdded.connect(self._screens_changed)
        self._app.screenRemoved.connect(self._screens_changed)
        self._app.primaryScreenChanged.connect(self._screens_changed)
        self._app.applicationStateChanged.connect(self._state_changed)
        if handle is not None:
            handle.screenChanged.connect(self._screens_changed)
        for ms in SETTLE_CHECKS_MS:
            QTimer.singleShot(ms, self, self.check)

    def _follow(self, screen: QScreen | None) -> None:
        if screen is self._screen:
            return
        if self._screen is not None:
            try:
                self._screen.geometryChanged.disconnect(self._geometry_changed)
            except (RuntimeError, TypeError):
                pass  # a screen that was unplugged is already gone
        self._screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self._geometry_changed)

    def _geometry_changed(self, geometry: QRect) -> None:
        log.info("the screen changed to %dx%d%+d%+d", geometry.width(), geometry.height(), geometry.x(), geometry.y())
        QTimer.singleShot(0, self, self.check)

    def _screens_changed(self, *_: object) -> None:
        QTimer.singleShot(0, self, self.check)

    # ------------------------------------------------------------ checking

    def check(self) -> None:
        """Put the window back on the whole of its screen if it is not, then lay out from its real size."""
        if not self._allowed():
            return
        screen = self.target()
        if screen is None:
            return
        if screen is not self._screen:
            log.info("the kiosk moves to screen %s", screen.name())
            handle = self._window.windowHandle()
            if handle is not None:
                handle.setScreen(screen)
            self._follow(screen)
        want = screen.geometry()
        if self._window.geometry() != want:  # (cage never grants the fullscreen state: the size is what counts)
            self._correct(screen, want)
        else:
            self._missed = (want, 0)
        self._relayout()

    def _correct(self, screen: QScreen, want: QRect) -> None:
        got = self._window.geometry()
        misses = self._missed[1] + 1 if self._missed[0] == want else 1
        self._missed = (want, misses)
        if misses > MAX_MISSES:
            return  # logged once below; a window manager that insists wins rather than a loop
        self.corrections += 1
        log.info("window %dx%d%+d%+d, screen %s %dx%d%+d%+d: filling it", got.width(), got.height(),
                 got.x(), got.y(), screen.name(), want.width(), want.height(), want.x(), want.y())
        if misses >= MISSES_BEFORE_PLACING and self._window.isFullScreen():
            # An X11 window manager fullscreens onto the monitor it thinks holds the window: where two
            # monitors overlap (a mirrored one) it may take the larger. Leave its fullscreen state and
            # place the frameless window by hand, as with no window manager.
            log.info("the window manager keeps the window off screen %s: placing it by hand", screen.name())
            self.placed_by_hand = True
            self._window.showNormal()
        self._window.setGeometry(want)
        if not self.placed_by_hand and not self._window.isFullScreen():
            self._window.showFullScreen()
        if misses == MAX_MISSES:
            log.warning("the window manager keeps moving the kiosk off screen %s; leaving it", screen.name())
        else:
            QTimer.singleShot(SETTLE_CHECKS_MS[1], self, self.check)  # did it hold?

    # ------------------------------------------------------------ taking the screen back

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        # Only X11 window managers hide or minimise a client; a Wayland kiosk compositor does not,
        # and a Wayland client could not take the focus back anyway.
        if state != Qt.ApplicationState.ApplicationActive and QGuiApplication.platformName() == "xcb":
            QTimer.singleShot(RECLAIM_DELAY_MS, self, self.reclaim)

    def reclaim(self) -> None:
        """Hidden, minimised or no longer active: show it again, in front, and ask for the focus."""
        if not self._allowed() or self._app.applicationState() == Qt.ApplicationState.ApplicationActive:
            return
        window = self._window
        handle = window.windowHandle()
        hidden = handle is not None and not handle.isExposed()
        log.info("the kiosk lost the screen (%s); taking it back",
                 "minimised" if window.isMinimized() else "hidden" if hidden else "not active")
        if hidden and not window.isMinimized():
            # Hidden by the window manager ("show desktop"), though still mapped as far as Qt
            # knows: map it anew, which a window manager shows (and leaves "show desktop" for).
            window.hide()
        if window.isMinimized() or not window.isVisible():
            if self.placed_by_hand:
                window.showNormal()
            else:
                window.showFullScreen()
        window.raise_()
        window.activateWindow()
        QTimer.singleShot(0, self, self.check)
