"""Reading roadmaps out of the seeds' documents (roadmaps.importers, roadmaps.documents): seed 000
(Назарово: the order's text and another table before the roadmap, a two-row merged header repeated
after a page break, items 1.4 and 4.4 continued on a row with an empty number, «3.1» without the
final dot), seed 001 (Устюжна: stages merged across the width, one responsible column and a result
column), seed 002 (ЦО № 21: stages whose activities are numbered paragraphs of one cell, continued
on rows with an empty number), each as .docx and as .xlsx; numbers, levels, parents, titles,
deadlines with their windows, responsibles, results and the period read from the title."""

import datetime

import pytest

from core.importing import run_import
from roadmaps import demo_documents
from roadmaps.importers import RoadmapImporter, header_kind, join_text, split_responsible
from roadmaps.models import Roadmap, RoadmapItem
from tests.roadmaps import docs_builder

D = datetime.date


def _preview(world, content, name="дорожная карта.docx", *, user="coordinator", **options):
    importer = RoadmapImporter(user=getattr(world, user), **options)
    result = run_import(importer, name=name, content=content, dry_run=True)
    assert result.file_error == ""
    return result


def _tree(result):
    """(number as written, level, parent's number) of each item, in the document's order."""
    items = result.preview["items"]
    return [(item["number_written"], item["level"], _parent_number(result, index)) for index, item in enumerate(items)]


def _parent_number(result, index):
    # The preview keeps the items flat with levels; the parent is the nearest item before with a smaller level.
    items = result.preview["items"]
    level = items[index]["level"]
    for earlier in reversed(items[:index]):
        if earlier["level"] < level:
            return earlier["number_written"]
    return None


def _item(result, number):
    return next(item for item in result.preview["items"] if item["number_written"] == number)


# Seed 000 ------------------------------------------------------------------------------------

TREE_000 = [
    ("1.", 1, None),
    ("1.1.", 2, "1."),
    ("1.2.", 2, "1."),
    ("1.3.", 2, "1."),
    ("1.4.", 2, "1."),
    ("2.", 1, None),
    ("2.1.", 2, "2."),
    ("2.2.", 2, "2."),
    ("2.3.", 2, "2."),
    ("3.", 1, None),
    ("3.1", 2, "3."),
    ("3.2.", 2, "3."),
    ("3.3.", 2, "3."),
    ("4.", 1, None),
    ("4.1", 2, "4."),
    ("4.2.", 2, "4."),
    ("4.3.", 2, "4."),
    ("4.4.", 2, "4."),
    ("4.5.", 2, "4."),
    ("5.", 1, None),
    ("5.1.", 2, "5."),
    ("5.2.", 2, "5."),
    ("5.3.", 2, "5."),
    ("5.4.", 2, "5."),
]
TITLE_000 = (
    "Дорожная карта внедрения целевой модели наставничества для образовательных организаций города Назарово "
    "Красноярского края на период реализации 2021-2024 гг."
)
ITEM_1_4 = (
    "Разработка нормативно-правовых актов, обеспечивающих внедрение целевой модели наставничества: - дорожные карты "
    "образовательных организаций, распорядительные акты о внедрении целевой модели наставничества на уровне ОО,\n"
    "- Положения о программе наставничества в ОО, - Программы наставничества обучающихся ОО. - Определение и "
    "закрепление школьных кураторов."
)
ITEM_4_4 = (
    "Трансляция лучших практик наставничества на образовательных мероприятиях: Слет молодых педагогов, "
    "августовский педагогический совет и другое"
)


