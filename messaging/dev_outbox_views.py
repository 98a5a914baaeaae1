"""« Courriels envoyés », in development only (DEBUG on): the e-mails the portal queued,
newest first, shown at once — nobody runs the `send_pending_emails` cron on a developer's
machine, and the console would show a reset link encoded. In production (DEBUG off) the page
does not exist: the outbox's admin shows no body of a mail that carries a link.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import OutgoingEmail

SHOWN = 50


def sent_emails(request: HttpRequest) -> HttpResponse:
    if not settings.DEBUG:
        raise Http404
    emails = OutgoingEmail.objects.defer("body_html").order_by("-created_at", "-pk")[:SHOWN]
    return render(request, "messaging/dev_outbox.html", {"emails": emails, "shown": SHOWN})
