from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reuse.accounts"
    label = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from reuse.accounts import backends, lockouts, tokens

        backends.connect()
        lockouts.connect()
        tokens.connect()
