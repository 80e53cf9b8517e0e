"""Where the kiosk keeps its data: --data-dir, then [storage] data_dir, then the platform's."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.core.config import Config

APP_NAME = "smart-city-kiosk"
DATA_DIR_ENV = "KIOSK_DATA_DIR"


def resolve_data_dir(cli_value: str | None, config: Config) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    if config.storage.data_dir:
        return Path(config.storage.data_dir).expanduser()
    import platformdirs  # imported late: only needed when no directory is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
