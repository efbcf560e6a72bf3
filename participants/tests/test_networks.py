import pytest
from django.utils import timezone

from participants import networks, services
from participants.models import Consent, ConsentScope, InformationSheet, Tie
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
HIDDEN_MEAN = "not shown (fewer than 10)"


def taking_part(**profile):
    """A participant with a current consent to take part (answers need one)."""
    participant = ParticipantFactory(**profile)
    # A migration makes sheet 1.0; browser tests flush the database, so make it again there.
    sheet, _ = InformationSheet.objects.get_or_create(
        version="1.0",
        defaults={"published_on": timezone.localdate(), "summary_en": "-", "summary_cy": "-"},
    )
    Consent.objects.create(
        participant=participant,
        sheet=sheet,
        scope=ConsentScope.TAKE_PART,
        method="written",
        given_on=timezone.localdate(),
    )
    return participant


def contact(group, *, alter=None, closeness=2, formed="before", relationship="friend"):
    found = {"group": group, "relationship": relationship, "closeness": closeness}
    if alter is not None:
        found["alter"] = alter
    return found | {"formed": formed}


def name(participant, *contacts, time_point="baseline"):
    return services.network_record(
        participant=participant, time_point=time_point, contacts=list(contacts), by=None
    )


def test_two_bridging_ties_and_one_bonding_tie_give_an_ei_index_of_a_third():
    tenant = taking_part(cohort="tenant")
    name(tenant, contact("sanctuary"), contact("sanctuary"), contact("tenant"))
    measures = networks.ego_measures(time_point="baseline")[tenant.pk]
    assert (measures["size"], measures["bonding"], measures["bridging"]) == (3, 1, 2)
    assert measures["ei_index"] == pytest.approx((2 - 1) / 3)


def test_professionals_and_others_count_in_size_but_not_in_the_ei_index():
    tenant = taking_part(cohort="tenant")
    name(tenant, contact("professional"), contact("other"), contact("tenant"))
    measures = networks.ego_measures(time_point="baseline")[tenant.pk]
    assert (measures["size"], measures["bonding"], measures["bridging"]) == (3, 1, 0)
    assert measures["ei_index"] == -1.0


def test_only_professional_contacts_leave_the_ei_index_undefined():
    refugee = taking_part(cohort="refugee")
    name(refugee, contact("professional", relationship="professional"))
    assert networks.ego_measures(time_point="baseline")[refugee.pk]["ei_index"] is None


def test_asylum_seekers_and_refugees_are_one_group_and_bridge_to_tenants():
    asylum_seeker = taking_part(cohort="asylum_seeker")
    name(asylum_seeker, contact("sanctuary"), contact("tenant"), contact("tenant"))
    measures = networks.ego_measures(time_point="baseline")[asylum_seeker.pk]
    assert (measures["group"], measures["bonding"], measures["bridging"]) == ("sanctuary", 1, 2)
    assert measures["ei_index"] == pytest.approx(1 / 3)


def test_someone_in_the_other_cohort_has_a_size_but_neither_bonding_nor_bridging():
    other = taking_part(cohort="other")
    name(other, contact("tenant"), contact("sanctuary"))
    measures = networks.ego_measures(time_point="baseline")[other.pk]
    assert (measures["size"], measures["bonding"], measures["bridging"]) == (2, 0, 0)
    assert measures["ei_index"] is None


def test_ties_formed_at_workshops_and_places_and_ties_to_participants_are_counted():
    tenant, refugee = taking_part(cohort="tenant"), taking_part(cohort="refugee")
    name(
        tenant,
        contact("sanctuary", alter=refugee, formed="workshop"),
        contact("sanctuary", formed="workshop"),
        contact("tenant", formed="asset"),
        contact("tenant", formed="elsewhere"),
    )
    measures = networks.ego_measures(time_point="baseline")[tenant.pk]
    assert (measures["via_workshop"], measures["via_asset"], measures["to_participants"]) == (
        2, 1, 1,
    )  # fmt: skip


