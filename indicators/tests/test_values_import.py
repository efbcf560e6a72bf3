"""Indicator values from CSV: every wrong row named with its field and reason, nothing saved
unless every row is right, and a second import of the same file changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from assets.models import Area, AreaLevel
from indicators.models import Indicator, IndicatorValue
from indicators.services import indicator_values_import

pytestmark = pytest.mark.django_db

HEADER = (
    "indicator,area_code,period,value,lower_ci,upper_ci,numerator,denominator,source,illustrative\n"
)


@pytest.fixture
def areas():
    return [
        Area.objects.create(code="W92000004", name_en="Wales", level=AreaLevel.LOCAL_AUTHORITY),
        Area.objects.create(code="W02000173", name_en="Swansea 021", level=AreaLevel.MSOA),
    ]


def import_rows(*lines: str) -> int:
    return indicator_values_import(content=HEADER + "\n".join(lines) + "\n")


def errors_of(*lines: str) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        import_rows(*lines)
    assert IndicatorValue.objects.count() == 0
    return raised.value.messages


def test_the_seeded_set_covers_the_three_domains_in_both_languages():
    by_domain = {
        domain: Indicator.objects.filter(domain=domain).count()
        for domain in ("individual", "community", "structural")
    }
    assert all(count >= 4 for count in by_domain.values()), by_domain
    assert not Indicator.objects.filter(name_cy="").exists()
    assert not Indicator.objects.filter(definition_cy="").exists()


def test_a_good_file_saves_every_value_and_a_second_import_replaces_them(areas):
    lines = [
        "volunteering,W92000004,2024-25,27.0,25.9,28.1,2700,10000,National Survey for Wales,no",
        "volunteering,w02000173,2024-25,19.5,14.2,26.1,39,200,,yes",
    ]
    assert import_rows(*lines) == 2
    assert import_rows(*lines) == 2
    assert IndicatorValue.objects.count() == 2
    msoa = IndicatorValue.objects.get(area__code="W02000173")
    assert (msoa.value, msoa.lower, msoa.upper, msoa.illustrative) == (19.5, 14.2, 26.1, True)
    import_rows("volunteering,W02000173,2024-25,21.0,,,,,,")
    msoa.refresh_from_db()
    assert (msoa.value, msoa.lower, msoa.illustrative) == (21.0, None, False)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "nothing,W92000004,2024,1,,,,,,",
            "Row 2, indicator: no indicator has the code “nothing”.",
        ),
        (
            "volunteering,W99,2024,1,,,,,,",
            "Row 2, area_code: no area has the code “W99”; import its boundary first.",
        ),
        ("volunteering,W92000004,24,1,,,,,,", "Row 2, period: “24” is not a period"),
        ("volunteering,W92000004,2024,,,,,,,", "Row 2, value: every row needs a value."),
        ("volunteering,W92000004,2024,lots,,,,,,", "Row 2, value: “lots” is not a number."),
        ("volunteering,W92000004,2024,nan,,,,,,", "Row 2, value: “nan” is not a number."),
        ("volunteering,W92000004,2024,inf,,,,,,", "Row 2, value: “inf” is not a number."),
        ("volunteering,W92000004,2024,10,9,,,,,", "Row 2, lower_ci: give both limits"),
        ("volunteering,W92000004,2024,10,11,12,,,,", "Row 2, value: the value must lie between"),
        (
            "volunteering,W92000004,2024,10,,,5,0,,",
            "Row 2, denominator: the denominator must be above 0.",
        ),
        (
            "volunteering,W92000004,2024,10,,,11,10,,",
            "Row 2, numerator: the numerator cannot be larger",
        ),
        (
            "volunteering,W92000004,2024,100.1,,,,,,",
            "Row 2, value: a percentage must be between 0 and 100.",
        ),
        (
            "volunteering,W92000004,2024,-0.1,,,,,,",
            "Row 2, value: a percentage must be between 0 and 100.",
        ),
        (
            "assets-per-1000,W92000004,2024,-0.1,,,,,,",
            "Row 2, value: a count or rate cannot be below 0.",
        ),
        ("volunteering,W92000004,2024,10,,,,,,maybe", "Row 2, illustrative: write yes or no."),
    ],
)
def test_a_wrong_row_is_named_with_its_field_and_nothing_is_saved(areas, line, message):
    good = "volunteering,W02000173,2024,10,,,,,,"
    messages = errors_of(good, line.replace("Row 2", "Row 3"))
    assert any(text.startswith(message.replace("Row 2", "Row 3")) for text in messages), messages


@pytest.mark.parametrize("value", ["0", "100", "10"])
def test_values_on_the_edges_of_their_range_are_accepted(areas, value):
    assert import_rows(f"volunteering,W92000004,2024,{value},{value},{value},10,10,,") == 1


def test_the_same_indicator_area_and_period_twice_is_refused_at_the_second_row(areas):
    messages = errors_of(
        "volunteering,W92000004,2024,10,,,,,,", "volunteering,W92000004,2024,11,,,,,,"
    )
    assert messages == ["Row 3, period: row 2 has the same indicator, area and period."]


def test_every_wrong_row_is_listed_not_only_the_first(areas):
    messages = errors_of("nothing,W92000004,2024,1,,,,,,", "volunteering,W92000004,2024,x,,,,,,")
    assert [text.split(":")[0] for text in messages] == ["Row 2, indicator", "Row 3, value"]


def test_a_file_without_a_needed_column_or_with_an_unknown_one_is_refused_before_any_row(areas):
    with pytest.raises(ValidationError) as raised:
        indicator_values_import(
            content="indicator,area,period,value\nvolunteering,W92000004,2024,1\n"
        )
    assert raised.value.messages == [
        "The file has no column area_code.",
        "The file has a column this import does not know: area (it knows indicator, area_code, "
        "period, value, lower_ci, upper_ci, numerator, denominator, source, illustrative).",
    ]
    with pytest.raises(ValidationError, match="no rows of values"):
        indicator_values_import(content="\ufeff" + HEADER)
