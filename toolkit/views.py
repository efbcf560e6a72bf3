from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView

from core.services import EditConflict, version_of
from toolkit.forms import SectionForm
from toolkit.models import ToolkitSection
from toolkit.rendering import markdown_html
from toolkit.services import FIELDS, toolkit_section_update


class SectionListView(ListView):
    """The toolkit's guidance, for anyone: service providers need no account to read it."""

    model = ToolkitSection
    template_name = "toolkit/sections.html"
    context_object_name = "sections"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rendered"] = [(s, markdown_html(s.body)) for s in context["sections"]]
        return context


def section_values(section: ToolkitSection) -> dict:
    return {name: getattr(section, name) for name in FIELDS}


@method_decorator(never_cache, name="dispatch")
class SectionEditView(PermissionRequiredMixin, FormView):
    """Coordinators: edit a section in both languages, preview it, save it as a revision."""

    permission_required = "toolkit.change_toolkitsection"
    form_class = SectionForm
    template_name = "toolkit/edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.section = get_object_or_404(ToolkitSection, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {**section_values(self.section), "version": version_of(self.section)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)

    def form_valid(self, form):
        if "preview" in self.request.POST:
            preview = {
                lang: markdown_html(form.cleaned_data[f"body_{lang}"]) for lang in ("en", "cy")
            }
            return self.render_to_response(self.get_context_data(form=form, preview=preview))
        try:
            toolkit_section_update(
                section=self.section,
                fields=form.cleaned_data,
                by=self.request.user,
                version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            form.conflict(
                theirs=section_values(conflict.current), version=version_of(conflict.current)
            )
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved. The toolkit now shows this version."))
        return redirect(f"{reverse('toolkit:section-list')}#{self.section.slug}")


@method_decorator(never_cache, name="dispatch")
class SectionHistoryView(PermissionRequiredMixin, DetailView):
    """Coordinators: every saved version of a section, who saved it and when."""

    permission_required = "toolkit.change_toolkitsection"
    model = ToolkitSection
    template_name = "toolkit/history.html"
    context_object_name = "section"

    def get_context_data(self, **kwargs):
        revisions = self.object.revisions.select_related("changed_by")
        return super().get_context_data(revisions=revisions, **kwargs)
