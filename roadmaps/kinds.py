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

from django.core.exceptions import ValidationError

from core.declension import Case
from core.documents import Appendix, Item
from core.issuing import subject_ids
from registry.models import Municipality
from registry.orders import IssuerOrder, Official, authority_genitive, capitalized, joined
from roadmaps.exporters import RoadmapPrint
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

__all__ = ["KINDS", "CmnOrder", "MunicipalCmnOrder", "SchoolCmnOrder", "WorkingGroupOrder"]
