from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from agencies.serializers import AgencyBriefSerializer, ProvinceSerializer


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
