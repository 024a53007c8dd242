from django.apps import AppConfig


class KirkleesConfig(AppConfig):
    name = "kirklees"
    verbose_name = "Councillor casework"
