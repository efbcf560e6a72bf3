"""Writes of the toolkit app."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import version_check
from toolkit.models import ToolkitRevision, ToolkitSection

FIELDS = ("title_en", "title_cy", "body_en", "body_cy")
LONGEST_BODY = 20_000


def _check(fields: dict) -> None:
    errors = {}
    for name in FIELDS:
        if not (fields.get(name) or "").strip():
            errors[name] = _("Write this: the toolkit is published in English and in Welsh.")
    for name in ("body_en", "body_cy"):
        if len(fields.get(name) or "") > LONGEST_BODY:
            errors[name] = _("Keep a section under %(count)s characters; split it if need be.") % {
                "count": f"{LONGEST_BODY:,}"
            }
    if errors:
        raise ValidationError(errors)


def toolkit_section_update(
    *, section: ToolkitSection, fields: dict, by, version: str | None = None
) -> ToolkitSection:
    """Save a section's titles and texts in both languages and keep the revision (who, when,
    what). Refused with EditConflict if someone else saved it since `version`; a save that
    changes nothing records nothing."""
    _check(fields)
    with transaction.atomic():
        current = ToolkitSection.objects.select_for_update().get(pk=section.pk)
        version_check(current=current, seen=version)
        changed = {name: fields[name].strip() for name in FIELDS}
        if all(getattr(current, name) == value for name, value in changed.items()):
            return current
        for name, value in changed.items():
            setattr(current, name, value)
        current.updated_by = by
        current.save(update_fields=[*FIELDS, "updated_by", "updated_at"])
        ToolkitRevision.objects.create(section=current, changed_by=by, **changed)
    return current
