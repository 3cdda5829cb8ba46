import factory
from django.contrib.auth import get_user_model

from agencies.models import Agency, AgencyKind, AgencyObligation, Commune, Membership, ObligationLevel, Province


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Tỉnh thử {n}")
    division_type = "tỉnh"
    codename = factory.Sequence(lambda n: f"tinh_thu_{n}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    code = factory.Sequence(lambda n: 90000 + n)
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    division_type = "xã"
    codename = factory.Sequence(lambda n: f"xa_thu_{n}")
    province = factory.SubFactory(ProvinceFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    short_code = factory.Sequence(lambda n: f"S{n}")
    kind = AgencyKind.DEPARTMENT
    province = factory.SubFactory(ProvinceFactory)


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyObligation

    agency = factory.SubFactory(AgencyFactory)
    year = 2026
    level = ObligationLevel.MANDATORY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
