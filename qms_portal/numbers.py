"""Numbers as the portal prints them."""


def percent(part: int, whole: int) -> int:
    """A share in whole per cent, rounded half up as people count (43/45 -> 96, 5/8 -> 63, where Python's round()
    gives the even 62): the one rounding of the reports, the dashboards and the compliance summary, so that the same
    share reads the same everywhere. 0 of nothing is 0."""
    return (200 * part + whole) // (2 * whole) if whole else 0