def test_someone_who_named_nobody_has_a_network_of_size_zero():
    tenant = taking_part(cohort="tenant")
    name(tenant)
    assert networks.ego_measures(time_point="baseline")[tenant.pk] == {
        "group": "tenant", "size": 0, "bonding": 0, "bridging": 0, "ei_index": None,
        "via_workshop": 0, "via_asset": 0, "to_participants": 0,
    }  # fmt: skip


def test_ego_measures_keep_time_points_apart():
    tenant = taking_part(cohort="tenant")
    name(tenant, contact("tenant"))
    name(tenant, contact("sanctuary"), contact("sanctuary"), time_point="follow_up")
    assert networks.ego_measures(time_point="baseline")[tenant.pk]["ei_index"] == -1.0
    assert networks.ego_measures(time_point="follow_up")[tenant.pk]["ei_index"] == 1.0
    assert networks.ego_measures(time_point="midpoint") == {}


def test_ego_measures_take_two_queries_however_many_ties(django_assert_num_queries):
    people = [taking_part(cohort="tenant" if i % 2 else "refugee") for i in range(12)]
    for person in people:
        name(person, contact("tenant"), contact("sanctuary"), contact("professional"))
    with django_assert_num_queries(2):
        measures = networks.ego_measures(time_point="baseline")
    assert len(measures) == 12


def test_two_participants_who_name_each_other_are_one_edge_weighted_by_the_closer_tie():
    tenant, refugee = taking_part(cohort="tenant"), taking_part(cohort="refugee")
    name(tenant, contact("sanctuary", alter=refugee, closeness=1))
    name(refugee, contact("tenant", alter=tenant, closeness=3))
    graph = networks.participant_graph(time_point="baseline")
    assert list(graph.edges(data="weight")) == [(tenant.pk, refugee.pk, 3)]
    assert graph.nodes[tenant.pk] == {"code": tenant.code, "group": "tenant"}
    assert graph.nodes[refugee.pk] == {"code": refugee.code, "group": "sanctuary"}


def test_the_graph_includes_people_who_were_named_and_people_who_named_only_outsiders():
    tenant, named, loner = (taking_part(cohort=c) for c in ("tenant", "other", "refugee"))
    name(tenant, contact("other", alter=named))
    name(loner, contact("professional"))
    graph = networks.participant_graph(time_point="baseline")
    assert {graph.nodes[n]["code"]: graph.nodes[n]["group"] for n in graph} == {
        tenant.code: "tenant", named.code: "other", loner.code: "sanctuary",
    }  # fmt: skip
    assert graph.number_of_edges() == 1
    assert networks.participant_graph(time_point="follow_up").number_of_nodes() == 0


def test_the_graph_is_read_in_one_query(django_assert_num_queries):
    people = [taking_part(cohort="tenant") for _ in range(10)]
    for person, other in zip(people, people[1:] + people[:1], strict=True):
        name(person, contact("tenant", alter=other))
    with django_assert_num_queries(1):
        graph = networks.participant_graph(time_point="baseline")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (10, 10)


def test_a_sociogram_fits_the_box_is_stable_and_counts_bridging_edges():
    tenants = [taking_part(cohort="tenant") for _ in range(3)]
    refugee = taking_part(cohort="refugee")
    name(tenants[0], contact("tenant", alter=tenants[1]), contact("sanctuary", alter=refugee))
    name(tenants[2], contact("tenant", alter=tenants[1]))
    graph = networks.participant_graph(time_point="baseline")
    drawing = networks.sociogram(graph)
    assert drawing == networks.sociogram(graph)
    assert all(0 <= n["x"] <= 600 and 0 <= n["y"] <= 400 for n in drawing["nodes"])
    assert (drawing["node_count"], drawing["edge_count"]) == (4, 3)
    assert drawing["density"] == 0.5  # 3 of the 6 possible pairs
    assert drawing["bridging_share"] == pytest.approx(1 / 3)
    assert [n["code"] for n in drawing["nodes"]] == sorted(p.code for p in [*tenants, refugee])
    assert {n["code"]: n["degree"] for n in drawing["nodes"]}[tenants[1].code] == 2
    first = next(n for n in drawing["nodes"] if n["code"] == tenants[0].code)
    assert any((e["x1"], e["y1"]) == (first["x"], first["y"]) for e in drawing["edges"])


