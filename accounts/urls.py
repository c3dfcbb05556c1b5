from django.contrib.auth.views import LogoutView
from django.urls import path

# Signing in is Wagtail's own front-end login (/_util/login/, which page privacy sends
# visitors to); signing out is Django's, by POST only.
urlpatterns = [
    path("account/sign-out/", LogoutView.as_view(), name="sign_out"),
]
