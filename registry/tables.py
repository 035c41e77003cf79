import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.russian import format_number
from core.tables import BaseTable, DateColumn, badge, icon
from registry.models import Consent, MenteeRecord, MentorRecord, Organization, Person

NAME_ORDER = ("last_name", "first_name", "middle_name")


class OrganizationTable(BaseTable):
    short_name = tables.Column("Организация", linkify=True)
    kind = tables.Column("Тип")
    director_name = tables.Column("Руководитель")
    persons_count = tables.Column("Людей", attrs={"td": {"class": "text-end"}})
    mentors_count = tables.Column("Наставников", attrs={"td": {"class": "text-end"}})
    mentees_count = tables.Column("Наставляемых", attrs={"td": {"class": "text-end"}})

    class Meta(BaseTable.Meta):
        model = Organization
        fields = ("short_name", "kind", "director_name", "persons_count", "mentors_count", "mentees_count")

    def render_short_name(self, record):
        return str(record)  # typeset: «№» stays with its number

    def value_short_name(self, record):
        return record.short_name

    # Each count links to the list it counts, filtered by the organization (and equals its length).
    def render_persons_count(self, record, value):
        return figure_link("registry:person_list", "Людей", record, value)

    def render_mentors_count(self, record, value):
        return figure_link("registry:mentor_list", "Наставников", record, value)

    def render_mentees_count(self, record, value):
        return figure_link("registry:mentee_list", "Наставляемых", record, value)

    # In exports the counts are numbers (tables2 takes render_<name> for a value without value_<name>).
    def value_persons_count(self, value):
        return value

    def value_mentors_count(self, value):
        return value

    def value_mentees_count(self, value):
        return value


def figure_link(list_name: str, label: str, organization, value: int):
    """A count that opens the list it counts; its accessible name says what it counts, where."""
    return format_html(
        '<a href="{}?organization={}" data-figure="{}" aria-label="{} в {}: {}">{}</a>',
        reverse(list_name),
        organization.pk,
        value,
        label,
        organization,
        value,
        format_number(value),
    )


class PersonTable(BaseTable):
    full_name = tables.Column("ФИО", linkify=True, order_by=NAME_ORDER)
    birth_date = DateColumn(verbose_name="Дата рождения")
    organization = tables.Column("Организация", order_by=("organization__short_name",))
    category = tables.Column("Категория")
    details = tables.Column("Класс / должность", empty_values=(), order_by=("class_name", "position"))
    bases = tables.Column("Базы", empty_values=(), orderable=False)
    consents = tables.Column("Согласия", empty_values=())

    class Meta(BaseTable.Meta):
        model = Person
        fields = ("full_name", "birth_date", "organization", "category", "details", "bases", "consents")

    def __init__(self, *args, show_organization=True, **kwargs):
        exclude = () if show_organization else ("organization",)
        super().__init__(*args, exclude=exclude, **kwargs)

    def render_details(self, record):
        return record.class_name or record.position or "—"

    def value_details(self, record):
        return record.class_name or record.position

    def value_bases(self, record):
        return ", ".join(
            name
            for attr, name in (("mentor_record", "наставник"), ("mentee_record", "наставляемый"))
            if hasattr(record, attr)
        )

    #: The consents column: (text, badge tone) by `Person.consent_state`.
    CONSENT_SHOWN = {
        "withdrawn": ("отозвано", "danger"),
        "not_needed": ("не нужны", "light"),
        "missing": ("не хватает", "warning"),
        "complete": ("есть", "success"),
    }

    @staticmethod
    def consent_case(record) -> str:
        state = record.consent_state
        if state.withdrawn:
            return "withdrawn"
        if not state.needs:
            return "not_needed"
        return "missing" if state.lacks else "complete"

    def value_consents(self, record):
        return self.CONSENT_SHOWN[self.consent_case(record)][0]

    def order_consents(self, queryset, is_descending):
        """Sorted as the column reads: not needed, complete, missing (in SQL: the page is cut after)."""
        from registry.selectors import annotate_consent_state

        keys = ("needs_consents", "consents_missing", *NAME_ORDER)
        ordered = annotate_consent_state(queryset).order_by(*(f"-{key}" if is_descending else key for key in keys))
        return ordered, True

    def render_bases(self, record):
        parts = []
        if hasattr(record, "mentor_record"):
            parts.append(badge("наставник", "primary"))
        if hasattr(record, "mentee_record"):
            parts.append(badge("наставляемый", "info"))
        return format_html_join(" ", "{}", ((p,) for p in parts)) or "—"

    def render_consents(self, record):
        return badge(*self.CONSENT_SHOWN[self.consent_case(record)])


