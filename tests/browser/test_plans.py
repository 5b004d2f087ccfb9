"""The sample plan in Chromium: a week per row on a desktop, stacked days on a phone, a calendar
dated in the browser for the reader's race, and a printout that never splits a week."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from .test_cards_print import squeeze

PLAN = "plans/spring-half-marathon/"
WEEKS = 8
FIRST_MONDAY = datetime.date(2027, 2, 22)


def day_tops(page: Page, week: int) -> list[float]:
    """The top of each of the seven days of `week`, in CSS pixels."""
    return page.eval_on_selector_all(f"#week-{week} ~ .plan-days > .plan-day",
                                     "days => days.map(d => d.getBoundingClientRect().top)")


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_each_week_reads_at_phone_and_desktop_width(page: Page, site_url: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site_url + PLAN)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    for week in range(1, WEEKS + 1):
        tops = day_tops(page, week)
        assert len(tops) == 7
        if width >= 960:
            assert max(tops) - min(tops) < 1, week  # one row of seven days
        else:
            assert tops == sorted(tops) and len(set(tops)) == 7, week  # one day under another
    badges = page.locator(".plan-badge").all_inner_texts()
    assert [b.lower() for b in badges] == ["deload week", "taper week", "taper week"]
    wednesday = page.locator("#week-1 ~ .plan-days > .plan-day").nth(2)
    assert wednesday.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "/posts/legs-and-back-at-home/", "/posts/legs-and-back-at-home/workout/", "/posts/legs-and-back-at-home/card/"]
    assert "Easy run, 40 min" in page.locator("#week-1 ~ .plan-days > .plan-day").nth(1).inner_text()


def custom_calendar(page: Page, site_url: str, anchor: str, date: str) -> list[icalendar.Event]:
    """Enter `date` as the race (or start) day, submit, and parse the calendar the page downloads."""
    page.goto(site_url + PLAN)
    page.check(f"input[name=anchor][value={anchor}]")
    page.fill("#plan-date", date)
    with page.expect_download() as caught:
        page.click("form.plan-dates button[type=submit]")
    download = caught.value
    assert download.suggested_filename == f"spring-half-marathon-{date}.ics"
    data = Path(download.path()).read_bytes()
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_a_race_date_entered_by_the_reader_moves_every_event(page: Page, site_url: str, built_site: Path) -> None:
    site = list(icalendar.Calendar.from_ical((built_site / PLAN / "plan.ics").read_bytes()).walk("VEVENT"))
    moved = custom_calendar(page, site_url, "race", "2027-05-16")
    assert len(moved) == len(site) == 49
    shift = datetime.date(2027, 5, 16) - datetime.date(2027, 4, 18)
    for mine, theirs in zip(moved, site):
        assert mine.decoded("DTSTART") == theirs.decoded("DTSTART") + shift
        assert mine.decoded("DTEND") == mine.decoded("DTSTART") + datetime.timedelta(days=1)
        for field in ("UID", "SUMMARY", "DESCRIPTION", "DTSTAMP"):
            assert mine.decoded(field) == theirs.decoded(field), field
    assert max(e.decoded("DTSTART") for e in moved) == datetime.date(2027, 5, 16)  # the race is the last day
    assert page.locator(".plan-status").inner_text() == "Calendar ready: 49 sessions, ending on race day, 2027-05-16."


def test_a_start_date_entered_by_the_reader_is_week_ones_monday(page: Page, site_url: str) -> None:
    moved = custom_calendar(page, site_url, "start", "2027-09-06")
    assert min(e.decoded("DTSTART") for e in moved) == datetime.date(2027, 9, 6)
    assert max(e.decoded("DTSTART") for e in moved) == datetime.date(2027, 9, 6) + datetime.timedelta(days=55)


def test_the_printed_plan_never_splits_a_week_across_pages(page: Page, site_url: str) -> None:
    page.goto(site_url + PLAN)
    # A5: small enough paper that several pages break near a week (without `break-inside: avoid`,
    # week 4's heading ends one page and its days start the next).
    reader = PdfReader(io.BytesIO(page.pdf(format="A5", prefer_css_page_size=True)))
    texts = [squeeze(p.extract_text()) for p in reader.pages]
    assert len(texts) >= 4
    for week in range(1, WEEKS + 1):
        monday = FIRST_MONDAY + datetime.timedelta(days=7 * (week - 1))
        days = [monday + datetime.timedelta(days=n) for n in range(7)]
        marks = [f"{d:%A}{d.day}{d:%b}" for d in days]  # "Monday22Feb": a day's name and date, in every week
        found = [[i for i, text in enumerate(texts) if re.search(re.escape(mark) + r"(?![a-z])", text)] for mark in marks]
        found.append([i for i, text in enumerate(texts) if f"Week{week}:" in text])
        assert all(len(pages) == 1 for pages in found), (week, found)
        assert len({pages[0] for pages in found}) == 1, (week, found)  # the whole week on one page
