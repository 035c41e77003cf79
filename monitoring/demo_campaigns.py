"""The demo municipality's campaigns (сбор информации), made through the services as the
coordinator and the curators would, dated from the day the demo is loaded:

- this academic year's coverage form (seed 003): open, its deadline passed three days ago; most
  schools' answers accepted, one returned with the coordinator's comment, one on check with a
  corrected figure and its reason, one on check as computed, two not sent (late);
- last year's coverage form: closed, every answer accepted;
- a document package (seed 003: положение, дорожная карта, приказы): open for two more weeks,
  half the schools have sent their scans, some accepted, one returned.

The letters the services send go nowhere while the demo loads: its addresses are not real.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from monitoring import packages, services
from monitoring.choices import DocumentStatus, Figure, SubmissionStatus
from monitoring.coverage import academic_year
from monitoring.models import Campaign, PackageDocument
from registry.choices import COVERAGE_FORMS, OrganizationKind
from registry.models import Municipality, current_academic_year_start

#: A one-page PDF: the demo's «scans».
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
RESPONSIBLES = (
    ("Сидорова Ольга Викторовна", "8 (39155) 2-14-01"),
    ("Кузнецов Андрей Павлович", "8 (39155) 2-14-02"),
    ("Белова Марина Сергеевна", "8 (39155) 2-14-03"),
    ("Орлова Татьяна Ивановна", "8 (39155) 2-14-04"),
)
COVERING_TEXT = (
    "Прошу представить информацию о численности обучающихся, педагогических работников (молодых "
    "специалистов), охваченных программой наставничества, а также о количестве предприятий и "
    "организаций, принимающих участие в её реализации, по форме приложения. Числа рассчитаны по "
    "реестру портала: проверьте их, при необходимости исправьте с указанием причины и отправьте."
)
PACKAGE_TEXT = (
    "Прошу представить скан-копии утверждённых документов: положение о программе наставничества, "
    "дорожную карту внедрения целевой модели наставничества в образовательном учреждении, "
    "распорядительные акты (приказы) о внедрении целевой модели наставничества."
)


def demo_campaigns_exist(municipality: Municipality) -> bool:
    return Campaign.objects.filter(municipality=municipality).exists()


def delete_demo_campaigns(municipality: Municipality) -> int:
    """The municipality's campaigns with their answers and the scans on disk (before the registry's
    reset: an answer holds its school)."""
    for document in PackageDocument.objects.filter(submission__campaign__municipality=municipality).exclude(file=""):
        document.file.delete(save=False)
    count = Campaign.objects.filter(municipality=municipality).count()
    Campaign.objects.filter(municipality=municipality).delete()
    return count


def _respond(submission, index: int) -> None:
    name, phone = RESPONSIBLES[index % len(RESPONSIBLES)]
    services.submission_save_responsible(submission=submission, name=name, phone=phone, user=None)


def _coverage_campaign(municipality, schools, *, year: int, deadline: datetime.date, title: str) -> Campaign:
    start, end, on = academic_year(year)
    campaign = Campaign(
        municipality=municipality,
        title=title,
        asks_coverage=True,
        period_start=start,
        period_end=end,
        reference_date=on,
        deadline=deadline,
        text=COVERING_TEXT,
    )
    services.campaign_save(campaign=campaign, user=None, organizations=schools)
    # Opened ten days before its deadline, as the coordinator would have.
    services.campaign_open(campaign=campaign, user=None, today=deadline - datetime.timedelta(days=10))
    return campaign


def load_demo_campaigns(municipality: Municipality, *, today: datetime.date) -> dict[str, int]:
    """The three campaigns of the module's docstring (nothing when the municipality has campaigns)."""
    if demo_campaigns_exist(municipality):
        return {}
    schools = list(municipality.organizations.filter(kind=OrganizationKind.SCHOOL).order_by("short_name"))
    if len(schools) < 4:
        return {}
    year = current_academic_year_start(today)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        last = _coverage_campaign(
            municipality,
            schools,
            year=year - 1,
            deadline=datetime.date(year - 1, 9, 24),
            title=f"Охват наставничеством, {year - 1}/{year} учебный год",
        )
        for index, submission in enumerate(last.submissions.order_by("organization__short_name")):
            _respond(submission, index)
            services.submission_submit(submission=submission, user=None)
            services.submission_accept(submission=submission, user=None)
        services.campaign_close(campaign=last, user=None)

        current = _coverage_campaign(
            municipality,
            schools,
            year=year,
            deadline=today - datetime.timedelta(days=3),
            title=f"Охват наставничеством, {year}/{year + 1} учебный год",
        )
        answers = list(current.submissions.select_related("campaign").order_by("organization__short_name"))
        late = answers[-2:]
        returned, corrected, on_check = answers[0], answers[1], answers[2]
        for index, submission in enumerate(answers):
            if submission in late:
                continue  # not sent: late
            _respond(submission, index)
            if submission == corrected:
                figures = services.computed_figures(submission)
                form = COVERAGE_FORMS[0].value
                computed = figures[Figure.MENTEES_10_18][form]
                services.correction_save(
                    submission=submission,
                    figure=Figure.MENTEES_10_18,
                    form=form,
                    value=computed + 2,
                    reason="Двое наставляемых 7 «Б» вошли в программу 1 сентября, в реестр внесены позже.",
                    user=None,
                )
            services.submission_submit(submission=submission, user=None)
            if submission == returned:
                services.submission_return(
                    submission=submission,
                    comment="Не указан телефон ответственного; проверьте число наставников 15–18 лет.",
                    user=None,
                )
            elif submission not in (corrected, on_check):
                services.submission_accept(submission=submission, user=None)

        package = Campaign(
            municipality=municipality,
            title=f"Пакет документов ЦМН, {year}/{year + 1} учебный год",
            asks_coverage=False,
            asks_documents=True,
            period_start=academic_year(year)[0],
            period_end=academic_year(year)[1],
            reference_date=academic_year(year)[2],
            deadline=today + datetime.timedelta(days=14),
            text=PACKAGE_TEXT,
        )
        services.campaign_save(campaign=package, user=None, organizations=schools)
        services.campaign_open(campaign=package, user=None, today=today)
        requirements = list(package.requirements.order_by("position"))
        answers = list(package.submissions.order_by("organization__short_name"))
        for index, submission in enumerate(answers[: len(answers) // 2]):
            for number, requirement in enumerate(requirements, start=1):
                document = packages.document_send(
                    document=packages.document_for(submission, requirement),
                    user=None,
                    file=SimpleUploadedFile(f"document-{number}.pdf", DEMO_PDF, content_type="application/pdf"),
                )
                if index == 0 and number == 2:
                    packages.document_check(
                        document=document,
                        user=None,
                        accept=False,
                        comment="Дорожная карта не утверждена: нет подписи руководителя и даты приказа.",
                    )
                elif index % 2 == 0:
                    packages.document_check(document=document, user=None, accept=True)
    return {
        "campaigns": Campaign.objects.filter(municipality=municipality).count(),
        "answers_accepted": current.submissions.filter(status=SubmissionStatus.ACCEPTED).count(),
        "documents": PackageDocument.objects.filter(submission__campaign=package)
        .exclude(status=DocumentStatus.MISSING)
        .count(),
    }
