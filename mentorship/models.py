"""Mentorship: pairs and groups, their plans, meetings, reports and completion.

The forms of mentorship and their role models are reference data of the registry
(`registry.models.MentorshipForm`). Everything here is written through `mentorship.services`:
the Положение's rules (seed 001 §3.4–3.13) live there, not in forms or views.

History is kept, not overwritten (docs/product.md «Pairs and their work»): who was in which pair,
from when to when, is `PairMember` (a replaced mentor and a mentee who left keep their period);
what happened to a pair and why is `PairEvent`. Coverage reports and orders are computed from
these two.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.reversing import reverse_pk
from core.scoping import ScopedManager, ScopedQuerySet
from registry.choices import BaseRole
from registry.models import MentorshipForm, Municipality, Organization, Person, RoleModel

#: Seed 001 §3.12–3.13: the completion reports are due «в течение 10 дней по завершении наставничества».
REPORT_DAYS = 10
#: The default term of a pair when the curator does not set one: 3 months to a year (docs/product.md).
DEFAULT_TERM_MONTHS = 9
MIN_TERM_DAYS = 28


class PairStatus(models.TextChoices):
    """`draft → approved (by order) → active → completed | terminated` (docs/product.md)."""

    DRAFT = "draft", "Черновик"
    APPROVED = "approved", "Утверждена"
    ACTIVE = "active", "Действует"
    COMPLETED = "completed", "Завершена"
    TERMINATED = "terminated", "Прекращена досрочно"


#: Pairs that hold a mentor's place (§3.4: «одновременно»): a draft does not.
LIVE_STATUSES = (PairStatus.APPROVED, PairStatus.ACTIVE)
#: Pairs that count in coverage and orders: every approved one, whatever became of it.
APPROVED_STATUSES = (PairStatus.APPROVED, PairStatus.ACTIVE, PairStatus.COMPLETED, PairStatus.TERMINATED)
ENDED_STATUSES = (PairStatus.COMPLETED, PairStatus.TERMINATED)


class ReplacementReason(models.TextChoices):
    """Положение §3.7: «Замена наставника производится в следующих случаях»."""

    CONTRACT_ENDED = "contract_ended", "Прекращение трудового договора с наставником"
    TRANSFER = "transfer", "Перевод наставника или наставляемого на иную должность или в другое подразделение"
    REQUEST = "request", "Просьба наставника или наставляемого"
    NON_PERFORMANCE = "non_performance", "Неисполнение наставником функций наставничества или своих обязанностей"
    OTHER = "other", "Иные обстоятельства, препятствующие осуществлению наставничества"


class ExtensionReason(models.TextChoices):
    """Положение §3.8: the term is extended «в случае временной нетрудоспособности, командировки или
    иного продолжительного отсутствия по уважительным причинам»."""

    ILLNESS = "illness", "Временная нетрудоспособность"
    BUSINESS_TRIP = "business_trip", "Командировка"
    ABSENCE = "absence", "Иное продолжительное отсутствие по уважительной причине"


class EndReason(models.TextChoices):
    """Why a pair ends early or a mentee leaves a group. Положение §3.9 names the mentee's failure
    to meet their duties; the others are what schools record besides (a move, a withdrawn consent)."""

    MENTEE_NON_PERFORMANCE = "mentee_non_performance", "Неисполнение наставляемым своих обязанностей (п. 3.9)"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Отзыв согласия на участие в наставничестве"
    LEFT_ORGANIZATION = "left_organization", "Выбытие из организации"
    REQUEST = "request", "Просьба наставника или наставляемого"
    OTHER = "other", "Иные обстоятельства"


class EventKind(models.TextChoices):
    CREATED = "created", "Черновик создан"
    APPROVAL_REQUESTED = "approval_requested", "Направлена на утверждение"
    APPROVED = "approved", "Утверждена приказом"
    ACTIVATED = "activated", "Начала действовать"
    MENTEE_JOINED = "mentee_joined", "Наставляемый присоединился"
    MENTEE_LEFT = "mentee_left", "Наставляемый выбыл"
    MENTOR_REPLACED = "mentor_replaced", "Замена наставника"
    EXTENDED = "extended", "Срок продлён"
    TERMINATED = "terminated", "Прекращена досрочно"
    COMPLETED = "completed", "Завершена"


class ApprovalOrder(models.Model):
    """The organization's order (приказ) that approves pairs: Положение §3.6 «Утверждение
    кандидатуры наставника осуществляется приказом организации». One order approves many pairs."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="approval_orders", verbose_name="организация"
    )
    number = models.CharField("номер приказа", max_length=50)
    date = models.DateField("дата приказа")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="внёс",
    )
    created_at = models.DateTimeField("внесён", auto_now_add=True)
    #: The order as the portal issued it (mentorship.orders.PairOrder), kept in the register;
    #: empty for an order signed on paper and entered by its number and date.
    document = models.OneToOneField(
        "core.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_order",
        verbose_name="документ в реестре",
    )

    scope_municipality_path = "organization__municipality"
    scope_organization_path = "organization"
    audit_exclude = ("created_at",)

    objects = ScopedManager()

    class Meta:
        verbose_name = "приказ об утверждении пар"
        verbose_name_plural = "приказы об утверждении пар"
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number", "date"],
                name="approval_order_unique",
                violation_error_message="Приказ с таким номером и датой в организации уже есть.",
            )
        ]

    def __str__(self) -> str:
        return f"приказ от {self.date:%d.%m.%Y} № {self.number}"


