"""An image an editor places says what it shows, or is said decorative on purpose: an empty alternative left by
oversight hides the information from a blind household (WCAG 1.1.1, RGAA 1.2/1.3), and the editor is told why,
in French, on the alternative's field."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as Picture
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.models import Image

from cms.blocks import ImageBlock
from cms.models import HomePage, NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


def _image() -> Image:
    """A photo as Pillow writes a PNG (pillow.readthedocs.io, "Image file formats: PNG")."""
    data = io.BytesIO()
    Picture.new("RGB", (1200, 800), (30, 120, 90)).save(data, "PNG")
    return Image.objects.create(title="Atelier", file=ImageFile(data, name="atelier.png"))


def test_an_image_block_without_a_description_nor_said_decorative_is_refused_on_its_description():
    block = ImageBlock()
    image = _image()
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({"image": image.pk, "alt": "", "caption": ""}))
    assert list(refused.value.block_errors) == ["alt"]
    assert "décorative" in refused.value.block_errors["alt"].messages[0]

    described = block.clean(
        block.to_python({"image": image.pk, "alt": "Une technicienne répare un portable"})
    )
    assert 'alt="Une technicienne répare un portable"' in block.render(described)

    decorative = block.clean(block.to_python({"image": image.pk, "alt": "", "decorative": True}))
    html = block.render(decorative)
    assert 'alt=""' in html and 'width="' in html and 'height="' in html and "srcset=" in html


def test_a_news_image_without_a_description_nor_said_decorative_is_refused_on_its_description(db):
    home = HomePage.objects.get(locale__language_code="fr")
    index = home.add_child(instance=NewsIndexPage(title="Actualités", slug="actualites"))
    article = NewsPage(title="Ouverture", slug="ouverture-alt", image=_image(), image_alt="")
    with pytest.raises(ValidationError) as refused:
        index.add_child(instance=article)
    assert "décorative" in refused.value.message_dict["image_alt"][0]
