from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agencies import two_factor
from agencies.api import MeView, TokenView

from . import views

api_v1 = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include("agencies.urls_api")),
    path("", include("audits.urls_api")),
    path("", include("reports.urls_api")),
]

handler400 = "qms_portal.views.bad_request"

urlpatterns = [
    path("", include("agencies.urls")),
    path("", include("audits.urls")),
    path("", include("reports.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/verify/", two_factor.verify, name="two-factor-verify"),
    path("accounts/2fa/setup/", two_factor.setup, name="two-factor-setup"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
]
