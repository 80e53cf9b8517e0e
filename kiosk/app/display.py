"""The display the kiosk runs on: choosing Qt's platform, checking it can start, and
leaving cleanly when it goes away.

- :func:`choose_platform`: ``QT_QPA_PLATFORM`` if set, else ``[kiosk] display``; ``auto`` is
  Wayland when ``WAYLAND_DISPLAY`` is set, X11 when ``DISPLAY`` is (Qt on its own would pick
  X11 through Xwayland under a Wayland compositor that also offers it).
- :func:`preflight`: before the QApplication exists, one clear line instead of Qt's abort:
  no display at all, a display nobody listens on, or a library Qt's platform plugin needs
  (``libxcb-cursor0`` on a minimal Debian), named by its Debian package.
- :func:`watch_display`: when the compositor or X server goes away, Qt says so once and
  exits (X11 with 1, Wayland with 255); this writes one line with the reason to the log and
  exits with :data:`EXIT_DISPLAY_LOST` instead, so a service manager restarts both cleanly.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger("kiosk.app")
qt_log = logging.getLogger("kiosk.qt")

EXIT_DISPLAY_LOST = 4
"""The exit code when the display server went away under the running kiosk."""

PLATFORMS = {"wayland": "wayland", "x11": "xcb"}
"""``[kiosk] display`` value -> Qt platform plugin."""

PLUGIN_FILES = {"xcb": "libqxcb.so", "wayland": "libqwayland.so"}

SERVER_PACKAGES = {"xcb": "xvfb", "wayland": "cage"}

NO_DISPLAY = ("kiosk: no display found (DISPLAY and WAYLAND_DISPLAY are unset); to run without a "
              "screen use QT_QPA_PLATFORM=offscreen kiosk run, or xvfb-run kiosk run "
              "(apt-get install xvfb)")

_LOST = re.compile(r"The (X11|Wayland) connection broke")
_SONAME = re.compile(r"^(lib[A-Za-z0-9_+.-]+?)\.so\.(\d+)")
_PACKAGE_EXCEPTIONS = {"libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libOpenGL.so.0": "libopengl0"}


def choose_platform(display: str = "auto", environ: Mapping[str, str] = os.environ) -> str | None:
    """The Qt platform plugin to use (``xcb``, ``wayland``, ``offscreen``, ...), or None when
    there is no display to use."""
    explicit = environ.get("QT_QPA_PLATFORM", "")
    if explicit:
        return explicit.split(";")[0].split(":")[0]
    if display in PLATFORMS:
        return PLATFORMS[display]
    if environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    if environ.get("DISPLAY"):
        return "xcb"
    return None


def debian_package(soname: str) -> str:
    """The Debian package that ships a shared library, by Debian's naming rule:
    ``libxcb-cursor.so.0`` -> ``libxcb-cursor0``, ``libxkbcommon-x11.so.0`` -> ``libxkbcommon-x11-0``."""
    if soname in _PACKAGE_EXCEPTIONS:
        return _PACKAGE_EXCEPTIONS[soname]
    m = _SONAME.match(soname)
    if not m:
        return soname
    name, version = m.group(1).lower(), m.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def missing_library(error: str) -> str | None:
    """The library named in a dynamic loader error (``libxcb-cursor.so.0: cannot open ...``)."""
    m = re.search(r"(lib[A-Za-z0-9_+.-]+\.so(?:\.\d+)*)\s*:", error)
    return m.group(1) if m else None


def plugin_path(platform: str) -> Path | None:
    """The file of Qt's platform plugin for ``platform``, if Qt ships one."""
    from PySide6.QtCore import QLibraryInfo  # noqa: PLC0415 - Qt's own idea of where its plugins are

    name = PLUGIN_FILES.get(platform)
    if name is None:
        return None
    path = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / name
    return path if path.exists() else None


def check_plugin(platform: str) -> str | None:
    """Load Qt's platform plugin as Qt would; a one-line problem naming the package to install,
    or None when it loads. The process keeps it loaded: Qt loads the same file next."""
    path = plugin_path(platform)
    if path is None:
        return None
    try:
        ctypes.CDLL(str(path), mode=os.RTLD_LAZY)
    except OSError as exc:
        soname = missing_library(str(exc))
        if soname is None:
            return f"kiosk: Qt's {platform} platform plugin cannot be loaded: {exc}"
        package = debian_package(soname)
        return (f"kiosk: Qt's {platform} platform plugin needs {soname}, which is missing or broken; "
                f"install it: apt-get install {package}")
    return None


def x11_socket(display: str) -> str | None:
    """The local socket of an X display like ``:0`` or ``:99.0``; None for a remote one."""
    m = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display)
    return f"/tmp/.X11-unix/X{m.group(1)}" if m else None


def _listening(path: str, *, abstract: bool = False) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        try:
            s.connect(("\0" + path) if abstract else path)
        except OSError:
            return False
    return True


def server_problem(platform: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """One line when the display named in the environment has nobody listening."""
    if platform == "xcb":
        display = environ.get("DISPLAY", "")
        if not display:
            return "kiosk: x11 was chosen but DISPLAY is unset; start an X server (apt-get install xvfb for a virtual one)"
        path = x11_socket(display)
        if path and not (_listening(path, abstract=True) or _listening(path)):
            return (f"kiosk: no X server is listening on DISPLAY={display}; start one "
                    f"(xvfb-run kiosk run, apt-get install xvfb)")
    elif platform == "wayland":
        name = environ.get("WAYLAND_DISPLAY", "") or "wayland-0"
        runtime = environ.get("XDG_RUNTIME_DIR", "")
        path = name if name.startswith("/") else (str(Path(runtime) / name) if runtime else "")
        if not path or not _listening(path):
            return (f"kiosk: no Wayland compositor is listening on {path or name} (XDG_RUNTIME_DIR="
                    f"{runtime or 'unset'}); start the kiosk inside one, e.g. cage -- kiosk run "
                    f"(apt-get install cage)")
    return None


def preflight(display: str = "auto", environ: Mapping[str, str] = os.environ,
              platform_name: str = sys.platform) -> tuple[str | None, str | None]:
    """(platform, problem): the Qt platform to use and one line saying why it cannot start, or None."""
    if not platform_name.startswith("linux"):
        return None, None
    platform = choose_platform(display, environ)
    if platform is None:
        return None, NO_DISPLAY
    if platform not in PLUGIN_FILES:
        return platform, None  # offscreen, vnc, eglfs, ...: Qt's own business
    return platform, server_problem(platform, environ) or check_plugin(platform)


def watch_display(exit_code: int = EXIT_DISPLAY_LOST) -> None:
    """Route Qt's messages into the log; when the display connection breaks, log one line with
    the reason and leave with ``exit_code`` (Qt would exit with 1 or 255 and say nothing in the log)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: PLC0415

    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        lost = _LOST.search(message)
        if lost:
            server = "the X server" if lost.group(1) == "X11" else "the Wayland compositor"
            log.error("display lost: %s went away (%s); exiting with %d", server, message, exit_code)
            for h in logging.getLogger().handlers:
                h.flush()
            os._exit(exit_code)  # Qt would exit() next, from deep inside its event dispatch
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)
