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
