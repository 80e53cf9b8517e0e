"""The display goes away under the running kiosk, or was never usable.

Killed compositor or X server: kiosk.log gets one line with the reason, and the kiosk leaves
with EXIT_DISPLAY_LOST (4), so that the service restarts it together with its display.
A library Qt's xcb plugin needs is missing: one line naming the package, exit 1.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from conftest import ROOT, kiosk_config, need, need_qt_xcb, need_root, stop, user_dir, wait_for

from kiosk.app import EXIT_DISPLAY_LOST

pytestmark = pytest.mark.slow


def lost_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "display lost" in line]


def test_a_killed_x_server_is_logged_once_and_exits_4(xvfb, start_kiosk) -> None:
    need_qt_xcb()
    x = xvfb(1280, 720)
    kiosk = start_kiosk(x.env)
    kiosk.wait_painted()
    stop(x.proc, signal.SIGKILL)
    assert kiosk.proc.wait(20) == EXIT_DISPLAY_LOST
    (line,) = lost_lines(kiosk.log())
    assert "ERROR kiosk.app: display lost: the X server went away" in line and "exiting with 4" in line


def test_a_killed_compositor_is_logged_once_and_exits_4(cage, kiosk_user, system_python, app_tree) -> None:
    data = user_dir(kiosk_user, "data-")
    config = kiosk_config(data)
    run = (f"import subprocess; code = subprocess.call([{str(system_python)!r}, '-m', 'kiosk', 'run', "
           f"'--config', {str(config)!r}, '--data-dir', {str(data)!r}]); "
           f"open({str(data / 'exit-code')!r}, 'w').write(str(code))")
    compositor = cage([str(system_python), "-c", run], env={"PYTHONPATH": str(app_tree)})
    log = data / "kiosk.log"
    wait_for(lambda: log.exists() and "first paint" in log.read_text(), 60, "the kiosk's first paint under cage")
    stop(compositor.proc, signal.SIGKILL)
    wait_for(lambda: (data / "exit-code").exists(), 20, "the kiosk to exit")
    assert (data / "exit-code").read_text() == str(EXIT_DISPLAY_LOST)
    (line,) = lost_lines(log.read_text())
    assert "display lost: the Wayland compositor went away" in line and "exiting with 4" in line


def test_a_missing_qt_library_is_one_line_naming_the_package(xvfb, tmp_path) -> None:
    """libxcb-cursor0 hidden in a mount namespace of its own (bound over with an empty file)."""
    need("unshare")
    need_root("hide a library in a mount namespace")
    need_qt_xcb()
    x = xvfb(800, 600)
    lib = subprocess.run(["sh", "-c", "readlink -f $(ldconfig -p | awk '/libxcb-cursor.so.0 /{print $NF; exit}')"],
                         capture_output=True, text=True).stdout.strip()
    assert lib, "libxcb-cursor.so.0 is not installed"
    env = {**x.env, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", f'mount --bind /dev/null "{lib}" && exec "$@"', "-",
                           sys.executable, "-m", "kiosk", "run", "--config", str(kiosk_config(tmp_path)),
                           "--data-dir", str(tmp_path / "data")],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("kiosk:")]
    assert lines == ["kiosk: Qt's xcb platform plugin needs libxcb-cursor.so.0, which is missing or broken; "
                     "install it: apt-get install libxcb-cursor0"]
    assert "Traceback" not in proc.stderr and "qt.qpa" not in proc.stderr
