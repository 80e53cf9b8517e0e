"""Running the kiosk: the QApplication, fullscreen, the event loop, the exit code."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.app.build import build, dispose
from kiosk.core.config import Config, ConfigError
from kiosk.core.paths import APP_NAME

log = logging.getLogger("kiosk.app")

HEADLESS_HINT = ("kiosk: no display found (DISPLAY and WAYLAND_DISPLAY are unset); to run without a "
                 "screen use QT_QPA_PLATFORM=offscreen kiosk run, or xvfb-run kiosk run")

EXIT_RESTART = 3
"""run_gui's exit code when staff chose "restart": ``kiosk run`` re-executes itself
(:func:`restart_process`); a service manager can also restart on it
(systemd: ``RestartForceExitStatus=3``)."""


def restart_process() -> None:
    """Replace this process with a fresh run of the same command line (``kiosk run``'s restart)."""
    argv = [sys.executable, *sys.orig_argv[1:]]
    log.info("restarting: %s", " ".join(argv))
    for handler in logging.getLogger().handlers:  # exec drops unwritten buffers
        handler.flush()
    os.execv(sys.executable, argv)


def has_display(environ: dict[str, str] | os._Environ[str] = os.environ, platform: str = sys.platform) -> bool:
    """False where Qt would abort for want of a display (Linux without X, Wayland or a QPA choice)."""
    if not platform.startswith("linux"):
        return True
    return any(environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_gui(config: str | Path | Config | None, data_dir: str | Path | None, *, windowed: bool = False,
            quit_after_s: float | None = None) -> int:
    """Run the kiosk until staff exit it. Returns the process exit code.

    :data:`EXIT_RESTART` means staff chose "restart" (the caller re-runs or re-executes).
    ``quit_after_s``: leave like "exit kiosk" after that many seconds (smoke runs).
    """
    if not has_display():
        print(HEADLESS_HINT, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    try:
        window = build(config, data_dir, windowed=windowed)
    except ConfigError as exc:
        print("kiosk: the configuration has problems, not starting:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
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
    if quit_after_s is not None:
        QTimer.singleShot(int(quit_after_s * 1000), window.exit_kiosk)
    if windowed:
        window.resize(1280, 720)
        window.show()
    else:
        window.fill_screen()
    code = int(app.exec())
    dispose(window.parts)
    return EXIT_RESTART if window.parts.restart else code
