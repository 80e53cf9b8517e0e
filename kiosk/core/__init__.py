"""The kiosk's core: config, model, storage, export, moderation, reconcile, purge.

Usable with no display: nothing here imports PySide6, ``ui``, ``sync``, the
composition root or the CLI (import-linter contracts in pyproject.toml, checked
by tests/test_architecture.py).
"""
