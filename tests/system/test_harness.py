"""The harness itself: what a missing tool says, that CI installs every package it names, the D-Bus bus."""

from __future__ import annotations

import socket

import conftest
import pytest
from _pytest.outcomes import Failed, Skipped


def test_a_missing_tool_skips_with_the_exact_apt_get_line(monkeypatch) -> None:
    monkeypatch.setitem(conftest.PACKAGES, "kiosk-no-such-tool", "kiosk-no-such-package")
    monkeypatch.setattr(conftest, "REQUIRED", False)
    with pytest.raises(Skipped, match="needs kiosk-no-such-tool: apt-get install -y kiosk-no-such-package$"):
        conftest.need("kiosk-no-such-tool", "sh")


def test_a_missing_tool_fails_when_system_tests_are_required(monkeypatch) -> None:
    monkeypatch.setitem(conftest.PACKAGES, "kiosk-no-such-tool", "kiosk-no-such-package")
    monkeypatch.setattr(conftest, "REQUIRED", True)
    with pytest.raises(Failed, match="KIOSK_SYSTEM_TESTS=required.*apt-get install -y kiosk-no-such-package"):
        conftest.need("kiosk-no-such-tool")


def test_ci_installs_every_package_the_harness_names() -> None:
    script = (conftest.ROOT / ".ci" / "system-packages").read_text(encoding="utf-8")
    listed = set(script.split("packages=(", 1)[1].split(")", 1)[0].split())
    named = set(conftest.PACKAGES.values()) | set(conftest.QT_XCB_PACKAGES) | set(conftest.ATSPI_PYTHON_PACKAGES)
    assert named - listed == set()
    ci = (conftest.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./.ci/system-packages" in ci and "KIOSK_SYSTEM_TESTS=required" in ci


def test_the_dbus_session_bus_answers(dbus_session) -> None:
    """For the accessibility tests (AT-SPI) that run on this harness."""
    assert dbus_session.startswith("unix:")
    params = dict(p.split("=", 1) for p in dbus_session[5:].split(","))
    path = ("\0" + params["abstract"]) if "abstract" in params else params["path"]
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(path)
        s.sendall(b"\0AUTH\r\n")
        assert s.recv(100).startswith(b"REJECTED")  # a D-Bus server listing its auth mechanisms
