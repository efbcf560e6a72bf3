"""Which dataset an evaluator downloads (docs/evaluation.md): the coarsened one by default,
the full pseudonymised one only under a data-access agreement a coordinator records, every
grant, end and download audited."""

import csv
import io
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Role
from participants import evaluation, services
from participants.models import AuditEvent, DataAccessAgreement
from participants.tests.test_evaluation import swemwbs
from participants.tests.test_networks import taking_part
from tests.browser import PHONE, assert_accessible, assert_fits_width, screenshot, sign_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def people(count, *, cohort="tenant", time_point="baseline", **profile):
    for _ in range(count):
        swemwbs(taking_part(cohort=cohort, **profile), 3, time_point=time_point)


def parse(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))


# --- The coarsened dataset ------------------------------------------------------------------


def test_a_time_point_and_group_of_fewer_than_ten_is_left_out_of_the_coarsened_dataset():
    people(9, cohort="tenant")  # 9: left out
    people(4, cohort="refugee")
    people(6, cohort="asylum_seeker")  # 10 people seeking sanctuary: in
    people(11, cohort="tenant", time_point="follow_up")  # 11: in
    rows = evaluation.dataset_rows(full=False)
    cells = sorted({(row["time_point"], row["cohort"]) for row in rows})
    assert cells == [("baseline", "sanctuary"), ("follow_up", "tenant")]
    assert len(rows) == 21
    assert len(evaluation.dataset_rows(full=True)) == 30


def test_the_coarsened_dataset_has_no_codes_and_months_for_dates():
    people(10, cohort="tenant")
    rows = evaluation.dataset_rows(full=False)
    codes = [row["code"] for row in rows]
    assert all(code.startswith("anon-") for code in codes) and len(set(codes)) == 10
    assert not {row["code"] for row in evaluation.dataset_rows(full=False)} & set(codes)
    assert {row["completed_on"] for row in rows} == {f"{TODAY:%Y-%m}"}
    assert {row["swemwbs_metric"] for row in rows} == {19.25}  # the outcome stays


def test_age_band_and_gender_show_only_where_every_part_has_ten_or_more():
    people(10, age_band="25-34", gender="woman")
    rows = evaluation.dataset_rows(full=False)
    assert {(row["age_band"], row["gender"]) for row in rows} == {("25-34", "woman")}
    # An eleventh person in another band would be a part of one: no age band for anyone.
    people(1, age_band="50-64", gender="woman")
    rows = evaluation.dataset_rows(full=False)
    assert {(row["age_band"], row["gender"]) for row in rows} == {(None, "woman")}


def test_gender_is_judged_within_the_age_bands_it_would_split():
    people(10, age_band="25-34", gender="woman")
    people(10, age_band="35-49", gender="woman")
    people(9, age_band="35-49", gender="man")  # 35-49 has 19, but 9 men within it
    rows = evaluation.dataset_rows(full=False)
    assert {(row["age_band"], row["gender"]) for row in rows} == {("25-34", None), ("35-49", None)}
    people(1, age_band="35-49", gender="man")
    rows = evaluation.dataset_rows(full=False)
    assert {(row["age_band"], row["gender"]) for row in rows} == {
        ("25-34", "woman"), ("35-49", "woman"), ("35-49", "man"),
    }  # fmt: skip


# --- Who gets which -----------------------------------------------------------------------


