from django.urls import path

from . import views, views_partners

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "accessibility/",
        views.AboutPageView.as_view(template_name="site/accessibility.html"),
        name="accessibility",
    ),
    path(
        "privacy/",
        views.AboutPageView.as_view(template_name="site/privacy.html"),
        name="privacy",
    ),
    path(
        "contact/",
        views.AboutPageView.as_view(template_name="site/contact.html"),
        name="contact",
    ),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "account/password/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("accounts/", views.AccountListView.as_view(), name="account-list"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="account-create"),
    path(
        "accounts/<int:pk>/passphrase/",
        views.PassphraseResetView.as_view(),
        name="passphrase-reset",
    ),
    path("partners/", views_partners.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "partners/new/",
        views_partners.OrganisationCreateView.as_view(),
        name="organisation-create",
    ),
    path(
        "partners/<int:pk>/",
        views_partners.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "partners/<int:pk>/keys/new/",
        views_partners.ApiKeyIssueView.as_view(),
        name="api-key-issue",
    ),
    path(
        "partners/keys/<int:pk>/revoke/",
        views_partners.ApiKeyRevokeView.as_view(),
        name="api-key-revoke",
    ),
    path("api-keys/", views_partners.PartnerKeysView.as_view(), name="partner-keys"),
]
