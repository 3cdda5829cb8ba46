"""Data for development, demonstration and measurement, kept outside the apps.

- `devdata.demo`: the demo province (An Giang), a second province (Cao Bằng) and the demo accounts
  (`manage.py seed_demo`, run by `make run`).
- `devdata.scale`: the national data set for `make bench` (`manage.py generate_scale_data`).

The apps never import this package; it imports their services and models.
"""
