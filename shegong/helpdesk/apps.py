from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "shegong.helpdesk"
    label = "helpdesk"
    verbose_name = "求助"
