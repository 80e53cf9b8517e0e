"""Purge: refuses while something would be lost, keeps counts and receipts, really erases text."""

from __future__ import annotations

import pytest

from kiosk.core import overview, purge
from kiosk.core.purge import PurgeRefused, confirmation_phrase
from staff_helpers import drawing, idea, open_store

SECRET = "Geheimnis-Zebrastreifen-4711 vor der Goetheschule"


def deliver(store, sub, digest=None):
    store.mark_sent(sub.id, {"submission_id": sub.id, "sha256": digest or sub.digest(),
                             "received_at": "2022-07-03T18:00:00.000Z", "status": "created", "protocol": 1})


def file_bytes(store) -> bytes:
    return b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))


def test_purge_erases_delivered_text_from_the_file_and_keeps_counts_and_receipts(store):
    subs = [idea(SECRET), idea("zweite"), drawing(1)]
    for s in subs:
        store.add(s)
        deliver(store, s)
    assert SECRET.encode() in file_bytes(store)
    plan = purge.plan_purge(store)
    assert len(plan.safe) == 3 and plan.lost == 0
    result = purge.purge(store)
    assert (result.purged, result.lost) == (3, 0)
    assert store.count() == 0 and store.get(subs[0].id) is None
    assert SECRET.encode() not in file_bytes(store)
    assert "Zebrastreifen".encode() not in file_bytes(store)
    assert sorted(r["submission_id"] for r in purge.receipts(store)) == sorted(s.id for s in subs)
    ov = overview.load_overview(store)
    assert ov.purged == 3 and sum(b.n for b in ov.hours) == 3


def test_purge_refuses_while_something_would_be_lost(store):
    sent, pending, failed, withheld, wrong = idea("a"), idea("b"), idea("c"), idea("d"), idea("e")
    for s in (sent, pending, failed, withheld, wrong):
        store.add(s)
    deliver(store, sent)
    store.mark_failed(failed.id, "422: text: too long")
    store.withhold(withheld.id, "insulting")
    deliver(store, wrong, digest="0" * 64)  # receipt does not prove this content arrived
    plan = purge.plan_purge(store)
    assert plan.at_risk == {"pending": 1, "failed": 1, "withheld": 1, "unverified": 1}
    with pytest.raises(PurgeRefused, match="LOSE 4"):
        purge.purge(store)
    with pytest.raises(PurgeRefused):
        purge.purge(store, confirm="LOSE 3")
    assert store.count() == 5
    result = purge.purge(store, confirm=confirmation_phrase(4))
    assert (result.purged, result.lost) == (5, 4) and store.count() == 0


def test_a_damaged_database_set_aside_is_not_passed_by(tmp_path):
    """A database moved aside at start may hold text never synced: purge must say so, then erase it."""
    from kiosk.core.storage import Store

    data = tmp_path / "data"
    first = open_store(data)
    first.add(idea(SECRET))
    first.close()
    db = data / "kiosk.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[:100] = b"\x00" * 100  # a broken header: the next open moves the file aside
    db.write_bytes(bytes(raw))
    with Store.open_in(data) as store:
        aside = sorted(p.name for p in data.iterdir() if ".corrupt-" in p.name)
        assert aside
        assert any(SECRET.encode() in (data / n).read_bytes() for n in aside)
        plan = purge.plan_purge(store)
        assert plan.at_risk == {"set-aside files": len(aside)} and plan.lost == len(aside)
        with pytest.raises(PurgeRefused, match=f"LOSE {len(aside)}"):
            purge.purge(store)
        assert all((data / n).exists() for n in aside)
        result = purge.purge(store, confirm=confirmation_phrase(len(aside)))
        assert result.lost == len(aside)
    leftover = b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file())
    assert SECRET.encode() not in leftover


def test_reconcile_is_not_ok_while_a_damaged_database_is_set_aside(store):
    from kiosk.core.reconcile import format_report, reconcile

    assert reconcile(store, lambda sid: None).ok
    (store.path.parent / f"{store.path.name}.corrupt-20220703T120000Z").write_bytes(b"old data")
    report = reconcile(store, lambda sid: None)
    assert not report.ok and report.exit_code != 0
    assert "Set aside, never synced" in format_report(report)
