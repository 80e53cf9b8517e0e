"""The whole ideas flow, driven through objectNames, ending in the real store."""

from __future__ import annotations

import dataclasses
import time

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QWidget)

from kiosk.core.config import BUNDLED_CONFIG, load_config
from kiosk.core.idea_draft import IdeaDraft, idea_url
from ui.ideas.flow import STEPS, IdeaFlow
from ui.common.keyboard import ENTER, LAYERS, SHIFT, SPACE, TO_LETTERS, TO_SYMBOLS, KeyboardWidget, object_name
from ui.common.limited_text import LimitedLineEdit, LimitedTextEdit

from kiosk.core.storage import DiskFullError, Store


@pytest.fixture(scope="module")
def config():
    return load_config(BUNDLED_CONFIG)


def make_flow(qtbot, config, store, lang="de", size=(1920, 1080)) -> IdeaFlow:
    flow = IdeaFlow(config, store, lang)
    qtbot.add_widget(flow)
    flow.resize(*size)
    flow.show()
    qtbot.wait_exposed(flow)
    flow.activateWindow()
    assert QTest.qWaitForWindowActive(flow)
    return flow


def find(root: QWidget, cls, name: str):  # noqa: ANN001, ANN201
    w = root.findChild(cls, name)
    assert w is not None, name
    return w


def tap(root: QWidget, name: str, cls=QAbstractButton) -> None:  # noqa: ANN001
    w = find(root, cls, name)
    assert w.isVisible() and w.isEnabled(), name
    QTest.mouseClick(w, Qt.MouseButton.LeftButton)


def type_onscreen(kb: KeyboardWidget, text: str) -> None:
    """Tap the keys a person would tap, by objectName, switching layers and shift."""
    letters = {k for row in LAYERS["letters"] for k, _ in row}
    symbols = {k for row in LAYERS["symbols"] for k, _ in row}

    def press(layer: str, key: str) -> None:
        want_symbols = layer == "symbols"
        if (kb.layer == "symbols") != want_symbols:
            switch = TO_SYMBOLS if want_symbols else TO_LETTERS
            QTest.mouseClick(find(kb, QPushButton, object_name(kb.layer, switch)), Qt.MouseButton.LeftButton)
        button = find(kb, QPushButton, object_name(layer, key))
        assert button.isVisible(), key
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    for ch in text:
        if ch == " ":
            press(kb.layer, SPACE)
        elif ch == "\n":
            press(kb.layer, ENTER)
        elif ch in letters:
            press("letters", ch)
        elif ch.lower() in letters and ch != ch.lower():
            press("letters", SHIFT)
            press("letters", ch.lower())
        elif ch in symbols:
            press("symbols", ch)
        else:
            raise AssertionError(f"no key for {ch!r}")


def physical_key(widget: QWidget, ch: str) -> None:
    """One key as a German keyboard sends it. QTest.keyClicks asserts on ü or €,
    so non-ASCII characters go as key events with the key code and text that
    the platform would deliver (Key_Udiaeresis + "ü"; € has no Qt key code of its own)."""
    if ch.isascii():
        QTest.keyClicks(widget, ch)
        return
    key = Qt.Key(ord(ch.upper())) if ord(ch) < 0x100 else Qt.Key.Key_unknown
    mods = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, mods, ch))


def type_physical(widget: QWidget, text: str) -> None:
    for ch in text:
        if ch == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        else:
            physical_key(widget, ch)


IDEAS = {
    "de": {"title": "Tempo 30 vor Schulen", "text": "Mehr Ruhe für Lobeda!\nAmpeln mit Knopf & Anzeige (ca. 20 €).",
           "name": "Anna Müller"},
    "en": {"title": "Quiet streets", "text": "Fewer cars near schools?\nYes: 100% safer, says @Jena_Lab!",
           "name": "Sam O'Neill"},
}


