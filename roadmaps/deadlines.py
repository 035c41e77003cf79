"""The deadline of a roadmap item («сроки исполнения»), read from the text the roadmap gives it.

Municipal and school roadmaps (дорожные карты) write each item's deadline as free Russian text in
a Word cell. `parse_deadline` turns that text, with the roadmap's period as context, into a
`Schedule`: one or more windows of dates (start and end, inclusive), or «постоянно» (the whole
period), or «по мере необходимости» (no dates), or «срок не распознан». It is pure: no models, no
database, and it never raises on any text.

What it understands, in the documents' own words (seed 000: the Назарово roadmap for 2021–2024;
seed 001: the Устюжна roadmap for the 2020/2021 school year; seed 002: the roadmap of ЦО № 21 for
2024/2025; seed 004: the Саянск распоряжение for 2023):

- a month, «Август 2020 г.», «Январь, 2021», «срок март 2023 года» (000, 002, 004): that month;
- a range of months, «Май-октябрь 2020 г.», «Сентябрь – октябрь 2020 г.» (000, 001, 002), or across
  years, «Октябрь 2021-ноябрь 2024 гг.» (000): from the first day of one to the last day of the other;
- a calendar year or years, «2023 г.», «2023 – 2024 гг.», «в течение 2023 года» (000, 004);
- a school year, «2020-2021 учебный год», «В течение 2024-2025 учебного года» (000, 002), «2024/2025
  уч. год»: 1 September to 31 August;
- a quarter, «I квартал 2022 г.», or a half-year, «1 полугодие 2022 г.»; a half-year without a year
  is one of the school year's halves (September–December, January–August) when the roadmap's
  period is a school year, or of the calendar year when it is one calendar year;
- days, «02.11.2020 18.12.2020 МАОУ «СОШ № 7»», «24.02.2021 года в 10.00 МАОУ «СОШ № 7»» (000),
  «15 сентября 2021 г.»: each a one-day window; what follows the days (a time, a place) is kept
  as the note;
- a deadline, «До 1 июня 2021 г.» (001), «в срок до 1 марта 2023 года» (004), «не позднее 24 августа
  2021 года», «до конца 2021 года», «до конца учебного года»: one window from the period's start
  to that day, marked `is_deadline` (only its end is a real date);
- a recurrence, «Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.», «Май, ежегодно с 2022 года»,
  «Ежегодно» (000), «ежегодно в мае», «ежеквартально», «ежемесячно»: a window per year (quarter,
  month); without years written out, only those inside the period, and the bare «Ежегодно»,
  «ежеквартально», «ежемесячно» clipped to it;
- «срок постоянно» (004), «в течение всего периода», «в течение года», «весь период»: the whole period;
  «по мере необходимости», «при необходимости»: no dates at all;
- months without a year, «сентябрь», «в октябре», «декабрь, май»: each the one occurrence of that
  month inside the period; none or more than one, and the phrase is not understood.

Several phrases in one cell (paragraphs, or parts separated by «;») are read one by one and their
windows joined. Leading «срок», «сроки», «в срок», «в течение», dashes of any kind, «г.», «гг.»,
«года» or none, any capitalisation, «ё», markdown bold and a trailing period or comma change
nothing. Anything else, «В соответствии со сроками реализации программ наставничества» (001) or
«по согласованию», is «срок не распознан»; so is an impossible date («31.02.2021»), a year outside
1900–2100, or a month that the period does not settle: the parser never guesses and never clamps.

The text is read in three steps: it is normalised without changing its length (so the note is cut
from the text as written), split into tokens (dates, numbers, words, dashes), and the tokens of
each phrase are matched by small forms (`_deadline`, `_recurring`, `_day_items`, `_span_items`...),
each a few lines over a cursor that can step back.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from roadmaps.choices import DeadlineKind

#: The kinds of a schedule with their Russian names: the model field's choices, one definition.
KINDS = tuple((value, str(label)) for value, label in DeadlineKind.choices)

#: The years a real roadmap's dates may fall in; anything outside is a typo, not a deadline.
MIN_YEAR, MAX_YEAR = 1900, 2100
#: A deadline cell is a line or two; a longer text is not a deadline and is not read at all.
MAX_LENGTH = 2000

Window = tuple[date, date]


@dataclass(frozen=True)
class Schedule:
    """When a roadmap item is to be done: its windows of dates, with what kind of deadline it is."""

    text: str
    kind: str
    windows: tuple[Window, ...]
    recurrence: str = ""
    note: str = ""
    is_deadline: bool = False

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "kind": self.kind,
            "windows": [[start.isoformat(), end.isoformat()] for start, end in self.windows],
        }

    @property
    def last_end(self) -> date | None:
        return self.windows[-1][1] if self.windows else None

    @property
    def recognised(self) -> bool:
        return self.kind != "unrecognised"

    def next_end(self, today: date) -> date | None:
        return next((end for _, end in self.windows if end >= today), None)


def parse_deadline(text: str, *, period: tuple[date, date]) -> Schedule:
    """Read the deadline `text` of a roadmap item whose roadmap runs over `period` (start, end)."""
    period_start, period_end = period
    if period_start > period_end:
        raise ValueError(f"The period starts after it ends: {period_start} > {period_end}")
    written = text.strip() if isinstance(text, str) else ""
    try:
        schedule = _parse(written, (period_start, period_end))
    except (_NotUnderstood, ValueError, OverflowError):
        schedule = None
    return schedule or Schedule(text=written, kind="unrecognised", windows=())


def parse_period(text: str) -> tuple[date, date] | None:
    """The period of a roadmap read from its title or a command-line value: «2021-01-01:2024-12-31»,
    «на период реализации 2021-2024 гг.» (calendar years), «на 2024/2025 учебный год» (1 September
    to 31 August), «на 2023 год»; None when there is none."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    try:
        return _read_period(text)
    except (_NotUnderstood, ValueError, OverflowError):
        return None


