from django.urls import path

from . import views

urlpatterns = [
    path("lti/login/", views.login_initiation, name="lti_login"),
    path("lti/launch/", views.launch, name="lti_launch"),
    path("lti/jwks/", views.jwks, name="lti_jwks"),
]
