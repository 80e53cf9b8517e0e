"""Which kiosks may talk to the receiver: their tokens.

Kiosk tokens are random 256-bit secrets; the tokens file keeps only their
SHA-256 (a fast hash is right for a high-entropy secret, and it keeps the
per-request check cheap). Staff sign in to the staff web app with named accounts
(``sync.receiver.web.accounts``, argon2).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tempfile
import threading
import time
from pathlib import Path


TOKENS_FILE = "tokens.txt"
STAFF_PASSWORD_FILE = "staff-password.argon2"
"""The shared password of the old HTTP-Basic staff page (gone): named accounts replaced it. A data
dir that still has the file gets a note at start (``kiosk receiver``)."""

KIOSK_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _write_private(path: Path, text: str) -> None:
    """Replace *path* atomically with *text*, readable by the owner only."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_token_hashes(path: Path) -> dict[str, str]:
    """kiosk_id -> token hash, from a tokens file (missing file: no kiosks)."""
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return out
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kiosk_id, _, digest = line.partition(" ")
        out[kiosk_id] = digest.strip()
    return out


def add_token(data_dir: Path, kiosk_id: str) -> str:
    """Create (or replace) the token of *kiosk_id*; return it. Only its hash is stored."""
    if not KIOSK_ID_RE.fullmatch(kiosk_id):
        raise ValueError("kiosk id: use 1-64 letters, digits, '.', '_' or '-'")
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / TOKENS_FILE
    hashes = read_token_hashes(path)
    token = secrets.token_urlsafe(32)
    hashes[kiosk_id] = token_hash(token)
    lines = ["# kiosk id, SHA-256 of its bearer token (written by `kiosk receiver add-token`)"]
    lines += [f"{k} {v}" for k, v in sorted(hashes.items())]
    _write_private(path, "\n".join(lines) + "\n")
    return token


class TokenRegistry:
    """Maps a presented bearer token to its kiosk id; rereads the file when it changes.

    A known token is answered from memory, and the file is looked at again at most every
    ``recheck_s`` seconds (every drawing is three requests; a stat on each was measurable),
    so a replaced token stops working within that time. An unknown token always makes it
    look at once, so a token just added with ``kiosk receiver add-token`` works immediately.
    """

    def __init__(self, path: Path, recheck_s: float = 1.0) -> None:
        self.path = path
        self.recheck_s = recheck_s
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._checked_at = float("-inf")
        self._by_hash: dict[str, str] = {}

    def _refresh(self) -> None:
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = (0, 0)
        self._checked_at = time.monotonic()
        if stamp != self._stamp:
            self._by_hash = {h: k for k, h in read_token_hashes(self.path).items()}
            self._stamp = stamp

    def _lookup(self, digest: str) -> str | None:
        for known, kiosk_id in self._by_hash.items():
            if hmac.compare_digest(known, digest):
                return kiosk_id
        return None

    def kiosk_for(self, token: str) -> str | None:
        digest = token_hash(token)
        with self._lock:
            fresh = time.monotonic() - self._checked_at < self.recheck_s
            if not fresh:
                self._refresh()
            kiosk_id = self._lookup(digest)
            if kiosk_id is None and fresh:  # perhaps added since the last look
                self._refresh()
                kiosk_id = self._lookup(digest)
        return kiosk_id
