from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Реестр"

    def ready(self) -> None:
        from registry import importers  # noqa: F401  (registers the registry's kinds of import)
