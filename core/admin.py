from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .audit import account_change_record
from .models import Site, User

# Changes to these fields change what an account may do, so they go into the audit log.
POWERS = ("groups", "sites", "user_permissions", "is_superuser", "is_staff", "is_active")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_cy", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


def _shown(value) -> str:
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(sorted(str(item) for item in value)) or "none"
    return str(value)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Django's user admin (superusers only); role and permission changes, accounts created
    here and passphrases set here are in the audit log."""

    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Sites"), {"fields": ("sites",)}),
    )
    filter_horizontal = (*UserAdmin.filter_horizontal, "sites")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account = form.instance
        if not change:
            account_change_record(
                actor=request.user, account=account, action="create", detail="sign-in, in admin"
            )
            return
        changes = [
            f"{name}: {_shown(form.initial.get(name))} → {_shown(form.cleaned_data[name])}"
            for name in POWERS
            if name in form.changed_data
        ]
        if changes:
            account_change_record(
                actor=request.user, account=account, action="change", detail="; ".join(changes)
            )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            account = self.get_object(request, unquote(id))
            account_change_record(
                actor=request.user,
                account=account,
                action="change",
                detail="new passphrase, in admin",
            )
        return response
