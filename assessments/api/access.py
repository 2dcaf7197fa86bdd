"""DRF permission and throttle classes: both defer to CHIIA's own rules and settings."""

from __future__ import annotations

from django.conf import settings
from rest_framework import permissions as drf_permissions
from rest_framework.throttling import SimpleRateThrottle

from assessments import permissions


class CanUseApi(drf_permissions.BasePermission):
    message = "Sign in, or send a personal API token as 'Authorization: Bearer <token>'."

    def has_permission(self, request, view):
        return permissions.can_use_api(request.user)


class CanViewDashboard(drf_permissions.BasePermission):
    message = "The portfolio figures are for the programme office and council administrators."

    def has_permission(self, request, view):
        return permissions.can_view_dashboard(request.user)


class PerAccountThrottle(SimpleRateThrottle):
    """CHIIA_API_REQUESTS_PER_MINUTE per account (per address before sign-in), counted in
    Django's cache. The rate is read when a request comes in, not when the module loads."""

    scope = "api"

    def get_rate(self):
        return f"{settings.CHIIA_API_REQUESTS_PER_MINUTE}/min"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
