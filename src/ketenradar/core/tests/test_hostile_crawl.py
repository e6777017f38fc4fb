"""No server error from input: every URL pattern of the authorization matrix, opened by a
role it lets in, with hostile values in every parameter its pages use.

For every GET page: rendered once to find the parameters it uses itself (the fields of its
GET forms, the query keys of its links to itself), then requested with a hostile value in
each of those and in a few generic ones. Every form found on a page (and every POST URL of
the matrix, with generic fields when no page shows its form) is posted once per hostile
value, every field set to it. The API is sent the values as query parameters, and JSON
bodies of the wrong types and nested too deep. Any answer of 500 or more fails, naming the
request; so does a URL pattern of the matrix that was not requested.

The number of requests stays bounded: each parameter gets a rotating sample of the values
(every value reaches every page through the generic parameters and the forms).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from django.test import Client
from django.urls import Resolver404, get_resolver, resolve

from rest_framework.test import APIClient

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.tokens import api_token_create
from ketenradar.conftest import World, login
from ketenradar.core.tests.test_authorization_matrix import (
    MATRIX,
    ROLES,
    Case,
    _objects,
    _url,
    walk_url_patterns,
)

# A raw query value: sent as is (percent-encoded bytes that are no valid UTF-8).
RAW = "%ff%fe"
# Sent twice under the same name.
REPEATED = "\x00repeated"
HOSTILE: list[str] = [
    str(10**40),
    "-1",
    "٣",
    "²",
    "３",
    "\x00",
    RAW,
    "x" * 5000,
    "'; DROP TABLE x;--<script>\"&%_\\",
    "",
    REPEATED,
    "31-02-2026",
    "2026-13-01",
    "99999-01-01",
]
FORM_ENCODED = "application/x-www-form-urlencoded"
GENERIC = ("page", "q", "sort", "tab", "from", "to", "area", "format", "next")
# Values per parameter, rotating: a page's generic parameters together take every value
# (len(GENERIC) * GENERIC_SAMPLE >= len(HOSTILE)), each parameter of its own a few.
SAMPLE = 3
GENERIC_SAMPLE = 2
# Parameters of a page the crawl does not vary (the CSRF token, Django admin's own
# changelist machinery is sampled through its generic parameters like any other page).
SKIP = {"csrfmiddlewaretoken"}


@dataclass
class Form:
    method: str
    action: str
    fields: list[str] = field(default_factory=list)


class PageParser(HTMLParser):
    """The forms (method, action, field names) and link targets of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = Form((a.get("method") or "get").lower(), a.get("action") or "")
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form and a.get("name"):
            name = a["name"] or ""
            if name not in self._form.fields:
                self._form.fields.append(name)
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _encode(name: str, value: str) -> str:
    key = quote(name, safe="")
    if value == RAW:
        return f"{key}={RAW}"
    if value == REPEATED:
        return f"{key}=1&{key}=%00&{key}=2"
    return f"{key}={quote(value, safe='')}"


def _role_for(case: Case, method: str = "get") -> str:
    """The first role the URL lets in ('involved'); a URL that lets nobody in: any role."""
    expect = (case.post or case.expect) if method == "post" else case.expect
    return next((r for r in ROLES if expect(r, "involved") < 400), ROLES[0])


def _same_path(href: str, path: str) -> bool:
    parts = urlsplit(href)
    return not parts.netloc and (parts.path in ("", path))


def _page_params(html: str, path: str) -> tuple[list[str], list[Form]]:
    """The parameters a page uses on itself, and its POST forms."""
    parser = PageParser()
    parser.feed(html)
    names: list[str] = []
    for form in parser.forms:
        if form.method == "get":
            names += form.fields
    for href in parser.links:
        if _same_path(href, path):
            names += [k for k, _ in parse_qsl(urlsplit(href).query, keep_blank_values=True)]
    posts = [f for f in parser.forms if f.method == "post"]
    return list(dict.fromkeys(n for n in names if n not in SKIP)), posts


def _form_target(form: Form, page: str) -> str:
    return urlsplit(form.action).path or page if form.action else page


def _resolved_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.url_name else None


class Crawl:
    def __init__(self, world: World) -> None:
        self.world = world
        self.client = Client(raise_request_exception=False)
        self.failures: list[str] = []
        self.requested: set[str] = set()
        self.count = 0
        self.role: str | None = None

    def login(self, role: str) -> None:
        self.client.logout()
        login(self.client, self.world.user(role, "involved"))
        self.role = role

    def check(self, response: Any, method: str, url: str, param: str, value: Any) -> None:
        self.count += 1
        if response.status_code >= 500:
            shown = repr(value)[:60]
            exc = getattr(response, "exc_info", None)
            error = f" {exc[0].__name__}: {str(exc[1])[:200]}" if exc else ""
            self.failures.append(
                f"{self.role}: {method} {url[:120]} {param}={shown}"
                f" -> {response.status_code}{error}"
            )

    def get(self, url: str, params: Iterable[str], values: list[str], *, name: str) -> None:
        for param in params:
            for value in values:
                full = f"{url}?{_encode(param, value)}"
                self.check(self.client.get(full), "GET", url, param, value)
        self.requested.add(name)

    def post(self, url: str, fields: list[str], *, name: str) -> None:
        fields = [f for f in fields if f not in SKIP] or list(GENERIC)
        for value in HOSTILE:
            body = "&".join(_encode(f, value) for f in fields)
            response = self.client.post(url, body, content_type=FORM_ENCODED)
            self.check(response, "POST", url, ",".join(fields)[:40], value)
        self.requested.add(name)


