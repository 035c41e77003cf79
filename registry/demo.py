"""The demo municipality: город Назарово (seed 000) with its schools, people, bases and consents.

Used by `manage.py load_demo` (monitoring, which adds the pairs of mentorship.demo). Everything
is generated from one seed (Faker ru_RU for surnames, `random.Random` for the rest) relative to
"today", so the same seed on the same day gives the same people. Rows are written with
`bulk_create`: the per-row services (and their audit lines) are bypassed on purpose, and the
load is journalled as one «Загрузка» entry instead. (The pairs are made through the services.)
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker

from core.audit import audit_log
from core.choices import AuditAction, Role
from core.models import Profile, RoleAssignment
from core.russian import count_noun, plural_form
from registry.choices import (
    ADULT_AGE,
    ORDER_NUMBER_DEFAULT,
    YOUNG_SPECIALIST_MAX_YEARS,
    ConsentKind,
    DateStyle,
    FormCode,
    MenteePortrait,
    OrderKind,
    Sex,
)
from registry.choices import OrganizationKind as Kind
from registry.choices import PersonCategory as Category
from registry.models import (
    Consent,
    Contingent,
    MenteeRecord,
    MentorLevel,
    MentorRecord,
    MentorshipForm,
    Municipality,
    Organization,
    Person,
    RequestTopic,
    current_academic_year_start,
    full_years,
    years_ago,
)

DEMO_MUNICIPALITY = "город Назарово"
DEMO_PASSWORD = "demo12345"
DEMO_LOGINS = ("coordinator", "curator1", "curator2", "director1")
ADMIN_LOGIN = "admin"
DEFAULT_SEED = 122  # приказ № 122\1-о (seed 000)

BATCH = 500

# --- names ------------------------------------------------------------------------------------
# Surnames come from Faker ru_RU (its male and female lists are parallel: Смирнов/Смирнова).
# Its first names include many archaic ones (Синклитикия, Аверкий), so first names are drawn
# from the names actually common in each generation, and patronymics from the father's name.

#: Male name → (patronymic of a son, patronymic of a daughter).
PATRONYMICS = {
    "Александр": ("Александрович", "Александровна"),
    "Алексей": ("Алексеевич", "Алексеевна"),
    "Анатолий": ("Анатольевич", "Анатольевна"),
    "Андрей": ("Андреевич", "Андреевна"),
    "Антон": ("Антонович", "Антоновна"),
    "Аркадий": ("Аркадьевич", "Аркадьевна"),
    "Артём": ("Артёмович", "Артёмовна"),
    "Артур": ("Артурович", "Артуровна"),
    "Борис": ("Борисович", "Борисовна"),
    "Вадим": ("Вадимович", "Вадимовна"),
    "Валентин": ("Валентинович", "Валентиновна"),
    "Валерий": ("Валерьевич", "Валерьевна"),
    "Василий": ("Васильевич", "Васильевна"),
    "Виктор": ("Викторович", "Викторовна"),
    "Виталий": ("Витальевич", "Витальевна"),
    "Владимир": ("Владимирович", "Владимировна"),
    "Владислав": ("Владиславович", "Владиславовна"),
    "Вячеслав": ("Вячеславович", "Вячеславовна"),
    "Геннадий": ("Геннадьевич", "Геннадьевна"),
    "Георгий": ("Георгиевич", "Георгиевна"),
    "Григорий": ("Григорьевич", "Григорьевна"),
    "Денис": ("Денисович", "Денисовна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Егор": ("Егорович", "Егоровна"),
    "Иван": ("Иванович", "Ивановна"),
    "Игорь": ("Игоревич", "Игоревна"),
    "Илья": ("Ильич", "Ильинична"),
    "Кирилл": ("Кириллович", "Кирилловна"),
    "Константин": ("Константинович", "Константиновна"),
    "Леонид": ("Леонидович", "Леонидовна"),
    "Максим": ("Максимович", "Максимовна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Николай": ("Николаевич", "Николаевна"),
    "Олег": ("Олегович", "Олеговна"),
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
    "Роман": ("Романович", "Романовна"),
    "Руслан": ("Русланович", "Руслановна"),
    "Семён": ("Семёнович", "Семёновна"),
    "Сергей": ("Сергеевич", "Сергеевна"),
    "Станислав": ("Станиславович", "Станиславовна"),
    "Степан": ("Степанович", "Степановна"),
    "Фёдор": ("Фёдорович", "Фёдоровна"),
    "Эдуард": ("Эдуардович", "Эдуардовна"),
    "Юрий": ("Юрьевич", "Юрьевна"),
}

# Weighted pools: "Имя:вес".
CHILD_MALE = (
    "Александр:5 Максим:4 Артём:4 Михаил:4 Иван:3 Дмитрий:3 Даниил:3 Кирилл:3 Матвей:3 Егор:3 Никита:3 "
    "Андрей:2 Илья:2 Алексей:2 Тимофей:2 Роман:2 Марк:2 Сергей:1 Владимир:1 Ярослав:1 Фёдор:1 Лев:1 "
    "Арсений:1 Богдан:1 Глеб:1 Степан:1 Тимур:1 Владислав:1 Денис:1 Захар:1 Павел:1 Николай:1 Георгий:1 "
    "Макар:1 Семён:1 Евгений:1 Константин:1 Вадим:1 Савелий:1 Платон:1"
)
CHILD_FEMALE = (
    "Анастасия:4 Мария:4 Дарья:4 Анна:3 Елизавета:3 Полина:3 Виктория:3 Софья:3 Екатерина:2 Алиса:2 "
    "Ксения:2 Александра:2 Валерия:2 Варвара:2 Вероника:2 Арина:2 Кристина:1 Ева:1 Милана:1 Кира:1 "
    "Алёна:1 Ульяна:1 Василиса:1 Таисия:1 Диана:1 Юлия:1 Яна:1 Маргарита:1 Ангелина:1 Татьяна:1 "
    "Ольга:1 Карина:1 Злата:1 Алина:1 Есения:1 Мирослава:1 Эвелина:1 Олеся:1 Вера:1 Милена:1"
)
#: Born 1980 and later.
YOUNGER_MALE = (
    "Александр:4 Алексей:3 Андрей:3 Дмитрий:3 Сергей:3 Евгений:2 Максим:2 Иван:2 Антон:2 Артём:2 "
    "Денис:2 Роман:2 Павел:2 Михаил:2 Илья:1 Кирилл:1 Константин:1 Владислав:1 Никита:1 Станислав:1 "
    "Вячеслав:1 Виталий:1 Игорь:1 Олег:1 Руслан:1 Вадим:1 Егор:1 Артур:1 Эдуард:1 Юрий:1"
)
YOUNGER_FEMALE = (
    "Анна:3 Екатерина:3 Анастасия:3 Елена:3 Наталья:2 Ольга:2 Юлия:3 Мария:2 Дарья:2 Ксения:2 "
    "Кристина:2 Марина:2 Татьяна:2 Светлана:1 Ирина:2 Виктория:2 Евгения:2 Алёна:2 Валерия:1 "
    "Алина:1 Яна:1 Полина:1 Александра:1 Оксана:1 Надежда:1 Олеся:1 Любовь:1 Вера:1"
)
#: Born before 1980.
OLDER_MALE = (
    "Сергей:4 Александр:4 Андрей:3 Владимир:3 Алексей:2 Николай:2 Игорь:2 Юрий:2 Виктор:2 Олег:2 "
    "Михаил:2 Евгений:2 Дмитрий:2 Валерий:1 Геннадий:1 Анатолий:1 Вячеслав:1 Павел:1 Константин:1 "
    "Борис:1 Виталий:1 Владислав:1 Иван:1 Леонид:1 Григорий:1 Василий:1 Пётр:1"
)
OLDER_FEMALE = (
    "Елена:4 Наталья:4 Ольга:3 Татьяна:4 Ирина:3 Светлана:3 Галина:2 Людмила:2 Надежда:2 Марина:2 "
    "Валентина:2 Лариса:2 Любовь:2 Нина:1 Вера:1 Тамара:1 Оксана:1 Юлия:1 Анна:1 Екатерина:1 Инна:1 "
    "Лидия:1 Жанна:1 Алла:1 Антонина:1 Евгения:1 Раиса:1 Маргарита:1"
)
#: Names of fathers: of today's children (born ≈1972–1995) and of today's adults (born ≈1930–1980).
FATHERS_OF_CHILDREN = (
    "Александр:5 Сергей:5 Андрей:4 Алексей:4 Дмитрий:4 Евгений:3 Максим:2 Иван:2 Денис:2 Роман:2 "
    "Владимир:2 Михаил:2 Павел:2 Антон:2 Артём:1 Игорь:2 Олег:2 Николай:1 Виталий:1 Вячеслав:1 "
    "Константин:1 Владислав:1 Станислав:1 Руслан:1 Юрий:1 Вадим:1 Кирилл:1 Илья:1 Артур:1 Эдуард:1 "
    "Виктор:1 Валерий:1 Егор:1"
)
FATHERS_OF_ADULTS = (
    "Александр:4 Владимир:4 Николай:4 Сергей:3 Виктор:3 Юрий:3 Михаил:3 Иван:3 Анатолий:2 Василий:2 "
    "Геннадий:2 Валерий:2 Алексей:2 Пётр:2 Евгений:2 Борис:2 Андрей:2 Григорий:1 Леонид:1 Фёдор:1 "
    "Степан:1 Константин:1 Игорь:1 Олег:1 Вячеслав:1 Валентин:1 Аркадий:1 Дмитрий:1 Павел:1 Семён:1 "
    "Георгий:1 Виталий:1"
)


def _pool(spec: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    names, weights = [], []
    for item in spec.split():
        name, weight = item.split(":")
        names.append(name)
        weights.append(int(weight))
    return tuple(names), tuple(weights)


POOLS = {
    key: _pool(spec)
    for key, spec in {
        "child_m": CHILD_MALE,
        "child_f": CHILD_FEMALE,
        "younger_m": YOUNGER_MALE,
        "younger_f": YOUNGER_FEMALE,
        "older_m": OLDER_MALE,
        "older_f": OLDER_FEMALE,
        "fathers_children": FATHERS_OF_CHILDREN,
        "fathers_adults": FATHERS_OF_ADULTS,
    }.items()
}


@dataclass
class Name:
    last: str
    first: str
    middle: str
    sex: str
    #: The family's surname in both forms, and the father's name the patronymic comes from:
    #: a minor's parent who signs the consent is made from them.
    family: tuple[str, str] = ("", "")
    father: str = ""

    @property
    def full(self) -> str:
        return f"{self.last} {self.first} {self.middle}"


class NameMaker:
    """Gendered ФИО: a Faker ru_RU surname (in the right form), a first name common in the
    person's generation, a patronymic made from a father's name of the right generation."""

    def __init__(self, rng: random.Random, fake: Faker):
        from faker.providers.person.ru_RU import Provider

        self.rng = rng
        self.fake = fake
        self.female_of = dict(zip(Provider.last_names_male, Provider.last_names_female, strict=True))

    def pick(self, pool: str) -> str:
        names, weights = POOLS[pool]
        return self.rng.choices(names, weights)[0]

    def family(self) -> tuple[str, str]:
        """A family's surname: (male form, female form)."""
        male = self.fake.last_name_male()
        return male, self.female_of.get(male, male + "а")

    def person(
        self, sex: str, birth_year: int, *, family: tuple[str, str] | None = None, father: str | None = None
    ) -> Name:
        male_form, female_form = family or self.family()
        if birth_year >= 2005:
            generation = "child"
        elif birth_year >= 1980:
            generation = "younger"
        else:
            generation = "older"
        if father is None:
            father = self.pick("fathers_children" if birth_year >= 1995 else "fathers_adults")
        son, daughter = PATRONYMICS[father]
        family = (male_form, female_form)
        if sex == Sex.MALE:
            return Name(male_form, self.pick(f"{generation}_m"), son, Sex.MALE, family, father)
        return Name(female_form, self.pick(f"{generation}_f"), daughter, Sex.FEMALE, family, father)


