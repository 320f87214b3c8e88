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
