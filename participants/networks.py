"""Social network measures from the name generator's ties (DESIGN §4–§6).

Ego-network measures per participant, cohort summaries under disclosure control, and the
whole network of participants who name each other, laid out for a sociogram. Reads Tie rows
with `values_list`, so each function runs a fixed number of queries however many ties there
are. See docs/evaluation.md for the definitions.
"""

from collections import defaultdict
from itertools import combinations
from math import atan2, ceil, cos, inf, pi, sin

import networkx as nx
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.disclosure import mean_shown, row_shown
from participants.models import (
    Cohort,
    ContactGroup,
    ParticipantStatus,
    QuestionnaireResponse,
    Tie,
    TieFormed,
)

TENANT = ContactGroup.TENANT.value
SANCTUARY = ContactGroup.SANCTUARY.value
OTHER = ContactGroup.OTHER.value
COHORT_GROUPS = (TENANT, SANCTUARY)
GROUP_LABELS = {
    TENANT: _("Tenants"),
    SANCTUARY: _("People seeking sanctuary"),
    OTHER: _("Other"),
}
COUNTED = ("size", "bonding", "bridging", "via_workshop", "via_asset", "to_participants")

# The drawing box (SVG user units) and the room kept round it for the labels under nodes.
WIDTH, HEIGHT = 600, 400
LEFT, RIGHT, TOP, BOTTOM = 35, 565, 25, 365
# People with no tie to another participant sit on a grid along the bottom, so they neither
# crowd round the edge of the spring layout nor squash the part that is connected.
GRID_COLUMNS, ROW_HEIGHT = 8, 48
# Room between the boxes that groups of connected participants are drawn in, and the room
# a node with its label under it needs, across and down, to stay clear of the next one.
CELL_GAP = 40
LABEL_ROOM = (48, 34)
MAX_SHELVES = 6
# spring_layout needs scipy from 500 nodes; the project has about 50 participants.
SPRING_LAYOUT_MAX_NODES = 499


def cohort_group(cohort: str) -> str | None:
    """The group a cohort belongs to: "tenant" for tenants, "sanctuary" for asylum seekers
    and refugees, None for anyone else."""
    if cohort == Cohort.TENANT:
        return TENANT
    if cohort in Cohort.sanctuary():
        return SANCTUARY
    return None


def ei_index(*, external: int, internal: int) -> float | None:
    """Krackhardt & Stern's E–I index: (E − I) / (E + I), from −1 (all ties inside the
    group) to +1 (all ties bridge to the other group); None without any such ties."""
    if external + internal == 0:
        return None
    return (external - internal) / (external + internal)


def _ego(group: str | None) -> dict:
    return {"group": group, **dict.fromkeys(COUNTED, 0), "ei_index": None}


def _count_tie(measures: dict, *, alter_group: str, formed: str, alter_id: int | None) -> None:
    measures["size"] += 1
    own = measures["group"]
    if own is not None and alter_group in COHORT_GROUPS:
        measures["bonding" if alter_group == own else "bridging"] += 1
    measures["via_workshop"] += formed == TieFormed.WORKSHOP
    measures["via_asset"] += formed == TieFormed.ASSET
    measures["to_participants"] += alter_id is not None


