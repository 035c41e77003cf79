"""Which forms of mentorship a person may enter a base in follows from their category and age
(registry.choices.FORM_PARTICIPANTS, seed 001 §3.1.4, §3.2.4, §3.3.4). ISSUE: a 14-year-old pupil
was saved into the mentee base with «Учитель – учитель». The form offers only the fitting forms;
the service (`registry.services.record_forms_validate`) refuses the rest for the page, the admin
and the import alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.importing import run_import
from core.testing.factories import MentorRecordFactory, PersonFactory, TeacherFactory
from registry import services
from registry.choices import BaseRole, FormCode, PersonCategory
from registry.importers import MenteeRecordImporter, MentorRecordImporter
from registry.models import MenteeRecord, MentorRecord, MentorshipForm, years_ago

TODAY = timezone.localdate()


def form(code) -> MentorshipForm:
    return MentorshipForm.objects.get(code=code)


def pupil(world, age: int, **values):
    birth = years_ago(age, TODAY) - datetime.timedelta(days=30)
    return PersonFactory(organization=world.school_a, birth_date=birth, **values)


def test_it_refuses_a_pupil_as_a_mentee_of_teacher_teacher(world):
    person = pupil(world, 14, last_name="Соколова", first_name="Мария", middle_name="Андреевна")

    with pytest.raises(ValidationError) as error:
        services.mentee_record_save(
            record=MenteeRecord(person=person), user=world.curator_a, forms=[form(FormCode.TEACHER_TEACHER)]
        )

    assert error.value.message_dict == {
        "forms": [
            "Форма «Учитель – учитель»: наставляемым в ней может быть только педагог, "
            "а Соколова Мария Андреевна — обучающийся."
        ]
    }
    assert not MenteeRecord.objects.exists()


@pytest.mark.parametrize(("age", "allowed"), [(13, False), (14, False), (15, True), (17, True)])
def test_it_takes_a_pupil_as_a_mentor_of_student_student_from_the_senior_level(world, age, allowed):
    person = pupil(world, age)
    refusal = services.form_refusal(person=person, role=BaseRole.MENTOR, form=form(FormCode.STUDENT_STUDENT))
    assert (refusal is None) is allowed
    if not allowed:
        assert f"от 15 лет, а {person.full_name} — {age} " in refusal


@pytest.mark.parametrize(
    ("category", "role", "codes"),
    [
        (PersonCategory.STUDENT, BaseRole.MENTEE, {"student_student", "undergraduate_student", "employer_student"}),
        (PersonCategory.TEACHER, BaseRole.MENTOR, {"teacher_teacher"}),
        (PersonCategory.TEACHER, BaseRole.MENTEE, {"teacher_teacher"}),
        (PersonCategory.UNDERGRADUATE, BaseRole.MENTOR, {"undergraduate_student", "undergraduate_undergraduate"}),
        (PersonCategory.UNDERGRADUATE, BaseRole.MENTEE, {"employer_undergraduate", "undergraduate_undergraduate"}),
        (PersonCategory.EMPLOYER, BaseRole.MENTOR, {"employer_student", "employer_undergraduate"}),
        (PersonCategory.EMPLOYER, BaseRole.MENTEE, set()),
        (
            PersonCategory.GRADUATE,
            BaseRole.MENTOR,
            {"undergraduate_student", "employer_student", "employer_undergraduate"},
        ),
    ],
)
def test_it_knows_the_forms_of_each_category(world, category, role, codes):
    person = PersonFactory(
        organization=world.school_a, category=category, class_name="", birth_date=datetime.date(1990, 1, 1)
    )
    assert {f.code for f in services.eligible_forms(person=person, role=role)} == codes


def test_it_offers_only_the_fitting_forms_on_the_page(client, world):
    person = pupil(world, 14)
    client.force_login(world.curator_a)

    response = client.get(reverse("registry:mentee_create", args=[person.pk]))

    offered = {f.code for f in response.context["form"].fields["forms"].queryset}
    assert offered == {"student_student", "undergraduate_student", "employer_student"}
    assert "Учитель – учитель" not in response.content.decode()


def test_it_refuses_an_unfitting_form_posted_to_the_page(client, world):
    person = pupil(world, 14)
    client.force_login(world.curator_a)

    response = client.post(
        reverse("registry:mentee_create", args=[person.pk]),
        {"forms": [form(FormCode.TEACHER_TEACHER).pk], "entered_on": TODAY.isoformat()},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["forms"]
    assert not MenteeRecord.objects.exists()


def test_it_refuses_an_unfitting_form_in_the_admin(admin_client, world):
    person = pupil(world, 14)
    response = admin_client.post(
        reverse("admin:registry_menteerecord_add"),
        {"person": person.pk, "forms": [form(FormCode.TEACHER_TEACHER).pk], "entered_on": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert "наставляемым в ней может быть только педагог" in response.content.decode()
    assert not MenteeRecord.objects.exists()


def test_it_names_the_row_and_the_column_in_an_import(world):
    pupil(world, 14, last_name="Соколова", first_name="Мария", middle_name="Андреевна")
    content = (
        "ФИО;Дата рождения;Категория;Форма наставничества\nСоколова Мария Андреевна;;обучающийся;Учитель – учитель\n"
    ).encode()

    result = run_import(
        MenteeRecordImporter(user=world.curator_a, organization=world.school_a),
        name="mentees.csv",
        content=content,
        dry_run=False,
    )

    assert [(e.row, e.column) for e in result.errors] == [(2, "Форма наставничества")]
    assert "наставляемым в ней может быть только педагог" in result.errors[0].message
    assert not MenteeRecord.objects.exists()


def test_it_refuses_a_young_mentor_in_an_import(world):
    young = pupil(world, 13)
    content = f"ФИО;Форма наставничества\n{young.full_name};Ученик – ученик\n".encode()
    result = run_import(
        MentorRecordImporter(user=world.curator_a, organization=world.school_a),
        name="mentors.csv",
        content=content,
        dry_run=True,
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "Форма наставничества")]
    assert "от 15 лет" in result.errors[0].message


def test_it_refuses_a_category_change_that_no_longer_fits_the_base(world):
    teacher = TeacherFactory(organization=world.school_a)
    record = MentorRecordFactory(person=teacher)
    record.forms.set([form(FormCode.TEACHER_TEACHER)])

    teacher.category = PersonCategory.EMPLOYER
    with pytest.raises(ValidationError) as error:
        services.person_save(person=teacher, user=world.curator_a)

    (message,) = error.value.message_dict["category"]
    assert message == (
        f"Форма «Учитель – учитель»: наставником в ней может быть только педагог, а {teacher.full_name} — "
        "представитель работодателя. Сначала измените формы в записи в базе наставников."
    )


def test_it_builds_a_demo_whose_bases_fit_their_forms(db):
    from django.core.management import call_command

    call_command("load_demo", "--scale", "0.1", stdout=open("/dev/null", "w"))  # noqa: SIM115
    refusals = [
        message
        for model, role in ((MentorRecord, BaseRole.MENTOR), (MenteeRecord, BaseRole.MENTEE))
        for record in model.objects.select_related("person").prefetch_related("forms")
        for f in record.forms.all()
        if (message := services.form_refusal(person=record.person, role=role, form=f))
    ]
    assert MentorRecord.objects.exists() and MenteeRecord.objects.exists()
    assert refusals == []
