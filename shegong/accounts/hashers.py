"""The password hasher: Argon2id at OWASP's recommended minimum.

Django's default (PBKDF2, 1,000,000 iterations) costs about a second of a web worker per check
on a small server, so a handful of parallel wrong logins starves the public site. Argon2id with
19 MiB of memory, two passes and one lane (OWASP Password Storage Cheat Sheet, 2023-) is
memory-hard, thus costlier to attack on GPUs than PBKDF2, and checks in a few tens of
milliseconds (``bench/bench_login.py`` measures it). The algorithm name stays ``argon2``, so
Django re-hashes at login any hash whose parameters differ from these (``must_update``), and
PBKDF2 hashes from before keep working and are upgraded the same way.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
