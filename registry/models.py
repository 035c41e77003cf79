"""Organizations and people: the registry every other part of the portal stands on."""

from __future__ import annotations

import datetime
import re
import string
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from core.db import RU_COLLATION, Fold
from core.declension import initials_before
from core.documents import document_date
from core.reversing import reverse_pk
from core.russian import typeset
from core.scoping import ScopedManager, ScopedQuerySet
from registry.choices import (
    ADULT_AGE,
    MENTOR_MAX_MENTEES,
    NEW_EMPLOYEE_MAX_YEARS,
    ORDER_NUMBER_DEFAULT,
    YOUNG_SPECIALIST_MAX_YEARS,
    ConsentKind,
    DateStyle,
    FormCode,
    MenteePortrait,
    OrderKind,
    OrganizationKind,
    PersonCategory,
    Sex,
)

digits = RegexValidator(r"^\d*$", "Только цифры.")


def full_years(since: datetime.date | None, on: datetime.date) -> int | None:
    """Whole years from `since` to `on` (an age or a length of service)."""
    if since is None:
        return None
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def years_ago(years: int, on: datetime.date) -> datetime.date:
    """The date `years` full years before `on` (29 February falls back to the 28th)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


#: The placeholders an order's number may hold: the running number and the year.
ORDER_NUMBER_FIELDS = {"n", "year"}
#: Two to five words of letters (a hyphen or an apostrophe inside), each of two letters at least:
#: «Гаврилова Светлана Владимировна», «Алиев Руслан Эльдар оглы»; not «Гаврилова С. В.».
_FULL_NAME = re.compile(r"^(?:[^\W\d_]{2,}(?:[-'’][^\W\d_]+)*)(?: [^\W\d_]{2,}(?:[-'’][^\W\d_]+)*){1,4}$")
FULL_NAME_HELP = (
    "Полностью: Фамилия Имя Отчество, например «Гаврилова Светлана Владимировна». В документах — «С. В. Гаврилова»."
)


def validate_order_number_pattern(value: str) -> None:
    """An order's number pattern: «{n}» (the running number) is required, «{year}» allowed, the
    rest is printed as it is: «{n}-о» gives seed 000's «122-о», «{n}-ОД» a school's «15-ОД»."""
    try:
        parsed = [(name, spec, conversion) for _text, name, spec, conversion in string.Formatter().parse(value)]
    except ValueError:
        raise ValidationError(
            "Шаблон номера не разобрать: фигурные скобки бывают только в «{n}» и «{year}».", code="pattern"
        ) from None
    fields = [(name, spec, conversion) for name, spec, conversion in parsed if name is not None]
    wrong = [name for name, spec, conversion in fields if name not in ORDER_NUMBER_FIELDS or spec or conversion]
    if wrong:
        shown = ", ".join(f"«{{{name}}}»" for name in dict.fromkeys(wrong))
        raise ValidationError(
            f"В шаблоне номера неизвестная подстановка {shown}: можно только «{{n}}» — номер и «{{year}}» — год.",
            code="pattern",
        )
    if not any(name == "n" for name, _spec, _conversion in fields):
        raise ValidationError(
            "В шаблоне номера нет «{n}» — места для порядкового номера приказа. Например: «{n}-о».",
            code="pattern",
        )


def signature_name(full_name: str) -> str:
    """«Гаврилова Светлана Владимировна» → «С.\xa0В.\xa0Гаврилова», as under a signature (ГОСТ Р
    7.0.97; seed 004 «И.А. Кузюкова»); a name given as one word stays as it is."""
    parts = (full_name or "").split()
    if len(parts) < 2:
        return " ".join(parts)
    return initials_before(parts[0], parts[1], " ".join(parts[2:]))


def validate_full_name(value: str) -> None:
    """A signatory's name as documents need it: «Фамилия Имя Отчество» in full, so that an order
    prints «С. В. Гаврилова» under the text and «Гавриловой С. В.» in it; initials cannot be
    unfolded back into a name."""
    if value and not _FULL_NAME.match(" ".join(value.split())):
        raise ValidationError(
            "Укажите ФИО полностью, без инициалов: Фамилия Имя Отчество (например, «Гаврилова Светлана Владимировна»).",
            code="full_name",
        )


class DocumentRequisites(models.Model):
    """What an issuing body prints on its orders besides its name: the place of issue, the style of
    the date and the pattern of the number (seed 000: г. Назарово, «26» мая 2020 г., № 122\\1-о;
    seed 004: 17.02.2023). Issue 10: edited in the portal by the coordinator and the curator."""

    place = models.CharField(
        "место издания", max_length=100, blank=True, help_text="Как под шапкой приказа: «г. Назарово»."
    )
    date_style = models.CharField(
        "дата в документах", max_length=10, choices=DateStyle.choices, default=DateStyle.WORDS
    )
    order_number_pattern = models.CharField(
        "шаблон номера приказа",
        max_length=50,
        default=ORDER_NUMBER_DEFAULT,
        validators=[validate_order_number_pattern],
        help_text="«{n}» — порядковый номер в году (обязательно), «{year}» — год. Например: «{n}-о» даёт «122-о».",
    )

    #: What the act is called in its header (ПРИКАЗ or РАСПОРЯЖЕНИЕ).
    order_kind: str = OrderKind.ORDER

    class Meta:
        abstract = True

    def format_order_date(self, day: datetime.date) -> str:
        """The date as this body prints it: «26» мая 2020 г. or 17.02.2023 (core.documents)."""
        return document_date(day, self.date_style or DateStyle.WORDS)

    def format_order_number(self, number: int, year: int) -> str:
        """The number of the body's `number`-th order of `year` by its pattern («{n}-о» → «122-о»)."""
        return (self.order_number_pattern or ORDER_NUMBER_DEFAULT).format(n=number, year=year)

    @property
    def order_kind_label(self) -> str:
        return OrderKind(self.order_kind).label


