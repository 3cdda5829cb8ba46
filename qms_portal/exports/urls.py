from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("exports/<int:pk>/", views.export_job_view, name="job"),
    path("exports/<int:pk>/file/", views.export_file_view, name="file"),
]
