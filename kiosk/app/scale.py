"""The kiosk is laid out for a 1080 px short side; Qt draws it at the screen's size.

Every screen is designed and checked at 1920x1080 and 1080x1920, and holds at 16:10
(``ui.shell.main_window.layout_for``). Instead of laying every widget out again for each
resolution, the kiosk lets Qt draw it at a device pixel ratio of short side / 1080
(``QT_SCALE_FACTOR``): on a 3840x2160 terminal everything is drawn twice as large and as
sharp, on 1024x600 at 0.56; a touch target of 64 px stays 64 px "at 1080p scale".
``tests/app/test_every_size.py`` walks every screen at every size a terminal has this way.

Qt takes the factor only when the application starts, so :func:`restart_needed` measures
the screen with the application ``kiosk run`` has just made and, where the factor
differs, the kiosk starts itself again with it set (once; ``QT_SCALE_FACTOR`` in the
environment, from IT or from that first start, is kept). When the screen later changes
size so much that the factor would differ (another monitor, another resolution), the
kiosk restarts the same way; a rotation keeps the short side and needs none.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

REFERENCE_SHORT_SIDE = 1080
"""The short side, in pixels, every screen is laid out for."""
SCALE_ENV = "QT_SCALE_FACTOR"
TOLERANCE = 0.02
"""A factor within 2 % of the one in use is the same: no restart for a rounding."""
MIN_FACTOR, MAX_FACTOR = 0.25, 4.0
NO_SCREEN_PLATFORMS = ("offscreen", "minimal")
"""Platforms whose "screen" is made up: nothing to scale to."""


def factor_for(width: int, height: int) -> float:
    """The scale factor for a screen of ``width`` x ``height`` device pixels."""
    short_side = max(1, min(width, height))
    return round(max(MIN_FACTOR, min(MAX_FACTOR, short_side / REFERENCE_SHORT_SIDE)), 4)


def current_factor(environ: Mapping[str, str] = os.environ) -> float:
    """The factor Qt draws with now (1.0 unless ``QT_SCALE_FACTOR`` was set before the start)."""
    try:
        return float(environ.get(SCALE_ENV, "") or 1.0)
    except ValueError:
        return 1.0


def restart_needed(width: int, height: int, platform: str, *, environ: Mapping[str, str] = os.environ,
                   first_start: bool = True) -> float | None:
    """The factor to start again with, or None to go on as we are.

    Args:
        width, height: the screen in the *logical* pixels Qt reports now.
        platform: the Qt platform plugin's name (``xcb``, ``wayland``, ``offscreen``, ...).
        first_start: at the first start a factor set in the environment (by IT, or by the
            start before this one) is kept; later, only a changed screen counts.
    """
    if platform in NO_SCREEN_PLATFORMS:
        return None
    now = current_factor(environ)
    if first_start and SCALE_ENV in environ:
        return None
    wanted = factor_for(round(width * now), round(height * now))
    return wanted if abs(wanted - now) > TOLERANCE * now else None
