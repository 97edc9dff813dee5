"""What axe-core does not see, checked on a page the way a person meets it (RGAA 4.1 / WCAG 2.1 AA):

- 1.4.12 text spacing: the CSS of the W3C's text-spacing bookmarklet (line-height 1.5, paragraphs 2em apart,
  letters 0.12em, words 0.16em) put in the page; no box that hides its overflow cuts its text, the page stays
  within the screen (1.4.10);
- forced colours (Windows high contrast, `forced-colors: active`): backgrounds and shadows are dropped there, so
  a button, a badge or a message keeps a border, and the focus an outline;
- 2.4.7 and 2.4.3: the keyboard's Tab goes through the page in the document's order (no positive tabindex),
  each stop shown and with a visible outline;
- 2.4.2: a title of its own, that names the page's heading and the site;
- 2.5.8: buttons and form controls at least 24 px;
- 4.1.3: the messages a page shows after an action are in a live region;
- 2.3.3 (with `prefers-reduced-motion: reduce`): nothing moves.

`check(page, url, result)` is given to tests/browser/crawl.walk, which calls it on every page it opens.
"""

from urllib.parse import urlparse

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# The bookmarklet's rules (https://www.html5accessibility.com/tests/tsbookmarklet.html, the one WCAG's
# Understanding 1.4.12 points to), with !important as it writes them.
TEXT_SPACING_CSS = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
    " p { margin-bottom: 2em !important; }"
)
TITLE_SEPARATOR = " — "

CLIPPED_JS = """() => Array.from(document.querySelectorAll('body *')).filter(e => {
    const s = getComputedStyle(e);
    const hides = ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflowY);
    if (!hides || !e.clientWidth || !e.clientHeight || e.clientWidth <= 2) return false;  // 1 px: visually-hidden
    if (!(e.innerText || '').trim()) return false;
    return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;
  }).slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
    + ' « ' + (e.innerText || '').trim().slice(0, 30) + ' »')"""

# Borders survive forced colours; a background does not. Native checkboxes and radios are drawn by the system.
FORCED_JS = """() => {
  const shown = e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden';
  const framed = e => { const s = getComputedStyle(e);
    return ['Top', 'Right', 'Bottom', 'Left'].some(side => s['border' + side + 'Style'] !== 'none'
      && parseFloat(s['border' + side + 'Width']) >= 1) || s.textDecorationLine.includes('underline'); };
  const boxes = 'button, .button, [role=button], input[type=submit], .badge, .message, .callout, .handover-code';
  return Array.from(document.querySelectorAll(boxes)).filter(e => shown(e) && !framed(e)).slice(0, 4)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
      + ' « ' + (e.innerText || e.value || '').trim().slice(0, 30) + ' »');
}"""

# Recorded from the page's start (an init script): each element the Tab key reached, with what shows its focus.
FOCUS_LOG_JS = """window.__focusLog = [];
document.addEventListener('focusin', event => {
  const e = event.target, s = getComputedStyle(e), r = e.getBoundingClientRect();
  window.__focusLog.push({
    name: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' « '
      + (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 30) + ' »',
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    height: r.height, width: r.width, skip: e.classList.contains('skip-link'),
    visible: e.matches(':focus-visible')});
}, true);"""
FOCUSABLE_COUNT_JS = """() => Array.from(document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
  .filter(e => !e.disabled && e.getClientRects().length).length"""
POSITIVE_TABINDEX_JS = """() => Array.from(document.querySelectorAll('[tabindex]'))
  .filter(e => e.tabIndex > 0).map(e => e.tagName.toLowerCase() + ' tabindex=' + e.tabIndex)"""

