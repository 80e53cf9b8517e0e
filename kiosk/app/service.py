"""The kiosk as a systemd service: ``READY=1`` after the first paint, ``WATCHDOG=1`` from the GUI thread.

The pings come from a QTimer of the GUI thread, not from a thread of their own: a GUI
thread that blocks (a hung call, a deadlock) stops them, and systemd, after ``WatchdogSec``
without one, kills the service and ``Restart=always`` starts it afresh. The protocol
itself is :mod:`kiosk.core.sdnotify`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from PySide6.QtCore import QObject, QTimer

from kiosk.core.sdnotify import notify, watchdog_interval

log = logging.getLogger("kiosk.app")


class ServiceNotifier(QObject):
    """Tells the service manager (if there is one) that the window painted, and that its thread lives."""

    def __init__(self, window, environ: Mapping[str, str] = os.environ) -> None:  # noqa: ANN001 - a MainWindow
        super().__init__(window)
        self._environ = dict(environ)
        self.enabled = bool(self._environ.get("NOTIFY_SOCKET"))
        self.interval = watchdog_interval(self._environ) if self.enabled else None
        if not self.enabled:
            return
        window.first_painted.connect(self.ready)
        window.closed.connect(self.stopping)
        if self.interval is not None:
            self._timer = QTimer(self)
            self._timer.setInterval(max(1, int(self.interval * 1000)))
            self._timer.timeout.connect(self.ping)
            self._timer.start()
            log.info("systemd watchdog: a ping every %.1f s", self.interval)

    def ready(self) -> None:
        notify("READY=1\nSTATUS=the attract screen is showing", self._environ)

    def ping(self) -> None:
        notify("WATCHDOG=1", self._environ)

    def stopping(self) -> None:
        notify("STOPPING=1", self._environ)
