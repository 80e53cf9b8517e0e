"""The staff web app's pages at 100,000 items, each against a bare SQLite query for the same rows.

A receiver (in this process, on 127.0.0.1) over 100,000 sample contributions (the kiosk's
samples over three terminals; 5 % drawings), a signed-in session. For each page: the first
browse page, a filtered page (one terminal, ideas, one field of action), a full-text search,
and the overview, the time of a whole request (HTTP on loopback, session check, queries,
rendering; the server's time from its ``Server-Timing`` header, the client's beside it) beside the bare query that reads the same rows (the page's own SQL on a
connection of its own), alternating, in the same run. Target (issue 15): at most 3x.
Page weight: the HTML, and with the stylesheets, script and images it loads.
Figures (README, "The staff web app"): first page 2.7-2.8x, filtered 2.5-2.7x, search 1.1x.

Usage: python benchmarks/bench_receiver_pages.py [--items 100000] [--rounds 30]
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "sync" / "receiver"))
sys.path.insert(1, str(ROOT / "tests"))

TARGET = 3.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)

    from web_helpers import sign_in

    from kiosk.core.config import BUNDLED_CONFIG, load_config
    from sync.receiver import ReceiverSettings, ReceiverThread
    from sync.receiver.web import queries
    from sync.receiver.web.accounts import add_account
    from sync.receiver.web.demo import demo_receiver
    from sync.receiver.web.sessions import SessionSettings

    config = load_config(BUNDLED_CONFIG)
    topic = config.topics[0].id
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        t0 = time.perf_counter()
        demo_receiver(data_dir, config, ideas=args.items * 95 // 100, drawings=args.items // 20)
        print(f"seeded {args.items:,} items in {time.perf_counter() - t0:.1f} s")
        add_account(data_dir, "bench", "staff", "bench-long-password")
        settings = ReceiverSettings(data_dir, titles_from=BUNDLED_CONFIG,
                                    sessions=SessionSettings(secure_cookie=False))
        pages = {
            "first browse page": ("/staff/items", queries.Filters()),
            "filtered page": (f"/staff/items?terminal=markt-1&kind=idea&topic={topic}",
                              queries.Filters(terminal="markt-1", kind="idea", topic=topic)),
            "search": ("/staff/items?q=Fahrradbügel", queries.Filters(q="Fahrradbügel")),
            "search, two words": ("/staff/items?q=barrierefreien+Toiletten", queries.Filters(q="barrierefreien Toiletten")),
        }
        failed = []
        with ReceiverThread(settings) as r:
            s = sign_in(r.url, "bench", "bench-long-password")
            bare = sqlite3.connect(data_dir / "receiver.sqlite3")
            for name, (path, f) in pages.items():
                sql, sql_args = queries.browse_sql(f, None)
                page_t, wall_t, bare_t = [], [], []
                for _ in range(args.rounds):
                    t = time.perf_counter()
                    resp = s.get(r.url + path, timeout=30)
                    wall_t.append(time.perf_counter() - t)
                    page_t.append(float(resp.headers["Server-Timing"].partition("dur=")[2]) / 1000)
                    t = time.perf_counter()
                    rows = bare.execute(sql, sql_args).fetchall()
                    bare_t.append(time.perf_counter() - t)
                assert resp.status_code == 200 and len(re.findall(r'class="pick"', resp.text)) == min(50, len(rows))
                med_p, med_b = statistics.median(page_t), statistics.median(bare_t)
                ratio = med_p / med_b
                weight = len(resp.content)
                assets = set(re.findall(r'(?:href|src)="(/staff/(?:static|items/[^"]+/drawing\.png)[^"]*)"', resp.text))
                extra = sum(len(s.get(r.url + a, timeout=30).content) for a in assets)
                verdict = "ok" if ratio <= TARGET else "OVER"
                if ratio > TARGET:
                    failed.append(name)
                print(f"{name:<20} server median {med_p * 1000:7.2f} ms (whole request at the client "
                      f"{statistics.median(wall_t) * 1000:6.2f} ms) | bare query {med_b * 1000:7.2f} ms "
                      f"({len(rows) - (len(rows) > 50)} rows) | ratio {ratio:5.2f} (target <= {TARGET}) {verdict} | "
                      f"weight {weight / 1024:6.1f} KiB HTML, {(weight + extra) / 1024:6.1f} KiB with "
                      f"{len(assets)} assets")
            t = time.perf_counter()
            s.get(r.url + "/staff/overview", timeout=60)
            print(f"{'overview':<20} one request {(time.perf_counter() - t) * 1000:7.1f} ms (every count over "
                  f"{args.items:,} items; no bare-query target)")
            bare.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
