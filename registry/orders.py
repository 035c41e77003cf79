"""What every order of an issuing body says, whatever it is about (issue 10 §2, ГОСТ Р 7.0.97-2016
as seeds 000, 001 and 004 print orders): the body's requisites (the header, «ПРИКАЗ» or
«РАСПОРЯЖЕНИЕ», the date's style, the place, the signature of its head), the control item, the
people it names in the cases Russian grammar asks, and «С приказом ознакомлены:».

A school or the municipality's education authority issues them: both are the registry's, so the
kinds of the apps above it build on `IssuerOrder` — the order on pairs (mentorship.orders), the
orders on the ЦМН and on the working group (roadmaps.kinds).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property, lru_cache

from core.declension import Case, decline_name, decline_position, initials_before
from core.documents import Appendix, DocumentKind, Item
from core.profiles import stored_profile
from registry.choices import OrderKind
from registry.models import Municipality, Organization, signature_name


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def authority_genitive(name: str) -> str:
    """«Управление образования администрации г. Назарово» → «управления образования
    администрации г. Назарово»: the head noun in the genitive, the rest is already in it (seed
    000: «к приказу управления образования администрации города Назарово»). A name that does not
    start with a noun in the nominative («МКУ …») stays as it is."""
    head, _, rest = name.strip().partition(" ")
    if not head.isalpha() or head.isupper():
        return name.strip()
    parse = next((p for p in _morph().parse(head) if {"NOUN", "nomn", "sing"} <= set(p.tag.grammemes)), None)
    inflected = parse.inflect({"gent"}) if parse else None
    if inflected is None:
        return name.strip()
    return f"{inflected.word} {rest}".strip()


# --- The people an order names -------------------------------------------------------------


@dataclass
class Official:
    """A person an order names: «Фамилия Имя Отчество», the position and the place of work, as
    kept in the draft's params (the order prints what was prepared, whatever the profile says later)."""

    last_name: str
    first_name: str
    middle_name: str = ""
    position: str = ""
    workplace: str = ""
    #: In a working group's list: the chair (председатель рабочей группы, seed 001 appendix 3).
    chair: bool = False
    note: str = ""

    @classmethod
    def of_user(cls, user, workplace: str = "") -> Official:
        """A role holder (core.profiles: the patronymic and the position are in the profile)."""
        profile = stored_profile(user)
        return cls(
            last_name=user.last_name.strip() or user.get_username(),
            first_name=user.first_name.strip(),
            middle_name=(profile.middle_name if profile else "").strip(),
            position=(profile.position if profile else "").strip(),
            workplace=workplace,
        )

    @classmethod
    def from_line(cls, line: str) -> Official:
        """«Фамилия Имя Отчество; должность; место работы» (a member typed on the form). What
        follows the name in brackets («(по согласованию)», seed 001) is kept as a note."""
        parts = [part.strip() for part in line.split(";")]
        name, _, note = parts[0].partition("(")
        words = name.split()
        if len(words) < 2:
            raise ValueError(f"«{line.strip()}»: нужны фамилия и имя (Фамилия Имя Отчество; должность; место работы).")
        return cls(
            last_name=words[0],
            first_name=words[1],
            middle_name=" ".join(words[2:]),
            position=parts[1] if len(parts) > 1 else "",
            workplace="; ".join(parts[2:]) if len(parts) > 2 else "",
            note=f"({note.strip()}" if note.strip() else "",
        )

    @classmethod
    def from_params(cls, data: dict) -> Official:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def to_params(self) -> dict:
        return asdict(self)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def signature(self) -> str:
        """«Е. В. Селезнева»: as «С приказом ознакомлены:» lists the names (seed 000)."""
        return initials_before(self.last_name, self.first_name, self.middle_name)


class Wording:
    """The names and positions of an order in their cases, and what could not be declined with
    confidence: printed in the nominative and named in the kind's `warnings()` (issue 10: a name
    not declined with confidence is never guessed)."""

    def __init__(self):
        self.warnings: list[str] = []

    def _note(self, declined, what: str) -> str:
        if not declined.confident:
            warning = f"{what}: {declined.reason}"
            if warning not in self.warnings:
                self.warnings.append(warning)
        return declined.text

    def name(self, official: Official, case: Case) -> str:
        declined = decline_name(official.last_name, official.first_name, official.middle_name, case)
        return self._note(declined, f"{official.full_name} ({case.label} падеж)")

    def position(self, official: Official, case: Case) -> str:
        if not official.position:
            return ""
        declined = decline_position(official.position, case)
        return self._note(declined, f"Должность «{official.position}» ({case.label} падеж)")

    def named(self, official: Official, case: Case) -> str:
        """«Шестакову Татьяну Васильевну, методиста» (seed 004; seed 001: the name, then the position
        after a comma). The place of work is not printed here: «управление образования» would stay
        in the nominative; a position names its department as seed 000's do, and the working
        group's table has a column for it."""
        position = self.position(official, case)
        name = self.name(official, case)
        return f"{name}, {position}" if position else name

    def addressed(self, official: Official) -> str:
        """«Заместителю директора Шестаковой Татьяне Васильевне» (the dative: «… обеспечить:»)."""
        position = self.position(official, Case.DATIVE)
        name = self.name(official, Case.DATIVE)
        return f"{position} {name}" if position else name


