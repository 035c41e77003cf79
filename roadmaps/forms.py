"""Forms of the roadmaps pages. They collect what `roadmaps.services` needs and offer only what the
user may choose; the rules are the services' (house style, habit 2): a refusal lands on the form."""

from __future__ import annotations

import datetime

from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from core.choices import Role
from core.forms import DateInput, IdsMultipleChoiceField, ServiceForm, ServiceModelForm
from core.models import RoleAssignment
from core.profiles import full_name, position_of
from core.scoping import get_scope
from registry.choices import OrganizationKind
from registry.models import Municipality, Organization
from registry.orders import Official
from roadmaps.choices import ExecutionStatus
from roadmaps.kinds import CMN_GROUNDS, WORKING_GROUP_GROUNDS
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem
from roadmaps.selectors import DUE_SOON_DAYS

#: How many pairs of dates «Задать даты вручную» offers: seed 000's longest schedule has four
#: windows («Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.»), a few more leave room.
MANUAL_WINDOWS = 6

DEADLINE_EXAMPLES = (
    "Как в документе, например: «Май-октябрь 2020 г.», «Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.», "
    "«До 1 июня 2021 г.», «в срок до 1 марта 2023 года», «постоянно», «по мере необходимости». "
    "Портал сам разберёт даты; непонятный срок сохранится как написан, и его даты можно задать ниже."
)


def school_choices(municipality_id: int):
    """The general-education schools of a municipality, by name (roadmaps are theirs: seed 002)."""
    return Organization.objects.filter(municipality_id=municipality_id, kind=OrganizationKind.SCHOOL).order_by(
        "short_name"
    )


# Roadmaps -----------------------------------------------------------------------------------------


