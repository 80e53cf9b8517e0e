"""Look and feel: the bundled Inter font and a stylesheet built from config branding.

The colour maths (:func:`contrast_ratio`, :func:`on_color`, :func:`mix`) is pure
and unit-tested; :func:`stylesheet` turns a :class:`~kiosk.core.config.BrandingConfig`
into QSS with touch-sized targets (at least 64 px, primary buttons larger) and a
visible focus frame for keyboard users.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

from assets import ASSETS_DIR

log = logging.getLogger("kiosk.ui")

FONT_DIR = ASSETS_DIR / "fonts"
FONT_FILES = ("Inter-Regular.otf", "Inter-Medium.otf", "Inter-SemiBold.otf",
              "Inter-Bold.otf", "InterDisplay-Bold.otf")
TEXT_FAMILY = "Inter"
DISPLAY_FAMILY = "Inter Display"
FALLBACK_FAMILIES = "'DejaVu Sans', 'Noto Sans', 'Liberation Sans', sans-serif"

MIN_TOUCH_PX = 64
PRIMARY_TOUCH_PX = 96

_loaded: dict[Path, bool] = {}


def load_fonts(font_dir: Path = FONT_DIR) -> bool:
    """Register the bundled Inter faces once per process. False if none loaded."""
    if font_dir in _loaded:
        return _loaded[font_dir]
    ok = False
    for name in FONT_FILES:
        path = font_dir / name
        if path.is_file() and QFontDatabase.addApplicationFont(str(path)) >= 0:
            ok = True
        else:
            log.warning("font %s could not be loaded; falling back to system fonts", path)
    _loaded[font_dir] = ok
    return ok


def base_font() -> QFont:
    font = QFont(TEXT_FAMILY)
    font.setFamilies([TEXT_FAMILY, "DejaVu Sans", "Noto Sans"])
    font.setPixelSize(24)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


# ---------------------------------------------------------------- colour maths


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def mix(a: str, b: str, t: float) -> str:
    """Colour ``t`` of the way from ``a`` to ``b`` (0 = a, 1 = b)."""
    ra, rb = _rgb(a), _rgb(b)
    return _hex(tuple(x + (y - x) * t for x, y in zip(ra, rb)))  # type: ignore[arg-type]


def luminance(color: str) -> float:
    """WCAG relative luminance."""
    def chan(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (chan(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def on_color(background: str, dark: str = "#1b1f24", light: str = "#ffffff") -> str:
    """The text colour (dark or light) that reads best on ``background``."""
    return dark if contrast_ratio(background, dark) >= contrast_ratio(background, light) else light


@dataclass(frozen=True, slots=True)
class Palette:
    primary: str
    on_primary: str
    primary_pressed: str
    accent: str
    on_accent: str
    accent_pressed: str
    background: str
    surface: str
    text: str
    muted: str
    line: str
    danger: str

    @classmethod
    def from_branding(cls, branding) -> "Palette":  # noqa: ANN001 - BrandingConfig, kept Qt-free
        bg, text = branding.background_color, branding.text_color
        primary, accent = branding.primary_color, branding.accent_color
        muted = mix(text, bg, 0.38)
        if contrast_ratio(muted, bg) < 4.5:  # keep secondary text readable for low vision
            muted = mix(text, bg, 0.2)
        return cls(
            primary=primary, on_primary=on_color(primary, text),
            primary_pressed=mix(primary, "#000000", 0.25),
            accent=accent, on_accent=on_color(accent, text),
            accent_pressed=mix(accent, "#000000", 0.18),
            background=bg, surface=mix(bg, "#ffffff", 0.7), text=text, muted=muted,
            line=mix(text, bg, 0.82), danger="#b3261e",
        )


# ---------------------------------------------------------------- stylesheet


def stylesheet(branding, scale: float = 1.0) -> str:  # noqa: ANN001
    """QSS for the whole window, sized for a 1080 px short side times ``scale``."""
    p = Palette.from_branding(branding)

    def px(n: float) -> str:
        return f"{max(1, round(n * scale))}px"

    fam = f"'{TEXT_FAMILY}', {FALLBACK_FAMILIES}"
    disp = f"'{DISPLAY_FAMILY}', '{TEXT_FAMILY}', {FALLBACK_FAMILIES}"
    return f"""