def ego_measures_all(
    *, time_point: str | None = None, participants=None
) -> dict[tuple[str, int], dict]:
    """Ego measures keyed by (time point, participant id), for one time point or all of them,
    of `participants` (a queryset: those of the sites the reader reaches) or everyone.

    A participant is included at a time point if they have ties or a network response there
    (someone who named nobody has a network of size 0). Two queries.
    """
    ties = Tie.objects.order_by()
    responses = QuestionnaireResponse.objects.filter(instrument="network").order_by()
    if participants is not None:
        ties = ties.filter(participant__in=participants)
        responses = responses.filter(participant__in=participants)
    if time_point is not None:
        ties = ties.filter(time_point=time_point)
        responses = responses.filter(time_point=time_point)
    table: dict[tuple[str, int], dict] = {}
    for point, participant_id, cohort in responses.values_list(
        "time_point", "participant_id", "participant__cohort"
    ):
        table[(point, participant_id)] = _ego(cohort_group(cohort))
    for point, participant_id, cohort, alter_group, formed, alter_id in ties.values_list(
        "time_point", "participant_id", "participant__cohort", "alter_group", "formed", "alter_id"
    ):
        measures = table.setdefault((point, participant_id), _ego(cohort_group(cohort)))
        _count_tie(measures, alter_group=alter_group, formed=formed, alter_id=alter_id)
    for measures in table.values():
        measures["ei_index"] = ei_index(external=measures["bridging"], internal=measures["bonding"])
    return table


def ego_measures(*, time_point: str, participants=None) -> dict[int, dict]:
    """Per participant id at a time point: group ("tenant", "sanctuary" or None), size,
    bonding, bridging, ei_index, via_workshop, via_asset and to_participants.

    Bonding and bridging go by the group the participant reported for each contact
    (`Tie.alter_group`, as `Tie.bridging` does); contacts who are professionals or "other",
    and every contact of a participant in the "other" cohort, count in size only.
    """
    return {
        participant_id: measures
        for (_point, participant_id), measures in ego_measures_all(
            time_point=time_point, participants=participants
        ).items()
    }


def cohort_measures(*, time_point: str, exact: bool, participants=None) -> list[dict]:
    """Per cohort group (tenants, people seeking sanctuary): how many have network data at
    the time point, their mean network size, mean bridging ties and mean E–I index — counts
    and means disclosure-controlled (participants.disclosure) unless `exact`. The counts are
    one breakdown with everyone else, as the rules want."""
    by_group = defaultdict(list)
    for measures in ego_measures(time_point=time_point, participants=participants).values():
        by_group[measures["group"] or OTHER].append(measures)
    counts = row_shown({group: len(by_group[group]) for group in GROUP_LABELS}, exact=exact)
    rows = []
    for group in COHORT_GROUPS:
        members = by_group[group]
        eis = [m["ei_index"] for m in members if m["ei_index"] is not None]
        rows.append(
            {
                "group": group,
                "label": GROUP_LABELS[group],
                "n": counts.cells[group],
                "mean_size": mean_shown([m["size"] for m in members], exact=exact),
                "mean_bridging": mean_shown([m["bridging"] for m in members], exact=exact),
                "mean_ei": mean_shown(eis, exact=exact),
            }
        )
    return rows


def participant_graph(*, time_point: str, participants=None) -> nx.Graph:
    """The network between participants (`participants`, a queryset, or everyone) at a time
    point: a node for everyone with ties
    there or named by someone (attributes code and group: tenant / sanctuary / other), and
    an undirected edge where either named the other, weighted by the larger closeness.
    Nobody who has withdrawn is a node: ties kept under anonymised sharing link no one."""
    nodes: dict[int, tuple[str, str]] = {}
    edges: dict[tuple[int, int], int] = {}
    ties = Tie.objects.filter(time_point=time_point)
    if participants is not None:
        ties = ties.filter(participant__in=participants).filter(
            Q(alter__isnull=True) | Q(alter__in=participants)
        )
    rows = (
        ties.exclude(participant__status=ParticipantStatus.WITHDRAWN)
        .exclude(alter__status=ParticipantStatus.WITHDRAWN)
        .order_by()
        .values_list(
            "participant_id",
            "participant__code",
            "participant__cohort",
            "alter_id",
            "alter__code",
            "alter__cohort",
            "closeness",
        )
    )
    for ego, code, cohort, alter, alter_code, alter_cohort, closeness in rows:
        nodes[ego] = (code, cohort)
        if alter is not None:
            nodes[alter] = (alter_code, alter_cohort)
            pair = (min(ego, alter), max(ego, alter))
            edges[pair] = max(edges.get(pair, 0), closeness)
    graph = nx.Graph()
    # Nodes in code order, so the seeded layout is the same on every run.
    for node, (code, cohort) in sorted(nodes.items(), key=lambda item: item[1][0]):
        graph.add_node(node, code=code, group=cohort_group(cohort) or OTHER)
    graph.add_weighted_edges_from((a, b, weight) for (a, b), weight in sorted(edges.items()))
    return graph


