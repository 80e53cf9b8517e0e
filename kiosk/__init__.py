"""Smart-City-Fest kiosk: the core (config, storage, CLI). No Qt in here but app.py."""

__version__ = "0.1.0"
