"""The fast smart quotes give byte for byte what Python-Markdown's own smarty extension gives."""

from __future__ import annotations

import random
import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitfocus.build.markup import MarkdownRenderer
from fitfocus.build.smartquotes import _substitution
from fitfocus.content.model import Body

# Pieces that meet each pattern's edges: quotes beside punctuation, dashes and dots in runs,
# entities, escapes, and the inline syntax whose placeholders the patterns see.
PIECES = ("'", '"', "''", '""', "'\"", "\"'", "-", "--", "---", "----", ".", "..", "...", "....", " ", "  ",
          "\n", "s", "s ", "'s", "80s", "'90s", "12", "I", "don't", "a", "word", ",", ";", ":", "!", "?", "(",
          ")", "[", "]", "{", "}", "&nbsp;", "&mdash;", "&ndash;", "&#8211;", "&#8212;", "\u2013", "\u2014",
          "\\'", '\\"', "\\-", "`'x'`", "*", "**", "_", "<span title=\"a 'b'\">", "</span>", "<<", ">>",
          "[\"link\"](https://example.org/ \"it's\")", "![a 'b'](media/x.jpg)", "<https://example.org/'q'>",
          "<exercise:squat>", "[^1]", "\t", "#", "> ", "1. ", "- ", "|", "{: #x }", "\x00")
BLOCKS = ("", "# ", "## Heading \"with\" 'quotes' -- and...\n\n", "> ", "- ", "1. ", "    ", "| a | b |\n|---|---|\n| ",
          "```\n'code' -- \"stays\"...\n```\n\n", "Text.[^1]\n\n[^1]: A 'note' -- with \"quotes\"...\n\n")


def stock() -> MarkdownRenderer:
    return MarkdownRenderer(smart_quotes="smarty")


def both(text: str, fast: MarkdownRenderer, slow: MarkdownRenderer) -> tuple[str, str]:
    body = Body(text, 1, (), (), ())
    return fast.render(body, lambda target: target), slow.render(body, lambda target: target)


def document(rng: random.Random, pieces: tuple[str, ...] = PIECES, kinds: tuple[str, ...] = BLOCKS) -> str:
    """A body of several blocks of random `pieces`, each block of a random kind and length."""
    blocks = []
    for _ in range(rng.randint(1, 6)):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        blocks.append(rng.choice(kinds) + text.replace("\n\n", "\n"))
    return "\n\n".join(blocks)


def test_the_fast_pass_replaces_smartys_own() -> None:
    fast = MarkdownRenderer()
    assert type(fast._md.treeprocessors["smarty"]).__module__ == "fitfocus.build.smartquotes"
    assert type(stock()._md.treeprocessors["smarty"]) is markdown.treeprocessors.InlineProcessor


def test_prose_with_every_kind_of_quote_renders_as_smarty_renders_it() -> None:
    text = ("\"'Quoted' words,\" she said -- it's the '80s... \"Why?\" 'Fine'.\n\n"
            "## \"Leg day\" -- don't skip it\n\nHe said: --\"no\"---'yes'.... &nbsp;\"x\" \\'y\\'\n")
    fast, slow = both(text, MarkdownRenderer(), stock())
    assert fast == slow
    assert "&ldquo;&lsquo;Quoted&rsquo; words,&rdquo;" in fast and "&rsquo;80s&hellip;" in fast


def test_a_generated_corpus_renders_byte_for_byte_as_smarty_renders_it() -> None:
    rng = random.Random(17)
    fast, slow = MarkdownRenderer(), stock()
    differing = []
    for number in range(1500):
        text = document(rng)
        mine, theirs = both(text, fast, slow)
        if mine != theirs:
            differing.append((number, text, mine, theirs))
    assert differing == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_any_string_of_the_pieces_renders_as_smarty_renders_it(text: str) -> None:
    mine, theirs = both(text, MarkdownRenderer(), stock())
    assert mine == theirs


def test_quotes_at_the_edges_of_texts_educated_together_render_as_smarty_renders_them() -> None:
    # A document's texts go through each pattern together: a quote at the start or end of one
    # (beside emphasis, a link or a code span) must see the edge, never the text next to it.
    text = ("'*a*' \"**b**\"'c'`d`'e' --*f*-- ...*g*... '80s*h*'90s [i]('j')'k'\n\n"
            "'Quoted'\n\n\"Start\n\n- 'one'\n- \"two\"\n\n> 'three' -- four...\n")
    fast, slow = both(text, MarkdownRenderer(), stock())
    assert fast == slow


def test_control_characters_in_a_text_do_not_split_it_where_texts_meet() -> None:
    # The texts of a document are joined with STX and ETX between them: what an author writes
    # around a placeholder (NUL here, or STX and ETX, which Python-Markdown removes) never looks like that.
    text = "a''\x00<exercise:squat> b''\x02\x03<exercise:squat> c''\x03\x00\x03[d](e)'f'\x00\n"
    fast, slow = both(text, MarkdownRenderer(), stock())
    assert fast == slow
    assert "a&rsquo;&lsquo;\x00<a" in fast


def test_the_fast_pass_can_tell_a_difference() -> None:
    # The comparison above would pass if both sides were the same renderer; this one must not.
    mine, theirs = both("It's \"here\".", MarkdownRenderer(), MarkdownRenderer(smart_quotes="abbr"))
    assert mine == "<p>It&rsquo;s &ldquo;here&rdquo;.</p>"
    assert theirs == "<p>It's \"here\".</p>"


def test_an_unknown_smarty_pattern_is_refused() -> None:
    with pytest.raises(ValueError, match="^a smarty pattern this module does not know: x$"):
        _substitution(re.compile("x"), ("&x;",))
