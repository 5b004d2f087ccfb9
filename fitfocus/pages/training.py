"""What a plan's page shows: its weeks day by day, each session described and linked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from fitfocus.content.library import Library
from fitfocus.content.model import Plan, PlanWeek, PostTeaser, Race, Session
from fitfocus.pages.urls import card_path, plan_path, post_path, workout_path
from fitfocus.pages.workout import Workout, make_workout

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RUN_NAMES = {"easy": "Easy run", "recovery": "Recovery run", "tempo": "Tempo run", "intervals": "Intervals",
             "hills": "Hill repeats", "long": "Long run", "race": "Race"}


@dataclass(frozen=True)
class PlanTeaser:
    """What the list of plans shows of a plan, so editing a session re-renders the plan's page only."""

    slug: str
    title: str
    summary: str | None
    weeks: int
    race: Race | None
    start: datetime.date | None


def plan_teaser(plan: Plan) -> PlanTeaser:
    """The listing view of `plan`."""
    return PlanTeaser(plan.slug, plan.title, plan.summary, len(plan.weeks), plan.race, plan.start)


@dataclass(frozen=True)
class SessionView:
    """One session as the page and the calendar show it."""

    session: Session
    text: str  # "Easy run, 40 min", "Legs & Back (25 min)", "Cross-training: yoga"
    post: PostTeaser | None = None  # strength: the post
    workout: Workout | None = None  # strength: its routine

    @property
    def post_path(self) -> str | None:
        """Site path of a strength session's post, at its routine."""
        return post_path(self.post.slug) if self.post else None

    @property
    def card_path(self) -> str | None:
        """Site path of a strength session's printable card."""
        return card_path(self.post.slug, self.session.routine) if self.post else None

    @property
    def workout_path(self) -> str | None:
        """Site path of a strength session's workout mode."""
        return workout_path(self.post.slug, self.session.routine) if self.post else None

    @property
    def details(self) -> str:
        """What the session holds, for a calendar event's description."""
        lines = [self.text]
        if self.workout is not None and self.post is not None:
            lines.append(f"From “{self.post.title}”.")
            lines.extend(f"- {move.exercise.name}: {move.dose}" for move in self.workout.moves)
        if self.session.note and self.session.kind != "run":
            lines.append(self.session.note)
        return "\n".join(lines)


@dataclass(frozen=True)
class DayView:
    """One day of a week: its name, its date in a dated plan, its sessions (none: a rest day)."""

    weekday: int
    date: datetime.date | None
    sessions: tuple[SessionView, ...]

    @property
    def name(self) -> str:
        """The weekday's name."""
        return WEEKDAYS[self.weekday]


@dataclass(frozen=True)
class WeekView:
    """One week of the plan, all seven days."""

    week: PlanWeek
    days: tuple[DayView, ...]

    @property
    def label(self) -> str:
        """`Week 3: Build`."""
        return f"Week {self.week.number}" + (f": {self.week.title}" if self.week.title else "")

    @property
    def kind(self) -> str | None:
        """`Deload week` or `Taper week`, said in words (not by colour alone)."""
        return "Deload week" if self.week.deload else "Taper week" if self.week.taper else None


def plan_weeks(plan: Plan, library: Library) -> tuple[WeekView, ...]:
    """Every week of a checked plan, each day with its sessions described and, when dated, its date."""
    weeks = []
    for week in plan.weeks:
        by_day = {day.weekday: day for day in week.days}
        days = []
        for weekday in range(7):
            date = plan.start + datetime.timedelta(days=7 * (week.number - 1) + weekday) if plan.start else None
            day = by_day.get(weekday)
            sessions = tuple(session_view(s, library) for s in day.sessions) if day else ()
            days.append(DayView(weekday, date, sessions))
        weeks.append(WeekView(week, tuple(days)))
    return tuple(weeks)


def session_view(session: Session, library: Library) -> SessionView:
    """A session described: a run as `Easy run, 40 min`, a strength session by its routine."""
    if session.kind == "strength":
        assert session.post is not None
        post = library.find_post(session.post.name)
        assert post is not None  # checked
        workout = make_workout(post.body.routines[session.routine - 1], library)
        return SessionView(session, f"Strength: {workout.routine.title} ({workout.minutes} min)",
                           library.teaser(post), workout)
    if session.kind == "run":
        parts = [RUN_NAMES[session.run or "easy"]]
        if session.distance is not None:
            parts.append(session.distance.text)
        if session.seconds is not None:
            parts.append(run_time(session.seconds))
        text = ", ".join(parts)
        if session.note:
            text += f" ({session.note})"
        return SessionView(session, text)
    if session.kind == "cross":
        return SessionView(session, f"Cross-training: {session.text}")
    return SessionView(session, "Rest")


def run_time(seconds: int) -> str:
    """A run's time as a runner writes it: `40 min`, `1 h 15 min`, `90 s`."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if secs or not (hours or minutes):
        return f"{seconds} s" if seconds < 600 else f"{seconds // 60} min {secs} s"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def plan_posts(library: Library) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each post slug, the plans that use it: (title, site path), in the plans' order."""
    used: dict[str, list[tuple[str, str]]] = {}
    for plan in library.plans:
        for week in plan.weeks:
            for day in week.days:
                for session in day.sessions:
                    post = library.find_post(session.post.name) if session.post else None
                    if post is not None and (plan.title, plan_path(plan.slug)) not in used.get(post.slug, []):
                        used.setdefault(post.slug, []).append((plan.title, plan_path(plan.slug)))
    return {slug: tuple(plans) for slug, plans in used.items()}


def last_day(plan: Plan) -> int:
    """Days from the first Monday to the plan's last day: race day, else its last day with a session."""
    if plan.race is not None:
        return 7 * (len(plan.weeks) - 1) + plan.race.date.weekday()
    last = plan.weeks[-1]
    return 7 * (len(plan.weeks) - 1) + (last.days[-1].weekday if last.days else 6)
