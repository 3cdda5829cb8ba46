from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

api_v1 = [
    path("", include("accounts.urls_api")),
    path("", include("agencies.urls_api")),
    path("", include("qms.urls_api")),
    path("", include("audits.urls_api")),
    path("", include("reports.urls_api")),
    path("", include("qms_portal.imports.urls_api")),
]

handler400 = "qms_portal.views.bad_request"

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("agencies.urls")),
    path("", include("qms.urls")),
    path("", include("audits.urls")),
    path("", include("reports.urls")),
    path("", include("qms_portal.imports.urls")),
    path("", include("qms_portal.exports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
]