class RoadmapForm(ServiceModelForm):
    """A roadmap: its title, period, approving order and status; on creation, whose it is — the
    municipality's (kept by the coordinator, seed 000) or a school's (seed 002). A curator's
    roadmap is their school's; the level is not changed afterwards (its items' execution depends
    on it)."""

    level = forms.ChoiceField(
        label="Чья дорожная карта",
        help_text="Муниципальная — план управления образования для всех школ; школьная — план одной школы.",
    )

    class Meta:
        model = Roadmap
        fields = ["title", "starts_on", "ends_on", "order_number", "order_date", "status"]
        labels = {"starts_on": "Начало периода", "ends_on": "Конец периода"}
        help_texts = {
            "title": "Как в документе: «Дорожная карта внедрения целевой модели наставничества … на 2021–2024 гг.».",
            "starts_on": (
                "Учебный год — с 1 сентября по 31 августа (01.09.2024 – 31.08.2025); календарные годы — "
                "с 1 января первого года по 31 декабря последнего (01.01.2021 – 31.12.2024). Сроки пунктов "
                "«ежегодно», «постоянно», «сентябрь» читаются внутри этого периода."
            ),
            "ends_on": "Последний день периода включительно.",
            "order_number": "Приказ, которым утверждена дорожная карта, например «122\\1-о».",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = self._levels()
        level = self.fields["level"]
        level.choices = [(value, label) for value, label, _ in self.levels]
        if self.instance.pk:
            level.disabled = True
            level.initial = self._value_of(self.instance)
            level.help_text = "Не меняется: от этого зависит, кто отмечает исполнение пунктов."
            if level.initial not in {value for value, _, _ in self.levels}:
                level.choices = [(level.initial, self._label_of(self.instance))]
        elif len(self.levels) == 1:
            level.initial = self.levels[0][0]
            level.widget = forms.HiddenInput()
        self.helper.layout = Layout(
            "level",
            "title",
            Div(Div("starts_on", css_class="col-sm-6"), Div("ends_on", css_class="col-sm-6"), css_class="row"),
            Div(Div("order_number", css_class="col-sm-6"), Div("order_date", css_class="col-sm-6"), css_class="row"),
            "status",
        )

    def _levels(self) -> list[tuple[str, str, tuple]]:
        """(value, label, (municipality, organization)) of what the user may create: «m<id>» for a
        municipality's own roadmap (coordinators), «o<id>» for a school's (coordinators: every
        school of their municipality; curators: their schools)."""
        scope = get_scope(self.user)
        municipalities = Municipality.objects.for_user(self.user, write=True).order_by("name")
        levels = []
        several = scope.is_superuser or len(scope.write_municipality_ids) > 1
        for municipality in municipalities:
            label = f"Муниципальная — {municipality.name}" if several else "Муниципальная"
            levels.append((f"m{municipality.pk}", label, (municipality, None)))
        schools = (
            Organization.objects.for_user(self.user, write=True)
            .filter(kind=OrganizationKind.SCHOOL)
            .select_related("municipality")
            .order_by("municipality__name", "short_name")
        )
        for school in schools:
            levels.append((f"o{school.pk}", f"Школьная — {school}", (school.municipality, school)))
        return levels

    @staticmethod
    def _value_of(roadmap: Roadmap) -> str:
        return f"o{roadmap.organization_id}" if roadmap.organization_id else f"m{roadmap.municipality_id}"

    @staticmethod
    def _label_of(roadmap: Roadmap) -> str:
        return f"Школьная — {roadmap.organization}" if roadmap.organization_id else "Муниципальная"

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            chosen = {value: place for value, _, place in self.levels}.get(cleaned.get("level"))
            if chosen is not None:
                self.instance.municipality, self.instance.organization = chosen
        return cleaned


# Items --------------------------------------------------------------------------------------------


class ItemForm(ServiceModelForm):
    """An item as the document writes it: number, place in the tree, title, the deadline as worded,
    the responsibles as written, the expected result; for a municipal roadmap the schools it is
    addressed to; and «Задать даты вручную» for a deadline the parser did not understand
    («срок не распознан», `services.item_save(windows=…)`)."""

    class Meta:
        model = RoadmapItem
        fields = [
            "number",
            "parent",
            "title",
            "deadline_text",
            "responsible_municipal",
            "responsible_organization",
            "result",
            "organizations",
        ]
        labels = {
            "number": "Номер",
            "parent": "Входит в",
            "deadline_text": "Срок (как в документе)",
            "responsible_municipal": "Ответственные на муниципальном уровне",
            "responsible_organization": "Ответственные на уровне ОО",
            "result": "Ожидаемый результат, вид документа",
            "organizations": "Школы",
        }
        help_texts = {
            "number": "Как в документе: «1.», «1.1.», «2.3.1».",
            "parent": "Этап или пункт, в который входит этот пункт; пусто — это этап верхнего уровня.",
            "deadline_text": DEADLINE_EXAMPLES,
            "responsible_municipal": "Как в документе; «Управление образования», «координатор» портал узнает.",
            "responsible_organization": (
                "Как в документе; «Руководители ОО», «Кураторы внедрения ЦМН в ОО» портал узнает, "
                "и пункт будут отмечать школы."
            ),
            "organizations": (
                "Кому из школ адресован пункт. Ничего не отмечено — школам, названным в ответственных, "
                "а если ответственные ОО названы общими словами — всем школам муниципалитета."
            ),
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "responsible_municipal": forms.Textarea(attrs={"rows": 2}),
            "responsible_organization": forms.Textarea(attrs={"rows": 2}),
            "result": forms.Textarea(attrs={"rows": 2}),
            "organizations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.roadmap = roadmap
        parents = roadmap.items.order_by("position", "pk")
        if self.instance.pk:
            parents = parents.exclude(pk__in=_self_and_descendants(self.instance))
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda item: f"{'— ' * (item.level - 1)}{item}"
        if roadmap.is_municipal:
            self.fields["organizations"].queryset = school_choices(roadmap.municipality_id)
        else:
            del self.fields["organizations"]
        windows = list(self.instance.windows.all()) if self.instance.pk and self.instance.deadline_manual else []
        for index in range(1, MANUAL_WINDOWS + 1):
            window = windows[index - 1] if index <= len(windows) else None
            for part, label in (("start", "с"), ("end", "по")):
                name = f"window_{index}_{part}"
                self.fields[name] = forms.DateField(label=f"Срок {index}: {label}", required=False, widget=DateInput())
                if window is not None:
                    self.initial[name] = window.starts_on if part == "start" else window.ends_on
        self.unrecognised = bool(self.instance.pk) and not self.instance.deadline_recognised
        self.helper.layout = self._layout()

    def _layout(self) -> Layout:
        rows = [
            Div(
                Div(Field(f"window_{i}_start"), css_class="col-6 col-md-4"),
                Div(Field(f"window_{i}_end"), css_class="col-6 col-md-4"),
                css_class="row g-2",
            )
            for i in range(1, MANUAL_WINDOWS + 1)
        ]
        legend = "Задать даты вручную"
        intro = (
            '<p class="small text-body-secondary">Если срок понят неверно или не распознан, задайте даты сами: '
            "каждая строка — период «с … по …» (для одного дня обе даты одинаковы). Оставьте строки пустыми, "
            "чтобы вернуться к датам, прочитанным из срока.</p>"
        )
        if self.unrecognised:
            # No text of the user goes into HTML(): crispy renders it as a template.
            intro = (
                '<div class="alert alert-warning py-2 small">Срок пункта не распознан: задайте даты, чтобы '
                "пункт попал в список того, что сделать, и мог стать просроченным.</div>" + intro
            )
        fields = ["number", "parent", "title", "deadline_text"]
        if self.unrecognised:
            # Right under the deadline, open: this is what the item waits for.
            manual = Fieldset(legend, HTML(intro), *rows, css_class="border border-warning rounded p-3 mb-3")
            fields.append(Div(manual, css_id="manual-windows"))
        fields += ["responsible_municipal", "responsible_organization", "result"]
        if "organizations" in self.fields:
            fields.append("organizations")
        if not self.unrecognised:
            # Folded (a <details>: no script) unless dates were set by hand already.
            opened = " open" if self.instance.deadline_manual or self.windows_posted() else ""
            fields += [
                HTML(
                    f'<details id="manual-windows" class="border rounded p-3 mb-3"{opened}>'
                    f'<summary class="fw-semibold">{legend}</summary>'
                ),
                HTML(intro),
                *rows,
                HTML("</details>"),
            ]
        return Layout(*fields)

    def windows_posted(self) -> bool:
        return self.is_bound and any(
            self.data.get(f"window_{i}_{part}") for i in range(1, MANUAL_WINDOWS + 1) for part in ("start", "end")
        )

    def windows(self) -> list[tuple[datetime.date, datetime.date]]:
        """The pairs of dates filled in; a half-filled pair is the form's error, by its row."""
        return [
            (self.cleaned_data[f"window_{i}_start"], self.cleaned_data[f"window_{i}_end"])
            for i in range(1, MANUAL_WINDOWS + 1)
            if self.cleaned_data.get(f"window_{i}_start") and self.cleaned_data.get(f"window_{i}_end")
        ]

    def clean(self):
        cleaned = super().clean()
        for i in range(1, MANUAL_WINDOWS + 1):
            start_name, end_name = f"window_{i}_start", f"window_{i}_end"
            if start_name in self.errors or end_name in self.errors:
                continue  # a date that could not be read says so itself
            start, end = cleaned.get(start_name), cleaned.get(end_name)
            if (start is None) != (end is None):
                missing, what = (end_name, "окончание") if start else (start_name, "начало")
                self.add_error(missing, f"Срок {i}: укажите {what} или очистите обе даты.")
            elif start and end and end < start:
                self.add_error(end_name, f"Срок {i}: окончание раньше начала.")
        return cleaned

    def apply_error(self, error: ValidationError) -> None:
        """The service's «windows» refusal lands on the manual dates' first field."""
        if hasattr(error, "error_dict") and "windows" in error.error_dict:
            error.error_dict["window_1_start"] = error.error_dict.pop("windows")
        super().apply_error(error)


def _self_and_descendants(item: RoadmapItem) -> set[int]:
    """An item and everything under it: none of them may become its parent (no cycles)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in item.roadmap.items.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), [item.pk]
    while todo:
        pk = todo.pop()
        found.add(pk)
        todo += children.get(pk, [])
    return found


# Execution ----------------------------------------------------------------------------------------


class ExecutionForm(ServiceModelForm):
    """How far an organization has come with an item, with its evidence: «выполнено» takes the
    date done (today when left empty), a link, a comment, a file (PDF, JPEG or PNG, checked by
    its content as scans are)."""

    link = forms.URLField(
        label="Ссылка",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Страница на сайте школы, документ в облаке и т. п.",
    )

    class Meta:
        model = ItemExecution
        fields = ["status", "done_on", "link", "comment", "evidence"]
        labels = {"status": "Исполнение", "evidence": "Файл-подтверждение"}
        help_texts = {
            "done_on": "Для «выполнено»; если не указать, будет сегодняшняя дата.",
            "evidence": "Приказ, протокол, отчёт: PDF, JPEG или PNG до 10 МБ.",
        }
        widgets = {"status": forms.RadioSelect, "comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ExecutionStatus.choices
        self.fields["evidence"].widget = forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})
        self.fields["evidence"].required = False
        if self.instance.evidence:
            self.fields["remove_evidence"] = forms.BooleanField(label="Удалить приложенный файл", required=False)

    def _get_validation_exclusions(self):
        # «Выполнено» without a date takes today in `execution_save`: the model's «Укажите дату
        # выполнения» must not refuse it first.
        return {*super()._get_validation_exclusions(), "done_on"}

    def _post_clean(self):
        super()._post_clean()  # the instance is built from the fields here
        if self.cleaned_data.get("remove_evidence") and not self.files.get("evidence"):
            self.instance.evidence = ""  # save_audited removes the stored file once the change is kept


# Copies and templates -----------------------------------------------------------------------------


class RoadmapCopyForm(ServiceForm):
    """«Скопировать в школы»: the schools that get the municipal roadmap as their own (seed 002 is
    such a school roadmap), and the copies' title."""

    organizations = IdsMultipleChoiceField(
        label="Школы",
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Отметьте школы, которым нужна копия."},
    )
    title = forms.CharField(
        label="Название копий",
        max_length=500,
        required=False,
        help_text="Пусто — как у муниципальной дорожной карты.",
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = schools


class TemplateChangesForm(ServiceForm):
    """The template's changes a school takes into its copy: nothing is pushed without this."""

    changes = forms.MultipleChoiceField(
        label="Изменения шаблона",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Отметьте изменения шаблона, которые нужно принять."},
    )

    def __init__(self, *args, changes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changes"].choices = [
            (str(change.template_item.pk), str(change.template_item)) for change in changes
        ]

    def chosen_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["changes"]]


# The due list -------------------------------------------------------------------------------------


class DueFilterForm(ServiceForm):
    """The due list's choices, in the URL: which school (a user of several, the coordinator) and
    what to show — everything open, what falls due within `DUE_SOON_DAYS` (the home page's
    figure), or only what is overdue."""

    SHOW_CHOICES = [
        ("", "Все невыполненные"),
        ("soon", f"Просроченные и со сроком в ближайшие {DUE_SOON_DAYS} дней"),
        ("overdue", "Только просроченные"),
    ]

    organization = forms.ModelChoiceField(
        label="Школа",
        queryset=Organization.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Этой школы нет среди доступных вам. Выберите школу из списка."},
    )
    show = forms.ChoiceField(label="Показать", choices=SHOW_CHOICES, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = schools
        scope = get_scope(self.user)
        self.fields["organization"].empty_label = "Все школы: сводка" if scope.is_municipal else "— выберите —"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


# The orders on the ЦМН and on the working group (roadmaps.kinds) ------------------------------


class HolderChoices(forms.ModelMultipleChoiceField):
    """Role holders as an order names them: «Шестакова Татьяна Васильевна — методист»."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, user):
        position = position_of(user)
        return f"{full_name(user)} — {position}" if position else full_name(user)


class HolderChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return HolderChoices.label_from_instance(self, user)


def holders(*where: Q, **held) -> QuerySet:
    """The users holding a role as `held` says (role, organization, municipality …), with their profiles."""
    return (
        get_user_model()
        .objects.filter(pk__in=RoleAssignment.objects.filter(*where, **held).values("user_id"))
        .select_related("profile")
        .order_by("last_name", "first_name", "pk")
    )


def place_holders(municipality_id: int, organization_id: int | None) -> QuerySet:
    """Who an order of this issuer may put the control on: the school's role holders, or the
    authority's (its coordinators and observers)."""
    if organization_id is not None:
        return holders(organization_id=organization_id)
    return holders(municipality_id=municipality_id)


CONTROL_HELP = "Пусто — «Контроль за исполнением настоящего приказа оставляю за собой» (seed 001)."


class CmnOrderForm(ServiceForm):
    """The order «О внедрении целевой модели наставничества» before it is prepared: the grounds
    (seed 000's wording, editable), who is appointed (a school's curators or the municipal
    coordinators, all of them prefilled), who the control is put on, and whether the Положение is
    appended (seed 001 item 1.2)."""

    grounds = forms.CharField(
        label="Основание (преамбула)",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Как в приказе перед «ПРИКАЗЫВАЮ:»; текст взят из приказа № 122\\1-о г. Назарово, его можно изменить.",
    )
    appointees = HolderChoices(queryset=get_user_model().objects.none(), label="Назначить")
    controller = HolderChoice(
        queryset=get_user_model().objects.none(), required=False, label="Контроль возложить на", help_text=CONTROL_HELP
    )
    polozhenie = forms.BooleanField(
        required=False, initial=True, label="Утвердить Положение о программе наставничества (приложение)"
    )

    empty_labels = {"controller": "— оставляю за собой —"}

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        if roadmap.is_municipal:
            appointees = holders(role=Role.COORDINATOR, municipality_id=roadmap.municipality_id)
            self.fields["appointees"].label = "Назначить муниципальным координатором"
            self.fields["appointees"].help_text = "Координаторы муниципалитета; ФИО и должность — из их профилей."
        else:
            appointees = holders(role=Role.CURATOR, organization_id=roadmap.organization_id)
            self.fields["appointees"].label = "Назначить куратором внедрения ЦМН"
            self.fields["appointees"].help_text = "Кураторы школы; ФИО и должность — из их профилей."
        self.fields["appointees"].queryset = appointees
        self.fields["appointees"].error_messages["required"] = (
            "Отметьте, кого назначить. Если в списке никого нет, сначала дайте роль в «Пользователях»."
        )
        self.fields["controller"].queryset = place_holders(roadmap.municipality_id, roadmap.organization_id)
        self.initial.setdefault("grounds", CMN_GROUNDS)
        self.initial.setdefault("appointees", list(appointees.values_list("pk", flat=True)))


class WorkingGroupOrderForm(ServiceForm):
    """The order on the municipal coordinator and the working group (seed 001 item 1.3 and
    appendix 3): the coordinator appointed, the chair (the head of the authority, prefilled), the
    members chosen from the municipality's role holders and typed one a line."""

    grounds = forms.CharField(label="Основание (преамбула)", widget=forms.Textarea(attrs={"rows": 6}))
    coordinator = HolderChoice(queryset=get_user_model().objects.none(), label="Назначить муниципальным координатором")
    chair = forms.CharField(
        label="Председатель рабочей группы",
        required=False,
        max_length=500,
        help_text="Фамилия Имя Отчество; должность; место работы.",
    )
    members = HolderChoices(
        queryset=get_user_model().objects.none(), required=False, label="Члены рабочей группы из пользователей портала"
    )
    others = forms.CharField(
        label="Другие члены рабочей группы",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "По одному в строке: «Фамилия Имя Отчество; должность; место работы». "
            "Пометку «(по согласованию)» можно написать после ФИО."
        ),
    )
    controller = HolderChoice(
        queryset=get_user_model().objects.none(), required=False, label="Контроль возложить на", help_text=CONTROL_HELP
    )

    empty_labels = {"controller": "— оставляю за собой —", "coordinator": "— выберите —"}

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        coordinators = holders(role=Role.COORDINATOR, municipality_id=municipality.pk)
        self.fields["coordinator"].queryset = coordinators
        self.fields["members"].queryset = holders_of_municipality(municipality.pk)
        self.fields["controller"].queryset = place_holders(municipality.pk, None)
        self.initial.setdefault("grounds", WORKING_GROUP_GROUNDS)
        first = coordinators.first()
        if first is not None:
            self.initial.setdefault("coordinator", first.pk)
        if municipality.head_name:
            parts = (municipality.head_name, municipality.head_position, municipality.authority_name)
            self.initial.setdefault("chair", "; ".join(part for part in parts if part))

    def clean_chair(self):
        line = self.cleaned_data["chair"].strip()
        if not line:
            return None
        try:
            chair = Official.from_line(line)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        chair.chair = True
        return chair

    def clean_others(self):
        people, errors = [], []
        for number, line in enumerate(self.cleaned_data["others"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                people.append(Official.from_line(line))
            except ValueError as error:
                errors.append(f"Строка {number}: {error}")
        if errors:
            raise ValidationError(errors)
        return people

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("chair") or cleaned.get("members") or cleaned.get("others")):
            raise ValidationError("В рабочей группе нет ни одного человека: укажите председателя или членов группы.")
        return cleaned


def holders_of_municipality(municipality_id: int) -> QuerySet:
    """Everyone holding a role in the municipality: its coordinators and observers, the curators
    and directors of its organizations (core.profiles.role_holders, for one municipality)."""
    return holders(Q(municipality_id=municipality_id) | Q(organization__municipality_id=municipality_id))
