import pytest

from tests.payfip_simulator import portal


@pytest.fixture(autouse=True)
def stand_in_portal(settings):
    """The simulator's tests talk to the stand-in portal; test_portal_only.py to billing."""
    settings.PAYFIP_SIMULATOR_PORTAL = "tests.payfip_simulator.portal"
    portal.never_opened.clear()
    yield portal
    portal.never_opened.clear()
