from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "shegong.directory"
    label = "directory"
    verbose_name = "社工站名录"
