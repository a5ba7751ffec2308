from django.apps import AppConfig


class ContestConfig(AppConfig):
    name = "shegong.contest"
    label = "contest"
    verbose_name = "故事征集"
