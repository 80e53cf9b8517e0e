"""Logging: one logger per area, a rotating file in the data dir plus stderr.

Areas: ``kiosk.core.config``, ``kiosk.core.storage``, ``kiosk.cli``, ``kiosk.ui``,
``kiosk.sync``, ``receiver``. Messages carry ids and counts, never visitor
text or secrets; stderr is what journald reads when the kiosk runs as a
service.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_FILENAME = "kiosk.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER_TAG = "_kiosk_handler"


def setup_logging(data_dir: Path | None, level: int = logging.INFO, *, stderr: bool = True) -> Path | None:
    """Configure the root logger once; calling again replaces our handlers.

    Returns the log file's path, or None when no file could be opened (a
    read-only or full disk must not stop the kiosk: stderr still works).
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _HANDLER_TAG, False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    formatter = logging.Formatter(FORMAT)
    if stderr:
        err = logging.StreamHandler(sys.stderr)
        err.setFormatter(formatter)
        setattr(err, _HANDLER_TAG, True)
        root.addHandler(err)
    if data_dir is None:
        return None
    path = Path(data_dir) / LOG_FILENAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fileh = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError as exc:
        logging.getLogger("kiosk.cli").warning("no log file in %s: %s", data_dir, exc)
        return None
    fileh.setFormatter(formatter)
    setattr(fileh, _HANDLER_TAG, True)
    root.addHandler(fileh)
    return path


def to_file(logger: logging.Logger, level: int, message: str) -> None:
    """Write ``message`` to the log file only (a line already printed on stderr is not printed twice)."""
    record = logger.makeRecord(logger.name, level, "(kiosk)", 0, message, (), None)
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler) and getattr(handler, _HANDLER_TAG, False):
            handler.handle(record)
