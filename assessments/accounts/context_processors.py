from django.conf import settings


def sign_in_options(request) -> dict:
    """Which ways of signing in the sign-in page offers."""
    return {
        "sso_enabled": settings.CHIIA_OIDC_ENABLED,
        "local_passwords": settings.CHIIA_LOCAL_PASSWORDS,
    }
