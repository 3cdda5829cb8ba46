"""Celery tasks of the agencies app."""

from celery import shared_task


@shared_task(name="agencies.dashboards_warm", acks_late=True, expires=120, ignore_result=True)
def dashboards_warm() -> dict:
    """Every minute (beat): recompute the shared dashboard figures before they expire."""
    from .dashboard_warming import dashboards_warm as warm

    return warm()


@shared_task(name="agencies.obligations_propose_next_year", acks_late=True, ignore_result=True)
def obligations_propose_next_year() -> dict:
    """On 1 December (beat): propose next year's obligations of every province from this year's, for review."""
    from .services import obligations_propose_next_year as propose

    return propose()


@shared_task(name="agencies.successions_take_effect", acks_late=True, ignore_result=True)
def successions_take_effect() -> dict:
    """Every day just after midnight (beat): the mergers and splits recorded ahead take effect on their date."""
    from .services import successions_take_effect as take_effect

    return take_effect()
