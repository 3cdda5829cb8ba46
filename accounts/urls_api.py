from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("staff", api.StaffViewSet, basename="staff")

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("auth/tokens/", api.TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<str:token_key>/", api.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("me/", api.MeView.as_view(), name="api-me"),
] + router.urls
