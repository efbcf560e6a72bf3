"""Sites: a coordinator or facilitator of one site reaches nothing of another's — not its
participants, workshops, barriers, actions or moderation queue, to read (404) or to change
(404, and nothing changes); evaluators see the sites they were granted; the public map shows
every site's published assets. Edges: people with no site, one site and two sites."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assets.models import Asset, AssetSource, AssetStatus
from assets.services.assets import asset_create
from assets.tests.factories import AssetFactory, point
from core.models import Role, Site, User
from core.sites import sites_of
from core.tests.factories import SiteFactory, default_site
from participants import services
from participants.models import AuditEvent, ConsentScope, InformationSheet, Participant
from participants.tests.factories import ParticipantFactory
from workshops.models import Action, Attendance, Barrier, Workshop
from workshops.tests.factories import BarrierFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_site():
    return SiteFactory(slug="other-site", name_en="Other site")


@pytest.fixture
def theirs(other_site, make_user):
    """One of everything in the other site, with a facilitator of theirs."""
    facilitator = make_user(Role.FACILITATOR, sites=[other_site])
    participant = ParticipantFactory(site=other_site, display_name="Theirs")
    services.consent_give(
        participant=participant,
        sheet=InformationSheet.objects.get(),
        scopes=[ConsentScope.TAKE_PART],
        method="written",
        by=None,
    )
    workshop = WorkshopFactory(site=other_site, title="Their workshop", facilitators=[facilitator])
    barrier = BarrierFactory(workshop=workshop, title="Their barrier")
    action = Action.objects.create(
        title="Their action", owner="Them", workshop=workshop, site=other_site
    )
    action.barriers.set([barrier])
    queued = AssetFactory(name="Their queued asset", status=AssetStatus.SUBMITTED, site=other_site)
    published = AssetFactory(name="Their published asset", site=other_site)
    return {
        "participant": participant,
        "workshop": workshop,
        "barrier": barrier,
        "action": action,
        "queued": queued,
        "published": published,
        "facilitator": facilitator,
    }


def snapshot(theirs) -> dict:
    """Everything a change could touch, read again from the database."""
    participant = Participant.objects.get(pk=theirs["participant"].pk)
    return {
        "participant": (participant.status, participant.consents.current().count()),
        "personal": hasattr(participant, "personal_details"),
        "workshop": Workshop.objects.filter(pk=theirs["workshop"].pk).values().get(),
        "attendance": Attendance.objects.filter(workshop=theirs["workshop"]).count(),
        "barriers": list(Barrier.objects.values_list("pk", "title", "priority_votes")),
        "actions": list(Action.objects.values_list("pk", "status", "outcome")),
        "assets": list(Asset.objects.values_list("pk", "status", "last_verified_on")),
    }


# --- Reading another site's rows is a 404 ---------------------------------------------------

READ_AS_COORDINATOR = [
    ("participants:participant-detail", "participant"),
    ("participants:participant-personal", "participant"),
    ("participants:participant-withdraw", "participant"),
    ("workshops:workshop-detail", "workshop"),
    ("workshops:workshop-edit", "workshop"),
    ("workshops:workshop-register", "workshop"),
    ("workshops:workshop-report", "workshop"),
    ("assets:moderation-review", "queued"),
    ("assets:asset-detail", "queued"),
    ("assets:asset-edit", "queued"),
]


def _args(name, row):
    if name.startswith("participants:"):
        return [row.code]
    return [row.pk]


@pytest.mark.parametrize(("name", "key"), READ_AS_COORDINATOR)
def test_a_coordinator_gets_404_for_another_sites_rows(coordinator_client, theirs, name, key):
    response = coordinator_client.get(reverse(name, args=_args(name, theirs[key])))
    assert response.status_code == 404


def test_a_coordinator_gets_404_for_another_sites_answers(coordinator_client, theirs):
    url = reverse(
        "participants:participant-answers", args=[theirs["participant"].code, "swemwbs", "baseline"]
    )
    assert coordinator_client.get(url).status_code == 404


def test_their_own_facilitator_still_reaches_the_workshop(client_as, theirs, other_site):
    client = Client()
    client.force_login(theirs["facilitator"])
    response = client.get(reverse("workshops:workshop-barrier", args=[theirs["workshop"].pk]))
    assert response.status_code == 200
    assert "Their barrier" in response.content.decode()


def test_a_facilitator_listed_on_another_sites_workshop_still_gets_404(facilitator_client, theirs):
    """Belonging to the site is the rule: being named on a workshop elsewhere is not enough."""
    theirs["workshop"].facilitators.add(facilitator_client.user)
    url = reverse("workshops:workshop-detail", args=[theirs["workshop"].pk])
    assert facilitator_client.get(url).status_code == 404


# --- Changing another site's rows is a 404, and nothing changes -----------------------------


def _posts(theirs) -> list[tuple[str, dict]]:
    code, workshop = theirs["participant"].code, theirs["workshop"].pk
    return [
        (reverse("participants:participant-withdraw", args=[code]), {}),
        (
            reverse("participants:participant-consent", args=[code]),
            {"scopes": ["photos"], "method": "written", "sheet": InformationSheet.objects.get().pk},
        ),
        (reverse("participants:participant-consent-withdraw", args=[code, "take_part"]), {}),
        (reverse("participants:participant-personal", args=[code]), {"full_name": "Changed"}),
        (
            reverse("workshops:workshop-edit", args=[workshop]),
            {
                "title": "Changed",
                "starts_at": "2026-03-01T10:00",
                "ends_at": "2026-03-01T12:00",
                "status": "held",
            },
        ),  # fmt: skip
        (reverse("workshops:workshop-register", args=[workshop]), {"present": []}),
        (
            reverse("workshops:workshop-walk-in", args=[workshop]),
            {"walk-in-cohort": "tenant", "walk-in-take_part": "on", "walk-in-method": "written"},
        ),
        (reverse("workshops:workshop-barrier", args=[workshop]), {"title": "X", "kind": "cost"}),
        (reverse("workshops:workshop-action", args=[workshop]), {"action-title": "X"}),
        (reverse("workshops:barrier-vote", args=[theirs["barrier"].pk]), {}),
        (
            reverse("workshops:action-update", args=[theirs["action"].pk]),
            {
                f"action-{theirs['action'].pk}-status": "done",
                f"action-{theirs['action'].pk}-note": "Done",
            },
        ),  # fmt: skip
        (reverse("assets:asset-publish", args=[theirs["queued"].pk]), {}),
        (reverse("assets:asset-reject", args=[theirs["queued"].pk]), {"reason": "No"}),
        (reverse("assets:asset-verify", args=[theirs["published"].pk]), {}),
        (reverse("assets:asset-edit", args=[theirs["queued"].pk]), {"name": "Changed"}),
    ]


def test_a_coordinator_cannot_change_anything_of_another_site(coordinator_client, theirs):
    before = snapshot(theirs)
    for url, data in _posts(theirs):
        response = coordinator_client.post(url, data)
        assert response.status_code == 404, url
    assert snapshot(theirs) == before


def test_a_facilitator_cannot_change_anything_of_another_site(facilitator_client, theirs):
    theirs["workshop"].facilitators.add(facilitator_client.user)
    before = snapshot(theirs)
    for url, data in _posts(theirs):
        assert facilitator_client.post(url, data).status_code in (403, 404), url
    assert snapshot(theirs) == before


def test_merging_into_another_sites_asset_is_a_404(coordinator_client, theirs):
    mine = AssetFactory(name="My queued asset", status=AssetStatus.SUBMITTED)
    before = snapshot(theirs)
    url = reverse("assets:asset-merge", args=[mine.pk])
    assert coordinator_client.post(url, {"into": theirs["published"].pk}).status_code == 404
    url = reverse("assets:asset-merge", args=[theirs["queued"].pk])
    assert coordinator_client.post(url, {"into": mine.pk}).status_code == 404
    assert snapshot(theirs) == before
    assert Asset.objects.get(pk=mine.pk).status == AssetStatus.SUBMITTED


# --- Lists show only the person's sites -----------------------------------------------------


def test_lists_show_only_the_coordinators_site(coordinator_client, theirs):
    mine = ParticipantFactory(display_name="Mine")
    my_workshop = WorkshopFactory(title="My workshop")
    my_barrier = BarrierFactory(workshop=my_workshop, title="My barrier")
    Action.objects.create(
        title="My action", owner="Me", workshop=my_workshop, site=my_workshop.site
    )
    AssetFactory(name="My queued asset", status=AssetStatus.SUBMITTED)
    pages = {
        name: coordinator_client.get(reverse(name)).content.decode()
        for name in (
            "participants:participant-list",
            "workshops:workshop-list",
            "workshops:action-tracker",
            "workshops:common-ground",
            "assets:moderation",
        )
    }
    assert mine.code in pages["participants:participant-list"]
    assert theirs["participant"].code not in pages["participants:participant-list"]
    assert "My workshop" in pages["workshops:workshop-list"]
    assert "Their workshop" not in pages["workshops:workshop-list"]
    assert "My action" in pages["workshops:action-tracker"]
    assert "Their action" not in pages["workshops:action-tracker"]
    assert my_barrier.title in pages["workshops:common-ground"]
    assert "Their barrier" not in pages["workshops:common-ground"]
    assert "My queued asset" in pages["assets:moderation"]
    assert "Their queued asset" not in pages["assets:moderation"]


def test_the_barrier_layer_shows_only_the_persons_sites(participant_client, theirs):
    BarrierFactory(title="My placed barrier", latitude=51.63, longitude=-3.95)
    Barrier.objects.filter(pk=theirs["barrier"].pk).update(latitude=51.46, longitude=-3.17)
    layer = participant_client.get(reverse("workshops:barrier-layer")).json()
    titles = {feature["properties"]["title"] for feature in layer["features"]}
    assert titles == {"My placed barrier"}


def test_the_audit_log_shows_only_the_coordinators_sites(coordinator_client, theirs, make_user):
    mine = ParticipantFactory()
    for participant in (mine, theirs["participant"]):
        services.audit_record(actor=None, action="read", subject="consent", participant=participant)
    page = coordinator_client.get(reverse("participants:audit-log")).content.decode()
    assert mine.code in page
    assert theirs["participant"].code not in page
    assert AuditEvent.objects.count() >= 2


def test_the_public_map_shows_both_sites_published_assets(theirs):
    AssetFactory(name="My published asset")
    layer = Client().get(reverse("assets:asset-layer")).json()
    names = {feature["properties"]["name"] for feature in layer["features"]}
    assert {"My published asset", "Their published asset"} <= names
    assert "Their queued asset" not in names


# --- Evaluators see the sites they were granted ---------------------------------------------


def _answered(participant):
    services.consent_give(
        participant=participant,
        sheet=InformationSheet.objects.get(),
        scopes=[ConsentScope.TAKE_PART],
        method="written",
        by=None,
    )
    services.response_record(
        participant=participant,
        instrument="swemwbs",
        time_point="baseline",
        answers={f"swemwbs_{n}": 3 for n in range(1, 8)},
        by=None,
    )


@pytest.mark.parametrize(
    ("granted", "expected"),
    [([], set()), (["mine"], {"P-500"}), (["mine", "theirs"], {"P-500", "P-600"})],
)
def test_an_evaluator_downloads_only_the_granted_sites(
    client_as, make_user, other_site, granted, expected
):
    _answered(ParticipantFactory(code="P-500"))
    _answered(ParticipantFactory(code="P-600", site=other_site))
    sites = {"mine": default_site(), "theirs": other_site}
    client = client_as(Role.EVALUATOR, sites=[sites[name] for name in granted])
    services.data_access_grant(
        evaluator=client.user, reference="DAA-1", by=make_user(Role.COORDINATOR)
    )
    body = client.get(reverse("participants:evaluation-dataset")).content.decode("utf-8-sig")
    assert {row["code"] for row in csv.DictReader(io.StringIO(body))} == expected


def test_an_evaluator_sees_only_the_granted_sites_on_the_evaluation_page(client_as, other_site):
    for _n in range(12):
        _answered(ParticipantFactory(site=other_site))
    evaluator = client_as(Role.EVALUATOR)  # the default site only, where nobody answered
    page = evaluator.get(reverse("participants:evaluation")).content.decode()
    coordinator_there = client_as(Role.COORDINATOR, sites=[other_site])
    theirs = coordinator_there.get(reverse("participants:evaluation")).content.decode()
    assert "Baseline" in theirs
    assert "Baseline" not in page


# --- Making rows: the site is implicit with one, chosen with several, refused with none -----


def _register_form(**extra) -> dict:
    return {
        "cohort": "tenant",
        "sheet": InformationSheet.objects.get().pk,
        "scopes": ["take_part"],
        "method": "written",
        "given_on": timezone.localdate().isoformat(),
        **extra,
    }


def test_a_coordinator_with_one_site_registers_into_it_without_choosing(coordinator_client):
    page = coordinator_client.get(reverse("participants:participant-register")).content.decode()
    assert 'name="site"' not in page
    coordinator_client.post(reverse("participants:participant-register"), _register_form())
    assert Participant.objects.get().site == default_site()


def test_a_coordinator_with_two_sites_must_choose_one_of_them(client_as, other_site):
    client = client_as(Role.COORDINATOR, sites=[default_site(), other_site])
    url = reverse("participants:participant-register")
    assert 'name="site"' in client.get(url).content.decode()
    missing = client.post(url, _register_form())
    assert "Choose a site" in missing.content.decode()
    assert not Participant.objects.exists()
    client.post(url, _register_form(site=other_site.pk, form_token=""))
    assert Participant.objects.get().site == other_site


def test_a_coordinator_cannot_register_into_a_site_not_theirs(client_as, other_site):
    third = SiteFactory(slug="third")
    client = client_as(Role.COORDINATOR, sites=[default_site(), other_site])
    response = client.post(
        reverse("participants:participant-register"), _register_form(site=third.pk)
    )
    assert "Choose one of your sites" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_coordinator_with_no_site_is_told_and_registers_nobody(client_as):
    client = client_as(Role.COORDINATOR, sites=[])
    response = client.post(reverse("participants:participant-register"), _register_form())
    assert "belongs to no site yet" in response.content.decode()
    assert not Participant.objects.exists()
    page = client.get(reverse("participants:participant-list")).content.decode()
    assert "0 participants" in page or "No participants" in page or "P-" not in page


def test_a_workshop_is_made_in_the_chosen_site(client_as, other_site):
    client = client_as(Role.COORDINATOR, sites=[default_site(), other_site])
    start = timezone.localtime() + timedelta(days=3)
    data = {
        "title": "Planned",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "status": "planned",
    }
    page = client.post(reverse("workshops:workshop-add"), data).content.decode()
    assert "Choose a site" in page
    assert not Workshop.objects.exists()
    client.post(reverse("workshops:workshop-add"), {**data, "site": other_site.pk})
    assert Workshop.objects.get().site == other_site


def test_the_register_lists_and_accepts_only_the_workshops_site(coordinator_client, other_site):
    mine = ParticipantFactory(display_name="Mine")
    theirs = ParticipantFactory(display_name="Theirs", site=other_site)
    workshop = WorkshopFactory()
    url = reverse("workshops:workshop-register", args=[workshop.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Mine" in page and "Theirs" not in page
    coordinator_client.post(url, {"present": [mine.pk, theirs.pk]})
    assert not workshop.attendance.exists()


# --- Accounts -------------------------------------------------------------------------------


def test_accounts_are_made_in_and_listed_for_the_coordinators_sites(
    coordinator_client, make_user, other_site
):
    elsewhere = make_user(Role.FACILITATOR, username="elsewhere", sites=[other_site])
    coordinator_client.post(
        reverse("core:account-create"), {"username": "new-person", "role": "participant"}
    )
    assert list(User.objects.get(username="new-person").sites.all()) == [default_site()]
    page = coordinator_client.get(reverse("core:account-list")).content.decode()
    assert "new-person" in page
    assert "elsewhere" not in page
    url = reverse("core:passphrase-reset", args=[elsewhere.pk])
    assert coordinator_client.post(url).status_code == 404


def test_a_coordinator_cannot_grant_a_site_not_theirs(client_as, other_site):
    third = SiteFactory(slug="third")
    client = client_as(Role.COORDINATOR, sites=[default_site(), other_site])
    response = client.post(
        reverse("core:account-create"),
        {"username": "new-person", "role": "facilitator", "sites": [third.pk]},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="new-person").exists()


# --- Which queue a new asset is in ----------------------------------------------------------


def test_a_participants_asset_is_in_their_sites_queue(other_site, make_user):
    person = ParticipantFactory(site=other_site)
    category = AssetFactory().category
    asset = asset_create(
        recorded_by=make_user(Role.COORDINATOR),
        on_behalf_of=person,
        fields={"name": "For them", "category": category},
        geometry=point(),
    )
    assert asset.site == other_site


def test_a_coordinators_asset_is_in_their_only_sites_queue(make_user, other_site):
    coordinator = make_user(Role.COORDINATOR, sites=[other_site])
    category = AssetFactory().category
    asset = asset_create(
        recorded_by=coordinator,
        fields={"name": "Theirs", "category": category},
        source=AssetSource.COORDINATOR,
    )
    assert asset.site == other_site


def test_someone_with_no_site_makes_an_asset_of_no_site(make_user):
    category = AssetFactory().category
    asset = asset_create(
        recorded_by=make_user(Role.COORDINATOR, sites=[]),
        fields={"name": "Nowhere", "category": category},
    )
    assert asset.site is None
    assert list(sites_of(asset.recorded_by)) == []


def test_site_names_follow_the_language():
    site = Site(slug="x", name_en="Townhill", name_cy="Trefynydd")
    with translation.override("cy"):
        assert site.name == "Trefynydd"
    assert site.name == "Townhill"


def test_a_participants_and_a_workshops_pages_name_their_site(coordinator_client):
    person, workshop = ParticipantFactory(), WorkshopFactory()
    pages = [
        reverse("participants:participant-detail", args=[person.code]),
        reverse("workshops:workshop-detail", args=[workshop.pk]),
    ]
    for url in pages:
        assert "Test site" in coordinator_client.get(url).content.decode()
    with translation.override("cy"):
        assert (
            "Safle prawf"
            in coordinator_client.get(pages[0].replace("/en/", "/cy/")).content.decode()
        )


def test_a_coordinator_with_two_sites_grants_the_ones_they_choose(client_as, other_site):
    client = client_as(Role.COORDINATOR, sites=[default_site(), other_site])
    url = reverse("core:account-create")
    page = client.post(url, {"username": "new-person", "role": "partner"}).content.decode()
    assert "Choose at least one site" in page
    assert not User.objects.filter(username="new-person").exists()
    client.post(url, {"username": "new-person", "role": "partner", "sites": [other_site.pk]})
    assert list(User.objects.get(username="new-person").sites.all()) == [other_site]
    assert "new-person" in client.get(reverse("core:account-list")).content.decode()
