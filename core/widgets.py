"""Form widgets shared by every app."""

from django import forms
from django.utils.translation import gettext


class AutocompleteSelect(forms.Select):
    """A <select> that becomes a type-to-filter box when JavaScript runs
    (static/js/autocomplete.mjs, GOV.UK's accessible-autocomplete); without it, the select
    works as it is. The texts the box shows and reads out travel with it, translated."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-autocomplete": "",
                "data-t-no-results": gettext("No results found"),
                "data-t-status-no-results": gettext("No search results"),
                "data-t-status-too-short": gettext(
                    "Type in %(count)s or more characters for results"
                ),
                "data-t-status-selected": gettext(
                    "%(option)s %(position)s of %(count)s is highlighted"
                ),
                "data-t-status-one": gettext("1 result is available."),
                "data-t-status-many": gettext("%(count)s results are available."),
                "data-t-hint": gettext(
                    "When results are shown, use the up and down arrows to go through them "
                    "and Enter to choose one. On a touch screen, explore by touch or swipe."
                ),
            }
        )
        return context
