"""The attract screen's sync indicator and the adapter's pure translations."""

from __future__ import annotations

import pytest

from sync.client import SyncReport
from sync.protocol import Outcome
from sync.worker import SyncStatus
from ui.staff.common import SyncSnapshot
from ui.common.sync_bridge import SyncBridge, snapshot_of, summary_of
from ui.shell.sync_indicator import indicator


@pytest.mark.parametrize("snap, lang, expected", [
    (SyncSnapshot("disabled"), "de", None),
    (SyncSnapshot("starting"), "de", ("idle", "Übertragung startet")),
    (SyncSnapshot("online", pending=0, sent=4), "de", ("ok", "Alles übertragen")),
    (SyncSnapshot("online", pending=0), "en", ("ok", "All sent")),
    (SyncSnapshot("online", pending=2), "de", ("idle", "2 wartend")),
    (SyncSnapshot("offline", pending=12), "de", ("idle", "12 wartend")),
    (SyncSnapshot("offline", pending=12), "en", ("idle", "12 waiting")),
    (SyncSnapshot("syncing", pending=5), "en", ("busy", "5 waiting · sending")),
    (SyncSnapshot("error", pending=3, message="boom"), "de", ("attention", "3 wartend")),
    (SyncSnapshot("auth", pending=1), "en", ("attention", "1 waiting")),
])
def test_indicator_is_short_and_never_alarming(snap, lang, expected) -> None:
    shown = indicator(snap, lang)
    assert shown == expected
    if shown:
        assert not any(word in shown[1].lower() for word in ("error", "fehler", "token", "!"))


def test_snapshot_of_a_worker_status() -> None:
    status = SyncStatus("error", pending=2, sent=7, failed=1, withheld=0, last_success_at="2022-07-03T10:00:00Z",
                        last_error="the receiver refused this kiosk's token (401)")
    assert snapshot_of(status) == SyncSnapshot("error", "2022-07-03T10:00:00Z",
                                               "the receiver refused this kiosk's token (401)", 2, 7, 1, 0)
    assert snapshot_of(status, auth_error=True).state == "auth"
    assert snapshot_of(SyncStatus("online"), auth_error=True).state == "online"  # only an error can be auth


def test_summary_of_a_report() -> None:
    report = SyncReport(delivered=2, already_there=1, failed=[("id-1", "422: text")], remaining=0)
    s = summary_of(report)
    assert (s.delivered, s.existing, s.failed, s.message, s.stopped) == (2, 1, (("id-1", "422: text"),), "", "")
    stopped = summary_of(SyncReport(stopped_by=Outcome.AUTH, error="refused"))
    assert (stopped.stopped, stopped.message) == ("auth", "refused")
    assert summary_of(None).stopped == "unexpected"


def test_a_disabled_bridge_does_nothing(qapp) -> None:
    bridge = SyncBridge(None)
    assert not bridge.enabled and bridge.snapshot().state == "disabled"
    bridge.wake("some-id")
    bridge.sync_now()
    bridge.start()
    assert bridge.worker is None and bridge.stop() is True


def test_a_worker_that_cannot_start_is_an_error_for_staff(qtbot) -> None:
    def broken(**callbacks):  # noqa: ANN003
        raise OSError("no token file")

    bridge = SyncBridge(broken)
    with qtbot.waitSignal(bridge.status_changed, timeout=1000) as got:
        bridge.start()
    assert got.args[0].state == "error" and "no token file" in got.args[0].message
    assert not bridge.is_running()
    with qtbot.waitSignal(bridge.finished, timeout=1000) as done:    # staff's "sync now" is answered
        bridge.sync_now()
    assert done.args[0].stopped == "unexpected" and "no token file" in done.args[0].message
