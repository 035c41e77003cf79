"""`manage.py import_roadmap FILE (--municipality ID | --organization ID) [--title] [--period]
[--dry-run] [--json]`: its JSON (an interface outside scripts rely on), its summary, its dry run,
and its errors as CommandError in Russian."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import AuditEntry
from roadmaps import demo_documents
from roadmaps.models import ItemWindow, Roadmap, RoadmapItem
from tests.roadmaps import docs_builder

KEYS = [
    "number",
    "level",
    "title",
    "deadline_text",
    "schedule",
    "responsible_municipal",
    "responsible_organization",
    "result",
]


@pytest.fixture
def order_file(tmp_path):
    path = tmp_path / "Приказ 122-1-о.docx"
    path.write_bytes(demo_documents.nazarovo_order_docx())
    return path


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_roadmap", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_items_as_json_with_exactly_the_documented_keys(world, order_file):
    out, _ = _run(order_file, "--municipality", world.municipality.pk, "--json", "--dry-run")
    items = json.loads(out)
    assert isinstance(items, list) and len(items) == 24
    assert all(list(item) == KEYS for item in items)
    assert items[1] == {
        "number": "1.1",
        "level": 2,
        "title": "Разработка и утверждение муниципальной дорожной карты внедрения целевой модели наставничества для "
        "образовательных организации города Назарово Красноярского края и закрепление муниципального координатора.",
        "deadline_text": "Июль – август 2020 г.",
        "schedule": {"text": "Июль – август 2020 г.", "kind": "dates", "windows": [["2020-07-01", "2020-08-31"]]},
        "responsible_municipal": "Управление образования",
        "responsible_organization": "",
        "result": "",
    }
    # The number without its final dot, as the document writes it otherwise («3.1» had none).
    assert [item["number"] for item in items[:5]] == ["1", "1.1", "1.2", "1.3", "1.4"]
    assert items[10]["number"] == "3.1"
    assert items[7]["schedule"]["kind"] == "dates" and len(items[7]["schedule"]["windows"]) == 4
    assert Roadmap.objects.count() == 0


def test_it_saves_with_json_and_keeps_the_numbers_as_written(world, order_file):
    out, _ = _run(order_file, "--municipality", world.municipality.pk, "--json")
    assert len(json.loads(out)) == 24
    roadmap = Roadmap.objects.get()
    assert roadmap.items.filter(number="1.1.").exists()
    assert roadmap.items.filter(number="3.1").exists()


def test_it_saves_a_draft_roadmap_and_says_what_it_loaded(world, order_file):
    out, err = _run(order_file, "--municipality", world.municipality.pk)
    roadmap = Roadmap.objects.get()
    assert out.splitlines() == [
        f"«{roadmap.title}», 2021–2024: город Назарово.",
        f"Загружено 24 пункта. Дорожная карта № {roadmap.pk} сохранена как проект.",
    ]
    assert err == ""
    assert (roadmap.status, roadmap.organization, roadmap.municipality) == ("draft", None, world.municipality)
    assert roadmap.items.count() == 24
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_it_saves_nothing_on_a_dry_run(world, order_file):
    before = AuditEntry.objects.count()
    out, _ = _run(order_file, "--municipality", world.municipality.pk, "--dry-run")
    assert out.splitlines()[-1] == "Прочитано 24 пункта. Ничего не сохранено (--dry-run)."
    assert (Roadmap.objects.count(), RoadmapItem.objects.count(), ItemWindow.objects.count()) == (0, 0, 0)
    assert AuditEntry.objects.count() == before


def test_it_takes_the_title_and_the_period_given(world, order_file):
    _run(
        order_file,
        "--organization",
        world.school_a.pk,
        "--title",
        "Дорожная карта школы",
        "--period",
        "2022-01-01:2022-12-31",
    )
    roadmap = Roadmap.objects.get()
    assert (roadmap.title, str(roadmap.starts_on), str(roadmap.ends_on)) == (
        "Дорожная карта школы",
        "2022-01-01",
        "2022-12-31",
    )
    assert roadmap.organization == world.school_a
    # «Ежегодно» is now the one year of the period.
    assert list(roadmap.items.get(number="2.1.").windows.values_list("starts_on", "ends_on")) == [
        (roadmap.starts_on, roadmap.ends_on)
    ]


def test_it_prints_a_summary_with_the_unrecognised_deadlines(world, tmp_path):
    path = tmp_path / "Устюжна.docx"
    path.write_bytes(docs_builder.ustyuzhna_docx())
    out, _ = _run(path, "--municipality", world.municipality.pk)
    assert out.splitlines()[1] == (
        "Пункт 3.6 (строка 11): Срок не распознан: «В соответствии со сроками реализации программ наставничества». "
        "После загрузки задайте его даты вручную."
    )
    assert out.splitlines()[-1].startswith("Загружено 12 пунктов, 1 срок не распознан. Дорожная карта №")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--municipality", "999999"],
            "Муниципалитета с кодом 999999 нет: проверьте --municipality (коды — в админке, «Муниципалитеты»).",
        ),
        (
            ["--organization", "999999"],
            "Организации с кодом 999999 нет: проверьте --organization (коды — в админке, «Организации»).",
        ),
    ],
)
def test_it_refuses_an_unknown_owner(world, order_file, args, message):
    with pytest.raises(CommandError) as refused:
        _run(order_file, *args)
    assert str(refused.value) == message
    assert Roadmap.objects.count() == 0


def test_it_needs_a_municipality_or_an_organization(world, order_file):
    with pytest.raises(CommandError, match="--municipality --organization"):
        _run(order_file)


def test_it_asks_for_the_period_a_document_does_not_name(world, tmp_path):
    path = tmp_path / "без периода.docx"
    path.write_bytes(docs_builder.ustyuzhna_docx(title="План мероприятий (дорожная карта) по наставничеству"))
    with pytest.raises(CommandError) as refused:
        _run(path, "--municipality", world.municipality.pk)
    assert str(refused.value) == (
        "В названии документа нет периода дорожной карты: укажите его, например --period 2024-09-01:2025-08-31."
    )
    _run(path, "--municipality", world.municipality.pk, "--period", "2020-09-01:2021-08-31")
    assert Roadmap.objects.get().title == "План мероприятий (дорожная карта) по наставничеству"


def test_it_refuses_a_period_it_cannot_read(world, order_file):
    with pytest.raises(CommandError) as refused:
        _run(order_file, "--municipality", world.municipality.pk, "--period", "весной")
    assert str(refused.value) == (
        "Период «весной» не понят: пишите --period ГГГГ-ММ-ДД:ГГГГ-ММ-ДД, например 2021-01-01:2024-12-31."
    )


def test_it_refuses_a_document_without_the_roadmaps_table(world, tmp_path):
    path = tmp_path / "письмо.docx"
    path.write_bytes(docs_builder.document_with_tables([["Утверждаю", "Согласовано"]], paragraphs=["Письмо"]))
    with pytest.raises(CommandError) as refused:
        _run(path, "--municipality", world.municipality.pk)
    assert str(refused.value) == (
        "В документе «письмо.docx» не найдена таблица дорожной карты: нужны столбцы «№», «Мероприятия», «Сроки "
        "исполнения» (а также, если есть, «Ответственные» и «Ожидаемый результат, вид документа»). Таблицы в "
        "документе: таблица 1 документа — «Утверждаю | Согласовано». Проверьте заголовки таблицы или загрузите "
        "другой файл."
    )


def test_it_names_the_rows_in_error_and_saves_nothing(world, tmp_path):
    rows = [row for row in demo_documents.ROWS_000 if row[0] != "2.2."]
    rows.insert(8, ("2.2.", "", "Ежегодно", "", "Руководители ОО"))
    path = tmp_path / "с ошибкой.docx"
    path.write_bytes(demo_documents.nazarovo_order_docx(rows=rows))
    with pytest.raises(CommandError) as refused:
        _run(path, "--municipality", world.municipality.pk)
    assert str(refused.value) == "Есть ошибки: ничего не сохранено."
    assert Roadmap.objects.count() == 0


def test_it_writes_the_errors_to_stderr(world, tmp_path):
    rows = [("1.", "Подготовка", "Май 2020 г.", "", ""), ("Итого", "по разделу", "", "", "")]
    path = tmp_path / "с ошибкой.docx"
    path.write_bytes(demo_documents.nazarovo_order_docx(rows=rows, repeat_header_before=None))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_roadmap", str(path), "--municipality", str(world.municipality.pk), stderr=err)
    assert err.getvalue().splitlines() == [
        "Строка 4, столбец «№ п/п»: «Итого» — не номер пункта. Пишите номер, как «1.», «1.1.» или «2.1.1.»; строка "
        "без номера продолжает пункт над ней."
    ]
