"""Console pages of the activity ledger, one module per sub-domain; ``urls.py`` names them
through this package."""

from .budget import budget_report
from .cases import case_detail, case_edit, case_list
from .ledger import (
    activity_create,
    activity_detail,
    activity_edit,
    activity_export,
    activity_import,
    activity_list,
    activity_template,
    activity_transition,
)
from .media import media_consent, media_file, media_minors, media_upload
from .news import news_action, news_edit
from .records import record_create, record_list, submission_status

__all__ = [
    "activity_create",
    "activity_detail",
    "activity_edit",
    "activity_export",
    "activity_import",
    "activity_list",
    "activity_template",
    "activity_transition",
    "budget_report",
    "case_detail",
    "case_edit",
    "case_list",
    "media_consent",
    "media_file",
    "media_minors",
    "media_upload",
    "news_action",
    "news_edit",
    "record_create",
    "record_list",
    "submission_status",
]
