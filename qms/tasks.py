from .legal.tasks import compute_targets  # noqa: F401  (registered with the worker)
