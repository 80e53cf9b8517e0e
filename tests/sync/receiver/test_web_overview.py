"""The staff app's overview: its charts count the selection by kind, field of action, terminal,
moderation and local hour (real receiver over HTTP; fixtures from test_web_app)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from test_web_app import content, staff, web  # noqa: F401 - fixtures


def bars(html: str, chart: str) -> dict[str, int]:
    """label -> value of one chart's bars (the SVG's text pairs)."""
    svg = html.split(f'id="{chart}"', 1)[1].split("</figure>", 1)[0]
    labels = re.findall(r'class="lbl">([^<]*)</text>', svg)
    values = [int(v.replace(".", "")) for v in re.findall(r'class="val">([^<]*)</text>', svg)]
    return dict(zip(labels, values))


def test_the_charts_count_the_selection(web, staff):  # noqa: F811
    r, ideas, drawings = web
    everything = ideas + drawings
    html = staff.get(r.url + "/staff/overview", timeout=10).text
    assert bars(html, "chart-kind") == {"Idee": len(ideas), "Zeichnung": len(drawings)}
    assert bars(html, "chart-terminal") == dict(Counter(s.kiosk_id for s in everything))
    assert bars(html, "chart-topic") == dict(Counter(s.topic_id for s in everything))  # no titles configured
    berlin = ZoneInfo("Europe/Berlin")
    hours = Counter(datetime.fromisoformat(s.created_at.replace("Z", "+00:00")).astimezone(berlin).hour
                    for s in everything)
    svg = html.split('id="chart-hour"', 1)[1].split("</figure>", 1)[0]
    shown = {int(h): int(n.replace(".", "")) for h, n in re.findall(r"<title>(\d\d):00 – ([\d.]+)</title>", svg)}
    assert {h: n for h, n in shown.items() if n} == dict(hours)
    filtered = staff.get(r.url + "/staff/overview?terminal=kiosk-2", timeout=10).text
    assert bars(filtered, "chart-terminal") == {"kiosk-2": sum(1 for s in everything if s.kiosk_id == "kiosk-2")}
    assert "export/bundle.zip?terminal=kiosk-2" in filtered
