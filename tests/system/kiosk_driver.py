"""Runs the real kiosk (``kiosk.app.run_gui``, as ``kiosk run`` does) and lets a test look inside.

Used by the system tests as ``python kiosk_driver.py CONFIG DATA_DIR``: the kiosk starts
exactly as on a terminal (fullscreen, preflight, display watch, systemd notify); the only
addition is a line protocol on stdin/stdout, hooked in right after the window is built:

- out ``{"event": "painted", "t": <monotonic>}`` once the attract screen painted;
- in ``{"cmd": "state"}``: the window's geometry, its screen's and the primary screen's, the scale it laid out at, the
  current screen and ideas step, visibility, fullscreen, active;
- in ``{"cmd": "where", "name": N}``: the global centre of the visible widget named N;
- in ``{"cmd": "text", "name": N}``: the text of the visible input named N;
- in ``{"cmd": "block", "s": S}``: block the GUI thread for S seconds (the watchdog test);
- in ``{"cmd": "grab", "path": P}``: save what the window paints to P;
- in ``{"cmd": "quit"}``: leave as staff do ("exit kiosk").

When the kiosk restarts (another scale factor for a changed screen: kiosk/app/scale.py) the
driver says ``{"event": "restarting"}`` and runs again in the same process, on the same pipes;
the new kiosk says ``painted`` again.

Input goes through the display server (xdotool, the compositor), never through this channel.
"""

from __future__ import annotations

import json
import os
import sys
import time


def _hook(window):  # noqa: ANN001, ANN202 - MainWindow
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

    from ui.shell.main_window import layout_for

    def reply(obj: dict) -> None:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def visible(name: str) -> QWidget | None:
        found = [w for w in window.findChildren(QWidget, name) if w.isVisible()]
        return found[0] if found else None

    def state() -> dict:
        screen = window.screen()
        g, sg = window.geometry(), screen.geometry()
        primary = QApplication.primaryScreen()
        pg = primary.geometry()
        ideas = window.screens.get("ideas")
        flow = getattr(ideas, "flow", None) if window.current_name == "ideas" else None
        handle = window.windowHandle()
        return {"geometry": [g.x(), g.y(), g.width(), g.height()],
                "screen": screen.name(), "screen_geometry": [sg.x(), sg.y(), sg.width(), sg.height()],
                # The screen the kiosk belongs on; where monitors overlap (a mirrored one) Qt may
                # name the larger as the window's screen although the window covers the primary.
                "primary": primary.name(), "primary_geometry": [pg.x(), pg.y(), pg.width(), pg.height()],
                "scale": window.layout_scale, "expected_scale": layout_for(window.width(), window.height(),
                                                                          window.config.kiosk.orientation)[1],
                "portrait": window.portrait, "current": window.current_name,
                "step": flow.current_step() if flow is not None and window.current_name == "ideas" else None,
                "visible": window.isVisible(), "minimized": window.isMinimized(),
                "fullscreen": window.isFullScreen(), "exposed": bool(handle and handle.isExposed()),
                "active": QApplication.applicationState().name, "painted": window.painted,
                "corrections": window.fit.corrections if window.fit else None}

    def handle(line: str) -> None:
        req = json.loads(line)
        cmd = req["cmd"]
        asked = req.get("id")

        def send(obj: dict) -> None:  # an answer names its question: a late one is not taken for the next's
            reply({**obj, "id": asked})
        if cmd == "state":
            send(state())
        elif cmd == "where":
            w = visible(req["name"])
            if w is None:
                send({"found": False})
            else:
                c = w.mapToGlobal(w.rect().center())
                send({"found": True, "x": c.x(), "y": c.y(), "w": w.width(), "h": w.height()})
        elif cmd == "text":
            w = visible(req["name"])
            text = w.text() if isinstance(w, QLineEdit) else w.toPlainText() if isinstance(w, QPlainTextEdit) else None
            send({"text": text})
        elif cmd == "block":
            send({"blocking": time.monotonic()})
            time.sleep(float(req["s"]))
            send({"unblocked": time.monotonic()})
        elif cmd == "grab":
            send({"saved": window.grab().save(req["path"])})
        elif cmd == "quit":
            send({"quitting": True})
            window.exit_kiosk()

    buffer = b""

    def readable() -> None:
        nonlocal buffer
        chunk = os.read(0, 65536)
        if not chunk:
            notifier.setEnabled(False)
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                handle(line.decode())

    notifier = QSocketNotifier(0, QSocketNotifier.Type.Read, window)
    notifier.activated.connect(readable)
    window.first_painted.connect(lambda: reply({"event": "painted", "t": time.monotonic()}))
    return window


def main(argv: list[str]) -> int:
    config, data_dir = argv[1], argv[2]
    from pathlib import Path

    import kiosk.app.run as run
    from kiosk.core.logs import setup_logging

    setup_logging(Path(data_dir))
    build = run.build
    run.build = lambda *a, **kw: _hook(build(*a, **kw))
    code = run.run_gui(config, data_dir)
    if code == run.EXIT_RESTART:  # as `kiosk run` does: the same command line again (a new scale factor)
        sys.stdout.write(json.dumps({"event": "restarting"}) + "\n")
        sys.stdout.flush()
        run.restart_process()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
