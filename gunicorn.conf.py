"""Gunicorn's settings, read by `gunicorn portail.wsgi` when started from the checkout
(gunicorn reads ./gunicorn.conf.py by default; `-c` names another file)."""

from gunicorn.http import wsgi

# No "Server: gunicorn" on every answer: it tells a scanner which server and which of its
# flaws to try. Gunicorn has no setting to leave the header out, so its response drops the
# line from the headers it writes itself (the application never sets one).
_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self) -> list[str]:
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


if not getattr(wsgi.Response.default_headers, "portail_without_server", False):
    _default_headers_without_server.portail_without_server = True
    wsgi.Response.default_headers = _default_headers_without_server
