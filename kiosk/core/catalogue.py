"""The message catalogues: every visitor- and staff-facing UI string, one gettext file per language.

The kiosk's texts live in ``assets/locale/<lang>.po``, in gettext's PO format, which
every translation tool reads (Poedit, Weblate, Lokalize, Transifex, Crowdin). Each entry
is keyed by its ``msgctxt`` (the key the code asks for, ``"ideas.next"``); its ``msgid``
is the English source and its ``msgstr`` the translation. ``{name}`` marks a placeholder
(``python-brace-format``). ``assets/locale/kiosk.pot`` is the template a new language
starts from (``python scripts/i18n.py new LANG``). Config content (topics, consent
texts) is not here: it is the event's own and stays in kiosk.toml.

A city adds a language with one file and one line: ``LANG.po`` in the bundled folder or
in the folder ``[kiosk] locale_dir`` of its kiosk.toml names (searched first), and the
code in ``[kiosk] languages``. ``kiosk check-config`` lists what a catalogue lacks.

Files are read with polib when a language is first asked for. Parsing a catalogue takes
polib some 10 to 30 ms, too much for the kiosk's cold start, so what was parsed is kept:
in memory for the process, and on disk (``marshal``, in a cache folder the caller names,
the kiosk's data dir) keyed by the file's path, size and modification time, so a restart
reads it back in well under a millisecond. Nothing is compiled by hand and nothing goes
stale: a changed file is parsed again. Pure Python: no Qt, usable by the receiver's pages too.
"""

from __future__ import annotations

import logging
import marshal
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assets import ASSETS_DIR

log = logging.getLogger("kiosk.i18n")

