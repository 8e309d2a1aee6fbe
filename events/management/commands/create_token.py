"""`manage.py create_token <username>`: an API token for a user, printed once."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken
from knox.settings import knox_settings


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it. Only its hash is stored: the token "
        "cannot be shown again. It expires after --days (default: API_TOKEN_DAYS, 90)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days until the token expires (0: never).",
        )

    def handle(self, *args, username, days, **options):
        try:
            user = get_user_model()._default_manager.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative.")
        ttl = knox_settings.TOKEN_TTL if days is None else datetime.timedelta(days=days) or None
        instance, token = AuthToken.objects.create(user=user, expiry=ttl)
        expires = instance.expiry.strftime("%Y-%m-%d %H:%M UTC") if instance.expiry else "never"
        self.stderr.write(f"Token for {username} (expires {expires}); send it as:")
        self.stderr.write(f"  Authorization: Token {token}")
        self.stdout.write(token)
