"""The school's order on pairs (приказ «О закреплении наставнических пар (групп)»): a document kind
of the register, whose issue approves its pairs.

Seed 002, the school's roadmap, item 8: «Издание приказа о закреплении наставнических пар/групп с
письменного согласия их участников на возложение на них дополнительных обязанностей, связанных с
наставнической деятельностью». Положение §3.6: «Утверждение кандидатуры наставника осуществляется
приказом организации». So the curator prepares the order from the drafts awaiting approval (or
from the pairs they choose), the director issues it with a number and a date (core.issuing), and
issuing approves those pairs with that order through `services.pairs_approve`, the same service
and rules as the approval by hand: a pair that breaks a rule refuses the whole issue.

Each pair is an item in the wording of issue 10 §3: «Назначить {наставник, вин. п.}, {должность
или «обучающегося 9 «А» класса», вин. п.}, наставником {наставляемый, род. п.}, {должность или
класс, род. п.}, на период с DD.MM.YYYY по DD.MM.YYYY.»; a group names its mentees one after
another in the genitive. Then the curator's item (dative) and the control item (accusative). A name
that cannot be declined with confidence is printed in the nominative and listed in `warnings()`
for the director to read before signing (core.declension).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from core.declension import (
    Case,
    Declined,
    decline_name,
    decline_position,
    initials_after,
    pupil_description,
)
from core.documents import Appendix, Item
from core.issuing import subject_ids
from mentorship.models import Pair, PairMember, PairStatus
from registry.choices import BaseRole, ConsentKind, PersonCategory
from registry.models import Organization
from registry.orders import IssuerOrder, Official, capitalized

#: What the curator is charged with (Положение: the curator organizes the pairs' work and keeps
#: the registry of mentorship; seed 002 items 2.1–2.2).
CURATOR_DUTY = (
    "обеспечить организационно-методическое сопровождение работы наставнических пар (групп), "
    "контроль выполнения индивидуальных планов и внесение сведений о наставнических парах (группах) "
    "в реестр наставничества"
)


def grounds_text(organization: Organization) -> str:
    """The grounds paragraph: the Положение and the participants' written consents (seed 002 item 8)."""
    return (
        "В соответствии с Положением о программе наставничества "
        f"{organization.short_name}, на основании письменного согласия участников наставнических пар "
        "(групп) на возложение на них дополнительных обязанностей, связанных с наставнической "
        "деятельностью, в целях реализации целевой модели наставничества"
    )


@dataclass
class _Said:
    """A person as the order speaks of them in one case: the name and what they are, and the
    doubts (unconfident forms) the issuer must read."""

    name: Declined
    what: Declined

    @property
    def text(self) -> str:
        return f"{self.name.text}, {self.what.text}" if self.what.text else self.name.text

    def doubts(self) -> list[str]:
        return [part.reason for part in (self.name, self.what) if not part.confident and part.reason]


def person_said(person, case: Case) -> _Said:
    """A participant named in `case`: the full name and the position, or «обучающегося 9 «А»
    класса», or «студента», with a partner's employee's organization after the position."""
    name = decline_name(person.last_name, person.first_name, person.middle_name, case, sex=person.sex)
    sex = name.sex or person.sex  # the sex the name was declined for: the patronymic's first
    if person.category == PersonCategory.STUDENT:
        what = pupil_description(person.class_name, case, sex=sex)
    elif person.category == PersonCategory.UNDERGRADUATE:
        what = decline_position("студентка" if (sex or "").lower() == "f" else "студент", case)
    else:
        what = decline_position(person.position or person.get_category_display().lower(), case)
        if person.category == PersonCategory.EMPLOYER and person.organization.short_name:
            what = Declined(f"{what.text} {person.organization.short_name}", what.case, confident=what.confident,
                            reason=what.reason)  # fmt: skip
    return _Said(name, what)


