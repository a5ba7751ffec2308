"""Factories shared by every app's tests."""

import factory

from shegong.accounts.models import User
from shegong.campaigns.models import Campaign
from shegong.orgs.models import Unit

TEST_PASSWORD = "correct-horse-battery-staple"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    division_code = factory.SelfAttribute("code")
    name = factory.LazyAttribute(lambda o: f"{o.area_name}单位")
    area_name = factory.Sequence(lambda n: f"测试区域{n}")
    area_kind = "district"
    level = Unit.Level.DISTRICT
    parent = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else ''}{o.code}/")


def city_unit(code="460100", name="海口市民政局") -> Unit:
    return UnitFactory(
        code=code, name=name, area_name="海口市", area_kind="city", level=Unit.Level.CITY
    )


def district_unit(city: Unit, code: str, area_name: str) -> Unit:
    return UnitFactory(
        code=code,
        name=f"{area_name}民政局",
        area_name=area_name,
        area_kind="district",
        level=Unit.Level.DISTRICT,
        parent=city,
    )


def station_unit(district: Unit, code: str, area_name: str) -> Unit:
    return UnitFactory(
        code=code,
        name=f"{area_name}社工站",
        area_name=area_name,
        area_kind="street",
        level=Unit.Level.STATION,
        parent=district,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = User.Role.STATION_WORKER
    unit = None
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    slug = factory.Sequence(lambda n: f"campaign-{n}")
    name = factory.Sequence(lambda n: f"测试宣传活动{n}")
    theme = "推进“五社联动” 关爱“一老一小”"
    starts_on = factory.Faker("date_object")
    ends_on = factory.LazyAttribute(lambda o: o.starts_on)
    summary_deadline = factory.LazyAttribute(lambda o: o.ends_on)
    issuer = None
