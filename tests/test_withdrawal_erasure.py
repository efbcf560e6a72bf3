"""Withdrawal erases everywhere (DESIGN §6, participants/erasure.py).

One participant with every kind of data — answers at two time points, ties in both
directions, an endorsement, attendance at a held and at a planned workshop, their own skill
on the map, a sign-in, audit reads of their personal details — withdraws (a) without having
agreed to anonymised sharing, or (b) having agreed, and later withdraws that consent too.
After each step the database, the evaluator's downloads, the evaluation and network pages,
the workshop counts, the sign-in and the audit log are checked, and every page a coordinator
or an evaluator can reach is crawled for anything that identified them.
"""

import csv
import io
import secrets

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assets.models import Asset, AssetCategory, AssetEndorsement
from assets.tests.factories import AssetFactory
from core.models import Role, User
from participants import networks, services
from participants.models import (
    AuditEvent,
    Consent,
    ConsentScope,
    DataAccessAgreement,
    InformationSheet,
    Participant,
    QuestionnaireResponse,
    Tie,
)
from participants.tests.test_networks import contact, name, taking_part
from tests.test_no_personal_data_leaks import crawl
from workshops.models import Attendance, WorkshopStatus
from workshops.selectors import workshop_report
from workshops.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

# Their SWEMWBS answers (all 5: metric 35.00) tell their rows apart from everyone else's (3).
THEIR_METRIC = "35.0"


def unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(5)}"


@pytest.fixture
def world(make_user, coordinator_client, client_as):
    coordinator = coordinator_client.user
    evaluator = client_as(Role.EVALUATOR)
    DataAccessAgreement.objects.create(evaluator=evaluator.user, reference="DAA-1")
    return {"coordinator": coordinator_client, "evaluator": evaluator, "by": coordinator}


def build(by, *, share: bool) -> dict:
    """The participant with every kind of data, and two others around them."""
    personal = {
        "full_name": unique("Name "),
        "phone": f"07700 {secrets.randbelow(10**6):06d}",
        "email": f"{unique('mail')}@example.org",
        "address": f"{secrets.randbelow(900) + 10} {unique('Street ')}, Swansea",
    }
    known_as = unique("Known")
    scopes = [ConsentScope.TAKE_PART, ConsentScope.CONTACT]
    scopes += [ConsentScope.SHARE_ANONYMISED] if share else []
    person = services.participant_register(
        by=by,
        profile={"cohort": "tenant", "display_name": known_as, "age_band": "25-34",
                 "gender": "woman", "preferred_language": "en"},
        personal=personal,
        sheet=InformationSheet.objects.get(version="1.0"),
        scopes=scopes,
        method="written",
    )  # fmt: skip
    passphrase = services.participant_sign_in_issue(participant=person, by=by)
    username = person.user.username
    services.personal_details_read(participant=person, by=by)  # an audit read
    friend, other = taking_part(cohort="refugee"), taking_part(cohort="tenant")
    for time_point in ("baseline", "follow_up"):
        for who, value in ((person, 5), (friend, 3), (other, 3)):
            services.response_record(
                participant=who,
                instrument="swemwbs",
                time_point=time_point,
                answers={f"swemwbs_{n}": value for n in range(1, 8)},
                by=by,
            )
        # They name their friend; their friend names them; the other names the friend.
        name(person, contact("sanctuary", alter=friend), contact("tenant"), time_point=time_point)
        name(friend, contact("tenant", alter=person, closeness=3), time_point=time_point)
        name(other, contact("sanctuary", alter=friend), time_point=time_point)
    AssetEndorsement.objects.create(asset=AssetFactory(), participant=person)
    skill = AssetFactory(
        name=unique("Skill "), category=AssetCategory.objects.get(slug="skills"),
        geometry=None, latitude=None, longitude=None, on_behalf_of=person,
    )  # fmt: skip
    place = AssetFactory(name=unique("Place "), on_behalf_of=person)
    held = WorkshopFactory(status=WorkshopStatus.HELD)
    planned = WorkshopFactory(status=WorkshopStatus.PLANNED)
    for workshop in (held, planned):
        for who in (person, friend):
            Attendance.objects.create(workshop=workshop, participant=who, recorded_by=by)
    secrets_of_theirs = [*personal.values(), known_as, skill.name]
    return {
        "person": person, "friend": friend, "other": other, "username": username,
        "passphrase": passphrase, "held": held, "planned": planned, "skill": skill,
        "place": place, "secrets": secrets_of_theirs,
    }  # fmt: skip


