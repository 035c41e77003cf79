"""Monitoring: the coordinator's campaigns (сбор информации), the schools' answers with the
coverage form of seed 003 and the document packages, the notices they send, and the yearly targets
of the indicators (показатели эффективности).

The coverage figures are not stored: they are computed from the pairs (`monitoring.coverage`)
whenever they are shown. What a school changes by hand is stored beside them (`FigureCorrection`),
so the coordinator sees both the computed number and the corrected one.

Seed 003 is the model: the letter of 13.08.2021 asks every school for the coverage form «до 24
августа 2021 года» and for «пакет документов» (положение, дорожная карта, распорядительные акты)
«до 10.09.2021»; seed 000 §5 and seed 004 §4 ask for yearly monitoring and reports.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.reversing import reverse_pk
from core.scoping import ScopedManager, ScopedQuerySet, get_scope
from monitoring.choices import (
    CampaignStatus,
    DocumentStatus,
    Figure,
    Indicator,
    NoticeKind,
    SubmissionStatus,
)
from registry.choices import COVERAGE_FORMS, FormCode
from registry.models import Municipality, Organization


class CampaignQuerySet(ScopedQuerySet):
    def for_user(self, user, *, write: bool = False):
        """The campaigns a user may see: the municipality's for its coordinator and observers; for
        the people of a school, the opened campaigns that ask their school. Changing a campaign is
        the coordinator's."""
        scoped = super().for_user(user, write=write)
        if write:
            return scoped
        scope = get_scope(user)
        if scope.is_superuser or not scope.read_organization_ids:
            return scoped
        asked = self.exclude(status=CampaignStatus.DRAFT).filter(
            pk__in=Submission.objects.filter(organization__in=scope.read_organization_ids).values("campaign")
        )
        return scoped | asked


