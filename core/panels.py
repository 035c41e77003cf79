"""Panels an app above adds to a page of an app below, without the page's app importing it.

Apps import downward only (README «Layout»): the registry's person page cannot import mentorship to
list the person's pairs. Instead the page renders the panels registered for its place
(`render_panels("person_detail", request=…, obj=person)`), and mentorship registers its panel there
in its `AppConfig.ready()`:

    register_panel("person_detail", "pairs", person_pairs_panel)

A panel is a callable `(request, obj) -> str` (rendered HTML, or "" to show nothing). It answers
for its own scope: it shows only what `request.user` may see.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Panel = Callable[[object, object], str]

#: {place: {name: panel}}, in the order of registration.
PANELS: dict[str, dict[str, Panel]] = {}


def register_panel(place: str, name: str, panel: Panel) -> None:
    """Add `panel` to the pages of `place` (registering a name again replaces its panel)."""
    PANELS.setdefault(place, {})[name] = panel


def render_panels(place: str, *, request, obj) -> list[SafeString]:
    """The panels of `place` for `obj`, rendered for `request.user` (the empty ones left out)."""
    rendered = []
    for panel in PANELS.get(place, {}).values():
        html = panel(request, obj)
        if html:
            rendered.append(mark_safe(html))  # the panel renders through a template, which escapes
    return rendered
