from django.apps import AppConfig


class GovukConfig(AppConfig):
    """GOV.UK Frontend markup for Django forms: a floor every app may use (it imports no app)."""

    name = "kirklees.govuk"
    label = "govuk"
