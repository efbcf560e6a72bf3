import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from core.spreadsheets import csv_download, download
from participants import services
from participants.forms_answers import AnswersForm, NetworkForm
from participants.instruments import INSTRUMENTS
from participants.models import AuditAction, Participant, ParticipantStatus, TimePoint
from participants.selectors import (
    answers_grid,
    my_data,
    my_data_rows,
    my_page_sections,
    shows_swemwbs,
)
from participants.views import ParticipantMixin


class AnswersMixin:
    """Entering one instrument at one time point, for `self.participant`."""

    template_name = "participants/answers.html"
    on_behalf = False

    def setup_answers(self, instrument, time_point):
        if instrument not in INSTRUMENTS or time_point not in TimePoint.values:
            raise Http404
        self.instrument = INSTRUMENTS[instrument]
        self.time_point = time_point

    def make_form(self, data=None):
        existing = self.participant.responses.filter(
            instrument=self.instrument.code, time_point=self.time_point
        ).first()
        if self.instrument.code == "network":
            return NetworkForm(data, on_behalf=self.on_behalf, user=self.request.user)
        initial = dict(existing.answers) if existing else {}
        return AnswersForm(
            data, instrument=self.instrument, on_behalf=self.on_behalf, initial=initial
        )

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "participant": self.participant,
                "instrument": self.instrument,
                "time_point": TimePoint(self.time_point),
                "form": form,
                "on_behalf": self.on_behalf,
            },
        )

    def get(self, request, instrument, time_point, **kwargs):
        self.setup_answers(instrument, time_point)
        return self.render_form(self.make_form())

    def post(self, request, instrument, time_point, **kwargs):
        self.setup_answers(instrument, time_point)
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form)
        messages.success(request, _("Answers saved. Thank you."))
        return redirect(self.done_url())

    def save(self, form):
        common = {
            "participant": self.participant,
            "time_point": self.time_point,
            "by": self.request.user,
            "completed_on": form.cleaned_data["completed_on"],
            "language": get_language(),
            "interpreter_used": form.cleaned_data.get("interpreter_used", False),
        }
        if self.instrument.code == "network":
            services.network_record(contacts=form.contacts, **common)
        else:
            services.response_record(
                instrument=self.instrument.code, answers=form.answers, **common
            )


class AnswersOnBehalfView(ParticipantMixin, AnswersMixin, View):
    """Coordinators: enter the answers of a participant of their sites for them (with an
    interpreter if needed)."""

    permission_required = "participants.change_participant"
    on_behalf = True

    def get(self, request, instrument, time_point, **kwargs):
        response = super().get(request, instrument, time_point, **kwargs)
        services.audit_record(
            actor=request.user,
            action=AuditAction.READ,
            subject="answers",
            participant=self.participant,
            detail=f"{instrument} at {time_point}",
        )
        return response

    def done_url(self):
        return f"/{get_language()}/participants/{self.participant.code}/#answers"


class MyParticipantMixin(LoginRequiredMixin):
    """Signed-in participants, about themselves only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.participant = (
            Participant.objects.filter(user=request.user)
            .exclude(status=ParticipantStatus.WITHDRAWN)
            .first()
        )
        if self.participant is None:
            raise Http404(_("Your sign-in is not linked to a participant."))
        return super().dispatch(request, *args, **kwargs)


class MyAnswersView(MyParticipantMixin, AnswersMixin, View):
    """A participant answers a questionnaire themselves."""

    def done_url(self):
        return f"/{get_language()}/me/#answers"


class MyPageView(MyParticipantMixin, View):
    """A participant's own page: what they added and came to (the sections other apps
    registered), their answers, and their data to download."""

    def get(self, request):
        participant = self.participant
        return render(
            request,
            "participants/me.html",
            {
                "participant": participant,
                "sections": my_page_sections(participant),
                "grid": answers_grid(participant),
                "swemwbs_notice": shows_swemwbs(participant),
            },
        )


class MyDataView(MyParticipantMixin, View):
    """A participant downloads everything held about them (?format=json or csv); audited."""

    def get(self, request):
        fmt = request.GET.get("format", "json")
        if fmt not in ("json", "csv"):
            raise Http404
        data = my_data(self.participant)
        services.audit_record(
            actor=request.user,
            action=AuditAction.DOWNLOAD,
            subject="own data",
            participant=self.participant,
            detail=fmt,
        )
        name = f"cymuned-my-data-{self.participant.code}-{timezone.localdate():%Y-%m-%d}.{fmt}"
        if fmt == "json":
            body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            response = download(body, filename=name, content_type="application/json")
        else:
            rows = [("section", "field", "value"), *my_data_rows(data)]
            response = csv_download(rows, filename=name)
        response["Cache-Control"] = "no-store"
        return response
