from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The composition pages: each puts several apps' work on one page (the Councillor Account,
    the public ward pages, the boundary change, data import) or runs across them all (seed_demo,
    bench). The top floor: nothing below imports it."""

    name = "pages"
    verbose_name = "Pages"
