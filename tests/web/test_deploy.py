"""Production settings: `check --deploy` clean, secrets only from the environment, headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent.parent


def manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings.prod", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path):
    run = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        ARCHIVE_SECRET_KEY=secrets.token_urlsafe(50), ARCHIVE_VAR_DIR=str(tmp_path),
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    run = manage("check", ARCHIVE_SECRET_KEY="", ARCHIVE_VAR_DIR=str(tmp_path))
    assert run.returncode != 0 and "ARCHIVE_SECRET_KEY must be set" in run.stderr


def test_the_admin_lives_where_configured(tmp_path):
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    run = manage(
        "shell", "-c", code,
        ARCHIVE_SECRET_KEY="x" * 50, ARCHIVE_VAR_DIR=str(tmp_path), ARCHIVE_ADMIN_URL="staff-7f3a",
    )  # fmt: skip
    assert run.stdout.strip().splitlines()[-1] == "/staff-7f3a/", run.stderr


def test_every_page_carries_a_content_security_policy(client, db, settings):
    # (archive.settings.prod adds this middleware; importing it here would need its secret.)
    middleware = [*settings.MIDDLEWARE, "archive.security.ContentSecurityPolicyMiddleware"]
    assert "archive.security.ContentSecurityPolicyMiddleware" in (ROOT / "archive/settings/prod.py").read_text()
    with override_settings(MIDDLEWARE=middleware):
        response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "script-src 'self'" in policy


def test_json_log_lines():
    import json
    import logging

    from archive.logs import JsonFormatter

    try:
        raise ValueError("索引不可用")
    except ValueError:
        record = logging.LogRecord("search", logging.ERROR, __file__, 1, "index %s", ("busy",), sys.exc_info())
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "search" and entry["message"] == "index busy"
    assert "索引不可用" in entry["exception"] and "\n" not in line


def test_admin_login_is_throttled_after_repeated_wrong_passwords(client, django_user_model, settings):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "right-password-1")
    login = f"/{settings.ADMIN_URL}login/?next=/{settings.ADMIN_URL}"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the login form again
    assert client.post(login, {"username": "editor", "password": "wrong"}).status_code == 429  # the last allowed
    response = client.post(login, {"username": "editor", "password": "right-password-1"})
    assert response.status_code in (403, 429)  # locked out, even with the right password
    assert "_auth_user_id" not in client.session
    other = client.post(login, {"username": "someone-else", "password": "wrong"})
    assert other.status_code == 200  # the lockout is for that name from that address only
