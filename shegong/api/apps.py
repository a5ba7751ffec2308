from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shegong.api"
    label = "api"
    verbose_name = "数据接口"

    def ready(self):
        from . import schema  # noqa: F401  (registers the Bearer scheme with drf-spectacular)