# --- the municipality's organizations -------------------------------------------------------

MUNICIPALITY = {
    "name": DEMO_MUNICIPALITY,
    "region": "Красноярский край",
    "authority_name": "Управление образования администрации города Назарово",
    "address": "662200, Красноярский край, г. Назарово, ул. Карла Маркса, д. 40",
    "phone": "8 (39155) 5-70-56",
    "email": "uo@nazarovo-edu.example",
    "head_position": "Руководитель управления образования администрации города Назарово",
    # Seed 000's header: «УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ Г. НАЗАРОВО», ПРИКАЗ, «26» мая 2020 г.,
    # № 122\1-о, г. Назарово.
    "place": "г. Назарово",
    "order_kind": OrderKind.ORDER,
    "date_style": DateStyle.WORDS,
    "order_number_pattern": "{n}-о",
}
#: Where the demo's organizations issue their orders, and how a school numbers them («15-ОД»:
#: основная деятельность).
DEMO_PLACE = "г. Назарово"
SCHOOL_ORDER_PATTERN = "{n}-ОД"

#: (number, type, target number of students at full scale, street address).
SCHOOLS = [
    (1, "СОШ", 420, "ул. Арбузова, д. 114"),
    (2, "Гимназия", 380, "ул. Карла Маркса, д. 17"),
    (3, "Лицей", 350, "ул. Черняховского, д. 8"),
    (4, "СОШ", 300, "мкр. Бельские пески, д. 23"),
    (5, "СОШ", 280, "ул. 30 лет ВЛКСМ, д. 71"),
    (6, "СОШ", 260, "ул. Школьная, д. 4"),
    (7, "СОШ", 230, "ул. Парковая, д. 12"),
    (8, "СОШ", 200, "ул. Советская, д. 29"),
    (9, "СОШ", 180, "мкр. Южный, д. 6"),
    (10, "ООШ", 150, "ул. Чехова, д. 3"),
    (11, "СОШ", 140, "ул. Кравченко, д. 15"),
    (12, "СОШ", 110, "пос. Строителей, ул. Мира, д. 2"),
]
SCHOOL_TYPES = {
    "СОШ": "Средняя общеобразовательная школа",
    "ООШ": "Основная общеобразовательная школа",
    "Гимназия": "Гимназия",
    "Лицей": "Лицей",
}
COLLEGE = {
    "short_name": "КГБПОУ «Назаровский аграрный техникум им. А.Ф. Вепрева»",
    "full_name": "Краевое государственное бюджетное профессиональное образовательное учреждение "
    "«Назаровский аграрный техникум им. А.Ф. Вепрева»",
    "address": "662200, Красноярский край, г. Назарово, ул. Советская, д. 2",
    "email": "agrotech@nazarovo-edu.example",
}
SPECIALTIES = [
    ("Механизация сельского хозяйства", 0.85),
    ("Агрономия", 0.5),
    ("Электрификация и автоматизация сельского хозяйства", 0.85),
    ("Ветеринария", 0.35),
    ("Технология продукции общественного питания", 0.2),
    ("Экономика и бухгалтерский учёт", 0.15),
]
#: (short name, full name, director's position, address, share of employer reps, positions).
PARTNERS = [
    (
        "АО «Назаровская ГРЭС»",
        "Акционерное общество «Назаровская ГРЭС»",
        "Генеральный директор",
        "мкр. Промышленный узел, д. 1",
        6,
        [
            "инженер-теплотехник",
            "начальник смены",
            "мастер по ремонту оборудования",
            "инженер по охране труда",
            "специалист по персоналу",
            "инженер-электрик",
        ],
    ),
    (
        "ООО «Агрохолдинг «Сибирь»»",
        "Общество с ограниченной ответственностью «Агрохолдинг «Сибирь»»",
        "Директор",
        "ул. Арбузова, д. 2",
        5,
        ["главный агроном", "главный инженер", "ветеринарный врач", "зоотехник", "механик машинно-тракторного парка"],
    ),
    (
        "МУП «Горводоканал»",
        "Муниципальное унитарное предприятие «Горводоканал» города Назарово",
        "Директор",
        "ул. Кирова, д. 60",
        4,
        [
            "инженер-технолог очистных сооружений",
            "лаборант химического анализа",
            "мастер участка",
            "специалист по кадрам",
        ],
    ),
]

