from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Family


class School(models.Model):
    name = models.CharField(_("nom"), max_length=150, unique=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("école")
        verbose_name_plural = _("écoles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChildQuerySet(models.QuerySet):
    def for_family(self, family: Family) -> "ChildQuerySet":
        return self.filter(family=family)


class Child(models.Model):
    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.PROTECT, related_name="children"
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"))
    school = models.ForeignKey(
        School,
        verbose_name=_("école"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    school_class = models.CharField(_("classe"), max_length=50, blank=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("enfant")
        verbose_name_plural = _("enfants")
        ordering = ["family", "birth_date", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age(self, on: date | None = None) -> int:
        on = on or timezone.localdate()
        before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
        return on.year - self.birth_date.year - before_birthday
