"""Files exchanged with families are private: kept in the "private" storage (outside the
public media path, or a private bucket) and served only through views that check who asks."""

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """A local folder with no public address: its files are only ever sent by a view."""

    public_urls = False  # the admin never links to such a file (portail/admin_guards.py)

    def url(self, name):
        raise ValueError("Un fichier privé n'a pas d'adresse publique : il est servi par une vue.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def private_storage():
    """The storage of FileFields holding private files (a callable: kept out of migrations)."""
    return _private


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty
