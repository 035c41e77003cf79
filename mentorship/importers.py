"""The import of pairs and groups (docs/product.md «The parts»: pairs and groups formed under the
Положение, approved by order): one row a mentee; rows with one «Номер группы» form one group.

A row names people already in the registry — the mentee in the organization of the import, the
mentor in theirs (a partner enterprise, a college … of the municipality) — by name and birth date.
It is checked with the rules of `mentorship.rules` that the services apply: a row without an order
as `services.pair_save` checks a draft (`pair_check(for_approval=False)`: the form's sense); a row
with an order number and date as `services.pairs_approve` checks a pair it approves (consents §3.5,
the mentor's free places §3.4 counting the file's own pairs, one live pair of a form). People, their
records and consents, mentors' loads and live pairs are read once; no query is made per row. The
save goes through `services.pairs_import_save`, that is through `pair_save` and `pairs_approve`
themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import date_format

from core.importing import CellError, Column, Plan, header_key, parse_date, register_importer, text
from core.scoping import get_scope
from mentorship import rules, services
from mentorship.models import LIVE_STATUSES, Pair
from registry.importers import PROGRESS_EVERY, OrganizationImporter, PersonFinder
from registry.models import MentorshipForm, Organization, Person, RoleModel


def _date(value: datetime.date) -> str:
    return date_format(value, "d.m.Y")


PAIR_COLUMNS = (
    Column(
        "mentor_name",
        "ФИО наставника",
        required=True,
        aliases=("Наставник", "ФИО наставника полностью"),
        help="Как в реестре: наставник находится по ФИО, дате рождения и организации среди людей, доступных вам.",
        example=("Петров Илья Сергеевич", "Соколова Мария Андреевна", "Соколова Мария Андреевна"),
    ),
    Column(
        "mentor_birth_date",
        "Дата рождения наставника",
        required=True,
        aliases=("Д/р наставника", "Дата рождения (наставник)"),
        help="ДД.ММ.ГГГГ (или дата Excel).",
        example=(datetime.date(1990, 11, 2), datetime.date(2011, 3, 14), datetime.date(2011, 3, 14)),
    ),
    Column(
        "mentor_organization",
        "Организация наставника",
        aliases=("Место работы/учёбы наставника", "Место работы/учебы наставника", "Место работы наставника"),
        help="Пусто — организация, выбранная при загрузке. Иначе краткое наименование организации муниципалитета, "
        "как в портале: предприятие-партнёр (формы «Работодатель – …»), колледж или вуз («Студент – ученик»).",
        example=("", "", ""),
    ),
    Column(
        "mentee_name",
        "ФИО наставляемого",
        required=True,
        aliases=("Наставляемый", "ФИО наставляемого полностью"),
        help="Как в реестре организации, выбранной при загрузке: наставляемых пары вносит их организация.",
        example=("Орлова Анна Павловна", "Ким Виктор", "Белов Даниил"),
    ),
    Column(
        "mentee_birth_date",
        "Дата рождения наставляемого",
        required=True,
        aliases=("Д/р наставляемого", "Дата рождения (наставляемый)"),
        help="ДД.ММ.ГГГГ (или дата Excel).",
        example=(datetime.date(1999, 9, 1), datetime.date(2013, 5, 1), datetime.date(2013, 1, 31)),
    ),
    Column(
        "form",
        "Форма наставничества",
        required=True,
        aliases=("Форма",),
        help="Одна форма; регистр и вид тире не важны. Наставник и наставляемый должны быть в своих базах с этой "
        "формой, её категорий и возраста (п. 3.1.4, 3.2.4, 3.3.4 Положения).",
        example=("Учитель – учитель", "Ученик – ученик", "ученик-ученик"),
    ),
    Column(
        "role_model",
        "Ролевая модель",
        aliases=("Модель", "Вариация взаимодействия"),
        help="Необязательно; только из ролевых моделей выбранной формы.",
        example=("опытный педагог – молодой специалист", "успевающий – неуспевающий", "успевающий – неуспевающий"),
    ),
    Column(
        "start_on",
        "Дата начала",
        required=True,
        aliases=("Начало", "Дата начала наставничества", "Срок с"),
        help="ДД.ММ.ГГГГ. По организации, форме, наставнику, наставляемому и дате начала пара находится снова: "
        "повторно она не вносится.",
        example=(datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 10, 1)),
    ),
    Column(
        "end_on",
        "Дата окончания",
        required=True,
        aliases=("Окончание", "Дата окончания наставничества", "Дата завершения", "Срок до"),
        help="ДД.ММ.ГГГГ, позже даты начала: обычно от 3 месяцев до года.",
        example=(datetime.date(2027, 5, 31), datetime.date(2027, 5, 31), datetime.date(2027, 5, 31)),
    ),
    Column(
        "group",
        "Номер группы",
        aliases=("№ группы", "Группа", "Наставническая группа"),
        help="Необязательно. Строки с одним номером — одна группа: один наставник, одна форма, одни даты и один "
        "приказ. Номер действует только внутри файла.",
        example=("", "1", "1"),
    ),
    Column(
        "order_number",
        "Номер приказа",
        aliases=("№ приказа", "Приказ №", "Приказ"),
        help="Необязательно. Указаны номер и дата приказа — пара загружается утверждённой этим приказом (п. 3.6 "
        "Положения) и по своим датам действует или завершена; так загружает руководитель организации. "
        "Пусто — черновик, который руководитель утвердит в портале.",
        example=("", "15-од", "15-од"),
    ),
    Column(
        "order_date",
        "Дата приказа",
        aliases=("Приказ от", "Дата приказа об утверждении"),
        help="ДД.ММ.ГГГГ, не позже сегодняшнего дня; вместе с номером приказа.",
        example=(None, datetime.date(2026, 9, 25), datetime.date(2026, 9, 25)),
    ),
)


@dataclass
class PairRow:
    """A row that names its people and values well; the rules are checked on it afterwards."""

    number: int
    titles: dict[str, str]
    mentor: Person
    mentee: Person
    form: MentorshipForm
    role_model: RoleModel | None
    start_on: datetime.date
    end_on: datetime.date
    group: str
    order: tuple[str, datetime.date] | None
    #: The pair this row names already (the same organization, form, mentor, mentee and start).
    stored: int | None = None


@dataclass
class NewPair:
    """A pair or a group the file adds: its rows, one a mentee."""

    rows: list[PairRow] = field(default_factory=list)

    @property
    def first(self) -> PairRow:
        return self.rows[0]

    @property
    def numbers(self) -> list[int]:
        return [row.number for row in self.rows]


def _order_label(order: tuple[str, datetime.date] | None) -> str:
    return f"№ {order[0]} от {_date(order[1])}" if order else "не указан"


class PairImporter(OrganizationImporter):
    """Pairs and groups of an organization (Положение §3.4–3.6), drafts or approved by order."""

    kind = "pairs"
    title = "Пары и группы"
    what = "пары"
    columns = PAIR_COLUMNS
    notes = (
        "Строка заголовков — первая; пустые строки пропускаются; лишние столбцы не загружаются (о них будет сказано).",
        "Одна строка — один наставляемый. Группа — несколько строк с одним «Номером группы».",
        "Люди ищутся по ФИО и дате рождения: наставляемый — в организации, выбранной при загрузке, наставник — в "
        "«Организации наставника». Сначала загрузите людей, базы наставников и наставляемых, а для пар с приказом — "
        "и согласия.",
        "Проверяются правила Положения, как при вводе пары в портале: формы и категории участников (п. 3.1.4, "
        "3.2.4, 3.3.4); для пар с приказом — ещё согласия (п. 3.5), не больше трёх наставляемых у наставника "
        "одновременно, считая пары этого файла (п. 3.4), и одна действующая пара каждой формы у наставляемого.",
        "Пара, которая уже есть в портале (та же организация, форма, наставник, наставляемый и дата начала), не "
        "меняется: повторная загрузка файла ничего не меняет. Сроки, состав и утверждение внесённых пар меняются в "
        "карточке пары.",
        "Если в файле есть хоть одна ошибка, не сохраняется ничего: исправьте ошибки и загрузите файл снова.",
        "Файл: .xlsx или .csv (UTF-8 или Windows-1251, разделитель «;» или «,»).",
    )

    def __init__(self, *, user, organization=None):
        super().__init__(user=user, organization=organization)
        self.forms_list = list(MentorshipForm.objects.all())
        self.forms = {}
        for form in self.forms_list:
            for name in (form.name, form.get_code_display(), form.code):
                self.forms[header_key(str(name))] = form
        self.role_models: dict[tuple[int, str], RoleModel] = {}
        self.role_models_by_name: dict[str, list[RoleModel]] = {}
        for role_model in RoleModel.objects.select_related("form"):
            self.role_models[role_model.form_id, header_key(role_model.name)] = role_model
            self.role_models_by_name.setdefault(header_key(role_model.name), []).append(role_model)

    # The template -------------------------------------------------------------------------

    def forms_allowed(self) -> str:
        return "; ".join(form.name for form in self.forms_list)

    def role_models_of(self, form: MentorshipForm) -> str:
        return ", ".join(
            m.name for m in sorted(self.role_models.values(), key=lambda m: m.order) if m.form_id == form.pk
        )

    def allowed_for(self, column: Column) -> str:
        if column.key == "form":
            return self.forms_allowed()
        if column.key == "role_model":
            return "; ".join(f"{form.name}: {self.role_models_of(form)}" for form in self.forms_list)
        return super().allowed_for(column)

    # What the check reads once -----------------------------------------------------------------

    def load(self, organization: Organization) -> None:
        """The organizations of the municipality by name, the people rows may name (the
        organization's, and the mentors the user may choose: services.mentor_selectable) and the
        organization's pairs by what makes a row the same pair: three queries."""
        self.local_orgs: dict[str, Organization] = {}
        self.foreign_orgs: set[str] = set()
        for org in Organization.objects.only("pk", "short_name", "full_name", "municipality_id", "kind"):
            for name in (org.short_name, org.full_name):
                if org.municipality_id == organization.municipality_id:
                    self.local_orgs[header_key(name)] = org
                else:
                    self.foreign_orgs.add(header_key(name))
        visible = Q() if self.user is None else rules.mentor_visible_condition(get_scope(self.user))
        candidates = Person.objects.filter(
            Q(organization=organization) | (visible & Q(organization__municipality_id=organization.municipality_id))
        ).only("pk", "last_name", "first_name", "middle_name", "birth_date", "organization_id")
        self.finder = PersonFinder(candidates)
        self.stored = {
            key[1:]: pair_id for key, pair_id in services.pair_identities([organization.pk]).items()
        }  # (form, mentor, mentee, start): the organization is the import's
        scope = get_scope(self.user) if self.user is not None else None
        self.can_approve = scope is None or scope.can_approve(organization.pk)

    # Rows -------------------------------------------------------------------------------------

    def check(self, rows: Iterator, plan: Plan, progress: Callable[[int], None]) -> None:
        organization = self.importing_organization()
        self.load(organization)
        parsed: list[PairRow] = []
        seen: dict[tuple, int] = {}
        for number, raw, titles in rows:
            plan.rows_read += 1
            if plan.rows_read % PROGRESS_EVERY == 0:
                progress(plan.rows_read)
            row = self.row(number, raw, titles, plan, organization)
            if row is None:
                continue
            key = (row.form.pk, row.mentor.pk, row.mentee.pk, row.start_on)
            if key in seen:
                plan.reject(
                    number,
                    "",
                    f"Повторяет строку {seen[key]}: одна и та же пара записана дважды. Удалите одну из строк.",
                )
                continue
            seen[key] = number
            row.stored = self.stored.get(key)
            parsed.append(row)
        progress(plan.rows_read)
        new = self.new_pairs(parsed, plan)
        self.check_rules(new, plan, organization)
        plan.errors.sort(key=lambda error: error.row)  # rules are checked by pair, errors read by row
        plan.new = sum(1 for pair in new for row in pair.rows if row.number not in plan.rejected_rows)
        plan.payload = {
            "pairs": [
                (
                    Pair(
                        organization=organization,
                        form=pair.first.form,
                        role_model=pair.first.role_model,
                        mentor=pair.first.mentor,
                        start_on=pair.first.start_on,
                        end_on=pair.first.end_on,
                    ),
                    [row.mentee for row in pair.rows],
                    pair.first.order,
                )
                for pair in new
            ]
        }

    def row(self, number, raw, titles, plan: Plan, organization: Organization) -> PairRow | None:
        """The row's values and people, or None with the row's errors."""
        errors_before = len(plan.errors)
        values = {}
        for key, parse, missing in (
            ("mentor_name", text, "Не указано ФИО наставника."),
            (
                "mentor_birth_date",
                parse_date,
                "Не указана дата рождения наставника: по ней наставник находится в реестре.",
            ),
            ("mentee_name", text, "Не указано ФИО наставляемого."),
            ("mentee_birth_date", parse_date, "Не указана дата рождения наставляемого: по ней он находится в реестре."),
            ("form", text, f"Не указана форма наставничества. Допустимо: {self.forms_allowed()}."),
            ("start_on", parse_date, "Не указана дата начала."),
            ("end_on", parse_date, "Не указана дата окончания."),
            ("role_model", text, None),
            ("group", text, None),
            ("order_number", text, None),
            ("order_date", parse_date, None),
        ):
            try:
                values[key] = parse(raw.get(key))
            except CellError as error:
                plan.reject(number, titles[key], error.message)
                continue
            if missing and values[key] in (None, ""):
                plan.reject(number, titles[key], missing)
        form = None
        if values.get("form"):
            form = self.forms.get(header_key(values["form"]))
            if form is None:
                plan.reject(
                    number,
                    titles["form"],
                    f"Неизвестная форма наставничества «{values['form']}». Допустимо: {self.forms_allowed()}.",
                )
        role_model = self.role_model(values.get("role_model"), form, number, titles, plan)
        start_on, end_on = values.get("start_on"), values.get("end_on")
        if start_on and end_on and end_on <= start_on:
            plan.reject(number, titles["end_on"], "Дата окончания должна быть позже даты начала.")
        order = self.order(values.get("order_number"), values.get("order_date"), number, titles, plan, organization)
        mentor_org = self.mentor_organization(raw.get("mentor_organization"), number, titles, plan, organization)
        mentor = mentee = None
        if values.get("mentor_name") and values.get("mentor_birth_date") and mentor_org is not None:
            mentor = self.finder.find(values["mentor_name"], values["mentor_birth_date"], mentor_org.pk)
            if mentor is None:
                plan.reject(
                    number,
                    titles["mentor_name"],
                    f"Наставник {values['mentor_name']}, {_date(values['mentor_birth_date'])}, не найден среди "
                    f"доступных вам людей «{mentor_org}». Сначала загрузите людей и базу наставников — или проверьте "
                    "ФИО, дату рождения и «Организацию наставника».",
                )
        if values.get("mentee_name") and values.get("mentee_birth_date"):
            mentee = self.finder.find(values["mentee_name"], values["mentee_birth_date"], organization.pk)
            if mentee is None:
                plan.reject(
                    number,
                    titles["mentee_name"],
                    f"Наставляемый {values['mentee_name']}, {_date(values['mentee_birth_date'])}, не найден среди "
                    f"людей «{organization}». Сначала загрузите людей и базу наставляемых — или проверьте ФИО и дату "
                    "рождения.",
                )
        if len(plan.errors) > errors_before:
            return None
        return PairRow(number, titles, mentor, mentee, form, role_model, start_on, end_on, values["group"] or "", order)

    def role_model(self, value: str | None, form, number, titles, plan: Plan) -> RoleModel | None:
        """The role model named, which must be one of the form's (as `services.pair_save` requires)."""
        if not value or form is None:
            return None
        found = self.role_models.get((form.pk, header_key(value)))
        if found is None:
            elsewhere = self.role_models_by_name.get(header_key(value))
            start = (
                f"Ролевая модель «{value}» не из формы «{form}»."
                if elsewhere
                else f"Неизвестная ролевая модель «{value}»."
            )
            plan.reject(number, titles["role_model"], f"{start} Для этой формы: {self.role_models_of(form)}.")
        return found

    def order(self, number_text, date, number, titles, plan: Plan, organization) -> tuple[str, datetime.date] | None:
        """(number, date) of the approving order, both given, with `services.pairs_approve`'s own
        rules of an order and the user's right to approve (§3.6: the director's); None for a draft."""
        if not number_text and date is None:
            return None
        errors_before = len(plan.errors)
        draft_hint = " Или оставьте пустыми и номер, и дату приказа: пара загрузится черновиком."
        for key, messages in services.order_fields_refusals(number_text, date, self.today).items():
            both = bool(number_text) != (date is not None)
            for message in messages:
                plan.reject(number, self.title_of(key, titles), message + (draft_hint if both else ""))
        if not self.can_approve:
            plan.reject(
                number,
                self.title_of("order_number", titles),
                services.APPROVE_REFUSED.format(organization)
                + " Оставьте «Номер приказа» и «Дата приказа» пустыми: пары загрузятся черновиками, а руководитель "
                "утвердит их приказом в портале.",
            )
        if len(plan.errors) > errors_before:
            return None
        return number_text, date

    def mentor_organization(self, value, number, titles, plan: Plan, organization) -> Organization | None:
        raw = text(value)
        if raw == "":
            return organization
        found = self.local_orgs.get(header_key(raw))
        if found is not None:
            return found
        if header_key(raw) in self.foreign_orgs:
            message = (
                f"Организация «{raw}» — не из муниципалитета «{organization.municipality}»: наставник пары должен "
                "быть из организаций муниципалитета."
            )
        else:
            message = f"Организация «{raw}» не найдена. Напишите её краткое наименование, как в портале."
        plan.reject(number, titles["mentor_organization"], message)
        return None

    # Groups ---------------------------------------------------------------------------------------

    GROUP_SAME = (
        ("mentor_name", "наставник", lambda row: row.mentor.pk, lambda row: row.mentor.full_name, "один наставник"),
        ("form", "форма", lambda row: row.form.pk, lambda row: f"«{row.form}»", "одна форма"),
        ("start_on", "дата начала", lambda row: row.start_on, lambda row: _date(row.start_on), "одни сроки"),
        ("end_on", "дата окончания", lambda row: row.end_on, lambda row: _date(row.end_on), "одни сроки"),
        (
            "role_model",
            "ролевая модель",
            lambda row: row.role_model.pk if row.role_model else None,
            lambda row: f"«{row.role_model.name}»" if row.role_model else "не указана",
            "одна ролевая модель",
        ),
        ("order_number", "приказ", lambda row: row.order, lambda row: _order_label(row.order), "один приказ"),
    )

    def new_pairs(self, rows: list[PairRow], plan: Plan) -> list[NewPair]:
        """The pairs and groups the file adds, in the file's order. Rows of one group must agree on
        the mentor, form, dates, role model and order; a row naming a pair already entered counts
        «без изменений», and a group entered already takes no new mentee from a file."""
        units: list[NewPair] = []
        groups: dict[str, NewPair] = {}
        for row in rows:
            if row.group:
                if row.group not in groups:
                    groups[row.group] = NewPair()
                    units.append(groups[row.group])
                groups[row.group].rows.append(row)
            else:
                units.append(NewPair([row]))
        new = []
        for unit in units:
            first, agree = unit.first, True
            for row in unit.rows[1:]:
                for key, what, value, shown, rule in self.GROUP_SAME:
                    if value(row) != value(first):
                        plan.reject(
                            row.number,
                            self.title_of(key, row.titles),
                            f"В группе «{row.group}» {what} — {shown(first)} (строка {first.number}), а здесь — "
                            f"{shown(row)}: у группы {rule}. Исправьте строку или номер группы.",
                        )
                        agree = False
                        break
            if not agree:
                continue
            stored = [row for row in unit.rows if row.stored]
            if stored and len(stored) < len(unit.rows):
                for row in unit.rows:
                    if not row.stored:
                        plan.reject(
                            row.number,
                            self.title_of("group", row.titles),
                            f"Группа «{row.group}» уже внесена в портал (пара № {stored[0].stored}): добавить в неё "
                            "наставляемого можно в карточке пары.",
                        )
                continue
            if stored:
                plan.unchanged += len(unit.rows)
            else:
                new.append(unit)
        return new

    # The rules --------------------------------------------------------------------------------------

    def check_rules(self, pairs: list[NewPair], plan: Plan, organization: Organization) -> None:
        """The rules of `services.pair_save` for every pair; those of `services.pairs_approve` for
        the pairs with an order, emulating its run order by order (by date) as `pairs_import_save`
        runs it: the mentor's load counts the pairs of earlier orders that are live by their dates
        and those of the same order before it; a mentee is in one live pair of a form."""
        if not pairs:
            return
        people = services.load_people(
            {row.mentor.pk for pair in pairs for row in pair.rows}
            | {row.mentee.pk for pair in pairs for row in pair.rows}
        )
        for pair in pairs:
            for row in pair.rows:
                row.mentor, row.mentee = people[row.mentor.pk], people[row.mentee.pk]
            self.draft_rules(pair, plan, organization)
        approved = [pair for pair in pairs if pair.first.order]
        if not approved:
            return
        loads = rules.mentor_loads({pair.first.mentor.pk for pair in approved})
        taken = rules.live_pairs_of({row.mentee.pk for pair in approved for row in pair.rows})
        file_loads: dict[int, list[int]] = {}  # mentor id: rows of the file's live pairs of earlier orders
        file_taken: dict[tuple[int, int], int] = {}  # (mentee id, form id): the row of such a pair
        for order in sorted({pair.first.order for pair in approved}, key=lambda order: (order[1], order[0])):
            ordered = [pair for pair in approved if pair.first.order == order]
            counted = {mentor_id: list(rows) for mentor_id, rows in file_loads.items()}
            in_order: dict[tuple[int, int], int] = {}
            for pair in ordered:
                self.approval_rules(pair, plan, loads, counted, taken, file_taken, in_order)
            for pair in ordered:
                first = pair.first
                if services.status_by_dates(first.start_on, first.end_on, self.today) in LIVE_STATUSES:
                    file_loads.setdefault(first.mentor.pk, []).extend(pair.numbers)
                    for row in pair.rows:
                        file_taken[row.mentee.pk, first.form.pk] = row.number

    def draft_rules(self, pair: NewPair, plan: Plan, organization: Organization) -> None:
        """`services.pair_check(for_approval=False)`, the check of `pair_save`, row by row: a
        refusal that concerns the mentor alone goes to the mentor's column, the others to the mentee's."""
        first = pair.first
        draft = Pair(organization=organization, form=first.form, start_on=first.start_on)
        mentor_side = set(
            services.pair_check(pair=draft, mentor=first.mentor, mentees=[], for_approval=False, today=self.today)
        )
        for row in pair.rows:
            for message in services.pair_check(
                pair=draft, mentor=first.mentor, mentees=[row.mentee], for_approval=False, today=self.today
            ):
                key = "mentor_name" if message in mentor_side else "mentee_name"
                plan.reject(row.number, row.titles[key], message)

    def approval_rules(self, pair: NewPair, plan: Plan, loads, counted, taken, file_taken, in_order) -> None:
        """The checks `services.pairs_approve` adds, on what was read once (`loads`, `taken`) and
        what the file adds: consents on the day the pair starts or today (§3.5), each mentee's one
        live pair of a form, the mentor's free places (§3.4)."""
        first = pair.first
        mentor, form = first.mentor, first.form
        on = max(first.start_on, self.today)
        mentor_consents = rules.consent_refusals([mentor], on=on)
        for row in pair.rows:
            mentee = row.mentee
            for message in mentor_consents:
                plan.reject(row.number, row.titles["mentor_name"], message)
            messages = rules.consent_refusals([mentee], on=on)
            messages += rules.live_pair_refusals(form=form, mentees=[mentee], taken=taken)
            if (mentee.pk, form.pk) in file_taken:
                messages.append(
                    f"{mentee.short_name} уже в паре формы «{form}» из строки {file_taken[mentee.pk, form.pk]} этого "
                    "файла, которая по своим датам действует: у наставляемого одна действующая пара каждой формы. "
                    "Оставьте одну из строк."
                )
            other = in_order.setdefault((mentee.pk, form.pk), row.number)
            if other != row.number:
                messages.append(
                    f"{mentee.short_name} уже в паре формы «{form}» из строки {other} этого файла с тем же приказом: "
                    "у наставляемого одна пара каждой формы. Оставьте одну из строк."
                )
            for message in messages:
                plan.reject(row.number, row.titles["mentee_name"], message)
        before = counted.setdefault(mentor.pk, [])
        refusals = rules.capacity_refusals(mentor, adding=len(pair.rows), load=loads.get(mentor.pk, 0) + len(before))
        if refusals and before:
            refusals = [f"{refusals[0]} Считая пары этого файла: строки {', '.join(map(str, before))}."]
        for row in pair.rows:
            for message in refusals:
                plan.reject(row.number, row.titles["mentor_name"], message)
        before.extend(pair.numbers)

    def save(self, plan: Plan) -> None:
        services.pairs_import_save(pairs=plan.payload["pairs"], user=self.user, today=self.today)


register_importer(PairImporter)
