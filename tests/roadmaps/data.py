"""Roadmaps of the `world` made through the services, as a coordinator and a curator would make them:
the pages' tests (access, queries, figures, every page of every role) open them.

- `municipal`: the municipality's roadmap (seed 000's shape, dates relative to today): a stage
  «Организационный этап» with an item the authority carries out (overdue), one addressed to every
  school («Руководители ОО», due in 5 days) and one addressed to the curators (overdue, school A
  has done it with a PDF); a stage with an item «постоянно», an unrecognised deadline and an
  item naming school B only;
- `school`: school A's own roadmap: an overdue item, one due in 3 days, one in two months;
- `template` and `copy`: a municipal template copied into school A, then changed (an item's
  wording, and a new item): two template changes wait for the school.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.testing.pages import register_route_kwargs
from roadmaps import services
from roadmaps.choices import ExecutionStatus, RoadmapStatus
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.timedelta(days=1)


def day(offset: int) -> str:
    """A date `offset` days from today as the documents write it («24.02.2021»)."""
    return f"{timezone.localdate() + offset * DAY:%d.%m.%Y}"


def period() -> tuple[datetime.date, datetime.date]:
    """A period around today: the calendar year before, this one and the next."""
    today = timezone.localdate()
    return datetime.date(today.year - 1, 1, 1), datetime.date(today.year + 1, 12, 31)


def make_roadmap(municipality, organization=None, **fields) -> Roadmap:
    start, end = period()
    defaults = {"title": "Дорожная карта", "starts_on": start, "ends_on": end, "status": RoadmapStatus.APPROVED}
    roadmap = Roadmap(municipality=municipality, organization=organization, **{**defaults, **fields})
    return services.roadmap_save(roadmap=roadmap, user=None)


def add_item(roadmap: Roadmap, number: str, title: str, *, parent=None, deadline="", **fields) -> RoadmapItem:
    item = RoadmapItem(roadmap=roadmap, parent=parent, number=number, title=title, deadline_text=deadline, **fields)
    return services.item_save(item=item, user=None)


def mark(item, organization, status=ExecutionStatus.IN_PROGRESS, *, user=None, **fields) -> ItemExecution:
    execution = services.execution_for(item, organization)
    execution.status = status
    for name, value in fields.items():
        setattr(execution, name, value)
    return services.execution_save(execution=execution, user=user)


@dataclass
class RoadmapData:
    municipal: Roadmap
    school: Roadmap
    template: Roadmap
    copy: Roadmap
    authority_item: RoadmapItem  # carried out by the authority, overdue
    schools_item: RoadmapItem  # every school, due in 5 days
    curators_item: RoadmapItem  # every school, overdue; school A has done it with a file
    unrecognised_item: RoadmapItem
    named_item: RoadmapItem  # school B only
    school_items: list[RoadmapItem]
    evidence: ItemExecution  # school A's «выполнено» with a PDF

    @property
    def preferred(self) -> list:
        """What the page tests open first: the richest roadmap, item and execution."""
        return [self.municipal, self.curators_item, self.evidence, self.copy, self.school]


def make_roadmaps(world) -> RoadmapData:
    municipal = make_roadmap(
        world.municipality,
        title="Дорожная карта внедрения целевой модели наставничества",
        order_number="122\\1-о",
        order_date=datetime.date(2020, 5, 26),
    )
    stage = add_item(municipal, "1.", "Организационный этап")
    authority_item = add_item(
        municipal,
        "1.1.",
        "Издание приказа о внедрении целевой модели наставничества",
        parent=stage,
        deadline=day(-10),
        responsible_municipal="Управление образования",
        result="Приказ",
    )
    schools_item = add_item(
        municipal,
        "1.2.",
        "Назначение кураторов внедрения целевой модели наставничества",
        parent=stage,
        deadline=day(5),
        responsible_organization="Руководители ОО",
        result="Приказ ОО",
    )
    curators_item = add_item(
        municipal,
        "1.3.",
        "Формирование базы наставников и наставляемых",
        parent=stage,
        deadline=day(-3),
        responsible_organization="Кураторы внедрения ЦМН в ОО",
        result="База наставников",
    )
    stage_two = add_item(municipal, "2.", "Основной этап")
    add_item(
        municipal,
        "2.1.",
        "Мониторинг реализации программ наставничества",
        parent=stage_two,
        deadline="постоянно",
        responsible_organization="Руководители ОО",
    )
    unrecognised_item = add_item(
        municipal,
        "2.2.",
        "Реализация программ наставничества",
        parent=stage_two,
        deadline="В соответствии со сроками реализации программ наставничества",
        responsible_organization="Кураторы внедрения ЦМН в ОО",
    )
    named_item = add_item(
        municipal,
        "2.3.",
        "Стажировочная площадка по наставничеству",
        parent=stage_two,
        deadline=day(30),
        responsible_organization=str(world.school_b.short_name),
    )
    mark(schools_item, world.school_a, ExecutionStatus.IN_PROGRESS, comment="Проект приказа готов.")
    evidence = mark(
        curators_item,
        world.school_a,
        ExecutionStatus.DONE,
        done_on=timezone.localdate() - 2 * DAY,
        link="https://school1.example.org/nastavnichestvo",
        evidence=SimpleUploadedFile("приказ.pdf", PDF, content_type="application/pdf"),
    )

    school = make_roadmap(
        world.municipality, world.school_a, title="Дорожная карта МБОУ «СОШ № 1»", status=RoadmapStatus.DRAFT
    )
    school_items = [
        add_item(school, "1.", "Совещание с педагогами", deadline=day(-1), responsible_organization="Куратор"),
        add_item(school, "2.", "Анкетирование наставляемых", deadline=day(3), responsible_organization="Куратор"),
        add_item(school, "3.", "Отчёт о реализации программы", deadline=day(60), responsible_organization="Куратор"),
    ]

    template = make_roadmap(world.municipality, title="Шаблон дорожной карты школы")
    add_item(template, "1.", "Приказ о наставничестве в ОО", deadline=day(20), result="Приказ")
    changed = add_item(template, "2.", "Положение о наставничестве", deadline=day(40))
    [copy] = services.roadmap_copy(template=template, organizations=[world.school_a], user=None)
    # Later the template changes: one item's wording, and one item more. The school is offered both.
    changed.title = "Положение о программе наставничества ОО"
    services.item_save(item=changed, user=None)
    add_item(template, "3.", "Публикация на сайте ОО", deadline=day(50))
    return RoadmapData(
        municipal=municipal,
        school=school,
        template=template,
        copy=copy,
        authority_item=authority_item,
        schools_item=schools_item,
        curators_item=curators_item,
        unrecognised_item=unrecognised_item,
        named_item=named_item,
        school_items=school_items,
        evidence=evidence,
    )


def _execution_kwargs(user, preferred):
    """An item and a school the user may mark or read: the preferred items first, each with a
    school it addresses that the user sees."""
    from registry.models import Organization
    from roadmaps.selectors import visible_items

    items = visible_items(user).filter(for_schools=True)
    visible = set(Organization.objects.for_user(user).values_list("pk", flat=True))
    candidates = [obj for obj in preferred if isinstance(obj, RoadmapItem)] + list(items.order_by("pk")[:20])
    for item in candidates:
        if not items.filter(pk=item.pk).exists():
            continue
        for organization in services.item_organizations(item):
            if organization.pk in visible:
                return {"item_pk": item.pk, "org_pk": organization.pk}
    return None


def _authority_kwargs(user, preferred):
    from roadmaps.selectors import visible_items

    for item in visible_items(user).filter(roadmap__organization__isnull=True).order_by("pk"):
        if item.carried_by_authority:
            return {"item_pk": item.pk}
    return None


register_route_kwargs("roadmaps:execution_edit", _execution_kwargs)
register_route_kwargs("roadmaps:execution_authority", _authority_kwargs)
