"""Look and feel, all in one module: fonts, colours, sizes and every stylesheet.

Colours come from the config's ``[branding]`` (:class:`Palette`), plus a few fixed
neutrals named below (white paper, the drawing studio's warm greys, the danger red).
Sizes come from one scale: every stylesheet is built for a 1080 px short side and
multiplies each size by ``scale`` (:func:`scaler`). Screens set no style of their
own; they name their widgets (objectName, ``role`` property) and these sheets
style them:

- :func:`stylesheet`: the main window (attract, plain screens, staff panel, overlays);
- :func:`ideas_stylesheet`: the ideas flow, scoped to ``#ideas_flow``;
- :func:`studio_stylesheet`: the drawing studio and its "done" page;
- :func:`keyboard_qss`: the on-screen keyboard, under a scope of either flow.

The colour maths (:func:`contrast_ratio`, :func:`on_color`, :func:`mix`) is pure
and unit-tested. Touch targets are at least 64 px (primary buttons larger), and
keyboard focus is always visible.
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
CHILD_TOUCH_PX = 86
"""The least target on the children's (drawing) screens: 20 mm or more on a 21.5 inch 1080p screen
(issue 17; scripts/layout_check.py measures it with [kiosk] screen_diagonal_inch)."""

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


# ---------------------------------------------------------------- fixed neutrals

WHITE = "#ffffff"
DEFAULT_TEXT = "#1b1f24"
"""Dark text where no branding is at hand (the bundled kiosk.toml's text colour)."""
DANGER = "#b3261e"
ERROR_TEXT = "#7a1010"
ERROR_BACKGROUND = "#fde8e8"
SUCCESS = "#2e7d32"
INK = "#1d1d1f"
"""Icons, rings and outlines on the children's screens: near-black on white paper."""
STUDIO_LINE = "#ddd8cc"
STUDIO_MUTED = "#5d5a54"
STUDIO_PANEL = "#fbfaf7"
STUDIO_PRESSED = "#ece8de"
STUDIO_CHOSEN = "#fffbea"
STUDIO_TOOL_DISABLED = "#f3f1ec"
STUDIO_TOOL_DISABLED_LINE = "#e8e4da"
STUDIO_BOX_LINE = "#8a857b"
STUDIO_PANEL_LINE = "#e6e1d6"
STUDIO_DISABLED = "#e9e3d2"
STUDIO_DISABLED_TEXT = "#a39d90"
STUDIO_RING_OFF = "#d8d3c8"
"""The ring of a colour or size that is not chosen."""
STUDIO_ICON_DISABLED = "#b9b4aa"
STUDIO_SCRIM = (20, 24, 30, 150)
"""Behind the "throw it away?" card (RGBA)."""
STUDIO_PAPER_EDGE = "#d9d6cf"
"""Around the paper where the canvas is wider than the picture."""
CONFIRM_ICON = {"delete": DANGER, "other": "#0b4f8a"}
"""The big picture on the "throw it away?" card: a red bin, or a blue house."""
CHART_MUTED = "#5d6167"
CHART_GRID = "#e4e1da"
SYNC_DOTS = {"ok": "#3f8f5a", "busy": "#6f8fb0", "idle": "#a7a59f", "attention": "#c9a25a"}
"""The attract screen's sync dot, by state; muted, for staff, not for visitors: green (all sent),
blue-grey (sending), grey (waiting, offline), ochre (staff should look)."""

CHECK_ICON = (ASSETS_DIR / "icons" / "check-white.svg").as_posix()
STUDIO_CHECK_ICON = (ASSETS_DIR / "drawing" / "check.svg").as_posix()
FLOW_FAMILIES = "'Inter', 'DejaVu Sans', 'Noto Sans', 'Noto Color Emoji', sans-serif"


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


def on_color(background: str, dark: str = DEFAULT_TEXT, light: str = WHITE) -> str:
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
            background=bg, surface=mix(bg, WHITE, 0.7), text=text, muted=muted,
            line=mix(text, bg, 0.82), danger=DANGER,
        )


