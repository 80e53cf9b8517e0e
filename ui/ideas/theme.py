"""The ideas flow's stylesheet, built from the config's branding colours.

Pure (no widgets): a string of QSS scoped to ``#ideas_flow`` so it can sit
beside the shell's theme without touching other screens. Touch targets are at
least 64 px, type is large (body 26 px, headings 46 px) for hurried visitors
with low vision, and every state (pressed, checked, disabled, focus) is
visible by more than colour alone where it matters (borders, weight).
"""

from __future__ import annotations

from assets import ASSETS_DIR
from kiosk.core.config import BrandingConfig
from ui.common.theme import keyboard_qss, mix

CHECK_ICON = (ASSETS_DIR / "icons" / "check-white.svg").as_posix()

FONT_FAMILIES = "'Inter', 'DejaVu Sans', 'Noto Sans', 'Noto Color Emoji', sans-serif"


def stylesheet(branding: BrandingConfig) -> str:
    p = branding.primary_color
    a = branding.accent_color
    bg = branding.background_color
    fg = branding.text_color
    soft = mix(p, "#ffffff", 0.88)
    line = mix(fg, bg, 0.78)
    muted = mix(fg, bg, 0.28)
    pressed = mix(p, "#000000", 0.25)
    return f"""
#ideas_flow {{ background: {bg}; }}
#ideas_flow QWidget {{ font-family: {FONT_FAMILIES}; font-size: 26px; color: {fg}; }}
#ideas_flow QLabel {{ background: transparent; }}
#ideas_flow QScrollArea, #ideas_flow QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
#ideas_flow QLabel[role="heading"] {{ font-size: 46px; font-weight: 700; color: {fg}; }}
#ideas_flow QLabel[role="sub"] {{ font-size: 26px; color: {muted}; }}
#ideas_flow QLabel[role="section"] {{ font-size: 28px; font-weight: 700; margin-top: 8px; }}
#ideas_flow QLabel[role="notice"] {{ font-size: 24px; color: {fg}; background: {mix(a, '#ffffff', 0.75)};
    border-left: 8px solid {a}; border-radius: 8px; padding: 12px 16px; }}
#ideas_flow QLabel[role="error"] {{ font-size: 26px; color: #7a1010; background: #fde8e8;
    border-left: 8px solid #b3261e; border-radius: 8px; padding: 14px 18px; }}
#ideas_flow QLabel[role="count"] {{ font-size: 24px; color: {muted}; }}
#ideas_flow QLabel[role="count"][full="true"] {{ color: #8a1c12; font-weight: 700; }}
#ideas_flow QLabel#ideas_progress {{ font-size: 24px; font-weight: 600; color: {muted}; }}

#ideas_header {{ background: #ffffff; border-bottom: 2px solid {line}; }}
#ideas_flow QProgressBar {{ background: {line}; border: none; border-radius: 6px; max-height: 12px; min-height: 12px; }}
#ideas_flow QProgressBar::chunk {{ background: {p}; border-radius: 6px; }}

#ideas_flow QPushButton {{ min-height: 64px; min-width: 64px; border-radius: 14px; padding: 6px 24px;
    background: #ffffff; color: {p}; border: 2px solid {p}; font-size: 26px; font-weight: 600; }}
#ideas_flow QPushButton:pressed {{ background: {soft}; }}
#ideas_flow QPushButton:disabled {{ color: {mix(fg, bg, 0.55)}; border-color: {line}; background: {bg}; }}
#ideas_flow QPushButton[role="primary"] {{ background: {p}; color: #ffffff; border: 2px solid {p};
    min-height: 80px; font-size: 30px; font-weight: 700; padding: 6px 40px; }}
#ideas_flow QPushButton[role="primary"]:pressed {{ background: {pressed}; }}
#ideas_flow QPushButton[role="primary"]:disabled {{ background: {line}; color: {mix(fg, bg, 0.45)}; border-color: {line}; }}
#ideas_flow QPushButton[role="nav"] {{ border: none; background: transparent; font-size: 28px; }}
#ideas_flow QPushButton[role="nav"]:pressed {{ background: {soft}; }}
#ideas_flow QPushButton[role="lang"] {{ min-width: 80px; border-radius: 32px; font-size: 24px; padding: 6px 16px;
    border: 2px solid {line}; color: {fg}; }}
#ideas_flow QPushButton[role="lang"]:checked {{ background: {fg}; color: #ffffff; border-color: {fg}; }}
#ideas_flow QPushButton[role="chip"] {{ border: 2px solid {line}; color: {fg}; font-weight: 500; border-radius: 32px;
    padding: 6px 22px; }}
#ideas_flow QPushButton[role="chip"]:checked {{ background: {p}; color: #ffffff; border-color: {p}; font-weight: 700; }}
#ideas_flow QPushButton[role="card"] {{ background: #ffffff; border: 2px solid {line}; border-radius: 20px;
    padding: 0; text-align: left; }}
#ideas_flow QPushButton[role="card"]:pressed {{ background: {soft}; border-color: {p}; }}
#ideas_flow QPushButton[role="card"]:checked {{ background: {soft}; border: 4px solid {p}; }}
#ideas_flow QLabel[role="card_title"] {{ font-size: 30px; font-weight: 700; color: {fg}; }}
#ideas_flow QLabel[role="card_text"] {{ font-size: 24px; color: {muted}; }}

#ideas_flow QLineEdit, #ideas_flow QPlainTextEdit {{ background: #ffffff; border: 2px solid {line}; border-radius: 14px;
    padding: 10px 16px; font-size: 30px; selection-background-color: {p}; selection-color: #ffffff; }}
#ideas_flow QLineEdit {{ min-height: 60px; }}
#ideas_flow QLineEdit:focus, #ideas_flow QPlainTextEdit:focus {{ border: 3px solid {p}; }}

#ideas_flow QCheckBox {{ font-size: 28px; font-weight: 600; spacing: 20px; padding: 12px; }}
#ideas_flow QCheckBox::indicator {{ width: 48px; height: 48px; border: 3px solid {p}; border-radius: 10px;
    background: #ffffff; }}
#ideas_flow QCheckBox::indicator:checked {{ background: {p}; image: url({CHECK_ICON}); border: 3px solid {p}; }}
#ideas_flow QScrollBar:vertical {{ background: {line}; width: 16px; border-radius: 8px; margin: 4px; }}
#ideas_flow QScrollBar::handle:vertical {{ background: {muted}; border-radius: 8px; min-height: 64px; }}
#ideas_flow QScrollBar::add-line, #ideas_flow QScrollBar::sub-line {{ height: 0; width: 0; }}
#ideas_flow QScrollBar::add-page, #ideas_flow QScrollBar::sub-page {{ background: transparent; }}

#ideas_flow QFrame[role="panel"] {{ background: #ffffff; border: 2px solid {line}; border-radius: 20px; }}
#ideas_flow QLabel[role="code"] {{ font-size: 64px; font-weight: 800; letter-spacing: 8px; color: {p};
    font-family: 'DejaVu Sans Mono', monospace; }}

{keyboard_qss(branding, "#ideas_flow")}
"""
