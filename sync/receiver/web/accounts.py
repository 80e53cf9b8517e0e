"""Named staff accounts of the receiver's web app, with roles.

One line per account in ``staff-accounts.txt`` in the data dir (owner-only, written
atomically): ``name role argon2-hash``. ``kiosk receiver add-user NAME --role ROLE`` writes it;
the running receiver rereads it when it changes, so a new account or a removed one counts at once.

Roles: ``staff`` reads, moderates and exports; ``admin`` also sees terminals' tokens and the
accounts. Passwords are checked with argon2 through the receiver's
:class:`~sync.receiver.login_limiter.LoginLimiter` (bounded, throttled): see :class:`Credentials`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sync.receiver.auth import _write_private

ACCOUNTS_FILE = "staff-accounts.txt"
ROLES = ("staff", "admin")
NAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_SEP = "\x00"
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a password of anybody")
"""Checked for an unknown name, so that a wrong name costs the same time as a wrong password."""


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    role: str
    password_hash: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class AccountError(ValueError):
    """An account that cannot be made as asked (message in plain words)."""


def check_new_account(name: str, role: str, password: str) -> None:
    if not NAME_RE.fullmatch(name):
        raise AccountError("account name: 1-40 lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise AccountError(f"role: one of {', '.join(ROLES)}")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters")


def read_accounts(path: Path) -> dict[str, Account]:
    out: dict[str, Account] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return out
    for line in text.splitlines():
        parts = line.strip().split(" ")
        if len(parts) == 3 and not line.startswith("#") and NAME_RE.fullmatch(parts[0]) and parts[1] in ROLES:
            out[parts[0]] = Account(*parts)
    return out


def _write(path: Path, accounts: dict[str, Account]) -> None:
    lines = ["# staff accounts of the receiver: name, role, argon2 hash (kiosk receiver add-user)"]
    lines += [f"{a.name} {a.role} {a.password_hash}" for a in sorted(accounts.values(), key=lambda a: a.name)]
    _write_private(path, "\n".join(lines) + "\n")


def add_account(data_dir: Path, name: str, role: str, password: str) -> bool:
    """Create or replace the account *name*; True when it is new."""
    check_new_account(name, role, password)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / ACCOUNTS_FILE
    accounts = read_accounts(path)
    new = name not in accounts
    accounts[name] = Account(name, role, _HASHER.hash(password))
    _write(path, accounts)
    return new


def remove_account(data_dir: Path, name: str) -> bool:
    path = data_dir / ACCOUNTS_FILE
    accounts = read_accounts(path)
    if accounts.pop(name, None) is None:
        return False
    _write(path, accounts)
    return True


class Accounts:
    """The accounts file, reread when it changes (a stat per look)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._accounts: dict[str, Account] = {}

    def all(self) -> dict[str, Account]:
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = (0, 0)
        with self._lock:
            if stamp != self._stamp:
                self._accounts = read_accounts(self.path)
                self._stamp = stamp
            return self._accounts

    def get(self, name: str) -> Account | None:
        return self.all().get(name)

    def verify(self, name: str, password: str) -> bool:
        """The argon2 check (slow on purpose): only through the login limiter."""
        account = self.get(name)
        try:
            ok = _HASHER.verify(account.password_hash if account else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return False
        return ok and account is not None


def pack(name: str, password: str) -> str:
    """One string for the limiter's ``check``: an account's name and password."""
    return f"{_SEP}{name}{_SEP}{password}"


class Credentials:
    """The verifier behind the receiver's one :class:`LoginLimiter`: an account's name and
    password packed into one string (:func:`pack`), as the limiter passes one string on."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts

    def verify(self, given: str) -> bool:
        if not given.startswith(_SEP):
            return False
        name, _, password = given[1:].partition(_SEP)
        return self.accounts.verify(name, password)
