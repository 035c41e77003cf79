"""`manage.py load_demo`: the demo municipality, its logins, its figures, its pairs; idempotent,
deterministic, refused in production. Most tests load a tenth of the size (`--scale 0.1`); one
loads it all."""

import datetime
import time
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.utils import timezone

from core.choices import AuditAction, Role
from core.models import AuditEntry, IssuedDocument, RoleAssignment
from mentorship import rules
from mentorship.models import (
    ApprovalOrder,
    EventKind,
    IndividualPlan,
    Meeting,
    MeetingKind,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    PairEvent,
    PairMember,
    PairStatus,
    PlanItem,
    Practice,
    Recognition,
    RecognitionKind,
)
from mentorship.services import load_people
from registry.choices import COVERAGE_FORMS, BaseRole, ConsentKind, OrganizationKind, PersonCategory, Sex
from registry.demo import ADMIN_LOGIN, DEMO_LOGINS, DEMO_MUNICIPALITY, DEMO_PASSWORD
from registry.models import (
    Consent,
    Contingent,
    MenteeRecord,
    MentorRecord,
    Municipality,
    Organization,
    Person,
    current_academic_year_start,
)

SMALL = ("--scale", "0.1")


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Counts and last ids of everything the command writes."""
    models = [
        Municipality,
        Organization,
        Person,
        MentorRecord,
        MenteeRecord,
        Consent,
        Contingent,
        RoleAssignment,
        AuditEntry,
        get_user_model(),
        ApprovalOrder,
        Pair,
        PairMember,
        PairEvent,
        IndividualPlan,
        PlanItem,
        Meeting,
        MonthlyReport,
        MentorReport,
        MenteeReport,
        Recognition,
        Practice,
        IssuedDocument,
    ]
    return {
        model.__name__: (model.objects.count(), model.objects.order_by("-pk").values_list("pk", flat=True).first())
        for model in models
    }


def first_names(count: int = 20) -> list[tuple[str, str, str]]:
    return list(Person.objects.order_by("pk").values_list("last_name", "first_name", "middle_name")[:count])


def role_of(username: str) -> RoleAssignment:
    return RoleAssignment.objects.select_related("organization").get(user__username=username)


@pytest.mark.django_db
def test_creates_the_demo_logins_with_their_roles_and_places():
    output = load_demo(*SMALL)

    municipality = Municipality.objects.get(name=DEMO_MUNICIPALITY)
    for username in DEMO_LOGINS:
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.first_name and user.last_name and not user.is_staff
        assert username in output
    coordinator, curator1, curator2, director1 = (role_of(name) for name in DEMO_LOGINS)
    assert (coordinator.role, coordinator.municipality, coordinator.organization) == (
        Role.COORDINATOR,
        municipality,
        None,
    )
    assert curator1.role == curator2.role == Role.CURATOR
    assert director1.role == Role.DIRECTOR
    assert curator1.organization == director1.organization
    assert curator2.organization != curator1.organization
    assert curator1.organization.municipality == curator2.organization.municipality == municipality
    assert curator1.organization.kind == curator2.organization.kind == OrganizationKind.SCHOOL
    assert curator1.organization.short_name == "МБОУ «СОШ № 1»"
    # The director login is the school's director.
    director = get_user_model().objects.get(username="director1")
    assert curator1.organization.director_name.startswith(director.last_name)
    admin = authenticate(username=ADMIN_LOGIN, password=DEMO_PASSWORD)
    assert admin is not None and admin.is_staff and admin.is_superuser
    # Both curators' schools have mentors and mentees to show.
    for assignment in (curator1, curator2):
        assert MentorRecord.objects.filter(person__organization=assignment.organization).exists()
        assert MenteeRecord.objects.filter(person__organization=assignment.organization).exists()


@pytest.mark.django_db
def test_full_size_municipality_is_realistic_and_fast():
    started = time.monotonic()
    load_demo()
    # `make run` loads it: about 20 s on SQLite and 35 s on PostgreSQL on an idle machine (the
    # pairs are made through the services, a few hundred queries each). The bound is a guard
    # against a slip (a query per person, a quadratic loop), with room for a busy CI machine.
    assert time.monotonic() - started < 120

    today = timezone.localdate()
    municipality = Municipality.objects.get(name=DEMO_MUNICIPALITY)
    assert municipality.region == "Красноярский край"
    assert municipality.authority_name == "Управление образования администрации города Назарово"
    assert [len(municipality.okpo), len(municipality.ogrn), len(municipality.inn), len(municipality.kpp)] == [
        8,
        13,
        10,
        9,
    ]
    for value in (municipality.okpo, municipality.ogrn, municipality.inn, municipality.kpp):
        assert value.isdigit()
    organizations = municipality.organizations
    assert 11 <= organizations.filter(kind=OrganizationKind.SCHOOL).count() <= 13
    assert organizations.filter(kind=OrganizationKind.COLLEGE).count() == 1
    assert organizations.filter(kind=OrganizationKind.PARTNER).count() == 3

    people = Person.objects.filter(organization__municipality=municipality)
    students = people.filter(category=PersonCategory.STUDENT)
    teachers = people.filter(category=PersonCategory.TEACHER)
    assert 2700 <= students.count() <= 3300
    assert 230 <= teachers.count() <= 270
    assert 40 <= people.filter(category=PersonCategory.UNDERGRADUATE).count() <= 80
    assert 10 <= people.filter(category=PersonCategory.EMPLOYER).count() <= 20
    assert not students.exclude(organization__kind=OrganizationKind.SCHOOL).exists()

    young = [t for t in teachers if t.is_young_specialist(today)]
    assert 0.15 <= len(young) / teachers.count() <= 0.20
    assert all(22 <= t.age(today) <= 65 for t in teachers)

    # Students are 7–18, in a class of their age, with names of their sex.
    for student in students:
        age = student.age(today)
        assert 7 <= age <= 18
        grade, letter = int(student.class_name[:-1]), student.class_name[-1]
        assert letter in "АБВГ"
        assert age - 7 <= grade <= age - 6
    for person in people:
        if person.sex == Sex.FEMALE:
            assert person.middle_name.endswith(("вна", "ична")), person
        else:
            assert person.sex == Sex.MALE and person.middle_name.endswith(("вич", "ич")), person
    identities = people.values_list("last_name", "first_name", "middle_name", "birth_date", "organization")
    assert len(set(identities)) == people.count()

    # Bases: teachers and students both ways, employers and college students as mentors.
    mentors = MentorRecord.objects.filter(person__organization__municipality=municipality)
    mentees = MenteeRecord.objects.filter(person__organization__municipality=municipality)
    assert 0.07 <= mentors.filter(person__category=PersonCategory.TEACHER).count() / teachers.count() <= 0.13
    assert mentors.filter(person__category=PersonCategory.EMPLOYER, forms__code="employer_student").exists()
    assert mentors.filter(person__category=PersonCategory.UNDERGRADUATE, forms__code="undergraduate_student").exists()
    assert mentors.filter(person__category=PersonCategory.STUDENT, forms__code="student_student").exists()
    assert mentees.filter(person__category=PersonCategory.TEACHER, forms__code="teacher_teacher").exists()
    assert mentees.filter(person__category=PersonCategory.STUDENT).exclude(portrait="").exists()
    assert not mentees.filter(requests=None).exists()
    assert not mentors.filter(forms=None).exists()
    young_mentees = mentees.filter(person__category=PersonCategory.TEACHER)
    assert all(record.person.is_young_specialist(today) for record in young_mentees.select_related("person"))
    assert mentors.filter(is_trained=True).count() > mentors.count() / 2

    # Consents: mostly complete, some missing one kind, a few withdrawn.
    in_base = people.filter(Q(mentor_record__isnull=False) | Q(mentee_record__isnull=False)).with_consent_state()
    total = in_base.count()
    missing = in_base.filter(consents_missing=True, consent_withdrawn=False).count()
    withdrawn = in_base.filter(consent_withdrawn=True).count()
    assert 0.05 <= missing / total <= 0.15
    assert 1 <= withdrawn <= max(2, total * 0.03)
    consents = Consent.objects.filter(person__organization__municipality=municipality).select_related("person")
    assert not consents.exclude(person__in=in_base).exists()
    for consent in consents:
        assert consent.signed_on <= today and not consent.scan
        if consent.withdrawn_on:
            assert consent.signed_on <= consent.withdrawn_on <= today
        if consent.kind == ConsentKind.PARENT:
            assert consent.person.is_minor(today)
            parent_surname = consent.representative_name.split()[0]
            assert len(consent.representative_name.split()) == 3
            assert parent_surname.rstrip("а") == consent.person.last_name.rstrip("а")
        else:
            assert consent.representative_name == ""

    # Contingent of the current year matches the people generated.
    year = current_academic_year_start(today)
    for school in organizations.filter(kind=OrganizationKind.SCHOOL):
        contingent = Contingent.objects.get(organization=school, year_start=year)
        ages = [p.age(today) for p in students.filter(organization=school)]
        assert contingent.students_10_18 == sum(10 <= age <= 18 for age in ages)
        assert contingent.students_15_18 == sum(15 <= age <= 18 for age in ages)
        assert contingent.young_teachers == sum(t.organization_id == school.pk for t in young)

    # The demo's own import line (the roadmaps' imports have theirs, by the coordinator and curator1).
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT, actor=None)
    assert entry.object_repr == "Демо-муниципалитет"
    assert entry.data["students"] == students.count()

    assert_tour_of_curator1s_school(today)


@pytest.mark.django_db
def test_second_run_changes_nothing():
    load_demo(*SMALL)
    before = snapshot()

    output = load_demo(*SMALL)

    assert "уже загружен" in output
    assert snapshot() == before


@pytest.mark.django_db
def test_same_seed_gives_the_same_people_after_reset():
    load_demo(*SMALL)
    first = first_names()
    counts = {key: count for key, (count, _last_pk) in snapshot().items()}

    load_demo(*SMALL, "--reset")
    second = first_names()
    load_demo(*SMALL, "--reset")

    assert len(first) == 20
    assert first == second == first_names()
    assert Municipality.objects.filter(name=DEMO_MUNICIPALITY).count() == 1
    counts_after = {key: count for key, (count, _last_pk) in snapshot().items()}
    # Every load journals the same lines (the registry's one, the services' of the pairs).
    assert counts_after == {**counts, "AuditEntry": counts["AuditEntry"] * 3}
    for username in DEMO_LOGINS:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None


@pytest.mark.django_db
def test_another_seed_gives_other_people():
    load_demo(*SMALL)
    default = first_names()

    load_demo(*SMALL, "--reset", "--seed", "7")

    assert first_names() != default


@pytest.mark.django_db
def test_stale_demo_login_is_taken_over():
    stale = get_user_model().objects.create_user("curator1", password="something-else")

    load_demo(*SMALL)

    user = authenticate(username="curator1", password=DEMO_PASSWORD)
    assert user is not None and user.pk == stale.pk
    assert role_of("curator1").role == Role.CURATOR


@pytest.mark.django_db
@pytest.mark.parametrize("args", [(), ("--reset",)])
def test_refused_where_demo_data_is_not_allowed(settings, args):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        load_demo(*SMALL, *args)

    assert not Municipality.objects.filter(name=DEMO_MUNICIPALITY).exists()
    assert not get_user_model().objects.filter(username__in=DEMO_LOGINS).exists()


@pytest.mark.django_db
def test_scale_out_of_range_is_an_error():
    with pytest.raises(CommandError, match=r"0\.01"):
        load_demo("--scale", "0")


# The pairs (mentorship.demo) ------------------------------------------------------------------------


def pair_signature() -> list[tuple]:
    """What the demo's pairs are: school, form, status, dates, mentor, members, in the order made."""
    pairs = (
        Pair.objects.select_related("organization", "form", "mentor").prefetch_related("members__person").order_by("pk")
    )
    return [
        (
            pair.organization.short_name,
            pair.form.code,
            pair.status,
            pair.start_on,
            pair.end_on,
            pair.mentor.full_name,
            tuple((m.role, m.person.full_name, m.joined_on, m.left_on) for m in pair.members.all()),
        )
        for pair in pairs
    ]


