from django.urls import path

from . import views

urlpatterns = [
    path("rules/compare/", views.compare_page, name="edition_compare"),
    path("rules/<slug:key>/", views.rules_page, name="edition_rules"),
]
