"""The pseudonymised dataset, its dictionary, the summary and the evaluation pages.

The tests in the last section (pages and downloads) reverse the evaluation pages of the
`participants:` URL namespace, served under the i18n prefix (/en/…).
"""

import csv
import io
from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from core.models import Role
from participants import evaluation, services
from participants.instruments import SWEMWBS_NOTICE
from participants.models import AuditEvent, Consent, ConsentScope, InformationSheet
from participants.tests.test_networks import contact, name, taking_part
from tests.browser import DESKTOP, PHONE, assert_accessible, assert_fits_width, screenshot, sign_in

pytestmark = pytest.mark.django_db
HIDDEN_MEAN = "not shown (fewer than 10)"
TODAY = timezone.localdate()


def swemwbs(participant, value, *, time_point="baseline", completed_on=None):
    """All seven SWEMWBS items answered `value` (3 → raw 21, metric 19.25; 4 → 28, 25.03)."""
    services.response_record(
        participant=participant,
        instrument="swemwbs",
        time_point=time_point,
        answers={f"swemwbs_{n}": value for n in range(1, 8)},
        by=None,
        completed_on=completed_on,
    )


def ucla3(participant, value, *, time_point="baseline"):
    services.response_record(
        participant=participant,
        instrument="ucla3",
        time_point=time_point,
        answers={f"ucla3_{n}": value for n in range(1, 4)},
        by=None,
    )


