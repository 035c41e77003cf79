"""django-axes as the portal installs it (INSTALLED_APPS names this config)."""

from axes.apps import AppConfig as AxesAppConfig


class LoginLockoutConfig(AxesAppConfig):
    """django-axes under a Russian name in the admin, where its «Попытки доступа» are unlocked."""

    verbose_name = "Блокировка входа"
