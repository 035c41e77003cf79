"""Roadmaps (дорожные карты): the plans of a municipality and of its schools, item by item, with
the deadlines as the documents word them and each school's execution.

A municipal roadmap (seed 000: «Дорожная карта внедрения целевой модели наставничества …
на период реализации 2021-2024 гг.») is kept by the coordinator; its items addressed to
«Руководители ОО» are carried out by every school and tracked school by school. A school keeps
its own roadmap (seed 002: «Дорожная карта» МБОУ «ЦО № 21» на 2024-2025 учебный год), which may
be a copy of a municipal template. Everything here is written through `roadmaps.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.reversing import reverse_pk
from core.scoping import ScopedManager, ScopedQuerySet, get_scope
from registry.models import Municipality, Organization
from roadmaps.choices import Addressee, DeadlineKind, ExecutionStatus, RoadmapStatus


class RoadmapQuerySet(ScopedQuerySet):
    def for_user(self, user, *, write: bool = False):
        """The roadmaps a user may see: the usual scope, and for the people of a school also the
        municipal roadmaps of their municipality, whose items address their school (seed 000
        «Ответственные: ОО»). Another school's roadmap stays out of sight."""
        scoped = super().for_user(user, write=write)
        if write:
            return scoped
        scope = get_scope(user)
        if scope.is_superuser or not scope.member_municipality_ids:
            return scoped
        municipal = self.filter(organization__isnull=True, municipality__in=scope.member_municipality_ids)
        return scoped | municipal


