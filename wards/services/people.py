"""Every change to the People Finder: services and the officers in them. Ward data admins only."""
from django.db import transaction
from django.utils import timezone

from .. import permissions
from ..models import Officer, Service
from .email_changes import addresses_changed

OFFICER_FIELDS = ["full_name", "job_title", "service", "email", "phone", "is_active"]
SERVICE_FIELDS = ["name", "email", "head_of_service_email", "is_active"]


@transaction.atomic
def officer_create(*, by, full_name: str, job_title: str, service: Service, email: str, phone: str = "",
                   wards=(), places=(), is_active: bool = True, via: str = "form") -> Officer:
    """Add someone to the People Finder. Whoever adds them has just checked the details; their
    address, like any new one, waits for confirmation before a referral names them by email."""
    permissions.require(permissions.can_manage_reference_data(by))
    officer = Officer.objects.create(
        full_name=full_name.strip(), job_title=job_title.strip(), service=service, email=email.strip().lower(),
        phone=phone.strip(), is_active=is_active, last_confirmed=timezone.localdate(),
    )
    officer.wards.set(wards)
    officer.places.set(places)
    addresses_changed(officer, by=by, via=via)
    return officer


@transaction.atomic
def officer_update(*, officer: Officer, by, wards=None, places=None, via: str = "form", **changes) -> Officer:
    permissions.require(permissions.can_manage_reference_data(by))
    unknown = set(changes) - set(OFFICER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if "email" in changes:
        changes["email"] = changes["email"].strip().lower()
    for name, value in changes.items():
        setattr(officer, name, value.strip() if isinstance(value, str) else value)
    if changes:
        officer.save(update_fields=list(changes))
    if wards is not None:
        officer.wards.set(wards)
    if places is not None:
        officer.places.set(places)
    if "email" in changes:
        addresses_changed(officer, by=by, via=via)
    return officer


@transaction.atomic
def officer_confirm(*, officer: Officer, by) -> Officer:
    """Someone has checked the officer's details are still right today."""
    permissions.require(permissions.can_manage_reference_data(by))
    officer.last_confirmed = timezone.localdate()
    Officer.objects.filter(pk=officer.pk).update(last_confirmed=officer.last_confirmed)
    return officer


@transaction.atomic
def service_create(*, by, name: str, email: str, head_of_service_email: str = "", is_active: bool = True,
                   via: str = "form") -> Service:
    """A new service's first addresses need confirming too: no referral goes to it until then."""
    permissions.require(permissions.can_manage_reference_data(by))
    service = Service.objects.create(name=name.strip(), email=email.strip().lower(),
                                     head_of_service_email=head_of_service_email.strip().lower(), is_active=is_active)
    addresses_changed(service, by=by, via=via)
    return service


@transaction.atomic
def service_update(*, service: Service, by, via: str = "form", **changes) -> Service:
    permissions.require(permissions.can_manage_reference_data(by))
    unknown = set(changes) - set(SERVICE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        if name in ("email", "head_of_service_email"):
            value = value.strip().lower()
        setattr(service, name, value.strip() if isinstance(value, str) else value)
    if changes:
        service.save(update_fields=list(changes))
    if {"email", "head_of_service_email"} & set(changes):
        addresses_changed(service, by=by, via=via)
    return service
