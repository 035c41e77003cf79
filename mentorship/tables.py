import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from core.reversing import reverse_pk
from core.tables import ActionsColumn, BaseTable, DateColumn, badge
from mentorship.models import Pair, PairStatus, Practice, Recognition
from registry.choices import BaseRole
from registry.models import MentorRecord

#: The status badge of a pair: its tone by status.
STATUS_TONES = {
    PairStatus.DRAFT: "secondary",
    PairStatus.APPROVED: "info",
    PairStatus.ACTIVE: "success",
    PairStatus.COMPLETED: "primary",
    PairStatus.TERMINATED: "dark",
}


def status_badge(pair: Pair):
    return badge(pair.get_status_display(), STATUS_TONES.get(pair.status, "secondary"))


def pair_marks(pair: Pair) -> list[tuple[str, str]]:
    """(text, tone) of what needs doing about a pair, from the list's annotations (selectors)."""
    marks = []
    if getattr(pair, "needs_attention", False):
        marks.append(("требует внимания", "danger"))
    if getattr(pair, "reports_overdue", False):
        marks.append(("просрочены итоговые отчёты", "warning"))
    if getattr(pair, "months_missing", False):
        marks.append(("нет ежемесячного отчёта", "warning"))
    if pair.status == PairStatus.DRAFT and pair.approval_requested_on:
        marks.append(("ждёт утверждения", "light"))
    return marks


def initials_together(person) -> str:
    """«Воробьева А.\u00a0Ю.»: a line may break after the surname, never between the initials."""
    return person.short_name.replace(". ", ".\u00a0")


def current_mentees(pair: Pair) -> list:
    """The pair's present mentees, from its prefetched members (selectors.member_prefetch)."""
    return [m.person for m in pair.members.all() if m.role == BaseRole.MENTEE and m.left_on is None]


class PairTable(BaseTable):
    pk = tables.Column("№", attrs={"td": {"class": "text-nowrap"}})
    form = tables.Column("Форма", order_by=("form__order", "form__name"))
    mentor = tables.Column("Наставник", order_by=("mentor__last_name", "mentor__first_name", "mentor__middle_name"))
    mentees = tables.Column("Наставляемые", empty_values=(), orderable=False)
    organization = tables.Column("Организация", order_by=("organization__short_name",))
    # One column on the page (a list of nine columns must fit 1280 px), two real dates in exports.
    term = tables.Column("Срок", empty_values=(), order_by=("start_on", "end_on"), exclude_from_export=True)
    start_on = DateColumn(verbose_name="Начало", visible=False)
    end_on = DateColumn(verbose_name="Окончание", visible=False)
    status = tables.Column("Статус")
    marks = tables.Column("Отметки", empty_values=(), orderable=False, attrs={"td": {"class": "pair-marks"}})

    class Meta(BaseTable.Meta):
        model = Pair
        fields = ("pk", "form", "mentor", "mentees", "organization", "term", "start_on", "end_on", "status", "marks")

    def __init__(self, *args, show_organization=True, **kwargs):
        super().__init__(*args, exclude=() if show_organization else ("organization",), **kwargs)

    def render_pk(self, record):
        return format_html(
            '<a href="{}" aria-label="Пара № {}">№&nbsp;{}</a>',
            reverse_pk("mentorship:pair_detail", record.pk),
            record.pk,
            record.pk,
        )

    def value_pk(self, record):
        return record.pk

    def render_mentor(self, record):
        return initials_together(record.mentor)

    def value_mentor(self, record):
        return record.mentor.full_name

    def render_mentees(self, record):
        return ", ".join(initials_together(person) for person in current_mentees(record)) or "—"

    def value_mentees(self, record):
        return ", ".join(person.full_name for person in current_mentees(record))

    def render_organization(self, record):
        return str(record.organization)

    def render_term(self, record):
        return format_html(
            '<span class="text-nowrap">{} –</span> <span class="text-nowrap">{}</span>',
            record.start_on.strftime("%d.%m.%Y"),
            record.end_on.strftime("%d.%m.%Y"),
        )

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_marks(self, record):
        marks = pair_marks(record)
        if not marks:
            return "—"
        # One element in the cell: on a phone the cell is a flex row beside its label.
        return format_html("<div>{}</div>", format_html_join(" ", "{}", ((badge(text, tone),) for text, tone in marks)))

    def value_marks(self, record):
        return "; ".join(text for text, _tone in pair_marks(record))


