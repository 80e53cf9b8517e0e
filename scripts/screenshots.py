"""Render every screen of the built kiosk offscreen into docs/screenshots/.

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--config kiosk.toml] [--out DIR] [--only NAMES]

Builds the real app with ``kiosk.app.build`` (an empty temporary data dir, the
real store) at 1920x1080 and at 1080x1920 and, in German and English, grabs
the whole window on: the attract screen, every step of the ideas flow
(driven by ``scripts/screenshots_ideas.drive_ideas``), every page of the
drawing studio (``scripts/screenshots_drawing.drive_drawing``), the
unavailable screen, the idle overlay, the PIN pad and the staff screen.

The ideas flow runs with a content file (``--content``, by default the invented items of
``docs/examples/content.example.toml``), so the "about a current proposal" step is shot too;
``--content ""`` shoots the flow as a kiosk without one.
With ``--reach`` the portrait sizes are shot in reachability mode (``-reach`` in the names).
With ``--check`` nothing is saved: at each of those states ``scripts/layout_check.py`` looks
for cut or elided text, widgets off the window and targets under 64 px, prints each problem
and exits 1 if there was any (tests/app/test_every_size.py runs it at every terminal size).

Files: ``<screen>-<lang>-<orientation>.png`` for the shell's screens,
``ideas-<step>-<orientation>-<lang>.png`` and
``drawing-<page>-<orientation>-<lang>.png`` for the flows. Re-run it whenever
a screen changes, and look at every picture.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app import build, dispose, finish_building  # noqa: E402
from kiosk.core.config import find_config, load_config  # noqa: E402
from kiosk.core.config.sections import ContentConfig  # noqa: E402
from contrast_check import problems as contrast_problems  # noqa: E402
from layout_check import mm_per_pixel, problems  # noqa: E402
from screenshots_drawing import drive_drawing  # noqa: E402
from screenshots_ideas import drive_ideas  # noqa: E402

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
EXAMPLE_CONTENT = Path(__file__).resolve().parents[1] / "docs" / "examples" / "content.example.toml"
SCREENS = ("attract", "unavailable", "staff")
FLOWS = ("ideas", "drawing")
OVERLAYS = ("idle", "pin")


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


FOUND: list[str] = []
"""With --check: every problem seen, prefixed by the state it was seen in."""


CONTRAST: list[bool] = [False]
"""With --contrast: measure every text's contrast on the rendered pixels too (scripts/contrast_check.py)."""
DIAGONAL: list[float] = [0.0]
"""The screen's diagonal in inches (--diagonal, else ``[kiosk] screen_diagonal_inch``); 0: not known."""


def capture(window, path: Path, check: bool) -> None:  # noqa: ANN001
    """Save the window as ``path``, or (``check``) look for what a person would see as broken."""
    if check:
        diagonal = DIAGONAL[0] or window.config.kiosk.screen_diagonal_inch
        FOUND.extend(f"{path.stem}: {problem}" for problem in problems(
            window, mm_per_px=mm_per_pixel(window, diagonal), children=path.stem.startswith("drawing-")))
        if CONTRAST[0]:
            FOUND.extend(f"{path.stem}: {problem}" for problem in contrast_problems(window))
    else:
        window.grab().save(str(path))


REACH: list[bool] = [False]
"""With --reach: every visitor screen in reachability mode (ui/shell/reach.py), as after the toggle."""


def shoot(window, name: str, lang: str, orientation: str, out: Path, check: bool = False) -> Path:  # noqa: ANN001
    window.set_reach(REACH[0])
    window.parts.idle.stop()
    window.idle_overlay.stop()
    window.pin_pad.reset()
    if name in OVERLAYS:
        window.show_screen("ideas" if name == "idle" else "attract")
        window.parts.idle.stop()
        if name == "idle":
            window.idle_overlay.start(window.config.idle.countdown_s)
            window.idle_overlay._tick.stop()  # freeze the number for the picture
        else:
            window.pin_pad.open()
            for d in "12":
                window.pin_pad.press_digit(d)
    else:
        window.show_screen(name)
        window.parts.idle.stop()
    settle(window.parts.app)
    path = out / f"{name}-{lang}-{orientation}.png"
    capture(window, path, check)
    return path


