from dataclasses import dataclass

from django.db import models


class OrganizationKind(models.TextChoices):
    """Kinds of organization (docs/product.md «The parts»; the partners of seed 003 «работодатель – ученик»)."""

    SCHOOL = "school", "Общеобразовательная организация"
    ADDITIONAL = "additional", "Организация дополнительного образования"
    COLLEGE = "college", "Профессиональная образовательная организация (СПО)"
    UNIVERSITY = "university", "ВУЗ"
    PARTNER = "partner", "Предприятие / организация-партнёр"


class PersonCategory(models.TextChoices):
    STUDENT = "student", "Обучающийся"
    TEACHER = "teacher", "Педагог"
    UNDERGRADUATE = "undergraduate", "Студент"
    EMPLOYER = "employer", "Представитель работодателя"
    GRADUATE = "graduate", "Выпускник"


class Sex(models.TextChoices):
    MALE = "m", "Мужской"
    FEMALE = "f", "Женский"


class ConsentKind(models.TextChoices):
    """Kinds of consent.

    Положение §3.5 (seed 001): a mentor is appointed only with the written consent of the
    mentor and of the mentee; seed 002 items 3.2 and 4.2: the banks of mentees and mentors
    are kept with consents to the processing of personal data; for a minor the parent or
    legal representative consents (152-ФЗ, ст. 9).
    """

    PERSONAL_DATA = "personal_data", "Согласие на обработку персональных данных"
    MENTORING = "mentoring", "Письменное согласие на участие в наставничестве"
    PARENT = "parent", "Согласие родителя (законного представителя)"


class MenteePortrait(models.TextChoices):
    """Seed 001 §3.3.4 «Портрет участников»: вариант 1 — активный, вариант 2 — пассивный."""

    ACTIVE = "active", "Активный"
    PASSIVE = "passive", "Пассивный"


#: Положение §3.4 (seed 001): «Максимальное число лиц, в отношении которых наставник одновременно
#: осуществляет наставничество, не может превышать трех».
MENTOR_MAX_MENTEES = 3
#: Seed 001 §3.2.4: a teacher «в процессе адаптации на новом месте работы» — taken as the first year.
NEW_EMPLOYEE_MAX_YEARS = 1
#: Age of majority: below it a parent's consent is needed (152-ФЗ, ГК РФ ст. 21).
ADULT_AGE = 18
#: «Молодой специалист, имеющий малый опыт работы – от 0 до 3 лет» (seed 001 §3.2.4).
YOUNG_SPECIALIST_MAX_YEARS = 3


class FormCode(models.TextChoices):
    """The forms of mentorship: the four of seed 003 (the coverage form) and, from docs/product.md,
    «работодатель – студент» and «студент – студент». Seed 001 §3.1–3.3 describes the first ones
    with the portraits of their participants."""

    STUDENT_STUDENT = "student_student", "Ученик – ученик"
    TEACHER_TEACHER = "teacher_teacher", "Учитель – учитель"
    UNDERGRADUATE_STUDENT = "undergraduate_student", "Студент – ученик"
    EMPLOYER_STUDENT = "employer_student", "Работодатель – ученик"
    EMPLOYER_UNDERGRADUATE = "employer_undergraduate", "Работодатель – студент"
    UNDERGRADUATE_UNDERGRADUATE = "undergraduate_undergraduate", "Студент – студент"


#: The four forms of the coverage form, in its order (seed 003).
COVERAGE_FORMS = (
    FormCode.STUDENT_STUDENT,
    FormCode.TEACHER_TEACHER,
    FormCode.UNDERGRADUATE_STUDENT,
    FormCode.EMPLOYER_STUDENT,
)


class BaseRole(models.TextChoices):
    """Which base a person enters: of mentors or of mentees."""

    MENTOR = "mentor", "наставник"
    MENTEE = "mentee", "наставляемый"


@dataclass(frozen=True)
class FormParticipants:
    """Who may take each side of a form of mentorship: categories of person, and the least age of
    a mentor where the Положение names one."""

    mentors: frozenset[str]
    mentees: frozenset[str]
    mentor_min_age: int | None = None


#: Seed 001 §3.1.4: in «ученик – ученик» the mentor is «активный обучающийся старшей ступени»
#: (seed 003 counts mentors among learners of 15–18), the mentee a learner; §3.2.4: in «учитель –
#: учитель» both are teachers (the mentee a young or new one); §3.3: in «работодатель – ученик» the
#: mentor is an employer's professional («возможно, выпускник того же образовательного
#: учреждения»), the mentee a school student. docs/product.md adds «работодатель – студент» and
#: «студент – студент»; in «студент – ученик» a student of a college mentors a pupil.
STUDENT_MENTOR_MIN_AGE = 15
FORM_PARTICIPANTS: dict[str, FormParticipants] = {
    FormCode.STUDENT_STUDENT: FormParticipants(
        frozenset({PersonCategory.STUDENT}), frozenset({PersonCategory.STUDENT}), STUDENT_MENTOR_MIN_AGE
    ),
    FormCode.TEACHER_TEACHER: FormParticipants(
        frozenset({PersonCategory.TEACHER}), frozenset({PersonCategory.TEACHER})
    ),
    FormCode.UNDERGRADUATE_STUDENT: FormParticipants(
        frozenset({PersonCategory.UNDERGRADUATE, PersonCategory.GRADUATE}), frozenset({PersonCategory.STUDENT})
    ),
    FormCode.EMPLOYER_STUDENT: FormParticipants(
        frozenset({PersonCategory.EMPLOYER, PersonCategory.GRADUATE}), frozenset({PersonCategory.STUDENT})
    ),
    FormCode.EMPLOYER_UNDERGRADUATE: FormParticipants(
        frozenset({PersonCategory.EMPLOYER, PersonCategory.GRADUATE}), frozenset({PersonCategory.UNDERGRADUATE})
    ),
    FormCode.UNDERGRADUATE_UNDERGRADUATE: FormParticipants(
        frozenset({PersonCategory.UNDERGRADUATE}), frozenset({PersonCategory.UNDERGRADUATE})
    ),
}


class DateStyle(models.TextChoices):
    """How an order prints its date: seed 000 (Назарово) writes «26» мая 2020 г., seeds 001 and 004
    (Устюжна, Саянск) write 27.10.2020 and 17.02.2023 — where the body prefers digits."""

    WORDS = "words", "Словами: «26» мая 2020 г."
    DIGITS = "digits", "Цифрами: 17.02.2023"


class OrderKind(models.TextChoices):
    """The kind of a municipal authority's administrative act: seeds 000 and 001 issue a ПРИКАЗ,
    Саянск's authority (seed 004) a РАСПОРЯЖЕНИЕ. A school always issues a приказ."""

    ORDER = "prikaz", "ПРИКАЗ"
    DIRECTIVE = "rasporyazhenie", "РАСПОРЯЖЕНИЕ"


#: The number of an order by default: the plain running number within the organization and year.
ORDER_NUMBER_DEFAULT = "{n}"
