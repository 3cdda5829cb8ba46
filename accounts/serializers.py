from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from agencies.models import Province, Role
from agencies.serializers import AgencyBriefSerializer, CodeRelatedField, ProvinceSerializer
from qms_portal.fields import CleanCharField
from qms_portal.people import person_name
from qms_portal.references import ScopedRelatedField, user_of
from qms_portal.serializers import ChoiceLabelField


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.CharField(allow_null=True)
    role_display = serializers.CharField(allow_null=True)
    agency = AgencyBriefSerializer(allow_null=True)
    province = ProvinceSerializer(allow_null=True)


class TokenRequestSerializer(AuthTokenSerializer):
    # as long as an account's name may be: a longer one was tried, and the lockout's table (255) refused it (a 500)
    username = serializers.CharField(label=_("Username"), max_length=150, write_only=True)
    otp = serializers.CharField(required=False, allow_blank=True, max_length=8, write_only=True,
                                help_text="The 6-digit code, for users with two-factor login.")


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: send it as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField()


class TokenSerializer(serializers.Serializer):
    token_key = serializers.CharField(help_text="The token's first characters: enough to revoke it.")
    user = serializers.CharField(source="user.username")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.SerializerMethodField(help_text="The token this request was made with.")

    def get_current(self, token) -> bool:
        return token.digest == self.context.get("current")


class StaffSerializer(serializers.Serializer):
    """A person and their one role."""

    user_id = serializers.IntegerField()
    username = serializers.CharField(source="user.username")
    full_name = serializers.SerializerMethodField()
    email = serializers.EmailField(source="user.email")
    is_active = serializers.BooleanField(source="user.is_active")
    last_login = serializers.DateTimeField(source="user.last_login", allow_null=True)
    role = serializers.CharField()
    role_display = ChoiceLabelField("role")
    agency = AgencyBriefSerializer(allow_null=True)
    province = ProvinceSerializer(allow_null=True)

    def get_full_name(self, membership) -> str:
        return person_name(membership.user)


def _agencies(context):
    from agencies.selectors import agency_parent_choices

    return agency_parent_choices(user=user_of(context))


class RoleWriteSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    agency = ScopedRelatedField(scope=_agencies, required=False, allow_null=True,
                                help_text="For an agency role: the agency (active, in your scope).")
    province = CodeRelatedField(queryset=Province.objects.current(), required=False, allow_null=True,
                                help_text="For a province role given by the national administrator: the province "
                                          "code (others give roles in their own province).")


class InviteSerializer(RoleWriteSerializer):
    email = serializers.EmailField()
    full_name = CleanCharField(max_length=150, help_text="Family name first.")
