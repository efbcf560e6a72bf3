"""The small form on each open action in the tracker: a new status and what happened."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workshops.models import Action, ActionStatus

NOTE_NEEDED = _("Say what happened, so others can follow it.")


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(
        label=_("What happened"),
        help_text=_("Kept as the action's outcome and in its history."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": NOTE_NEEDED},
    )

    @classmethod
    def for_action(cls, action: Action, data=None) -> "ActionStatusForm":
        """One form per action on the page: the prefix keeps their field ids apart."""
        return cls(data, prefix=f"action-{action.pk}", initial={"status": action.status})
