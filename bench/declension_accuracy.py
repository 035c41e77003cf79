#!/usr/bin/env python
"""How many of the hand-written forms of tests/core/declension_cases.py each candidate gets right.

    .venv/bin/python bench/declension_accuracy.py [--misses N]

For each candidate, bare (no rules of ours), and for `core.declension`: out of the set's
(name, case) pairs in the genitive, dative, accusative and instrumental, how many full names
come out exactly as written by hand (letter «ё» and capitals included). Every candidate is given
the person's sex from the set, so the figures compare declension, not gender guessing.

Candidates:
- pymorphy3 (pinned in requirements.txt): each part parsed, the parse with the part's grammeme
  (`Surn`, `Name`, `Patr`) and the person's gender preferred, then `inflect`;
- petrovich (PyPI «Petrovich» 2.0.1, the newest on the index): a port of the Ruby petrovich rules.
  Its wheel installs top-level packages named `tests` and `example` into site-packages (they
  would shadow the project's `tests`), so it is not installed in the project's virtualenv:
  `pip install --no-deps --target /tmp/benchlibs Petrovich==2.0.1` and pass `--extra-path /tmp/benchlibs`;
- pytrovich 0.2.0 (requirements-dev.txt): another port of the same petrovich rules.

Both hand-written sets are measured apart: NAMES (the rules were written with it in view) and
HOLDOUT (written after the rules, to see how they generalize). Last, the share of a typical
municipality's names (Faker ru_RU, the demo's source) that `core.declension` is not confident of.
A candidate that is not installed is reported as such and skipped. `core.declension` is counted
twice: every form it returns, and only the confident ones (a form it declined to decline is
returned in the nominative with confident=False: wrong for this count, but never silently).
This is a measurement, not a test: it always exits 0 unless something breaks.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.core.declension_cases import CASE_NAMES, HOLDOUT, NAMES, NameCase  # noqa: E402

Decliner = Callable[[NameCase, str], str]


def _pymorphy() -> Decliner:
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    grammemes = {"genitive": "gent", "dative": "datv", "accusative": "accs", "instrumental": "ablt"}

    def word(value: str, role: str, sex: str, case: str) -> str:
        gender = "masc" if sex == "M" else "femn"
        parses = [p for p in morph.parse(value) if p.tag.case == "nomn"]
        ranked = sorted(
            parses,
            key=lambda p: (role not in p.tag, gender not in p.tag and "ms-f" not in p.tag),
        )
        for parse in ranked:
            form = parse.inflect({grammemes[case]})
            if form is not None:
                return _like(value, form.word)
        return value

    def decline(name: NameCase, case: str) -> str:
        parts = [
            "-".join(word(piece, role, name.sex, case) for piece in value.split("-"))
            for value, role in ((name.last_name, "Surn"), (name.first_name, "Name"), (name.middle_name, "Patr"))
            if value
        ]
        return " ".join(parts)

    return decline


def _like(original: str, form: str) -> str:
    return form[:1].upper() + form[1:] if original[:1].isupper() else form


def _petrovich() -> Decliner:
    from petrovich.enums import Case, Gender
    from petrovich.main import Petrovich

    engine = Petrovich()
    cases = {"genitive": Case.GENITIVE, "dative": Case.DATIVE, "accusative": Case.ACCUSATIVE}
    cases["instrumental"] = Case.INSTRUMENTAL

    def decline(name: NameCase, case: str) -> str:
        gender = Gender.MALE if name.sex == "M" else Gender.FEMALE
        parts = [
            engine.lastname(name.last_name, cases[case], gender),
            engine.firstname(name.first_name, cases[case], gender),
        ]
        if name.middle_name:
            parts.append(engine.middlename(name.middle_name, cases[case], gender))
        return " ".join(parts)

    return decline


def _pytrovich() -> Decliner:
    from pytrovich.enums import Case, Gender, NamePart
    from pytrovich.maker import PetrovichDeclinationMaker

    maker = PetrovichDeclinationMaker()
    cases = {"genitive": Case.GENITIVE, "dative": Case.DATIVE, "accusative": Case.ACCUSATIVE}
    cases["instrumental"] = Case.INSTRUMENTAL

    def decline(name: NameCase, case: str) -> str:
        gender = Gender.MALE if name.sex == "M" else Gender.FEMALE
        parts = [
            maker.make(part, gender, cases[case], value)
            for value, part in (
                (name.last_name, NamePart.LASTNAME),
                (name.first_name, NamePart.FIRSTNAME),
                (name.middle_name, NamePart.MIDDLENAME),
            )
            if value
        ]
        return " ".join(parts)

    return decline


def _ours(confident_only: bool) -> Decliner:
    from core.declension import Case, decline_name

    cases = {"genitive": Case.GENITIVE, "dative": Case.DATIVE, "accusative": Case.ACCUSATIVE}
    cases["instrumental"] = Case.INSTRUMENTAL

    def decline(name: NameCase, case: str) -> str:
        result = decline_name(name.last_name, name.first_name, name.middle_name, cases[case], sex=name.sex)
        if confident_only and not result.confident:
            return "(не уверен)"
        return result.text

    return decline


CANDIDATES: dict[str, Callable[[], Decliner]] = {
    "pymorphy3 2.0.6 (bare)": _pymorphy,
    "petrovich 2.0.1 (bare)": _petrovich,
    "pytrovich 0.2.0 (bare)": _pytrovich,
    "core.declension (all forms)": lambda: _ours(confident_only=False),
    "core.declension (confident forms)": lambda: _ours(confident_only=True),
}


def _measure(label: str, decline: Decliner, names: list[NameCase], shown: int) -> None:
    total = len(names) * len(CASE_NAMES)
    started = time.perf_counter()
    misses = []
    names_right = 0
    for name in names:
        all_right = True
        for case in CASE_NAMES:
            got = decline(name, case)
            if got != name.form(case):
                all_right = False
                misses.append(f"{name.nominative} [{case}]: {got!r}, expected {name.form(case)!r}")
        names_right += all_right
    elapsed = time.perf_counter() - started
    right = total - len(misses)
    print(
        f"  {label:36} {right:4}/{total} forms ({right / total:6.1%}), "
        f"{names_right:3}/{len(names)} names in all four cases, {elapsed * 1000:6.0f} ms"
    )
    for miss in misses[:shown]:
        print(f"      {miss}")


def _demo_names(count: int) -> None:
    """How often core.declension declines to decline a typical municipality's name: Faker's
    ru_RU surnames, first names and patronymics (the demo's source), seeded."""
    from faker import Faker

    from core.declension import Case, decline_name

    faker = Faker("ru_RU")
    faker.seed_instance(10)
    reasons: dict[str, int] = {}
    forms = 0
    for index in range(count):
        male = index % 2 == 0
        if male:
            name = (faker.last_name_male(), faker.first_name_male(), faker.middle_name_male())
        else:
            name = (faker.last_name_female(), faker.first_name_female(), faker.middle_name_female())
        for case in (Case.GENITIVE, Case.DATIVE, Case.ACCUSATIVE, Case.INSTRUMENTAL):
            forms += 1
            result = decline_name(*name, case)
            if not result.confident:
                reasons[result.reason] = reasons.get(result.reason, 0) + 1
    unsure = sum(reasons.values())
    print(f"Faker ru_RU names (seed 10): {count} names, {forms} forms, not confident: {unsure} ({unsure / forms:.2%})")
    for reason, times in sorted(reasons.items(), key=lambda item: -item[1])[:5]:
        print(f"      {times} × {reason}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", type=int, default=5, help="wrong forms shown per candidate")
    parser.add_argument("--demo-names", type=int, default=2000, help="Faker names for the not-confident share")
    parser.add_argument("--extra-path", action="append", default=[], help="a directory added to sys.path")
    args = parser.parse_args()
    sys.path.extend(args.extra_path)

    for title, names in (("The set (tests/core/declension_cases.py NAMES)", NAMES), ("The holdout (HOLDOUT)", HOLDOUT)):
        total = len(names) * len(CASE_NAMES)
        print(f"{title}: {len(names)} names × {len(CASE_NAMES)} cases = {total} forms")
        for label, make in CANDIDATES.items():
            try:
                decline = make()
            except ImportError as error:
                print(f"  {label:36} not installed ({error.name})")
                continue
            _measure(label, decline, names, args.misses)
        print()
    _demo_names(args.demo_names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
