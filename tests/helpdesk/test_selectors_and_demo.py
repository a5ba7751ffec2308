from shegong.helpdesk import services
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
