from django.apps import AppConfig

from shegong.orgs.rules import is_staff_member


class DirectoryConfig(AppConfig):
    name = "shegong.directory"
    label = "directory"
    verbose_name = "社工站名录"
    console_menu = [
        ("社工站", "社工站名录", "directory:listing_list", is_staff_member),
        ("社工站", "二维码", "directory:qr_list", is_staff_member),
    ]
    campaign_kpis = {"stations_listed": "shegong.directory.selectors.kpi_stations_listed"}

    def console_waiting(self, user):
        """Listings not verified for 90 days, for their station and its district."""
        from django.urls import reverse
        from django.utils import timezone

        from shegong.core.registry import WaitingItem

        from .selectors import listings_for_console

        if not (user.is_station_worker or user.is_district_officer):
            return []
        # The list behind the link, counted: the figure and the list cannot disagree.
        stale = listings_for_console(user, today=timezone.localdate(), stale_only=True)
        count = stale.count()
        url = reverse("directory:listing_list") + "?stale=1"
        return [WaitingItem(label="超过 90 天未核实的社工站名录", count=count, url=url)]

    def periodic(self, now) -> str:
        """Stations added to the tree get their (empty, never verified) listing; QR scans
        pending in a shared cache are written."""
        from django.conf import settings
        from django.utils import timezone

        from shegong.orgs.models import Unit

        from .services import (
            listings_create_missing,
            qr_scans_ingest_log,
            qr_scans_write_pending,
        )

        created = listings_create_missing(units=Unit.objects.all())
        scans = qr_scans_write_pending(today=timezone.localdate(now))
        report = f"listings for new stations: {created}; QR scans written: {scans}"
        if settings.DIRECTORY_QR_SCAN_LOG:
            logged = qr_scans_ingest_log(path=settings.DIRECTORY_QR_SCAN_LOG)
            report += f"; QR scans from nginx's log: {logged}"
        return report

    def worker_warm_up(self) -> None:
        """Posters are the worker's most awaited job (shegong.core.worker.worker_warm_up)."""
        from .posters import poster_warm_up

        poster_warm_up()

    def seed_demo(self, demo: dict) -> None:
        from .demo import seed

        seed(demo)
