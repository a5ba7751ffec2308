from django.apps import AppConfig

from shegong.orgs.rules import is_staff_member as _staff


class JobsConfig(AppConfig):
    """Background jobs with progress. Apps name the work they run here in their AppConfig:
    ``job_kinds = {"kind": "dotted.path"}`` (see ``shegong.jobs.services``)."""

    name = "shegong.jobs"
    label = "jobs"
    verbose_name = "后台任务"
    console_menu = [("台账与宣传", "后台任务", "jobs:job_list", _staff)]

    def periodic(self, now) -> str:
        from .services import jobs_purge_expired

        return f"expired jobs deleted with their files: {jobs_purge_expired(now=now)}"
