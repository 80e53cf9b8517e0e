"""The composition root: builds the window from the config and the store, wires its parts,
and runs it. The only place above the core that knows every part (ui, sync, core).

- :mod:`kiosk.app.build`: :func:`build` (the whole app, not shown), signal wiring,
  :func:`dispose` / :func:`close` (undo build).
- :mod:`kiosk.app.stores`: the store as the shell sees it (opened after the first paint).
- :mod:`kiosk.app.run`: :func:`run_gui` (fullscreen, the event loop, the exit code).
"""

from kiosk.app.build import SCREENS, Parts, build, close, dispose, finish_building
from kiosk.app.display import EXIT_DISPLAY_LOST
from kiosk.app.run import EXIT_RESTART, restart_process, run_gui
from kiosk.app.stores import StoreSlot, store_factory

__all__ = ["EXIT_DISPLAY_LOST", "EXIT_RESTART", "SCREENS", "Parts", "StoreSlot", "build", "close", "dispose", "finish_building",
           "restart_process", "run_gui", "store_factory"]
