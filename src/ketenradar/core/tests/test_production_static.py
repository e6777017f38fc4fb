"""The production build: static files collected with hashed names (as production stores
them), and a page that finds its style sheets through the manifest. A reference that cannot
be resolved (an npm package's CSS pointing at a file it does not ship) fails here, not on
the first request in production."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest

# Production stores with WhiteNoise's CompressedManifestStaticFilesStorage: Django's manifest
# storage below resolves every reference the same way (WhiteNoise adds only the
# compression, which costs a minute here and resolves nothing).
MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.mark.django_db
def test_collectstatic_with_the_production_storage_and_a_page_through_its_manifest(
    tmp_path: Path, settings: Any, client: Client
) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    html = page.content.decode()
    sheets = re.findall(r'href="(/static/[^"]+\.css)"', html)
    assert sheets, "the login page links no style sheet"
    for sheet in sheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", sheet), sheet  # a hashed name
        assert (tmp_path / sheet.removeprefix("/static/")).exists(), sheet