# Normalisation and tokens -------------------------------------------------------------------

DASHES = "-‐‑‒–—―−"
PHRASE_SEPARATORS = re.compile(r"[\n\r;\u2028\u2029]+")

TOKEN = re.compile(
    r"""
    (?P<date>[0-9]{1,2}\.[0-9]{1,2}\.[0-9]+)
    | (?P<time>[0-9]{1,2}[.:][0-9]{2}(?![0-9]))
    | (?P<number>[0-9]+)
    | (?P<word>[^\W\d_]+)
    | (?P<dash>-)
    | (?P<slash>/)
    | (?P<punctuation>[.,:])
    | (?P<other>\S)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # date, time, number, word, dash, slash, other
    text: str  # normalised: lower case, «е» for «ё»
    start: int  # where it stands in the phrase as written
    end: int


def _normalise(text: str) -> str:
    """Lower case, «е» for «ё», one hyphen for every dash, a space for every space; the same length,
    so that a position in the result is the same position in the text as written."""
    chars = []
    for char in text:
        lower = char.lower()
        if len(lower) != 1:
            lower = char
        if lower == "ё":
            lower = "е"
        elif lower in DASHES:
            lower = "-"
        elif lower.isspace():
            lower = " "
        chars.append(lower)
    return "".join(chars)


def _tokenize(phrase: str) -> list[Token]:
    """The phrase's tokens; commas, periods and colons only separate, so they are left out."""
    return [
        Token(match.lastgroup, match.group(), match.start(), match.end())
        for match in TOKEN.finditer(_normalise(phrase))
        if match.lastgroup != "punctuation"
    ]


class _NotUnderstood(Exception):
    """The phrase has the shape of a deadline, but not a possible one (31.02, «ноябрь-февраль
    2021», a month that occurs twice in the period): the whole text is unrecognised."""


class _Cursor:
    """The tokens of one phrase and the position reached; a form that fails puts `pos` back."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0

    def peek(self, offset: int = 0) -> Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def at_end(self) -> bool:
        return self.pos >= len(self.tokens)

    def take(self, kind: str) -> Token | None:
        token = self.peek()
        if token is not None and token.kind == kind:
            self.pos += 1
            return token
        return None

    def word(self, *options: str) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text in options:
            self.pos += 1
            return token.text
        return None

    def words(self, *sequence: str) -> bool:
        """All the words in a row, or none of them taken."""
        mark = self.pos
        for expected in sequence:
            if not self.word(expected):
                self.pos = mark
                return False
        return True

    def rest_words(self) -> tuple[str, ...] | None:
        """The remaining tokens' words, when they are all words."""
        rest = self.tokens[self.pos :]
        if any(token.kind != "word" for token in rest):
            return None
        return tuple(token.text for token in rest)


# Words -----------------------------------------------------------------------------------------

MONTH_STEMS = {
    1: "январ",
    2: "феврал",
    3: "март",
    4: "апрел",
    5: "ма",
    6: "июн",
    7: "июл",
    8: "август",
    9: "сентябр",
    10: "октябр",
    11: "ноябр",
    12: "декабр",
}
SOFT_ENDINGS = ("ь", "я", "е", "ю", "ем")  # январь, января, январе, январю, январем
HARD_ENDINGS = ("", "а", "е", "у", "ом")  # март, марта, марте, марту, мартом
MAY_ENDINGS = ("й", "я", "е", "ю", "ем")  # май, мая, мае, маю, маем
MONTHS = {
    stem + ending: number
    for number, stem in MONTH_STEMS.items()
    for ending in (MAY_ENDINGS if number == 5 else HARD_ENDINGS if stem.endswith("т") else SOFT_ENDINGS)
}
YEAR_WORDS = ("г", "гг", "год", "года", "году", "годы", "годов", "годах")
SCHOOL_YEAR_WORDS = ("учебный", "учебного", "учебном", "уч")
QUARTER_WORDS = ("квартал", "квартала", "квартале", "кв")
HALF_WORDS = ("полугодие", "полугодия", "полугодии")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ORDINAL_ENDINGS = ("й", "е", "го", "ое", "ого", "ом")  # 1-й квартал, 1-е полугодие

CONTINUOUS = {
    ("постоянно",),
    ("в", "течение", "всего", "периода"),
    ("в", "течение", "года"),
    ("весь", "период"),
}
SCHOOL_YEAR_CONTINUOUS = {("в", "течение", "учебного", "года"), ("в", "течение", "всего", "учебного", "года")}
ON_NEED = {("по", "мере", "необходимости"), ("при", "необходимости")}
#: Words that say when; a note (a time, a place) must have none, or a date was left unread.
WHEN_WORDS = re.compile(
    r"ежегод|ежекварт|ежемесяч|ежеднев|еженедел|квартал|полугод|постоянно|позднее|учебн|далее|течение"
)


# Dates -----------------------------------------------------------------------------------------


def _day_of(year: int, month: int, day: int) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _NotUnderstood(f"year {year}")
    return date(year, month, day)  # ValueError for 31.02: unrecognised, never clamped


def _month_start(year: int, month: int) -> date:
    return _day_of(year, month, 1)


def _month_end(year: int, month: int) -> date:
    return _day_of(year, month, calendar.monthrange(year, month)[1])


def _year_window(year: int) -> Window:
    return _day_of(year, 1, 1), _day_of(year, 12, 31)


def _school_year_window(first_year: int) -> Window:
    return _day_of(first_year, 9, 1), _day_of(first_year + 1, 8, 31)


def _is_school_year(period: Window) -> bool:
    start, end = period
    return (start.month, start.day, end.month, end.day) == (9, 1, 8, 31) and end.year == start.year + 1


def _is_one_calendar_year(period: Window) -> bool:
    start, end = period
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and end.year == start.year


def _inside(window: Window, period: Window) -> bool:
    return period[0] <= window[0] and window[1] <= period[1]


def _clip(window: Window, period: Window) -> Window | None:
    start, end = max(window[0], period[0]), min(window[1], period[1])
    return (start, end) if start <= end else None


def _months_window(year: int, first: int, last: int) -> Window:
    """From the first day of month `first` of `year` to the end of month `last`, in the next year
    when it comes before `first` (September–May)."""
    return _month_start(year, first), _month_end(year if last >= first else year + 1, last)


def _only_one_inside(candidates: list[Window], period: Window) -> Window:
    """The one candidate inside the period; none or several, and the text is not understood."""
    inside = [window for window in candidates if _inside(window, period)]
    if len(inside) != 1:
        raise _NotUnderstood(f"{len(inside)} occurrences inside the period")
    return inside[0]


def _years_of(period: Window) -> range:
    return range(period[0].year - 1, period[1].year + 1)


# Pieces of a phrase ----------------------------------------------------------------------------


def _year(cursor: _Cursor) -> int | None:
    token = cursor.peek()
    if token is None or token.kind != "number" or len(token.text) != 4:
        return None
    cursor.pos += 1
    year = int(token.text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _NotUnderstood(f"year {year}")
    return year


def _month(cursor: _Cursor) -> int | None:
    token = cursor.peek()
    if token is None or token.kind != "word" or token.text not in MONTHS:
        return None
    cursor.pos += 1
    return MONTHS[token.text]


def _school_year_words(cursor: _Cursor) -> bool:
    """«учебный год», «учебного года», «уч. год»."""
    mark = cursor.pos
    if cursor.word(*SCHOOL_YEAR_WORDS) and cursor.word(*YEAR_WORDS):
        return True
    cursor.pos = mark
    return False


@dataclass(frozen=True)
class _Years:
    """Years as written after a month or alone: one year, several, or a school year."""

    window: Window
    kind: str  # year | years | school_year


def _years(cursor: _Cursor) -> _Years | None:
    """«2023 г.», «2023 – 2024 гг.», «2020-2021 учебный год», «2024/2025 уч. год»."""
    first = _year(cursor)
    if first is None:
        return None
    after_first = cursor.pos
    slash = False
    last = None
    if cursor.take("dash") or (slash := bool(cursor.take("slash"))):
        last = _year(cursor)
        if last is None:  # «Октябрь 2021-ноябрь 2024»: the dash joins something else
            cursor.pos = after_first
    if last is None:
        if _school_year_words(cursor):
            raise _NotUnderstood("a school year of one year")
        cursor.word(*YEAR_WORDS)
        return _Years(_year_window(first), "year")
    if _school_year_words(cursor) or slash:
        # A slash between two years is how schools write their year (2024/2025) even without «учебный год».
        if last != first + 1:
            raise _NotUnderstood(f"school year {first}-{last}")
        return _Years(_school_year_window(first), "school_year")
    cursor.word(*YEAR_WORDS)
    if last < first:
        raise _NotUnderstood(f"years {first}-{last}")
    return _Years((_year_window(first)[0], _year_window(last)[1]), "years")


def _month_items(cursor: _Cursor) -> list[tuple[int, int]] | None:
    """«май», «май-октябрь», «декабрь, май», «сентябрь и октябрь»: (first, last) month pairs."""
    items = []
    while True:
        mark = cursor.pos
        if items:
            cursor.word("и")
        first = _month(cursor)
        if first is None:
            cursor.pos = mark
            break
        last = first
        after_first = cursor.pos
        if cursor.take("dash"):
            last = _month(cursor)
            if last is None:
                cursor.pos, last = after_first, first
        items.append((first, last))
    return items or None


def _ordinal(cursor: _Cursor, highest: int) -> int | None:
    """«1», «I», «1-й», «1-е» up to `highest`."""
    token = cursor.peek()
    if token is None:
        return None
    if token.kind == "number" and len(token.text) <= 2:
        number = int(token.text)
    elif token.kind == "word" and token.text in ROMAN:
        number = ROMAN[token.text]
    else:
        return None
    if not 1 <= number <= highest:
        return None
    cursor.pos += 1
    mark = cursor.pos
    if not (cursor.take("dash") and cursor.word(*ORDINAL_ENDINGS)):
        cursor.pos = mark
    return number


def _day(cursor: _Cursor) -> date | None:
    """«24.02.2021 года», «15 сентября 2021 г.»."""
    token = cursor.peek()
    if token is None:
        return None
    if token.kind == "date":
        day, month, year = (int(part) for part in token.text.split("."))
        cursor.pos += 1
        cursor.word(*YEAR_WORDS)
        return _day_of(year, month, day)
    following, year_token = cursor.peek(1), cursor.peek(2)
    if (
        token.kind == "number"
        and len(token.text) <= 2
        and following is not None
        and following.text in MONTHS
        and year_token is not None
        and year_token.kind == "number"
    ):
        cursor.pos += 2
        year = _year(cursor)
        if year is None:
            raise _NotUnderstood(f"year {year_token.text}")
        cursor.word(*YEAR_WORDS)
        return _day_of(year, MONTHS[following.text], int(token.text))
    return None


# Forms of a whole phrase -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    kind: str
    windows: tuple[Window, ...] = ()
    recurrence: str = ""
    note: str = ""
    is_deadline: bool = False


def _note(cursor: _Cursor, phrase: str) -> str | None:
    """What follows the days, as written (a time, a place), or None when it says when: then it is
    a date that was not understood, and the phrase is not kept half-read."""
    rest = cursor.tokens[cursor.pos :]
    if not rest:
        return ""
    for token in rest:
        if token.kind == "date" or (token.kind == "number" and len(token.text) >= 4):
            return None
        if token.kind == "word" and (token.text in MONTHS or WHEN_WORDS.match(token.text)):
            return None
    return phrase[rest[0].start :].strip().rstrip(",").strip()


def _continuous(cursor: _Cursor, period: Window, phrase: str) -> _Reading | None:
    words = cursor.rest_words()
    if words in CONTINUOUS or (words in SCHOOL_YEAR_CONTINUOUS and _is_school_year(period)):
        return _Reading("continuous", (period,))
    if words in ON_NEED:
        return _Reading("on_need")
    return None


def _deadline(cursor: _Cursor, period: Window, phrase: str) -> _Reading | None:
    """«до 1 июня 2021 г.», «не позднее 24 августа 2021 года», «до конца 2021 года»."""
    if not (cursor.word("до") or cursor.words("не", "позднее") or cursor.words("не", "позже")):
        return None
    note = ""
    if cursor.word("конца", "окончания"):
        end = _end_of(cursor, period)
        if end is None or not cursor.at_end():
            return None
    else:
        end = _day(cursor)
        if end is None:
            return None
        note = _note(cursor, phrase)
        if note is None:
            return None
    window = (period[0], end) if end >= period[0] else (end, end)
    return _Reading("dates", (window,), note=note, is_deadline=True)


def _end_of(cursor: _Cursor, period: Window) -> date | None:
    """The end of what follows «до конца»: the school year or the year of the period when the period
    is one, or of a year, month, quarter written out."""
    if cursor.words("учебного", "года"):
        return period[1] if _is_school_year(period) else None
    if cursor.word("года"):
        return period[1] if _is_one_calendar_year(period) else None
    windows = _span_item(cursor, period)
    return windows[0][1] if windows and len(windows) == 1 else None


def _recurring(cursor: _Cursor, period: Window, phrase: str) -> _Reading | None:
    """«Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.», «Май, ежегодно с 2022 года», «ежегодно в мае»,
    «Ежегодно», «ежеквартально», «ежемесячно»."""
    months = _month_items(cursor)
    if cursor.word("ежегодно"):
        return _yearly(cursor, period, months)
    if months is None and cursor.word("ежеквартально") and cursor.at_end():
        quarters = [(_month_start(y, m), _month_end(y, m + 2)) for y in _years_of(period) for m in (1, 4, 7, 10)]
        return _every(quarters, period, "quarterly")
    if months is None and cursor.word("ежемесячно") and cursor.at_end():
        every_month = [(_month_start(y, m), _month_end(y, m)) for y in _years_of(period) for m in range(1, 13)]
        return _every(every_month, period, "monthly")
    return None


def _every(windows: list[Window], period: Window, recurrence: str) -> _Reading:
    clipped = tuple(window for window in (_clip(each, period) for each in windows) if window)
    return _Reading("dates", clipped, recurrence=recurrence)


def _yearly(cursor: _Cursor, period: Window, months: list[tuple[int, int]] | None) -> _Reading | None:
    if months is None:
        mark = cursor.pos
        cursor.word("в")
        months = _month_items(cursor)
        if months is None:
            cursor.pos = mark
    years, as_written = _recurrence_years(cursor, period)
    if not cursor.at_end():
        return None
    if months is None:
        if as_written:
            return _Reading("dates", tuple(_year_window(year) for year in years), recurrence="yearly")
        return _every([_year_window(year) for year in years], period, "yearly")
    windows = [_months_window(year, first, last) for year in years for first, last in months]
    if not as_written:
        windows = [window for window in windows if _inside(window, period)]
    return _Reading("dates", tuple(windows), recurrence="yearly")


def _recurrence_years(cursor: _Cursor, period: Window) -> tuple[list[int], bool]:
    """The years of «ежегодно»: as written («2021 – 2024 гг.», «с 2022 по 2024 год»), from one
    («с 2022 года»: to the period's end, only inside it), or the period's."""
    if cursor.word("с"):
        first = _year(cursor)
        if first is None:
            raise _NotUnderstood("«ежегодно с» without a year")
        cursor.word(*YEAR_WORDS)
        if cursor.word("по"):
            last = _year(cursor)
            if last is None or last < first:
                raise _NotUnderstood("«ежегодно с … по» without a later year")
            cursor.word(*YEAR_WORDS)
            return list(range(first, last + 1)), True
        return list(range(first, period[1].year + 1)), False
    mark = cursor.pos
    if not cursor.words("в", "течение"):
        cursor.word("в")
    years = _years(cursor)
    if years is None:
        cursor.pos = mark
        return list(_years_of(period)), False
    if years.kind == "school_year":
        raise _NotUnderstood("«ежегодно» in one school year")
    return list(range(years.window[0].year, years.window[1].year + 1)), True


def _day_items(cursor: _Cursor, period: Window, phrase: str) -> _Reading | None:
    """«02.11.2020 18.12.2020 МАОУ «СОШ № 7»», «с 01.09.2021 по 30.09.2021», «15 сентября 2021 г.»:
    one window a day or a range of days; what follows is the note."""
    windows = []
    while True:
        mark = cursor.pos
        if windows:
            cursor.word("и")
        window = _day_range(cursor)
        if window is None:
            cursor.pos = mark
            break
        windows.append(window)
    if not windows:
        return None
    note = _note(cursor, phrase)
    if note is None:
        return None
    return _Reading("dates", tuple(windows), note=note)


def _day_range(cursor: _Cursor) -> Window | None:
    mark = cursor.pos
    since = bool(cursor.word("с"))
    first = _day(cursor)
    if first is None:
        cursor.pos = mark
        return None
    after_first = cursor.pos
    if cursor.take("dash") or cursor.word("по"):
        last = _day(cursor)
        if last is not None:
            if last < first:
                raise _NotUnderstood(f"days {first} – {last}")
            return first, last
        cursor.pos = after_first
    if since:  # «с 01.09.2021» alone has no end
        cursor.pos = mark
        return None
    return first, first


def _span_items(cursor: _Cursor, period: Window, phrase: str) -> _Reading | None:
    """One or more spans: months, years, quarters, half-years, each with its year or without."""
    windows: list[Window] = []
    while not cursor.at_end():
        if windows:
            cursor.word("и")
        if not cursor.words("в", "течение"):
            cursor.word("в")
        found = _span_item(cursor, period)
        if found is None:
            return None
        windows.extend(found)
    return _Reading("dates", tuple(windows)) if windows else None


def _span_item(cursor: _Cursor, period: Window) -> list[Window] | None:
    for form in (_month_to_month, _months_in_year, _quarter, _half, _year_span):
        mark = cursor.pos
        found = form(cursor, period)
        if found is not None:
            return found
        cursor.pos = mark
    return None


def _month_to_month(cursor: _Cursor, period: Window) -> list[Window] | None:
    """«Октябрь 2021-ноябрь 2024 гг.», «декабрь 2020 – январь 2021»."""
    first_month = _month(cursor)
    first_year = _year(cursor) if first_month else None
    if first_year is None:
        return None
    cursor.word(*YEAR_WORDS)
    if not cursor.take("dash"):
        return None
    last_month = _month(cursor)
    last_year = _year(cursor) if last_month else None
    if last_year is None:
        return None
    cursor.word(*YEAR_WORDS)
    window = (_month_start(first_year, first_month), _month_end(last_year, last_month))
    if window[0] > window[1]:
        raise _NotUnderstood(f"months {window}")
    return [window]


def _months_in_year(cursor: _Cursor, period: Window) -> list[Window] | None:
    """«Май-октябрь 2020 г.», «Январь, 2021», «сентябрь - май 2024-2025 учебного года», and without a
    year «в октябре», «декабрь, май»: each its one occurrence in the year written, or else in the period."""
    months = _month_items(cursor)
    if months is None:
        return None
    years = _years(cursor)
    within = years.window if years else period
    return [
        _only_one_inside([_months_window(year, first, last) for year in _years_of(within)], within)
        for first, last in months
    ]


def _quarter(cursor: _Cursor, period: Window) -> list[Window] | None:
    """«I квартал 2022 г.», «1 квартал 2022», «IV квартал 2021 года»; without a year, its one
    occurrence in the period."""
    number = _ordinal(cursor, 4)
    if number is None or not cursor.word(*QUARTER_WORDS):
        return None
    years = _years(cursor)
    within = years.window if years else period
    first = 3 * number - 2
    return [_only_one_inside([_months_window(year, first, first + 2) for year in _years_of(within)], within)]


def _half(cursor: _Cursor, period: Window) -> list[Window] | None:
    """«1 полугодие 2022 г.», «2 полугодие 2021 года»; without a year, a half of the period when it
    is a school year (September–December, January–August) or one calendar year."""
    number = _ordinal(cursor, 2)
    if number is None or not cursor.word(*HALF_WORDS):
        return None
    years = _years(cursor)
    if years is None:
        if _is_school_year(period):
            years = _Years(period, "school_year")
        elif _is_one_calendar_year(period):
            years = _Years(period, "year")
        else:
            raise _NotUnderstood("a half-year without a year in a period of several years")
    start, end = years.window
    if years.kind == "year":
        return [_months_window(start.year, 1, 6) if number == 1 else _months_window(start.year, 7, 12)]
    if years.kind == "school_year":
        return [(start, _month_end(start.year, 12)) if number == 1 else (_month_start(end.year, 1), end)]
    raise _NotUnderstood("a half-year of several years")


def _year_span(cursor: _Cursor, period: Window) -> list[Window] | None:
    """«2023 г.», «2023 – 2024 гг.», «2020-2021 учебный год»."""
    years = _years(cursor)
    return [years.window] if years else None


# The whole text ----------------------------------------------------------------------------------


def _skip_leading_words(cursor: _Cursor) -> None:
    """«срок», «сроки», «срок исполнения», «в срок» before the deadline itself."""
    while True:
        if cursor.word("срок", "сроки") or cursor.words("в", "срок"):
            cursor.word("исполнения")
            continue
        return


def _read_phrase(phrase: str, period: Window) -> _Reading | None:
    cursor = _Cursor(_tokenize(phrase))
    _skip_leading_words(cursor)
    if cursor.at_end():
        return None
    start = cursor.pos
    for form in (_continuous, _deadline, _recurring, _day_items, _span_items):
        cursor.pos = start
        reading = form(cursor, period, phrase)
        # A form that matched but left no window («май ежегодно» in a period without a May) is no reading.
        if reading is not None and (reading.windows or reading.kind == "on_need"):
            return reading
    return None


def _parse(written: str, period: Window) -> Schedule | None:
    if not written or len(written) > MAX_LENGTH:
        return None
    phrases = [part.strip() for part in PHRASE_SEPARATORS.split(written.replace("**", ""))]
    readings = []
    for phrase in filter(None, phrases):
        reading = _read_phrase(phrase, period)
        if reading is None:
            return None
        readings.append(reading)
    if not readings:
        return None
    kinds = {reading.kind for reading in readings}
    if len(kinds) != 1:  # «постоянно» in one paragraph and dates in another: not guessed
        return None
    windows = tuple(sorted({window for reading in readings for window in reading.windows}))
    for start, end in windows:
        if not (start.year >= MIN_YEAR and end.year <= MAX_YEAR and start <= end):
            return None
    recurrences = {reading.recurrence for reading in readings}
    return Schedule(
        text=written,
        kind=kinds.pop(),
        windows=windows,
        recurrence=recurrences.pop() if len(recurrences) == 1 else "",
        note="; ".join(reading.note for reading in readings if reading.note),
        is_deadline=all(reading.is_deadline for reading in readings),
    )


# Periods -----------------------------------------------------------------------------------------

ISO_PERIOD = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*:\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*")
DOTTED_PERIOD = re.compile(
    r"\s*([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})\s*[-:]\s*([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})\s*(?:г\.?)?\s*"
)
DOTTED_DATE = re.compile(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}")
YEARS_IN_TITLE = re.compile(r"(?<![0-9])([0-9]{4})\s*(-|/)\s*([0-9]{4})(?![0-9])\s*(уч\b|учебн)?")
ONE_YEAR_IN_TITLE = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])\s*(?:г\b|год\b|года\b|году\b)")