def _assert_seed_000(result):
    assert result.errors == []
    assert result.missing == []
    preview = result.preview
    assert preview["title"] == TITLE_000
    assert preview["period"] == ["2021-01-01", "2024-12-31"]
    assert preview["period_label"] == "2021–2024"
    assert _tree(result) == TREE_000
    assert result.summary["new"] == 24
    assert preview["summary"] == "Прочитано 24 пункта"
    assert preview["unrecognised"] == 0
    first = _item(result, "1.")
    assert (first["title"], first["deadline_text"], first["windows"]) == (
        "Подготовка нормативной базы реализации целевой модели наставничества в образовательных организациях",
        "Май-октябрь 2020 г.",
        ["01.05.2020 – 31.10.2020"],
    )
    assert (first["responsible_municipal"], first["responsible_organization"]) == ("", "")
    item = _item(result, "1.4.")
    assert item["title"] == ITEM_1_4
    assert (item["deadline_text"], item["windows"]) == ("2020-2021 учебный год", ["01.09.2020 – 31.08.2021"])
    assert (item["responsible_municipal"], item["responsible_organization"]) == (
        "Управление образования",
        "Руководители ОО",
    )
    assert item["addressees"] == ["Управление образования", "Руководители ОО"]
    item = _item(result, "4.4.")
    assert item["title"] == ITEM_4_4
    assert (item["responsible_municipal"], item["responsible_organization"]) == (
        "Управление образования",
        "Руководитель ОО, куратор",
    )
    item = _item(result, "2.3.")
    assert item["deadline_text"] == "02.11.2020 18.12.2020 МАОУ «СОШ № 7»"
    assert item["schedule"] == {
        "text": "02.11.2020 18.12.2020 МАОУ «СОШ № 7»",
        "kind": "dates",
        "windows": [["2020-11-02", "2020-11-02"], ["2020-12-18", "2020-12-18"]],
    }
    assert item["note"] == "МАОУ «СОШ № 7»"
    assert (item["responsible_municipal"], item["responsible_organization"]) == (
        "Отдел ИМО МКУ КЦ УО",
        "Руководители ОО",
    )
    item = _item(result, "3.2.")
    assert item["windows"] == [
        "01.09.2021 – 30.11.2021",
        "01.09.2022 – 30.11.2022",
        "01.09.2023 – 30.11.2023",
        "01.09.2024 – 30.11.2024",
    ]
    assert _item(result, "2.1.")["windows"] == [
        "01.01.2021 – 31.12.2021",
        "01.01.2022 – 31.12.2022",
        "01.01.2023 – 31.12.2023",
        "01.01.2024 – 31.12.2024",
    ]
    assert _item(result, "4.2.")["windows"] == ["24.02.2021"]
    assert _item(result, "5.2.")["windows"] == [
        "01.05.2022 – 31.05.2022",
        "01.05.2023 – 31.05.2023",
        "01.05.2024 – 31.05.2024",
    ]
    assert _item(result, "3.3.")["addressees"] == ["Управление образования", "Кураторы ЦМН в ОО"]
    assert all(item["result"] == "" for item in preview["items"])


def test_it_reads_seed_000_from_the_order_docx_after_its_text_and_another_table(world):
    result = _preview(world, demo_documents.nazarovo_order_docx())
    _assert_seed_000(result)
    # Read from the paragraphs: the deadline Word wrapped over three lines is kept as one line.
    item = _item(result, "3.1")
    assert item["deadline_text"] == "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг."
    assert len(item["windows"]) == 4
    assert (item["responsible_municipal"], item["responsible_organization"]) == ("", "Руководитель ОО, координатор")
    assert result.preview["municipal"] is True


def test_it_skips_a_row_of_column_numbers_under_the_header(world):
    _assert_seed_000(_preview(world, demo_documents.nazarovo_order_docx(column_numbers=True)))


def test_it_reads_seed_000_from_a_sheet_with_merged_header_cells(world):
    result = _preview(world, docs_builder.nazarovo_xlsx(), name="дорожная карта.xlsx")
    _assert_seed_000(result)
    assert result.ignored_columns == []


def test_it_counts_the_rows_of_the_table_for_messages(world):
    result = _preview(world, demo_documents.nazarovo_order_docx())
    # Two header rows, then item 1. on row 3; the header repeated before stage 3 (rows 13–14).
    assert [(item["number_written"], item["row"]) for item in result.preview["items"][:6]] == [
        ("1.", 3),
        ("1.1.", 4),
        ("1.2.", 5),
        ("1.3.", 6),
        ("1.4.", 7),
        ("2.", 9),
    ]
    assert _item(result, "3.")["row"] == 15


def test_it_saves_the_tree_as_written_with_the_windows(world):
    importer = RoadmapImporter(user=world.coordinator)
    result = run_import(importer, name="000.docx", content=demo_documents.nazarovo_order_docx(), dry_run=False)
    assert result.saved is True
    roadmap = Roadmap.objects.get()
    assert (roadmap.title, roadmap.starts_on, roadmap.ends_on, roadmap.status) == (
        TITLE_000,
        D(2021, 1, 1),
        D(2024, 12, 31),
        "draft",
    )
    assert (roadmap.municipality, roadmap.organization) == (world.municipality, None)
    items = list(roadmap.items.order_by("position").select_related("parent"))
    assert [(i.number, i.level, i.parent.number if i.parent else None) for i in items] == TREE_000
    item = roadmap.items.get(number="3.1")
    assert item.deadline_text == "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг."
    assert (item.due_start, item.due_end) == (D(2021, 9, 1), D(2024, 11, 30))
    assert item.windows.count() == 4
    assert item.for_schools is True
    assert roadmap.items.get(number="1.1.").for_schools is False
    assert result.preview["summary"] == "Загружено 24 пункта"
    assert result.preview["roadmap_id"] == roadmap.pk


