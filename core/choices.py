from django.db import models


class Role(models.TextChoices):
    """The roles of docs/product.md «Who uses it»; a user may hold several, in several places."""

    COORDINATOR = "coordinator", "Муниципальный координатор"
    CURATOR = "curator", "Куратор ЦМН"
    DIRECTOR = "director", "Руководитель ОО"
    OBSERVER = "observer", "Наблюдатель"


#: Roles held over a municipality; the others are held over an organization.
MUNICIPAL_ROLES = frozenset({Role.COORDINATOR, Role.OBSERVER})


class AuditAction(models.TextChoices):
    CREATE = "create", "Создание"
    UPDATE = "update", "Изменение"
    DELETE = "delete", "Удаление"
    WITHDRAW = "withdraw", "Отзыв согласия"
    EXPORT = "export", "Выгрузка"
    DOWNLOAD = "download", "Скачивание файла"
    IMPORT = "import", "Загрузка"
    LOGIN_FAILED = "login_failed", "Неудачный вход"
