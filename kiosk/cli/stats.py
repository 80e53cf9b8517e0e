"""``kiosk stats``: count contributions by kind, topic and sync state."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.cli.common import EXIT_OK, add_command, load, open_store
from kiosk.core.config import Config


def cmd_stats(args: argparse.Namespace) -> int:
    config = load(args, quiet_warnings=True)
    with open_store(args, config) as store:
        stats = store.stats()
        notices = list(store.notices)
    if args.json:
        print(json.dumps({"total": stats.total, "samples": stats.samples, "by_kind": stats.by_kind,
                          "by_topic": stats.by_topic, "by_state": stats.by_state,
                          "notices": [n.message for n in notices]}, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(format_stats(stats, config))
    for notice in notices:
        print(f"! {notice.at} {notice.message}")
    return EXIT_OK


def format_stats(stats: Any, config: Config) -> str:
    lines = [f"Contributions: {stats.total}" + (f" (of which {stats.samples} samples)" if stats.samples else "")]
    lines.append("By kind:  " + ", ".join(f"{k} {n}" for k, n in sorted(stats.by_kind.items())))
    lines.append("By state: " + ", ".join(f"{k} {n}" for k, n in stats.by_state.items()))
    lines.append("By topic:")
    width = max((len(t) for t in stats.by_topic), default=0)
    for topic_id, n in sorted(stats.by_topic.items(), key=lambda kv: (-kv[1], kv[0])):
        topic = config.topic(topic_id)
        title = topic.title.get_text(config.kiosk.default_language) if topic else ""
        lines.append(f"  {topic_id:<{width}} {n:>7}  {title}")
    return "\n".join(lines)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    stats = add_command(sub, common, "stats", cmd_stats, "count contributions by kind, topic and sync state")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