def signs_in(username: str, passphrase: str) -> bool:
    response = Client().post(
        reverse("core:sign-in"), {"username": username, "password": passphrase}
    )
    return response.status_code == 302


def rows_linking(person: Participant) -> dict[str, int]:
    """Every row in every table with a foreign key to this participant, by model."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.many_to_one and field.related_model is Participant and field.concrete:
                count = model.objects.filter(**{field.name: person}).count()
                if count:
                    key = f"{model._meta.label}.{field.name}"
                    found[key] = found.get(key, 0) + count
    return found


def dataset(client) -> list[dict]:
    body = (
        client.get(reverse("participants:evaluation-dataset"))
        .content.decode("utf-8")
        .lstrip("\ufeff")
    )
    return list(csv.DictReader(io.StringIO(body)))


def attendance(workshop) -> dict:
    counts = workshop_report(workshop, exact=True)["attendance"]
    return {row["group"]: row["count"] for row in counts["rows"]} | {"total": counts["total"]}


def check_everywhere(world: dict, data: dict, *, kept: bool, shared: bool) -> None:
    """kept: anonymised answers are being kept; shared: they agreed to that at withdrawal."""
    person, friend = data["person"], data["friend"]
    person.refresh_from_db()
    code = person.code

    # The database: what links to them, field by field.
    linked = rows_linking(person)
    allowed = {"participants.Consent.participant"}
    if kept:
        allowed |= {
            "participants.QuestionnaireResponse.participant",
            "participants.Tie.participant",
            "assets.AssetEndorsement.participant",
        }
    assert set(linked) <= allowed, linked
    assert not Tie.objects.filter(alter=person).exists()
    assert not Tie.objects.filter(participant=person).exclude(alter=None).exists()
    assert QuestionnaireResponse.objects.filter(participant=person).count() == (4 if kept else 0)
    assert AssetEndorsement.objects.filter(participant=person).count() == (1 if kept else 0)
    assert not Asset.objects.filter(pk=data["skill"].pk).exists()
    assert Asset.objects.get(pk=data["place"].pk).on_behalf_of is None
    assert (person.display_name, person.preferred_language, person.user) == ("", "", None)
    assert (person.age_band, person.gender) == (("25-34", "woman") if kept else ("", ""))

    # Their friend's tie to them is gone — or, if they agreed to anonymised sharing, it is
    # the friend's contact with "a tenant", linked to nobody (and stays so).
    friend_ties = list(Tie.objects.filter(participant=friend, time_point="baseline"))
    assert [(t.alter_id, t.alter_group) for t in friend_ties] == (
        [(None, "tenant")] if shared else []
    )

    # The evaluator's full dataset and the coordinator's: no code, and rows only if kept —
    # then one per time point, each with its own random code, a coarse profile, a month.
    for client in (world["evaluator"], world["coordinator"]):
        rows = dataset(client)
        assert code not in str(rows)
        theirs = [row for row in rows if row["swemwbs_metric"] == THEIR_METRIC]
        assert len(theirs) == (2 if kept else 0)
        if kept:
            assert all(row["code"].startswith("anon-") for row in theirs)
            assert len({row["code"] for row in theirs}) == 2
            assert {(row["cohort"], row["age_band"], row["gender"]) for row in theirs} == {
                ("tenant", "", "")
            }
            assert all(len(row["completed_on"]) == 7 for row in theirs)  # YYYY-MM
            assert {row["to_participants"] for row in theirs} == {"0"}
        friend_rows = [row for row in rows if row["code"] == friend.code]
        assert [row["to_participants"] for row in friend_rows] == ["0", "0"]

    # The network: no node for them and no edge to them, on the page or in its tables.
    for time_point in ("baseline", "follow_up"):
        graph = networks.participant_graph(time_point=time_point)
        assert person.pk not in graph
        assert [graph.nodes[n]["code"] for n in graph] == sorted([friend.code, data["other"].code])
        assert graph.number_of_edges() == 1  # the other participant and the friend
    for client in (world["evaluator"], world["coordinator"]):
        for url in (reverse("participants:evaluation-network"), reverse("participants:evaluation")):
            assert code not in client.get(url).content.decode()

    # Attendance: a held workshop keeps them as an anonymous tenant; a planned one forgets.
    assert attendance(data["held"]) == {"tenants": 1, "sanctuary": 1, "other": 0, "total": 2}
    assert attendance(data["planned"]) == {"tenants": 0, "sanctuary": 1, "other": 0, "total": 1}
    assert list(Attendance.objects.filter(workshop=data["held"], participant=None).values_list(
        "cohort", flat=True)) == ["tenant"]  # fmt: skip

    # The sign-in is gone.
    assert not User.objects.filter(username=data["username"]).exists()
    assert not signs_in(data["username"], data["passphrase"])

    # The audit log says what was erased, by code, and holds nothing that identified them.
    erasures = AuditEvent.objects.filter(participant_code=code, action="erase")
    assert erasures.exists()
    log = " ".join(f"{e.actor_name} {e.subject} {e.detail}" for e in AuditEvent.objects.all())
    assert not [value for value in data["secrets"] if value in log]
    assert AuditEvent.objects.filter(participant_code=code, action="read").exists()

    # Nothing a coordinator or an evaluator can reach shows anything that identified them.
    for role in ("coordinator", "evaluator"):
        bodies = crawl(world[role])
        leaks = [(url, s) for url, body in bodies.items() for s in data["secrets"] if s in body]
        assert not leaks, (role, leaks[:3])
    translation.activate("en")  # the crawl's last page may have been Welsh


def test_before_withdrawal_the_checks_would_see_them(world):
    data = build(world["by"], share=False)
    assert signs_in(data["username"], data["passphrase"])
    assert networks.participant_graph(time_point="baseline").has_node(data["person"].pk)
    rows = dataset(world["evaluator"])
    assert [row["code"] for row in rows if row["swemwbs_metric"] == THEIR_METRIC] == [
        data["person"].code
    ] * 2
    assert attendance(data["planned"])["total"] == 2
    page = (
        world["coordinator"]
        .get(reverse("participants:participant-personal", args=[data["person"].code]))
        .content.decode()
    )
    assert data["secrets"][0] in page


def test_withdrawing_without_anonymised_sharing_erases_everything(world):
    data = build(world["by"], share=False)
    response = world["coordinator"].post(
        reverse("participants:participant-withdraw", args=[data["person"].code]), follow=True
    )
    assert "has withdrawn" in response.content.decode()
    check_everywhere(world, data, kept=False, shared=False)
    assert "anonymised answers kept" not in AuditEvent.objects.get(action="erase").detail


def test_anonymised_answers_are_kept_unlinked_until_that_consent_is_withdrawn(world):
    data = build(world["by"], share=True)
    code = data["person"].code
    world["coordinator"].post(
        reverse("participants:participant-withdraw", args=[code]), follow=True
    )
    check_everywhere(world, data, kept=True, shared=True)

    page = (
        world["coordinator"]
        .get(reverse("participants:participant-detail", args=[code]))
        .content.decode()
    )
    withdraw_sharing = reverse(
        "participants:participant-consent-withdraw", args=[code, ConsentScope.SHARE_ANONYMISED]
    )
    assert withdraw_sharing in page  # the one consent still to withdraw
    response = world["coordinator"].post(withdraw_sharing, follow=True)
    assert "The anonymised answers kept for them are erased." in response.content.decode()
    check_everywhere(world, data, kept=False, shared=True)
    assert not Consent.objects.current().filter(participant=data["person"]).exists()
    details = list(
        AuditEvent.objects.filter(participant_code=code, action="erase")
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert len(details) == 2
    assert "anonymised answers kept" in details[0]
    assert details[1].startswith("anonymised answers erased") and "4 answers" in details[1]


def test_withdrawing_twice_changes_nothing_and_says_why(world):
    data = build(world["by"], share=False)
    code = data["person"].code
    world["coordinator"].post(reverse("participants:participant-withdraw", args=[code]))
    response = world["coordinator"].post(
        reverse("participants:participant-withdraw", args=[code]), follow=True
    )
    assert f"{code} has already withdrawn." in response.content.decode()
    assert AuditEvent.objects.filter(action="erase").count() == 1
