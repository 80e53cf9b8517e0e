"""The staff panel driven through objectNames: overview = store, withhold/release, delete
with tombstone, export to a temp folder and its verify step, sync now through the interface."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton

from kiosk.core import moderation
from kiosk.core.drives import Drive
import random
from dataclasses import replace

from kiosk.core.seed import sample_submissions
from staff_helpers import CONFIG, drawing, open_store
from ui.staff.common import SyncSnapshot, SyncSource, SyncSummary
from ui.staff.panel import StaffPanel

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says this on show()


class FakeSync(SyncSource):
    """An in-process stand-in for the sync worker's Qt adapter (the real worker is not on main yet)."""

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store
        self.calls = 0

    def snapshot(self) -> SyncSnapshot:
        return SyncSnapshot("online", "2022-07-03T12:00:00.000Z")

    def sync_now(self) -> None:
        self.calls += 1
        ids = self.store.pending_ids(1000)
        for n, sid in enumerate(ids, 1):
            self.store.mark_sent(sid, {"sha256": self.store.get(sid).digest()})
            self.progress.emit(n, len(ids))
        self.finished.emit(SyncSummary(delivered=len(ids)))


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "data")
    # Realistic content, but as visitors' contributions: seeded samples start withheld.
    subs = [replace(x, is_sample=False)
            for x in sample_submissions(CONFIG, ideas=12, drawings=3, rng=random.Random(3))]
    s.add_many(subs)  # one commit: faster setup
    s.add(drawing(9, unfinished=True))
    yield s
    s.close()


@pytest.fixture
def panel(qtbot, store, tmp_path):
    stick = tmp_path / "media" / "kiosk" / "STICK"
    stick.mkdir(parents=True)
    p = StaffPanel(store, CONFIG, sync=FakeSync(store), lang="de",
                   drives=lambda: [Drive(stick, "STICK", 10**9, 2 * 10**9)])
    qtbot.add_widget(p)
    p.resize(1920, 1080)
    p.show()
    p.stick = stick
    return p


def find(panel, cls, name):
    w = panel.findChild(cls, name)
    assert w is not None, name
    assert isinstance(w, QLabel) or w.accessibleName(), f"{name} has no accessibleName"
    return w


def test_every_interactive_widget_is_named(panel):
    for cls in (QPushButton, QLineEdit, QListWidget):
        for w in panel.findChildren(cls):
            if w.objectName().startswith("qt_"):
                continue
            assert w.objectName(), w
            assert w.accessibleName(), w.objectName()


def test_overview_numbers_equal_the_store(qtbot, panel, store):
    stats = store.stats()
    assert find(panel, QLabel, "staff_overview_ideas").text() == str(stats.by_kind["idea"])
    assert find(panel, QLabel, "staff_overview_drawings").text() == str(stats.by_kind["drawing"])
    for state in ("pending", "sent", "failed", "withheld"):
        assert find(panel, QLabel, f"staff_overview_{state}").text() == str(stats.by_state[state])
    assert "Online" in find(panel, QLabel, "staff_overview_sync_state").text()


def test_withhold_and_release(qtbot, panel, store):
    panel.show_page("moderate")
    lst = find(panel, QListWidget, "staff_moderate_list")
    # the newest row is the unfinished draft, withheld from birth; take the newest pending one
    row = next(i for i in range(lst.count())
               if store.sync_state(lst.item(i).data(Qt.ItemDataRole.UserRole)).status == "pending")
    lst.setCurrentRow(row)
    sid = lst.currentItem().data(Qt.ItemDataRole.UserRole)
    find(panel, QLineEdit, "staff_moderate_reason_text").setText("Telefonnummer im Text")
    qtbot.mouseClick(find(panel, QPushButton, "staff_moderate_withhold"), Qt.MouseButton.LeftButton)
    state = store.sync_state(sid)
    assert state.status == "withheld" and state.withheld_reason == "insulting: Telefonnummer im Text"
    panel.show_page("overview")
    assert find(panel, QLabel, "staff_overview_withheld").text() == "2"  # this one and the draft
    panel.show_page("moderate")
    assert lst.currentItem().data(Qt.ItemDataRole.UserRole) == sid
    qtbot.mouseClick(find(panel, QPushButton, "staff_moderate_release"), Qt.MouseButton.LeftButton)
    assert store.sync_state(sid).status == "pending"


