from django.urls import path

from participants import views

urlpatterns = [
    path("participants/", views.ParticipantListView.as_view(), name="participant-list"),
    path("participants/new/", views.RegisterView.as_view(), name="participant-register"),
    path("participants/audit/", views.AuditLogView.as_view(), name="audit-log"),
    path(
        "participants/<str:code>/", views.ParticipantDetailView.as_view(), name="participant-detail"
    ),
    path(
        "participants/<str:code>/personal/",
        views.PersonalDetailsView.as_view(),
        name="participant-personal",
    ),
    path(
        "participants/<str:code>/consent/",
        views.ConsentGiveView.as_view(),
        name="participant-consent",
    ),
    path(
        "participants/<str:code>/consent/<str:scope>/withdraw/",
        views.ConsentWithdrawView.as_view(),
        name="participant-consent-withdraw",
    ),
    path(
        "participants/<str:code>/withdraw/",
        views.WithdrawView.as_view(),
        name="participant-withdraw",
    ),
]
