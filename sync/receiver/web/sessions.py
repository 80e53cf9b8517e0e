"""Signed-in staff: server-side sessions in the receiver's SQLite, a CSRF token per session.

The cookie holds a random 256-bit token; the table keeps only its SHA-256 (a stolen database
file signs nobody in). A session ends on sign-out, after ``idle_s`` without a request, after
``max_age_s`` in any case, and when its account is removed. The cookie is ``Secure``,
``HttpOnly`` and ``SameSite=Strict``; every form that changes something carries the session's
CSRF token, compared in constant time (see docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from sync.receiver.storage import ReceiverStore

COOKIE = "receiver_session"
LOGIN_COOKIE = "receiver_login"
"""Before sign-in: a random value the login form repeats (double submit), against login CSRF."""


@dataclass(frozen=True, slots=True)
class SessionSettings:
    idle_s: float = 30 * 60.0
    max_age_s: float = 10 * 3600.0
    secure_cookie: bool = True
    """``Secure`` on the cookies. Off only for tests that speak plain HTTP to 127.0.0.1 with a client
    that will not send a Secure cookie there (browsers do: 127.0.0.1 counts as a secure context)."""


@dataclass(frozen=True, slots=True)
class Session:
    account: str
    csrf: str
    created: float


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Sessions:
    def __init__(self, store: ReceiverStore, settings: SessionSettings = SessionSettings(),
                 clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self.settings = settings
        self._clock = clock

    def start(self, account: str) -> tuple[str, Session]:
        """A new session of *account*: (the cookie's token, the session)."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        session = Session(account, secrets.token_urlsafe(32), now)
        with self._store.transaction() as db:
            db.execute("DELETE FROM staff_sessions WHERE seen < ? OR created < ?",
                       (now - self.settings.idle_s, now - self.settings.max_age_s))
            db.execute("INSERT INTO staff_sessions VALUES (?, ?, ?, ?, ?)",
                       (_hash(token), account, session.csrf, now, now))
        return token, session

    def get(self, token: str | None) -> Session | None:
        """The live session of the cookie's *token* (its idle clock restarted), or None."""
        if not token or len(token) > 100:
            return None
        now = self._clock()
        key = _hash(token)
        with self._store.reading() as db:
            row = db.execute("SELECT account, csrf, created, seen FROM staff_sessions WHERE token_hash = ?",
                             (key,)).fetchone()
            if row is None:
                return None
            if now - row[3] > self.settings.idle_s or now - row[2] > self.settings.max_age_s:
                db.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (key,))
                return None
            if now - row[3] > 15:  # not a write per thumbnail
                db.execute("UPDATE staff_sessions SET seen = ? WHERE token_hash = ?", (now, key))
        return Session(row[0], row[1], row[2])

    def end(self, token: str | None) -> None:
        if token:
            with self._store.reading() as db:
                db.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (_hash(token),))

    def end_all_of(self, account: str) -> None:
        with self._store.reading() as db:
            db.execute("DELETE FROM staff_sessions WHERE account = ?", (account,))


def csrf_ok(session: Session | None, given: str | None) -> bool:
    return session is not None and bool(given) and hmac.compare_digest(session.csrf, str(given))
