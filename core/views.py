from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView

from . import services
from .forms import AccountCreateForm, PassphraseChangeForm, PassphraseResetForm, SignInForm
from .health import health_report
from .home import home_body
from .models import Role, User
from .selectors import accounts_listed
from .sites import accounts_visible_to


@never_cache
def healthz(request):
    """Public: status of the database, cache and broker; 503 when any is down."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


class HomeView(TemplateView):
    """Public: what the signed-in person's role can do (core.home), or a welcome for everyone
    else."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        if self.request.user.is_authenticated:
            kwargs["signed_in"] = home_body(self.request.user)
        return super().get_context_data(**kwargs)


class AboutPageView(TemplateView):
    """Public: the pages every page's footer links to (accessibility statement, privacy
    notice, contact), with who runs the site and how to reach them (settings.CONTACT_*)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contact=contact_details(), idle_minutes=settings.SESSION_COOKIE_AGE // 60, **kwargs
        )


def contact_details() -> dict:
    return {
        "organisation": settings.CONTACT_ORGANISATION,
        "email": settings.CONTACT_EMAIL,
        "phone": settings.CONTACT_PHONE,
        "address": settings.CONTACT_ADDRESS,
    }


class SignInView(auth_views.LoginView):
    """Public."""

    form_class = SignInForm
    template_name = "core/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST; anyone may do it."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Signed in (Django's view requires it)."""

    form_class = PassphraseChangeForm
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "core/password_change_done.html"


class AccountListView(PermissionRequiredMixin, ListView):
    """Coordinators: the sign-in accounts in their sites (every one, for a superuser), by
    role."""

    permission_required = "core.manage_accounts"
    template_name = "core/account_list.html"
    paginate_by = 50

    def get_queryset(self):
        return accounts_listed(user=self.request.user, role=self.request.GET.get("role", ""))

    def get_context_data(self, **kwargs):
        return super().get_context_data(roles=Role.choices, **kwargs)


def passphrase_slip(request, *, account: User, passphrase: str):
    """The page with a new passphrase, shown once: a slip to print or read out word by word."""
    words = passphrase.split("-")
    welsh = set(words) <= set(services.passphrase_words("cy"))
    english = set(words) <= set(services.passphrase_words("en"))
    context = {
        "account": account,
        "passphrase": passphrase,
        "passphrase_words": words,
        "passphrase_language": "cy" if welsh and not english else "en",
        "sign_in_url": request.build_absolute_uri(reverse("core:sign-in")),
    }
    return render(request, "core/passphrase.html", context)


@method_decorator(never_cache, name="dispatch")
class AccountCreateView(PermissionRequiredMixin, FormView):
    """Coordinators: create an account in their sites; the passphrase is shown once, never
    stored in clear."""

    permission_required = "core.manage_accounts"
    form_class = AccountCreateForm
    template_name = "core/account_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "by": self.request.user}

    def form_valid(self, form):
        try:
            user, passphrase = services.account_create(**form.cleaned_data, by=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return passphrase_slip(self.request, account=user, passphrase=passphrase)


@method_decorator(never_cache, name="dispatch")
class PassphraseResetView(PermissionRequiredMixin, View):
    """Coordinators: confirm, then issue a new passphrase for an account (a coordinator's only
    if they are a superuser). Accounts outside their sites are a 404."""

    permission_required = "core.manage_accounts"

    def account(self, pk) -> User:
        account = get_object_or_404(
            accounts_visible_to(self.request.user), pk=pk, is_superuser=False
        )
        if not account.passphrase_reset_allowed_by(self.request.user):
            raise PermissionDenied
        return account

    def get(self, request, pk):
        context = {"account": self.account(pk), "form": PassphraseResetForm()}
        return render(request, "core/passphrase_reset.html", context)

    def post(self, request, pk):
        account = self.account(pk)
        form = PassphraseResetForm(request.POST)
        if not form.is_valid():
            context = {"account": account, "form": form}
            return render(request, "core/passphrase_reset.html", context)
        passphrase = services.account_passphrase_reset(
            user=account, by=request.user, words=form.cleaned_data["words"]
        )
        return passphrase_slip(request, account=account, passphrase=passphrase)
