from typing import Any

from django.urls import reverse


def test_screens_are_dutch_whatever_the_browser_says(client: Any, db: None) -> None:
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Inloggen bij Ketenradar" in page.content.decode()
    assert page["Content-Language"] == "nl"


def test_english_when_chosen(client: Any, db: None) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login"))
    assert "Sign in to Ketenradar" in page.content.decode()
