"""The pseudonyms' key: outside the database, required in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

import pytest

from ketenradar.monitor import pseudonyms


def _production(**env: str) -> subprocess.CompletedProcess[str]:
    full = {
        **{k: v for k, v in os.environ.items() if k != "KETENRADAR_ANALYTICS_KEY"},
        "DJANGO_SETTINGS_MODULE": "ketenradar.conf.production",
        "KETENRADAR_SECRET_KEY": "x" * 60,
        "KETENRADAR_ALLOWED_HOSTS": "ketenradar.example.nl",
        "PYTHONPATH": str(Path(settings.BASE_DIR).parent),
        **env,
    }
    code = "from django.conf import settings as s; print(len(s.KETENRADAR_ANALYTICS_KEY))"
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=full, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("key", [None, "", "short", "x" * 60])
def test_production_refuses_to_start_without_its_own_key(key: str | None) -> None:
    out = _production(**({} if key is None else {"KETENRADAR_ANALYTICS_KEY": key}))
    assert out.returncode != 0
    assert "KETENRADAR_ANALYTICS_KEY" in out.stderr


def test_production_takes_the_key_from_the_environment() -> None:
    out = _production(KETENRADAR_ANALYTICS_KEY="k" * 40)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "40"


def test_keys_are_keyed_hashes(settings: Any) -> None:
    a = pseudonyms.person_key(1)
    assert len(a) == 64 and a == pseudonyms.person_key(1)
    assert a != pseudonyms.person_key(2)
    assert a != pseudonyms.contact_key(1)  # a prefix per kind
    settings.KETENRADAR_ANALYTICS_KEY = "another-key-another-key-another-key"
    assert pseudonyms.person_key(1) != a
