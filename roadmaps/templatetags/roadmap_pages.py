"""Template filters of the roadmaps pages: an item's parsed schedule in a few words, beside the
deadline as the document words it, and the tones of the states' badges."""

from __future__ import annotations

import calendar
import datetime
import re

from django import template

from core.russian import count_noun
from roadmaps.choices import STATUS_TONES, Addressee, DeadlineKind
from roadmaps.deadlines import parse_deadline

register = template.Library()

MONTHS = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip
#: How many windows a label lists before «и ещё N».
LISTED = 3


def _whole_months(start, end) -> bool:
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]


def windows_label(windows) -> str:
    """«01.05.2020 – 31.10.2020»; «4 периода: сентябрь–ноябрь 2021–2024» for a yearly recurrence
    (seed 000 «Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.»); otherwise the first windows and how many
    more."""
    windows = sorted(windows, key=lambda w: (w.starts_on, w.ends_on))
    if not windows:
        return ""
    if len(windows) == 1:
        return str(windows[0])
    first = windows[0]
    months = (first.starts_on.month, first.ends_on.month)
    years = [w.starts_on.year for w in windows]
    yearly = all(
        _whole_months(w.starts_on, w.ends_on)
        and (w.starts_on.month, w.ends_on.month) == months
        and w.starts_on.year == w.ends_on.year
        for w in windows
    ) and years == list(range(years[0], years[0] + len(windows)))
    count = count_noun(len(windows), "период,периода,периодов")
    every = _every_months(windows)
    if every:
        last = windows[-1].ends_on
        return f"{count}: {every}, {MONTHS[first.starts_on.month - 1]} {first.starts_on.year} – {MONTHS[last.month - 1]} {last.year}"
    if yearly:
        span = MONTHS[months[0] - 1] if months[0] == months[1] else f"{MONTHS[months[0] - 1]}–{MONTHS[months[1] - 1]}"
        return f"{count}: {span} {years[0]}–{years[-1]}"
    listed = "; ".join(str(w) for w in windows[:LISTED])
    more = f" и ещё {len(windows) - LISTED}" if len(windows) > LISTED else ""
    return f"{count}: {listed}{more}"


def _every_months(windows) -> str:
    """«ежемесячно» or «ежеквартально» for back-to-back windows of whole months, one or three long."""
    lengths = set()
    for window, following in zip(windows, [*windows[1:], None], strict=True):
        if not _whole_months(window.starts_on, window.ends_on):
            return ""
        lengths.add((window.ends_on.year - window.starts_on.year) * 12 + window.ends_on.month - window.starts_on.month)
        if following is not None and following.starts_on != window.ends_on + datetime.timedelta(days=1):
            return ""
    return {frozenset({0}): "ежемесячно", frozenset({2}): "ежеквартально"}.get(frozenset(lengths), "")


@register.filter
def schedule_label(item) -> str:
    """What the portal understood of an item's deadline, in small text beside the wording:
    the windows, «постоянно», «по мере необходимости»; "" for «срок не распознан» (the page shows
    its badge instead). A deadline («До 1 июня 2021 г.», seed 001) reads «до 01.06.2021»: its
    window's start is only the period's."""
    windows = list(item.windows.all())  # prefetched by selectors.roadmap_items
    if item.deadline_manual:
        label = windows_label(windows)
        return f"{label} (даты заданы вручную)" if label else ""
    if item.deadline_kind == DeadlineKind.CONTINUOUS:
        return "постоянно"
    if item.deadline_kind == DeadlineKind.ON_NEED:
        return "по мере необходимости"
    if item.deadline_kind == DeadlineKind.UNRECOGNISED:
        return ""
    if len(windows) == 1 and parse_deadline(item.deadline_text, period=item.roadmap.period).is_deadline:
        return f"до {windows[0].ends_on:%d.%m.%Y}"
    return windows_label(windows)


def _plain(text: str) -> str:
    return re.sub(r"[\s.,]+", " ", (text or "").lower().replace("г.", "")).strip()


@register.filter
def schedule_hint(item) -> str:
    """`schedule_label`, unless it only repeats the wording («постоянно», «27.11.2026»)."""
    label = schedule_label(item)
    return "" if _plain(label) == _plain(item.deadline_text) else label


@register.filter
def status_tone(status: str) -> str:
    """The Bootstrap tone of an execution state's badge (roadmaps.choices.STATUS_TONES)."""
    return STATUS_TONES.get(status, "secondary")


@register.filter
def level_indent(level: int) -> str:
    """Bootstrap's start padding for an item's level: a stage as the table pads it, its items and
    their sub-items further in."""
    return {1: "", 2: "ps-4"}.get(int(level or 1), "ps-5")


@register.filter
def addressee_labels(values) -> list[str]:
    """The recognised addressees of an item by their names («Руководители ОО»)."""
    labels = dict(Addressee.choices)
    return [labels[value] for value in values or () if value in labels]
