"""A dated plan's calendar: parsed back with icalendar, dated day by day, stable between builds."""

from __future__ import annotations

import datetime
from pathlib import Path

import icalendar

from conftest import run_engine

CALENDAR = "site/plans/spring-half-marathon/plan.ics"
PLAN = "content/plans/spring-half-marathon.md"


def events(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] == "-//fitfocus//training plans//EN"
    return list(calendar.walk("VEVENT"))


def test_the_sample_plans_calendar_has_one_event_per_session_from_the_first_monday_to_race_day(
        sample_blog: Path) -> None:
    run = run_engine(sample_blog, "build", "--base-url", "https://fit.example.org/blog/")
    assert run.code == 0, run.err
    data = (sample_blog / CALENDAR).read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # CRLF line ends, as RFC 5545 says
    found = events(data)
    plan = (sample_blog / PLAN).read_text()
    block = plan.split("```plan\n")[1].split("```")[0]
    sessions = sum(line.count(",") + 1 if line.strip().split(": ", 1)[1].startswith("[") else 1
                   for line in block.splitlines() if line.strip()[:4] in ("mon:", "tue:", "wed:", "thu:", "fri:",
                                                                         "sat:", "sun:"))
    assert len(found) == sessions == 49
    dates = [event.decoded("DTSTART") for event in found]
    assert all(type(date) is datetime.date for date in dates)  # all-day events
    assert min(dates) == datetime.date(2027, 2, 22) and min(dates).weekday() == 0  # week 1's Monday
    assert max(dates) == datetime.date(2027, 4, 18)  # race day is the last day
    last = found[dates.index(max(dates))]
    assert str(last["SUMMARY"]) == "Race, 21.1 km"
    assert all(event.decoded("DTEND") == event.decoded("DTSTART") + datetime.timedelta(days=1) for event in found)
    uids = [str(event["UID"]) for event in found]
    assert len(set(uids)) == len(uids)
    assert uids[0] == "spring-half-marathon-w1-mon-1@fit.example.org"
    assert "spring-half-marathon-w3-tue-2@fit.example.org" in uids  # the second session of a day
    stamps = {event.decoded("DTSTAMP") for event in found}
    assert stamps == {datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)}  # the build's date
    strength = next(event for event in found if str(event["SUMMARY"]).startswith("Strength: Legs & Back ("))
    assert str(strength["URL"]) == "https://fit.example.org/blog/posts/legs-and-back-at-home/workout/"
    assert "- Goblet Squat: 3 × 10–12" in str(strength["DESCRIPTION"]).splitlines()
    run_easy = found[1]
    assert (str(run_easy["SUMMARY"]), str(run_easy["URL"])) == (
        "Easy run, 40 min", "https://fit.example.org/blog/plans/spring-half-marathon/")


def test_two_builds_make_the_same_bytes_and_an_edit_keeps_the_other_uids(sample_blog: Path, tmp_path: Path) -> None:
    assert run_engine(sample_blog, "build", "--out", str(tmp_path / "one")).code == 0
    assert run_engine(sample_blog, "build", "--out", str(tmp_path / "two")).code == 0
    first = (tmp_path / "one/plans/spring-half-marathon/plan.ics").read_bytes()
    assert first == (tmp_path / "two/plans/spring-half-marathon/plan.ics").read_bytes()
    path = sample_blog / PLAN
    path.write_text(path.read_text().replace("      sat: run easy 15min\n", "      sat: run easy 20min\n"))
    assert run_engine(sample_blog, "build", "--out", str(tmp_path / "three")).code == 0
    edited = events((tmp_path / "three/plans/spring-half-marathon/plan.ics").read_bytes())
    before = events(first)
    assert [str(e["UID"]) for e in edited] == [str(e["UID"]) for e in before]
    changed = [str(e["UID"]) for e, b in zip(edited, before) if str(e["SUMMARY"]) != str(b["SUMMARY"])]
    assert changed == ["spring-half-marathon-w8-sat-1@fitfocus.invalid"]


def test_an_undated_plan_has_no_calendar_file(sample_blog: Path) -> None:
    path = sample_blog / PLAN
    path.write_text(path.read_text().replace("race: {name: Riverside Spring Half, date: 2027-04-18}\n", ""))
    run = run_engine(sample_blog, "build")
    assert run.code == 0, run.err
    assert (sample_blog / "site/plans/spring-half-marathon/index.html").exists()
    assert not (sample_blog / CALENDAR).exists()
