from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DemoAwareBackend(ModelBackend):
    """The model backend, except that demo accounts sign in only in demo mode.

    Demo passwords are printed in the README; a production server must never accept them.
    ``DEMO_MODE`` is refused at start-up on a public host or a non-demo database (settings.py),
    and is independent of DEBUG: `make demo` runs with DEBUG off.
    """

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
