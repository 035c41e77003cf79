"""Rows rendered the fast way (core.tables.BaseTable.rendered_rows) are cell for cell what
django-tables2 renders itself: the same <td> attributes, the same content — choices by their
label, empty values as the column's default, render_<name> methods, links, dates dd.mm.yyyy —
for every list of the portal, found through the URL resolver as the list tests find them."""

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from core.tables import BaseTable, DateColumn
from core.testing.pages import list_routes
from tests.core.page_data import fill_world


def tables2_rows(table) -> list[list[tuple[str, str]]]:
    return [
        [(str(column.attrs["td"].as_html()), str(cell)) for column, cell in row.items()] for row in table.paginated_rows
    ]


def fast_rows(table) -> list[list[tuple[str, str]]]:
    return [[(str(td), str(content)) for td, content in cells] for cells in table.rendered_rows()]


@pytest.mark.parametrize("actor", ["coordinator", "curator_a"])
def test_it_renders_every_list_as_tables2_would(world, actor):
    fill_world(world)
    user = getattr(world, actor)
    checked = 0
    for view_class in (route.view_class for route in list_routes()):
        for sort in ("", *(f"-{name}" for name in view_class.table_class.base_columns)):
            request = RequestFactory().get("/", {"sort": sort} if sort else {})
            request.user = user
            view = view_class()
            view.setup(request)
            filterset = view.get_filterset(view.get_filterset_class())
            table = view.get_table_class()(filterset.qs, **view.get_table_kwargs())
            RequestConfig(request, paginate={"per_page": 25}).configure(table)
            assert isinstance(table, BaseTable)
            expected = tables2_rows(table)
            assert fast_rows(table) == expected, (view_class.__name__, sort)
            checked += len(expected)
    assert checked > 100


def test_it_prints_dates_as_tables2s_date_column_did(world):
    import datetime

    column = DateColumn()
    assert column.render(datetime.date(2025, 3, 1)) == "01.03.2025"
    assert column.value(datetime.date(2025, 3, 1)) == datetime.date(2025, 3, 1)