def scaler(scale: float):  # noqa: ANN201 - Callable[[float], str]
    """``px(n)``: ``n`` pixels at a 1080 px short side, times ``scale``, as QSS (at least 1px)."""
    def px(n: float) -> str:
        return f"{max(1, round(n * scale))}px"
    return px


@dataclass(frozen=True, slots=True)
class ChartColours:
    """The staff charts' colours: the series (ideas, drawings) in the brand's primary and accent."""

    series: tuple[str, str]
    text: str
    muted: str = CHART_MUTED
    grid: str = CHART_GRID

    @classmethod
    def from_branding(cls, branding) -> ChartColours:  # noqa: ANN001 - BrandingConfig
        return cls((branding.primary_color, branding.accent_color), branding.text_color)


# ---------------------------------------------------------------- the main window

def stylesheet(branding, scale: float = 1.0) -> str:  # noqa: ANN001
    """QSS for the whole window, sized for a 1080 px short side times ``scale``."""
    p = Palette.from_branding(branding)
    px = scaler(scale)

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
#attract_sync_dot {{ border-radius: 7px; }}
#attract_sync_dot[state="ok"] {{ background: {SYNC_DOTS["ok"]}; }}
#attract_sync_dot[state="busy"] {{ background: {SYNC_DOTS["busy"]}; }}
#attract_sync_dot[state="idle"] {{ background: {SYNC_DOTS["idle"]}; }}
#attract_sync_dot[state="attention"] {{ background: {SYNC_DOTS["attention"]}; }}
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
#language_toggle QPushButton[current="true"] {{ background: {p.primary}; color: {p.on_primary}; }}
#language_toggle QPushButton:focus {{ border-color: {p.accent}; }}
#attract_reach {{
    min-height: {px(72)}; font-size: {px(24)}; font-weight: 600; border-radius: {px(36)}; padding: 0 {px(28)};
    border: {px(3)} solid {p.primary}; background: transparent; color: {p.primary};
}}
#attract_reach:checked {{ background: {p.primary}; color: {p.on_primary}; }}
#attract_reach:focus {{ border-color: {p.accent}; }}

/* reachability mode: the upper part of a portrait screen, nothing to tap there */
#reach_panel {{ background: {p.background}; border-bottom: {px(4)} solid {mix(p.background, p.primary, 0.25)}; }}
#reach_organizer {{ color: {p.primary}; font-size: {px(28)}; font-weight: 700; letter-spacing: {px(3)}; }}
#reach_title {{ font-family: {disp}; color: {p.primary}; font-size: {px(96)}; font-weight: 700; }}
#reach_hint {{ font-size: {px(34)}; font-weight: 600; color: {p.text}; }}

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
    font-size: {px(24)}; background: {mix(p.background, SUCCESS, 0.14)};
    border-left: {px(8)} solid {SUCCESS}; padding: {px(12)} {px(18)};
}}
#staff_panel QFrame[role="card"] {{ border-radius: {px(22)}; }}
#staff_panel QLabel#staff_browse_detail_body {{ font-size: {px(30)}; padding: {px(12)}; }}
#staff_panel QLabel[role="count"] {{ font-size: {px(40)}; font-weight: 700; }}
#staff_panel QLabel[role="swatch"] {{ border-radius: 4px; }}
#staff_panel QLabel[role="swatch"][series="ideas"] {{ background: {p.primary}; }}
#staff_panel QLabel[role="swatch"][series="drawings"] {{ background: {p.accent}; }}
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


# ---------------------------------------------------------------- the flows


