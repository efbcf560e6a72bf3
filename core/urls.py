from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
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
]
