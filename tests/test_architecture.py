"""The layers of docs/architecture.md hold: import-linter's contracts (pyproject.toml) are kept,
each would catch the import that breaks it, and the core runs with no Qt loaded."""

from __future__ import annotations

import copy
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import importlinter.api  # noqa: F401 - configures import-linter (its settings) on import
import pytest
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parents[1]
LINTER = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACT_TYPES = {"layers": LayersContract, "forbidden": ForbiddenContract, "acyclic_siblings": AcyclicSiblingsContract}


def contract(contract_id: str):  # noqa: ANN201 - an import-linter Contract
    options = next(c for c in LINTER["contracts"] if c["id"] == contract_id)
    session = {k: v for k, v in LINTER.items() if k != "contracts"}
    return CONTRACT_TYPES[options["type"]](name=options["name"], session_options=session,
                                           contract_options={k: v for k, v in options.items() if k != "id"})


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*LINTER["root_packages"], include_external_packages=True,
                             exclude_type_checking_imports=True, cache_dir=None)


def test_lint_imports_keeps_every_contract() -> None:
    """What ``lint-imports`` says on the command line, with its report when a contract breaks."""
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(LINTER['contracts'])} kept, 0 broken" in done.stdout


@pytest.mark.parametrize("contract_id", [c["id"] for c in LINTER["contracts"]])
def test_contract_is_kept(graph: grimp.ImportGraph, contract_id: str) -> None:
    check = contract(contract_id).check(copy.deepcopy(graph), verbose=False)
    assert check.kept, check.metadata


@pytest.mark.parametrize(("contract_id", "importer", "imported"), [
    ("layers", "kiosk.core.storage", "ui.common.theme"),           # the core reaching up into the UI
    ("layers", "kiosk.core.export", "sync.protocol"),               # ... or into sync
    ("layers", "ui.staff.panel", "kiosk.app.build"),                # the UI reaching the composition root
    ("layers", "sync.receiver.app", "ui.common.i18n"),              # the receiver importing ui
    ("no-qt", "kiosk.core.storage", "PySide6"),                     # Qt in the core
    ("no-qt", "sync.client", "PySide6"),                            # ... or in sync
    ("products", "ui.drawing.done", "ui.ideas.step"),               # one product borrowing from another
    ("acyclic", "kiosk.cli.common", "kiosk.cli.run"),               # a command helper importing a command
    ("acyclic", "kiosk.core.storage", "kiosk.core.moderation"),     # a circle inside the core
])
def test_contract_catches_the_import_that_breaks_it(graph: grimp.ImportGraph, contract_id: str, importer: str,
                                                    imported: str) -> None:
    broken = copy.deepcopy(graph)
    broken.add_import(importer=importer, imported=imported)
    assert not contract(contract_id).check(broken, verbose=False).kept


def test_importing_every_core_and_sync_module_loads_no_qt() -> None:
    script = f"""
import importlib, pkgutil, sys
sys.path.insert(0, {str(ROOT)!r})
for package in ("kiosk.core", "sync"):
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "qtawesome", "ui"))
print(len([m for m in sys.modules if m.startswith(("kiosk.core.", "sync."))]), loaded)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    count, loaded = out.strip().split(" ", 1)
    assert int(count) >= 20
    assert loaded == "[]"