* {{ font-family: {fam}; }}
QMainWindow, QStackedWidget, #screen_stack > QWidget {{ background: {p.background}; color: {p.text}; }}
QLabel {{ color: {p.text}; font-size: {px(26)}; background: transparent; }}
QLabel[role="muted"] {{ color: {p.muted}; }}

QPushButton {{
    min-height: {px(MIN_TOUCH_PX)}; min-width: {px(MIN_TOUCH_PX)};
    padding: 0 {px(28)}; font-size: {px(28)}; font-weight: 600;
    border-radius: {px(16)}; border: {px(3)} solid {p.primary};
    background: {p.surface}; color: {p.primary};
}}
QPushButton:pressed {{ background: {mix(p.surface, p.primary, 0.15)}; }}
QPushButton:focus {{ border: {px(4)} solid {p.accent}; }}
QPushButton:disabled {{ color: {p.line}; border-color: {p.line}; background: {p.surface}; }}
QPushButton[role="primary"] {{
    min-height: {px(PRIMARY_TOUCH_PX)}; font-size: {px(32)}; padding: 0 {px(40)};
    background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
}}
QPushButton[role="primary"]:pressed {{ background: {p.primary_pressed}; }}
QPushButton[role="primary"]:focus {{ border-color: {p.accent}; }}
QPushButton[role="danger"] {{ color: {p.danger}; border-color: {p.danger}; }}

/* attract screen */
#attract_accent_bar {{ background: {p.accent}; border-radius: {px(5)}; }}
#attract_organizer {{ color: {p.primary}; font-size: {px(28)}; font-weight: 700; letter-spacing: {px(3)}; }}
#attract_title {{ font-family: {disp}; color: {p.primary}; font-size: {px(112)}; font-weight: 700; }}
#attract[portrait="true"] #attract_title {{ font-size: {px(104)}; }}
#attract_tagline {{ font-size: {px(40)}; color: {p.text}; }}
#attract_venue {{ font-size: {px(28)}; color: {p.muted}; font-weight: 500; }}
#attract_prompt {{ font-size: {px(26)}; color: {p.muted}; font-weight: 600; letter-spacing: {px(1)}; }}
#attract_status, #attract_sync_text {{ font-size: {px(20)}; color: {p.muted}; }}
EntryButton {{
    border-radius: {px(28)}; border: none; padding: 0; text-align: left;
    min-height: {px(200)};
}}
EntryButton:focus {{ border: {px(5)} solid {p.text}; }}
EntryButton[flow="ideas"] {{ background: {p.primary}; }}
EntryButton[flow="ideas"]:pressed {{ background: {p.primary_pressed}; }}
EntryButton[flow="drawing"] {{ background: {p.accent}; }}
EntryButton[flow="drawing"]:pressed {{ background: {p.accent_pressed}; }}
EntryButton[flow="ideas"] QLabel {{ color: {p.on_primary}; }}
EntryButton[flow="drawing"] QLabel {{ color: {p.on_accent}; }}
EntryButton QLabel#entry_title {{ font-size: {px(54)}; font-weight: 700; }}
EntryButton QLabel#entry_subtitle {{ font-size: {px(27)}; font-weight: 500; }}

#language_toggle {{ background: transparent; }}
#language_toggle QPushButton {{
    min-height: {px(72)}; min-width: {px(190)}; font-size: {px(26)}; border-radius: {px(36)};
    border: {px(3)} solid {p.primary}; background: transparent; color: {p.primary};
}}
#language_toggle QPushButton:checked {{ background: {p.primary}; color: {p.on_primary}; }}
#language_toggle QPushButton:focus {{ border-color: {p.accent}; }}

