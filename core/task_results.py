"""django_tasks_db (the queue of background tasks: checking and saving imports) in Russian in the admin.

The library names its app «Tasks Database Backend» in a plain string and its columns in English;
INSTALLED_APPS loads it through `TaskResultsConfig`, which gives the app a Russian name and
registers its admin with Russian column names. The model's and fields' own names are gettext
strings of the library, translated in `core/locale/ru/LC_MESSAGES/django.po`.
"""

from django.apps import apps
from django.contrib import admin
from django_tasks_db.apps import TasksAppConfig


class TaskResultsConfig(TasksAppConfig):
    verbose_name = "Фоновые задачи"

    def ready(self) -> None:
        super().ready()
        from django_tasks_db.admin import DBTaskResultAdmin

        model = apps.get_model("django_tasks_database", "DBTaskResult")

        class TaskResultAdmin(DBTaskResultAdmin):
            """The library's read-only admin, with Russian names for its computed columns."""

            list_display = (
                "display_id",
                "display_task_name",
                "status",
                "enqueued_at",
                "started_at",
                "finished_at",
                "priority",
                "queue_name",
            )

            @admin.display(description="идентификатор", ordering="id")
            def display_id(self, obj):
                return obj.id

            @admin.display(description="задача")
            def display_task_name(self, obj):
                return obj.task_name

            @admin.display(description="трассировка ошибки")
            def formatted_traceback(self, obj):
                return super().formatted_traceback(obj)

            @admin.display(description="выполнить после")
            def display_run_after(self, obj):
                return super().display_run_after(obj)

        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, TaskResultAdmin)
