from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Наставничество"

    def ready(self) -> None:
        from mentorship import importers  # noqa: F401  (registers the import of pairs)