def mentees_of(pair: Pair) -> list[int]:
    return [m.person_id for m in pair.members.all() if m.role == BaseRole.MENTEE]


@pytest.mark.django_db
def test_it_builds_pairs_of_every_status_and_form():
    output = load_demo(*SMALL)

    pairs = Pair.objects.all()
    assert set(pairs.values_list("status", flat=True)) == set(PairStatus.values)
    assert set(pairs.values_list("form__code", flat=True)) == set(COVERAGE_FORMS)
    drafts = pairs.filter(status=PairStatus.DRAFT)
    assert drafts.filter(approval_requested_on__isnull=False).exists()
    assert drafts.filter(approval_requested_on__isnull=True).exists()
    assert not drafts.filter(order__isnull=False).exists()
    approved = pairs.exclude(status=PairStatus.DRAFT).select_related("order")
    assert all(pair.order.number.lower().endswith("-од") and pair.order.date <= pair.start_on for pair in approved)
    # Every school has pairs; the four forms come from their right places (§3.1–3.3).
    schools = Organization.objects.filter(kind=OrganizationKind.SCHOOL)
    assert set(pairs.values_list("organization", flat=True)) == set(schools.values_list("pk", flat=True))
    kinds = {
        "undergraduate_student": OrganizationKind.COLLEGE,
        "employer_student": OrganizationKind.PARTNER,
        "teacher_teacher": OrganizationKind.SCHOOL,
        "student_student": OrganizationKind.SCHOOL,
    }
    for code, kind in kinds.items():
        assert set(pairs.filter(form__code=code).values_list("mentor__organization__kind", flat=True)) == {kind}
    today = timezone.localdate()
    assert pairs.filter(status=PairStatus.ACTIVE, start_on__lte=today, end_on__gte=today).exists()
    assert pairs.filter(status=PairStatus.APPROVED, start_on__gt=today).exists()
    # Summary lines count the pairs.
    assert f"{pairs.count()}  пар" in output.replace("\xa0", "")


