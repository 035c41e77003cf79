"""The rules of roadmaps, items and execution, as `roadmaps.services` enforces them for every door
(pages, admin, import, commands)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.audit import AuditEntry
from core.scoping import system_user
from core.testing.factories import OrganizationFactory
from registry.choices import OrganizationKind
from roadmaps import selectors, services
from roadmaps.choices import Addressee, DeadlineKind, ExecutionStatus
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def municipal_roadmap(world, **fields) -> Roadmap:
    fields = {"title": "Дорожная карта внедрения ЦМН", "starts_on": D(2021, 1, 1), "ends_on": D(2024, 12, 31)} | fields
    return services.roadmap_save(roadmap=Roadmap(municipality=world.municipality, **fields), user=world.coordinator)


def school_roadmap(world, school=None, user=None) -> Roadmap:
    school = school or world.school_a
    roadmap = Roadmap(
        municipality=school.municipality,
        organization=school,
        title="Дорожная карта школы",
        starts_on=D(2024, 9, 1),
        ends_on=D(2025, 8, 31),
    )
    return services.roadmap_save(roadmap=roadmap, user=user or world.curator_a)


def item(roadmap, user, **fields) -> RoadmapItem:
    fields = {"number": "1.1.", "title": "Мероприятие", "deadline_text": ""} | fields
    return services.item_save(item=RoadmapItem(roadmap=roadmap, **fields), user=user)


def windows(item: RoadmapItem) -> list[tuple]:
    return [(w.starts_on, w.ends_on) for w in item.windows.all()]


# --- Roadmaps ------------------------------------------------------------------------------


def test_it_saves_a_school_roadmap_under_the_schools_municipality(world):
    roadmap = school_roadmap(world)
    assert roadmap.municipality_id == world.school_a.municipality_id
    assert roadmap.period_label == "2024/2025 учебный год"


def test_it_refuses_a_municipal_roadmap_to_a_curator(world):
    roadmap = Roadmap(municipality=world.municipality, title="x", starts_on=D(2021, 1, 1), ends_on=D(2024, 12, 31))
    with pytest.raises(PermissionDenied):
        services.roadmap_save(roadmap=roadmap, user=world.curator_a)
    assert not Roadmap.objects.exists()


def test_it_refuses_another_schools_roadmap_to_a_curator(world):
    with pytest.raises(PermissionDenied):
        school_roadmap(world, school=world.school_b, user=world.curator_a)
    assert not Roadmap.objects.exists()


def test_it_refuses_a_period_that_ends_before_it_starts(world):
    with pytest.raises(ValidationError) as error:
        municipal_roadmap(world, starts_on=D(2024, 1, 1), ends_on=D(2021, 12, 31))
    assert "ends_on" in error.value.message_dict


def test_it_refuses_an_order_date_without_its_number(world):
    with pytest.raises(ValidationError) as error:
        municipal_roadmap(world, order_date=D(2020, 5, 26))
    assert "номер приказа" in error.value.message_dict["order_number"][0]


def test_it_reads_the_deadlines_again_when_the_period_changes(world):
    roadmap = municipal_roadmap(world)
    yearly = item(roadmap, world.coordinator, deadline_text="Ежегодно")
    assert len(windows(yearly)) == 4
    roadmap.ends_on = D(2022, 12, 31)
    services.roadmap_save(roadmap=roadmap, user=world.coordinator)
    yearly.refresh_from_db()
    assert windows(yearly) == [(D(2021, 1, 1), D(2021, 12, 31)), (D(2022, 1, 1), D(2022, 12, 31))]
    assert yearly.due_end == D(2022, 12, 31)


# --- Items and their deadlines -------------------------------------------------------------


def test_it_parses_the_deadline_into_windows_and_keeps_the_wording(world):
    roadmap = municipal_roadmap(world)
    saved = item(roadmap, world.coordinator, deadline_text="Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.")
    assert saved.deadline_text == "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг."
    assert saved.deadline_kind == DeadlineKind.DATES
    assert windows(saved) == [(D(year, 9, 1), D(year, 11, 30)) for year in range(2021, 2025)]
    assert (saved.due_start, saved.due_end) == (D(2021, 9, 1), D(2024, 11, 30))


def test_it_marks_an_unrecognised_deadline_and_keeps_it_as_written(world):
    roadmap = municipal_roadmap(world)
    text = "В соответствии со сроками реализации программ наставничества"
    saved = item(roadmap, world.coordinator, deadline_text=text)
    assert saved.deadline_text == text
    assert saved.deadline_kind == DeadlineKind.UNRECOGNISED
    assert not saved.deadline_recognised
    assert windows(saved) == []
    assert saved.due_end is None


def test_it_takes_dates_set_by_hand_and_returns_to_the_parsed_ones_when_they_are_cleared(world):
    roadmap = municipal_roadmap(world)
    saved = item(roadmap, world.coordinator, deadline_text="по согласованию с министерством")
    services.item_save(item=saved, user=world.coordinator, windows=[(D(2022, 3, 1), D(2022, 3, 31))])
    saved.refresh_from_db()
    assert saved.deadline_manual and saved.deadline_recognised
    assert windows(saved) == [(D(2022, 3, 1), D(2022, 3, 31))]
    assert saved.due_end == D(2022, 3, 31)
    saved.deadline_text = "Март 2023 г."
    services.item_save(item=saved, user=world.coordinator, windows=[])
    saved.refresh_from_db()
    assert not saved.deadline_manual
    assert windows(saved) == [(D(2023, 3, 1), D(2023, 3, 31))]


def test_it_refuses_a_window_that_ends_before_it_starts(world):
    roadmap = municipal_roadmap(world)
    saved = item(roadmap, world.coordinator)
    with pytest.raises(ValidationError) as error:
        services.item_save(item=saved, user=world.coordinator, windows=[(D(2022, 3, 31), D(2022, 3, 1))])
    assert "windows" in error.value.message_dict


def test_it_refuses_a_parent_from_another_roadmap(world):
    first, second = municipal_roadmap(world), municipal_roadmap(world, title="Другая")
    stage = item(first, world.coordinator, number="1.")
    with pytest.raises(ValidationError) as error:
        item(second, world.coordinator, parent=stage)
    assert "parent" in error.value.message_dict


def test_it_places_a_new_item_after_the_last_one_and_one_level_below_its_parent(world):
    roadmap = municipal_roadmap(world)
    stage = item(roadmap, world.coordinator, number="1.", title="Этап")
    child = item(roadmap, world.coordinator, number="1.1.", parent=stage)
    assert (stage.position, child.position) == (1, 2)
    assert child.level == stage.level + 1


def test_it_recognises_the_schools_as_addressees_and_tracks_the_item_school_by_school(world):
    OrganizationFactory(municipality=world.municipality, kind=OrganizationKind.PARTNER, short_name="ООО «Завод»")
    roadmap = municipal_roadmap(world)
    by_schools = item(
        roadmap,
        world.coordinator,
        responsible_municipal="Управление образования",
        responsible_organization="Руководители ОО",
    )
    authority = item(roadmap, world.coordinator, responsible_municipal="Отдел ИМО МКУ КЦ УО")
    assert by_schools.addressees == [Addressee.AUTHORITY, Addressee.DIRECTORS]
    assert by_schools.for_schools and not authority.for_schools
    assert {o.pk for o in services.item_organizations(by_schools)} == {world.school_a.pk, world.school_b.pk}
    assert services.item_organizations(authority) == []


def test_it_narrows_an_item_to_the_school_its_responsible_column_names(world):
    roadmap = municipal_roadmap(world)
    named = item(roadmap, world.coordinator, responsible_organization="МБОУ «СОШ № 2»")
    assert named.for_schools
    assert services.item_organizations(named) == [world.school_b]


def test_it_refuses_to_address_an_item_to_a_school_of_another_municipality(world):
    roadmap = municipal_roadmap(world)
    with pytest.raises(ValidationError) as error:
        services.item_save(
            item=RoadmapItem(roadmap=roadmap, number="1", title="x"),
            user=world.coordinator,
            organizations=[world.school_elsewhere],
        )
    assert "organizations" in error.value.message_dict
    assert not RoadmapItem.objects.exists()


def test_a_school_roadmaps_items_are_the_schools_whatever_they_name(world):
    roadmap = school_roadmap(world)
    saved = item(roadmap, world.curator_a, responsible_organization="Директор, ведущий наставник")
    assert not saved.for_schools
    assert services.item_organizations(saved) == [world.school_a]


# --- Import --------------------------------------------------------------------------------


def test_it_imports_a_tree_of_items_with_their_windows(world):
    roadmap = municipal_roadmap(world)
    parsed = [
        services.ParsedItem(number="1.", level=1, title="Подготовка", deadline_text="Май-октябрь 2020 г.", row=3),
        services.ParsedItem(
            number="1.1.",
            level=2,
            title="Разработка",
            deadline_text="Июль – август 2020 г.",
            responsible_municipal="Управление образования",
            responsible_organization="Руководители ОО",
            parent_index=0,
            row=4,
        ),
    ]
    assert services.roadmap_items_import(roadmap=roadmap, items=parsed, user=world.coordinator) == 2
    stage, child = roadmap.items.order_by("position")
    assert child.parent == stage and child.level == 2
    assert windows(child) == [(D(2020, 7, 1), D(2020, 8, 31))]
    assert child.for_schools
    assert AuditEntry.objects.filter(action="import", object_id=str(roadmap.pk)).exists()


def test_it_imports_all_or_nothing(world):
    roadmap = municipal_roadmap(world)
    parsed = [
        services.ParsedItem(number="1.", level=1, title="Подготовка", row=3),
        services.ParsedItem(number="1.1.", level=2, title="  ", parent_index=0, row=4),
    ]
    with pytest.raises(ValidationError) as error:
        services.roadmap_items_import(roadmap=roadmap, items=parsed, user=world.coordinator)
    assert "Строка 4" in error.value.messages[0]
    assert not roadmap.items.exists()


def test_it_refuses_an_import_into_a_roadmap_the_user_may_not_change(world):
    roadmap = school_roadmap(world)
    with pytest.raises(PermissionDenied):
        services.roadmap_items_import(
            roadmap=roadmap, items=[services.ParsedItem(number="1", level=1, title="x")], user=world.curator_b
        )


# --- Execution -----------------------------------------------------------------------------


@pytest.fixture
def addressed(world):
    roadmap = municipal_roadmap(world)
    return item(roadmap, world.coordinator, deadline_text="до 10.09.2021", responsible_organization="Руководители ОО")


def mark(item, organization, user, **fields):
    execution = services.execution_for(item, organization)
    for name, value in fields.items():
        setattr(execution, name, value)
    return services.execution_save(execution=execution, user=user, today=D(2021, 10, 1))


def test_a_curator_marks_their_school_done_and_the_date_defaults_to_today(world, addressed):
    done = mark(addressed, world.school_a, world.curator_a, status=ExecutionStatus.DONE)
    assert done.done_on == D(2021, 10, 1)
    assert done.updated_by == world.curator_a
    assert AuditEntry.objects.filter(object_id=str(done.pk), actor=world.curator_a).exists()


def test_a_curator_cannot_mark_another_school(world, addressed):
    with pytest.raises(PermissionDenied):
        mark(addressed, world.school_b, world.curator_a, status=ExecutionStatus.DONE)
    assert not ItemExecution.objects.exists()


def test_a_director_reads_but_does_not_mark(world, addressed):
    with pytest.raises(PermissionDenied):
        mark(addressed, world.school_a, world.director_a, status=ExecutionStatus.IN_PROGRESS)


def test_the_coordinator_marks_any_school_of_the_municipality_and_the_authoritys_own_items(world, addressed):
    mark(addressed, world.school_b, world.coordinator, status=ExecutionStatus.NOT_REQUIRED)
    own = item(addressed.roadmap, world.coordinator, responsible_municipal="Управление образования")
    mark(own, None, world.coordinator, status=ExecutionStatus.DONE, done_on=D(2021, 9, 1))
    assert ItemExecution.objects.count() == 2
    with pytest.raises(PermissionDenied):
        mark(addressed, world.school_a, world.coordinator_elsewhere, status=ExecutionStatus.DONE)


def test_it_refuses_an_organization_the_item_does_not_address(world, addressed):
    elsewhere = OrganizationFactory(municipality=world.municipality, kind=OrganizationKind.PARTNER)
    with pytest.raises(ValidationError) as error:
        mark(addressed, elsewhere, world.coordinator, status=ExecutionStatus.DONE)
    assert "organization" in error.value.message_dict


def test_it_refuses_a_date_done_in_the_future_and_drops_it_when_not_done(world, addressed):
    with pytest.raises(ValidationError) as error:
        mark(addressed, world.school_a, world.curator_a, status=ExecutionStatus.DONE, done_on=D(2021, 10, 2))
    assert "done_on" in error.value.message_dict
    in_work = mark(
        addressed, world.school_a, world.curator_a, status=ExecutionStatus.IN_PROGRESS, done_on=D(2021, 9, 1)
    )
    assert in_work.done_on is None


def test_it_takes_a_real_pdf_as_evidence_and_refuses_a_fake_one(world, addressed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("акт.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError):
        mark(addressed, world.school_a, world.curator_a, status=ExecutionStatus.DONE, evidence=fake)
    assert not ItemExecution.objects.exists()
    real = SimpleUploadedFile("акт.pdf", PDF, content_type="application/pdf")
    saved = mark(addressed, world.school_a, world.curator_a, status=ExecutionStatus.DONE, evidence=real)
    assert saved.evidence.name.endswith(".pdf")
    assert saved.evidence.read() == PDF


def test_a_school_roadmaps_item_is_marked_for_the_school_only(world):
    roadmap = school_roadmap(world)
    own = item(roadmap, world.curator_a)
    with pytest.raises(ValidationError):
        mark(own, None, world.coordinator, status=ExecutionStatus.DONE)
    assert mark(own, world.school_a, world.curator_a, status=ExecutionStatus.IN_PROGRESS).pk


# --- Templates -----------------------------------------------------------------------------


def test_it_copies_a_template_into_schools_with_its_tree_and_windows(world):
    template = municipal_roadmap(world)
    stage = item(template, world.coordinator, number="1.", title="Этап", deadline_text="2023 г.")
    item(template, world.coordinator, number="1.1.", parent=stage, deadline_text="Май, ежегодно с 2022 года")
    copies = services.roadmap_copy(
        template=template, organizations=[world.school_a, world.school_b], user=system_user()
    )
    assert [c.organization for c in copies] == [world.school_a, world.school_b]
    copied_stage, copied_child = copies[0].items.order_by("position")
    assert copied_child.parent == copied_stage and copied_child.template_item.parent == stage
    assert windows(copied_child) == [(D(year, 5, 1), D(year, 5, 31)) for year in (2022, 2023, 2024)]
    assert services.template_changes(copies[0]) == []
    with pytest.raises(ValidationError):
        services.roadmap_copy(template=template, organizations=[world.school_a], user=system_user())
    with pytest.raises(ValidationError):
        services.roadmap_copy(template=template, organizations=[world.school_elsewhere], user=system_user())


def test_template_changes_are_offered_and_taken_only_when_chosen(world):
    template = municipal_roadmap(world)
    first = item(template, world.coordinator, number="1.", title="Старое название")
    (copy,) = services.roadmap_copy(template=template, organizations=[world.school_a], user=world.coordinator)
    first.title = "Новое название"
    services.item_save(item=first, user=world.coordinator)
    added = item(template, world.coordinator, number="2.", title="Новый пункт", deadline_text="2024 г.")
    changes = services.template_changes(copy)
    assert [(c.kind, c.template_item.pk) for c in changes] == [("changed", first.pk), ("added", added.pk)]
    assert copy.items.get().title == "Старое название"  # never pushed
    taken = services.roadmap_take_template_changes(roadmap=copy, template_item_ids=[added.pk], user=world.curator_a)
    assert taken == 1
    assert sorted(copy.items.values_list("title", flat=True)) == ["Новый пункт", "Старое название"]
    assert [c.kind for c in services.template_changes(copy)] == ["changed"]
    services.roadmap_take_template_changes(roadmap=copy, template_item_ids=[first.pk], user=world.curator_a)
    assert sorted(copy.items.values_list("title", flat=True)) == ["Новое название", "Новый пункт"]
    assert services.template_changes(copy) == []
    with pytest.raises(PermissionDenied):
        services.roadmap_take_template_changes(roadmap=copy, template_item_ids=[first.pk], user=world.curator_b)


# --- What the lists show -------------------------------------------------------------------


def test_the_matrix_counts_done_and_overdue_per_school_and_stage(world, addressed):
    stage = item(addressed.roadmap, world.coordinator, number="1.", title="Этап")
    addressed.parent = stage
    services.item_save(item=addressed, user=world.coordinator)
    later = item(
        addressed.roadmap,
        world.coordinator,
        number="1.2.",
        parent=stage,
        deadline_text="2024 г.",
        responsible_organization="Кураторы внедрения ЦМН в ОО",
    )
    mark(addressed, world.school_a, world.curator_a, status=ExecutionStatus.DONE)
    mark(later, world.school_b, world.curator_b, status=ExecutionStatus.NOT_REQUIRED)
    matrix = selectors.execution_matrix(addressed.roadmap, today=D(2021, 10, 1))
    assert [org.pk for org in matrix.organizations] == [world.school_a.pk, world.school_b.pk]
    assert [row.item.pk for row in matrix.rows] == [addressed.pk, later.pk]
    a, b = matrix.by_organization[world.school_a.pk], matrix.by_organization[world.school_b.pk]
    assert (a.done, a.asked, a.overdue) == (1, 2, 0)
    assert (b.done, b.asked, b.overdue) == (0, 1, 1)  # «до 10.09.2021» passed and not done
    assert matrix.by_stage[stage.pk].percent == 33
    overdue_only = selectors.execution_matrix(addressed.roadmap, today=D(2021, 10, 1), state="overdue")
    assert [row.item.pk for row in overdue_only.rows] == [addressed.pk]


def test_a_schools_due_list_is_nearest_first_and_leaves_out_what_is_closed(world):
    municipal = municipal_roadmap(world)
    own = school_roadmap(world)
    overdue = item(
        municipal, world.coordinator, deadline_text="до 10.09.2024", responsible_organization="Руководители ОО"
    )
    soon = item(own, world.curator_a, deadline_text="до 20.10.2024")
    later = item(own, world.curator_a, deadline_text="Май 2025 г.")
    done = item(own, world.curator_a, deadline_text="Сентябрь 2024 г.")
    mark(done, world.school_a, world.curator_a, status=ExecutionStatus.DONE)
    item(municipal, world.coordinator, responsible_organization="МБОУ «СОШ № 2»")  # another school's
    item(school_roadmap(world, school=world.school_b, user=world.curator_b), world.curator_b)  # another roadmap
    today = D(2024, 10, 10)
    due = selectors.due_items(world.school_a, today=today)
    assert [d.item.pk for d in due] == [overdue.pk, soon.pk, later.pk]
    assert due[0].overdue and not due[1].overdue
    assert due[1].next_end == D(2024, 10, 20)
    soon_only = selectors.due_items(world.school_a, today=today, within_days=selectors.DUE_SOON_DAYS)
    assert [d.item.pk for d in soon_only] == [overdue.pk, soon.pk]


def test_the_authority_marks_only_the_items_it_carries_out_itself(world, addressed):
    assert not addressed.carried_by_authority  # «Руководители ОО» only: the schools carry it out
    with pytest.raises(ValidationError) as error:
        mark(addressed, None, world.coordinator, status=ExecutionStatus.DONE)
    assert "исполняют школы" in error.value.messages[0]
    both = item(
        addressed.roadmap,
        world.coordinator,
        responsible_municipal="Управление образования",
        responsible_organization="Руководители ОО",
    )
    assert both.carried_by_authority
    assert mark(both, None, world.coordinator, status=ExecutionStatus.IN_PROGRESS).organization is None