# Seed 001 --------------------------------------------------------------------------------------

TREE_001 = [
    ("1.", 1, None),
    ("1.1.", 2, "1."),
    ("1.4.", 2, "1."),
    ("2.", 1, None),
    ("2.1.", 2, "2."),
    ("2.2.", 2, "2."),
    ("3.", 1, None),
    ("3.1.", 2, "3."),
    ("3.5", 2, "3."),
    ("3.6.", 2, "3."),
    ("4.", 1, None),
    ("4.2.", 2, "4."),
]


def _assert_seed_001(result):
    assert result.errors == []
    preview = result.preview
    assert preview["title"] == docs_builder.TITLE_001
    assert preview["period"] == ["2020-09-01", "2021-08-31"]
    assert preview["period_label"] == "2020/2021 учебный год"
    assert _tree(result) == TREE_001
    stage = _item(result, "1.")
    assert stage["title"] == docs_builder.STAGE_1.removeprefix("1. ")
    assert (stage["deadline_text"], stage["responsible_municipal"], stage["result"]) == ("", "", "")
    assert _item(result, "3.")["title"] == (
        "Внедрение целевой модели наставничества\nв образовательных организациях Устюженского муниципального района "
        "Вологодской области в 2020-2021 учебном году"
    )
    item = _item(result, "1.1.")
    assert (item["responsible_municipal"], item["responsible_organization"]) == (docs_builder.UO, "")
    assert item["result"] == "Приказ управления образования администрации Устюженского муниципального района"
    assert item["windows"] == ["01.09.2020 – 30.09.2020"]
    item = _item(result, "1.4.")
    assert (item["responsible_municipal"], item["responsible_organization"], item["result"]) == (
        "",
        "Руководители ОО",
        "Приказы ОО",
    )
    item = _item(result, "2.1.")
    assert item["schedule"]["windows"] == [["2020-09-01", "2021-06-01"]]
    assert item["result"] == (
        "Базы наставников, которые потенциально могут участвовать в программах наставничества, включая:\n"
        "- базы обучающихся для формы наставничества «ученик-ученик»;\n- базы педагогов."
    )
    item = _item(result, "2.2.")  # two paragraphs: the authority's and the schools'
    assert (item["responsible_municipal"], item["responsible_organization"]) == (docs_builder.UO, "Руководители ОО")
    item = _item(result, "3.1.")
    assert (item["responsible_municipal"], item["responsible_organization"]) == (
        "",
        "Руководители ОО и кураторы внедрения ЦМН в ОО",
    )
    assert item["addressees"] == ["Руководители ОО", "Кураторы ЦМН в ОО"]
    assert _item(result, "3.5")["windows"] == ["01.09.2020 – 30.10.2020"]
    item = _item(result, "3.6.")
    assert item["title"] == (
        "Организация работы наставнических пар или групп:\n- встреча-знакомство;\n- пробная встреча;\n- итоговая встреча."
    )
    assert item["unrecognised"] is True
    assert item["schedule"]["kind"] == "unrecognised"
    assert item["warnings"] == [
        "Срок не распознан: «В соответствии со сроками реализации программ наставничества». После загрузки задайте "
        "его даты вручную."
    ]
    assert _item(result, "4.2.")["windows"] == ["01.09.2020 – 01.12.2020"]
    assert preview["unrecognised"] == 1
    assert preview["summary"] == "Прочитано 12 пунктов, 1 срок не распознан"


def test_it_reads_seed_001_with_stages_merged_across_the_width(world):
    _assert_seed_001(_preview(world, docs_builder.ustyuzhna_docx()))


def test_it_reads_seed_001_from_a_sheet_with_merged_stage_rows(world):
    _assert_seed_001(_preview(world, docs_builder.ustyuzhna_xlsx(), name="дорожная карта.xlsx"))


def test_it_gives_a_schools_roadmap_its_single_responsible_column_as_the_schools(world):
    result = _preview(world, docs_builder.ustyuzhna_docx(), user="curator_a")
    assert result.preview["municipal"] is False
    item = _item(result, "1.1.")
    assert (item["responsible_municipal"], item["responsible_organization"]) == ("", docs_builder.UO)


# Seed 002 --------------------------------------------------------------------------------------

