"""The papers of a pair printed on demand (issue 10 §1): its card, the completion reports and the
mentor's recognition — document kinds (core.documents) registered in `MentorshipConfig.ready`.

None of them is an act of its issuer (`registered = False`): not numbered, not kept in the
register; they are printed when asked and every download is journalled (they name people, minors
among them). A name printed in a case is declined by core.declension; a name it cannot decline
with confidence is printed in the nominative and named in `warnings()` (issue 10 §3).

- `PairCard`: the pair's card — who, what form, from when to when, the approving order
  (Положение §3.6 «Утверждение кандидатуры наставника осуществляется приказом организации»), the
  individual plan (§3.10), the meetings, the replacements (§3.7) and extensions (§3.8).
- `CompletionReport`: the reports at the end (seed 001, Положение §3.12 «наставник составляет отчет
  о выполнении индивидуального плана лицом, в отношении которого осуществлялось наставничество»;
  §3.13 «лицо, в отношении которого осуществлялось наставничество, составляет отчет о процессе
  прохождения наставничества и работе наставника, включая оценку деятельности наставника»), the
  mentor's report approved by the director (§4.1 «утверждает отчет о выполнении индивидуального
  плана»).
- `Gratitude`, `Certificate`: Положение §3.15 «объявление благодарности, награждение почетной
  грамотой организации» — a sheet for the mentor of a completed pair, signed by the director.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.declension import Case, Declined, decline_name, decline_position, pupil_description
from core.documents import DOCUMENTS_STYLESHEET, DocumentKind
from mentorship.models import ENDED_STATUSES, EventKind, MenteeReport, MentorReport, Pair, PairStatus
from registry.choices import BaseRole, PersonCategory
from registry.models import Person, signature_name

#: The stylesheet of the pair's papers (the card's blocks, the recognition sheet's frame).
PAPERS_STYLESHEET = "css/papers.css"


def person_role_line(person: Person) -> str:
    """What a person is in the school, as the card prints it after the name: a teacher's position
    («учитель математики»), a pupil's class («обучающийся 9 «А» класса»), else the category."""
    if person.category in (PersonCategory.STUDENT,) and person.class_name:
        described = pupil_description(person.class_name, Case.NOMINATIVE, sex=person.sex)
        return described.text if described.confident else person.class_name
    return person.position or person.get_category_display()


def declined(person: Person, case: Case) -> Declined:
    return decline_name(person.last_name, person.first_name, person.middle_name, case, sex=person.sex)


def _warning(what: str, result: Declined) -> str:
    return f"{what}: {result.reason} Напечатано в именительном падеже: «{result.text}»."


class Declensions:
    """The names and positions a paper prints in a case, and what could not be declined with
    confidence: printed in the nominative and named here, for `warnings()` (issue 10 §3)."""

    def __init__(self):
        self.warnings: list[str] = []

    def noted(self, result: Declined, what: str) -> str:
        if not result.confident and (note := _warning(what, result)) not in self.warnings:
            self.warnings.append(note)
        return result.text

    def name(self, person: Person, case: Case, what: str) -> str:
        return self.noted(declined(person, case), what)

    def position(self, position: str, case: Case, what: str) -> str:
        return self.noted(decline_position(position, case), what) if position else ""


