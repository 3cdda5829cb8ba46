"""The current user and API tokens."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from agencies.models import Membership, Role
from agencies.permissions import scope_of

from .serializers import MeSerializer
from .two_factor import check_token_api


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        scope = scope_of(request.user)
        membership = Membership.objects.select_related("agency", "province").filter(user=request.user).first()
        data = {
            "id": request.user.pk,
            "username": request.user.get_username(),
            "full_name": request.user.get_full_name(),
            "email": request.user.email,
            "role": scope.role,
            "role_display": Role(scope.role).label if scope.role else None,
            "agency": membership.agency if membership else None,
            "province": membership.province if membership else None,
        }
        return Response(MeSerializer(data).data)


class TokenView(ObtainAuthToken):
    """POST username and password (and `otp`, the 6-digit code, for users with two-factor login), get
    {"token": ...} for `Authorization: Token <key>`."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if not check_token_api(user, request.data.get("otp")):
            raise ValidationError({"otp": [_("Enter the current code from your authenticator app.")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
