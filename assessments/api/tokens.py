"""Issuing, checking and revoking personal API tokens.

A token reads `chiia_<prefix>_<secret>`. The prefix finds the row; the secret is 32 random
bytes, so a plain SHA-256 of it cannot be guessed back (no slow password hash is needed, and
checking a token costs one indexed read)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models import ApiToken

TOKEN_START = "chiia_"
# Lifetimes offered on the token page, in days; the longest is a year so a forgotten token dies.
LIFETIME_DAYS = (30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90
# Enough for every tool a person uses; a runaway script creating tokens is stopped here.
MAX_LIVE_TOKENS = 10
# last_used_at is written at most this often, so a busy refresh does not write on every read.
USE_RECORD_INTERVAL = timedelta(minutes=5)


class TokenLimitReached(Exception):
    pass


@dataclass
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown to its owner once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def live_tokens(user):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def tokens_of(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


@transaction.atomic
def issue(user, *, name: str, lifetime_days: int) -> IssuedToken:
    if live_tokens(user).count() >= MAX_LIVE_TOKENS:
        raise TokenLimitReached(
            f"You already have {MAX_LIVE_TOKENS} tokens in use: revoke one you no longer need first."
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    return IssuedToken(token=token, plaintext=f"{TOKEN_START}{prefix}_{secret}")


def revoke(user, token_id: int) -> ApiToken | None:
    """Revoke one of the user's own tokens; None when they have no such token."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is not None and token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def check(plaintext: str) -> ApiToken | None:
    """The live token this text is, or None: malformed, unknown, wrong secret, expired, revoked,
    or its owner's account is switched off."""
    if not plaintext.startswith(TOKEN_START):
        return None
    prefix, _, secret = plaintext[len(TOKEN_START) :].partition("_")
    if not prefix or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    now = timezone.now()
    if not token.is_usable_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > USE_RECORD_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
