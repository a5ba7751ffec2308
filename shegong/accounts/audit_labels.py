"""The audit log's words for this app's actions (see ``core.audit_text``)."""

ACTIONS = {
    "user.create": "新建了",
    "user.two_factor_enabled": "开启了两步验证：",
    "user.two_factor_disabled": "关闭了两步验证：",
    "login.succeeded": "登录了系统。",
    "login.failed": "登录失败。",
    "login.locked": "登录失败（账号已锁定）。",
    "login.idle_logout": "因长时间未操作被登出。",
    "login.second_factor": "通过了两步验证。",
    "login.second_factor_failed": "两步验证失败。",
}
