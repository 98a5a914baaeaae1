"""Fixtures shared by the messaging tests."""

import pytest

from messaging.contact import start_thread
from messaging.models import Service, Thread
from tests.messaging.files import pdf


@pytest.fixture
def enfance(db) -> Service:
    """The Enfance Jeunesse service (made by a data migration), with its own address."""
    service = Service.objects.get(name="Enfance Jeunesse")
    service.email = "enfance@mairie.example.fr"
    service.save()
    return service


@pytest.fixture
def thread(family, parent, enfance) -> Thread:
    return start_thread(
        family=family,
        service=enfance,
        subject="Allergie de Léa",
        body="Léa ne doit plus manger d'arachide.",
        files=[pdf("certificat.pdf")],
        author=parent,
    )