class Municipality(DocumentRequisites):
    """A municipality and its education authority, with the requisites of its letterhead (seed 003)."""

    name = models.CharField("муниципальное образование", max_length=200, unique=True, db_collation=RU_COLLATION)
    region = models.CharField("субъект РФ", max_length=200)
    authority_name = models.CharField(
        "полное наименование органа управления образованием",
        max_length=500,
        help_text="Как в шапке приказа: «Управление образования администрации г. Назарово».",
    )
    address = models.CharField("адрес", max_length=300, blank=True)
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    okpo = models.CharField("ОКПО", max_length=10, blank=True, validators=[digits])
    ogrn = models.CharField("ОГРН", max_length=15, blank=True, validators=[digits])
    inn = models.CharField("ИНН", max_length=12, blank=True, validators=[digits])
    kpp = models.CharField("КПП", max_length=9, blank=True, validators=[digits])
    head_name = models.CharField(
        "руководитель органа управления (ФИО)",
        max_length=200,
        blank=True,
        validators=[validate_full_name],
        help_text=FULL_NAME_HELP,
    )
    head_position = models.CharField(
        "должность руководителя",
        max_length=200,
        blank=True,
        help_text="Как в подписи приказа: «Начальник управления образования».",
    )
    order_kind = models.CharField(
        "вид распорядительного акта", max_length=20, choices=OrderKind.choices, default=OrderKind.ORDER
    )

    scope_municipality_path = "pk"
    scope_organization_path = None
    scope_members_see_municipality = True

    objects = ScopedManager()

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_pk("registry:municipality_detail", self.pk)

    @property
    def signatory(self) -> str:
        """«Начальник управления образования И.\xa0А.\xa0Кузюкова» (seed 004's signature)."""
        return " ".join(part for part in (self.head_position, signature_name(self.head_name)) if part)


