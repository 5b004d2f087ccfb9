"""A plan's calendar: one all-day event per session, the same bytes from the same sources (RFC 5545)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit


from fitfocus.config import Config
from fitfocus.content.model import Plan
from fitfocus.pages.training import WeekView
from fitfocus.pages.urls import Urls, plan_path

PRODUCT = "-//fitfocus//training plans//EN"
NO_HOST = "fitfocus.invalid"  # a UID needs a domain; a site without a host gets a reserved one


@dataclass(frozen=True)
class CalendarEvent:
    """One session as a calendar event, dated by its day's place in the plan."""

    day: int  # days from the plan's first Monday
    uid: str
    summary: str
    description: str
    url: str | None  # absolute; None when the site has no host (a calendar URL cannot be a path)


def plan_events(plan: Plan, weeks: tuple[WeekView, ...], config: Config) -> tuple[CalendarEvent, ...]:
    """Every session of `plan` as an event; UIDs from the plan, week, day, session and site host."""
    urls = Urls(config.base_url)
    host = urlsplit(config.base_url).hostname or NO_HOST
    events = []
    for week in weeks:
        for day in week.days:
            for index, view in enumerate(day.sessions, start=1):
                path = view.workout_path or plan_path(plan.slug)
                uid = f"{plan.slug}-w{week.week.number}-{day.name[:3].lower()}-{index}@{host}"
                events.append(CalendarEvent(7 * (week.week.number - 1) + day.weekday, uid, view.text,
                                            view.details, urls.absolute(path) if urls.has_host else None))
    return tuple(events)


def plan_calendar(plan: Plan, events: tuple[CalendarEvent, ...], stamp: datetime.date) -> str:
    """The iCalendar text of a dated plan's events, stamped with the build's date."""
    import icalendar  # slow to import, and only a plan's calendar that is rendered again needs it

    assert plan.start is not None
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", plan.title)
    moment = datetime.datetime(stamp.year, stamp.month, stamp.day, tzinfo=datetime.timezone.utc)
    for event in events:
        date = plan.start + datetime.timedelta(days=event.day)
        entry = icalendar.Event()
        entry.add("uid", event.uid)
        entry.add("dtstamp", moment)
        entry.add("dtstart", date)
        entry.add("dtend", date + datetime.timedelta(days=1))
        entry.add("summary", event.summary)
        entry.add("description", event.description)
        if event.url is not None:
            entry.add("url", event.url)
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical().decode("utf-8")


def events_data(events: tuple[CalendarEvent, ...], stamp: datetime.date, last_day: int, title: str) -> dict:
    """The events as the page's script reads them, to date the same calendar for a reader's race."""
    return {"title": title, "product": PRODUCT, "stamp": stamp.strftime("%Y%m%dT000000Z"), "last": last_day,
            "events": [{"day": e.day, "uid": e.uid, "summary": e.summary, "description": e.description,
                        "url": e.url} for e in events]}
