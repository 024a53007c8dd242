from django import template

from casework.handover import handover_count as count_needing_handover

register = template.Library()


@register.simple_tag
def handover_count() -> int:
    """How many cases need handing over: one count, for the liaison managers' queue panel."""
    return count_needing_handover()
