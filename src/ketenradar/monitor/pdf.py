"""HTML to PDF with WeasyPrint, fetching nothing from outside: only the app's own static
files, named ``kr-static:<path>`` (``kr-static:monitor/council_report.css``), are served;
every other URL (http, https, file, data, …) is refused. Fonts come from the OS
(fontconfig); nothing is downloaded at render time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders

STATIC_SCHEME = "kr-static:"


class RefusedURL(ValueError):
    """A URL the PDF may not fetch."""


def static_path(url: str) -> Path:
    """The file of a ``kr-static:`` URL among the static files, or ``RefusedURL``."""
    if not url.startswith(STATIC_SCHEME):
        raise RefusedURL(f"the PDF fetches only its own static files, not {url!r}")
    name = url.removeprefix(STATIC_SCHEME).split("?")[0].split("#")[0].lstrip("/")
    if not name or ".." in Path(name).parts:
        raise RefusedURL(f"not a static file: {url!r}")
    found = finders.find(name)
    if not found or isinstance(found, list):
        raise RefusedURL(f"no such static file: {url!r}")
    return Path(found)


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = static_path(url)
            content_type = "text/css" if path.suffix == ".css" else "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher()


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html`` (A4 and page numbers come from its print stylesheet)."""
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    pdf = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=_fetcher()).write_pdf()
    assert pdf is not None
    return bytes(pdf)
