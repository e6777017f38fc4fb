"""The production server serves pages: the production build (static files collected with the
production settings and storage), a migrated database, and gunicorn with the repository's
configuration (``ketenradar.conf.gunicorn``) and the production settings, on a free loopback
port. The login page comes with its hashed style sheets, WhiteNoise serves them, a user signs
in (Argon2id, secure ``__Host-`` cookies, a CSRF check over HTTPS as the proxy reports it) and
is sent on to the second factor. Production's transport security is not relaxed: the test
talks to the server as the TLS-terminating proxy does, with ``X-Forwarded-Proto: https``.

Slow (collectstatic compresses every file, about a minute here): marked ``slow``, and part
of the normal run."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse

import pytest

HOST = "ketenradar.example.nl"
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}
USERNAME = "beheerder.productie"
PASSWORD = "een-lange-zin-voor-de-productietest"
# Only a guard against a hung process, never a bound on how fast anything is.
HANG_GUARD_SECONDS = 600

PROJECT_DIR = Path(settings.BASE_DIR).parent.parent


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KETENRADAR_", "DJANGO_", "GUNICORN_")) and key != "DATABASE_URL"
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "ketenradar.conf.production",
        "KETENRADAR_SECRET_KEY": secrets.token_urlsafe(50),
        "KETENRADAR_ANALYTICS_KEY": secrets.token_urlsafe(48),
        "KETENRADAR_ALLOWED_HOSTS": HOST,
        "KETENRADAR_STATIC_ROOT": str(tmp_path / "static"),
        "KETENRADAR_AUDIT_CHECKPOINT_PATH": str(tmp_path / "audit-checkpoints.jsonl"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ketenradar.sqlite3'}",
        "KETENRADAR_BIND": "127.0.0.1:0",  # a free port, chosen by the system
        "KETENRADAR_WORKERS": "2",
        "PYTHONPATH": str(PROJECT_DIR / "src"),
    }


def _manage(cwd: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(PROJECT_DIR / "manage.py"), *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> None:
    output, _ = process.communicate(timeout=HANG_GUARD_SECONDS)
    assert process.returncode == 0, f"{process.args!r}:\n{output}"


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int = 0
    log: list[str] = field(default_factory=list)  # gunicorn's own log (stderr)
    access_log: list[str] = field(default_factory=list)  # stdout

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: str = ""
    ) -> tuple[http.client.HTTPResponse, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()


@pytest.fixture
def production_server(tmp_path: Path) -> Iterator[Server]:
    env = _production_env(tmp_path)
    (tmp_path / "static").mkdir()
    # The build and the database at the same time (two cores): collectstatic with
    # production's CompressedManifestStaticFilesStorage, and every migration.
    collect = _manage(tmp_path, env, "collectstatic", "--noinput", "-v0")
    migrate = _manage(tmp_path, env, "migrate", "--noinput", "-v0")
    _finish(migrate)
    _finish(
        _manage(
            tmp_path,
            {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            *("createsuperuser", "--noinput", "--username", USERNAME),
            "--email=beheerder@example.nl",
        )
    )
    _finish(collect)
    assert (tmp_path / "static" / "staticfiles.json").exists()

    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:ketenradar.conf.gunicorn"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(process)
    ready = threading.Event()

    def read_log() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            server.log.append(line)
            if match := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line):
                server.port = int(match.group(1))
            if "Booting worker" in line:  # after the master's warm-up
                ready.set()
        ready.set()  # the process ended: the test fails below with its log

    def read_access_log() -> None:
        assert process.stdout is not None
        server.access_log.extend(process.stdout)

    readers = [threading.Thread(target=read_log), threading.Thread(target=read_access_log)]
    for reader in readers:
        reader.start()
    try:
        ready.wait(HANG_GUARD_SECONDS)
        assert process.poll() is None and server.port, "gunicorn did not start:\n" + "".join(
            server.log
        )
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
            try:
                process.wait(timeout=HANG_GUARD_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for reader in readers:
            reader.join()


def _cookie(response: http.client.HTTPResponse, name: str) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{name}="):
            attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
            assert {"secure", "httponly"} <= attributes, header
            return header.split(";")[0].split("=", 1)[1]
    raise AssertionError(f"no {name} cookie in {response.headers}")


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs its server on its own SQLite file: the SQLite pass of the suite covers it",
)
def test_gunicorn_serves_the_login_page_its_static_files_and_a_sign_in(
    production_server: Server,
) -> None:
    server = production_server
    login_path = reverse("accounts:login")
    assert any("Warmed up" in line for line in server.log), server.log

    # Plain HTTP is redirected to HTTPS, as production demands.
    redirected, _ = server.request("GET", login_path, {"Host": HOST})
    assert redirected.status == 301
    assert redirected.headers["Location"] == f"https://{HOST}{login_path}"

    # The login page, through the proxy; its query string stays out of the access log.
    asked = f"{login_path}?next=%2Fpersonen%2F%3Fq%3DJansen"
    page, body = server.request("GET", asked, PROXY_HEADERS)
    assert page.status == 200, body[:2000]
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    html = body.decode()
    sheets = re.findall(r'href="(/static/[^"]+\.css)"', html)
    assert sheets, "the login page links no style sheet"

    for sheet in sheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", sheet), sheet  # the manifest's hashed name
        css, content = server.request("GET", sheet, {**PROXY_HEADERS, "Accept-Encoding": "gzip"})
        assert css.status == 200, sheet
        assert css.headers["Content-Type"].startswith("text/css")
        # WhiteNoise's answer for a versioned file, compressed at build time; the
        # application would have set cookies and no-cache headers.
        assert "immutable" in css.headers["Cache-Control"], css.headers
        assert css.headers["Content-Encoding"] == "gzip"
        assert css.headers.get("Set-Cookie") is None
        assert content

    # Signing in: the CSRF check over HTTPS, Argon2id, the session written, secure cookies.
    csrf_cookie = _cookie(page, "__Host-csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    signed_in, body = server.request(
        "POST",
        login_path,
        {
            **PROXY_HEADERS,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"__Host-csrftoken={csrf_cookie}",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{login_path}",
        },
        urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": PASSWORD}
        ),
    )
    assert signed_in.status == 302, body[:2000]
    session = _cookie(signed_in, "__Host-sessionid")
    start, _ = server.request(
        "GET", "/", {**PROXY_HEADERS, "Cookie": f"__Host-sessionid={session}"}
    )
    assert start.status == 302  # production always asks for the second factor
    assert start.headers["Location"] == reverse("accounts:otp_setup")

    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=HANG_GUARD_SECONDS)
    lines = "".join(server.access_log)
    assert f'"GET {login_path} HTTP/1.1" 200' in lines, lines
    assert f'"POST {login_path} HTTP/1.1" 302' in lines, lines
    assert "Jansen" not in lines and "next=" not in lines, lines
