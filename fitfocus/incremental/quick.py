"""The dev server's quick path: posts edited without changing what any other page shows of them.

Then the last build's library and plans are kept with the new posts put in, and only the posts'
own pages and the feeds carrying them are planned again (`pages.plan.replan_edited_posts`). The
result is what the whole pipeline would work out (tests/serve/test_preview.py compares them).
"""

from __future__ import annotations

from dataclasses import dataclass

from fitfocus.build.templates import TemplateFiles
from fitfocus.config import Config
from fitfocus.content.library import Library, post_interface, with_posts_replaced
from fitfocus.content.loader import Loaded
from fitfocus.content.model import Post
from fitfocus.content.validate import check_post
from fitfocus.incremental.state import LastBuild
from fitfocus.pages.plan import PagePlan, edited_post_places, replan_edited_posts
from fitfocus.problems import Problem, is_error

# More posts edited at once than this (a `git checkout`, a search and replace) take the whole pipeline.
QUICK_EDITS = 20


@dataclass(frozen=True)
class QuickPlan:
    """The site's plans after a quick rebuild, and the ones that changed."""

    library: Library
    plans: list[PagePlan]
    changed: list[PagePlan]
    # The warnings of the files read again and of the edited posts; the last build printed the rest.
    warnings: tuple[Problem, ...] = ()
    places: dict[str, tuple[int, ...]] | None = None  # pages.plan.edited_post_places of `plans`


def quick_plan(last: LastBuild | None, config: Config, loaded: Loaded, templates: TemplateFiles,
               changed: frozenset[str]) -> QuickPlan | None:
    """The plans after `loaded` when only posts changed, and not their interface; otherwise None.
    `changed` names the files changed since the last build (the others hold its records)."""
    edited = _edited_posts(last, config, loaded, templates, changed)
    if last is None or edited is None:
        return None
    library = with_posts_replaced(last.library, edited)
    found = [problem for post in edited.values() for problem in check_post(post, library, loaded.content.broken)]
    if any(is_error(problem) for problem in found):
        return None  # the whole pipeline reports them, with everything else
    # Where each post's plans are, found once: the plans keep their order from one quick rebuild to the next.
    places = last.places if last.places is not None else edited_post_places(last.plans)
    plans, changed = replan_edited_posts(last.plans, library, edited, places)
    return QuickPlan(library, plans, changed, tuple(loaded.problems) + tuple(found), places)


def _edited_posts(last: LastBuild | None, config: Config, loaded: Loaded, templates: TemplateFiles,
                  changed: frozenset[str]) -> dict[str, Post] | None:
    """The posts edited since the last build, by slug, when nothing else changed and none of them
    changed its interface (content.library.post_interface); otherwise None."""
    if last is None or any(is_error(problem) for problem in loaded.problems) or templates != last.templates:
        return None
    before, now = last.loaded, loaded
    if (now.content.media != before.content.media or now.content.cname != before.content.cname
            or now.content.today != before.content.today  # every file is read anew then (its context)
            or now.files.keys() != before.files.keys() or last.library.config != config):
        return None
    edited: dict[str, Post] = {}
    for name in sorted(changed & now.files.keys()):  # any other file holds the record the last build read
        read, previous = now.files[name], before.files[name].record
        if read.record is previous:
            continue
        if (not isinstance(read.record, Post) or not isinstance(previous, Post)
                or post_interface(read.record) != post_interface(previous) or len(edited) >= QUICK_EDITS):
            return None
        edited[read.record.slug] = read.record
    return edited

