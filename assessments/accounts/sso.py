"""Single sign-on with the council's identity provider, on mozilla-django-oidc.

The library runs the authorisation code flow (state, nonce, signature through the provider's
keys); this backend adds what CHIIA needs on top: the token must be for CHIIA (audience) from the
configured issuer, the email address must be verified, an account is found by that address or
created without any role, and roles come from a groups claim only when a mapping is configured.
Every refusal names its reason on the request, for the plain page the callback view shows, and
happens before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from assessments.enums import REGIONAL_ROLES, Role
from assessments.models import Council, Membership

REFUSAL_ATTRIBUTE = "chiia_sso_refusal"


class Refusal:
    NO_EMAIL = "no-email"
    UNVERIFIED = "unverified"
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class RoleGrant:
    group: str
    council_code: str | None  # None: every council (the programme office)
    role: str


def parse_role_map(text: str) -> list[RoleGrant]:
    """ "group=S12000049:reviewer,group2=*:pmo_viewer" as grants; refuses anything unclear."""
    grants = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        group, _, target = item.partition("=")
        council, _, role = target.partition(":")
        if not group or not council or role not in Role.values:
            raise ImproperlyConfigured(
                f"CHIIA_OIDC_ROLE_MAP entry {item!r} must read group=COUNCIL_CODE:role (or "
                f"group=*:pmo_viewer), role one of {', '.join(Role.values)}."
            )
        everywhere = council == "*"
        if everywhere != (role in REGIONAL_ROLES):
            raise ImproperlyConfigured(
                f"CHIIA_OIDC_ROLE_MAP entry {item!r}: only the regional roles "
                f"({', '.join(sorted(REGIONAL_ROLES))}) span every council (*)."
            )
        grants.append(RoleGrant(group.strip(), None if everywhere else council.strip(), role))
    return grants


def refuse(request, reason: str) -> None:
    if request is not None:
        setattr(request, REFUSAL_ATTRIBUTE, reason)


class CouncilAccountBackend(OIDCAuthenticationBackend):
    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The identity token was issued for another application.")
        issuer = settings.CHIIA_OIDC_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The identity token comes from another issuer.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The user information endpoint's claims over the identity token's: some providers put
        the verified flag and the groups in the token only (Entra ID's xms_edov and groups)."""
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims) -> bool:
        if not claims.get("email"):
            refuse(self.request, Refusal.NO_EMAIL)
            return False
        if claims.get(settings.CHIIA_OIDC_EMAIL_VERIFIED_CLAIM) not in (True, "true", "True"):
            refuse(self.request, Refusal.UNVERIFIED)
            return False
        return True

    def filter_users_by_claims(self, claims):
        users = get_user_model().objects.filter(email__iexact=claims["email"].strip())
        if users.count() > 1:
            refuse(self.request, Refusal.AMBIGUOUS)
        return users

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None and not getattr(self.request, REFUSAL_ATTRIBUTE, None):
            refuse(self.request, Refusal.UNKNOWN)
        elif user is not None and not user.is_active:
            refuse(self.request, Refusal.INACTIVE)
        return user

    def get_settings(self, attr, *args):  # type: ignore[override]
        if attr == "OIDC_CREATE_USER":
            return settings.CHIIA_OIDC_CREATE_USERS
        return super().get_settings(attr, *args)

    @transaction.atomic
    def create_user(self, claims):
        email = claims["email"].strip()
        user = get_user_model().objects.create_user(
            username=self.get_username(claims),
            email=email,
            first_name=claims.get("given_name", "")[:150],
            last_name=claims.get("family_name", "")[:150],
        )  # no password: this account signs in through the provider only
        self._grant_mapped_roles(user, claims)
        return user

    def update_user(self, user, claims):
        if user.is_active:
            self._grant_mapped_roles(user, claims)
        return user

    def get_username(self, claims):
        email = claims["email"].strip().lower()
        model = get_user_model()
        if not model.objects.filter(username=email).exists():
            return email[:150]
        return super().get_username(claims)

    def _grant_mapped_roles(self, user, claims) -> None:
        """Add the memberships the groups claim maps to; roles granted in CHIIA stay."""
        groups = claims.get(settings.CHIIA_OIDC_GROUPS_CLAIM) or []
        for grant in parse_role_map(settings.CHIIA_OIDC_ROLE_MAP):
            if grant.group not in groups:
                continue
            council = (
                None
                if grant.council_code is None
                else Council.objects.filter(code=grant.council_code).first()
            )
            if grant.council_code is not None and council is None:
                continue
            Membership.objects.get_or_create(user=user, council=council, role=grant.role)


def provider_sign_out_url(request) -> str:
    """Where signing out sends the browser: the provider's end-session endpoint when it has one
    (so the council account is signed out there too), else CHIIA's sign-in page."""
    back = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    endpoint = settings.CHIIA_OIDC_END_SESSION_ENDPOINT
    id_token = request.session.get("oidc_id_token")
    if not endpoint or not id_token:
        return back
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": back,
        "client_id": settings.OIDC_RP_CLIENT_ID,
    }
    return f"{endpoint}?{urlencode(query)}"
