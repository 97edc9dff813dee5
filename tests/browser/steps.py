"""Steps that several browser journeys take the same way, written once: opening a phone-sized browser, signing
in through the form as a person would, by the fields' French labels (a label that goes missing fails every
journey), then landing on one's home page; typing the test card that pays; and staff approving an
organisation in the admin."""

import re

from reuse.accounts.demo import DEMO_PASSWORD

PHONE = {"width": 360, "height": 780}


def phone(browser, base_url, locale="fr-FR", **options):
    """A new browser context the size of a phone (360 px wide), in French unless `locale` says otherwise;
    `options` go to the context as they are (`java_script_enabled=False`: a browser with JavaScript off)."""
    return browser.new_context(viewport=PHONE, locale=locale, base_url=base_url, **options)


def phone_page(browser, base_url, **options):
    """A page in a new phone context (see `phone`), that waits 15 s at most for what it looks for; closing
    `page.context` closes both."""
    page = phone(browser, base_url, **options).new_page()
    page.set_default_timeout(15_000)
    return page


def fill_test_card(page, postcode="93200"):
    """Type Stripe's test card that pays (4242…) into the card field of the pay page (localstripe's Stripe.js)."""
    page.wait_for_selector("#card-element input")
    page.get_by_placeholder("number").fill("4242424242424242")
    page.get_by_placeholder("exp_month").fill("12")
    page.get_by_placeholder("exp_year").fill("31")
    page.get_by_placeholder("cvc").fill("123")
    page.get_by_placeholder("postal_code").fill(postcode)


def sign_in(page, email, password=DEMO_PASSWORD):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def sign_in_to_home(page, email, role, password=DEMO_PASSWORD):
    """Sign in, and wait for the home page of `role` (its `data-role-page`) that signing in leads to."""
    sign_in(page, email, password)
    page.wait_for_selector(f"[data-role-page={role}]")


def approve_pending_organisation(page, name, check=lambda page: None):
    """Staff, signed in to the admin, approve the organisation `name` from the listing filtered on « pending »,
    through its « Approuver » action and the confirmation page; `check` (axe, say) runs on each page shown."""
    page.goto("/admin/organisations/?status=pending")
    check(page)
    page.get_by_role("button", name=re.compile(re.escape(name))).click()
    page.get_by_role("link", name="Approuver").click()
    page.get_by_role("button", name="Oui, approuver").wait_for()
    check(page)
    page.get_by_role("button", name="Oui, approuver").click()
    page.wait_for_url(re.compile(r"/admin/organisations/$"))
    check(page)
