"""Benchmark the store against bare SQLite doing the same job. Prints figures; not a test.

Run:  PYTHONPATH=. python benchmarks/bench_store.py [--dir DIR] [--commits 200] [--rows 100000]

(a) One durable commit of an idea through ``Store.add`` versus a bare ``INSERT``
    of a similar row into a plain table with the same pragmas (WAL,
    synchronous=FULL), interleaved in the same run. Target: ratio <= 2.0.
    fsync latency swings from run to run, so this is repeated in rounds.
(b) ``Store.stats()`` over N submissions versus the same GROUP BY on a bare
    table with a covering index. Target: ratio <= 2.0, and flat from N/10 to N.

Rows for (b) are inserted with ``Store.add_many`` (one transaction per chunk),
not with N durable commits, so the setup takes seconds, not minutes.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.core.model import Blob, Submission  # noqa: E402
from kiosk.core.storage import SUBMISSION_COLUMNS, Store, submission_row  # noqa: E402
from kiosk.core.storage.errors import _transaction  # noqa: E402

TOPICS = [f"topic-{i}" for i in range(12)]
TEXT = "Mehr Schatten und Trinkbrunnen auf dem Marktplatz, damit man im Sommer bleiben mag. 🌳"


def make_idea(rng: random.Random, i: int) -> Submission:
    return Submission(kind="idea", topic_id=rng.choice(TOPICS), text=f"{TEXT} #{i}", consent_given=True,
                      consent_version="2024-1", kiosk_id="kiosk-1", event_id="fest", app_version="0.1.0",
                      age_group="30-49", lives_here=True, is_sample=(i % 50 == 0))


def make_any(rng: random.Random, i: int) -> Submission:
    if rng.random() < 0.2:
        return Submission(kind="drawing", topic_id=rng.choice(TOPICS), title="Bild", consent_given=True,
                          blobs=(Blob("png", b"\x89PNG" + bytes(64)),))
    return make_idea(rng, i)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_commit(work: Path, commits: int, round_no: int = 0) -> tuple[float, float]:
    """Median ms of a durable Store.add and of a bare INSERT, on fresh files."""
    rng = random.Random(round_no)
    store = Store(work / f"a{round_no}-store.sqlite3")
    bare = sqlite3.connect(work / f"a{round_no}-bare.sqlite3", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = FULL")
    columns = (*SUBMISSION_COLUMNS, "created_key")
    bare.execute(f"CREATE TABLE plain ({', '.join(columns)})")
    insert = f"INSERT INTO plain VALUES ({', '.join(':' + c for c in columns)})"
    ideas = [make_idea(rng, i) for i in range(2 * (commits + 20))]
    store_times, bare_times = [], []
    for n in range(commits + 20):  # interleaved, so both see the same disk weather,
        a, b = ideas[2 * n], ideas[2 * n + 1]  # and taking turns at going first
        row = submission_row(b)
        if n % 2:
            t_store = timed(lambda: store.add(a))
            t_bare = timed(lambda: bare.execute(insert, row))
        else:
            t_bare = timed(lambda: bare.execute(insert, row))
            t_store = timed(lambda: store.add(a))
        if n >= 20:  # warm-up
            store_times.append(t_store)
            bare_times.append(t_bare)
    store.close()
    bare.close()
    return median_ms(store_times), median_ms(bare_times)


def fill(store: Store, rng: random.Random, start: int, stop: int) -> None:
    chunk = 10_000
    for first in range(start, stop, chunk):
        store.add_many(make_any(rng, i) for i in range(first, min(stop, first + chunk)))
    # a realistic mix of states, picked by the random ids' hex digits: about two thirds
    # sent, some failed or withheld, the rest pending (the triggers keep the counts)
    with _transaction(store._conn):
        store._conn.execute("UPDATE sync_state SET status = CASE substr(submission_id, 1, 1) "
                            "WHEN '0' THEN 'failed' WHEN '1' THEN 'withheld' ELSE 'sent' END "
                            "WHERE status = 'pending' AND substr(submission_id, 2, 1) > '4'")


def bare_table(path: Path, store: Store) -> sqlite3.Connection:
    bare = sqlite3.connect(path, isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = FULL")
    bare.execute("CREATE TABLE plain (id TEXT PRIMARY KEY, kind TEXT, topic_id TEXT, status TEXT, "
                 "is_sample INTEGER, text TEXT)")
    bare.execute("CREATE INDEX plain_groups ON plain (kind, topic_id, status, is_sample)")
    rows = store._conn.execute("SELECT s.id, s.kind, s.topic_id, st.status, s.is_sample, s.text "
                               "FROM submissions s JOIN sync_state st ON st.submission_id = s.id").fetchall()
    bare.execute("BEGIN")
    bare.executemany("INSERT INTO plain VALUES (?, ?, ?, ?, ?, ?)", (tuple(r) for r in rows))
    bare.execute("COMMIT")
    bare.execute("ANALYZE")
    return bare


def bench_reads(calls: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median ms per call, calling each in turn every round so all see the same machine load."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for fn in calls.values():
        fn()
    for _ in range(rounds):
        for name, fn in calls.items():
            samples[name].append(timed(fn))
    return {name: median_ms(times) for name, times in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="where to put the files (default: a temporary folder)")
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="repeat (a) on fresh files; the disk is noisy")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        work = Path(tmp)
        print(f"SQLite {sqlite3.sqlite_version}, files in {work}")

        print(f"(a) durable commit of one idea, median of {args.commits} per round:")
        rounds = [bench_commit(work, args.commits, n) for n in range(args.rounds)]
        for n, (store_ms, bare_ms) in enumerate(rounds):
            print(f"    round {n}: Store.add {store_ms:6.3f} ms   bare INSERT {bare_ms:6.3f} ms   "
                  f"ratio {store_ms / bare_ms:5.2f}")
        ratios = sorted(store_ms / bare_ms for store_ms, bare_ms in rounds)
        print(f"    ratio              {statistics.median(ratios):8.2f}   median of {args.rounds} rounds, "
              f"range {ratios[0]:.2f} to {ratios[-1]:.2f} (target <= 2.0)")

        rng = random.Random(2)
        small_n = args.rows // 10
        small_path = work / "b-store-small.sqlite3"
        with Store(work / "b-store.sqlite3") as large:
            t = timed(lambda: fill(large, rng, 0, small_n))
            with sqlite3.connect(small_path) as copy:
                large._conn.backup(copy)  # the same file as it was at N/10 rows
            t += timed(lambda: fill(large, rng, small_n, args.rows))
            bare = bare_table(work / "b-bare.sqlite3", large)
            with Store(small_path) as small:
                assert (small.count(), large.count()) == (small_n, args.rows)
                sql = ("SELECT kind, topic_id, status, is_sample, count(*) FROM plain "
                       "GROUP BY kind, topic_id, status, is_sample")
                states = large.stats().by_state
                ms = bench_reads({"small": small.stats, "large": large.stats,
                                  "bare": lambda: bare.execute(sql).fetchall()}, 300)
            bare.close()
        print(f"(b) statistics ({args.rows:,} rows inserted in {t:.1f} s through add_many), "
              f"median of 300 interleaved calls:")
        print(f"    states at {args.rows:,}: {states}")
        print(f"    Store.stats() at {small_n:>7,}   {ms['small']:8.3f} ms")
        print(f"    Store.stats() at {args.rows:>7,}   {ms['large']:8.3f} ms   "
              f"(x{ms['large'] / ms['small']:.2f} for x{args.rows // small_n} rows)")
        print(f"    bare GROUP BY at {args.rows:>7,}   {ms['bare']:8.3f} ms   (covering index)")
        print(f"    ratio              {ms['large'] / ms['bare']:8.3f}   (target <= 2.0)")


if __name__ == "__main__":
    main()
