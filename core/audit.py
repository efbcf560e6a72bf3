"""Account changes (a sign-in issued, a new passphrase, a role changed) and API key changes
(a key issued or revoked) go into the project's audit log with who did it, when and to whom.
The log lives in participants, above core, so participants installs the functions that write
it here when it loads (ParticipantsConfig.ready): core imports no domain app."""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

recorder: Callable[..., object] | None = None
event_recorder: Callable[..., object] | None = None


def _missing() -> ImproperlyConfigured:
    return ImproperlyConfigured(
        "Nothing records account changes: participants must be in INSTALLED_APPS."
    )


def account_change_record(*, actor, account, action: str, detail: str) -> None:
    """action: "create" or "change", as in the audit log."""
    if recorder is None:
        raise _missing()
    recorder(actor=actor, account=account, action=action, detail=detail)


def event_record(*, actor, action: str, subject: str, detail: str) -> None:
    """A change to something that is not an account (an API key): action as in the audit log,
    subject a short name of what changed."""
    if event_recorder is None:
        raise _missing()
    event_recorder(actor=actor, action=action, subject=subject, detail=detail)
