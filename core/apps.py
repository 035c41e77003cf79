from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Общие настройки и журнал"

    def ready(self) -> None:
        from core.db import register_lookups
        from core.sqlite import install_unicode_functions

        register_lookups()
        connection_created.connect(install_unicode_functions, dispatch_uid="core.sqlite.unicode")
