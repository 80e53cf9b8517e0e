"""`kiosk demo`: a local receiver and the kiosk against it, the whole loop.

In-process: the app built from the demo's config delivers what it saves to
the demo receiver. As a process: `python -m kiosk demo` starts offscreen, a
contribution saved into its store arrives at its receiver, and SIGTERM (or
--quit-after) ends it cleanly with its temporary data removed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from PySide6.QtWidgets import QApplication

from kiosk.app import build, close
from kiosk.core.config import BUNDLED_CONFIG
from staff_helpers import drawing, idea
from kiosk.cli.demo import DEMO_INTERVAL_S, demo_config, prepare_demo
from sync.receiver import ReceiverSettings, ReceiverThread
from sync_helpers import staff_session

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

REPO = Path(__file__).resolve().parents[2]


def receipt(url: str, token: str, sub_id: str) -> requests.Response:
    return requests.get(f"{url}/api/v1/submissions/{sub_id}", headers={"Authorization": f"Bearer {token}"},
                        timeout=5)


def test_the_app_built_from_the_demo_config_delivers_to_the_demo_receiver(qtbot, tmp_path, jena_config) -> None:
    setup = prepare_demo(tmp_path, jena_config.kiosk.id)
    with ReceiverThread(ReceiverSettings(setup.receiver_dir)) as receiver:
        cfg = demo_config(jena_config, receiver.url + "/api/v1", setup.token_file)
        assert cfg.sync.interval_s == DEMO_INTERVAL_S
        window = build(cfg, setup.kiosk_dir, windowed=True)
        try:
            with qtbot.waitSignal(window.first_painted, timeout=5000):
                window.show()
            qtbot.waitUntil(lambda: window.parts.sync.snapshot().state == "online", timeout=10000)
            sub = drawing(5)
            window.parts.store.add(sub)
            window.parts.sync.wake()
            qtbot.waitUntil(lambda: window.parts.sync.snapshot().sent == 1, timeout=10000)
            token = setup.token_file.read_text().strip()
            got = receipt(receiver.url, token, sub.id)
            assert got.status_code == 200 and got.json()["sha256"] == sub.digest()
            staff = staff_session(receiver.url, "staff", setup.staff_password)  # the staff web app's sign-in
            page = staff.get(receiver.url + "/staff/overview", timeout=5)
            assert page.status_code == 200 and jena_config.kiosk.id in page.text
        finally:
            close(window)
            QApplication.processEvents()
        assert not window.parts.sync.is_running()


def _read_until(stream, pattern: str, timeout: float = 30.0) -> re.Match:  # noqa: ANN001
    end = time.monotonic() + timeout
    seen = []
    while time.monotonic() < end:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if m := re.search(pattern, line):
            return m
    raise AssertionError(f"{pattern!r} not in the demo's output:\n{''.join(seen)}")


def _open_store_when_ready(directory: Path, timeout: float = 20.0):  # noqa: ANN202
    """The kiosk process creates the store; open it once it is there."""
    from kiosk.core.storage import DB_FILENAME, Store

    end = time.monotonic() + timeout
    while not (directory / DB_FILENAME).exists():
        assert time.monotonic() < end, "the demo kiosk made no store"
        time.sleep(0.1)
    time.sleep(0.5)  # the kiosk has created and migrated it before its window shows
    while True:
        try:
            return Store.open_in(directory)
        except Exception:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_kiosk_demo_runs_the_whole_loop_offscreen() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "demo", "--config", str(BUNDLED_CONFIG), "--windowed",
                             "--quit-after", "60"], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = _read_until(proc.stderr, r"Staff web app: (http://127\.0\.0\.1:\d+)/staff/login").group(1)
        base = Path(_read_until(proc.stderr, r"Demo data: (\S+)").group(1))
        data_dir = base / "kiosk"
        token = (data_dir / "sync.token").read_text().strip()
        sub = idea("Mehr Trinkbrunnen am Holzmarkt")
        with _open_store_when_ready(data_dir) as store:
            store.add(sub)  # what the ideas flow does when a visitor sends an idea
        end = time.monotonic() + 10 * DEMO_INTERVAL_S
        while receipt(url, token, sub.id).status_code != 200:
            assert time.monotonic() < end, "the demo kiosk did not deliver the idea"
            time.sleep(0.2)
        assert receipt(url, token, sub.id).json()["sha256"] == sub.digest()
        proc.send_signal(signal.SIGTERM)  # like systemd stop: leaves as "exit kiosk" does
        assert proc.wait(timeout=30) == 0
        assert not base.exists()  # the demo's temporary data is removed
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()


@pytest.mark.slow
def test_kiosk_demo_quits_after_the_given_time() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kiosk", "demo", "--config", str(BUNDLED_CONFIG), "--windowed",
                           "--quit-after", "1.5"], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Demo receiver: http://127.0.0.1:" in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - start < 30
