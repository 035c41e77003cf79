"""The demo municipality's roadmaps: the Назарово municipal roadmap of seed 000 and a school roadmap
in the shape of seed 002 for curator1's school, each imported from a Word document the demo writes
(`roadmaps.demo_documents`) through the same import as the portal's page (`RoadmapImporter`,
`core.importing.run_import`), then approved and executed through the services.

The years are moved. Seed 000's roadmap is for 2021–2024, approved by order № 122\\1-о of
26.05.2020; the demo is loaded on any day, and a roadmap whose every window had passed would show
nothing but overdue items. So every year of the document (the order's date, the period in the
title, each deadline) is moved by the same number of years, `year_shift(today)`, which puts the
demo's day in the period's second year: loaded in 2026, the roadmap is for 2025–2028, approved on
26.05.2024. Each phrase keeps its form («Май-октябрь 2024 г.», «Сентябрь-ноябрь Ежегодно 2025 –
2028 гг.»). The school roadmap is for the current academic year; three of its deadlines are
written from the demo's day, so that curator1 always has items due within 14 days and one overdue.

Execution is spread over the schools deterministically (by the school's and the item's places): an
item whose last window has passed is mostly done (some with a PDF «справка», a link, a comment),
some overdue, a few not required; a current item is done, in progress or not started; a future one
mostly not started. curator1 marks their school's items under their own login, the coordinator the
authority's own items; elsewhere the system does.

Idempotent: `load_demo` loads them only when the municipality has no roadmap yet.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import dateformat, translation

from core.choices import Role
from core.importing import run_import
from core.models import RoleAssignment
from core.services import delete_files_on_commit
from registry.choices import OrganizationKind
from registry.models import Municipality, Organization, current_academic_year_start
from roadmaps import demo_documents, selectors, services
from roadmaps.choices import ExecutionStatus, RoadmapStatus
from roadmaps.importers import RoadmapImporter
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem

#: The seed's period starts in 2021; the demo's day falls in the period's second year.
SEED_FIRST_YEAR = 2021
MUNICIPAL_FILE = "Приказ № 122-1-о с дорожной картой.docx"
SCHOOL_FILE = "Дорожная карта наставничества.docx"
#: Evidence files (a PDF each) the demo writes at most: each is rendered, which takes a moment.
EVIDENCE_FILES = 8


def year_shift(today: datetime.date) -> int:
    """How many years the seed's dates move so that `today` falls in the period's second year."""
    return today.year - 1 - SEED_FIRST_YEAR


def demo_roadmaps_exist(municipality: Municipality) -> bool:
    return Roadmap.objects.filter(municipality=municipality).exists()


def delete_demo_roadmaps(municipality: Municipality) -> int:
    """Delete the municipality's roadmaps (their items, windows and executions, whose files go
    once the deletion commits): they hold its organizations (PROTECT). Returns their number."""
    executions = ItemExecution.objects.filter(item__roadmap__municipality=municipality).exclude(evidence="")
    delete_files_on_commit(execution.evidence for execution in executions)
    roadmaps = Roadmap.objects.filter(municipality=municipality)
    count = roadmaps.count()
    roadmaps.delete()
    return count


def _user(role: str, **place):
    assignment = (
        RoleAssignment.objects.filter(role=role, **place).select_related("user").order_by("user__username").first()
    )
    return assignment.user if assignment else None


def _import(*, user, name: str, content: bytes, municipality=None, organization=None) -> Roadmap:
    """The document through the portal's import, as the coordinator or the curator would load it."""
    importer = RoadmapImporter(user=user, municipality=municipality, organization=organization)
    result = run_import(importer, name=name, content=content, dry_run=False)
    if not result.saved:
        problems = [result.file_error, *result.missing, *(error.message for error in result.errors)]
        raise RuntimeError("The demo's roadmap was not imported: " + "; ".join(filter(None, problems)))
    return Roadmap.objects.get(pk=result.preview["roadmap_id"])


def _approve(roadmap: Roadmap, *, number: str, date: datetime.date, user) -> None:
    roadmap.status = RoadmapStatus.APPROVED
    roadmap.order_number = number
    roadmap.order_date = date
    services.roadmap_save(roadmap=roadmap, user=user)


def _russian_date(day: datetime.date) -> str:
    with translation.override("ru"):
        return dateformat.format(day, "j E Y")


