"""Colours and stylesheets from config branding, sizes from one scale, all in one module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.core.config import BrandingConfig
from ui.common import theme

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("bg, expected", [("#004a87", "#ffffff"), ("#e5a000", "#1b1f24"), ("#f5f3ee", "#1b1f24")])
def test_on_color_picks_the_readable_one(bg, expected) -> None:
    assert theme.on_color(bg) == expected


def test_contrast_ratio_known_values() -> None:
    assert theme.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


def test_palette_text_is_readable(jena_config) -> None:
    p = theme.Palette.from_branding(jena_config.branding)
    assert theme.contrast_ratio(p.on_primary, p.primary) >= 4.5
    assert theme.contrast_ratio(p.on_accent, p.accent) >= 4.5
    assert theme.contrast_ratio(p.muted, p.background) >= 4.5


def test_stylesheet_uses_branding_and_touch_sizes() -> None:
    qss = theme.stylesheet(BrandingConfig(primary_color="#123456", accent_color="#abcdef"))
    assert "#123456" in qss and "#abcdef" in qss
    heights = [int(h) for h in re.findall(r"min-height: (\d+)px", qss)]
    assert min(heights) >= theme.MIN_TOUCH_PX - 24  # only labels go below 64 (pin message)
    assert f"min-height: {theme.PRIMARY_TOUCH_PX}px" in qss


def test_stylesheet_scales() -> None:
    qss = theme.stylesheet(BrandingConfig(), scale=0.5)
    assert "min-height: 32px" in qss


def test_bundled_fonts_load(qapp) -> None:
    from PySide6.QtGui import QFontDatabase

    assert theme.load_fonts()
    assert theme.TEXT_FAMILY in QFontDatabase.families()
    assert (theme.FONT_DIR / "OFL.txt").is_file()


def test_every_flow_stylesheet_follows_the_branding_and_the_scale() -> None:
    branding = BrandingConfig(primary_color="#123456", accent_color="#abcdef")
    for sheet in (theme.ideas_stylesheet, theme.studio_stylesheet):
        assert "#123456" in sheet(branding) and "#abcdef" in sheet(branding)
        one, half = sheet(branding), sheet(branding, scale=0.5)
        assert re.findall(r"font-size: (\d+)px", half) == [str(max(1, round(int(n) / 2)))
                                                            for n in re.findall(r"font-size: (\d+)px", one)]


THEME_FREE = [p for p in (REPO / "ui").rglob("*.py")
              if p not in (REPO / "ui" / "common" / "theme.py", REPO / "ui" / "drawing" / "render.py")]
"""Every UI module but the theme, and the drawing's own renderer (the colours of the picture itself)."""


@pytest.mark.parametrize("path", THEME_FREE, ids=lambda p: str(p.relative_to(REPO)))
def test_screens_take_colours_and_styles_from_the_theme(path) -> None:
    """No colour literal and no stylesheet text of their own: one theme module styles every screen."""
    source = path.read_text(encoding="utf-8")
    assert re.findall(r"#[0-9a-fA-F]{6}\b", source) == []
    assert re.findall(r"setStyleSheet\(\s*f?[\"']", source) == []
