"""Staff PIN: stored only as a salted argon2id hash (argon2-cffi)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# Low memory cost keeps verification around 20 ms on a Raspberry Pi class machine;
# the growing delay after wrong PINs is what stops guessing at the screen.
_HASHER = PasswordHasher(time_cost=3, memory_cost=16384, parallelism=1)

MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12


def validate_pin(pin: str) -> str | None:
    """Why a PIN is unusable, or None when it is fine."""
    if not pin.isdigit() or not pin.isascii():
        return "a PIN is made of digits only"
    if not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        return f"a PIN has {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits"
    return None


def hash_pin(pin: str) -> str:
    problem = validate_pin(pin)
    if problem:
        raise ValueError(problem)
    return _HASHER.hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def lockout_delay(failures: int) -> float:
    """Seconds to wait before the next try after ``failures`` wrong PINs in a row.

    Two free tries, then 2, 4, 8 … seconds, capped at five minutes.
    """
    if failures < 3:
        return 0.0
    return float(min(300, 2 ** (failures - 2)))
