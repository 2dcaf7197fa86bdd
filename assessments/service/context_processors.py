from assessments import permissions


def navigation(request):
    """Flags for the site navigation, so templates never re-derive permissions."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": permissions.navigation_flags(user)}
