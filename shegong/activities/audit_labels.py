"""The audit log's words for this app's actions (see ``core.audit_text``)."""

from shegong.core.audit_text import pk_links

ACTIONS = {
    "activity.create": "登记了",
    "activity.update": "修改了",
    "activity.import": "导入了",
    "activity.submitted": "提交审核",
    "activity.returned": "退回了",
    "activity.approved": "审核通过了",
    "activity.featured": "评为优秀案例：",
    "activity.risk_assess": "填写了风险评估：",
    "activity.risk_approve": "批准了高风险",
    "activity.budget_cap": "设定了经费上限：",
    "activity.media_add": "上传了照片或视频：",
    "activity.media_consent": "登记了肖像使用同意：",
    "activity.media_minors": "标注了含未成年人：",
    "activity.news_save": "保存了新闻稿：",
    "activity.news_submitted": "提交了新闻稿：",
    "activity.news_returned": "退回了新闻稿：",
    "activity.news_approved": "审核通过了新闻稿：",
    "activity.news_adopted": "登记了新闻稿被媒体采用：",
    "coverage.create": "登记了媒体报道：",
    "submission.create": "登记了投稿：",
    "submission.status": "更新了投稿状态：",
    "livestream.create": "登记了直播：",
    "case.save": "保存了",
    "case.publish": "发布了",
}
FIELDS = {"title": "标题"}

LINKS = {
    "activity": pk_links("activities:activity_detail"),
    "case": pk_links("activities:case_detail", arg="case_id"),
}
