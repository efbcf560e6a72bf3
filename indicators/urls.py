from django.urls import path

from indicators import views, views_evaluation

app_name = "indicators"

urlpatterns = [
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/summaries/", views.SummariesView.as_view(), name="summaries"),
    path("areas/summaries/<int:pk>/", views.SummaryRunView.as_view(), name="summary-run"),
    path(
        "areas/summaries/<int:pk>/retry/",
        views.SummaryRunRetryView.as_view(),
        name="summary-run-retry",
    ),
    path("areas/values/import/", views.ValueUploadView.as_view(), name="value-upload"),
    path("areas/values/import/<int:pk>/", views.ValueImportView.as_view(), name="value-import"),
    path(
        "areas/values/import/<int:pk>/retry/",
        views.ValueImportRetryView.as_view(),
        name="value-import-retry",
    ),
    path(
        "evaluation/report/",
        views_evaluation.EvaluationReportView.as_view(),
        name="evaluation-report",
    ),
    path(
        "evaluation/report.<str:extension>",
        views_evaluation.EvaluationReportDownloadView.as_view(),
        name="evaluation-report-download",
    ),
    path("areas/<str:code>/", views.AreaProfileView.as_view(), name="area-profile"),
]
