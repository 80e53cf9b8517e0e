"""The kiosk on a real X server (Xvfb), with no window manager and with openbox; real input (xdotool).

What a terminal started with xinit or ``xvfb-run kiosk run`` gets, and one with a plain window
manager: the window covers the screen and lays out at the screen's scale on every start, follows
the screen when it changes, takes typed input from the on-screen keys into the store, and stays
where it was through the keys and requests that would close or hide an ordinary window.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import XServer, kiosk_config, need, need_qt_xcb, wait_for

pytestmark = pytest.mark.slow

STARTS = 20


@pytest.fixture
def x_kiosk(xvfb, openbox, start_kiosk):  # noqa: ANN001, ANN201
    """``x_kiosk(wm, width, height)``: an X server (with openbox if ``wm``) and the kiosk on it."""
    need("Xvfb", "xdotool", "xwininfo")
    need_qt_xcb()

    def make(wm: bool, width: int = 1920, height: int = 1080, **kw):  # noqa: ANN003, ANN202
        x = xvfb(width, height)
        if wm:
            openbox(x)
        kiosk = start_kiosk(x.env, **kw)
        kiosk.wait_painted()
        return x, kiosk

    return make


def full_size(x: XServer, state: dict) -> bool:
    """The window covers the whole screen and is laid out at the scale of its real size."""
    return (state["geometry"] == [0, 0, x.width, x.height] == state["screen_geometry"]
            and state["scale"] == state["expected_scale"] and state["visible"] and not state["minimized"])


def x_geometry(x: XServer, title: str = "Smart City-Fest Jena") -> tuple[int, int, int, int]:
    """The window's geometry as the X server has it (xwininfo), not as Qt believes it."""
    out = x.run("xwininfo", "-name", title).stdout
    values = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines()) if v}
    return (int(values["Absolute upper-left X"]), int(values["Absolute upper-left Y"]),
            int(values["Width"]), int(values["Height"]))


@pytest.mark.parametrize("wm", [False, True], ids=["no-wm", "openbox"])
def test_twenty_starts_all_come_up_full_size_at_the_right_scale(xvfb, openbox, start_kiosk, tmp_path, wm) -> None:
    need("Xvfb", "xwininfo")
    need_qt_xcb()
    x = xvfb(1920, 1080)
    if wm:
        openbox(x)
    config = kiosk_config(tmp_path)
    results = []
    for n in range(STARTS):
        kiosk = start_kiosk(x.env, config=config)
        kiosk.wait_painted()
        # Settled as a visitor sees it: within a second of the first paint.
        state = kiosk.wait_state(lambda s: full_size(x, s), 1.5, f"start {n + 1}: full size at the right scale")
        assert x_geometry(x) == (0, 0, 1920, 1080)
        results.append(state["scale"])
        assert kiosk.quit() == 0
    assert results == [1.0] * STARTS


@pytest.mark.parametrize("wm", [False, True], ids=["no-wm", "openbox"])
def test_the_kiosk_follows_a_monitor_plugged_in_and_out(x_kiosk, tmp_path, keep_shot, wm) -> None:
    need("xrandr")
    x, kiosk = x_kiosk(wm)
    assert full_size(x, kiosk.state())
    # A 1280x720 monitor appears and becomes the primary one (RandR 1.5 monitors, as Qt sees them).
    # It wants another scale factor (1280 x 720 / 1080 = 0.6667): the kiosk starts again to draw at
    # it, and fills the monitor with its 1080p layout (1920x1080 logical pixels).
    x.run("xrandr", "--setmonitor", "kiosk-test", "1280/338x720/190+0+0", "none")
    # The monitors overlap ("screen" holds the new one), so the window is checked against the primary
    # screen, where the kiosk belongs; openbox may fullscreen onto the larger one: the kiosk then
    # places itself (ui/shell/screen_fit.py).
    state = kiosk.wait_state(lambda s: s["primary"] == "kiosk-test" and s["geometry"] == s["primary_geometry"]
                             == [0, 0, 1920, 1080] and s["scale"] == 1.0, 30,
                             "the kiosk on the new 1280x720 monitor, drawn at 0.6667")
    assert not state["portrait"] and kiosk.restarts == 1
    keep_shot(x.screenshot(tmp_path / "720.png"), f"x11-{'openbox' if wm else 'no-wm'}-monitor-1280x720.png")
    # Unplugged: back on the whole of the first screen, at its scale (1.0: another start).
    x.run("xrandr", "--delmonitor", "kiosk-test")
    kiosk.wait_state(lambda s: full_size(x, s) and not s["portrait"], 30, "the kiosk back on the 1920x1080 screen")
    assert kiosk.restarts == 2
    # A portrait monitor (720x1080) plugged in: drawn at 720 / 1080, the portrait layout.
    x.run("xrandr", "--setmonitor", "kiosk-portrait", "720/190x1080/286+0+0", "none")
    state = kiosk.wait_state(lambda s: s["primary"] == "kiosk-portrait" and s["geometry"] == s["primary_geometry"]
                             == [0, 0, 1080, 1620] and s["portrait"], 30, "the kiosk in portrait on the portrait monitor")
    assert state["scale"] == state["expected_scale"] == 0.95  # layout_for(1080, 1620): a 2:3 screen
    keep_shot(x.screenshot(tmp_path / "portrait.png"), f"x11-{'openbox' if wm else 'no-wm'}-monitor-720x1080.png")
    x.run("xrandr", "--delmonitor", "kiosk-portrait")
    kiosk.wait_state(lambda s: full_size(x, s) and not s["portrait"], 30, "the kiosk back on the 1920x1080 screen")