TREE_002 = [
    ("1.", 1, None),
    ("1.", 2, "1."),
    ("1.1.", 3, "1."),
    ("1.2.", 3, "1."),
    ("1.3.", 3, "1."),
    ("1.4.", 3, "1."),
    ("2.", 2, "1."),
    ("3.", 2, "1."),
    ("3.1.", 3, "3."),
    ("3.2.", 3, "3."),
    ("4.", 2, "1."),
    ("4.1.", 3, "4."),
    ("4.2.", 3, "4."),
    ("5.", 2, "1."),
    ("5.1.", 3, "5."),
    ("5.2.", 3, "5."),
    ("6.", 2, "1."),
    ("7.", 2, "1."),
    ("7.1.", 3, "7."),
    ("7.2.", 3, "7."),
    ("7.3.", 3, "7."),
    ("7.4.", 3, "7."),
    ("8.", 2, "1."),
    ("9.", 2, "1."),
    ("2", 1, None),
    ("2.1.", 2, "2"),
    ("2.1.1.", 3, "2.1."),
    ("2.1.2.", 3, "2.1."),
    ("2.1.3.", 3, "2.1."),
    ("3", 1, None),
    ("3.1.", 2, "3"),
    ("3.2.", 2, "3"),
    ("3.3.", 2, "3"),
]


def test_it_reads_seed_002_stages_with_their_activities_as_paragraphs(world):
    result = _preview(world, demo_documents.school_roadmap_docx(), user="curator_a")
    assert result.errors == []
    preview = result.preview
    assert preview["title"] == (
        "«Дорожная карта» реализации целевой модели наставничества в МБОУ «ЦО № 21» на 2024-2025 учебный год"
    )
    assert preview["period"] == ["2024-09-01", "2025-08-31"]
    assert _tree(result) == TREE_002
    items = preview["items"]
    stage = items[0]
    assert stage["title"] == "Подготовка условий для реализации системы наставничества в центре образования"
    # The list under 1.1. belongs to it; the first row's one deadline goes to its three activities.
    assert items[2]["title"] == "Анализ нормативно-правовой базы по проблеме наставничества:\n" + "\n".join(
        demo_documents.LEGAL_BASIS
    )
    assert [item["deadline_text"] for item in items[1:4]] == ["Август - сентябрь 2024"] * 3
    assert items[1]["windows"] == ["01.08.2024 – 30.09.2024"]
    assert items[15]["title"] == (
        "Обучение наставников для работы с наставляемыми:\n- подготовка методических материалов для сопровождения "
        "наставнической деятельности;\n- проведение консультаций, организация обмена опытом среди наставников "
        "(«установочные сессии» наставников)."
    )
    # The second and third rows have more activities than deadlines: their deadlines go to the stage.
    assert stage["deadline_text"] == "Август-сентябрь 2024; Сентябрь 2024; В течение 2024-2025 учебного года"
    assert stage["windows"] == ["01.08.2024 – 30.09.2024", "01.09.2024 – 30.09.2024", "01.09.2024 – 31.08.2025"]
    assert [item["deadline_text"] for item in items[4:24]] == [""] * 20
    assert all(not item["warnings"] for item in items[4:24])
    assert stage["warnings"][1] == (
        "Сроки в строке 3 не сопоставлены с подпунктами: в ячейке «Сроки» 5 абзацев, а подпунктов 12. Они записаны "
        "в этап «1.», у подпунктов этой строки они не заполнены: проверьте и дополните после загрузки."
    )
    assert len(stage["warnings"]) == 5  # responsibles of rows 2, 3, 4 and deadlines of rows 3, 4
    assert stage["responsible_organization"] == (
        "Ведущий наставник Старшие наставники; Директор Ведущий наставник; Ведущий наставник; Старшие наставники; "
        "Наставники-специалисты"
    )
    # Stage 2: one deadline for its four activities; stage 3: three responsibles for three.
    assert [item["deadline_text"] for item in items[25:29]] == ["В течение 2024-2025 учебного года"] * 4
    assert items[25]["windows"] == ["01.09.2024 – 31.08.2025"]
    assert [item["responsible_organization"] for item in items[30:33]] == [
        "Ведущий наставник",
        "Старшие наставники",
        "Наставники-специалисты",
    ]
    assert all(item["responsible_municipal"] == "" for item in items)
    assert preview["summary"] == "Прочитано 33 пункта"


