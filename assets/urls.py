from django.urls import path

from assets.views import assets, categories, exports, imports, moderation
from assets.views import map as map_views

app_name = "assets"

urlpatterns = [
    path("map/", map_views.AssetMapView.as_view(), name="asset-map"),
    path("map/layer.geojson", map_views.AssetLayerView.as_view(), name="asset-layer"),
    path("map/outlines.json", map_views.MapOutlinesView.as_view(), name="map-outlines"),
    path("assets/new/", assets.AssetCreateView.as_view(), name="asset-add"),
    path("assets/mine/", assets.MyAssetListView.as_view(), name="asset-mine"),
    path("assets/<int:pk>/", assets.AssetDetailView.as_view(), name="asset-detail"),
    path("assets/<int:pk>/edit/", assets.AssetEditView.as_view(), name="asset-edit"),
    path("assets/mine/<int:pk>/change/", assets.MySubmissionChangeView.as_view(), name="my-change"),
    path(
        "assets/mine/<int:pk>/withdraw/",
        assets.MySubmissionWithdrawView.as_view(),
        name="my-withdraw",
    ),
    path("assets/<int:pk>/value/", assets.EndorseView.as_view(), name="asset-endorse"),
    path("moderation/", moderation.ModerationQueueView.as_view(), name="moderation"),
    path("moderation/recheck/", moderation.RecheckListView.as_view(), name="moderation-recheck"),
    path("moderation/<int:pk>/", moderation.ReviewView.as_view(), name="moderation-review"),
    path("moderation/<int:pk>/publish/", moderation.PublishView.as_view(), name="asset-publish"),
    path("moderation/<int:pk>/reject/", moderation.RejectView.as_view(), name="asset-reject"),
    path("moderation/<int:pk>/merge/", moderation.MergeView.as_view(), name="asset-merge"),
    path("moderation/<int:pk>/verify/", moderation.VerifyView.as_view(), name="asset-verify"),
    path("assets/exports/", exports.ExportView.as_view(), name="asset-exports"),
    path(
        "assets/exports/download/",
        exports.ExportDownloadView.as_view(),
        name="asset-export-download",
    ),
    path("assets/imports/new/", imports.ImportUploadView.as_view(), name="asset-import-new"),
    path("assets/imports/<int:pk>/", imports.ImportJobView.as_view(), name="asset-import"),
    path(
        "assets/imports/<int:pk>/confirm/",
        imports.ImportConfirmView.as_view(),
        name="asset-import-confirm",
    ),
    path(
        "assets/imports/<int:pk>/retry/",
        imports.ImportRetryView.as_view(),
        name="asset-import-retry",
    ),
    path("categories/", categories.CategoryListView.as_view(), name="category-list"),
    path("categories/new/", categories.CategoryCreateView.as_view(), name="category-add"),
    path(
        "categories/<int:pk>/edit/", categories.CategoryUpdateView.as_view(), name="category-edit"
    ),
]
