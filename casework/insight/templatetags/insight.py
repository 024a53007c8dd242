from django import template

register = template.Library()


@register.filter
def figure(value):
    """A report's cell: a dash where there is nothing to show (no case ended, so no share or median)."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return value