#: What each school's bases hold at least, by (base, form), for the demo's pairs (mentorship.demo).
SCHOOL_MINIMUM = {
    ("mentor", FormCode.TEACHER_TEACHER): 1,
    ("mentee", FormCode.TEACHER_TEACHER): 1,
    ("mentor", FormCode.STUDENT_STUDENT): 1,
    ("mentee", FormCode.STUDENT_STUDENT): 2,
    ("mentee", FormCode.UNDERGRADUATE_STUDENT): 1,
    ("mentee", FormCode.EMPLOYER_STUDENT): 1,
}
#: curator1's school: enough of each for a tour of every kind of pair (drafts, active, completed,
#: terminated, a replaced mentor, an extension, a group).
TOUR_MINIMUM = {
    ("mentor", FormCode.TEACHER_TEACHER): 4,
    ("mentee", FormCode.TEACHER_TEACHER): 5,
    ("mentor", FormCode.STUDENT_STUDENT): 6,
    ("mentee", FormCode.STUDENT_STUDENT): 14,
    ("mentee", FormCode.UNDERGRADUATE_STUDENT): 5,
    ("mentee", FormCode.EMPLOYER_STUDENT): 5,
}

# --- people's details --------------------------------------------------------------------------

#: (subjects, weight, share of men).
SUBJECTS = [
    ("начальные классы", 22, 0.02),
    ("русский язык и литература", 12, 0.03),
    ("математика", 11, 0.12),
    ("английский язык", 8, 0.05),
    ("история и обществознание", 6, 0.25),
    ("физическая культура", 6, 0.6),
    ("информатика", 3, 0.4),
    ("физика", 3, 0.35),
    ("химия", 2, 0.1),
    ("биология", 3, 0.1),
    ("география", 2, 0.15),
    ("музыка", 2, 0.1),
    ("изобразительное искусство", 2, 0.1),
    ("технология", 3, 0.45),
    ("ОБЗР", 1, 0.8),
    ("немецкий язык", 1, 0.05),
    ("математика и информатика", 2, 0.3),
    ("химия и биология", 1, 0.1),
]
#: Other posts of pedagogical staff: (position, subjects, weight).
OTHER_POSTS = [
    ("педагог-психолог", "", 3),
    ("социальный педагог", "", 2),
    ("учитель-логопед", "", 1),
    ("педагог-организатор", "", 1),
    ("педагог дополнительного образования", "робототехника", 1),
    ("педагог дополнительного образования", "хореография", 1),
]
TEACHER_TOPICS = [
    "Содержание преподаваемого предмета",
    "Методика преподавания",
    "Воспитательная работа",
    "Организация урочной деятельности",
    "Организация внеурочной деятельности",
    "Психологическая поддержка",
    "Адаптация в коллективе",
]
STUDENT_TOPICS = [
    "Учебная успеваемость",
    "Адаптация в коллективе",
    "Проектная деятельность",
    "Лидерские и коммуникативные навыки",
    "Цифровые навыки",
    "Психологическая поддержка",
]
CAREER_TOPICS = ["Профориентация", "Проектная деятельность", "Цифровые навыки"]
REQUEST_DETAILS = {
    "Содержание преподаваемого предмета": ["Трудные темы программы и подготовка обучающихся к ОГЭ и ЕГЭ."],
    "Методика преподавания": [
        "Построение урока по ФГОС, приёмы формирующего оценивания.",
        "Современные образовательные технологии на уроке.",
    ],
    "Воспитательная работа": ["Классное руководство: план воспитательной работы, работа с родителями."],
    "Организация урочной деятельности": ["Дисциплина на уроке, работа с разноуровневым классом."],
    "Организация внеурочной деятельности": ["Программа кружка и внеурочные мероприятия."],
    "Психологическая поддержка": [
        "Профилактика профессионального выгорания, уверенность в себе.",
        "Поддержка в трудной ситуации, умение справляться с волнением.",
    ],
    "Адаптация в коллективе": [
        "Вхождение в коллектив, школьная документация и локальные акты.",
        "Освоиться в новом классе, найти друзей.",
    ],
    "Учебная успеваемость": [
        "Подтянуть математику и русский язык.",
        "Подготовка к ОГЭ.",
        "Организовать самостоятельную подготовку домашних заданий.",
    ],
    "Проектная деятельность": ["Выбрать тему и выполнить индивидуальный проект."],
    "Лидерские и коммуникативные навыки": ["Научиться выступать перед аудиторией, участвовать в самоуправлении."],
    "Цифровые навыки": ["Освоить программирование и работу с офисными программами."],
    "Профориентация": ["Познакомиться с профессиями предприятий города, выбрать профиль обучения."],
}
TEACHER_STRENGTHS = [
    "руководитель школьного методического объединения",
    "эксперт ОГЭ",
    "эксперт ЕГЭ",
    "победитель муниципального конкурса «Учитель года»",
    "автор рабочих программ внеурочной деятельности",
    "тьютор по функциональной грамотности",
    "классный руководитель с опытом выпуска трёх классов",
]
TEACHER_INTERESTS = [
    "цифровые образовательные ресурсы",
    "проектная и исследовательская деятельность",
    "функциональная грамотность",
    "работа с одарёнными детьми",
    "инклюзивное образование",
    "школьный театр",
    "краеведение",
    "шахматы",
    "туризм",
    "школьная медиация",
]
STUDENT_STRENGTHS = [
    "призёр муниципального этапа всероссийской олимпиады школьников",
    "член совета обучающихся",
    "волонтёр «Движения первых»",
    "участник школьного научного общества",
    "капитан школьной спортивной команды",
    "победитель конкурса проектов «Шаг в будущее»",
    "ведущий школьного медиацентра",
]
UNDERGRADUATE_STRENGTHS = [
    "староста группы",
    "член студенческого совета",
    "участник регионального чемпионата «Профессионалы»",
    "волонтёр центра «Добро.Центр»",
    "учится на «отлично»",
    "участник студенческого научного общества",
]
STUDENT_INTERESTS = [
    "робототехника",
    "волейбол",
    "программирование",
    "химия",
    "история родного края",
    "журналистика",
    "театр",
    "экология",
    "биология",
    "английский язык",
]