def walk_to_write(flow: IdeaFlow, topic="stadtentwicklung", goal="mobilitaet") -> None:
    tap(flow, f"ideas_topic_{topic}")
    assert flow.current_step() == "goals"
    tap(flow, f"ideas_goal_{goal}" if goal else "ideas_goal_own")
    assert flow.current_step() == "write"


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("keyboard", ["onscreen", "physical", "mixed"])
def test_whole_flow_ends_in_the_store(qtbot, config, store, lang, keyboard, decode_qr):
    flow = make_flow(qtbot, config, store, lang)
    idea = IDEAS[lang]
    flow.start()
    walk_to_write(flow, goal="mobilitaet" if lang == "de" else None)

    write = flow.write
    title = find(flow, LimitedLineEdit, "ideas_title")
    text = find(flow, LimitedTextEdit, "ideas_text")
    QTest.mouseClick(title, Qt.MouseButton.LeftButton)
    assert title.hasFocus()
    if keyboard == "onscreen":
        type_onscreen(write.keyboard, idea["title"])
        QTest.mouseClick(text.viewport(), Qt.MouseButton.LeftButton)
        type_onscreen(write.keyboard, idea["text"])
    elif keyboard == "physical":
        type_physical(title, idea["title"])
        QTest.mouseClick(text.viewport(), Qt.MouseButton.LeftButton)
        type_physical(text, idea["text"])
    else:  # both in the same idea
        type_physical(title, idea["title"][:4])
        type_onscreen(write.keyboard, idea["title"][4:])
        QTest.mouseClick(text.viewport(), Qt.MouseButton.LeftButton)
        half = len(idea["text"]) // 2
        type_onscreen(write.keyboard, idea["text"][:half])
        type_physical(text, idea["text"][half:])
    assert text.hasFocus()  # the on-screen keyboard never took it
    assert find(flow, QLabel, "ideas_count").text().startswith(str(len(idea["text"])))
    tap(flow, "ideas_write_next")

    assert flow.current_step() == "about"
    tap(flow, "ideas_age_30_49")
    tap(flow, "ideas_lives_here_yes")
    tap(flow, "ideas_district_lobeda")
    name = find(flow, LimitedLineEdit, "ideas_name")
    QTest.mouseClick(name, Qt.MouseButton.LeftButton)
    assert flow.about.keyboard.isVisible()
    if keyboard == "physical":
        type_physical(name, idea["name"])
    else:
        type_onscreen(flow.about.keyboard, idea["name"])
    assert "veröffentlicht" in find(flow, QLabel, "ideas_name_notice").text() or lang == "en"
    tap(flow, "ideas_about_next")

    assert flow.current_step() == "consent"
    assert not find(flow, QPushButton, "ideas_consent_next").isEnabled()
    tap(flow, "ideas_consent_more")
    assert find(flow, QLabel, "ideas_consent_full").isVisible()
    tap(flow, "ideas_consent_check", QCheckBox)
    tap(flow, "ideas_consent_next")

    assert flow.current_step() == "review"
    assert find(flow, QLabel, "ideas_review_text").text() == idea["text"]
    with qtbot.wait_signal(flow.submitted) as sent:
        tap(flow, "ideas_review_send")
    assert flow.current_step() == "thanks"

    saved = store.get(sent.args[0])
    assert saved is not None
    assert saved.kind == "idea"
    assert saved.topic_id == "stadtentwicklung"
    assert saved.goal_id == ("mobilitaet" if lang == "de" else None)
    assert saved.title == idea["title"]
    assert saved.text == idea["text"]
    assert (saved.author_name, saved.age_group, saved.district, saved.lives_here) == (
        idea["name"], "30-49", "Lobeda", True)
    assert saved.consent_given and saved.consent_version == config.consent.version
    assert saved.locale == lang

    code = find(flow, QLabel, "ideas_thanks_code").text().replace(" ", "")
    assert code == saved.reference_code
    qr = flow.thanks.qr
    assert qr.isVisible()
    decoded = decode_qr(qr)
    assert decoded == [idea_url(config, saved.reference_code, saved.status_token)]
    assert saved.status_token and decoded[0].endswith("/s/" + saved.status_token)  # the receiver's status page

    with qtbot.wait_signal(flow.finished):
        tap(flow, "ideas_thanks_done")
    assert flow.current_step() == "topics"