def keyboard_qss(branding, scope: str, scale: float = 1.0) -> str:  # noqa: ANN001 - BrandingConfig
    """The on-screen keyboard's look under ``scope`` (a QSS selector): the ideas flow's, or the drawing form's."""
    p = branding.primary_color
    a = branding.accent_color
    bg = branding.background_color
    fg = branding.text_color
    muted = mix(fg, bg, 0.28)
    pressed = mix(p, "#000000", 0.25)
    px = scaler(scale)
    return f"""
{scope} QWidget[role="keyboard"] {{ background: {mix(fg, bg, 0.85)}; border-radius: {px(18)}; }}
{scope} QWidget[role="keyboard"] QPushButton {{ background: {WHITE}; color: {fg}; border: none; border-bottom: {px(3)} solid {mix(fg, bg, 0.6)};
    border-radius: {px(10)}; font-size: {px(30)}; font-weight: 500; padding: 0; min-height: {px(64)}; min-width: {px(64)}; }}
{scope} QWidget[role="keyboard"] QPushButton:pressed {{ background: {p}; color: {WHITE}; border-bottom-color: {pressed}; }}
{scope} QWidget[role="keyboard"] QPushButton[role="special"] {{ background: {mix(fg, bg, 0.72)}; font-size: {px(28)}; font-weight: 700; }}
{scope} QWidget[role="keyboard"] QPushButton[role="special"]:pressed {{ background: {p}; color: {WHITE}; }}
{scope} QWidget[role="keyboard"] QPushButton#kb_space, {scope} QWidget[role="keyboard"] QPushButton#kb_sym_space {{ font-size: {px(22)}; font-weight: 500;
    color: {muted}; }}
{scope} QWidget[role="keyboard"] QPushButton[role="special"]:checked {{ background: {a}; color: {fg}; border-bottom-color: {mix(a, '#000000', 0.3)}; }}
"""


