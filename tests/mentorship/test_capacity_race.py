"""§3.4 under concurrent requests: «Максимальное число лиц, в отношении которых наставник
одновременно осуществляет наставничество, не может превышать трех» must hold when many directors
(or one impatient one) approve pairs of one mentor at the same moment. `services.pairs_approve`
locks the mentor's row, so approvals of one mentor are served one after another."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from mentorship import services
from mentorship.models import LIVE_STATUSES, Pair, PairStatus
from registry.choices import BaseRole
from tests.mentorship.helpers import draft, teacher_mentor, young_teacher

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_approvals_of_one_mentor_leave_exactly_three(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race exists on PostgreSQL, the production database")
    mentor = teacher_mentor(world.school_a)
    drafts = [
        draft(organization=world.school_a, mentor=mentor, mentees=[young_teacher(world.school_a)])
        for _ in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS, timeout=60)
    outcomes: dict[int, str] = {}

    def approve(pair):
        try:
            barrier.wait()
            services.pairs_approve(pairs=[pair], number="77-од", date=timezone.localdate(), user=world.director_a)
            outcomes[pair.pk] = "approved"
        except ValidationError as error:
            outcomes[pair.pk] = " ".join(error.messages)
        except Exception as error:  # a crash is the failure this test looks for
            outcomes[pair.pk] = f"CRASH {type(error).__name__}: {error}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(pair,)) for pair in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(outcomes) == THREADS
    crashes = [text for text in outcomes.values() if text.startswith("CRASH")]
    assert crashes == []
    approved = [pk for pk, text in outcomes.items() if text == "approved"]
    refusals = [text for text in outcomes.values() if text != "approved"]
    assert len(approved) == 3
    assert len(refusals) == 47
    assert all("уже ведёт 3 наставляемых" in text and "п. 3.4 Положения" in text for text in refusals)
    live = Pair.objects.filter(mentor=mentor, status__in=LIVE_STATUSES)
    assert sorted(live.values_list("pk", flat=True)) == sorted(approved)
    assert Pair.objects.filter(mentor=mentor, status=PairStatus.DRAFT).count() == 47
    assert live.filter(members__role=BaseRole.MENTEE).count() == 3
