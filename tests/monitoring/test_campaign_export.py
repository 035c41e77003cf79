"""The campaign's consolidated download: seed 003's workbook of the schools asked, the corrected
figures over the computed ones (both shown), the responsible of each school, the total corrected by
the same differences; for the municipality's people only, journalled."""

import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import AuditEntry
from monitoring.choices import Figure
from monitoring.coverage import FIGURES, FORMS, compute_coverage
from registry.choices import FormCode
from tests.monitoring.data import make_campaigns

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return make_campaigns(world)


def download(client, user, campaign):
    client.force_login(user)
    return client.get(reverse("monitoring:campaign_export", args=[campaign.pk]))


def test_the_coordinator_downloads_the_schools_forms_with_the_corrections(client, world, data):
    campaign = data.open
    response = download(client, world.coordinator, campaign)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Свод", world.school_a.short_name, world.school_b.short_name]
    coverage = compute_coverage(
        [world.school_a.pk, world.school_b.pk],
        start=campaign.period_start,
        end=campaign.period_end,
        on=campaign.reference_date,
    )
    school_a = book[world.school_a.short_name]
    corrected = school_a["B11"]  # row 1 of the form, «Ученик – ученик»
    assert corrected.value == 5
    computed = coverage.figures(world.school_a.pk)[Figure.MENTEES_10_18][FormCode.STUDENT_STUDENT]
    assert corrected.comment.text.startswith(f"рассчитано: {computed}, исправлено школой")
    assert "Иванова Мария Петровна" in school_a["A15"].value
    summary = book["Свод"]
    rows = {summary.cell(row, 2).value: row for row in range(8, 12)}
    total_row = rows["Итого по муниципалитету (без повторов)"]
    column = 3
    for figure in FIGURES:
        for form in FORMS:
            expected = coverage.total[figure][form]
            if (figure, form) == (Figure.MENTEES_10_18, FormCode.STUDENT_STUDENT):
                expected += 5 - computed
            assert summary.cell(total_row, column).value == expected
            column += 1
    assert AuditEntry.objects.filter(action="export", object_repr__contains=campaign.title).exists()


@pytest.mark.parametrize(("actor", "status"), [("observer", 200), ("curator_a", 403), ("coordinator_elsewhere", 404)])
def test_only_the_municipalitys_people_download_it(client, world, data, actor, status):
    assert download(client, getattr(world, actor), data.open).status_code == status


def test_the_campaign_page_offers_it_to_the_coordinator_only(client, world, data):
    url = reverse("monitoring:campaign_export", args=[data.open.pk])
    client.force_login(world.coordinator)
    assert url in client.get(data.open.get_absolute_url()).content.decode()
    client.force_login(world.curator_a)
    assert url not in client.get(data.open.get_absolute_url()).content.decode()
