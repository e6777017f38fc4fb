"""Password hashing: Argon2id with OWASP's parameters in production (ADR 0012), PBKDF2 hashes
still accepted and upgraded at the next sign-in. The test settings hash with MD5 for speed;
these tests use the real hashers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.test import override_settings
from django.urls import reverse

from ketenradar.accounts.constants import RoleCode
from ketenradar.conf import base
from ketenradar.conftest import PASSWORD, World

OWASP_ARGON2ID_PREFIX = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


def test_the_shared_settings_prefer_argon2id_and_still_know_pbkdf2() -> None:
    assert base.PASSWORD_HASHERS == [
        "ketenradar.accounts.hashers.OwaspArgon2idPasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def test_production_settings_hash_with_argon2id_m19mib_t2_p1() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ketenradar.conf.production",
        "KETENRADAR_SECRET_KEY": "x" * 60,
        "KETENRADAR_ALLOWED_HOSTS": "ketenradar.example.nl",
        "KETENRADAR_ANALYTICS_KEY": "y" * 40,
        "PYTHONPATH": str(Path(settings.BASE_DIR).parent),
    }
    code = (
        "import django; django.setup();"
        "from django.contrib.auth.hashers import get_hasher, make_password;"
        "h = get_hasher();"
        "print(h.algorithm, h.memory_cost, h.time_cost, h.parallelism);"
        "print(make_password('een lange zin als wachtwoord'))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    params, encoded = out.stdout.splitlines()
    assert params.split() == ["argon2", "19456", "2", "1"]
    # The variant and parameters as stored: Argon2id, 19 MiB, 2 passes, 1 lane.
    assert encoded.startswith(OWASP_ARGON2ID_PREFIX), encoded


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_pbkdf2_hash_is_upgraded_to_argon2id_at_the_next_sign_in(
    world: World, client: Any
) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    # A hash as Django's PBKDF2 made it before (fewer iterations than its 1,000,000 here, only
    # to keep the test quick: the iterations are stored in the hash and verified as stored).
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=10_000)
    user.save(update_fields=["password"])
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
    )

    assert response.status_code == 302  # signed in with the old hash
    user.refresh_from_db()
    assert user.password.startswith(OWASP_ARGON2ID_PREFIX), user.password
    assert user.check_password(PASSWORD)
    client.logout()
    again = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
    )
    assert again.status_code == 302  # and with the new one


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_wrong_password_does_not_upgrade_a_pbkdf2_hash(world: World, client: Any) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=10_000)
    user.save(update_fields=["password"])
    before = user.password

    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "niet-het-wachtwoord"},
        REMOTE_ADDR="127.0.0.1",
    )

    assert response.status_code == 200  # the form again
    user.refresh_from_db()
    assert user.password == before
