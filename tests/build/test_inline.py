"""The prechecked inline pass (and its bracket scan) renders byte for byte what Python-Markdown's own
inline pass renders."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import inlinepatterns
from markdown.inlinepatterns import InlineProcessor, SimpleTagInlineProcessor

from fitfocus.build.inline import BracketScan, PrecheckedInlineProcessor, pattern_needs, regex_needs
from fitfocus.build.markup import MarkdownRenderer
from fitfocus.content.model import Body
from test_smartquotes import document

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "bench"))
from corpus import SHAPES, _post  # noqa: E402

# Pieces that start, end or nearly make every inline pattern's match: code, escapes, links and
# references of every kind, footnote calls, autolinks, raw HTML, entities, emphasis, line breaks.
PIECES = ("`", "``", "`code`", "\\", "\\\\", "\\`", "\\*", "\\[", "[", "]", "[x]", "[x][]", "[x][y]", "![", "![a]",
          "![a](media/x.jpg)", "[a](https://example.org/ \"t\")", "[a](exercise:squat)", "[a](post:legs)", "(", ")",
          "[^", "[^1]", "[^x]", "<", ">", "<b>", "</b>", "<!-- c -->", "<https://example.org/>", "<a@b.org>",
          "<exercise:squat>", "<post:legs#x>", "&", "&amp;", "&#38;", "&#x26;", "&x", ";", "*", "**", "***", "_",
          "__", " ", "  ", "  \n", "\n", "s", "word", "'", '"', "--", "...", "!", ":", "@", "#", "{: #x }", "\t")
BLOCKS = ("", "# ", "## ", "> ", "- ", "1. ", "    ", "| a | b |\n|---|---|\n| ", "```\nx `y` [z]\n```\n\n",
          "[x]: https://example.org/x\n[y]: exercise:squat\n\n", "Text.[^1]\n\n[^1]: A *note* with `code`.\n\n",
          "<div markdown>\n", "```routine\ntitle: A\nitems:\n  - squat: 3 x 5\n```\n\n")
TABLES = ["<table><tr><td>routine</td></tr></table>"] * 3


def both(text: str, mine: MarkdownRenderer, stock: MarkdownRenderer) -> tuple[str, str]:
    body = Body(text, 1, (), (), ())
    return mine.render(body, lambda target: target, TABLES), stock.render(body, lambda target: target, TABLES)


def bench_post(rng: random.Random, number: int) -> str:
    """A post's body as the benchmark writes one: quote-heavy prose with routines, links and footnotes."""
    text = _post(rng, SHAPES["quotes"], [f"move-{number}" for number in range(12)], number)
    return text.split("---\n", 2)[2]


def differences(texts: list[str], stock: MarkdownRenderer) -> list[tuple[int, str]]:
    mine = MarkdownRenderer()
    return [(number, text) for number, text in enumerate(texts) if len(set(both(text, mine, stock))) != 1]


def test_the_prechecked_pass_takes_the_place_of_python_markdowns() -> None:
    md = MarkdownRenderer()._md
    assert type(md.treeprocessors["inline"]) is PrecheckedInlineProcessor
    stock = MarkdownRenderer(prechecked=False)._md
    assert type(stock.treeprocessors["inline"]) is markdown.treeprocessors.InlineProcessor
    order = [(item.name, item.priority) for item in md.treeprocessors._priority]
    assert order == [(item.name, item.priority) for item in stock.treeprocessors._priority]
    assert ("inline", 20) in order


def test_each_site_pattern_needs_what_its_regex_must_match() -> None:
    md = MarkdownRenderer()._md
    needs = {item.name: pattern_needs(md.inlinePatterns[item.name]) for item in md.inlinePatterns._priority}
    assert needs == {
        "backtick": (("`",),), "escape": (("\\",),), "footnote": (("[^",), ("]",)),
        "reference": (("[",),), "link": (("[",),), "image_link": (("![",),), "image_reference": (("![",),),
        "short_reference": (("[",),), "short_image_ref": (("![",),),
        "fitfocus_autolink": (("<",), ("exercise", "post"), (":",), (">",)),
        "autolink": (("<",), ("://",), (">",)), "automail": (("<",), ("@",), (">",)), "linebreak": (("  \n",),),
        "html": (("<",), (">",)), "entity": (("&",), (";",)), "em_strong": (("*", "_"),),
    }


def test_what_a_regex_needs() -> None:
    assert regex_needs(re.compile(r"ab+c?(?=d)(?!e)[fg][^h][i]x{0,2}")) == (("a",), ("b",), ("d",), ("f", "g"), ("i",))
    assert regex_needs(re.compile(r"(?:xa|ya)z|w")) == (("xa", "ya", "w"),)
    assert regex_needs(re.compile(r"(?:xa|ya)z")) == (("xa", "ya"), ("z",))
    assert regex_needs(re.compile(r"(?:q|q)")) == (("q",),)
    assert regex_needs(re.compile(r"a|.")) == ()
    assert regex_needs(re.compile(r"abc", re.IGNORECASE)) == ()
    assert regex_needs(re.compile(r"(?i:abc)d")) == (("d",),)


class _ThirdParty(InlineProcessor):
    """An extension's pattern this module does not know."""


