from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from assessments.accounts import sso_views
from assessments.accounts.forms import QueuedPasswordResetForm, SignInForm
from assessments.api import token_views
from assessments.service import health

urlpatterns = [
    path(
        "accounts/login/",
        login_not_required(auth_views.LoginView.as_view(authentication_form=SignInForm)),
        name="login",
    ),
    path("accounts/logout/", sso_views.sign_out, name="logout"),
    path("accounts/sso/start/", sso_views.SignIn.as_view(), name="sso-start"),
    path("accounts/sso/callback/", sso_views.Callback.as_view(), name="sso-callback"),
    # Forgotten password: Django's own views, the email sent through the task queue.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    # Changing a password, and the rest of the reset (done, set a new one, complete): Django's own.
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("healthz/ping", health.ping, name="healthz-ping"),
    path("api/v1/", include("assessments.api_urls")),
    path("account/tokens/", token_views.token_list, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke/", token_views.token_revoke, name="api-token-revoke"),
    path("", include("assessments.urls")),
]
