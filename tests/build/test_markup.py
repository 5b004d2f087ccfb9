"""Markdown bodies render the same whatever was rendered before them (any process, any order)."""

from __future__ import annotations

from fitfocus.build.markup import MarkdownRenderer
from fitfocus.content.model import Body

BODY = Body("Rest days matter.[^1]\n\n[^1]: Ask your coach.\n", 1, (), (), ())


def test_a_body_with_footnotes_renders_the_same_every_time() -> None:
    fresh = MarkdownRenderer().render(BODY, lambda target: target)
    used = MarkdownRenderer()
    for _ in range(3):
        used.render(Body("Another post.[^a]\n\n[^a]: With its own note.\n", 1, (), (), ()), lambda target: target)
    assert used.render(BODY, lambda target: target) == fresh
    assert 'id="fnref:1"' in fresh and 'href="#fn:1"' in fresh


def render(text: str) -> str:
    return MarkdownRenderer().render(Body(text, 1, (), (), ()), lambda target: f"/site/{target}")


def test_site_autolinks_become_links_showing_the_slug() -> None:
    assert render("Try <exercise:squat#cues> and <post:legs>.") == (
        '<p>Try <a href="/site/exercise:squat#cues">squat</a> and <a href="/site/post:legs">legs</a>.</p>')


def test_site_autolinks_in_code_stay_code() -> None:
    assert render("`<exercise:squat>`") == "<p><code>&lt;exercise:squat&gt;</code></p>"


def test_a_media_file_with_a_space_gets_one_working_url_however_it_is_written() -> None:
    expected = '<img alt="a" decoding="async" loading="lazy" src="/site/media/my%20photo.jpg">'
    assert render("![a](media/my%20photo.jpg)") == f"<p>{expected}</p>"
    assert render("![a](<media/my photo.jpg>)") == f"<p>{expected}</p>"