def test_an_evaluator_without_an_agreement_downloads_the_coarsened_dataset(evaluator_client):
    people(10, cohort="refugee")
    response = evaluator_client.get(reverse("participants:evaluation-dataset"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="cymuned-outcomes-coarsened-{TODAY:%Y-%m-%d}.csv"'
    )
    rows = parse(response)
    assert len(rows) == 10 and all(row["code"].startswith("anon-") for row in rows)
    assert {row["cohort"] for row in rows} == {"sanctuary"}
    event = AuditEvent.objects.get(action="download")
    assert (event.actor_name, event.detail) == (evaluator_client.user.username, "coarsened dataset")
    page = evaluator_client.get(reverse("participants:evaluation")).content.decode()
    assert "Coarsened outcome dataset (CSV)" in page and "data-access agreement" in page
    assert reverse("participants:evaluation-access") not in page


def test_an_agreement_gives_the_full_dataset_until_it_ends(evaluator_client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    people(3, cohort="refugee")
    agreement = services.data_access_grant(
        evaluator=evaluator_client.user, reference="DAA-2026-03", by=coordinator
    )
    rows = parse(evaluator_client.get(reverse("participants:evaluation-dataset")))
    assert [row["cohort"] for row in rows] == ["refugee"] * 3
    assert all(row["code"].startswith("P-") for row in rows)
    assert "Pseudonymised outcome dataset (CSV)" in (
        evaluator_client.get(reverse("participants:evaluation")).content.decode()
    )
    services.data_access_revoke(agreement=agreement, by=coordinator)
    assert parse(evaluator_client.get(reverse("participants:evaluation-dataset"))) == []  # 3 < 10
    downloads = AuditEvent.objects.filter(action="download").order_by("pk")
    assert list(downloads.values_list("detail", flat=True)) == [
        "pseudonymised dataset", "coarsened dataset",
    ]  # fmt: skip


def test_coordinators_get_the_full_dataset(coordinator_client):
    people(3, cohort="refugee")
    rows = parse(coordinator_client.get(reverse("participants:evaluation-dataset")))
    assert [row["cohort"] for row in rows] == ["refugee"] * 3


# --- Recording and ending agreements --------------------------------------------------------


def test_a_coordinator_records_and_ends_an_agreement_on_the_page(coordinator_client, make_user):
    evaluator = make_user(Role.EVALUATOR, username="eval-lead")
    page = coordinator_client.get(reverse("participants:evaluation")).content.decode()
    assert reverse("participants:evaluation-access") in page
    response = coordinator_client.post(
        reverse("participants:evaluation-access"),
        {"evaluator": evaluator.pk, "reference": "DAA-2026-03"},
        follow=True,
    )
    page = response.content.decode()
    assert "Agreement recorded." in page and "eval-lead" in page and "DAA-2026-03" in page
    agreement = DataAccessAgreement.objects.current().get()
    assert (agreement.evaluator, agreement.granted_by) == (evaluator, coordinator_client.user)
    assert evaluation.sees_full_dataset(evaluator)
    granted = AuditEvent.objects.get(subject="data access agreement")
    assert (granted.action, granted.detail) == (
        "create", "eval-lead: full pseudonymised dataset (DAA-2026-03)",
    )  # fmt: skip

    response = coordinator_client.post(
        reverse("participants:evaluation-access-end", args=[agreement.pk]), follow=True
    )
    assert "Agreement ended." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.revoked_by == coordinator_client.user and agreement.revoked_at
    assert not evaluation.sees_full_dataset(evaluator)
    assert AuditEvent.objects.filter(subject="data access agreement", action="withdraw").exists()
    again = coordinator_client.post(
        reverse("participants:evaluation-access-end", args=[agreement.pk]), follow=True
    )
    assert "That agreement has already ended." in again.content.decode()


@pytest.mark.parametrize(
    ("role", "reference", "message"),
    [
        (Role.PARTNER, "DAA-1", "Choose one of the evaluators listed"),
        (Role.EVALUATOR, "   ", "Say where the signed agreement is filed"),
    ],
)
def test_a_bad_agreement_changes_nothing_and_says_why(
    coordinator_client, make_user, role, reference, message
):
    someone = make_user(role)
    response = coordinator_client.post(
        reverse("participants:evaluation-access"), {"evaluator": someone.pk, "reference": reference}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert message in page
    assert not DataAccessAgreement.objects.exists()
    assert not AuditEvent.objects.filter(subject="data access agreement").exists()


def test_a_second_current_agreement_is_refused(coordinator_client, make_user):
    evaluator = make_user(Role.EVALUATOR, username="eval-two")
    services.data_access_grant(evaluator=evaluator, reference="DAA-1", by=coordinator_client.user)
    response = coordinator_client.post(
        reverse("participants:evaluation-access"), {"evaluator": evaluator.pk, "reference": "DAA-2"}
    )
    assert "eval-two already has a current agreement." in response.content.decode()
    assert DataAccessAgreement.objects.count() == 1


def test_only_an_evaluator_can_be_given_an_agreement(make_user):
    partner = make_user(Role.PARTNER, username="council")
    with pytest.raises(Exception, match="council is not an evaluator."):
        services.data_access_grant(
            evaluator=partner, reference="DAA-1", by=make_user(Role.COORDINATOR)
        )
    assert not DataAccessAgreement.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_agreements_page_works_on_a_phone_and_passes_axe(new_page, make_user, language):
    # The flush between browser tests takes the roles' permissions too: grant them again.
    import_module("participants.migrations.0005_role_permissions").grant(apps, None)
    import_module("participants.migrations.0009_data_access_agreement").grant(apps, None)
    coordinator = make_user(Role.COORDINATOR)
    make_user(Role.EVALUATOR, username="eval-lead")
    page = new_page(PHONE)
    sign_in(page, coordinator.username, language=language)
    with translation.override(language):
        page.goto(reverse("participants:evaluation-access"))
    page.locator("#id_evaluator").select_option(label="eval-lead")
    page.locator("#id_reference").fill("DAA-2026-03")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "DAA-2026-03" in page.locator("table").inner_text()
    assert DataAccessAgreement.objects.current().get().evaluator.username == "eval-lead"
    screenshot(page, f"evaluation-access-{language}-phone")
    assert_fits_width(page)
    assert_accessible(page)
