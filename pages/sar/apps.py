from django.apps import AppConfig


class SarConfig(AppConfig):
    """Subject access requests (issue 13): a resident's request for everything held about them,
    its one-month clock, and the bundle that answers it. Nested in pages/ with its own tables
    because it reads casework and engagement, which may not import each other."""

    name = "pages.sar"
    label = "sar"
    verbose_name = "Subject access requests"