def shoot_flow(window, flow: str, lang: str, orientation: str, out: Path,  # noqa: ANN001
               check: bool = False) -> list[Path]:
    """Drive one flow inside the window and grab the whole window at each step."""
    written: list[Path] = []
    window.idle_overlay.stop()
    window.pin_pad.reset()  # closes the pad a previous shot left open
    window.set_reach(REACH[0])
    window.show_screen(flow)
    window.parts.idle.stop()
    screen = window.screens[flow].ensure()

    def shot(step: str) -> None:
        window.parts.idle.stop()
        settle(window.parts.app)
        path = out / f"{flow}-{step}-{orientation}-{lang}.png"
        capture(window, path, check)
        written.append(path)

    if flow == "ideas":
        drive_ideas(screen.flow, window.config, lang, shot)
    else:
        drive_drawing(screen, window.config, shot)
    window.reset_session()
    window.language.set(lang)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=None)
    ap.add_argument("--content", default=str(EXAMPLE_CONTENT), metavar="FILE",
                    help="the content file the ideas flow offers proposals from (default: the invented "
                         "examples in docs/examples; \"\" for none)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
    ap.add_argument("--only", default=None, help="comma-separated screen names")
    ap.add_argument("--sizes", default=None, metavar="WxH,...",
                    help="window sizes instead of 1920x1080 and 1080x1920 (files are named by size)")
    ap.add_argument("--langs", default=None, help="comma-separated languages (default: every configured one)")
    ap.add_argument("--reach", action="store_true", help="in reachability mode (portrait sizes only; files "
                                                         "named <...>-reach)")
    ap.add_argument("--check", action="store_true", help="save nothing; report cut text, widgets off the "
                                                         "window and small targets at every state (exit 1)")
    ap.add_argument("--diagonal", type=float, default=0.0, metavar="INCH",
                    help="with --check: the screen's diagonal, to measure targets in mm (default: "
                         "[kiosk] screen_diagonal_inch)")
    ap.add_argument("--contrast", action="store_true", help="with --check: also measure each text's contrast "
                                                           "against its background on the rendered pixels")
    args = ap.parse_args(argv)
    DIAGONAL[0] = args.diagonal
    CONTRAST[0] = args.contrast
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    names = tuple(args.only.split(",")) if args.only else SCREENS + OVERLAYS + FLOWS
    REACH[0] = args.reach
    config = load_config(find_config(args.config))
    if args.content:
        config = dataclasses.replace(config, content=ContentConfig(file=str(Path(args.content).resolve())))
    with tempfile.TemporaryDirectory() as data:
        sizes = SIZES if not args.sizes else {
            size: tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")}
        if args.reach:
            sizes = {f"{name}-reach": (w, h) for name, (w, h) in sizes.items() if h > w}
        for orientation, (w, h) in sizes.items():
            window = finish_building(build(config, data, windowed=True))
            window.resize(w, h)
            window.show()
            settle(app)
            for lang in (args.langs.split(",") if args.langs else window.language.languages):
                window.language.set(lang)
                for name in names:
                    if name in FLOWS:
                        paths = shoot_flow(window, name, lang, orientation, out, args.check)
                    else:
                        paths = [shoot(window, name, lang, orientation, out, args.check)]
                    if not args.check:
                        print(*paths, sep="\n")
            window.exit_kiosk()
            dispose(window.parts)
            window.deleteLater()
            settle(app)
    for line in FOUND:
        print(line)
    return 1 if FOUND else 0


if __name__ == "__main__":
    raise SystemExit(main())
