"""Choices of the monitoring app: campaigns, submissions, the coverage form's figures, document
checks, notifications and indicators."""

from django.db import models


class CampaignStatus(models.TextChoices):
    """A campaign (сбор информации) is prepared, opened to the schools, and closed when the
    coordinator has what they asked for (seed 003: the letter of 13.08.2021 opens one)."""

    DRAFT = "draft", "Готовится"
    OPEN = "open", "Идёт сбор"
    CLOSED = "closed", "Закрыт"


class SubmissionStatus(models.TextChoices):
    """A school's answer: `draft → submitted → accepted | returned (with the coordinator's comment)
    → submitted …` (docs/product.md «Monitoring»)."""

    DRAFT = "draft", "Не отправлен"
    SUBMITTED = "submitted", "На проверке"
    ACCEPTED = "accepted", "Принят"
    RETURNED = "returned", "Возвращён на доработку"


class Figure(models.TextChoices):
    """The four rows of seed 003's form; the values are the keys of `manage.py coverage --json`."""

    MENTEES_10_18 = (
        "mentees_10_18",
        "Число учащихся в возрасте от 10 до 18 лет, вошедших в программу наставничества в роли наставляемого",
    )
    MENTORS_15_18 = (
        "mentors_15_18",
        "Число учащихся в возрасте от 15 до 18 лет, вошедших в программу наставничества в роли наставника",
    )
    YOUNG_TEACHERS = (
        "young_teachers",
        "Число учителей-молодых специалистов (с опытом работы от 0 до 3 лет), вошедших в программу "
        "наставничества в роли наставляемого",
    )
    ENTERPRISES = (
        "enterprises",
        "Количество предприятий (организаций), вошедших в программу наставничества, предоставив своих "
        "наставников (при наличии)",
    )


#: A figure in a few words: a link's accessible name, the campaign page's grid, the command's text
#: table (the full names are the seed's row texts above).
FIGURE_SHORT = {
    Figure.MENTEES_10_18: "наставляемые 10–18 лет",
    Figure.MENTORS_15_18: "наставники 15–18 лет",
    Figure.YOUNG_TEACHERS: "молодые специалисты 0–3 года",
    Figure.ENTERPRISES: "предприятия",
}


class DocumentStatus(models.TextChoices):
    """A document of a package, as the coordinator checks it (seed 003: «пакет документов»)."""

    MISSING = "missing", "Не представлен"
    SUBMITTED = "submitted", "На проверке"
    ACCEPTED = "accepted", "Принят"
    RETURNED = "returned", "Возвращён"


class NoticeKind(models.TextChoices):
    """The e-mails a campaign sends; each goes once per campaign, school and kind (and the
    submission's return number for «returned»), whatever restarts the worker."""

    OPENED = "opened", "Открыт сбор информации"
    RETURNED = "returned", "Ответ возвращён на доработку"
    DUE_SOON = "due_soon", "До срока 3 дня"
    OVERDUE = "overdue", "Срок прошёл"
    REMINDER = "reminder", "Напоминание координатора"


class Indicator(models.TextChoices):
    """Показатели эффективности (seed 003 приложение 2, seed 000 §5.1) the portal computes from the
    pairs. Shares are of the contingent (registry.Contingent) of the academic year."""

    MENTEE_SHARE = "mentee_share", "Доля обучающихся 10–18 лет, вовлечённых в наставничество в роли наставляемого"
    MENTOR_SHARE = "mentor_share", "Доля обучающихся 15–18 лет, вовлечённых в наставничество в роли наставника"
    YOUNG_TEACHER_SHARE = (
        "young_teacher_share",
        "Доля учителей — молодых специалистов (стаж 0–3 года), вошедших в программу наставничества",
    )
    ENTERPRISES = "enterprises", "Число предприятий (организаций), предоставивших наставников"


#: Indicators measured in per cent (the others are counts).
PERCENT_INDICATORS = frozenset({Indicator.MENTEE_SHARE, Indicator.MENTOR_SHARE, Indicator.YOUNG_TEACHER_SHARE})
