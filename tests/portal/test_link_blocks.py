"""The links staff place on pages (navigation, calls to action, the home page's entry points) lead somewhere:
a link with neither a page nor an address is refused on the address's field, the one staff fill in."""

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from cms.blocks.links import EntryPointBlock, LinkBlock, NavigationLinkBlock


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