# --- requisites with correct check digits --------------------------------------------------------


def _inn10(rng: random.Random, prefix: str = "2456") -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(9 - len(prefix)))
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11 % 10
    return body + str(check)


def _ogrn(rng: random.Random) -> str:
    body = "1022401" + "".join(str(rng.randint(0, 9)) for _ in range(5))
    return body + str(int(body) % 11 % 10)


def _okpo(rng: random.Random) -> str:
    body = "".join(str(rng.randint(0, 9)) for _ in range(7))
    check = sum(int(d) * (i + 1) for i, d in enumerate(body)) % 11
    if check == 10:
        check = sum(int(d) * (i + 3) for i, d in enumerate(body)) % 11 % 10
    return body + str(check)


# --- generation ------------------------------------------------------------------------------------


@dataclass
class Spec:
    """A person to insert, with what later steps need to know about them."""

    org: Organization
    category: str
    name: Name
    birth_date: datetime.date
    class_name: str = ""
    position: str = ""
    subjects: str = ""
    teaching_since: datetime.date | None = None
    notes: str = ""
    age: int = 0
    person: Person | None = None

    @property
    def key(self) -> tuple:
        return (self.name.last, self.name.first, self.name.middle, self.birth_date, self.org.short_name)


@dataclass
class Plan:
    """A mentor or mentee record to insert."""

    spec: Spec
    forms: list[str]
    topics: list[str]
    entered_on: datetime.date
    fields: dict = field(default_factory=dict)


