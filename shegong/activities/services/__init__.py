"""Writes on the activity ledger, one module per sub-domain. Each function validates, writes in
one transaction, leaves an audit entry and, where somebody must act next, a notification.

Import from here (``from shegong.activities import services``): the modules are an inner layout.
"""

from .budget import budget_recompute, budgetcap_set
from .cases import (
    CLIENT_NAME_RE,
    FULL_WIDTH_DIGITS,
    ID_CARD_RE,
    NOT_NAMES,
    PHONE_RE,
    SURNAMES,
    case_privacy_warnings,
    case_publish,
    case_save,
    case_text,
)
from .coverage import coverage_create, livestream_create, submission_create, submission_set_status
from .ledger import (
    ACTIVITY_FIELDS,
    REPEAT_WINDOW,
    RISK_FIELDS,
    activity_approve,
    activity_create,
    activity_feature,
    activity_field_errors,
    activity_repeat_key,
    activity_repeat_keys,
    activity_return,
    activity_submit,
    activity_update,
    risk_approve,
    risk_level,
)
from .media import media_add, media_record_consent, media_set_minors
from .news import NEWS_TAGS, news_sanitise, news_save, news_transition

__all__ = [
    "ACTIVITY_FIELDS",
    "CLIENT_NAME_RE",
    "FULL_WIDTH_DIGITS",
    "ID_CARD_RE",
    "NEWS_TAGS",
    "NOT_NAMES",
    "PHONE_RE",
    "REPEAT_WINDOW",
    "RISK_FIELDS",
    "SURNAMES",
    "activity_approve",
    "activity_create",
    "activity_feature",
    "activity_field_errors",
    "activity_repeat_key",
    "activity_repeat_keys",
    "activity_return",
    "activity_submit",
    "activity_update",
    "budget_recompute",
    "budgetcap_set",
    "case_privacy_warnings",
    "case_publish",
    "case_save",
    "case_text",
    "coverage_create",
    "livestream_create",
    "media_add",
    "media_record_consent",
    "media_set_minors",
    "news_sanitise",
    "news_save",
    "news_transition",
    "risk_approve",
    "risk_level",
    "submission_create",
    "submission_set_status",
]
