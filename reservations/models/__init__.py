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
    "Activity",
    "Booking",
    "Closure",
    "DayCount",
    "DeadlineRule",
    "Enrolment",
    "EnrolmentStatus",
    "Pattern",
    "RuleKind",
    "SchoolYear",
    "Status",
    "Unit",
    "Weekday",
]
