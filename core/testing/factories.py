"""Factories for tests: sub-objects stay in one organization (house style (docs/style.md) habit 9)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.choices import Role
from core.models import RoleAssignment
from registry.choices import ConsentKind, OrganizationKind, PersonCategory, Sex
from registry.models import Consent, Contingent, MenteeRecord, MentorRecord, Municipality, Organization, Person

PASSWORD = "pass-for-tests-1"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Муниципалитет {n}")
    region = "Красноярский край"
    authority_name = factory.LazyAttribute(lambda o: f"Управление образования {o.name}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = OrganizationKind.SCHOOL
    short_name = factory.Sequence(lambda n: f"МБОУ «СОШ № {n}»")
    full_name = factory.LazyAttribute(
        lambda o: f"Муниципальное бюджетное общеобразовательное учреждение {o.short_name}"
    )
    director_name = "Петрова Анна Сергеевна"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    last_name = factory.Sequence(lambda n: f"Иванов{'а' * (n % 2)}{n}")
    first_name = "Сергей"
    middle_name = "Петрович"
    sex = Sex.MALE
    birth_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365 * 14 + 100))
    organization = factory.SubFactory(OrganizationFactory)
    category = PersonCategory.STUDENT
    class_name = "8А"


class TeacherFactory(PersonFactory):
    category = PersonCategory.TEACHER
    class_name = ""
    position = "учитель"
    subjects = "математика"
    birth_date = datetime.date(1980, 5, 17)
    teaching_since = datetime.date(2005, 9, 1)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    kind = ConsentKind.MENTORING
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class MentorRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorRecord

    person = factory.SubFactory(TeacherFactory)


class MenteeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeRecord

    person = factory.SubFactory(PersonFactory)


class ContingentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contingent

    organization = factory.SubFactory(OrganizationFactory)
    year_start = 2025
    students_10_18 = 500
    students_15_18 = 200
    young_teachers = 7


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(self, create, extracted, **kwargs):
        if create:
            self.save()


def user_with_role(role: str, place) -> "get_user_model()":
    """A user holding `role` over `place` (a municipality or an organization)."""
    user = UserFactory()
    field = "municipality" if isinstance(place, Municipality) else "organization"
    RoleAssignment.objects.create(user=user, role=role, **{field: place})
    return user


__all__ = [
    "PASSWORD",
    "ConsentFactory",
    "ContingentFactory",
    "MenteeRecordFactory",
    "MentorRecordFactory",
    "MunicipalityFactory",
    "OrganizationFactory",
    "PersonFactory",
    "Role",
    "TeacherFactory",
    "UserFactory",
    "user_with_role",
]
