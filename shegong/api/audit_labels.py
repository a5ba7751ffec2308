"""The audit log's words for this app's actions (see ``core.audit_text``)."""

ACTIONS = {"apitoken.create": "创建了", "apitoken.revoke": "吊销了"}
