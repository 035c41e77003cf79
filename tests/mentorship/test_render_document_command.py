"""`manage.py render_document`: the interface scripts rely on (issue 10 §4) — the order on pairs
from the school's drafts awaiting approval, issued and registered, or only rendered with --dry-run."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import IssuedDocument
from core.testing.documents import pdf_text
from mentorship import services
from mentorship.models import Pair, PairStatus

pytestmark = pytest.mark.django_db


def send_for_approval(pairs) -> None:
    services.pairs_request_approval(pairs=pairs, user=None)


def test_it_renders_without_approving_on_a_dry_run(order_world, tmp_path):
    world, pairs, _start, _end = order_world
    send_for_approval(pairs)
    out = tmp_path / "order.pdf"

    call_command("render_document", "pair_order", organization=world.school_a.pk, number="9-ОД",
                 date="2026-09-01", out=str(out), dry_run=True)  # fmt: skip

    text = pdf_text(out.read_bytes())
    assert "«01» сентября 2026 г." in text and "№ 9-ОД" in text and "Назначить Шестакову Татьяну Васильевну" in text
    assert not IssuedDocument.objects.exists()
    assert set(Pair.objects.values_list("status", flat=True)) == {PairStatus.DRAFT}


def test_it_issues_registers_and_approves(order_world, tmp_path, capsys):
    world, pairs, _start, _end = order_world
    send_for_approval(pairs)
    out = tmp_path / "order.html"
    today = timezone.localdate()

    call_command("render_document", "pair_order", organization=world.school_a.pk, out=str(out))

    document = IssuedDocument.objects.get()
    assert (document.status, document.number, document.date) == (IssuedDocument.Status.ISSUED, "1-ОД", today)
    assert "Назначить Шестакову Татьяну Васильевну" in out.read_text(encoding="utf-8")
    assert {pair.order.number for pair in Pair.objects.select_related("order")} == {"1-ОД"}
    assert f"Издан и внесён в реестр: {document}" in capsys.readouterr().out


def test_it_explains_what_is_missing(order_world):
    world, _pairs, _start, _end = order_world

    with pytest.raises(CommandError, match="нет черновиков пар, направленных на утверждение"):
        call_command("render_document", "pair_order", organization=world.school_a.pk, dry_run=True, out="x.pdf")
    with pytest.raises(CommandError, match="Нет вида документа «приказ»"):
        call_command("render_document", "приказ", organization=world.school_a.pk)
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("render_document", "pair_order", organization=world.school_a.pk, date="01.09.2026")
    with pytest.raises(CommandError, match="укажите --organization"):
        call_command("render_document", "pair_order", municipality=world.municipality.pk, dry_run=True, out="x.pdf")


def test_it_leaves_nothing_when_the_issue_is_refused(order_world):
    world, pairs, _start, _end = order_world
    send_for_approval(pairs)
    pairs[0].mentor.consents.all().delete()

    with pytest.raises(CommandError, match="Документ не издан"):
        call_command("render_document", "pair_order", organization=world.school_a.pk)

    assert not IssuedDocument.objects.exists()
    assert set(Pair.objects.values_list("status", flat=True)) == {PairStatus.DRAFT}


def test_it_issues_a_large_order_in_the_worker_with_its_progress(order_world, monkeypatch):
    from core import issuing
    from mentorship.orders import PairOrder
    from tests.mentorship.order_data import prepare

    world, pairs, _start, _end = order_world
    monkeypatch.setattr(PairOrder, "worker_items", 1)
    document = prepare(world, pairs)
    assert issuing.issues_in_worker(document)

    # The test settings run tasks at once (django-tasks' immediate backend), as the worker would.
    issuing.document_issue_later(document=document, number="5-ОД", date=timezone.localdate(), user=world.director_a)

    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED and document.progress == 100
    assert document.job == IssuedDocument.Job.NONE and document.pages >= 2


def test_it_keeps_the_workers_refusal_for_the_page(order_world, monkeypatch):
    from core import issuing
    from mentorship.orders import PairOrder
    from tests.mentorship.order_data import prepare

    world, pairs, _start, _end = order_world
    monkeypatch.setattr(PairOrder, "worker_items", 1)
    document = prepare(world, pairs)
    pairs[1].mentor.consents.all().delete()

    issuing.document_issue_later(
        document=document, number="5-ОД", date=timezone.localdate() - datetime.timedelta(days=1), user=world.director_a
    )

    document.refresh_from_db()
    assert document.is_draft and document.job == IssuedDocument.Job.FAILED
    assert "соглас" in document.job_failure
