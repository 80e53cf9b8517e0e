"""Choosing Qt's platform and the preflight's one-line answers (kiosk.app.display)."""

from __future__ import annotations

import socket

import pytest

from kiosk.app.display import (NO_DISPLAY, choose_platform, debian_package, missing_library, preflight,
                               x11_socket)


@pytest.mark.parametrize("display, env, expected", [
    ("auto", {}, None),
    ("auto", {"DISPLAY": ":0"}, "xcb"),
    ("auto", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "wayland"),  # cage with Xwayland: not X11
    ("x11", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "xcb"),
    ("wayland", {"DISPLAY": ":0"}, "wayland"),
    ("auto", {"QT_QPA_PLATFORM": "offscreen"}, "offscreen"),
    ("x11", {"QT_QPA_PLATFORM": "wayland;xcb"}, "wayland"),               # the environment wins
    ("auto", {"QT_QPA_PLATFORM": "vnc:size=800x600"}, "vnc"),
])
def test_choose_platform(display, env, expected) -> None:
    assert choose_platform(display, env) == expected


@pytest.mark.parametrize("soname, package", [
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libEGL.so.1", "libegl1"),
    ("libwayland-client.so.0", "libwayland-client0"),
])
def test_debian_package_of_a_library(soname, package) -> None:
    assert debian_package(soname) == package


def test_the_missing_library_is_read_from_the_loader_error() -> None:
    assert missing_library("libxcb-cursor.so.0: cannot open shared object file: No such file or directory") \
        == "libxcb-cursor.so.0"
    assert missing_library("/usr/lib/x86_64-linux-gnu/libxcb-keysyms.so.1: file too short") == "libxcb-keysyms.so.1"
    assert missing_library("something else went wrong") is None


def test_no_display_names_what_to_install() -> None:
    assert preflight("auto", {}, "linux") == (None, NO_DISPLAY)
    assert "apt-get install xvfb" in NO_DISPLAY and "QT_QPA_PLATFORM=offscreen" in NO_DISPLAY
    assert preflight("auto", {}, "win32") == (None, None)


def test_a_display_nobody_listens_on_is_one_line(tmp_path) -> None:
    platform, problem = preflight("auto", {"DISPLAY": ":473"}, "linux")
    assert platform == "xcb" and "no X server is listening on DISPLAY=:473" in problem
    assert "apt-get install xvfb" in problem
    platform, problem = preflight("auto", {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(tmp_path)}, "linux")
    assert platform == "wayland" and "no Wayland compositor is listening" in problem and "cage" in problem


def test_a_listening_wayland_socket_passes_the_server_check(tmp_path) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(tmp_path / "wayland-7"))
        server.listen()
        platform, problem = preflight("auto", {"WAYLAND_DISPLAY": "wayland-7", "XDG_RUNTIME_DIR": str(tmp_path)},
                                      "linux")
    assert platform == "wayland"
    assert problem is None or "plugin" in problem  # the server is there; only a library could be missing


def test_offscreen_needs_no_server() -> None:
    assert preflight("auto", {"QT_QPA_PLATFORM": "offscreen"}, "linux") == ("offscreen", None)


@pytest.mark.parametrize("display, path", [(":0", "/tmp/.X11-unix/X0"), (":99.0", "/tmp/.X11-unix/X99"),
                                           ("unix:3", "/tmp/.X11-unix/X3"), ("otherhost:0", None)])
def test_x11_socket(display, path) -> None:
    assert x11_socket(display) == path
