"""« Nous contacter », the town hall's side: services, and the threads with families.

Staff read a thread on its change page (which marks it read) and answer there with the
"Répondre" field: the answer goes through `reply_as_staff`, to the family's inbox.

A thread is for the staff of its service: every page, count, filter and download here goes
through `Thread.objects.visible_to(user)`; another service's thread is a 404. Only a
superuser sets which staff group a service is for.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .contact import reply_as_staff
from .files import serve_private
from .models import PostAttachment, Service, Thread, ThreadPost

# What staff may change on a thread; its posts are never rewritten.
EDITABLE = ("service", "awaiting_staff", "closed")
UNREAD_BY_STAFF = Q(awaiting_staff=True) & (
    Q(staff_read_at__isnull=True) | Q(staff_read_at__lt=F("last_post_at"))
)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "staff_group", "active", "position", "awaiting_threads")
    list_editable = ("active", "position")
    list_select_related = ("staff_group",)
    search_fields = ("name",)
    fields = ("name", "email", "staff_group", "active", "position")

    def get_queryset(self, request):
        # Counts only the threads this user reads: another service's stay out of sight.
        readable = Thread.objects.visible_to(request.user).values("pk")
        awaiting = Q(threads__awaiting_staff=True, threads__in=readable)
        return super().get_queryset(request).annotate(awaiting=Count("threads", filter=awaiting))

    def get_readonly_fields(self, request, obj=None):
        # Who reads a service's threads is a privilege: a clerk cannot give it to themselves.
        return () if request.user.is_superuser else ("staff_group",)

    @admin.display(description=_("échanges en attente de réponse"), ordering="awaiting")
    def awaiting_threads(self, service: Service):
        url = reverse("admin:messaging_thread_changelist")
        return format_html(
            '<a href="{}?service__id__exact={}&amp;awaiting_staff__exact=1">{}</a>',
            url,
            service.pk,
            service.awaiting,
        )


class UnreadByStaffFilter(admin.SimpleListFilter):
    title = _("Non lus par la mairie")
    parameter_name = "non_lu"

    def lookups(self, request, model_admin):
        return [("oui", _("Non lus")), ("non", _("Lus"))]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(UNREAD_BY_STAFF)
        if self.value() == "non":
            return queryset.exclude(UNREAD_BY_STAFF)
        return queryset


class PostInline(admin.TabularInline):
    """The posts of the thread, oldest first, as they were written: read-only."""

    model = ThreadPost
    extra = 0
    can_delete = False
    fields = ("created_at", "written_by", "text", "attachment_links")
    readonly_fields = fields
    verbose_name_plural = _("messages de l'échange")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("author", "thread__service")
            .prefetch_related(
                Prefetch("attachments", queryset=PostAttachment.objects.order_by("pk"))
            )
        )

    @admin.display(description=_("de"))
    def written_by(self, post: ThreadPost) -> str:
        author = post.author.get_full_name() if post.author else ""
        if post.from_staff:
            return f"{post.thread.service.name} ({author})" if author else post.thread.service.name
        return f"Famille — {author}" if author else "Famille"

    @admin.display(description=_("message"))
    def text(self, post: ThreadPost) -> str:
        return linebreaksbr(post.body)

    @admin.display(description=_("pièces jointes"))
    def attachment_links(self, post: ThreadPost):
        return (
            format_html_join(
                mark_safe("<br>"),  # noqa: S308
                '<a href="{}">{}</a>',
                (
                    (
                        reverse("admin:messaging_thread_attachment", args=[post.thread_id, a.pk]),
                        a.name,
                    )
                    for a in post.attachments.all()
                ),
            )
            or "—"
        )


class ThreadAdminForm(forms.ModelForm):
    reply = forms.CharField(
        label=_("Répondre"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_(
            "Votre réponse est ajoutée à l'échange et envoyée à la famille, dans sa boîte de "
            "réception et par e-mail. Laissez vide pour ne rien envoyer."
        ),
    )

    class Meta:
        model = Thread
        fields = EDITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page remembers the values it showed, so that saving writes only what staff
        # changed, not a stale state over a family post that arrived meanwhile.
        for name in EDITABLE:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True

    def clean_reply(self) -> str:
        return self.cleaned_data["reply"].strip()


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    form = ThreadAdminForm
    list_display = (
        "subject",
        "family",
        "service",
        "last_post_at",
        "awaiting_staff",
        "unread",
        "closed",
    )
    list_filter = ("service", "awaiting_staff", UnreadByStaffFilter, "closed")
    list_select_related = ("family", "service")
    search_fields = ("subject", "family__name")
    date_hierarchy = "last_post_at"
    inlines = [PostInline]
    readonly_fields = ("family", "subject", "created_at", "last_post_at", "staff_read_at")
    thread_fields = (
        "family",
        "subject",
        "service",
        "created_at",
        "last_post_at",
        "staff_read_at",
        "awaiting_staff",
        "closed",
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": self.thread_fields})]
        if self.has_change_permission(request, obj):
            # Shown under the posts it answers (admin/messaging/thread/change_form.html).
            fieldsets.append(
                (_("Répondre à la famille"), {"fields": ["reply"], "classes": ["reply"]})
            )
        return fieldsets

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .select_related("family", "service")
        )

    def get_object(self, request, object_id, from_field=None):
        # Another service's thread (or none): a 404, on every page of it (read, answer,
        # history, delete), rather than the admin's redirect that would tell it exists.
        thread = super().get_object(request, object_id, from_field)
        if thread is None:
            raise Http404("Aucun échange de votre service ne porte ce numéro.")
        return thread

    @admin.display(description=_("non lu"), boolean=True)
    def unread(self, thread: Thread) -> bool:
        return thread.unread_by_staff

    def has_add_permission(self, request):
        # A thread is opened by a family; staff write to a family with a message.
        return False

    def get_urls(self):
        attachment = self.admin_site.admin_view(self.attachment_view)
        return [
            path(
                "<int:thread_pk>/pieces/<int:attachment_pk>/",
                attachment,
                name="messaging_thread_attachment",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, thread_pk: int, attachment_pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        attachment = get_object_or_404(
            PostAttachment,
            pk=attachment_pk,
            post__thread__in=self.get_queryset(request).filter(pk=thread_pk),
        )
        return serve_private(
            attachment.file, name=attachment.name, content_type=attachment.content_type
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            Thread.objects.filter(pk=object_id).update(staff_read_at=timezone.now())
        return response

    def save_model(self, request, obj, form, change):
        # Only what staff changed is written: a family post that arrived meanwhile stays.
        changed = [name for name in form.changed_data if name in EDITABLE]
        if changed:
            obj.save(update_fields=changed)
        reply = form.cleaned_data.get("reply")
        if reply:
            reply_as_staff(thread=obj, body=reply, author=request.user)
            obj.refresh_from_db()
            self.message_user(
                request,
                _("Votre réponse a été envoyée à la famille %(family)s.") % {"family": obj.family},
            )
