"""The drawing screen: tools wired to the canvas, confirmations, Done flow, reset, autosave."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLineEdit, QWidget

from kiosk.core import drafts
from kiosk.core.config import DEFAULT_CONFIG
from kiosk.core.drawing import Drawing
from tests.ui.drawing.conftest import drag, ink_bounds, touch
from kiosk.core.storage import Store
from fakes import DiskFullError, FakeStore
from ui.drawing import render as R
from ui.drawing.studio import DrawScreen

# The offscreen platform cannot pass a top-level window's size hints on; harmless here.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def store():
    return FakeStore()


@pytest.fixture
def screen(qtbot, store, tmp_path):
    s = DrawScreen(config=DEFAULT_CONFIG, open_store=lambda: store, data_dir=tmp_path)
    qtbot.add_widget(s)
    s.resize(1920, 1080)
    s.show()
    qtbot.wait_exposed(s)
    yield s
    s.saver.close()


def click(screen, name):
    w = screen.findChild(QWidget, name)
    assert w is not None, name
    QTest.mouseClick(w, Qt.MouseButton.LeftButton)


def interactive(screen):
    return [w for w in screen.findChildren(QWidget)
            if isinstance(w, (QAbstractButton, QLineEdit, QCheckBox)) or w.objectName() == "draw_canvas"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_interactive_widget_is_named(screen, lang):
    screen.language.set(lang)
    widgets = interactive(screen)
    assert len(widgets) > 40
    for w in widgets:
        assert w.objectName(), w
        assert w.accessibleName(), w.objectName()
    names = [w.objectName() for w in widgets]
    assert len(names) == len(set(names))


def test_tool_targets_are_big_enough_for_small_hands(screen):
    for w in screen.studio.findChildren(QAbstractButton):
        if w.isVisible():
            assert w.width() >= 72 and w.height() >= 72, w.objectName()
    screen.resize(1080, 1920)
    QTest.qWait(10)
    for w in screen.studio.findChildren(QAbstractButton):
        if w.isVisible():
            assert w.width() >= 72 and w.height() >= 72, w.objectName()


def test_toolbar_drives_the_canvas(screen):
    c = screen.canvas
    click(screen, "draw_colour_blue")
    assert c.color == "#0072b2"
    click(screen, "draw_size_large")
    assert (c.tool, c.size_index) == ("brush", 2)
    click(screen, "draw_stamp_wind_turbine")
    assert (c.tool, c.stamp_kind) == ("stamp", "wind-turbine")
    QTest.mouseClick(c, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    assert c.drawing.items[-1].kind == "wind-turbine" and c.drawing.items[-1].color == "#0072b2"
    click(screen, "draw_eraser")
    assert c.tool == "eraser"
    click(screen, "draw_colour_orange")
    assert c.tool == "brush"
    click(screen, "draw_colouring_page")
    assert c.background == "city"


def test_undo_redo_buttons_follow_the_history(screen):
    undo = screen.findChild(QWidget, "draw_undo")
    redo = screen.findChild(QWidget, "draw_redo")
    done = screen.findChild(QWidget, "draw_done")
    assert not undo.isEnabled() and not redo.isEnabled() and not done.isEnabled()
    drag(screen.canvas, [(100, 100), (300, 300)])
    assert undo.isEnabled() and done.isEnabled()
    click(screen, "draw_undo")
    assert screen.canvas.is_empty() and redo.isEnabled() and not undo.isEnabled()
    click(screen, "draw_redo")
    assert len(screen.canvas.drawing.items) == 1


def test_new_picture_asks_first(screen):
    drag(screen.canvas, [(100, 100), (300, 300)])
    click(screen, "draw_new_picture")
    assert screen.studio.confirm.isVisible()
    click(screen, "draw_confirm_no")
    assert not screen.studio.confirm.isVisible() and not screen.canvas.is_empty()
    click(screen, "draw_new_picture")
    click(screen, "draw_confirm_yes")
    assert screen.canvas.is_empty() and not screen.canvas.can_redo()
    assert ink_bounds(screen.canvas.layer().scaled(60, 40)) is None


def test_home_on_empty_canvas_leaves_at_once(qtbot, screen):
    with qtbot.wait_signal(screen.finished, timeout=1000) as blocker:
        click(screen, "draw_home")
    assert blocker.signal_triggered  # no "throw the picture away?" question for an empty canvas


def test_home_with_a_picture_asks_then_leaves_and_forgets(qtbot, screen):
    drag(screen.canvas, [(100, 100), (300, 300)])
    click(screen, "draw_home")
    with qtbot.assert_not_emitted(screen.finished):
        click(screen, "draw_confirm_no")
    click(screen, "draw_home")
    with qtbot.wait_signal(screen.finished):
        click(screen, "draw_confirm_yes")
    assert screen.canvas.is_empty()


def test_done_flow_stores_drawing_then_thanks(qtbot, screen, store, tmp_path, touch_device):
    screen.canvas.set_color("#009e73")
    touch(screen.canvas, touch_device, [("press", 0, (100, 100)), ("press", 1, (500, 100))],
          [("move", 0, (200, 300)), ("move", 1, (600, 300))], [("release", 0, (200, 300)), ("release", 1, (600, 300))])
    expected = screen.canvas.image()
    click(screen, "draw_done")
    assert screen.stack.currentWidget() is screen.done_page
    assert screen.idle_timeout() == DEFAULT_CONFIG.idle.timeout_s
    screen.findChild(QLineEdit, "draw_done_name").setText("  Mia ")
    click(screen, "draw_done_age_under_12")
    click(screen, "draw_done_consent")
    with qtbot.wait_signal(screen.saved, timeout=10000) as blocker:
        click(screen, "draw_done_send")
    (sub,) = blocker.args
    assert store.get(sub.id) == sub and store.threads == {"drawing-saver"}
    assert (sub.kind, sub.author_name, sub.age_group, sub.consent_given) == ("drawing", "Mia", "under-12", True)
    assert sub.consent_version == DEFAULT_CONFIG.consent.version and not sub.unfinished
    assert sub.topic_id == DEFAULT_CONFIG.flows.drawing_topic
    assert R.decode_png(sub.blob("png").data) == expected
    assert R.render(Drawing.from_bytes(sub.blob("strokes").data)) == expected
    assert len(Drawing.from_bytes(sub.blob("strokes").data).strokes) == 2
    page = screen.done_page
    assert page.showing_thanks() and page.code.text() == sub.reference_code
    assert sub.status_token and page.qr.data() == f"https://example.org/s/{sub.status_token}"  # its status page
    assert screen.idle_timeout() == DEFAULT_CONFIG.idle.thanks_timeout_s
    assert screen.canvas.is_empty() and not screen.canvas.can_undo()
    screen.saver.wait_idle()
    assert drafts.load_draft(tmp_path) is None
    with qtbot.wait_signal(screen.finished):
        click(screen, "draw_thanks_finish")
    assert screen.stack.currentWidget() is screen.studio and not page.showing_thanks()


@pytest.fixture
def done_on_a_real_store(qtbot, tmp_path):  # noqa: ANN201 - a DrawScreen
    """The drawing screen on a real store (``tmp_path / "db"``): a stroke drawn and "Done" tapped."""
    screen = DrawScreen(config=DEFAULT_CONFIG, open_store=lambda: Store.open_in(tmp_path / "db"),
                        data_dir=tmp_path)
    qtbot.add_widget(screen)
    screen.resize(1920, 1080)
    screen.show()
    drag(screen.canvas, [(100, 100), (300, 300)])
    click(screen, "draw_done")
    return screen


def test_without_consent_the_picture_is_kept_but_withheld(qtbot, tmp_path, done_on_a_real_store):
    """No parent's tick: stored for staff, withheld so it never syncs, no name or age kept, no QR link."""
    screen = done_on_a_real_store
    screen.findChild(QLineEdit, "draw_done_name").setText("Mia")
    click(screen, "draw_done_age_under_12")
    assert "Elternteil" in screen.findChild(QWidget, "draw_done_consent").accessibleName()
    with qtbot.wait_signal(screen.saved, timeout=10000) as blocker:
        click(screen, "draw_done_send")
    sub = blocker.args[0]
    screen.saver.close()
    with Store.open_in(tmp_path / "db") as store:
        stored = store.get(sub.id)
        assert stored is not None and not stored.consent_given and stored.consent_version == ""
        assert stored.author_name is None and stored.age_group is None
        state = store.sync_state(sub.id)
        assert (state.status, state.withheld_reason) == ("withheld", "no consent")
        assert store.pending_ids() == []
    page = screen.done_page
    assert page.showing_thanks() and page.code.text() == sub.reference_code
    assert not page.qr.isVisible() and page.qr.data() == "" and "Stand" in page.qr_text.text()


