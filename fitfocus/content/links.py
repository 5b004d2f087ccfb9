"""The links and images of a Markdown body, found in every syntax Markdown has for them and checked
by one set of rules: which schemes a link may use, and that an image is a described file of
content/media/. Raw HTML is the author's own and is not looked at.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from urllib.parse import unquote

from fitfocus.content.fields import Fields
from fitfocus.content.model import Body, Image, Location, Ref, Routine
from fitfocus.content.routine import find_blocks, parse_routine
from fitfocus.problems import Problem, SourceFile

# Schemes a link written in Markdown may use, besides the site's own `exercise:` and `post:`.
WEB_SCHEMES = ("http", "https", "mailto", "tel")
SITE_KINDS = ("exercise", "post")
SCHEME_HINT = ("link with https://, mailto: or tel:, a path on this site such as /about/, "
               "or exercise:<slug> and post:<slug>")
IMAGE_EXAMPLE = "![alt text](media/file.jpg)"

# `](target)` of an inline link or image, the target bare or in `<…>`.
_INLINE = re.compile(r"\]\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<bare>[^)\s]*(?:\t[^)\s]*)*))")
# `[label]: target` of a reference definition, also inside a blockquote.
_DEFINITION = re.compile(r"^(?P<quote>(?: {0,3}>)* {0,3})\[(?!\^)(?P<label>[^\]]+)\]:\s*(?:<(?P<angle>[^>\n]*)>|(?P<bare>\S+))",
                         re.MULTILINE)
# `![alt][label]`, `![alt] [label]`, `![alt][]` and `![alt]` (a shortcut reference when `alt` is a label).
_REF_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\](?: ?\[(?P<label>[^\]]*)\])?(?![(\[:])")
# `<exercise:squat>` and `<post:legs>` autolinks.
_AUTOLINK = re.compile(r"<(?P<target>(?:exercise|post):[^<>\s]*)>")
# A routine fence Markdown would not see as one: inside a blockquote, a list item, or indented as code.
_NESTED_FENCE = re.compile(r"^(?P<lead>[ \t]*(?:>[ \t]*)+|[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+| {4,}|\t)(?:`{3,}|~{3,})[ \t]*routine\b",
                           re.IGNORECASE | re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):")
_EDGES = "".join(map(chr, range(0x21)))  # what browsers strip from both ends of a URL
_INVISIBLE = re.compile(r"[\t\n\r]")  # and what they drop anywhere in it


def link_scheme(target: str) -> str | None:
    """The scheme of `target` as a browser reads it (entities decoded, tabs and newlines dropped), lowercased."""
    match = _SCHEME.match(_INVISIBLE.sub("", html.unescape(target).strip(_EDGES)))
    return match.group("scheme").lower() if match else None


def allowed_link(target: str) -> bool:
    """Whether a link to `target` may be published: a web, mail or phone link, or one within the site."""
    scheme = link_scheme(target)
    return scheme is None or scheme in WEB_SCHEMES or scheme in SITE_KINDS


def scan_body(source: SourceFile, text: str, first_line: int, media: frozenset[str], problems: list[Problem],
              allow_routines: bool) -> Body:
    """Read the routines, links and images of a body (starting at file line `first_line`), checking each."""
    lines = text.split("\n")
    blocks, code = find_blocks(lines)
    routines: list[Routine] = []
    for number, block in enumerate(blocks, start=1):
        if not allow_routines:
            problems.append(source.problem(first_line + block.fence_line, 1, "routine blocks belong in posts"))
            continue
        routine, found = parse_routine(source, block, first_line, number)
        problems.extend(found)
        if routine is not None:
            routines.append(routine)
    masked = _mask_code(lines, [(b.fence_line, b.end_line) for b in blocks] + code)
    # Scanned whole rather than line by line: a link's target may follow its `](` on the next line.
    scan = _Scan(source, first_line, "\n".join(masked), media, problems)
    scan.definitions()
    scan.inline()
    return Body(text, first_line, tuple(scan.links), tuple(scan.images), tuple(routines))


class _Scan:
    """What one body's text holds, gathered pattern by pattern."""

    def __init__(self, source: SourceFile, first_line: int, text: str, media: frozenset[str],
                 problems: list[Problem]) -> None:
        self.source = source
        self.first_line = first_line
        self.text = text
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.media = media
        self.problems = problems
        self.links: list[Ref] = []
        self.images: list[Image] = []
        self.defined: dict[str, tuple[str, Location]] = {}  # label (folded) -> target, where written

    def at(self, offset: int) -> Location:
        index = bisect_right(self.starts, offset) - 1
        number = self.first_line + index
        return Location(self.source.display, number, offset - self.starts[index] + 1, self.source.line(number))

    def definitions(self) -> None:
        for match in _DEFINITION.finditer(self.text):
            group = "angle" if match.group("angle") is not None else "bare"
            target, at = match.group(group), self.at(match.start(group))
            self.defined.setdefault(_fold(match.group("label")), (target, at))
            self.link(target, at)

    def inline(self) -> None:
        text = self.text
        inline_targets = set()
        for match in _INLINE.finditer(text):
            group = "angle" if match.group("angle") is not None else "bare"
            target, at = match.group(group), self.at(match.start(group))
            inline_targets.add(match.start(group))
            opening = _opening_bracket(text, match.start())
            if opening > 0 and text[opening - 1] == "!":
                alt = text[opening + 1:match.start()]
                self.image(Image(target, alt.strip(), self.at(opening - 1)), at)
            else:
                self.link(target, at)
        for match in _REF_IMAGE.finditer(text):
            label = _fold(match.group("label") or match.group("alt"))
            if label in self.defined:
                target, at = self.defined[label]
                self.image(Image(target, match.group("alt").strip(), self.at(match.start())), at)
        for match in _AUTOLINK.finditer(text):
            if match.start("target") not in inline_targets:  # not the `<…>` target of `[x](<…>)`
                self.links.append(Ref(match.group("target"), self.at(match.start("target"))))
        for match in _NESTED_FENCE.finditer(text):
            lead = match.group("lead")
            where = "a blockquote" if ">" in lead else ("a list" if lead.strip() else "an indented block")
            self.problems.append(self.at(match.start() + len(lead)).problem(
                f"a routine block inside {where} is not read",
                "start the ```routine fence at the beginning of a line, outside quotes and lists"))

    def link(self, target: str, at: Location) -> None:
        scheme = link_scheme(target)
        if scheme in SITE_KINDS and target.startswith(SITE_KINDS):
            self.links.append(Ref(target, at))
        elif scheme in SITE_KINDS:
            self.problems.append(at.problem(f"write `{scheme}:` links in lowercase", f"`{scheme}:<slug>`"))
        elif scheme is not None and scheme not in WEB_SCHEMES:
            self.problems.append(at.problem(f"`{scheme}:` links are not allowed in Markdown", SCHEME_HINT))

    def image(self, image: Image, src_at: Location) -> None:
        self.images.append(image)
        check_image(image, self.media, self.problems, IMAGE_EXAMPLE, src_at)


