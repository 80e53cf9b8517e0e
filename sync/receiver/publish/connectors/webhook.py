"""Standard Webhooks: a signed POST of each published contribution to an address the city sets.

The body follows the Standard Webhooks payload structure (``type``, ``timestamp``, ``data``);
the headers ``webhook-id`` (the outbox row's idempotency key, the same on every retry, so the
consumer can drop a repeat), ``webhook-timestamp`` and ``webhook-signature`` (HMAC-SHA256,
``v1,<base64>``) are made by the maintained ``standardwebhooks`` library. The consumer verifies
with the same library and the same ``whsec_`` secret (docs/publication.md shows how).

Only what the visitor agreed to publish is sent: text, title, first name, field of action,
measure, language, the drawing's link, the platform item (proposal or debate) the visitor
attached the idea to (``platform_item``, null when none or malformed); never age group, district or residence, never the
status token.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import requests
from standardwebhooks.webhooks import Webhook

from sync.receiver.publish.config import PublishConfigError, Secret
from sync.receiver.publish.connectors.http import DEFAULT_TIMEOUT, outcome_of_error, outcome_of_status
from sync.receiver.publish.outbox import Outcome, PublishItem
from sync.receiver.publish.platform_item import platform_item

EVENT_TYPE = "contribution.published"
PUBLIC_FIELDS = ("id", "kind", "reference_code", "event_id", "topic_id", "goal_id", "title", "text",
                 "author_name", "locale", "created_at")


def payload(item: PublishItem, now: datetime) -> dict[str, Any]:
    data = {name: item.data.get(name) for name in PUBLIC_FIELDS}
    data["drawing_url"] = item.drawing_url
    data["platform_item"] = platform_item(item.data)  # what the idea is about, if the shape is right
    return {"type": EVENT_TYPE, "timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "data": data}


class WebhookConnector:
    name = "webhook"

    def __init__(self, url: str, secret: Secret, *, session: requests.Session | None = None,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        if not url.startswith(("https://", "http://")):
            raise PublishConfigError("connectors.webhook.url must be an http(s) URL")
        self.url = url
        try:
            self._signer = Webhook(secret.value)
        except Exception:  # the library's own error type differs by version; never echo the secret
            raise PublishConfigError(f"connectors.webhook.secret_file: {secret.source} does not hold a "
                                     "Standard Webhooks secret (whsec_ followed by base64)") from None
        self.session = session or requests.Session()
        self.timeout = timeout

    @classmethod
    def from_config(cls, table: dict[str, Any]) -> WebhookConnector:
        return cls(str(table.get("url", "")), table["secret"])

    def publish(self, item: PublishItem) -> Outcome:
        now = datetime.now(timezone.utc)
        body = json.dumps(payload(item, now), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"content-type": "application/json", "webhook-id": item.idempotency_key,
                   "webhook-timestamp": str(int(now.timestamp())),
                   "webhook-signature": self._signer.sign(item.idempotency_key, now, body)}
        try:
            resp = self.session.post(self.url, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            return outcome_of_error(exc, "the webhook")
        # A webhook has no public page: published, with nothing for the status page to link.
        return outcome_of_status(resp, "the webhook") or Outcome.published()
