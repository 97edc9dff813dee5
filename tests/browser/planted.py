"""A tiny web server for pages planted with one problem each, served from a folder, so that a check of the
every-page walks is seen to find what it looks for (tests/browser/test_crawl_checks.py,
tests/browser/test_beyond_axe_checks.py)."""

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):  # a form sent here is answered with its page again, as a refusal without any summary
        self.do_GET()


@contextlib.contextmanager
def served(directory):
    """The folder's files at the address yielded, for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
