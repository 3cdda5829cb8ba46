from django.urls import path

from . import obligations_page, views

app_name = "agencies"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="index"),
    path("agencies/<int:pk>/", views.agency_detail, name="detail"),
    path("agencies/new/", views.agency_create, name="create"),
    path("agencies/import/", views.agency_import, name="import"),
    path("agencies/import/template/<str:kind>/", views.agency_import_template, name="import-template"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="edit"),
    path("agencies/<int:pk>/deactivate/", views.agency_deactivate, name="deactivate"),
    path("agencies/<int:pk>/merge/", views.agency_merge, name="merge"),
    path("register/", views.register_index, name="register"),
    path("register/<int:pk>/", views.register_entry, name="register-entry"),
    path("register/<int:pk>/withdraw/", views.register_withdraw, name="register-withdraw"),
    path("register/<int:pk>/signed/", views.register_signed, name="register-signed"),
    path("register/<int:pk>/file/", views.register_file, name="register-file"),
    path("obligations/", views.obligations_index, name="obligations"),
    path("obligations/<int:year>/", views.obligations_year, name="obligations-year"),
    *obligations_page.OBLIGATIONS.urls(),
]
