"""The sync protocol, shared by the kiosk's client and the receiver.

Everything here is a constant or a pure function: paths, limits, the receipt's
shape, how an HTTP answer is classified, the next retry delay. The prose
version lives in ``docs/sync-protocol.md``; keep both in step and bump
:data:`PROTOCOL_VERSION` when the wire changes.
"""

from __future__ import annotations

import ipaddress
import math
import random
import re
import uuid
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Any, Callable
from urllib.parse import urlsplit

from kiosk.core.limits import LIMITED_TEXT_FIELDS, MAX_BLOB_BYTES, MAX_JSON_BYTES, MAX_TEXT_CHARS

PROTOCOL_VERSION = 1
API_PREFIX = f"/api/v{PROTOCOL_VERSION}"

HEALTH_PATH = "/health"
BLOB_PATH = "/blobs/{sha256}"
SUBMISSION_PATH = "/submissions/{submission_id}"

_SHA256_RE = re.compile(r"[0-9a-f]{64}")


def is_sha256_hex(value: object) -> bool:
    """True for exactly 64 lowercase hex characters (a content address)."""
    return isinstance(value, str) and _SHA256_RE.fullmatch(value) is not None


def is_uuid4(value: object) -> bool:
    """True for a lowercase, hyphenated UUID4: the only form a submission id takes."""
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return parsed.version == 4 and str(parsed) == value


def blob_path(sha256: str) -> str:
    if not is_sha256_hex(sha256):
        raise ValueError(f"not a sha256 digest: {sha256!r}")
    return API_PREFIX + BLOB_PATH.format(sha256=sha256)


def submission_path(submission_id: str) -> str:
    if not is_uuid4(submission_id):
        raise ValueError(f"not a submission id: {submission_id!r}")
    return API_PREFIX + SUBMISSION_PATH.format(submission_id=submission_id)


# --------------------------------------------------------------------- limits

@dataclass(frozen=True, slots=True)
class Limits:
    """What the receiver accepts; anything larger gets 413."""

    max_blob_bytes: int = MAX_BLOB_BYTES
    max_json_bytes: int = MAX_JSON_BYTES
    max_text_chars: int = MAX_TEXT_CHARS


DEFAULT_LIMITS = Limits()


def text_over_limit(data: dict[str, Any], limits: Limits) -> str | None:
    """The first text field longer than the limit, or None."""
    for name in LIMITED_TEXT_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and len(value) > limits.max_text_chars:
            return name
    return None


# -------------------------------------------------------------------- receipt

RECEIPT_FIELDS = frozenset({"protocol", "submission_id", "sha256", "received_at", "status"})
RECEIPT_STATUSES = ("created", "exists")


def make_receipt(submission_id: str, sha256: str, received_at: str, status: str) -> dict[str, Any]:
    """The receipt the receiver answers with (and stores)."""
    return {
        "protocol": PROTOCOL_VERSION,
        "submission_id": submission_id,
        "sha256": sha256,
        "received_at": received_at,
        "status": status,
    }


class ReceiptError(ValueError):
    """A receipt is malformed or does not prove what the kiosk sent."""


def check_receipt(receipt: Any, submission_id: str, local_digest: str) -> dict[str, Any]:
    """Return the receipt if it proves that *local_digest* arrived as *submission_id*.

    Raises:
        ReceiptError: in plain words, what does not match.
    """
    if not isinstance(receipt, dict) or not RECEIPT_FIELDS <= set(receipt):
        raise ReceiptError("the receiver's answer is not a receipt")
    if receipt["submission_id"] != submission_id:
        raise ReceiptError(f"receipt is for {receipt['submission_id']!r}, not {submission_id!r}")
    if receipt["sha256"] != local_digest:
        raise ReceiptError(
            f"receiver stored content with digest {receipt['sha256']}, kiosk sent {local_digest}")
    if receipt["status"] not in RECEIPT_STATUSES:
        raise ReceiptError(f"unknown receipt status {receipt['status']!r}")
    return {k: receipt[k] for k in sorted(RECEIPT_FIELDS)}


# ------------------------------------------------------------- error bodies

