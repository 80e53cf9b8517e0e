"""The core stays usable with no display: kiosk/ and sync/ never import Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_FREE = ("kiosk", "sync")
ALLOWED = {ROOT / "kiosk" / "app.py"}


def test_no_module_of_the_core_imports_qt_in_its_source():
    offenders = []
    for package in QT_FREE:
        for path in (ROOT / package).rglob("*.py"):
            if path in ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(n.split(".")[0] in ("PySide6", "shiboken6", "qtawesome", "ui") for n in names):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    script = f"""
import importlib, pkgutil, sys
sys.path.insert(0, {str(ROOT)!r})
for package in {QT_FREE!r}:
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        if info.name != "kiosk.app" and not info.name.endswith("__main__"):
            importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "ui"))
print(len([m for m in sys.modules if m.startswith(("kiosk.", "sync."))]), loaded)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    count, loaded = out.strip().split(" ", 1)
    assert int(count) >= 5
    assert loaded == "[]"

