"""The kiosk inside cage, the Wayland kiosk compositor a terminal runs (wlroots headless, pixman).

cage refuses to run as root: it runs as the unprivileged test user, the kiosk from a venv of
/usr/bin/python3 (see conftest). cage's headless output is 1280x720: the kiosk starts again once
to draw at 1280 x 720 / 1080 = 0.6667 (kiosk/app/scale.py), fills the output with its 1080p
layout, and what grim captures from the compositor is what the same app renders offscreen at
that factor.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Kiosk, kiosk_config, user_dir

pytestmark = pytest.mark.slow

@pytest.fixture
def cage_kiosk(cage, kiosk_user, system_python, app_tree):  # noqa: ANN001, ANN201
    """The kiosk (kiosk_driver.py, so the test can ask it about its window) inside cage."""
    started: list[Kiosk] = []

    def start(**kiosk_values) -> tuple:  # noqa: ANN003
        data = user_dir(kiosk_user, "data-")
        config = kiosk_config(data, **kiosk_values)
        compositor = cage([str(system_python), str(app_tree / "kiosk_driver.py"), str(config), str(data)],
                          env={"PYTHONPATH": str(app_tree), "PYTHONUNBUFFERED": "1"},
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        kiosk = Kiosk(compositor.proc, data)
        kiosk.config = config  # type: ignore[attr-defined]
        started.append(kiosk)
        kiosk.wait_painted(60)
        return compositor, kiosk

    yield start


def difference(a: Path, b: Path) -> tuple[float, float]:
    """(mean absolute difference per channel, 0-255; share of pixels that differ by more than 48)."""
    from PySide6.QtGui import QImage

    one, two = QImage(str(a)).convertToFormat(QImage.Format.Format_RGB888), \
        QImage(str(b)).convertToFormat(QImage.Format.Format_RGB888)
    assert (one.width(), one.height()) == (two.width(), two.height())
    x, y = bytes(one.constBits()), bytes(two.constBits())
    total = sum(abs(p - q) for p, q in zip(x, y))
    far = sum(1 for i in range(0, len(x), 3) if max(abs(x[i + k] - y[i + k]) for k in range(3)) > 48)
    return total / len(x), far / (len(x) // 3)


def test_the_attract_screen_fills_cage_and_looks_as_it_does_offscreen(cage_kiosk, tmp_path, keep_shot) -> None:
    compositor, kiosk = cage_kiosk()
    # 1280x720 device pixels at 0.6667: the 1080p layout, 1920x1080 logical pixels
    state = kiosk.wait_state(lambda s: s["geometry"] == s["screen_geometry"] == [0, 0, 1920, 1080], 20,
                             "the kiosk on cage's whole output, drawn at 0.6667")
    assert state["scale"] == state["expected_scale"] == 1.0
    shot = compositor.screenshot(tmp_path / "cage-attract.png")
    keep_shot(shot, "cage-1280x720-attract.png")

    # the same app and config, offscreen, drawn at the same factor (1280x720 pixels)
    subprocess.run([sys.executable, str(Path(__file__).parents[2] / "scripts" / "screenshots.py"), "--only",
                    "attract", "--langs", "de", "--sizes", "1920x1080", "--config", str(kiosk.config),
                    "--out", str(tmp_path)], check=True, capture_output=True, text=True,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "0.6667"})
    mean, far = difference(shot, tmp_path / "attract-de-1920x1080.png")
    assert mean < 2.0 and far < 0.01, f"cage and offscreen differ: mean {mean:.2f}, {far:.1%} of pixels far off"
