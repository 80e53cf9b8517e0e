"""Smart-City-Fest kiosk.

- ``kiosk.core``: config, model, storage, export, moderation, reconcile, purge. No Qt, no ``ui``, no ``sync``.
- ``kiosk.app``: the composition root that builds the window and wires its parts.
- ``kiosk.cli``: the ``kiosk`` command.
"""

__version__ = "0.1.0"