class Organization(DocumentRequisites):
    """An organization of the municipality: a school (ОО), a college, a partner enterprise …"""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organizations", verbose_name="муниципалитет"
    )
    kind = models.CharField("тип", max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.SCHOOL)
    full_name = models.CharField("полное наименование", max_length=500, db_collation=RU_COLLATION)
    short_name = models.CharField(
        "краткое наименование", max_length=200, help_text="Например: МБОУ «ЦО № 21».", db_collation=RU_COLLATION
    )
    director_name = models.CharField(
        "руководитель (ФИО)", max_length=200, blank=True, validators=[validate_full_name], help_text=FULL_NAME_HELP
    )
    director_position = models.CharField("должность руководителя", max_length=200, blank=True, default="Директор")
    address = models.CharField("адрес", max_length=300, blank=True)
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    inn = models.CharField("ИНН", max_length=12, blank=True, validators=[digits])

    scope_municipality_path = "municipality"
    scope_organization_path = "pk"

    objects = ScopedManager()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                "municipality",
                Fold("short_name"),
                name="organization_short_name_folded_unique",
                violation_error_message="Организация с таким кратким наименованием уже есть в муниципалитете.",
            )
        ]

    def __str__(self) -> str:
        return typeset(self.short_name)

    def get_absolute_url(self) -> str:
        return reverse_pk("registry:organization_detail", self.pk)

    @property
    def is_partner(self) -> bool:
        return self.kind == OrganizationKind.PARTNER

    @property
    def signatory(self) -> str:
        """«Директор С.\xa0В.\xa0Гаврилова»: the position and the name under a school's order."""
        return " ".join(part for part in (self.director_position, signature_name(self.director_name)) if part)


def academic_year_label(year_start: int) -> str:
    return f"{year_start}/{year_start + 1}"


