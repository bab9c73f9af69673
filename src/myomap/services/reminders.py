"""Calendar files for the client's own calendar: the daily home-care routine and the next visit.

myomap sends no SMS or e-mail; a standard ``.ics`` file lets the person's own calendar remind
them. Event text never names a body part, a muscle or a condition: calendars are synced to
third-party services, so the summary says only "home care" or "visit".
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

ROUTINE_DAYS = 28


def home_care_calendar(
    *,
    client_key: str,
    plan_given: datetime | None,
    next_visit: datetime | None,
    clinic: str | None,
    routine_time: time = time(18, 0),
) -> bytes:
    """An iCalendar file with a daily routine (when a plan exists) and the next visit."""
    cal = Calendar()
    cal.add("prodid", "-//myomap//home care//EN")
    cal.add("version", "2.0")
    uid_base = hashlib.sha256(client_key.encode()).hexdigest()[:24]
    if plan_given is not None:
        start_day = max(plan_given.astimezone(UTC).date(), datetime.now(UTC).date())
        event = Event()
        event.add("uid", f"{uid_base}-routine@myomap")
        event.add("summary", "Home care routine")
        event.add("description", "Open your home-care page for today's exercises.")
        event.add("dtstart", datetime.combine(start_day, routine_time))
        event.add("duration", timedelta(minutes=15))
        event.add("rrule", {"freq": "daily", "count": ROUTINE_DAYS})
        event.add("dtstamp", datetime.now(UTC))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Home care")
        alarm.add("trigger", timedelta(minutes=0))
        event.add_component(alarm)
        cal.add_component(event)
    if next_visit is not None:
        visit = Event()
        visit.add("uid", f"{uid_base}-visit-{int(next_visit.timestamp())}@myomap")
        visit.add("summary", f"Visit{' at ' + clinic if clinic else ''}")
        visit.add("dtstart", next_visit.astimezone(UTC))
        visit.add("duration", timedelta(minutes=60))
        visit.add("dtstamp", datetime.now(UTC))
        cal.add_component(visit)
    return bytes(cal.to_ical())
