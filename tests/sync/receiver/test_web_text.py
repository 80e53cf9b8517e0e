"""The staff app's formats: the fast date formats give Babel's text, in every language and zone."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.dates import format_datetime

from sync.receiver.web.text import _DATETIME, _TIME, LANGS, DateFormat, WebText


@pytest.mark.parametrize("pattern", [*_DATETIME.values(), *_TIME.values(), "d. MMMM y, H:m:s", "EEEE, d.M.yy"])
@pytest.mark.parametrize("lang", [*LANGS, "fr"])
def test_a_date_format_is_babels_text(pattern, lang):
    locale = Locale.parse(lang)
    fmt = DateFormat(pattern, locale)
    rnd = random.Random(15)
    start = datetime(1999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    for _ in range(400):
        when = (start + timedelta(seconds=rnd.randrange(40 * 365 * 86400))).astimezone(ZoneInfo("Europe/Berlin"))
        assert fmt(when) == format_datetime(when, pattern, locale=locale)


def test_only_numbers_and_month_names_take_the_fast_way():
    fast = DateFormat("d. MMM yyyy, HH:mm", Locale.parse("de")).formats
    assert fast is not None and fast[7] == "%d. Juli %04d, %02d:%02d"
    assert DateFormat("EEEE, d.M.yy", Locale.parse("de")).formats is None  # a weekday: Babel formats it


def test_when_is_the_local_time_in_the_language():
    text = WebText("Europe/Berlin")
    assert text.when("de", "2024-07-03T12:05:00.000Z") == "03.07.2024, 14:05"
    assert text.when("en", "2024-01-03T12:05:00Z") == "3 Jan 2024, 13:05"
    assert text.when("de", None) == text.when("de", "not a time") == "–"
    assert text.time("de", "2024-07-03T12:05:09Z") == "14:05:09"


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe", "Europe/Amsterdam"])
def test_a_pages_when_is_when_for_every_stamp(zone):
    """One minute's text is made once per page; the same text as :meth:`WebText.when`, also across a
    change of summer time, in a zone of 45-minute offsets and one of seconds (Amsterdam, 1930)."""
    text = WebText(zone)
    rnd = random.Random(16)
    stamps = []
    for start in (datetime(2024, 3, 31, 0, 30, tzinfo=timezone.utc), datetime(2024, 4, 6, 15, 0, tzinfo=timezone.utc),
                  datetime(1930, 6, 1, 12, 0, tzinfo=timezone.utc)):
        for _ in range(300):
            when = start + timedelta(seconds=rnd.randrange(4 * 3600), milliseconds=rnd.randrange(1000))
            stamps.append(when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z")
    stamps += ["2024-07-03T12:05:00+02:00", "2024-07-03T12:05Z", "bad", "", None]
    for lang in LANGS:
        page_when = text.when_of_page(lang)
        for stamp in stamps + stamps[::-1]:
            assert page_when(stamp) == text.when(lang, stamp), stamp
