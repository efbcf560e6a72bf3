"""Account changes (a sign-in issued, a new passphrase, a role changed) go into the project's
audit log with who did it, when and to whom. The log lives in participants, above core, so
participants installs the function that writes it here when it loads
(ParticipantsConfig.ready): core imports no domain app."""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

recorder: Callable[..., object] | None = None


def account_change_record(*, actor, account, action: str, detail: str) -> None:
    """action: "create" or "change", as in the audit log."""
    if recorder is None:
        raise ImproperlyConfigured(
            "Nothing records account changes: participants must be in INSTALLED_APPS."
        )
    recorder(actor=actor, account=account, action=action, detail=detail)
