"""The links staff place on pages (navigation, calls to action, the home page's entry points) lead somewhere:
a link with neither a page nor an address is refused on the address's field, the one staff fill in."""

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from cms.blocks.links import EntryPointBlock, LinkBlock, NavigationLinkBlock
from cms.chrome import href


@pytest.mark.parametrize(
    ("block", "value", "address_field"),
    [
        (LinkBlock(), {"label": "Catalogue"}, "url"),
        (NavigationLinkBlock(), {"label": "Catalogue", "label_en": "Catalogue"}, "url"),
        (
            EntryPointBlock(),
            {"audience": "donor", "title": "Donner", "text": "Vos appareils", "link_label": "Donner"},
            "link_url",
        ),
    ],
)
def test_a_link_without_a_page_or_an_address_is_refused_on_the_address(block, value, address_field):
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python(value))
    assert list(refused.value.block_errors) == [address_field]
    assert refused.value.block_errors[address_field].messages == [
        "Choisissez une page ou indiquez une adresse."
    ]

    cleaned = block.clean(block.to_python({**value, address_field: "/catalogue/"}))
    assert cleaned[address_field] == "/catalogue/"


SCRIPT_ADDRESSES = [
    "javascript:alert(document.cookie)",
    " JaVa\tScript:alert(1)",
    "data:text/html,<script>x</script>",
]


@pytest.mark.parametrize("address", SCRIPT_ADDRESSES)
@pytest.mark.parametrize(
    ("block", "value", "address_field"),
    [
        (NavigationLinkBlock(), {"label": "Catalogue"}, "url"),
        (
            EntryPointBlock(),
            {"audience": "donor", "title": "Donner", "text": "Vos appareils", "link_label": "Donner"},
            "link_url",
        ),
    ],
)
def test_an_editors_link_runs_no_script(block, value, address_field, address):
    """A link block took « javascript:… » and the public pages printed it in href: rich text's links were checked,
    the navigation's, the calls to action's and the entry points' were not."""
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({**value, address_field: address}))
    assert refused.value.block_errors[address_field].messages == [
        "Adresse refusée : un lien commence par /, https://, mailto: ou tel:."
    ]
    # What was stored before the rule is not printed either.
    assert href({address_field: address}) == ""
    for fine in ("/catalogue/", "https://example.org/", "mailto:contact@example.org", "tel:+33100000000"):
        assert href({address_field: fine}) == fine
        block.clean(block.to_python({**value, address_field: fine}))


@pytest.mark.django_db
@pytest.mark.parametrize("address", SCRIPT_ADDRESSES)
def test_the_banner_link_runs_no_script(client, address):
    from django.core.exceptions import ValidationError
    from wagtail.models import Site

    from cms.models import SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.banner_link = address
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert list(refused.value.message_dict) == ["banner_link"]
    settings.banner_link = "/actualites/"
    settings.full_clean()
    # A banner saved before the rule shows its text without the link.
    SiteSettings.objects.filter(pk=settings.pk).update(
        banner_active=True, banner_text="Fermeture le 15 août", banner_link=address
    )
    page = client.get("/").content.decode()
    assert "Fermeture le 15 août" in page and "script:" not in page.lower() and "data:text" not in page