class MentorBaseTable(BaseTable):
    """The base for matching: another organization's people are shown by name, organization,
    forms, competencies and free places only (docs/product.md «Mentors from outside the school»)."""

    person = tables.Column("Наставник", order_by=("person__last_name", "person__first_name", "person__middle_name"))
    organization = tables.Column(
        "Организация", accessor="person__organization", order_by=("person__organization__short_name",)
    )
    forms = tables.Column("Формы", empty_values=(), orderable=False)
    competencies = tables.Column("Компетенции", orderable=False)
    free = tables.Column("Свободно", empty_values=(), order_by=("load",))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = MentorRecord
        fields = ("person", "organization", "forms", "competencies", "free", "actions")

    def __init__(self, *args, show_organization=True, scope=None, **kwargs):
        self.scope = scope
        super().__init__(*args, **kwargs)

    def render_person(self, record):
        person = record.person
        if self.scope is not None and person.organization_id in self.scope.read_organization_ids:
            return format_html('<a href="{}">{}</a>', reverse_pk("registry:person_detail", person.pk), person.full_name)
        return person.full_name

    def value_person(self, record):
        return record.person.full_name

    def render_forms(self, record):
        return ", ".join(str(form) for form in record.forms.all()) or "—"

    def render_free(self, record):
        free = max(record.capacity - record.load, 0)
        return badge(f"свободно {free} из {record.capacity}", "success" if free else "secondary")

    def value_free(self, record):
        return f"{max(record.capacity - record.load, 0)} из {record.capacity}"

    def render_actions(self, record):
        if self.scope is None or not self.scope.can_approve(record.person.organization_id):
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">Предел<span class="visually-hidden">: {}</span></a>',
            reverse_pk("mentorship:mentor_limit", record.pk),
            record.person.full_name,
        )


class RecognitionTable(BaseTable):
    person = tables.Column(
        "Наставник", linkify=True, order_by=("person__last_name", "person__first_name", "person__middle_name")
    )
    organization = tables.Column(
        "Организация", accessor="person__organization", order_by=("person__organization__short_name",)
    )
    kind = tables.Column("Вид")
    level = tables.Column("Уровень")
    title = tables.Column("Наименование")
    awarded_on = DateColumn(verbose_name="Дата")
    pair = tables.Column("За пару", orderable=False)
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = Recognition
        fields = ("person", "organization", "kind", "level", "title", "awarded_on", "pair", "actions")

    def __init__(self, *args, show_organization=True, user=None, **kwargs):
        self.user = user
        super().__init__(*args, exclude=() if show_organization else ("organization",), **kwargs)

    def render_pair(self, record):
        return format_html(
            '<a href="{}" aria-label="Пара № {}">№&nbsp;{}</a>',
            reverse_pk("mentorship:pair_detail", record.pair_id),
            record.pair_id,
            record.pair_id,
        )

    def value_pair(self, record):
        return record.pair_id

    def render_actions(self, record):
        from core.scoping import can_write

        if self.user is None or not can_write(self.user, record):
            return ""
        return format_html(
            '<a class="btn btn-sm btn-link" href="{}" aria-label="Изменить поощрение: {}, {}" title="Изменить">'
            '<i class="bi bi-pencil" aria-hidden="true"></i></a>',
            reverse_pk("mentorship:recognition_update", record.pk),
            record.get_kind_display(),
            record.person.short_name,
        )


class PracticeTable(BaseTable):
    title = tables.Column("Практика", linkify=True)
    organization = tables.Column("Организация", order_by=("organization__short_name",))
    form = tables.Column("Форма", order_by=("form__order",))
    files = tables.Column("Файлов", empty_values=(), orderable=False, attrs={"td": {"class": "text-end"}})
    created_at = DateColumn(verbose_name="Добавлена")

    class Meta(BaseTable.Meta):
        model = Practice
        fields = ("title", "organization", "form", "files", "created_at")

    def __init__(self, *args, show_organization=True, **kwargs):
        super().__init__(*args, **kwargs)

    def render_created_at(self, value):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%d.%m.%Y")

    def value_created_at(self, value):
        from django.utils import timezone

        return timezone.localtime(value).date()

    def render_files(self, record):
        return len(record.files.all())

    def value_files(self, record):
        return len(record.files.all())