def parse(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --- The dataset --------------------------------------------------------------------------


def test_the_dataset_has_one_row_per_participant_per_time_point():
    tenant = taking_part(cohort="tenant", age_band="35-49", gender="woman")
    refugee = taking_part(cohort="refugee")
    swemwbs(tenant, 3, completed_on=date(2026, 1, 5))
    ucla3(tenant, 2)
    name(tenant, contact("sanctuary", alter=refugee), contact("tenant", formed="workshop"))
    swemwbs(tenant, 4, time_point="follow_up")
    name(refugee, contact("tenant", alter=tenant), time_point="follow_up")
    rows = evaluation.dataset_rows()
    assert [(row["code"], row["time_point"]) for row in rows] == [
        (tenant.code, "baseline"), (tenant.code, "follow_up"), (refugee.code, "follow_up"),
    ]  # fmt: skip
    baseline = rows[0]
    assert (baseline["cohort"], baseline["age_band"], baseline["gender"]) == (
        "tenant", "35-49", "woman",
    )  # fmt: skip
    assert (baseline["swemwbs_raw"], baseline["swemwbs_metric"]) == (21, 19.25)
    assert (baseline["ucla3_total"], baseline["ucla3_lonely"]) == (6, True)
    assert (baseline["network_size"], baseline["network_group_sanctuary"]) == (2, 1)
    assert (baseline["bonding"], baseline["bridging"], baseline["ei_index"]) == (1, 1, 0.0)
    assert (baseline["via_workshop"], baseline["to_participants"]) == (1, 1)
    assert baseline["completed_on"] == TODAY  # the latest of that time point's answers
    assert rows[2]["swemwbs_metric"] is None and rows[2]["ei_index"] == 1.0


def test_the_dataset_has_no_names_contact_details_or_free_text():
    tenant = taking_part(cohort="tenant", display_name="Amal")
    services.personal_details_save(
        participant=tenant, values={"full_name": "Amal Haddad", "phone": "01632 960123"}, by=None
    )
    swemwbs(tenant, 3)
    text = evaluation.dataset_csv()
    header = next(csv.reader(io.StringIO(text)))
    assert header == list(evaluation.COLUMNS)
    forbidden = ("name", "phone", "email", "e-mail", "address", "display", "known", "relationship")
    assert not [column for column in header if any(word in column for word in forbidden)]
    assert "Amal" not in text and "01632" not in text


def test_withdrawn_people_stay_in_the_dataset_only_if_they_agreed_to_share_answers(make_user):
    coordinator = make_user(Role.COORDINATOR)
    erased, kept = taking_part(cohort="tenant"), taking_part(cohort="refugee")
    Consent.objects.create(
        participant=kept,
        sheet=InformationSheet.objects.get(version="1.0"),
        scope=ConsentScope.SHARE_ANONYMISED,
        method="written",
        given_on=TODAY,
    )
    for person in (erased, kept):
        swemwbs(person, 3)
        name(person, contact("tenant"))
        services.participant_withdraw(participant=person, by=coordinator)
    (row,) = evaluation.dataset_rows()
    # Kept, but anonymised: no code (a random one), the group instead of the cohort.
    assert row["code"].startswith("anon-") and kept.code not in row["code"]
    assert (row["cohort"], row["swemwbs_metric"], row["bridging"]) == ("sanctuary", 19.25, 1)


def test_the_dataset_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    for number in range(15):
        person = taking_part(cohort=("tenant", "refugee", "asylum_seeker")[number % 3])
        swemwbs(person, 3)
        swemwbs(person, 4, time_point="follow_up")
        name(person, contact("tenant"), contact("sanctuary"))
    with django_assert_max_num_queries(4):
        rows = evaluation.dataset_rows()
    assert len(rows) == 30


def test_every_column_is_in_the_data_dictionary_once():
    described = [entry[0] for entry in evaluation.DATA_DICTIONARY]
    assert described == list(evaluation.COLUMNS)
    assert all(str(meaning) and str(values) and str(source) for _c, meaning, values, source in (
        evaluation.DATA_DICTIONARY
    ))  # fmt: skip


def test_the_data_dictionary_csv_carries_the_swemwbs_notice():
    rows = parse(evaluation.data_dictionary_csv())
    assert list(rows[0]) == ["column", "meaning", "values", "source"]
    assert [row["column"] for row in rows] == list(evaluation.COLUMNS)
    metric = next(row for row in rows if row["column"] == "swemwbs_metric")
    assert str(SWEMWBS_NOTICE) in metric["source"]


def test_text_that_a_spreadsheet_would_run_is_neutralised():
    assert evaluation.neutralised("=1+1") == "'=1+1"
    for start in ("+", "-", "@", "\t", "\r"):
        assert evaluation.neutralised(f"{start}x") == f"'{start}x"
    assert evaluation.neutralised("P-017") == "P-017"
    assert evaluation.csv_cell("-1") == "'-1"
    assert evaluation.csv_cell(-0.5) == -0.5  # a negative E–I index stays a number
    assert (evaluation.csv_cell(True), evaluation.csv_cell(None)) == (1, "")


def test_a_formula_in_a_code_cannot_reach_the_csv_unneutralised():
    odd = taking_part(cohort="tenant", code="=1+1")
    swemwbs(odd, 3)
    (row,) = parse(evaluation.dataset_csv())
    assert row["code"] == "'=1+1"
    assert (row["swemwbs_metric"], row["ucla3_lonely"], row["ei_index"]) == ("19.25", "", "")


# --- The summary --------------------------------------------------------------------------


def test_a_cohort_of_three_shows_as_under_five_outside_coordinators_without_means():
    for _ in range(3):
        person = taking_part(cohort="asylum_seeker")
        swemwbs(person, 3)
        ucla3(person, 2)
    (hidden,) = evaluation.summary(exact=False)["time_points"]
    (exact,) = evaluation.summary(exact=True)["time_points"]
    assert hidden["time_point"] == "baseline"
    tenants, sanctuary = hidden["groups"]
    assert (tenants["group"], tenants["n"], tenants["swemwbs_mean"]) == ("tenant", 0, None)
    assert (sanctuary["group"], sanctuary["n"]) == ("sanctuary", "<5")
    assert (sanctuary["swemwbs_mean"], sanctuary["ucla3_mean"]) == (HIDDEN_MEAN, HIDDEN_MEAN)
    sanctuary = exact["groups"][1]
    assert (sanctuary["n"], sanctuary["swemwbs_mean"], sanctuary["ucla3_mean"]) == (3, 19.2, 6.0)


def test_means_show_for_groups_of_ten_or_more():
    for number in range(10):
        person = taking_part(cohort="tenant")
        swemwbs(person, 3 if number % 2 else 4)
        name(person, contact("tenant"), contact("sanctuary"), contact("sanctuary"))
    ((row, _sanctuary),) = (p["groups"] for p in evaluation.summary(exact=False)["time_points"])
    assert (row["n"], row["swemwbs_mean"], row["ei_mean"]) == (10, 22.1, 0.3)
    assert row["ucla3_mean"] is None


def test_swemwbs_change_is_counted_and_withheld_when_a_count_is_small():
    for number in range(7):
        person = taking_part(cohort="tenant")
        swemwbs(person, 3)
        swemwbs(person, 4 if number < 5 else 3, time_point="follow_up")
    (tenants, sanctuary) = evaluation.summary(exact=True)["change"]
    assert (tenants["paired"], tenants["improved"], tenants["no_change"], tenants["worse"]) == (
        7, 5, 2, 0,
    )  # fmt: skip
    (tenants, _) = evaluation.summary(exact=False)["change"]
    # The 2 is hidden; the total would give it away, so the 5 is withheld, and as those two
    # might be 5 and 1, the total too.
    assert (tenants["paired"], tenants["improved"], tenants["no_change"]) == (
        "withheld", "withheld", "<5",
    )  # fmt: skip
    assert sanctuary["paired"] == 0


def test_swemwbs_change_shows_when_every_count_is_zero_or_five_or_more():
    for number in range(10):
        person = taking_part(cohort="refugee")
        swemwbs(person, 4)
        swemwbs(person, 3 if number < 5 else 4, time_point="follow_up")
    (_tenants, sanctuary) = evaluation.summary(exact=False)["change"]
    assert (sanctuary["improved"], sanctuary["no_change"], sanctuary["worse"]) == (0, 5, 5)


# --- Pages and downloads (need the URLs included under /en/) ------------------------------


def three_refugees():
    people = [taking_part(cohort="refugee", display_name=f"Known{n}") for n in range(3)]
    for person in people:
        swemwbs(person, 3)
        name(person, contact("tenant"), contact("sanctuary"))
    name(people[0], contact("sanctuary", alter=people[1]))
    return people


def test_evaluators_see_under_five_and_the_suppression_rule(evaluator_client):
    three_refugees()
    page = evaluator_client.get(reverse("participants:evaluation")).content.decode()
    assert "&lt;5" in page and HIDDEN_MEAN in page
    assert "counts of 1 to 4 people are shown as" in page
    assert str(SWEMWBS_NOTICE) in page
    assert (
        reverse("participants:evaluation-dataset") in page
        and reverse("participants:evaluation-dictionary") in page
    )


def test_coordinators_see_exact_counts_and_means(coordinator_client):
    three_refugees()
    response = coordinator_client.get(reverse("participants:evaluation"))
    sanctuary = response.context["summary"]["time_points"][0]["groups"][1]
    assert sanctuary["n"] == 3 and sanctuary["swemwbs_mean"] == 19.2
    assert "&lt;5</td>" not in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "participants:evaluation",
        "participants:evaluation-dataset",
        "participants:evaluation-dictionary",
        "participants:evaluation-network",
    ],
)
def test_only_coordinators_and_evaluators_reach_the_evaluation(client_as, url_name):
    url = reverse(url_name)
    assert client_as("evaluator").get(url).status_code == 200
    assert client_as("coordinator").get(url).status_code == 200
    for role in ("participant", "facilitator", "partner"):
        assert client_as(role).get(url).status_code == 403
    anonymous = client_as(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/en/sign-in/")


def test_the_dataset_download_is_a_dated_utf8_csv_and_is_audited(coordinator_client):
    three_refugees()
    response = coordinator_client.get(reverse("participants:evaluation-dataset"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="cymuned-outcomes-{TODAY:%Y-%m-%d}.csv"'
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffcode,cohort,")
    assert len(parse(body.lstrip("\ufeff"))) == 3 and "Known0" not in body
    event = AuditEvent.objects.get(action="download")
    assert (event.actor_name, event.subject, event.detail) == (
        coordinator_client.user.username, "answers", "pseudonymised dataset",
    )  # fmt: skip


def test_the_data_dictionary_download_is_audited(evaluator_client):
    response = evaluator_client.get(reverse("participants:evaluation-dictionary"))
    assert response["Content-Disposition"] == (
        'attachment; filename="cymuned-outcomes-data-dictionary.csv"'
    )
    assert response.content.decode("utf-8").startswith("\ufeffcolumn,meaning,values,source")
    event = AuditEvent.objects.get(action="download")
    assert (event.actor_name, event.subject) == (evaluator_client.user.username, "answers")


def test_the_network_page_draws_both_time_points_by_code_only(evaluator_client):
    people = three_refugees()
    page = evaluator_client.get(reverse("participants:evaluation-network")).content.decode()
    assert page.count('role="img"') == 1  # no ties between participants at follow-up yet
    assert '<title id="sociogram-baseline-title">' in page
    assert "Participants: 3. Ties between participants: 1." in page  # P-102 named outsiders only
    assert people[0].code in page and people[1].code in page
    assert "Known0" not in page and "Known1" not in page
    assert "No ties between participants have been recorded at Follow-up." in page
    assert "<caption" in page and "&lt;5" in page


def test_the_pages_take_a_fixed_number_of_queries(evaluator_client, django_assert_max_num_queries):
    for number in range(24):
        person = taking_part(cohort=("tenant", "refugee")[number % 2])
        swemwbs(person, 3)
        swemwbs(person, 4, time_point="follow_up")
        name(person, contact("tenant"), contact("sanctuary"))
    # One query of each is the reader's role, which says which sites they reach.
    for url_name, most in (
        ("participants:evaluation", 12),
        ("participants:evaluation-network", 13),
        ("participants:evaluation-dataset", 12),
    ):
        with django_assert_max_num_queries(most):
            assert evaluator_client.get(reverse(url_name)).status_code == 200


HEADINGS = {
    "participants:evaluation": gettext_lazy("Outcomes evaluation"),
    "participants:evaluation-network": gettext_lazy("Networks between participants"),
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_evaluation_pages_pass_axe_and_fit_the_screen(new_page, make_user, language, viewport):
    people = three_refugees()
    tenants = [taking_part(cohort="tenant") for _ in range(4)]
    for tenant, refugee, neighbour in zip(tenants, [*people, people[0]], tenants[1:], strict=False):
        name(tenant, contact("sanctuary", alter=refugee), contact("tenant", alter=neighbour))
        name(tenant, contact("tenant", alter=neighbour), time_point="follow_up")
    evaluator = make_user(Role.EVALUATOR)
    # The flush between browser tests takes the roles' permissions too: grant them again.
    import_module("participants.migrations.0005_role_permissions").grant(apps, None)
    page = new_page(viewport)
    sign_in(page, evaluator.username, language=language)
    for url_name in ("participants:evaluation", "participants:evaluation-network"):
        with translation.override(language):
            page.goto(reverse(url_name))
            assert page.locator("h1").inner_text() == str(HEADINGS[url_name])
        assert page.locator("svg[role=img]").count() == (
            2 if url_name != "participants:evaluation" else 0
        )
        screenshot(page, f"{url_name}-{language}-{'phone' if viewport is PHONE else 'desktop'}")
        assert_fits_width(page)
        assert_accessible(page)
