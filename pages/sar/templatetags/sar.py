"""Template tags for subject access requests: the liaison manager's panel on the queue page, the
"start a request" link on a case page, and the highlighting of names in a bundle's summary."""

from django import template
from django.utils.safestring import SafeString

from ..permissions import may_start_sar_for
from ..selectors import sars_open_summary

register = template.Library()


@register.filter
def marked(text, marker) -> SafeString:
    """`text`, escaped, with other residents' names in <mark> for review."""
    return marker.html(text or "")


@register.inclusion_tag("sar/_dashboard_panel.html", takes_context=True)
def sar_dashboard_panel(context):
    user = context["request"].user
    if not (user.is_authenticated and user.is_liaison_manager):
        return {"show": False}
    return {"show": True, **sars_open_summary()}


@register.simple_tag(takes_context=True)
def may_start_sar(context, resident_id) -> bool:
    return may_start_sar_for(context["request"].user, resident_id)
