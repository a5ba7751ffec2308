"""The audit log's words for this app's actions (see ``core.audit_text``)."""

ACTIONS = {"survey.create": "发布了"}
