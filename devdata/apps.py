from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Demo and scale data generators (management commands seed_demo and generate_scale_data)."""

    name = "devdata"
    verbose_name = "Development data"
