"""The small texts of ISSUE6 §5, each as a user met it: the search placeholder of each list, a
filter value the user may not see, withdrawing a consent, the empty choice of selects, the person
form's groups by category, the admin's names, the list table's markup."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.testing.factories import ConsentFactory, MentorRecordFactory, PersonFactory, TeacherFactory
from registry.choices import ConsentKind, PersonCategory
from registry.forms import PERSON_CATEGORY_GROUPS, PersonForm

pytestmark = pytest.mark.django_db


def placeholder(html: str) -> str:
    return re.search(r'<input type="search"[^>]*placeholder="([^"]*)"', html).group(1)


def test_it_fits_the_search_placeholder_to_each_list(client, world):
    client.force_login(world.coordinator)
    placeholders = {
        name: placeholder(client.get(reverse(f"registry:{name}")).content.decode())
        for name in ("organization_list", "person_list", "mentor_list", "mentee_list", "consent_list")
    }
    assert placeholders["organization_list"] == "Название, руководитель, адрес…"
    assert placeholders["person_list"] == "ФИО, класс, должность…"
    assert "компетенции" in placeholders["mentor_list"]
    assert "запрос" in placeholders["mentee_list"]
    assert "представитель" in placeholders["consent_list"]


def test_it_says_plainly_that_another_schools_organization_is_not_available(client, world):
    PersonFactory(organization=world.school_b)
    client.force_login(world.curator_a)
    for name in ("person_list", "mentor_list", "mentee_list", "consent_list"):
        response = client.get(reverse(f"registry:{name}"), {"organization": world.school_b.pk})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Найдено: 0" not in html, name
        assert "Список не показан" in html, name
        # The error stands beside the field, and the field is marked invalid for assistive technology.
        assert re.search(r'id="id_organization_error">Этой организации нет среди доступных вам', html), name
        assert re.search(r'<select[^>]*name="organization"[^>]*aria-invalid="true"', html), name


def test_it_shows_one_green_message_after_withdrawing_a_consent(client, world):
    person = TeacherFactory(organization=world.school_a)
    consent = ConsentFactory(person=person, kind=ConsentKind.PERSONAL_DATA)
    ConsentFactory(person=person, kind=ConsentKind.MENTORING)
    client.force_login(world.curator_a)
    response = client.post(
        reverse("registry:consent_withdraw", args=[consent.pk]),
        {"withdrawn_on": datetime.date.today().isoformat()},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == person.get_absolute_url()
    assert html.count('class="alert alert-success') == 1
    assert "alert-danger" not in html
    # The page states the consequence once: the message confirms, the banner explains.
    assert html.count("не показывается в списках") == 1


def test_it_offers_russian_empty_choices_in_the_forms(client, world):
    PersonForm(user=world.curator_a)  # builds without error
    form = PersonForm(user=world.coordinator)
    sex_choices = dict(form.fields["sex"].choices)
    assert sex_choices[""] == "— не указан —"
    assert dict(form.fields["category"].choices)[""] == "— выберите —"
    assert form.fields["organization"].empty_label == "— выберите —"
    person = TeacherFactory(organization=world.school_a)
    MentorRecordFactory(person=person)
    client.force_login(world.curator_a)
    for url in (
        reverse("registry:person_create"),
        reverse("registry:mentor_update", args=[person.mentor_record.pk]),
        reverse("registry:consent_create", args=[person.pk]),
        reverse("registry:organization_update", args=[world.school_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (200, 403)
        assert "---------" not in response.content.decode(), url


def test_it_groups_the_person_fields_by_the_category_they_fit(client, world):
    client.force_login(world.curator_a)
    html = client.get(reverse("registry:person_create")).content.decode()
    groups = dict(
        re.findall(r'data-depends-on="category" data-show-for="([^"]*)"[^>]*>(.*?)</div>\s*</div>', html, re.S)
    )
    assert len(re.findall(r'data-depends-on="category"', html)) == len(PERSON_CATEGORY_GROUPS)
    student_group = next(body for show_for, body in groups.items() if show_for == "student")
    assert 'name="class_name"' in student_group
    teacher_only = next(body for show_for, body in groups.items() if show_for == "teacher")
    assert 'name="subjects"' in teacher_only and 'name="teaching_since"' in teacher_only
    assert 'src="/static/js/portal.js"' in html
    # Without JavaScript the teacher's fields stay on a pupil's form; the service still validates.
    response = client.post(
        reverse("registry:person_create"),
        {
            "last_name": "Ёлкин",
            "first_name": "Пётр",
            "birth_date": "2011-03-14",
            "organization": world.school_a.pk,
            "category": PersonCategory.TEACHER,
            "class_name": "7Б",
        },
    )
    assert response.status_code == 200
    assert "Класс указывается только для обучающихся" in response.content.decode()


def test_it_names_every_admin_app_and_model_in_russian(client, world):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pass-for-tests-1")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    labels = re.findall(r"<caption>\s*<a[^>]*>([^<]*)</a>", html) + re.findall(
        r'<th scope="row" id="[^"]*">\s*<a[^>]*>([^<]*)</a>', html
    )
    assert len(labels) > 10
    latin = [label for label in labels if re.search(r"[A-Za-z]", label)]
    assert not latin, latin
    assert "Фоновые задачи" in html
    html = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "Task" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert "Результаты задач" in html or "результаты задач" in html


def test_it_marks_up_the_list_table_for_assistive_technology_and_the_phone(client, world):
    PersonFactory.create_batch(30, organization=world.school_a)
    client.force_login(world.curator_a)
    html = client.get(reverse("registry:person_list"), {"sort": "-birth_date", "page": 2}).content.decode()
    assert '<caption class="visually-hidden">Люди</caption>' in html
    assert re.search(r'<th [^>]*aria-sort="descending"[^>]*>\s*<a [^>]*>Дата рождения', html)
    assert html.count("aria-sort=") == 1
    assert '<nav aria-label="Страницы списка">' in html
    assert re.search(
        r'<a class="page-link" aria-current="page" href="[^"]*page=2[^"]*"><span class="visually-hidden">Страница </span>2</a>',
        html,
    )
    assert "Table navigation" not in html and ">previous<" not in html
    assert 'class="table table-hover align-middle mb-0 table-cards"' in html
    assert re.search(r'<td data-label="Согласия">', html)
    assert re.search(r'<td data-label="Дата рождения">', html)
