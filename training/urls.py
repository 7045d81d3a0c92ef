from django.urls import path

from . import views

A = "training/attempts/<int:attempt_id>/"

urlpatterns = [
    path("training/", views.scenario_list, name="training"),
    path("training/<slug:slug>/start/", views.scenario_start, name="scenario_start"),
    path(A, views.attempt_detail, name="attempt"),
    path(A + "hint/", views.attempt_hint, name="attempt_hint"),
    path(A + "panel/", views.attempt_panel, name="attempt_panel"),
    path(A + "solution/", views.attempt_solution, name="attempt_solution"),
    path(A + "finish/", views.attempt_finish, name="attempt_finish"),
    path(A + "restart/", views.attempt_restart, name="attempt_restart"),
    path(A + "result/", views.attempt_result, name="attempt_result"),
]
