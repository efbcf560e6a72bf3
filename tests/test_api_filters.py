"""The map's FilterSet serves an API list as it serves the map: through the default filter
backend (REST_FRAMEWORK), the same rows for the same query and the same 400 for a value that
is not right — through a small API view in this module's own URLconf."""

import pytest
from django.urls import path
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from assets.filters import AssetFilterSet
from assets.models import Asset, AssetCategory
from assets.tests.factories import AssetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class AssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = ["id", "name"]


class AssetList(generics.ListAPIView):
    permission_classes = [AllowAny]
    queryset = Asset.objects.published().order_by("name")
    serializer_class = AssetSerializer
    filterset_class = AssetFilterSet


urlpatterns = [path("assets", AssetList.as_view())]


def test_the_api_list_filters_as_the_map_does_and_pages(client):
    AssetFactory(name="Library", category=AssetCategory.objects.get(slug="library"))
    AssetFactory(name="Hall")
    response = client.get("/assets", {"category": "places-to-meet", "q": "lib"})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Library"]
    assert response.json()["count"] == 1


def test_the_api_list_refuses_a_wrong_value_with_the_maps_message(client):
    response = client.get("/assets", {"area": "W0", "domain": "civic"})
    assert response.status_code == 400
    assert response.json()["area"] == ["No area has the code “W0”."]
    assert "civic is not one of the available choices" in response.json()["domain"][0]