def test_delete_needs_the_second_confirmation_and_leaves_a_tombstone(qtbot, panel, store):
    panel.show_page("moderate")
    lst = find(panel, QListWidget, "staff_moderate_list")
    lst.setCurrentRow(1)
    sid = lst.currentItem().data(Qt.ItemDataRole.UserRole)
    before = store.count()
    qtbot.mouseClick(find(panel, QPushButton, "staff_moderate_delete"), Qt.MouseButton.LeftButton)
    assert store.get(sid) is not None  # the first tap only asks
    confirm = find(panel, QPushButton, "staff_moderate_confirm_no")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    assert store.get(sid) is not None
    qtbot.mouseClick(find(panel, QPushButton, "staff_moderate_delete"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(panel, QPushButton, "staff_moderate_confirm_yes"), Qt.MouseButton.LeftButton)
    assert store.get(sid) is None and store.count() == before - 1
    assert [t.submission_id for t in moderation.tombstones(store)] == [sid]
    panel.show_page("overview")
    assert "1" in find(panel, QLabel, "staff_overview_deleted").text()


def test_drafts_keep_and_discard(qtbot, panel, store):
    panel.show_page("moderate")
    drafts = find(panel, QListWidget, "staff_drafts_list")
    assert drafts.count() == 1
    drafts.setCurrentRow(0)
    qtbot.mouseClick(find(panel, QPushButton, "staff_drafts_discard"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(panel, QPushButton, "staff_drafts_confirm_yes"), Qt.MouseButton.LeftButton)
    assert drafts.count() == 0 and moderation.list_drafts(store) == []


def test_export_to_a_folder_and_verify(qtbot, panel, store):
    panel.show_page("export")
    drives = find(panel, QListWidget, "staff_export_drives")
    assert drives.count() == 1 and "STICK" in drives.item(0).text()
    screen = panel.screens["export"]
    assert screen.target == panel.stick
    qtbot.mouseClick(find(panel, QPushButton, "staff_export_start"), Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: screen.job is None and screen.report is not None, timeout=20000)
    assert screen.result.items == store.count() and screen.report.ok
    assert screen.result.path.parent == panel.stick and screen.result.path.exists()
    assert "16" in find(panel, QLabel, "staff_export_status").text()
    assert str(panel.stick) in find(panel, QLabel, "staff_export_status").text().replace("\u200b", "")
    assert find(panel, QLabel, "staff_export_verify").isVisible()


def test_sync_now_shows_progress_and_summary(qtbot, panel, store):
    panel.show_page("sync")
    qtbot.mouseClick(find(panel, QPushButton, "staff_sync_now"), Qt.MouseButton.LeftButton)
    assert store.stats().by_state["pending"] == 0
    # 15 visitors' items; the unfinished draft is withheld until staff keep it
    assert "15 " in find(panel, QLabel, "staff_sync_summary").text()


def test_language_switch_reaches_every_screen(qtbot, panel):
    qtbot.mouseClick(find(panel, QPushButton, "staff_lang_toggle"), Qt.MouseButton.LeftButton)
    assert find(panel, QPushButton, "staff_nav_export").text() == "USB export"
    assert find(panel, QPushButton, "staff_moderate_withhold").text() == "Withhold"
    assert find(panel, QPushButton, "staff_moderate_withhold").accessibleName() == "Withhold"


def test_sizes_use_the_panel_language_decimal_mark(qtbot, panel):
    panel.show_page("export")
    drives = find(panel, QListWidget, "staff_export_drives")
    assert "1,0 GB frei" in drives.item(0).text()
    qtbot.mouseClick(find(panel, QPushButton, "staff_lang_toggle"), Qt.MouseButton.LeftButton)
    assert "1.0 GB free" in drives.item(0).text()


def test_exit_and_restart_are_signals(qtbot, panel):
    panel.show_page("system")
    with qtbot.wait_signal(panel.exit_requested, timeout=1000) as exited:
        qtbot.mouseClick(find(panel, QPushButton, "staff_system_exit"), Qt.MouseButton.LeftButton)
    assert exited.signal_triggered
    with qtbot.wait_signal(panel.restart_requested, timeout=1000) as restarted:
        qtbot.mouseClick(find(panel, QPushButton, "staff_system_restart"), Qt.MouseButton.LeftButton)
    assert restarted.signal_triggered


def test_purge_from_the_panel_asks_for_the_phrase(qtbot, panel, store):
    panel.show_page("system")
    screen = panel.screens["system"]
    qtbot.mouseClick(find(panel, QPushButton, "staff_system_purge"), Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: screen.plan is not None, timeout=10000)
    assert screen.plan.lost == 16
    phrase = find(panel, QLineEdit, "staff_system_purge_phrase")
    phrase.setText("LOSE 16")
    qtbot.mouseClick(find(panel, QPushButton, "staff_system_purge_confirm_yes"), Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: find(panel, QLabel, "staff_system_purge_result").isVisible(), timeout=10000)
    qtbot.wait_until(lambda: not screen.jobs, timeout=10000)
    assert store.count() == 0
