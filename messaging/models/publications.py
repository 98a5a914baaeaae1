"""What the town hall publishes on "Infos./Documents": news items and forms to download."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import audiences
from ..storage import private_storage


class PublicationQuerySet(models.QuerySet):
    def published(self, on) -> "PublicationQuerySet":
        return self.filter(publish_from__lte=on).filter(
            models.Q(publish_until__isnull=True) | models.Q(publish_until__gte=on)
        )

    def for_recipient(self, recipient_id: int) -> "PublicationQuerySet":
        return self.filter(audiences.visible_to(recipient_id))


class Targeted(models.Model):
    """Published between two dates, for an audience (see messaging.audiences)."""

    audience_kind = models.CharField(_("public"), max_length=30, default=audiences.ALL)
    audience_value = models.CharField(_("précision du public"), max_length=100, blank=True)
    publish_from = models.DateField(_("publié à partir du"), default=timezone.localdate)
    publish_until = models.DateField(_("publié jusqu'au"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-publish_from", "-pk"]

    @property
    def audience_label(self) -> str:
        return audiences.describe(self.audience_kind, self.audience_value)


class News(Targeted):
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    link_url = models.URLField(_("lien"), blank=True)
    link_label = models.CharField(_("texte du lien"), max_length=100, blank=True)

    class Meta(Targeted.Meta):
        verbose_name = _("information")
        verbose_name_plural = _("informations")

    def __str__(self) -> str:
        return self.title


def form_path(instance, filename: str) -> str:
    return f"formulaires/{filename}"


class FormDocument(Targeted):
    """A document families download ("Formulaires"): règlement intérieur, PAI, mandat SEPA…"""

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("fichier"), upload_to=form_path, storage=private_storage)
    file_name = models.CharField(_("nom du fichier"), max_length=200, editable=False)
    content_type = models.CharField(_("type de contenu"), max_length=100, editable=False)

    class Meta(Targeted.Meta):
        verbose_name = _("formulaire")
        verbose_name_plural = _("formulaires")

    def __str__(self) -> str:
        return self.title
