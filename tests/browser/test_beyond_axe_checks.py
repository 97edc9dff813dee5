"""Each check of tests/browser/beyond_axe.py finds its problem on a page planted with it, and nothing on a sound
page: a check that saw nothing would let every page of tests/browser/test_every_page_beyond_axe.py through."""

import pytest

from tests.browser import beyond_axe
from tests.browser.crawl import walk
from tests.browser.planted import served

HEAD = '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
HEAD += '<meta name="viewport" content="width=device-width"><style>:focus-visible {{ outline: 3px solid; }}'
HEAD += "button {{ border: 2px solid; min-height: 44px; }}</style></head><body><main><h1>{h1}</h1>"
SOUND = '<a href="/">Accueil</a> <div class="messages" role="status"><p>Enregistré.</p></div>'
# file: (title, heading, body)
PAGES = {
    "index.html": (
        "Accueil — Rebond",
        "Accueil",
        " ".join(
            f'<a href="/{name}">{name}</a>'
            for name in (
                "bon.html",
                "coupe.html",
                "fond.html",
                "contour.html",
                "ordre.html",
                "titre.html",
                "titre-bis.html",
                "petit.html",
                "muet.html",
                "bouge.html",
                "refus.html",
                "autre-titre.html",
            )
        ),
    ),
    "bon.html": ("Bon — Rebond", "Bon", SOUND + '<form method="get"><button>Chercher</button></form>'),
    "coupe.html": (
        "Coupé — Rebond",
        "Coupé",
        '<a href="/">Accueil</a><div style="height: 20px; overflow: hidden;'
        ' line-height: 20px">Un texte qui tient sur sa ligne</div>',
    ),
    "fond.html": (
        "Fond — Rebond",
        "Fond",
        '<a href="/">Accueil</a> <button style="border: 0; background: #0b5c47;'
        ' color: #fff">Valider</button>',
    ),
    "contour.html": ("Contour — Rebond", "Contour", '<a href="/" style="outline: none">Accueil</a>'),
    "ordre.html": (
        "Ordre — Rebond",
        "Ordre",
        '<a href="/">Accueil</a> <a href="/bon.html" tabindex="3">Bon</a>',
    ),
    "titre.html": ("Pareil — Rebond", "Pareil", '<a href="/">Accueil</a>'),
    "titre-bis.html": ("Pareil — Rebond", "Pareil", '<a href="/">Accueil</a>'),
    "autre-titre.html": ("Rebond", "Une page", '<a href="/">Accueil</a>'),
    "petit.html": (
        "Petit — Rebond",
        "Petit",
        '<a href="/">Accueil</a> <form method="get"><button style="padding: 0;'
        ' min-height: 0; font-size: 10px; line-height: 1">x</button><button style="padding: 0; min-height: 0;'
        ' font-size: 10px; line-height: 1">y</button></form>',
    ),
    "muet.html": (
        "Muet — Rebond",
        "Muet",
        '<a href="/">Accueil</a> <div class="messages"><p>Enregistré.</p></div>',
    ),
    "bouge.html": (
        "Bouge — Rebond",
        "Bouge",
        '<a href="/">Accueil</a> <p style="transition: opacity 2s">Là</p>',
    ),
    "refus.html": (
        "Refus — Rebond",
        "Refus",
        '<a href="/">Accueil</a> <form method="post" action="/refus.html"'
        ' novalidate><label for="a">Nom</label><input id="a" name="a" required><button>Envoyer</button>'
        "</form>",
    ),
}


@pytest.fixture
def planted(tmp_path):
    for name, (title, h1, body) in PAGES.items():
        (tmp_path / name).write_text(
            HEAD.format(title=title, h1=h1) + body + "</main></body></html>", encoding="utf-8"
        )
    with served(tmp_path) as address:
        yield address


def test_each_check_finds_its_planted_problem_and_nothing_on_a_sound_page(browser, planted):
    context = browser.new_context(
        viewport={"width": 320, "height": 640},
        base_url=planted,
        forced_colors="active",
        reduced_motion="reduce",
    )
    beyond_axe.prepare(context)
    try:
        result = walk(context.new_page(), planted, "anonymous", None, checks=[beyond_axe.Checks()])
    finally:
        context.close()
    found = {(problem.url.removeprefix(planted), problem.kind) for problem in result.problems}
    details = "\n".join(str(problem) for problem in result.problems)
    for expected in [
        ("/coupe.html", "text spacing"),
        ("/fond.html", "forced colours"),
        ("/contour.html", "focus visible"),
        ("/ordre.html", "focus order"),
        ("/titre-bis.html", "title"),
        ("/autre-titre.html", "title"),
        ("/petit.html", "target size"),
        ("/muet.html", "status message"),
        ("/bouge.html", "motion"),
        ("/refus.html", "form refusal"),
    ]:
        assert expected in found, f"{expected} not found:\n{details}"
    assert f"{planted}/bon.html" in result.visited
    assert not [problem for problem in result.problems if problem.url.endswith("/bon.html")], details
