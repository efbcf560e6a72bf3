"""Workshops as facilitators and coordinators log them: the list, planning, the register
(with walk-ins) and what each workshop found and agreed. Coordinators reach every workshop;
facilitators only those they run (any other is a 404)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from assets.maps import LAYER_VERSION, picker_config
from core.forms import add_service_errors
from core.languages import language_name
from core.pagecache import PageFragments
from core.services import EditConflict, form_submission_once, version_of
from core.sites import REACH
from participants.disclosure import sees_exact_numbers
from workshops.forms import (
    ActionForm,
    AssetLinkForm,
    AttendanceForm,
    BarrierForm,
    WalkInForm,
    WorkshopAssetForm,
    WorkshopForm,
)
from workshops.models import Barrier, Support, Workshop
from workshops.selectors import with_attendance, with_attending, workshop_attendance
from workshops.services import (
    action_create,
    attendance_change,
    barrier_create,
    barrier_vote,
    walk_in_register,
    workshop_asset_record,
    workshop_save,
)
from workshops.versions import WORKSHOPS_VERSION

VIEW = "workshops.view_workshop"


class WorkshopMixin(PermissionRequiredMixin):
    """Only the workshops this person may see: any other is a 404."""

    def get_queryset(self):
        return Workshop.objects.run_by(self.request.user).select_related("venue", "site")

    def get_workshop(self) -> Workshop:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


def saved(form, service, **kwargs):
    """What the service returns, or None with the service's errors shown on the form."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


class WorkshopListView(WorkshopMixin, ListView):
    """Coordinators (every workshop) and facilitators (those they run): what is coming up,
    then what was held, with how many came."""

    permission_required = VIEW
    template_name = "workshops/list.html"
    paginate_by = 25

    def get_queryset(self):
        now = timezone.now()
        listed = with_attendance(super().get_queryset())
        self.upcoming = listed.filter(ends_at__gte=now).order_by("starts_at")
        return listed.filter(ends_at__lt=now).order_by("-starts_at")

    def get(self, request, *args, **kwargs):
        # The lists, rendered once per change of the workshops (workshops.versions) for this
        # person as they are now (their role and sites, REACH, are in the key), until the first
        # workshop coming up ends and moves to the past.
        user = request.user
        kept = PageFragments(
            request,
            scope=f"workshop-list:{user.pk}:{getattr(user, 'role', '')}",
            versions=(WORKSHOPS_VERSION, LAYER_VERSION),
            params=frozenset({"page"}),
            reads=(REACH,),
        )
        lists = kept.get("lists")
        if lists is None or (lists["until"] and lists["until"] <= timezone.now()):
            lists = kept.set("lists", self._lists())
        return render(request, self.template_name, {"body": mark_safe(lists["body"])})

    def _lists(self) -> dict:
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        upcoming = context.get("upcoming", ())
        return {
            "body": str(render_to_string("workshops/list_body.html", context, self.request)),
            "until": min((workshop.ends_at for workshop in upcoming), default=None),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exact = sees_exact_numbers(self.request.user)
        context["object_list"] = with_attending(context["object_list"], exact=exact)
        if context["page_obj"].number == 1:
            context["upcoming"] = with_attending(self.upcoming, exact=exact)
        return context


class WorkshopFormMixin(WorkshopMixin):
    form_class = WorkshopForm
    template_name = "workshops/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            workshop = workshop_save(
                workshop=form.save(commit=False),
                facilitators=form.cleaned_data["facilitators"],
                by=self.request.user,
                version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            theirs = model_to_dict(conflict.current, fields=list(form.fields))
            form.conflict(theirs=theirs, version=version_of(conflict.current))
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(title)s” is saved.") % {"title": workshop.title})
        return redirect("workshops:workshop-detail", pk=workshop.pk)


class WorkshopCreateView(WorkshopFormMixin, CreateView):
    """Coordinators and facilitators: plan or log a workshop. A facilitator is one of the
    facilitators of the workshops they add."""

    permission_required = "workshops.add_workshop"

    def get_initial(self):
        return {"facilitators": [self.request.user]}


class WorkshopEditView(WorkshopFormMixin, UpdateView):
    """Coordinators (any workshop) and facilitators (those they run): change a workshop.
    Saving over someone else's change since the form was opened shows both versions."""

    permission_required = ("workshops.change_workshop", VIEW)

    def get_initial(self):
        return {"version": version_of(self.object)}


# The workshop's pages: a short summary, then one page per part of what it produced. Each
# part's form posts to its own page, which comes back with the form's errors or, when it
# worked, the page again with the new row.
TABS = {
    "summary": "workshops:workshop-detail",
    "register": "workshops:workshop-register",
    "assets": "workshops:workshop-asset",
    "barriers": "workshops:workshop-barrier",
    "actions": "workshops:workshop-action",
    "report": "workshops:workshop-report",
}


def workshop_tabs(workshop: Workshop, current: str) -> list[dict]:
    """The workshop's sub-navigation: every page of it, the current one marked."""
    labels = {
        "summary": gettext("Summary"),
        "register": gettext("Who came"),
        "assets": gettext("Assets"),
        "barriers": gettext("Barriers"),
        "actions": gettext("Actions"),
        "report": gettext("Report"),
    }
    return [
        {"label": labels[key], "url": reverse(name, args=[workshop.pk]), "current": key == current}
        for key, name in TABS.items()
    ]


def summary_context(workshop: Workshop, user) -> dict:
    """The workshop's summary: its details and how much each part holds."""
    return {
        "workshop": workshop,
        "tabs": workshop_tabs(workshop, "summary"),
        "attending": workshop_attendance(workshop, exact=sees_exact_numbers(user)).total,
        "facilitators": workshop.facilitators.order_by("first_name", "username"),
        "language_names": [language_name(code) for code in workshop.languages],
        "support_names": [Support(v).label for v in workshop.support if v in Support.values],
        "asset_count": workshop.assets_identified.count(),
        "barrier_count": workshop.barriers.count(),
        "action_count": workshop.actions.count(),
    }


def part_context(workshop: Workshop, tab: str, **forms) -> dict:
    """One part of the workshop (assets, barriers or actions) with its forms; a form that
    failed is passed in bound."""
    forms = {
        "link_form": AssetLinkForm(workshop=workshop, prefix="link"),
        "asset_form": WorkshopAssetForm(prefix="asset"),
        "barrier_form": BarrierForm(),
        "action_form": ActionForm(workshop=workshop, prefix="action"),
        **forms,
    }
    context = {"workshop": workshop, "tabs": workshop_tabs(workshop, tab), **forms}
    context["has_errors"] = any(form.errors for form in forms.values())
    if tab == "assets":
        context["assets"] = workshop.assets_identified.select_related("category").order_by("name")
    if tab in ("barriers", "actions"):
        context["barriers"] = list(workshop.barriers.all())
    if tab == "barriers":
        context["picker_config"] = {
            **picker_config(),
            "individualCategories": [],
            "pinLabel": gettext("Where the barrier is (drag to move)"),
        }
    if tab == "actions":
        context["assets"] = workshop.assets_identified.exists()
        context["actions"] = workshop.actions.prefetch_related("barriers", "assets")
    return context


class WorkshopDetailView(WorkshopMixin, DetailView):
    """Coordinators and facilitators (workshops they run): the workshop in short — its
    details, how many came, how many assets, barriers and actions, and its report — with a
    page for each part."""

    permission_required = VIEW
    template_name = "workshops/detail.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **summary_context(self.object, self.request.user),
        }


