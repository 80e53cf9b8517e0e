"""The durable store, against real SQLite files in tmp_path (no mocks of sqlite)."""

from __future__ import annotations

import csv
import errno
import io
import itertools
import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core import purge, storage
from kiosk.core.sheet import CSV_DIALECT
from kiosk.core.model import AGE_GROUPS, SYNC_STATES, Blob, SchemaError, Submission
from kiosk.core.storage import (
    DB_FILENAME,
    DiskFullError,
    Stats,
    Store,
    StoreError,
    TransitionError,
)
from kiosk.core.storage.store import _EXPORT_BATCH

from test_migrations import counted_by_triggers, counted_the_slow_way  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
STROKES = b'[[[10,10],[30,30]],[[5,5],[6,7]]]'


def idea(**kw) -> Submission:
    values = dict(kind="idea", topic_id="mobility", text="Mehr Radwege an der Saale", consent_given=True,
                  consent_version="2024-1", kiosk_id="kiosk-1", event_id="fest-2024", app_version="0.1.0")
    values.update(kw)
    return Submission(**values)


def drawing(**kw) -> Submission:
    values = dict(kind="drawing", topic_id="play", title="Meine Stadt", author_name="Lena",
                  age_group="under-12", blobs=(Blob("png", PNG), Blob("strokes", STROKES)))
    values.update(kw)
    return idea(**values)


def raw_count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def scanned_stats(path: Path) -> Stats:
    """The stats recomputed the slow way, from the base tables."""
    with sqlite3.connect(path) as conn:
        groups = conn.execute(
            "SELECT s.kind, s.topic_id, st.status, s.is_sample, count(*) FROM submissions s "
            "JOIN sync_state st ON st.submission_id = s.id "
            "GROUP BY s.kind, s.topic_id, st.status, s.is_sample").fetchall()
    return storage.stats_from_groups(groups)


# -- opening ---------------------------------------------------------------

def test_open_in_creates_folders_and_uses_the_fixed_name(tmp_path):
    with Store.open_in(tmp_path / "a" / "b") as s:
        assert s.path == tmp_path / "a" / "b" / DB_FILENAME
        assert s.path.is_file()


def test_connection_is_wal_full_sync_with_foreign_keys_and_busy_timeout(store):
    pragma = lambda name: store._conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == storage.BUSY_TIMEOUT_MS > 0


def test_every_model_field_has_a_column(store):
    columns = {row[1] for row in store._conn.execute("PRAGMA table_info(submissions)")}
    assert set(storage.SUBMISSION_COLUMNS) <= columns
    assert columns - set(storage.SUBMISSION_COLUMNS) == {"created_key", "wire", "sheet_cells"}


def test_a_stored_submission_keeps_its_canonical_json_and_sheet_text(store):
    an_idea = idea(text='=SUMME(A1); "Zitat"\nzweite Zeile', author_name="Zoë")
    store.add(an_idea)
    a_drawing = drawing()
    store.add_many([a_drawing])
    rows = {r["id"]: r for r in store.query("SELECT id, wire, sheet_cells FROM submissions")}
    assert rows[an_idea.id]["wire"].encode() == an_idea.canonical_json()
    assert rows[a_drawing.id]["wire"].encode() == a_drawing.canonical_json()
    assert rows[a_drawing.id]["sheet_cells"] is None
    cells = next(csv.reader(io.StringIO(rows[an_idea.id]["sheet_cells"], newline=""), **CSV_DIALECT))
    assert cells[:3] == ["", "'=SUMME(A1); \"Zitat\"\nzweite Zeile", "Zoë"]
    assert cells[-4:] == ["kiosk-1", "fest-2024", "", ""]  # no proposal of the platform: two empty cells


# -- add / get -------------------------------------------------------------

def test_round_trip_keeps_blobs_unicode_and_digest(store):
    sub = drawing(text="Mehr Bäume 🌳 für Jena — 👩🏽‍🔬 e\u0301 ✓", author_name="Zoë 🦊",
                  title="Straße", lives_here=False, district="Lobeda", goal_id="g-7",
                  blobs=(Blob("strokes", STROKES), Blob("png", PNG)))
    store.add(sub)
    got = store.get(sub.id)
    assert got == sub
    assert got.blob("png").data == PNG and got.blob("strokes").data == STROKES
    assert [b.role for b in got.blobs] == ["strokes", "png"]
    assert got.digest() == sub.digest()
    assert got.lives_here is False and got.consent_given is True