/* plain screens (unavailable, staff) */
QLabel[role="screen_title"] {{ font-family: {disp}; color: {p.primary}; font-size: {px(72)}; font-weight: 700; }}
QLabel[role="screen_body"] {{ font-size: {px(36)}; color: {p.text}; }}
QLabel[role="section"] {{ font-size: {px(24)}; font-weight: 700; color: {p.muted}; letter-spacing: {px(2)}; }}
QLabel[role="value"] {{ font-size: {px(28)}; color: {p.text}; }}
QLabel[role="warning"] {{
    font-size: {px(26)}; color: {p.text}; background: {mix(p.background, p.danger, 0.12)};
    border-left: {px(8)} solid {p.danger}; padding: {px(14)} {px(20)};
}}
QFrame[role="card"] {{ background: {p.surface}; border-radius: {px(28)}; border: {px(2)} solid {p.line}; }}

/* staff panel (ui/staff/): denser than the visitor screens, same colours */
#staff_panel, #staff_stack > QWidget, #staff_body {{ background: {p.background}; color: {p.text}; }}
#staff_panel QLabel {{ font-size: {px(24)}; }}
#staff_panel QLabel[role="screen_title"] {{ font-size: {px(52)}; }}
#staff_panel QLabel[role="section"] {{ font-size: {px(20)}; }}
#staff_panel QLabel[role="value"] {{ font-size: {px(24)}; }}
#staff_panel QLabel[role="big"] {{ font-family: {disp}; font-size: {px(64)}; font-weight: 700; color: {p.primary}; }}
#staff_panel QLabel[role="muted"] {{ color: {p.muted}; font-size: {px(22)}; }}
#staff_panel QLabel[role="warning"] {{ font-size: {px(24)}; padding: {px(12)} {px(18)}; }}
#staff_panel QLabel[role="ok"] {{
    font-size: {px(24)}; background: {mix(p.background, "#2e7d32", 0.14)};
    border-left: {px(8)} solid #2e7d32; padding: {px(12)} {px(18)};
}}
#staff_panel QFrame[role="card"] {{ border-radius: {px(22)}; }}
#staff_panel QFrame[role="warning_box"] {{
    background: {mix(p.background, p.danger, 0.08)}; border: {px(2)} solid {p.danger}; border-radius: {px(18)};
}}
#staff_panel QPushButton {{
    min-height: {px(64)}; padding: 0 {px(26)}; font-size: {px(24)}; border-radius: {px(14)};
}}
#staff_panel QPushButton[role="primary"] {{ min-height: {px(88)}; font-size: {px(28)}; }}
#staff_panel QPushButton[role="primary"]:disabled {{
    background: {mix(p.primary, p.background, 0.7)}; border-color: {mix(p.primary, p.background, 0.7)};
    color: {p.surface};
}}
#staff_panel QPushButton:checked {{ background: {p.primary}; color: {p.on_primary}; }}
#staff_nav {{ background: {p.primary}; }}
#staff_nav QLabel {{ color: {p.on_primary}; font-size: {px(30)}; font-weight: 700; }}
#staff_nav QPushButton {{
    background: transparent; color: {p.on_primary}; border: none; text-align: left;
    padding: 0 {px(24)}; font-size: {px(26)}; font-weight: 600; border-radius: {px(14)}; min-height: {px(76)};
}}
#staff_nav QPushButton:checked {{ background: rgba(255, 255, 255, 46); border-left: {px(6)} solid {p.accent}; }}
#staff_nav QPushButton:pressed {{ background: rgba(255, 255, 255, 30); }}
#staff_panel QLineEdit, #staff_panel QComboBox {{
    min-height: {px(64)}; font-size: {px(24)}; padding: 0 {px(16)}; border: {px(2)} solid {p.line};
    border-radius: {px(12)}; background: {p.surface}; color: {p.text};
}}
#staff_panel QComboBox::drop-down {{ border: none; width: {px(48)}; }}
#staff_panel QListWidget {{
    font-size: {px(22)}; border: {px(2)} solid {p.line}; border-radius: {px(14)}; background: {p.surface};
}}
#staff_panel QListWidget::item {{ padding: {px(14)} {px(10)}; border-bottom: 1px solid {mix(p.line, p.surface, 0.5)}; }}
#staff_panel QListWidget::item:selected {{ background: {mix(p.surface, p.primary, 0.15)}; color: {p.text}; }}
#staff_panel QProgressBar {{
    min-height: {px(40)}; border-radius: {px(12)}; background: {mix(p.background, p.text, 0.08)};
    text-align: center; font-size: {px(20)};
}}
#staff_panel QProgressBar::chunk {{ background: {p.primary}; border-radius: {px(12)}; }}
#staff_panel QScrollBar:vertical {{ width: {px(28)}; }}

