"""The scale factor the kiosk draws a screen at, and when it starts again to change it."""

from __future__ import annotations

import pytest

from kiosk.app.scale import SCALE_ENV, factor_for, restart_needed


@pytest.mark.parametrize(("width", "height", "factor"), [
    (1920, 1080, 1.0), (1080, 1920, 1.0), (3840, 2160, 2.0), (2160, 3840, 2.0), (1280, 720, 0.6667),
    (1024, 600, 0.5556), (1280, 800, 0.7407), (1366, 768, 0.7111), (10, 10, 0.25), (20000, 20000, 4.0),
])
def test_the_short_side_decides(width: int, height: int, factor: float) -> None:
    assert factor_for(width, height) == factor


def test_a_4k_screen_starts_again_at_twice_the_size() -> None:
    assert restart_needed(3840, 2160, "xcb", environ={}) == 2.0


def test_a_1080p_screen_and_a_rotation_need_nothing() -> None:
    assert restart_needed(1920, 1080, "wayland", environ={}) is None
    assert restart_needed(1080, 1920, "wayland", environ={}) is None
    # drawn at 2x, the 4K screen turned to portrait: 1080x1920 logical, still 2x
    assert restart_needed(1080, 1920, "xcb", environ={SCALE_ENV: "2"}, first_start=False) is None


def test_a_factor_from_it_or_from_the_start_before_is_kept() -> None:
    assert restart_needed(3840, 2160, "xcb", environ={SCALE_ENV: "1.5"}) is None


def test_a_new_monitor_with_another_resolution_restarts() -> None:
    # drawn at 2x, the 4K monitor replaced by a 1920x1080 one: Qt reports 960x540 logical
    assert restart_needed(960, 540, "xcb", environ={SCALE_ENV: "2"}, first_start=False) == 1.0


def test_a_made_up_screen_is_not_scaled_to() -> None:
    assert restart_needed(800, 800, "offscreen", environ={}) is None
