"""The staff app's words and formats: its own gettext catalogue, German numbers, dates, local times.

The catalogue is ``assets/locale/receiver/<lang>.po`` (keys in ``msgctxt``, as the kiosk's),
read by :class:`kiosk.core.catalogue.Catalogues`; German is the default, English the switch.
Numbers and dates follow the language with Babel (``1.234``, ``05.12.2026, 14:03``), shown in
the receiver's time zone (``ReceiverSettings.timezone``, else the machine's).
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, parse_pattern
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


_FIELD = re.compile(r"%\((\w+)\)s")
_NUMERIC = {"d": ("day", "%d"), "dd": ("day", "%02d"), "M": ("month", "%d"), "MM": ("month", "%02d"),
            "y": ("year", "%d"), "yyyy": ("year", "%04d"), "H": ("hour", "%d"), "HH": ("hour", "%02d"),
            "m": ("minute", "%d"), "mm": ("minute", "%02d"), "s": ("second", "%d"), "ss": ("second", "%02d")}
_MONTH_NAMES = {"MMM": "abbreviated", "MMMM": "wide"}


class DateFormat:
    """One Babel date pattern, turned once into a ``%`` format per month.

    Babel's ``format_datetime`` parses and applies its pattern field by field (about 7 µs a
    date; a browse page shows 50). The patterns here use only numeric fields and month names,
    so each month gets one ``%`` format with its name written in, filled from the fields that
    one ``attrgetter`` reads: the same text (tests/sync/receiver/test_web_text.py compares
    them with Babel's). A pattern with any other field stays with Babel."""

    def __init__(self, pattern: str, locale: Locale) -> None:
        self.pattern, self.locale = pattern, locale
        parts = _FIELD.split(parse_pattern(pattern).format)
        literals, fields = [p.replace("%%", "%") for p in parts[0::2]], parts[1::2]
        self.formats: list[str] | None = None
        if not all(f in _NUMERIC or f in _MONTH_NAMES for f in fields):
            self.by_minute = False
            return
        self.by_minute = not any(_NUMERIC.get(f, ("",))[0] == "second" for f in fields)
        """Whether the text is the same for every moment of one minute (no second in the pattern)."""
        attrs = [_NUMERIC[f][0] for f in fields if f in _NUMERIC]
        self._get = operator.attrgetter(*attrs) if len(attrs) > 1 else (
            (lambda when: (getattr(when, attrs[0]),)) if attrs else (lambda when: ()))
        months = locale.months["format"]
        self.formats = [""]
        for month in range(1, 13):
            out = []
            for i, literal in enumerate(literals):
                out.append(literal.replace("%", "%%"))
                if i < len(fields):
                    field = fields[i]
                    out.append(_NUMERIC[field][1] if field in _NUMERIC else
                               months[_MONTH_NAMES[field]][month].replace("%", "%%"))
            self.formats.append("".join(out))

    def __call__(self, when: datetime) -> str:
        if self.formats is None:
            return format_datetime(when, self.pattern, locale=self.locale)
        return self.formats[when.month] % self._get(when)


class WebText:
    def __init__(self, tz: str | None = None, dirs: tuple[Path, ...] = ()) -> None:
        self.catalogues = Catalogues([*dirs, LOCALE_DIR], fallback=DEFAULT_LANG)
        self.tz: tzinfo | None = ZoneInfo(tz) if tz else None
        self._locales = {lang: Locale.parse(lang) for lang in LANGS}  # parsed once, not per number
        self._of: dict[str, LangText] = {}
        self._datetime = {lang: DateFormat(_DATETIME.get(lang, _DATETIME["en"]), loc)
                          for lang, loc in self._locales.items()}
        self._time = {lang: DateFormat(_TIME["de"], loc) for lang, loc in self._locales.items()}

    def _locale(self, lang: str) -> Locale:
        return self._locales.get(lang) or self._locales[DEFAULT_LANG]

    def t(self, lang: str, key: str, **fmt: object) -> str:
        return self.catalogues.format(key, lang, **fmt)

    def of(self, lang: str) -> LangText:
        """The templates' ``t`` for *lang* (a text without placeholders looked up once)."""
        got = self._of.get(lang)
        if got is None:
            got = self._of[lang] = LangText(self, lang)
        return got

    def number(self, lang: str, value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        return format_decimal(round(value, digits), format="#,##0" + ("." + "0" * digits if digits else ""),
                              locale=self._locale(lang))

    def local(self, stamp: str | datetime | None) -> datetime | None:
        when = parse_utc(stamp) if isinstance(stamp, str) or stamp is None else stamp
        return when.astimezone(self.tz) if when else None

    def when(self, lang: str, stamp: str | datetime | None) -> str:
        local = self.local(stamp)
        return (self._datetime.get(lang) or self._datetime[DEFAULT_LANG])(local) if local else "–"

    def when_of_page(self, lang: str) -> Callable[[str | datetime | None], str]:
        """:meth:`when` for one page: each minute's text made once.

        Fifty rows of a busy event share a few minutes; a stored ``...Z`` stamp names its UTC
        minute in its first 16 characters, and a minute of UTC is a minute of local time where
        the zone's offset is whole minutes (checked, else every stamp is formatted)."""
        fmt = self._datetime.get(lang) or self._datetime[DEFAULT_LANG]
        if not fmt.by_minute:
            return functools.partial(self.when, lang)
        minutes: dict[str, str] = {}

        def when(stamp: str | datetime | None) -> str:
            if not isinstance(stamp, str) or len(stamp) < 17 or stamp[16] != ":" or stamp[-1] != "Z":
                return self.when(lang, stamp)
            key = stamp[:16]
            got = minutes.get(key)
            if got is None:
                local = self.local(stamp)
                if local is None:
                    return "–"
                got = fmt(local)
                offset = local.utcoffset()
                if offset is not None and offset.seconds % 60 == 0 and not offset.microseconds:
                    minutes[key] = got
            return got

        return when

    def time(self, lang: str, stamp: str | datetime | None) -> str:
        local = self.local(stamp)
        return (self._time.get(lang) or self._time[DEFAULT_LANG])(local) if local else "–"

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


class LangText:
    """``t(key, **fmt)`` of one language, as :meth:`WebText.t`; a page asks for some 60 texts."""

    __slots__ = ("_text", "_lang", "_plain")

    def __init__(self, text: WebText, lang: str) -> None:
        self._text, self._lang = text, lang
        self._plain: dict[str, str] = {}

    def __call__(self, key: str, **fmt: object) -> str:
        if fmt:
            return self._text.t(self._lang, key, **fmt)
        got = self._plain.get(key)
        if got is None:
            got = self._text.t(self._lang, key)
            if len(self._plain) < 4096:  # keys come from the templates (and field names of the data)
                self._plain[key] = got
        return got