def test_a_sociogram_of_no_one_or_one_person_is_drawable():
    empty = networks.sociogram(networks.participant_graph(time_point="baseline"))
    assert (empty["nodes"], empty["edges"], empty["density"], empty["bridging_share"]) == (
        [], [], 0.0, None,
    )  # fmt: skip
    loner = taking_part(cohort="tenant")
    name(loner, contact("professional"))
    (node,) = networks.sociogram(networks.participant_graph(time_point="baseline"))["nodes"]
    assert (node["code"], node["degree"], node["x"], node["y"]) == (loner.code, 0, 300.0, 195.0)


def test_a_cohort_of_three_shows_as_under_five_to_evaluators_and_three_to_coordinators():
    for _ in range(3):
        name(taking_part(cohort="refugee"), contact("tenant"), contact("sanctuary"))
    hidden = {
        row["group"]: row for row in networks.cohort_measures(time_point="baseline", exact=False)
    }
    exact = {
        row["group"]: row for row in networks.cohort_measures(time_point="baseline", exact=True)
    }
    assert hidden["sanctuary"]["n"] == "<5" and exact["sanctuary"]["n"] == 3
    assert hidden["sanctuary"]["mean_size"] == HIDDEN_MEAN
    assert hidden["sanctuary"]["mean_ei"] == HIDDEN_MEAN
    assert (exact["sanctuary"]["mean_size"], exact["sanctuary"]["mean_ei"]) == (2.0, 0.0)
    assert hidden["tenant"]["n"] == 0 and hidden["tenant"]["mean_size"] is None


def test_cohort_means_show_for_groups_of_ten_or_more():
    for _ in range(10):
        name(
            taking_part(cohort="tenant"),
            contact("tenant"),
            contact("sanctuary"),
            contact("sanctuary"),
        )
    (tenants, _sanctuary) = networks.cohort_measures(time_point="baseline", exact=False)
    assert (tenants["n"], tenants["mean_size"], tenants["mean_bridging"]) == (10, 3.0, 2.0)
    assert tenants["mean_ei"] == 0.3


def test_ties_outside_the_name_generator_count_too():
    tenant, refugee = taking_part(cohort="tenant"), taking_part(cohort="refugee")
    Tie.objects.create(
        participant=tenant, alter=refugee, time_point="baseline", alter_group="sanctuary",
        relationship="friend", closeness=2,
    )  # fmt: skip
    assert networks.ego_measures(time_point="baseline")[tenant.pk]["bridging"] == 1


def test_people_tied_to_no_other_participant_sit_below_the_connected_ones():
    pair = [taking_part(cohort="tenant"), taking_part(cohort="refugee")]
    name(pair[0], contact("sanctuary", alter=pair[1]))
    alone = [taking_part(cohort="tenant") for _ in range(10)]
    for person in alone:
        name(person, contact("professional"))
    drawing = networks.sociogram(networks.participant_graph(time_point="baseline"))
    where = {node["code"]: (node["x"], node["y"]) for node in drawing["nodes"]}
    lowest_tied = max(where[p.code][1] for p in pair)
    assert all(where[p.code][1] > lowest_tied for p in alone)
    assert len({where[p.code] for p in alone}) == 10  # no two on the same spot
    assert all(0 <= x <= 600 and 0 <= y <= 400 for x, y in where.values())