@pytest.mark.django_db
def test_its_pairs_keep_the_rules_of_the_polozhenie():
    load_demo(*SMALL)
    today = timezone.localdate()
    live = list(Pair.objects.live().prefetch_related("members"))
    assert live

    # §3.4: at most three mentees of a mentor at a time, across all their live pairs.
    mentors = load_people({pair.mentor_id for pair in live})
    loads = rules.mentor_loads(mentors)
    assert loads and all(load <= rules.mentor_capacity(mentors[pk]) for pk, load in loads.items())
    # §3.5: every current member of a live pair has the consents their age requires.
    current = PairMember.objects.filter(pair__in=live, left_on__isnull=True)
    people = load_people(current.values_list("person_id", flat=True))
    assert rules.consent_refusals(list(people.values()), on=today) == []
    # A mentee has one live pair of a form.
    taken = Counter(current.filter(role=BaseRole.MENTEE).values_list("person_id", "pair__form_id"))
    assert max(taken.values()) == 1
    # The form's sense, as the director's approval checked it.
    for pair in Pair.objects.exclude(status=PairStatus.DRAFT).select_related("order", "form", "organization"):
        members = load_people([pair.mentor_id, *mentees_of(pair)])
        refusals = rules.participant_refusals(
            form=pair.form,
            organization=pair.organization,
            mentor=members[pair.mentor_id],
            mentees=[members[pk] for pk in mentees_of(pair)],
            on=max(pair.start_on, pair.order.date),
        )
        assert refusals == [], (pair.pk, refusals)
    # The work of a pair lies in its term and in the past; a working meeting has its feedback.
    for meeting in Meeting.objects.select_related("pair"):
        assert meeting.pair.start_on <= meeting.held_on <= min(today, meeting.pair.ended_on or today)
        assert meeting.kind != MeetingKind.WORKING or meeting.feedback
    for report in MonthlyReport.objects.select_related("pair"):
        assert report.pair.start_on.replace(day=1) <= report.month <= today.replace(day=1)


