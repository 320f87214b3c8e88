"""gunicorn's sync worker, answering the requests it refuses itself (a request line over
limit_request_line, headers over their limits, a malformed request) with a page of the
site's, in its language, instead of gunicorn's English one."""

from __future__ import annotations

from functools import lru_cache

from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.sync import SyncWorker


@lru_cache(maxsize=8)
def refusal_page(status: int) -> bytes:
    """The page for a request refused before the app saw it (rendered once a worker)."""
    from django.test import RequestFactory
    from django.utils import translation
    from django.utils.translation import gettext as _

    from archive.errors import page

    with translation.override("zh-hans"):
        if status == 414:
            title, message = _("Address too long"), _("This address is too long for the archive to read.")
        elif status == 431:
            title, message = _("Request too large"), _("The request's headers are too large for the archive to read.")
        else:
            title, message = _("Bad request"), _("The archive cannot read this request.")
        try:
            return page(RequestFactory().get("/"), status, title, message).content
        except Exception:  # no collected static files, say: the page without the site's frame
            return (
                f'<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{title}</title></head>'
                f'<body><h1>{title}</h1><p>{message}</p><p><a href="/">{_("Go to the home page")}</a></p></body></html>'
            ).encode()


class ArchiveWorker(SyncWorker):
    def handle_error(self, req, client, addr, exc):
        status = {LimitRequestLine: 414, LimitRequestHeaders: 431}.get(type(exc))
        if status is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("refused a request from %s: %s", (addr or ("",))[0], exc)
        body = refusal_page(status)
        reason = {414: "URI Too Long", 431: "Request Header Fields Too Large"}[status]
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("latin-1")
        try:
            _drain(client)
            client.sendall(head + body)
        except OSError:
            self.log.debug("could not send the refusal page")


DRAIN_BYTES = 1 << 20


def _drain(client) -> None:
    """Read the rest of the refused request (up to 1 MB, for a second), so that closing the
    connection does not reset it before the client has read the page."""
    client.settimeout(1.0)
    read, tail = 0, b""
    while read < DRAIN_BYTES and b"\r\n\r\n" not in tail:
        chunk = client.recv(65536)
        if not chunk:
            return
        read += len(chunk)
        tail = (tail + chunk)[-4:]
