"""The orders on the ЦМН and on the working group (issue 10 §1–§2, roadmaps.kinds): prepared as a
draft, issued through the register (core.issuing), read back from the PDF as the seeds print them
(seed 000: приказ № 122\\1-о of 26.05.2020 with its roadmap as the appendix; seed 001: the
Положение and the working group's members; seed 004: a распоряжение dated 17.02.2023)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from core.issuing import document_issue, document_prepare, kind_of
from core.profiles import profile_of
from core.testing.documents import pdf_pages, pdf_text
from registry.choices import DateStyle, OrderKind
from registry.orders import Official
from roadmaps import services
from roadmaps.kinds import (
    MunicipalCmnOrder,
    SchoolCmnOrder,
    WorkingGroupOrder,
    roadmap_accusative,
)
from roadmaps.models import Roadmap, RoadmapItem
from tests.roadmaps.matrix_world import seed_roadmap

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 20)


def named(user, last, first, middle, position=""):
    """A role holder with the full name and the position documents print (core.Profile)."""
    user.last_name, user.first_name = last, first
    user.save()
    profile = profile_of(user)
    profile.middle_name, profile.position = middle, position
    profile.save()
    return user


def one_line(text: str) -> str:
    """pdftotext's words with the hyphenation at the lines' ends («кон- сультационную») undone."""
    return re.sub(r"(?<=[а-яё])- (?=[а-яё])", "", text)


def pdf_of(document) -> bytes:
    """The PDF the register keeps for an issued document."""
    with document.file.open("rb") as stored:
        return stored.read()


@pytest.fixture
def nazarovo(world):
    """Seed 000's authority (its requisites and its head, «С. В. Гаврилова»), its coordinator and
    «Селезнева Е. В.», on whom seed 000 puts the control."""
    municipality = world.municipality
    municipality.authority_name = "Управление образования администрации г. Назарово"
    municipality.head_name = "Гаврилова Светлана Владимировна"
    municipality.head_position = "Руководитель управления образования"
    municipality.place = "г. Назарово"
    municipality.date_style = DateStyle.WORDS
    municipality.order_number_pattern = "{n}\\1-о"
    municipality.save()
    named(world.coordinator, "Шестакова", "Татьяна", "Васильевна", "методист")
    named(world.observer, "Селезнева", "Елена", "Викторовна", "начальник отдела общего образования")
    return municipality


def school_roadmap(world) -> Roadmap:
    roadmap = services.roadmap_save(
        roadmap=Roadmap(
            municipality=world.municipality,
            organization=world.school_a,
            title="Дорожная карта реализации целевой модели наставничества в МБОУ «СОШ № 1» на 2024-2025 учебный год",
            starts_on=D(2024, 9, 1),
            ends_on=D(2025, 8, 31),
        ),
        user=world.curator_a,
    )
    for number, title in (
        ("1.", "Подготовка условий для реализации системы наставничества"),
        ("2.", "Формирование совета наставников"),
    ):
        services.item_save(
            item=RoadmapItem(roadmap=roadmap, number=number, title=title, deadline_text="Сентябрь 2024"),
            user=world.curator_a,
        )
    return roadmap


def issue(kind, *, preparer, issuer, number, date, organization=None):
    document = document_prepare(kind=kind, user=preparer, municipality=kind.municipality, organization=organization)
    return document_issue(document=document, number=number, date=date, user=issuer, today=TODAY)


# --- The authority's order on the ЦМН (seed 000) ---------------------------------------------


@pytest.fixture
def municipal_order(world, nazarovo):
    seed = seed_roadmap(world)
    kind = MunicipalCmnOrder(
        seed.roadmap,
        appointees=[Official.of_user(world.coordinator)],
        controller=Official.of_user(world.observer),
    )
    document = issue(kind, preparer=world.coordinator, issuer=world.coordinator, number="122\\1-о", date=D(2020, 5, 26))
    return document


def test_it_prints_the_authoritys_order_as_seed_000(municipal_order):
    text = one_line(pdf_text(pdf_of(municipal_order)))
    assert text.startswith(
        "УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ Г. НАЗАРОВО ПРИКАЗ «26» мая 2020 г. № 122\\1-о г. Назарово"
    )
    assert "О внедрении целевой модели наставничества в общеобразовательных организациях" in text
    assert (
        "«О направлении целевой модели наставничества и методических рекомендаций», ПРИКАЗЫВАЮ: 1. Организовать" in text
    )
    assert "2. Утвердить: 2.1. Положение о программе наставничества в общеобразовательных организациях" in text
    assert "2.2. Дорожную карту внедрения целевой модели наставничества для образовательных организаций" in text
    # The names in their cases: accusative «Назначить …», dative «… обеспечить:», accusative «возложить на …».
    assert (
        "3. Назначить Шестакову Татьяну Васильевну, методиста, муниципальным координатором, курирующим "
        "внедрение целевой модели наставничества на муниципальном уровне." in text
    )
    assert "4. Методисту Шестаковой Татьяне Васильевне обеспечить: - организационную" in text
    assert "5. Руководителям муниципальных образовательных организаций: - назначить кураторов" in text
    assert (
        "6. Контроль за исполнением настоящего приказа возложить на Селезневу Елену Викторовну, начальника "
        "отдела общего образования." in text
    )
    assert "Руководитель управления образования" in text and "С. В. Гаврилова" in text
    assert "С приказом ознакомлены: Т. В. Шестакова Е. В. Селезнева" in text


def test_it_starts_each_appendix_on_a_page_of_its_own_with_the_orders_line(municipal_order):
    pages = [" ".join(page.split()) for page in pdf_pages(pdf_of(municipal_order))]
    first_of = {
        index: page
        for index, page in enumerate(pages)
        if "Приложение № 1 к приказу" in page or "Приложение № 2 к приказу" in page
    }
    assert len(first_of) == 2
    polozhenie, roadmap = (first_of[index] for index in sorted(first_of))
    line = "к приказу управления образования администрации г. Назарово от 26.05.2020 № 122\\1-о"
    assert f"Приложение № 1 {line} Положение о программе наставничества" in polozhenie
    assert "1. Общие положения" in polozhenie
    assert f"Приложение № 2 {line} Дорожная карта внедрения целевой модели наставничества" in roadmap
    text = one_line(pdf_text(pdf_of(municipal_order)))
    # The roadmap's rows (seed 000) in the appendix, and the Положение's rules of pairs (seed 001 §3.4–3.6).
    assert "3. Формирование базы наставников" in text
    assert "4.3. Формирование банка успешных практик (кейсов)" in text
    assert "не может превышать трех" in text
    assert "3.6. Утверждение кандидатуры наставника осуществляется приказом организации" in text


def test_it_rebuilds_the_order_from_the_register(world, municipal_order):
    kind = kind_of(municipal_order)
    assert isinstance(kind, MunicipalCmnOrder)
    assert kind.params() == municipal_order.params
    assert kind.subjects() == [Roadmap.objects.get(municipality=world.municipality)]
    assert kind.warnings() == []
    assert municipal_order.number == "122\\1-о" and municipal_order.status == "issued"


def test_it_prints_a_directive_dated_in_digits_for_an_authority_that_issues_them(world, nazarovo):
    nazarovo.order_kind, nazarovo.date_style = OrderKind.DIRECTIVE, DateStyle.DIGITS
    nazarovo.save()
    seed = seed_roadmap(world)
    kind = MunicipalCmnOrder(seed.roadmap, appointees=[Official.of_user(world.coordinator)], polozhenie=False)
    document = issue(
        kind, preparer=world.coordinator, issuer=world.coordinator, number="116-26-93", date=D(2023, 2, 17)
    )
    text = one_line(pdf_text(pdf_of(document)))
    # The kind word is letter-spaced (documents.css): pdftotext reads «РАС П О Р Я Ж Е Н И Е».
    assert "НАЗАРОВОРАСПОРЯЖЕНИЕ17.02.2023№116-26-93г.Назарово" in text.replace(" ", "")
    assert "ПРИКАЗЫВАЮ" not in text  # seed 004 goes from the grounds to its items
    assert "2. Утвердить: 2.1. Дорожную карту внедрения" in text and "(приложение)." in text
    assert "Контроль за исполнением настоящего распоряжения оставляю за собой." in text
    assert "С распоряжением ознакомлены: Т. В. Шестакова" in text
    assert (
        "Приложение к распоряжению управления образования администрации г. Назарово от 17.02.2023 № 116-26-93" in text
    )
    assert "Положение о программе наставничества" not in text


# --- A school's order (its curator appointed) ---------------------------------------------


def test_it_prints_a_schools_order_appointing_its_curator(world, nazarovo):
    school = world.school_a
    school.full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»"
    school.director_name, school.director_position = "Петрова Анна Сергеевна", "Директор"
    school.date_style, school.place = DateStyle.DIGITS, "г. Назарово"
    school.save()
    named(world.curator_a, "Шестакова", "Татьяна", "Васильевна", "заместитель директора")
    named(world.director_a, "Петрова", "Анна", "Сергеевна", "директор")
    roadmap = school_roadmap(world)
    kind = SchoolCmnOrder(
        roadmap, appointees=[Official.of_user(world.curator_a)], controller=Official.of_user(world.director_a)
    )
    document = issue(
        kind,
        preparer=world.curator_a,
        issuer=world.director_a,
        number="15-ОД",
        date=D(2024, 8, 30),
        organization=school,
    )
    text = one_line(pdf_text(pdf_of(document)))
    assert text.startswith(
        "МУНИЦИПАЛЬНОЕ БЮДЖЕТНОЕ ОБЩЕОБРАЗОВАТЕЛЬНОЕ УЧРЕЖДЕНИЕ «СРЕДНЯЯ ШКОЛА № 1» ПРИКАЗ 30.08.2024 № 15-ОД"
    )
    assert "2.1. Положение о программе наставничества в МБОУ «СОШ № 1» (приложение № 1)." in text
    assert "3. Назначить Шестакову Татьяну Васильевну, заместителя директора, куратором внедрения" in text
    assert "4. Заместителю директора Шестаковой Татьяне Васильевне обеспечить: - формирование базы наставников" in text
    assert "Контроль за исполнением настоящего приказа возложить на Петрову Анну Сергеевну, директора." in text
    assert "Директор" in text and "А. С. Петрова" in text
    assert "Приложение № 2 к приказу МБОУ «СОШ № 1» от 30.08.2024 № 15-ОД" in text
    assert "Формирование совета наставников" in text


def test_it_prints_a_name_it_cannot_decline_in_the_nominative_and_warns(world, nazarovo):
    named(world.curator_a, "Дюма", "Анна", "Петровна", "учитель")
    roadmap = school_roadmap(world)
    kind = SchoolCmnOrder(roadmap, appointees=[Official.of_user(world.curator_a)])
    warnings = kind.warnings()
    assert warnings and all("Дюма Анна Петровна" in warning for warning in warnings)
    assert "Не удалось определить склонение фамилии «Дюма»" in warnings[0]
    document = issue(
        kind,
        preparer=world.curator_a,
        issuer=world.director_a,
        number="16",
        date=D(2024, 9, 2),
        organization=world.school_a,
    )
    text = one_line(pdf_text(pdf_of(document)))
    assert "Назначить Дюма Анна Петровна, учителя, куратором" in text
    assert "Учителю Дюма Анна Петровна обеспечить:" in text
    assert kind_of(document).warnings() == warnings


# --- The order on the coordinator and the working group (seed 001 appendix 3) -------------


def test_it_prints_the_working_group_with_its_chair_first(world, nazarovo):
    named(world.curator_a, "Исакова", "Наталья", "Робертовна", "заместитель директора по ВР")
    chair = Official.from_line(
        "Гаврилова Светлана Владимировна; руководитель управления образования; управление образования"
    )
    chair.chair = True
    members = [
        Official.of_user(world.coordinator, "управление образования"),
        Official.of_user(world.curator_a, str(world.school_a)),
        Official.from_line("Семаков Александр Серафимович (по согласованию); главный врач; БУЗ ВО «Устюженская ЦРБ»"),
        chair,
    ]
    kind = WorkingGroupOrder(nazarovo, coordinator=Official.of_user(world.coordinator), members=members)
    document = issue(kind, preparer=world.coordinator, issuer=world.coordinator, number="7\\1-о", date=D(2020, 10, 27))
    text = one_line(pdf_text(pdf_of(document)))
    assert "О назначении муниципального координатора и создании муниципальной рабочей группы" in text
    assert "1. Назначить Шестакову Татьяну Васильевну, методиста, муниципальным координатором" in text
    assert "утвердить ее состав (приложение)." in text
    assert (
        "Возложить руководство рабочей группой на Гаврилову Светлану Владимировну, руководителя управления "
        "образования." in text
    )
    assert "Контроль за исполнением настоящего приказа оставляю за собой." in text
    page = pdf_pages(pdf_of(document))[-1]
    lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    appendix = " ".join(lines)
    assert (
        "Приложение к приказу управления образования администрации г. Назарово от 27.10.2020 № 7\\1-о "
        "Состав муниципальной рабочей группы по внедрению целевой модели наставничества" in appendix
    )
    assert "ФИО" in appendix and "Должность" in appendix and "Место работы" in appendix

    def line_of(start: str) -> int:
        return next(index for index, line in enumerate(lines) if line.startswith(start))

    # The chair first, marked; then «Члены рабочей группы:» and the members as chosen and typed.
    assert line_of("1. Гаврилова Светлана") < line_of("Председатель рабочей") < line_of("Члены рабочей группы:")
    assert line_of("Члены рабочей группы:") < line_of("2. Шестакова Татьяна") < line_of("3. Исакова Наталья")
    assert line_of("3. Исакова Наталья") < line_of("4. Семаков Александр")
    assert "Серафимович (по" in appendix and "согласованию)" in appendix
    assert "МБОУ «СОШ № 1»" in appendix and "главный врач" in appendix
    rebuilt = kind_of(document)
    assert rebuilt.params() == document.params and rebuilt.chair.last_name == "Гаврилова"


def test_it_reads_a_typed_member_and_refuses_a_line_without_a_first_name():
    member = Official.from_line(" Копылова Наталья Валерьевна ; председатель районного суда ; Устюженский районный суд")
    assert (member.full_name, member.position, member.workplace) == (
        "Копылова Наталья Валерьевна",
        "председатель районного суда",
        "Устюженский районный суд",
    )
    with pytest.raises(ValueError, match="нужны фамилия и имя"):
        Official.from_line("Копылова; судья")


@pytest.mark.parametrize(
    ("title", "accusative"),
    [
        ("Дорожная карта внедрения целевой модели", "Дорожную карту внедрения целевой модели"),
        ("«Дорожная карта» реализации ЦМН", "«Дорожную карту» реализации ЦМН"),
        ("План мероприятий (дорожная карта) по вовлечению", "План мероприятий (дорожная карта) по вовлечению"),
        ("Наставничество 2024", "дорожную карту «Наставничество 2024»"),
    ],
)
def test_it_puts_the_roadmaps_title_in_the_accusative(title, accusative):
    assert roadmap_accusative(title) == accusative


def test_it_refuses_to_rebuild_a_draft_whose_roadmap_was_deleted(world, nazarovo):
    roadmap = school_roadmap(world)
    kind = SchoolCmnOrder(roadmap, appointees=[Official.of_user(world.curator_a)])
    document = document_prepare(kind=kind, user=world.curator_a, municipality=nazarovo, organization=world.school_a)
    services.roadmap_delete(roadmap=roadmap, user=world.curator_a)
    with pytest.raises(ValidationError, match="Дорожная карта этого проекта удалена"):
        kind_of(document)


def test_it_renders_a_draft_for_the_preview_without_a_number_or_a_date(world, nazarovo):
    named(world.curator_a, "Шестакова", "Татьяна", "Васильевна", "заместитель директора")
    roadmap = school_roadmap(world)
    kind = SchoolCmnOrder(roadmap, appointees=[Official.of_user(world.curator_a)])
    draft = document_prepare(kind=kind, user=world.curator_a, municipality=nazarovo, organization=world.school_a)
    text = one_line(pdf_text(kind_of(draft).pdf().content))
    assert "ПРИКАЗ О внедрении целевой модели наставничества" in text  # no date, no number yet
    assert "Назначить Шестакову Татьяну Васильевну, заместителя директора, куратором" in text
    assert "Приложение № 2 к приказу МБОУ «СОШ № 1» Дорожная карта реализации" in text
