"""Static files from the npm packages (STATICFILES_DIRS), without the files the screens do
not use and that refer to files the packages do not ship: the design tokens' icon sheet
points at ``pijltje.svg``, so the production build (hashed names, which resolves every
``url()``) failed on it.

This is a finder, not a replacement of ``django.contrib.staticfiles``'s app config: tools
that look for that app by name (the test live server serves static files only when it is
listed) keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.staticfiles.finders import FileSystemFinder

LEFT_OUT = ["background-image-icon.css", "*.scss"]


class PackageFilesFinder(FileSystemFinder):
    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Any]]:
        yield from super().list([*(ignore_patterns or []), *LEFT_OUT])
