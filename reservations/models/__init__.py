from .absences import AbsenceStatus, MedicalAbsence
from .activities import (
    Activity,
    Closure,
    DeadlineRule,
    Pattern,
    RuleKind,
    SchoolYear,
    Unit,
    Weekday,
)
from .bookings import (
    HOLDING,
    LIVE,
    Booking,
    DayCount,
    Enrolment,
    EnrolmentStatus,
    Status,
)

__all__ = [
    "HOLDING",
    "LIVE",
    "AbsenceStatus",
    "Activity",
    "Booking",
    "Closure",
    "DayCount",
    "DeadlineRule",
    "Enrolment",
    "EnrolmentStatus",
    "MedicalAbsence",
    "Pattern",
    "RuleKind",
    "SchoolYear",
    "Status",
    "Unit",
    "Weekday",
]
