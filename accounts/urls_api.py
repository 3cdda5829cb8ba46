from django.urls import path

from . import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("auth/tokens/", api.TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<str:token_key>/", api.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("me/", api.MeView.as_view(), name="api-me"),
]
