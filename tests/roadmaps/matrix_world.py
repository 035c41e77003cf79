"""A municipal roadmap as seed 000 has it (Назарово, приказ № 122\\1-о of 26.05.2020, the roadmap
2021–2024: stages, items for the authority and items for «Руководители ОО»), and the schools'
execution of it in mixed states, for the tests of the matrix, the export and the print view.

Everything is written through `roadmaps.services`, so the deadlines are read as the portal reads
them; only the bulk data of the query-count tests goes straight to the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing.factories import OrganizationFactory
from registry.models import Organization
from roadmaps import services
from roadmaps.choices import ExecutionStatus
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem

D = datetime.date
#: The day the tests look at the matrix from: item 4.2 (24.02.2021) and the 2021–2022 windows
#: are past, the yearly items of 2023–2024 are not.
TODAY = D(2023, 1, 16)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TITLE = (
    "Дорожная карта внедрения целевой модели наставничества для образовательных организаций "
    "города Назарово Красноярского края на период реализации 2021-2024 гг."
)

#: (number, title, deadline, municipal, school, parent number) — seed 000's table, shortened.
SEED_000 = [
    ("1.", "Подготовка нормативной базы реализации целевой модели наставничества", "Май-октябрь 2020 г.", "", "", None),
    (
        "1.1.",
        "Разработка и утверждение муниципальной дорожной карты внедрения целевой модели наставничества",
        "Июль – август 2020 г.",
        "Управление образования",
        "",
        "1.",
    ),
    (
        "1.4.",
        "Разработка нормативно-правовых актов, обеспечивающих внедрение целевой модели наставничества",
        "2021-2022 учебный год",
        "Управление образования",
        "Руководители ОО",
        "1.",
    ),
    (
        "2.",
        "Информирование педагогического сообщества о реализации целевой модели наставничества",
        "2021 г.",
        "",
        "",
        None,
    ),
    (
        "2.1.",
        "Создание и наполнение раздела «Наставничество» на сайте управления образования, на сайтах ОО",
        "Ежегодно",
        "Управление образования",
        "Руководители ОО",
        "2.",
    ),
    (
        "2.2.",
        "Проведение анкетирования среди обучающихся, желающих принять участие в программе наставничества",
        "Ежегодно",
        "",
        "Руководители ОО",
        "2.",
    ),
    ("3.", "Формирование базы наставников", "февраль-июнь 2021", "", "", None),
    (
        "3.1",
        "Формирование школьного реестра наставников-учителей по форме «Учитель-учитель», «Учитель-ученик»",
        "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.",
        "",
        "Руководитель ОО, координатор",
        "3.",
    ),
    (
        "3.2.",
        "Формирование школьного реестра наставников-учащихся по форме «Ученик-ученик»",
        "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.",
        "",
        "Руководитель ОО, куратор",
        "3.",
    ),
    ("4.", "Выявление и диссеминация лучших практик наставничества", "Октябрь 2021-ноябрь 2024 гг.", "", "", None),
    (
        "4.2.",
        "Презентация первых результатов внедрения целевой модели наставничества на уровне образовательной организации",
        "24.02.2021 года в 10.00 МАОУ «СОШ № 7»",
        "Отдел ИМО МКУ КЦ УО",
        "Руководители ОО",
        "4.",
    ),
    (
        "4.3.",
        "Формирование банка успешных практик (кейсов)",
        "2022 г.",
        "Управление образования",
        "Руководитель ОО, куратор",
        "4.",
    ),
    ("5.", "Подведение итогов", "2023 – 2024 гг.", "", "", None),
    (
        "5.2.",
        "Сбор отчетов ОО по итогам реализации программ наставничества. Формирование итогового отчета.",
        "Май, ежегодно с 2022 года",
        "Управление образования",
        "Руководитель ОО, куратор",
        "5.",
    ),
]


@dataclass
class SeedRoadmap:
    roadmap: Roadmap
    items: dict[str, RoadmapItem]  # by number
    schools: list[Organization]
    executions: list[ItemExecution] = field(default_factory=list)

    @property
    def tracked(self) -> list[RoadmapItem]:
        """The items the schools carry out (the matrix's rows), in the document's order."""
        return [item for item in self.items.values() if item.for_schools]


def seed_roadmap(world, *, extra_schools: int = 0, order: bool = True) -> SeedRoadmap:
    """Seed 000's roadmap in the world's municipality with its schools A and B (and `extra_schools`
    more), saved by the coordinator."""
    schools = [world.school_a, world.school_b]
    schools += [
        OrganizationFactory(municipality=world.municipality, short_name=f"МБОУ «СОШ № {n}»")
        for n in range(3, 3 + extra_schools)
    ]
    roadmap = Roadmap(
        municipality=world.municipality,
        title=TITLE,
        starts_on=D(2021, 1, 1),
        ends_on=D(2024, 12, 31),
        order_number="122\\1-о" if order else "",
        order_date=D(2020, 5, 26) if order else None,
    )
    services.roadmap_save(roadmap=roadmap, user=world.coordinator)
    items: dict[str, RoadmapItem] = {}
    for number, title, deadline, municipal, school, parent in SEED_000:
        item = RoadmapItem(
            roadmap=roadmap,
            parent=items.get(parent),
            number=number,
            title=title,
            deadline_text=deadline,
            responsible_municipal=municipal,
            responsible_organization=school,
        )
        items[number] = services.item_save(item=item, user=world.coordinator)
    return SeedRoadmap(roadmap=roadmap, items=items, schools=schools)


def mark(world, seed: SeedRoadmap, number: str, school, status: str, **fields) -> ItemExecution:
    """A school's execution of an item, marked by the coordinator on TODAY."""
    execution = services.execution_for(seed.items[number], school)
    execution.status = status
    for name, value in fields.items():
        setattr(execution, name, value)
    services.execution_save(execution=execution, user=world.coordinator, today=TODAY)
    seed.executions.append(execution)
    return execution


def mixed_states(world, seed: SeedRoadmap) -> None:
    """School A: 1.4 done (with a scan), 2.1 in progress, 4.2 not required, 3.1 done with a link
    and a comment; school B: 1.4 done, 2.2 in progress. The rest stays «не начато»."""
    a, b = world.school_a, world.school_b
    mark(
        world,
        seed,
        "1.4.",
        a,
        ExecutionStatus.DONE,
        done_on=D(2022, 5, 20),
        evidence=SimpleUploadedFile("приказ.pdf", PDF, content_type="application/pdf"),
    )
    mark(world, seed, "2.1.", a, ExecutionStatus.IN_PROGRESS, comment="Раздел на сайте создан, наполняется")
    mark(world, seed, "4.2.", a, ExecutionStatus.NOT_REQUIRED, comment="Школа не участвовала в презентации")
    mark(
        world,
        seed,
        "3.1",
        a,
        ExecutionStatus.DONE,
        done_on=D(2022, 11, 25),
        link="https://school1.example/mentors",
        comment="Реестр утверждён приказом № 45",
    )
    mark(world, seed, "1.4.", b, ExecutionStatus.DONE, done_on=D(2022, 6, 1))
    mark(world, seed, "2.2.", b, ExecutionStatus.IN_PROGRESS)


def bulk_matrix(world, *, items: int, schools: int) -> Roadmap:
    """A municipal roadmap of `items` items for schools under two stages and `schools` schools,
    each school with an execution of every other item: straight to the database (the query-count
    tests need sizes, not rules)."""
    first = Organization.objects.count()
    for n in range(first, first + schools):
        OrganizationFactory(municipality=world.municipality, short_name=f"МБОУ «Школа № {100 + n}»")
    roadmap = Roadmap.objects.create(
        municipality=world.municipality, title="Дорожная карта", starts_on=D(2021, 1, 1), ends_on=D(2024, 12, 31)
    )
    stages = [
        RoadmapItem.objects.create(roadmap=roadmap, position=n, number=f"{n}.", title=f"Этап {n}") for n in (1, 2)
    ]
    organizations = list(Organization.objects.filter(municipality=world.municipality))
    for n in range(items):
        item = RoadmapItem.objects.create(
            roadmap=roadmap,
            parent=stages[n % 2],
            position=10 + n,
            number=f"{n % 2 + 1}.{n + 1}.",
            title=f"Мероприятие {n + 1}",
            deadline_text="Сентябрь 2022 г.",
            due_start=D(2022, 9, 1),
            due_end=D(2022, 9, 30),
            responsible_organization="Руководители ОО",
            addressees=["directors"],
            for_schools=True,
        )
        item.windows.create(starts_on=D(2022, 9, 1), ends_on=D(2022, 9, 30))
        ItemExecution.objects.bulk_create(
            ItemExecution(
                item=item,
                organization=org,
                status=ExecutionStatus.DONE if index % 2 else ExecutionStatus.IN_PROGRESS,
                done_on=D(2022, 9, 10) if index % 2 else None,
                comment="Комментарий",
            )
            for index, org in enumerate(organizations)
            if (index + n) % 2
        )
    return roadmap


def realistic_states(world, seed: SeedRoadmap) -> None:
    """Every state in every school, as a municipality a year and a half into the roadmap looks: the
    early items mostly done (some with a scan), the yearly ones in progress, a few marked not
    required, the late ones left (overdue where their end has passed)."""
    pattern = {
        "1.4.": "DDDDID",
        "2.1.": "DIIDNI",
        "2.2.": "IDNI-I",
        "3.1": "DID-DI",
        "3.2.": "I-DI-D",
        "4.2.": "DN-DD-",
        "4.3.": "D-I--N",
        "5.2.": "-I-D--",
    }
    states = {"D": ExecutionStatus.DONE, "I": ExecutionStatus.IN_PROGRESS, "N": ExecutionStatus.NOT_REQUIRED}
    for number, row in pattern.items():
        for index, (school, letter) in enumerate(zip(seed.schools, row, strict=False)):
            if letter == "-":
                continue
            fields = {}
            if letter == "D":
                fields["done_on"] = D(2022, 6, 1)
                if (index + len(number)) % 3 == 0:
                    fields["evidence"] = SimpleUploadedFile("подтверждение.pdf", PDF, content_type="application/pdf")
            mark(world, seed, number, school, states[letter], **fields)
