#!/usr/bin/env python
"""Speed of matching: suggestions for one mentee among 5,000 mentors, and the proposal for a
school's base of 1,000 mentees.

    .venv/bin/python bench/matching_bench.py [--mentors 5000] [--mentees 1000]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_matching] [--keep]

The issue's targets: `matching.suggest_mentors` for one mentee under 200 ms with 5,000 mentors in
the municipality; `matching.propose_pairs` for 1,000 mentees under 5 s. This prints the figures
and PASS/FAIL; it is a measurement, not a test.

The municipality: one school holding the mentees (young teachers in «учитель – учитель» and pupils
in «ученик – ученик»), the mentors spread over 20 schools, 5 partner enterprises and a college,
each with forms, request topics, subjects, a training mark and consents; a tenth of the mentors
already have live pairs. The bench's own database is created (dropping a previous one of the same
name), migrated and dropped at the end (unless --keep).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

from bench_db import BenchError, drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_matching"
TARGET_SUGGEST_MS = 200
TARGET_PROPOSE_S = 5.0
SUBJECTS = ["математика", "физика", "русский язык", "литература", "история", "химия", "биология", "информатика"]


def configure(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query's SQL: not what production does
    os.environ["SECRET_KEY"] = "bench-" + secrets.token_urlsafe(40)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(mentor_count: int, mentee_count: int, seed: int):
    """The municipality, written in bulk (the services' rules are not what is measured here)."""
    from django.utils import timezone

    from core.bulk import bulk_insert
    from mentorship.models import ApprovalOrder, Pair, PairMember, PairStatus
    from registry.choices import BaseRole, ConsentKind, FormCode, OrganizationKind, PersonCategory
    from registry.models import (
        Consent,
        MenteeRecord,
        MentorRecord,
        MentorshipForm,
        Municipality,
        Organization,
        Person,
        RequestTopic,
    )

    rng = random.Random(seed)
    today = timezone.localdate()
    municipality = Municipality.objects.create(name="Бенч-город", region="Край", authority_name="УО")
    school = Organization.objects.create(municipality=municipality, short_name="МБОУ «СОШ № 1»", full_name="СОШ 1")
    others = [
        Organization.objects.create(
            municipality=municipality,
            short_name=f"МБОУ «СОШ № {n}»",
            full_name=f"СОШ {n}",
            kind=OrganizationKind.SCHOOL,
        )
        for n in range(2, 21)
    ]
    partners = [
        Organization.objects.create(
            municipality=municipality,
            short_name=f"АО «Завод {n}»",
            full_name=f"Завод {n}",
            kind=OrganizationKind.PARTNER,
        )
        for n in range(1, 6)
    ]
    college = Organization.objects.create(
        municipality=municipality, short_name="КГБПОУ «Колледж»", full_name="Колледж", kind=OrganizationKind.COLLEGE
    )
    forms = {f.code: f for f in MentorshipForm.objects.all()}
    topics = [RequestTopic.objects.get_or_create(name=name)[0] for name in (
        "Методика преподавания", "Содержание предмета", "Воспитательная работа", "Организация урока",
        "Психологическая поддержка", "Адаптация в коллективе", "Профориентация",
    )]  # fmt: skip
    people, mentor_specs = [], []
    for n in range(mentor_count):
        roll = rng.random()
        if roll < 0.55:
            org, category, form_codes = (
                rng.choice([school, *others]),
                PersonCategory.TEACHER,
                [FormCode.TEACHER_TEACHER],
            )
            birth = datetime.date(rng.randint(1960, 1990), rng.randint(1, 12), rng.randint(1, 28))
        elif roll < 0.85:
            org, category, form_codes = (
                rng.choice([school, *others]),
                PersonCategory.STUDENT,
                [FormCode.STUDENT_STUDENT],
            )
            birth = today.replace(year=today.year - rng.randint(15, 17)) - datetime.timedelta(days=rng.randint(1, 300))
        elif roll < 0.95:
            org, category, form_codes = rng.choice(partners), PersonCategory.EMPLOYER, [FormCode.EMPLOYER_STUDENT]
            birth = datetime.date(rng.randint(1970, 1995), 5, 5)
        else:
            org, category, form_codes = college, PersonCategory.UNDERGRADUATE, [FormCode.UNDERGRADUATE_STUDENT]
            birth = today.replace(year=today.year - 19)
        people.append(
            Person(
                last_name=f"Наставник{n}", first_name="Иван", middle_name="Петрович", birth_date=birth,
                organization=org, category=category,
                subjects=", ".join(rng.sample(SUBJECTS, 2)) if category == PersonCategory.TEACHER else "",
            )
        )  # fmt: skip
        mentor_specs.append(form_codes)
    mentees = []
    for n in range(mentee_count):
        if n % 2:
            mentees.append(
                Person(
                    last_name=f"Молодой{n}", first_name="Анна", middle_name="Сергеевна",
                    birth_date=datetime.date(1999, 3, 3), organization=school, category=PersonCategory.TEACHER,
                    teaching_since=today - datetime.timedelta(days=400), subjects=rng.choice(SUBJECTS),
                )
            )  # fmt: skip
        else:
            mentees.append(
                Person(
                    last_name=f"Ученик{n}", first_name="Пётр", middle_name="Ильич", organization=school,
                    birth_date=today.replace(year=today.year - rng.randint(11, 13)), category=PersonCategory.STUDENT,
                )
            )  # fmt: skip
    bulk_insert(Person, people + mentees)
    mentor_records = [MentorRecord(person=p, is_trained=rng.random() < 0.6) for p in people]
    bulk_insert(MentorRecord, mentor_records)
    mentee_records = [MenteeRecord(person=p) for p in mentees]
    bulk_insert(MenteeRecord, mentee_records)
    MentorRecord.forms.through.objects.bulk_create(
        [
            MentorRecord.forms.through(mentorrecord_id=r.pk, mentorshipform_id=forms[code].pk)
            for r, codes in zip(mentor_records, mentor_specs, strict=True)
            for code in codes
        ],
        batch_size=5000,
    )
    MentorRecord.topics.through.objects.bulk_create(
        [
            MentorRecord.topics.through(mentorrecord_id=r.pk, requesttopic_id=t.pk)
            for r in mentor_records
            for t in rng.sample(topics, 2)
        ],
        batch_size=5000,
    )
    MenteeRecord.forms.through.objects.bulk_create(
        [
            MenteeRecord.forms.through(
                menteerecord_id=r.pk,
                mentorshipform_id=forms[
                    FormCode.TEACHER_TEACHER
                    if r.person.category == PersonCategory.TEACHER
                    else FormCode.STUDENT_STUDENT
                ].pk,
            )
            for r in mentee_records
        ],
        batch_size=5000,
    )
    MenteeRecord.requests.through.objects.bulk_create(
        [
            MenteeRecord.requests.through(menteerecord_id=r.pk, requesttopic_id=t.pk)
            for r in mentee_records
            for t in rng.sample(topics, 1)
        ],
        batch_size=5000,
    )
    consents = []
    for person in people + mentees:
        kinds = person.required_consent_kinds(today)
        for kind in kinds:
            consents.append(
                Consent(
                    person=person, kind=kind, signed_on=today - datetime.timedelta(days=30),
                    representative_name="Родитель" if kind == ConsentKind.PARENT else "",
                )
            )  # fmt: skip
    bulk_insert(Consent, consents)
    # A tenth of the mentors are busy: live pairs with other schools' mentees hold some of their places.
    order = ApprovalOrder.objects.create(organization=others[0], number="1", date=today)
    busy = rng.sample(people, mentor_count // 10)
    pairs = [
        Pair(organization=others[0], form=forms[FormCode.TEACHER_TEACHER], mentor=p, start_on=today,
             end_on=today + datetime.timedelta(days=200), status=PairStatus.ACTIVE, order=order)
        for p in busy
    ]  # fmt: skip
    bulk_insert(Pair, pairs)
    fillers = [
        Person(last_name=f"Занят{n}", first_name="Олег", middle_name="", birth_date=datetime.date(1998, 1, 1),
               organization=others[0], category=PersonCategory.TEACHER)
        for n in range(len(pairs))
    ]  # fmt: skip
    bulk_insert(Person, fillers)
    PairMember.objects.bulk_create(
        [
            PairMember(pair=pair, person=f, role=BaseRole.MENTEE, joined_on=today)
            for pair, f in zip(pairs, fillers, strict=True)
        ]
        + [PairMember(pair=pair, person=pair.mentor, role=BaseRole.MENTOR, joined_on=today) for pair in pairs],
        batch_size=5000,
    )
    return school, mentees


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentors", type=int, default=5000)
    parser.add_argument("--mentees", type=int, default=1000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    try:
        recreate_database(args.database_url)
    except BenchError as error:
        print(error, file=sys.stderr)
        return 2
    configure(args.database_url)
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from core.scoping import system_user
    from mentorship import matching
    from registry.models import MentorshipForm

    try:
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        school, mentees = build(args.mentors, args.mentees, args.seed)
        print(f"Built {args.mentors} mentors and {args.mentees} mentees in {time.perf_counter() - started:.1f} s")
        user = system_user()
        teacher = next(m for m in mentees if m.category == "teacher")
        form = MentorshipForm.objects.get(code="teacher_teacher")
        timings = []
        for _ in range(21):
            connection.force_debug_cursor = True
            reset_queries()
            start = time.perf_counter()
            suggestions = matching.suggest_mentors(mentee=teacher, form=form, user=user)
            timings.append((time.perf_counter() - start) * 1000)
            queries = len(connection.queries)
            connection.force_debug_cursor = False
        median = statistics.median(timings[1:])
        print(
            f"suggest_mentors, one mentee among {args.mentors} mentors: median {median:.0f} ms, "
            f"max {max(timings[1:]):.0f} ms over 20 runs (first, cold: {timings[0]:.0f} ms), {queries} queries, "
            f"{len(suggestions)} suggestions; best: {suggestions[0].mentor} — {', '.join(suggestions[0].reasons)}"
        )
        print(f"  target < {TARGET_SUGGEST_MS} ms: {'PASS' if median < TARGET_SUGGEST_MS else 'FAIL'}")
        start = time.perf_counter()
        proposals = matching.propose_pairs(organization=school, user=user)
        elapsed = time.perf_counter() - start
        given = sum(1 for p in proposals if p.suggestion)
        print(
            f"propose_pairs, {len(proposals)} mentees: {elapsed:.2f} s, {given} given a mentor, "
            f"{len(proposals) - given} left without"
        )
        print(f"  target < {TARGET_PROPOSE_S:.0f} s: {'PASS' if elapsed < TARGET_PROPOSE_S else 'FAIL'}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
