"""Password hashing: Argon2id with the OWASP parameters (19 MiB of memory, 2 passes, 1 lane).

Memory-hard, so a stolen table is costly to attack on GPUs, while a sign-in costs about 20 ms of CPU instead of
the ~230 ms of Django's default PBKDF2 (1,000,000 iterations): on a 2-core server the deadline rush of 200
agencies signing in at once stays responsive. Older PBKDF2 hashes still verify and are upgraded on sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB
    parallelism = 1
