"""What every API view shares: the exception handler that turns a service's refusal into a
400, and the default permission (nobody, until a view says who may)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.serializers import as_serializer_error


def exception_handler(exc, context):
    """Services raise django's ValidationError with a message a person can act on (a message,
    a list of them, or a dict of field → messages): that is a 400 with the same messages, by
    field (`non_field_errors` for those about the whole request). Everything else (Http404,
    PermissionDenied, DRF's own) as DRF answers it."""
    # Imported here: DRF imports this module (DenyAll) while rest_framework.views loads.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    return drf_exception_handler(exc, context)


class DenyAll(BasePermission):
    """The default: an API view that does not say who may use it lets nobody."""

    def has_permission(self, request, view):
        return False
