"""Production: refuses to start without its secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, MIDDLEWARE, SECRET_KEY, env

if not SECRET_KEY:
    raise ImproperlyConfigured("ARCHIVE_SECRET_KEY must be set in production.")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS only: behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env("SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env("HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = env("HSTS_PRELOAD", "1") == "1"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
MIDDLEWARE = [*MIDDLEWARE, "archive.security.ContentSecurityPolicyMiddleware"]
# One JSON object a line unless told otherwise (ARCHIVE_LOG_FORMAT=plain).
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", "json")
