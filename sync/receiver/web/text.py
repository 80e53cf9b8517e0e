"""The staff app's words and formats: its own gettext catalogue, German numbers, dates, local times.

The catalogue is ``assets/locale/receiver/<lang>.po`` (keys in ``msgctxt``, as the kiosk's),
read by :class:`kiosk.core.catalogue.Catalogues`; German is the default, English the switch.
Numbers and dates follow the language with Babel (``1.234``, ``05.12.2026, 14:03``), shown in
the receiver's time zone (``ReceiverSettings.timezone``, else the machine's).
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal

from assets import ASSETS_DIR
from kiosk.core.catalogue import Catalogues

LOCALE_DIR = ASSETS_DIR / "locale" / "receiver"
TEMPLATE = LOCALE_DIR / "receiver.pot"
LANGS = ("de", "en")
DEFAULT_LANG = "de"
_DATETIME = {"de": "dd.MM.yyyy, HH:mm", "en": "d MMM yyyy, HH:mm"}
_TIME = {"de": "HH:mm:ss", "en": "HH:mm:ss"}


def parse_utc(stamp: str | None) -> datetime | None:
    """A stored ``...Z`` time as an aware datetime, or None."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


class WebText:
    def __init__(self, tz: str | None = None, dirs: tuple[Path, ...] = ()) -> None:
        self.catalogues = Catalogues([*dirs, LOCALE_DIR], fallback=DEFAULT_LANG)
        self.tz: tzinfo | None = ZoneInfo(tz) if tz else None

    def t(self, lang: str, key: str, **fmt: object) -> str:
        return self.catalogues.format(key, lang, **fmt)

    def number(self, lang: str, value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        return format_decimal(round(value, digits), format="#,##0" + ("." + "0" * digits if digits else ""),
                              locale=lang)

    def local(self, stamp: str | datetime | None) -> datetime | None:
        when = parse_utc(stamp) if isinstance(stamp, str) or stamp is None else stamp
        return when.astimezone(self.tz) if when else None

    def when(self, lang: str, stamp: str | datetime | None) -> str:
        local = self.local(stamp)
        return format_datetime(local, _DATETIME.get(lang, _DATETIME["en"]), locale=lang) if local else "–"

    def time(self, lang: str, stamp: str | datetime | None) -> str:
        local = self.local(stamp)
        return format_datetime(local, _TIME["de"], locale=lang) if local else "–"

    def bytes(self, lang: str, n: int | None) -> str:
        if n is None:
            return "–"
        for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
            if n >= size:
                return f"{self.number(lang, n / size, 1)} {unit}"
        return f"{self.number(lang, n)} B"

    def zone_name(self) -> str:
        local = datetime.now(self.tz).astimezone(self.tz)
        return getattr(self.tz, "key", None) or local.tzname() or "local"
