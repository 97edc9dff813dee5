"""One place for each thing (issue 15): views turn domain errors into messages the shared way, benchmark code lives
in reuse/bench/, test factories in tests/factories/. Read from the code with `ast`, nothing run."""

import ast
import re
from pathlib import Path

from tests.test_one_way import ROOT, sources

# --- views: a domain error becomes a message through reuse.views.domain_errors --------------------------------------

DOMAIN_ERRORS = {
    "DomainError",
    "InvalidInput",
    "Forbidden",
    "NotFound",
    "Conflict",
    "IllegalTransition",
    "Unavailable",
    "TemporarilyUnavailable",
    "TooLarge",
}
VIEW_MODULE = re.compile(
    r"(^|/)(views|admin_views|admin_\w+|wagtail_hooks)(\.py$|/)|^inventory/donor_reports/documents\.py$"
)


def _own_nodes(function):
    """The nodes of a function, without those of the functions defined inside it."""
    for child in ast.iter_child_nodes(function):
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield child
            yield from _own_nodes(child)


def hand_caught(tree: ast.AST) -> list[str]:
    """The functions of a view module that catch a domain error themselves (`except DomainError`), by name."""
    found = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in _own_nodes(function):
                if isinstance(node, ast.ExceptHandler) and node.type is not None:
                    names = {ast.unparse(part).split(".")[-1] for part in ast.walk(node.type)}
                    if names & DOMAIN_ERRORS:
                        found.append(function.name)
    return found


# Views that still catch by hand. A status of its own, a field chosen by the error's code or a page of its own
# no longer need it (domain_errors' `fields`, `outcome.status`, and no request: the view shows `outcome.error`).
# Those left answer a repeated request as the first, or turn the error into something else (a form's
# ValidationError, the counter's own refusal page); the list only shrinks: a view added to it fails the test.
HAND_CAUGHT_TO_REMOVE = {
    # Used already: what the first use did, else the message at 410.
    ("reuse/accounts/views.py", "confirm_email"),
    # A Wagtail form's clean(): the refusal becomes a ValidationError.
    ("reuse/accounts/wagtail_hooks.py", "clean"),
    # A device taken meanwhile shows a page of its own (taken by you, or by someone else), inside domain_errors.
    ("reuse/claims/views/catalogue.py", "claim_device"),
    # A second press answered as the first (cancelled already, on the list already), inside domain_errors.
    ("reuse/claims/views/claims.py", "cancel"),
    ("reuse/claims/views/claims.py", "waitlist"),
    # A picked device gone says « cocher à nouveau » rather than the service's words.
    ("reuse/claims/views/partners.py", "association_dashboard"),
    # The counter's refusal page (partners.handover_refused) reads the error and the claim's state.
    ("reuse/claims/views/partners.py", "handover_confirm"),
    # Answered again after a double tap, inside domain_errors (as cancel and waitlist above).
    ("reuse/eligibility/views/households.py", "answer_mandate"),
    ("reuse/tripod/views.py", "handover_confirm"),
}


def test_views_turn_domain_errors_into_messages_the_shared_way():
    found = {
        (path, name)
        for path, tree in sources("reuse/views.py")
        if VIEW_MODULE.search(path)
        for name in hand_caught(tree)
    }
    assert sorted(found - HAND_CAUGHT_TO_REMOVE) == [], "Use reuse.views.domain_errors in these views"
    assert sorted(HAND_CAUGHT_TO_REMOVE - found) == [], "No longer caught by hand: take them off the list"


def test_the_view_check_sees_a_hand_catch():
    source = (
        "def pay(request):\n    try:\n        go()\n    except errors.Conflict as exc:\n        show(exc)\n"
    )
    assert hand_caught(ast.parse(source)) == ["pay"]
    assert not hand_caught(ast.parse("def pay(request):\n    with domain_errors(request):\n        go()\n"))


# --- benchmark code lives in reuse/bench/ ------------------------------------------------------------------------


def benchmark_code(tree: ast.AST) -> list[tuple[int, str]]:
    """Functions and classes that say they serve the benchmarks (their docstring or name)."""
    return [
        (node.lineno, node.name)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and re.search(r"benchmark", f"{node.name} {ast.get_docstring(node) or ''}", re.IGNORECASE)
    ]


