from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "shegong.public"
    label = "public"
    verbose_name = "公众网站"
