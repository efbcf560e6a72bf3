from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/<str:code>/", views.AreaProfileView.as_view(), name="area-profile"),
]
