from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "shegong.activities"
    label = "activities"
    verbose_name = "活动台账"
