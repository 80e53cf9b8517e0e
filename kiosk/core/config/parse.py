"""Parsing and validating a configuration: every problem at once, with file, line and key.

:func:`parse_config` builds a :class:`~kiosk.core.config.sections.Config` from
parsed TOML and reads no file. Validation collects *all* problems at once;
each names the file, the line (:func:`key_lines`: tomllib keeps no positions),
the key and what is wrong. Errors raise :class:`ConfigError`; warnings come
back with the config.
"""

from __future__ import annotations

import math
import re
import types
import typing
from dataclasses import MISSING, dataclass, fields, is_dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from kiosk.core.catalogue import LANGUAGE_CODE, available, search_path
from kiosk.core.catalogue import find as find_catalogue
from kiosk.core.config.sections import (DEFAULT_TOPICS, DEMO_PIN, DEMO_PIN_HASH, DISPLAYS, ORIENTATIONS,
                                        BrandingConfig, Config, Localized, Topic)


# ---------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    file: str
    line: int | None
    key: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        kind = "warning" if self.warning else "error"
        return f"{where}: {kind}: {self.key}: {self.message}" if self.key else f"{where}: {kind}: {self.message}"


class ConfigError(Exception):
    """The configuration cannot be used. ``problems`` lists every problem found."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.warning)  # errors first
        super().__init__("\n".join(str(p) for p in problems))


Path_ = tuple[str | int, ...]


def format_key(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def key_lines(text: str) -> dict[Path_, int]:
    """Map each key path in a TOML text to the line it is written on.

    tomllib keeps no positions, so this scans the text: table headers (arrays
    of tables are counted), ``key =`` lines (dotted keys too) and the keys of
    one-line inline tables. Good enough to point a person at the right line.
    """
    lines: dict[Path_, int] = {}
    counters: dict[Path_, int] = {}
    current: Path_ = ()
    in_multiline: str | None = None

    def resolve(parts: list[str]) -> Path_:
        out: Path_ = ()
        for p in parts:
            out = out + (p,)
            if out in counters:
                out = out + (counters[out],)
        return out

    for n, raw in enumerate(text.splitlines(), 1):
        if in_multiline:
            if in_multiline in raw:
                in_multiline = None
            continue
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[["):
            parts = _split_key(line[2:line.find("]]")])
            parent = resolve(parts[:-1]) + (parts[-1],)
            counters[parent] = counters.get(parent, -1) + 1
            lines.setdefault(parent, n)
            current = parent + (counters[parent],)
            lines[current] = n
        elif line.startswith("["):
            current = resolve(_split_key(line[1:line.find("]")]))
            lines.setdefault(current, n)
        else:
            m = re.match(r"""((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=(.*)""", line)
            if not m:
                continue
            full = current + tuple(_split_key(m.group(1)))
            lines.setdefault(full, n)
            rest = m.group(2)
            for inner in re.findall(r"[{,]\s*([A-Za-z0-9_-]+)\s*=", rest):
                lines.setdefault(full + (inner,), n)
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
    return lines


def _split_key(key: str) -> list[str]:
    return [p.strip().strip("\"'") for p in re.findall(r"""(?:"[^"]*"|'[^']*'|[^.]+)""", key.strip())]


class _Problems:
    def __init__(self, file: str, lines: dict[Path_, int]) -> None:
        self.file = file
        self.lines = lines
        self.items: list[ConfigProblem] = []

    def line_of(self, path: Path_) -> int | None:
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def add(self, path: Path_, message: str, *, warning: bool = False) -> None:
        self.items.append(ConfigProblem(self.file, self.line_of(path), format_key(path), message, warning))


# ---------------------------------------------------------------- building


_TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number", float: "a number"}


def _build(cls: type, table: Any, path: Path_, probs: _Problems) -> Any:
    """Build dataclass ``cls`` from a TOML table, reporting every problem."""
    if not isinstance(table, dict):
        probs.add(path, "must be a table")
        return None
    hints = _type_hints(cls)
    names = [f.name for f in fields(cls) if f.name != "source"]
    for key in table:
        if key not in names:
            import difflib  # only when a key is wrong: keeps the kiosk's start fast

            close = difflib.get_close_matches(key, names, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(names)})"
            probs.add(path + (key,), f"unknown key{hint}")
    kwargs: dict[str, Any] = {}
    ok = True
    for f in fields(cls):
        if f.name not in table:
            if f.default is MISSING and f.default_factory is MISSING:
                probs.add(path + (f.name,), "is required")
                ok = False
            continue
        value = _convert(hints[f.name], table[f.name], path + (f.name,), probs)
        if value is _BAD:
            # Already reported. A defaulted field falls back to its default so
            # the remaining checks still run and every problem is reported at once.
            ok = ok and (f.default is not MISSING or f.default_factory is not MISSING)
        else:
            kwargs[f.name] = value
    return cls(**kwargs) if ok else None


