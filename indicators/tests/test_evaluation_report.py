"""The evaluation report: every instrument by time point and group, the paired change with
its interval and effect size, network measures, and its CSV, XLSX and PDF — all through the
disclosure rules, for the sites the reader reaches."""

import csv
import io
import math

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Role
from core.tests.factories import SiteFactory
from indicators import evaluation
from indicators.charts import label_places, line_svg
from indicators.statistics import t95
from participants import services
from participants.instruments import INSTRUMENTS
from participants.tests.test_networks import contact, name, taking_part

pytestmark = pytest.mark.django_db
HIDDEN = "not shown (fewer than 10)"
REPORT = "indicators:evaluation-report"


def gse(participant, total, *, time_point="baseline"):
    """Ten General Self-Efficacy items (1–4 each) adding up to `total` (10–40)."""
    values = [1] * 10
    extra = total - 10
    for index in range(10):
        step = min(3, extra)
        values[index] += step
        extra -= step
    services.response_record(
        participant=participant,
        instrument="gse",
        time_point=time_point,
        answers={f"gse_{n}": value for n, value in enumerate(values, start=1)},
        by=None,
    )


def swemwbs(participant, value, *, time_point="baseline"):
    """All seven items answered `value` (3 → metric 19.25; 4 → 25.03; 2 → 15.32)."""
    services.response_record(
        participant=participant,
        instrument="swemwbs",
        time_point=time_point,
        answers={f"swemwbs_{n}": value for n in range(1, 8)},
        by=None,
    )


def report(*, exact=False, participants=None):
    from participants.models import Participant

    people = Participant.objects.all() if participants is None else participants
    return evaluation.report(participants=people, exact=exact)


def instrument(found, code):
    return next(item for item in found.instruments if item.code == code)


def score_row(found, code, *, point="Baseline", group="Tenants"):
    rows = instrument(found, code).scores.rows
    return next(row for row in rows if str(row[1]) == point and str(row[2]) == group)


def change_row(found, code, *, group="Tenants"):
    return next(row for row in instrument(found, code).change.rows if str(row[1]) == group)


# --- What it covers ------------------------------------------------------------------------


def test_every_instrument_has_measures_and_a_table_of_scores_and_of_change():
    assert set(evaluation.MEASURES) == set(INSTRUMENTS)
    found = report()
    assert [item.code for item in found.instruments] == list(INSTRUMENTS)
    slugs = [table.slug for table in found.tables]
    assert len(slugs) == len(set(slugs))
    for code in INSTRUMENTS:
        assert f"scores-{code}" in slugs and f"change-{code}" in slugs


# --- Disclosure at its edges ---------------------------------------------------------------


@pytest.mark.parametrize(("people", "shown"), [(9, HIDDEN), (10, 20.5), (11, 20.5)])
def test_a_mean_shows_from_ten_people(people, shown):
    values = ([20, 21] * 6)[:people]  # 9: 20.4; 10: 20.5; 11: 225 / 11 = 20.45
    for value in values:
        gse(taking_part(cohort="tenant"), value)
    row = score_row(report(), "gse")
    assert row[3:5] == [people, shown]
    assert score_row(report(exact=True), "gse")[4] == round(sum(values) / people, 1)


@pytest.mark.parametrize(("people", "shown"), [(4, "<5"), (5, 5), (6, 6)])
def test_a_count_of_one_to_four_people_shows_as_under_five(people, shown):
    for _number in range(people):
        gse(taking_part(cohort="refugee"), 25)
    found = report()
    assert score_row(found, "gse", group="People seeking sanctuary")[3] == shown
    assert score_row(found, "gse", group="All")[3] == shown
    assert score_row(report(exact=True), "gse", group="People seeking sanctuary")[3] == people