class PairPaper(DocumentKind):
    """What the pair's papers share: the pair and its people loaded once, the declensions noted."""

    stylesheets = (DOCUMENTS_STYLESHEET, PAPERS_STYLESHEET)

    def __init__(self, pair: Pair, *, today: datetime.date | None = None):
        self.pair = pair
        self.today = today or timezone.localdate()
        self.declensions = Declensions()
        self.name_in, self.position_in = self.declensions.name, self.declensions.position
        self._declined = False
        self.members = list(pair.members.select_related("person__organization").order_by("role", "joined_on", "pk"))

    @classmethod
    def for_command(cls, *, organization=None, municipality=None, pair=None) -> PairPaper:
        """`render_document pair_card --pair ID` (and the other papers of a pair)."""
        if pair is None:
            raise ValueError(f"«{cls.title}» печатается для пары: укажите --pair ID.")
        if not paper_available(cls.code, pair):
            raise ValueError(
                f"«{cls.title}» печатается для завершённой пары, а пара № {pair.pk} — «{pair.get_status_display()}»."
            )
        return cls(pair)

    @property
    def organization(self):
        return self.pair.organization

    def mentees(self) -> list[Person]:
        """The mentees who were in the pair at its end (a mentee who left earlier is not reported on)."""
        end = self.pair.ended_on or self.pair.end_on
        return [
            m.person
            for m in self.members
            if m.role == BaseRole.MENTEE and (m.left_on is None or m.left_on >= min(end, self.today))
        ]

    def full_context(self) -> dict:
        context = super().full_context()
        self._declined = True
        return context

    def warnings(self) -> list[str]:
        if not self._declined:
            self.full_context()  # the declensions are made while the context is built
        return list(self.declensions.warnings)

    def director(self) -> dict:
        """The signature of the school's head (Положение §4.1: the director approves and rewards)."""
        return {
            "position": f"{self.organization.director_position or 'Директор'}\n{self.organization.short_name}",
            "name": signature_name(self.organization.director_name),
        }

    def filename(self) -> str:
        return f"{self.title} № {self.pair.pk}.pdf"


@dataclass
class CardRow:
    label: str
    value: str


class PairCard(PairPaper):
    """«Карточка наставнической пары (группы)»: the pair as the school keeps it, on one or more
    A4 pages — the requisites, the individual plan (§3.10) as a 12 pt table, the meetings and the
    changes (§3.7 replacements, §3.8 extensions, §3.9 early end)."""

    code = "pair_card"
    title = "Карточка наставнической пары"
    template_name = "mentorship/documents/pair_card.html"

    def approval_line(self) -> str:
        order = self.pair.order
        if order is None:
            return "не утверждена (черновик)"
        return f"утверждена приказом от {order.date:%d.%m.%Y} №\N{NO-BREAK SPACE}{order.number}"

    def people_rows(self) -> list[dict]:
        rows = []
        for member in self.members:
            person = member.person
            left = f"по {member.left_on:%d.%m.%Y}" if member.left_on else "по настоящее время"
            rows.append(
                {
                    "role": member.get_role_display(),
                    "name": person.full_name,
                    "line": person_role_line(person),
                    "period": f"с {member.joined_on:%d.%m.%Y} {left}",
                    "left": bool(member.left_on),
                }
            )
        return rows

    def event_rows(self) -> list[dict]:
        shown = {EventKind.MENTOR_REPLACED, EventKind.EXTENDED, EventKind.TERMINATED, EventKind.MENTEE_JOINED,
                 EventKind.MENTEE_LEFT, EventKind.APPROVED, EventKind.COMPLETED}  # fmt: skip
        rows = []
        for event in self.pair.events.select_related("person", "other_person", "order"):
            if event.kind not in shown:
                continue
            parts = []
            if event.kind == EventKind.MENTOR_REPLACED and event.person and event.other_person:
                parts.append(f"{event.person.full_name} → {event.other_person.full_name}")
            elif event.person:
                parts.append(event.person.full_name)
            if event.new_end_on:
                previous = f" (была {event.previous_end_on:%d.%m.%Y})" if event.previous_end_on else ""
                parts.append(f"новая дата окончания {event.new_end_on:%d.%m.%Y}{previous}")
            if event.reason:
                parts.append(f"причина: {event.reason_label}")
            if event.order:
                parts.append(str(event.order))
            if event.comment:
                parts.append(event.comment)
            rows.append({"on": event.on, "kind": event.get_kind_display(), "text": "; ".join(parts)})
        return rows

    def context(self) -> dict:
        pair = self.pair
        plan = getattr(pair, "plan", None)  # a pair without a plan: RelatedObjectDoesNotExist
        items = list(plan.items.all()) if plan else []
        rows = [
            CardRow("Образовательная организация", self.organization.full_name or self.organization.short_name),
            CardRow("Форма наставничества", str(pair.form)),
        ]
        if pair.role_model:
            rows.append(CardRow("Ролевая модель", pair.role_model.name))
        rows += [
            CardRow("Срок наставничества", f"с {pair.start_on:%d.%m.%Y} по {pair.end_on:%d.%m.%Y}"),
            CardRow("Статус", pair.get_status_display()),
            CardRow("Приказ", self.approval_line()),
        ]
        if pair.ended_on:
            rows.append(CardRow("Фактически завершена", f"{pair.ended_on:%d.%m.%Y}"))
        if pair.end_reason:
            rows.append(CardRow("Причина прекращения", pair.get_end_reason_display()))
        if pair.topic:
            rows.append(CardRow("Тема", pair.topic))
        if pair.goal:
            rows.append(CardRow("Цель", pair.goal))
        if plan is not None:
            states = []
            if plan.acknowledged_on:
                states.append(f"наставляемый ознакомлен {plan.acknowledged_on:%d.%m.%Y}")
            if plan.approved_on:
                states.append(f"утверждён руководителем {plan.approved_on:%d.%m.%Y}")
            rows.append(CardRow("Индивидуальный план", "; ".join(states) or "составлен, не утверждён"))
        return {
            "document_title": f"Карточка наставнической пары № {pair.pk}",
            "header_lines": [self.organization.full_name or self.organization.short_name],
            "pair": pair,
            "rows": rows,
            "people": self.people_rows(),
            "plan": plan,
            "plan_items": items,
            "meetings": list(pair.meetings.all()),
            "events": self.event_rows(),
            "printed_on": self.today,
        }

    def count(self, context: dict) -> int:
        return len(context["plan_items"]) + len(context["meetings"])


