"""Building the toolkit for service providers: a PDF in English and one in Welsh, and a data
bundle. Everything here is public by design: published, shareable assets only, no person's
name, code or contact anywhere, and every count of people through the disclosure rules.

The PDFs are rendered by WeasyPrint from templates/toolkit/pdf.html with nothing fetched from
outside the document (QR codes are PNG data: URIs, the chart inline SVG), one language in a
child process (PdfChild) while the job renders the other. The same data gives the same CSV
and JSON bytes and the same PDF text."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from itertools import groupby

import orjson
import segno
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, QuerySet, When
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from assets.models import Area, Asset, Domain
from assets.services.exports import (
    export_csv,
    export_geojson,
    export_openreferral,
    export_xlsx,
    neutralise,
)
from core.models import Site
from indicators import selectors as indicator_selectors
from indicators.charts import radar_svg
from indicators.models import AreaSummary, IndicatorValue
from indicators.views import chart_of
from toolkit.models import ToolkitSection
from toolkit.rendering import markdown_html
from workshops.models import Action, Barrier
from workshops.selectors import common_ground

LANGUAGES = ("en", "cy")
DIRECTORY_ORDER = [Domain.STRUCTURAL, Domain.COMMUNITY, Domain.INDIVIDUAL]
# Zip members get a fixed time, so the bundle does not change when nothing in it did.
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass
class Scope:
    """What one toolkit covers: a site's (or the whole programme's) published data."""

    name_en: str
    name_cy: str
    assets: QuerySet
    barriers: QuerySet
    actions: QuerySet
    areas: list[Area] = field(default_factory=list)
    profile_area: Area | None = None
    base_url: str = "http://127.0.0.1:8000"

    @property
    def name(self) -> str:
        return self.name_cy if translation.get_language() == "cy" else self.name_en


QR_MASK = 2  # one of the eight masks the standard defines; any of them scans


def qr_png(url: str) -> str:
    """The QR code of `url` as a PNG data URI (WeasyPrint lays out an image far faster than
    the same code as inline SVG: bench/toolkit_export.py)."""
    # One pixel per module: the PDF scales it up without smoothing (image-rendering:
    # pixelated in pdf.html), and a small PNG is quicker to make and to embed. A fixed mask:
    # trying all eight and scoring each took three quarters of the export's HTML time, and
    # every mask is valid (the score only avoids patterns harder to scan from a screen).
    return segno.make(url, error="m", mask=QR_MASK).png_data_uri(scale=1, border=2)


def asset_url(scope: Scope, asset: Asset) -> str:
    return f"{scope.base_url}/{translation.get_language()}/assets/{asset.pk}/"


def _details(asset: Asset) -> str:
    """Where, when and what it costs, on one line of the entry: each line of the directory is
    laid out by WeasyPrint on its own, and fewer lines make the export quicker and shorter."""
    where = ", ".join(part for part in (asset.address, asset.postcode) if part)
    cost = asset.get_cost_display() if asset.cost else ""
    return " · ".join(part for part in (where, asset.opening_times, cost) if part)


def directory(scope: Scope) -> list[dict]:
    """The printable asset directory: by domain, then category, then name; each entry with
    the QR code of its page on the site."""
    # Places and services first, then groups, then people's skills shared with consent.
    order = Case(*(When(domain=d, then=n) for n, d in enumerate(DIRECTORY_ORDER)))
    assets = scope.assets.select_related("category").order_by(
        order, "category__order", "name", "pk"
    )
    domains = []
    for domain, in_domain in groupby(assets, key=lambda asset: asset.domain):
        categories = [
            {
                "category": category,
                "entries": [
                    {
                        "asset": asset,
                        "details": _details(asset),
                        "url": asset_url(scope, asset),
                        "qr": qr_png(asset_url(scope, asset)),
                    }
                    for asset in entries
                ],
            }
            for category, entries in groupby(in_domain, key=lambda asset: asset.category)
        ]
        domains.append({"label": Domain(domain).label, "categories": categories})
    return domains


def _profile(scope: Scope) -> dict | None:
    area = scope.profile_area
    if area is None:
        return None
    comparator = indicator_selectors.comparator_of(area, "wales")
    rows = indicator_selectors.area_profile(area=area, comparator=comparator)
    chart = radar_svg(
        chart_of(rows),
        title=area.name,
        area=area.name,
        comparator=comparator.name if comparator else "",
    )
    return {"area": area, "comparator": comparator, "rows": rows, "chart": mark_safe(chart)}  # noqa: S308


def toolkit_html(scope: Scope, *, language: str) -> str:
    """The toolkit as one HTML document in `language`, ready for WeasyPrint."""
    with translation.override(language):
        sections = [
            (section, markdown_html(section.body)) for section in ToolkitSection.objects.all()
        ]
        found = common_ground(user=AnonymousUser(), exact=False, barriers=scope.barriers)
        return render_to_string(
            "toolkit/pdf.html",
            {
                "scope": scope,
                "sections": sections,
                "found": found,
                "profile": _profile(scope),
                "directory": directory(scope),
                "language": language,
            },
        )


def toolkit_pdf(html: str) -> bytes:
    """The PDF of toolkit_html's document, rendered in this process."""
    # Imported here: WeasyPrint takes a second to load, and only the export needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only data: URIs (the QR codes) are allowed, so nothing outside the document is fetched.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