def test_a_pattern_from_elsewhere_is_always_tried() -> None:
    md = markdown.Markdown()
    assert pattern_needs(_ThirdParty(r"<<(\w+)>>", md)) == ()
    assert pattern_needs(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del")) == (("~~",),)


def test_a_generated_corpus_renders_byte_for_byte_as_python_markdown_renders_it() -> None:
    rng = random.Random(20)
    texts = [document(rng, PIECES, BLOCKS) for _ in range(1500)] + [bench_post(rng, number) for number in range(60)]
    assert differences(texts, MarkdownRenderer(prechecked=False)) == []


def test_the_same_with_python_markdowns_own_smarty() -> None:
    rng = random.Random(21)
    texts = [document(rng, PIECES, BLOCKS) for _ in range(300)] + [bench_post(rng, number) for number in range(10)]
    mine, stock = MarkdownRenderer(smart_quotes="smarty"), MarkdownRenderer(smart_quotes="smarty", prechecked=False)
    assert [text for text in texts if len(set(both(text, mine, stock))) != 1] == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_any_string_of_the_pieces_renders_as_python_markdown_renders_it(text: str) -> None:
    mine, stock = both(text, MarkdownRenderer(), MarkdownRenderer(prechecked=False))
    assert mine == stock


def test_the_comparison_finds_a_wrong_precheck(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A link needing `](` is wrong (`[x][y]` is a link too): the corpus comparison must notice.
    real = pattern_needs

    def wrong(pattern):  # type: ignore[no-untyped-def]
        return (("](",),) if type(pattern).__name__ == "ReferenceInlineProcessor" else real(pattern)

    monkeypatch.setattr("fitfocus.build.inline.pattern_needs", wrong)
    rng = random.Random(20)
    texts = [document(rng, PIECES, BLOCKS) for _ in range(300)]
    assert differences(texts, MarkdownRenderer(prechecked=False)) != []


def test_a_pattern_is_tried_only_on_a_text_that_can_hold_a_match(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Also shows the loop Python-Markdown runs is this module's (its private name could change).
    tried: list[str] = []
    apply = PrecheckedInlineProcessor._InlineProcessor__applyPattern  # type: ignore[attr-defined]

    def counting(self, pattern, data, index, start=0):  # type: ignore[no-untyped-def]
        tried.append(type(pattern).__name__)
        return apply(self, pattern, data, index, start)

    monkeypatch.setattr(PrecheckedInlineProcessor, "_InlineProcessor__applyPattern", counting)
    renderer = MarkdownRenderer()
    assert renderer.render(Body("Plain words.", 1, (), (), ()), lambda target: target) == "<p>Plain words.</p>"
    assert tried == []
    assert renderer.render(Body("A *b* `c`.", 1, (), (), ()), lambda target: target) == (
        "<p>A <em>b</em> <code>c</code>.</p>")
    # Each once: after its match the text has no backtick or asterisk left to try it on again.
    assert tried == ["BacktickInlineProcessor", "DelimiterProcessor"]


def stock_link_text(data: str, index: int) -> tuple[str, int, bool]:
    """Python-Markdown's own answer: a link pattern that was not given the scan."""
    return inlinepatterns.LinkInlineProcessor(inlinepatterns.LINK_RE, markdown.Markdown()).getText(data, index)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["[", "]", "a", "]]", "[[", "\\[", "(x)", "`"]), max_size=40).map("".join))
def test_the_bracket_scan_finds_the_closing_bracket_python_markdown_finds(data: str) -> None:
    scan = BracketScan()
    assert [scan.text(data, index) for index in range(len(data) + 1)] == [
        stock_link_text(data, index) for index in range(len(data) + 1)]


def test_the_bracket_scan_answers_for_each_new_text() -> None:
    scan = BracketScan()
    assert scan.text("[a] b", 1) == ("a", 3, True)
    assert scan.text("[a b", 1) == ("a b", 4, False)  # a new text is scanned again, not answered from the last
    assert scan.text("x [[a] b] c]", 3) == ("[a] b", 9, True)
    assert scan.text("x [[a] b] c]", 4) == ("a", 6, True)


def test_every_link_pattern_of_python_markdown_uses_one_bracket_scan() -> None:
    md = MarkdownRenderer()._md
    links = [pattern for pattern in md.inlinePatterns if isinstance(pattern, inlinepatterns.LinkInlineProcessor)]
    assert {type(pattern).__name__ for pattern in links} >= {
        "LinkInlineProcessor", "ImageInlineProcessor", "ReferenceInlineProcessor", "ImageReferenceInlineProcessor"}
    scans = {id(pattern.getText.__self__) for pattern in links}
    assert len(scans) == 1 and isinstance(links[0].getText.__self__, BracketScan)
    stock = MarkdownRenderer(prechecked=False)._md
    assert not any(isinstance(getattr(getattr(pattern, "getText", None), "__self__", None), BracketScan)
               for pattern in stock.inlinePatterns)


def test_unclosed_brackets_by_the_thousand_still_render() -> None:
    # Each `[` is a possible link; scanning on from each one to the end would take minutes here.
    text = "[" * 20000 + " and ] " + "[x](y) " * 2000
    mine, stock = both(text, MarkdownRenderer(), MarkdownRenderer(prechecked=False))
    assert mine == stock
