"""Realistic sample contributions for demos, staff training and benchmarks.

Every sample is marked ``is_sample=True`` so that it can never be mistaken
for a visitor's contribution (stats count them apart; exports mark them).
No Qt here: drawings are simple PNGs written with zlib.
"""

from __future__ import annotations

import json
import random
import struct
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from kiosk import __version__
from kiosk.core.config import Config
from kiosk.core.model import AGE_GROUPS, Blob, Submission

IDEAS_DE = [
    "Mehr Sitzbänke mit Steckdosen und WLAN in den Parks, damit man draußen arbeiten kann.",
    "Eine App, die anzeigt, wo gerade freie Fahrradbügel in der Innenstadt sind.",
    "Kurse für Senioren, wie man Online-Termine beim Bürgeramt bucht – gern in der Stadtteilbibliothek.",
    "Die Straßenbahn-Anzeigen an den Haltestellen sollten auch vorlesen können.",
    "Offene Daten zu Baustellen, damit man Umwege planen kann.",
    "Ein digitaler Stadtplan mit allen barrierefreien Toiletten.",
    "Sensoren an Spielplätzen, die im Sommer vor Hitze warnen.",
    "Anträge bitte auch in einfacher Sprache und auf Englisch.",
    "Schulen brauchen schnelleres Internet und Leute, die die Technik betreuen.",
    "Ein Reparatur-Café für Handys und Laptops in jedem Stadtteil.",
    "Bürgerhaushalt online abstimmen – mit Ergebnis, das man nachverfolgen kann.",
    "Videosprechstunde beim Hausarzt für einfache Fragen.",
]
IDEAS_EN = [
    "Free Wi-Fi along the Saale so that students can work outside.",
    "Show live tram delays on a big screen at the main stations.",
    "An English version of all city services, please – many researchers live here.",
    "Open the city's traffic data so that local start-ups can build better apps.",
    "Digital noticeboards in each district for local events.",
]
NAMES = ["Anna", "Jonas", "Mia", "Paul", "Lea", "Ben", "Emma", "Noah", "Sophie", "Karl", None, None, None]


def tiny_png(width: int, height: int, pixel) -> bytes:
    """Encode an RGB image given by ``pixel(x, y) -> (r, g, b)`` as a PNG."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            raw.extend(pixel(x, y))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b"")


def sample_drawing(rng: random.Random, width: int = 160, height: int = 90) -> tuple[bytes, bytes]:
    """A small sky-and-houses picture and stroke data that describe it."""
    houses = [(rng.randrange(0, width - 20), rng.randrange(30, 60), rng.choice([(200, 60, 50), (40, 120, 200),
              (240, 180, 30), (60, 160, 90)])) for _ in range(rng.randint(2, 5))]

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        for hx, top, colour in houses:
            if hx <= x < hx + 18 and top <= y < height - 10:
                return colour
        if y >= height - 10:
            return (90, 170, 80)
        return (190, 225, 250)

    strokes = {"version": 1, "width": width, "height": height, "background": "blank", "strokes": [
        {"tool": "brush", "color": "#%02x%02x%02x" % c, "width": 18,
         "points": [[hx + 9, top, 0], [hx + 9, height - 10, 120]]} for hx, top, c in houses]}
    return tiny_png(width, height, pixel), json.dumps(strokes).encode()


def sample_submissions(config: Config, *, ideas: int, drawings: int,
                       rng: random.Random) -> Iterator[Submission]:
    """``ideas`` ideas and ``drawings`` drawings over one festival day, oldest first.

    In time order, as a terminal stores them (each when it is made), so a seeded
    database is laid out like a real one: the benchmarks read it as they would
    read an event's data, not in a shuffled order no kiosk produces.
    """
    made = list(_unordered_samples(config, ideas=ideas, drawings=drawings, rng=rng))
    made.sort(key=lambda s: s.created_at)  # one format throughout, so text order is time order
    yield from made


def _unordered_samples(config: Config, *, ideas: int, drawings: int,
                       rng: random.Random) -> Iterator[Submission]:
    start = datetime(2022, 7, 3, 10, 0, tzinfo=timezone.utc)
    districts = config.about.districts or ("Zentrum",)
    common = {"kiosk_id": config.kiosk.id, "event_id": config.event.id, "app_version": __version__,
              "consent_given": True, "consent_version": config.consent.version, "is_sample": True}

    def when(i: int) -> str:
        t = start + timedelta(seconds=rng.randrange(0, 8 * 3600))
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{i % 1000:03d}Z"

    for i in range(ideas):
        topic = rng.choice(config.topics)
        goal = rng.choice(topic.goals) if topic.goals and rng.random() < 0.7 else None
        english = rng.random() < 0.2
        text = rng.choice(IDEAS_EN if english else IDEAS_DE)
        yield Submission(kind="idea", topic_id=topic.id, goal_id=goal.id if goal else None, text=text,
                         title=None, author_name=rng.choice(NAMES), age_group=rng.choice((None, *AGE_GROUPS)),
                         district=rng.choice((None, *districts)), lives_here=rng.choice((None, True, False)),
                         locale="en" if english else "de", created_at=when(i), **common)
    png = strokes = b""
    for i in range(drawings):
        if i % 50 == 0:  # encoding is the slow part: reuse a picture for a while
            png, strokes = sample_drawing(rng)
        yield Submission(kind="drawing", topic_id=config.flows.drawing_topic, text="",
                         author_name=rng.choice(NAMES), age_group=rng.choice((None, "under-12")),
                         locale="de", created_at=when(i), blobs=(Blob("png", png), Blob("strokes", strokes)),
                         **common)


def seed(store, config: Config, *, ideas: int, drawings: int, random_seed: int | None = None) -> int:
    """Add samples to ``store``; returns how many were added."""
    rng = random.Random(random_seed)
    subs = sample_submissions(config, ideas=ideas, drawings=drawings, rng=rng)
    bulk = getattr(store, "add_many", None)
    if bulk is not None:
        return bulk(subs)
    count = 0
    for sub in subs:
        store.add(sub)
        count += 1
    return count
