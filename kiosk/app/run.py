"""Running the kiosk: the display, the QApplication, fullscreen, the event loop, the exit code."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.app.build import build, dispose
from kiosk.app.display import EXIT_DISPLAY_LOST, NO_DISPLAY, preflight, watch_display
from kiosk.app.scale import SCALE_ENV, current_factor, restart_needed
from kiosk.app.service import ServiceNotifier
from kiosk.core.config import Config, ConfigError, find_config, load_config
from kiosk.core.logs import to_file
from kiosk.core.paths import APP_NAME

log = logging.getLogger("kiosk.app")

HEADLESS_HINT = NO_DISPLAY

EXIT_RESTART = 3
"""run_gui's exit code when staff chose "restart": ``kiosk run`` re-executes itself
(:func:`restart_process`); a service manager can also restart on it
(systemd: ``RestartForceExitStatus=3``)."""

__all__ = ["EXIT_DISPLAY_LOST", "EXIT_RESTART", "HEADLESS_HINT", "restart_process", "run_gui"]


def restart_process() -> None:
    """Replace this process with a fresh run of the same command line (``kiosk run``'s restart)."""
    argv = [sys.executable, *sys.orig_argv[1:]]
    log.info("restarting: %s", " ".join(argv))
    for handler in logging.getLogger().handlers:  # exec drops unwritten buffers
        handler.flush()
    os.execv(sys.executable, argv)


def _start_scaled(app: QApplication) -> None:
    """Start again with the scale factor this screen wants (see kiosk/app/scale.py), if it is
    another than the one Qt draws with; on a failed exec, go on unscaled."""
    size = app.primaryScreen().size()
    factor = restart_needed(size.width(), size.height(), app.platformName())
    if factor is None:
        return
    os.environ[SCALE_ENV] = f"{factor:g}"
    log.info("screen %dx%d: drawing at %g x, starting again with %s=%g", size.width(), size.height(),
             current_factor(), SCALE_ENV, factor)
    try:
        restart_process()
    except OSError as exc:
        log.error("could not start again scaled (%s); going on at %g x", exc, current_factor())


def _restart_when_rescaled(app: QApplication, window) -> None:  # noqa: ANN001 - MainWindow
    """When the screen changes so much that it wants another scale factor, leave with EXIT_RESTART
    (``kiosk run`` starts again, with the new factor in the environment)."""
    def check(*_: object) -> None:
        size = app.primaryScreen().size()
        factor = restart_needed(size.width(), size.height(), app.platformName(), first_start=False)
        if factor is not None and not window.parts.restart:
            log.warning("the screen is now %dx%d: restarting to draw at %g x", size.width(), size.height(), factor)
            os.environ[SCALE_ENV] = f"{factor:g}"
            window.parts.restart = True
            window.exit_kiosk()

    app.primaryScreenChanged.connect(lambda screen: (screen.geometryChanged.connect(check), check()))
    app.primaryScreen().geometryChanged.connect(check)


def _config_problems(exc: ConfigError) -> int:
    print("kiosk: the configuration has problems, not starting:", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    return 2


def run_gui(config: str | Path | Config | None, data_dir: str | Path | None, *, windowed: bool = False,
            quit_after_s: float | None = None) -> int:
    """Run the kiosk until staff exit it. Returns the process exit code.

    :data:`EXIT_RESTART` means staff chose "restart" (the caller re-runs or re-executes).
    1: no display, or Qt's platform plugin cannot load (one line says which package is missing).
    2: the configuration is broken. When the display goes away under the running kiosk the
    process leaves with :data:`EXIT_DISPLAY_LOST` (:func:`kiosk.app.display.watch_display`).
    ``quit_after_s``: leave like "exit kiosk" after that many seconds (smoke runs).
    """
    try:
        cfg = config if isinstance(config, Config) else load_config(find_config(str(config) if config else None))
    except ConfigError as exc:
        return _config_problems(exc)
    if QApplication.instance() is None:
        platform, problem = preflight(cfg.kiosk.display)
        if problem:
            print(problem, file=sys.stderr)
            to_file(log, logging.ERROR, problem.removeprefix("kiosk: "))
            return 1
        if platform and not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = platform  # Qt alone would take X11 (Xwayland) under cage
        watch_display()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    if not windowed:
        _start_scaled(app)  # returns only when the screen needs no other scale factor
    try:
        window = build(cfg, data_dir, windowed=windowed)
    except ConfigError as exc:
        return _config_problems(exc)
    except OSError as exc:
        print(f"kiosk: cannot start: {exc}", file=sys.stderr)
        return 1
    import signal  # noqa: PLC0415 - not needed to build (or paint)

    # SIGTERM (systemd stop) and Ctrl+C leave like "Exit kiosk"; the timer lets Python run handlers.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: window.exit_kiosk())
    heartbeat = QTimer(window)
    heartbeat.start(300)
    heartbeat.timeout.connect(lambda: None)
    window.first_painted.connect(lambda: log.info(
        "first paint: %dx%d on %s (%s), scale %s", window.width(), window.height(), app.platformName(),
        window.screen().name(), window.layout_scale))
    # Leave when the window closed, even one a window manager had hidden or that a screen
    # change had unmapped: Qt quits on "last window closed" only for a window still visible.
    window.closed.connect(app.quit, Qt.ConnectionType.QueuedConnection)
    ServiceNotifier(window)  # READY=1 after the first paint, WATCHDOG=1 from this thread
    if quit_after_s is not None:
        QTimer.singleShot(int(quit_after_s * 1000), window.exit_kiosk)
    if windowed:
        window.resize(1280, 720)
        window.show()
    else:
        _restart_when_rescaled(app, window)
        window.fill_screen()
    code = int(app.exec())
    dispose(window.parts)
    return EXIT_RESTART if window.parts.restart else code
