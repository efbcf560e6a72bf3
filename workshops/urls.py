from django.urls import path

from workshops import views, views_barriers, views_tracking

app_name = "workshops"

urlpatterns = [
    path("workshops/", views.WorkshopListView.as_view(), name="workshop-list"),
    path("workshops/new/", views.WorkshopCreateView.as_view(), name="workshop-add"),
    path("workshops/<int:pk>/", views.WorkshopDetailView.as_view(), name="workshop-detail"),
    path("workshops/<int:pk>/edit/", views.WorkshopEditView.as_view(), name="workshop-edit"),
    path("workshops/<int:pk>/register/", views.RegisterView.as_view(), name="workshop-register"),
    path("workshops/<int:pk>/walk-in/", views.WalkInView.as_view(), name="workshop-walk-in"),
    path("workshops/<int:pk>/assets/", views.WorkshopAssetView.as_view(), name="workshop-asset"),
    path(
        "workshops/<int:pk>/barriers/", views.WorkshopBarrierView.as_view(), name="workshop-barrier"
    ),
    path("barriers/name/", views_barriers.BarrierNameView.as_view(), name="barrier-name"),
    path(
        "barriers/named/",
        views_barriers.BarrierProposalListView.as_view(),
        name="barrier-proposals",
    ),
    path(
        "barriers/named/<int:pk>/accept/",
        views_barriers.BarrierProposalAcceptView.as_view(),
        name="barrier-proposal-accept",
    ),
    path(
        "barriers/named/<int:pk>/decline/",
        views_barriers.BarrierProposalDeclineView.as_view(),
        name="barrier-proposal-decline",
    ),
    path("barriers/<int:pk>/vote/", views.BarrierVoteView.as_view(), name="barrier-vote"),
    path("workshops/<int:pk>/actions/", views.WorkshopActionView.as_view(), name="workshop-action"),
    path("barriers/layer.geojson", views_tracking.BarrierLayerView.as_view(), name="barrier-layer"),
    path(
        "barriers/layer-options.json",
        views_tracking.BarrierLayerOptionsView.as_view(),
        name="barrier-layer-options",
    ),
    path("actions/", views_tracking.ActionTrackerView.as_view(), name="action-tracker"),
    path(
        "actions/<int:pk>/update/", views_tracking.ActionUpdateView.as_view(), name="action-update"
    ),
    path("common-ground/", views_tracking.CommonGroundView.as_view(), name="common-ground"),
    path(
        "workshops/<int:pk>/report/",
        views_tracking.WorkshopReportView.as_view(),
        name="workshop-report",
    ),
]
