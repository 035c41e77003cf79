from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Общие настройки и журнал"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from core.auth import journal_failed_login
        from core.db import register_lookups
        from core.middleware import mark_session_refreshed
        from core.sqlite import install_unicode_functions

        register_lookups()
        connection_created.connect(install_unicode_functions, dispatch_uid="core.sqlite.unicode")
        user_login_failed.connect(journal_failed_login, dispatch_uid="core.auth.journal_failed_login")
        user_logged_in.connect(mark_session_refreshed, dispatch_uid="core.middleware.mark_session_refreshed")
