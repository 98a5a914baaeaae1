"""« Nous contacter »: a family writes to a service; the exchange goes on as a thread."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage


class Service(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    email = models.EmailField(
        _("e-mail du service"),
        blank=True,
        help_text=_("Prévenu à chaque nouveau message d'une famille."),
    )
    active = models.BooleanField(_("proposé aux familles"), default=True)
    staff_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("équipe du service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_services",
        help_text=_(
            "Le groupe du personnel qui lit les échanges adressés à ce service et y répond. "
            "Sans groupe, seuls les superutilisateurs les lisent."
        ),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ThreadQuerySet(models.QuerySet):
    def for_recipient(self, recipient_id: int | None) -> "ThreadQuerySet":
        return self.filter(family_id=recipient_id)

    def visible_to(self, user) -> "ThreadQuerySet":
        """The threads a staff member reads: those addressed to a service whose staff group
        they belong to. A superuser reads them all, and so does all staff when
        CONTACT_THREADS_ALL_STAFF is on."""
        if not (user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser or settings.CONTACT_THREADS_ALL_STAFF:
            return self
        return self.filter(service__staff_group__in=user.groups.all())


def readable_messages(messages: models.QuerySet, user) -> models.QuerySet:
    """Inbox messages minus the answers of the threads this staff member does not read:
    the notice of an answer carries the answer."""
    readable = Thread.objects.visible_to(user).values("pk")
    return messages.filter(
        models.Q(thread_post__isnull=True) | models.Q(thread_post__thread__in=readable)
    )


def readable_emails(emails: models.QuerySet, user) -> models.QuerySet:
    """Outgoing e-mails minus those copying a thread this staff member does not read (an
    answer's e-mail to the family, a post's alert to the service: their subjects name the
    thread's)."""
    readable = Thread.objects.visible_to(user).values("pk")
    return emails.filter(
        models.Q(message__thread_post__isnull=True, thread_post__isnull=True)
        | models.Q(message__thread_post__thread__in=readable)
        | models.Q(thread_post__thread__in=readable)
    )


class Thread(models.Model):
    family = models.ForeignKey(
        "accounts.Family",
        verbose_name=_("famille"),
        on_delete=models.CASCADE,
        related_name="threads",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="threads"
    )
    subject = models.CharField(_("objet"), max_length=200)
    created_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    last_post_at = models.DateTimeField(_("dernier message"), default=timezone.now, db_index=True)
    awaiting_staff = models.BooleanField(
        _("attend une réponse"),
        default=True,
        help_text=_("Vrai quand le dernier message vient de la famille."),
    )
    staff_read_at = models.DateTimeField(_("lu par la mairie le"), null=True, blank=True)
    family_read_at = models.DateTimeField(_("lu par la famille le"), null=True, blank=True)
    closed = models.BooleanField(_("clos"), default=False)
    # The token of the « Nous contacter » form that opened it: that form, sent again (back,
    # then « Envoyer »; a double click), finds this thread instead of opening another one.
    submission_token = models.UUIDField(_("jeton du formulaire"), null=True, editable=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("échange avec une famille")
        verbose_name_plural = _("échanges avec les familles")
        ordering = ["-last_post_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "submission_token"], name="thread_one_per_form_submission"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def unread_by_staff(self) -> bool:
        return self.awaiting_staff and (
            self.staff_read_at is None or self.staff_read_at < self.last_post_at
        )

    @property
    def unread_by_family(self) -> bool:
        return not self.awaiting_staff and (
            self.family_read_at is None or self.family_read_at < self.last_post_at
        )


class ThreadPost(models.Model):
    thread = models.ForeignKey(
        Thread, verbose_name=_("échange"), on_delete=models.CASCADE, related_name="posts"
    )
    from_staff = models.BooleanField(_("de la mairie"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now)
    # The copies of this post outside the thread: a staff answer's notice in the family's
    # inbox (and its e-mails), a family post's alert to the service. They are read only by
    # whoever reads the thread (`readable_messages`, `readable_emails`).
    notice = models.OneToOneField(
        "messaging.Message",
        verbose_name=_("avis dans la boîte de la famille"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="thread_post",
    )
    alert = models.OneToOneField(
        "messaging.OutgoingEmail",
        verbose_name=_("avis au service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="thread_post",
    )

    class Meta:
        verbose_name = _("message de l'échange")
        verbose_name_plural = _("messages de l'échange")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread} — {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


def post_attachment_path(instance, filename: str) -> str:
    return f"contact/{timezone.now():%Y/%m}/{filename}"


class PostAttachment(models.Model):
    post = models.ForeignKey(
        ThreadPost, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("fichier"), upload_to=post_attachment_path, storage=private_storage)
    name = models.CharField(_("nom"), max_length=200)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.name
