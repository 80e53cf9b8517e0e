"""One module per way to publish, each behind ``sync.receiver.publish.outbox.Connector``."""

from __future__ import annotations

from collections.abc import Callable

from sync.receiver.publish.config import PublishConfig, PublishConfigError
from sync.receiver.publish.outbox import Connector

KNOWN = ("webhook", "decidim", "consul_list", "consul_api")


def build_connectors(config: PublishConfig,
                     topic_title: Callable[[str, str], str] = lambda tid, _lang: tid) -> list[Connector]:
    """The enabled connectors of *config*, each built from its own table (*topic_title*: a
    field of action's title by id and language, for the platforms' tags)."""
    out: list[Connector] = []
    for name, table in config.connectors.items():
        if name == "webhook":
            from sync.receiver.publish.connectors.webhook import WebhookConnector
            out.append(WebhookConnector.from_config(table))
        elif name == "consul_list":
            from sync.receiver.publish.connectors.consul_list import ConsulListConnector
            out.append(ConsulListConnector.from_config(table))
        elif name == "decidim":
            from sync.receiver.publish.connectors.decidim import DecidimConnector
            out.append(DecidimConnector.from_config(table))
        elif name == "consul_api":  # CONSUL's planned, unreleased REST API: off unless enabled
            from sync.receiver.publish.connectors.consul_api import ConsulApiConnector
            out.append(ConsulApiConnector.from_config(table, topic_title))
        else:
            raise PublishConfigError(f"connectors.{name}: unknown connector; one of {', '.join(KNOWN)}")
    return out
