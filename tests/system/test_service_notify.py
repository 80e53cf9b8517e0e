"""The kiosk speaks systemd's notify protocol to a real unix datagram socket given as NOTIFY_SOCKET.

READY=1 comes after the first paint; WATCHDOG=1 comes at a third of WATCHDOG_USEC, from the GUI
thread: while that thread is blocked, the pings stop (and systemd would restart the kiosk).
Runs on the offscreen platform: the protocol does not depend on the display.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.sdnotify import notify, watchdog_interval

pytestmark = pytest.mark.slow


class NotifySocket:
    """What a service manager listens on: every datagram with the monotonic time it arrived."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.2)
        self.got: list[tuple[float, str]] = []
        self._stop = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop:
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.got.append((time.monotonic(), data.decode()))

    def times(self, message: str) -> list[float]:
        return [t for t, m in self.got if message in m.split("\n")]

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def notify_socket(tmp_path) -> Iterator[NotifySocket]:  # noqa: ANN001
    s = NotifySocket(tmp_path / "notify.sock")
    yield s
    s.close()


def test_ready_after_paint_pings_and_silence_while_the_gui_thread_is_blocked(notify_socket, start_kiosk) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": str(notify_socket.path),
           "WATCHDOG_USEC": "300000"}  # a ping every 0.1 s
    env.pop("WATCHDOG_PID", None)
    kiosk = start_kiosk(env)
    painted = kiosk.wait_painted()
    time.sleep(2.0)  # the GUI thread builds the flows just after the paint: a busy second
    (ready,) = notify_socket.times("READY=1")
    assert ready >= painted, "READY=1 before the first paint"
    now = time.monotonic()
    last_second = [t for t in notify_socket.times("WATCHDOG=1") if t > now - 1.0]
    assert len(last_second) >= 5, f"{len(last_second)} pings in a second, not about 10"

    blocked = kiosk.ask("block", s=1.5)["blocking"]
    unblocked = kiosk._next(10)["unblocked"]
    time.sleep(0.5)
    pings = notify_socket.times("WATCHDOG=1")
    during = [t for t in pings if blocked + 0.05 < t < unblocked - 0.05]
    after = [t for t in pings if t > unblocked]
    assert during == [], f"{len(during)} pings while the GUI thread was blocked"
    assert len(after) >= 2, "the pings did not come back after the block"
    assert kiosk.quit() == 0
    assert notify_socket.times("STOPPING=1")


def test_notify_reaches_an_abstract_socket_and_survives_none() -> None:
    name = f"kiosk-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind("\0" + name)
        listener.settimeout(2)
        assert notify("READY=1", {"NOTIFY_SOCKET": "@" + name}) is True
        assert listener.recv(100) == b"READY=1"
    assert notify("READY=1", {}) is False
    assert notify("READY=1", {"NOTIFY_SOCKET": "/nonexistent/notify.sock"}) is False


@pytest.mark.parametrize("env, expected", [
    ({}, None),
    ({"WATCHDOG_USEC": "30000000"}, 10.0),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "100"}, 10.0),   # ourselves
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "50"}, 10.0),    # our parent: cage, the service's main process
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"}, None),     # somebody else's watchdog
    ({"WATCHDOG_USEC": "0"}, None),
    ({"WATCHDOG_USEC": "soon"}, None),
])
def test_watchdog_interval_is_a_third_of_watchdog_usec(env, expected) -> None:
    assert watchdog_interval(env, pid=100, parent=50) == expected
