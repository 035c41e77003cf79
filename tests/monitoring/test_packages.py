"""Document packages (seed 003 «пакет документов»): the list a campaign asks for, a school's
scans, the coordinator's check, the matrix schools × documents, and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from monitoring import packages
from monitoring.choices import CampaignStatus, DocumentStatus, SubmissionStatus
from monitoring.models import PackageDocument
from tests.monitoring.package_data import make_packages, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return make_packages(world)


def test_a_package_campaign_asks_for_the_three_documents_of_seed_003(data):
    assert [r.title for r in data.requirements] == list(packages.DEFAULT_REQUIREMENTS)


def test_a_sent_scan_waits_for_the_check_and_keeps_the_extension_of_what_it_is(data):
    assert data.sent.status == DocumentStatus.SUBMITTED
    assert data.sent.uploaded_at is not None
    assert data.sent.file.name.endswith(".pdf")
    assert AuditEntry.objects.for_object(data.sent).exists()


def test_a_file_that_is_not_a_scan_is_refused_in_russian(world, data):
    document = packages.document_for(data.submission_a, data.requirements[1])
    fake = SimpleUploadedFile("roadmap.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        packages.document_send(document=document, user=world.curator_a, file=fake)
    assert "не похож на скан" in error.value.message_dict["file"][0]
    assert not PackageDocument.objects.filter(submission=data.submission_a, requirement=data.requirements[1]).exists()


def test_nothing_to_send_and_a_foreign_link_are_refused(world, data):
    document = packages.document_for(data.submission_a, data.requirements[1])
    with pytest.raises(ValidationError) as error:
        packages.document_send(document=document, user=world.curator_a)
    assert "Приложите скан" in error.value.message_dict["file"][0]
    for link in ("https://example.org/x.pdf", "//example.org/x.pdf", "javascript:alert(1)"):
        with pytest.raises(ValidationError) as error:
            packages.document_send(document=document, user=world.curator_a, link=link)
        assert "link" in error.value.message_dict
    sent = packages.document_send(document=document, user=world.curator_a, link="/roadmaps/1/print/")
    assert sent.status == DocumentStatus.SUBMITTED and sent.link == "/roadmaps/1/print/"


@pytest.mark.parametrize("who", ["curator_b", "director_a", "coordinator", "observer"])
def test_only_the_schools_curator_sends_its_documents(world, data, who):
    document = packages.document_for(data.submission_a, data.requirements[1])
    with pytest.raises(PermissionDenied):
        packages.document_send(document=document, user=getattr(world, who), file=pdf())


def test_documents_are_sent_only_while_the_campaign_is_open_and_the_answer_not_accepted(world, data):
    document = packages.document_for(data.submission_a, data.requirements[1])
    data.submission_a.status = SubmissionStatus.ACCEPTED
    data.submission_a.save()
    with pytest.raises(ValidationError, match="уже принят"):
        packages.document_send(document=document, user=world.curator_a, file=pdf())
    data.campaign.status = CampaignStatus.CLOSED
    data.campaign.save()
    data.submission_a.refresh_from_db()
    with pytest.raises(ValidationError, match="Сбор не идёт"):
        packages.document_send(document=document, user=world.curator_a, file=pdf())


def test_the_coordinator_accepts_or_returns_with_a_comment_and_the_school_sends_again(world, data):
    with pytest.raises(ValidationError) as error:
        packages.document_check(document=data.sent, user=world.coordinator, accept=False)
    assert "Напишите, что исправить" in error.value.message_dict["comment"][0]
    returned = packages.document_check(
        document=data.sent, user=world.coordinator, accept=False, comment="Нет подписи директора."
    )
    assert returned.status == DocumentStatus.RETURNED and returned.checked_by == world.coordinator
    again = packages.document_send(document=returned, user=world.curator_a, file=pdf("signed.pdf"))
    assert again.status == DocumentStatus.SUBMITTED and again.comment == "" and again.checked_at is None
    accepted = packages.document_check(document=again, user=world.coordinator, accept=True)
    assert accepted.status == DocumentStatus.ACCEPTED
    with pytest.raises(ValidationError, match="уже принят"):
        packages.document_send(document=accepted, user=world.curator_a, file=pdf())


@pytest.mark.parametrize("who", ["curator_a", "director_a", "observer", "coordinator_elsewhere"])
def test_only_the_municipalitys_coordinator_checks(world, data, who):
    with pytest.raises(PermissionDenied):
        packages.document_check(document=data.sent, user=getattr(world, who), accept=True)


def test_a_document_not_sent_cannot_be_checked(world, data):
    document = packages.document_for(data.submission_b, data.requirements[0])
    with pytest.raises(ValidationError, match="ещё не представила"):
        packages.document_check(document=document, user=world.coordinator, accept=True)


def test_the_list_is_edited_but_a_document_already_sent_stays(world, data):
    kept = packages.requirements_save(
        campaign=data.campaign,
        titles=[data.requirements[0].title, "  Приказ   о формировании базы наставляемых ", ""],
        user=world.coordinator,
    )
    assert [r.title for r in kept] == [data.requirements[0].title, "Приказ о формировании базы наставляемых"]
    assert kept[0].pk == data.requirements[0].pk  # the sent scan keeps its requirement
    with pytest.raises(ValidationError) as error:
        packages.requirements_save(campaign=data.campaign, titles=["Другое"], user=world.coordinator)
    assert "уже представили" in error.value.message_dict["titles"][0]
    with pytest.raises(ValidationError, match="уже есть"):
        packages.requirements_save(campaign=data.campaign, titles=["А", "а"], user=world.coordinator)
    with pytest.raises(PermissionDenied):
        packages.requirements_save(campaign=data.campaign, titles=["А"], user=world.curator_a)


def test_the_matrix_has_a_row_per_school_and_a_cell_per_document(world, data):
    requirements, rows = packages.package_matrix(data.campaign, data.campaign.submissions.all())
    assert requirements == data.requirements
    assert [row.submission.organization for row in rows] == [world.school_a, world.school_b]
    assert [d.pk if d else None for d in rows[0].documents] == [data.sent.pk, None, None]
    counts = packages.package_counts(rows)
    assert counts[DocumentStatus.SUBMITTED] == 1 and counts[DocumentStatus.MISSING] == 5


# --- Pages ------------------------------------------------------------------------------------


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


ACTORS = ["coordinator", "observer", "curator_a", "director_a", "curator_b", "coordinator_elsewhere"]
#: What each actor gets: the matrix and school A's package (and its scan), the list's editing page.
EXPECTED = {
    "coordinator": {"matrix": 200, "package_a": 200, "file": 200, "list": 200},
    "observer": {"matrix": 200, "package_a": 200, "file": 200, "list": 403},
    "curator_a": {"matrix": 200, "package_a": 200, "file": 200, "list": 403},
    "director_a": {"matrix": 200, "package_a": 200, "file": 200, "list": 403},
    "curator_b": {"matrix": 200, "package_a": 404, "file": 404, "list": 403},
    "coordinator_elsewhere": {"matrix": 404, "package_a": 404, "file": 404, "list": 404},
}


@pytest.mark.parametrize("actor", ACTORS)
def test_the_access_matrix_of_the_package_pages(client, world, data, actor):
    urls = {
        "matrix": reverse("monitoring:package_matrix", args=[data.campaign.pk]),
        "package_a": reverse("monitoring:submission_package", args=[data.submission_a.pk]),
        "file": reverse("monitoring:package_document_file", args=[data.sent.pk]),
        "list": reverse("monitoring:requirements_edit", args=[data.campaign.pk]),
    }
    user = getattr(world, actor)
    got = {name: get(client, user, url).status_code for name, url in urls.items()}
    assert got == EXPECTED[actor]


def test_anonymous_visitors_go_to_the_login_page(client, data):
    response = client.get(reverse("monitoring:package_matrix", args=[data.campaign.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_schools_people_see_only_their_row_of_the_matrix(client, world, data):
    html = get(client, world.curator_b, reverse("monitoring:package_matrix", args=[data.campaign.pk])).content.decode()
    assert "СОШ № 2" in html and "СОШ № 1" not in html


def test_a_download_is_journalled(client, world, data):
    response = get(client, world.coordinator, reverse("monitoring:package_document_file", args=[data.sent.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="download", object_id=data.sent.pk).exists()


def test_the_curator_sends_and_the_coordinator_returns_through_the_page(client, world, data):
    url = reverse("monitoring:submission_package", args=[data.submission_a.pk])
    client.force_login(world.curator_a)
    page = client.get(url).content.decode()
    assert "Представить" in page and "Сохранить решение" not in page
    bad = client.post(url, {"requirement": data.requirements[1].pk})
    assert bad.status_code == 200 and "Приложите скан" in bad.content.decode()
    sent = client.post(url, {"requirement": data.requirements[1].pk, "file": pdf("karta.pdf")})
    assert sent.status_code == 302
    document = PackageDocument.objects.get(submission=data.submission_a, requirement=data.requirements[1])
    assert document.status == DocumentStatus.SUBMITTED
    assert client.post(url, {"document": document.pk, "decision": "accept"}).status_code == 403
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert "Сохранить решение" in page and "Представить" not in page
    refused = client.post(url, {"document": document.pk, "decision": "return"})
    assert "Напишите, что исправить" in refused.content.decode()
    assert (
        client.post(url, {"document": document.pk, "decision": "return", "comment": "Без печати."}).status_code == 302
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.RETURNED and document.comment == "Без печати."
    assert client.post(url, {"requirement": data.requirements[2].pk, "file": pdf()}).status_code == 403


def test_the_coordinator_edits_the_list_on_its_page(client, world, data):
    client.force_login(world.coordinator)
    url = reverse("monitoring:requirements_edit", args=[data.campaign.pk])
    assert packages.DEFAULT_REQUIREMENTS[0] in client.get(url).content.decode()
    titles = "\n".join([*packages.DEFAULT_REQUIREMENTS, "Отчёт о реализации программы"])
    assert client.post(url, {"titles": titles}).status_code == 302
    assert data.campaign.requirements.count() == 4
    refused = client.post(url, {"titles": ""})
    assert "Перечень пуст" in refused.content.decode()


def test_the_matrix_takes_the_same_queries_whatever_the_number_of_schools(client, world, data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.testing.factories import OrganizationFactory
    from monitoring.models import Submission

    client.force_login(world.coordinator)
    url = reverse("monitoring:package_matrix", args=[data.campaign.pk])
    client.get(url)  # the session and the scope, read once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    with_two = queries()
    for _ in range(4):
        submission = Submission.objects.create(
            campaign=data.campaign, organization=OrganizationFactory(municipality=world.municipality)
        )
        packages.document_send(document=packages.document_for(submission, data.requirements[0]), user=None, file=pdf())
    assert queries() == with_two <= 12