def test_benchmark_code_lives_in_reuse_bench():
    # reuse/management/ is the wiring: seed_demo's --devices hands over to reuse.bench.
    found = [
        f"{path}:{line}: {name}"
        for path, tree in sources("reuse/management/")
        for line, name in benchmark_code(tree)
    ]
    assert found == [], "Move it to reuse/bench/:\n" + "\n".join(found)


# --- test factories: one per model, in tests/factories/ -----------------------------------------------------------


def factories(root: Path = ROOT / "tests") -> list[tuple[str, str, str]]:
    """(file, factory, model) for every factory_boy class of the suite."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any("Factory" in ast.unparse(base) for base in node.bases):
                meta = next(
                    (item for item in node.body if isinstance(item, ast.ClassDef) and item.name == "Meta"),
                    None,
                )
                model = next(
                    (
                        ast.unparse(item.value)
                        for item in (meta.body if meta else [])
                        if isinstance(item, ast.Assign) and ast.unparse(item.targets[0]) == "model"
                    ),
                    "",
                )
                found.append((path.relative_to(root.parent).as_posix(), node.name, model))
    return found


def test_one_factory_per_model_and_all_in_tests_factories():
    found = factories()
    assert len(found) > 20  # the walk found the factories
    elsewhere = [f"{path}: {name}" for path, name, _model in found if not path.startswith("tests/factories/")]
    models = [model for _path, _name, model in found if model]
    twice = sorted({model for model in models if models.count(model) > 1})
    assert (elsewhere, twice) == ([], []), "Factories outside tests/factories/, models with two factories"


def test_the_factory_check_sees_a_factory_out_of_place(tmp_path):
    (tmp_path / "tests" / "claims").mkdir(parents=True)
    (tmp_path / "tests" / "claims" / "test_x.py").write_text(
        "class DeviceFactory(factory.django.DjangoModelFactory):\n    class Meta:\n        model = Device\n"
    )
    assert factories(tmp_path / "tests") == [("tests/claims/test_x.py", "DeviceFactory", "Device")]


# --- files handed out: through reuse.views.served_file / private_download / private_file_response ------------------

# Where a file response is built: the shared helpers, public media (reuse/media.py: its own cacheable rule, the same
# sandbox), the API's replay of a stored answer (reuse/api_retries.py: a JSON body, never a file) and the middleware
# that reads the header to sandbox the files of views Rebond did not write (reuse/middleware.py).
FILE_ANSWERS_MADE_IN = ("reuse/views.py", "reuse/media.py", "reuse/api_retries.py", "reuse/middleware.py")


def file_answers(tree: ast.AST) -> list[tuple[int, str]]:
    """A file answer built by hand: a FileResponse or StreamingHttpResponse, an HttpResponse given a content type
    other than a page's, or a Content-Disposition header written."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] in (
            "FileResponse",
            "StreamingHttpResponse",
        ):
            found.append((node.lineno, ast.unparse(node.func)))
        elif isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == "HttpResponse":
            kinds = [k.value for k in node.keywords if k.arg == "content_type"]
            if any(not (isinstance(k, ast.Constant) and str(k.value).startswith("text/html")) for k in kinds):
                found.append((node.lineno, ast.unparse(node)[:80]))
        elif isinstance(node, ast.Constant) and str(node.value).lower() == "content-disposition":
            found.append((node.lineno, "Content-Disposition"))
    return found


def test_files_are_handed_out_the_shared_way():
    found = [
        f"{path}:{line}: {what}"
        for path, tree in sources(*FILE_ANSWERS_MADE_IN)
        for line, what in file_answers(tree)
        if path != "reuse/urls.py" or "text/plain" not in what  # robots.txt, a public page of text
    ]
    assert found == [], "Hand the file out with reuse.views.private_download (or served_file):\n" + "\n".join(
        found
    )


def test_the_file_check_sees_a_download_built_by_hand():
    tree = ast.parse(
        "def sheet(request):\n"
        "    response = HttpResponse(pdf, content_type='application/pdf')\n"
        "    response['Content-Disposition'] = 'attachment; filename=\"a.pdf\"'\n"
        "    return response\n"
    )
    assert [line for line, _ in file_answers(tree)] == [2, 3]