def ideas_stylesheet(branding, scale: float = 1.0) -> str:  # noqa: ANN001 - BrandingConfig
    """The ideas flow, scoped to ``#ideas_flow`` so it sits beside the window's sheet. Type is large
    (body 26 px, headings 46 px) for hurried visitors with low vision, and every state (pressed,
    checked, disabled, focus) shows by more than colour alone where it matters (borders, weight)."""
    p = branding.primary_color
    a = branding.accent_color
    bg = branding.background_color
    fg = branding.text_color
    soft = mix(p, WHITE, 0.88)
    line = mix(fg, bg, 0.78)
    muted = mix(fg, bg, 0.28)
    pressed = mix(p, "#000000", 0.25)
    px = scaler(scale)
    return f"""
#ideas_flow {{ background: {bg}; }}
#ideas_flow QWidget {{ font-family: {FLOW_FAMILIES}; font-size: {px(26)}; color: {fg}; }}
#ideas_flow QLabel {{ background: transparent; }}
#ideas_flow QScrollArea, #ideas_flow QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
#ideas_flow QLabel[role="heading"] {{ font-size: {px(46)}; font-weight: 700; color: {fg}; }}
#ideas_flow QLabel[role="sub"] {{ font-size: {px(26)}; color: {muted}; }}
#ideas_flow QLabel[role="section"] {{ font-size: {px(28)}; font-weight: 700; margin-top: {px(8)}; }}
#ideas_flow QLabel[role="notice"] {{ font-size: {px(24)}; color: {fg}; background: {mix(a, WHITE, 0.75)};
    border-left: {px(8)} solid {a}; border-radius: {px(8)}; padding: {px(12)} {px(16)}; }}
#ideas_flow QLabel[role="error"] {{ font-size: {px(26)}; color: {ERROR_TEXT}; background: {ERROR_BACKGROUND};
    border-left: {px(8)} solid {DANGER}; border-radius: {px(8)}; padding: {px(14)} {px(18)}; }}
#ideas_flow QLabel[role="count"] {{ font-size: {px(24)}; color: {muted}; }}
#ideas_flow QLabel[role="count"][full="true"] {{ color: {ERROR_TEXT}; font-weight: 700; }}
#ideas_flow QLabel#ideas_progress {{ font-size: {px(24)}; font-weight: 600; color: {muted}; }}

#ideas_header {{ background: {WHITE}; border-bottom: {px(2)} solid {line}; }}
#ideas_flow QProgressBar {{ background: {line}; border: none; border-radius: {px(6)}; max-height: {px(12)}; min-height: {px(12)}; }}
#ideas_flow QProgressBar::chunk {{ background: {p}; border-radius: {px(6)}; }}

#ideas_flow QPushButton {{ min-height: {px(64)}; min-width: {px(64)}; border-radius: {px(14)}; padding: {px(6)} {px(24)};
    background: {WHITE}; color: {p}; border: {px(2)} solid {p}; font-size: {px(26)}; font-weight: 600; }}
#ideas_flow QPushButton:pressed {{ background: {soft}; }}
#ideas_flow QPushButton:disabled {{ color: {mix(fg, bg, 0.55)}; border-color: {line}; background: {bg}; }}
#ideas_flow QPushButton[role="primary"] {{ background: {p}; color: {WHITE}; border: {px(2)} solid {p};
    min-height: {px(80)}; font-size: {px(30)}; font-weight: 700; padding: {px(6)} {px(40)}; }}
#ideas_flow QPushButton[role="primary"]:pressed {{ background: {pressed}; }}
#ideas_flow QPushButton[role="primary"]:disabled {{ background: {line}; color: {mix(fg, bg, 0.45)}; border-color: {line}; }}
#ideas_flow QPushButton[role="nav"] {{ border: none; background: transparent; font-size: {px(28)}; }}
#ideas_flow QPushButton[role="nav"]:pressed {{ background: {soft}; }}
#ideas_flow QPushButton[role="lang"] {{ min-width: {px(80)}; border-radius: {px(32)}; font-size: {px(24)}; padding: {px(6)} {px(16)};
    border: {px(2)} solid {line}; color: {fg}; }}
#ideas_flow QPushButton[role="lang"][current="true"] {{ background: {fg}; color: {WHITE}; border-color: {fg}; }}
#ideas_flow QPushButton[role="chip"] {{ border: {px(2)} solid {line}; color: {fg}; font-weight: 500; border-radius: {px(32)};
    padding: {px(6)} {px(22)}; }}
#ideas_flow QPushButton[role="chip"]:checked {{ background: {p}; color: {WHITE}; border-color: {p}; font-weight: 700; }}
#ideas_flow QPushButton[role="card"] {{ background: {WHITE}; border: {px(2)} solid {line}; border-radius: {px(20)};
    padding: 0; text-align: left; }}
#ideas_flow QPushButton[role="card"]:pressed {{ background: {soft}; border-color: {p}; }}
#ideas_flow QPushButton[role="card"][chosen="true"] {{ background: {soft}; border: {px(4)} solid {p}; }}
#ideas_flow QLabel[role="card_title"] {{ font-size: {px(30)}; font-weight: 700; color: {fg}; }}
#ideas_flow QLabel[role="card_text"] {{ font-size: {px(24)}; color: {muted}; }}

#ideas_flow QLineEdit, #ideas_flow QPlainTextEdit {{ background: {WHITE}; border: {px(2)} solid {line}; border-radius: {px(14)};
    padding: {px(10)} {px(16)}; font-size: {px(30)}; selection-background-color: {p}; selection-color: {WHITE}; }}
#ideas_flow QLineEdit {{ min-height: {px(60)}; }}
#ideas_flow QLineEdit:focus, #ideas_flow QPlainTextEdit:focus {{ border: {px(3)} solid {p}; }}

#ideas_flow QCheckBox {{ font-size: {px(28)}; font-weight: 600; spacing: {px(20)}; padding: {px(12)}; }}
#ideas_flow QCheckBox::indicator {{ width: {px(48)}; height: {px(48)}; border: {px(3)} solid {p}; border-radius: {px(10)};
    background: {WHITE}; }}
#ideas_flow QCheckBox::indicator:checked {{ background: {p}; image: url({CHECK_ICON}); border: {px(3)} solid {p}; }}
#ideas_flow QScrollBar:vertical {{ background: {line}; width: {px(16)}; border-radius: {px(8)}; margin: {px(4)}; }}
#ideas_flow QScrollBar::handle:vertical {{ background: {muted}; border-radius: {px(8)}; min-height: {px(64)}; }}
#ideas_flow QScrollBar::add-line, #ideas_flow QScrollBar::sub-line {{ height: 0; width: 0; }}
#ideas_proposals_scroll QScrollBar:vertical {{ width: {px(56)}; border-radius: {px(20)}; }}
#ideas_proposals_scroll QScrollBar::handle:vertical {{ border-radius: {px(20)}; min-height: {px(96)}; }}
#ideas_flow QScrollBar::add-page, #ideas_flow QScrollBar::sub-page {{ background: transparent; }}

#ideas_flow QFrame[role="panel"] {{ background: {WHITE}; border: {px(2)} solid {line}; border-radius: {px(20)}; }}
#ideas_flow QLabel[role="code"] {{ font-size: {px(64)}; font-weight: 800; letter-spacing: {px(8)}; color: {p};
    font-family: 'DejaVu Sans Mono', monospace; }}

#ideas_flow QLabel#ideas_review_title {{ font-size: {px(36)}; }}
#ideas_flow QLabel#ideas_review_text {{ font-size: {px(28)}; }}
#ideas_flow QLabel#ideas_thanks_heading {{ font-size: {px(56)}; }}
#ideas_flow QLabel#ideas_thanks_body, #ideas_flow QLabel#ideas_consent_short {{ font-size: {px(30)}; }}

{keyboard_qss(branding, "#ideas_flow", scale)}
"""


