"""Steps that several browser journeys take the same way, written once: signing in through the form as a person
would, by the fields' French labels (a label that goes missing fails every journey)."""

from reuse.accounts.demo import DEMO_PASSWORD


def sign_in(page, email, password=DEMO_PASSWORD):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
