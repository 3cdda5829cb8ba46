"""Events of the agencies app that higher apps act on, so that agencies never imports them (one-way layers).

Receivers run inside the sender's transaction: what they write is committed or rolled back with the event.
"""

from django.dispatch import Signal

# An AgencySuccession was recorded. kwargs: succession (AgencySuccession), actor (the user).
succession_recorded = Signal()