def test_the_mean_over_all_is_hidden_when_a_group_in_it_is_too_small_to_show_its_own():
    for _number in range(10):
        gse(taking_part(cohort="tenant"), 20)
    for _number in range(3):
        gse(taking_part(cohort="refugee"), 40)
    found = report()
    assert score_row(found, "gse")[4] == 20.0
    assert score_row(found, "gse", group="All")[4] == HIDDEN  # else 40 could be worked out
    assert score_row(report(exact=True), "gse", group="All")[4] == round((10 * 20 + 3 * 40) / 13, 1)


# --- Paired change, interval and effect size -----------------------------------------------


def test_the_paired_change_its_interval_and_effect_size_match_a_hand_computed_example():
    # Changes 2, 4 and 6: mean 4, standard deviation 2, t(2) = 4.303,
    # half-width 4.303 × 2 / √3 = 4.969; d_z = 4 / 2 = 2.
    change = evaluation.paired_change([(10, 12), (20, 24), (30, 36)])
    assert change["n"] == 3
    assert change["mean"] == pytest.approx(4)
    assert change["lower"] == pytest.approx(4 - 4.303 * 2 / math.sqrt(3))
    assert change["upper"] == pytest.approx(4 + 4.303 * 2 / math.sqrt(3))
    assert change["effect"] == pytest.approx(2.0)
    assert t95(2) == 4.303


def test_paired_change_of_identical_changes_has_no_effect_size_and_one_pair_no_interval():
    assert evaluation.paired_change([(1, 3), (2, 4)])["effect"] is None
    one = evaluation.paired_change([(1, 3)])
    assert (one["mean"], one["lower"], one["effect"]) == (2, None, None)
    assert evaluation.paired_change([])["n"] == 0


def test_the_report_pairs_baseline_with_follow_up_by_person_and_shows_it_from_ten():
    changes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    for change in changes:
        person = taking_part(cohort="tenant")
        gse(person, 20)
        gse(person, 20 + change, time_point="follow_up")
    gse(taking_part(cohort="tenant"), 30, time_point="follow_up")  # no baseline: not paired
    row = change_row(report(), "gse")
    mean, sd = 5.5, 3.0276503540974917
    half = t95(9) * sd / math.sqrt(10)
    assert row[2] == 10
    assert row[3:7] == [5.5, round(mean - half, 2), round(mean + half, 2), round(mean / sd, 2)]
    assert row[7] == "none defined"
    # Nine pairs: nothing shown to an evaluator, everything to a coordinator.
    nine = change_row(report(exact=True), "gse")
    assert nine[3] == 5.5


def test_nine_pairs_show_no_change_to_evaluators():
    for change in range(9):
        person = taking_part(cohort="tenant")
        gse(person, 20)
        gse(person, 21 + change, time_point="follow_up")
    row = change_row(report(), "gse")
    assert row[2:7] == [9, HIDDEN, None, None, None]
    assert change_row(report(exact=True), "gse")[3] == 5.0


def test_swemwbs_change_counts_improved_people_by_three_points_or_more():
    # 3 → 4 is 19.25 → 25.03 (+5.78, improved); 3 → 3 no change; 3 → 2 is −3.93 (worse).
    plan = [4] * 6 + [3] * 3 + [2] * 2
    for after in plan:
        person = taking_part(cohort="tenant")
        swemwbs(person, 3)
        swemwbs(person, after, time_point="follow_up")
    exact = change_row(report(exact=True), "swemwbs")
    assert exact[2] == 11
    assert exact[7:11] == [6, 3, 2, round(100 * 6 / 11, 1)]
    shown = change_row(report(), "swemwbs")
    assert shown[7:10] == [6, "<5", "withheld"] or "<5" in shown[7:10]
    assert shown[10] == round(100 * 6 / 11, 1)