def test_round_trip_keeps_none_and_true_flags(store):
    sub = idea(lives_here=None, is_sample=True, unfinished=True, age_group=None, text="")
    store.add(sub)
    got = store.get(sub.id)
    assert got == sub
    assert got.lives_here is None and got.is_sample is True and got.unfinished is True


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@st.composite
def submissions(draw) -> Submission:
    kind = draw(st.sampled_from(["idea", "drawing"]))
    blobs = (Blob("png", draw(st.binary(max_size=300))),) if kind == "drawing" else ()
    return idea(kind=kind, text=draw(_text), topic_id=draw(_text.filter(bool)),
                title=draw(st.none() | _text), author_name=draw(st.none() | _text),
                age_group=draw(st.none() | st.sampled_from(AGE_GROUPS)),
                lives_here=draw(st.none() | st.booleans()), is_sample=draw(st.booleans()),
                blobs=blobs)


def test_round_trip_any_text(tmp_path):
    with Store.open_in(tmp_path) as s:
        @settings(max_examples=60, deadline=None, database=None)
        @given(submissions())
        def check(sub):
            s.add(sub)
            assert s.get(sub.id) == sub
        check()


def test_get_unknown_is_none(store):
    assert store.get("00000000-0000-4000-8000-000000000000") is None
    assert store.sync_state("00000000-0000-4000-8000-000000000000") is None


def test_adding_the_same_submission_again_changes_nothing(store):
    sub = drawing()
    store.add(sub)
    store.add(sub)
    assert store.count() == 1
    assert raw_count(store.path, "blobs") == 2


def test_same_id_with_other_content_is_refused(store):
    sub = idea()
    store.add(sub)
    with pytest.raises(ValueError, match="different content"):
        store.add(idea(id=sub.id, reference_code=sub.reference_code, created_at=sub.created_at, text="other"))
    assert store.get(sub.id) == sub
    assert store.count() == 1


@pytest.mark.parametrize("make,broken", [(drawing, "blobs"), (idea, "sync_state"), (idea, "submission_counts")])
def test_add_is_one_transaction(store, make, broken):
    store.add(idea())
    before = store.stats()
    store._conn.execute(f"CREATE TEMP TRIGGER break_it BEFORE INSERT ON main.{broken} "
                        "BEGIN SELECT RAISE(ABORT, 'broken on purpose'); END")
    sub = make()
    with pytest.raises(sqlite3.IntegrityError):
        store.add(sub)
    assert store.get(sub.id) is None
    assert store.sync_state(sub.id) is None
    assert store.stats() == before
    assert raw_count(store.path, "submissions") == 1


def test_submissions_are_immutable(store):
    sub = idea()
    store.add(sub)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        store._conn.execute("UPDATE submissions SET topic_id = 'other' WHERE id = ?", (sub.id,))
    assert store.get(sub.id) == sub


# -- what the sync client sends --------------------------------------------

def test_outgoing_is_the_stored_wire_with_blobs_while_pending(store):
    sub, other = drawing(text="Grün 🌳 und Wasser"), idea()
    store.add_many([sub, other])
    out = store.outgoing(sub.id)
    assert out.id == sub.id
    assert out.canonical_json() == out.wire == sub.canonical_json()  # what the digest is taken of
    assert [(b.role, b.sha256, b.data) for b in out.blobs] == [(b.role, b.sha256, b.data) for b in sub.blobs]
    assert store.outgoing(other.id).blobs == ()
    store.mark_sent_many([(sub.id, {"sha256": sub.digest()})])
    store.withhold(other.id, "Spam")
    assert store.outgoing(sub.id) is None and store.outgoing(other.id) is None
    assert store.outgoing("00000000-0000-4000-8000-000000000000") is None
    assert store.sync_state(sub.id).receipt == {"sha256": sub.digest()}


def test_blobs_come_back_in_the_order_they_were_given(store):
    """Position order, not key order: here the strokes were given before the PNG."""
    sub = drawing(blobs=(Blob("strokes", STROKES), Blob("png", PNG)))
    store.add(sub)
    assert [b.role for b in store.get(sub.id).blobs] == ["strokes", "png"]
    assert [b.role for b in store.outgoing(sub.id).blobs] == ["strokes", "png"]
    assert store.get(sub.id).canonical_json() == store.outgoing(sub.id).wire == sub.canonical_json()


