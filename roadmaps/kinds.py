"""The orders that set up the target model of mentorship (ЦМН), kept in the register (issue 10
§1–§2): the order «О внедрении целевой модели наставничества» of a school or of the municipality,
with the Положение and the roadmap as appendices, and the municipality's order on the municipal
coordinator and the working group.

They are document kinds (core.documents) registered in `RoadmapsConfig.ready`: prepared as a
draft by a page of this app (`core.issuing.document_prepare`), issued by the register.

The wording follows the seeds: seed 000 (Назарово, приказ № 122\\1-о of 26.05.2020 «О внедрении
целевой модели наставничества в образовательных организациях города Назарово»: the grounds,
«Назначить ответственным за внедрение … Цветцых Н.Д.», «Информационно-методическому отделу …
обеспечить:», «Руководителям муниципальных образовательных организаций: - назначить кураторов …»,
«Контроль за исполнением настоящего приказа возложить на Селезневу Е.В.»); seed 001 (Устюжна,
приказ № 135/1: «1. Утвердить: 1.1. План мероприятий (дорожную карту) … (приложение 1). 1.2.
Положение о программе наставничества … (приложение 2). 1.3. Состав муниципальной рабочей группы …
(приложение 3). 2. Назначить Соловьеву Ольгу Вячеславовну, специалиста …, муниципальным
координатором …», «Контроль за исполнением настоящего приказа оставляю за собой»); seed 004
(Саянск, распоряжение: «Назначить Шестакову Т. В., методиста МОУ ДПО ЦРО, муниципальным
координатором …», «3.4. Назначить куратора реализации программ наставничества»).

Why two codes for the ЦМН order (`cmn_order_school`, `cmn_order_municipal`) and not one with the
level in its params: the register reads `issuer_level` from the kind's class (who issues it, whose
number it takes), and the two orders say different things (a school appoints its curator, the
authority its coordinator and charges the schools' heads): one class each, one shared base.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cached_property

from django.core.exceptions import ValidationError

from core.declension import Case, decline_name, decline_position, initials_before
from core.documents import Appendix, DocumentKind, Item
from core.issuing import subject_ids
from core.profiles import stored_profile
from registry.choices import OrderKind
from registry.models import Municipality, Organization, signature_name
from roadmaps.exporters import RoadmapPrint, authority_genitive
from roadmaps.models import Roadmap

#: The grounds of an order on the ЦМН as seed 000 words them (and seed 001 repeats).
CMN_GROUNDS = (
    "В соответствии с распоряжением Министерства просвещения Российской Федерации от 25.12.2019 № Р-145 "
    "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, осуществляющих "
    "образовательную деятельность по общеобразовательным, дополнительным общеобразовательным и программам "
    "среднего профессионального образования, в том числе с применением лучших практик обмена опытом между "
    "обучающимися», письмом Министерства просвещения Российской Федерации от 23.01.2020 № МР-42/02 "
    "«О направлении целевой модели наставничества и методических рекомендаций»,"
)
#: The grounds of the order on the working group: seed 000's, and the municipal roadmap's item
#: «Утверждение состава муниципальных рабочих групп по внедрению ЦМН» (seed 001).
WORKING_GROUP_GROUNDS = (
    CMN_GROUNDS[:-1] + ", в целях организационного обеспечения внедрения целевой модели наставничества,"
)

DOCUMENTS_CSS = "css/documents-orders.css"


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

    def named_people(self) -> list[Official]:
        """Whom the order names and must read it: «С приказом ознакомлены:» (seed 000)."""
        return [self.controller] if self.controller else []

    def control_item(self) -> str:
        act = f"настоящего {self.act_genitive}"
        if self.controller is None:
            return f"Контроль за исполнением {act} оставляю за собой."
        return f"Контроль за исполнением {act} возложить на {self.wording.named(self.controller, Case.ACCUSATIVE)}."

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


# --- The order on the ЦМН --------------------------------------------------------------------


def roadmap_accusative(title: str) -> str:
    """«Дорожная карта внедрения …» → «Дорожную карту внедрения …» (seed 000 item 4: «Утвердить
    Дорожную карту внедрения целевой модели наставничества …»); «План мероприятий (дорожная карта)
    …» stays (an inanimate masculine noun); any other title is quoted after «дорожную карту»."""
    text = " ".join(title.split())
    match = re.match(r"^(«?)([Дд])орожная карта", text)
    if match:
        return f"{match[1]}{match[2]}орожную карту{text[match.end() :]}"
    if re.match(r"^«?План\b", text):
        return text
    return f"дорожную карту «{text}»"


class CmnOrder(IssuerOrder):
    """The order «О внедрении целевой модели наставничества» (issue 10 §1): it appoints who
    leads the model's introduction, approves the Положение о программе наставничества and the
    roadmap, both as appendices (the roadmap's print view as the appendix table). Subjects: the
    roadmap. A school's order or the authority's: `SchoolCmnOrder`, `MunicipalCmnOrder`."""

    title = "О внедрении целевой модели наставничества"

    def __init__(
        self,
        roadmap: Roadmap,
        *,
        appointees: list[Official],
        controller: Official | None = None,
        grounds: str = CMN_GROUNDS,
        polozhenie: bool = True,
    ):
        self.roadmap = roadmap
        self.municipality = roadmap.municipality
        self.organization = roadmap.organization
        self.appointees = appointees
        self.controller = controller
        self.grounds = grounds
        self.polozhenie = polozhenie

    @staticmethod
    def for_roadmap(roadmap: Roadmap) -> type[CmnOrder]:
        return MunicipalCmnOrder if roadmap.is_municipal else SchoolCmnOrder

    @classmethod
    def from_document(cls, document) -> CmnOrder:
        roadmap = (
            Roadmap.objects.select_related("municipality", "organization")
            .filter(pk__in=subject_ids(document, Roadmap))
            .first()
        )
        if roadmap is None:
            raise ValidationError("Дорожная карта этого проекта удалена: подготовьте приказ заново.")
        params = document.params
        return cls(
            roadmap,
            appointees=[Official.from_params(data) for data in params.get("appointees", [])],
            controller=cls.controller_from(params),
            grounds=params.get("grounds", ""),
            polozhenie=params.get("polozhenie", True),
        )

    def subjects(self) -> list:
        return [self.roadmap]

    def params(self) -> dict:
        return {
            **self.base_params(),
            "appointees": [official.to_params() for official in self.appointees],
            "polozhenie": self.polozhenie,
        }

    def named_people(self) -> list[Official]:
        return [*self.appointees, *super().named_people()]

    # The appendices: the Положение first (as seed 001 numbers them after the roadmap, the order
    # of the items here: «Утвердить: Положение … (приложение № 1); дорожную карту … (приложение № 2)»).

    def appendix_numbers(self) -> tuple[str, str]:
        """«(приложение № 1)» after the Положение and after the roadmap; one appendix: «(приложение)»."""
        if not self.polozhenie:
            return "", "(приложение)"
        return "(приложение № 1)", "(приложение № 2)"

    def polozhenie_title(self) -> str:
        return f"Положение о программе наставничества {self.polozhenie_scope()}"

    def polozhenie_scope(self) -> str:
        raise NotImplementedError

    def appendices(self) -> list[Appendix]:
        appendices = []
        if self.polozhenie:
            appendices.append(
                Appendix(
                    template_name="documents/polozhenie.html",
                    context={
                        "issuer": self.issuer,
                        "organization": self.organization,
                        "scope": self.polozhenie_scope(),
                    },
                    title=self.polozhenie_title(),
                    stylesheets=(DOCUMENTS_CSS,),
                )
            )
        appendices.append(RoadmapPrint(self.roadmap).appendix())
        return appendices

    def approve_item(self) -> Item:
        polozhenie_number, roadmap_number = self.appendix_numbers()
        approved = []
        if self.polozhenie:
            approved.append(f"{self.polozhenie_title()} {polozhenie_number}.")
        approved.append(f"{capitalized(roadmap_accusative(self.roadmap.title))} {roadmap_number}.")
        return Item("Утвердить:", approved)

    def appointed(self, role: str) -> str:
        """«Шестакову Татьяну Васильевну, методиста, куратором …» for one; «… и …, кураторами»."""
        people = joined([self.wording.named(official, Case.ACCUSATIVE) for official in self.appointees])
        return f"Назначить {people}, {role}"

    def responsible(self) -> str:
        """«Заместителю директора Шестаковой Татьяне Васильевне» (the dative: «… обеспечить:»)."""
        return capitalized(joined([self.wording.addressed(official) for official in self.appointees]))


class SchoolCmnOrder(CmnOrder):
    """A school's order on the ЦМН: appoints the school's curator — the holder(s) of the curator
    role of the organization (seed 000 item 6: «назначить кураторов внедрения целевой модели
    наставничества в образовательной организации»; seed 004 item 3.4: «Назначить куратора
    реализации программ наставничества, отвечающего за сопровождение реализации программ
    наставничества»), approves the school's Положение and roadmap (seed 001 items 4.1, 4.2)."""

    code = "cmn_order_school"
    issuer_level = "organization"

    def polozhenie_scope(self) -> str:
        return f"в {self.organization}"

    def items(self) -> list[Item | str]:
        curators = "кураторами" if len(self.appointees) > 1 else "куратором"
        items: list[Item | str] = [
            "Организовать внедрение целевой модели наставничества обучающихся в образовательной организации "
            "в соответствии с Дорожной картой.",
            self.approve_item(),
        ]
        if self.appointees:
            items.append(
                self.appointed(
                    f"{curators} внедрения целевой модели наставничества в образовательной организации, "
                    "отвечающим за сопровождение реализации программ наставничества."
                )
            )
            items.append(
                Item(
                    f"{self.responsible()} обеспечить:",
                    dashes=[
                        "формирование базы наставников и базы наставляемых;",
                        "персонализированный учет обучающихся, молодых специалистов и педагогов, участвующих "
                        "в программе наставничества;",
                        "проведение внутреннего мониторинга реализации программы наставничества;",
                        "исполнение мероприятий Дорожной карты в установленные сроки.",
                    ],
                )
            )
        items.append(self.control_item())
        return items


class MunicipalCmnOrder(CmnOrder):
    """The authority's order on the ЦМН, after seed 000's items: organize the introduction, approve
    the municipal roadmap (and a model Положение for the schools, seed 001 item 1.2), appoint the
    municipal coordinator (seed 000 item 3, seed 001 item 2), what the coordinator provides (seed
    000 item 5), what the schools' heads do (seed 000 item 6), the control (seed 000 item 7)."""

    code = "cmn_order_municipal"
    issuer_level = "municipality"

    def printed_title(self) -> str:
        return f"{self.title}\nв общеобразовательных организациях"

    def polozhenie_scope(self) -> str:
        return (
            "в общеобразовательных организациях, находящихся в ведении "
            f"{authority_genitive(self.municipality.authority_name)}"
        )

    def items(self) -> list[Item | str]:
        coordinators = "муниципальными координаторами" if len(self.appointees) > 1 else "муниципальным координатором"
        items: list[Item | str] = [
            "Организовать внедрение в муниципальных общеобразовательных организациях целевой модели "
            "наставничества обучающихся для организаций, осуществляющих образовательную деятельность по "
            "общеобразовательным, дополнительным общеобразовательным программам.",
            self.approve_item(),
        ]
        if self.appointees:
            items.append(
                self.appointed(
                    f"{coordinators}, курирующим внедрение целевой модели наставничества на муниципальном уровне."
                )
            )
            items.append(
                Item(
                    f"{self.responsible()} обеспечить:",
                    dashes=[
                        "организационную, методическую, информационную, экспертно-консультационную и "
                        "просветительскую поддержку участников внедрения целевой модели наставничества;",
                        "сбор, анализ, обобщение и внедрение лучших наставнических практик;",
                        "сбор результатов мониторинга реализации программ наставничества в образовательных "
                        "организациях;",
                        "формирование базы наставляемых и наставников.",
                    ],
                )
            )
        items.append(
            Item(
                "Руководителям муниципальных образовательных организаций:",
                dashes=[
                    "назначить кураторов внедрения целевой модели наставничества в образовательной организации;",
                    "разработать и утвердить положение о программе наставничества и план мероприятий "
                    "(«дорожную карту») внедрения целевой модели наставничества в образовательной организации;",
                    "проводить персонализированный учет обучающихся, молодых специалистов и педагогов, "
                    "участвующих в программе наставничества;",
                    "проводить внутренний мониторинг реализации программы наставничества.",
                ],
            )
        )
        items.append(self.control_item())
        return items


# --- The order on the coordinator and the working group -----------------------------------


class WorkingGroupOrder(IssuerOrder):
    """The authority's order «О назначении муниципального координатора и создании муниципальной
    рабочей группы по внедрению целевой модели наставничества» (issue 10 §2): appoints the
    coordinator (seed 001 item 2, seed 004 item 1) and approves the working group's members as an
    appendix table (seed 001 appendix 3: «Состав муниципальной рабочей группы …», the chair first as
    «Председатель рабочей группы», then «Члены рабочей группы:»). No subjects: the members are kept
    in the params as they were prepared."""

    code = "working_group_order"
    issuer_level = "municipality"
    title = (
        "О назначении муниципального координатора и создании муниципальной рабочей группы "
        "по внедрению целевой модели наставничества"
    )

    def __init__(
        self,
        municipality: Municipality,
        *,
        coordinator: Official,
        members: list[Official],
        controller: Official | None = None,
        grounds: str = WORKING_GROUP_GROUNDS,
    ):
        self.municipality = municipality
        self.organization = None
        self.coordinator = coordinator
        # The chair first, as seed 001 lists them; one chair only.
        chairs = [member for member in members if member.chair][:1]
        self.members = chairs + [member for member in members if not member.chair]
        for member in self.members[1:]:
            member.chair = False
        self.controller = controller
        self.grounds = grounds

    @classmethod
    def from_document(cls, document) -> WorkingGroupOrder:
        params = document.params
        return cls(
            document.municipality,
            coordinator=Official.from_params(params["coordinator"]),
            members=[Official.from_params(data) for data in params.get("members", [])],
            controller=cls.controller_from(params),
            grounds=params.get("grounds", ""),
        )

    def params(self) -> dict:
        return {
            **self.base_params(),
            "coordinator": self.coordinator.to_params(),
            "members": [member.to_params() for member in self.members],
        }

    def named_people(self) -> list[Official]:
        return [self.coordinator, *super().named_people()]

    @property
    def chair(self) -> Official | None:
        return self.members[0] if self.members and self.members[0].chair else None

    def group_title(self) -> str:
        return "Состав муниципальной рабочей группы по внедрению целевой модели наставничества"

    def items(self) -> list[Item | str]:
        items: list[Item | str] = [
            f"Назначить {self.wording.named(self.coordinator, Case.ACCUSATIVE)}, муниципальным координатором, "
            "курирующим внедрение целевой модели наставничества на муниципальном уровне.",
            "Создать муниципальную рабочую группу по внедрению целевой модели наставничества и утвердить "
            "ее состав (приложение).",
            Item(
                "Муниципальной рабочей группе обеспечить:",
                dashes=[
                    "координацию внедрения целевой модели наставничества в муниципальных образовательных организациях;",
                    "рассмотрение дорожных карт и положений о программах наставничества образовательных организаций;",
                    "анализ результатов мониторинга реализации программ наставничества.",
                ],
            ),
        ]
        if self.chair is not None:
            items.append(f"Возложить руководство рабочей группой на {self.wording.named(self.chair, Case.ACCUSATIVE)}.")
        items.append(self.control_item())
        return items

    def appendices(self) -> list[Appendix]:
        return [
            Appendix(
                template_name="documents/working_group.html",
                context={"chair": self.chair, "members": self.members[1:] if self.chair else self.members},
                title=self.group_title(),
                stylesheets=(DOCUMENTS_CSS,),
            )
        ]

    def size(self) -> int:
        return len(self.items()) + len(self.members)


KINDS = (SchoolCmnOrder, MunicipalCmnOrder, WorkingGroupOrder)

__all__ = ["KINDS", "CmnOrder", "MunicipalCmnOrder", "Official", "SchoolCmnOrder", "Wording", "WorkingGroupOrder"]