def _joined(parts: list[str]) -> str:
    """The mentees of a group one after another: «А, учителя, и Б, учителя». Each is named with its
    apposition («…, обучающейся 6 «Б» класса»), which a comma closes before «и» as well."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", и " + parts[-1]


class PairOrder(IssuerOrder):
    """Приказ «О закреплении наставнических пар (групп)» of a school (Положение §3.6, seed 002 item 8)."""

    code = "pair_order"
    title = "О закреплении наставнических пар (групп)"
    registered = True
    issuer_level = "organization"
    #: An order of more pairs than this is rendered by the worker (issue 10 §4: «an order with
    #: hundreds of pairs»): 150 pairs are about 10 pages, some 2 seconds.
    worker_items = 150

    def __init__(self, organization: Organization, pairs: list[Pair]):
        self.organization = organization
        self.pairs = pairs
        self.grounds = grounds_text(organization) + ","

    @property
    def municipality(self):
        # Read only for an authority's order (its header, its signature): a school's order never
        # fetches it.
        return self.organization.municipality

    # --- The register's side -------------------------------------------------------------

    @classmethod
    def from_document(cls, document) -> PairOrder:
        return cls(document.organization, load_pairs(subject_ids(document, Pair)))

    @classmethod
    def for_command(cls, *, organization=None, municipality=None, pair=None) -> PairOrder:
        """`render_document pair_order --organization ID`: the school's drafts awaiting approval."""
        from mentorship.selectors import AWAITING

        if organization is None:
            raise ValueError("Приказ о закреплении пар издаёт организация: укажите --organization ID.")
        ids = list(Pair.objects.filter(AWAITING, organization=organization).order_by("pk").values_list("pk", flat=True))
        if not ids:
            raise ValueError(
                f"У организации «{organization.short_name}» нет черновиков пар, направленных на утверждение: "
                "приказу нечего закреплять."
            )
        return cls.for_pairs(organization, ids)

    @classmethod
    def for_pairs(cls, organization: Organization, pair_ids) -> PairOrder:
        """The order on the chosen pairs; every pair must be the school's own (§3.6: the order of
        the organization fixes its pairs), whoever prepares it and from wherever."""
        order = cls(organization, load_pairs(pair_ids))
        order.check_pairs()
        return order

    def check_pairs(self) -> None:
        if not self.pairs:
            raise ValidationError("Отметьте пары, которые войдут в приказ.")
        foreign = [f"№ {pair.pk}" for pair in self.pairs if pair.organization_id != self.organization.pk]
        if foreign:
            raise ValidationError(
                f"Один приказ закрепляет пары одной организации ({self.organization.short_name}); "
                f"пары другой организации: {', '.join(foreign)}. Отметьте пары одной школы."
            )

    def subjects(self) -> list:
        return list(self.pairs)

    def size(self) -> int:
        return len(self.pairs)

    def expected_pages(self) -> int:
        """About five pairs a page, the order's items and the appendix's rows together (500 pairs
        of two teachers with their consents: 81 to 103 pages, by the length of the names and
        positions). Rather more than fewer: the bar then ends with a jump, not a long wait."""
        return 2 + len(self.pairs) // 5

    def issuing(self, *, document, user, today: datetime.date) -> None:
        """§3.6: the order approves its pairs, with its number and date, by the approval's own rules."""
        from mentorship.services import pairs_approve

        self.check_pairs()
        approval = pairs_approve(pairs=self.pairs, number=self.number, date=self.date, user=user, today=today)
        if approval.document_id is None:
            approval.document = document
            approval.save(update_fields=["document"])

    def warnings(self) -> list[str]:
        warnings = []
        if not self.organization.director_name:
            warnings.append(
                "Не указан руководитель организации: подпись приказа будет пустой. Укажите ФИО руководителя "
                "в карточке организации («Для документов»)."
            )
        if not self.curators():
            warnings.append("В организации не назначен куратор ЦМН: пункты о кураторе и о контроле не войдут в приказ.")
        warnings += super().warnings()  # the curators' names and positions in their cases
        for pair in self.pairs:
            doubts = [*person_said(pair.mentor, Case.ACCUSATIVE).doubts()]
            for member in pair.current_mentees:
                doubts += person_said(member.person, Case.GENITIVE).doubts()
            warnings += [f"Пара № {pair.pk}: {doubt}" for doubt in dict.fromkeys(doubts)]
        not_drafts = [f"№ {pair.pk}" for pair in self.pairs if pair.status != PairStatus.DRAFT]
        if not_drafts:
            warnings.append(
                f"Уже не черновики (утверждены или изменены после подготовки): {', '.join(not_drafts)}. "
                "Удалите проект и подготовьте приказ заново."
            )
        return list(dict.fromkeys(warnings))

    # --- The text ------------------------------------------------------------------------

    def curators(self) -> list[Official]:
        """The school's curators of the ЦМН (their role), with the patronymic and the position of
        their profile: the order charges them with the pairs' support and the control."""
        if not hasattr(self, "_curators"):
            from core.choices import Role
            from core.models import RoleAssignment

            holders = (
                RoleAssignment.objects.filter(role=Role.CURATOR, organization=self.organization)
                .select_related("user__profile")
                .order_by("user__last_name", "user__first_name", "pk")
            )
            self._curators = []
            for assignment in holders:
                curator = Official.of_user(assignment.user)
                curator.position = curator.position or "куратор целевой модели наставничества"
                self._curators.append(curator)
        return self._curators

    def controllers(self) -> list[Official]:
        return self.curators()

    def pair_item(self, pair: Pair) -> str:
        mentor = person_said(pair.mentor, Case.ACCUSATIVE)
        mentees = [person_said(member.person, Case.GENITIVE).text for member in pair.current_mentees]
        return (
            f"Назначить {mentor.text}, наставником {_joined(mentees) if mentees else '…'}, "
            f"на период с {pair.start_on:%d.%m.%Y} по {pair.end_on:%d.%m.%Y}."
        )

    def items(self) -> list[Item | str]:
        pairs = [self.pair_item(pair) for pair in self.pairs]
        items: list[Item | str] = (
            [Item("Закрепить наставнические пары (группы):", items=pairs)] if len(pairs) > 1 else list(pairs)
        )
        curators = self.curators()
        if curators:
            charged = ", ".join(self.wording.named(curator, Case.DATIVE) for curator in curators)
            items.append(f"{capitalized(charged)}, {CURATOR_DUTY}.")
        items.append(self.control_item())
        return items

    def named_people(self) -> list[Official]:
        """«С приказом ознакомлены:» the curators and every mentor the order appoints."""
        mentors = [
            Official(pair.mentor.last_name, pair.mentor.first_name, pair.mentor.middle_name) for pair in self.pairs
        ]
        return [*self.curators(), *mentors]

    def appendices(self) -> list[Appendix]:
        return [
            Appendix(
                "documents/pair_order_list.html",
                {"rows": self.list_rows()},
                title="Список наставнических пар (групп) и согласий их участников",
            )
        ]

    def list_rows(self) -> list[dict]:
        """The appendix: every pair with its form, people, period and the consents on file (DESIGN:
        «with the list of pairs and the consents»)."""
        rows = []
        for number, pair in enumerate(self.pairs, start=1):
            people = [pair.mentor, *(member.person for member in pair.current_mentees)]
            rows.append(
                {
                    "number": number,
                    "form": pair.form.name,
                    "mentor": short_name(pair.mentor),
                    "mentees": [short_name(m.person) for m in pair.current_mentees],
                    "period": f"{pair.start_on:%d.%m.%Y} – {pair.end_on:%d.%m.%Y}",
                    "consents": [_consents_line(person) for person in people],
                }
            )
        return rows

    def filename(self) -> str:
        if self.number and self.date:
            return f"Приказ № {self.number} от {self.date:%d.%m.%Y} о закреплении наставнических пар.pdf"
        return "Проект приказа о закреплении наставнических пар.pdf"

    def count(self, context: dict) -> int:
        return len(self.pairs)


