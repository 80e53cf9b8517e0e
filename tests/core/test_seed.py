"""The sample contributions behind ``kiosk seed`` and the benchmarks."""

from __future__ import annotations

import random
from collections import Counter

from kiosk.core.config import BUNDLED_CONFIG, load_config
from kiosk.core.seed import sample_submissions, seed
from kiosk.core.storage import Store

CONFIG = load_config(BUNDLED_CONFIG)


def test_samples_come_in_time_order_with_both_kinds_mixed():
    subs = list(sample_submissions(CONFIG, ideas=200, drawings=40, rng=random.Random(5)))
    assert Counter(s.kind for s in subs) == {"idea": 200, "drawing": 40}
    times = [s.created_at for s in subs]
    assert times == sorted(times)
    first_half = Counter(s.kind for s in subs[:120])
    assert first_half["drawing"] > 0 and first_half["idea"] > 0  # drawings spread over the day
    assert all(s.is_sample for s in subs)


def test_seeded_store_holds_samples_in_the_order_they_were_made(tmp_path):
    with Store.open_in(tmp_path) as store:
        assert seed(store, CONFIG, ideas=50, drawings=10, random_seed=3) == 60
        stored = [row[0] for row in store.query("SELECT created_key FROM submissions ORDER BY rowid")]
    assert len(stored) == 60 and stored == sorted(stored)