def school_rows(school: str, year: int, today: datetime.date) -> tuple[demo_documents.StageRow, ...]:
    """Seed 002's rows for `school` and the academic year `year`, as a careful school writes them:
    a deadline and a responsible for each activity of a row (one for the whole row where they are
    the same); the third row keeps the seed's three responsibles for its eight activities, so the
    import's warning shows. Item 9 fell due twelve days ago, items 2.1.1 and 2.1.2 fall due in five
    and ten days."""
    y, n = year, year + 1
    rows = list(demo_documents.rows_002(school, year))
    rows[0] = demo_documents.StageRow(
        rows[0].number,
        rows[0].name,
        rows[0].activities,
        (f"Август - сентябрь {y}",),
        ("Ведущий наставник Старшие наставники", "Директор Ведущий наставник", "Директор"),
    )
    rows[1] = demo_documents.StageRow("", "", rows[1].activities, (f"Август-сентябрь {y}",), ("Ведущий наставник",))
    rows[2] = demo_documents.StageRow(
        "",
        "",
        rows[2].activities,
        (
            f"Сентябрь {y}",
            f"Сентябрь {y}",
            f"В течение {y}-{n} учебного года",
            f"Октябрь {y}",
            f"Октябрь {y}",
            "по мере необходимости",
            f"Сентябрь {y}",
            f"До {_russian_date(today - datetime.timedelta(days=12))} г.",
        ),
        rows[2].responsibles,
    )
    rows[3] = demo_documents.StageRow(
        rows[3].number,
        rows[3].name,
        rows[3].activities,
        (
            f"В течение {y}-{n} учебного года",
            f"До {_russian_date(today + datetime.timedelta(days=5))} г.",
            f"До {_russian_date(today + datetime.timedelta(days=10))} г.",
            f"В течение {y}-{n} учебного года",
        ),
        ("Ведущий наставник", "Старшие наставники", "Наставники-специалисты", "Педагог-психолог"),
    )
    return tuple(rows)


