from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency-index"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency-page"),
]
