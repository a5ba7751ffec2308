from io import StringIO

from django.core.management import call_command

from shegong.accounts.models import User
from shegong.campaigns.models import Campaign
from shegong.orgs.models import Unit


def test_seed_demo_is_idempotent_and_prints_logins(db, settings):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = {model: model.objects.count() for model in (Unit, User, Campaign)}

    call_command("seed_demo", stdout=StringIO())

    assert {model: model.objects.count() for model in (Unit, User, Campaign)} == counts
    assert counts[Unit] == 50
    printed = out.getvalue()
    assert "city.admin" in printed
    assert "district.460108400" in printed
    assert "shegong-demo-2023" in printed


def test_seed_demo_users_cover_every_role_and_unit(db):
    call_command("seed_demo", stdout=StringIO())

    assert User.objects.filter(role=User.Role.CITY_ADMIN, unit__level="city").count() == 1
    for district in Unit.objects.districts():
        assert User.objects.filter(role=User.Role.DISTRICT_OFFICER, unit=district).count() == 1
        workers = User.objects.filter(role=User.Role.STATION_WORKER, unit__parent=district)
        assert workers.count() >= 2
    # judge.1 and judge.2 (accounts), judge.3 to judge.5 (the story contest's panel: N = 3)
    judges = User.objects.filter(role=User.Role.JUDGE).values_list("username", flat=True)
    assert sorted(judges) == [f"judge.{n}" for n in range(1, 6)]
    assert not User.objects.filter(is_demo=False).exists()
    campaign = Campaign.objects.get(slug="haikou-2023")
    assert campaign.theme == "推进“五社联动” 关爱“一老一小”"
    assert str(campaign.summary_deadline) == "2023-04-10"
