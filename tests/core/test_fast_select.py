"""The filters' selects are written in Python (core.forms.FastSelect) with Django's own markup."""

import pytest
from django import forms

from core.forms import FastSelect


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Все"), ("a", "«А» & <Б>"), ("b", "Б")], required=False)
    grouped = forms.ChoiceField(choices=[("Группа", [("x", "X"), ("y", "Y")]), ("z", "Z")], required=False)


@pytest.mark.parametrize("data", [{}, {"plain": "a", "grouped": "y"}, {"plain": "missing"}])
def test_it_writes_the_same_select_as_django(data):
    form = Choices(data)
    for name in ("plain", "grouped"):
        field = form.fields[name]
        django_html = field.widget.render(name, form[name].value(), attrs={"id": f"id_{name}", "class": "form-select"})
        fast = FastSelect(choices=field.widget.choices)
        fast_html = fast.render(name, form[name].value(), attrs={"id": f"id_{name}", "class": "form-select"})
        assert _normal(fast_html) == _normal(django_html)


def _normal(html: str) -> str:
    """Whitespace between tags aside, which Django's templates leave and the browser ignores."""
    import re

    return re.sub(r">\s+<", "><", html.strip())


def test_it_is_used_by_the_lists_filters(client, world):
    from django.urls import reverse

    client.force_login(world.coordinator)
    response = client.get(reverse("registry:person_list"))
    form = response.context["filter"].form
    assert isinstance(form.fields["organization"].widget, FastSelect)
    assert f'<option value="{world.school_a.pk}">' in response.content.decode()