def test_with_consent_the_picture_is_pending_for_sync(qtbot, tmp_path, done_on_a_real_store):
    screen = done_on_a_real_store
    click(screen, "draw_done_consent")
    with qtbot.wait_signal(screen.saved, timeout=10000) as blocker:
        click(screen, "draw_done_send")
    sub = blocker.args[0]
    screen.saver.close()
    with Store.open_in(tmp_path / "db") as store:
        assert store.sync_state(sub.id).status == "pending" and store.get(sub.id).consent_given
    assert screen.done_page.qr.isVisible() and screen.done_page.qr.data()


def test_full_disk_says_so_and_keeps_the_picture(qtbot, screen, store):
    store.fail = DiskFullError("full")
    drag(screen.canvas, [(100, 100), (300, 300)])
    click(screen, "draw_done")
    with qtbot.wait_signal(screen.saver.failed, timeout=10000):
        click(screen, "draw_done_send")
    page = screen.done_page
    assert page.error.isVisible() and "Team" in page.error.text() and not page.showing_thanks()
    assert page.send.isEnabled() and not screen.canvas.is_empty()
    click(screen, "draw_done_back")
    assert screen.stack.currentWidget() is screen.studio


def test_reset_forgets_everything(qtbot, screen, tmp_path):
    click(screen, "draw_colouring_page")
    drag(screen.canvas, [(100, 100), (300, 300)])
    screen.flush_draft()
    screen.saver.wait_idle()
    assert drafts.load_draft(tmp_path) is not None
    click(screen, "draw_done")
    screen.findChild(QLineEdit, "draw_done_name").setText("Mia")
    screen.reset()
    screen.saver.wait_idle()
    assert screen.stack.currentWidget() is screen.studio
    assert screen.canvas.is_empty() and not screen.canvas.can_undo() and not screen.canvas.can_redo()
    assert screen.canvas.background == "blank" and not screen.findChild(QWidget, "draw_colouring_page").isChecked()
    assert screen.findChild(QLineEdit, "draw_done_name").text() == ""
    assert drafts.load_draft(tmp_path) is None
    assert screen.idle_timeout() == DEFAULT_CONFIG.idle.drawing_timeout_s