class OutputView(WorkshopMixin, View):
    """One part of the workshop: its page (GET), and its forms (POST) — back to the page
    when one worked, or the page again with that form's errors."""

    tab = ""
    template_name = ""

    def get(self, request, pk):
        return self.page(self.get_workshop())

    def page(self, workshop: Workshop, **forms):
        return render(self.request, self.template_name, part_context(workshop, self.tab, **forms))

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(TABS[self.tab], pk=self.kwargs["pk"])

    def failed(self, workshop: Workshop, **forms):
        return self.page(workshop, **forms)


class WorkshopAssetView(OutputView):
    """Coordinators and facilitators (workshops they run): the assets the workshop found;
    link an asset already on the map, or record a new one, which waits for moderation."""

    permission_required = (VIEW, "workshops.change_workshop")
    tab = "assets"
    template_name = "workshops/assets.html"

    def post(self, request, pk):
        workshop = self.get_workshop()
        if "link-asset" in request.POST:
            return self.link(workshop)
        return self.record(workshop)

    def link(self, workshop: Workshop):
        form = AssetLinkForm(self.request.POST, workshop=workshop, prefix="link")
        if not form.is_valid():
            return self.failed(workshop, link_form=form)
        workshop.assets_identified.add(form.cleaned_data["asset"])
        name = form.cleaned_data["asset"].display_name
        return self.done(_("“%(name)s” is linked to this workshop.") % {"name": name})

    def record(self, workshop: Workshop):
        form = WorkshopAssetForm(self.request.POST, prefix="asset")
        asset = form.is_valid() and saved(
            form,
            workshop_asset_record,
            workshop=workshop,
            fields=form.asset_fields,
            by=self.request.user,
        )
        if not asset:
            return self.failed(workshop, asset_form=form)
        message = _("“%(name)s” is added. It will be checked before it goes on the map.")
        return self.done(message % {"name": asset.name})


