from rest_framework import serializers

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
