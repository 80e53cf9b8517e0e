"""The one schema of a contribution, shared by store, export, protocol and receiver.

A :class:`Submission` is an immutable value. The UI builds one, the store keeps
it, the sync client sends its :meth:`Submission.to_wire` form, and the receiver
validates that same form with :func:`submission_from_wire`. Nothing else in the
project defines which fields a submission has.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import InitVar, dataclass, field, fields, replace
from datetime import datetime, timezone
from collections.abc import Collection, Mapping
from itertools import combinations
from typing import Any, Literal
from urllib.parse import urlsplit

KINDS = ("idea", "drawing")
Kind = Literal["idea", "drawing"]

AGE_GROUPS = ("under-12", "12-17", "18-29", "30-49", "50-64", "65-plus")

SYNC_STATES = ("pending", "sent", "failed", "withheld")
SyncStatus = Literal["pending", "sent", "failed", "withheld"]

BLOB_ROLES = ("png", "strokes")
BLOB_MEDIA_TYPES = {"png": "image/png", "strokes": "application/json"}

# Reference codes avoid letters and digits that people confuse (0/O, 1/I/l, 5/S, 2/Z, 8/B).
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
CODE_LENGTH = 6

SCHEMA_VERSION = 1
"""Version of the wire form; bumped when a field is added or changes meaning (an optional
field that old readers never see, such as ``status_token``, is not a change of meaning)."""

STATUS_TOKEN_BYTES = 24
"""Random bytes of a status token: 192 bits, 32 URL-safe characters (the QR code's link)."""
STATUS_TOKEN_MIN_CHARS = 22
"""At least 128 bits of base64url: what a token from elsewhere must have to be accepted."""
OPTIONAL_WIRE_FIELDS = frozenset({"status_token", "platform_item"})
"""Fields the wire form carries only when set: a submission without one has the same wire
form and digest as before the field existed, and a receiver that does not know the field
is sent the form without it (``sync.client``)."""


PLATFORM_ITEM_KINDS = ("proposal", "debate")
"""What an idea can be attached to on the participation platform (``kiosk.core.content.KINDS``)."""
PLATFORM_ITEM_MAX_TITLE = 200
PLATFORM_ITEM_MAX_ID = 100
PLATFORM_ITEM_MAX_URL = 2000
PLATFORM_ITEM_KEYS = ("kind", "id", "url", "title")


class SchemaError(ValueError):
    """A submission (or its wire form) breaks the schema.

    Attributes:
        field: the offending field's name, for messages that name it.
    """

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


def utc_now() -> str:
    """The current time as RFC 3339 in UTC with millisecond precision."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def new_id() -> str:
    return str(uuid.uuid4())


def new_reference_code() -> str:
    """A short code a person can read aloud and type: 6 characters, no look-alikes."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_status_token() -> str:
    """An unguessable token for the visitor's status page (``/s/<token>`` at the receiver).

    The short reference code is for reading aloud and reveals nothing; only this token,
    carried by the QR code, opens the page.
    """
    return secrets.token_urlsafe(STATUS_TOKEN_BYTES)


def is_status_token(value: object) -> bool:
    """True for a base64url string of at least 128 bits (and at most 64 characters)."""
    return (isinstance(value, str) and STATUS_TOKEN_MIN_CHARS <= len(value) <= 64
            and value.isascii() and all(c.isalnum() or c in "-_" for c in value))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Blob:
    """A binary payload of a submission (a drawing's PNG or its stroke data).

    The digest is computed from ``data`` (and must equal ``sha256`` when that
    is given), unless ``trusted``: then ``sha256`` is taken as it is. Only a
    holder that verified these very bytes itself passes ``trusted=True`` (the
    store for its own rows, the receiver for blobs it hashed on PUT), so that
    large payloads are not hashed again on every read.
    """

    role: str
    data: bytes = field(repr=False)
    media_type: str = ""
    sha256: str = ""
    trusted: InitVar[bool] = False

    def __post_init__(self, trusted: bool) -> None:
        if self.role not in BLOB_ROLES:
            raise SchemaError("blobs.role", f"unknown blob role {self.role!r}")
        if not isinstance(self.media_type, str) or has_lone_surrogate(self.media_type):
            raise SchemaError("blobs.media_type", "must be text")
        if not self.media_type:
            object.__setattr__(self, "media_type", BLOB_MEDIA_TYPES[self.role])
        if trusted and isinstance(self.sha256, str) and len(self.sha256) == 64:
            return
        digest = sha256_hex(self.data)
        if self.sha256 and self.sha256 != digest:
            raise SchemaError("blobs.sha256", "digest does not match the data")
        object.__setattr__(self, "sha256", digest)

    @property
    def size(self) -> int:
        return len(self.data)

    def ref(self) -> dict[str, Any]:
        """How the wire form references this blob: by digest, never by content."""
        return {"role": self.role, "media_type": self.media_type, "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True, slots=True)
class PlatformItemRef:
    """The proposal or debate on the participation platform an idea is about.

    On the wire exactly ``{"kind", "id", "url", "title"}`` (``Submission.platform_item``): the
    receiver's connectors pass the link on. Validated with the submission (:func:`validate`).
    """

    kind: str
    id: str
    url: str
    title: str

    def to_wire(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "url": self.url, "title": self.title}

    @classmethod
    def from_wire(cls, data: Any) -> PlatformItemRef:
        """From its wire (or stored) form; :class:`SchemaError` on any other shape."""
        if not isinstance(data, dict) or set(data) != set(PLATFORM_ITEM_KEYS):
            raise SchemaError("platform_item", "must be an object of exactly kind, id, url, title")
        if not all(isinstance(data[k], str) for k in PLATFORM_ITEM_KEYS):
            raise SchemaError("platform_item", "kind, id, url and title must be text")
        return cls(data["kind"], data["id"], data["url"], data["title"])


def validate_platform_item(ref: object) -> None:
    """Raise :class:`SchemaError` naming what is wrong with a ``platform_item``."""
    if not isinstance(ref, PlatformItemRef):
        raise SchemaError("platform_item", "must be a PlatformItemRef or null")
    for name in PLATFORM_ITEM_KEYS:
        value = getattr(ref, name)
        if not isinstance(value, str):
            raise SchemaError(f"platform_item.{name}", "must be text")
        if has_lone_surrogate(value):
            raise SchemaError(f"platform_item.{name}", _SURROGATE)
    if ref.kind not in PLATFORM_ITEM_KINDS:
        raise SchemaError("platform_item.kind", f"must be one of {', '.join(PLATFORM_ITEM_KINDS)}")
    if not ref.id.strip() or len(ref.id) > PLATFORM_ITEM_MAX_ID:
        raise SchemaError("platform_item.id", f"must be 1 to {PLATFORM_ITEM_MAX_ID} characters")
    if not ref.title.strip() or len(ref.title) > PLATFORM_ITEM_MAX_TITLE:
        raise SchemaError("platform_item.title", f"must be 1 to {PLATFORM_ITEM_MAX_TITLE} characters")
    url = urlsplit(ref.url) if len(ref.url) <= PLATFORM_ITEM_MAX_URL and ref.url.isascii() else None
    if url is None or url.scheme not in ("http", "https") or not url.netloc or any(c.isspace() for c in ref.url):
        raise SchemaError("platform_item.url", f"must be an http(s) URL of at most {PLATFORM_ITEM_MAX_URL} characters")


@dataclass(frozen=True, slots=True)
class Submission:
    """One contribution from one visitor: an idea or a drawing.

    Text fields are stored exactly as given; cleaning (control characters,
    length limit) is the input path's job, validated again here.
    """

    kind: str
    topic_id: str
    text: str = ""
    goal_id: str | None = None
    title: str | None = None
    author_name: str | None = None
    age_group: str | None = None
    district: str | None = None
    lives_here: bool | None = None
    consent_given: bool = False
    consent_version: str = ""
    locale: str = "de"
    kiosk_id: str = ""
    event_id: str = ""
    app_version: str = ""
    is_sample: bool = False
    unfinished: bool = False
    id: str = field(default_factory=new_id)
    reference_code: str = field(default_factory=new_reference_code)
    status_token: str | None = None
    """The secret of the visitor's status page; None for submissions that have none
    (samples, those stored before it existed). Never shown to staff or exported as a cell."""
    platform_item: PlatformItemRef | None = None
    """The platform's proposal or debate the visitor attached the idea to; None when none."""
    created_at: str = field(default_factory=utc_now)
    blobs: tuple[Blob, ...] = ()

    def __post_init__(self) -> None:
        validate(self)

    def blob(self, role: str) -> Blob | None:
        for b in self.blobs:
            if b.role == role:
                return b
        return None

    def with_blobs(self, blobs: tuple[Blob, ...]) -> Submission:
        return replace(self, blobs=blobs)

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready form used by the protocol, the export and the receiver."""
        out: dict[str, Any] = {"schema": SCHEMA_VERSION}
        for f in fields(self):
            if f.name == "blobs":
                out["blobs"] = [b.ref() for b in self.blobs]
            elif f.name in OPTIONAL_WIRE_FIELDS and getattr(self, f.name) is None:
                continue
            elif f.name == "platform_item":
                out[f.name] = self.platform_item.to_wire()  # type: ignore[union-attr]
            else:
                out[f.name] = getattr(self, f.name)
        return out

    def canonical_json(self) -> bytes:
        return canonical_json(self.to_wire())

    def digest(self) -> str:
        """SHA-256 of the canonical JSON: what a receipt must echo back."""
        return sha256_hex(self.canonical_json())


WIRE_FIELDS = frozenset(f.name for f in fields(Submission)) | {"schema"}
_OPTIONAL_STR = ("goal_id", "title", "author_name", "age_group", "district")
_REQUIRED_STR = ("kind", "topic_id", "text", "consent_version", "locale", "kiosk_id",
                 "event_id", "app_version", "id", "reference_code", "created_at")
_BOOL = ("consent_given", "is_sample", "unfinished")
_SURROGATE = "contains a lone surrogate (U+D800..U+DFFF), which is not text"


def canonical_json(data: Any) -> bytes:
    """Deterministic JSON bytes: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def has_lone_surrogate(text: str) -> bool:
    """True when ``text`` holds a surrogate code point (U+D800..U+DFFF) on its own.

    Such a string is not text: it cannot be encoded as UTF-8, so neither
    :func:`canonical_json` nor SQLite can store it. ``json.loads`` makes one
    from an escape like ``"\\ud800"``.
    """
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def validate(sub: Submission) -> None:
    """Raise :class:`SchemaError` naming the first field that is wrong."""
    for name in _REQUIRED_STR:
        value = getattr(sub, name)
        if not isinstance(value, str):
            raise SchemaError(name, "must be a string")
        if has_lone_surrogate(value):
            raise SchemaError(name, _SURROGATE)
    for name in _OPTIONAL_STR:
        value = getattr(sub, name)
        if value is not None and not isinstance(value, str):
            raise SchemaError(name, "must be a string or null")
        if value is not None and has_lone_surrogate(value):
            raise SchemaError(name, _SURROGATE)
    for name in _BOOL:
        if not isinstance(getattr(sub, name), bool):
            raise SchemaError(name, "must be true or false")
    if sub.lives_here is not None and not isinstance(sub.lives_here, bool):
        raise SchemaError("lives_here", "must be true, false or null")
    if sub.kind not in KINDS:
        raise SchemaError("kind", f"must be one of {', '.join(KINDS)}")
    if not sub.topic_id:
        raise SchemaError("topic_id", "must not be empty")
    if sub.age_group is not None and sub.age_group not in AGE_GROUPS:
        raise SchemaError("age_group", f"must be one of {', '.join(AGE_GROUPS)}")
    try:
        if uuid.UUID(sub.id).version != 4 or str(uuid.UUID(sub.id)) != sub.id:
            raise ValueError
    except ValueError:
        raise SchemaError("id", "must be a lowercase UUID4") from None
    if sub.status_token is not None and not is_status_token(sub.status_token):
        raise SchemaError("status_token", f"must be at least {STATUS_TOKEN_MIN_CHARS} URL-safe base64 characters")
    if sub.platform_item is not None:
        validate_platform_item(sub.platform_item)
    if len(sub.reference_code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in sub.reference_code):
        raise SchemaError("reference_code", f"must be {CODE_LENGTH} characters of {CODE_ALPHABET}")
    try:
        parsed = datetime.fromisoformat(sub.created_at.replace("Z", "+00:00"))
    except ValueError:
        raise SchemaError("created_at", "must be an RFC 3339 time") from None
    if parsed.utcoffset() is None or parsed.utcoffset().total_seconds() != 0:
        raise SchemaError("created_at", "must be in UTC")
    if not isinstance(sub.blobs, tuple) or not all(isinstance(b, Blob) for b in sub.blobs):
        raise SchemaError("blobs", "must be a tuple of Blob")
    roles = [b.role for b in sub.blobs]
    if len(set(roles)) != len(roles):
        raise SchemaError("blobs", "each role at most once")
    if sub.kind == "drawing" and not sub.unfinished and "png" not in roles:
        raise SchemaError("blobs", "a finished drawing needs its PNG")


def without_optional_fields(wire: bytes, keep: Collection[str] = ()) -> bytes:
    """The canonical JSON *wire* without its optional fields (but those in *keep*): what a
    receiver that predates them is sent, and whose digest its receipt echoes."""
    data = json.loads(wire)
    for name in OPTIONAL_WIRE_FIELDS - set(keep):
        data.pop(name, None)
    return canonical_json(data)


def accepted_digests(sub: Submission) -> frozenset[str]:
    """The digests a receipt may carry for *sub*: of its wire form, and (when it has optional
    fields) of each form an older receiver may have been sent (any of them left out)."""
    wire = sub.canonical_json()
    present = sorted(name for name in OPTIONAL_WIRE_FIELDS if getattr(sub, name) is not None)
    return frozenset(sha256_hex(without_optional_fields(wire, keep=kept))
                     for n in range(len(present) + 1) for kept in combinations(present, n))


def wire_blob_digests(data: Any) -> list[str]:
    """The digests a wire form references, checked for shape (64 lowercase hex)."""
    if not isinstance(data, dict):
        raise SchemaError("(body)", "must be a JSON object")
    refs = data.get("blobs", [])
    if not isinstance(refs, list):
        raise SchemaError("blobs", "must be a list")
    out = []
    for ref in refs:
        if not isinstance(ref, dict) or set(ref) != {"role", "media_type", "sha256", "size"}:
            raise SchemaError("blobs", "each entry needs exactly role, media_type, sha256, size")
        digest = ref["sha256"]
        if not isinstance(digest, str) or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise SchemaError("blobs.sha256", "must be 64 lowercase hex characters")
        out.append(digest)
    return out


def submission_from_wire(data: Any, blobs: Mapping[str, bytes], *,
                         verified: Collection[str] = ()) -> Submission:
    """Rebuild a submission from its wire form, rejecting unknown or mistyped fields.

    Args:
        data: the decoded JSON object.
        blobs: payloads by SHA-256; every digest the form references must be there.
        verified: digests whose payload in ``blobs`` the caller has already hashed
            and compared (e.g. the receiver on PUT); those are not hashed again.

    Raises:
        SchemaError: naming the first offending field.
    """
    digests = wire_blob_digests(data)
    unknown = sorted(set(data) - WIRE_FIELDS)
    if unknown:
        raise SchemaError(unknown[0], "unknown field")
    if data.get("schema") != SCHEMA_VERSION:
        raise SchemaError("schema", f"must be {SCHEMA_VERSION}")
    for name in sorted(WIRE_FIELDS - {"schema", "blobs"} - OPTIONAL_WIRE_FIELDS):
        if name not in data:
            raise SchemaError(name, "is missing")
    for name in sorted(OPTIONAL_WIRE_FIELDS):
        if name in data and data[name] is None:
            raise SchemaError(name, "is left out when there is none, never null")
    built = []
    for ref, digest in zip(data.get("blobs", []), digests):
        if digest not in blobs:
            raise SchemaError("blobs.sha256", f"blob {digest} is not known")
        if ref["role"] not in BLOB_ROLES:
            raise SchemaError("blobs.role", f"unknown blob role {ref['role']!r}")
        blob = Blob(role=ref["role"], data=blobs[digest], media_type=ref["media_type"], sha256=digest,
                    trusted=digest in verified)
        if blob.size != ref["size"]:
            raise SchemaError("blobs.size", "does not match the blob")
        built.append(blob)
    kwargs = {k: v for k, v in data.items() if k not in ("schema", "blobs")}
    if "platform_item" in kwargs:
        kwargs["platform_item"] = PlatformItemRef.from_wire(kwargs["platform_item"])
    return Submission(**kwargs, blobs=tuple(built))
