from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "kirklees.users"
    label = "users"
