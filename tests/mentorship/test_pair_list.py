"""The pair list: its filters stay in the URL and use the one definition of each condition
(mentorship.selectors); the search finds any member, present or past, in Russian («ё» as «е»,
capitals ignored) on both databases; the export writes what the list shows."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from mentorship import selectors, services
from mentorship.models import Pair, ReplacementReason
from tests.mentorship.data import make_pairs
from tests.mentorship.helpers import teacher_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return make_pairs(world)


def listed(client, query: str = "") -> set[int]:
    response = client.get(reverse("mentorship:pair_list") + query)
    assert response.status_code == 200
    table = response.context["table"]
    assert table.paginator.count < 25, "one page is enough here"
    return {row.record.pk for row in table.page.object_list}


def test_it_filters_the_pairs_that_need_attention(client, world, data):
    client.force_login(world.curator_a)
    assert listed(client, "?attention=yes") == {data.attention.pk}
    body = client.get(reverse("mentorship:pair_list") + "?attention=yes").content.decode()
    assert "требует внимания" in body


def test_it_filters_overdue_completion_reports(client, world, data):
    client.force_login(world.curator_a)
    # The terminated pair ended yesterday: its reports are due in nine days, not overdue.
    assert listed(client, "?overdue=reports") == {data.completed.pk}


def test_it_filters_months_without_a_monthly_report_as_the_card_lists_them(client, world, data):
    client.force_login(world.curator_a)
    today = timezone.localdate()
    expected = {
        pair.pk
        for pair in Pair.objects.filter(organization=world.school_a)
        if selectors.missing_months(pair, set(pair.monthly_reports.values_list("month", flat=True)), today)
    }
    assert data.active.pk in expected  # three months old, with the first month's report only
    assert listed(client, "?overdue=monthly") == expected
    assert listed(client, "?overdue=any") == expected | {data.completed.pk}


def test_it_filters_drafts_to_send_and_awaiting_approval(client, world, data):
    client.force_login(world.curator_a)
    assert listed(client, "?approval=to_send") == {data.draft.pk}
    assert listed(client, "?approval=awaiting") == {data.awaiting.pk}
    assert listed(client, "?status=completed") == {data.completed.pk}


@pytest.mark.parametrize("query", ["ёлкина", "ЕЛКИНА", "Елкина дарья", "ёЛкИнА", "морозова"])
def test_it_finds_a_pair_by_any_members_name_in_russian(client, world, data, query):
    client.force_login(world.curator_a)
    assert listed(client, f"?q={query}") == {data.draft.pk}


def test_it_finds_a_pair_by_its_former_mentor_and_by_its_number(client, world, data):
    client.force_login(world.curator_a)
    services.pair_replace_mentor(
        pair=data.active,
        mentor=teacher_mentor(world.school_a),
        on=timezone.localdate(),
        reason=ReplacementReason.REQUEST,
        comment="Просьба наставника",
        user=world.curator_a,
    )
    assert listed(client, "?q=соколова") == {data.active.pk}  # replaced, still in the pair's history
    assert listed(client, f"?q=№{data.active.pk}") == {data.active.pk}
    assert listed(client, "?q=нетакогочеловека") == set()


def test_it_lets_the_coordinator_filter_by_school(client, world, data):
    client.force_login(world.coordinator)
    assert listed(client, f"?organization={world.school_b.pk}") == {data.other.pk}
    client.force_login(world.curator_a)
    response = client.get(reverse("mentorship:pair_list") + f"?organization={world.school_b.pk}")
    assert response.context["filter"].errors  # another school is not a choice of school A's curator


def test_it_exports_the_filtered_list_and_journals_it(client, world, data):
    client.force_login(world.curator_a)
    response = client.get(reverse("mentorship:pair_list") + "?attention=yes&export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["№", "Форма", "Наставник"]
    assert len(rows) == 2
    assert rows[1][0] == str(data.attention.pk)
    assert "требует внимания" in rows[1][-1]
    entry = AuditEntry.objects.filter(action="export").latest("pk")
    assert entry.data["filters"] == {"attention": "yes"}
    assert entry.data["rows"] == 1
    xlsx = client.get(reverse("mentorship:pair_list") + "?overdue=reports&export=xlsx")
    assert xlsx["Content-Disposition"].startswith("attachment")


def test_it_exports_pairs_from_the_command_line(world, data, tmp_path):
    out = tmp_path / "пары.csv"
    call_command("export_data", "pairs", "--organization", str(world.school_a.pk), "--out", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
    assert len(rows) - 1 == Pair.objects.filter(organization=world.school_a).count()
    assert str(data.other.pk) not in {row[0] for row in rows[1:]}


def test_it_tells_what_to_do_when_there_are_no_pairs(client, world):
    client.force_login(world.curator_a)
    body = client.get(reverse("mentorship:pair_list")).content.decode()
    assert "Пар пока нет" in body
    assert "Подобрать пары" in body