class Roadmap(models.Model):
    """A roadmap of a municipality (`organization` empty) or of one of its organizations, for a
    period: calendar years (2021–2024) or an academic year (01.09.2024–31.08.2025)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="roadmaps", verbose_name="муниципалитет"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name="организация",
        help_text="Пусто — муниципальная дорожная карта.",
    )
    title = models.CharField("название", max_length=500)
    starts_on = models.DateField("начало периода")
    ends_on = models.DateField("конец периода")
    order_number = models.CharField("номер приказа", max_length=50, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    status = models.CharField("статус", max_length=20, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT)
    template = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="шаблон",
        help_text="Муниципальная дорожная карта, с которой снята эта копия.",
    )
    #: When the copy last took changes of its template (each item keeps its own time too).
    template_synced_at = models.DateTimeField("сверена с шаблоном", null=True, blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    scope_municipality_path = "municipality"
    scope_organization_path = "organization"
    audit_exclude = ("created_at", "updated_at", "template_synced_at")

    objects = models.Manager.from_queryset(RoadmapQuerySet)()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="roadmap_period_ordered",
                violation_error_message="Конец периода не может быть раньше начала.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_pk("roadmaps:roadmap_detail", self.pk)

    @property
    def is_municipal(self) -> bool:
        return self.organization_id is None

    @property
    def period(self) -> tuple:
        return (self.starts_on, self.ends_on)

    @property
    def period_label(self) -> str:
        """«2021–2024» for whole calendar years, «2024/2025 учебный год» for an academic year,
        the dates otherwise."""
        start, end = self.starts_on, self.ends_on
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
        if (start.month, start.day, end.month, end.day) == (9, 1, 8, 31) and end.year == start.year + 1:
            return f"{start.year}/{end.year} учебный год"
        return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


class RoadmapItem(models.Model):
    """An item of a roadmap as the document numbers it: a stage «1.», its items «1.1.», «1.2.»,
    their sub-items. The number is kept as written (with or without the final dot), and
    `position` keeps the document's order.

    The deadline is kept exactly as worded («Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.») beside
    the windows parsed from it (`ItemWindow`); a deadline the parser did not understand is marked
    «срок не распознан» until a person sets its dates by hand (`deadline_manual`)."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="items", verbose_name="дорожная карта")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="входит в"
    )
    position = models.PositiveIntegerField("порядок")
    number = models.CharField("№", max_length=30, blank=True)
    level = models.PositiveSmallIntegerField("уровень", default=1)
    title = models.TextField("мероприятие")
    deadline_text = models.CharField("срок (как в документе)", max_length=500, blank=True)
    deadline_kind = models.CharField(
        "вид срока", max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.UNRECOGNISED
    )
    deadline_note = models.CharField("примечание к сроку", max_length=300, blank=True)
    deadline_manual = models.BooleanField("даты заданы вручную", default=False)
    #: The first window's start and the last window's end: what lists sort by and what makes an
    #: item overdue («past the last window's end and not done»).
    due_start = models.DateField("начало срока", null=True, blank=True)
    due_end = models.DateField("окончание срока", null=True, blank=True)
    responsible_municipal = models.TextField("ответственные: муниципальные", blank=True)
    responsible_organization = models.TextField("ответственные: ОО", blank=True)
    result = models.TextField("ожидаемый результат, вид документа", blank=True)
    #: Who the responsible columns name, as recognised (`roadmaps.responsibles`): Addressee values.
    addressees = models.JSONField("адресаты", default=list, blank=True)
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="roadmap_items",
        verbose_name="организации",
        help_text="Школы, которым адресован пункт; пусто — все общеобразовательные организации.",
    )
    #: Carried out by every school (or the chosen ones) and tracked school by school.
    for_schools = models.BooleanField("исполняют ОО", default=False)
    template_item = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="пункт шаблона",
    )
    #: When this copy last took its template item's wording: later template edits are offered.
    template_taken_at = models.DateTimeField("взят из шаблона", null=True, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    scope_municipality_path = "roadmap__municipality"
    scope_organization_path = "roadmap__organization"
    #: The addressees are read from the responsible columns, which the journal shows as written.
    audit_exclude = ("updated_at", "due_start", "due_end", "position", "template_taken_at", "addressees")

    objects = ScopedManager()

    class Meta:
        verbose_name = "пункт дорожной карты"
        verbose_name_plural = "пункты дорожных карт"
        ordering = ["roadmap", "position", "pk"]
        indexes = [models.Index(fields=["roadmap", "position"]), models.Index(fields=["due_end"])]

    def __str__(self) -> str:
        title = self.title if len(self.title) <= 80 else self.title[:79] + "…"
        return f"{self.number} {title}".strip()

    def get_absolute_url(self) -> str:
        return reverse_pk("roadmaps:item_detail", self.pk)

    @property
    def carried_by_authority(self) -> bool:
        """Does the authority itself carry out this municipal item (and mark it)? When it is not
        addressed to schools, or its responsibles name «Управление образования» or the coordinator
        beside the schools (seed 001: «Управление образования», «Руководители ОО»)."""
        if self.roadmap.organization_id is not None:
            return False
        return not self.for_schools or bool({Addressee.AUTHORITY, Addressee.COORDINATOR} & set(self.addressees))

    @property
    def deadline_recognised(self) -> bool:
        return self.deadline_manual or self.deadline_kind != DeadlineKind.UNRECOGNISED


class ItemWindow(models.Model):
    """A window of an item's schedule: from `starts_on` to `ends_on`, both inclusive. «Сентябрь-
    ноябрь Ежегодно 2021 – 2024 гг.» has four; «постоянно» one over the whole period."""

    item = models.ForeignKey(RoadmapItem, on_delete=models.CASCADE, related_name="windows", verbose_name="пункт")
    starts_on = models.DateField("с")
    ends_on = models.DateField("по")

    scope_municipality_path = "item__roadmap__municipality"
    scope_organization_path = "item__roadmap__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "окно срока"
        verbose_name_plural = "окна сроков"
        ordering = ["item", "starts_on", "pk"]
        indexes = [models.Index(fields=["ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="item_window_ordered",
                violation_error_message="Окончание срока не может быть раньше начала.",
            )
        ]

    def __str__(self) -> str:
        if self.starts_on == self.ends_on:
            return f"{self.starts_on:%d.%m.%Y}"
        return f"{self.starts_on:%d.%m.%Y} – {self.ends_on:%d.%m.%Y}"


def evidence_path(instance: ItemExecution, filename: str) -> str:
    return f"roadmaps/{instance.item.roadmap_id}/{instance.item_id}/{instance.organization_id or 'mun'}/{filename}"


class ItemExecution(models.Model):
    """How far one organization has come with an item (не начато, в работе, выполнено,
    не требуется), with its evidence: a file, a link, a comment and the date done. An item of a
    school's roadmap has its school's one; a municipal item addressed to «Руководители ОО» has
    one per school; a municipal item the authority itself carries out has one with no
    organization. A missing row means «не начато»."""

    item = models.ForeignKey(RoadmapItem, on_delete=models.CASCADE, related_name="executions", verbose_name="пункт")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmap_executions",
        verbose_name="организация",
    )
    status = models.CharField(
        "исполнение", max_length=20, choices=ExecutionStatus.choices, default=ExecutionStatus.NOT_STARTED
    )
    done_on = models.DateField("дата выполнения", null=True, blank=True)
    comment = models.TextField("комментарий", blank=True)
    link = models.URLField("ссылка", max_length=500, blank=True)
    evidence = models.FileField("файл-подтверждение", upload_to=evidence_path, max_length=300, blank=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто изменил",
    )

    scope_municipality_path = "item__roadmap__municipality"
    scope_organization_path = "organization"
    audit_exclude = ("updated_at", "updated_by")

    objects = ScopedManager()

    class Meta:
        verbose_name = "исполнение пункта"
        verbose_name_plural = "исполнение пунктов"
        ordering = ["item", "organization", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "organization"],
                name="execution_unique_per_organization",
                violation_error_message="Исполнение этого пункта этой организацией уже отмечено.",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(organization__isnull=True),
                name="execution_unique_municipal",
                violation_error_message="Исполнение этого пункта управлением образования уже отмечено.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExecutionStatus.DONE) | Q(done_on__isnull=False),
                name="execution_done_has_date",
                violation_error_message="Укажите дату выполнения.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()

    @property
    def evidence_name(self) -> str:
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""
