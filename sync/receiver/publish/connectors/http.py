"""What every HTTP connector shares: one answer of a platform turned into an Outcome."""

from __future__ import annotations

import email.utils
import time

import requests

from sync.receiver.publish.outbox import Outcome

DEFAULT_TIMEOUT = (5.0, 20.0)
"""(connect, read) seconds: a slow platform is a retry later, never a hung outbox."""


def retry_after_s(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def outcome_of_status(resp: requests.Response, what: str) -> Outcome | None:
    """A retry or failure for a non-2xx answer; None for 2xx."""
    if 200 <= resp.status_code < 300:
        return None
    detail = f"{what} answered {resp.status_code}"
    if resp.status_code in (408, 425, 429) or resp.status_code >= 500:
        return Outcome.retry(detail, retry_after_s(resp.headers.get("Retry-After")))
    return Outcome.failed(detail)


def outcome_of_error(exc: requests.RequestException, what: str) -> Outcome:
    kind = "timed out" if isinstance(exc, requests.Timeout) else "could not be reached"
    return Outcome.retry(f"{what} {kind} ({type(exc).__name__})")
