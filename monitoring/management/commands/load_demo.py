"""`manage.py load_demo`: the demo municipality (город Назарово) with its pairs and roadmaps, and the
demo logins.

The registry's people (registry.demo), then their pairs, plans, meetings and reports built
through the services (mentorship.demo), then the municipal and a school roadmap imported from the
Word documents the demo writes, with their execution (roadmaps.demo): monitoring.demo joins them,
so that the registry never imports mentorship. Idempotent: when the demo municipality exists
already nothing changes (one loaded before it had pairs or roadmaps gets them); `--reset` deletes
it (its roadmaps and pairs first, then its people, with the demo logins) and builds it again. Deterministic: the same `--seed` on the same day gives
the same people and pairs. Refused where `settings.DEMO_DATA_ALLOWED` is off (production).
"""

from __future__ import annotations

import argparse
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError, RestrictedError

from core.russian import format_number, plural_form
from monitoring.demo import load_demo
from registry.demo import ADMIN_LOGIN, DEFAULT_SEED, DEMO_LOGINS, DEMO_MUNICIPALITY, DEMO_PASSWORD

#: The summary's lines: the count's key, whether it is a part of the line above, and the noun in
#: three forms (one, few, many), so that the number agrees with it («1 колледж», «4 человека»).
LABELS = [
    ("schools", False, "школа,школы,школ"),
    ("colleges", False, "колледж (СПО),колледжа (СПО),колледжей (СПО)"),
    ("partners", False, "предприятие-партнёр,предприятия-партнёра,предприятий-партнёров"),
    ("students", False, "обучающийся,обучающихся,обучающихся"),
    ("teachers", False, "педагог,педагога,педагогов"),
    ("young_teachers", True, ("из них со стажем 0–3 года",) * 3),
    ("undergraduates", False, "студент,студента,студентов"),
    ("employers", False, "представитель работодателя,представителя работодателя,представителей работодателей"),
    ("mentor_records", False, "запись в базе наставников,записи в базе наставников,записей в базе наставников"),
    ("mentee_records", False, "запись в базе наставляемых,записи в базе наставляемых,записей в базе наставляемых"),
    ("consents", False, "согласие,согласия,согласий"),
    (
        "persons_missing_consent",
        True,
        "человек без одного из согласий,человека без одного из согласий,человек без одного из согласий",
    ),
    (
        "persons_withdrawn_consent",
        True,
        "человек с отозванным согласием,человека с отозванным согласием,человек с отозванным согласием",
    ),
    ("contingents", False, "строка контингента,строки контингента,строк контингента"),
    ("pairs", False, "пара наставничества,пары наставничества,пар наставничества"),
    ("pairs_draft", True, "черновик,черновика,черновиков"),
    (
        "pairs_approved",
        True,
        ("утверждённая, ещё не начавшаяся", "утверждённые, ещё не начавшиеся", "утверждённых, ещё не начавшихся"),
    ),
    ("pairs_active", True, "действующая,действующие,действующих"),
    ("pairs_completed", True, "завершённая,завершённые,завершённых"),
    ("pairs_terminated", True, "прекращённая досрочно,прекращённые досрочно,прекращённых досрочно"),
    ("groups", True, "группа (2–3 наставляемых),группы (2–3 наставляемых),групп (2–3 наставляемых)"),
    ("approval_orders", False, "приказ об утверждении пар,приказа об утверждении пар,приказов об утверждении пар"),
    ("meetings", False, "встреча,встречи,встреч"),
    (
        "monthly_reports",
        False,
        "ежемесячный отчёт наставника,ежемесячных отчёта наставников,ежемесячных отчётов наставников",
    ),
    ("completion_reports", False, "итоговый отчёт,итоговых отчёта,итоговых отчётов"),
    ("recognitions", False, "поощрение наставника,поощрения наставников,поощрений наставников"),
    ("practices", False, "практика в банке практик,практики в банке практик,практик в банке практик"),
    ("roadmaps", False, "дорожная карта,дорожные карты,дорожных карт"),
    ("roadmap_items", True, "пункт,пункта,пунктов"),
    (
        "roadmap_executions",
        False,
        "отметка об исполнении пункта,отметки об исполнении пунктов,отметок об исполнении пунктов",
    ),
    ("roadmap_done", True, ("из них «выполнено»",) * 3),
    ("campaigns", False, "сбор информации,сбора информации,сборов информации"),
    ("answers_accepted", True, "ответ школы принят,ответа школ принято,ответов школ принято"),
    ("documents", True, "документ пакета представлен,документа пакета представлено,документов пакета представлено"),
]


def scale_value(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not 0.01 <= number <= 10:
        raise argparse.ArgumentTypeError(f"нужно число от 0.01 до 10, а не {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Загрузить демо-муниципалитет «город Назарово» с парами наставничества и логинами coordinator, curator1, curator2, director1 "
        f"(пароль {DEMO_PASSWORD}) и admin. Load the demo municipality, its pairs and logins (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Удалить демо-муниципалитет и загрузить заново.")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Зерно генератора (по умолчанию {DEFAULT_SEED})."
        )
        parser.add_argument(
            "--scale",
            type=scale_value,
            default=1.0,
            help="Доля от полного размера (0.01–10; 0.1 — для быстрых тестов).",
        )

    def handle(self, *args, reset: bool, seed: int, scale: float, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "Загрузка демо-данных запрещена в этой среде (DEMO_DATA_ALLOWED = False). "
                "Demo data is not allowed here (settings.DEMO_DATA_ALLOWED is False)."
            )
        started = time.monotonic()
        try:
            counts, notes = load_demo(seed=seed, scale=scale, reset=reset)
        except LookupError as error:
            raise CommandError(str(error)) from error
        except (ProtectedError, RestrictedError) as error:
            raise CommandError(
                f"Демо-муниципалитет нельзя удалить: на его записи ссылаются другие данные ({error.args[0]}). "
                "Удалите их или пересоздайте базу. The demo municipality is referenced by other data."
            ) from error
        if counts is None:
            self.stdout.write(
                f"Демо-муниципалитет «{DEMO_MUNICIPALITY}» уже загружен: ничего не изменено "
                "(--reset — загрузить заново)."
            )
            self.write_logins()
            return
        for note in notes:
            self.stdout.write(note)
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-муниципалитет «{DEMO_MUNICIPALITY}» загружен за {time.monotonic() - started:.1f} с "
                f"(seed {seed}, scale {scale:g}):"
            )
        )
        labels = [label for label in LABELS if label[0] in counts]
        width = max(len(format_number(counts[key])) for key, _part, _forms in labels)
        for key, is_part, forms in labels:
            indent = "  " if is_part else ""
            self.stdout.write(f"  {format_number(counts[key]):>{width}}  {indent}{plural_form(counts[key], forms)}")
        self.write_logins()

    def write_logins(self) -> None:
        self.stdout.write(
            f"Логины: {', '.join(DEMO_LOGINS)} (пароль {DEMO_PASSWORD}); {ADMIN_LOGIN} — администратор Django."
        )