BUNDLED_DIR = ASSETS_DIR / "locale"
TEMPLATE = BUNDLED_DIR / "kiosk.pot"
SOURCE_LANGUAGE = "en"
"""The language of the msgids."""
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
"""What a language code looks like: ``de``, ``en``, ``uk``, ``de-x-ls`` (BCP 47, lower-case primary;
``de-x-ls`` is Leichte Sprache, a private-use tag, as no standard one exists)."""
_PLACEHOLDER = re.compile(r"\{(\w*)(?:[!:][^{}]*)?\}")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One language's translations.

    Attributes:
        lang: the language code (the file's name without ``.po``).
        path: where it was read from.
        texts: key -> translation, only the finished ones (not empty, not fuzzy).
        sources: key -> the English source (msgid) of every entry.
        lines: key -> the entry's line in the file (for messages).
    """

    lang: str
    path: Path
    texts: Mapping[str, str]
    sources: Mapping[str, str]
    lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The language's name in itself ("Deutsch"), or its code if the catalogue lacks it."""
        return self.texts.get("language.name", self.lang)

    @property
    def short_name(self) -> str:
        """The language on a small button ("DE", "Leicht"), or its code's first part in capitals."""
        return self.texts.get("language.short", self.lang.split("-")[0].upper())


def read(path: Path, lang: str | None = None) -> Catalogue:
    """Read one PO (or POT) file.

    Raises:
        OSError: it cannot be read. ValueError: it is not a PO file polib can parse.
    """
    import polib  # noqa: PLC0415 - only when a language is first needed

    try:
        po = polib.pofile(str(path), wrapwidth=0)
    except (ValueError, UnicodeDecodeError) as exc:  # polib's words for a broken file
        raise ValueError(f"{path}: not a readable gettext catalogue ({exc})") from exc
    texts: dict[str, str] = {}
    sources: dict[str, str] = {}
    lines: dict[str, int] = {}
    for entry in po:
        if not entry.msgctxt or entry.obsolete:
            continue
        sources[entry.msgctxt] = entry.msgid
        lines[entry.msgctxt] = entry.linenum
        if entry.msgstr and "fuzzy" not in entry.flags:
            texts[entry.msgctxt] = entry.msgstr
    return Catalogue(lang or path.stem, path, texts, sources, lines)


_CACHE_FORMAT = 1
_parsed: dict[tuple[str, int, int], Catalogue] = {}
"""What this process has read, by (path, modification time, size): tests build many windows."""


def load(path: Path, lang: str, cache_dir: Path | None = None) -> Catalogue:
    """:func:`read`, but from this process's memory or ``cache_dir`` when the file has not changed.

    A cache that cannot be read or written is only logged: the catalogue is parsed instead.
    """
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    catalogue = _parsed.get(key)
    if catalogue is None and cache_dir is not None:
        catalogue = _read_cache(cache_dir / _cache_name(lang, key), key, lang, path)
    if catalogue is None:
        catalogue = read(path, lang)
        if cache_dir is not None:
            _write_cache(cache_dir, lang, key, catalogue)
    _parsed[key] = catalogue
    return catalogue


def _cache_name(lang: str, key: tuple[str, int, int]) -> str:
    return f"{lang}-{key[1]}-{key[2]}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def _read_cache(file: Path, key: tuple[str, int, int], lang: str, path: Path) -> Catalogue | None:
    try:
        data = marshal.loads(file.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError, TypeError) as exc:
        log.warning("catalogue cache %s unreadable (%s); parsing %s", file, exc, path)
        return None
    if not (isinstance(data, tuple) and len(data) == 5 and data[:2] == (_CACHE_FORMAT, list(key))):
        return None
    return Catalogue(lang, path, data[2], data[3], data[4])


def _write_cache(folder: Path, lang: str, key: tuple[str, int, int], catalogue: Catalogue) -> None:
    name = _cache_name(lang, key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(marshal.dumps((_CACHE_FORMAT, list(key), dict(catalogue.texts), dict(catalogue.sources),
                                       dict(catalogue.lines))))
        os.replace(tmp, folder / name)
        for old in folder.glob(f"{lang}-*.marshal"):
            if old.name != name:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot keep the parsed catalogue in %s: %s", folder, exc)


def search_path(extra: Iterable[Path] = ()) -> tuple[Path, ...]:
    """Where catalogues are looked for: the config's own folder(s) first, then the bundled one."""
    return (*extra, BUNDLED_DIR)


def find(lang: str, dirs: Sequence[Path]) -> Path | None:
    """The catalogue file of ``lang`` in the first folder of ``dirs`` that has one."""
    for folder in dirs:
        path = folder / f"{lang}.po"
        if path.is_file():
            return path
    return None


def available(dirs: Sequence[Path]) -> tuple[str, ...]:
    """Every language with a catalogue in ``dirs``, sorted."""
    found = {p.stem for folder in dirs if folder.is_dir() for p in folder.glob("*.po")}
    return tuple(sorted(lang for lang in found if LANGUAGE_CODE.match(lang)))


def placeholders(text: str) -> list[str]:
    """The placeholder names in ``text``, sorted: ``"{n} of {m}"`` -> ``["m", "n"]``."""
    return sorted(_PLACEHOLDER.findall(text))


def problems(catalogue: Catalogue, template: Catalogue) -> list[str]:
    """What ``catalogue`` lacks or gets wrong against ``template``, one line each (empty: complete).

    Missing, untranslated or fuzzy entries; placeholders that differ from the source's;
    keys the template does not have (left over from an older version).
    """
    out = []
    for key, source in template.sources.items():
        where = f"{catalogue.path}:{catalogue.lines[key]}" if key in catalogue.lines else str(catalogue.path)
        if key not in catalogue.sources:
            out.append(f"{catalogue.path}: '{key}' is missing (English: {source!r})")
        elif key not in catalogue.texts:
            out.append(f"{where}: '{key}' is not translated (or marked fuzzy)")
        elif placeholders(catalogue.texts[key]) != placeholders(source):
            out.append(f"{where}: '{key}' has placeholders {placeholders(catalogue.texts[key])}, "
                       f"the source {placeholders(source)}")
    for key in catalogue.sources.keys() - template.sources.keys():
        out.append(f"{catalogue.path}:{catalogue.lines.get(key, 0)}: '{key}' is not in the template any more")
    return out


class Catalogues:
    """The catalogues of a kiosk, each read when first asked for, with a fallback.

    A key missing in a language falls back to the ``fallback`` language, then to the
    English source, then to the key itself (logged once): a visitor never sees an error.

    Args:
        dirs: folders to search before the bundled one (the config's ``locale_dir``).
        fallback: the language to fall back to (the config's default language).
        cache_dir: where parsed catalogues are kept between runs (see :func:`load`); None: in memory only.
    """

    def __init__(self, dirs: Iterable[Path] = (), fallback: str = "de", cache_dir: Path | None = None) -> None:
        self.dirs = search_path(dirs)
        self.fallback = fallback
        self.cache_dir = cache_dir
        self._loaded: dict[str, Catalogue | None] = {}
        self._warned: set[tuple[str, str]] = set()

    def get(self, lang: str) -> Catalogue | None:
        """``lang``'s catalogue, or None when there is none (or it cannot be read: logged)."""
        if lang not in self._loaded:
            path = find(lang, self.dirs)
            catalogue = None
            if path is not None:
                try:
                    catalogue = load(path, lang, self.cache_dir)
                except (OSError, ValueError) as exc:
                    log.error("the catalogue of %r cannot be read: %s", lang, exc)
            elif lang:
                log.error("no catalogue for language %r in %s", lang, ", ".join(map(str, self.dirs)))
            self._loaded[lang] = catalogue
        return self._loaded[lang]

    def text(self, key: str, lang: str) -> str:
        """The text of ``key`` in ``lang``, unformatted."""
        for candidate in (lang, self.fallback):
            catalogue = self.get(candidate)
            if catalogue is not None and key in catalogue.texts:
                if candidate != lang:
                    self._note_missing(key, lang)
                return catalogue.texts[key]
        self._note_missing(key, lang)
        for candidate in (lang, self.fallback):
            catalogue = self.get(candidate)
            if catalogue is not None and key in catalogue.sources:
                return catalogue.sources[key]
        return key

    def format(self, key: str, lang: str, **fmt: object) -> str:
        """The text of ``key`` in ``lang`` with its placeholders filled (a broken one: unformatted)."""
        text = self.text(key, lang)
        if not fmt:
            return text
        try:
            return text.format(**fmt)
        except (KeyError, IndexError, ValueError):
            self._note_missing(key, lang, "has a broken placeholder")
            return text

    def name(self, lang: str) -> str:
        """``lang``'s name in itself ("Deutsch")."""
        catalogue = self.get(lang)
        return catalogue.name if catalogue is not None else lang

    def short_name(self, lang: str) -> str:
        """``lang`` on a small button ("DE", "Leicht")."""
        catalogue = self.get(lang)
        return catalogue.short_name if catalogue is not None else lang.split("-")[0].upper()

    def _note_missing(self, key: str, lang: str, what: str = "is not translated") -> None:
        if (key, lang) not in self._warned:
            self._warned.add((key, lang))
            log.warning("text %r %s in %r", key, what, lang)
