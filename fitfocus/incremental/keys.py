"""Page keys: for each page, a hash of everything it is rendered from, so that a page whose key is
unchanged since the last build need not be rendered again.

A page is rendered from its template and the templates that one extends, includes and imports,
from the values every template is given (`build.templates.template_data`), from its plan (path,
template, context), and, when its templates show Markdown bodies, from everything links in a
body can resolve to. Templates see nothing else (build/templates.py gives them nothing else), so
a key covers every input by construction: tests/incremental/test_keys.py changes each in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jinja2
import jinja2.meta
import jinja2.nodes

from fitfocus.build.render import links_digest
from fitfocus.build.templates import ROUTINE_TEMPLATE, template_data
from fitfocus.content.library import Library
from fitfocus.incremental.cache import digest
from fitfocus.incremental.fingerprints import Fingerprints
from fitfocus.pages.plan import PagePlan
from fitfocus.pages.urls import output_file

BODY_FUNCTION = "body_html"  # the template function that renders a record's Markdown body


def page_keys(plans: list[PagePlan], library: Library, templates: tuple[tuple[str, bytes], ...],
              fingerprints: Fingerprints, use: dict[str, TemplateUse] | None = None) -> dict[str, str]:
    """For each output file, the key of the page `plans` make of it (see the module docstring);
    `use` is `template_use(templates)` when it is known already."""
    key = PageKeys(library, templates, fingerprints, use).key
    return {output_file(plan.path): key(plan) for plan in plans}


def body_surroundings(library: Library, templates: tuple[tuple[str, bytes], ...], fingerprints: Fingerprints,
                      use: dict[str, TemplateUse] | None = None) -> str:
    """A hash of all a Markdown body depends on besides its record and workouts: the settings, what
    every template is given, the routine table's templates, and everything a link can resolve to."""
    texts = dict(templates)
    used = (use if use is not None else template_use(templates)).get(ROUTINE_TEMPLATE)
    names = used.used if used is not None else tuple(texts)
    return digest(fingerprints.of(library.config), fingerprints.of(template_data(library)), links_digest(library),
                  *(part for name in names for part in (name, texts[name])))


class PageKeys:
    """Keys of pages planned from one library with one set of templates."""

    def __init__(self, library: Library, templates: tuple[tuple[str, bytes], ...], fingerprints: Fingerprints,
                 use: dict[str, TemplateUse] | None = None) -> None:
        self._of = fingerprints.of
        use = use if use is not None else template_use(templates)
        shared = digest(self._of(template_data(library)), self._of(library.config))
        links = links_digest(library)
        texts = dict(templates)
        self._by_template = {name: digest(shared, links if each.bodies else "",
                                          *(part for used in each.used for part in (used, texts[used])))
                             for name, each in use.items()}
        self._unknown = digest(shared, links, *(part for pair in templates for part in pair))

    def key(self, plan: PagePlan) -> str:
        """The key of the page `plan` makes."""
        return digest(self._by_template.get(plan.template, self._unknown), self._of(plan))


@dataclass(frozen=True)
class TemplateUse:
    """For one template: every template rendering it can use, and whether it shows Markdown bodies."""

    used: tuple[str, ...]
    bodies: bool


@lru_cache(maxsize=4)  # parsing every template is slow; a rebuild mostly sees the same ones
def template_use(templates: tuple[tuple[str, bytes], ...]) -> dict[str, TemplateUse]:
    """What rendering with each template reads, found in the templates' syntax trees."""
    env = jinja2.Environment()
    trees = {name: env.parse(text.decode("utf-8", "replace")) for name, text in templates}
    direct: dict[str, set[str] | None] = {}
    bodies: dict[str, bool] = {}
    for name, tree in trees.items():
        referenced = list(jinja2.meta.find_referenced_templates(tree))
        direct[name] = None if None in referenced else {str(each) for each in referenced}
        bodies[name] = any(node.name == BODY_FUNCTION for node in tree.find_all(jinja2.nodes.Name))

    def closure(start: str) -> set[str]:
        found, waiting = set(), [start]
        while waiting:
            name = waiting.pop()
            if name in found or name not in trees:
                continue
            found.add(name)
            following = direct[name]
            if following is None:  # a template chosen at render time: it may be any of them
                return set(trees)
            waiting.extend(following)
        return found

    use = {}
    for name in trees:
        used = closure(name)
        shows_bodies = any(bodies[each] for each in used)
        if shows_bodies:
            used |= closure(ROUTINE_TEMPLATE)
        use[name] = TemplateUse(tuple(sorted(used)), shows_bodies)
    return use
