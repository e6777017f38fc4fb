"""The server's CPU time of verifying a password at sign-in: Django's PBKDF2 (the hasher before
ADR 0012, at Django's iterations: 1,000,000 in Django 5.2) next to Argon2id with OWASP's
parameters (m=19 MiB, t=2, p=1; ``ketenradar.accounts.hashers``), in one run.

    uv run python bench/sign_in.py [--rounds 20]

Each round verifies the right password once with each hasher, alternating, through Django's
``check_password`` (what the sign-in form's authentication backend calls), and measures the
process's CPU time (``time.process_time``: user + system of this process, all threads) and the
elapsed time. Also measured, once per round: the one-off cost of the first sign-in after the
change (verify the PBKDF2 hash, then hash the password anew with Argon2id, as Django does).

Printed: per hasher the median and mean CPU milliseconds per verification, the elapsed
median, the sign-ins one core can verify per second, and the PBKDF2 / Argon2id ratio.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PASSWORD = "een lange zin als wachtwoord"  # noqa: S105 - a synthetic password

HASHERS = {
    "PBKDF2-SHA256": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "Argon2id": "ketenradar.accounts.hashers.OwaspArgon2idPasswordHasher",
}


def _setup() -> None:
    from django.conf import settings

    settings.configure(
        PASSWORD_HASHERS=list(reversed(HASHERS.values())),  # Argon2id preferred, as in base
        USE_TZ=True,
    )
    import django

    django.setup()


def _measure(fn: Callable[..., None], *args: object) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn(*args)
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="verifications per hasher")
    args = parser.parse_args()

    _setup()
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    from ketenradar.accounts.hashers import OwaspArgon2idPasswordHasher

    pbkdf2 = get_hasher("pbkdf2_sha256")
    argon2 = get_hasher("argon2")
    assert isinstance(argon2, OwaspArgon2idPasswordHasher)
    encoded = {
        "PBKDF2-SHA256": make_password(PASSWORD, hasher=pbkdf2),
        "Argon2id": make_password(PASSWORD, hasher=argon2),
    }
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {args.rounds} rounds")
    print(f"  PBKDF2-SHA256: {pbkdf2.iterations:,} iterations")
    print(f"  Argon2id:      {encoded['Argon2id'].split('$')[3]}  ({encoded['Argon2id'][:38]}...)")

    def verify(name: str) -> None:
        upgraded: list[str] = []
        assert check_password(PASSWORD, encoded[name], setter=upgraded.append)
        assert not upgraded or name == "PBKDF2-SHA256"

    def first_sign_in_after_the_change() -> None:
        upgraded: list[str] = []
        # check_password calls the setter, which hashes anew with the preferred hasher.
        assert check_password(
            PASSWORD,
            encoded["PBKDF2-SHA256"],
            setter=lambda raw: upgraded.append(make_password(raw)),
        )
        assert upgraded and upgraded[0].startswith("argon2$argon2id$")

    for name in HASHERS:  # warm up: libraries loaded, first allocation done
        verify(name)
    cpu: dict[str, list[float]] = {name: [] for name in [*HASHERS, "upgrade"]}
    wall: dict[str, list[float]] = {name: [] for name in cpu}
    for _ in range(args.rounds):
        for name in HASHERS:
            c, w = _measure(verify, name)
            cpu[name].append(c)
            wall[name].append(w)
    for _ in range(max(3, args.rounds // 4)):
        c, w = _measure(first_sign_in_after_the_change)
        cpu["upgrade"].append(c)
        wall["upgrade"].append(w)

    print()
    print(
        f"{'verify one password':<34}{'CPU median':>12}{'CPU mean':>11}{'elapsed med.':>14}"
        f"{'per core-s':>12}"
    )
    labels = {
        "PBKDF2-SHA256": "PBKDF2-SHA256 (before)",
        "Argon2id": "Argon2id m=19 MiB t=2 p=1 (now)",
        "upgrade": "first sign-in: PBKDF2 + rehash",
    }
    for name, label in labels.items():
        med = statistics.median(cpu[name])
        print(
            f"{label:<34}{med * 1000:>9.1f} ms{statistics.mean(cpu[name]) * 1000:>8.1f} ms"
            f"{statistics.median(wall[name]) * 1000:>11.1f} ms{1 / med:>12.1f}"
        )
    ratio = statistics.median(cpu["PBKDF2-SHA256"]) / statistics.median(cpu["Argon2id"])
    print()
    print(f"PBKDF2 / Argon2id CPU time per verification (medians): {ratio:.1f}x")


if __name__ == "__main__":
    main()