/* overlays */
QWidget[role="scrim"] {{ background: rgba(0, 0, 0, 150); }}
QFrame[role="dialog"] {{ background: {p.background}; border-radius: {px(36)}; }}
#idle_title, #pin_title {{ font-family: {disp}; color: {p.primary}; font-size: {px(64)}; font-weight: 700; }}
#idle_title_other {{ font-size: {px(30)}; color: {p.muted}; font-weight: 600; }}
#idle_body {{ font-size: {px(30)}; }}
#idle_countdown {{ font-family: {disp}; font-size: {px(120)}; font-weight: 700; color: {p.primary}; }}
#idle_seconds {{ font-size: {px(26)}; color: {p.muted}; }}
#pin_dots {{ font-size: {px(48)}; color: {p.primary}; letter-spacing: {px(14)}; min-height: {px(72)}; }}
#pin_message {{ font-size: {px(26)}; color: {p.muted}; min-height: {px(40)}; }}
#pin_message[error="true"] {{ color: {p.danger}; font-weight: 600; }}
#pin_pad QPushButton[role="digit"] {{
    min-width: {px(120)}; min-height: {px(104)}; font-size: {px(44)}; border-radius: {px(52)};
    border: {px(2)} solid {p.line}; background: {p.surface}; color: {p.text};
}}
#pin_pad QPushButton[role="digit"]:pressed {{ background: {mix(p.surface, p.primary, 0.2)}; }}
#pin_pad QPushButton[role="digit"]:disabled {{ color: {p.line}; }}
#pin_pad QPushButton[role="digit"]:focus {{ border: {px(4)} solid {p.accent}; }}
"""


def keyboard_qss(branding, scope: str) -> str:  # noqa: ANN001 - BrandingConfig
    """The on-screen keyboard's look under ``scope`` (a QSS selector): the ideas flow's, or the drawing form's."""
    p = branding.primary_color
    a = branding.accent_color
    bg = branding.background_color
    fg = branding.text_color
    muted = mix(fg, bg, 0.28)
    pressed = mix(p, "#000000", 0.25)
    return f"""
{scope} QWidget[role="keyboard"] {{ background: {mix(fg, bg, 0.85)}; border-radius: 18px; }}
{scope} QWidget[role="keyboard"] QPushButton {{ background: #ffffff; color: {fg}; border: none; border-bottom: 3px solid {mix(fg, bg, 0.6)};
    border-radius: 10px; font-size: 30px; font-weight: 500; padding: 0; min-height: 64px; min-width: 64px; }}
{scope} QWidget[role="keyboard"] QPushButton:pressed {{ background: {p}; color: #ffffff; border-bottom-color: {pressed}; }}
{scope} QWidget[role="keyboard"] QPushButton[role="special"] {{ background: {mix(fg, bg, 0.72)}; font-size: 28px; font-weight: 700; }}
{scope} QWidget[role="keyboard"] QPushButton[role="special"]:pressed {{ background: {p}; color: #ffffff; }}
{scope} QWidget[role="keyboard"] QPushButton#kb_space, {scope} QWidget[role="keyboard"] QPushButton#kb_sym_space {{ font-size: 22px; font-weight: 500;
    color: {muted}; }}
{scope} QWidget[role="keyboard"] QPushButton[role="special"]:checked {{ background: {a}; color: {fg}; border-bottom-color: {mix(a, '#000000', 0.3)}; }}
"""
