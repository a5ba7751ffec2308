from django.core.management.base import BaseCommand, CommandError

from shegong.campaigns.models import Campaign
from shegong.reports.dashboard_rollups import rollup_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard's roll-ups (per unit and day) of one campaign, or of the "
        "current one. The periodic job does this every few minutes; run it after a bulk load."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="campaign slug (default: the current campaign)")

    def handle(self, *args, campaign=None, **options):
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
