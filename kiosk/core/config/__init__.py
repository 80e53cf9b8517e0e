"""Configuration: ``kiosk.toml`` read with tomllib into frozen dataclasses.

Every field has an embedded default, so an empty file gives a working kiosk.
Validation collects *all* problems at once; each names the file, the line, the
key and what is wrong. :func:`parse_config` is pure; :func:`load_config` adds
the file.

The package, by responsibility; each module imports only those listed before it:

- :mod:`~kiosk.core.config.sections`: the frozen dataclasses, one per section,
  and their defaults (:class:`Config`, :data:`DEFAULT_CONFIG`, ...).
- :mod:`~kiosk.core.config.parse`: building a :class:`Config` from parsed TOML
  and checking it (:func:`parse_config`, :class:`ConfigError`, :func:`key_lines`).
- :mod:`~kiosk.core.config.load`: finding and reading the file
  (:func:`find_config`, :func:`load_config`, :data:`BUNDLED_CONFIG`).

Import from here: ``from kiosk.core.config import Config, load_config``.
"""

from kiosk.core.config.load import BUNDLED_CONFIG, CONFIG_ENV, find_config, load_config, load_config_with_warnings
from kiosk.core.config.parse import (MAX_IDLE_S, ConfigError, ConfigProblem, Path_, format_key, is_loopback,
                                     key_lines, parse_config)
from kiosk.core.config.sections import (DEFAULT_CONFIG, DEFAULT_TOPICS, DEMO_PIN, DEMO_PIN_HASH, DISPLAYS, ORIENTATIONS,
                                        AboutConfig, BrandingConfig, Config, ConsentConfig,
                                        EventConfig, FlowsConfig, Goal, IdleConfig, KioskConfig, Localized,
                                        StaffConfig, StorageConfig, SyncConfig, Topic)

__all__ = [
    # the values and their defaults
    "DEFAULT_CONFIG", "DEFAULT_TOPICS", "DEMO_PIN", "DEMO_PIN_HASH", "DISPLAYS", "ORIENTATIONS",
    "AboutConfig", "BrandingConfig", "Config", "ConsentConfig", "EventConfig", "FlowsConfig", "Goal", "IdleConfig",
    "KioskConfig", "Localized", "StaffConfig", "StorageConfig", "SyncConfig", "Topic",
    # parsing and validation
    "MAX_IDLE_S", "ConfigError", "ConfigProblem", "Path_", "format_key", "is_loopback", "key_lines", "parse_config",
    # finding and loading the file
    "BUNDLED_CONFIG", "CONFIG_ENV", "find_config", "load_config", "load_config_with_warnings",
]
