from django.conf import settings
from django.db import models


class CouncillorQuerySet(models.QuerySet):
    def for_liaison_officer(self, user):
        return self.filter(liaison_officer=user)


class Councillor(models.Model):
    """An elected member, linked to the login they use and the ward they represent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="councillor"
    )
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="councillors")
    advocacy_enrolled = models.BooleanField(
        "enrolled in advocacy", default=False,
        help_text="May refer cases to the Support & Liaison Team's advocacy service.",
    )
    liaison_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="supported_councillors", limit_choices_to={"role__in": ["liaison_officer", "liaison_manager"]},
        help_text="The identified officer in the Support & Liaison Team.",
    )

    objects = CouncillorQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self):
        return f"Cllr {self.user.full_name}"

    @property
    def name(self) -> str:
        return self.user.full_name
