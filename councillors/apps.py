from django.apps import AppConfig


class CouncillorsConfig(AppConfig):
    name = "councillors"
