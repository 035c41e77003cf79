"""The coverage form of seed 003 as printed documents (issue 10 §1: «The school's coverage form and
the municipality's consolidated report (monitoring issue), as PDF»), registered in
`MonitoringConfig.ready`. Both print on demand (`registered = False`): not acts of their issuer,
not numbered; every download is journalled by the view (core.printing).

- `CoverageFormPdf`: one school's form exactly as seed 003 lays it out (приложение к письму
  управления образования от 13.08.2021 № 118.18-1416/21-23): «ПРИЛОЖЕНИЕ к письму …» in the top
  right corner, «Информация / о численности обучающихся, педагогических работников (молодых
  специалистов), охваченных программой наставничества в рамках реализации целевой модели
  наставничества», «Образовательное учреждение: …», the table «Наименование показателя» × «Форма
  наставничества» over the four forms, its four rows worded as the seed words them, and
  «Ответственный за реализацию программы в ОУ: ФИО: … тел.: …» across the last row. The seed's
  blank is signed by the authority's head; the filled form a school sends is signed by its
  director. A figure the school corrected (a campaign's answer) is printed as corrected, with a
  note of the computed one.
- `ConsolidatedReport`: the municipality's consolidated form — the authority's letterhead (name,
  address, phone, e-mail, as seed 003's letter), the title, a row per school with the 16 figures,
  «Итого по муниципалитету (без повторов)» with the note on distinct persons and enterprises, and
  the signature of the authority's head.

Both on A4 landscape (`css/coverage-form.css`): four forms, or 16 figures, do not fit a portrait
page at 12 pt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.documents import DOCUMENTS_STYLESHEET, DocumentKind
from monitoring.choices import FIGURE_SHORT, Figure
from monitoring.coverage import FIGURES, FORMS, academic_year, compute_coverage, coverage_organizations
from monitoring.exporters import (
    CORRECTED_NOTE,
    FORM_HEADER,
    INDICATOR_HEADER,
    SCHOOL_LABEL,
    TITLE_FIRST,
    TITLE_REST,
    TOTAL_LABEL,
    TOTAL_NOTE,
    FormSheet,
    address_text,
    appendix_text,
    form_label,
    period_note,
    responsible_text,
    sheets_from_coverage,
)
from registry.models import Municipality, current_academic_year_start, signature_name

COVERAGE_STYLESHEET = "css/coverage-form.css"


@dataclass
class PrintedFigure:
    """A figure as printed: the value shown and, when the school corrected it, the computed one."""

    value: int
    computed: int | None = None

    @property
    def corrected(self) -> bool:
        return self.computed is not None and self.computed != self.value

    @property
    def note(self) -> str:
        return CORRECTED_NOTE.format(computed=self.computed) if self.corrected else ""


def printed_figures(sheet: FormSheet) -> list[list[PrintedFigure]]:
    """The 16 figures of a school, figure by figure, form by form (the seed's order)."""
    return [
        [PrintedFigure(sheet.figures[figure][form], sheet.computed[figure][form]) for form in FORMS]
        for figure in FIGURES
    ]


def current_year_sheets(organizations):
    """The organizations' forms for the current academic year (ages on 1 September), the coverage
    and the title's note: what the coverage page shows by default."""
    start, end, on = academic_year(current_academic_year_start())
    coverage = compute_coverage([o.pk for o in organizations], start=start, end=end, on=on)
    return sheets_from_coverage(organizations, coverage), coverage, period_note(start, end, on)


class CoverageDocument(DocumentKind):
    """What the school's form and the consolidated report share: the landscape page, the header."""

    stylesheets = (DOCUMENTS_STYLESHEET, COVERAGE_STYLESHEET)

    def __init__(self, *, municipality: Municipality, title_note: str = ""):
        self.municipality = municipality
        self.title_note = title_note

    def common_context(self) -> dict:
        return {
            "appendix_line": appendix_text(self.municipality),
            "title_note": self.title_note,
            "title_first": TITLE_FIRST,
            "title_rest": TITLE_REST,
            "indicator_header": INDICATOR_HEADER,
            "form_header": FORM_HEADER,
            "form_labels": [form_label(code) for code in FORMS],
        }


class CoverageFormPdf(CoverageDocument):
    """One school's coverage form of seed 003 (the module's docstring)."""

    code = "coverage_form"
    title = "Форма охвата наставничеством (школа)"
    template_name = "monitoring/documents/coverage_form.html"

    def __init__(self, sheet: FormSheet, *, municipality: Municipality, title_note: str = ""):
        super().__init__(municipality=municipality, title_note=title_note)
        self.sheet = sheet

    @classmethod
    def for_command(cls, *, organization=None, municipality=None, pair=None) -> CoverageFormPdf:
        """`render_document coverage_form --organization ID`: the school's form for the current
        academic year, as the coverage page computes it."""
        if organization is None:
            raise ValueError("Форма охвата печатается для школы: укажите --organization ID.")
        sheets, _coverage, note = current_year_sheets([organization])
        return cls(sheets[0], municipality=organization.municipality, title_note=note)

    def context(self) -> dict:
        organization = self.sheet.organization
        values = printed_figures(self.sheet)
        return {
            **self.common_context(),
            "document_title": f"{TITLE_FIRST}: {organization.short_name}",
            "school_line": f"{SCHOOL_LABEL}{organization.full_name or organization.short_name}",
            "rows": [(Figure(figure).label, values[index]) for index, figure in enumerate(FIGURES)],
            "notes": [
                f"{FIGURE_SHORT[figure]}, «{form_label(form)}» — {cell.note}"
                for figure, row in zip(FIGURES, values, strict=True)
                for form, cell in zip(FORMS, row, strict=True)
                if cell.corrected
            ],
            "responsible": responsible_text(self.sheet.responsible_name, self.sheet.responsible_phone),
            "signature": {
                "position": f"{organization.director_position or 'Директор'} {organization.short_name}",
                "name": signature_name(organization.director_name),
            },
        }

    def count(self, context: dict) -> int:
        return len(FIGURES)

    def filename(self) -> str:
        return f"Охват наставничеством {self.sheet.organization.short_name[:80]}.pdf"


class ConsolidatedReport(CoverageDocument):
    """The municipality's consolidated coverage report (the module's docstring): a row per school.

    WeasyPrint lays out some 25 ms a row (bench/coverage_bench.py --pdf, 2 cores shared): the
    30-school municipality in 1.3 s (2 pages), the region's 1,300 schools in 32 s (47 pages). So
    beyond `worker_items` rows the worker lays it out, with a progress bar by pages, and the
    person downloads it from the job's page (core.printing, core.models.PrintJob)."""

    code = "coverage_report"
    #: About 2.5 s of layout: what a request may take.
    worker_items = 100
    title = "Сводный отчёт об охвате наставничеством"
    template_name = "monitoring/documents/coverage_report.html"

    def __init__(
        self,
        sheets: Sequence[FormSheet],
        total: dict[str, dict[str, int]],
        *,
        municipality: Municipality,
        title_note: str = "",
    ):
        super().__init__(municipality=municipality, title_note=title_note)
        self.sheets = list(sheets)
        self.total = total

    @classmethod
    def for_command(cls, *, organization=None, municipality=None, pair=None) -> ConsolidatedReport:
        """`render_document coverage_report --municipality ID`: every school's form for the current
        academic year and the distinct total."""
        if municipality is None:
            raise ValueError("Сводный отчёт печатается для муниципалитета: укажите --municipality ID.")
        sheets, coverage, note = current_year_sheets(list(coverage_organizations(municipality_ids=[municipality.pk])))
        return cls(sheets, coverage.total, municipality=municipality, title_note=note)

    def size(self) -> int:
        return len(self.sheets)

    def expected_pages(self) -> int:
        """About 28 schools a landscape page (1,300 schools: 47 pages)."""
        return -(-len(self.sheets) // 28) + 1

    def context(self) -> dict:
        municipality = self.municipality
        return {
            **self.common_context(),
            "document_title": f"{self.title}: {municipality.name}",
            "authority": municipality.authority_name or municipality.name,
            "address": address_text(municipality),
            "municipality": municipality,
            "figure_labels": [Figure(figure).label for figure in FIGURES],
            "forms_count": len(FORMS),
            "rows": [
                (sheet.organization.short_name, [cell for row in printed_figures(sheet) for cell in row])
                for sheet in self.sheets
            ],
            "total_label": TOTAL_LABEL,
            "total": [self.total[figure][form] for figure in FIGURES for form in FORMS],
            "total_note": TOTAL_NOTE,
            "signature": {
                "position": municipality.head_position,
                "name": signature_name(municipality.head_name),
            },
        }

    def count(self, context: dict) -> int:
        return len(self.sheets)

    def filename(self) -> str:
        return f"Охват наставничеством {self.municipality.name[:80]}.pdf"