def darker(color: str) -> str:
    """``color`` as it looks pressed: Qt's ``QColor.darker(130)`` (the HSV value divided by 1.3)."""
    r, g, b = _rgb(color)
    return _hex(tuple(c / 1.3 for c in (r, g, b)))  # type: ignore[arg-type]


def studio_stylesheet(branding, scale: float = 1.0) -> str:  # noqa: ANN001 - BrandingConfig
    """The drawing studio, its "throw it away?" card and its "done" page: big, friendly, few words."""
    bg, accent = branding.background_color, branding.accent_color
    primary, text = branding.primary_color, branding.text_color
    pal = Palette.from_branding(branding)
    px = scaler(scale)
    return f"""
#drawing, #draw_studio, #draw_done_page {{ background: {bg}; }}
#draw_studio QLabel#draw_prompt {{ color: {primary}; font-size: {px(34)}; font-weight: 700; }}
QToolButton[role="drawtool"] {{ background: {WHITE}; border: {px(2)} solid {STUDIO_LINE}; border-radius: {px(22)}; }}
QToolButton[role="drawtool"]:pressed {{ background: {STUDIO_PRESSED}; }}
QToolButton[role="drawtool"]:checked {{ border: {px(5)} solid {INK}; background: {STUDIO_CHOSEN}; }}
QToolButton[role="drawtool"]:disabled {{ background: {STUDIO_TOOL_DISABLED}; border-color: {STUDIO_TOOL_DISABLED_LINE}; }}
QFrame#draw_canvas_frame {{ background: {WHITE}; border: {px(3)} solid {STUDIO_LINE}; border-radius: {px(18)}; }}
QFrame[role="panel"] {{ background: {STUDIO_PANEL}; border: {px(2)} solid {STUDIO_PANEL_LINE}; border-radius: {px(26)}; }}
QPushButton#draw_done {{ background: {accent}; color: {text}; border: none; border-radius: {px(42)};
    font-size: {px(32)}; font-weight: 800; padding: 0 {px(40)} 0 {px(28)}; min-height: {px(84)}; }}
QPushButton#draw_done:pressed {{ background: {pal.accent_pressed}; }}
QPushButton#draw_done:disabled {{ background: {STUDIO_DISABLED}; color: {STUDIO_DISABLED_TEXT}; }}

#draw_done_page QLabel {{ color: {text}; }}
#draw_done_page QLabel[role="title"] {{ font-size: {px(52)}; font-weight: 800; color: {primary}; }}
#draw_done_page QLabel[role="sub"] {{ font-size: {px(26)}; color: {STUDIO_MUTED}; }}
#draw_done_page QLabel[role="field"] {{ font-size: {px(28)}; font-weight: 700; }}
#draw_done_page QLabel[role="code"] {{ font-size: {px(84)}; font-weight: 800; letter-spacing: {px(10)};
    color: {text}; background: {WHITE}; border-radius: {px(20)}; padding: {px(8)} {px(26)}; }}
#draw_done_page QLabel[role="note"] {{ font-size: {px(20)}; color: {STUDIO_MUTED}; margin-left: {px(76)}; }}
#draw_done_page QLabel[role="error"] {{ font-size: {px(24)}; color: {DANGER}; font-weight: 700; }}
#draw_done_page QLineEdit {{ font-size: {px(34)}; padding: {px(14)} {px(20)}; min-height: {px(60)}; border: {px(3)} solid {STUDIO_LINE};
    border-radius: {px(18)}; background: {WHITE}; }}
#draw_done_page QLineEdit:focus {{ border-color: {primary}; }}
#draw_done_page QPushButton[role="age"] {{ font-size: {px(28)}; font-weight: 700; min-height: {px(CHILD_TOUCH_PX)}; min-width: {px(150)};
    background: {WHITE}; border: {px(3)} solid {STUDIO_LINE}; border-radius: {px(38)}; color: {text}; }}
#draw_done_page QPushButton[role="age"]:checked {{ background: {primary}; color: {WHITE}; border-color: {primary}; }}
#draw_done_page QCheckBox {{ font-size: {px(26)}; font-weight: 700; spacing: {px(18)}; color: {text};
    min-height: {px(CHILD_TOUCH_PX)}; }}
#draw_done_page QCheckBox::indicator {{ width: {px(56)}; height: {px(56)}; border: {px(3)} solid {STUDIO_BOX_LINE}; border-radius: {px(12)};
    background: {WHITE}; }}
#draw_done_page QCheckBox::indicator:checked {{ background: {primary}; border-color: {primary};
    image: url({STUDIO_CHECK_ICON}); }}
#draw_done_page QPushButton[role="primary"] {{ font-size: {px(32)}; font-weight: 800; min-height: {px(92)};
    padding: 0 {px(44)}; background: {accent}; color: {text}; border: none; border-radius: {px(46)}; }}
#draw_done_page QPushButton[role="primary"]:disabled {{ background: {STUDIO_DISABLED}; color: {STUDIO_DISABLED_TEXT}; }}
#draw_done_page QPushButton[role="secondary"] {{ font-size: {px(28)}; font-weight: 700; min-height: {px(92)};
    padding: 0 {px(36)}; background: {WHITE}; color: {text}; border: {px(3)} solid {STUDIO_LINE}; border-radius: {px(46)}; }}
#draw_done_page QLabel[role="preview"] {{ background: {WHITE}; border: {px(3)} solid {STUDIO_LINE};
    border-radius: {px(18)}; padding: {px(10)}; }}
#draw_confirm_card {{ background: {WHITE}; border-radius: {px(36)}; }}
#draw_confirm_card QLabel {{ color: {INK}; }}
#draw_confirm_card QLabel#draw_confirm_title {{ font-size: {px(38)}; font-weight: 800; }}
#draw_confirm_card QLabel#draw_confirm_sub {{ font-size: {px(24)}; color: {STUDIO_MUTED}; }}
#draw_confirm_card QPushButton {{ color: {WHITE}; border: none; border-radius: {px(34)};
    font-size: {px(34)}; font-weight: 800; padding: 0 {px(28)}; min-height: {px(PRIMARY_TOUCH_PX)};
    min-width: {px(220)}; }}
#draw_confirm_card QPushButton#draw_confirm_yes {{ background: {SUCCESS}; }}
#draw_confirm_card QPushButton#draw_confirm_yes:pressed {{ background: {darker(SUCCESS)}; }}
#draw_confirm_card QPushButton#draw_confirm_no {{ background: {STUDIO_MUTED}; }}
#draw_confirm_card QPushButton#draw_confirm_no:pressed {{ background: {darker(STUDIO_MUTED)}; }}

{keyboard_qss(branding, "#draw_done_page", scale)}
"""