def test_autosave_writes_a_draft_after_activity(qtbot, screen, tmp_path, monkeypatch):
    screen._autosave.setInterval(50)
    drag(screen.canvas, [(100, 100), (300, 300)])
    with qtbot.wait_signal(screen.saver.draft_saved, timeout=5000):
        pass
    d = drafts.load_draft(tmp_path)
    assert d is not None and len(Drawing.from_bytes(d.strokes).items) == 1
    assert R.decode_png(d.png) == screen.canvas.image()


def test_portrait_layout_fits(qtbot, screen):
    screen.resize(1080, 1920)
    qtbot.wait(10)
    assert screen.studio.portrait
    assert screen.width() == 1080 and screen.minimumSizeHint().width() <= 1080
    c = screen.canvas
    assert c.width() > 900 and c.height() > 1000
    for w in screen.studio.findChildren(QAbstractButton):
        if w.isVisible():
            tl = w.mapTo(screen, QPoint(0, 0))
            assert 0 <= tl.x() and tl.x() + w.width() <= 1080 and tl.y() + w.height() <= 1920, w.objectName()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_done_form_with_keyboard_fits(qtbot, screen, size):
    """The name keyboard (64 px keys) opens on focus and nothing leaves the screen, either way round."""
    drag(screen.canvas, [(100, 100), (300, 300)])
    click(screen, "draw_done")
    screen.resize(*size)
    name = screen.findChild(QLineEdit, "draw_done_name")
    QTest.mouseClick(name, Qt.MouseButton.LeftButton)
    keyboard = screen.findChild(QWidget, "draw_done_keyboard")
    qtbot.waitUntil(keyboard.isVisible)
    qtbot.wait(10)
    assert screen.size().toTuple() == size and screen.minimumSizeHint().width() <= size[0]
    for key in ("kb_shift", "kb_m", "kb_q", "kb_backspace", "kb_i", "kb_a"):
        QTest.mouseClick(keyboard.findChild(QAbstractButton, key), Qt.MouseButton.LeftButton)
    assert name.text() == "Mia"
    for w in screen.done_page.findChildren(QWidget):
        if w.isVisible() and (isinstance(w, (QAbstractButton, QLineEdit)) or w is keyboard):
            tl = w.mapTo(screen, QPoint(0, 0))
            assert tl.x() >= 0 and tl.y() >= 0, w.objectName()
            assert tl.x() + w.width() <= size[0] and tl.y() + w.height() <= size[1], w.objectName()
            if w.objectName().startswith("kb_"):
                assert min(w.width(), w.height()) >= 64, w.objectName()
    QTest.mouseClick(keyboard.findChild(QAbstractButton, "kb_enter"), Qt.MouseButton.LeftButton)
    assert not keyboard.isVisible() and name.text() == "Mia"