def test_mark_sent_many_is_all_or_nothing(store, caplog):
    subs = [idea(), idea()]
    store.add_many(subs)
    with pytest.raises(KeyError):
        store.mark_sent_many([(subs[0].id, {"ok": 1}), ("00000000-0000-4000-8000-000000000000", {"ok": 2})])
    assert store.sync_state(subs[0].id).status == "pending"
    with caplog.at_level(logging.INFO, logger=storage.log.name):
        store.mark_sent_many([(s.id, {"n": i}) for i, s in enumerate(subs)])
    assert [store.sync_state(s.id).receipt for s in subs] == [{"n": 0}, {"n": 1}]
    assert store.stats().by_state["sent"] == 2
    assert [r.getMessage() for r in caplog.records if "->" in r.getMessage()] == [
        f"sync {s.id} sent: pending -> sent" for s in subs]     # the line mark_sent writes, once each


# -- counts and stats ------------------------------------------------------

def test_stats_by_kind_topic_state_and_samples(store):
    assert store.stats() == Stats(0, {}, {}, dict.fromkeys(SYNC_STATES, 0), 0)
    subs = [idea(), idea(topic_id="climate"), drawing(), drawing(is_sample=True), idea(is_sample=True)]
    for sub in subs:
        store.add(sub)
    store.mark_sent(subs[0].id, {"digest": subs[0].digest()})
    store.mark_failed(subs[1].id, "HTTP 500")
    store.withhold(subs[2].id, "shows a face")
    stats = store.stats()
    assert stats.total == store.count() == 5
    assert stats.by_kind == {"idea": 3, "drawing": 2}
    assert stats.by_topic == {"mobility": 2, "climate": 1, "play": 2}
    assert stats.by_state == {"pending": 0, "sent": 1, "failed": 1, "withheld": 3}  # samples start withheld
    assert stats.samples == 2
    assert stats == scanned_stats(store.path)


_ops = st.lists(st.tuples(st.sampled_from(["add", "sent", "failed", "withhold", "release", "reset", "attempt",
                                           "delete", "purge"]),
                          st.integers(0, 7), st.sampled_from(["mobility", "climate", "play"]), st.booleans()),
                max_size=25)


def test_trigger_kept_counts_match_a_full_scan(tmp_path):
    with Store.open_in(tmp_path) as s:
        ids: list[str] = []

        @settings(max_examples=25, deadline=None, database=None)
        @given(_ops)
        def check(ops):
            for op, i, topic, sample in ops:
                if op == "add" or not ids:
                    sub = (drawing if sample else idea)(topic_id=topic, is_sample=sample)
                    s.add(sub)
                    ids.append(sub.id)
                elif op == "reset":
                    s.reset_failed()
                elif op == "delete":
                    with s.transaction() as conn:
                        assert storage.delete_submission_rows(conn, ids.pop(i % len(ids)))
                elif op == "purge":
                    with s.transaction() as conn:
                        purge._record_and_remove(conn, ids.pop(i % len(ids)), True, "2024-06-01T00:00:00Z")
                else:
                    target = ids[i % len(ids)]
                    try:
                        {"sent": lambda: s.mark_sent(target, {"ok": True}),
                         "failed": lambda: s.mark_failed(target, "timeout"),
                         "withhold": lambda: s.withhold(target, "staff"),
                         "release": lambda: s.release(target),
                         "attempt": lambda: s.record_attempt(target, None)}[op]()
                    except TransitionError:
                        pass
            assert s.stats() == scanned_stats(s.path)
            assert s.count() == raw_count(s.path, "submissions") == len(ids)
            assert counted_by_triggers(s) == counted_the_slow_way(s)
        check()


def test_stats_from_groups_skips_empty_groups_and_fills_every_state():
    stats = storage.stats_from_groups([("idea", "a", "sent", 0, 2), ("idea", "b", "pending", 1, 0),
                                       ("drawing", "a", "pending", 1, 3)])
    assert stats == Stats(5, {"idea": 2, "drawing": 3}, {"a": 5}, {"pending": 3, "sent": 2, "failed": 0,
                                                                    "withheld": 0}, 3)


# -- sync state ------------------------------------------------------------

def test_new_submission_is_pending(store):
    sub = idea()
    store.add(sub)
    state = store.sync_state(sub.id)
    assert (state.status, state.attempts, state.last_error, state.receipt, state.withheld_reason) == \
        ("pending", 0, None, None, None)
    assert state.updated_at.endswith("Z")


