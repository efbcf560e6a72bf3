from django.urls import path

from participants import views, views_answers, views_evaluation

app_name = "participants"

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
        "participants/<str:code>/answers/<str:instrument>/<str:time_point>/",
        views_answers.AnswersOnBehalfView.as_view(),
        name="participant-answers",
    ),
    path("me/", views_answers.MyPageView.as_view(), name="me"),
    path("me/data/", views_answers.MyDataView.as_view(), name="my-data"),
    path(
        "me/answers/<str:instrument>/<str:time_point>/",
        views_answers.MyAnswersView.as_view(),
        name="my-answers",
    ),
    path(
        "participants/<str:code>/withdraw/",
        views.WithdrawView.as_view(),
        name="participant-withdraw",
    ),
    path("evaluation/", views_evaluation.EvaluationView.as_view(), name="evaluation"),
    path(
        "evaluation/dataset.csv",
        views_evaluation.DatasetDownloadView.as_view(),
        name="evaluation-dataset",
    ),
    path(
        "evaluation/data-dictionary.csv",
        views_evaluation.DataDictionaryDownloadView.as_view(),
        name="evaluation-dictionary",
    ),
    path("evaluation/network/", views_evaluation.NetworkView.as_view(), name="evaluation-network"),
    path("evaluation/access/", views_evaluation.DataAccessView.as_view(), name="evaluation-access"),
    path(
        "evaluation/access/<int:pk>/end/",
        views_evaluation.DataAccessRevokeView.as_view(),
        name="evaluation-access-end",
    ),
]