def test_language_switch_relabels(screen):
    screen.language.set("en")
    assert screen.findChild(QWidget, "draw_undo").accessibleName() == "Undo"
    assert "Done" in screen.findChild(QWidget, "draw_done").text()
    assert QColor(screen.canvas.color).name() == "#000000"


def test_a_retry_after_a_failed_save_sends_the_same_picture(qtbot, tmp_path):
    """The store committed, then failed to answer: "send" again must succeed, once."""
    from kiosk.core.storage import StoreError

    class CommitsThenFails:
        def __init__(self):
            self.real = Store.open_in(tmp_path / "db")
            self.failed_once = False

        def add(self, sub):
            self.real.add(sub)
            if not self.failed_once:
                self.failed_once = True
                raise StoreError("database is locked")

        def __getattr__(self, name):
            return getattr(self.real, name)

    screen = DrawScreen(config=DEFAULT_CONFIG, open_store=CommitsThenFails, data_dir=tmp_path)
    qtbot.add_widget(screen)
    screen.resize(1920, 1080)
    screen.show()
    drag(screen.canvas, [(100, 100), (300, 300)])
    click(screen, "draw_done")
    click(screen, "draw_done_consent")
    with qtbot.wait_signal(screen.saver.failed, timeout=10000):
        click(screen, "draw_done_send")
    assert screen.done_page.error.isVisible()
    qtbot.wait(1100)  # a later second: the retry must not carry a new time
    with qtbot.wait_signal(screen.saved, timeout=10000) as blocker:
        click(screen, "draw_done_send")
    sub = blocker.args[0]
    screen.saver.close()
    with Store.open_in(tmp_path / "db") as store:
        assert store.count() == 1 and store.get(sub.id) == sub
    assert screen.done_page.showing_thanks()


@pytest.mark.parametrize("consent", [True, False])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_thanks_page_shows_every_line_either_way_round(qtbot, screen, size, consent):
    """The hint under the code (two lines) used to be squeezed to one and clipped in portrait."""
    drag(screen.canvas, [(100, 100), (300, 300)])
    click(screen, "draw_done")
    if consent:
        click(screen, "draw_done_consent")
    with qtbot.wait_signal(screen.saved, timeout=10000):
        click(screen, "draw_done_send")
    screen.resize(*size)
    qtbot.wait(20)
    page = screen.done_page
    assert page.showing_thanks() and page.qr.isVisible() == consent
    hint = page.qr_text
    assert hint.isVisible() and hint.text()
    assert hint.height() >= hint.heightForWidth(hint.width()) >= 2 * hint.fontMetrics().lineSpacing()
    shown = [page.thanks_title, page.thanks_preview, page.code, hint, page.finish] + ([page.qr] if consent else [])
    rects = {w: QRect(w.mapTo(screen, QPoint(0, 0)), w.size()) for w in shown}
    for w, r in rects.items():
        assert r.top() >= 0 and r.bottom() < size[1] and r.left() >= 0 and r.right() < size[0], w.objectName()
    assert rects[hint].bottom() < rects[page.finish].top()                  # nothing under the button
    if consent:
        assert rects[page.qr].bottom() < rects[hint].top()                   # the QR does not cover the hint
