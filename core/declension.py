"""Russian names and positions in the grammatical cases, as orders (приказы) print them.

The one place names and job titles are declined (issue 10): «Назначить Шестакову Татьяну
Васильевну, методиста, …», «Заместителю директора Шестаковой Татьяне Васильевне обеспечить …»,
«с наставником Ивановым Иваном Ивановичем», «обучающегося 9 «А» класса». An order is signed as
printed, so a form is returned only when it is certain: a name the rules below cannot decline
with confidence comes back in the nominative with `confident=False` and a Russian `reason` for the
page to show, never guessed silently.

How a full name is declined (docs/declension.md has the measurements behind the choice):
- the sex: the explicit hint («M»/«F», as `registry.Person.sex` stores it), else the patronymic
  (-ич / -вна, -чна), else the first name from pymorphy3's dictionary (not «Саша», «Женя», «Валя»:
  they are both), else the surname's Russian form (-ов/-ова, -ский/-ская);
- the surname by explicit rules (Розенталь, «Справочник по правописанию и литературной правке»,
  § «Склонение фамилий»): -ов/-ин and adjectival ones decline; -их/-ых, -ко, -о, -е, -и, -у and
  -а after a vowel do not; one in a consonant declines for a man (with the fleeting vowel of the
  noun it is: Заяц → Зайца) and does not for a woman; each part of a double one by its own rule;
- the first name by pymorphy3's dictionary of names (Лев → Льва, Любовь → Любови, Илья → Ильёй),
  by rules when it is not there (-а/-я, -ия decline; a woman's in a consonant or -и/-е/-о do not);
- the patronymic by rules (-ич: -ича, -ичем, but -ичом where stressed: Ильичом, Кузьмичом;
  -на: -ны, -не, -ну, -ной): pymorphy3 mangles some («Саввична» → «Саввишны»).

The letter «ё» is kept as written (Семён → Семёна; Семен → Семена), and is dropped where the stress
leaves it (Пётр → Петра).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import lru_cache

NBSP = "\N{NO-BREAK SPACE}"

VOWELS = set("аеёиоуыэюя")
_RUSSIAN_WORD = re.compile(r"[а-яё]{2,}")
HISSING = set("жшчщц")
VELAR = set("гкх")


class Case(enum.Enum):
    """A grammatical case; the value is pymorphy3's grammeme."""

    NOMINATIVE = "nomn"
    GENITIVE = "gent"
    DATIVE = "datv"
    ACCUSATIVE = "accs"
    INSTRUMENTAL = "ablt"

    @property
    def label(self) -> str:
        """«родительный»: the case's Russian name, for messages."""
        return _CASE_LABELS[self]


_CASE_LABELS = {
    Case.NOMINATIVE: "именительный",
    Case.GENITIVE: "родительный",
    Case.DATIVE: "дательный",
    Case.ACCUSATIVE: "винительный",
    Case.INSTRUMENTAL: "творительный",
}
# The order of endings in the tables below.
_ORDER = (Case.GENITIVE, Case.DATIVE, Case.ACCUSATIVE, Case.INSTRUMENTAL)


@dataclass(frozen=True)
class Declined:
    """A name or a position in a case: `text` to print, its `parts` (surname, first name,
    patronymic for a name), and whether the form is certain. When `confident` is False the text
    is the nominative as written and `reason` says in Russian what to check."""

    text: str
    case: Case
    parts: tuple[str, ...] = ()
    confident: bool = True
    reason: str = ""
    sex: str = ""

    @property
    def last_name(self) -> str:
        return self.parts[0] if self.parts else ""

    @property
    def first_name(self) -> str:
        return self.parts[1] if len(self.parts) > 1 else ""

    @property
    def middle_name(self) -> str:
        return self.parts[2] if len(self.parts) > 2 else ""

    def __str__(self) -> str:
        return self.text


class _Unsure(Exception):
    """A part the rules cannot decline with confidence; the message is the reason, in Russian."""


