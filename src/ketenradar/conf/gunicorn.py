"""Gunicorn's configuration for Ketenradar in production (README, "Production server").

    gunicorn -c python:ketenradar.conf.gunicorn

with the production environment of docs/configuration.md (``DJANGO_SETTINGS_MODULE``
defaults to ``ketenradar.conf.production`` in ``ketenradar.wsgi``). Gunicorn's own
variables still apply on top of this file, e.g. ``GUNICORN_CMD_ARGS="--timeout 120"``.

- ``KETENRADAR_BIND``: the address, default ``127.0.0.1:8000`` (behind a reverse proxy that
  terminates TLS and sends ``X-Forwarded-Proto``; production redirects plain HTTP).
- ``KETENRADAR_WORKERS``: the number of worker processes, default 2 x cores + 1.
- ``preload_app``: the application (Django, the apps, the middleware, WhiteNoise's file
  index) is loaded once in the master process before it forks the workers, and ``when_ready``
  then warms what Django otherwise does on a worker's first request: the URL resolver, the
  compiled templates of Ketenradar's own pages and the Dutch and English catalogues. Every
  worker starts with them (copy-on-write), so no user waits for a cold worker.
- The access log goes to stdout, one line per request, without query string and referrer:
  a search URL holds names, dates of birth and BSNs (``/personen/?q=...``), and no client
  data belongs in a web server log. The response's ``X-Request-ID`` links a line to the
  application's structured log.
"""

from __future__ import annotations

import os
from typing import Any

wsgi_app = "ketenradar.wsgi:application"
bind = [os.environ.get("KETENRADAR_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("KETENRADAR_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
preload_app = True
# No runtime control socket (gunicorn 25.1+, at a per-user path shared by every instance):
# the server is managed with signals (HUP reloads, TERM stops) by the service manager.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# Remote address, time, method, path (no query string), protocol, status, bytes, seconds,
# request id, user agent.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)s %({x-request-id}o)s "%(a)s"'


def warm_up() -> dict[str, int]:
    """Load in this process what a first request would: the URL resolver, Ketenradar's
    templates (into Django's cached template loader) and the translation catalogues. Opens no
    database connection. Returns what it loaded, for the log."""
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver, reverse
    from django.utils import translation

    resolver = get_resolver()
    resolver._populate()  # imports every view module (WeasyPrint, openpyxl, ...): seconds
    reverse(settings.LOGIN_URL)

    templates = 0
    engine = engines["django"]
    base = settings.BASE_DIR
    for directory in engine.template_dirs:
        root = os.fspath(directory)
        if not root.startswith(os.fspath(base)):
            continue  # Ketenradar's own templates; Django's and DRF's load on first use
        for folder, _subfolders, files in os.walk(root):
            for name in files:
                if name.endswith((".html", ".txt")):
                    path = os.path.relpath(os.path.join(folder, name), root)
                    engine.get_template(path.replace(os.sep, "/"))
                    templates += 1

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Dutch")
    return {"url_namespaces": len(resolver.namespace_dict), "templates": templates}


def when_ready(server: Any) -> None:
    """In the master, after the application is preloaded and before the workers fork."""
    from django.db import connections

    loaded = warm_up()
    connections.close_all()  # a connection made in the master must not be shared by workers
    server.log.info(
        "Warmed up: URLs of %d namespaces, %d templates",
        loaded["url_namespaces"],
        loaded["templates"],
    )
