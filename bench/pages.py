"""What users wait for: every page each role reaches, timed on a database at a region's scale.

    uv run python bench/pages.py                       # the demo's SQLite database (a copy)
    uv run python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/demo_pg
    uv run python bench/pages.py --runs 7 --per-pattern 2 --json var/pages.json

For every membership of the demo region's accounts the bench signs in (as the session of a
signed-in user, two-factor done), walks the application from the start page the way a
user does, following the links and the forms' GET actions on each page (same site, no
sign-out, no downloads of whole exports), and keeps up to ``--per-pattern`` distinct
addresses per URL pattern. Then each address is requested ``--runs`` times: per page and
role the median and p95 server time (in process, Django's test client, no network), the
SQL statements, the access-log events written and the bytes of the answer.

The SQLite database is copied first (default: the demo's ``var/ketenradar.sqlite3``), so
that the access-log events the bench writes do not end up in the demo. A PostgreSQL
database is used as it is: give one loaded for the purpose (``seed_demo`` into it, then
ANALYZE).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent

# never followed: they end the session, change the language, or stream a whole export
SKIP = re.compile(
    r"^/(account/uitloggen|i18n|static|media|admin/logout)/|/export|\.(csv|xlsx|pdf|json|yaml)$|"
    r"[?&]format=|/api/"
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.found.append(values["href"] or "")
        elif tag == "form" and (values.get("method") or "get").lower() == "get":
            self.found.append(values.get("action") or "")


def links(html: str, here: str) -> Iterator[str]:
    parser = _Links()
    parser.feed(html)
    for href in parser.found:
        href = urldefrag(href)[0]
        if not href:
            continue
        if href.startswith("?"):
            href = urlsplit(here).path + href
        if not href.startswith("/") or href.startswith("//"):
            continue
        if SKIP.search(href):
            continue
        yield href


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenradar.conf.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from ketenradar.accounts.middleware import SESSION_LOGIN_AT
    from ketenradar.accounts.models import Membership
    from ketenradar.accounts.selectors import SESSION_MEMBERSHIP
    from ketenradar.audit.models import AuditEvent

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    def last_seq() -> int:
        return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    memberships = list(
        Membership.objects.filter(ended_at__isnull=True, awaiting_approval=False)
        .select_related("user", "role", "organisation")
        .order_by("role__code", "pk")
    )
    seen_roles: set[str] = set()
    results: list[dict[str, Any]] = []
    for membership in memberships:
        role = membership.role.code
        if role in seen_roles and not args.every_account:
            continue
        seen_roles.add(role)
        client = Client(raise_request_exception=False)
        client.force_login(membership.user, backend="ketenradar.accounts.backends.MembershipBackend")
        session = client.session
        session[SESSION_MEMBERSHIP] = membership.pk
        session[SESSION_LOGIN_AT] = time.time()
        session.save()
        # walk: breadth first from the start page
        pages: dict[str, list[str]] = defaultdict(list)
        queue, visited = ["/"], set()
        while queue and len(visited) < args.max_pages:
            url = queue.pop(0)
            if url in visited:
                continue
            visited.add(url)
            try:
                name = resolve(urlsplit(url).path).view_name
            except Resolver404:
                continue
            if len(pages[name]) >= args.per_pattern:
                continue
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages[name].append(url)
            queue.extend(u for u in links(response.content.decode(), url) if u not in visited)
        for name, urls in sorted(pages.items()):
            for url in urls:
                times, statements, events, size = [], [], [], 0
                for _ in range(args.runs):
                    before = last_seq()
                    with CaptureQueriesContext(connection) as queries:
                        start = time.perf_counter()
                        response = client.get(url)
                        times.append((time.perf_counter() - start) * 1000)
                    statements.append(len(queries))
                    events.append(last_seq() - before)
                    size = len(response.content)
                results.append(
                    {
                        "vendor": connection.vendor,
                        "role": role,
                        "page": name,
                        "url": url,
                        "status": response.status_code,
                        "median_ms": round(statistics.median(times), 1),
                        "p95_ms": round(percentile(times, 0.95), 1),
                        "statements": max(statements),
                        "events": max(events),
                        "bytes": size,
                    }
                )
        print(f"{role}: {sum(len(u) for u in pages.values())} pages", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL (used as it is)")
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "ketenradar.sqlite3"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--per-pattern", type=int, default=1)
    parser.add_argument("--max-pages", type=int, default=400, help="per role, while walking")
    parser.add_argument("--every-account", action="store_true", help="not one per role")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--top", type=int, default=40, help="rows printed, slowest first")
    args = parser.parse_args()
    copy = None
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        source = Path(args.sqlite)
        if not source.exists():
            sys.exit(f"{source} does not exist: run ./bin/demo first (or give --database-url)")
        copy = Path(tempfile.mkdtemp()) / "pages.sqlite3"
        shutil.copyfile(source, copy)
        os.environ["DATABASE_URL"] = f"sqlite:///{copy}"
    os.environ.setdefault("KETENRADAR_AUDIT_CHECKPOINT_EVERY", "0")  # no checkpoint files
    try:
        rows = run(args)
    finally:
        if copy is not None:
            shutil.rmtree(copy.parent, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    rows.sort(key=lambda r: -r["p95_ms"])
    print("| role | page | median ms | p95 ms | statements | access-log events | KB |")
    print("|---|---|---|---|---|---|---|")
    for r in rows[: args.top]:
        print(
            f"| {r['role']} | {r['page']} | {r['median_ms']} | {r['p95_ms']} | "
            f"{r['statements']} | {r['events']} | {r['bytes'] // 1024} |"
        )
    over = [r for r in rows if r["p95_ms"] > 300]
    print(
        f"\n{len(rows)} page x role rows on {rows[0]['vendor'] if rows else '-'}; "
        f"p95 over 300 ms: {len(over)}; slowest p95 {rows[0]['p95_ms'] if rows else 0} ms"
    )


if __name__ == "__main__":
    main()
