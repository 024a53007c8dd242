from django import template

from wards.models import Service

register = template.Library()


@register.inclusion_tag("casework/includes/missing_head_of_service.html")
def services_without_head_of_service():
    """A warning for the targets page: the ladder's head of service step tells nobody at these."""
    return {"services": Service.objects.filter(is_active=True, confirmed_head_of_service_email="").only("pk", "name")
            .order_by("name")}