# 2.5.8: a button or a form's control smaller than 24 × 24 px whose 24 px square, centred on it, overlaps
# another target (the spacing exception); a link within a sentence is exempt.
SMALL_TARGETS_JS = """() => {
  const all = Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary'))
    .filter(e => e.getClientRects().length);
  const near = (e, r) => { const x = r.left + r.width / 2, y = r.top + r.height / 2;
    return all.some(o => { if (o === e || o.contains(e) || e.contains(o)) return false;
      const q = o.getBoundingClientRect();
      return q.left < x + 12 && q.right > x - 12 && q.top < y + 12 && q.bottom > y - 12; }); };
  return Array.from(document.querySelectorAll('button, .button, input:not([type=hidden]), select, summary, form a'))
    .filter(e => e.getClientRects().length && !(e.tagName === 'A' && e.closest('p') && !e.classList.contains('button')))
    .filter(e => { const r = e.getBoundingClientRect(); return (r.width < 24 || r.height < 24) && near(e, r); })
    .slice(0, 4).map(e => { const r = e.getBoundingClientRect(); return e.tagName.toLowerCase()
      + (e.className ? '.' + e.className : '') + ' « ' + (e.innerText || e.value || e.name || '').trim().slice(0, 30)
      + ' » ' + Math.round(r.width) + '×' + Math.round(r.height); });
}"""

TITLE_JS = """() => ({title: document.title, h1: (document.querySelector('h1') || {}).innerText || '',
  lang: document.documentElement.lang})"""

SILENT_MESSAGES_JS = """() => Array.from(document.querySelectorAll('.messages, [data-status-message]'))
  .filter(e => !e.closest('[role=status], [role=alert], [aria-live]:not([aria-live=off])'))
  .slice(0, 3).map(e => (e.innerText || '').trim().slice(0, 40))"""