class MentorRecordTable(BaseTable):
    person = tables.Column("Наставник", linkify=True, order_by=tuple(f"person__{f}" for f in NAME_ORDER))
    organization = tables.Column(
        "Организация", accessor="person__organization", order_by=("person__organization__short_name",)
    )
    forms = tables.Column("Формы", empty_values=(), orderable=False)
    topics = tables.Column("Может помочь с темами", empty_values=(), orderable=False)
    level = tables.Column("Уровень", order_by=("level__order",))
    is_trained = tables.BooleanColumn("Обучен", yesno="да,нет")
    entered_on = DateColumn(verbose_name="В базе с")

    class Meta(BaseTable.Meta):
        model = MentorRecord
        fields = ("person", "organization", "forms", "topics", "level", "is_trained", "entered_on")

    def __init__(self, *args, show_organization=True, **kwargs):
        super().__init__(*args, exclude=() if show_organization else ("organization",), **kwargs)

    def render_forms(self, record):
        return ", ".join(str(f) for f in record.forms.all()) or "—"

    def render_topics(self, record):
        return ", ".join(str(t) for t in record.topics.all()) or "—"


class MenteeRecordTable(BaseTable):
    person = tables.Column("Наставляемый", linkify=True, order_by=tuple(f"person__{f}" for f in NAME_ORDER))
    organization = tables.Column(
        "Организация", accessor="person__organization", order_by=("person__organization__short_name",)
    )
    class_name = tables.Column("Класс / должность", accessor="person", empty_values=(), orderable=False)
    forms = tables.Column("Формы", empty_values=(), orderable=False)
    requests = tables.Column("Запрос", empty_values=(), orderable=False)
    portrait = tables.Column("Портрет")
    entered_on = DateColumn(verbose_name="В базе с")

    class Meta(BaseTable.Meta):
        model = MenteeRecord
        fields = ("person", "organization", "class_name", "forms", "requests", "portrait", "entered_on")

    def __init__(self, *args, show_organization=True, **kwargs):
        super().__init__(*args, exclude=() if show_organization else ("organization",), **kwargs)

    def render_class_name(self, value):
        return value.class_name or value.position or "—"

    def render_forms(self, record):
        return ", ".join(str(f) for f in record.forms.all()) or "—"

    def render_requests(self, record):
        return ", ".join(str(t) for t in record.requests.all()) or "—"


class ConsentTable(BaseTable):
    person = tables.Column("Человек", linkify=True, order_by=tuple(f"person__{f}" for f in NAME_ORDER))
    organization = tables.Column(
        "Организация", accessor="person__organization", order_by=("person__organization__short_name",)
    )
    kind = tables.Column("Вид")
    signed_on = DateColumn(verbose_name="Подписано")
    representative_name = tables.Column("Представитель")
    scan = tables.Column("Скан", empty_values=(), orderable=False)
    withdrawn_on = DateColumn(verbose_name="Отозвано")

    class Meta(BaseTable.Meta):
        model = Consent
        fields = ("person", "organization", "kind", "signed_on", "representative_name", "scan", "withdrawn_on")

    def __init__(self, *args, show_organization=True, **kwargs):
        super().__init__(*args, exclude=() if show_organization else ("organization",), **kwargs)

    def value_scan(self, record):
        return "есть" if record.scan else ""

    def render_scan(self, record):
        if not record.scan:
            return "—"
        from django.urls import reverse

        return format_html(
            '<a href="{}">{} скан<span class="visually-hidden">: {}, {} от {}</span></a>',
            reverse("registry:consent_scan", args=[record.pk]),
            icon("file-earmark-arrow-down"),
            record.person.short_name,
            record.get_kind_display().lower(),
            record.signed_on.strftime("%d.%m.%Y"),
        )