_BAD = object()
_HINTS: dict[type, dict[str, Any]] = {}


def _type_hints(cls: type) -> dict[str, Any]:
    """typing.get_type_hints, once per class: it re-evaluates every annotation per call."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _convert(tp: Any, value: Any, path: Path_, probs: _Problems) -> Any:
    origin = typing.get_origin(tp)
    if tp is Localized:
        if isinstance(value, str):
            return Localized.everywhere(value)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            probs.add(path, 'must be a text or a table of texts per language, e.g. { de = "…", en = "…" }')
            return _BAD
        for lang in value:
            if not LANGUAGE_CODE.match(lang):
                probs.add(path + (lang,), "is not a language code like de, en or uk")
        return Localized(value)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        if not isinstance(value, list):
            probs.add(path, "must be a list")
            return _BAD
        items = [_convert(inner, v, path + (i,), probs) for i, v in enumerate(value)]
        if any(i is _BAD or i is None for i in items):
            if not is_dataclass(inner):
                return _BAD
            # Keep the entries that could be built, so later checks see them.
            return tuple(i for i in items if i is not _BAD and i is not None)
        return tuple(items)
    if is_dataclass(tp):
        built = _build(tp, value, path, probs)
        return _BAD if built is None else built
    if origin in (types.UnionType, typing.Union):
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            probs.add(path, "is far too large")
            return _BAD
    if tp is int and isinstance(value, bool) or not isinstance(value, tp):
        probs.add(path, f"must be {_TYPE_NAMES.get(tp, tp.__name__)}, not {_toml_type(value)}")
        return _BAD
    return value


def _toml_type(value: Any) -> str:
    return {bool: "true/false", int: "a whole number", float: "a number", str: "a string",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


# ---------------------------------------------------------------- checks


_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _check(cfg: Config, probs: _Problems) -> None:
    langs = cfg.kiosk.languages
    catalogues = search_path(cfg.locale_dirs)
    if cfg.locale_dirs and not cfg.locale_dirs[0].is_dir():
        probs.add(("kiosk", "locale_dir"), f"{cfg.locale_dirs[0]} is not a folder")
    for lang in langs:
        if not LANGUAGE_CODE.match(lang):
            probs.add(("kiosk", "languages"), f"'{lang}' is not a language code like de, en or uk")
        elif find_catalogue(lang, catalogues) is None:
            probs.add(("kiosk", "languages"), f"no message catalogue for '{lang}': put {lang}.po into "
                      + " or ".join(map(str, catalogues)) + f" (python scripts/i18n.py new {lang} starts one); "
                      f"there are: {', '.join(available(catalogues))}")
    if not langs:
        probs.add(("kiosk", "languages"), "needs at least one language")
    if cfg.kiosk.default_language not in langs:
        probs.add(("kiosk", "default_language"), f"'{cfg.kiosk.default_language}' is not one of kiosk.languages")
    if cfg.kiosk.orientation not in ORIENTATIONS:
        probs.add(("kiosk", "orientation"), f"'{cfg.kiosk.orientation}' is not one of {', '.join(ORIENTATIONS)}")
    if cfg.kiosk.display not in DISPLAYS:
        probs.add(("kiosk", "display"), f"'{cfg.kiosk.display}' is not one of {', '.join(DISPLAYS)}")
    for name in ("id",):
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", getattr(cfg.kiosk, name)):
            probs.add(("kiosk", name), "must be 1-64 letters, digits, '.', '_' or '-'")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", cfg.event.id):
        probs.add(("event", "id"), "must be 1-64 letters, digits, '.', '_' or '-'")
    for f in fields(BrandingConfig):
        value = getattr(cfg.branding, f.name)
        if f.name.endswith("_color") and not _COLOR.match(value):
            probs.add(("branding", f.name), f"'{value}' is not a colour like #0b4f8a")
    template = cfg.event.idea_url_template
    if "{token}" not in template and "{code}" not in template:
        probs.add(("event", "idea_url_template"), "must contain {token}, where the contribution's status token "
                  "goes (the receiver's status page: https://RECEIVER/s/{token})")
    elif "{token}" not in template:
        probs.add(("event", "idea_url_template"), "has {code} but no {token}: the QR code then leads to a page "
                  "that cannot know the contribution; point it at the receiver's https://RECEIVER/s/{token}",
                  warning=True)
    for key in ("platform_url", "idea_url_template"):
        url = _split_url(getattr(cfg.event, key))
        if url is None or url.scheme not in ("https", "http"):
            probs.add(("event", key), "must be an http(s) URL")
    _check_translations(cfg, langs, probs)
    _check_ids(cfg, probs)
    _check_numbers(cfg, probs)
    _check_pin(cfg, probs)
    _check_sync(cfg, probs)


def _check_translations(cfg: Config, langs: tuple[str, ...], probs: _Problems) -> None:
    def walk(obj: Any, path: Path_) -> None:
        if isinstance(obj, Localized):
            # an all-empty text is "not used", not "untranslated"; a plain string is every language's
            if any(obj.values()) and Localized.EVERY not in obj:
                for lang in langs:
                    if not obj.get(lang):
                        probs.add(path, f"missing translation for '{lang}': visitors choosing it see the "
                                  f"'{cfg.kiosk.default_language}' text", warning=True)
        elif isinstance(obj, tuple):
            for i, item in enumerate(obj):
                walk(item, path + (i,))
        elif is_dataclass(obj):
            for f in fields(obj):
                walk(getattr(obj, f.name), path + (f.name,))

    walk(cfg, ())


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ID_RULE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"


def _check_ids(cfg: Config, probs: _Problems) -> None:
    seen: set[str] = set()
    if not _ID.fullmatch(cfg.flows.drawing_topic):
        probs.add(("flows", "drawing_topic"), _ID_RULE)
    for i, topic in enumerate(cfg.topics):
        if not _ID.fullmatch(topic.id):
            probs.add(("topics", i, "id"), _ID_RULE)
        if not any(topic.title.values()):
            probs.add(("topics", i, "title"), "must not be empty: visitors choose the topic by it")
        for j, goal in enumerate(topic.goals):
            if not _ID.fullmatch(goal.id):
                probs.add(("topics", i, "goals", j, "id"), _ID_RULE)
            if not any(goal.title.values()):
                probs.add(("topics", i, "goals", j, "title"), "must not be empty")
        if topic.id in seen:
            probs.add(("topics", i, "id"), f"duplicate topic id '{topic.id}'")
        seen.add(topic.id)
        goals: set[str] = set()
        for j, goal in enumerate(topic.goals):
            if goal.id in goals:
                probs.add(("topics", i, "goals", j, "id"), f"duplicate goal id '{goal.id}' in topic '{topic.id}'")
            goals.add(goal.id)
    if cfg.flows.ideas and not cfg.topics:
        probs.add(("topics",), "the ideas flow needs at least one [[topics]] entry")
    if not cfg.flows.ideas and not cfg.flows.drawing:
        probs.add(("flows",), "switch on at least one of ideas and drawing, or visitors can do nothing")


MIN_COUNTDOWN_S = 20
"""WCAG 2.2, 2.2.1 Timing Adjustable: at least 20 s to extend a time limit."""
MAX_IDLE_S = 86_400
MIN_DIAGONAL_INCH, MAX_DIAGONAL_INCH = 7.0, 110.0
"""A touch terminal's screen: from a small tablet to a large display on a stand."""