class Contingent(models.Model):
    """An organization's contingent in one academic year: the denominators of every share.

    Seed 003's coverage form counts students aged 10–18 (mentees), 15–18 (mentors) and young
    teachers with 0–3 years of experience; the shares need how many there are in all.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contingents", verbose_name="организация"
    )
    year_start = models.PositiveSmallIntegerField(
        "учебный год (начало)",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="Первый год учебного года: 2024 для 2024/2025.",
    )
    students_10_18 = models.PositiveIntegerField("обучающихся 10–18 лет", default=0)
    students_15_18 = models.PositiveIntegerField("обучающихся 15–18 лет", default=0)
    young_teachers = models.PositiveIntegerField("педагогов со стажем 0–3 года", default=0)

    scope_municipality_path = "organization__municipality"
    scope_organization_path = "organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "контингент"
        verbose_name_plural = "контингент по учебным годам"
        ordering = ["organization", "-year_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year_start"],
                name="contingent_year_unique",
                violation_error_message="Контингент организации на этот учебный год уже внесён: измените его.",
            ),
            models.CheckConstraint(
                condition=models.Q(students_15_18__lte=models.F("students_10_18")),
                name="contingent_15_18_within_10_18",
                violation_error_message="Обучающихся 15–18 лет не может быть больше, чем 10–18 лет.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}, {self.academic_year}"

    @property
    def academic_year(self) -> str:
        return academic_year_label(self.year_start)


class MentorLevel(models.Model):
    """The level of a mentor (seed 002: наставник-специалист, старший, ведущий); configurable."""

    name = models.CharField("уровень", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "уровень наставника"
        verbose_name_plural = "уровни наставников"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RequestTopic(models.Model):
    """A topic of a mentee's request and of a mentor's competence (seed 004 item 2)."""

    name = models.CharField("тема", max_length=200, unique=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "тема запроса"
        verbose_name_plural = "темы запросов"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class MentorshipForm(models.Model):
    """A form of mentorship (форма наставничества), reference data: seed 003 names four, seed 001
    §3 describes them with their participants.

    It lives in the registry, not in `mentorship`, because the bases of mentors and mentees
    (docs/product.md «The parts») already say which forms a person works in, and the registry is the
    floor the pairs stand on: apps import downward only."""

    code = models.CharField("код", max_length=40, choices=FormCode.choices, unique=True)
    name = models.CharField("название", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "форма наставничества"
        verbose_name_plural = "формы наставничества"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RoleModel(models.Model):
    """A role model within a form (ролевая модель, «вариация взаимодействия»): seed 001 §3.1.5,
    §3.2.5, §3.3.5."""

    form = models.ForeignKey(MentorshipForm, on_delete=models.CASCADE, related_name="role_models", verbose_name="форма")
    name = models.CharField("ролевая модель", max_length=200)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "ролевая модель"
        verbose_name_plural = "ролевые модели"
        ordering = ["form", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["form", "name"], name="role_model_unique")]

    def __str__(self) -> str:
        return f"{self.form}: {self.name}"


@dataclass(frozen=True)
class ConsentState:
    """Where a person stands with their consents (Положение §3.5; 152-ФЗ)."""

    #: A consent stands withdrawn: withdrawn, and no new one of that kind given since.
    withdrawn: bool
    #: Takes part in mentorship (is in a base), so needs the consents of `required_consent_kinds`.
    needs: bool
    #: Of the kinds their age requires, those without an active consent (in ConsentKind's order).
    missing_kinds: tuple[str, ...]

    @property
    def lacks(self) -> bool:
        return bool(self.missing_kinds)

    @property
    def missing(self) -> bool:
        """«Без нужных согласий»: needs consents and lacks one."""
        return self.needs and self.lacks

    @property
    def missing_labels(self) -> list[str]:
        return [str(ConsentKind(kind).label) for kind in self.missing_kinds]


class PersonQuerySet(ScopedQuerySet):
    def with_consent_state(self, on: datetime.date | None = None):
        from registry.selectors import annotate_consent_state

        return annotate_consent_state(self, on=on)


class Person(models.Model):
    """A person of the registry: a student, a teacher, a student of a college, an employer's person.

    Found again by name + birth date + organization: the same person is never entered twice.
    """

    last_name = models.CharField("фамилия", max_length=100, db_collation=RU_COLLATION)
    first_name = models.CharField("имя", max_length=100, db_collation=RU_COLLATION)
    middle_name = models.CharField("отчество", max_length=100, blank=True, db_collation=RU_COLLATION)
    sex = models.CharField("пол", max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField("дата рождения")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name="организация",
        db_index=False,  # covered by the (organization, category) index
    )
    category = models.CharField("категория", max_length=20, choices=PersonCategory.choices)
    class_name = models.CharField(
        "класс / группа", max_length=20, blank=True, help_text="Например: 7Б.", db_collation=RU_COLLATION
    )
    position = models.CharField("должность", max_length=200, blank=True)
    subjects = models.CharField("предметы", max_length=300, blank=True)
    teaching_since = models.DateField(
        "начало педагогической деятельности",
        null=True,
        blank=True,
        help_text="По этой дате считается стаж: «молодой специалист» — от 0 до 3 лет.",
    )
    employed_since = models.DateField(
        "работает в организации с",
        null=True,
        blank=True,
        help_text="Для педагога, пришедшего из другой организации: «новый на месте работы» — первый год.",
    )
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    notes = models.TextField("примечание", blank=True)
    created_at = models.DateTimeField("внесён", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    scope_municipality_path = "organization__municipality"
    scope_organization_path = "organization"
    audit_exclude = ("created_at", "updated_at")

    objects = ScopedManager.from_queryset(PersonQuerySet)()

    class Meta:
        verbose_name = "человек"
        verbose_name_plural = "люди"
        ordering = ["last_name", "first_name", "middle_name", "birth_date"]
        constraints = [
            # The identity of `registry.services.person_identity`: names with case and «ё» folded.
            models.UniqueConstraint(
                Fold("last_name"),
                Fold("first_name"),
                Fold("middle_name"),
                "birth_date",
                "organization",
                name="person_identity_folded_unique",
                violation_error_message="Такой человек уже есть в этой организации.",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "category"]),
            # The lists' order (Meta.ordering, in the Russian collation): a page of 25 is read from
            # the index instead of sorting everyone (the people list's query: 19 ms → 1.5 ms).
            models.Index(fields=["last_name", "first_name", "middle_name", "birth_date"], name="person_name_order"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse_pk("registry:person_detail", self.pk)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def short_name(self) -> str:
        """«Шестакова Т. В.»: surname and initials, as orders and reports print them."""
        initials = " ".join(f"{part[0]}." for part in (self.first_name, self.middle_name) if part)
        return f"{self.last_name} {initials}".strip()

    def age(self, on: datetime.date | None = None) -> int:
        return full_years(self.birth_date, on or timezone.localdate())

    def is_minor(self, on: datetime.date | None = None) -> bool:
        return self.age(on) < ADULT_AGE

    def experience_years(self, on: datetime.date | None = None) -> int | None:
        """Full years of teaching at `on`, or None when the start is unknown."""
        return full_years(self.teaching_since, on or timezone.localdate())

    def is_young_specialist(self, on: datetime.date | None = None) -> bool:
        years = self.experience_years(on)
        return years is not None and 0 <= years <= YOUNG_SPECIALIST_MAX_YEARS

    def is_new_employee(self, on: datetime.date | None = None) -> bool:
        """«Специалист, находящийся в процессе адаптации на новом месте работы» (seed 001 §3.2.4):
        in the organization for less than `NEW_EMPLOYEE_MAX_YEARS` full years."""
        years = full_years(self.employed_since, on or timezone.localdate())
        return years is not None and 0 <= years < NEW_EMPLOYEE_MAX_YEARS

    def required_consent_kinds(self, on: datetime.date | None = None) -> set[str]:
        """The written consent to mentoring for everyone (Положение §3.5); personal data:
        the person's own consent for an adult, a parent's for a minor."""
        if self.is_minor(on):
            return {ConsentKind.MENTORING, ConsentKind.PARENT}
        return {ConsentKind.MENTORING, ConsentKind.PERSONAL_DATA}

    def consent_state_on(self, on: datetime.date | None = None) -> ConsentState:
        """The person's consents as a list or a page shows them, from `self.consents.all()`
        (prefetch them) and the bases (select_related them): no query of its own.

        The Python twin of registry.selectors' conditions, which filter and count the same in SQL
        (`consent_withdrawn_condition`, `needs_consents_condition`, `lacks_consent_condition`);
        tests/registry/test_consent_state.py keeps the two equal case by case."""
        consents = list(self.consents.all())
        active = {consent.kind for consent in consents if consent.withdrawn_on is None}
        missing = self.required_consent_kinds(on) - active
        return ConsentState(
            withdrawn=any(c.withdrawn_on is not None and c.kind not in active for c in consents),
            needs=hasattr(self, "mentor_record") or hasattr(self, "mentee_record"),
            missing_kinds=tuple(kind for kind in ConsentKind.values if kind in missing),
        )

    @cached_property
    def consent_state(self) -> ConsentState:
        """`consent_state_on` today."""
        return self.consent_state_on()


class MentorRecord(models.Model):
    """A person's entry in the base of mentors (seed 000 item 5: «формирование базы наставников»)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="mentor_record", verbose_name="человек"
    )
    forms = models.ManyToManyField(
        MentorshipForm, related_name="mentor_records", verbose_name="формы наставничества", blank=True
    )
    topics = models.ManyToManyField(
        RequestTopic, related_name="mentor_records", verbose_name="может помочь с темами", blank=True
    )
    competencies = models.TextField("компетенции", blank=True)
    interests = models.TextField("интересы", blank=True)
    mentee_age_min = models.PositiveSmallIntegerField("возраст наставляемых: от", null=True, blank=True)
    mentee_age_max = models.PositiveSmallIntegerField("возраст наставляемых: до", null=True, blank=True)
    level = models.ForeignKey(
        MentorLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentor_records",
        verbose_name="уровень",
    )
    max_mentees = models.PositiveSmallIntegerField(
        "наставляемых одновременно не больше",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MENTOR_MAX_MENTEES)],
        help_text=(
            f"Устанавливает руководитель (Положение, п. 4.1); пусто — предел Положения, {MENTOR_MAX_MENTEES} (п. 3.4)."
        ),
    )
    is_trained = models.BooleanField("обучен", default=False)
    trained_on = models.DateField("дата обучения", null=True, blank=True)
    entered_on = models.DateField("дата включения в базу", default=timezone.localdate)
    notes = models.TextField("примечание", blank=True)

    scope_municipality_path = "person__organization__municipality"
    scope_organization_path = "person__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "запись в базе наставников"
        verbose_name_plural = "база наставников"
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mentee_age_min__isnull=True)
                | models.Q(mentee_age_max__isnull=True)
                | models.Q(mentee_age_min__lte=models.F("mentee_age_max")),
                name="mentor_age_range_ordered",
                violation_error_message="Возраст «от» не может быть больше возраста «до».",
            )
        ]

    def __str__(self) -> str:
        return f"Наставник: {self.person}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

    @property
    def capacity(self) -> int:
        """How many mentees the mentor may have at a time: §3.4's three, or the director's lower limit."""
        return min(self.max_mentees or MENTOR_MAX_MENTEES, MENTOR_MAX_MENTEES)


