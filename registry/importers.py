"""Imports of the registry: persons, and the bases of mentors and mentees.

The columns accept the headers of the base forms schools already keep («ФИО наставника»,
«Место работы/учёбы», «Контактные данные», «Форма наставничества» …). Rows are checked with
the rules of `registry.services` (`person_clean`, `person_identity`) and saved by its bulk
services, so an import cannot do what the person form would refuse.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from core.audit import diff, snapshot
from core.importing import (
    CellError,
    Column,
    FileRejected,
    Importer,
    Plan,
    choice,
    choice_lookup,
    header_key,
    parse_bool,
    parse_date,
    register_importer,
    split_list,
    text,
)
from core.russian import fold
from core.scoping import get_scope
from registry import services
from registry.choices import BaseRole, ConsentKind, MenteePortrait, PersonCategory, Sex
from registry.models import (
    Consent,
    MenteeRecord,
    MentorLevel,
    MentorRecord,
    MentorshipForm,
    Organization,
    Person,
    RequestTopic,
)

PROGRESS_EVERY = 500
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")

CATEGORY_LOOKUP = choice_lookup(
    PersonCategory.choices,
    ("student", "ученик"),
    ("student", "учащийся"),
    ("student", "школьник"),
    ("teacher", "учитель"),
    ("teacher", "педагогический работник"),
    ("teacher", "молодой специалист"),
    ("undergraduate", "студент СПО"),
    ("employer", "работодатель"),
    ("employer", "представитель предприятия"),
)
SEX_LOOKUP = choice_lookup(Sex.choices, ("m", "м"), ("m", "муж"), ("f", "ж"), ("f", "жен"))
PORTRAIT_LOOKUP = choice_lookup(MenteePortrait.choices, ("active", "активная"), ("passive", "пассивная"))

PERSON_COLUMNS = (
    Column(
        "full_name",
        "ФИО",
        required=True,
        aliases=(
            "Ф.И.О.",
            "ФИО наставника",
            "ФИО наставляемого",
            "ФИО участника",
            "Фамилия Имя Отчество",
            "Фамилия, имя, отчество",
        ),
        help="Фамилия, имя и отчество в одном столбце — или заполните вместо него столбцы «Фамилия», «Имя», «Отчество».",
        example=("Соколова Мария Андреевна", "Петров Илья Сергеевич"),
    ),
    Column("last_name", "Фамилия", help="Вместо столбца «ФИО».", in_template=False),
    Column("first_name", "Имя", help="Вместо столбца «ФИО».", in_template=False),
    Column("middle_name", "Отчество", help="Вместо столбца «ФИО»; может быть пустым.", in_template=False),
    Column(
        "birth_date",
        "Дата рождения",
        required=True,
        aliases=("Дата рожд.", "Д/р", "День рождения"),
        help="ДД.ММ.ГГГГ (или дата Excel). По ФИО, дате рождения и организации человек находится снова: повторно он не создаётся.",
        example=(datetime.date(2011, 3, 14), datetime.date(1990, 11, 2)),
    ),
    Column("sex", "Пол", help="м или ж.", allowed="м, ж, мужской, женский", example=("ж", "м")),
    Column(
        "category",
        "Категория",
        required=True,
        aliases=("Категория участника", "Статус"),
        help="Кто это в организации.",
        allowed="обучающийся (ученик), педагог (учитель), студент, представитель работодателя, выпускник",
        example=("обучающийся", "педагог"),
    ),
    Column(
        "class_name",
        "Класс",
        aliases=("Класс/группа", "Класс / группа", "Группа"),
        help="Только для обучающихся: 7Б.",
        example=("7Б", ""),
    ),
    Column("position", "Должность", help="Для педагогов и представителей работодателей.", example=("", "учитель")),
    Column(
        "subjects",
        "Предметы",
        aliases=("Предмет", "Преподаваемый предмет", "Преподаваемые предметы"),
        example=("", "математика"),
    ),
    Column(
        "teaching_since",
        "Начало педагогической деятельности",
        aliases=("Дата начала педагогической деятельности", "Педагогический стаж с", "Дата начала работы"),
        help="ДД.ММ.ГГГГ: по ней считается стаж молодого специалиста (0–3 года).",
        example=(None, datetime.date(2012, 9, 1)),
    ),
    Column("phone", "Телефон", aliases=("Тел.", "Номер телефона"), example=("", "+7 900 123-45-67")),
    Column(
        "email",
        "E-mail",
        aliases=("Email", "Эл. почта", "Электронная почта", "Адрес электронной почты"),
        example=("", "petrov@example.ru"),
    ),
    Column(
        "contacts",
        "Контактные данные",
        aliases=("Контакты",),
        help="Телефон и/или e-mail в одной ячейке (как в базах наставников): почта узнаётся по @, остальное — телефон.",
        in_template=False,
    ),
    Column(
        "organization",
        "Организация",
        aliases=(
            "Место работы/учёбы",
            "Место работы/учебы",
            "Место работы",
            "Место учёбы",
            "Место учебы",
            "ОО",
            "Образовательная организация",
            "Школа",
        ),
        help="Краткое наименование, как в портале: МБОУ «СОШ № 1». Пусто — организация, выбранная при загрузке.",
        example=("", ""),
    ),
    Column("notes", "Примечание", aliases=("Примечания", "Комментарий"), example=("", "")),
)
PERSON_FIELDS = (
    "last_name", "first_name", "middle_name", "birth_date", "sex", "category", "class_name", "position", "subjects",
    "teaching_since", "phone", "email", "notes",
)  # fmt: skip


PATRONYMIC = re.compile(r"(вич|вна|чна|ична|инична)$", re.IGNORECASE)
PATRONYMIC_PARTICLES = {"оглы", "кызы", "улы", "уулу", "гызы"}


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _is_first_name(word: str) -> bool:
    return any("Name" in parse.tag for parse in _morph().parse(word) if parse.score >= 0.3)


@lru_cache(maxsize=1)
def _person_validators() -> tuple[tuple[str, tuple], ...]:
    """(field, its validators) for the person fields that have any (lengths, e-mail), found once."""
    fields = ((name, tuple(Person._meta.get_field(name).validators)) for name in PERSON_FIELDS)
    return tuple((name, validators) for name, validators in fields if validators)


def split_full_name(value: str) -> tuple[str, str, str]:
    """«Соколова Мария Андреевна» → surname, name, patronymic; also «Кара Мурза Алексей
    Петрович», «Мамедов Рашид Ильхам оглы» and, without a patronymic, «Кара Мурза Алексей»
    (the first name is recognised by pymorphy3's dictionary of names)."""
    parts = value.split(" ")
    if len(parts) < 2:
        raise CellError(f"«{value}»: нужны хотя бы фамилия и имя через пробел.")
    if len(parts) == 2:
        return parts[0], parts[1], ""
    if parts[-1].casefold() in PATRONYMIC_PARTICLES and len(parts) >= 4:
        return " ".join(parts[:-3]), parts[-3], " ".join(parts[-2:])
    if PATRONYMIC.search(parts[-1]):
        return " ".join(parts[:-2]), parts[-2], parts[-1]
    names = [index for index in range(1, len(parts)) if _is_first_name(parts[index])]
    if names and names[-1] == len(parts) - 1:
        return " ".join(parts[:-1]), parts[-1], ""
    return parts[0], parts[1], " ".join(parts[2:])


def import_organizations(
    user, organization: Organization | None
) -> tuple[dict[int, Organization], Organization | None]:
    """The organizations `user` may import into ({id: organization}) and the organization of the
    import: the one chosen at the upload, refused whole when out of reach (house style, habit 3),
    or else the user's only one (a curator need not choose their school)."""
    scope = get_scope(user) if user is not None else None
    queryset = Organization.objects.all() if user is None else Organization.objects.for_user(user, write=True)
    writable = {org.pk: org for org in queryset.select_related("municipality")}
    if organization is not None and organization.pk not in writable:
        raise FileRejected(f"Загружать данные в «{organization}» вам нельзя: выберите свою организацию.")
    if organization is None and len(writable) == 1 and scope and not scope.is_superuser:
        organization = next(iter(writable.values()))
    return writable, organization


class PersonImporter(Importer):
    """Persons: students, teachers, students of colleges, employers' representatives."""

    kind = "persons"
    title = "Люди"
    columns = PERSON_COLUMNS
    required_sets = (("full_name", "birth_date", "category"), ("last_name", "first_name", "birth_date", "category"))
    notes = (
        "Строка заголовков — первая; пустые строки пропускаются; лишние столбцы не загружаются (о них будет сказано).",
        "Если человек уже есть в организации (то же ФИО и дата рождения), его данные обновятся; пустые ячейки ничего не стирают.",
        "Если в файле есть хоть одна ошибка, не сохраняется ничего: исправьте ошибки и загрузите файл снова.",
        "Файл: .xlsx или .csv (UTF-8 или Windows-1251, разделитель «;» или «,»).",
    )

    def __init__(self, *, user, organization=None):
        super().__init__(user=user, organization=organization)
        self.today = timezone.localdate()
        self._load_organizations()

    # Organizations ------------------------------------------------------------------------

    def _load_organizations(self) -> None:
        self.writable, self.organization = import_organizations(self.user, self.organization)
        self.org_by_name = {}
        for org in self.writable.values():
            self.org_by_name[header_key(org.short_name)] = org
            self.org_by_name[header_key(org.full_name)] = org
        # Names of organizations that exist but are not the user's: a file naming them is refused whole.
        self.foreign_names = {
            header_key(name): name
            for pair in Organization.objects.exclude(pk__in=self.writable).values_list("short_name", "full_name")
            for name in pair
        }

    def resolve_organization(self, value, plan: Plan, number: int, title: str) -> Organization | None:
        raw = text(value)
        if raw == "":
            if self.organization is None:
                plan.reject(
                    number,
                    title or "Организация",
                    "Не указана организация: заполните столбец или выберите организацию при загрузке.",
                )
            return self.organization
        org = self.org_by_name.get(header_key(raw))
        if org is not None:
            return org
        if header_key(raw) in self.foreign_names:
            raise FileRejected(
                f"Строка {number}: организация «{raw}» вам недоступна. Файл не загружен: "
                "загружайте данные только своей организации."
            )
        plan.reject(number, title, f"Организация «{raw}» не найдена. Напишите её краткое наименование, как в портале.")
        return None

    # Existing persons -------------------------------------------------------------------

    def load_persons(self) -> None:
        """Everyone the user may change, by identity; everyone in reach by name and birth date."""
        self.by_identity: dict[tuple, Person] = {}
        self.by_name: dict[tuple, list[Person]] = {}
        visible = Person.objects.all() if self.user is None else Person.objects.for_user(self.user)
        organizations = {org.pk: org for org in Organization.objects.filter(pk__in=visible.values("organization"))}
        for person in visible.iterator(chunk_size=5000):
            person.organization = organizations[person.organization_id]
            key = services.person_identity(
                person.last_name, person.first_name, person.middle_name, person.birth_date, person.organization_id
            )
            if person.organization_id in self.writable:
                self.by_identity[key] = person
            self.by_name.setdefault(key[:3], []).append(person)

    # Rows -------------------------------------------------------------------------------

    def check(self, rows: Iterator, plan: Plan, progress: Callable[[int], None]) -> None:
        self.load_persons()
        plan.payload = self.start_payload()
        seen: dict[tuple, int] = {}
        for number, raw, titles in rows:
            plan.rows_read += 1
            if plan.rows_read % PROGRESS_EVERY == 0:
                progress(plan.rows_read)
            person, fields = self.person_from_row(number, raw, titles, plan, seen)
            if person is not None:
                self.after_person(number, raw, titles, plan, person, fields)
        progress(plan.rows_read)

    def start_payload(self) -> dict:
        return {"creates": [], "updates": [], "update_fields": set()}

    def person_from_row(self, number, raw, titles, plan: Plan, seen: dict) -> tuple[Person | None, set[str]]:
        """Parse the person part of a row; match it; count it as new, updated or unchanged."""
        errors_before = len(plan.errors)
        values: dict[str, Any] = {}

        def take(key, parse):
            if key not in raw:
                return
            try:
                values[key] = parse(raw[key])
            except CellError as error:
                plan.reject(number, titles[key], error.message)

        if "full_name" in raw:
            full = text(raw["full_name"])
            if full == "":
                plan.reject(number, titles["full_name"], "Не указаны фамилия и имя.")
            else:
                try:
                    values["last_name"], values["first_name"], values["middle_name"] = split_full_name(full)
                except CellError as error:
                    plan.reject(number, titles["full_name"], error.message)
        else:
            for key in ("last_name", "first_name", "middle_name"):
                take(key, text)
            for key in ("last_name", "first_name"):
                if key in raw and not values.get(key):
                    plan.reject(number, titles[key], "Не заполнено: без фамилии и имени человека не найти.")
        take("birth_date", parse_date)
        take("sex", lambda v: choice(v, SEX_LOOKUP, "м, ж"))
        take(
            "category",
            lambda v: choice(
                v, CATEGORY_LOOKUP, "обучающийся, педагог, студент, представитель работодателя, выпускник"
            ),
        )
        for key in ("class_name", "position", "subjects", "phone", "email", "notes"):
            take(key, text)
        take("teaching_since", parse_date)
        if "contacts" in raw:
            contacts = text(raw["contacts"])
            email = EMAIL.search(contacts)
            if email and not values.get("email"):
                values["email"] = email.group(0)
            rest = EMAIL.sub("", contacts).strip(" ,;")
            if rest and not values.get("phone"):
                values["phone"] = rest
        organization = self.resolve_organization(raw.get("organization"), plan, number, titles.get("organization", ""))
        if len(plan.errors) > errors_before or organization is None:
            return None, set()

        birth_date = values.get("birth_date")
        key = services.person_identity(
            values["last_name"], values["first_name"], values.get("middle_name", ""), birth_date, organization.pk
        )
        existing = self.find_existing(key, number, titles, plan)
        if existing is False:
            return None, set()
        if key in seen or (existing is not None and ("existing", existing.pk) in seen):
            first = seen.get(key) or seen.get(("existing", existing.pk))
            plan.reject(
                number, "", f"Повторяет строку {first}: один и тот же человек записан дважды. Удалите одну из строк."
            )
            return None, set()
        seen[key] = number
        if existing is not None:
            seen[("existing", existing.pk)] = number
        person = existing if existing is not None else Person(organization=organization)
        if existing is None:
            if birth_date is None:
                title = titles.get("birth_date") or "Дата рождения"
                plan.reject(number, title, "Человека нет в реестре: чтобы добавить его, укажите дату рождения.")
                return None, set()
            if not values.get("category"):
                title = titles.get("category") or "Категория"
                plan.reject(number, title, "Человека нет в реестре: чтобы добавить его, укажите категорию.")
                return None, set()
        original = {field: getattr(person, field) for field in PERSON_FIELDS}
        for field in PERSON_FIELDS:
            value = values.get(field)
            if value not in (None, ""):  # an empty cell never erases what the registry holds
                setattr(person, field, value)
        if not self.clean_person(person, number, titles, plan):
            return None, set()
        # Compared after cleaning, which normalises «иванов» back to the stored «Иванов».
        changed = {field for field in PERSON_FIELDS if getattr(person, field) != original[field]}
        # The "before" of the journal, made only for a person who changes (most re-imported rows don't).
        before = snapshot(Person(organization=person.organization, **original)) if existing and changed else None
        self.count_person(plan, person, existing, before, changed)
        return person, changed

    def find_existing(self, key: tuple, number: int, titles: dict, plan: Plan):
        """The registered person this row names: None when new, False when the row is rejected."""
        if key[3] is not None:
            existing = self.by_identity.get(key)
            if existing is not None:
                return existing
        same_name = [p for p in self.by_name.get(key[:3], []) if key[3] is None or p.birth_date == key[3]]
        elsewhere = [p for p in same_name if p.organization_id != key[4]]
        here = [p for p in same_name if p.organization_id == key[4]]
        if key[3] is None and len(here) == 1:
            return here[0]
        if key[3] is None and len(here) > 1:
            plan.reject(
                number,
                titles.get("birth_date") or titles.get("full_name") or titles.get("last_name", ""),
                "В организации несколько человек с таким ФИО: укажите дату рождения.",
            )
            return False
        if elsewhere and not here:
            other = elsewhere[0]
            plan.reject(
                number,
                titles.get("full_name") or titles.get("last_name", ""),
                f"{other.full_name}, {date_format(other.birth_date, 'd.m.Y')}, уже есть в реестре: {other.organization} "
                f"(запись № {other.pk}). Если человек перешёл в вашу организацию, измените организацию в его карточке.",
            )
            return False
        return None

    def clean_person(self, person: Person, number: int, titles: dict, plan: Plan) -> bool:
        """`services.person_clean` and the fields' own validators (lengths, e-mail)."""
        errors: dict[str, list[str]] = {}
        try:
            services.person_clean(person, today=self.today)
        except ValidationError as error:
            errors = error.message_dict
        for field, validators in _person_validators():
            value = getattr(person, field)
            if value not in (None, "") and field not in errors:
                try:
                    for validate in validators:
                        validate(value)
                except ValidationError as error:
                    errors[field] = error.messages
        for field, messages in errors.items():
            title = titles.get(field) or titles.get("full_name") or ""
            if not title and field != "__all__":
                title = str(person._meta.get_field(field).verbose_name).capitalize()
            for message in messages:
                plan.reject(number, title, message)
        return not errors

    def count_person(self, plan: Plan, person: Person, existing, before, changed) -> None:
        if existing is None:
            plan.new += 1
            plan.payload["creates"].append(person)
        elif changed:
            plan.updated += 1
            plan.payload["updates"].append((person, diff(before, snapshot(person))))
            plan.payload["update_fields"] |= changed
        else:
            plan.unchanged += 1

    def after_person(self, number, raw, titles, plan, person, fields) -> None:
        """Hook for imports that add something to the person (a record in a base)."""

    def save(self, plan: Plan) -> None:
        services.persons_bulk_save(
            creates=plan.payload["creates"],
            updates=plan.payload["updates"],
            update_fields=sorted(plan.payload["update_fields"]),
            user=self.user,
        )


# The bases of mentors and mentees --------------------------------------------------------

FORMS_COLUMN = Column(
    "forms",
    "Форма наставничества",
    aliases=("Формы наставничества", "Форма", "Формы"),
    help="Одна или несколько через «;».",
    allowed="Ученик – ученик; Учитель – учитель; Студент – ученик; Работодатель – ученик; Работодатель – студент; Студент – студент",
    example=("Ученик – ученик", "Учитель – учитель"),
)
ENTERED_COLUMN = Column(
    "entered_on",
    "Дата включения в базу",
    aliases=("Дата вхождения в базу", "Дата включения"),
    help="ДД.ММ.ГГГГ; пусто — сегодня (для новых записей).",
    example=(datetime.date(2025, 9, 1), datetime.date(2025, 9, 1)),
)
RECORD_PERSON_COLUMNS = tuple(
    Column(c.key, c.header, c.aliases, False, c.help, c.allowed, c.example)
    if c.key in ("birth_date", "category")
    else c
    for c in PERSON_COLUMNS
)


class RecordImporter(PersonImporter):
    """A base of mentors or mentees: each row names a person (registered, or added with the
    row's birth date and category) and their entry in the base."""

    model: type = MentorRecord
    role: str = BaseRole.MENTOR
    record_columns: tuple[Column, ...] = ()
    record_fields: tuple[str, ...] = ()
    m2m_fields: tuple[str, ...] = ()
    required_sets = (("full_name",), ("last_name", "first_name"))

    def __init__(self, *, user, organization=None):
        super().__init__(user=user, organization=organization)
        self.forms = choice_lookup([(f, f.name) for f in MentorshipForm.objects.all()])
        self.topics = {header_key(t.name): t for t in RequestTopic.objects.all()}

    @property
    def columns(self):
        return RECORD_PERSON_COLUMNS + self.record_columns

    def check(self, rows, plan, progress):
        from registry.selectors import withdrawn_persons

        self.withdrawn = set(withdrawn_persons().filter(organization__in=self.writable).values_list("pk", flat=True))
        self.records = {
            r.person_id: r
            for r in self.model.objects.filter(person__organization__in=self.writable).prefetch_related(
                *self.m2m_fields
            )
        }
        super().check(rows, plan, progress)

    def start_payload(self) -> dict:
        return {**super().start_payload(), "record_creates": [], "record_updates": [], "record_update_fields": set()}

    def count_person(self, plan, person, existing, before, changed) -> None:
        # The summary counts records in the base; the persons added or changed go along.
        if existing is None:
            plan.payload["creates"].append(person)
        elif changed:
            plan.payload["updates"].append((person, diff(before, snapshot(person))))
            plan.payload["update_fields"] |= changed

    def parse_record(self, number, raw, titles, plan) -> dict[str, Any] | None:
        raise NotImplementedError

    def clean_record(self, record) -> None:
        """The record's own rule of the services (none for mentees)."""

    def forms_of(self, value, number, title, plan) -> list[MentorshipForm]:
        forms = []
        for item in split_list(value):
            form = self.forms.get(header_key(item))
            if form is None:
                plan.reject(
                    number, title, f"Неизвестная форма наставничества «{item}». Допустимо: {FORMS_COLUMN.allowed}."
                )
            else:
                forms.append(form)
        return forms

    def after_person(self, number, raw, titles, plan, person, fields) -> None:
        if person.pk in self.withdrawn:
            plan.reject(
                number,
                titles.get("full_name") or titles.get("last_name", ""),
                f"{person.full_name} отозвал(а) согласие: включить в базу нельзя, пока не получено новое согласие.",
            )
            return
        errors_before = len(plan.errors)
        values = self.parse_record(number, raw, titles, plan)
        for form in (values or {}).get("forms", ()):
            # The rule of the services' record_forms_validate, row by row.
            refusal = services.form_refusal(person=person, role=self.role, form=form, on=self.today)
            if refusal:
                plan.reject(number, titles["forms"], refusal)
        if values is None or len(plan.errors) > errors_before:
            return
        record = self.records.get(person.pk) if person.pk else None
        m2m = {name: values.pop(name) for name in self.m2m_fields if name in values}
        if record is None:
            record = self.model(person=person, **{k: v for k, v in values.items() if v not in (None, "")})
            if record.entered_on is None:
                record.entered_on = datetime.date.today()
            self.clean_record(record)
            plan.new += 1
            plan.payload["record_creates"].append((record, m2m))
            return
        m2m_labels = {
            str(self.model._meta.get_field(n).verbose_name): sorted(map(str, getattr(record, n).all())) for n in m2m
        }
        before = snapshot(record, m2m=m2m_labels)
        original = {field: getattr(record, field) for field in values}
        for field, value in values.items():
            if value not in (None, ""):
                setattr(record, field, value)
        self.clean_record(record)
        changed = {field for field in values if getattr(record, field) != original[field]}
        m2m_changed = {n: v for n, v in m2m.items() if v and set(v) != set(getattr(record, n).all())}
        after_m2m = {
            str(self.model._meta.get_field(n).verbose_name): sorted(
                map(str, m2m_changed.get(n) or getattr(record, n).all())
            )
            for n in m2m
        }
        if changed or m2m_changed:
            plan.updated += 1
            plan.payload["record_updates"].append((record, m2m_changed, diff(before, snapshot(record, m2m=after_m2m))))
            plan.payload["record_update_fields"] |= changed
        else:
            plan.unchanged += 1

    def save(self, plan: Plan) -> None:
        super().save(plan)  # persons first: new records need their ids
        for record, _ in plan.payload["record_creates"]:
            record.person_id = record.person.pk
        services.records_bulk_save(
            model=self.model,
            creates=plan.payload["record_creates"],
            updates=plan.payload["record_updates"],
            update_fields=sorted(plan.payload["record_update_fields"]) or ["entered_on"],
            user=self.user,
        )


def _age_range(value) -> tuple[int | None, int | None]:
    raw = text(value)
    if raw == "":
        return None, None
    numbers = [int(n) for n in re.findall(r"\d+", raw)]
    if len(numbers) == 1:
        return numbers[0], numbers[0]
    if len(numbers) == 2 and numbers[0] <= numbers[1]:
        return numbers[0], numbers[1]
    raise CellError(f"«{raw}» — укажите возраст как «10–14» (от и до) или одно число.")


def take_values(values: dict, raw: dict, titles: dict, plan: Plan, number: int, **parsers) -> None:
    """Parse the row's cells named in `parsers` ({key: parse}); a value that cannot be taken is
    the row's error in that column."""
    for key, parse in parsers.items():
        if key in raw:
            try:
                values[key] = parse(raw[key])
            except CellError as error:
                plan.reject(number, titles[key], error.message)


class MentorRecordImporter(RecordImporter):
    kind = "mentors"
    title = "База наставников"
    model = MentorRecord
    role = BaseRole.MENTOR
    m2m_fields = ("forms", "topics")
    record_columns = (
        FORMS_COLUMN,
        Column(
            "topics",
            "Может помочь с темами",
            aliases=("Темы", "Темы наставничества", "Направления"),
            help="Темы запросов через «;»; темы не из списка запишутся в компетенции.",
            example=("Учебная успеваемость", "Методика преподавания; Воспитательная работа"),
        ),
        Column(
            "competencies",
            "Компетенции",
            aliases=("Профессиональные компетенции", "Компетенции и навыки"),
            example=("", "Подготовка к ОГЭ"),
        ),
        Column("interests", "Интересы", aliases=("Хобби", "Интересы и хобби"), example=("шахматы", "")),
        Column(
            "mentee_age",
            "Возраст наставляемых",
            aliases=("Желаемый возраст наставляемых",),
            help="«10–14» или одно число.",
            example=("11–13", ""),
        ),
        Column(
            "level",
            "Уровень наставника",
            aliases=("Уровень",),
            allowed="Наставник-специалист, Старший наставник, Ведущий наставник",
            example=("", "Старший наставник"),
        ),
        Column(
            "is_trained",
            "Обучен",
            aliases=("Прошёл обучение", "Прошел обучение", "Обучение"),
            allowed="да, нет",
            example=("нет", "да"),
        ),
        Column("trained_on", "Дата обучения", example=(None, datetime.date(2025, 8, 20))),
        ENTERED_COLUMN,
    )

    def __init__(self, *, user, organization=None):
        super().__init__(user=user, organization=organization)
        self.levels = {header_key(level.name): level for level in MentorLevel.objects.all()}

    def allowed_for(self, column: Column) -> str:
        if column.key == "topics":
            return "; ".join(topic.name for topic in self.topics.values())
        if column.key == "level":
            return ", ".join(level.name for level in self.levels.values())
        return super().allowed_for(column)

    def parse_record(self, number, raw, titles, plan):
        values: dict[str, Any] = {}
        if "forms" in raw:
            values["forms"] = self.forms_of(raw["forms"], number, titles["forms"], plan)
        if "topics" in raw:
            topics, other = [], []
            for item in split_list(raw["topics"]):
                topic = self.topics.get(header_key(item))
                (topics.append(topic) if topic else other.append(item))
            values["topics"] = topics
            if other:
                values["competencies"] = "; ".join(other)
        for key in ("competencies", "interests"):
            if key in raw and text(raw[key]):
                values[key] = (
                    "; ".join(filter(None, [values.get(key, ""), text(raw[key])])) if key in values else text(raw[key])
                )
        try:
            if "mentee_age" in raw:
                values["mentee_age_min"], values["mentee_age_max"] = _age_range(raw["mentee_age"])
        except CellError as error:
            plan.reject(number, titles["mentee_age"], error.message)
        if "level" in raw and text(raw["level"]):
            level = self.levels.get(header_key(text(raw["level"])))
            if level is None:
                plan.reject(
                    number,
                    titles["level"],
                    f"Неизвестный уровень «{text(raw['level'])}». Допустимо: {', '.join(level.name for level in self.levels.values())}.",
                )
            values["level"] = level
        take_values(
            values, raw, titles, plan, number, is_trained=parse_bool, trained_on=parse_date, entered_on=parse_date
        )
        return values

    def clean_record(self, record: MentorRecord) -> None:
        services.mentor_record_clean(record)


class MenteeRecordImporter(RecordImporter):
    kind = "mentees"
    title = "База наставляемых"
    model = MenteeRecord
    role = BaseRole.MENTEE
    m2m_fields = ("forms", "requests")
    record_columns = (
        FORMS_COLUMN,
        Column(
            "requests",
            "Запрос",
            aliases=("Запрос наставляемого", "Образовательный запрос", "Тема запроса", "Проблема", "Запросы"),
            help="Темы через «;»; слова не из списка тем запишутся в «Запрос подробнее».",
            example=("Учебная успеваемость; Адаптация в коллективе", "Методика преподавания"),
        ),
        Column(
            "request_details", "Запрос подробнее", aliases=("Описание запроса",), example=("Трудности с алгеброй", "")
        ),
        Column(
            "portrait",
            "Портрет",
            aliases=("Портрет наставляемого", "Тип"),
            allowed="активный, пассивный",
            example=("пассивный", ""),
        ),
        ENTERED_COLUMN,
    )

    def allowed_for(self, column: Column) -> str:
        if column.key == "requests":
            return "; ".join(topic.name for topic in self.topics.values())
        return super().allowed_for(column)

    def parse_record(self, number, raw, titles, plan):
        values: dict[str, Any] = {}
        if "forms" in raw:
            values["forms"] = self.forms_of(raw["forms"], number, titles["forms"], plan)
        details = []
        if "requests" in raw:
            topics = []
            for item in split_list(raw["requests"]):
                topic = self.topics.get(header_key(item))
                (topics.append(topic) if topic else details.append(item))
            values["requests"] = topics
        if "request_details" in raw and text(raw["request_details"]):
            details.append(text(raw["request_details"]))
        if details:
            values["request_details"] = "; ".join(details)
        take_values(
            values, raw, titles, plan, number,
            portrait=lambda value: choice(value, PORTRAIT_LOOKUP, "активный, пассивный"), entered_on=parse_date,
        )  # fmt: skip
        return values


# Imports into one organization that name people of the registry ---------------------------


def name_key(full_name: str) -> str:
    """«СОКОЛОВА  мария андреевна» → «соколова мария андреевна»: a full name as an import finds a
    person by it — case ignored and «ё» read as «е» (the folding of `services.person_identity`),
    surname, name and patronymic joined, so that no guess splits them."""
    return fold(" ".join(full_name.split()))


class PersonFinder:
    """The people an import may name, by full name, birth date and organization (docs/product.md
    «Identity»), from one query: the rows are matched in memory, never one query a row."""

    def __init__(self, persons: Iterable[Person]):
        self.by_identity = {(name_key(p.full_name), p.birth_date, p.organization_id): p for p in persons}

    def find(self, full_name: str, birth_date: datetime.date, organization_id: int) -> Person | None:
        return self.by_identity.get((name_key(full_name), birth_date, organization_id))


def row_full_name(raw: dict, titles: dict, plan: Plan, number: int, key: str = "full_name") -> str | None:
    """The full name a row gives in the column `key`, or in «Фамилия», «Имя», «Отчество» apart
    (as the person import reads them); None, with the row's error, when it gives none."""
    if key in raw:
        value = text(raw[key])
        if value == "":
            plan.reject(number, titles[key], "Не указаны фамилия и имя.")
            return None
        return value
    parts = {part: text(raw.get(part)) for part in ("last_name", "first_name", "middle_name")}
    missing = [part for part in ("last_name", "first_name") if part in raw and not parts[part]]
    for part in missing:
        plan.reject(number, titles[part], "Не заполнено: без фамилии и имени человека не найти.")
    if missing or not (parts["last_name"] and parts["first_name"]):
        return None
    return " ".join(value for value in parts.values() if value)


class OrganizationImporter(Importer):
    """An import into one organization — chosen at the upload (`--organization` of import_data),
    or the user's only one — whose rows name people already in its registry (consents, pairs).
    Nobody is added here: a row naming nobody known is an error saying to load the people first."""

    #: What is imported, for the message asking for the organization: «согласия», «пары».
    what = ""

    def __init__(self, *, user, organization=None):
        super().__init__(user=user, organization=organization)
        self.today = timezone.localdate()
        self.writable, self.organization = import_organizations(user, organization)

    def importing_organization(self) -> Organization:
        """The organization of the import, its municipality loaded; a file without one is refused."""
        if self.organization is None:
            raise FileRejected(
                f"Выберите организацию, в которую загружаются {self.what}: людей из файла портал ищет в ней "
                "по ФИО и дате рождения."
            )
        return self.writable[self.organization.pk]

    def title_of(self, key: str, titles: dict) -> str:
        """The column's header as the file writes it, or the template's when the file has no such
        column; "" (the whole row) for a key that is no column."""
        return titles.get(key) or next((column.header for column in self.columns if column.key == key), "")


# Consents --------------------------------------------------------------------------------

CONSENT_KIND_LOOKUP = choice_lookup(
    ConsentKind.choices,
    (ConsentKind.PERSONAL_DATA, "ПДн"),
    (ConsentKind.PERSONAL_DATA, "персональные данные"),
    (ConsentKind.PERSONAL_DATA, "обработка персональных данных"),
    (ConsentKind.PERSONAL_DATA, "на обработку персональных данных"),
    (ConsentKind.PERSONAL_DATA, "согласие на обработку ПДн"),
    (ConsentKind.MENTORING, "наставничество"),
    (ConsentKind.MENTORING, "участие в наставничестве"),
    (ConsentKind.MENTORING, "на участие в наставничестве"),
    (ConsentKind.MENTORING, "согласие на участие в наставничестве"),
    (ConsentKind.MENTORING, "письменное согласие"),
    (ConsentKind.PARENT, "родителя"),
    (ConsentKind.PARENT, "родитель"),
    (ConsentKind.PARENT, "согласие родителя"),
    (ConsentKind.PARENT, "законного представителя"),
    (ConsentKind.PARENT, "законный представитель"),
    (ConsentKind.PARENT, "согласие законного представителя"),
)
CONSENT_KINDS_ALLOWED = (
    "«Согласие на обработку персональных данных» (или «ПДн»), «Письменное согласие на участие в наставничестве» "
    "(или «наставничество»), «Согласие родителя (законного представителя)» (или «родителя»)"
)
_PERSON_ALIASES = {column.key: column.aliases for column in PERSON_COLUMNS}

CONSENT_COLUMNS = (
    Column(
        "full_name",
        "ФИО",
        required=True,
        aliases=(*_PERSON_ALIASES["full_name"], "ФИО обучающегося"),
        help="Чьё это согласие (для согласия родителя — ФИО ребёнка), как в реестре. Можно вместо него столбцы "
        "«Фамилия», «Имя», «Отчество».",
        example=("Соколова Мария Андреевна", "Петров Илья Сергеевич"),
    ),
    Column("last_name", "Фамилия", help="Вместо столбца «ФИО».", in_template=False),
    Column("first_name", "Имя", help="Вместо столбца «ФИО».", in_template=False),
    Column("middle_name", "Отчество", help="Вместо столбца «ФИО»; может быть пустым.", in_template=False),
    Column(
        "birth_date",
        "Дата рождения",
        required=True,
        aliases=_PERSON_ALIASES["birth_date"],
        help="ДД.ММ.ГГГГ (или дата Excel). По ФИО и дате рождения человек находится в реестре организации: "
        "сначала загрузите людей.",
        example=(datetime.date(2011, 3, 14), datetime.date(1990, 11, 2)),
    ),
    Column(
        "kind",
        "Вид согласия",
        required=True,
        aliases=("Вид", "Согласие", "Тип согласия"),
        help="Положение, п. 3.5: письменное согласие на участие в наставничестве — от каждого; согласие на "
        "обработку персональных данных — от совершеннолетнего, за несовершеннолетнего — согласие родителя.",
        allowed=CONSENT_KINDS_ALLOWED,
        example=("родителя", "ПДн"),
    ),
    Column(
        "signed_on",
        "Дата подписания",
        required=True,
        aliases=("Дата согласия", "Дата подписи", "Подписано"),
        help="ДД.ММ.ГГГГ, не позже сегодняшнего дня. Согласие того же человека, того же вида и с той же датой — "
        "то же самое согласие: повторно оно не вносится.",
        example=(datetime.date(2025, 9, 1), datetime.date(2025, 9, 1)),
    ),
    Column(
        "representative_name",
        "ФИО представителя",
        aliases=(
            "ФИО родителя",
            "ФИО родителя (законного представителя)",
            "ФИО законного представителя",
            "Законный представитель",
            "Представитель",
            "Родитель",
        ),
        help="Обязательно для согласия родителя: кто из родителей (законных представителей) его подписал. "
        "Для других согласий оставьте пустым.",
        example=("Соколова Ольга Ивановна", ""),
    ),
)


class ConsentImporter(OrganizationImporter):
    """Consents (Положение §3.5; 152-ФЗ) of people already in the organization's registry, with the
    rules of the consent form (`services.consent_validate`), saved by `services.consents_bulk_save`."""

    kind = "consents"
    title = "Согласия"
    what = "согласия"
    columns = CONSENT_COLUMNS
    required_sets = (
        ("full_name", "birth_date", "kind", "signed_on"),
        ("last_name", "first_name", "birth_date", "kind", "signed_on"),
    )
    notes = (
        "Строка заголовков — первая; пустые строки пропускаются; лишние столбцы не загружаются (о них будет сказано).",
        "Люди ищутся в организации, выбранной при загрузке, по ФИО и дате рождения: сначала загрузите людей "
        "(шаблон «Люди»), потом их согласия.",
        "Согласие того же человека, того же вида и с той же датой подписания уже внесённое — не дублируется: "
        "повторная загрузка файла ничего не меняет.",
        "Если в файле есть хоть одна ошибка, не сохраняется ничего: исправьте ошибки и загрузите файл снова.",
        "Файл: .xlsx или .csv (UTF-8 или Windows-1251, разделитель «;» или «,»).",
    )

    def check(self, rows: Iterator, plan: Plan, progress: Callable[[int], None]) -> None:
        organization = self.importing_organization()
        self.finder = PersonFinder(Person.objects.filter(organization=organization))
        self.stored = {
            (consent.person_id, consent.kind, consent.signed_on): consent
            for consent in Consent.objects.filter(person__organization=organization)
        }
        plan.payload = {"creates": [], "updates": []}
        seen: dict[tuple, int] = {}
        for number, raw, titles in rows:
            plan.rows_read += 1
            if plan.rows_read % PROGRESS_EVERY == 0:
                progress(plan.rows_read)
            self.consent_from_row(number, raw, titles, plan, seen, organization)
        progress(plan.rows_read)

    def consent_from_row(self, number, raw, titles, plan: Plan, seen: dict, organization: Organization) -> None:
        errors_before = len(plan.errors)
        name = row_full_name(raw, titles, plan, number)
        values: dict[str, Any] = {}
        take_values(
            values, raw, titles, plan, number,
            birth_date=parse_date, signed_on=parse_date, representative_name=text,
            kind=lambda value: choice(value, CONSENT_KIND_LOOKUP, CONSENT_KINDS_ALLOWED),
        )  # fmt: skip
        for key, message in (
            ("birth_date", "Не указана дата рождения: по ФИО и дате рождения человек находится в реестре."),
            ("kind", f"Не указан вид согласия. Допустимо: {CONSENT_KINDS_ALLOWED}."),
            ("signed_on", "Не указана дата подписания."),
        ):
            if key in values and values[key] is None:
                plan.reject(number, titles[key], message)
        if len(plan.errors) > errors_before:
            return
        person = self.finder.find(name, values["birth_date"], organization.pk)
        if person is None:
            plan.reject(
                number,
                titles.get("full_name") or titles.get("last_name", ""),
                f"{name}, {date_format(values['birth_date'], 'd.m.Y')}: такого человека нет среди людей "
                f"«{organization}». Сначала загрузите людей (шаблон «Люди»), потом их согласия — или проверьте "
                "ФИО и дату рождения.",
            )
            return
        consent = Consent(
            person=person,
            kind=values["kind"],
            signed_on=values["signed_on"],
            representative_name=values.get("representative_name") or "",
        )
        try:
            services.consent_validate(consent=consent)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    plan.reject(number, self.title_of(field, titles), message)
            return
        key = (person.pk, consent.kind, consent.signed_on)
        if key in seen:
            plan.reject(
                number,
                "",
                f"Повторяет строку {seen[key]}: одно и то же согласие записано дважды. Удалите одну из строк.",
            )
            return
        seen[key] = number
        stored = self.stored.get(key)
        if stored is None:
            plan.new += 1
            plan.payload["creates"].append(consent)
        elif consent.representative_name and consent.representative_name != stored.representative_name:
            # A parent's name corrected; an empty cell never erases what the registry holds.
            stored.person = person
            before = snapshot(stored)
            stored.representative_name = consent.representative_name
            plan.updated += 1
            plan.payload["updates"].append((stored, diff(before, snapshot(stored))))
        else:
            plan.unchanged += 1

    def save(self, plan: Plan) -> None:
        services.consents_bulk_save(creates=plan.payload["creates"], updates=plan.payload["updates"], user=self.user)


for importer in (PersonImporter, MentorRecordImporter, MenteeRecordImporter, ConsentImporter):
    register_importer(importer)
