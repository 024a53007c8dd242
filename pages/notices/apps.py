from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """The public notices: the privacy notice and the accessibility statement. Nested in pages/ (the
    floor that speaks for the whole service) with its own table, so that a liaison manager can change
    their text without a release."""

    name = "pages.notices"
    label = "notices"
    verbose_name = "Public notices"
