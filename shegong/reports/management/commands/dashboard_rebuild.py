from django.core.management.base import BaseCommand, CommandError

from shegong.campaigns.models import Campaign
from shegong.reports.dashboard_rollups import rollup_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard's roll-ups (per unit and day) of one campaign, or of the "
        "current one (--cities: each city's current campaign, in an installation serving "
        "several). The periodic job does this every few minutes; run it after a bulk load."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="campaign slug (default: the current campaign)")
        parser.add_argument(
            "--cities", action="store_true", help="each city's current campaign, timed"
        )

    def handle(self, *args, campaign=None, cities=False, **options):
        if cities:
            from shegong.reports.dashboard_national import current_campaigns

            for each in current_campaigns().values():
                run = rollup_rebuild(campaign=each)
                self.stdout.write(f"{each.slug}: {run.rows} rows in {run.seconds:.2f} s")
            return
        if campaign:
            found = Campaign.objects.filter(slug=campaign).first()
            if found is None:
                raise CommandError(f"no campaign with slug {campaign!r}")
        else:
            found = Campaign.objects.current()
            if found is None:
                raise CommandError("there is no campaign yet")
        run = rollup_rebuild(campaign=found)
        self.stdout.write(f"{found.slug}: {run.rows} rows in {run.seconds:.2f} s")