def _seconds_ok(value: float, low: float, high: float) -> bool:
    return math.isfinite(value) and low <= value <= high


def _check_numbers(cfg: Config, probs: _Problems) -> None:
    if not 1 <= cfg.flows.text_limit <= 10_000:
        probs.add(("flows", "text_limit"), "must be between 1 and 10000 characters")
    if not 1 <= cfg.flows.title_limit <= 200:
        probs.add(("flows", "title_limit"), "must be between 1 and 200 characters")
    # Qt timers take at most 2^31 ms; a day is far more than any visitor needs, and
    # inf/nan (valid TOML) would switch the idle reset off.
    for name in ("timeout_s", "countdown_s", "drawing_timeout_s", "thanks_timeout_s"):
        value = getattr(cfg.idle, name)
        if not (_seconds_ok(value, 0, MAX_IDLE_S) and value > 0):
            probs.add(("idle", name), f"must be more than 0 and at most {MAX_IDLE_S} seconds")
    diagonal = cfg.kiosk.screen_diagonal_inch
    if diagonal != 0 and not _seconds_ok(diagonal, MIN_DIAGONAL_INCH, MAX_DIAGONAL_INCH):
        probs.add(("kiosk", "screen_diagonal_inch"), f"must be between {MIN_DIAGONAL_INCH:g} and "
                  f"{MAX_DIAGONAL_INCH:g} inches (the visible diagonal, e.g. 21.5), or 0 when not known")
    if not _seconds_ok(cfg.staff.tap_window_s, 1, 10):
        probs.add(("staff", "tap_window_s"), "must be between 1 and 10 seconds")
    for name in ("connect_timeout_s", "read_timeout_s"):
        if not _seconds_ok(getattr(cfg.sync, name), 0.5, 600):
            probs.add(("sync", name), "must be between 0.5 and 600 seconds")
    if cfg.idle.countdown_s >= min(cfg.idle.timeout_s, cfg.idle.drawing_timeout_s):
        probs.add(("idle", "countdown_s"), "must be shorter than timeout_s and drawing_timeout_s")
    elif cfg.idle.countdown_s < MIN_COUNTDOWN_S:
        probs.add(("idle", "countdown_s"), f"is under {MIN_COUNTDOWN_S} s: WCAG 2.2 (2.2.1) gives visitors at "
                  "least 20 s to ask for more time before their input is wiped", warning=True)
    if cfg.storage.min_free_mb < 0:
        probs.add(("storage", "min_free_mb"), "must not be negative")
    if not _seconds_ok(cfg.sync.interval_s, 1, MAX_IDLE_S):
        probs.add(("sync", "interval_s"), f"must be between 1 and {MAX_IDLE_S} seconds")
    if cfg.staff.corner not in ("top-left", "top-right", "bottom-left", "bottom-right"):
        probs.add(("staff", "corner"), "must be top-left, top-right, bottom-left or bottom-right")
    if not 3 <= cfg.staff.taps <= 10:
        probs.add(("staff", "taps"), "must be between 3 and 10")