MOVING_JS = """() => Array.from(document.querySelectorAll('*')).filter(e => {
    const s = getComputedStyle(e), long = v => v.split(',').some(d => parseFloat(d) > 0.01);
    return (long(s.transitionDuration) && s.transitionProperty !== 'none') || (s.animationName !== 'none'
      && long(s.animationDuration)) || s.scrollBehavior === 'smooth';
  }).slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""


def prepare(context) -> None:
    """Record focus from the first byte of every page the context opens."""
    context.add_init_script(script=FOCUS_LOG_JS)


class Checks:
    """Every check above, on each page a walk opens; remembers titles to find two pages that share one."""

    def __init__(self, site_name="Rebond", tabs=80, forms=True):
        self.site_name = site_name
        self.tabs = tabs
        self.forms = forms
        self.titles = {}

    def __call__(self, page, url, result):
        self.title(page, url, result)
        for kind, script in (
            ("forced colours", FORCED_JS),
            ("target size", SMALL_TARGETS_JS),
            ("status message", SILENT_MESSAGES_JS),
            ("motion", MOVING_JS),
        ):
            found = page.evaluate(script)
            if found:
                result.add(url, kind, "; ".join(found))
        self.text_spacing(page, url, result)
        self.keyboard(page, url, result)
        if self.forms:
            refused_forms(page, url, result)

    def title(self, page, url, result):
        seen = page.evaluate(TITLE_JS)
        title, h1 = seen["title"].strip(), " ".join(seen["h1"].split())
        if not title.endswith(TITLE_SEPARATOR + self.site_name) or title == self.site_name:
            result.add(url, "title", f"{title!r} does not end with « — {self.site_name} »")
        elif h1 and not title.removesuffix(TITLE_SEPARATOR + self.site_name).strip():
            result.add(url, "title", f"{title!r} says nothing of the page {h1!r}")
        path = urlparse(url).path  # pages of a list (?cursor=, ?page=) are one page
        first = self.titles.setdefault(title, path)
        if first != path:
            result.add(url, "title", f"{title!r} is also the title of {first}")
        if seen["lang"] not in ("fr", "en"):
            result.add(url, "lang", f"<html lang={seen['lang']!r}>")

    def text_spacing(self, page, url, result):
        handle = page.add_style_tag(content=TEXT_SPACING_CSS)
        try:
            clipped = page.evaluate(CLIPPED_JS)
            if clipped:
                result.add(url, "text spacing", "; ".join(clipped))
            width = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            if width > 0:
                result.add(url, "text spacing", f"the page is {width} px wider than the screen")
        finally:
            handle.evaluate("e => e.remove()")

    def keyboard(self, page, url, result):
        positive = page.evaluate(POSITIVE_TABINDEX_JS)
        if positive:
            result.add(url, "focus order", ", ".join(positive))
        stops = min(page.evaluate(FOCUSABLE_COUNT_JS) + 1, self.tabs)
        page.evaluate(
            "() => { document.activeElement && document.activeElement.blur(); window.__focusLog = []; }"
        )
        for _ in range(stops):
            page.keyboard.press("Tab")
        if page.url.split("#")[0] != url.split("#")[0]:
            return  # a stop that navigates (none should): the page is gone, its log with it
        log = page.evaluate("() => window.__focusLog || []")
        # Past the last stop the focus leaves for the browser's own bar and comes back to the top: one round only.
        wrapped = next((i for i, stop in enumerate(log) if i and stop["skip"]), len(log))
        log = log[:wrapped]
        unseen = [stop["name"] for stop in log if not (stop["outline"] and stop["visible"])]
        if unseen:
            result.add(url, "focus visible", "; ".join(unseen[:4]))
        hidden = [stop["name"] for stop in log if not (stop["width"] and stop["height"])]
        if hidden:
            result.add(url, "focus order", "focus on something not shown: " + "; ".join(hidden[:4]))


# Forms whose refusal can be seen without writing anything: posted, with a required box to type in.
REFUSABLE_FORMS_JS = """() => Array.from(document.forms).map((form, index) => ({form, index}))
  .filter(({form}) => form.method === 'post' && form.querySelector(
    'input[required]:is([type=text], [type=email], [type=tel], [type=number], [type=date], [type=password],'
    + ' [type=url], [type=search], :not([type])), textarea[required]'))
  .map(({index}) => index)"""
SUBMIT_EMPTY_JS = """index => { const form = document.forms[index];
  form.querySelectorAll('input[required]:is([type=text], [type=email], [type=tel], [type=number], [type=date],'
    + ' [type=password], [type=url], [type=search], :not([type])), textarea[required]')
    .forEach(e => { e.value = ''; });
  const button = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
  if (button) button.click(); else form.requestSubmit(); }"""
# RGAA 11.10 / 11.11: the summary has the focus and links to each wrong field, which says it is wrong and is
# described by its error.
REFUSAL_JS = """() => {
  const problems = [], summary = document.getElementById('form-errors');
  if (!summary) return ['no error summary (#form-errors) after a refused submit'];
  if (document.activeElement !== summary && !document.activeElement.hasAttribute('data-scan')) problems.push('the focus is on '
    + document.activeElement.tagName.toLowerCase() + ', not on the error summary');
  if (!summary.closest('[role=alert], [aria-live]') && summary.getAttribute('role') !== 'alert')
    problems.push('the error summary is not announced (role=alert)');
  const fields = new Set(document.querySelectorAll('[aria-invalid=true]'));
  summary.querySelectorAll('a[href^="#"]').forEach(a => {
    const target = document.getElementById(a.getAttribute('href').slice(1));
    if (!target) problems.push('the summary links to nothing: ' + a.getAttribute('href'));
    else if (!fields.has(target) && !target.closest('fieldset[aria-describedby]'))
      problems.push(a.getAttribute('href') + ' has no aria-invalid');
  });
  fields.forEach(field => {
    const owner = field.getAttribute('aria-describedby') ? field : field.closest('fieldset[aria-describedby]');
    const ids = owner ? owner.getAttribute('aria-describedby').split(/\\s+/) : [];
    const described = ids.map(id => document.getElementById(id)).filter(Boolean)
      .some(e => e.matches('.error, .errorlist, [id$=_error]') && e.innerText.trim());
    if (!described) problems.push('#' + field.id + ' is not described by its error');
  });
  return problems;
}"""


def refused_forms(page, url, result, limit=2):
    """Each posted form of the page sent with its required boxes empty: the refusal takes the focus, links to
    the fields, and each field says it is wrong and why (the page is opened again for each form)."""
    forms = page.evaluate(REFUSABLE_FORMS_JS)[:limit]
    for index in forms:
        page.goto(url)
        page.evaluate("() => { window.__unsent = true; }")
        page.evaluate(SUBMIT_EMPTY_JS, index)
        try:
            page.wait_for_function("() => !window.__unsent", timeout=5_000)
        except PlaywrightTimeout:
            result.add(url, "form refusal", f"form {index}: sent empty, the page did not answer")
            continue
        page.wait_for_load_state()
        problems = page.evaluate(REFUSAL_JS)
        if problems:
            result.add(url, "form refusal", f"form {index}: " + "; ".join(problems[:4]))
    if forms:
        page.goto(url)