@pytest.mark.django_db
def test_its_pairs_have_the_history_the_services_write():
    load_demo(*SMALL)

    for pair in Pair.objects.prefetch_related("events"):
        kinds = [event.kind for event in pair.events.all()]
        assert kinds[0] == EventKind.CREATED
        if pair.status != PairStatus.DRAFT:
            assert EventKind.APPROVED in kinds
        if pair.status in (PairStatus.ACTIVE, PairStatus.COMPLETED, PairStatus.TERMINATED):
            assert EventKind.ACTIVATED in kinds
        assert (EventKind.COMPLETED in kinds) == (pair.status == PairStatus.COMPLETED)
        assert (EventKind.TERMINATED in kinds) == (pair.status == PairStatus.TERMINATED)
    # Every pair was journalled by the service that made it.
    created = AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model="pair")
    assert created.count() == Pair.objects.count()
    # Completed pairs: reports handed in and the mentor's approved, or overdue (none handed in).
    completed = Pair.objects.filter(status=PairStatus.COMPLETED)
    with_reports = completed.filter(mentor_report__isnull=False)
    assert with_reports.exists()
    assert not with_reports.filter(mentor_report__approved_on__isnull=True).exists()
    for pair in with_reports:
        assert set(pair.mentee_reports.values_list("mentee_id", flat=True)) == set(mentees_of(pair))
    assert completed.filter(mentor_report__isnull=True).exists()


