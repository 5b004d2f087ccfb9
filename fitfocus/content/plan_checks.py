"""Checking plans: every strength session's post and routine, then the runner's rules of thumb as warnings."""

from __future__ import annotations

import datetime

from fitfocus.content.library import Library, normalize
from fitfocus.content.model import Plan, PlanWeek, Session
from fitfocus.problems import Problem, as_warning, did_you_mean

MOST_WEEKS_WITHOUT_REST = 4  # normal weeks in a row before a deload or taper week is due
FEWEST_STRENGTH, MOST_STRENGTH = 2, 3  # strength sessions in a normal week


def check_plans(plans: tuple[Plan, ...], library: Library, broken: frozenset[str]) -> list[Problem]:
    """Every problem with the references of `plans`, and a warning for each rule a plan breaks."""
    problems: list[Problem] = []
    for plan in plans:
        for week in plan.weeks:
            for day in week.days:
                for session in day.sessions:
                    if session.kind == "strength":
                        problems.extend(_check_strength(session, library, broken))
        if plan.complete:  # a plan with sessions left out would be judged on what is left
            problems.extend(rule_warnings(plan))
    return problems


def _check_strength(session: Session, library: Library, broken: frozenset[str]) -> list[Problem]:
    assert session.post is not None
    written, at = session.post.name, session.post.at
    post = library.find_post(written)
    if post is None:
        if f"post:{normalize(written)}" in broken:
            return []  # the post's own problems say what is wrong
        guess = did_you_mean(normalize(written), library.posts_by_slug)
        return [at.problem(f"unknown post `{written}`", guess or "post slugs are file names without the date and `.md`")]
    if not library.is_published(post):
        if post.draft:
            return [at.problem(f"post `{written}` is a draft and not part of this build",
                               f"remove `draft: true` from {post.at.path}, or build with --drafts")]
        return [at.problem(f"post `{written}` is scheduled for {post.date.isoformat()} and not part of this build",
                           "use it in a plan once it is published, or build with --future")]
    count = len(post.body.routines)
    if count == 0:
        return [at.problem(f"post `{written}` has no routine to train from",
                           "use a post with a ```routine block, or make this session `cross` or `run`")]
    if session.routine > count:
        routines = "one routine" if count == 1 else f"{count} routines"
        return [at.problem(f"post `{written}` has {routines}, not a routine {session.routine}",
                           f"write `{written}`" + (f" or `{written}/{count}`" if count > 1 else ""))]
    return []


_HARD_NAMES = {"tempo": "a tempo run", "intervals": "an interval session", "hills": "a hill session",
               "long": "a long run", "race": "the race"}


def rule_warnings(plan: Plan) -> list[Problem]:
    """A warning for each place `plan` breaks a rule of thumb, at the day or week it is about."""
    warnings: list[Problem] = []
    race_days = _race_days(plan)
    for week in plan.weeks:
        for day in week.days:
            strength = [s for s in day.sessions if s.kind == "strength"]
            hard = [s for s in day.sessions if s.kind != "strength" and s.hard]
            if strength and hard:
                what = _HARD_NAMES.get(hard[0].run or "", "a run marked hard") if hard[0].kind == "run" else (
                    "a cross-training session marked hard")
                warnings.append(day.at.problem(
                    f"strength on the same day as {what}",
                    "move the strength session to an easy day, or do it hours after the run, never before"))
            if strength and (week.number, day.weekday + 1) in race_days:
                warnings.append(day.at.problem(
                    "strength the day before a race",
                    "rest or run easy the day before; move the strength session earlier in the week"))
        if _counted(plan, week):
            count = sum(1 for day in week.days for s in day.sessions if s.kind == "strength")
            if not FEWEST_STRENGTH <= count <= MOST_STRENGTH:
                sessions = "strength session" if count == 1 else "strength sessions"
                warnings.append(week.at.problem(
                    f"week {week.number} has {count} {sessions}; a normal week has two or three",
                    "add or remove one, or mark the week `deload: true` or `taper: true`"))
    warnings.extend(_without_rest(plan.weeks))
    return [as_warning(warning) for warning in warnings]


def _race_days(plan: Plan) -> set[tuple[int, int]]:
    """The (week number, weekday) of every race: each `run race` session, and the race date. A
    weekday of 7 is the next week's Monday, so Sunday strength before a Monday race is found too."""
    days: set[tuple[int, int]] = set()
    for week in plan.weeks:
        for day in week.days:
            if any(s.kind == "run" and s.run == "race" for s in day.sessions):
                days.add(_before_key(week.number, day.weekday))
    if plan.race is not None:
        days.add(_before_key(len(plan.weeks), plan.race.date.weekday()))
    return days


def _before_key(week: int, weekday: int) -> tuple[int, int]:
    """The key `rule_warnings` looks up for the day before: (week, weekday + 1) of that day."""
    return (week, weekday) if weekday > 0 else (week - 1, 7)


def _counted(plan: Plan, week: PlanWeek) -> bool:
    """Whether `week` is a normal week for the strength count: not deload or taper, and whole (the
    race week of a race before Sunday is not)."""
    if week.deload or week.taper:
        return False
    last = week.number == len(plan.weeks)
    return not (last and plan.race is not None and plan.race.date.weekday() < 6)


def _without_rest(weeks: tuple[PlanWeek, ...]) -> list[Problem]:
    """A warning at the first week that makes more than four normal weeks in a row."""
    warnings, run = [], 0
    for week in weeks:
        run = 0 if week.deload or week.taper else run + 1
        if run == MOST_WEEKS_WITHOUT_REST + 1:
            warnings.append(week.at.problem(
                f"week {week.number} is the {run}th week in a row without a deload or taper week",
                "make about every fourth week lighter with `deload: true`"))
    return warnings


def plan_dates(plan: Plan) -> dict[tuple[int, int], datetime.date]:
    """The date of each (week number, weekday) of a dated plan; empty when the plan has no dates."""
    if plan.start is None:
        return {}
    return {(week.number, weekday): plan.start + datetime.timedelta(days=7 * (week.number - 1) + weekday)
            for week in plan.weeks for weekday in range(7)}

