"""The current user, API tokens, staff and roles."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from agencies.access import require, scope_of
from agencies.models import Membership, Province, Role
from qms_portal.people import person_name
from qms_portal.queries import text_param

from . import staff
from .serializers import (
    InviteSerializer,
    MeSerializer,
    RoleWriteSerializer,
    StaffSerializer,
    TokenIssuedSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from .tokens import token_issue, token_revoke, tokens_of


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        scope = scope_of(request.user)
        membership = Membership.objects.select_related("agency", "province").filter(user=request.user).first()
        data = {
            "id": request.user.pk,
            "username": request.user.get_username(),
            "full_name": person_name(request.user),
            "email": request.user.email,
            "role": scope.role,
            "role_display": Role(scope.role).label if scope.role else None,
            "agency": membership.agency if membership else None,
            "province": membership.province if membership else None,
        }
        return Response(MeSerializer(data).data)


class TokenView(APIView):
    """POST username and password (and `otp`, the 6-digit code, for users with two-factor login), get
    {"token", "expiry"} for `Authorization: Token <token>`. Tokens expire after API_TOKEN_TTL_HOURS (8 by default)
    and are revoked when the password, the active state or the role changes."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenIssuedSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        instance, token = token_issue(user=serializer.validated_data["user"],
                                      otp=serializer.validated_data.get("otp"), request=request)
        return Response(TokenIssuedSerializer({"token": token, "expiry": instance.expiry}).data)


class TokenListView(APIView):
    """Your API tokens (their first characters, when made, when they expire); an administrator may list a user's
    (`?user=<username>`) or everyone's (`?user=*`)."""

    @extend_schema(parameters=[OpenApiParameter("user", str)], responses=TokenSerializer(many=True))
    def get(self, request):
        tokens = tokens_of(actor=request.user, username=text_param(request.query_params, "user", max_length=150))
        current = getattr(request.auth, "digest", None)
        return Response(TokenSerializer(tokens, many=True, context={"current": current}).data)


class TokenRevokeView(APIView):
    """DELETE revokes a token by its first characters (`token_key`): your own, or anyone's for an administrator."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, token_key):
        if not token_revoke(actor=request.user, token_key=token_key):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People and their roles within your reach: everyone (administrator), your province's (province
    administrator), your agency's (agency head). POST invites a person by e-mail (a one-time link to set a
    password), PATCH changes a role, DELETE removes it. Nobody gives a role wider than their own."""

    serializer_class = StaffSerializer
    lookup_field = "user_id"
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require(request.user, "membership.manage")

    def get_queryset(self):
        return staff.staff_in_reach(user=self.request.user)

    def _unit(self, data) -> dict:
        province = data.get("province")
        if province is None and scope_of(self.request.user).province_id:
            province = Province.objects.get(pk=scope_of(self.request.user).province_id)
        return {"role": data["role"], "agency": data.get("agency"), "province": province}

    @extend_schema(request=InviteSerializer, responses={201: StaffSerializer})
    def create(self, request):
        serializer = InviteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user, _link = staff.staff_invite(actor=request.user, email=data["email"], full_name=data["full_name"],
                                         **self._unit(data))
        return Response(StaffSerializer(self.get_queryset().get(user=user)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoleWriteSerializer, responses=StaffSerializer)
    def partial_update(self, request, user_id=None):
        membership = self.get_object()
        serializer = RoleWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        staff.staff_role_set(actor=request.user, user=membership.user, **self._unit(serializer.validated_data))
        return Response(StaffSerializer(Membership.objects.select_related("user", "agency", "province").get(
            user_id=membership.user_id)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, user_id=None):
        membership = self.get_object()
        staff.staff_role_remove(actor=request.user, user=membership.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
