"""The demo's page texts, in French and English, one module per part of the site. Kept apart from cms/demo.py,
which builds the tree: `home_texts` (home page and how it works), `page_texts` (eligibility, FAQ, news, directory, legal
pages, menus)."""


def rt(*paragraphs: str) -> str:
    return "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)
