"""The API's exception handler (core.api) answers a service's refusal as a 400 with the
service's own messages by field, and a missing or forbidden thing as DRF does — through small
API views over the real services, in this module's own URLconf."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.shortcuts import get_object_or_404
from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from assets.models import Asset, AssetStatus
from assets.services.assets import asset_merge, asset_reject
from assets.tests.factories import AssetFactory
from core.models import Role
from core.services import account_passphrase_reset

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class SignedIn(APIView):
    permission_classes = [IsAuthenticated]


class RejectView(SignedIn):
    def post(self, request, pk):
        asset = get_object_or_404(Asset, pk=pk)
        asset_reject(asset=asset, reason=request.data.get("reason", ""))
        return Response({"status": asset.status})


class MergeIntoItselfView(SignedIn):
    def post(self, request, pk):
        asset = get_object_or_404(Asset, pk=pk)
        return Response({"kept": asset_merge(duplicate=asset, keep=asset).pk})


class PassphraseResetView(SignedIn):
    def post(self, request):
        account_passphrase_reset(user=request.user, by=request.user)
        return Response({})


class PasswordCheckView(SignedIn):
    def post(self, request):
        validate_password(request.data.get("password", ""))
        return Response({})


class NobodySaidWhoMayView(APIView):
    def get(self, request):
        return Response({"secret": "never sent"})


urlpatterns = [
    path("assets/<int:pk>/reject", RejectView.as_view()),
    path("assets/<int:pk>/merge", MergeIntoItselfView.as_view()),
    path("passphrase", PassphraseResetView.as_view()),
    path("password", PasswordCheckView.as_view()),
    path("nobody", NobodySaidWhoMayView.as_view()),
]


@pytest.fixture
def api(client_as):
    return client_as(Role.COORDINATOR)


def test_a_field_error_from_a_service_is_a_400_under_that_field(api):
    asset = AssetFactory(status=AssetStatus.SUBMITTED)
    response = api.post(f"/assets/{asset.pk}/reject", {"reason": "   "})
    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why, so the person who sent it understands."]}
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SUBMITTED


def test_the_same_service_answers_200_when_nothing_is_wrong(api):
    asset = AssetFactory(status=AssetStatus.SUBMITTED)
    response = api.post(f"/assets/{asset.pk}/reject", {"reason": "Closed last year"})
    assert (response.status_code, response.json()) == (200, {"status": "rejected"})


def test_a_message_from_a_service_is_a_400_about_the_whole_request(api):
    asset = AssetFactory()
    response = api.post(f"/assets/{asset.pk}/merge")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["An asset cannot be merged into itself."]}


def test_a_core_service_refusal_is_a_400_with_its_message(api):
    response = api.post("/passphrase")
    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert message.startswith("Only a superuser can give a coordinator a new passphrase.")


def test_a_list_of_messages_is_a_400_with_each_of_them(api):
    response = api.post("/password", {"password": "password"})
    assert response.status_code == 400
    messages = response.json()["non_field_errors"]
    assert "Many people use this passphrase. Choose one that is harder to guess." in messages
    assert len(messages) >= 2


def test_a_missing_thing_is_a_404_and_an_api_view_that_names_nobody_is_a_403(api, client):
    assert api.post("/assets/999999/reject", {"reason": "x"}).status_code == 404
    forbidden = api.get("/nobody")
    assert forbidden.status_code == 403
    assert "never sent" not in forbidden.content.decode()
    # No key and no session: 401, with the header saying how to send a key (core.api_auth).
    assert client.post("/passphrase").status_code == 401