class Campaign(models.Model):
    """A campaign (сбор информации): the coordinator asks the schools for the coverage form, a
    document package or both, for a period, by a deadline (seed 003: the form «до 24 августа 2021
    года», the package «до 10.09.2021»). The schools asked are its submissions."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="campaigns", verbose_name="муниципалитет"
    )
    title = models.CharField("название", max_length=300)
    asks_coverage = models.BooleanField(
        "форма охвата", default=True, help_text="Численность охваченных программой наставничества (по форме)."
    )
    asks_documents = models.BooleanField(
        "пакет документов", default=False, help_text="Положение, дорожная карта, приказы — скан-копии."
    )
    period_start = models.DateField("период: с")
    period_end = models.DateField("период: по")
    reference_date = models.DateField(
        "дата расчёта возраста и стажа", help_text="Возраст и стаж считаются в полных годах на эту дату."
    )
    deadline = models.DateField("срок представления")
    text = models.TextField("текст запроса", blank=True, help_text="Что просят и зачем: школы увидят его в запросе.")
    status = models.CharField("состояние", max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    opened_at = models.DateTimeField("открыт", null=True, blank=True)
    closed_at = models.DateTimeField("закрыт", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто создал",
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    scope_municipality_path = "municipality"
    scope_organization_path = None
    audit_exclude = ("created_at", "updated_at", "created_by")

    objects = ScopedManager.from_queryset(CampaignQuerySet)()

    class Meta:
        verbose_name = "сбор информации"
        verbose_name_plural = "сборы информации"
        ordering = ["-deadline", "-pk"]
        indexes = [models.Index(fields=["municipality", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="campaign_period_ordered",
                violation_error_message="Конец периода не может быть раньше начала.",
            ),
            models.CheckConstraint(
                condition=Q(asks_coverage=True) | Q(asks_documents=True),
                name="campaign_asks_something",
                violation_error_message="Отметьте, что запрашивается: форма охвата, пакет документов или оба.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_pk("monitoring:campaign_detail", self.pk)


class Submission(models.Model):
    """A school's answer to a campaign: `draft → submitted → accepted | returned → submitted …`.
    Each step is a `SubmissionStep` (dated, with who and the comment) and an audit entry."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions", verbose_name="сбор")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="submissions", verbose_name="организация"
    )
    status = models.CharField(
        "состояние", max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    #: «Ответственный за реализацию программы в ОУ: ФИО, тел.» (seed 003).
    responsible_name = models.CharField("ответственный: ФИО", max_length=200, blank=True)
    responsible_phone = models.CharField("ответственный: телефон", max_length=100, blank=True)
    submitted_at = models.DateTimeField("отправлен", null=True, blank=True)
    decided_at = models.DateTimeField("проверен", null=True, blank=True)
    return_comment = models.TextField("комментарий координатора", blank=True)
    returns = models.PositiveSmallIntegerField("возвращён раз", default=0)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    scope_municipality_path = "campaign__municipality"
    scope_organization_path = "organization"
    audit_exclude = ("updated_at",)

    objects = ScopedManager()

    class Meta:
        verbose_name = "ответ школы"
        verbose_name_plural = "ответы школ"
        ordering = ["campaign", "organization__short_name", "pk"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                name="submission_once_per_school",
                violation_error_message="Эта школа уже включена в сбор.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse_pk("monitoring:submission_detail", self.pk)


class SubmissionStep(models.Model):
    """One step of a submission's way (отправлен, принят, возвращён с комментарием), dated."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="steps", verbose_name="ответ")
    status = models.CharField("состояние", max_length=20, choices=SubmissionStatus.choices)
    at = models.DateTimeField("когда")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="кто"
    )
    comment = models.TextField("комментарий", blank=True)

    scope_municipality_path = "submission__campaign__municipality"
    scope_organization_path = "submission__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "шаг ответа"
        verbose_name_plural = "шаги ответов"
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.at:%d.%m.%Y %H:%M}"


COVERAGE_FORM_CHOICES = [(code.value, code.label) for code in COVERAGE_FORMS]


class FigureCorrection(models.Model):
    """A school's correction of one computed figure of the coverage form, with its reason. The
    computed number at the time of the correction is kept beside it; the coordinator sees both."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="corrections", verbose_name="ответ"
    )
    figure = models.CharField("показатель", max_length=20, choices=Figure.choices)
    form = models.CharField("форма наставничества", max_length=40, choices=COVERAGE_FORM_CHOICES)
    computed = models.PositiveIntegerField("рассчитано")
    value = models.PositiveIntegerField("по данным школы")
    reason = models.TextField("причина исправления")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="кто"
    )
    at = models.DateTimeField("когда", auto_now=True)

    scope_municipality_path = "submission__campaign__municipality"
    scope_organization_path = "submission__organization"
    audit_exclude = ("at", "by")

    objects = ScopedManager()

    class Meta:
        verbose_name = "исправление показателя"
        verbose_name_plural = "исправления показателей"
        ordering = ["submission", "figure", "form"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "figure", "form"],
                name="correction_once_per_cell",
                violation_error_message="Этот показатель уже исправлен: измените исправление.",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="correction_has_reason",
                violation_error_message="Укажите причину исправления.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_figure_display()}, {FormCode(self.form).label}: {self.computed} → {self.value}"