def error_body(message: str, field: str | None = None) -> dict[str, Any]:
    """The JSON body of every error answer: ``{"detail": ..., "field": ...}``."""
    return {"detail": message, "field": field}


def error_reason(status: int, body: Any) -> str:
    """A one-line reason for staff, from an error answer's decoded body."""
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        field = body.get("field")
        detail = body["detail"]
        if isinstance(field, str) and field and not detail.startswith(field):
            detail = f"{field}: {detail}"
        return f"{status}: {detail}"
    return f"{status}: receiver gave no reason"


# ------------------------------------------------------------ classification

class Outcome(str, Enum):
    OK = "ok"
    TRANSIENT = "transient"   # retry later with backoff
    AUTH = "auth"             # stop; the token is wrong
    PERMANENT = "permanent"   # this submission will never go through as it is
    UNEXPECTED = "unexpected"  # receiver or endpoint misconfigured; retry later, tell staff


PERMANENT_STATUSES = frozenset({409, 413, 422})
AUTH_STATUSES = frozenset({401, 403})
TRANSIENT_STATUSES = frozenset({408, 425, 429})


def classify_status(status: int) -> Outcome:
    """What an HTTP status means for the submission that got it."""
    if 200 <= status < 300:
        return Outcome.OK
    if status in AUTH_STATUSES:
        return Outcome.AUTH
    if status in PERMANENT_STATUSES:
        return Outcome.PERMANENT
    if status in TRANSIENT_STATUSES or 500 <= status < 600:
        return Outcome.TRANSIENT
    return Outcome.UNEXPECTED


# ------------------------------------------------------------------- backoff

BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 300.0
RETRY_AFTER_CAP_S = 3600.0


def backoff_delay(failures: int, *, base: float = BACKOFF_BASE_S, cap: float = BACKOFF_CAP_S,
                  rand: Callable[[], float] = random.random) -> float:
    """Delay before the next try after *failures* consecutive failures.

    Exponential with "equal jitter": half of ``min(cap, base * 2**(failures-1))``
    fixed, the other half random, so kiosks that lost the network together do
    not come back in lockstep, and the wait never drops below half the step.
    """
    if failures <= 0:
        return 0.0
    step = min(cap, base * 2.0 ** min(failures - 1, 60))
    return step / 2 + step / 2 * rand()


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    Args:
        value: the header's value, or None.
        now: the current time as a Unix timestamp (for the HTTP-date form).

    Returns:
        A delay of at least 0 and at most :data:`RETRY_AFTER_CAP_S`, or None when
        the header is absent or unreadable.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None or when.tzinfo is None:
            return None
        seconds = when.timestamp() - now
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_S)


def next_delay(failures: int, retry_after: float | None = None, *, base: float = BACKOFF_BASE_S,
               cap: float = BACKOFF_CAP_S, rand: Callable[[], float] = random.random) -> float:
    """The delay the worker waits: the backoff, but never less than ``Retry-After``."""
    delay = backoff_delay(failures, base=base, cap=cap, rand=rand)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


# ------------------------------------------------------------------ endpoint

class EndpointError(ValueError):
    """The configured endpoint is not acceptable."""


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(endpoint: str, *, allow_plain_http: bool = False) -> str:
    """Validate a receiver URL and return its root (no ``/api/v1``, no trailing slash).

    Both ``https://host/api/v1`` and ``https://host`` name the same receiver.

    ``https://`` always; ``http://`` only for a loopback host or when the
    configuration explicitly allows plain HTTP (a closed network).
    """
    try:
        parts = urlsplit(endpoint.strip())
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise EndpointError(f"sync endpoint {endpoint!r} is not a URL that can be read") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"sync endpoint must be an https:// URL, got {endpoint!r}")
    if parts.query or parts.fragment:
        raise EndpointError("sync endpoint must not have a query or fragment")
    if parts.scheme == "http" and not (allow_plain_http or is_loopback_host(parts.hostname)):
        raise EndpointError(
            "sync endpoint uses plain http:// to a non-local host; use https:// "
            "or set allow_plain_http for a closed network")
    base = endpoint.strip().rstrip("/")
    if base.endswith(API_PREFIX):
        base = base[: -len(API_PREFIX)]
    return base