# WeasyPrint's own command, as toolkit_pdf renders: the HTML on stdin, the PDF on stdout, no
# base URL, only data: URIs fetched. A child still rendering after PDF_SECONDS is stopped
# (the job's soft time limit is 4 minutes).
PDF_COMMAND = [sys.executable, "-m", "weasyprint", "--quiet", "--allowed-protocols", "data",
               "--base-url", "", "--encoding", "utf-8", "-", "-"]  # fmt: skip
PDF_SECONDS = 180


class PdfRenderFailed(RuntimeError):
    """The child ended without a PDF: its status and the end of what it wrote to stderr."""


class PdfRenderTimeout(SoftTimeLimitExceeded):
    """The child ran past PDF_SECONDS: the job layer fails the job as too long."""


class PdfChild:
    """toolkit_pdf run by a child process, so that the export renders its two languages at
    once. The job runs in a Celery prefork child, which is daemonic and may not start
    `multiprocessing` children; a plain subprocess it may. Files, not pipes, carry the HTML
    and the PDF, so neither side waits for the other to read. `pdf()` waits for the PDF;
    leaving the `with` kills and reaps a child still running, so none is left behind. (If
    the worker itself is killed, its child finishes the one document and exits.)"""

    def __init__(self, html: str):
        # Closed on leaving the `with`.
        self.files = [tempfile.TemporaryFile() for _ in range(3)]  # noqa: SIM115
        stdin, stdout, stderr = self.files
        stdin.write(html.encode("utf-8"))
        stdin.seek(0)
        self.deadline = time.monotonic() + PDF_SECONDS
        self.process = subprocess.Popen(PDF_COMMAND, stdin=stdin, stdout=stdout, stderr=stderr)  # noqa: S603

    def __enter__(self) -> PdfChild:
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for file in self.files:
            file.close()

    def pdf(self) -> bytes:
        _, stdout, stderr = self.files
        try:
            status = self.process.wait(timeout=max(0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise PdfRenderTimeout(f"the PDF renderer ran past {PDF_SECONDS} s") from None
        if status != 0:
            stderr.seek(0)
            reason = stderr.read().decode("utf-8", "replace").strip()[-500:]
            raise PdfRenderFailed(f"the PDF renderer exited with status {status}: {reason}")
        stdout.seek(0)
        return stdout.read()


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [[neutralise(c) if isinstance(c, str) else c for c in row] for row in rows]
    )
    return buffer.getvalue().encode("utf-8")


def barriers_csv(barriers: QuerySet) -> bytes:
    """Barriers without anyone's words but their title: kind, who it affects, status, votes
    and the ONS codes of where it is, if placed."""
    rows = barriers.order_by("pk").values_list(
        "pk", "title", "kind", "affects", "status", "priority_votes",
        "areas__lsoa__code", "areas__msoa__code", "areas__local_authority__code",
    )  # fmt: skip
    header = [
        "id",
        "title",
        "kind",
        "affects",
        "status",
        "priority_votes",
        "lsoa",
        "msoa",
        "local_authority",
    ]
    return _csv([header, *rows])


def actions_csv(actions: QuerySet) -> bytes:
    """Actions without their owner (a person's name): what, for which barriers, status, when
    due and the outcome."""
    header = ["id", "title", "barrier_ids", "status", "due_on", "outcome"]
    rows = [
        [
            action.pk,
            action.title,
            "; ".join(str(barrier.pk) for barrier in action.barriers.all()),
            action.status,
            action.due_on.isoformat() if action.due_on else "",
            action.outcome,
        ]
        for action in actions.order_by("pk").prefetch_related("barriers")
    ]
    return _csv([header, *rows])


def indicators_csv(areas: list[Area]) -> bytes:
    header = ["indicator", "area_code", "period", "value", "lower_ci", "upper_ci", "numerator",
              "denominator", "source", "illustrative"]  # fmt: skip
    rows = IndicatorValue.objects.filter(area__in=areas).order_by(
        "indicator__code", "area__code", "period"
    )
    return _csv(
        [
            header,
            *rows.values_list(
                "indicator__code", "area__code", "period", "value", "lower", "upper", "numerator",
                "denominator", "source", "illustrative",
            ),
        ]
    )  # fmt: skip


def summaries_csv(areas: list[Area]) -> bytes:
    header = ["area_code", "published_assets", "assets_by_domain", "assets_by_category",
              "barriers_by_kind", "workshops", "computed_at"]  # fmt: skip
    rows = [
        [
            summary.area.code,
            summary.assets,
            orjson.dumps(summary.assets_by_domain, option=orjson.OPT_SORT_KEYS).decode(),
            orjson.dumps(summary.assets_by_category, option=orjson.OPT_SORT_KEYS).decode(),
            orjson.dumps(summary.barriers_by_kind, option=orjson.OPT_SORT_KEYS).decode(),
            summary.workshops,
            summary.computed_at.isoformat(),
        ]
        for summary in AreaSummary.objects.filter(area__in=areas)
        .select_related("area")
        .order_by("area__code")
    ]
    return _csv([header, *rows])


def bundle_files(scope: Scope, pdfs: dict[str, bytes]) -> dict[str, bytes]:
    """Every file of toolkit.zip by name."""
    assets = scope.assets.order_by("name", "pk")
    return {
        "toolkit-en.pdf": pdfs["en"],
        "toolkit-cy.pdf": pdfs["cy"],
        "assets.csv": export_csv(assets=assets).encode("utf-8"),
        "assets.xlsx": export_xlsx(assets=assets),
        "assets.geojson": export_geojson(assets=assets),
        "assets-openreferral.json": orjson.dumps(
            export_openreferral(assets=assets), option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2
        ),
        "barriers.csv": barriers_csv(scope.barriers),
        "actions.csv": actions_csv(scope.actions),
        "indicators.csv": indicators_csv(scope.areas),
        "area-summaries.csv": summaries_csv(scope.areas),
        "README.md": render_to_string("toolkit/bundle_readme.md", {"scope": scope}).encode("utf-8"),
    }


def bundle_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


def programme_scope(*, base_url: str) -> Scope:
    """The whole programme's published data (before sites, the one scope there is)."""
    return Scope(
        name_en="The programme",
        name_cy="Y rhaglen",
        assets=Asset.objects.shareable(),
        barriers=Barrier.objects.all(),
        actions=Action.objects.all(),
        areas=list(Area.objects.filter(level__in=["ctry", "la", "site"])),
        profile_area=Area.objects.filter(level="site").first(),
        base_url=base_url,
    )


def site_scope(site: Site, *, base_url: str) -> Scope:
    """One site's toolkit: the shareable assets whose site it is, its barriers and actions,
    and its areas on the map (with the local authority and country they sit in, to compare).

    Assets are chosen by their own site (assets.Asset.site), not by whether they lie inside
    the site's areas: the site is set for every asset when it is recorded (from the
    participant or workshop it came from, else where it is, else the recorder's), so it also
    covers assets with no place on the map — a person's skill shared with consent, a group
    that meets online — which a boundary test would drop, and it is the same rule as the
    site's moderation queue, so a coordinator's toolkit holds what they published."""
    site_areas = list(Area.objects.filter(level="site", site=site).order_by("code"))
    areas = {area.pk: area for area in site_areas}
    for area in site_areas:
        parent = area.parent
        while parent is not None and parent.pk not in areas:
            areas[parent.pk] = parent
            parent = parent.parent
    for area in Area.objects.filter(level="ctry"):
        areas.setdefault(area.pk, area)
    return Scope(
        name_en=site.name_en,
        name_cy=site.name_cy or site.name_en,
        assets=Asset.objects.shareable().filter(site=site),
        barriers=Barrier.objects.in_sites([site]),
        actions=Action.objects.in_sites([site]),
        areas=sorted(areas.values(), key=lambda area: (area.level, area.code)),
        profile_area=site_areas[0] if site_areas else None,
        base_url=base_url,
    )
