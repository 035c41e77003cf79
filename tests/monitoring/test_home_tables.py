"""The home page's table of pairs by school, form and status (monitoring/templatetags/home_tables.py):
the cells link to the pair list so filtered with their figures, and every text is escaped."""

from django.template import engines

from monitoring.templatetags.home_tables import pair_table_rows


def row(**changes) -> dict:
    return {
        "organization_id": 7,
        "organization": "МБОУ «СОШ № 1»",
        "form_id": 3,
        "form": "Ученик – ученик",
        "counts": [("draft", "Черновик", 0), ("active", "Действует", 1234)],
        "total": 1234,
    } | changes


def test_it_links_each_figure_to_the_pair_list_so_filtered():
    html = pair_table_rows([row()], "/pairs/")
    assert '<a href="/pairs/?organization=7&amp;form=3&amp;status=active" data-figure="1234"' in html
    assert 'aria-label="Действует, Ученик – ученик, МБОУ «СОШ № 1»: 1234">1\xa0234</a>' in html
    assert '<td data-label="Черновик" class="text-end"><span class="text-body-secondary">0</span></td>' in html
    assert '<a href="/pairs/?organization=7&amp;form=3" data-figure="1234" aria-label="Всего, ' in html


def test_it_escapes_every_text():
    html = pair_table_rows([row(organization='<script>"x"</script>', form="A & B")], "/pairs/?a=<")
    assert "<script>" not in html and "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in html
    assert "A &amp; B" in html and "/pairs/?a=&lt;" in html


def test_the_page_template_loads_it():
    template = engines["django"].from_string("{% load home_tables %}{% pair_table_rows rows url %}")
    assert 'data-figure="1234"' in template.render({"rows": [row()], "url": "/pairs/"})
