"""Which days the reservations page shows: a month (a table per week, on a desktop) and
one of its weeks (a list, on a phone), from ?mois=AAAA-MM and ?semaine=AAAA-MM-JJ."""

from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
SCHOOL_WEEK = 5  # Monday to Friday


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - ONE_DAY


def school_weeks(first: date, last: date) -> tuple[date, date]:
    """Monday of the week of `first` to Friday of the week of `last`."""
    monday = first - first.weekday() * ONE_DAY
    friday = last - last.weekday() * ONE_DAY + 4 * ONE_DAY
    return monday, friday


@dataclass(frozen=True)
class Period:
    """What the page shows: a month (tables, on a desktop) and one of its weeks (the
    list, on a phone)."""

    first: date  # first day of the month
    monday: date  # Monday of the week

    @property
    def last(self) -> date:
        return month_bounds(self.first.year, self.first.month)[1]

    @property
    def start(self) -> date:
        return min(school_weeks(self.first, self.last)[0], self.monday)

    @property
    def end(self) -> date:
        return max(school_weeks(self.first, self.last)[1], self.monday + 4 * ONE_DAY)

    @property
    def mondays(self) -> list[date]:
        first, last = school_weeks(self.first, self.last)
        return [first + 7 * n * ONE_DAY for n in range((last - first).days // 7 + 1)]

    @property
    def previous_month(self) -> date:
        return (self.first - ONE_DAY).replace(day=1)

    @property
    def next_month(self) -> date:
        return self.last + ONE_DAY

    @property
    def previous_week(self) -> date:
        return self.monday - 7 * ONE_DAY

    @property
    def next_week(self) -> date:
        return self.monday + 7 * ONE_DAY

    @classmethod
    def of_month(cls, first: date, today: date) -> "Period":
        last = month_bounds(first.year, first.month)[1]
        if first <= today <= last:
            return cls.of_day(today, month=first)
        opening = first
        while opening.weekday() >= SCHOOL_WEEK:
            opening += ONE_DAY
        return cls(first=first, monday=opening - opening.weekday() * ONE_DAY)

    @classmethod
    def of_day(cls, day: date, *, month: date | None = None) -> "Period":
        """The week of `day` (the next one on a Saturday or a Sunday)."""
        if day.weekday() >= SCHOOL_WEEK:
            day += (7 - day.weekday()) * ONE_DAY
        monday = day - day.weekday() * ONE_DAY
        return cls(first=month or (monday + 3 * ONE_DAY).replace(day=1), monday=monday)

    @classmethod
    def from_query(cls, *, mois: str = "", semaine: str = "", today: date) -> "Period":
        """From ?semaine=AAAA-MM-JJ or ?mois=AAAA-MM; ValueError in French if unreadable."""
        first = day = None
        if mois:
            try:
                first = date.fromisoformat(f"{mois}-01")
            except ValueError:
                raise ValueError(f"Mois illisible « {mois[:20]} » (AAAA-MM).") from None
            _check_year(first.year)
        if semaine:
            try:
                day = date.fromisoformat(semaine)
            except ValueError:
                raise ValueError(f"Semaine illisible « {semaine[:20]} » (AAAA-MM-JJ).") from None
            _check_year(day.year)
            return cls.of_day(day, month=first)
        if first:
            return cls.of_month(first, today)
        # By default, this week (next week on a week-end) and the month most of it is in.
        return cls.of_day(today)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValueError("Cette date est hors du calendrier des réservations.")