def fill_everything(flow: IdeaFlow, until: str) -> None:
    """Enter distinctive data in every step up to (and on) ``until``."""
    QGuiApplication.clipboard().setText("CLIPBOARD-SECRET")
    walk_to_write(flow)
    flow.write.title.insert_text("TITLE-SECRET")
    flow.write.text.setFocus()
    flow.write.text.insert_text("TEXT-SECRET " + "x" * 2000)  # also shows the cut notice
    flow.write.keyboard.button(SHIFT).click()
    flow.write.keyboard.button(TO_SYMBOLS).click()
    if until == "write":
        return
    tap(flow, "ideas_write_next")
    tap(flow, "ideas_age_18_29")
    tap(flow, "ideas_lives_here_no")
    tap(flow, "ideas_district_zentrum")
    QTest.mouseClick(flow.about.name, Qt.MouseButton.LeftButton)
    flow.about.name.insert_text("NAME-SECRET")
    flow.about.keyboard.button("⇪").click()
    if until == "about":
        return
    tap(flow, "ideas_about_next")
    tap(flow, "ideas_consent_more")
    tap(flow, "ideas_consent_check", QCheckBox)
    if until == "consent":
        return
    tap(flow, "ideas_consent_next")
    if until == "review":
        return
    tap(flow, "ideas_review_send")
    assert flow.current_step() == "thanks"


SECRETS = ("TITLE-SECRET", "TEXT-SECRET", "NAME-SECRET", "Zentrum", "18–29")


def assert_nothing_left(flow: IdeaFlow) -> None:
    for w in flow.findChildren(QLineEdit):
        assert w.text() == "" and not w.isUndoAvailable(), w.objectName()
    for w in flow.findChildren(QPlainTextEdit):
        assert w.toPlainText() == "" and not w.document().isUndoAvailable(), w.objectName()
    for w in flow.findChildren(QAbstractButton):
        if w.isCheckable() and w.isChecked():
            assert w.objectName() == f"ideas_lang_{flow.lang}", w.objectName()
    for w in flow.findChildren(QLabel):
        if w.objectName().startswith(("ideas_review", "ideas_thanks_code")):
            assert not any(s in w.text() for s in SECRETS), w.objectName()
    for kb in flow.findChildren(KeyboardWidget):
        assert (kb.shift, kb.caps, kb.layer) == (False, False, "letters")
    assert not flow.write.notice.isVisible() and not flow.about.name_cut.isVisible()
    assert not flow.about.keyboard.isVisible() and not flow.consent.full_scroll.isVisible()
    assert flow.thanks.qr.data() == "" and flow.thanks.code == ""
    assert flow.draft == IdeaDraft()
    assert flow.goals.selected() is None and flow.topics.selected() is None
    assert QGuiApplication.clipboard().text() == ""
    assert flow.current_step() == "topics"


@pytest.mark.parametrize("step", ["write", "about", "consent", "review", "thanks"])
def test_idle_reset_in_the_middle_of_each_step(qtbot, config, store, step):
    flow = make_flow(qtbot, config, store)
    flow.start()
    fill_everything(flow, step)
    assert flow.current_step() == step
    flow.reset()  # what the shell's idle handler calls on every screen
    assert_nothing_left(flow)


