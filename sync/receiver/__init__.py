"""The receiver the city runs: takes deliveries from kiosks, keeps them, shows them to staff."""

from sync.receiver.app import ReceiverSettings, create_app
from sync.receiver.auth import add_token
from sync.receiver.server import ReceiverThread, serve

__all__ = ["ReceiverSettings", "ReceiverThread", "add_token", "create_app", "serve"]