def test_the_swemwbs_change_over_all_is_withheld_when_a_group_in_it_is_under_ten():
    for after in [4] * 6 + [3] * 6:
        person = taking_part(cohort="tenant")
        swemwbs(person, 3)
        swemwbs(person, after, time_point="follow_up")
    for after in (4, 4, 3):  # three people seeking sanctuary: two improved
        person = taking_part(cohort="refugee")
        swemwbs(person, 3)
        swemwbs(person, after, time_point="follow_up")
    found = report()
    assert change_row(found, "swemwbs")[7:11] == [6, 6, 0, 50.0]
    everyone = change_row(found, "swemwbs", group="All")
    # Else all (8 improved) less tenants (6) would say two people seeking sanctuary improved.
    assert everyone[7:11] == ["withheld", "withheld", "withheld", HIDDEN]
    assert change_row(report(exact=True), "swemwbs", group="All")[7:10] == [8, 7, 0]


# --- Sites ---------------------------------------------------------------------------------


@pytest.mark.parametrize("granted", [0, 1, 2])
def test_evaluators_see_only_the_sites_they_are_granted(client_as, granted):
    sites = [SiteFactory(slug="north"), SiteFactory(slug="south")]
    for site, people in zip(sites, (10, 12), strict=True):
        for _number in range(people):
            gse(taking_part(cohort="tenant", site=site), 20)
    client = client_as(Role.EVALUATOR, sites=sites[:granted])
    response = client.get(reverse(REPORT))
    found = response.context["report"]
    rows = instrument(found, "gse").scores.rows
    expected = {0: [], 1: [10], 2: [22]}[granted]
    assert [row[3] for row in rows if str(row[2]) == "Tenants"] == expected


# --- Network and sociogram -----------------------------------------------------------------


def test_network_measures_come_before_and_after_by_group():
    people = [taking_part(cohort="tenant") for _ in range(10)]
    for person in people:
        name(person, contact("sanctuary"), contact("tenant"))
        name(person, contact("sanctuary"), contact("sanctuary"), time_point="follow_up")
    rows = report().network.rows
    before = next(r for r in rows if str(r[0]) == "Baseline" and str(r[1]) == "Tenants")
    after = next(r for r in rows if str(r[0]) == "Follow-up" and str(r[1]) == "Tenants")
    assert before[2:] == [10, 2.0, 1.0, 1.0, 0.0]
    assert after[2:] == [10, 2.0, 0.0, 2.0, 1.0]