def test_idle_reset_on_topics_and_goals(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    tap(flow, "ideas_topic_gesundheit")
    flow.reset()
    assert_nothing_left(flow)
    tap(flow, "ideas_topic_gesundheit")
    assert flow.goals.selected() is None  # goals come fresh


def test_cut_notice_and_count(qtbot, config, store):
    flow = make_flow(qtbot, config, store, "en")
    walk_to_write(flow)
    flow.write.text.setFocus()
    QGuiApplication.clipboard().setText("Radweg " * 300)
    QTest.keyClick(flow.write.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    notice = find(flow, QLabel, "ideas_cut_notice")
    assert notice.isVisible() and "1000" in notice.text()
    assert find(flow, QLabel, "ideas_count").text() == "1000 of 1000 characters"


def test_five_megabyte_paste_does_not_freeze(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    walk_to_write(flow)
    flow.write.text.setFocus()
    QGuiApplication.clipboard().setText("Jena braucht mehr Bänke im Park. " * 160_000)  # ~5.3 MB
    start = time.perf_counter()
    QTest.keyClick(flow.write.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    assert time.perf_counter() - start < 1.5
    assert len(flow.write.idea_text()) == config.flows.text_limit
    assert flow.write.notice.isVisible()


class FailingStore(Store):
    """The real store, failing on add while ``exc`` is set."""

    def __init__(self, data_dir, exc: Exception) -> None:  # noqa: ANN001
        super().__init__(data_dir / "kiosk.db")
        self.exc: Exception | None = exc

    def add(self, sub) -> None:  # noqa: ANN001
        if self.exc is not None:
            raise self.exc
        super().add(sub)


@pytest.mark.parametrize("exc, kind", [(DiskFullError("disk full"), "disk"), (OSError("boom"), "other")])
def test_store_failure_is_friendly_and_keeps_the_text(qtbot, config, exc, kind, tmp_path):
    store = FailingStore(tmp_path, exc)
    flow = make_flow(qtbot, config, store)
    walk_to_write(flow)
    flow.write.text.insert_text("Meine Idee bleibt.")
    tap(flow, "ideas_write_next")
    tap(flow, "ideas_about_skip")
    tap(flow, "ideas_consent_check", QCheckBox)
    tap(flow, "ideas_consent_next")
    with qtbot.assert_not_emitted(flow.submitted):
        tap(flow, "ideas_review_send")
    error = find(flow, QLabel, "ideas_review_error")
    assert flow.current_step() == "review" and error.isVisible()
    assert ("voll" in error.text()) == (kind == "disk")
    assert "Traceback" not in error.text()
    assert flow.write.idea_text() == "Meine Idee bleibt." and flow.draft.text == "Meine Idee bleibt."
    store.exc = None  # staff freed space: sending again works
    with qtbot.wait_signal(flow.submitted) as sent:
        tap(flow, "ideas_review_send")
    assert store.get(sent.args[0]).text == "Meine Idee bleibt."
    store.close()


def test_skip_about_gives_no_details(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    walk_to_write(flow, goal=None)
    flow.write.text.insert_text("Kurz.")
    tap(flow, "ideas_write_next")
    tap(flow, "ideas_age_65_plus")
    tap(flow, "ideas_about_skip")  # one tap, and what was chosen is dropped
    assert flow.current_step() == "consent"
    assert (flow.draft.age_group, flow.draft.author_name, flow.draft.district, flow.draft.lives_here) == (
        None, "", None, None)


@pytest.mark.parametrize("lang_from, lang_to", [("de", "en"), ("en", "de")])
def test_language_switches_live_on_every_step(qtbot, config, store, lang_from, lang_to):
    flow = make_flow(qtbot, config, store, lang_from)
    headings = {"topics": "ideas_topics_heading", "goals": "ideas_goals_heading", "write": "ideas_write_heading",
                "about": "ideas_about_heading", "consent": "ideas_consent_heading",
                "review": "ideas_review_heading", "thanks": "ideas_thanks_heading"}
    actions = {"topics": lambda: tap(flow, "ideas_topic_verwaltung"),
               "goals": lambda: tap(flow, "ideas_goal_buergerkonto"),
               "write": lambda: (flow.write.text.insert_text("Hallo"), tap(flow, "ideas_write_next")),
               "about": lambda: tap(flow, "ideas_about_next"),
               "consent": lambda: (tap(flow, "ideas_consent_check", QCheckBox), tap(flow, "ideas_consent_next")),
               "review": lambda: tap(flow, "ideas_review_send")}
    lang = lang_from
    for step in list(STEPS) + ["thanks"]:
        assert flow.current_step() == step
        heading = find(flow, QLabel, headings[step])
        before = heading.text()
        other = lang_to if lang == lang_from else lang_from
        with qtbot.wait_signal(flow.language_changed) as changed:
            tap(flow, f"ideas_lang_{other}")
        assert changed.args == [other] and heading.text() != before
        lang = other
        if step in actions:
            actions[step]()
    topic_card = find(flow, QPushButton, "ideas_topic_verwaltung")
    assert topic_card.accessibleName().endswith(config.topic("verwaltung").title.get_text(lang))


def test_back_on_every_step(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    walk_to_write(flow)
    flow.write.text.insert_text("x")
    tap(flow, "ideas_write_next")
    tap(flow, "ideas_about_next")
    tap(flow, "ideas_consent_check", QCheckBox)
    tap(flow, "ideas_consent_next")
    for expected in ["consent", "about", "write", "goals", "topics"]:
        progress = find(flow, QLabel, "ideas_progress").text()
        tap(flow, "ideas_back")
        assert flow.current_step() == expected
        assert find(flow, QLabel, "ideas_progress").text() != progress
    assert flow.write.idea_text() == "x"  # going back keeps what was written
    with qtbot.wait_signal(flow.finished):
        tap(flow, "ideas_back")


def test_thanks_returns_after_timeout(qtbot, config, store):
    quick = dataclasses.replace(config, idle=dataclasses.replace(config.idle, thanks_timeout_s=0.2))
    flow = make_flow(qtbot, quick, store)
    walk_to_write(flow)
    flow.write.text.insert_text("x")
    tap(flow, "ideas_write_next")
    tap(flow, "ideas_about_skip")
    tap(flow, "ideas_consent_check", QCheckBox)
    tap(flow, "ideas_consent_next")
    tap(flow, "ideas_review_send")
    with qtbot.wait_signal(flow.finished, timeout=2000):
        pass
    assert flow.current_step() == "topics"


def test_clipboard_of_a_previous_visitor_is_gone(qtbot, config, store):
    QGuiApplication.clipboard().setText("the previous visitor's phone number")
    flow = make_flow(qtbot, config, store)
    flow.start()
    walk_to_write(flow)
    flow.write.text.setFocus()
    QTest.keyClick(flow.write.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert flow.write.idea_text() == ""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_interactive_widget_is_named(qtbot, config, store, lang):
    flow = make_flow(qtbot, config, store, lang)
    tap(flow, "ideas_topic_infrastruktur")  # build the goal cards too
    widgets = flow.findChildren(QAbstractButton) + flow.findChildren(QLineEdit) + flow.findChildren(QPlainTextEdit)
    widgets.append(flow.thanks.qr)
    for w in widgets:
        assert w.objectName(), w
        assert w.accessibleName(), w.objectName()
    # Unique within each step; the two keyboards (write, about) share key names.
    for step in flow.steps.values():
        names = [w.objectName() for w in step.findChildren(QAbstractButton) + step.findChildren(QLineEdit)]
        assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_portrait_layout(qtbot, config, store):
    flow = make_flow(qtbot, config, store, size=(1080, 1920))
    assert flow._portrait is True
    walk_to_write(flow)
    for b in flow.write.keyboard.buttons["letters"]:
        assert b.width() >= 64 and b.height() >= 64


def test_pasted_direction_controls_cannot_reorder_what_follows(qtbot, config, store):
    """German, Arabic and Hebrew in one idea, with a pasted RIGHT-TO-LEFT OVERRIDE left open:
    the letters are kept, the open override never reaches the review screen or the store."""
    from kiosk.core.bidi import FSI, PDI, has_controls

    arabic, hebrew = "\u0641\u0643\u0631\u0629 \u062c\u064a\u062f\u0629", "\u05e8\u05e2\u05d9\u05d5\u05df"
    flow = make_flow(qtbot, config, store)
    walk_to_write(flow)
    flow.write.text.setFocus()
    QGuiApplication.clipboard().setText(f"Mehr Bänke {arabic} \u202eknaB {hebrew} am Markt")
    QTest.keyClick(flow.write.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert flow.write.idea_text() == f"Mehr Bänke {arabic} knaB {hebrew} am Markt"
    tap(flow, "ideas_write_next")
    name = find(flow, LimitedLineEdit, "ideas_name")
    name.setFocus()
    QGuiApplication.clipboard().setText(f"\u2067{hebrew}")  # an isolate never closed
    QTest.keyClick(name, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert name.text() == hebrew
    tap(flow, "ideas_about_next")
    tap(flow, "ideas_consent_check", QCheckBox)
    tap(flow, "ideas_consent_next")
    author = find(flow, QLabel, "ideas_review_author").text()
    assert f"{FSI}{hebrew}{PDI}" in author  # the name keeps its direction inside our sentence
    with qtbot.wait_signal(flow.submitted) as sent:
        tap(flow, "ideas_review_send")
    saved = store.get(sent.args[0])
    assert not has_controls(saved.text) and not has_controls(saved.author_name)
    assert arabic in saved.text and hebrew in saved.text and saved.author_name == hebrew
