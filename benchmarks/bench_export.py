"""Benchmark, one run: the USB export against a bare zipfile floor; the overview's queries.

    PYTHONPATH=. python benchmarks/bench_export.py [--ideas 10000] [--drawings 1000] [--rows 100000] [--rounds 5]

Prints each figure beside a floor measured in the same run, and the ratio.
Export floor: writing a ZIP of the very same files (same names, bytes and
compression) with ``zipfile`` and nothing else; export and floor alternate for
``--rounds`` rounds and both best and median are reported. The samples are
stored in time order, as a terminal stores them (see ``kiosk.core.seed``). Overview: every query
:func:`kiosk.core.overview.load_overview` runs, over ``--rows`` submissions.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.core.config import BUNDLED_CONFIG, load_config  # noqa: E402
from kiosk.core.export import export_store  # noqa: E402
from kiosk.core.overview import load_overview  # noqa: E402
from kiosk.core.seed import sample_submissions  # noqa: E402
from kiosk.core.storage import Store  # noqa: E402


def fill(store: Store, config, ideas: int, drawings: int, seed: int) -> None:
    subs = sample_submissions(config, ideas=ideas, drawings=drawings, rng=random.Random(seed))
    batch = []
    for s in subs:
        batch.append(s)
        if len(batch) == 5000:
            store.add_many(batch)
            batch = []
    store.add_many(batch)


def bench_export(config, ideas: int, drawings: int, tmp: Path, rounds: int) -> None:
    """Export and floor alternate, ``rounds`` times each, so a busy machine weighs on both alike."""
    store = Store.open_in(tmp / "data")
    fill(store, config, ideas, drawings, 1)
    t_export: list[float] = []
    t_floor: list[float] = []
    members = None
    for r in range(rounds):
        out = tmp / f"stick{r}"
        out.mkdir()
        t0 = time.perf_counter()
        result = export_store(store, config, out)
        t_export.append(time.perf_counter() - t0)
        if members is None:
            with zipfile.ZipFile(result.path) as zf:  # the same files, read back into memory
                members = [(i.filename, i.compress_type, zf.read(i.filename)) for i in zf.infolist()]
        t0 = time.perf_counter()
        with zipfile.ZipFile(tmp / f"floor{r}.zip", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for name, method, data in members:
                zf.writestr(name, data, compress_type=method)
        t_floor.append(time.perf_counter() - t0)
    store.close()
    best_e, best_f = min(t_export), min(t_floor)
    med_e, med_f = statistics.median(t_export), statistics.median(t_floor)
    print(f"export {ideas} ideas + {drawings} drawings ({result.bytes / 1e6:.1f} MB, {result.files} files), "
          f"{rounds} rounds alternating with the floor:")
    print(f"  export: best {best_e * 1000:7.1f} ms, median {med_e * 1000:7.1f} ms | floor zipfile only: "
          f"best {best_f * 1000:7.1f} ms, median {med_f * 1000:7.1f} ms")
    print(f"  ratio best/best {best_e / best_f:.2f}, median/median {med_e / med_f:.2f} (target <= 2.0)")


def bench_overview(config, rows: int, tmp: Path) -> None:
    store = Store.open_in(tmp / "big")
    fill(store, config, rows - rows // 10, rows // 10, 2)
    load_overview(store)  # warm the page cache and the staff tables once
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        load_overview(store)
        times.append(time.perf_counter() - t0)
    conn = store._conn
    floor = []
    for _ in range(5):
        t0 = time.perf_counter()
        conn.execute("SELECT kind, count(*) FROM submissions GROUP BY kind").fetchall()
        floor.append(time.perf_counter() - t0)
    print(f"overview queries over {store.count()} submissions: best {min(times) * 1000:6.1f} ms, "
          f"median {sorted(times)[2] * 1000:6.1f} ms (target < 100 ms) | floor one GROUP BY kind scan: "
          f"{min(floor) * 1000:6.1f} ms | ratio {min(times) / min(floor):.2f}")
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--drawings", type=int, default=1_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    config = load_config(BUNDLED_CONFIG)
    with tempfile.TemporaryDirectory() as tmp:
        bench_export(config, args.ideas, args.drawings, Path(tmp), args.rounds)
        bench_overview(config, args.rows, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
