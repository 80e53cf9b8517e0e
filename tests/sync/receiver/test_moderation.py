"""Moderation at the receiver over a real SQLite store (and the real HTTP API for delivery)."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from sync.receiver.moderation import REASONS, STATES, Decision, Moderation, ModerationError
from sync.receiver.storage import ReceiverStore

from sync_helpers import make_drawing, make_idea


def put(store: ReceiverStore, sub) -> None:
    for b in sub.blobs:
        store.put_blob(b.sha256, b.data)
    store.put_submission(submission_id=sub.id, sha256=sub.digest(), canonical=sub.canonical_json(),
                         kind=sub.kind, kiosk_id=sub.kiosk_id, event_id=sub.event_id,
                         created_at=sub.created_at, delivered_by=sub.kiosk_id,
                         blobs=[(b.role, b.sha256, b.media_type) for b in sub.blobs])


@pytest.fixture
def rstore(receiver_dir):
    s = ReceiverStore(receiver_dir)
    yield s
    s.close()


def test_the_vocabulary():
    assert STATES == ("received", "approved", "withheld", "deleted")
    assert REASONS == ("insulting", "personal_data", "off_topic", "spam", "duplicate", "other")


def test_undecided_is_none_then_decisions_are_the_audit_trail(rstore):
    idea = make_idea(1)
    put(rstore, idea)
    mod = Moderation(rstore)
    assert mod.current(idea.id) is None and mod.history(idea.id) == []
    [first] = mod.decide([idea.id], "withheld", actor="anna", reason="personal_data", note="phone number")
    assert first == Decision(idea.id, "withheld", "personal_data", "phone number", "anna", first.decided_at)
    [second] = mod.decide([idea.id], "approved", actor="ben")
    assert mod.current(idea.id) == second
    assert [d.state for d in mod.history(idea.id)] == ["withheld", "approved"]
    assert [d.actor for d in mod.history(idea.id)] == ["anna", "ben"]


def test_bulk_is_one_transaction(rstore):
    ideas = [make_idea(i) for i in range(3)]
    for i in ideas:
        put(rstore, i)
    mod = Moderation(rstore)
    unknown = make_idea(99).id  # a valid id that was never delivered
    with pytest.raises(ModerationError, match=unknown):
        mod.decide([ideas[0].id, unknown, ideas[1].id], "approved", actor="anna")
    assert all(mod.current(i.id) is None for i in ideas)  # nothing half-done
    done = mod.decide([i.id for i in ideas] + [ideas[0].id], "approved", actor="anna")
    assert [d.submission_id for d in done] == [i.id for i in ideas]  # duplicates once
    assert len({d.decided_at for d in done}) == 1


@pytest.mark.parametrize("state", ["withheld", "deleted"])
def test_withhold_and_delete_need_a_reason(rstore, state):
    idea = make_idea()
    put(rstore, idea)
    with pytest.raises(ModerationError, match="needs a reason"):
        Moderation(rstore).decide([idea.id], state, actor="anna")
    with pytest.raises(ModerationError, match="unknown reason"):
        Moderation(rstore).decide([idea.id], state, actor="anna", reason="ugly")
    assert Moderation(rstore).current(idea.id) is None


@pytest.mark.parametrize("kw, message", [
    (dict(state="published"), "unknown state"),
    (dict(actor=" "), "staff account"),
    (dict(note="x" * 1001), "longer than"),
])
def test_bad_decisions_are_refused_in_words(rstore, kw, message):
    idea = make_idea()
    put(rstore, idea)
    args = dict(state="approved", actor="anna") | kw
    with pytest.raises(ModerationError, match=message):
        Moderation(rstore).decide([idea.id], args.pop("state"), **args)


def test_a_path_or_garbage_id_is_no_submission(rstore):
    with pytest.raises(ModerationError, match="no submission"):
        Moderation(rstore).decide(["../../etc/passwd"], "approved", actor="anna")
    with pytest.raises(ModerationError, match="list"):
        Moderation(rstore).decide(make_idea().id, "approved", actor="anna")  # type: ignore[arg-type]


def test_delete_leaves_a_tombstone_and_removes_payload_and_blobs(rstore, receiver_dir):
    drawing, keep = make_drawing(1), make_drawing(2)
    put(rstore, drawing)
    put(rstore, keep)
    png = drawing.blob("png").sha256
    assert rstore.has_blob(png)
    mod = Moderation(rstore)
    mod.decide([drawing.id], "deleted", actor="anna", reason="personal_data")
    with sqlite3.connect(receiver_dir / "receiver.sqlite3") as db:
        row = db.execute("SELECT sha256, state, length(canonical) FROM submissions WHERE id = ?",
                         (drawing.id,)).fetchone()
        links = db.execute("SELECT COUNT(*) FROM submission_blobs WHERE submission_id = ?", (drawing.id,)).fetchone()
    assert row == (drawing.digest(), "deleted", 0)
    assert links == (0,)
    assert not rstore.has_blob(png)
    assert rstore.has_blob(keep.blob("png").sha256)
    assert [r.id for r in rstore.iter_all()] == [keep.id]
    assert rstore.count() == 1
    # The kiosk delivering it again gets its receipt: exactly once still holds.
    assert rstore.receipt(drawing.id)["sha256"] == drawing.digest()
    with pytest.raises(ModerationError, match="deleted"):
        mod.decide([drawing.id], "approved", actor="ben")
    assert mod.current(drawing.id).state == "deleted"


def test_a_blob_two_submissions_share_survives_deleting_one(rstore):
    a = make_drawing(5)
    b = make_drawing(5, topic_id="other")  # same PNG, another submission
    put(rstore, a)
    put(rstore, b)
    Moderation(rstore).decide([a.id], "deleted", actor="anna", reason="duplicate")
    assert rstore.has_blob(b.blob("png").sha256)
    assert rstore.get(b.id).blob_roles["png"] == b.blob("png").sha256


def test_listeners_hear_each_decision_after_the_commit(rstore, receiver_dir):
    ideas = [make_idea(i) for i in range(2)]
    for i in ideas:
        put(rstore, i)
    mod = Moderation(rstore)
    heard: list[tuple[Decision, str]] = []

    def listener(d: Decision) -> None:
        # Read from another connection: the decision must be committed already.
        with sqlite3.connect(receiver_dir / "receiver.sqlite3") as db:
            heard.append((d, db.execute("SELECT state FROM submissions WHERE id = ?", (d.submission_id,)).fetchone()[0]))

    def broken(d: Decision) -> None:
        raise RuntimeError("listener bug")

    mod.on_decision(broken)
    mod.on_decision(listener)
    done = mod.decide([i.id for i in ideas], "approved", actor="anna")
    assert heard == [(d, "approved") for d in done]
    with pytest.raises(ModerationError):
        mod.decide([ideas[0].id], "withheld", actor="anna")
    assert len(heard) == 2  # a refused decision is not announced


def test_decisions_survive_reopening_and_concurrent_deciders(rstore, receiver_dir):
    ideas = [make_idea(i) for i in range(20)]
    for i in ideas:
        put(rstore, i)
    mod = Moderation(rstore)
    threads = [threading.Thread(target=mod.decide, args=([i.id], "approved"), kwargs={"actor": f"s{n}"})
               for n, i in enumerate(ideas)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rstore.close()
    again = ReceiverStore(receiver_dir)
    try:
        assert all(Moderation(again).current(i.id).state == "approved" for i in ideas)
    finally:
        again.close()