class DemoBuilder:
    def __init__(self, *, seed: int = DEFAULT_SEED, scale: float = 1.0, today: datetime.date | None = None):
        self.seed = seed
        self.scale = scale
        self.today = today or timezone.localdate()
        self.year = current_academic_year_start(self.today)
        self.rng = random.Random(seed)
        self.fake = Faker("ru_RU")
        self.fake.seed_instance(seed)
        self.names = NameMaker(self.rng, self.fake)
        self.specs: list[Spec] = []
        self._keys: set[tuple] = set()

    # helpers ----------------------------------------------------------------------------------

    def scaled(self, value: float, minimum: int = 1) -> int:
        return max(minimum, round(value * self.scale))

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def birth_date_for_age(self, age: int) -> datetime.date:
        """A birth date at which the person is exactly `age` full years old today."""
        latest = years_ago(age, self.today)
        earliest = years_ago(age + 1, self.today) + datetime.timedelta(days=1)
        return self.date_between(earliest, latest)

    def add(self, spec: Spec, remake) -> Spec:
        """Register a person, making a new name while the same person exists (identity is unique)."""
        while spec.key in self._keys:
            remake(spec)
        self._keys.add(spec.key)
        spec.age = full_years(spec.birth_date, self.today)
        self.specs.append(spec)
        return spec

    def new_name(self, spec: Spec) -> None:
        spec.name = self.names.person(spec.name.sex, spec.birth_date.year)

    # organizations ------------------------------------------------------------------------------

    def build_organizations(self) -> None:
        rng = self.rng
        self.municipality = Municipality.objects.create(
            **MUNICIPALITY,
            okpo=_okpo(rng),
            ogrn=_ogrn(rng),
            inn=_inn10(rng),
            kpp="245601001",
            head_name=self.names.person(Sex.FEMALE, 1968).full,
        )
        self.schools: list[Organization] = []
        self.school_targets: dict[int, int] = {}
        for number, kind, target, street in SCHOOLS:
            title = SCHOOL_TYPES[kind]
            inner = f"{kind} № {number}"
            director_sex = Sex.FEMALE if rng.random() < 0.8 else Sex.MALE
            school = Organization(
                municipality=self.municipality,
                kind=Kind.SCHOOL,
                short_name=f"МБОУ «{inner}»",
                full_name=f"Муниципальное бюджетное общеобразовательное учреждение «{title} № {number}» г. Назарово",
                director_name=self.names.person(director_sex, rng.randint(1965, 1985)).full,
                director_position="Директор",
                address=f"662200, Красноярский край, г. Назарово, {street}",
                phone=f"8 (39155) {rng.randint(3, 7)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                email=f"school{number}@nazarovo-edu.example",
                inn=_inn10(rng),
                place=DEMO_PLACE,
                order_number_pattern=SCHOOL_ORDER_PATTERN,
            )
            self.schools.append(school)
            self.school_targets[number] = target
        self.college = Organization(
            municipality=self.municipality,
            kind=Kind.COLLEGE,
            director_position="Директор",
            director_name=self.names.person(Sex.MALE, 1966).full,
            phone="8 (39155) 5-32-41",
            inn=_inn10(rng),
            place=DEMO_PLACE,
            **COLLEGE,
        )
        self.partners: list[Organization] = []
        for short_name, full_name, position, street, _share, _posts in PARTNERS:
            self.partners.append(
                Organization(
                    municipality=self.municipality,
                    kind=Kind.PARTNER,
                    short_name=short_name,
                    full_name=full_name,
                    director_name=self.names.person(Sex.MALE, rng.randint(1962, 1980)).full,
                    director_position=position,
                    address=f"662200, Красноярский край, г. Назарово, {street}",
                    phone=f"8 (39155) {rng.randint(3, 7)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                    inn=_inn10(rng),
                )
            )
        Organization.objects.bulk_create([*self.schools, self.college, *self.partners])
        if any(org.pk is None for org in [*self.schools, self.college, *self.partners]):  # pragma: no cover
            by_name = dict(self.municipality.organizations.values_list("short_name", "pk"))
            for org in [*self.schools, self.college, *self.partners]:
                org.pk = by_name[org.short_name]

    # people -------------------------------------------------------------------------------------------

    def build_students(self) -> None:
        rng = self.rng
        for school, (_number, kind, target, _street) in zip(self.schools, SCHOOLS, strict=True):
            grades = range(1, 10) if kind == "ООШ" else range(1, 12)
            weights = {grade: (0.55 if grade >= 10 else 1.0) for grade in grades}
            total_weight = sum(weights.values())
            for grade in grades:
                count = max(1, round(target * self.scale * weights[grade] / total_weight * rng.uniform(0.9, 1.1)))
                classes = max(1, min(4, round(count / 25)))
                # Born from 1 September to 31 August: a first-former of 2025/2026 was born in 2017/2018.
                born_from = datetime.date(self.year - 7 - grade, 9, 1)
                born_to = min(datetime.date(self.year - 6 - grade, 8, 31), years_ago(7, self.today))
                for index in range(count):
                    letter = "АБВГ"[index % classes]
                    self.add_student(school, f"{grade}{letter}", born_from, born_to)

    def add_student(self, school: Organization, class_name: str, born_from, born_to) -> Spec:
        sex = Sex.MALE if self.rng.random() < 0.49 else Sex.FEMALE
        birth_date = self.date_between(born_from, born_to)
        spec = Spec(
            org=school,
            category=Category.STUDENT,
            birth_date=birth_date,
            class_name=class_name,
            name=self.names.person(sex, birth_date.year),
        )
        return self.add(spec, self.new_name)

    def build_teachers(self) -> None:
        rng = self.rng
        total = self.scaled(250, minimum=len(self.schools))
        targets = [self.school_targets[number] for number, *_ in SCHOOLS]
        # Largest remainder: each school's share of the teachers follows its number of students.
        exact = [total * t / sum(targets) for t in targets]
        counts = [max(1, int(x)) for x in exact]
        for index in sorted(range(len(exact)), key=lambda i: exact[i] - int(exact[i]), reverse=True):
            if sum(counts) >= total:
                break
            counts[index] += 1
        young = set(rng.sample(range(total), round(total * 0.175)))
        subject_names = [s for s, _w, _m in SUBJECTS]
        subject_weights = [w for _s, w, _m in SUBJECTS]
        men_share = {s: m for s, _w, m in SUBJECTS}
        number = 0
        for school, count in zip(self.schools, counts, strict=True):
            for _ in range(count):
                is_young = number in young
                number += 1
                if rng.random() < 0.09:
                    position, subjects, _weight = rng.choices(OTHER_POSTS, [w for *_x, w in OTHER_POSTS])[0]
                    share_of_men = 0.1
                else:
                    position = "учитель"
                    subjects = rng.choices(subject_names, subject_weights)[0]
                    share_of_men = men_share[subjects]
                sex = Sex.MALE if rng.random() < share_of_men else Sex.FEMALE
                if is_young:
                    age = rng.randint(22, 29) if rng.random() < 0.8 else rng.randint(30, 45)
                    experience = rng.randint(0, min(YOUNG_SPECIALIST_MAX_YEARS, age - 22))
                else:
                    low, high = rng.choices([(26, 35), (36, 45), (46, 55), (56, 65)], [20, 25, 30, 25])[0]
                    age = rng.randint(low, high)
                    experience = rng.randint(max(4, (age - 22) // 2), age - 22)
                birth_date = self.birth_date_for_age(age)
                if experience == 0:
                    teaching_since = self.date_between(datetime.date(self.year, 9, 1), self.today)
                else:
                    teaching_since = datetime.date(self.year - experience, 9, 1)
                spec = Spec(
                    org=school,
                    category=Category.TEACHER,
                    birth_date=birth_date,
                    name=self.names.person(sex, birth_date.year),
                    position=position,
                    subjects=subjects,
                    teaching_since=teaching_since,
                )
                self.add(spec, self.new_name)

    def build_undergraduates(self) -> None:
        rng = self.rng
        for _ in range(self.scaled(60, minimum=6)):
            course = rng.randint(1, 4)
            specialty, share_of_men = rng.choice(SPECIALTIES)
            sex = Sex.MALE if rng.random() < share_of_men else Sex.FEMALE
            birth_date = self.birth_date_for_age(min(15 + course + rng.randint(0, 1), 20))
            spec = Spec(
                org=self.college,
                category=Category.UNDERGRADUATE,
                birth_date=birth_date,
                name=self.names.person(sex, birth_date.year),
                notes=f"Специальность «{specialty}», {course} курс.",
            )
            self.add(spec, self.new_name)

    def build_employers(self) -> None:
        rng = self.rng
        total = self.scaled(15, minimum=len(PARTNERS))
        shares = [share for *_x, share, _posts in PARTNERS]
        counts = [max(1, round(total * share / sum(shares))) for share in shares]
        for partner, count, (*_x, posts) in zip(self.partners, counts, PARTNERS, strict=True):
            for index in range(count):
                sex = Sex.MALE if rng.random() < 0.65 else Sex.FEMALE
                birth_date = self.birth_date_for_age(rng.randint(25, 60))
                spec = Spec(
                    org=partner,
                    category=Category.EMPLOYER,
                    birth_date=birth_date,
                    name=self.names.person(sex, birth_date.year),
                    position=posts[index % len(posts)],
                )
                self.add(spec, self.new_name)

    def save_people(self) -> None:
        persons = [
            Person(
                last_name=s.name.last,
                first_name=s.name.first,
                middle_name=s.name.middle,
                sex=s.name.sex,
                birth_date=s.birth_date,
                organization=s.org,
                category=s.category,
                class_name=s.class_name,
                position=s.position,
                subjects=s.subjects,
                teaching_since=s.teaching_since,
                notes=s.notes,
            )
            for s in self.specs
        ]
        Person.objects.bulk_create(persons, batch_size=BATCH)
        if any(p.pk is None for p in persons):  # pragma: no cover - databases that return no ids
            ids = {
                (last, first, middle, birth, org): pk
                for pk, last, first, middle, birth, org in Person.objects.filter(
                    organization__municipality=self.municipality
                ).values_list("pk", "last_name", "first_name", "middle_name", "birth_date", "organization__short_name")
            }
            for spec, person in zip(self.specs, persons, strict=True):
                person.pk = person.id = ids[spec.key]
        for spec, person in zip(self.specs, persons, strict=True):
            spec.person = person

    # bases --------------------------------------------------------------------------------------------

    def entered_on(self, floor: datetime.date | None = None) -> datetime.date:
        start = datetime.date(self.year - 1, 9, 1)
        if floor and floor > start:
            start = floor
        return self.date_between(start, self.today)

    def plan_bases(self) -> None:
        rng = self.rng
        self.mentors: list[Plan] = []
        self.mentees: list[Plan] = []
        teachers = [s for s in self.specs if s.category == Category.TEACHER]
        students = [s for s in self.specs if s.category == Category.STUDENT]
        young = [t for t in teachers if 0 <= full_years(t.teaching_since, self.today) <= YOUNG_SPECIALIST_MAX_YEARS]
        experienced = [t for t in teachers if full_years(t.teaching_since, self.today) >= 8]

        for teacher in rng.sample(experienced, min(len(experienced), max(1, round(len(teachers) * 0.10)))):
            self.mentors.append(self.teacher_mentor(teacher))
        for teacher in young:
            if rng.random() < 0.85:
                self.mentees.append(self.young_teacher_mentee(teacher))

        older = [s for s in students if 15 <= s.age <= 18]
        student_mentors = rng.sample(older, min(len(older), max(1, round(len(older) * 0.08))))
        for student in student_mentors:
            self.mentors.append(self.student_mentor(student))
        taken = {id(s) for s in student_mentors}
        candidates = [s for s in students if 10 <= s.age <= 18 and id(s) not in taken]
        for student in rng.sample(candidates, min(len(candidates), max(1, round(len(candidates) * 0.10)))):
            self.mentees.append(self.student_mentee(student))

        for employer in [s for s in self.specs if s.category == Category.EMPLOYER]:
            if rng.random() < 0.8:
                self.mentors.append(
                    self.plan(
                        employer,
                        [FormCode.EMPLOYER_STUDENT],
                        ["Профориентация", *rng.sample(CAREER_TOPICS[1:], 1)],
                        self.entered_on(),
                        competencies=f"{employer.position.capitalize()}, {employer.org}; проводит экскурсии и "
                        "профессиональные пробы на предприятии.",
                        interests="профориентация школьников, наставничество молодых специалистов",
                        mentee_age_min=14,
                        mentee_age_max=18,
                        level=rng.choice([0, 0, 1]),
                        is_trained=rng.random() < 0.7,
                    )
                )
        undergraduates = sorted((s for s in self.specs if s.category == Category.UNDERGRADUATE), key=lambda s: -s.age)
        for undergraduate in undergraduates[: max(1, round(len(undergraduates) * 0.25))]:
            self.mentors.append(
                self.plan(
                    undergraduate,
                    [FormCode.UNDERGRADUATE_STUDENT],
                    rng.sample(["Учебная успеваемость", "Профориентация", "Проектная деятельность"], 2),
                    self.entered_on(),
                    competencies=f"{undergraduate.notes.rstrip('.')}; {rng.choice(UNDERGRADUATE_STRENGTHS)}.",
                    interests=", ".join(rng.sample(STUDENT_INTERESTS, 2)),
                    mentee_age_min=12,
                    mentee_age_max=17,
                    level=0,
                    is_trained=rng.random() < 0.75,
                )
            )
        self.ensure_curator_schools_have_records(teachers, students)
        self.ensure_schools_have_every_form(teachers, students)

    def plan(self, spec: Spec, forms, topics, entered_on, **fields) -> Plan:
        return Plan(spec=spec, forms=list(forms), topics=list(topics), entered_on=entered_on, fields=fields)

    def teacher_mentor(self, teacher: Spec) -> Plan:
        rng = self.rng
        experience = full_years(teacher.teaching_since, self.today)
        category = "Высшая" if experience >= 15 and rng.random() < 0.7 else "Первая"
        strengths = rng.choice(TEACHER_STRENGTHS)
        subject = f" ({teacher.subjects})" if teacher.subjects else ""
        return self.plan(
            teacher,
            [FormCode.TEACHER_TEACHER],
            rng.sample(TEACHER_TOPICS, rng.randint(2, 4)),
            self.entered_on(),
            competencies=f"{category} квалификационная категория; {teacher.position}{subject}; педагогический стаж "
            f"{experience} {plural_form(experience, 'год,года,лет')}; {strengths}.",
            interests=", ".join(rng.sample(TEACHER_INTERESTS, rng.randint(1, 2))),
            level=rng.choices([0, 1, 2], [60, 30, 10])[0],
            is_trained=rng.random() < 0.85,
        )

    def student_mentor(self, student: Spec) -> Plan:
        rng = self.rng
        return self.plan(
            student,
            [FormCode.STUDENT_STUDENT],
            rng.sample(STUDENT_TOPICS, rng.randint(1, 3)),
            self.entered_on(),
            competencies=f"{rng.choice(STUDENT_STRENGTHS).capitalize()}.",
            interests=", ".join(rng.sample(STUDENT_INTERESTS, 2)),
            mentee_age_min=10,
            mentee_age_max=max(11, student.age - 2),
            level=None,
            is_trained=rng.random() < 0.75,
        )

    def student_mentee(self, student: Spec) -> Plan:
        rng = self.rng
        if student.age >= 14:
            form = rng.choices(
                [FormCode.STUDENT_STUDENT, FormCode.EMPLOYER_STUDENT, FormCode.UNDERGRADUATE_STUDENT], [60, 20, 20]
            )[0]
        else:
            form = rng.choices([FormCode.STUDENT_STUDENT, FormCode.UNDERGRADUATE_STUDENT], [80, 20])[0]
        return self.student_mentee_of(student, form)

    def student_mentee_of(self, student: Spec, form: str) -> Plan:
        rng = self.rng
        if form == FormCode.EMPLOYER_STUDENT:
            topics = ["Профориентация"] + ([rng.choice(CAREER_TOPICS[1:])] if rng.random() < 0.4 else [])
        else:
            topics = rng.sample(STUDENT_TOPICS, rng.randint(1, 2))
        return self.plan(
            student,
            [form],
            topics,
            self.entered_on(),
            portrait=MenteePortrait.ACTIVE if rng.random() < 0.45 else MenteePortrait.PASSIVE,
        )

    def young_teacher_mentee(self, teacher: Spec) -> Plan:
        return self.plan(
            teacher,
            [FormCode.TEACHER_TEACHER],
            self.rng.sample(TEACHER_TOPICS, self.rng.randint(1, 3)),
            self.entered_on(teacher.teaching_since),
        )

    def ensure_curator_schools_have_records(self, teachers: list[Spec], students: list[Spec]) -> None:
        """The schools of curator1 and curator2 (the first two) must show mentors and mentees."""
        for school in self.schools[:2]:
            in_base = {id(p.spec) for p in self.mentors + self.mentees}
            if not any(p.spec.org is school for p in self.mentors):
                candidates = [t for t in teachers if t.org is school and id(t) not in in_base]
                if candidates:
                    self.mentors.append(self.teacher_mentor(min(candidates, key=lambda t: t.teaching_since)))
            if not any(p.spec.org is school for p in self.mentees):
                candidates = [s for s in students if s.org is school and s.age >= 10 and id(s) not in in_base]
                if candidates:
                    self.mentees.append(self.student_mentee(candidates[0]))

    def ensure_schools_have_every_form(self, teachers: list[Spec], students: list[Spec]) -> None:
        """Every school's bases hold people of the four forms of seed 003, so that the demo's pairs
        (mentorship.demo) can be formed in each: a teacher mentor and a young teacher, a student
        mentor, mentees of «ученик – ученик», «студент – ученик» and «работодатель – ученик» (their
        mentors come from the college and the partners). curator1's school (the first) holds
        enough of each for a tour of every kind of pair (TOUR_MINIMUM). Only people the school
        has are taken: a school without a young teacher has no «учитель – учитель» mentee."""
        in_base = {id(p.spec) for p in self.mentors + self.mentees}
        for index, school in enumerate(self.schools):
            minimum = TOUR_MINIMUM if index == 0 else SCHOOL_MINIMUM
            have = Counter(
                (role, form)
                for role, plans in (("mentor", self.mentors), ("mentee", self.mentees))
                for plan in plans
                if plan.spec.org is school
                for form in plan.forms
            )
            own_teachers = [t for t in teachers if t.org is school and id(t) not in in_base]
            own_students = [s for s in students if s.org is school and id(s) not in in_base]
            experienced = sorted(
                (t for t in own_teachers if full_years(t.teaching_since, self.today) >= 5),
                key=lambda t: t.teaching_since,
            )
            young = [
                t for t in own_teachers if 0 <= full_years(t.teaching_since, self.today) <= YOUNG_SPECIALIST_MAX_YEARS
            ]
            seniors = sorted((s for s in own_students if 15 <= s.age <= 18), key=lambda s: s.birth_date)
            pools = {
                ("mentor", FormCode.TEACHER_TEACHER): (experienced, self.mentors, self.teacher_mentor),
                ("mentee", FormCode.TEACHER_TEACHER): (young, self.mentees, self.young_teacher_mentee),
                ("mentor", FormCode.STUDENT_STUDENT): (seniors, self.mentors, self.student_mentor),
            }
            for form, low in (
                (FormCode.STUDENT_STUDENT, 10),
                (FormCode.EMPLOYER_STUDENT, 14),
                (FormCode.UNDERGRADUATE_STUDENT, 12),
            ):
                candidates = [s for s in own_students if low <= s.age <= 17]
                self.rng.shuffle(candidates)
                pools[("mentee", form)] = (
                    candidates,
                    self.mentees,
                    lambda student, form=form: self.student_mentee_of(student, form),
                )
            for key, wanted in minimum.items():
                candidates, plans, make = pools[key]
                for candidate in candidates:
                    if have[key] >= wanted:
                        break
                    if id(candidate) in in_base:
                        continue
                    plans.append(make(candidate))
                    in_base.add(id(candidate))
                    have[key] += 1

    def save_bases(self) -> None:
        forms = {form.code: form.pk for form in MentorshipForm.objects.all()}
        missing = [code for code in FormCode.values if code not in forms]
        if missing:
            raise LookupError(f"Нет форм наставничества {', '.join(missing)}: выполните migrate.")
        topics = dict(RequestTopic.objects.values_list("name", "pk"))
        levels = list(MentorLevel.objects.order_by("order", "name").values_list("pk", flat=True))

        def topic_ids(names: list[str]) -> list[int]:
            return [topics[name] for name in names if name in topics]

        mentor_rows = []
        for plan in self.mentors:
            fields = dict(plan.fields)
            level = fields.pop("level", None)
            trained_on = None
            if fields.get("is_trained"):
                trained_on = self.date_between(plan.entered_on - datetime.timedelta(days=200), self.today)
                trained_on = min(trained_on, self.today)
            mentor_rows.append(
                MentorRecord(
                    person=plan.spec.person,
                    entered_on=plan.entered_on,
                    trained_on=trained_on,
                    level_id=levels[min(level, len(levels) - 1)] if level is not None and levels else None,
                    **fields,
                )
            )
        MentorRecord.objects.bulk_create(mentor_rows, batch_size=BATCH)
        mentee_rows = [
            MenteeRecord(
                person=plan.spec.person,
                entered_on=plan.entered_on,
                portrait=plan.fields.get("portrait", ""),
                request_details=" ".join(
                    self.rng.choice(REQUEST_DETAILS[t]) for t in plan.topics if t in REQUEST_DETAILS
                ),
            )
            for plan in self.mentees
        ]
        MenteeRecord.objects.bulk_create(mentee_rows, batch_size=BATCH)
        if any(r.pk is None for r in mentor_rows + mentee_rows):  # pragma: no cover
            mentor_ids = dict(
                MentorRecord.objects.filter(person__in=[r.person for r in mentor_rows]).values_list("person_id", "pk")
            )
            mentee_ids = dict(
                MenteeRecord.objects.filter(person__in=[r.person for r in mentee_rows]).values_list("person_id", "pk")
            )
            for row in mentor_rows:
                row.pk = row.id = mentor_ids[row.person_id]
            for row in mentee_rows:
                row.pk = row.id = mentee_ids[row.person_id]

        # The many-to-many rows of both bases: (relation, records, their plans, the plan's ids).
        links = (
            (MentorRecord.forms, mentor_rows, self.mentors, lambda plan: [forms[code] for code in plan.forms]),
            (MentorRecord.topics, mentor_rows, self.mentors, lambda plan: topic_ids(plan.topics)),
            (MenteeRecord.forms, mentee_rows, self.mentees, lambda plan: [forms[code] for code in plan.forms]),
            (MenteeRecord.requests, mentee_rows, self.mentees, lambda plan: topic_ids(plan.topics)),
        )
        for relation, rows, plans, targets in links:
            through = relation.through
            source = f"{relation.field.model._meta.model_name}_id"
            target = f"{relation.field.related_model._meta.model_name}_id"
            through.objects.bulk_create(
                [
                    through(**{source: row.pk, target: target_id})
                    for row, plan in zip(rows, plans, strict=True)
                    for target_id in targets(plan)
                ],
                batch_size=BATCH,
            )
        self.mentor_count, self.mentee_count = len(mentor_rows), len(mentee_rows)

    # consents -----------------------------------------------------------------------------------------

    def parent_name(self, spec: Spec) -> str:
        """The parent who signs for a minor: the mother (same surname, female form) or the father."""
        parent_birth_year = spec.birth_date.year - self.rng.randint(22, 36)
        if self.rng.random() < 0.75:
            return self.names.person(Sex.FEMALE, parent_birth_year, family=spec.name.family).full
        father = self.names.person(Sex.MALE, parent_birth_year, family=spec.name.family)
        return f"{spec.name.family[0]} {spec.name.father} {father.middle}"

    def save_consents(self) -> None:
        rng = self.rng
        people: list[tuple[Spec, datetime.date]] = []
        seen: set[int] = set()
        for plan in self.mentors + self.mentees:
            if id(plan.spec) not in seen:
                seen.add(id(plan.spec))
                people.append((plan.spec, plan.entered_on))
        order = list(range(len(people)))
        rng.shuffle(order)
        # curator1's young teachers keep their consents: the tour of every kind of pair needs
        # «учитель – учитель» pairs at work there, and with four or five such mentees a day's draw
        # could leave none who had consented (mentorship.demo.TOUR).
        tour = {
            id(p.spec) for p in self.mentees if p.spec.org is self.schools[0] and FormCode.TEACHER_TEACHER in p.forms
        }
        order = [index for index in order if id(people[index][0]) not in tour]
        withdrawn_count = max(1, round(len(people) * 0.01))
        missing_count = max(1, round(len(people) * 0.10))
        withdrawn = set(order[:withdrawn_count])
        missing = set(order[withdrawn_count : withdrawn_count + missing_count])
        rows = []
        for index, (spec, entered_on) in enumerate(people):
            minor = spec.age < ADULT_AGE
            kinds = [ConsentKind.MENTORING, ConsentKind.PARENT if minor else ConsentKind.PERSONAL_DATA]
            if index in missing:
                kinds.remove(rng.choice(kinds))
            signed_on = min(entered_on - datetime.timedelta(days=rng.randint(0, 10)), self.today)
            for kind in kinds:
                consent = Consent(
                    person=spec.person,
                    kind=kind,
                    signed_on=signed_on,
                    representative_name=self.parent_name(spec) if kind == ConsentKind.PARENT else "",
                )
                if index in withdrawn and kind == ConsentKind.MENTORING:
                    consent.withdrawn_on = self.date_between(signed_on + datetime.timedelta(days=1), self.today)
                    consent.withdrawn_on = min(consent.withdrawn_on, self.today)
                    consent.notes = "Отозвано по заявлению."
                rows.append(consent)
        Consent.objects.bulk_create(rows, batch_size=BATCH)
        self.consent_count = len(rows)
        self.withdrawn_count = len(withdrawn)
        self.incomplete_count = len(missing)

    # contingent and users ---------------------------------------------------------------------------

    def save_contingents(self) -> None:
        rows = []
        for school in self.schools:
            people = [s for s in self.specs if s.org is school]
            rows.append(
                Contingent(
                    organization=school,
                    year_start=self.year,
                    students_10_18=sum(1 for s in people if s.category == Category.STUDENT and 10 <= s.age <= 18),
                    students_15_18=sum(1 for s in people if s.category == Category.STUDENT and 15 <= s.age <= 18),
                    young_teachers=sum(
                        1
                        for s in people
                        if s.category == Category.TEACHER
                        and 0 <= full_years(s.teaching_since, self.today) <= YOUNG_SPECIALIST_MAX_YEARS
                    ),
                )
            )
        Contingent.objects.bulk_create(rows)

    def save_users(self) -> list[str]:
        """The demo logins and their roles; returns notes to print."""
        User = get_user_model()
        first, second = self.schools[0], self.schools[1]
        director_last, director_first, director_middle = first.director_name.split()
        #: login → (surname, first name, patronymic, position, role, organization). Issue 10: every
        #: role holder has a full name with patronymic and a position, which documents print.
        logins = {
            "coordinator": (
                "Воронцова",
                "Наталья",
                "Дмитриевна",
                "главный специалист управления образования",
                Role.COORDINATOR,
                None,
            ),
            "curator1": ("Белова", "Ольга", "Сергеевна", "заместитель директора по УВР", Role.CURATOR, first),
            "curator2": ("Егорова", "Марина", "Александровна", "заместитель директора по УВР", Role.CURATOR, second),
            "director1": (director_last, director_first, director_middle, "директор", Role.DIRECTOR, first),
        }
        notes = []
        for username, (last_name, first_name, middle_name, position, role, organization) in logins.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username)
            else:
                notes.append(f"Пользователь {username} уже был: пароль и роли заменены демонстрационными.")
                RoleAssignment.objects.filter(user=user).delete()
            user.first_name, user.last_name, user.is_active = first_name, last_name, True
            user.set_password(DEMO_PASSWORD)
            user.save()
            Profile.objects.update_or_create(user=user, defaults={"middle_name": middle_name, "position": position})
            RoleAssignment.objects.create(
                user=user,
                role=role,
                organization=organization,
                municipality=self.municipality if organization is None else None,
            )
        if User.objects.filter(username=ADMIN_LOGIN).exists():
            notes.append(f"Пользователь {ADMIN_LOGIN} уже есть: оставлен без изменений.")
        else:
            User.objects.create_superuser(ADMIN_LOGIN, "", DEMO_PASSWORD, first_name="Администратор")
        return notes

    # the whole ------------------------------------------------------------------------------------------

    def build(self) -> dict:
        self.build_organizations()
        self.build_students()
        self.build_teachers()
        self.build_undergraduates()
        self.build_employers()
        self.save_people()
        self.plan_bases()
        self.save_bases()
        self.save_consents()
        self.save_contingents()
        self.notes = self.save_users()
        by_category = Counter(s.category for s in self.specs)
        counts = {
            "schools": len(self.schools),
            "colleges": 1,
            "partners": len(self.partners),
            "students": by_category[Category.STUDENT],
            "teachers": by_category[Category.TEACHER],
            "young_teachers": sum(
                1
                for s in self.specs
                if s.category == Category.TEACHER
                and full_years(s.teaching_since, self.today) <= YOUNG_SPECIALIST_MAX_YEARS
            ),
            "undergraduates": by_category[Category.UNDERGRADUATE],
            "employers": by_category[Category.EMPLOYER],
            "mentor_records": self.mentor_count,
            "mentee_records": self.mentee_count,
            "consents": self.consent_count,
            "persons_missing_consent": self.incomplete_count,
            "persons_withdrawn_consent": self.withdrawn_count,
            "contingents": len(self.schools),
            "seed": self.seed,
            "scale": self.scale,
        }
        audit_log(actor=None, action=AuditAction.IMPORT, object_repr="Демо-муниципалитет", data=counts)
        return counts


#: The demo logins' patronymics and positions (save_users), for a demo loaded before profiles existed.
DEMO_PROFILES = {
    "coordinator": ("Дмитриевна", "главный специалист управления образования"),
    "curator1": ("Сергеевна", "заместитель директора по УВР"),
    "curator2": ("Александровна", "заместитель директора по УВР"),
    "director1": ("", "директор"),
}
_DOCUMENT_FIELDS = {"place", "date_style", "order_number_pattern", "order_kind"}


def fill_demo_requisites(municipality: Municipality) -> bool:
    """Give a demo loaded before issue 10 its requisites for documents and its logins' patronymics
    and positions: only what is still empty (or the default number pattern), so a coordinator's
    own edits stay. Returns whether anything changed. Running it twice changes nothing."""
    changed = False
    municipality = Municipality.objects.get(pk=municipality.pk)  # as stored, not as the caller loaded it
    defaults = {name: Municipality._meta.get_field(name).get_default() for name in _DOCUMENT_FIELDS}
    updates = {
        name: value
        for name, value in MUNICIPALITY.items()
        if name in _DOCUMENT_FIELDS
        and getattr(municipality, name) in ("", defaults[name])
        and getattr(municipality, name) != value
    }
    if updates:
        Municipality.objects.filter(pk=municipality.pk).update(**updates)
        changed = True
    organizations = municipality.organizations.all()
    changed |= bool(organizations.filter(place="").update(place=DEMO_PLACE))
    changed |= bool(
        organizations.filter(kind=Kind.SCHOOL, order_number_pattern=ORDER_NUMBER_DEFAULT).update(
            order_number_pattern=SCHOOL_ORDER_PATTERN
        )
    )
    User = get_user_model()
    for user in User.objects.filter(username__in=DEMO_PROFILES).select_related("profile"):
        middle_name, position = DEMO_PROFILES[user.username]
        if user.username == "director1":
            # The director login is school № 1's director: the patronymic is the third word of the name.
            school = Organization.objects.filter(role_assignments__user=user).first()
            parts = school.director_name.split() if school else []
            middle_name = parts[2] if len(parts) == 3 else ""
        if " " in user.first_name:  # the demo once kept «Имя Отчество» in the first name
            user.first_name, middle_name = user.first_name.split(" ", 1)
            user.save(update_fields=["first_name"])
            changed = True
        profile, created = Profile.objects.get_or_create(user=user)
        if created or not (profile.middle_name or profile.position):
            profile.middle_name = profile.middle_name or middle_name
            profile.position = profile.position or position
            profile.save(update_fields=["middle_name", "position"])
            changed = True
    return changed


def demo_exists() -> bool:
    return Municipality.objects.filter(name=DEMO_MUNICIPALITY).exists()


def delete_demo() -> int:
    """Delete the demo municipality with its organizations, people and the demo logins.

    Returns the number of people deleted. `admin` is kept (it may not be the demo's own).
    """
    User = get_user_model()
    User.objects.filter(username__in=DEMO_LOGINS).delete()
    municipality = Municipality.objects.filter(name=DEMO_MUNICIPALITY).first()
    if municipality is None:
        return 0
    people = Person.objects.filter(organization__municipality=municipality)
    deleted = people.count()
    Consent.objects.filter(person__in=people).delete()
    MentorRecord.objects.filter(person__in=people).delete()
    MenteeRecord.objects.filter(person__in=people).delete()
    people.delete()
    # The register's documents (the orders issued, their PDFs) hold the municipality and its schools.
    from core.models import IssuedDocument
    from core.services import delete_files_on_commit

    documents = IssuedDocument.objects.filter(municipality=municipality)
    delete_files_on_commit(document.file for document in documents if document.file)
    documents.delete()
    municipality.organizations.all().delete()
    municipality.delete()
    return deleted


def load_demo(
    *, seed: int = DEFAULT_SEED, scale: float = 1.0, reset: bool = False, today: datetime.date | None = None
) -> tuple[dict | None, list[str]]:
    """Build the demo municipality in one transaction. Returns (counts, notes); counts is None
    when it is loaded already and `reset` is off (then nothing changes).

    The registry's part of the demo: `manage.py load_demo` (monitoring) adds the pairs
    (mentorship.demo), and deletes them first on `reset`, since they hold the people."""
    with transaction.atomic():
        if demo_exists() and not reset:
            return None, []
        notes = []
        if reset:
            deleted = delete_demo()
            if deleted:
                notes.append(f"Удалён прежний демо-муниципалитет ({count_noun(deleted, 'человек,человека,человек')}).")
        builder = DemoBuilder(seed=seed, scale=scale, today=today)
        counts = builder.build()
        return counts, notes + builder.notes
