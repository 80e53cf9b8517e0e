"""The staff screen's idle timeout: longer than the visitors', and none while a job runs.

Staff were sent back to the attract screen after the visitors' 90 s, even in the
middle of a USB export. The real app from ``kiosk.app.build`` with a real store;
timeouts are shortened so the test can wait them out (the staff timeout through
the module constant, the visitors' through the config).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import ui.staff.pages.export as staff_export
import ui.staff.host as staff_host
from kiosk.app import build, close
from kiosk.core.config import IdleConfig, SyncConfig
from staff_helpers import idea
from test_staff_wiring import click, enter_pin
from ui.staff.common import SyncSnapshot, SyncSource, SyncSummary

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

VISITOR_S, STAFF_S = 0.3, 0.8
SHORT = IdleConfig(timeout_s=VISITOR_S, countdown_s=0.3, drawing_timeout_s=30)


@pytest.fixture
def window(qtbot, tmp_path: Path, jena_config, monkeypatch):
    monkeypatch.setattr(staff_host, "STAFF_IDLE_TIMEOUT_S", STAFF_S)
    data = tmp_path / "kiosk"
    data.mkdir()
    cfg = dataclasses.replace(jena_config, idle=SHORT, sync=SyncConfig())
    from kiosk.core.storage import Store

    store = Store.open_in(data)
    store.add(idea("Mehr Bänke"))   # something to export
    store.close()
    w = build(cfg, data, windowed=True)
    w.resize(1600, 900)
    with qtbot.waitSignal(w.first_painted, timeout=5000):
        w.show()
    yield w
    close(w)
    QApplication.processEvents()


def stays_on_staff(qtbot, window, seconds: float) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        qtbot.wait(50)
        assert window.current_name == "staff" and not window.idle_overlay.isVisible()


def test_staff_get_longer_than_visitors_then_are_sent_home(qtbot, window) -> None:
    enter_pin(qtbot, window)
    assert window.idle.timeout == STAFF_S > VISITOR_S
    stays_on_staff(qtbot, window, VISITOR_S * 2)                     # the visitors' timeout passed
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=5000)      # then "still there?"
    with qtbot.waitSignal(window.session_reset, timeout=5000):
        pass
    assert window.current_name == "attract"


def test_the_default_is_five_minutes_and_never_shorter_than_the_visitors(jena_config) -> None:
    assert staff_host.STAFF_IDLE_TIMEOUT_S == 300.0  # no fixture here patches it
    assert jena_config.idle.timeout_s < staff_host.STAFF_IDLE_TIMEOUT_S


def test_no_timeout_while_an_export_runs(qtbot, window, monkeypatch, tmp_path) -> None:
    release = threading.Event()
    real_export = staff_export.export_store

    def slow_export(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        assert release.wait(20), "the test never released the export"
        return real_export(*args, **kwargs)

    monkeypatch.setattr(staff_export, "export_store", slow_export)
    enter_pin(qtbot, window)
    click(window, "staff_nav_export")
    export = window.screens["staff"].panel.screens["export"]
    stick = tmp_path / "stick"
    stick.mkdir()
    export.set_target(stick)
    click(window, "staff_export_start")
    assert export.busy() and window.screens["staff"].panel.busy()
    assert window.idle.timeout is None and not window.idle.active
    stays_on_staff(qtbot, window, STAFF_S * 2.5)                     # well past the staff timeout
    release.set()
    qtbot.waitUntil(lambda: not export.busy(), timeout=20000)
    assert window.findChild(type(export.verify_label), "staff_export_verify").isVisible()
    assert window.idle.timeout == STAFF_S                             # the clock runs again, from now
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=5000)
    with qtbot.waitSignal(window.session_reset, timeout=5000):
        pass
    assert window.current_name == "attract"


class SlowSync(SyncSource):
    """A sync pass that ends when the test says so."""

    def __init__(self) -> None:
        super().__init__()
        self.alive = True

    def snapshot(self) -> SyncSnapshot:
        return SyncSnapshot("online")

    def sync_now(self) -> None:
        self.progress.emit(0, 1)

    def is_running(self) -> bool:
        return self.alive


def test_no_timeout_while_a_sync_or_reconcile_runs(qtbot, store_panel) -> None:
    panel, sync = store_panel
    host_changes = []
    panel.busy_changed.connect(lambda: host_changes.append(panel.busy()))
    panel.screens["sync"].start()
    assert panel.busy() and host_changes == [True]
    sync.finished.emit(SyncSummary(delivered=1))
    assert not panel.busy() and host_changes == [True, False]
    sync.alive = False                               # a worker that died never says "finished":
    panel.screens["sync"].start()                    # the panel must still time out
    assert not panel.busy()

    system = panel.screens["system"]
    gate = threading.Event()

    class Client:
        def receipt(self, _sid: str) -> None:
            assert gate.wait(10), "the test never let the reconcile finish"

    system.client_factory = Client
    host_changes.clear()
    system.run_reconcile()
    assert panel.busy() and host_changes == [True]
    gate.set()
    qtbot.waitUntil(lambda: not panel.busy(), timeout=10000)
    assert host_changes == [True, False]


@pytest.fixture
def store_panel(qtbot, tmp_path):
    from staff_helpers import CONFIG, open_store
    from ui.staff.panel import StaffPanel

    store = open_store(tmp_path / "data")
    store.add(idea("Radweg beleuchten"))  # one receipt for the reconcile to ask for
    sync = SlowSync()
    panel = StaffPanel(store, CONFIG, sync=sync, lang="de")
    qtbot.add_widget(panel)
    yield panel, sync
    for job in list(panel.screens["system"].jobs):
        job.wait(5000)
    store.close()