@pytest.mark.django_db
def test_it_gives_the_same_pairs_for_the_same_seed():
    load_demo(*SMALL)
    first = pair_signature()

    load_demo(*SMALL, "--reset")

    assert len(first) > 20
    assert pair_signature() == first


@pytest.mark.django_db
def test_it_adds_the_pairs_to_a_demo_loaded_before_it_had_them():
    from registry.demo import load_demo as load_registry_demo

    load_registry_demo(scale=0.1)
    assert not Pair.objects.exists()

    output = load_demo(*SMALL)

    assert "пары добавлены" in output
    assert Pair.objects.exists()
    before = snapshot()
    assert "уже загружен" in load_demo(*SMALL)
    assert snapshot() == before


def assert_tour_of_curator1s_school(today) -> None:
    """curator1's school shows every kind of pair (issue 7 «§7 Demo»)."""
    school = role_of("curator1").organization
    pairs = Pair.objects.filter(organization=school)
    assert set(pairs.values_list("status", flat=True)) == set(PairStatus.values)
    assert set(pairs.values_list("form__code", flat=True)) == set(COVERAGE_FORMS)
    for code in COVERAGE_FORMS:
        assert pairs.filter(form__code=code, status=PairStatus.ACTIVE).exists(), code
        assert pairs.filter(form__code=code, status=PairStatus.COMPLETED).exists(), code
    events = PairEvent.objects.filter(pair__organization=school)
    assert events.filter(kind=EventKind.MENTOR_REPLACED).exclude(reason="").exists()
    assert events.filter(kind=EventKind.EXTENDED).exclude(reason="").exists()
    assert events.filter(kind=EventKind.MENTEE_JOINED).exists()
    group = pairs.filter(members__role=BaseRole.MENTEE).annotate(n=Count("members")).filter(n__gte=3)
    assert group.exists()
    overdue = [p for p in pairs.filter(status=PairStatus.COMPLETED, mentor_report__isnull=True)]
    assert overdue and all(p.reports_due_on < today for p in overdue)
    plans = IndividualPlan.objects.filter(pair__organization=school)
    assert plans.filter(acknowledged_on__isnull=False, approved_on__isnull=False).exists()
    assert PlanItem.objects.filter(plan__in=plans, done_on__isnull=False).exists()
    assert set(Meeting.objects.filter(pair__organization=school).values_list("kind", flat=True)) == set(
        MeetingKind.values
    )
    recognitions = Recognition.objects.filter(person__organization=school)
    assert {RecognitionKind.GRATITUDE, RecognitionKind.CERTIFICATE, RecognitionKind.NOMINATION} <= set(
        recognitions.values_list("kind", flat=True)
    )
    assert recognitions.filter(title__contains="Лучший педагог-наставник").exists()
    assert Practice.objects.filter(pairs__isnull=False).distinct().count() == 2
    # The curator and the director of the school did it under their own logins.
    director = get_user_model().objects.get(username="director1")
    assert ApprovalOrder.objects.filter(organization=school, created_by=director).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("month, day", [(9, 10), (2, 15), (7, 20)])