def short_name(person) -> str:
    """«Хохлов Т. А.»: a participant in the appendix's table."""
    return initials_after(person.last_name, person.first_name, person.middle_name)


def _consents_line(person) -> str:
    """«Петров П. П.: участие, обработка ПД от 01.09.2025» — the consents in force on file, those
    signed the same day under one date (a pair's consents are mostly signed together: the line
    stays short, and the appendix of 500 pairs a third shorter)."""
    labels = {
        ConsentKind.PERSONAL_DATA: "обработка ПД",
        ConsentKind.MENTORING: "участие",
        ConsentKind.PARENT: "родителя",
    }
    by_date: dict[datetime.date, list[str]] = {}
    for consent in person.consents.all():
        if consent.withdrawn_on is None:
            by_date.setdefault(consent.signed_on, []).append(labels.get(consent.kind, consent.get_kind_display()))
    signed = [f"{', '.join(kinds)} от {day:%d.%m.%Y}" for day, kinds in sorted(by_date.items())]
    return f"{short_name(person)}: {'; '.join(signed) if signed else 'нет согласия'}"


def load_pairs(pair_ids) -> list[Pair]:
    """The pairs of an order in one go, in the order of their ids, with everything the text reads:
    the mentor, the current mentees (with organizations and consents), the form."""
    current = (
        PairMember.objects.filter(role=BaseRole.MENTEE, left_on__isnull=True)
        .select_related("person__organization")
        .prefetch_related("person__consents")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    pairs = (
        Pair.objects.filter(pk__in=list(pair_ids))
        .select_related("form", "organization", "mentor__organization")
        .prefetch_related("mentor__consents", Prefetch("members", queryset=current, to_attr="current_mentees"))
        .order_by("pk")
    )
    return list(pairs)
