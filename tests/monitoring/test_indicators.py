"""Indicators computed from hand-built pairs and contingents, and the rules of the targets."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.choices import AuditAction
from core.models import AuditEntry
from core.testing.factories import ContingentFactory
from monitoring import indicators
from monitoring.choices import Indicator
from monitoring.indicators import State, cell_name, plan_fact, target_save, targets_save_grid
from monitoring.models import IndicatorTarget
from tests.monitoring.indicator_data import YEAR, coverage_world, make_pair, pupil

pytestmark = pytest.mark.django_db


def cells(data, organization=None):
    """{(indicator, year): cell} of the municipality's block (or a school's)."""
    block = next(b for b in data.blocks if b.organization == organization)
    return {(cell.indicator, cell.year): cell for line in block.lines for cell in line.cells}


def test_it_counts_a_pupil_in_two_forms_once_in_the_share(world):
    coverage_world(world)
    school = cells(plan_fact(world.coordinator, years=[YEAR]), world.school_a)
    mentees = school[(Indicator.MENTEE_SHARE, YEAR)]
    assert (mentees.numerator, mentees.denominator, mentees.actual) == (2, 40, Decimal("5.0"))
    assert mentees.actual_text == "5,0 %"
    assert school[(Indicator.MENTOR_SHARE, YEAR)].actual == Decimal("10.0")  # M, 16; the undergraduate is 20
    assert school[(Indicator.YOUNG_TEACHER_SHARE, YEAR)].actual == Decimal("25.0")
    assert school[(Indicator.ENTERPRISES, YEAR)].actual == 1


def test_it_shows_no_data_without_a_contingent_never_zero(world):
    coverage_world(world)
    data = plan_fact(world.coordinator, years=[YEAR])
    school_b = cells(data, world.school_b)[(Indicator.MENTEE_SHARE, YEAR)]
    assert school_b.numerator == 1 and school_b.actual is None
    assert school_b.state == State.NO_DATA and school_b.actual_text == "нет данных"
    municipal = cells(data)[(Indicator.MENTEE_SHARE, YEAR)]
    assert municipal.actual is None and "1 из 2" in municipal.note
    assert cells(data)[(Indicator.ENTERPRISES, YEAR)].actual == 1  # a count needs no contingent
    block = data.blocks[0]
    assert block.organization is None and block.missing_contingent[YEAR] == [world.school_b]


def test_it_computes_the_municipality_over_distinct_people_and_summed_contingents(world):
    people = coverage_world(world)
    ContingentFactory(
        organization=world.school_b, year_start=YEAR, students_10_18=20, students_15_18=5, young_teachers=0
    )
    # P is mentored in school B as well: the municipality counts P once.
    make_pair(world.school_b, "student_student", pupil(world.school_b, 18), [people["p"]])
    data = plan_fact(world.coordinator, years=[YEAR])
    municipal = cells(data)[(Indicator.MENTEE_SHARE, YEAR)]
    assert (municipal.numerator, municipal.denominator, municipal.actual) == (3, 60, Decimal("5.0"))
    assert cells(data)[(Indicator.YOUNG_TEACHER_SHARE, YEAR)].actual == Decimal("25.0")  # 1 of 4 + 0


def test_it_gives_zero_per_cent_for_a_year_without_pairs_only_with_a_contingent(world):
    coverage_world(world)
    ContingentFactory(organization=world.school_a, year_start=YEAR - 1, students_10_18=30, students_15_18=5)
    data = plan_fact(world.coordinator, years=[YEAR - 1])
    assert cells(data, world.school_a)[(Indicator.MENTEE_SHARE, YEAR - 1)].actual == Decimal("0.0")
    assert cells(data, world.school_b)[(Indicator.MENTEE_SHARE, YEAR - 1)].actual is None


def test_it_sets_the_state_and_shortfall_against_the_target(world):
    coverage_world(world)
    ContingentFactory(organization=world.school_b, year_start=YEAR, students_10_18=20, students_15_18=5)
    for indicator, value in ((Indicator.MENTEE_SHARE, "12.5"), (Indicator.MENTOR_SHARE, "10")):
        IndicatorTarget.objects.create(
            municipality=world.municipality, indicator=indicator, year_start=YEAR, target=Decimal(value)
        )
    data = plan_fact(world.coordinator, years=[YEAR])
    municipal = cells(data)
    mentees = municipal[(Indicator.MENTEE_SHARE, YEAR)]  # P, Q, R of 60 = 5.0 %
    assert mentees.state == State.SHORT and mentees.shortfall == Decimal("7.5") and mentees.shortfall_text == "7,5 %"
    mentors = municipal[(Indicator.MENTOR_SHARE, YEAR)]  # M and R's mentor (17) of 15 = 13.3 %
    assert mentors.actual == Decimal("13.3") and mentors.state == State.REACHED and mentors.shortfall is None
    assert municipal[(Indicator.ENTERPRISES, YEAR)].state == State.NO_PLAN
    rows = data.rows()
    assert {"indicator", "year", "target", "actual", "shortfall", "state"} <= set(rows[0])


def test_a_schools_people_see_their_school_and_the_municipality_only(world):
    coverage_world(world)
    data = plan_fact(world.curator_a, years=[YEAR])
    assert [block.organization for block in data.blocks] == [None, world.school_a]
    # The municipality's row is still over every school of it.
    assert cells(data)[(Indicator.MENTEE_SHARE, YEAR)].numerator == 3
    assert [b.organization for b in plan_fact(world.coordinator_elsewhere, years=[YEAR]).blocks] == [
        None,
        world.school_elsewhere,
    ]


def test_it_finds_the_years_from_targets_and_pairs(world):
    coverage_world(world)
    IndicatorTarget.objects.create(
        municipality=world.municipality, indicator=Indicator.ENTERPRISES, year_start=2021, target=1
    )
    years = plan_fact(world.coordinator).years
    assert years[0] == 2021 and YEAR in years and 2022 not in years


# --- Targets -----------------------------------------------------------------------------------


def target(world, indicator=Indicator.MENTEE_SHARE, year=2024, value="10", organization=None):
    return IndicatorTarget(
        municipality=world.municipality,
        organization=organization,
        indicator=indicator,
        year_start=year,
        target=Decimal(value),
    )


def test_it_saves_a_target_audited_for_the_coordinator(world):
    saved = target_save(target=target(world), user=world.coordinator)
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(saved.pk)).exists()


@pytest.mark.parametrize(
    ("indicator", "year", "value", "field", "message"),
    [
        (Indicator.MENTEE_SHARE, 2024, "100.5", "target", "больше 100 %"),
        (Indicator.ENTERPRISES, 2024, "-1", "target", "отрицательным"),
        (Indicator.ENTERPRISES, 2024, "1.5", "target", "целое"),
        (Indicator.MENTOR_SHARE, 1999, "10", "year_start", "между 2000 и 2100"),
        (Indicator.MENTOR_SHARE, 2101, "10", "year_start", "между 2000 и 2100"),
    ],
)
def test_it_refuses_a_wrong_target_in_russian(world, indicator, year, value, field, message):
    with pytest.raises(ValidationError) as error:
        target_save(target=target(world, indicator, year, value), user=world.coordinator)
    assert message in " ".join(error.value.message_dict[field])
    assert not IndicatorTarget.objects.exists()


@pytest.mark.parametrize("actor", ["curator_a", "director_a", "observer", "coordinator_elsewhere"])
def test_only_the_coordinator_sets_targets(world, actor):
    with pytest.raises(PermissionDenied):
        target_save(target=target(world, organization=world.school_a), user=getattr(world, actor))


def test_it_refuses_another_municipalitys_school(world):
    with pytest.raises(ValidationError) as error:
        target_save(target=target(world, organization=world.school_elsewhere), user=world.coordinator)
    assert "organization" in error.value.message_dict


def test_the_grid_saves_all_or_nothing_with_errors_per_cell(world):
    values = {
        (Indicator.MENTEE_SHARE, 2024): "10,5",
        (Indicator.MENTOR_SHARE, 2024): "120",
        (Indicator.ENTERPRISES, 2024): "x",
    }
    with pytest.raises(ValidationError) as error:
        targets_save_grid(municipality=world.municipality, values=values, user=world.coordinator)
    errors = error.value.message_dict
    assert set(errors) == {cell_name(Indicator.MENTOR_SHARE, 2024), cell_name(Indicator.ENTERPRISES, 2024)}
    assert "не число" in errors[cell_name(Indicator.ENTERPRISES, 2024)][0]
    assert not IndicatorTarget.objects.exists()
    values[(Indicator.MENTOR_SHARE, 2024)], values[(Indicator.ENTERPRISES, 2024)] = "20", "3"
    assert targets_save_grid(municipality=world.municipality, values=values, user=world.coordinator) == 3
    assert IndicatorTarget.objects.get(indicator=Indicator.MENTEE_SHARE).target == Decimal("10.5")
    # An emptied cell removes its target; an unchanged one is left alone.
    values[(Indicator.ENTERPRISES, 2024)] = ""
    assert targets_save_grid(municipality=world.municipality, values=values, user=world.coordinator) == 1
    assert IndicatorTarget.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == 1


def test_the_grid_saves_a_schools_targets_apart(world):
    values = {(Indicator.MENTEE_SHARE, 2024): "15"}
    targets_save_grid(
        municipality=world.municipality, organization=world.school_a, values=values, user=world.coordinator
    )
    targets_save_grid(
        municipality=world.municipality, values={(Indicator.MENTEE_SHARE, 2024): "10"}, user=world.coordinator
    )
    assert set(IndicatorTarget.objects.values_list("organization_id", "target")) == {
        (world.school_a.pk, Decimal("15")),
        (None, Decimal("10")),
    }
    with pytest.raises(PermissionDenied):
        targets_save_grid(
            municipality=world.municipality, organization=world.school_a, values=values, user=world.curator_a
        )


def test_the_demo_targets_grow_and_load_once(world):
    october = datetime.date(2025, 10, 1)
    created = indicators.load_demo_targets(world.municipality, today=october)
    assert created == 5 * len(Indicator)  # 2021..2025
    assert indicators.load_demo_targets(world.municipality, today=october) == 0
    shares = IndicatorTarget.objects.filter(indicator=Indicator.MENTEE_SHARE).order_by("year_start")
    assert [t.target for t in shares][:4] == [10, 20, 30, 40]
    enterprises = IndicatorTarget.objects.filter(indicator=Indicator.ENTERPRISES).order_by("year_start")
    assert [t.target for t in enterprises][:3] == [1, 2, 3]
