"""Questionnaire forms built from the instrument definitions (participants/instruments.py)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.instruments import CLOSENESS, GROUPS, MAX_CONTACTS, RELATIONSHIPS, Instrument
from participants.models import Participant, TieFormed


class AnswersForm(forms.Form):
    """One radio question per item; an item left blank counts as not answered, and the
    instrument's own rule decides whether a score can be given."""

    completed_on = forms.DateField(
        label=_("Date answered"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as day, month and year")},
    )

    def __init__(self, *args, instrument: Instrument, on_behalf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for number, item in enumerate(instrument.items, start=1):
            self.fields[item.key] = forms.TypedChoiceField(
                label=f"{number}. {item.text}",
                choices=[(option.value, option.label) for option in item.options],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        if on_behalf:
            self.fields["interpreter_used"] = forms.BooleanField(
                label=_("An interpreter helped"), required=False
            )

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future"))
        return value

    @property
    def answers(self) -> dict:
        return {item.key: self.cleaned_data.get(item.key) for item in self.instrument.items}


def _choices(pairs, blank):
    return [("", blank)] + [(str(value), label) for value, label in pairs]


class NetworkForm(forms.Form):
    """The name generator: up to ten contacts, never by name."""

    completed_on = AnswersForm.base_fields["completed_on"]

    def __init__(self, *args, on_behalf: bool, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_behalf = on_behalf
        self.user = user  # codes are looked up among the participants of their sites only
        for n in range(1, MAX_CONTACTS + 1):
            self.fields[f"group_{n}"] = forms.ChoiceField(
                label=_("Person %(n)s: which group are they in?") % {"n": n},
                choices=_choices(GROUPS, _("Leave empty")),
                required=False,
            )
            self.fields[f"relationship_{n}"] = forms.ChoiceField(
                label=_("Person %(n)s: how do you know them?") % {"n": n},
                choices=_choices(RELATIONSHIPS, _("Choose")),
                required=False,
            )
            self.fields[f"closeness_{n}"] = forms.ChoiceField(
                label=_("Person %(n)s: how close are you?") % {"n": n},
                choices=_choices(CLOSENESS, _("Choose")),
                required=False,
            )
            self.fields[f"formed_{n}"] = forms.ChoiceField(
                label=_("Person %(n)s: where did you meet?") % {"n": n},
                choices=TieFormed.choices,
                initial=TieFormed.BEFORE,
                required=False,
            )
            if on_behalf:
                self.fields[f"alter_{n}"] = forms.CharField(
                    label=_("Person %(n)s: participant code, if they take part") % {"n": n},
                    max_length=12,
                    required=False,
                )

    def rows(self):
        return [
            [
                self[f"{name}_{n}"]
                for name in ("group", "relationship", "closeness", "formed", "alter")
                if f"{name}_{n}" in self.fields
            ]
            for n in range(1, MAX_CONTACTS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        self.contacts = []
        for n in range(1, MAX_CONTACTS + 1):
            group = cleaned.get(f"group_{n}")
            if not group:
                continue
            contact = {"group": group, "formed": cleaned.get(f"formed_{n}") or TieFormed.BEFORE}
            for name in ("relationship", "closeness"):
                if not cleaned.get(f"{name}_{n}"):
                    self.add_error(f"{name}_{n}", _("Person %(n)s: choose an answer") % {"n": n})
                else:
                    contact[name] = cleaned[f"{name}_{n}"]
            contact["closeness"] = int(contact.get("closeness") or 0)
            contact["alter"] = self._alter(n, cleaned.get(f"alter_{n}", ""))
            self.contacts.append(contact)
        return cleaned

    def _alter(self, n, code):
        if not code:
            return None
        # Another site's code gets the same answer as a code nobody has: whether it exists
        # there is not this person's to learn.
        reachable = (
            Participant.objects.for_user(self.user) if self.user else Participant.objects.none()
        )
        alter = reachable.filter(code__iexact=code.strip()).first()
        if alter is None:
            self.add_error(
                f"alter_{n}",
                _("Person %(n)s: no participant has the code %(code)s") % {"n": n, "code": code},
            )
        return alter
