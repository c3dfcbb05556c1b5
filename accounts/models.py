from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The platform's user: editors, speakers and community residents alike.

    Swapped in before the first migration so that personal cabinets can add fields
    to it later without rewriting migrations.
    """

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
