"""Keep the message catalogues in step with their template (assets/locale/kiosk.pot).

    python scripts/i18n.py check [--dir DIR] [LANG ...]   what each catalogue lacks (exit 1 if anything)
    python scripts/i18n.py update                         merge the template into every bundled catalogue
    python scripts/i18n.py new LANG [--dir DIR]           start LANG.po from the template

Adding a string: add its entry (msgctxt = the key the code asks for, msgid = the English
text, a ``#.`` comment for translators where it helps) to kiosk.pot, run ``update`` (en.po
takes the English text; every other catalogue gets an empty entry, and an entry whose
English changed is kept but marked fuzzy), then translate the empty and fuzzy entries in
Poedit or any PO editor. The suite fails while a language the bundled kiosk.toml enables
lacks a translation (tests/core/test_catalogue.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.core import catalogue  # noqa: E402
from kiosk.core.catalogue import BUNDLED_DIR, SOURCE_LANGUAGE, TEMPLATE  # noqa: E402


def _entries(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(str(path), wrapwidth=0) if e.msgctxt and not e.obsolete}


def merge(template: Path, target: Path, lang: str) -> tuple[int, int, int]:
    """Bring ``target`` in step with ``template``, keyed by msgctxt; returns (added, fuzzy, dropped)."""
    po = polib.pofile(str(target), wrapwidth=0) if target.is_file() else polib.POFile(wrapwidth=0)
    old = {e.msgctxt: e for e in po if e.msgctxt and not e.obsolete}
    out = polib.POFile(wrapwidth=0)
    out.header = polib.pofile(str(template), wrapwidth=0).header
    out.metadata = dict(po.metadata or {}, Language=lang)
    out.metadata.setdefault("Content-Type", "text/plain; charset=UTF-8")
    added = fuzzy = 0
    for key, ref in _entries(template).items():
        entry = polib.POEntry(msgctxt=key, msgid=ref.msgid, comment=ref.comment, flags=list(ref.flags))
        before = old.get(key)
        if lang == SOURCE_LANGUAGE:
            entry.msgstr = ref.msgid
        elif before is None:
            added += 1
        else:
            entry.msgstr = before.msgstr
            entry.tcomment = before.tcomment
            if before.msgid != ref.msgid or "fuzzy" in before.flags:
                entry.flags.append("fuzzy")
                fuzzy += 1
        out.append(entry)
    out.save(str(target))
    return added, fuzzy, len(old.keys() - _entries(template).keys())


def cmd_check(args: argparse.Namespace) -> int:
    dirs = catalogue.search_path([Path(d) for d in args.dir])
    langs = args.langs or catalogue.available(dirs)
    template = catalogue.read(TEMPLATE)
    bad = 0
    for lang in langs:
        path = catalogue.find(lang, dirs)
        found = [f"no catalogue {lang}.po in {', '.join(map(str, dirs))}"] if path is None else \
            catalogue.problems(catalogue.read(path, lang), template)
        for line in found:
            print(line)
        print(f"{lang}: {'complete' if not found else f'{len(found)} problem(s)'}")
        bad += bool(found)
    return 1 if bad else 0


def cmd_update(_args: argparse.Namespace) -> int:
    for path in sorted(BUNDLED_DIR.glob("*.po")):
        added, fuzzy, dropped = merge(TEMPLATE, path, path.stem)
        print(f"{path.name}: {added} new, {fuzzy} to check (fuzzy), {dropped} dropped")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    target = Path(args.dir) / f"{args.lang}.po"
    if target.exists():
        print(f"{target} exists; use 'update' to bring it in step", file=sys.stderr)
        return 2
    if not catalogue.LANGUAGE_CODE.match(args.lang):
        print(f"{args.lang!r} is not a language code like 'fr' or 'uk'", file=sys.stderr)
        return 2
    merge(TEMPLATE, target, args.lang)
    print(f"wrote {target}: translate every entry (language.name first), then add '{args.lang}' to "
          "[kiosk] languages in kiosk.toml")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="list what each catalogue lacks")
    check.add_argument("langs", nargs="*", metavar="LANG")
    check.add_argument("--dir", action="append", default=[], help="a folder searched before the bundled one")
    check.set_defaults(func=cmd_check)
    sub.add_parser("update", help="merge the template into every bundled catalogue").set_defaults(func=cmd_update)
    new = sub.add_parser("new", help="start a catalogue for a new language")
    new.add_argument("lang", metavar="LANG")
    new.add_argument("--dir", default=str(BUNDLED_DIR), help="where to write it (default: the bundled folder)")
    new.set_defaults(func=cmd_new)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
