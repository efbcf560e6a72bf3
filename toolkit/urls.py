from django.urls import path

from toolkit import views

app_name = "toolkit"

urlpatterns = [
    path("toolkit/", views.SectionListView.as_view(), name="section-list"),
    path("toolkit/<slug:slug>/edit/", views.SectionEditView.as_view(), name="section-edit"),
    path(
        "toolkit/<slug:slug>/history/", views.SectionHistoryView.as_view(), name="section-history"
    ),
]