@lru_cache(maxsize=1)
def morph():
    """pymorphy3's analyzer, loaded once per process (its dictionaries take a while)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


# Letters and case ---------------------------------------------------------------------


def _fold(value: str) -> str:
    return value.lower().replace("ё", "е")


def _graft(original: str, form: str) -> str:
    """A form computed in lower case (pymorphy3's), written the way `original` is: its capitals,
    and its «е» where the form has «ё» in the shared stem (a name written without «ё» stays so);
    an «ё» of the original that the form drops (Пётр → петра) goes."""
    folded_original, folded_form = _fold(original), _fold(form)
    shared = 0
    while (
        shared < len(folded_original) and shared < len(folded_form) and folded_original[shared] == folded_form[shared]
    ):
        shared += 1
    out = []
    for index, char in enumerate(form):
        if index < shared:
            source = original[index]
            letter = "е" if source.lower() == "е" or char == "е" else char
            out.append(letter.upper() if source.isupper() else letter)
        else:
            out.append(char.upper() if original.isupper() and len(original) > 1 else char)
    return "".join(out)


def _replace(word: str, cut: int, ending: str) -> str:
    stem = word[: len(word) - cut] if cut else word
    return stem + (ending.upper() if word.isupper() and len(word) > 1 else ending)


def _by_table(word: str, case: Case, cut: int, endings: tuple[str, str, str, str]) -> str:
    return _replace(word, cut, endings[_ORDER.index(case)])


# The sex --------------------------------------------------------------------------------

SEXES = ("M", "F")
# `registry.Person.sex` stores "m"/"f" (registry.choices.Sex); a form may say «М»/«Ж».
_SEX_HINTS = {"M": "M", "F": "F", "М": "M", "Ж": "F"}


def sex_hint(value: str | None) -> str:
    """ "M", "F" or "" from a hint as the registry or a person writes it: "m", "F", «м», «Ж»."""
    return _SEX_HINTS.get((value or "").strip().upper(), "")


def _sex_from_patronymic(middle: str) -> str:
    value = _fold(middle.strip())
    if not value:
        return ""
    if value.endswith(("ич", " оглы", " улы")) or value in ("оглы", "улы"):
        return "M"
    if value.endswith(("вна", "чна", " кызы", " кзы")) or value in ("кызы",):
        return "F"
    return ""


def _sex_from_first_name(first: str) -> str:
    genders = set()
    for parse in morph().parse(first.split("-")[0]):
        if "Name" in parse.tag and parse.tag.case == "nomn" and parse.score >= 0.05:
            if "ms-f" in parse.tag:
                return ""
            genders.add(parse.tag.gender)
    if genders == {"masc"}:
        return "M"
    if genders == {"femn"}:
        return "F"
    return ""


_MALE_SURNAME = re.compile(r"(ов|ев|ёв|ин|ын|ский|цкий|ской|цкой)$")
_FEMALE_SURNAME = re.compile(r"(ова|ева|ёва|ина|ына|ская|цкая)$")


def _sex_from_surname(last: str) -> str:
    value = last.lower().split("-")[-1]
    if _MALE_SURNAME.search(value):
        return "M"
    if _FEMALE_SURNAME.search(value):
        return "F"
    return ""


def name_sex(last_name: str = "", first_name: str = "", middle_name: str = "", *, sex: str = "") -> str:
    """«M», «F» or «» when it cannot be known: the hint («m»/«f» as `registry.Person.sex` stores
    it, any case), else the patronymic, else the first name, else the surname's Russian form."""
    if sex_hint(sex):
        return sex_hint(sex)
    return (
        _sex_from_patronymic(middle_name)
        or (_sex_from_first_name(first_name) if first_name else "")
        or _sex_from_surname(last_name)
    )


# Surnames -------------------------------------------------------------------------------

_ADJ_MASC = {
    # ending → (cut, endings) for -ий/-ый/-ой surnames, chosen by the letter before the ending
    "hard": (2, ("ого", "ому", "ого", "ым")),  # Белый, Толстой, Полевой
    "velar": (2, ("ого", "ому", "ого", "им")),  # Горький, Островский, Трубецкой
    "soft": (2, ("его", "ему", "его", "им")),  # Синий, Рыжий
}
_ADJ_FEM = {
    "hard": (2, ("ой", "ой", "ую", "ой")),  # Толстая, Островская
    "soft": (2, ("ей", "ей", "юю", "ей")),  # Синяя
}
_NOUN_A = (1, ("ы", "е", "у", "ой"))  # Глинка → Глинки: the «ы» becomes «и» after г, к, х, ж, ш, ч, щ
_NOUN_IA = (1, ("и", "и", "ю", "ей"))  # Данелия, Гарсия
_NOUN_YA = (1, ("и", "е", "ю", "ей"))
_MASC_HARD = (0, ("а", "у", "а", "ом"))  # Батог, Шнайдер
_MASC_HISSING = (0, ("а", "у", "а", "ем"))  # Бабич → Бабичем (unstressed; a stressed Ткач is a noun: Ткачом)
_MASC_SOFT = (1, ("я", "ю", "я", "ем"))  # Гоголь, Гайдай
_RUSSIAN_MASC = (0, ("а", "у", "а", "ым"))  # Иванов, Пушкин
_RUSSIAN_FEM = (1, ("ой", "ой", "у", "ой"))  # Иванова, Пушкина

_INDECLINABLE_ENDINGS = ("их", "ых", "о", "е", "э", "и", "у", "ю", "ы")


def _noun_a(word: str, case: Case) -> str:
    cut, endings = _NOUN_A
    form = _by_table(word, case, cut, endings)
    stem_end = _fold(word)[-2]
    if case is Case.GENITIVE and stem_end in VELAR | HISSING - {"ц"}:
        form = _replace(word, 1, "и")
    if case is Case.INSTRUMENTAL and stem_end in HISSING:
        form = _replace(word, 1, "ей")  # unstressed: Кожа → Кожей (a stressed -а is rare in surnames)
    return form


_NOT_A_COMMON_NOUN = {"Fixd", "Name", "Patr", "Geox", "Orgn", "Abbr", "Surn"}


def _noun_surname_form(word: str, case: Case) -> str | None:
    """The form of a man's surname that is a common masculine noun of the dictionary, with the
    noun's own stem (Заяц → Зайца, Соловей → Соловья, Лебедь → Лебедя); None if it is not one."""
    if not morph().word_is_known(word.lower()):
        return None
    for parse in morph().parse(word.lower()):
        tag = parse.tag
        if (
            tag.POS == "NOUN"
            and tag.case == "nomn"
            and tag.number == "sing"
            and "masc" in tag
            and not _NOT_A_COMMON_NOUN & tag.grammemes
            and _fold(parse.word) == _fold(word)
        ):
            # A person is animate: the accusative is the genitive (Батог → Батога, not «Батог»).
            grammeme = Case.GENITIVE.value if case is Case.ACCUSATIVE else case.value
            inflected = parse.inflect({grammeme, "sing"})
            if inflected is not None:
                return _graft(word, inflected.word)
    return None


def _decline_surname_part(word: str, case: Case, sex: str, *, whole: str) -> str:
    lower = _fold(word)
    if not _RUSSIAN_WORD.fullmatch(lower):
        raise _Unsure(f"Не удалось определить склонение фамилии «{whole}»: проверьте падеж вручную.")
    last, before = lower[-1], lower[-2]

    # Indeclinable for everyone: Черных, Долгих, Гурченко, Дурново, Церетели, Чавчавадзе, Дюбуа.
    if lower.endswith(_INDECLINABLE_ENDINGS) or (last == "а" and before in VOWELS):
        return word

    # Adjectival: Толстой, Достоевский, Белый; Толстая, Достоевская, Белая.
    if lower.endswith(("ая", "яя")):
        if sex == "M":
            raise _Unsure(
                f"Фамилия «{whole}» похожа на женскую, а человек — мужчина: проверьте фамилию и падеж вручную."
            )
        if lower.endswith("ая") and lower[-3] in HISSING:
            raise _Unsure(f"Не удалось определить склонение фамилии «{whole}»: проверьте падеж вручную.")
        cut, endings = _ADJ_FEM["soft" if lower.endswith("яя") else "hard"]
        return _by_table(word, case, cut, endings)
    if lower.endswith("ой") and len(lower) <= 4 and sex != "F":
        # Цой, Ной: a stem of one or two letters is no adjective (Толстой, Донской): Цоя, Цою, Цоем.
        return _by_table(word, case, *_MASC_SOFT)
    if lower.endswith(("ый", "ой", "ий")):
        if sex == "F":
            raise _Unsure(
                f"Фамилия «{whole}» похожа на мужскую, а человек — женщина: проверьте фамилию и падеж вручную."
            )
        stem_end = lower[-3]
        if lower.endswith("ий") and stem_end not in VELAR and not lower.endswith(("ский", "цкий")):
            if stem_end in HISSING or stem_end == "н":
                cut, endings = _ADJ_MASC["soft"]
                return _by_table(word, case, cut, endings)
            raise _Unsure(f"Не удалось определить склонение фамилии «{whole}»: проверьте падеж вручную.")
        kind = "velar" if stem_end in VELAR | HISSING else "hard"
        cut, endings = _ADJ_MASC[kind]
        return _by_table(word, case, cut, endings)

    # Russian possessive: Иванов, Пушкин; Иванова, Пушкина.
    if re.search(r"(ов|ев|ёв|ин|ын)$", lower):
        if sex == "F":
            raise _Unsure(
                f"Фамилия «{whole}» похожа на мужскую, а человек — женщина: проверьте фамилию и падеж вручную."
            )
        return _by_table(word, case, *_RUSSIAN_MASC)
    if re.search(r"(ова|ева|ёва|ина|ына)$", lower):
        if sex == "M":
            # A man's Глинка declines as a noun; a man's «Иванова» is most likely a mistake.
            raise _Unsure(
                f"Фамилия «{whole}» похожа на женскую, а человек — мужчина: проверьте фамилию и падеж вручную."
            )
        return _by_table(word, case, *_RUSSIAN_FEM)

    # In -а/-я after a consonant: both sexes decline it as a noun (Глинка, Окуджава, Данелия).
    if last == "я" and before == "и":
        return _by_table(word, case, *_NOUN_IA)
    if last in "ая":
        if not _known_surname_or_noun(word):
            # A stressed final -а of a French surname (Дюма, Дега) does not decline: a dictionary
            # has to say which it is.
            raise _Unsure(f"Не удалось определить склонение фамилии «{whole}»: проверьте падеж вручную.")
        if last == "я":
            return _by_table(word, case, *_NOUN_YA)
        return _noun_a(word, case)

    # In a consonant, «й» or «ь»: a woman's does not decline, a man's does.
    if not sex:
        raise _Unsure(
            f"Фамилия «{whole}» склоняется у мужчин и не склоняется у женщин, а пол не указан: "
            "укажите пол или проверьте падеж вручную."
        )
    if sex == "F":
        return word
    noun = _noun_surname_form(word, case)
    if noun is not None:
        return noun
    if last in "йь":
        if lower.endswith("ей") and len(lower) > 4:
            # Соловей → Соловья or Соловея: only the dictionary knows a fleeting vowel.
            raise _Unsure(f"Не удалось определить склонение фамилии «{whole}»: проверьте падеж вручную.")
        return _by_table(word, case, *_MASC_SOFT)
    if last in HISSING:
        return _by_table(word, case, *_MASC_HISSING)
    return _by_table(word, case, *_MASC_HARD)


def _known_surname_or_noun(word: str) -> bool:
    lower = word.lower()
    if not morph().word_is_known(lower):
        return False
    return any(
        parse.tag.POS == "NOUN" and parse.tag.case == "nomn" and "Fixd" not in parse.tag
        for parse in morph().parse(lower)
    )


def _decline_surname(last: str, case: Case, sex: str) -> str:
    return "-".join(_decline_surname_part(part, case, sex, whole=last) for part in last.split("-"))


# First names ----------------------------------------------------------------------------

# What pymorphy3's dictionary of names gets wrong or lacks, with the forms Russian grammar asks.
_FIRST_NAME_FORMS: dict[str, tuple[str, str, str, str]] = {
    "любовь": ("любови", "любови", "любовь", "любовью"),
}


def _first_name_from_dictionary(word: str, case: Case, sex: str) -> str | None:
    lower = word.lower()
    if lower in _FIRST_NAME_FORMS:
        return _graft(word, _FIRST_NAME_FORMS[lower][_ORDER.index(case)])
    if not morph().word_is_known(lower):
        return None
    gender = {"M": "masc", "F": "femn"}.get(sex)
    for parse in morph().parse(lower):
        tag = parse.tag
        if "Name" not in tag or tag.case != "nomn" or tag.number != "sing":
            continue
        if gender and gender not in tag and "ms-f" not in tag:
            continue
        if "Fixd" in tag:
            return word
        inflected = parse.inflect({case.value, "sing"})
        if inflected is not None:
            return _graft(word, inflected.word)
    return None


def _decline_first_name_part(word: str, case: Case, sex: str, *, whole: str, patronymic: str) -> str:
    known = _first_name_from_dictionary(word, case, sex)
    if known is not None:
        return known
    lower = _fold(word)
    if not _RUSSIAN_WORD.fullmatch(lower):
        raise _Unsure(f"Не удалось определить склонение имени «{whole}»: проверьте падеж вручную.")
    last, before = lower[-1], lower[-2]
    if last == "я" and before == "и":
        return _by_table(word, case, *_NOUN_IA)
    if last == "я" and before == "ь":
        return _by_table(word, case, 1, ("и", "е", "ю", "ей"))
    if last in "ая" and before not in VOWELS:
        return _by_table(word, case, *_NOUN_YA) if last == "я" else _noun_a(word, case)
    if last in VOWELS:
        return word  # Нелли, Мари, Алсу, Гаяне, Отто: foreign names in a vowel do not decline
    if not sex:
        raise _Unsure(
            f"Имя «{whole}» склоняется у мужчин и не склоняется у женщин, а пол не указан: "
            "укажите пол или проверьте падеж вручную."
        )
    if sex == "F":
        if last == "ь":
            # Айгуль, Гузель: usage differs (Айгуль and Айгули in the genitive).
            raise _Unsure(f"Не удалось определить склонение имени «{whole}»: проверьте падеж вручную.")
        return word  # Инес, Кармен, Анаит
    if not patronymic:
        raise _Unsure(
            f"Не удалось определить склонение имени «{whole}»: имя не из словаря, а отчества нет — "
            "проверьте падеж вручную."
        )
    if last in "йь":
        return _by_table(word, case, *_MASC_SOFT)
    if last in HISSING:
        return _by_table(word, case, *_MASC_HISSING)
    return _by_table(word, case, *_MASC_HARD)


def _decline_first_name(first: str, case: Case, sex: str, patronymic: str) -> str:
    return "-".join(
        _decline_first_name_part(part, case, sex, whole=first, patronymic=patronymic) for part in first.split("-")
    )


# Patronymics ----------------------------------------------------------------------------

# -ич under stress takes -ом in the instrumental: the fathers' names in a stressed -а (Илья,
# Кузьма, Лука, Фома, Фока). Unstressed: Никитичем, Саввичем, Ерёмичем.
_STRESSED_PATRONYMICS = {"ильич", "кузьмич", "лукич", "фомич", "фокич"}


def _decline_patronymic(middle: str, case: Case) -> str:
    lower = _fold(middle)
    if lower.endswith((" оглы", " кызы", " улы", " кзы")):
        return middle  # Рауф оглы: the word after the father's name does not decline
    if not all(_RUSSIAN_WORD.fullmatch(piece) for piece in lower.split("-")):
        raise _Unsure(f"Не удалось определить склонение отчества «{middle}»: проверьте падеж вручную.")
    if lower.endswith("ич"):
        instrumental = "ом" if lower in _STRESSED_PATRONYMICS else "ем"
        return _by_table(middle, case, 0, ("а", "у", "а", instrumental))
    if lower.endswith(("вна", "чна")):
        return _by_table(middle, case, 1, ("ы", "е", "у", "ой"))
    raise _Unsure(f"Не удалось определить склонение отчества «{middle}»: проверьте падеж вручную.")


# The full name --------------------------------------------------------------------------


def _clean(value: str) -> str:
    return " ".join((value or "").split())


def decline_name(
    last_name: str,
    first_name: str,
    middle_name: str = "",
    case: Case = Case.GENITIVE,
    *,
    sex: str = "",
) -> Declined:
    """The full name «Фамилия Имя Отчество» in `case`.

    `sex` is a hint ("m"/"f" as `registry.Person.sex` stores it, or "M"/"F") that overrides what
    the name says. When any part cannot be declined with confidence, the whole name is returned in the
    nominative with `confident=False` and the first reason found.
    """
    last, first, middle = _clean(last_name), _clean(first_name), _clean(middle_name)
    parts = tuple(part for part in (last, first, middle) if part)
    resolved = name_sex(last, first, middle, sex=sex)
    if case is Case.NOMINATIVE:
        return Declined(" ".join(parts), case, parts, sex=resolved)
    try:
        declined = (
            _decline_surname(last, case, resolved) if last else "",
            _decline_first_name(first, case, resolved, middle) if first else "",
            _decline_patronymic(middle, case) if middle else "",
        )
    except _Unsure as unsure:
        return Declined(" ".join(parts), Case.NOMINATIVE, parts, confident=False, reason=str(unsure), sex=resolved)
    kept = tuple(part for part in declined if part)
    try:
        _cross_check(last, first, middle, kept, case, resolved)
    except _Unsure as unsure:
        return Declined(" ".join(parts), Case.NOMINATIVE, parts, confident=False, reason=str(unsure), sex=resolved)
    return Declined(" ".join(kept), case, kept, sex=resolved)


# The second opinion ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _petrovich():
    """pytrovich's declension maker (the petrovich rules), loaded once per process."""
    from pytrovich.maker import PetrovichDeclinationMaker

    return PetrovichDeclinationMaker()


def _trusted(word: str, role: str, sex: str) -> bool:
    """A part whose form comes from a rule that knows better than the petrovich rules: a man's
    surname that is a common noun (Заяц → Зайца, Соловей → Соловья, where petrovich says Заяца,
    Соловея), a surname in -а that is a common noun (Ворона → Вороны, not «Вороной»), a first
    name of our own table, a stressed patronymic (Ильичом)."""
    lower = word.lower()
    if role == "last":
        if sex == "M" and lower[-1:] not in VOWELS and _noun_surname_form(word, Case.GENITIVE) is not None:
            return True
        return lower.endswith("а") and not _FEMALE_SURNAME.search(lower) and _known_surname_or_noun(word)
    if role == "first":
        return lower in _FIRST_NAME_FORMS
    return _fold(word) in _STRESSED_PATRONYMICS


_PART_LABELS = {"last": "фамилии", "first": "имени", "middle": "отчества"}


def _cross_check(last: str, first: str, middle: str, forms: tuple[str, ...], case: Case, sex: str) -> None:
    """Every part's form must be the one the petrovich rules (pytrovich) give, an independent
    set of rules, unless our rule for it is `_trusted`; where the two disagree, neither is
    printed. The letter «ё» is not compared: petrovich writes «е»."""
    from pytrovich.enums import Case as PCase
    from pytrovich.enums import Gender, NamePart

    gender = {"M": Gender.MALE, "F": Gender.FEMALE}.get(sex, Gender.ANDROGYNOUS)
    roles = (("last", last, NamePart.LASTNAME), ("first", first, NamePart.FIRSTNAME))
    roles += (("middle", middle, NamePart.MIDDLENAME),)
    present = [(role, value, part) for role, value, part in roles if value]
    for (role, value, part), ours in zip(present, forms, strict=True):
        if role == "middle" and _fold(value).endswith((" оглы", " кызы", " улы", " кзы")):
            continue
        theirs = _petrovich().make(part, gender, PCase[case.name], value, known_gender=bool(sex))
        if _fold(theirs) == _fold(ours):
            continue
        pieces = zip(value.split("-"), ours.split("-"), theirs.split("-"), strict=False)
        if all(_fold(a) == _fold(b) or _trusted(word, role, sex) for word, a, b in pieces):
            continue
        raise _Unsure(
            f"Не удалось определить склонение {_PART_LABELS[role]} «{value}»: правила расходятся "
            f"(«{ours}» или «{theirs}») — проверьте падеж вручную."
        )


# Initials -------------------------------------------------------------------------------


def initials(first_name: str, middle_name: str = "") -> str:
    """«С.\u00a0В.»: the initials of the first name and the patronymic, joined by a no-break
    space so that they never part at a line's end; a double name keeps its hyphen («А.-М.»)."""
    letters = []
    for part in (_clean(first_name), _clean(middle_name)):
        if part:
            letters.append("-".join(f"{piece[0].upper()}." for piece in part.split("-") if piece))
    return NBSP.join(letters)


def initials_before(last_name: str, first_name: str, middle_name: str = "") -> str:
    """«С.\u00a0В.\u00a0Гаврилова»: the initials before the surname, as ГОСТ Р 7.0.97-2016
    (реквизит «Подпись») prints the name under a signature; no-break spaces between the
    initials and before the surname keep the name on one line."""
    head = initials(first_name, middle_name)
    last = _clean(last_name)
    return f"{head}{NBSP}{last}" if head and last else head or last


def initials_after(last_name: str, first_name: str, middle_name: str = "") -> str:
    """«Гаврилова С.\u00a0В.»: the surname, then the initials (lists, tables, letters); a line may
    break after the surname, never between the initials."""
    head = initials(first_name, middle_name)
    last = _clean(last_name)
    return f"{last} {head}" if head and last else last or head


# Positions ------------------------------------------------------------------------------

_ABBREVIATION = re.compile(r"^[A-ZА-ЯЁ0-9]{2,}$")
_ACTING = re.compile(r"^(и\.\s?о\.|врио)\s", re.IGNORECASE)


def _match_case_of(original: str, form: str) -> str:
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


# Job titles of a school that pymorphy3's dictionary lacks, declined as these dictionary words.
_POSITION_LIKE = {"тьютор": "ректор"}


def _position_parse(word: str, kinds: tuple[str, ...]):
    lower = word.lower()
    if lower in _POSITION_LIKE:
        like = _Like(_POSITION_LIKE[lower], lower, kinds)
        return like if like.model is not None else None
    if not morph().word_is_known(lower):
        return None
    for parse in morph().parse(lower):
        tag = parse.tag
        if tag.POS in kinds and tag.case == "nomn" and tag.number == "sing" and "Fixd" not in tag:
            return parse
    return None


class _Like:
    """A word pymorphy3 does not know, declined as a dictionary word of the same pattern
    (тьютор as ректор: тьютора, тьютору, тьютором)."""

    def __init__(self, model: str, word: str, kinds: tuple[str, ...]):
        self.model = _position_parse(model, kinds)
        self.word = word
        self.tag = self.model.tag if self.model else None

    def inflect(self, grammemes):
        form = self.model.inflect(grammemes) if self.model else None
        if form is None:
            return None
        common = len(self.model.word)
        return form._replace(word=self.word + form.word[common:])


def _decline_position_word(parse, case: Case, original: str, gender: str | None) -> str:
    grammemes = {case.value, "sing"}
    if gender and parse.tag.POS in ("ADJF", "PRTF"):
        grammemes.add(gender)
    if case is Case.ACCUSATIVE:
        grammemes.add("anim")  # a position names a person: «назначить методиста», «старшего вожатого»
    inflected = parse.inflect(grammemes)
    if inflected is None and "anim" in grammemes:
        inflected = parse.inflect(grammemes - {"anim"})
    if inflected is None:
        raise _Unsure(original)
    return _match_case_of(original, inflected.word)


def decline_position(position: str, case: Case) -> Declined:
    """A school's job title in `case`: «учитель математики» → «учителя математики»,
    «заместитель директора по УВР» → «заместителю директора по УВР», «старший вожатый» →
    «старшим вожатым». Only the head phrase declines (the adjectives and the first noun); the
    words after it (a genitive, «по УВР»), abbreviations and quoted names stay as written."""
    text = _clean(position)
    if case is Case.NOMINATIVE or not text or _ACTING.match(text):
        # «и. о. директора» reads «исполняющего обязанности директора» in every case as written.
        return Declined(text, case, (text,) if text else ())
    if ", " in text:
        # «учитель, классный руководитель»: each position of the list by itself.
        items = [decline_position(item, case) for item in text.split(", ")]
        unsure = next((item for item in items if not item.confident), None)
        if unsure is not None:
            return Declined(text, Case.NOMINATIVE, (text,), confident=False, reason=unsure.reason)
        joined = ", ".join(item.text for item in items)
        return Declined(joined, case, (joined,))
    words = text.split(" ")
    out = list(words)
    unsure = Declined(
        text,
        Case.NOMINATIVE,
        (text,),
        confident=False,
        reason=f"Не удалось определить склонение должности «{text}»: проверьте падеж вручную.",
    )
    adjectives: list[tuple[int, object]] = []
    head_noun = None
    for index, word in enumerate(words):
        if _ABBREVIATION.match(word) or word.startswith(("«", '"')):
            break
        pieces = word.split("-")
        nouns = [_position_parse(piece, ("NOUN",)) for piece in pieces]
        adjective = _position_parse(word, ("ADJF", "PRTF")) if len(pieces) == 1 else None
        next_word = words[index + 1] if index + 1 < len(words) else ""
        if adjective is not None and _heads_a_phrase(next_word):
            adjectives.append((index, adjective))  # «старший» in «старший вожатый»
            continue
        if all(noun is not None for noun in nouns):
            head_noun = (index, nouns)
        elif adjective is not None:
            head_noun = (index, [adjective])  # a noun made of an adjective: «дежурный»
        break
    if head_noun is None:
        return unsure
    index, parses = head_noun
    gender = parses[0].tag.gender
    try:
        out[index] = "-".join(
            _decline_position_word(parse, case, piece, None)
            for parse, piece in zip(parses, words[index].split("-"), strict=True)
        )
        for adjective_index, adjective in adjectives:
            out[adjective_index] = _decline_position_word(adjective, case, words[adjective_index], gender)
    except _Unsure:
        return unsure
    result = " ".join(out)
    return Declined(result, case, (result,))


def _heads_a_phrase(word: str) -> bool:
    """Whether `word` can go on the head phrase of a position: a noun or an adjective in the
    nominative singular (not «директора», «математики», «по», «УВР»)."""
    if not word or _ABBREVIATION.match(word) or word.startswith(("«", '"')):
        return False
    return _position_parse(word.split("-")[0], ("NOUN", "ADJF", "PRTF")) is not None


# Pupils ---------------------------------------------------------------------------------

_CLASS = re.compile(r"^\s*(\d{1,2})\s*[-–—]?\s*[«\"']?\s*([А-ЯЁа-яё])?\s*[»\"']?\s*(?:класс)?\s*$")

_PUPIL = {
    "M": {
        Case.NOMINATIVE: "обучающийся",
        Case.GENITIVE: "обучающегося",
        Case.DATIVE: "обучающемуся",
        Case.ACCUSATIVE: "обучающегося",
        Case.INSTRUMENTAL: "обучающимся",
    },
    "F": {
        Case.NOMINATIVE: "обучающаяся",
        Case.GENITIVE: "обучающейся",
        Case.DATIVE: "обучающейся",
        Case.ACCUSATIVE: "обучающуюся",
        Case.INSTRUMENTAL: "обучающейся",
    },
}
_CLASS_WORD = "класса"  # «9 «А» класса» in every case: the class is the pupil's genitive attribute


def pupil_description(class_name: str, case: Case, *, sex: str = "") -> Declined:
    """«обучающегося 9\u00a0«А» класса» from the class "9А" ("9 А", "9-А", "9а"): the word
    «обучающийся» declines as an adjective (обучающемуся, обучающимся; «обучающаяся» for `sex`
    "F"), the class stays in the genitive. A no-break space keeps the number with its letter.
    A class that cannot be read comes back with confident=False."""
    sex = sex_hint(sex)
    word = _PUPIL["F" if sex == "F" else "M"][case]
    match = _CLASS.match(class_name or "")
    if not match:
        return Declined(
            f"{_PUPIL['F' if sex == 'F' else 'M'][Case.NOMINATIVE]} {_clean(class_name)}".strip(),
            Case.NOMINATIVE,
            confident=False,
            reason=f"Не удалось разобрать класс «{class_name}»: укажите класс как «9А».",
        )
    number, letter = match.groups()
    grade = f"{number}{NBSP}«{letter.upper()}»" if letter else number
    text = f"{word} {grade} {_CLASS_WORD}"
    return Declined(text, case, (word, grade, _CLASS_WORD))


__all__ = [
    "NBSP",
    "Case",
    "Declined",
    "decline_name",
    "decline_position",
    "initials",
    "initials_after",
    "initials_before",
    "name_sex",
    "pupil_description",
    "sex_hint",
]
