"""Errors a reader can meet: never a 500, JSON under /api/, 405 for writes, the site's own pages."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.web.forms import MAX_QUERY_LENGTH

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("ARCHIVE_URL_EXAMPLES", "12"))


def pattern_regex(pattern) -> str:
    """A URL pattern's regular expression, without its anchors."""
    if isinstance(pattern, RoutePattern):
        from django.urls.resolvers import _route_to_regex

        regex = _route_to_regex(str(pattern), pattern._is_endpoint)[0]
    else:
        regex = pattern.regex.pattern
    return regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")


def every_pattern(resolver=None, prefix="") -> list[str]:
    """The full regular expression of every URL pattern of the site (the admin's included)."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        regex = prefix + pattern_regex(entry.pattern)
        if isinstance(entry, URLResolver):
            found += every_pattern(entry, regex)
        elif isinstance(entry, URLPattern):
            found.append(regex)
    return found


PATTERNS = sorted(set(every_pattern()))


def test_every_pattern_is_walked():
    assert len(PATTERNS) > 60 and any("dates" in p for p in PATTERNS) and any("api" in p for p in PATTERNS)


@pytest.mark.parametrize("regex", PATTERNS)
def test_every_url_pattern_answers_a_page_or_404_with_any_value_its_converters_accept(regex, archive, client):
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(path=st.from_regex(re.compile(f"^{regex}$"), fullmatch=True))
    def check(path):
        url = "/" + quote(path, safe="/")
        response = client.get(url)
        assert response.status_code in (200, 301, 302, 404), (url, response.status_code)
        if url.startswith("/api/") and response.status_code == 404:
            assert response["Content-Type"].startswith("application/json"), url

    check()


@pytest.mark.parametrize("url", ["/dates/99999/", "/dates/0/", "/dates/10000/", "/dates/10000/1/", "/dates/2022/13/"])
def test_impossible_dates_are_not_found(client, db, url):
    assert client.get(url).status_code == 404


def test_everything_under_api_answers_json_errors_too(client, archive):
    for url, status in (("/api/articles/abc", 404), ("/api/nothing-here", 404), ("/api/search?page=0&q=吉林", 400)):
        response = client.get(url)
        assert response.status_code == status and response["Content-Type"].startswith("application/json"), url
        assert json.loads(response.content)["error"]
    response = client.post("/api/search", {"q": "吉林"})
    assert response.status_code == 405 and json.loads(response.content)["status"] == 405


def test_a_nul_character_is_refused_before_any_database_sees_it(client, archive, admin_client):
    """PostgreSQL cannot compare a text with a NUL: it must never reach a query (found by the
    walk above on PostgreSQL)."""
    for url in ("/articles/%00/", "/persons/%E5%88%98%00/", "/places/%00/", "/api/articles/%00"):
        assert client.get(url).status_code == 404, url
    for url in ("/places/?province=%00", "/persons/刘颖/?period=%00", "/search/?q=%E5%90%89%00", "/api/search?q=%00"):
        assert client.get(url).status_code == 400, url
    assert admin_client.get("/admin/articles/article/?q=%00").status_code == 400
    assert client.get("/api/search?q=%00")["Content-Type"].startswith("application/json")


def test_read_only_pages_refuse_other_methods_with_a_page_of_the_site(client, db):
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)("/search/")
        assert response.status_code == 405 and "GET" in response["Allow"]
        page = response.content.decode()
        assert "只读" in page and 'lang="zh-Hans"' in page and "Forbidden" not in page
    assert client.head("/search/?q=吉林").status_code == 200


def test_a_csrf_failure_in_the_admin_gets_the_sites_page(db, admin_user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/admin/login/", {"username": "admin", "password": "password"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "表单已过期" in page and "CSRF" not in page and 'lang="zh-Hans"' in page


@pytest.mark.parametrize(
    "params, named",
    [
        ({"q": "吉林", "page": "999999"}, "page"),
        ({"q": "吉林", "page": "abc"}, "page"),
        ({"q": "吉林", "year": "abc"}, "year"),
        ({"q": "吉林", "date_from": "abc"}, "date_from"),
        ({"q": "吉林", "date_to": "2022-13"}, "date_to"),
        ({"q": "吉林", "sort": "best"}, "sort"),
        ({"q": "吉" * (MAX_QUERY_LENGTH + 1)}, "q"),
    ],
)
def test_a_bad_parameter_is_named_with_the_same_status_on_the_page_and_in_the_api(client, archive, params, named):
    page, api = client.get("/search/", params), client.get("/api/search", params)
    assert page.status_code == api.status_code == 400
    assert f"{named}" in json.loads(api.content)["error"]
    assert named in page.content.decode()


def test_every_search_box_takes_what_the_server_takes(client, archive):
    for url in ("/", "/search/?q=吉林"):
        boxes = re.findall(r'<input[^>]*name="q"[^>]*>', client.get(url).content.decode())
        assert boxes and all(f'maxlength="{MAX_QUERY_LENGTH}"' in box for box in boxes), url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_overlong_address_gets_the_sites_page_from_gunicorn(tmp_path):
    """gunicorn refuses a request line over its limit before the app: with the site's page (414)."""
    env = {**os.environ, "ARCHIVE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "archive.settings.dev"}
    env["ARCHIVE_MAPS_DIR"] = str(ROOT / "var" / "maps")  # drawn once per machine
    env.pop("ARCHIVE_DATABASE_URL", None)
    port = free_port()
    env["ARCHIVE_GUNICORN_BIND"] = f"127.0.0.1:{port}"
    env["ARCHIVE_GUNICORN_WORKERS"] = "1"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "archive/gunicorn.conf.py", "archive.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.2)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/search/?q=" + quote("吉" * 10000), timeout=10)  # 90,000
            raise AssertionError("a 90,000-character address was answered")
        except urllib.error.HTTPError as exc:
            assert exc.code == 414
            page = exc.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(10)
    assert "地址太长" in page and 'lang="zh-Hans"' in page and "Request Line" not in page
