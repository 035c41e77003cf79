"""Starting points of an individual plan, per form of mentorship (seed 001 §3.10 lists the kinds of
measures; the roadmap's item 3.6 the meetings of a pair). The curator and the mentor edit the
items after starting from them. Each item: (kind, description, expected result, share of the term
at which it is due)."""

from __future__ import annotations

from mentorship.models import PlanItemKind as K
from registry.choices import FormCode

COMMON = [
    (
        K.WORKPLACE,
        "Встреча-знакомство, знакомство с организацией и коллективом",
        "Наставляемый знает, к кому обращаться",
        0.05,
    ),
    (K.ADAPTATION, "Встреча-планирование: цели и ожидания, индивидуальный план", "План согласован и подписан", 0.1),
    (K.OTHER, "Итоговая встреча, рефлексия, отчёты наставника и наставляемого", "Отчёты сданы в течение 10 дней", 1.0),
]

BY_FORM: dict[str, list] = {
    FormCode.TEACHER_TEACHER: [
        (
            K.DUTIES,
            "Изучение должностных обязанностей, локальных актов и требований к документации",
            "Рабочая программа и журнал оформлены без замечаний",
            0.2,
        ),
        (
            K.THEORY,
            "Посещение уроков наставника и разбор методики преподавания",
            "Не менее 4 посещённых и разобранных уроков",
            0.4,
        ),
        (K.PRACTICE, "Подготовка и проведение открытого урока с анализом", "Проведён открытый урок", 0.7),
        (
            K.CONSOLIDATION,
            "Участие в методическом объединении, профессиональном конкурсе",
            "Выступление или участие в конкурсе",
            0.9,
        ),
    ],
    FormCode.STUDENT_STUDENT: [
        (K.THEORY, "Совместная работа над трудными темами предмета", "Повышение отметок по предмету", 0.5),
        (K.PRACTICE, "Совместный проект или участие в школьном мероприятии", "Проект представлен", 0.8),
    ],
    FormCode.UNDERGRADUATE_STUDENT: [
        (K.THEORY, "Знакомство с профессией и программами колледжа", "Наставляемый знает условия поступления", 0.4),
        (K.PRACTICE, "Совместный учебный проект", "Проект представлен", 0.8),
    ],
    FormCode.EMPLOYER_STUDENT: [
        (K.WORKPLACE, "Экскурсия на предприятие наставника", "Наставляемый знаком с профессиями предприятия", 0.3),
        (K.PRACTICE, "Проектная работа по задаче предприятия", "Проект защищён перед наставником", 0.8),
    ],
    FormCode.EMPLOYER_UNDERGRADUATE: [
        (K.WORKPLACE, "Знакомство с предприятием и будущими обязанностями", "Наставляемый знает рабочее место", 0.2),
        (K.PRACTICE, "Практическое задание на предприятии", "Задание выполнено и оценено наставником", 0.7),
    ],
}


def template_items(form_code: str) -> list[tuple]:
    """The template's items for a form, in the order of their deadlines."""
    return sorted(COMMON + BY_FORM.get(form_code, []), key=lambda item: item[3])