@dataclass
class MenteeSection:
    person: Person
    name_genitive: str
    report: MenteeReport | None


class CompletionReport(PairPaper):
    """The completion reports of a pair (Положение §3.12–3.13), due within 10 days of its end:
    the mentor's report on the fulfilment of the individual plan by the mentee («лицом, в
    отношении которого осуществлялось наставничество»: the mentee's name in the instrumental),
    approved by the director («УТВЕРЖДАЮ», §4.1), with the plan's items and their marks; then each
    mentee's report on the process and on the mentor's work with the rating of the mentor. A report
    not yet written prints as «не представлен» with its due date, never left out silently."""

    code = "completion_report"
    title = "Отчёт о завершении наставничества"
    template_name = "mentorship/documents/completion_report.html"

    def context(self) -> dict:
        pair = self.pair
        mentor = pair.mentor
        mentees = self.mentees()
        plan = getattr(pair, "plan", None)  # a pair without a plan: RelatedObjectDoesNotExist
        mentor_report = MentorReport.objects.filter(pair=pair).select_related("approved_by").first()
        mentee_reports = {r.mentee_id: r for r in pair.mentee_reports.all()}
        mentor_genitive = self.name_in(mentor, Case.GENITIVE, "Наставник в родительном падеже")
        by_mentees = ", ".join(
            self.name_in(p, Case.INSTRUMENTAL, "Наставляемый в творительном падеже") for p in mentees
        )
        sections = [
            MenteeSection(
                p, self.name_in(p, Case.GENITIVE, "Наставляемый в родительном падеже"), mentee_reports.get(p.pk)
            )
            for p in mentees
        ]
        director = self.director()
        return {
            "document_title": f"Отчёт о завершении наставничества, пара № {pair.pk}",
            "header_lines": [self.organization.full_name or self.organization.short_name],
            "pair": pair,
            "mentor": mentor,
            "mentor_genitive": mentor_genitive,
            "by_mentees": by_mentees,
            "mentees": mentees,
            "plan_items": list(plan.items.all()) if plan else [],
            "mentor_report": mentor_report,
            "sections": sections,
            "approval": {
                "position": director["position"],
                "name": director["name"],
                "date": mentor_report.approved_on if mentor_report else None,
            },
            "due_on": pair.reports_due_on,
            "ended_on": pair.ended_on or pair.end_on,
            "signature": director,
        }

    def count(self, context: dict) -> int:
        return len(context["plan_items"]) + len(context["sections"])


