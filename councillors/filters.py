import django_filters
from django.db.models import Q

from wards.models import Ward

from .models import Councillor, PoliticalGroup


class CouncillorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name", method="filter_name", help_text="All or part of a name")
    ward = django_filters.ModelChoiceFilter(
        queryset=Ward.objects.filter(councillors__isnull=False).distinct().order_by("name", "-valid_from"),
        empty_label="Any ward")
    group = django_filters.ModelChoiceFilter(label="Political group", queryset=PoliticalGroup.objects.order_by("name"),
                                             empty_label="Any group")

    class Meta:
        model = Councillor
        fields = ["q", "ward", "group"]

    def filter_name(self, queryset, name, value):
        words = value.split()
        condition = Q()
        for word in words:
            condition &= Q(user__full_name__icontains=word)
        return queryset.filter(condition)
