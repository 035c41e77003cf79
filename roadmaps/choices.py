"""Choices of the roadmaps app: a roadmap's status and an item's execution by an organization."""

from django.db import models


class RoadmapStatus(models.TextChoices):
    """A roadmap is drafted, approved by an order (seed 000 п. 4 «Утвердить Дорожную карту»),
    and archived when its period is over."""

    DRAFT = "draft", "Проект"
    APPROVED = "approved", "Утверждена"
    ARCHIVED = "archived", "В архиве"


class DeadlineKind(models.TextChoices):
    """What a deadline's wording means (`roadmaps.deadlines.parse_deadline`)."""

    DATES = "dates", "даты"
    CONTINUOUS = "continuous", "постоянно"
    ON_NEED = "on_need", "по мере необходимости"
    UNRECOGNISED = "unrecognised", "срок не распознан"


class ExecutionStatus(models.TextChoices):
    """How far an organization has come with an item (docs/product.md «Roadmaps»)."""

    NOT_STARTED = "not_started", "Не начато"
    IN_PROGRESS = "in_progress", "В работе"
    DONE = "done", "Выполнено"
    NOT_REQUIRED = "not_required", "Не требуется"


#: An item in these states is closed for its organization: it can no longer be overdue.
CLOSED_STATUSES = (ExecutionStatus.DONE, ExecutionStatus.NOT_REQUIRED)

#: Bootstrap tones of the states, for badges and the matrix's cells.
STATUS_TONES = {
    ExecutionStatus.NOT_STARTED: "secondary",
    ExecutionStatus.IN_PROGRESS: "primary",
    ExecutionStatus.DONE: "success",
    ExecutionStatus.NOT_REQUIRED: "light",
}


class Addressee(models.TextChoices):
    """Who a roadmap item is addressed to, as the documents name them: «Управление образования»
    (seed 000, 001), «Руководители ОО» and «Кураторы внедрения ЦМН в ОО» (seed 001 items 1.4,
    3.1–3.7), «координатор» (seed 000 item 3.1)."""

    AUTHORITY = "authority", "Управление образования"
    COORDINATOR = "coordinator", "Муниципальный координатор"
    DIRECTORS = "directors", "Руководители ОО"
    CURATORS = "curators", "Кураторы ЦМН в ОО"


#: Addressees that make a municipal item one every school carries out (tracked school by school).
SCHOOL_ADDRESSEES = (Addressee.DIRECTORS, Addressee.CURATORS)