class RecognitionSheet(PairPaper):
    """A recognition of the mentor of a completed pair (Положение §3.15): a one-page sheet with the
    school's name, the word («БЛАГОДАРНОСТЬ», «ПОЧЁТНАЯ ГРАМОТА»), the mentor's name in the case the
    wording governs, the position, the merit, the director's signature, the place and the date."""

    template_name = "mentorship/documents/recognition.html"
    #: The big word on the sheet and the verb that governs the name's case.
    heading: str = ""
    verb: str = ""
    case: Case = Case.NOMINATIVE

    def merit(self) -> str:
        """«за успешное наставничество в отношении Беловой Марии Ивановны …» (§3.15, §3.14): the
        mentees in the genitive, the form and the period."""
        pair = self.pair
        names = ", ".join(self.name_in(p, Case.GENITIVE, "Наставляемый в родительном падеже") for p in self.mentees())
        end = pair.ended_on or pair.end_on
        return (
            f"за успешное осуществление наставничества в отношении {names} "
            f"(форма наставничества «{pair.form}») в период с {pair.start_on:%d.%m.%Y} по {end:%d.%m.%Y}, "
            "выполнение индивидуального плана и достигнутые результаты"
        )

    def context(self) -> dict:
        mentor, organization = self.pair.mentor, self.organization
        name = self.name_in(mentor, self.case, f"Наставник ({self.case.label} падеж)")
        position = self.position_in(mentor.position, self.case, f"Должность наставника ({self.case.label} падеж)")
        return {
            "document_title": f"{self.title}: {mentor.full_name}",
            "issuer": organization.full_name or organization.short_name,
            "heading": self.heading,
            "verb": self.verb,
            "name": name,
            "position": f"{position} {organization.short_name}".strip() if position else "",
            "merit": self.merit(),
            "signature": self.director(),
            "place": organization.place,
            "date": self.today,
            "date_text": organization.format_order_date(self.today),
        }

    def filename(self) -> str:
        return f"{self.title} {self.pair.mentor.short_name}.pdf"

    def count(self, context: dict) -> int:
        return 1


class Gratitude(RecognitionSheet):
    """«Благодарность … объявляется Ивановой Марии Петровне»: the name in the dative."""

    code = "gratitude"
    title = "Благодарность"
    heading = "БЛАГОДАРНОСТЬ"
    verb = "объявляется"
    case = Case.DATIVE


class Certificate(RecognitionSheet):
    """«Почётной грамотой награждается Иванова Мария Петровна»: the name in the nominative."""

    code = "certificate"
    title = "Почётная грамота"
    heading = "ПОЧЁТНАЯ ГРАМОТА"
    verb = "награждается"
    case = Case.NOMINATIVE


def declension_warnings(mentor: Person, mentees: list[Person]) -> list[str]:
    """What the pair's papers could not decline with confidence, from the people already loaded (the
    pair's page shows it beside the buttons, before anything is printed): the cases the completion
    reports and the recognitions print — the mentor in the genitive and the dative, the mentees in
    the genitive and the instrumental."""
    declensions = Declensions()
    declensions.name(mentor, Case.GENITIVE, "Наставник в родительном падеже")
    declensions.name(mentor, Case.DATIVE, "Наставник в дательном падеже")
    declensions.position(mentor.position, Case.DATIVE, "Должность наставника в дательном падеже")
    for mentee in mentees:
        declensions.name(mentee, Case.GENITIVE, "Наставляемый в родительном падеже")
        declensions.name(mentee, Case.INSTRUMENTAL, "Наставляемый в творительном падеже")
    return declensions.warnings


#: The pair's papers by code, and which pairs may have them (the views and the pair's page).
PAIR_PAPERS: dict[str, type[PairPaper]] = {
    kind.code: kind for kind in (PairCard, CompletionReport, Gratitude, Certificate)
}


def paper_available(code: str, pair: Pair) -> bool:
    """The card of any pair; the reports of an ended one (§3.12–3.13 «по завершении»); the
    recognitions of a completed one (§3.15: for the mentorship done, not for one cut short)."""
    if code == CompletionReport.code:
        return pair.status in ENDED_STATUSES
    if code in (Gratitude.code, Certificate.code):
        return pair.status == PairStatus.COMPLETED
    return code in PAIR_PAPERS