def _read_period(text: str) -> Window | None:
    for pattern in (ISO_PERIOD, DOTTED_PERIOD):
        match = pattern.fullmatch(text)
        if match:
            numbers = [int(group) for group in match.groups()]
            if pattern is ISO_PERIOD:
                start, end = _day_of(*numbers[:3]), _day_of(*numbers[3:])
            else:
                start, end = _day_of(*numbers[2::-1]), _day_of(*numbers[:2:-1])
            return (start, end) if start <= end else None
    # A roadmap's title: «Дорожная карта … на период реализации 2021-2024 гг.», «… на 2024/2025
    # учебный год». The date of the order that approved it («от 15.02.2023») is not its period.
    title = DOTTED_DATE.sub(" ", _normalise(text.replace("**", "")))
    match = YEARS_IN_TITLE.search(title)
    if match:
        first, separator, last, school = match.groups()
        first, last = int(first), int(last)
        if school or separator == "/":
            return _school_year_window(first) if last == first + 1 else None
        return (_year_window(first)[0], _year_window(last)[1]) if first <= last else None
    match = ONE_YEAR_IN_TITLE.search(title)
    if match or re.fullmatch(r"\s*[0-9]{4}\s*", title):
        return _year_window(int((match.group(1) if match else title).strip()))
    return None