class PairQuerySet(ScopedQuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)


class Pair(models.Model):
    """A mentorship pair or group (наставническая пара или группа): one mentor, one or more mentees.

    `mentor` is the current mentor; the history of who mentored and who was mentored, from when to
    when, is in `members` (PairMember). `end_on` is the planned end as it stands (an extension
    moves it; the events keep the earlier ones); `ended_on` is when the pair actually ended."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="pairs", verbose_name="организация"
    )
    form = models.ForeignKey(MentorshipForm, on_delete=models.PROTECT, related_name="pairs", verbose_name="форма")
    role_model = models.ForeignKey(
        RoleModel, on_delete=models.PROTECT, null=True, blank=True, related_name="pairs", verbose_name="ролевая модель"
    )
    mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mentor_pairs", verbose_name="наставник")
    topic = models.CharField("тема", max_length=300, blank=True)
    goal = models.TextField("цель", blank=True)
    start_on = models.DateField("дата начала")
    end_on = models.DateField("дата окончания")
    status = models.CharField("статус", max_length=20, choices=PairStatus.choices, default=PairStatus.DRAFT)
    approval_requested_on = models.DateField("направлена на утверждение", null=True, blank=True)
    order = models.ForeignKey(
        ApprovalOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="pairs", verbose_name="приказ"
    )
    ended_on = models.DateField("фактически завершена", null=True, blank=True)
    end_reason = models.CharField("причина прекращения", max_length=40, choices=EndReason.choices, blank=True)
    end_comment = models.TextField("комментарий к прекращению", blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    scope_municipality_path = "organization__municipality"
    scope_organization_path = "organization"
    audit_exclude = ("created_at", "updated_at")

    objects = ScopedManager.from_queryset(PairQuerySet)()

    class Meta:
        verbose_name = "наставническая пара"
        verbose_name_plural = "наставнические пары и группы"
        ordering = ["-start_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["mentor", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gt=models.F("start_on")),
                name="pair_ends_after_start",
                violation_error_message="Дата окончания должна быть позже даты начала.",
            ),
            models.CheckConstraint(
                condition=Q(status=PairStatus.DRAFT) | Q(order__isnull=False),
                name="pair_approved_by_order",
                violation_error_message="Утверждённая пара должна ссылаться на приказ (п. 3.6 Положения).",
            ),
        ]

    def __str__(self) -> str:
        return f"Пара № {self.pk}: {self.mentor.short_name}" if self.pk else "Новая пара"

    def get_absolute_url(self) -> str:
        return reverse_pk("mentorship:pair_detail", self.pk)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def reports_due_on(self) -> datetime.date | None:
        """§3.12–3.13: the completion reports are due within 10 days after the end."""
        end = self.ended_on or (self.end_on if self.status in ENDED_STATUSES else None)
        return end + datetime.timedelta(days=REPORT_DAYS) if end else None


class PairMember(models.Model):
    """A person's period in a pair, as mentor or as mentee: from `joined_on` to `left_on` (open while
    they are in it). A replaced mentor and a mentee who left a group keep their row; coverage
    counts each for their time (docs/product.md «monitoring»)."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="members", verbose_name="пара")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="pair_memberships", verbose_name="участник"
    )
    role = models.CharField("роль", max_length=10, choices=BaseRole.choices)
    joined_on = models.DateField("с")
    left_on = models.DateField("по", null=True, blank=True)
    left_reason = models.CharField("причина выбытия", max_length=40, blank=True)
    left_comment = models.TextField("комментарий", blank=True)

    scope_municipality_path = "pair__organization__municipality"
    scope_organization_path = "pair__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "участник пары"
        verbose_name_plural = "участники пар"
        ordering = ["pair", "role", "joined_on", "pk"]
        indexes = [models.Index(fields=["person", "role"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "person"],
                condition=Q(left_on__isnull=True),
                name="pair_member_current_once",
                violation_error_message="Этот человек уже в паре.",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="pair_member_leaves_after_joining",
                violation_error_message="Дата выбытия не может быть раньше даты вступления.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person.short_name}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class PairEvent(models.Model):
    """A dated step in a pair's life, shown on its card as a timeline (an approval, a replaced
    mentor with its §3.7 reason, an extension with its §3.8 reason and the new end …)."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="events", verbose_name="пара")
    kind = models.CharField("событие", max_length=30, choices=EventKind.choices)
    on = models.DateField("дата")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="кого касается"
    )
    other_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="новый наставник"
    )
    reason = models.CharField("причина", max_length=40, blank=True)
    comment = models.TextField("комментарий", blank=True)
    previous_end_on = models.DateField("прежняя дата окончания", null=True, blank=True)
    new_end_on = models.DateField("новая дата окончания", null=True, blank=True)
    order = models.ForeignKey(
        ApprovalOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="приказ"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто внёс",
    )
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    scope_municipality_path = "pair__organization__municipality"
    scope_organization_path = "pair__organization"
    audit_exclude = ("created_at",)

    objects = ScopedManager()

    class Meta:
        verbose_name = "событие пары"
        verbose_name_plural = "события пар"
        ordering = ["pair", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d.%m.%Y}"

    @property
    def reason_label(self) -> str:
        for choices in (ReplacementReason, ExtensionReason, EndReason):
            if self.reason in choices.values:
                return str(choices(self.reason).label)
        return self.reason


# The work of a pair --------------------------------------------------------------------------


class PlanItemKind(models.TextChoices):
    """Положение §3.10: «Индивидуальный план может включать» — its eight kinds of measures."""

    WORKPLACE = "workplace", "Ознакомление с рабочим местом и коллективом"
    DUTIES = "duties", "Ознакомление с должностными обязанностями и требованиями"
    ADAPTATION = "adaptation", "Профессиональная и должностная адаптация"
    THEORY = "theory", "Изучение теоретических и практических вопросов"
    PRACTICE = "practice", "Выполнение практических заданий"
    CONSOLIDATION = "consolidation", "Закрепление профессиональных знаний и навыков"
    ASSISTANCE = "assistance", "Содействие в выполнении обязанностей"
    OTHER = "other", "Другие мероприятия по наставничеству"


class IndividualPlan(models.Model):
    """The individual plan (индивидуальный план / персонализированная программа, §3.10): the mentee
    acknowledges it (§3.11), the director approves it (§4.1 «утверждает индивидуальный план»)."""

    pair = models.OneToOneField(Pair, on_delete=models.CASCADE, related_name="plan", verbose_name="пара")
    acknowledged_on = models.DateField("наставляемый ознакомлен", null=True, blank=True)
    approved_on = models.DateField("утверждён руководителем", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="утвердил",
    )

    scope_municipality_path = "pair__organization__municipality"
    scope_organization_path = "pair__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "индивидуальный план"
        verbose_name_plural = "индивидуальные планы"

    def __str__(self) -> str:
        return f"Индивидуальный план пары № {self.pair_id}"

    def get_absolute_url(self) -> str:
        return reverse_pk("mentorship:pair_detail", self.pair_id) + "#plan"


class PlanItem(models.Model):
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="items", verbose_name="план")
    kind = models.CharField("вид мероприятия", max_length=20, choices=PlanItemKind.choices)
    description = models.TextField("мероприятие")
    deadline = models.DateField("срок")
    expected_result = models.TextField("ожидаемый результат", blank=True)
    done_on = models.DateField("выполнено", null=True, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    scope_municipality_path = "plan__pair__organization__municipality"
    scope_organization_path = "plan__pair__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "пункт плана"
        verbose_name_plural = "пункты плана"
        ordering = ["plan", "deadline", "order", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse_pk("mentorship:pair_detail", self.plan.pair_id) + "#plan"

    @property
    def done(self) -> bool:
        return self.done_on is not None


class MeetingKind(models.TextChoices):
    """Seed 001, roadmap item 3.6: встреча-знакомство, пробная встреча, встреча-планирование,
    «комплекс последовательных встреч» (рабочие), итоговая встреча."""

    ACQUAINTANCE = "acquaintance", "Встреча-знакомство"
    TRIAL = "trial", "Пробная встреча"
    PLANNING = "planning", "Встреча-планирование"
    WORKING = "working", "Рабочая встреча"
    FINAL = "final", "Итоговая встреча"


class Meeting(models.Model):
    """A meeting of a pair; a working meeting carries the mentee's feedback (seed 001, 3.6:
    «с обязательной обратной связью от наставляемых»)."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="meetings", verbose_name="пара")
    kind = models.CharField("вид встречи", max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("дата")
    topic = models.CharField("тема", max_length=300)
    notes = models.TextField("содержание", blank=True)
    feedback = models.TextField("обратная связь наставляемого", blank=True)

    scope_municipality_path = "pair__organization__municipality"
    scope_organization_path = "pair__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "встреча"
        verbose_name_plural = "встречи"
        ordering = ["pair", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse_pk("mentorship:pair_detail", self.pair_id) + "#meetings"


class MonthlyReport(models.Model):
    """The mentor's monthly report to the curator: Положение §5.2 «не реже 1 раза в месяц
    докладывать куратору и руководителю о результатах»."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="monthly_reports", verbose_name="пара")
    month = models.DateField("месяц", help_text="Первое число месяца, за который отчёт.")
    submitted_on = models.DateField("дата отчёта", default=timezone.localdate)
    text = models.TextField("результаты за месяц")

    scope_municipality_path = "pair__organization__municipality"
    scope_organization_path = "pair__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "ежемесячный отчёт наставника"
        verbose_name_plural = "ежемесячные отчёты наставников"
        ordering = ["pair", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "month"],
                name="monthly_report_once",
                violation_error_message="Отчёт за этот месяц уже есть: откройте его и измените.",
            )
        ]

    def __str__(self) -> str:
        return f"Отчёт за {self.month:%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse_pk("mentorship:pair_detail", self.pair_id) + "#reports"


class MentorReport(models.Model):
    """The mentor's completion report on the individual plan (§3.12), approved by the director
    (§4.1 «утверждает отчет о выполнении индивидуального плана»)."""

    pair = models.OneToOneField(Pair, on_delete=models.CASCADE, related_name="mentor_report", verbose_name="пара")
    submitted_on = models.DateField("дата отчёта", default=timezone.localdate)
    plan_fulfilment = models.TextField("выполнение индивидуального плана")
    results = models.TextField("достигнутые результаты (п. 3.14)", blank=True)
    approved_on = models.DateField("утверждён руководителем", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="утвердил",
    )

    scope_municipality_path = "pair__organization__municipality"
    scope_organization_path = "pair__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "отчёт наставника о выполнении плана"
        verbose_name_plural = "отчёты наставников о выполнении плана"

    def __str__(self) -> str:
        return f"Отчёт наставника, пара № {self.pair_id}"

    def get_absolute_url(self) -> str:
        return reverse_pk("mentorship:pair_detail", self.pair_id) + "#reports"


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class MenteeReport(models.Model):
    """A mentee's report on the process with the rating of the mentor (§3.13 «включая оценку
    деятельности наставника»): 1 to 5 on four criteria and a comment."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="mentee_reports", verbose_name="пара")
    mentee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="наставляемый")
    submitted_on = models.DateField("дата отчёта", default=timezone.localdate)
    text = models.TextField("о процессе наставничества")
    rating_competence = models.PositiveSmallIntegerField("компетентность наставника", validators=RATING)
    rating_availability = models.PositiveSmallIntegerField("доступность и внимание", validators=RATING)
    rating_usefulness = models.PositiveSmallIntegerField("польза встреч", validators=RATING)
    rating_overall = models.PositiveSmallIntegerField("общая оценка", validators=RATING)
    comment = models.TextField("комментарий", blank=True)

    scope_municipality_path = "pair__organization__municipality"
    scope_organization_path = "pair__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "отчёт наставляемого"
        verbose_name_plural = "отчёты наставляемых"
        ordering = ["pair", "mentee"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "mentee"],
                name="mentee_report_once",
                violation_error_message="Отчёт этого наставляемого уже есть: откройте его и измените.",
            )
        ]

    def __str__(self) -> str:
        return f"Отчёт наставляемого {self.mentee.short_name}"

    def get_absolute_url(self) -> str:
        return reverse_pk("mentorship:pair_detail", self.pair_id) + "#reports"

    @property
    def average(self) -> float:
        scores = (self.rating_competence, self.rating_availability, self.rating_usefulness, self.rating_overall)
        return round(sum(scores) / len(scores), 1)


