"""The kiosk as a screen reader meets it: read and driven through the AT-SPI accessibility bus.

A real X server (Xvfb), a D-Bus session bus of the test's own, the AT-SPI bus (at-spi2-core's
at-spi-bus-launcher, which starts at-spi2-registryd) and the real kiosk with
``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``. ``atspi_reader.py`` reads the tree from outside the
kiosk's process with pyatspi (python3-pyatspi, for /usr/bin/python3) and performs actions,
as Orca would. One kiosk serves the whole module.

- Every visitor screen (attract, each ideas step, the drawing studio, its form and thanks,
  the staff PIN pad), in German and in English: each element a person can act on has the role
  of what it does (a card or key that acts is a push button; a check box only where a state is
  chosen and kept), a name, in the current language (the English names differ from the German
  ones), and the tree reads in the order the screen shows (top to bottom, left to right).
- The kiosk runs with the example content file (docs/examples), so the walk takes the goals
  step's "about a current proposal" card, the list of proposals ("read more" included) and
  the review step's "remove the link".
- A whole idea, from the attract screen to the store, through accessible actions alone:
  the text typed with the on-screen keys' "Press" actions.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import (DRIVER, ROOT, Kiosk, XServer, kiosk_config, need, need_pyatspi, need_qt_xcb, start_xvfb,
                      stop, wait_for)

pytestmark = pytest.mark.slow

READER = Path(__file__).with_name("atspi_reader.py")
EXAMPLE_CONTENT = ROOT / "docs" / "examples" / "content.example.toml"
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"

TOGGLES = re.compile(r"(ideas_age_|ideas_lives_here_|ideas_district_|draw_size_|draw_stamp_|draw_colour_|"
                     r"draw_done_age_)\w+|ideas_consent_check|draw_done_consent|draw_eraser|"
                     r"draw_colouring_page|kb_shift\w*|kb_capslock|attract_reach")
"""What keeps a chosen state on its page (a chip, a tool, a colour, the consent box, Shift): the
only elements that may be check boxes. Everything else that acts is a push button."""

SAME_IN_EVERY_LANGUAGE = re.compile(r"language_\S+|ideas_lang_\S+")
"""Named in the language they offer, whatever the current one ("English – choose this language")."""


@dataclass
class Bus:
    """The accessibility bus, as atspi_reader.py reads it."""

    reader: subprocess.Popen
    x: XServer
    kiosk: Kiosk

    def ask(self, **question: object) -> dict:
        self.reader.stdin.write(json.dumps(question) + "\n")
        self.reader.stdin.flush()
        line = self.reader.stdout.readline()
        assert line, f"the AT-SPI reader exited ({self.reader.poll()})"
        return json.loads(line)

    def tree(self) -> list[dict]:
        """The showing elements; asked again for a moment while the bus has no kiosk (it starts
        again at another scale factor once it knows its screen)."""
        answers = []

        def ask() -> dict | None:
            answers[:] = [self.ask(cmd="tree")]
            return None if "error" in answers[0] else answers[0]

        try:
            return wait_for(ask, 15, "the kiosk's tree", interval=0.2)["nodes"]
        except AssertionError:
            raise AssertionError(answers[0]["error"]) from None

    def wait_for(self, name: str, timeout: float = 10) -> list[dict]:
        """The tree once an element ``name`` shows (and stops changing)."""
        wait_for(lambda: any(n["id"] == name for n in self.tree()), timeout, f"{name} on the accessibility bus")
        time.sleep(0.2)  # the rest of a new page settles (a button shown a moment later)
        return self.tree()

    def do(self, name: str, action: str = "Press") -> None:
        answer = wait_for(lambda: (a := self.ask(cmd="do", id=name, action=action)) and "error" not in a and a, 10,
                          f"{action} on {name}")
        assert answer["done"], f"{action} on {name} was refused"

    def press_on(self, name: str, then: str) -> list[dict]:
        """Press ``name`` as a screen-reader user does to move on (so it must be a push button);
        the tree once ``then`` shows."""
        (node,) = [n for n in self.tree() if n["id"] == name]
        assert node["role"] == "push button", f"{name} leads on but is announced as a {node['role']}"
        self.do(name)
        return self.wait_for(then)

    def insert(self, name: str, text: str) -> None:
        answer = self.ask(cmd="insert", id=name, text=text)
        assert answer.get("done"), answer


def start_bus(env: dict[str, str]) -> subprocess.Popen:
    launcher = subprocess.Popen([LAUNCHER, "--launch-immediately"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    probe = "import pyatspi; pyatspi.Registry.getDesktop(0).childCount"
    wait_for(lambda: subprocess.run(["/usr/bin/python3", "-c", probe], env=env, capture_output=True,
                                    timeout=20).returncode == 0, 20, "the AT-SPI registry")
    return launcher


def session(tmp: Path, width: int, height: int) -> Iterator[Bus]:
    """An X server of ``width`` x ``height``, a session bus, the AT-SPI bus, the kiosk and the reader."""
    need("Xvfb", "dbus-daemon", "xdotool", LAUNCHER, "/usr/libexec/at-spi2-registryd")
    need_pyatspi()
    need_qt_xcb()
    started: list[subprocess.Popen] = []
    x = start_xvfb(width, height)
    started.append(x.proc)
    try:
        dbus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        started.append(dbus)
        env = {**x.env, "DBUS_SESSION_BUS_ADDRESS": dbus.stdout.readline().strip(),
               "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
        started.append(start_bus(env))
        data = tmp / "data"
        data.mkdir()
        config = kiosk_config(tmp)
        # With the example content file, so the "about a current proposal" step is walked too.
        with config.open("a", encoding="utf-8") as f:
            f.write(f'\n[content]\nfile = "{EXAMPLE_CONTENT}"\n')
        argv = [sys.executable, str(DRIVER), str(config), str(data)]
        proc = subprocess.Popen(argv, env={**env, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"},
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                cwd=data)
        kiosk = Kiosk(proc, data)
        kiosk.wait_state(lambda st: st["painted"] and st["scale"] == st["expected_scale"], 40, "the kiosk settled")
        reader = subprocess.Popen(["/usr/bin/python3", str(READER)], env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        started.append(reader)
        found = Bus(reader, x, kiosk)
        found.wait_for("attract_ideas", 20)
        yield found
        kiosk.quit(timeout=5)
    finally:
        for proc in reversed(started):
            stop(proc)


@pytest.fixture(scope="module")
def bus(tmp_path_factory) -> Iterator[Bus]:  # noqa: ANN001
    """The kiosk on a 1920x1080 screen, read through the accessibility bus."""
    yield from session(tmp_path_factory.mktemp("atspi"), 1920, 1080)


@pytest.fixture(scope="module")
def portrait_bus(tmp_path_factory) -> Iterator[Bus]:  # noqa: ANN001
    """The kiosk on a 1080x1920 (portrait) screen, read through the accessibility bus."""
    yield from session(tmp_path_factory.mktemp("atspi-portrait"), 1080, 1920)


# ---------------------------------------------------------------- what every screen must show


def actionable(node: dict) -> bool:
    """Something a person can act on: it presses, toggles or takes text (a progress bar's
    Increase/Decrease on a read-only bar is not for a visitor)."""
    if "read only" in node["states"] and not {"Press", "Toggle"} & set(node["actions"]):
        return False
    return bool({"Press", "Toggle"} & set(node["actions"])) or "editable" in node["states"]


def parent(node: dict) -> str:
    return node["path"].rsplit(".", 1)[0]


def screen_problems(nodes: list[dict]) -> list[str]:
    """Each actionable element without the role of what it does, without a name, or read
    before something shown above it or to its left in the same group."""
    out = []
    acting = [n for n in nodes if actionable(n) and n["extents"][2] > 0 and n["extents"][3] > 0]
    for n in acting:
        if not n["name"].strip():
            out.append(f"{n['id']}: no accessible name")
        if "editable" in n["states"]:
            if n["role"] not in ("text", "entry", "password text"):
                out.append(f"{n['id']}: takes text but is a {n['role']}")
        elif n["role"] == "check box" and not TOGGLES.fullmatch(n["id"]):
            out.append(f"{n['id']}: acts but is announced as a check box")
        elif n["role"] not in ("push button", "check box"):
            out.append(f"{n['id']}: a {n['role']} (expected a push button)")
    # Reading order: within one group (the same parent), the next element to act on is never
    # wholly above the previous one, nor wholly left of it on the same row.
    slack = 4
    for a, b in zip(acting, acting[1:]):
        if parent(a) != parent(b):
            continue
        ax, ay, aw, ah = a["extents"]
        bx, by, bw, bh = b["extents"]
        if by + bh <= ay + slack:
            out.append(f"{b['id']} (at y {by}) is read after {a['id']} (at y {ay}), but shown above it")
        elif by < ay + ah and ay < by + bh and bx + bw <= ax + slack:
            out.append(f"{b['id']} (at x {bx}) is read after {a['id']} (at x {ax}), but shown left of it")
    return out


def names(nodes: list[dict]) -> dict[str, str]:
    return {n["id"]: n["name"] for n in nodes if actionable(n) and n["extents"][2] > 0}


def canvas_stroke(bus: Bus) -> None:
    """A child's stroke on the canvas (real input through the X server: a canvas has no action)."""
    (canvas,) = [n for n in bus.tree() if n["id"] == "draw_canvas"]
    x, y, w, h = canvas["extents"]
    points = [(x + w // 3, y + h // 3), (x + w // 2, y + h // 2), (x + 2 * w // 3, y + h // 2)]
    argv = ["xdotool", "mousemove", *map(str, points[0]), "mousedown", "1"]
    for px, py in points[1:]:
        argv += ["mousemove", str(px), str(py)]
    bus.x.run(*argv, "mouseup", "1")


def choose_language(bus: Bus, lang: str) -> list[dict]:
    """On the attract screen: choose ``lang`` (through its button's action unless it is the
    default); the tree once the screen speaks it."""
    tree = bus.wait_for("attract_ideas")
    if lang == "de":
        return tree
    before = names(tree)["attract_ideas"]
    bus.do(f"language_{lang}")
    wait_for(lambda: names(bus.tree()).get("attract_ideas") not in (None, before), 5, f"the attract screen in {lang}")
    time.sleep(0.2)
    return bus.tree()


def reach_on(bus: Bus) -> list[dict]:
    """On a portrait attract screen: turn reachability mode on through its toggle's action."""
    bus.wait_for("attract_reach")
    bus.do("attract_reach", "Toggle")
    wait_for(lambda: any(n["id"] == "attract_reach" and "checked" in n["states"] for n in bus.tree()), 5,
             "reachability mode on")
    time.sleep(0.2)
    return bus.tree()


def walk_every_screen(bus: Bus, lang: str, prepare: Callable[[], list[dict]] | None = None
                      ) -> dict[str, list[dict]]:
    """Every visitor screen and the PIN pad in ``lang`` ("de" or "en"), reached through the
    accessible actions; the tree of each. ``prepare()`` runs on the attract screen before each
    visit (a visit ends the session: language and reachability mode start afresh)."""
    prepare = prepare or (lambda: choose_language(bus, lang))
    seen: dict[str, list[dict]] = {}
    bus.kiosk.wait_state(lambda s: s["current"] == "attract", 10, "the attract screen")
    seen["attract"] = prepare()
    seen["topics"] = bus.press_on("attract_ideas", "ideas_topic_kompetenzen")
    seen["goals"] = bus.press_on("ideas_topic_kompetenzen", "ideas_goal_own")
    # The platform's proposals (from the content file): "read more" renames itself, a card leads on.
    seen["proposals"] = bus.press_on("ideas_goal_platform", "ideas_proposals_none")
    more = "ideas_proposal_proposal_104_more"
    show = names(seen["proposals"])[more]
    bus.do(more)
    wait_for(lambda: names(bus.tree()).get(more) not in (None, show), 5, "'read more' of a proposal renamed")
    seen["proposals-more"] = bus.wait_for("ideas_proposals_none")
    seen["write"] = bus.press_on("ideas_proposal_proposal_104", "ideas_text")
    bus.insert("ideas_text", "Lotsen auch am Samstag" if lang == "de" else "Guides on Saturdays too")
    seen["write-typed"] = bus.wait_for("ideas_write_next")
    seen["about"] = bus.press_on("ideas_write_next", "ideas_age_30_49")
    seen["consent"] = bus.press_on("ideas_about_skip", "ideas_consent_check")
    show = names(seen["consent"])["ideas_consent_more"]
    bus.do("ideas_consent_more")  # its name says what it will do next: hide the notice again
    wait_for(lambda: names(bus.tree()).get("ideas_consent_more") not in (None, show), 5, "'read more' renamed")
    seen["consent-more"] = bus.wait_for("ideas_consent_check")
    bus.do("ideas_consent_check")
    seen["consent-given"] = bus.wait_for("ideas_consent_next")
    seen["review"] = bus.press_on("ideas_consent_next", "ideas_review_send")
    seen["thanks"] = bus.press_on("ideas_review_send", "ideas_thanks_done")
    bus.press_on("ideas_thanks_done", "attract_drawing")  # a finished visit ends the session: German again
    prepare()
    seen["studio"] = bus.press_on("attract_drawing", "draw_canvas")
    canvas_stroke(bus)
    seen["studio-drawn"] = bus.wait_for("draw_done")
    seen["drawing-form"] = bus.press_on("draw_done", "draw_done_send")
    bus.do("draw_done_consent")
    seen["drawing-thanks"] = bus.press_on("draw_done_send", "draw_thanks_finish")
    bus.press_on("draw_thanks_finish", "attract_ideas")
    prepare()
    for _ in range(5):  # staff's corner taps, through the X server (a gesture, not an element)
        bus.x.run("xdotool", "mousemove", str(bus.x.width - 20), "20", "click", "1")
    seen["pin-pad"] = bus.wait_for("pin_digit_5")
    bus.press_on("pin_cancel", "attract_ideas")
    return seen


def test_every_visitor_screen_names_its_elements_in_the_visitors_language_in_visual_order(bus: Bus) -> None:
    trees = {lang: walk_every_screen(bus, lang) for lang in ("de", "en")}
    found = [f"{lang} {screen}: {problem}" for lang, screens in trees.items()
             for screen, tree in screens.items() for problem in screen_problems(tree)]
    assert found == [], "\n".join(found)
    # English names for everything a visitor acts on, not the German ones left standing.
    german = [f"{screen}: {name} keeps {text!r}" for screen, tree in trees["de"].items()
              for name, text in names(tree).items()
              if names(trees["en"][screen]).get(name) == text and not SAME_IN_EVERY_LANGUAGE.fullmatch(name)]
    assert german == []
    assert set(trees["de"]) == set(trees["en"])
    for lang, screens in trees.items():  # each screen is what it says: the pages were reached
        assert all(names(tree) for tree in screens.values()), lang
        assert "ideas_review_platform_remove" in names(screens["review"]), lang  # the proposal's link, removable


KEYS = {" ": "kb_space", ",": "kb_comma", ".": "kb_period", "!": "kb_exclam", "?": "kb_question", "-": "kb_minus",
        "ä": "kb_ae", "ö": "kb_oe", "ü": "kb_ue", "ß": "kb_sz"}


def type_with_keys(bus: Bus, text: str) -> None:
    """Type ``text`` with the on-screen keys' Press actions (Shift before a capital)."""
    for ch in text:
        if ch.isupper():
            bus.do("kb_shift")
        bus.do(KEYS.get(ch.lower(), f"kb_{ch.lower()}"))


def stored_ideas(data_dir: Path) -> list:
    from kiosk.core.storage import Store

    with Store.open_in(data_dir) as store:
        return list(store.iter_submissions("idea"))


def test_a_whole_idea_through_accessible_actions_alone(bus: Bus) -> None:
    bus.kiosk.wait_state(lambda s: s["current"] == "attract", 10, "the attract screen")
    bus.wait_for("attract_ideas")
    text = "Mehr Bänke am Markt!"
    bus.press_on("attract_ideas", "ideas_topic_stadtentwicklung")
    goals = bus.press_on("ideas_topic_stadtentwicklung", "ideas_goal_own")
    goal = next(n["id"] for n in goals if n["id"].startswith("ideas_goal_") and n["id"] != "ideas_goal_own"
                and actionable(n))
    bus.press_on(goal, "kb_a")
    type_with_keys(bus, text)
    wait_for(lambda: any(n["id"] == "ideas_text" and n.get("text") == text for n in bus.tree()), 5,
             "the typed text in the idea's field")
    bus.press_on("ideas_write_next", "ideas_age_30_49")
    bus.do("ideas_age_30_49")
    bus.do("ideas_lives_here_yes")
    wait_for(lambda: {"ideas_age_30_49", "ideas_lives_here_yes"} <= {n["id"] for n in bus.tree()
                                                                     if "checked" in n["states"]}, 5, "the chips")
    bus.press_on("ideas_about_next", "ideas_consent_check")
    bus.do("ideas_consent_check")
    bus.wait_for("ideas_consent_next")
    review = bus.press_on("ideas_consent_next", "ideas_review_send")
    assert any(n["id"] == "ideas_review_text" and n["name"] == text for n in review)
    bus.press_on("ideas_review_send", "ideas_thanks_done")
    mine = [i for i in stored_ideas(bus.kiosk.data_dir) if i.text == text]
    assert [(i.topic_id, i.goal_id, i.age_group, i.lives_here, i.consent_given) for i in mine] == [
        ("stadtentwicklung", goal.removeprefix("ideas_goal_"), "30-49", True, True)]
    bus.press_on("ideas_thanks_done", "attract_ideas")


def test_in_portrait_every_screen_still_reads_in_the_order_shown(portrait_bus: Bus) -> None:
    """The portrait layouts (one column where landscape has two; the reachability toggle on the
    attract screen) read as they are shown."""
    screens = walk_every_screen(portrait_bus, "de")
    found = [f"portrait {screen}: {problem}" for screen, tree in screens.items() for problem in screen_problems(tree)]
    assert found == [], "\n".join(found)
    (toggle,) = [n for n in screens["attract"] if n["id"] == "attract_reach"]
    assert toggle["role"] == "check box" and toggle["name"] and toggle["description"]
