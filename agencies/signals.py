"""Events of the agencies app that higher apps act on, so that agencies never imports them (one-way layers).

Receivers run inside the sender's transaction: what they write is committed or rolled back with the event.
"""

from django.dispatch import Signal

# An AgencySuccession took effect (on its effective date, once: agencies.services.succession_take_effect).
# kwargs: succession (AgencySuccession), actor (the user who recorded it, or None for the daily beat task).
succession_took_effect = Signal()