def test_it_saves_seed_002_as_the_curators_school_roadmap(world):
    importer = RoadmapImporter(user=world.curator_a)
    result = run_import(importer, name="002.docx", content=demo_documents.school_roadmap_docx(), dry_run=False)
    assert result.saved is True
    roadmap = Roadmap.objects.get()
    assert (roadmap.organization, roadmap.municipality) == (world.school_a, world.municipality)
    assert (roadmap.starts_on, roadmap.ends_on) == (D(2024, 9, 1), D(2025, 8, 31))
    assert roadmap.items.count() == 33
    sub = roadmap.items.get(number="2.1.1.")
    assert (sub.level, sub.parent.number, sub.parent.parent.number) == (3, "2.1.", "2")
    assert RoadmapItem.objects.filter(roadmap=roadmap, for_schools=True).count() == 0


# Finding the table and its header -----------------------------------------------------------------


def test_it_finds_the_table_by_its_headers_among_others(world):
    other = [["Утверждаю", "Согласовано"], ["Директор", "Председатель"]]
    roadmap = [
        ["№", "Мероприятие", "Срок", "Ответственный"],
        ["1", "Назначить куратора", "Сентябрь 2024 г.", "Директор"],
    ]
    content = docs_builder.document_with_tables(other, roadmap, paragraphs=["Дорожная карта на 2024/2025 учебный год"])
    result = _preview(world, content, user="curator_a")
    assert [(i["number"], i["title"], i["deadline_text"]) for i in result.preview["items"]] == [
        ("1", "Назначить куратора", "Сентябрь 2024 г.")
    ]
    assert result.preview["period"] == ["2024-09-01", "2025-08-31"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("№ п/п", "number"),
        ("№п/п", "number"),
        ("N п/п", "number"),
        ("Мероприятия", "title"),
        ("Наименование мероприятий", "title"),
        ("Наименование этапа", "stage"),
        ("СРОКИ ИСПОЛНЕНИЯ", "deadline"),
        ("Срок реализации", "deadline"),
        ("Ответственные", "responsible"),
        ("Ответственный исполнитель", "responsible"),
        ("Ответственные: муниципальные", "responsible_municipal"),
        ("Ответственные: ОО", "responsible_organization"),
        ("Ожидаемый результат, вид документа", "result"),
        ("Утверждаю", None),
    ],
)
def test_it_knows_the_headers_of_the_seeds(text, kind):
    assert header_kind(text) == kind


def test_it_joins_a_continued_cell_on_a_new_line_after_a_sentence_or_before_a_list():
    assert join_text("Трансляция практик на", "образовательных мероприятиях") == (
        "Трансляция практик на образовательных мероприятиях"
    )
    assert join_text("актов:", "дорожные карты") == "актов:\nдорожные карты"
    assert join_text("ОО,", "- Положения") == "ОО,\n- Положения"
    assert join_text("", "текст") == "текст"


def test_it_splits_one_responsible_column_by_whom_each_paragraph_names():
    assert split_responsible("Управление образования\nРуководители ОО", school=False) == (
        "Управление образования",
        "Руководители ОО",
    )
    assert split_responsible("Рабочая группа", school=False) == ("Рабочая группа", "")
    assert split_responsible("Руководитель ОО, координатор", school=False) == ("Руководитель ОО, координатор", "")
    assert split_responsible("Ведущий наставник", school=True) == ("", "Ведущий наставник")


def test_it_numbers_a_column_numbered_by_word_itself(world):
    """A «№ п/п» column numbered by Word's list holds no text: the number is Word's («1.», «2.»)."""
    content = docs_builder.word_numbered_docx()
    result = _preview(world, content, user="curator_a")
    assert [(i["number_written"], i["title"]) for i in result.preview["items"]] == [
        ("1.", "Назначить куратора"),
        ("2.", "Сформировать базу наставников"),
    ]


def test_it_keeps_a_paragraph_starting_with_a_date_in_the_activity_before(world):
    """«12.09.2024 — совещание» is no sub-item «12.09.» of a stage: it continues the activity above."""
    content = docs_builder.workbook(
        [
            ["Дорожная карта на 2024/2025 учебный год"],
            ["№", "Наименование этапа", "Мероприятия", "Сроки"],
            ["1.", "Подготовка", "1. Совещания:\n12.09.2024 — установочное совещание\n2. Приказ", "Сентябрь 2024 г."],
        ]
    )
    result = _preview(world, content, name="даты.xlsx", user="curator_a")
    assert [(i["number_written"], i["title"]) for i in result.preview["items"]] == [
        ("1.", "Подготовка"),
        ("1.", "Совещания:\n12.09.2024 — установочное совещание"),
        ("2.", "Приказ"),
    ]