def test_attempts_failure_retry_and_receipt(store):
    sub = idea()
    store.add(sub)
    store.record_attempt(sub.id, "connection refused")
    store.record_attempt(sub.id, "timeout")
    state = store.sync_state(sub.id)
    assert (state.status, state.attempts, state.last_error) == ("pending", 2, "timeout")
    store.mark_failed(sub.id, "HTTP 422: schema")
    assert store.sync_state(sub.id).status == "failed"
    assert store.sync_state(sub.id).last_error == "HTTP 422: schema"
    assert store.pending_ids() == []
    assert store.reset_failed() == 1
    assert store.reset_failed() == 0
    assert store.pending_ids() == [sub.id]
    receipt = {"id": sub.id, "digest": sub.digest(), "received_at": "2024-06-01T10:00:00.000Z", "ü": "✓"}
    store.record_attempt(sub.id, None)
    store.mark_sent(sub.id, receipt)
    state = store.sync_state(sub.id)
    assert (state.status, state.attempts, state.last_error, state.receipt) == ("sent", 3, None, receipt)
    assert store.pending_ids() == []


def test_withhold_and_release(store):
    sub = idea()
    store.add(sub)
    store.withhold(sub.id, "names a person")
    state = store.sync_state(sub.id)
    assert (state.status, state.withheld_reason) == ("withheld", "names a person")
    assert store.pending_ids() == []
    store.mark_failed(sub.id, "late failure from the worker")
    assert store.sync_state(sub.id).status == "withheld"
    store.release(sub.id)
    state = store.sync_state(sub.id)
    assert (state.status, state.withheld_reason) == ("pending", None)
    assert store.pending_ids() == [sub.id]


def test_a_sent_row_cannot_be_withheld_or_failed(store):
    sub = idea()
    store.add(sub)
    store.mark_sent(sub.id, {"ok": True})
    with pytest.raises(TransitionError):
        store.withhold(sub.id, "too late")
    store.mark_failed(sub.id, "late report")
    store.release(sub.id)
    assert store.sync_state(sub.id).status == "sent"
    assert store.stats().by_state["sent"] == 1


@pytest.mark.parametrize("method,args", [("record_attempt", (None,)), ("mark_sent", ({},)),
                                         ("mark_failed", ("x",)), ("withhold", ("x",)), ("release", ())])
def test_changing_an_unknown_row_raises_key_error(store, method, args):
    with pytest.raises(KeyError):
        getattr(store, method)("00000000-0000-4000-8000-000000000000", *args)


@pytest.mark.parametrize("current,action,after", [
    ("pending", "attempt", "pending"), ("failed", "attempt", "failed"),
    ("pending", "sent", "sent"), ("failed", "sent", "sent"), ("withheld", "sent", "sent"), ("sent", "sent", "sent"),
    ("pending", "failed", "failed"), ("withheld", "failed", "withheld"), ("sent", "failed", "sent"),
    ("pending", "withhold", "withheld"), ("failed", "withhold", "withheld"),
    ("withheld", "release", "pending"), ("pending", "release", "pending"), ("failed", "release", "failed"),
    ("sent", "release", "sent"),
])
def test_next_status(current, action, after):
    assert storage.next_status(current, action) == after


def test_next_status_refuses_what_cannot_be_honoured():
    with pytest.raises(TransitionError):
        storage.next_status("sent", "withhold")
    with pytest.raises(ValueError):
        storage.next_status("pending", "explode")
    with pytest.raises(ValueError):
        storage.next_status("lost", "sent")


def test_pending_ids_oldest_first_whatever_the_spelling(store):
    late = idea(created_at="2024-06-01T10:00:00Z")          # no fraction: sorts after .500 as text
    early = idea(created_at="2024-06-01T10:00:00.500+00:00")
    earliest = idea(created_at="2024-06-01T09:59:59.999Z")
    newest = idea(created_at="2024-06-01T10:00:00.000001Z")
    sent = idea(created_at="2024-05-01T00:00:00Z")
    for sub in (late, early, sent, newest, earliest):
        store.add(sub)
    store.mark_sent(sent.id, {"ok": True})
    assert store.pending_ids() == [earliest.id, late.id, newest.id, early.id]
    assert store.pending_ids(limit=2) == [earliest.id, late.id]