def tap(x: XServer, kiosk, name: str) -> None:  # noqa: ANN001
    """A real click (press and release through the X server) on the visible widget ``name``."""
    px, py = kiosk.where(name)
    x.run("xdotool", "mousemove", str(px), str(py), "click", "1")


KEYS = {" ": "kb_space", ",": "kb_comma", ".": "kb_period", "!": "kb_exclam", "?": "kb_question", "-": "kb_minus",
        "ä": "kb_ae", "ö": "kb_oe", "ü": "kb_ue", "ß": "kb_sz"}


def type_on_screen(x: XServer, kiosk, text: str, field: str) -> None:  # noqa: ANN001
    """Type ``text`` by tapping the on-screen keys (shift before a capital), checking the field as it grows."""
    for n, ch in enumerate(text):
        if ch.isupper():
            tap(x, kiosk, "kb_shift")
        tap(x, kiosk, KEYS.get(ch.lower(), f"kb_{ch.lower()}"))
        wait_for(lambda: kiosk.ask("text", name=field)["text"] == text[:n + 1], 5,
                 f"{text[:n + 1]!r} in {field}")


def stored_ideas(data_dir: Path) -> list:
    from kiosk.core.storage import Store

    with Store.open_in(data_dir) as store:
        return list(store.iter_submissions("idea"))


@pytest.mark.parametrize("wm", [False, True], ids=["no-wm", "openbox"])
def test_an_idea_typed_on_the_on_screen_keys_is_stored_as_typed(x_kiosk, tmp_path, keep_shot, wm) -> None:
    x, kiosk = x_kiosk(wm)
    title, text = "Mehr Bänke", "Hallo Jena, mehr Schatten im Park!"
    tap(x, kiosk, "attract_ideas")
    kiosk.wait_state(lambda s: s["step"] == "topics", 10, "the topics step")
    tap(x, kiosk, "ideas_topic_kompetenzen")
    kiosk.wait_state(lambda s: s["step"] == "goals", 10, "the goals step")
    tap(x, kiosk, "ideas_goal_own")
    kiosk.wait_state(lambda s: s["step"] == "write", 10, "the write step")
    tap(x, kiosk, "ideas_title")
    type_on_screen(x, kiosk, title, "ideas_title")
    tap(x, kiosk, "ideas_text")
    type_on_screen(x, kiosk, text, "ideas_text")
    keep_shot(x.screenshot(tmp_path / "typed.png"), f"x11-{'openbox' if wm else 'no-wm'}-typed-on-screen-keys.png")
    tap(x, kiosk, "ideas_write_next")
    kiosk.wait_state(lambda s: s["step"] == "about", 10, "the about step")
    tap(x, kiosk, "ideas_about_skip")
    kiosk.wait_state(lambda s: s["step"] == "consent", 10, "the consent step")
    tap(x, kiosk, "ideas_consent_check")
    tap(x, kiosk, "ideas_consent_next")
    kiosk.wait_state(lambda s: s["step"] == "review", 10, "the review step")
    tap(x, kiosk, "ideas_review_send")
    kiosk.wait_state(lambda s: s["step"] == "thanks", 10, "the thank-you step")
    (idea,) = stored_ideas(kiosk.data_dir)
    assert (idea.title, idea.text, idea.topic_id, idea.consent_given) == (title, text, "kompetenzen", True)


CLOSERS = [("Escape",), ("alt+F4",), ("ctrl+w",), ("ctrl+q",), ("super+d",)]


@pytest.mark.parametrize("wm", [False, True], ids=["no-wm", "openbox"])
def test_keys_and_close_requests_leave_the_kiosk_where_it_was(x_kiosk, tmp_path, keep_shot, wm) -> None:
    x, kiosk = x_kiosk(wm)
    tap(x, kiosk, "attract_ideas")
    tap(x, kiosk, "ideas_topic_kompetenzen")
    tap(x, kiosk, "ideas_goal_own")
    kiosk.wait_state(lambda s: s["step"] == "write", 10, "the write step")
    type_on_screen(x, kiosk, "Jena", "ideas_text")
    before = kiosk.state()
    requests = [("key", *keys) for keys in CLOSERS]
    if wm:
        requests.append(("wmctrl", "-c", "Smart City-Fest Jena"))  # the window manager's close request
    for request in requests:
        if request[0] == "key":
            x.run("xdotool", "key", "--clearmodifiers", request[1])
        else:
            x.run(*request)
        time.sleep(0.6)  # past ScreenFit's reclaim delay
        state = kiosk.wait_state(lambda s: full_size(x, s) and s["exposed"], 5, f"the kiosk back after {request}")
        assert (state["current"], state["step"]) == (before["current"], before["step"]), request
        assert kiosk.ask("text", name="ideas_text")["text"] == "Jena", request
        assert kiosk.proc.poll() is None, request
    assert x_geometry(x) == (0, 0, 1920, 1080)
    shot = x.screenshot(tmp_path / "after.png")
    keep_shot(shot, f"x11-{'openbox' if wm else 'no-wm'}-write-after-close-requests.png")
    tap(x, kiosk, "kb_exclam")  # and it still takes input after all that
    wait_for(lambda: kiosk.ask("text", name="ideas_text")["text"] == "Jena!", 5, "the key after the requests")
