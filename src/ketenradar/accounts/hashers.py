"""Password hashing: Argon2id with the OWASP Password Storage Cheat Sheet's parameters.

Django's own ``Argon2PasswordHasher`` is Argon2id too, but with 100 MiB of memory and 8 lanes
(``parallelism``); OWASP's first recommended configuration is m=19 MiB (19,456 KiB), t=2, p=1
(https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html). One lane
per hash keeps a sign-in on one core, so that a morning rush of sign-ins does not take every
core of a worker machine. See ADR 0012 and ``bench/sign_in.py`` for the cost against the
PBKDF2 (1,000,000 iterations) that came before it.

The algorithm name stays ``argon2``, so a hash made by Django's hasher (other parameters) is
verified here as well, and rehashed with these parameters at the next sign-in
(``must_update`` compares the parameters).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

# OWASP Password Storage Cheat Sheet, Argon2id: m=19 MiB, t=2, p=1.
ARGON2_MEMORY_COST_KIB = 19 * 1024
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1


class OwaspArgon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19,456 KiB, t=2, p=1 (the parameters are stored in every hash)."""

    time_cost = ARGON2_TIME_COST
    memory_cost = ARGON2_MEMORY_COST_KIB
    parallelism = ARGON2_PARALLELISM
