from django.core.management.base import BaseCommand, CommandError

from reuse.accounts.models import User
from reuse.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Print a new API token for the user with this email, and nothing else."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"Aucun compte actif avec l’adresse {email}.")
        self.stdout.write(issue_api_token(user=user))
