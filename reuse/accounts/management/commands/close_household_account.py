from django.core.management.base import BaseCommand, CommandError

from reuse.accounts import privacy
from reuse.accounts.models import User
from reuse.errors import DomainError


class Command(BaseCommand):
    help = (
        "Close a household's account on its request (checked in person or by letter): the same erasure as the "
        "« Mes données » page, refused while a claim or a ticket is under way."
    )

    def add_arguments(self, parser):
        parser.add_argument("user_id", type=int)

    def handle(self, *args, user_id: int, **options):
        if not User.objects.filter(pk=user_id).exists():
            raise CommandError(f"Aucun compte n° {user_id}.")
        try:
            privacy.close_account_on_request(user_id=user_id)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Compte n° {user_id} fermé : ses données personnelles sont effacées.")
