"""Local use: `make serve` runs with these (embedded SQLite, a throwaway secret)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env("DEBUG", "0") == "1"
SECRET_KEY = env("SECRET_KEY") or "dev-only-not-secret-change-me-in-production"