def _check_pin(cfg: Config, probs: _Problems) -> None:
    pin_hash = cfg.staff.pin_hash
    if not pin_hash.startswith("$argon2"):
        if pin_hash.isdigit():
            probs.add(("staff", "pin_hash"), "looks like a PIN in clear text; store only its hash: run 'kiosk hash-pin'")
        else:
            probs.add(("staff", "pin_hash"), "is not a PIN hash made by 'kiosk hash-pin'")
    elif pin_hash == DEMO_PIN_HASH:
        probs.add(("staff", "pin_hash"), f"is the demo PIN {DEMO_PIN}; set your own with 'kiosk hash-pin' before the event",
                  warning=True)


def _check_sync(cfg: Config, probs: _Problems) -> None:
    sync = cfg.sync
    if not sync.endpoint:
        if sync.enabled:
            probs.add(("sync", "endpoint"), "is required when sync is enabled")
        return
    url = _split_url(sync.endpoint)
    if url is None or url.scheme not in ("https", "http") or not url.hostname:
        probs.add(("sync", "endpoint"), "must be an https:// URL" + ("" if url else " (this one cannot be read)"))
    elif url.scheme == "http" and not is_loopback(url.hostname) and not sync.allow_plain_http:
        probs.add(("sync", "endpoint"),
                  "uses plain http:// to a host that is not this machine; use https://, "
                  "or set allow_plain_http = true for a closed network")
    if sync.enabled and not sync.token_file:
        probs.add(("sync", "token_file"), "is required when sync is enabled")


def _split_url(value: str) -> SplitResult | None:
    """The URL's parts, or None when it cannot be read (an unclosed ``[``, a port that is no number)."""
    try:
        url = urlsplit(value)
        url.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return None
    return url


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    import ipaddress  # only for a configured endpoint

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------- the entry point


def parse_config(data: dict[str, Any], *, file: str = "<config>", text: str = "") -> tuple[Config, list[ConfigProblem]]:
    """Build a Config from parsed TOML.

    Returns the config and the warnings. Raises :class:`ConfigError` with every
    error (and the warnings) when anything is wrong.
    """
    probs = _Problems(file, key_lines(text) if text else {})
    data = dict(data)
    raw_topics = data.pop("topics", None)
    cfg = _build(Config, data, (), probs)
    topics = DEFAULT_TOPICS
    if raw_topics is not None:
        converted = _convert(tuple[Topic, ...], raw_topics, ("topics",), probs)
        topics = () if converted is _BAD else converted
    if cfg is not None:
        cfg = Config(**{f.name: getattr(cfg, f.name) for f in fields(Config) if f.name not in ("topics", "source")},
                     topics=topics, source=file)
        _check(cfg, probs)
    errors = [p for p in probs.items if not p.warning]
    if errors or cfg is None:
        raise ConfigError(probs.items)
    return cfg, [p for p in probs.items if p.warning]