def test_pending_query_walks_the_partial_index(store):
    plan = " ".join(row[3] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {storage.PENDING_SQL}", (5,)))
    assert "sync_state_pending" in plan
    assert "TEMP B-TREE" not in plan


def test_created_sort_key_is_chronological():
    assert storage.created_sort_key("2024-06-01T12:00:00+02:00") == "2024-06-01T10:00:00.000000Z"
    assert storage.created_sort_key("2024-06-01T10:00:00.5Z") == "2024-06-01T10:00:00.500000Z"


# -- export ----------------------------------------------------------------

def test_iter_submissions_oldest_first_in_batches_with_blobs(store):
    start = datetime(2024, 6, 1, 10, tzinfo=timezone.utc)
    subs = [(drawing if i % 3 == 0 else idea)(created_at=(start + timedelta(seconds=i)).isoformat())
            for i in range(_EXPORT_BATCH + 50)]
    same_time = [idea(created_at="2024-06-01T09:00:00Z") for _ in range(3)]
    shuffled = subs[:]
    random.Random(7).shuffle(shuffled)
    store.add_many(shuffled)
    for sub in same_time:
        store.add(sub)
    expected = same_time + subs
    got = list(itertools.islice(store.iter_submissions(), len(expected) + 1))  # a loop would not end
    assert got == expected
    drawings = list(itertools.islice(store.iter_submissions("drawing"), len(subs) + 1))
    assert drawings == [s for s in subs if s.kind == "drawing"]
    assert all(d.blob("png").data == PNG for d in drawings)
    with pytest.raises(ValueError):
        list(store.iter_submissions("poem"))


def test_writing_while_iterating_works_and_new_rows_wait_for_the_next_export(store):
    for _ in range(5):
        store.add(idea())
    seen = 0
    for sub in itertools.islice(store.iter_submissions(), 6):
        store.mark_sent(sub.id, {"ok": True})
        store.add(idea(created_at="2030-01-01T00:00:00Z"))
        seen += 1
    assert seen == 5
    assert store.stats().by_state["sent"] == 5
    assert len(list(itertools.islice(store.iter_submissions(), 11))) == 10


# -- notices ---------------------------------------------------------------

def test_notices_survive_a_restart_newest_last(tmp_path):
    with Store.open_in(tmp_path) as s:
        s.add_notice("recovered_draft", "An unsent draft was recovered after a restart.")
        s.add_notice("disk_low", "Disk space is low.", path="/data")
        with pytest.raises(ValueError):
            s.add_notice("gossip", "no")
    with Store.open_in(tmp_path) as s:
        assert [(n.kind, n.path) for n in s.notices] == [("recovered_draft", None), ("disk_low", "/data")]
        assert s.notices[0].message == "An unsent draft was recovered after a restart."
        assert s.notices[0].at.endswith("Z")


# -- concurrency -----------------------------------------------------------

def test_second_store_on_the_same_file_sees_and_changes_the_same_rows(tmp_path):
    with Store.open_in(tmp_path) as ui, Store.open_in(tmp_path) as worker:
        sub = drawing()
        ui.add(sub)
        assert worker.pending_ids() == [sub.id]
        assert worker.get(sub.id) == sub
        worker.mark_sent(sub.id, {"ok": True})
        assert ui.sync_state(sub.id).status == "sent"
        assert ui.stats().by_state["sent"] == 1


def test_two_threads_adding_at_once(tmp_path):
    Store.open_in(tmp_path).close()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(make):
        try:
            with Store.open_in(tmp_path) as s:
                barrier.wait()
                for _ in range(40):
                    s.add(make())
        except BaseException as exc:  # reported below, in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(make,)) for make in (idea, drawing)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open_in(tmp_path) as s:
        assert s.count() == raw_count(s.path, "submissions") == 80
        assert s.stats() == scanned_stats(s.path)


def test_several_stores_opening_a_fresh_file_at_once(tmp_path):
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def open_one():
        try:
            barrier.wait()
            with Store.open_in(tmp_path) as s:
                s.add(idea())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite3.connect(tmp_path / DB_FILENAME) as conn:
        assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == storage.SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 3


ADDER = r"""
import sys
from pathlib import Path
from kiosk.core.model import Submission
from kiosk.core.storage import Store

with Store(Path(sys.argv[1])) as store:
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(30):
        store.add(Submission(kind="idea", topic_id="from-child", text=f"Idee {n}"))
"""


@pytest.mark.slow
def test_another_process_adding_at_the_same_time(tmp_path):
    db = tmp_path / DB_FILENAME
    with Store(db) as s:
        child = subprocess.Popen([sys.executable, "-c", ADDER, str(db)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert child.stdout.readline().strip() == b"ready"
        child.stdin.write(b"go\n")
        child.stdin.flush()
        for _ in range(30):
            s.add(drawing())
        assert child.wait(timeout=30) == 0
        assert s.count() == raw_count(db, "submissions") == 60
        assert s.stats().by_topic == {"play": 30, "from-child": 30}
        assert s.stats() == scanned_stats(db)


def test_add_waits_for_another_writer(tmp_path):
    with Store.open_in(tmp_path) as s:
        other = sqlite3.connect(s.path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        timer = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        timer.start()
        sub = idea()
        s.add(sub)  # blocks on the write lock until the timer commits
        timer.join()
        other.close()
        assert s.get(sub.id) == sub


# -- damaged files ---------------------------------------------------------

def _filled(tmp_path: Path, n: int = 300) -> Path:
    with Store.open_in(tmp_path) as s:
        s.add_many(idea(text=f"Idee Nummer {i} " + "x" * 150) for i in range(n))
    assert not Path(f"{tmp_path / DB_FILENAME}-wal").exists()  # checkpointed on close
    return tmp_path / DB_FILENAME


def _assert_moved_aside(tmp_path: Path, damaged: bytes, caplog) -> Path:
    caplog.set_level(logging.WARNING, logger="kiosk.storage")
    with Store.open_in(tmp_path) as s:
        assert s.count() == 0
        sub = idea()
        s.add(sub)
        assert s.get(sub.id) == sub
        [notice] = s.notices
    aside = [p for p in tmp_path.glob(f"{DB_FILENAME}.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert [p.name for p in aside] == [Path(notice.path).name]
    assert notice.kind == "moved_aside"
    assert aside[0].read_bytes() == damaged
    assert any(r.levelno == logging.WARNING and r.name == "kiosk.storage" for r in caplog.records)
    with Store.open_in(tmp_path) as s:  # the notice is in the new file, for staff after a restart
        assert [n.kind for n in s.notices] == ["moved_aside"]
        assert s.count() == 1
    return aside[0]


def test_a_file_that_is_not_sqlite_is_moved_aside(tmp_path, caplog):
    damaged = b"Dies ist keine Datenbank.\n" * 200
    (tmp_path / DB_FILENAME).write_bytes(damaged)
    _assert_moved_aside(tmp_path, damaged, caplog)


def test_random_bytes_over_the_header_are_moved_aside(tmp_path, caplog):
    db = _filled(tmp_path)
    data = bytearray(db.read_bytes())
    data[:100] = random.Random(1).randbytes(100)
    db.write_bytes(bytes(data))
    _assert_moved_aside(tmp_path, bytes(data), caplog)


def test_random_bytes_in_the_middle_are_moved_aside(tmp_path, caplog):
    db = _filled(tmp_path)
    data = bytearray(db.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle:middle + 3 * page] = random.Random(2).randbytes(3 * page)
    db.write_bytes(bytes(data))
    _assert_moved_aside(tmp_path, bytes(data), caplog)


def test_wal_and_shm_go_aside_with_the_database(tmp_path, caplog):
    damaged = b"\x00garbage" * 512
    (tmp_path / DB_FILENAME).write_bytes(damaged)
    Path(f"{tmp_path / DB_FILENAME}-wal").write_bytes(b"old wal")
    Path(f"{tmp_path / DB_FILENAME}-shm").write_bytes(b"old shm")
    aside = _assert_moved_aside(tmp_path, damaged, caplog)
    assert Path(f"{aside}-wal").read_bytes() == b"old wal"
    assert Path(f"{aside}-shm").exists()  # only an index SQLite rebuilds; it may rewrite it


def test_move_aside_never_overwrites(tmp_path):
    now = datetime(2024, 6, 1, 10, 15, tzinfo=timezone.utc)
    db = tmp_path / DB_FILENAME
    db.write_bytes(b"first")
    first = storage.move_aside(db, now)
    db.write_bytes(b"second")
    second = storage.move_aside(db, now)
    assert first.name == "kiosk.sqlite3.corrupt-20240601T101500Z"
    assert second.name == "kiosk.sqlite3.corrupt-20240601T101500Z-1"
    assert (first.read_bytes(), second.read_bytes()) == (b"first", b"second")


def test_an_unopenable_path_is_a_store_error_and_nothing_moves(tmp_path):
    (tmp_path / DB_FILENAME).mkdir()
    with pytest.raises(StoreError):
        Store.open_in(tmp_path)
    assert (tmp_path / DB_FILENAME).is_dir()
    assert list(tmp_path.glob("*.corrupt-*")) == []


# -- disk space ------------------------------------------------------------

def test_free_bytes_is_the_file_systems(store):
    assert abs(store.free_bytes() - shutil.disk_usage(store.path.parent).free) < 64 * 1024 * 1024
    assert store.can_accept()


def test_below_the_reserve_nothing_is_written_and_staff_are_told_once(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.storage")
    with Store.open_in(tmp_path) as s:
        s.add(idea())
        before = (s.count(), s.stats(), raw_count(s.path, "blobs"))
        s.min_free_bytes = s.free_bytes() + 10**15
        assert not s.can_accept()
        sub = drawing()
        for _ in range(2):
            with pytest.raises(DiskFullError):
                s.add(sub)
        assert s.get(sub.id) is None
        assert (s.count(), s.stats(), raw_count(s.path, "blobs")) == before
        assert [n.kind for n in s.notices] == ["disk_low"]
        assert f"refused submission {sub.id}" in caplog.text
        s.min_free_bytes = 0
        s.add(sub)
        assert s.get(sub.id) == sub


@pytest.mark.parametrize("make", [
    lambda: drawing(blobs=(Blob("png", os.urandom(256 * 1024)),)),
    lambda: idea(text="Eine sehr lange Idee. " * 12_000),
], ids=["drawing", "idea"])
def test_sqlite_disk_full_rolls_back_and_raises_disk_full(store, make):
    store.add(idea())
    before = (store.count(), store.stats(), raw_count(store.path, "blobs"))
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # a disk with no room left
    sub = make()
    with pytest.raises(DiskFullError) as caught:
        store.add(sub)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert not store._conn.in_transaction
    assert store.get(sub.id) is None
    assert (store.count(), store.stats(), raw_count(store.path, "blobs")) == before
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    store.add(sub)
    assert store.get(sub.id) == sub


# -- the seam for staff modules ---------------------------------------------

def test_transaction_commits_or_rolls_back_everything(store):
    keep, gone = idea(), drawing()
    store.add(keep)
    store.add(gone)
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            assert storage.delete_submission_rows(conn, gone.id)
            conn.execute("INSERT INTO staff_draft_decisions VALUES (?, 'keep', 'now')", (keep.id,))
            raise RuntimeError("a staff module's bug")
    assert store.get(gone.id) == gone and store.count() == 2
    assert store.query("SELECT count(*) FROM staff_draft_decisions")[0][0] == 0
    with store.transaction() as conn:
        assert storage.delete_submission_rows(conn, gone.id)
        assert not storage.delete_submission_rows(conn, gone.id)
    assert store.get(gone.id) is None and store.sync_state(gone.id) is None
    assert raw_count(store.path, "blobs") == 0
    assert store.stats() == scanned_stats(store.path) and store.count() == 1


def test_transaction_turns_a_full_disk_into_disk_full_error(store):
    store.add(idea())
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFullError, match="could not keep it"):
        with store.transaction("could not keep it") as conn:
            conn.executemany("INSERT INTO staff_draft_decisions VALUES (?, 'keep', 'now')",
                             ((f"id-{i}-" + "x" * 200,) for i in range(2000)))
    assert not store._conn.in_transaction
    assert store.query("SELECT count(*) FROM staff_draft_decisions")[0][0] == 0


def test_query_reads_rows_and_names_a_broken_file(store, tmp_path):
    store.add(idea(text="Straße am FLUSS"))
    rows = store.query("SELECT id, casefold(text), casefold(NULL) FROM submissions")
    assert [(r[1], r[2]) for r in rows] == [("strasse am fluss", None)]
    assert rows[0]["id"] == store.query("SELECT submission_id FROM sync_state")[0][0]
    with pytest.raises(sqlite3.OperationalError):  # a bug in the SQL is not an environment problem
        store.query("SELECT nope FROM submissions")


def test_a_snapshot_reads_one_moment_while_another_store_writes(store):
    first = idea()
    store.add(first)
    with Store(store.path) as other:
        with store.snapshot():
            rows = store.stream("SELECT id, upper(?) FROM submissions", ("x",))
            other.add(idea())  # the sync worker's connection goes on writing
            assert list(rows) == [(first.id, "X")]
            assert store.query("SELECT count(*) FROM submissions")[0][0] == 1
        assert store.count() == 2
    calls = []
    rows = store.stream("SELECT twice(count(*)) FROM submissions", functions={"twice": lambda n: calls.append(n) or 2 * n})
    assert list(rows) == [(4,)] and calls == [2]
    with pytest.raises(sqlite3.OperationalError):  # registered for that iteration only
        store.query("SELECT twice(1)")


def test_get_checks_blob_digests_unless_the_caller_lets_the_receiver_do_it(store):
    sub = drawing()
    store.add(sub)
    with store.transaction() as conn:  # a damaged page, say
        conn.execute("UPDATE blobs SET data = ? WHERE submission_id = ? AND role = 'png'", (b"broken", sub.id))
    with pytest.raises(SchemaError, match="digest"):
        store.get(sub.id)
    trusted = store.get(sub.id, verify_blobs=False)  # the sync client: the receiver hashes on PUT (422)
    assert trusted.blob("png").data == b"broken" and trusted.blob("png").sha256 == sub.blob("png").sha256


def test_vacuum_leaves_no_deleted_text_in_the_file(store):
    secret = "Geheimnis-Zebrastreifen-4711"
    sub = idea(text=secret)
    store.add(sub)
    with store.transaction() as conn:
        storage.delete_submission_rows(conn, sub.id)
    store.vacuum()
    on_disk = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    assert secret.encode() not in on_disk


@pytest.mark.parametrize("last,minutes_later,due", [(None, 0, True), ("2024-06-01T10:00:00.000Z", 59, False),
                                                    ("2024-06-01T10:00:00.000Z", 60, True)])
def test_disk_low_notice_at_most_once_an_hour(last, minutes_later, due):
    now = datetime(2024, 6, 1, 10, tzinfo=timezone.utc) + timedelta(minutes=minutes_later)
    assert storage.disk_low_due(last, now) is due


@pytest.mark.parametrize("exc,expected", [
    (OSError(errno.ENOSPC, "No space left on device"), DiskFullError),
    (PermissionError(errno.EACCES, "denied"), StoreError),
    (sqlite3.IntegrityError("UNIQUE constraint failed"), None),
    (ValueError("bug"), None),
])
def test_error_class(exc, expected):
    assert storage.error_class(exc) is expected


# -- logs ------------------------------------------------------------------

def test_logs_never_contain_visitor_text(store, caplog):
    caplog.set_level(logging.DEBUG, logger="kiosk")
    sub = drawing(text="GEHEIME-IDEE-4711", author_name="AUTORIN-XY", title="TITEL-QQ", district="BEZIRK-ZZ")
    store.add(sub)
    store.add(sub)
    store.get(sub.id)
    store.record_attempt(sub.id, "timeout")
    store.withhold(sub.id, "staff")
    store.release(sub.id)
    store.mark_sent(sub.id, {"ok": True})
    assert sub.id in caplog.text
    for secret in ("GEHEIME", "AUTORIN", "TITEL-QQ", "BEZIRK"):
        assert secret not in caplog.text


# -- durability ------------------------------------------------------------

CHILD = r"""
import sys
from pathlib import Path
from kiosk.core.model import Blob, Submission
from kiosk.core.storage import Store

store = Store(Path(sys.argv[1]))
n = 0
while True:
    n += 1
    sub = Submission(kind="drawing", topic_id="play", text=f"Bild {n}", consent_given=True,
                     blobs=(Blob("png", bytes(range(256)) * 200), Blob("strokes", b"[[1,2],[3,4]]")))
    store.add(sub)
    print(sub.id, flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_submission_survives_sigkill_right_after_add(tmp_path):
    db = tmp_path / DB_FILENAME
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    confirmed: list[str] = []
    for _ in range(5):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE, env=env)
        first = child.stdout.readline().decode().strip()
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read().decode().split()
        child.wait()
        assert first, "the child printed no id"
        confirmed += [first, *rest]
    with Store(db) as s:
        assert s.notices == []  # nothing was damaged
        for sub_id in confirmed:
            got = s.get(sub_id)
            assert got is not None, sub_id
            assert got.blob("png").data == bytes(range(256)) * 200
            assert got.blob("strokes").data == b"[[1,2],[3,4]]"
        assert s.count() == raw_count(db, "submissions") >= len(confirmed)
        assert s.stats() == scanned_stats(db)