class WorkshopBarrierView(OutputView):
    """Coordinators and facilitators (workshops they run): the barriers the room named, most
    votes first; record another."""

    permission_required = (VIEW, "workshops.add_barrier")
    tab = "barriers"
    template_name = "workshops/barriers.html"

    def post(self, request, pk):
        workshop = self.get_workshop()
        form = BarrierForm(request.POST)
        barrier = form.is_valid() and saved(
            form,
            barrier_create,
            fields=form.barrier_fields,
            geometry=form.cleaned_data["geometry"],
            workshop=workshop,
            by=request.user,
        )
        if not barrier:
            return self.failed(workshop, barrier_form=form)
        return self.done(_("“%(title)s” is recorded.") % {"title": barrier.title})


class BarrierVoteView(PermissionRequiredMixin, View):
    """Coordinators and facilitators (workshops they run): one more vote for tackling a
    barrier first."""

    permission_required = (VIEW, "workshops.change_barrier")
    http_method_names = ["post"]

    def post(self, request, pk):
        workshops = Workshop.objects.run_by(request.user)
        barrier = get_object_or_404(Barrier, pk=pk, workshop__in=workshops)
        barrier_vote(barrier=barrier)
        votes = barrier.priority_votes
        message = ngettext(
            "“%(title)s” now has %(votes)d vote.", "“%(title)s” now has %(votes)d votes.", votes
        )
        messages.success(request, message % {"title": barrier.title, "votes": votes})
        return redirect(
            reverse("workshops:workshop-barrier", args=[barrier.workshop_id])
            + f"#barrier-{barrier.pk}"
        )


class WorkshopActionView(OutputView):
    """Coordinators and facilitators (workshops they run): the actions agreed; record
    another."""

    permission_required = (VIEW, "workshops.add_action")
    tab = "actions"
    template_name = "workshops/actions_agreed.html"

    def post(self, request, pk):
        workshop = self.get_workshop()
        form = ActionForm(request.POST, workshop=workshop, prefix="action")
        action = form.is_valid() and saved(
            form,
            action_create,
            fields=form.action_fields,
            barriers=list(form.cleaned_data["barriers"]),
            assets=list(form.cleaned_data["assets"]),
            workshop=workshop,
        )
        if not action:
            return self.failed(workshop, action_form=form)
        return self.done(_("The action is recorded."))


def render_register(request, workshop: Workshop, form=None, walk_in_form=None):
    form = form or AttendanceForm(workshop=workshop)
    walk_in_form = walk_in_form or WalkInForm(prefix="walk-in")
    context = {
        "workshop": workshop,
        "tabs": workshop_tabs(workshop, "register"),
        "form": form,
        "walk_in_form": walk_in_form,
    }
    return render(request, "workshops/register.html", context)


@method_decorator(never_cache, name="dispatch")
class RegisterView(WorkshopMixin, View):
    """Coordinators and facilitators (workshops they run): tick who came. People appear by
    the name they are known by and their code, nothing more."""

    permission_required = (VIEW, "workshops.add_attendance")

    def get(self, request, pk):
        return render_register(request, self.get_workshop())

    def post(self, request, pk):
        workshop = self.get_workshop()
        form = AttendanceForm(request.POST, workshop=workshop)
        if form.is_valid():
            # How many are on the register, which may be none: None only on a refusal.
            count = saved(
                form, attendance_change, workshop=workshop, by=request.user, **form.changes
            )
            if count is not None:
                messages.success(request, _("The register is saved."))
                return redirect("workshops:workshop-detail", pk=pk)
        return render_register(request, workshop, form=form)


class WalkInView(WorkshopMixin, View):
    """Coordinators and facilitators (workshops they run): register someone who came with
    their consent to take part; the register is saved as ticked, with them on it."""

    permission_required = (VIEW, "workshops.add_attendance")
    http_method_names = ["post"]

    def post(self, request, pk):
        workshop = self.get_workshop()
        form = WalkInForm(request.POST, prefix="walk-in")
        register = AttendanceForm(request.POST, workshop=workshop)
        made = {}

        def send() -> str:
            made["person"] = walk_in_register(
                workshop=workshop, by=request.user, **register.changes, **form.walk_in
            )
            return reverse("workshops:workshop-register", args=[pk])

        valid = form.is_valid() and register.is_valid()
        token = valid and form.cleaned_data["form_token"]
        sent = valid and saved(
            form, form_submission_once, token=token, user=request.user, send=send
        )
        if not sent:
            return render_register(request, workshop, form=register, walk_in_form=form)
        if "person" in made:
            message = _("%(code)s is added and the register is saved with them on it.")
            messages.success(request, message % {"code": made["person"].code})
        else:
            messages.info(request, _("This form was already sent: they are on the register."))
        return redirect(sent[0])
