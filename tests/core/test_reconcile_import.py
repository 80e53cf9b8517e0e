"""Reconcile and bundle import against a REAL receiver on 127.0.0.1 (skipped until sync is on main)."""

from __future__ import annotations

import pytest
import requests

pytest.importorskip("sync.receiver.server", reason="the receiver (issue 5) is not on this branch yet")

from kiosk.core.export import export_store  # noqa: E402
from kiosk.core.reconcile import ReceiverClient, ReconcileError, format_report, reconcile  # noqa: E402
from staff_helpers import CONFIG, TRICKY, drawing, idea, open_store  # noqa: E402
from sync.receiver import ReceiverSettings, ReceiverThread, add_token  # noqa: E402
from sync.receiver.bundle_import import ImportRefused, import_bundle, import_into_data_dir  # noqa: E402
from sync.receiver.storage import ReceiverStore  # noqa: E402


@pytest.fixture
def receiver(tmp_path):
    data = tmp_path / "receiver"
    data.mkdir()
    token = add_token(data, CONFIG.kiosk.id)
    with ReceiverThread(ReceiverSettings(data)) as r:
        r.token, r.data_dir = token, data
        yield r


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "kiosk")
    yield s
    s.close()


def deliver(receiver, sub) -> dict:
    """What the sync client does: blobs first, then the submission; returns the receipt."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {receiver.token}"
    for b in sub.blobs:
        s.put(f"{receiver.url}/api/v1/blobs/{b.sha256}", data=b.data, timeout=5).raise_for_status()
    resp = s.put(f"{receiver.url}/api/v1/submissions/{sub.id}", data=sub.canonical_json(), timeout=5)
    resp.raise_for_status()
    return resp.json()


def test_reconcile_reports_every_state_and_passes_only_when_all_is_verified(receiver, store):
    sent, unrecorded, pending, failed, withheld = idea("a"), drawing(1), idea("c"), idea("d"), idea(TRICKY)
    for s in (sent, unrecorded, pending, failed, withheld):
        store.add(s)
    store.mark_sent(sent.id, deliver(receiver, sent))
    deliver(receiver, unrecorded)  # the kiosk died before recording the receipt
    store.mark_failed(failed.id, "413: text is too long")
    store.withhold(withheld.id, "insulting")
    client = ReceiverClient(receiver.url, receiver.token)
    assert client.health()["status"] == "ok"

    report = reconcile(store, client.receipt)
    assert (report.held, report.verified, report.not_recorded) == (5, 2, 1)
    assert report.pending == [pending.id] and report.failed == [(failed.id, "413: text is too long")]
    assert [w[0] for w in report.withheld] == [withheld.id] and report.mismatches == []
    assert not report.ok and report.exit_code == 1
    assert "NOT OK" in format_report(report)

    store.reset_failed()
    for s in (pending, failed):
        store.mark_sent(s.id, deliver(receiver, s))
    report = reconcile(store, client.receipt)
    assert report.ok and report.exit_code == 0 and report.verified == 4


def test_reconcile_flags_a_receipt_the_receiver_does_not_know(receiver, store):
    sub = idea()
    store.add(sub)
    store.mark_sent(sub.id, {"sha256": sub.digest()})  # e.g. receiver restored from an old backup
    report = reconcile(store, ReceiverClient(receiver.url, receiver.token).receipt)
    assert len(report.mismatches) == 1 and not report.ok


def test_a_wrong_token_is_a_config_error(receiver, store):
    store.add(idea())
    with pytest.raises(ReconcileError) as info:
        reconcile(store, ReceiverClient(receiver.url, "wrong").receipt)
    assert info.value.code == 2 and "token" in str(info.value)


def test_import_twice_and_after_sync_adds_nothing_twice(receiver, store, tmp_path):
    subs = [idea(TRICKY), idea("b"), drawing(1), drawing(2), idea("withheld")]
    for s in subs:
        store.add(s)
    store.mark_sent(subs[0].id, deliver(receiver, subs[0]))  # one already synced
    store.withhold(subs[4].id, "personal_data")
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = export_store(store, CONFIG, stick).path

    first = import_into_data_dir(receiver.data_dir, bundle)
    assert (first.created, first.existing, first.skipped_withheld, first.conflicts) == (3, 1, 1, [])
    second = import_into_data_dir(receiver.data_dir, bundle)
    assert (second.created, second.existing) == (0, 4)
    rstore = ReceiverStore(receiver.data_dir)
    try:
        assert rstore.count() == 4
        for s in subs[:4]:
            assert rstore.receipt(s.id)["sha256"] == s.digest()
    finally:
        rstore.close()
    # and what was imported now reconciles as delivered
    report = reconcile(store, ReceiverClient(receiver.url, receiver.token).receipt)
    assert report.verified == 4 and report.ok


def test_a_damaged_bundle_imports_nothing(receiver, store, tmp_path):
    store.add(idea())
    bundle = export_store(store, CONFIG, tmp_path).path
    raw = bytearray(bundle.read_bytes())
    raw[60] ^= 0xFF
    bundle.write_bytes(bytes(raw))
    rstore = ReceiverStore(receiver.data_dir)
    try:
        with pytest.raises(ImportRefused):
            import_bundle(rstore, bundle)
        assert rstore.count() == 0
    finally:
        rstore.close()
