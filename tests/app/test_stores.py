"""The store is opened just after the first paint (kiosk.app.StoreSlot), and still in time.

build() leaves the database alone, so checking and migrating it does not delay
the attract screen. These tests hold the app to the rest of the bargain: the
store is open right after the first paint without anybody asking; whatever
needs it sooner (a tap on the attract screen, any other screen, ``parts.store``)
opens it there and then; a damaged database is still moved aside and flagged,
a store that cannot take contributions still sends visitors to "unavailable",
and a crashed drawing's draft is still recovered before the drawing screen is used.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.core import drafts
from kiosk.app import build, close
from kiosk.core.config import Config, StorageConfig, SyncConfig
from kiosk.core.drafts import DraftMeta
from kiosk.core.model import new_id, new_reference_code, utc_now
from kiosk.core.storage import DB_FILENAME, Store
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

STROKES = b'{"format":"kiosk-drawing","version":1,"width":4,"height":3,"background":"blank","items":[]}'


@pytest.fixture
def make(qtbot, jena_config: Config, data_dir: Path) -> Iterator[Callable[..., MainWindow]]:
    made: list[MainWindow] = []

    def make_(config: Config | None = None) -> MainWindow:
        window = build(config or jena_config, data_dir, windowed=True)
        made.append(window)
        window.resize(1280, 720)
        return window

    yield make_
    for window in made:
        close(window)
    QApplication.processEvents()


def show(qtbot, window: MainWindow, at_first_paint: Callable[[], None] | None = None) -> None:
    """Show the window; ``at_first_paint`` runs when ``first_painted`` fires, before anything it scheduled."""
    if at_first_paint is not None:
        window.first_painted.connect(at_first_paint)
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()


def test_build_leaves_the_database_alone_and_the_first_paint_opens_it(qtbot, make, data_dir: Path) -> None:
    window = make()
    assert not window.parts.stores.ready
    assert not (data_dir / DB_FILENAME).exists()          # not even created before the first paint
    show(qtbot, window)
    qtbot.waitUntil(lambda: window.parts.stores.ready, timeout=5000)   # nobody asked for it
    assert (data_dir / DB_FILENAME).exists()
    assert isinstance(window.parts.store, Store)


def test_a_damaged_database_is_moved_aside_and_flagged_right_after_start(qtbot, make, data_dir: Path) -> None:
    damaged = b"this is not an SQLite database, it was damaged" * 100
    (data_dir / DB_FILENAME).write_bytes(damaged)
    window = make()
    assert (data_dir / DB_FILENAME).read_bytes() == damaged   # build() does not touch it
    show(qtbot, window)
    qtbot.waitUntil(lambda: window.parts.stores.ready, timeout=5000)
    aside = list(data_dir.glob(f"{DB_FILENAME}.corrupt-*"))   # moved aside without anybody asking
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    assert "moved_aside" in [n.kind for n in window.parts.store.notices]   # and staff are told
    assert window.current_name == "attract"
    qtbot.mouseClick(window.findChild(QPushButton, "attract_ideas"), Qt.MouseButton.LeftButton)
    assert window.current_name == "ideas"   # the new, empty store takes contributions


def _from_the_future(data_dir: Path) -> None:
    Store.open_in(data_dir).close()
    with sqlite3.connect(data_dir / DB_FILENAME) as db:
        db.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', '2030-01-01T00:00:00Z')")


def _disk_full(config: Config) -> Config:
    return dataclasses.replace(config, storage=StorageConfig(min_free_mb=10**12))  # a reserve no disk has


@pytest.mark.parametrize("problem", ["newer database", "disk full"])
@pytest.mark.parametrize("when", ["at the first paint", "after the store opened"])
def test_a_store_that_refuses_sends_visitors_to_unavailable(qtbot, make, data_dir: Path, jena_config: Config,
                                                           problem: str, when: str) -> None:
    """A tap on the attract screen gets the right answer even before the store was opened."""
    if problem == "newer database":
        _from_the_future(data_dir)
    window = make(_disk_full(jena_config) if problem == "disk full" else None)
    tapped: list[tuple[bool, str]] = []

    def tap() -> None:
        ready = window.parts.stores.ready
        window.screens["attract"].flow_chosen.emit("drawing")
        tapped.append((ready, window.current_name))

    if when == "at the first paint":
        show(qtbot, window, at_first_paint=tap)
        assert tapped == [(False, "unavailable")]   # the tap came first, and opened the store itself
    else:
        show(qtbot, window)
        qtbot.waitUntil(lambda: window.parts.stores.ready, timeout=5000)
        tap()
        assert tapped == [(True, "unavailable")]
    assert not window.parts.store.can_accept()
    if problem == "newer database":
        assert any("newer" in str(n) for n in window.parts.store.notices)


def test_a_crashed_drawing_is_recovered_before_the_drawing_screen_is_used(qtbot, make, data_dir: Path) -> None:
    meta = DraftMeta(id=new_id(), reference_code=new_reference_code(), created_at=utc_now(), topic_id="drawing")
    drafts.save_draft(data_dir, meta, STROKES, b"\x89PNG left by a crash")
    window = make()
    assert drafts.load_draft(data_dir) is not None and not window.parts.stores.ready   # still there after build()
    window.show_screen("drawing")   # straight in, past the attract screen's check
    assert window.parts.stores.ready
    assert drafts.load_draft(data_dir) is None   # recovered before the drawing screen could overwrite it
    stored = window.parts.store.get(meta.id)
    assert stored is not None and stored.unfinished
    assert window.parts.store.sync_state(meta.id).status == "withheld"


def test_a_store_passed_in_is_used_and_the_draft_recovered_into_it_when_needed(qapp, data_dir: Path,
                                                                               jena_config: Config) -> None:
    store = Store.open_in(data_dir)
    meta = DraftMeta(id=new_id(), reference_code=new_reference_code(), created_at=utc_now(), topic_id="drawing")
    drafts.save_draft(data_dir, meta, STROKES, b"\x89PNG left by a crash")
    window = build(jena_config, data_dir, windowed=True, store=store)
    try:
        assert window.parts.store is store
        assert store.get(meta.id).unfinished
    finally:
        close(window)


def test_the_sync_worker_starts_only_after_the_store_is_open(qtbot, make, data_dir: Path, jena_config: Config,
                                                            tmp_path: Path) -> None:
    """The worker opens its own connection: after the GUI thread's, which moves a damaged file aside."""
    token = tmp_path / "kiosk.token"
    token.write_text("not-a-real-token\n")
    sync = SyncConfig(enabled=True, endpoint="http://127.0.0.1:9/api/v1", token_file=str(token),
                      interval_s=60.0, connect_timeout_s=0.5, read_timeout_s=0.5)
    window = make(dataclasses.replace(jena_config, sync=sync))
    started_with_store: list[bool] = []
    window.parts.sync.started.connect(lambda: started_with_store.append(window.parts.stores.ready))
    show(qtbot, window)
    qtbot.waitUntil(lambda: bool(started_with_store), timeout=10000)
    assert started_with_store == [True]