def _rotate(values: list[str], start: int, n: int) -> list[str]:
    return [values[(start + i) % len(values)] for i in range(min(n, len(values)))]


def _crawl_pages(crawl: Crawl, objects: dict[str, Any]) -> dict[str, set[str]]:
    """The GET pages; returns the fields of the POST forms found, by target URL name."""
    forms: dict[str, set[str]] = {}
    rotation = 0
    for name, case in sorted(MATRIX.items()):
        if case.api or case.method != "get":
            continue
        url = _url(name, case, objects)
        crawl.login(_role_for(case))
        first = crawl.client.get(url)
        crawl.check(first, "GET", url, "-", "-")
        html = first.content.decode(errors="replace") if first.status_code == 200 else ""
        own, posts = _page_params(html, url)
        for form in posts:
            target = _resolved_name(_form_target(form, url))
            if target:
                forms.setdefault(target, set()).update(form.fields)
        for param in own:
            rotation += SAMPLE
            crawl.get(url, [param], _rotate(HOSTILE, rotation, SAMPLE), name=name)
        for i, param in enumerate(GENERIC):
            crawl.get(url, [param], _rotate(HOSTILE, i * GENERIC_SAMPLE, GENERIC_SAMPLE), name=name)
    return forms


def _crawl_posts(crawl: Crawl, objects: dict[str, Any], forms: dict[str, set[str]]) -> None:
    for name, case in sorted(MATRIX.items()):
        if case.api or not (case.form or case.method == "post"):
            continue
        crawl.login(_role_for(case, "post"))
        crawl.post(_url(name, case, objects), sorted(forms.get(name, ())), name=name)


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": [value]}
    return value


def _deep_text(depth: int) -> bytes:
    return b'{"reports": ' + b'{"a": [' * depth + b'"x"' + b"]}" * depth + b"}"


def _bodies() -> list[tuple[str, bytes]]:
    """JSON bodies of the wrong types, nested too deep, and bytes that are no JSON."""
    report: dict[str, Any] = {"report_id": "PL-1", "persons": [{"role": "slachtoffer"}]}
    odd: tuple[Any, ...] = (None, 10**40, [], {}, True, "\x00")
    wrong: list[Any] = [
        None,
        [],
        "reports",
        10**40,
        -1,
        1.5e308,
        True,
        {"reports": None},
        {"reports": "x"},
        {"reports": {}},
        {"reports": [None, 1, "x", [], True]},
        {"reports": [dict.fromkeys(report, v) for v in odd]},
        {"reports": [{**report, "persons": [{"role": v} for v in odd]}]},
        {"reports": [{**report, "persons": [{"role": "slachtoffer", "address": v}]} for v in odd]},
        {"reports": [_deep(30)]},
        _deep(40),
    ]
    bodies = [(f"json:{repr(b)[:40]}", json.dumps(b).encode()) for b in wrong]
    bodies += [
        (f"json:{h!r}"[:50], json.dumps({"reports": [{**report, "report_id": h}]}).encode())
        for h in HOSTILE
    ]
    bodies += [
        ("invalid utf-8", b'{"reports": ["\xff\xfe"]}'),
        ("lone surrogate", b'{"reports": [{"report_id": "\\ud800"}]}'),
        ("not json", b"{'reports': [}"),
        ("NaN", b'{"reports": [NaN, Infinity, -Infinity]}'),
        ("deep objects", _deep_text(5000)),
        ("deep arrays", b"[" * 100_000 + b"]" * 100_000),
        ("empty", b""),
    ]
    return bodies


def _crawl_api(crawl: Crawl, world: World, objects: dict[str, Any]) -> None:
    """Query parameters to the API's GET endpoints (a session), JSON bodies to its POST
    endpoint (an API key of the police channel)."""
    api_cases = {name: case for name, case in MATRIX.items() if case.api}
    for name, case in sorted(api_cases.items()):
        url = _url(name, case, objects)
        if case.method == "get":
            crawl.login(_role_for(case))
            crawl.get(url, GENERIC, HOSTILE, name=name)
            continue
        holder = world.actor(RoleCode.POLICE_CHANNEL, "other_org")
        assert holder.user is not None
        key = api_token_create(actor=Actor.system("test"), user=holder.user, name="crawl")
        client = APIClient(raise_request_exception=False)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        crawl.role = RoleCode.POLICE_CHANNEL
        for label, body in _bodies():
            response = client.post(url, body, content_type="application/json")
            crawl.check(response, "POST", url, "body", label)
        for param in GENERIC:
            for value in HOSTILE:
                full = f"{url}?{_encode(param, value)}"
                crawl.check(client.post(full, {}, format="json"), "POST", url, param, value)
        crawl.requested.add(name)


def test_no_hostile_parameter_gives_a_server_error(world: World) -> None:
    objects = _objects(world)
    crawl = Crawl(world)
    forms = _crawl_pages(crawl, objects)
    _crawl_posts(crawl, objects, forms)
    _crawl_api(crawl, world, objects)

    patterns = {key for key, _ in walk_url_patterns(get_resolver())}
    missing = sorted((patterns | MATRIX.keys()) - crawl.requested)
    assert not missing, f"URL patterns the crawl did not request: {missing}"
    print(f"hostile crawl: {crawl.count} requests")
    assert not crawl.failures, f"{len(crawl.failures)} server errors:\n" + "\n".join(crawl.failures)
