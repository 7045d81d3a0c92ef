from django.urls import path

from . import attempt_views, views

S = "s/<int:sandbox_id>/"
A = "training/attempts/<int:attempt_id>/"

urlpatterns = [
    path(S + "checkpoints/", views.checkpoints, name="checkpoints"),
    path(
        S + "checkpoints/<int:checkpoint_id>/restore/",
        views.restore_new,
        name="restore_checkpoint",
    ),
    path(
        S + "checkpoints/<int:checkpoint_id>/restore-here/",
        views.restore_in_place,
        name="restore_checkpoint_in_place",
    ),
    path(A + "steps/", attempt_views.attempt_steps, name="attempt_steps"),
    path(A + "rewind/", attempt_views.attempt_rewind, name="attempt_rewind"),
]
