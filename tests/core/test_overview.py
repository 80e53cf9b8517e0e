"""Overview figures: equal to the store's, hours in local time, plain failure reasons."""

from __future__ import annotations

from datetime import timezone, timedelta

import pytest

from kiosk.core import moderation, overview
from kiosk.core.overview import HourBucket, per_hour_of_day, plain_reason, timeline
from staff_helpers import drawing, idea, open_store

CEST = timezone(timedelta(hours=2))


def test_per_hour_of_day_sums_days_in_local_time():
    hours = [HourBucket("2022-07-03T08", "idea", 3), HourBucket("2022-07-04T08", "idea", 2),
             HourBucket("2022-07-03T08", "drawing", 1), HourBucket("2022-07-03T23", "idea", 1)]
    out = per_hour_of_day(hours, CEST)
    assert out[10] == {"idea": 5, "drawing": 1}
    assert out[1] == {"idea": 1, "drawing": 0}  # 23 UTC is 1 o'clock next day in CEST
    assert sum(v["idea"] + v["drawing"] for v in out) == 7


def test_timeline_fills_gaps():
    line = timeline([HourBucket("2022-07-03T08", "idea", 3), HourBucket("2022-07-03T11", "drawing", 2)], CEST)
    assert [n for _, n in line] == [3, 0, 0, 2]
    assert line[0][0].hour == 10
    assert timeline([]) == []


@pytest.mark.parametrize("error,words", [
    ("401: missing or unknown kiosk token", "token"),
    ("422: text: longer than 10000", "refused the content (text: longer than 10000)."),
    (None, "No reason"),
    ("connection refused", "connection refused"),
])
def test_plain_reasons(error, words):
    assert words in plain_reason(error)


def test_overview_numbers_equal_the_store(tmp_path):
    store = open_store(tmp_path)
    subs = [idea(created_at="2022-07-03T08:15:00.000Z"), idea(created_at="2022-07-03T09:15:00.000Z"),
            drawing(1, created_at="2022-07-03T09:45:00.000Z"), idea(is_sample=True)]
    for s in subs:
        store.add(s)
    store.mark_failed(subs[0].id, "413: blob is too large")
    store.withhold(subs[1].id, "insulting")
    store.mark_sent(subs[2].id, {"sha256": subs[2].digest()})
    moderation.delete(store, subs[3].id, "test")
    ov = overview.load_overview(store)
    stats = store.stats()
    assert (ov.total, ov.ideas, ov.drawings) == (stats.total, stats.by_kind["idea"], stats.by_kind["drawing"])
    assert ov.by_state == stats.by_state and ov.by_topic == stats.by_topic
    assert ov.deleted == 1 and ov.purged == 0 and ov.last_sent_at is not None
    assert ov.failures == (("Too large for the receiver (blob is too large).", 1),)
    assert ov.withheld == (("insulting", 1),)
    assert sorted((b.hour_utc, b.kind, b.n) for b in ov.hours) == [
        ("2022-07-03T08", "idea", 1), ("2022-07-03T09", "drawing", 1), ("2022-07-03T09", "idea", 1)]
    store.close()


def test_timeline_over_a_long_span_goes_per_day():
    line = timeline([HourBucket("2022-07-03T08", "idea", 3), HourBucket("2022-07-20T11", "idea", 2)], CEST)
    assert len(line) == 18 and line[0][1] == 3 and line[-1][1] == 2