def test_it_shows_live_pairs_whatever_the_day_of_the_year(month, day):
    """The demo's dates follow the day it is loaded: early in the academic year, in its middle and
    in the summer there are pairs at work, approved ones to come, and last year's completed."""
    from zoneinfo import ZoneInfo

    import time_machine

    from monitoring.demo import load_demo as load_whole_demo

    moment = datetime.datetime(timezone.localdate().year, month, day, 12, tzinfo=ZoneInfo("Europe/Moscow"))
    with time_machine.travel(moment, tick=False):
        today = timezone.localdate()
        counts, notes = load_whole_demo(scale=0.1)

    assert not [note for note in notes if note.startswith("Пара не создана")]
    pairs = Pair.objects.all()
    assert pairs.filter(status=PairStatus.ACTIVE, start_on__lt=today, end_on__gt=today).exists()
    assert pairs.filter(status=PairStatus.APPROVED, start_on__gt=today).exists()
    assert pairs.filter(status=PairStatus.COMPLETED, end_on__lt=today).exists()
    live = pairs.filter(status__in=(PairStatus.APPROVED, PairStatus.ACTIVE)).exclude(events__kind=EventKind.EXTENDED)
    assert all((pair.end_on - pair.start_on).days <= 366 for pair in live)
    assert counts["pairs"] == pairs.count()


@pytest.mark.django_db
def test_it_issues_curator1s_order_on_pairs_through_the_register_and_leaves_drafts_awaiting():
    """Issue 10 §5: an order on pairs already issued in curator1's school (in the register), drafts
    awaiting the next one."""
    from mentorship.models import PairStatus

    load_demo(*SMALL)

    school = role_of("curator1").organization
    document = IssuedDocument.objects.get(kind="pair_order", organization=school)
    assert document.status == IssuedDocument.Status.ISSUED and document.file and document.pages >= 1
    assert document.number == school.format_order_number(document.sequence, document.year)
    approved = Pair.objects.filter(order__document=document)
    assert approved.exists() and approved.count() == document.subjects.count()
    assert Pair.objects.filter(
        organization=school, status=PairStatus.DRAFT, approval_requested_on__isnull=False
    ).exists()
    municipal = IssuedDocument.objects.get(kind="cmn_order_municipal")
    assert (municipal.organization, municipal.number, municipal.date.strftime("%d.%m")) == (None, "122\\1-о", "26.05")
    from roadmaps.models import Roadmap

    municipal_roadmaps = Roadmap.objects.filter(organization__isnull=True).values_list("pk", flat=True)
    assert municipal.subjects.get().object_id in set(municipal_roadmaps)
    assert load_demo("--reset", *SMALL)  # the register does not hold the demo back from a reset
