from django.urls import path

from toolkit import views

app_name = "toolkit"

urlpatterns = [
    path("toolkit/", views.SectionListView.as_view(), name="section-list"),
    path("toolkit/exports/", views.ExportListView.as_view(), name="export-list"),
    path("toolkit/exports/<int:pk>/", views.ExportView.as_view(), name="export"),
    path("toolkit/exports/<int:pk>/retry/", views.ExportRetryView.as_view(), name="export-retry"),
    path(
        "toolkit/exports/<int:pk>/delete/", views.ExportDeleteView.as_view(), name="export-delete"
    ),
    path(
        "toolkit/exports/<int:pk>/<str:name>",
        views.ExportDownloadView.as_view(),
        name="export-download",
    ),
    path("toolkit/sites/<slug:slug>/latest/", views.LatestView.as_view(), name="latest"),
    path(
        "toolkit/sites/<slug:slug>/latest/<str:name>",
        views.LatestDownloadView.as_view(),
        name="latest-download",
    ),
    path("toolkit/<slug:slug>/edit/", views.SectionEditView.as_view(), name="section-edit"),
    path(
        "toolkit/<slug:slug>/history/", views.SectionHistoryView.as_view(), name="section-history"
    ),
]