class DocumentRequirement(models.Model):
    """A document a campaign asks for (seed 003: «положение о программе наставничества и дорожную
    карту … распорядительные акты (скан-копии приказов)»); the list is the campaign's own."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requirements", verbose_name="сбор")
    title = models.CharField("документ", max_length=300)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    scope_municipality_path = "campaign__municipality"
    scope_organization_path = None

    objects = ScopedManager()

    class Meta:
        verbose_name = "запрошенный документ"
        verbose_name_plural = "запрошенные документы"
        ordering = ["campaign", "position", "pk"]

    def __str__(self) -> str:
        return self.title


def document_path(instance: PackageDocument, filename: str) -> str:
    return f"monitoring/{instance.submission.campaign_id}/{instance.submission.organization_id}/{filename}"


class PackageDocument(models.Model):
    """One document of a school's package: a scan (checked by content like every scan of the
    portal) or a link to a document the portal generated, and the coordinator's check."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="documents", verbose_name="ответ")
    requirement = models.ForeignKey(
        DocumentRequirement, on_delete=models.CASCADE, related_name="documents", verbose_name="документ"
    )
    file = models.FileField("скан-копия", upload_to=document_path, max_length=300, blank=True)
    link = models.CharField(
        "документ портала", max_length=500, blank=True, help_text="Адрес документа, сформированного на портале."
    )
    status = models.CharField("проверка", max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.MISSING)
    comment = models.TextField("комментарий координатора", blank=True)
    uploaded_at = models.DateTimeField("представлен", null=True, blank=True)
    checked_at = models.DateTimeField("проверен", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто проверил",
    )

    scope_municipality_path = "submission__campaign__municipality"
    scope_organization_path = "submission__organization"
    audit_exclude = ("checked_by",)

    objects = ScopedManager()

    class Meta:
        verbose_name = "документ пакета"
        verbose_name_plural = "документы пакетов"
        ordering = ["submission", "requirement__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "requirement"],
                name="package_document_once",
                violation_error_message="Этот документ уже представлен: замените файл.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.get_status_display()}"


class Notice(models.Model):
    """An e-mail a campaign sent (or tried to): the record that keeps the daily reminders from
    going twice, after a restart too (`key` tells apart the returns of one submission)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="notices", verbose_name="сбор")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
    )
    kind = models.CharField("уведомление", max_length=20, choices=NoticeKind.choices)
    key = models.CharField("ключ", max_length=50, blank=True)
    recipients = models.TextField("кому", blank=True)
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    scope_municipality_path = "campaign__municipality"
    scope_organization_path = "organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization", "kind", "key"],
                name="notice_once",
                violation_error_message="Это уведомление уже отправлено.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.organization or self.campaign}"


class IndicatorTarget(models.Model):
    """A yearly target of an indicator (seed 003 приложение 2 «планируемые результаты (показатели
    эффективности) … на период с 2021 г. по 2024 г.»), for the municipality (`organization`
    empty) or one school. Years are data: any academic year from 2000 on."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="indicator_targets", verbose_name="муниципалитет"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_targets",
        verbose_name="организация",
        help_text="Пусто — цель муниципалитета в целом.",
    )
    indicator = models.CharField("показатель", max_length=30, choices=Indicator.choices)
    year_start = models.PositiveSmallIntegerField(
        "учебный год (начало)",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="Первый год учебного года: 2021 для 2021/2022.",
    )
    target = models.DecimalField("план", max_digits=9, decimal_places=2, validators=[MinValueValidator(0)])

    scope_municipality_path = "municipality"
    scope_organization_path = "organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "плановое значение показателя"
        verbose_name_plural = "плановые значения показателей"
        ordering = ["municipality", "indicator", "year_start", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "organization", "indicator", "year_start"],
                name="indicator_target_once",
                violation_error_message="План этого показателя на этот год уже задан: измените его.",
            ),
            models.UniqueConstraint(
                fields=["municipality", "indicator", "year_start"],
                condition=Q(organization__isnull=True),
                name="indicator_target_once_municipal",
                violation_error_message="План муниципалитета по этому показателю на этот год уже задан.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}, {self.year_start}: {self.target}"


class DashboardSnapshot(models.Model):
    """The figures of a home page that takes seconds to compute (the region view of an observer of
    many municipalities: issue 9 §6, «the coordinator's dashboard … ≤ 2 s for the region»), kept in
    the database for every worker process and shown with the time they were computed at
    («данные на 10:42»), while the background worker computes them again after a change
    (`monitoring.snapshots`: stale while revalidating).

    A snapshot belongs to a scope, not to a user: `scope_key` is the digest of everything the
    user's scope lets them see (core.cache.scope_key), so two observers of the same municipalities
    share one, and a user of another scope never finds it. Nothing else reads it: it is not
    scoped through `for_user`, its key is its scope."""

    name = models.CharField("что", max_length=40)
    scope_key = models.CharField("область видимости", max_length=64)
    data = models.JSONField("данные", encoder=DjangoJSONEncoder)
    #: The id of the newest journal line when the computation began (core.cache.data_version): a
    #: newer line means the data changed since.
    data_version = models.BigIntegerField("версия данных")
    computed_on = models.DateField("день расчёта")
    computed_at = models.DateTimeField("рассчитано")
    #: When a page last asked the worker to compute it again (one request at a time).
    refresh_requested_at = models.DateTimeField("запрошен пересчёт", null=True, blank=True)
    #: The shape of `data`: a snapshot of an older shape is computed again, never misread.
    format_version = models.PositiveSmallIntegerField("версия формата")

    class Meta:
        verbose_name = "снимок показателей"
        verbose_name_plural = "снимки показателей"
        constraints = [models.UniqueConstraint(fields=["name", "scope_key"], name="dashboard_snapshot_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.scope_key[:8]} на {self.computed_at:%d.%m.%Y %H:%M}"
