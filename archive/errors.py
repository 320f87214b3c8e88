"""Errors as a reader meets them: pages in the site's style and language, JSON under /api/.

Every response of 400 and more under /api/ is JSON ({"error", "status"}); elsewhere it is
a page of the site. Read-only pages answer other methods than GET and HEAD with 405; a
CSRF failure in the admin gets a page of the site's, not Django's English one.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
# Longer request lines are refused before they reach the app (archive/workers.py, gunicorn).
LONGEST_REQUEST_LINE = 8190


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, message: str = "") -> JsonResponse:
    return JsonResponse(
        {"error": message or _(HTTPStatus(status).phrase), "status": status},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def page(request, status: int, title: str, message: str):
    return render(request, "error.html", {"title": title, "message": message, "status": status}, status=status)


def bad_request(request, exception=None):
    if is_api(request):
        return json_error(400, _("The request cannot be read."))
    return page(request, 400, _("Bad request"), _("The archive cannot read this request."))


def permission_denied(request, exception=None):
    if is_api(request):
        return json_error(403, _("Not allowed."))
    return page(request, 403, _("Not allowed"), _("This page is not open to you."))


def not_found(request, exception=None):
    if is_api(request):
        return json_error(404, _("Nothing at this address."))
    return render(request, "404.html", status=404)


def server_error(request):
    if is_api(request):
        return json_error(500, _("The archive could not answer this time."))
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    """A form sent without its security token (an old page, cookies refused)."""
    return page(
        request,
        403,
        _("The form has expired"),
        _(
            "The form was sent without its security token: the page may have been open too long, or the "
            "browser refuses cookies. Go back, reload the page and send the form again."
        ),
    )


class ErrorsInKind:
    """Middleware: /api/ errors as JSON; read-only pages refuse other methods with 405; a NUL
    character in the path is a 404 and in a parameter a 400, before any database sees it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        if "\x00" in request.path:  # no page of the archive is named with a NUL
            return not_found(request)
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return bad_request(request)  # PostgreSQL cannot even compare a text with a NUL
        if request.method not in READ_METHODS and not request.path.startswith(self.admin_prefix):
            if is_api(request):
                response = json_error(405, _("Only GET and HEAD are answered here."))
                response["Allow"] = "GET, HEAD"
                return response
            response = HttpResponseNotAllowed(["GET", "HEAD"])
            response.content = page(
                request, 405, _("Method not allowed"), _("This page is only read: it answers GET and HEAD.")
            ).content
            response["Content-Type"] = "text/html; charset=utf-8"
            return response
        response = self.get_response(request)
        if (
            is_api(request)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return json_error(response.status_code)
        return response