def test_sociogram_labels_do_not_overlap_each_other_or_leave_the_drawing():
    nodes = [
        {"code": f"P-{n:03d}", "x": 100 + (n % 4) * 30, "y": 100 + (n // 4) * 20, "degree": 1}
        for n in range(12)
    ]
    placed = label_places(nodes, width=600, height=400)
    boxes = [node["label_box"] for node in placed]
    overlapping = sum(
        a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )
    # Twelve codes crowded 30 apart: a code below each node alone would overlap many times.
    assert overlapping <= 2
    assert all(box[0] >= 0 and box[2] <= 600 for box in boxes)


def test_a_line_chart_leaves_a_gap_where_a_mean_is_not_shown():
    chart = evaluation.Chart(
        title="x",
        points=["Baseline", "Midpoint", "Follow-up"],
        series=[
            evaluation.Series(label="Tenants", values=[20.0, None, 22.0]),
            evaluation.Series(label="All", values=[None, 21.0, None]),
        ],
    )
    svg = line_svg(chart, title="Mean")
    # Segments between points are drawn from x = 60.0 and 285.0; the grid and key from 60.
    assert '<line x1="60.0"' not in svg and '<line x1="285.0"' not in svg
    chart.series[0].values[1] = 21.0
    svg = line_svg(chart, title="Mean")
    assert '<line x1="60.0"' in svg and '<line x1="285.0"' in svg


def test_a_line_chart_leaves_out_a_time_point_where_no_group_has_a_mean():
    chart = evaluation.Chart(
        title="x",
        points=["Baseline", "Midpoint", "Follow-up"],
        series=[
            evaluation.Series(label="Tenants", values=[20.0, None, 22.0]),
            evaluation.Series(label="All", values=[None, None, 21.0]),
        ],
    )
    svg = line_svg(chart, title="Mean")
    assert "Midpoint" not in svg and '<line x1="60.0"' in svg  # baseline joined to follow-up
    assert (
        line_svg(
            evaluation.Chart(title="x", points=["a"], series=[evaluation.Series("T", [None])]),
            title="Mean",
        )
        == ""
    )


# --- Page and downloads --------------------------------------------------------------------


def ten_tenants_and_three_refugees():
    for number in range(10):
        person = taking_part(cohort="tenant")
        swemwbs(person, 3)
        swemwbs(person, 4 if number % 2 else 3, time_point="follow_up")
    for _number in range(3):
        swemwbs(taking_part(cohort="refugee"), 3)


def test_the_page_shows_every_instrument_and_the_swemwbs_notice(evaluator_client):
    ten_tenants_and_three_refugees()
    page = evaluator_client.get(reverse(REPORT)).content.decode()
    for item in INSTRUMENTS.values():
        assert str(item.name).replace("'", "&#x27;") in page
    assert "SWEMWBS © NHS Health Scotland" in page
    assert "&lt;5" in page and "19.2" in page
    assert "<title>Mean by time point: Wellbeing, metric score" in page


def test_the_csv_holds_every_table_with_its_name_in_the_first_column(evaluator_client):
    ten_tenants_and_three_refugees()
    response = evaluator_client.get(reverse("indicators:evaluation-report-download", args=["csv"]))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    tables = {row[0] for row in rows if row[0] != "table"}
    assert {"scores-swemwbs", "change-swemwbs", "change-gse"} <= tables
    swemwbs_rows = [row for row in rows if row[0] == "scores-swemwbs"]
    assert swemwbs_rows[1][2:5] == ["Baseline", "People seeking sanctuary", "<5"]


def test_the_xlsx_has_a_sheet_per_table_and_notes_and_never_counts_one_to_four(evaluator_client):
    ten_tenants_and_three_refugees()
    response = evaluator_client.get(reverse("indicators:evaluation-report-download", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert "scores-swemwbs" in book.sheetnames and book.sheetnames[-1] == "Notes"
    notes = " ".join(str(cell.value) for row in book["Notes"].iter_rows() for cell in row)
    assert "SWEMWBS © NHS Health Scotland" in notes and "Student's t" in notes
    people_columns = ("People", "People with baseline and follow-up", "People with network answers")
    for sheet in book.worksheets[:-1]:
        header = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
        for column, title in enumerate(header):
            if title in people_columns:
                for (value,) in sheet.iter_rows(
                    min_row=3, min_col=column + 1, max_col=column + 1, values_only=True
                ):
                    assert value not in (1, 2, 3, 4), (sheet.title, value)


def test_the_pdf_holds_the_figures_and_the_notice(evaluator_client):
    from pypdf import PdfReader

    ten_tenants_and_three_refugees()
    response = evaluator_client.get(reverse("indicators:evaluation-report-download", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Evaluation report" in text and "SWEMWBS © NHS Health Scotland" in text
    assert "<5" in text and "19.2" in text


def test_an_unknown_format_is_not_found(evaluator_client):
    url = reverse("indicators:evaluation-report-download", args=["doc"])
    assert evaluator_client.get(url).status_code == 404


def test_the_report_takes_a_fixed_number_of_queries(
    evaluator_client, django_assert_max_num_queries
):
    def add(count):
        for number in range(count):
            person = taking_part(cohort=("tenant", "refugee")[number % 2])
            swemwbs(person, 3)
            swemwbs(person, 4, time_point="follow_up")
            name(person, contact("tenant"), contact("sanctuary"))

    add(3)
    # The report's own reads, and the outcomes' data version twice (its figures and its
    # charts' fragment are each cached under it).
    with django_assert_max_num_queries(16) as few:
        evaluator_client.get(reverse(REPORT))
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert evaluator_client.get(reverse(REPORT)).status_code == 200