def joined(parts: list[str]) -> str:
    """«А», «А и Б», «А, Б и В»."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " и " + parts[-1]


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- The issuer's requisites ---------------------------------------------------------------


class IssuerOrder(DocumentKind):
    """An order of a school or of the education authority: the requisites of the issuing body
    (the header, ПРИКАЗ or РАСПОРЯЖЕНИЕ, the date's style, the place, the signature: ГОСТ Р
    7.0.97-2016 as seeds 000, 001 and 004 print them) and what every order ends with — the
    control (seed 000 item 7, seed 001 item 5) and «С приказом ознакомлены:»."""

    registered = True

    municipality: Municipality
    organization: Organization | None = None
    grounds: str = ""
    #: Who the control of the order is put on; None: «оставляю за собой» (seed 001 item 5).
    controller: Official | None = None

    @property
    def issuer(self):
        return self.organization or self.municipality

    @property
    def is_directive(self) -> bool:
        """Seed 004: Саянск's authority issues a РАСПОРЯЖЕНИЕ; a school always a приказ."""
        return self.organization is None and self.municipality.order_kind == OrderKind.DIRECTIVE

    @property
    def act_genitive(self) -> str:
        return "распоряжения" if self.is_directive else "приказа"

    @cached_property
    def wording(self) -> Wording:
        return Wording()

    def items(self) -> list[Item | str]:
        raise NotImplementedError

    def appendices(self) -> list[Appendix]:
        return []

    def controllers(self) -> list[Official]:
        """Who the control of the order is put on (the order on pairs: the school's curators)."""
        return [self.controller] if self.controller else []

    def named_people(self) -> list[Official]:
        """Whom the order names and must read it: «С приказом ознакомлены:» (seed 000)."""
        return self.controllers()

    def control_item(self) -> str:
        """Seed 000 item 7: «Контроль за исполнением настоящего приказа возложить на Селезневу Е.В.»
        (the accusative); none named: «оставляю за собой» (seed 001 item 5)."""
        act = f"настоящего {self.act_genitive}"
        controllers = self.controllers()
        if not controllers:
            return f"Контроль за исполнением {act} оставляю за собой."
        named = ", ".join(self.wording.named(official, Case.ACCUSATIVE) for official in controllers)
        return f"Контроль за исполнением {act} возложить на {named}."

    def header_lines(self) -> list[str]:
        if self.organization is not None:
            return [self.organization.full_name or self.organization.short_name]
        return [self.municipality.authority_name]

    def appendix_to(self) -> str:
        """«приказу управления образования администрации г. Назарово» (seed 000's appendix line);
        a school's: «приказу МБОУ «СОШ № 1»»."""
        if self.organization is not None:
            return f"приказу {self.organization}"
        word = "распоряжению" if self.is_directive else "приказу"
        return f"{word} {authority_genitive(self.municipality.authority_name)}"

    def signature(self) -> dict:
        """The position left, «С. В. Гаврилова» right (seed 000)."""
        if self.organization is not None:
            position, name = self.organization.director_position, self.organization.director_name
        else:
            position, name = self.municipality.head_position, self.municipality.head_name
        return {"position": position or "", "name": signature_name(name)}

    def printed_title(self) -> str:
        return self.title

    def context(self) -> dict:
        items = self.items()
        seen, acquainted = set(), []
        for official in self.named_people():
            if official.full_name not in seen:
                seen.add(official.full_name)
                acquainted.append(official.signature)
        return {
            "header_lines": self.header_lines(),
            "kind_word": self.issuer.order_kind_label,
            "date": self.date,
            "number": self.number,
            "date_style": self.issuer.date_style or "words",
            "place": self.issuer.place,
            "title": self.printed_title(),
            "grounds": self.grounds,
            # Seed 004's распоряжение goes from the grounds to its items without a word between.
            "command": "" if self.is_directive else "ПРИКАЗЫВАЮ:",
            "items": items,
            "signature": self.signature(),
            "acquainted": acquainted,
            "acquainted_title": f"С {'распоряжением' if self.is_directive else 'приказом'} ознакомлены:",
            "appendix_to": self.appendix_to(),
            "appendices": self.appendices(),
        }

    def warnings(self) -> list[str]:
        self.wording.warnings.clear()
        self.items()
        return list(self.wording.warnings)

    def size(self) -> int:
        return len(self.items())

    def base_params(self) -> dict:
        return {
            "grounds": self.grounds,
            "controller": self.controller.to_params() if self.controller else None,
        }

    @staticmethod
    def controller_from(params: dict) -> Official | None:
        return Official.from_params(params["controller"]) if params.get("controller") else None
