"""`manage.py revoke_tokens <username>`: end a user's API tokens (or every expired one)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from knox.models import AuthToken


class Command(BaseCommand):
    help = "Revoke every API token of a user, or (--expired) delete every expired token."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument(
            "--expired", action="store_true", help="Delete every user's expired tokens."
        )

    def handle(self, *args, username, expired, **options):
        if expired == bool(username):
            raise CommandError("Give a username, or --expired (not both).")
        if expired:
            tokens = AuthToken.objects.filter(expiry__lt=timezone.now())
        else:
            try:
                user = get_user_model()._default_manager.get_by_natural_key(username)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {username!r}.") from None
            tokens = AuthToken.objects.filter(user=user)
        count, _ = tokens.delete()
        self.stdout.write(f"{count} token(s) revoked.")
