"""Reconcile and bundle import against a REAL receiver on 127.0.0.1."""

from __future__ import annotations

import pytest

from kiosk.core.export import export_store
from kiosk.core.reconcile import ReceiverClient, ReconcileError, format_report, reconcile
from staff_helpers import CONFIG, TRICKY, drawing, idea
from sync.receiver.bundle_import import ImportRefused, import_bundle, import_into_data_dir
from sync.receiver.storage import ReceiverStore


@pytest.fixture
def kiosk_id() -> str:
    """The receiver's token belongs to the kiosk the submissions come from (the bundled config's)."""
    return CONFIG.kiosk.id


def deliver(api, sub) -> dict:  # noqa: ANN001 - the api fixture's session
    """What the sync client does: blobs first, then the submission; returns the receipt."""
    for b in sub.blobs:
        api.put(f"{api.base}/blobs/{b.sha256}", data=b.data, timeout=5).raise_for_status()
    resp = api.put(f"{api.base}/submissions/{sub.id}", data=sub.canonical_json(), timeout=5)
    resp.raise_for_status()
    return resp.json()


def test_reconcile_reports_every_state_and_passes_only_when_all_is_verified(receiver, store, api, token):
    sent, unrecorded, pending, failed, withheld = idea("a"), drawing(1), idea("c"), idea("d"), idea(TRICKY)
    for s in (sent, unrecorded, pending, failed, withheld):
        store.add(s)
    store.mark_sent(sent.id, deliver(api, sent))
    deliver(api, unrecorded)  # the kiosk died before recording the receipt
    store.mark_failed(failed.id, "413: text is too long")
    store.withhold(withheld.id, "insulting")
    client = ReceiverClient(receiver.url, token)
    assert client.health()["status"] == "ok"

    report = reconcile(store, client.receipt)
    assert (report.held, report.verified, report.not_recorded) == (5, 2, 1)
    assert report.pending == [pending.id] and report.failed == [(failed.id, "413: text is too long")]
    assert [w[0] for w in report.withheld] == [withheld.id] and report.mismatches == []
    assert not report.ok and report.exit_code == 1
    assert "NOT OK" in format_report(report)

    store.reset_failed()
    for s in (pending, failed):
        store.mark_sent(s.id, deliver(api, s))
    report = reconcile(store, client.receipt)
    assert report.ok and report.exit_code == 0 and report.verified == 4


def test_reconcile_flags_a_receipt_the_receiver_does_not_know(receiver, store, token):
    sub = idea()
    store.add(sub)
    store.mark_sent(sub.id, {"sha256": sub.digest()})  # e.g. receiver restored from an old backup
    report = reconcile(store, ReceiverClient(receiver.url, token).receipt)
    assert len(report.mismatches) == 1 and not report.ok


def test_a_wrong_token_is_a_config_error(receiver, store):
    store.add(idea())
    with pytest.raises(ReconcileError) as info:
        reconcile(store, ReceiverClient(receiver.url, "wrong").receipt)
    assert info.value.code == 2 and "token" in str(info.value)


def test_import_twice_and_after_sync_adds_nothing_twice(receiver, store, tmp_path, api, token, receiver_dir):
    subs = [idea(TRICKY), idea("b"), drawing(1), drawing(2), idea("withheld")]
    for s in subs:
        store.add(s)
    store.mark_sent(subs[0].id, deliver(api, subs[0]))  # one already synced
    store.withhold(subs[4].id, "personal_data")
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = export_store(store, CONFIG, stick).path

    first = import_into_data_dir(receiver_dir, bundle)
    assert (first.created, first.existing, first.skipped_withheld, first.conflicts) == (3, 1, 1, [])
    second = import_into_data_dir(receiver_dir, bundle)
    assert (second.created, second.existing) == (0, 4)
    rstore = ReceiverStore(receiver_dir)
    try:
        assert rstore.count() == 4
        for s in subs[:4]:
            assert rstore.receipt(s.id)["sha256"] == s.digest()
    finally:
        rstore.close()
    # and what was imported now reconciles as delivered
    report = reconcile(store, ReceiverClient(receiver.url, token).receipt)
    assert report.verified == 4 and report.ok


def test_a_damaged_bundle_imports_nothing(receiver, store, tmp_path, receiver_dir):
    store.add(idea())
    bundle = export_store(store, CONFIG, tmp_path).path
    raw = bytearray(bundle.read_bytes())
    raw[60] ^= 0xFF
    bundle.write_bytes(bytes(raw))
    rstore = ReceiverStore(receiver_dir)
    try:
        with pytest.raises(ImportRefused):
            import_bundle(rstore, bundle)
        assert rstore.count() == 0
    finally:
        rstore.close()