def _bridges(graph: nx.Graph, a: int, b: int) -> bool:
    return {graph.nodes[a]["group"], graph.nodes[b]["group"]} == {TENANT, SANCTUARY}


def _spring(graph: nx.Graph, seed: int) -> dict:
    if len(graph) > SPRING_LAYOUT_MAX_NODES:
        return nx.circular_layout(graph)
    return nx.spring_layout(graph, seed=seed, method="force", iterations=100)


def _grid(nodes: list, *, top: float, bottom: float) -> dict:
    """Nodes in rows of GRID_COLUMNS filling top..bottom; a single row is centred."""
    columns = min(len(nodes), GRID_COLUMNS)
    step_x = (RIGHT - LEFT) / (GRID_COLUMNS - 1)
    start_x = (LEFT + RIGHT) / 2 - (columns - 1) * step_x / 2
    rows = ceil(len(nodes) / GRID_COLUMNS)
    step_y = (bottom - top) / (rows - 1) if rows > 1 else 0
    start_y = top if rows > 1 else (top + bottom) / 2
    return {
        node: (
            round(start_x + (i % columns) * step_x, 1),
            round(start_y + (i // columns) * step_y, 1),
        )
        for i, node in enumerate(nodes)
    }


def _fit(points: list[tuple[float, float]], box: tuple[float, ...]) -> list[tuple[float, float]]:
    """Points turned so their widest spread runs along the longer side of the box (left,
    right, top, bottom), then scaled evenly, keeping their shape, and centred in it."""
    left, right, upper, lower = box
    mean_x = sum(x for x, _y in points) / len(points)
    mean_y = sum(y for _x, y in points) / len(points)
    xx = sum((x - mean_x) ** 2 for x, _y in points)
    yy = sum((y - mean_y) ** 2 for _x, y in points)
    xy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    angle = 0.5 * atan2(2 * xy, xx - yy) - (pi / 2 if lower - upper > right - left else 0)
    c, s = cos(angle), sin(angle)
    turned = [
        ((x - mean_x) * c + (y - mean_y) * s, (y - mean_y) * c - (x - mean_x) * s)
        for x, y in points
    ]
    xs, ys = [x for x, _y in turned], [y for _x, y in turned]
    spans = ((max(xs) - min(xs), right - left), (max(ys) - min(ys), lower - upper))
    scale = min((room / span for span, room in spans if span > 1e-9), default=0)
    middle_x, middle_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return [
        (
            round((left + right) / 2 + (x - middle_x) * scale, 1),
            round((upper + lower) / 2 + (y - middle_y) * scale, 1),
        )
        for x, y in turned
    ]


def _shelves(sizes: list[int], *, rows: int, top: float, bottom: float) -> list[tuple]:
    """Boxes for components (sizes largest first) on `rows` shelves of equal height, each
    box as wide as its component's share of its shelf, with CELL_GAP between boxes."""
    weights = [size + 2 for size in sizes]  # room for pairs too
    shelves, load = [[]], 0
    for index, weight in enumerate(weights):
        if shelves[-1] and load + weight > sum(weights) / rows and len(shelves) < rows:
            shelves.append([])
            load = 0
        shelves[-1].append(index)
        load += weight
    height = (bottom - top) / len(shelves)
    gap_y = CELL_GAP / 2 if len(shelves) > 1 else 0
    boxes = []
    for row, shelf in enumerate(shelves):
        x, total = LEFT, sum(weights[i] for i in shelf)
        gap_x = CELL_GAP / 2 if len(shelf) > 1 else 0
        upper = top + row * height
        for index in shelf:
            width = (RIGHT - LEFT) * weights[index] / total
            boxes.append((x + gap_x, x + width - gap_x, upper + gap_y, upper + height - gap_y))
            x += width
    return boxes


def _clearance(placed: dict) -> float:
    """How clear of each other the closest two labelled nodes are (1 = just touching)."""
    across, down = LABEL_ROOM
    return min(
        (
            max(abs(a[0] - b[0]) / across, abs(a[1] - b[1]) / down)
            for a, b in combinations(placed.values(), 2)
        ),
        default=inf,
    )


def _springs(graph: nx.Graph, seed: int, *, top: float, bottom: float) -> dict:
    """Each connected group of participants laid out on its own (a spring layout of several
    groups pushes them apart until each shrinks to a dot) in a box sized by the group, on
    as many shelves as keeps the labels clearest."""
    parts = sorted(
        nx.connected_components(graph),
        key=lambda part: (-len(part), min(graph.nodes[n]["code"] for n in part)),
    )
    layouts = []
    for part in parts:
        members = [node for node in graph if node in part]  # code order, for a stable layout
        layout = _spring(graph.subgraph(members), seed)
        layouts.append((members, [(float(layout[n][0]), float(layout[n][1])) for n in members]))
    sizes = [len(members) for members, _points in layouts]
    candidates = []
    for rows in range(1, min(len(parts), MAX_SHELVES) + 1):
        boxes = _shelves(sizes, rows=rows, top=top, bottom=bottom)
        placed = {}
        for (members, points), box in zip(layouts, boxes, strict=True):
            placed |= dict(zip(members, _fit(points, box), strict=True))
        candidates.append(placed)
    return max(candidates, key=_clearance)


def _positions(graph: nx.Graph, seed: int) -> dict:
    """Box coordinates: seeded spring layouts of the connected participants above a grid
    of those tied to no other participant."""
    alone = [node for node in graph if graph.degree(node) == 0]
    tied = [node for node in graph if graph.degree(node) > 0]
    if not tied:
        return _grid(alone, top=TOP, bottom=BOTTOM) if alone else {}
    # The grid takes at most half the height, the spring layouts what is above it.
    rows = ceil(len(alone) / GRID_COLUMNS)
    grid_top = BOTTOM - min(max(rows - 1, 0) * ROW_HEIGHT, (BOTTOM - TOP) / 2)
    bottom = grid_top - ROW_HEIGHT if alone else BOTTOM
    placed = _springs(graph.subgraph(tied), seed, top=TOP, bottom=bottom)
    return placed | (_grid(alone, top=grid_top, bottom=BOTTOM) if alone else {})


def sociogram(graph: nx.Graph, *, seed: int = 7) -> dict:
    """A drawing of the graph in a 600 × 400 box (seeded spring layout, so the same data
    gives the same picture; people tied to no other participant on a grid below it): nodes
    with code, group, degree and x/y; edges as coordinate pairs with their weight and whether
    they bridge tenants and people seeking sanctuary; and the graph's node and edge counts,
    density and share of bridging edges."""
    place = _positions(graph, seed)
    nodes = [
        {**graph.nodes[n], "id": n, "degree": graph.degree(n), "x": place[n][0], "y": place[n][1]}
        for n in graph
    ]
    edges = [
        {
            "x1": place[a][0],
            "y1": place[a][1],
            "x2": place[b][0],
            "y2": place[b][1],
            "weight": data["weight"],
            "bridging": _bridges(graph, a, b),
        }
        for a, b, data in graph.edges(data=True)
    ]
    bridging = sum(edge["bridging"] for edge in edges)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "nodes": nodes,
        "edges": edges,
        "node_count": len(nodes),
        "edge_count": len(edges),
        "density": round(nx.density(graph), 3) if len(graph) else 0.0,
        "bridging_share": bridging / len(edges) if edges else None,
    }