def check_image(image: Image, media: frozenset[str], problems: list[Problem], example: str,
                src_at: Location | None = None) -> None:
    """Report an image without alt text, or one that is not a file of content/media/ (nor on the web)."""
    src_at = src_at or image.at
    if not image.alt:
        problems.append(image.at.problem("image has no alt text",
                                         f"describe the picture for readers who cannot see it: {example}"))
    scheme = link_scheme(image.src)
    if scheme in ("http", "https"):
        return
    if scheme or image.src.startswith("/") or not image.src.startswith("media/"):
        problems.append(src_at.problem(f"image `{image.src}` must be a file under content/media/",
                                       "write its path as `media/<file>`"))
    elif media_name(image.src) not in media:
        problems.append(src_at.problem(f"image `{image.src}` not found",
                                       f"put the file at content/{media_name(image.src)}"))


def media_name(src: str) -> str:
    """The file a `media/…` image names, relative to content/: `media/my%20photo.jpg` -> `media/my photo.jpg`."""
    return unquote(src.split("#")[0])


def _opening_bracket(text: str, closing: int) -> int:
    """The index of the `[` that the `]` at `closing` closes (in the same paragraph), or -1."""
    depth = 0
    for index in range(closing - 1, -1, -1):
        char = text[index]
        if char == "\n" and index > 0 and text[index - 1] == "\n":
            return -1
        if index > 0 and text[index - 1] == "\\":
            continue
        if char == "]":
            depth += 1
        elif char == "[":
            if depth == 0:
                return index
            depth -= 1
    return -1


def _fold(label: str) -> str:
    return " ".join(label.split()).casefold()


def _mask_code(lines: list[str], spans: list[tuple[int, int]]) -> list[str]:
    masked = list(lines)
    for start, end in spans:
        for index in range(start, end + 1):
            masked[index] = ""
    return [_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) for line in masked]


_REDIRECT = re.compile(r"^/(?:[^\s/?#\\\"<>]+/?)+$")


def redirect_paths(fields: Fields) -> tuple[Ref, ...]:
    """`redirect_from:`, old site paths like `/2019/03/14/slug/` (the build writes a redirect page at each)."""
    refs = []
    for ref in fields.text_list("redirect_from"):
        parts = ref.name.split("/")
        if not _REDIRECT.match(ref.name) or any(part in (".", "..") for part in parts):
            fields.problems.append(ref.at.problem(
                f"`redirect_from` path `{ref.name}` is not a path of this site",
                "write the old address's path from its first `/`, without the domain, `..` or `?`, e.g. "
                "/2019/03/14/my-post/"))
            continue
        refs.append(ref)
    return tuple(refs)
