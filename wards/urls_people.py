from django.urls import path

from . import views_people

urlpatterns = [
    path("people/", views_people.people, name="people"),
    path("people/officers/new/", views_people.officer_create, name="officer-create"),
    path("people/officers/<int:pk>/edit/", views_people.officer_edit, name="officer-edit"),
    path("people/officers/<int:pk>/confirm/", views_people.officer_confirm, name="officer-confirm"),
    path("people/services/", views_people.service_list, name="services"),
    path("people/services/new/", views_people.service_create, name="service-create"),
    path("people/services/<int:pk>/edit/", views_people.service_edit, name="service-edit"),
]