class MenteeRecord(models.Model):
    """A person's entry in the base of mentees, with their request (seed 002 item 3; seed 004 item 2)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="mentee_record", verbose_name="человек"
    )
    forms = models.ManyToManyField(
        MentorshipForm, related_name="mentee_records", verbose_name="формы наставничества", blank=True
    )
    requests = models.ManyToManyField(RequestTopic, related_name="mentee_records", verbose_name="запрос", blank=True)
    request_details = models.TextField("запрос подробнее", blank=True)
    portrait = models.CharField("портрет", max_length=10, choices=MenteePortrait.choices, blank=True)
    entered_on = models.DateField("дата включения в базу", default=timezone.localdate)
    notes = models.TextField("примечание", blank=True)

    scope_municipality_path = "person__organization__municipality"
    scope_organization_path = "person__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "запись в базе наставляемых"
        verbose_name_plural = "база наставляемых"
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self) -> str:
        return f"Наставляемый: {self.person}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()


def consent_scan_path(instance: Consent, filename: str) -> str:
    return f"consents/{instance.person.organization_id}/{instance.person_id}/{filename}"


class Consent(models.Model):
    """A consent given by a person (or, for a minor, by a parent): seed 001 §3.5; 152-ФЗ.

    A withdrawn consent keeps its record (the date of withdrawal says when); re-consenting is a
    new record. While a withdrawal stands, the person drops out of lists and exports.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents", verbose_name="человек")
    kind = models.CharField("вид согласия", max_length=20, choices=ConsentKind.choices)
    signed_on = models.DateField("дата подписания")
    representative_name = models.CharField(
        "ФИО родителя (законного представителя)",
        max_length=300,
        blank=True,
        help_text="Обязательно для согласия родителя.",
    )
    scan = models.FileField("скан", upload_to=consent_scan_path, blank=True, max_length=300)
    withdrawn_on = models.DateField("дата отзыва", null=True, blank=True)
    notes = models.TextField("примечание", blank=True)

    scope_municipality_path = "person__organization__municipality"
    scope_organization_path = "person__organization"

    objects = ScopedManager()

    class Meta:
        verbose_name = "согласие"
        verbose_name_plural = "согласия"
        ordering = ["person", "kind", "-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gte=models.F("signed_on")),
                name="consent_withdrawn_after_signed",
                violation_error_message="Согласие нельзя отозвать раньше, чем оно подписано.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


def current_academic_year_start(on: datetime.date | None = None) -> int:
    """The academic year runs from 1 September: in May 2025 it is 2024/2025."""
    on = on or timezone.localdate()
    return on.year if on.month >= 9 else on.year - 1
