import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from councillors.models import Councillor
from wards.models import Ward

from .models import ACTIVE_STATUSES, Case, Category, Status
from .selectors import cases_search

User = get_user_model()

STATUS_CHOICES = [("active", "Not yet closed")] + list(Status.choices) + [("all", "Any status")]


class CaseListFilter(django_filters.FilterSet):
    """What *My cases* and the queue share: status, ward, overdue, search."""

    q = django_filters.CharFilter(label="Search", method="filter_text",
                                  help_text="A reference, or words from the summary or the resident's name")
    status = django_filters.ChoiceFilter(label="Status", choices=STATUS_CHOICES, method="filter_status",
                                         empty_label=None)
    ward = django_filters.ModelChoiceFilter(queryset=Ward.objects.order_by("name", "-valid_from"),
                                            empty_label="Any ward")
    overdue = django_filters.BooleanFilter(label="Only overdue cases", method="filter_overdue",
                                           widget=forms.CheckboxInput)

    class Meta:
        model = Case
        fields = ["q", "status", "ward", "overdue"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "active")
        super().__init__(data, *args, **kwargs)

    def filter_text(self, queryset, name, value):
        return cases_search(queryset, value)

    def filter_status(self, queryset, name, value):
        if value == "active":
            # Resolved cases stay in view until the councillor confirms them.
            return queryset.filter(status__in=[*ACTIVE_STATUSES, Status.RESOLVED])
        if value == "all":
            return queryset
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset


class QueueFilter(CaseListFilter):
    SORTS = {
        "due": (F("due_date").asc(nulls_last=True), "id"),
        "newest": ("-created_at", "-id"),
    }

    owner = django_filters.ModelChoiceFilter(
        label="Councillor", empty_label="Any councillor",
        queryset=Councillor.objects.select_related("user").order_by("user__full_name"),
    )
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), empty_label="Any category")
    priority = django_filters.ChoiceFilter(choices=Case.Priority.choices, empty_label="Any priority")
    assigned_to = django_filters.ModelChoiceFilter(
        label="Assigned to", empty_label="Anyone",
        queryset=User.objects.filter(role__in=["liaison_officer", "liaison_manager"]).order_by("full_name"),
    )
    unassigned = django_filters.BooleanFilter(label="Only unassigned cases", method="filter_unassigned",
                                              widget=forms.CheckboxInput)
    sort = django_filters.ChoiceFilter(
        label="Sort by", method="filter_sort", empty_label=None,
        choices=[("due", "Due date, soonest first"), ("newest", "Newest first")],
    )

    class Meta(CaseListFilter.Meta):
        fields = ["q", "status", "ward", "owner", "category", "priority", "assigned_to", "unassigned",
                  "overdue", "sort"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("sort", "due")
        super().__init__(data, *args, **kwargs)

    def filter_unassigned(self, queryset, name, value):
        return queryset.filter(assigned_to__isnull=True) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*self.SORTS.get(value, self.SORTS["due"]))
