"""The message catalogues: complete for every language the config enables, in step with the
template and with the code, and forgiving at run time."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import polib
import pytest

from kiosk.core import catalogue
from kiosk.core.catalogue import BUNDLED_DIR, TEMPLATE, Catalogues
from kiosk.core.config import BUNDLED_CONFIG, load_config

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_KEYS = catalogue.read(TEMPLATE).sources


@pytest.mark.parametrize("lang", load_config(BUNDLED_CONFIG).kiosk.languages)
def test_every_language_the_bundled_config_enables_is_complete(lang: str) -> None:
    path = catalogue.find(lang, catalogue.search_path())
    assert path is not None, f"no catalogue for {lang}"
    assert catalogue.problems(catalogue.read(path), catalogue.read(TEMPLATE)) == []


def test_every_bundled_catalogue_is_complete() -> None:
    langs = catalogue.available((BUNDLED_DIR,))
    assert {"de", "en"} <= set(langs)
    for lang in langs:
        assert catalogue.problems(catalogue.read(BUNDLED_DIR / f"{lang}.po"), catalogue.read(TEMPLATE)) == [], lang


def test_the_template_holds_the_english_texts() -> None:
    """kiosk.pot's sources are en.po's texts (scripts/i18n.py template writes one from the other)."""
    english = catalogue.read(BUNDLED_DIR / "en.po")
    assert dict(english.texts) == dict(english.sources) == dict(TEMPLATE_KEYS)


def _write(path: Path, entries: list[tuple[str, str, str]], *, fuzzy: tuple[str, ...] = ()) -> Path:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for key, source, text in entries:
        po.append(polib.POEntry(msgctxt=key, msgid=source, msgstr=text, flags=["fuzzy"] if key in fuzzy else []))
    po.save(str(path))
    return path


def test_problems_name_what_is_missing_untranslated_fuzzy_misplaced_or_stale(tmp_path: Path) -> None:
    template = catalogue.read(_write(tmp_path / "t.pot", [("a", "A", ""), ("b", "B {n}", ""), ("c", "C", ""),
                                                          ("d", "D", "")]))
    done = catalogue.read(_write(tmp_path / "xx.po", [("b", "B {n}", "Bé {m}"), ("c", "C", ""), ("d", "D", "Dé"),
                                                      ("old", "Old", "Vieux")], fuzzy=("d",)))
    found = "\n".join(catalogue.problems(done, template))
    assert "'a' is missing" in found
    assert "'b' has placeholders ['m'], the source ['n']" in found
    assert "'c' is not translated" in found and "'d' is not translated (or marked fuzzy)" in found
    assert "'old' is not in the template" in found
    assert f"{done.path}:" in found  # each names its file (and line)


def test_a_missing_text_falls_back_to_the_default_language_then_to_english(tmp_path: Path, caplog) -> None:
    _write(tmp_path / "xx.po", [("pin.title", "Staff access", "Accès du personnel")])
    cats = Catalogues([tmp_path], fallback="de")
    assert cats.text("pin.title", "xx") == "Accès du personnel"
    assert cats.text("pin.hint", "xx") == "Bitte PIN eingeben"  # not in xx: the default language's
    assert cats.text("no.such.key", "xx") == "no.such.key"       # a visitor never sees a traceback
    assert "'pin.hint' is not translated in 'xx'" in caplog.text


def test_the_config_s_folder_is_searched_before_the_bundled_one(tmp_path: Path) -> None:
    _write(tmp_path / "de.po", [("pin.title", "Staff access", "Teamzugang")])
    assert Catalogues([tmp_path]).text("pin.title", "de") == "Teamzugang"
    assert Catalogues().text("pin.title", "de") == "Zugang für das Team"


def test_a_broken_placeholder_or_catalogue_does_not_raise(tmp_path: Path) -> None:
    _write(tmp_path / "xx.po", [("pin.locked", "Wrong PIN. Next try in {s} s", "Faux. Encore dans {x} s")])
    (tmp_path / "yy.po").write_bytes(b'msgid "unterminated\n\xff\xfe')
    cats = Catalogues([tmp_path], fallback="en")
    assert cats.format("pin.locked", "xx", s=8) == "Faux. Encore dans {x} s"
    assert cats.get("yy") is None and cats.text("pin.title", "yy") == "Staff access"


# ---------------------------------------------------------------- the code and the template

NAMESPACES = {key.split(".")[0] for key in TEMPLATE_KEYS}


def _keys_in_code() -> tuple[set[str], set[str]]:
    """String literals in ui/ (and the receiver's public pages) that look like catalogue keys, and the prefixes of keys built at run
    time (``f"panel.ov_{state}"`` gives ``panel.ov_``, ``"draw.tool." + name`` gives ``draw.tool.``)."""
    literals, prefixes = set(), set()
    for path in [*(REPO / "ui").rglob("*.py"), *(REPO / "sync" / "receiver").rglob("*.py"),
                 REPO / "kiosk" / "core" / "catalogue.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstrings = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if id(node) in in_fstrings:
                continue
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = str(node.values[0].value)
                if head.split(".")[0] in NAMESPACES and "." in head:
                    prefixes.add(head)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if re.fullmatch(r"[a-z]+(\.[a-z0-9_-]+)+\.?", text) and text.split(".")[0] in NAMESPACES:
                    (prefixes if text.endswith(".") else literals).add(text)
    return literals, prefixes


def test_every_key_the_code_asks_for_is_in_the_template() -> None:
    literals, prefixes = _keys_in_code()
    assert len(literals) > 200
    assert sorted(literals - TEMPLATE_KEYS.keys()) == []
    assert [p for p in sorted(prefixes) if not any(k.startswith(p) for k in TEMPLATE_KEYS)] == []


def test_every_key_in_the_template_is_used() -> None:
    literals, prefixes = _keys_in_code()
    unused = [k for k in TEMPLATE_KEYS if k not in literals and not any(k.startswith(p) for p in prefixes)]
    assert unused == []


def test_a_parsed_catalogue_is_kept_on_disk_until_the_file_changes(tmp_path: Path) -> None:
    folder, cache = tmp_path / "locale", tmp_path / "cache"
    folder.mkdir()
    po = _write(folder / "xx.po", [("pin.title", "Staff access", "Accès")])
    assert Catalogues([folder], cache_dir=cache).text("pin.title", "xx") == "Accès"
    [kept] = cache.glob("xx-*.marshal")
    catalogue._parsed.clear()  # a new process: only the disk cache is left
    kept.write_bytes(kept.read_bytes().replace("Accès".encode(), "Caché".encode()))
    assert Catalogues([folder], cache_dir=cache).text("pin.title", "xx") == "Caché"  # read back, not parsed
    _write(po, [("pin.title", "Staff access", "Accès du personnel")])
    os.utime(po, ns=(kept.stat().st_mtime_ns + 10**9,) * 2)
    catalogue._parsed.clear()
    assert Catalogues([folder], cache_dir=cache).text("pin.title", "xx") == "Accès du personnel"
    assert [p.name for p in cache.glob("xx-*.marshal")] != [kept.name]  # the stale one is gone


def test_an_unwritable_cache_only_costs_the_parse(tmp_path: Path, caplog) -> None:
    _write(tmp_path / "xx.po", [("pin.title", "Staff access", "Accès")])
    (tmp_path / "file").write_text("not a folder")
    catalogue._parsed.clear()
    assert Catalogues([tmp_path], cache_dir=tmp_path / "file" / "cache").text("pin.title", "xx") == "Accès"
    assert "cannot keep the parsed catalogue" in caplog.text