class RecognitionKind(models.TextChoices):
    """Положение §3.15 and seed 000 §4 (roadmap 4.1, 4.5): the mentor's rewards and nominations."""

    GRATITUDE = "gratitude", "Благодарность"
    CERTIFICATE = "certificate", "Почётная грамота"
    GIFT = "gift", "Ценный подарок"
    BONUS = "bonus", "Материальное поощрение"
    NOMINATION = "nomination", "Выдвижение на конкурс"


class RecognitionLevel(models.TextChoices):
    ORGANIZATION = "organization", "Организации"
    MUNICIPALITY = "municipality", "Муниципальный"
    REGION = "region", "Региональный"


class Recognition(models.Model):
    """A reward or a contest nomination of a mentor («Лучший педагог-наставник»), with its grounds."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="recognitions", verbose_name="наставник")
    pair = models.ForeignKey(
        Pair, on_delete=models.SET_NULL, null=True, blank=True, related_name="recognitions", verbose_name="за пару"
    )
    kind = models.CharField("вид", max_length=20, choices=RecognitionKind.choices)
    level = models.CharField(
        "уровень", max_length=20, choices=RecognitionLevel.choices, default=RecognitionLevel.ORGANIZATION
    )
    title = models.CharField(
        "наименование", max_length=300, blank=True, help_text="Например: конкурс «Лучший педагог-наставник»."
    )
    awarded_on = models.DateField("дата")
    grounds = models.TextField("основание")

    scope_municipality_path = "person__organization__municipality"
    scope_organization_path = "person__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "поощрение наставника"
        verbose_name_plural = "поощрения наставников"
        ordering = ["-awarded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person.short_name}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()


def practice_file_path(instance: PracticeFile, filename: str) -> str:
    return f"practices/{instance.practice.municipality_id}/{instance.practice_id}/{filename}"


class Practice(models.Model):
    """A practice of the municipality's bank of best practices (seed 000 §4, roadmap 4.3
    «Формирование банка успешных практик (кейсов)»), with the pairs it comes from. The whole
    municipality reads it; its organization's curator and the coordinator change it."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="practices", verbose_name="муниципалитет"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name="организация",
    )
    title = models.CharField("название", max_length=300)
    description = models.TextField("описание")
    form = models.ForeignKey(
        MentorshipForm, on_delete=models.PROTECT, null=True, blank=True, related_name="practices", verbose_name="форма"
    )
    pairs = models.ManyToManyField(Pair, related_name="practices", blank=True, verbose_name="пары")
    created_at = models.DateTimeField("добавлена", auto_now_add=True)

    scope_municipality_path = "municipality"
    scope_organization_path = "organization"
    scope_members_see_municipality = True
    audit_exclude = ("created_at",)

    objects = ScopedManager()

    class Meta:
        verbose_name = "практика"
        verbose_name_plural = "банк практик"
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_pk("mentorship:practice_detail", self.pk)


class PracticeFile(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="files", verbose_name="практика")
    title = models.CharField("название", max_length=300, blank=True)
    file = models.FileField("файл", upload_to=practice_file_path, max_length=300)

    scope_municipality_path = "practice__municipality"
    scope_organization_path = "practice__organization"
    scope_members_see_municipality = True

    objects = ScopedManager()

    class Meta:
        verbose_name = "файл практики"
        verbose_name_plural = "файлы практик"
        ordering = ["practice", "pk"]

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]

    def get_absolute_url(self) -> str:
        return self.practice.get_absolute_url()
