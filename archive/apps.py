"""Third-party apps as the archive's staff see them: named in the interface's language."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginThrottlingConfig(AxesAppConfig):
    """django-axes, shown in the admin as what it does rather than as "Axes"."""

    verbose_name = _("Login throttling")
