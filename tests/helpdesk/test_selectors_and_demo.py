import io

from django.core.management import call_command

from shegong.helpdesk import services
from shegong.helpdesk.models import HelpRequest
from shegong.helpdesk.selectors import helprequest_figures_for_unit

from .conftest import at


def test_figures_for_a_district_leave_out_the_sibling(
    submit, district, station, station_worker, sibling_station
):
    answered = submit(station, description="家暴")
    services.helprequest_accept(
        actor=station_worker, request=answered, note="受理", now=at(2023, 3, 10, 16, 0)
    )
    submit(station)
    submit(sibling_station)

    figures = helprequest_figures_for_unit(district)

    assert figures["total"] == 2
    assert figures["urgent"] == 1
    assert figures["answered_in_time"] == 1
    assert figures["by_status"]["accepted"] == 1
    assert figures["by_status"]["new"] == 1
    assert figures["overdue_now"] == 1


def test_seed_demo_is_idempotent_and_spreads_requests(demo_data, db):
    call_command("seed_demo", stdout=io.StringIO())  # again, over the module's demo

    demo = HelpRequest.objects.filter(is_demo=True)
    assert demo.count() == 45  # 30 of Haikou 2023, 15 of the campaign in progress
    assert demo.filter(urgent=True).count() >= 2
    assert demo.overdue().count() == 0  # 2023's were all handled; today's are within deadline
    assert demo.values("unit__parent").distinct().count() >= 4
    assert demo.values("status").distinct().count() == 6
    assert all(phone.startswith("138000") for phone in demo.values_list("phone", flat=True))
