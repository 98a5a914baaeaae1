"""A stand-in for the portal's side of the simulator's door (settings.PAYFIP_SIMULATOR_PORTAL),
so that the simulator's own tests need no invoice: the portal has opened every payment
whose reference is not in `never_opened`."""

from payfip_simulator.models import SimulatedPayment

never_opened: set[str] = set()


def payable(*, numcli: str, exer: str, refdet: str, montant: int) -> bool:
    return refdet not in never_opened


def opened(*, idop: str) -> bool:
    return not SimulatedPayment.objects.filter(idop=idop, refdet__in=never_opened).exists()
