"""systemd's service notification protocol (``sd_notify``), in the few lines it takes.

A service started with ``Type=notify`` finds a unix datagram socket in ``NOTIFY_SOCKET``
(a path, or ``@name`` in the abstract namespace) and sends it newline-separated
``KEY=value`` lines: ``READY=1`` once it serves, ``WATCHDOG=1`` at least every
``WatchdogSec`` (given to it as ``WATCHDOG_USEC``), ``STOPPING=1`` on the way out.

No library: the protocol is one ``sendto`` (see sd_notify(3)); the pure-Python
``sdnotify`` package is these lines unmaintained since 2017, and ``systemd-python``
or ``cysystemd`` need libsystemd's headers and a compiler on the terminal.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger("kiosk.app")


def notify(message: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Send ``message`` to the service manager. False when there is none, or it cannot be reached."""
    address = environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as s:
            s.connect(address)
            s.sendall(message.encode("utf-8"))
    except OSError as exc:
        log.warning("cannot notify the service manager at %s: %s", environ.get("NOTIFY_SOCKET"), exc)
        return False
    return True


def watchdog_interval(environ: Mapping[str, str] = os.environ, pid: int | None = None,
                      parent: int | None = None) -> float | None:
    """Seconds between two ``WATCHDOG=1``: a third of ``WATCHDOG_USEC``; None without a watchdog.

    ``WATCHDOG_PID`` names the process the watchdog watches. The kiosk answers for it when that is
    itself or its parent: on a terminal the service's main process is the compositor (cage), which
    started the kiosk and hands it its environment (the unit says ``NotifyAccess=all``).
    """
    try:
        usec = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    owner = environ.get("WATCHDOG_PID", "")
    if owner and owner not in (str(pid or os.getpid()), str(parent or os.getppid())):
        return None
    return usec / 1e6 / 3
