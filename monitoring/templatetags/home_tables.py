"""The home page's table of pairs by school, form and status, written in Python.

A municipality of 30 schools has about 150 rows of seven cells, each with a link, its figure and
an accessible name: through the template language that was a fifth of the coordinator's cold home
page (issue 9 §6, ≤ 300 ms). The markup is the one the template wrote, every text escaped once."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.russian import format_number

register = template.Library()


@register.simple_tag
def pair_table_rows(rows: list[dict], url: str) -> SafeString:
    """The <tr> of each row of `mentorship.selectors.pair_table`: the school, the form, a cell per
    status (a link to the pair list so filtered, or a grey 0) and the total."""
    url = escape(url)
    return mark_safe("\n".join(_row(row, url) for row in rows))  # every text escaped in _row


def _row(row: dict, url: str) -> str:
    organization, form = escape(row["organization"]), escape(row["form"])
    base = f"{url}?organization={int(row['organization_id'])}&amp;form={int(row['form_id'])}"
    cells = []
    for status, label, count in row["counts"]:
        label = escape(label)
        if count:
            cells.append(
                f'<td data-label="{label}" class="text-end"><a href="{base}&amp;status={escape(status)}" '
                f'data-figure="{int(count)}" aria-label="{label}, {form}, {organization}: {int(count)}">'
                f"{escape(format_number(count))}</a></td>"
            )
        else:
            cells.append(f'<td data-label="{label}" class="text-end"><span class="text-body-secondary">0</span></td>')
    total = int(row["total"])
    return (
        f'<tr><td>{organization}</td><td data-label="Форма" class="small">{form}</td>{"".join(cells)}'
        f'<td data-label="Всего" class="text-end"><a href="{base}" data-figure="{total}" '
        f'aria-label="Всего, {form}, {organization}: {total}">{escape(format_number(total))}</a></td></tr>'
    )