class Executor:
    """Marks the demo's execution through `services.execution_save`, a PDF now and then."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.files = 0
        self.marked = 0

    def mark(self, item: RoadmapItem, organization, status: str, *, user, done_on=None, comment="", link="", pdf=False):
        execution = services.execution_for(item, organization)
        execution.status = status
        execution.done_on = done_on
        execution.comment = comment
        execution.link = link
        if pdf and self.files < EVIDENCE_FILES:
            self.files += 1
            who = organization.short_name if organization is not None else "Управление образования"
            content = demo_documents.evidence_pdf(
                "Справка об исполнении",
                [
                    f"Пункт {item.number} дорожной карты: {item.title[:200]}",
                    f"Исполнитель: {who}.",
                    f"Выполнено {done_on:%d.%m.%Y}." if done_on else "",
                ],
            )
            execution.evidence = ContentFile(content, name=f"справка-{item.number.rstrip('.')}.pdf")
        services.execution_save(execution=execution, user=user, today=self.today)
        self.marked += 1


def _days(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def execute_municipal(
    roadmap: Roadmap, *, today: datetime.date, coordinator, curators: dict, executor: Executor
) -> None:
    """Each school's execution of the items addressed to the schools, and the authority's own."""
    items = selectors.roadmap_items(roadmap)
    parents = {item.parent_id for item in items}
    schools = list(
        Organization.objects.filter(municipality_id=roadmap.municipality_id, kind=OrganizationKind.SCHOOL).order_by(
            "short_name", "pk"
        )
    )
    for j, item in enumerate(items):
        if item.pk in parents or item.due_end is None:
            continue
        if not item.for_schools:
            if item.due_end < today:
                done = min(item.due_end, today)
                executor.mark(item, None, ExecutionStatus.DONE, user=coordinator, done_on=done, comment="Выполнено.")
            continue
        for i, school in enumerate(schools):
            _mark_school(item, school, i, j, today=today, user=curators.get(school.pk), executor=executor)


def _mark_school(item: RoadmapItem, school, i: int, j: int, *, today, user, executor: Executor) -> None:
    r = (i * 7 + j * 3) % 20
    site = f"https://school{i + 1}.nazarovo.example/nastavnichestvo"
    if item.due_end < today:  # its last window has passed
        if r < 14:
            done = max(item.due_start or item.due_end, _days(min(item.due_end, today), -(r % 20)))
            executor.mark(
                item,
                school,
                ExecutionStatus.DONE,
                user=user,
                done_on=min(done, today),
                comment=f"Приказ по школе от {done:%d.%m.%Y} № {10 + j}-од.",
                link=site if r % 3 == 0 else "",
                pdf=r % 4 == 0,
            )
        elif r < 16:
            executor.mark(
                item, school, ExecutionStatus.IN_PROGRESS, user=user, comment="Не успели к сроку: доделываем."
            )
        elif r < 18:
            return  # not started and overdue: no row
        else:
            executor.mark(item, school, ExecutionStatus.NOT_REQUIRED, user=user, comment="Не требуется в этом году.")
    elif (item.due_start or today) <= today:  # a window is open, or the next one comes
        if r < 5:
            done = max(item.due_start or today, _days(today, -(r + 3)))
            executor.mark(
                item, school, ExecutionStatus.DONE, user=user, done_on=min(done, today), link=site, pdf=r == 0
            )
        elif r < 13:
            executor.mark(item, school, ExecutionStatus.IN_PROGRESS, user=user, comment="В работе.")
    elif r < 2:
        executor.mark(item, school, ExecutionStatus.IN_PROGRESS, user=user, comment="Начали заранее.")


def execute_school(roadmap: Roadmap, *, today: datetime.date, curator, executor: Executor) -> None:
    """curator1's school: what is past is done, but item 9 (overdue); item 7.4 is not required;
    what falls due soon (2.1.1, 2.1.2) is in progress or not started."""
    items = selectors.roadmap_items(roadmap)
    parents = {item.parent_id for item in items}
    school = roadmap.organization
    for j, item in enumerate(items):
        if item.pk in parents or item.due_end is None:
            if item.deadline_kind == "on_need":
                executor.mark(
                    item,
                    school,
                    ExecutionStatus.NOT_REQUIRED,
                    user=curator,
                    comment="Сетевое взаимодействие не понадобилось.",
                )
            continue
        number = item.number.rstrip(".")
        if number in ("9", "2.1.2"):
            continue  # overdue; due soon and not started
        if number == "2.1.1":
            executor.mark(
                item, school, ExecutionStatus.IN_PROGRESS, user=curator, comment="Пары подобраны, ждём согласий."
            )
        elif item.due_end < today:
            done = max(
                item.due_start or item.due_end, min(item.due_end, _days(today, -3)) - datetime.timedelta(days=j % 9)
            )
            executor.mark(
                item,
                school,
                ExecutionStatus.DONE,
                user=curator,
                done_on=min(done, today),
                comment="Выполнено.",
                pdf=number in ("1.2", "8"),
                link="https://school1.nazarovo.example/nastavnichestvo" if number == "7.1" else "",
            )
        elif j % 3 == 0:
            executor.mark(item, school, ExecutionStatus.IN_PROGRESS, user=curator, comment="В работе.")


def load_demo_roadmaps(*, municipality: Municipality, today: datetime.date) -> tuple[dict, list[str]]:
    """The demo municipality's roadmaps with their execution. Returns (counts, notes)."""
    coordinator = _user(Role.COORDINATOR, municipality=municipality, user__username="coordinator") or _user(
        Role.COORDINATOR, municipality=municipality
    )
    curator_rows = RoleAssignment.objects.filter(
        role=Role.CURATOR, organization__municipality=municipality, user__username="curator1"
    ).select_related("user", "organization")
    curators = {row.organization_id: row.user for row in curator_rows}
    shift = year_shift(today)
    executor = Executor(today)

    municipal = _import(
        user=coordinator,
        name=MUNICIPAL_FILE,
        content=demo_documents.nazarovo_order_docx(shift=shift),
        municipality=municipality,
    )
    _approve(municipal, number="122\\1-о", date=datetime.date(2020 + shift, 5, 26), user=coordinator)
    issue_municipal_order(municipal, number="122\\1-о", date=datetime.date(2020 + shift, 5, 26), user=coordinator)
    execute_municipal(municipal, today=today, coordinator=coordinator, curators=curators, executor=executor)

    notes = []
    school_row = next(iter(curator_rows), None)
    if school_row is None:
        notes.append("Школьная дорожная карта не создана: нет логина curator1.")
    else:
        school, curator = school_row.organization, school_row.user
        year = current_academic_year_start(today)
        content = demo_documents.school_roadmap_docx(
            school=school.short_name, year=year, rows=school_rows(school.short_name, year, today)
        )
        own = _import(user=curator, name=SCHOOL_FILE, content=content, organization=school)
        _approve(own, number="87-од", date=datetime.date(year, 8, 30), user=curator)
        execute_school(own, today=today, curator=curator, executor=executor)
    return roadmap_counts(municipality), notes


def issue_municipal_order(roadmap: Roadmap, *, number: str, date: datetime.date, user) -> None:
    """Seed 000 as the portal issues it (issue 10 §5): the authority's order «О внедрении целевой
    модели наставничества» appointing the coordinator, with the municipal roadmap as its appendix,
    in the register under the seed's number and date."""
    from core import issuing
    from registry.orders import Official
    from roadmaps.kinds import MunicipalCmnOrder

    order = MunicipalCmnOrder(roadmap, appointees=[Official.of_user(user)])
    document = issuing.document_prepare(kind=order, user=user, municipality=roadmap.municipality)
    issuing.document_issue(document=document, number=number, date=date, user=user, today=date)


def roadmap_counts(municipality: Municipality) -> dict[str, int]:
    """The figures of the municipality's roadmaps for the summary of `load_demo`."""
    items = RoadmapItem.objects.filter(roadmap__municipality=municipality)
    executions = ItemExecution.objects.filter(item__roadmap__municipality=municipality)
    return {
        "roadmaps": Roadmap.objects.filter(municipality=municipality).count(),
        "roadmap_items": items.count(),
        "roadmap_executions": executions.count(),
        "roadmap_done": executions.filter(status=ExecutionStatus.DONE).count(),
    }
